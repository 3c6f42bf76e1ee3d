package secretcorpus

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strings"
)

// tokenFormat is one credential format that fits on a single line and can
// be written by any carrier: a vendor token, a key pair, a URL with a
// password, a generic password.
type tokenFormat struct {
	name  string // the label format; the span format of a pair
	count int    // instances planted
	make  func(r rng) credential
}

// single builds a tokenFormat of one field whose name is drawn from keys.
func single(name string, count int, keys []string, gen func(r rng) string) tokenFormat {
	return tokenFormat{name: name, count: count, make: func(r rng) credential {
		return one(name, pick(r, keys), gen(r))
	}}
}

// tokenFormats lists every single-line format the corpus plants, with the
// number of instances of each.
func tokenFormats() []tokenFormat {
	var fs []tokenFormat
	fs = append(fs, devFormats()...)
	fs = append(fs, cloudFormats()...)
	fs = append(fs, saasFormats()...)
	fs = append(fs, genericFormats()...)
	return fs
}

// githubClassic returns a classic GitHub token: a prefix (ghp, gho, ghu, ghs,
// ghr), an underscore, 30 random base62 characters and the 6-character
// base62 encoding of the CRC32 of those 30 characters.
func githubClassic(r rng, prefix string) string {
	body := r.chars(30, base62)
	return prefix + "_" + body + githubChecksum(body)
}

// githubChecksum is the CRC32 (IEEE) of s in base62, zero-padded to 6.
func githubChecksum(s string) string {
	return base62Pad(uint64(crc32.ChecksumIEEE([]byte(s))), 6)
}

