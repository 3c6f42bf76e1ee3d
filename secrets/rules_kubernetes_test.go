package secrets

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

func kubernetesCases() []ruleCase {
	webhook := b64("Wm8Kq2Xv7Lp4Rz9N")
	redis := b64("fR3vL9qW2xK7mZ4p")
	seed := sha256.Sum256([]byte("session-key"))
	sessionKey := base64.StdEncoding.EncodeToString(append(seed[:], seed[:16]...)) // 48 bytes of key material
	cert := b64("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUO5y7\n-----END CERTIFICATE-----\n")
	oc := "sha256~" + sampleToken(sampleURLSafe, 43, "openshift")
	slack := "xoxb-" + sampleToken("0123456789", 12, "k8s-slack-1") + "-" + sampleToken("0123456789", 13, "k8s-slack-2") + "-" + sampleToken(base62, 24, "k8s-slack-3")
	secret := func(body string) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: billing-worker\n  namespace: payments\ntype: Opaque\n" + body
	}
	return []ruleCase{
		// data values under any name, judged decoded; kind before or
		// after data, values plain, quoted or block scalars.
		{rule: "kubernetes-secret", file: "deploy/secret.yaml", input: secret("data:\n  stripe-webhook: " + webhook + "\n"), secret: webhook, line: 8},
		{rule: "kubernetes-secret", file: "cache-secret.yml", input: "apiVersion: v1\ndata:\n  redis-auth: \"" + redis + "\"\nkind: Secret\nmetadata:\n  name: cache\n", secret: redis, line: 3},
		{rule: "kubernetes-secret", file: "deploy/secret.yaml", input: secret("data:\n  # rotated 2024-05\n  session.key: |\n    " + sessionKey + "\n  username: " + b64("billing") + "\n"), secret: sessionKey, line: 10},
		{rule: "kubernetes-secret", file: "deploy/secret.yaml", input: secret("stringData:\n  SMTP_PASS: Tq7Wn3Kz8Lp2Vx5R\n  SMTP_USER: mailer\n"), secret: "Tq7Wn3Kz8Lp2Vx5R", line: 8},
		{rule: "kubernetes-secret", file: "all.yaml", input: "kind: ConfigMap\napiVersion: v1\ndata:\n  LOG_LEVEL: debug\n  QUEUE_NAME: billing-events-v2\n---\n" + secret("data:\n  webhook: '"+webhook+"'\n"), secret: webhook, line: 14},
		// A value that decodes to a token of a known format is reported
		// as that token.
		{rule: "slack-bot-token", file: "deploy/secret.yaml", input: secret("data:\n  SLACK_BOT_TOKEN: " + b64(slack) + "\n"), secret: slack, line: 8},
		{rule: "kubernetes-secret", file: "deploy/secret.yaml", input: secret("data:\n  SLACK_BOT_TOKEN: " + b64(slack) + "\n")},
		// Weak and placeholder values, names that are not secret, files
		// and certificates, templates, and other kinds.
		{rule: "", file: "deploy/secret.yaml", input: secret("data:\n  password: " + b64("changeme-now") + "\n  username: " + b64("deploy") + "\n")},
		{rule: "", file: "deploy/secret.yaml", input: secret("data:\n  auth: " + b64("admin:password") + "\n")},
		{rule: "kubernetes-secret", file: "deploy/secret.yaml", input: secret("data:\n  host: " + b64("db-primary.payments.svc.cluster.local") + "\n  tls.crt: " + cert + "\n")},
		{rule: "kubernetes-secret", file: "chart/templates/secret.yaml", input: secret("data:\n  password: {{ .Values.db.password | b64enc | quote }}\n")},
		{rule: "kubernetes-secret", file: "store.yaml", input: "apiVersion: external-secrets.io/v1beta1\nkind: SecretStore\nmetadata:\n  name: vault\ndata:\n  token: " + redis + "\n"},
		{rule: "kubernetes-secret", file: "config.yaml", input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: billing\ndata:\n  api-key: " + webhook + "\n"},
		{rule: "kubernetes-secret", file: "deploy/secret.yaml", input: secret("data:\n  csrf: \"\"\n")},

		// OpenShift tokens.
		{rule: "openshift-user-token", file: "docs/setup.sh", input: "#!/bin/sh\noc login --token=" + oc + " --server=https://api.ocp.internal:6443", secret: oc, line: 2},
		{rule: "openshift-user-token", file: ".kube/config", input: "users:\n- name: ci/api-ocp-internal:6443\n  user:\n    token: " + oc + "\n", secret: oc, line: 4},
		{rule: "openshift-user-token", file: "docs/setup.md", input: "oc login --token=sha256~" + strings.Repeat("x", 43)},
		{rule: "openshift-user-token", file: "image.txt", input: "digest: sha256~" + sampleToken(sampleURLSafe, 20, "short")},
	}
}
