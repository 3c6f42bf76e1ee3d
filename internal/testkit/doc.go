// Package testkit builds the fixtures shipshape's tests share: tar layers
// and images crafted in Go, and the location of the shared OSV data.
// It is imported only from tests.
package testkit
