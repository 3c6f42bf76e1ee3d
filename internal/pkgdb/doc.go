// Package pkgdb groups the parsers of operating-system package databases
// (dpkg, apk, rpm) and of os-release. Each parser reads one file from a
// stream, keeps every good record of a damaged database and reports the bad
// ones, and never reads past the budget its caller's reader enforces.
package pkgdb
