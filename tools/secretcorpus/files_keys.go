package secretcorpus

import (
	"crypto/elliptic"
	"encoding/base64"
	"fmt"
	"strings"
)

// privateKey is a private key in text form, ready to be planted.
type privateKey struct {
	format string // label format
	text   string // PEM or armored block, without a final newline
	note   string
}

// privateKeys generates the private keys the corpus plants in key carriers.
func (c *corpus) privateKeys() ([]privateKey, error) {
	r := c.r
	var keys []privateKey
	for range 8 {
		keys = append(keys, privateKey{"private-key-rsa", pemRSA(r.rsaKey(2048)), "PKCS #1 RSA"})
	}
	for i := range 6 {
		curve := elliptic.P256()
		if i%3 == 2 {
			curve = elliptic.P384()
		}
		s, err := pemEC(r.ecKey(curve))
		if err != nil {
			return nil, err
		}
		keys = append(keys, privateKey{"private-key-ec", s, "SEC 1 " + curve.Params().Name})
	}
	for i := range 8 {
		var k any
		note := "PKCS #8 "
		switch {
		case i < 3:
			k, note = r.rsaKey(2048), note+"RSA"
		case i < 6:
			k, note = r.ecKey(elliptic.P256()), note+"ECDSA"
		default:
			k, note = r.ed25519Key(), note+"Ed25519"
		}
		s, err := pemPKCS8(k)
		if err != nil {
			return nil, err
		}
		keys = append(keys, privateKey{"private-key-pkcs8", s, note})
	}
	for i := range 5 {
		var k any = r.ed25519Key()
		note := "OpenSSH Ed25519"
		if i < 2 {
			k, note = r.rsaKey(2048), "OpenSSH RSA"
		}
		s, err := opensshPrivate(k, r.user()+"@"+r.word(), r.Uint32())
		if err != nil {
			return nil, err
		}
		keys = append(keys, privateKey{"private-key-openssh", s, note})
	}
	for range 4 {
		uid := pascal(r.word()) + " " + pascal(r.word()) + " <" + r.word() + "@" + r.domain() + ">"
		keys = append(keys, privateKey{"private-key-pgp", pgpArmored(r.rsaKey(2048), uid, uint32(1_600_000_000+r.IntN(100_000_000)), true), "OpenPGP RSA secret key"})
	}
	shuffle(r, keys)
	return keys, nil
}

// escapedNewlines writes a block on one line with literal \n escapes, as
// JSON and dotenv files hold it.
func escapedNewlines(block string) string { return strings.ReplaceAll(block+"\n", "\n", `\n`) }

