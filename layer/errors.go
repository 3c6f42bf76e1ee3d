package layer

import "errors"

// Errors callers can test for with errors.Is. Per-file and per-layer
// errors of every package that reads images (sbom, secrets, harden) wrap
// them.
var (
	// ErrImage marks an image whose config, layer list or manifest cannot
	// be read: New fails with it.
	ErrImage = errors.New("cannot read image")
	// ErrBadPath marks an entry whose name cannot be used: empty, NUL bytes,
	// invalid UTF-8, too long.
	ErrBadPath = errors.New("invalid entry name")
	// ErrPathEscapes marks an entry or link whose name climbs above the root.
	ErrPathEscapes = errors.New("path escapes the image root")
	// ErrFileTooLarge is returned by the reader handed to a visitor once the
	// file exceeds the per-file budget.
	ErrFileTooLarge = errors.New("file exceeds the read budget")
	// ErrSymlinkLoop is returned by View.Resolve after too many symlink hops.
	ErrSymlinkLoop = errors.New("too many levels of symbolic links")
	// ErrBudget marks a layer whose walk stopped at a budget of
	// Options: decompressed bytes or entries, of the layer or the image.
	ErrBudget = errors.New("budget exceeded")
	// ErrIntegrity marks a layer whose content does not match the DiffID
	// the image names it by: what was found in it cannot be trusted.
	ErrIntegrity = errors.New("layer content does not match its diff_id")
	// ErrLayer marks a layer that could not be read to its end (corrupt
	// compression, truncated or malformed tar).
	ErrLayer = errors.New("unreadable layer")
	// ErrReread is returned by a visitor that found, while streaming a
	// file, that it needs the whole file with random access (an ELF
	// section, say). The walker then reads the file again, after the pass,
	// and hands it to the visitor as a reader that also implements
	// io.ReaderAt and Size() int64. A layer is read a second time only if a
	// visitor asked.
	ErrReread = errors.New("visitor needs random access to the file")
)
