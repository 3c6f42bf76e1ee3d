// Package walk reads container image layers and directory trees once and
// offers every entry to the visitors that asked for it.
//
// Each layer is a streamed tar: nothing is extracted to disk. Layers are read
// concurrently, each by one goroutine; a visitor's Visit may therefore run
// concurrently for files of different layers and must not share mutable
// state. Visitors return a value per file; the walker collects the values and
// hands them back with the final filesystem view (the squash), so that the
// callers decide which values are visible and which layer introduced them.
package walk