// keyFiles plants private keys in their carriers, GCP service-account
// files and Kubernetes secrets whose values are base64-encoded.
func (c *corpus) keyFiles() error {
	keys, err := c.privateKeys()
	if err != nil {
		return err
	}
	r := c.r
	dirs := []string{"services/" + r.word(), "platform/security", "deploy", "ops/" + r.word(), "tools/" + r.word(), "apps/" + r.word() + "/config"}
	for i, k := range keys {
		dir := pick(r, dirs)
		block := func(f *file, carrier, prefix string) {
			start := f.next()
			f.add(indentLines(prefix, k.text))
			f.label(start, f.last(), k.format, carrier, k.note, "-----BEGIN")
		}
		switch i % 9 {
		case 0, 1: // a key file
			name := map[string]string{
				"private-key-rsa": "server.key", "private-key-ec": "tls.key", "private-key-pkcs8": "jwt-signing.pem",
				"private-key-openssh": "deploy_key", "private-key-pgp": "release-signing.asc",
			}[k.format]
			f := c.newFile(dir + "/" + pick(r, []string{"certs", "keys", "secrets", "ssl/private"}) + "/" + name)
			if k.format == "private-key-rsa" && r.chance(0.5) {
				// A bundle: the certificate first (not a secret), then its key.
				cert, err := r.certificate(r.ed25519Key(), r.word()+"."+r.domain(), false)
				if err != nil {
					return err
				}
				f.add(cert)
			}
			block(f, "pem-file", "")
		case 2: // a Kubernetes TLS secret with stringData
			f := c.newFile(dir + "/k8s/" + r.word() + "-tls-secret.yaml")
			cert, err := r.certificate(r.ed25519Key(), r.word()+"."+r.domain(), false)
			if err != nil {
				return err
			}
			f.add("apiVersion: v1", "kind: Secret", "metadata:", "  name: "+r.word()+"-tls", "type: kubernetes.io/tls", "stringData:", "  tls.crt: |", indentLines("    ", cert), "  tls.key: |")
			block(f, "yaml-block", "    ")
		case 3: // a JSON configuration with the key escaped on one line
			f := c.newFile(dir + "/config/" + pick(r, []string{"jwt.json", "signing.json", "saml.json"}))
			f.add("{", `  "issuer": "https://auth.`+r.domain()+`",`, `  "kid": "`+r.hex(16)+`",`)
			v := escapedNewlines(k.text)
			f.secret(`  "privateKey": "`+v+`",`, v[:20], k.format, "json-escaped", k.note)
			f.add(`  "algorithm": "RS256"`, "}")
		case 4: // a Terraform heredoc
			f := c.newFile(dir + "/infra/" + pick(r, []string{"bastion.tf", "keys.tf", "deploy_keys.tf"}))
			f.add(`resource "github_repository_deploy_key" "`+r.word()+`" {`, `  title      = "deploy"`, `  repository = "`+r.word()+`"`, `}`, ``, `locals {`, `  deploy_private_key = <<-EOT`)
			block(f, "hcl-heredoc", "    ")
			f.add(`  EOT`, `}`)
		case 5: // a Go raw string
			f := c.newFile(dir + "/internal/" + r.word() + "/testkeys.go")
			f.add("package "+r.word(), "", "// signingKey signs the tokens of the staging environment.")
			start := f.next()
			f.add("const signingKey = `" + k.text + "`")
			f.label(start, f.last(), k.format, "go-raw-string", k.note, "-----BEGIN")
		case 6: // a Python triple-quoted string
			f := c.newFile(dir + "/" + pick(r, []string{"scripts/sign_release.py", "app/crypto.py", "tools/sso.py"}))
			f.add("import base64", "", "# Key used to sign the SAML assertions.")
			start := f.next()
			f.add(`PRIVATE_KEY = """` + k.text + `"""`)
			f.label(start, f.last(), k.format, "py-triple-quoted", k.note, "-----BEGIN")
		case 7: // a dotenv value with escaped newlines
			f := c.newFile(dir + "/" + pick(r, []string{".env", ".env.production", "deploy/secrets.env"}))
			f.add("NODE_ENV=production", "JWT_ISSUER=https://auth."+r.domain())
			v := escapedNewlines(k.text)
			f.secret(`JWT_PRIVATE_KEY="`+v+`"`, v[:20], k.format, "dotenv-escaped", k.note)
			f.add("JWT_TTL=900")
		default: // pasted into a runbook
			f := c.newFile(dir + "/docs/" + pick(r, []string{"break-glass.md", "emergency-access.md", "incident-2023-11.md"}))
			f.add("# Break-glass access", "", "If SSO is down, use the key below to reach the bastion. Rotate it after use.", "", "```")
			block(f, "markdown", "")
			f.add("```", "", "Then run `ssh -i key.pem ops@bastion."+r.domain()+"`.")
		}
	}
	if err := c.gcpServiceAccounts(); err != nil {
		return err
	}
	return c.kubernetesSecrets()
}

// gcpServiceAccount returns the lines of a GCP service-account key file
// and the index of its private_key line.
func (c *corpus) gcpServiceAccount() ([]string, int, error) {
	r := c.r
	project := r.word() + "-" + pick(r, []string{"prod", "staging", "data"}) + "-" + r.digitsN(6)
	email := r.word() + "-sa@" + project + ".iam.gserviceaccount.com"
	key, err := pemPKCS8(r.rsaKey(2048))
	if err != nil {
		return nil, 0, err
	}
	lines := []string{
		"{",
		`  "type": "service_account",`,
		`  "project_id": "` + project + `",`,
		`  "private_key_id": "` + r.hex(40) + `",`,
		`  "private_key": "` + escapedNewlines(key) + `",`,
		`  "client_email": "` + email + `",`,
		`  "client_id": "` + r.digitsN(21) + `",`,
		`  "auth_uri": "https://accounts.google.com/o/oauth2/auth",`,
		`  "token_uri": "https://oauth2.googleapis.com/token",`,
		`  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",`,
		`  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/` + strings.ReplaceAll(email, "@", "%40") + `",`,
		`  "universe_domain": "googleapis.com"`,
		"}",
	}
	return lines, 4, nil
}

