package shipshape

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/internal/sarif"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// EncodeSARIF writes the inspection as one SARIF 2.1.0 log with one run:
// the vulnerabilities, secrets and hardening findings that were gathered
// and, from Check, the policy's violations, each kind with its rules, as
// the packages' own SARIF encoders write them. GitHub code scanning takes
// one upload per tool and category; this is that upload.
func EncodeSARIF(w io.Writer, in *Inspection) error {
	if in == nil || in.Evidence == nil {
		return fmt.Errorf("%w: nil inspection", result.ErrInvalidOption)
	}
	ev := in.Evidence
	var runs []sarif.Run
	add := func(kind string, encode func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := encode(&buf); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		var log sarif.Log
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		runs = append(runs, log.Runs...)
		return nil
	}
	if ev.Scan != nil {
		if err := add("vulnerabilities", func(w io.Writer) error { return scan.Encode(w, ev.Scan, scan.FormatSARIF) }); err != nil {
			return err
		}
	}
	if ev.Secrets != nil {
		if err := add("secrets", func(w io.Writer) error { return secrets.Encode(w, ev.Secrets, secrets.FormatSARIF) }); err != nil {
			return err
		}
	}
	if ev.Hardening != nil {
		if err := add("hardening", func(w io.Writer) error { return harden.Encode(w, ev.Hardening, harden.FormatSARIF) }); err != nil {
			return err
		}
	}
	if in.Decision != nil {
		if err := add("policy", func(w io.Writer) error { return policy.Encode(w, in.Decision, policy.FormatSARIF) }); err != nil {
			return err
		}
	}
	return sarif.Write(w, sarif.Merge(runs...))
}
