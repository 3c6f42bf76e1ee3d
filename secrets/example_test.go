package secrets_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing/fstest"

	"github.com/shipshape-dev/shipshape/secrets"
)

func ExampleScanner_ScanBytes() {
	s, err := secrets.New()
	if err != nil {
		panic(err)
	}
	env := "DEBUG=1\nDATABASE_URL=postgres://app:S3cr3tPassw0rd@db.internal:5432/app\n"
	for _, f := range s.ScanBytes("deploy/.env", []byte(env)) {
		fmt.Println(f.RuleID, f.File, f.Line, f.Secret)
	}
	// Output:
	// database-url-password deploy/.env 2 S3cr**********
}

func ExampleScanner_ScanFS() {
	s, err := secrets.New(secrets.WithAllowlist(secrets.Allowlist{Paths: []string{`(^|/)testdata/`}}))
	if err != nil {
		panic(err)
	}
	tree := fstest.MapFS{
		"deploy/values.yaml": {Data: []byte("env:\n  - name: DB_PASSWORD\n    value: \"Jk8#vQ2mLp9X\"\n")},
		"testdata/fake.yaml": {Data: []byte("password: \"Jk8#vQ2mLp9X\"\n")},
	}
	rep, err := s.ScanFS(context.Background(), tree, "repo")
	if err != nil {
		panic(err)
	}
	if err := secrets.Encode(os.Stdout, rep, secrets.FormatTable); err != nil {
		panic(err)
	}
	// Output:
	// SEVERITY  RULE                   LOCATION              LAYER  SECRET
	// medium    generic-api-key-above  deploy/values.yaml:3         Jk8#********
	//
	// 1 secret in 1 file (0.0 MB) of repo
}

func ExampleParseConfig() {
	// A gitleaks configuration, as teams already have it.
	conf := `
[extend]
useDefault = true

[[rules]]
id = "acme-token"
description = "ACME API token"
regex = '''\b(acme_[0-9a-f]{32})\b'''
keywords = ["acme_"]
`
	c, err := secrets.ParseConfig(".gitleaks.toml", strings.NewReader(conf))
	if err != nil {
		panic(err)
	}
	s, err := secrets.New(secrets.WithConfig(c))
	if err != nil {
		panic(err)
	}
	for _, f := range s.ScanBytes("main.go", []byte(`client := acme.New("acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0")`)) {
		fmt.Println(f.RuleID, f.Line, f.Column, f.Secret)
	}
	// Output:
	// acme-token 1 21 acme********************************
}
