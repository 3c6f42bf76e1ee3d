// Package secrets finds credentials that must never ship: in source trees
// before the build, and in every layer of the built image, including files
// a later layer deletes (they stay in the image for anyone who pulls it)
// and the image configuration (environment, labels, build history).
//
// A Scanner holds compiled rules. Each rule names keywords; one pass of a
// keyword automaton over the input finds where they occur, and a rule's
// regular expression runs only on a window of lines around those places,
// never on whole files. Matches then pass the rule's checks: minimum
// entropy, a structural validator (GitHub tokens carry a CRC32, JWTs decode
// to JSON, private keys parse), the placeholder filter (IsPlaceholder),
// allowlists by path, regular expression and stop word, inline
// "shipshape:allow" comments, and the baseline. Base64 blobs are decoded
// and searched too.
//
//	s, err := secrets.New()                      // the built-in rules
//	rep, err := s.ScanFS(ctx, os.DirFS("."), ".") // or ScanImage, ScanReader, ScanBytes
//	secrets.Encode(os.Stdout, rep, secrets.FormatSARIF)
//
// The scanner is a visitor of package layer's one-pass walk: NewPass adds
// it to a walker other checks share (the root package's Inspect does),
// and Pass.Report turns the walk's result into the report. ScanImage and
// ScanFS are that for callers who want only secrets.
//
// Rules are plain Go values (Rule); DefaultRules returns the built-in ones
// (more than 120 credential formats plus generic assignments) for callers
// to trim or extend. A gitleaks TOML configuration loads as it is
// (LoadConfig, WithConfig), so teams keep their rules and allowlists.
//
// Findings hold the secret redacted (Redact) unless the scanner is built
// with WithRevealSecretsUnsafe; their fingerprints (rule, file, secret) do
// not change when code moves, so a baseline of known findings
// (WithBaselineFile) lets a team adopt the scanner without fixing history
// first.
package secrets
