// Package report writes what the other packages found about one image as
// a single self-contained HTML page: no external script, style sheet,
// font or image, so it can be attached to a CI run and opened anywhere
// offline. The verdict comes first, then vulnerabilities by severity with
// a chart, fixable against unfixable, the layers that brought them in,
// secrets (redacted, as the secrets report holds them) and hardening
// findings. Tables sort by a click on a column header, with a few lines of
// inline script and no framework. Every text is escaped: package names and
// advisory summaries are untrusted input.
package report