// gcpServiceAccounts writes service-account key files, standalone and
// inside Kubernetes secrets.
func (c *corpus) gcpServiceAccounts() error {
	r := c.r
	for i := range 7 {
		lines, at, err := c.gcpServiceAccount()
		if err != nil {
			return err
		}
		if i < 5 {
			f := c.newFile(pick(r, []string{"credentials", "deploy/gcp", "services/" + r.word() + "/keys", "terraform/keys", "data-pipeline/config"}) + "/" +
				pick(r, []string{"service-account.json", "gcp-key.json", r.word() + "-" + r.hex(12) + ".json"}))
			for j, l := range lines {
				if j == at {
					f.secret(l, `"private_key": "-----BEGIN`, "gcp-service-account", "json", "")
				} else {
					f.add(l)
				}
			}
			continue
		}
		f := c.newFile("deploy/k8s/" + r.word() + "-gcp-credentials.yaml")
		f.add("apiVersion: v1", "kind: Secret", "metadata:", "  name: gcp-credentials", "type: Opaque", "stringData:", "  key.json: |")
		for j, l := range lines {
			if j == at {
				f.secret("    "+l, `"private_key": "-----BEGIN`, "gcp-service-account", "yaml-block", "")
			} else {
				f.add("    " + l)
			}
		}
	}
	return nil
}

// tokenOf returns the value of a fresh credential of the named format.
func (c *corpus) tokenOf(name string) string {
	for _, tf := range tokenFormats() {
		if tf.name == name {
			return tf.make(c.r).fields[0].value
		}
	}
	panic("secretcorpus: no token format " + name) // a bug in this package, not bad input
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// kubernetesSecrets writes Secrets whose data values are base64: planted
// credentials next to usernames, hosts and certificates that are not
// secrets.
func (c *corpus) kubernetesSecrets() error {
	r := c.r
	encoded := []struct{ key, format string }{
		{"password", "generic-password"}, {"github-token", "github-pat"}, {"aws_secret_access_key", "aws-secret-key"},
		{"slack-token", "slack-bot-token"}, {"stripe-key", "stripe-secret-key"}, {"database-url", "postgres-url"}, {"openai-api-key", "openai-api-key"},
	}
	for i := range 11 {
		name := r.word()
		f := c.newFile(pick(r, []string{"deploy/k8s/", "services/" + name + "/deploy/k8s/", "gitops/clusters/prod/" + name + "/"}) + pick(r, []string{"secret.yaml", name + "-secret.yaml", "credentials.yaml"}))
		if i >= 8 {
			// An image pull secret: base64 of a docker config whose auth is
			// itself base64 of user:password.
			cfg := `{"auths":{"registry.` + r.domain() + `":{"username":"` + r.user() + `","password":"` + r.password() + `","auth":"` + b64(r.user()+":"+r.password()) + `"}}}`
			f.add("apiVersion: v1", "kind: Secret", "metadata:", "  name: "+name+"-pull", "type: kubernetes.io/dockerconfigjson", "data:")
			v := b64(cfg)
			f.secret("  .dockerconfigjson: "+v, v, "base64:docker-config", "k8s-secret-data", "base64 of a docker config.json")
			continue
		}
		f.add("apiVersion: v1", "kind: Secret", "metadata:", "  name: "+name+"-credentials", "  namespace: "+r.word(), "type: Opaque", "data:")
		f.add("  username: " + b64(r.user()))
		f.add("  host: " + b64(r.hostname()))
		shuffle(r, encoded)
		for _, e := range encoded[:r.between(1, 2)] {
			var v string
			switch e.format {
			case "generic-password":
				v = r.password()
			case "aws-secret-key":
				v = awsSecretKey(r)
			default:
				v = c.tokenOf(e.format)
			}
			enc := b64(v)
			f.secret("  "+e.key+": "+enc, enc, "base64:"+e.format, "k8s-secret-data", "base64 in a Secret's data")
		}
		f.add("  port: " + b64(fmt.Sprint(pick(r, []int{5432, 6379, 3306}))))
		if r.chance(0.5) {
			f.add("  placeholder: " + b64(pick(r, []string{"changeme", "TODO", "xxxxxxxx"})))
		}
		if r.chance(0.6) {
			cert, err := r.certificate(r.ed25519Key(), r.word()+"."+r.domain(), true)
			if err != nil {
				return err
			}
			f.add("  ca.crt: " + b64(cert+"\n"))
		}
	}
	return nil
}
