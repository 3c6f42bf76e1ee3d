// Package secretcorpus builds a labeled evaluation corpus for secret
// detection and scores a detector's findings against it.
//
// [Generate] writes, deterministically for a given seed, a tree of realistic
// files (configuration, infrastructure code, source code, documents, dot
// files, key files) into DIR/tree and the labels of every planted secret
// into DIR/labels.json, beside the tree and outside of it, so a scanner
// pointed at DIR/tree never sees the answers.
//
// The planted true positives are randomly generated values with the charset,
// length and structure of over eighty real credential formats (GitHub
// tokens with a valid CRC32 checksum, AWS key pairs, GCP service-account
// files holding a real RSA key, private keys in PEM, OpenSSH and OpenPGP
// form that parse, JWTs with real signatures, database URLs, generic
// passwords, base64-encoded tokens, ...). They are carried by many file
// types and layouts, including layouts where the name of a value is on the
// line above it (Kubernetes env lists, property lists, Hadoop-style XML).
//
// The same files hold many hard negatives that are never labeled:
// placeholders and documented example keys, references to the environment
// or to templating, hashes, digests, UUIDs, lockfile integrity strings,
// public keys and certificates, encrypted values, test fixtures named as
// fakes, prose and identifiers that mention passwords and tokens, and
// high-entropy strings that are not secrets. Any finding on an unlabeled
// line is a false positive.
//
// A label names the file (a slash path relative to the tree), the 1-based
// line where the secret value begins and the line where it ends, the
// credential format and the carrier (the file syntax or layout that holds
// it). [Score] matches findings to labels by file and overlapping line range
// and reports recall, precision and per-format and per-carrier recall.
//
// What is a secret is a judgment, made here as follows. Labeled: live
// credentials of every kind, including identifiers that are credentials on
// their own (AWS access key ids) and pairs whose identifier is not (a Twilio
// account SID and its token form one label over both lines); base64-encoded
// secrets (Kubernetes Secret data, docker auth) under their own
// "base64:..." formats. Not labeled: values that are public by design
// (Stripe publishable keys, reCAPTCHA site keys, Algolia search-only keys,
// Mapbox public tokens, Sentry DSNs), placeholders including the AWS
// documentation's example keys, encrypted values (SOPS, KMS ciphertext,
// SealedSecrets, Ansible Vault), and GitHub-token-shaped strings whose
// CRC32 checksum is wrong (in a parser's testdata).
//
// Every random choice is drawn from a math/rand/v2 PCG source seeded with the
// seed, including the private keys, which are built from primes and scalars
// drawn from that source rather than from crypto/rand: the same seed yields
// the same bytes. The keys are therefore worthless as keys, which is the
// point.
package secretcorpus
