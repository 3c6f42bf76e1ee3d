package policy

import (
	"fmt"

	"github.com/shipshape-dev/shipshape/result"
)

// IncompleteRule is the name of the rule under which Evaluate reports the
// layers an input lists as incomplete (Input.Incomplete), one violation
// per entry, with the action WithIncompleteAction sets (deny by default).
// Like WaiverRule it is reserved: no rule of a policy may take the name,
// and no waiver may name it.
const IncompleteRule = "complete-read"

const incompleteDescription = "every layer read whole and matching its diff_id"

// incompleteViolations reports each incomplete layer (or file of one).
func incompleteViolations(errs []result.FileError) []Violation {
	out := make([]Violation, 0, len(errs))
	for _, e := range errs {
		cause := "unknown error"
		if e.Err != nil {
			cause = e.Err.Error()
		}
		where := "the image"
		if e.Layer != "" {
			where = "layer " + result.ShortDigest(e.Layer)
		}
		if e.Path != "" {
			where += " (at " + e.Path + ")"
		}
		out = append(out, Violation{
			Message:  fmt.Sprintf("%s: %s: the evidence drawn from it is partial", where, cause),
			Evidence: Evidence{Missing: MissingLayers, Layer: e.Layer, Path: e.Path},
		})
	}
	return out
}
