// Package sign will sign and verify images and attestations in the formats
// cosign writes. It lives in its own module so that cosign's dependency tree
// (sigstore, cloud KMS SDKs, Kubernetes clients) never enters the go.mod of
// a program that imports only the root module's packages.
//
// The package holds no API yet: signing is the subject of its own issue,
// and nothing here pretends otherwise.
package sign
