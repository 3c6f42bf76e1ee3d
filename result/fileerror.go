package result

import (
	"encoding/json"
	"errors"
	"fmt"
)

// FileError records that one file (or one layer, when Path is empty) could not
// be processed. Results that can partially succeed carry a slice of them
// instead of failing as a whole.
//
// FileError implements error and unwraps to the underlying cause, so callers
// can test it with errors.Is and errors.As. Its JSON form is
// {"layer": ..., "path": ..., "error": "message"}.
type FileError struct {
	// Layer is the diffID of the layer the file came from; empty for files of
	// a directory tree or for errors about the image as a whole.
	Layer string
	// Path is the slash-separated path inside the image or tree, without a
	// leading slash; empty for errors about a whole layer.
	Path string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *FileError) Error() string {
	switch {
	case e.Layer != "" && e.Path != "":
		return fmt.Sprintf("layer %s: %s: %v", ShortDigest(e.Layer), e.Path, e.Err)
	case e.Layer != "":
		return fmt.Sprintf("layer %s: %v", ShortDigest(e.Layer), e.Err)
	case e.Path != "":
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	default:
		return fmt.Sprint(e.Err)
	}
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

type fileErrorJSON struct {
	Layer string `json:"layer,omitempty"`
	Path  string `json:"path,omitempty"`
	Error string `json:"error"`
}

// MarshalJSON encodes the error as {"layer", "path", "error"}.
func (e FileError) MarshalJSON() ([]byte, error) {
	msg := ""
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return json.Marshal(fileErrorJSON{Layer: e.Layer, Path: e.Path, Error: msg})
}

// UnmarshalJSON decodes the form written by MarshalJSON. The cause becomes a
// plain error carrying the message; its original type is not recoverable.
func (e *FileError) UnmarshalJSON(b []byte) error {
	var j fileErrorJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	e.Layer, e.Path, e.Err = j.Layer, j.Path, errors.New(j.Error)
	return nil
}

// ShortDigest abbreviates "sha256:0123456789abcdef..." to "sha256:0123456789ab"
// for messages. Other strings are returned unchanged.
func ShortDigest(d string) string {
	const keep = len("sha256:") + 12
	if len(d) > keep && d[:7] == "sha256:" {
		return d[:keep]
	}
	return d
}
