package secrets

import (
	"encoding/base64"
	"hash/crc32"
	"net/url"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// cloudRules find credentials of cloud providers and of the platforms that
// deploy to them or keep their secrets.
func cloudRules() []Rule {
	return []Rule{
		// Amazon Web Services.
		{
			ID:          "aws-access-token",
			Description: "AWS access key ID",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"akia", "asia", "abia", "acca", "a3t"},
			// A four-character prefix that says what kind of key it is,
			// then 16 characters of the RFC 4648 base32 alphabet.
			Regex:     `\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b`,
			MaxLength: 60,
		},
		{
			ID:          "aws-secret-access-key",
			Description: "AWS secret access key assigned to a name like aws_secret_access_key",
			Severity:    result.SeverityCritical,
			Keywords: []string{"secret_access_key", "secretaccesskey", "secret-access-key", "secret.access.key",
				"aws_secret_key", "aws-secret-key", "awssecretkey"},
			// 40 characters of base64 without padding; the name carries the
			// meaning, so the value must look random.
			Regex:     infraAssigned("secret", `(?:aws[_.-]?)?secret[_.-]?access[_.-]?key|aws[_.-]?secret[_.-]?key`, `[A-Za-z0-9/+]{40}`),
			Entropy:   4,
			MaxLength: 160,
			Allowlists: []Allowlist{{
				Description: "variants of the documentation's example secret",
				Regexes:     []string{`^wJalrXUtnFEMI/K7MDENG/bPxRfiCY`},
			}},
		},
		{
			ID:          "aws-session-token",
			Description: "AWS temporary session token assigned to a name like aws_session_token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"aws_session_token", "aws-session-token", "awssessiontoken", "sessiontoken", "aws_security_token"},
			// STS tokens are long base64 strings (hundreds of characters).
			Regex: `(?m)(?:(?i:aws[_.-]?session[_.-]?token|aws[_.-]?security[_.-]?token)|SessionToken)[\w.-]{0,12}["'\]]?[ \t]{0,3}(?:=|:=|:|=>|,)[ \t]{0,3}["']?` +
				`(?P<secret>[A-Za-z0-9/+]{100,1000}[A-Za-z0-9/+]{0,1000}={0,2})(?:["'\s;,)}\]]|$)`,
			Entropy:   4.5,
			MaxLength: 2200,
		},
		{
			ID:          "aws-session-token-value",
			Description: "AWS temporary session token, recognised by its encoded header",
			Severity:    result.SeverityHigh,
			// STS session tokens are base64 of a binary structure whose
			// first bytes encode to one of these prefixes, wherever the
			// token is written (logs, headers, env lists).
			Keywords:  []string{"iqojb3jpz2lu", "fwogzxivyxdz"},
			Regex:     `(?:^|[^A-Za-z0-9+/])(?P<secret>(?:IQoJb3JpZ2lu|FwoGZXIvYXdz)[A-Za-z0-9+/]{100,1000}[A-Za-z0-9+/]{0,1000}={0,2})`,
			Entropy:   4.5,
			MaxLength: 2200,
			Lines:     1,
		},
		{
			ID:          "aws-mws-key",
			Description: "Amazon Marketplace Web Service (MWS) auth token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"amzn.mws."},
			Regex:       `\b(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`,
			MaxLength:   80,
		},

		// Google Cloud.
		{
			ID:          "gcp-api-key",
			Description: "Google Cloud API key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"aiza"},
			Regex:       `\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     3.5,
			MaxLength:   80,
		},
		{
			ID:          "gcp-oauth-client-secret",
			Description: "Google OAuth client secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"gocspx-"},
			Regex:       `\b(GOCSPX-[0-9A-Za-z_-]{28})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     3.5,
			MaxLength:   80,
		},
		{
			ID:          "gcp-oauth-access-token",
			Description: "Google OAuth access token (short-lived)",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"ya29."},
			// Base64url, with dots in service-account tokens; never ends
			// with a dot (the end of a sentence).
			Regex:     `\b(ya29\.[0-9A-Za-z_-][0-9A-Za-z_.-]{18,1000}[0-9A-Za-z_-])(?:[^0-9A-Za-z_.-]|\.(?:[^0-9A-Za-z_-]|$)|$)`,
			Entropy:   3.5,
			MaxLength: 1100,
		},
		{
			ID:          "gcp-oauth-refresh-token",
			Description: "Google OAuth refresh token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"1//0"},
			Regex:       `(?:^|[^0-9A-Za-z_/-])(1//0[0-9A-Za-z_-]{40,500})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     4,
			MaxLength:   600,
		},

		// Microsoft Azure.
		{
			ID:          "azure-storage-account-key",
			Description: "Azure storage account key (connection string AccountKey or a storage key variable)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"accountkey", "account_key", "account-key", "storage_key", "storagekey", "storage-key"},
			// 64 random bytes in padded base64: 86 characters and "==".
			Regex: `(?:(?i:AccountKey)[ \t]*=[ \t]*(?P<secret>[A-Za-z0-9+/]{86}==)|` +
				infraAssigned("secret2", `(?:azure[_.-]?)?storage[_.-]?(?:account[_.-]?)?(?:access[_.-]?)?key|account[_.-]?key`, `[A-Za-z0-9+/]{86}==`) + `)`,
			Validate:  func(s string) bool { b, ok := infraBase64(s); return ok && len(b) == 64 },
			Entropy:   4.5,
			MaxLength: 200,
		},
		{
			ID:          "azure-sas-token",
			Description: "Azure shared access signature (the sig= of a SAS URL or connection string)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sig="},
			// The signature is an HMAC-SHA256 in URL-encoded base64; a
			// signed version (sv=) in the same query string says it is SAS.
			Regex: `(?:\bsv=\d{4}-\d\d-\d\d&[^\s"'<>]{0,400}?[&;]sig=(?P<secret>` + infraSASSig + `)|` +
				`[?&;]sig=(?P<secret2>` + infraSASSig + `)[&;][^\s"'<>]{0,400}?\bsv=\d{4}-\d\d-\d\d\b)`,
			Validate: func(s string) bool {
				u, err := url.PathUnescape(s)
				b, ok := infraBase64(u)
				return err == nil && ok && len(b) == 32
			},
			MaxLength: 600,
		},
		{
			ID:          "azure-ad-client-secret",
			Description: "Microsoft Entra ID (Azure AD) application client secret",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"q~"},
			// Three characters, a version digit and "Q~", then 31 to 34
			// more of the URL-safe alphabet with "~" and ".".
			Regex:     `(?m)(?:^|[^0-9A-Za-z_~.-])(?P<secret>[0-9A-Za-z_~.-]{3}\dQ~[0-9A-Za-z_~.-]{31,34})(?:[^0-9A-Za-z_~.-]|$)`,
			Entropy:   4,
			MaxLength: 80,
		},
		{
			ID:          "azure-devops-pat",
			Description: "Azure DevOps personal access token",
			Severity:    result.SeverityCritical,
			// The 84-character format carries fixed signatures (JQQJ9 and
			// AZDO); the 52-character base32 format carries a CRC32 and is
			// looked for near Azure DevOps names and hosts.
			Keywords: []string{"jqqj9", "azure_devops", "azuredevops", "azure-devops", "ado_pat", "ado-pat",
				"dev.azure.com", "visualstudio.com", "vsts", "system_accesstoken"},
			Regex: `\b(?P<secret>[0-9A-Za-z]{52}JQQJ9[9D][0-9A-Za-z][A-L][0-9A-Za-z]{16}AZDO[0-9A-Za-z]{4})\b|` +
				`(?:^|[^0-9a-z])(?P<secret2>[a-z2-7]{52})(?:[^0-9a-z]|$)`,
			Validate: func(s string) bool {
				if len(s) == 52 {
					return adoLegacyChecksum(s)
				}
				return true
			},
			MaxLength: 200,
		},

		// Alibaba Cloud and Tencent Cloud.
		{
			ID:          "alibaba-access-key-id",
			Description: "Alibaba Cloud AccessKey ID",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"ltai"},
			Regex:       `\b(LTAI[0-9A-Za-z]{12,20})\b`,
			Entropy:     3.5,
			MaxLength:   60,
		},
		{
			ID:          "alibaba-secret-key",
			Description: "Alibaba Cloud AccessKey secret assigned to an Alibaba or Aliyun name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"alibaba", "aliyun", "alicloud", "accesskeysecret", "access_key_secret", "access-key-secret"},
			Regex: infraAssigned("secret", `(?:alibaba|aliyun|alicloud)[\w.-]{0,20}(?:secret|key)|access[_.-]?key[_.-]?secret`,
				`[0-9A-Za-z]{30}`),
			Entropy:   3.8,
			MaxLength: 160,
		},
		{
			ID:          "tencent-cloud-secret-id",
			Description: "Tencent Cloud API SecretId",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"akid"},
			Regex:       `\b(AKID[0-9A-Za-z]{32})\b`,
			Entropy:     3.8,
			MaxLength:   80,
		},
		{
			ID:          "tencent-cloud-secret-key",
			Description: "Tencent Cloud API SecretKey assigned to a Tencent Cloud name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"tencent", "qcloud"},
			Regex:       infraAssigned("secret", `(?:tencent|qcloud)[\w.-]{0,20}secret[_.-]?key`, `[0-9A-Za-z]{32}`),
			Entropy:     3.8,
			MaxLength:   160,
		},

		// DigitalOcean.
		{
			ID:          "digitalocean-pat",
			Description: "DigitalOcean personal access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"dop_v1_"},
			Regex:       `\b(dop_v1_[0-9a-f]{64})\b`,
			Entropy:     3,
			MaxLength:   100,
		},
		{
			ID:          "digitalocean-access-token",
			Description: "DigitalOcean OAuth access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"doo_v1_"},
			Regex:       `\b(doo_v1_[0-9a-f]{64})\b`,
			Entropy:     3,
			MaxLength:   100,
		},
		{
			ID:          "digitalocean-refresh-token",
			Description: "DigitalOcean OAuth refresh token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"dor_v1_"},
			Regex:       `\b(dor_v1_[0-9a-f]{64})\b`,
			Entropy:     3,
			MaxLength:   100,
		},

		// Heroku.
		{
			ID:          "heroku-api-key-v2",
			Description: "Heroku platform API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"hrku-"},
			Regex:       `\b(HRKU-[0-9A-Za-z_-]{60})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     3.8,
			MaxLength:   100,
		},
		{
			ID:          "heroku-api-key",
			Description: "Heroku API key (UUID form) assigned to a Heroku name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"heroku"},
			// Also the .netrc entry the Heroku CLI writes.
			Regex: infraAssigned("secret", `heroku[\w.-]{0,20}(?:key|token|secret|password)`, infraUUID) +
				`|machine[ \t]+(?:api|git)\.heroku\.com\s+login[ \t]+\S+\s+password[ \t]+(?P<secret_netrc>` + infraUUID + `)\b`,
			Entropy:   3.3,
			MaxLength: 160,
		},

		// Cloudflare.
		{
			ID:          "cloudflare-api-key",
			Description: "Cloudflare API token (cfut_/cfat_, or assigned to a Cloudflare name)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cfut_", "cfat_", "cloudflare"},
			// The scannable form: 40 characters and the hexadecimal CRC32
			// of them. Older tokens are 40 characters with no prefix.
			Regex: `\b(?P<secret>cf(?:ut|at)_[0-9A-Za-z]{40}[0-9a-f]{8})\b|` +
				infraAssigned("secret2", `cloudflare[\w.-]{0,20}(?:token|key)`, `[0-9A-Za-z_-]{40}`),
			Validate:  cloudflareChecksum,
			Entropy:   3.5,
			MaxLength: 160,
		},
		{
			ID:          "cloudflare-global-api-key",
			Description: "Cloudflare global API key (cfk_, or 37 hexadecimal digits assigned to a Cloudflare name)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"cfk_", "cloudflare"},
			Regex: `\b(?P<secret>cfk_[0-9A-Za-z]{40}[0-9a-f]{8})\b|` +
				infraAssigned("secret2", `cloudflare[\w.-]{0,20}key`, `[0-9a-f]{37}`),
			Validate:  cloudflareChecksum,
			Entropy:   3.3,
			MaxLength: 160,
		},
		{
			ID:          "cloudflare-origin-ca-key",
			Description: "Cloudflare Origin CA key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"v1.0-"},
			Regex:       `\b(v1\.0-[0-9a-f]{24}-[0-9a-f]{146})\b`,
			Entropy:     3.5,
			MaxLength:   200,
		},

		// Platforms that deploy applications.
		{
			ID:          "flyio-access-token",
			Description: "Fly.io access token (fo1_ OAuth token or fm1/fm2 macaroon)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"fo1_", "fm1a_", "fm1r_", "fm2_"},
			// A deploy token may join several macaroons with commas.
			Regex: `\b(?P<secret>fo1_[0-9A-Za-z_-]{43})(?:[^0-9A-Za-z_-]|$)|` +
				`\b(?P<secret2>` + flyMacaroon + `(?:,` + flyMacaroon + `(?:,` + flyMacaroon + `)?)?)`,
			Entropy:   4,
			MaxLength: 3100,
		},
		{
			ID:          "netlify-access-token",
			Description: "Netlify access token assigned to a Netlify name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"netlify"},
			Regex:       infraAssigned("secret", `netlify[\w.-]{0,20}(?:token|key|secret)`, `(?:nfp_)?[0-9A-Za-z_-]{40,64}`),
			Entropy:     3.5,
			MaxLength:   180,
		},
		{
			ID:          "vercel-access-token",
			Description: "Vercel access token (vcp_/vci_/vca_/vcr_/vck_ with a CRC32, or assigned to a Vercel name)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"vcp_", "vci_", "vca_", "vcr_", "vck_", "vercel"},
			// 50 characters and the base62 CRC32 of them, as GitHub's.
			Regex: `\b(?P<secret>vc[piark]_[0-9A-Za-z_-]{50}[0-9A-Za-z]{6})\b|` +
				infraAssigned("secret2", `vercel[\w.-]{0,20}(?:token|key)`, `[0-9A-Za-z]{24}`),
			Validate: func(s string) bool {
				if len(s) == 60 && s[3] == '_' {
					return crc32Base62(s, 4)
				}
				return true
			},
			Entropy:   3.5,
			MaxLength: 160,
		},
		{
			ID:          "scaleway-secret-key",
			Description: "Scaleway secret key (UUID form) assigned to a Scaleway name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"scw_secret_key", "scw-secret-key", "scaleway"},
			Regex:       infraAssigned("secret", `scw[_-]secret[_-]key|scaleway[\w.-]{0,20}(?:secret|key|token)`, infraUUID),
			Entropy:     3.3,
			MaxLength:   160,
		},
		{
			ID:          "linode-api-token",
			Description: "Linode (Akamai) API token assigned to a Linode name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"linode"},
			Regex:       infraAssigned("secret", `linode[\w.-]{0,20}(?:token|key|pat)`, `[0-9a-f]{64}`),
			Entropy:     3.3,
			MaxLength:   180,
		},
		{
			ID:          "vultr-api-key",
			Description: "Vultr API key assigned to a Vultr name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"vultr"},
			Regex:       infraAssigned("secret", `vultr[\w.-]{0,20}(?:key|token)`, `[0-9A-Za-z]{36}`),
			Entropy:     3.5,
			MaxLength:   160,
		},
		{
			ID:          "hetzner-api-token",
			Description: "Hetzner Cloud API token assigned to an hcloud or Hetzner name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"hcloud", "hetzner"},
			Regex:       infraAssigned("secret", `(?:hcloud|hetzner)[\w.-]{0,20}(?:token|key)`, `[0-9A-Za-z]{64}`),
			Entropy:     4,
			MaxLength:   180,
		},
		{
			ID:          "ibm-cloud-api-key",
			Description: "IBM Cloud API key assigned to an IBM Cloud name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"ibmcloud", "ibm_cloud", "ibm-cloud", "ic_api_key", "ibm_api_key", "ibm-api-key", "ibmapikey"},
			Regex: infraAssigned("secret", `ibm[_-]?cloud[\w.-]{0,20}(?:key|token)|ic_api_key|ibm[_-]?api[_-]?key`,
				`[0-9A-Za-z_-]{44}`),
			Entropy:   4,
			MaxLength: 160,
		},

		// Infrastructure as code and secret managers.
		{
			ID:          "vault-service-token",
			Description: "HashiCorp Vault service token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"hvs."},
			// Root and server-side tokens; a namespace suffix follows a dot.
			Regex:     `\b(hvs\.[0-9A-Za-z_-]{24,300}(?:\.[0-9A-Za-z]{4,8})?)(?:[^0-9A-Za-z_-]|$)`,
			Entropy:   3.5,
			MaxLength: 340,
		},
		{
			ID:          "vault-batch-token",
			Description: "HashiCorp Vault batch token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"hvb."},
			Regex:       `\b(hvb\.[0-9A-Za-z_-]{100,1000})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     4,
			MaxLength:   1100,
		},
		{
			ID:          "vault-recovery-token",
			Description: "HashiCorp Vault recovery token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"hvr."},
			Regex:       `\b(hvr\.[0-9A-Za-z_-]{20,300})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     3.5,
			MaxLength:   340,
		},
		{
			ID:          "hashicorp-tf-api-token",
			Description: "HCP Terraform (Terraform Cloud/Enterprise) API token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{".atlasv1."},
			Regex:       `\b([0-9A-Za-z]{14}\.atlasv1\.[0-9A-Za-z_=-]{60,70})(?:[^0-9A-Za-z_=-]|$)`,
			Entropy:     4,
			MaxLength:   120,
		},
		{
			ID:          "pulumi-api-token",
			Description: "Pulumi Cloud access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"pul-"},
			Regex:       `\b(pul-[0-9a-f]{40})\b`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "doppler-api-token",
			Description: "Doppler personal, CLI, service account, SCIM or audit token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"dp.pt.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."},
			Regex:       `\b(dp\.(?:pt|ct|sa|scim|audit)\.[0-9A-Za-z]{40,44})\b`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "doppler-service-token",
			Description: "Doppler service token (access to one config)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"dp.st."},
			// The config's name may sit between the prefix and the secret.
			Regex:     `\b(dp\.st\.(?:[0-9a-z_-]{1,35}\.)?[0-9A-Za-z]{40,44})\b`,
			Entropy:   4,
			MaxLength: 100,
		},
		{
			ID:          "tailscale-key",
			Description: "Tailscale API access token, auth key, OAuth client, SCIM or webhook key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"tskey-"},
			// tskey-<kind>-<key id>-<secret>.
			Regex:     `\b(tskey-(?:api|auth|client|scim|webhook)-[0-9A-Za-z]{6,24}-[0-9A-Za-z]{20,64})\b`,
			Entropy:   4,
			MaxLength: 120,
		},
	}
}

// infraAssigned is the expression of a value assigned to a name that
// matches name (case-insensitively, with up to 12 more name characters):
// NAME=value, name: value, "name": "value", name => 'value', name := "value",
// var name string = "value", NAME ::= "value", $name .= "value", NAME=value\n
// inside a JSON string; and the name-above-value shapes of Kubernetes env lists (- name: NAME,
// value: v) and of JSON name/value pairs (ECS task definitions). The value,
// in group (group_kv, group_js in the other shapes), must end where the
// token ends.
func infraAssigned(group, name, value string) string {
	n := `(?i:` + name + `)[\w.-]{0,12}`
	end := `(?:["'` + "`" + `\s;,&)}\]]|\\[nrt]|(?m:$))`
	return `(?:` + n + `["'\]]?(?i:` + declaredType + `)[ \t]{0,3}(?:=|:=|::=|:::=|:|=>|\?=|\?\?=|\.=|,)[ \t]{0,3}["'` + "`" + `]?(?P<` + group + `>` + value + `)` + end +
		`|name:[ \t]*["']?` + n + `["']?[ \t]*\r?\n[ \t]*-?[ \t]*value:[ \t]*["']?(?P<` + group + `_kv>` + value + `)` + end +
		`|"name"[ \t]*:[ \t]*"` + n + `"[ \t]*,\s{0,40}"value"[ \t]*:[ \t]*"(?P<` + group + `_js>` + value + `)")`
}

// flyMacaroon is one macaroon of a Fly.io token: a version prefix and
// base64.
const flyMacaroon = `fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,1000}={0,3}`

// infraUUID matches a UUID in lower or upper case.
const infraUUID = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`

// infraSASSig is a URL-encoded base64 HMAC-SHA256 (32 bytes: 43 characters and
// one "=", which may be written %3D; "+" and "/" may be escaped too).
const infraSASSig = `(?:[A-Za-z0-9+/]|%2[BbFf]){43}(?:=|%3[Dd])`

// infraBase64 decodes standard or URL-safe base64, padded or not.
func infraBase64(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(s)
	return b, err == nil
}

// infraCRC32Hex reports whether token ends with the eight hexadecimal
// digits (either case) of the CRC32 (IEEE) of token[from:len-8].
func infraCRC32Hex(token string, from int) bool {
	if len(token) < from+9 {
		return false
	}
	sum, err := strconv.ParseUint(token[len(token)-8:], 16, 32)
	return err == nil && uint32(sum) == crc32.ChecksumIEEE([]byte(token[from:len(token)-8]))
}

// cloudflareChecksum checks the CRC32 of a scannable Cloudflare credential
// (cfut_, cfat_, cfk_: the hexadecimal CRC32 of the 40 characters after
// the prefix) and accepts older, unprefixed ones.
func cloudflareChecksum(s string) bool {
	for _, p := range []string{"cfut_", "cfat_", "cfk_"} {
		if strings.HasPrefix(s, p) {
			return infraCRC32Hex(s, len(p))
		}
	}
	return true
}

// adoLegacyChecksum checks the CRC32 an Azure DevOps 52-character base32
// token hides in four of its 32 bytes: the CRC of the other 28, combined
// with the seed of a user or of an application token.
func adoLegacyChecksum(s string) bool {
	if len(s) != 52 {
		return false
	}
	var b [33]byte
	var acc uint
	bits, n := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v uint
		switch {
		case 'a' <= c && c <= 'z':
			v = uint(c - 'a')
		case '2' <= c && c <= '7':
			v = uint(c-'2') + 26
		default:
			return false
		}
		acc = acc<<5 | v
		bits += 5
		if bits >= 8 {
			bits -= 8
			b[n] = byte(acc >> uint(bits))
			n++
		}
	}
	body := make([]byte, 0, 28)
	body = append(body, b[0:2]...)
	body = append(body, b[3:7]...)
	body = append(body, b[9:22]...)
	body = append(body, b[23:32]...)
	sum := uint32(b[22]) | uint32(b[8])<<8 | uint32(b[7])<<16 | uint32(b[2])<<24
	c := crc32.ChecksumIEEE(body)
	return c^0xE0B9692D == sum || c^0x1019F92E == sum
}
