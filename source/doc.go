// Package source turns what a user typed into something to inspect: an
// image (a go-containerregistry v1.Image) or a directory tree (an fs.FS).
//
// One reference grammar serves every package that takes a reference
// (ParseRef; package sign reads signatures by the same references):
//
//	registry:REF                          an image in a registry (the network is used)
//	docker-archive:PATH                   the output of docker save
//	oci-layout:DIR[:NAME|@sha256:…]       an OCI image layout directory
//	oci-archive:PATH[:NAME|@sha256:…]     a tar of an OCI image layout
//	dir:PATH                              a root filesystem or source tree on disk
//
// Archives are read in place: their tar is indexed once and each layer is
// a section of the file, nothing is extracted. Layers decompress with
// klauspost/compress (gzip and zstd), whichever way the image is asked for
// them (Layers, LayerByDigest, LayerByDiffID).
//
// Callers who already hold a v1.Image or an fs.FS make a Source of it with
// FromImage or FromFS.
package source
