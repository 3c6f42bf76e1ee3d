package secretcorpus

import "errors"

var (
	// ErrBadLabel reports a label without a file or with an impossible line
	// range.
	ErrBadLabel = errors.New("bad label")
	// ErrBadReport reports a findings report that cannot be read.
	ErrBadReport = errors.New("bad findings report")
	// ErrTreeExists reports that Generate was asked to write into a
	// directory that already holds a tree or labels.
	ErrTreeExists = errors.New("corpus already exists")
)