// base62Pad encodes v in base62 (0-9A-Za-z), left-padded with '0' to width.
func base62Pad(v uint64, width int) string {
	var b []byte
	for v > 0 {
		b = append(b, base62[v%62])
		v /= 62
	}
	for len(b) < width {
		b = append(b, '0')
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// pypiToken returns a PyPI API token: "pypi-" and the base64url of a
// macaroon (version 2) whose location is pypi.org, which is why every real
// token starts with pypi-AgEIcHlwaS5vcmc.
func pypiToken(r rng) string {
	var m []byte
	m = append(m, 0x02, 0x01, 0x08)
	m = append(m, "pypi.org"...)
	id := "\x02" + r.uuid() // identifier: a version byte and the token's id
	m = append(m, 0x02, byte(len(id)))
	m = append(m, id...)
	m = append(m, 0x00)
	caveat := `{"version": 1, "permissions": "user"}`
	if r.chance(0.5) {
		caveat = `{"version": 1, "permissions": {"projects": ["` + r.word() + `-` + r.word() + `"]}}`
	}
	m = append(m, 0x02, byte(len(caveat)))
	m = append(m, caveat...)
	m = append(m, 0x00, 0x00, 0x06, 0x20)
	m = append(m, r.bytes(32)...)
	return "pypi-" + base64.RawURLEncoding.EncodeToString(m)
}

// devFormats are the tokens of code hosts, package registries and
// developer services.
func devFormats() []tokenFormat {
	ghKeys := []string{"GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "HOMEBREW_GITHUB_API_TOKEN", "RENOVATE_TOKEN", "DANGER_GITHUB_API_TOKEN", "GH_ENTERPRISE_TOKEN"}
	return []tokenFormat{
		single("github-pat", 8, ghKeys, func(r rng) string { return githubClassic(r, "ghp") }),
		single("github-oauth", 5, []string{"GITHUB_OAUTH_TOKEN", "GH_OAUTH_TOKEN", "OAUTH_TOKEN"}, func(r rng) string { return githubClassic(r, "gho") }),
		single("github-app-user-token", 5, []string{"GITHUB_USER_TOKEN", "GH_APP_USER_TOKEN"}, func(r rng) string { return githubClassic(r, "ghu") }),
		single("github-app-installation-token", 5, []string{"GITHUB_APP_TOKEN", "INSTALLATION_TOKEN", "GH_APP_TOKEN"}, func(r rng) string { return githubClassic(r, "ghs") }),
		single("github-refresh-token", 5, []string{"GITHUB_REFRESH_TOKEN", "GH_REFRESH_TOKEN"}, func(r rng) string { return githubClassic(r, "ghr") }),
		single("github-fine-grained-pat", 7, ghKeys, func(r rng) string {
			return "github_pat_11" + r.chars(20, upperABC+digits) + "_" + r.chars(59, base62)
		}),
		single("gitlab-pat", 7, []string{"GITLAB_TOKEN", "GL_TOKEN", "GITLAB_PRIVATE_TOKEN", "GITLAB_API_TOKEN", "DANGER_GITLAB_API_TOKEN"}, func(r rng) string {
			return "glpat-" + r.chars(20, base62+"-_")
		}),
		single("gitlab-runner-token", 5, []string{"RUNNER_TOKEN", "CI_SERVER_TOKEN", "REGISTRATION_TOKEN"}, func(r rng) string {
			return "glrt-" + r.chars(20, base62+"-_")
		}),
		single("gitlab-pipeline-trigger-token", 5, []string{"TRIGGER_TOKEN", "GITLAB_TRIGGER_TOKEN"}, func(r rng) string {
			return "glptt-" + r.hex(40)
		}),
		single("gitlab-deploy-token", 5, []string{"DEPLOY_TOKEN", "GITLAB_DEPLOY_TOKEN"}, func(r rng) string {
			return "gldt-" + r.chars(20, base62+"-_")
		}),
		single("npm-token", 7, []string{"NPM_TOKEN", "NODE_AUTH_TOKEN", "NPM_AUTH_TOKEN"}, func(r rng) string {
			// Like GitHub's: 30 random characters and their base62 CRC32.
			body := r.chars(30, base62)
			return "npm_" + body + githubChecksum(body)
		}),
		single("pypi-token", 6, []string{"PYPI_TOKEN", "PYPI_API_TOKEN", "TWINE_PASSWORD", "POETRY_PYPI_TOKEN_PYPI"}, pypiToken),
		single("rubygems-api-key", 5, []string{"GEM_HOST_API_KEY", "RUBYGEMS_API_KEY"}, func(r rng) string {
			return "rubygems_" + r.hex(48)
		}),
		single("dockerhub-pat", 6, []string{"DOCKERHUB_TOKEN", "DOCKER_PASSWORD", "DOCKER_HUB_ACCESS_TOKEN", "REGISTRY_PASSWORD"}, func(r rng) string {
			return "dckr_pat_" + r.chars(27, b64URLSet)
		}),
		single("huggingface-token", 6, []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACEHUB_API_TOKEN"}, func(r rng) string {
			return "hf_" + r.chars(34, upperABC+lowerABC)
		}),
		single("circleci-token", 5, []string{"CIRCLECI_TOKEN", "CIRCLE_TOKEN"}, func(r rng) string {
			return "CCIPAT_" + r.chars(22, base62) + "_" + r.hex(40)
		}),
		single("atlassian-api-token", 5, []string{"JIRA_API_TOKEN", "CONFLUENCE_API_TOKEN", "ATLASSIAN_TOKEN"}, func(r rng) string {
			// The last eight characters are the hexadecimal CRC32 of the rest.
			body := "ATATT3xFfGF0" + r.chars(171, b64URLSet) + "="
			return body + fmt.Sprintf("%08X", crc32.ChecksumIEEE([]byte(body)))
		}),
		single("postman-api-key", 5, []string{"POSTMAN_API_KEY"}, func(r rng) string {
			return "PMAK-" + r.hex(24) + "-" + r.hex(34)
		}),
		single("linear-api-key", 5, []string{"LINEAR_API_KEY", "LINEAR_TOKEN"}, func(r rng) string {
			return "lin_api_" + r.chars(40, base62)
		}),
		single("figma-token", 5, []string{"FIGMA_TOKEN", "FIGMA_ACCESS_TOKEN"}, func(r rng) string {
			return "figd_" + r.chars(40, b64URLSet)
		}),
		single("sentry-auth-token", 5, []string{"SENTRY_AUTH_TOKEN"}, func(r rng) string {
			if r.chance(0.4) {
				return "sntryu_" + r.hex(64)
			}
			claims := `{"iat":17` + r.chars(8, digits) + `.` + r.chars(6, digits) + `,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"` + r.word() + `"}`
			return "sntrys_" + base64.RawStdEncoding.EncodeToString([]byte(claims)) + "_" + r.chars(43, b64Set[:62])
		}),
		single("terraform-cloud-token", 5, []string{"TFE_TOKEN", "TF_TOKEN_app_terraform_io", "TF_API_TOKEN"}, func(r rng) string {
			return r.chars(14, base62) + ".atlasv1." + r.chars(67, base62)
		}),
		single("vault-token", 5, []string{"VAULT_TOKEN"}, func(r rng) string {
			if r.chance(0.4) {
				return "hvs." + r.chars(24, base62)
			}
			return "hvs.CAESI" + r.chars(r.between(80, 100), b64URLSet)
		}),
		single("doppler-token", 5, []string{"DOPPLER_TOKEN"}, func(r rng) string {
			if r.chance(0.5) {
				return "dp.st." + pick(r, []string{"prd", "stg", "dev"}) + "." + r.chars(40, base62)
			}
			return "dp.pt." + r.chars(43, base62)
		}),
		single("pulumi-token", 5, []string{"PULUMI_ACCESS_TOKEN"}, func(r rng) string { return "pul-" + r.hex(40) }),
		single("age-secret-key", 5, []string{"SOPS_AGE_KEY", "AGE_SECRET_KEY"}, func(r rng) string {
			return "AGE-SECRET-KEY-1" + r.chars(58, strings.ToUpper("qpzry9x8gf2tvdw0s3jn54khce6mua7l"))
		}),
	}
}
