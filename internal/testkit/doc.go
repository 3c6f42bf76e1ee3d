// Package testkit holds what shipshape's own tests share beyond
// layer/layertest: the location of the shared OSV data, Go binaries built
// for tests, CycloneDX schema validation and heap measurement. It is
// imported only from tests.
package testkit
