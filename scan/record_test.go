package scan

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/internal/testkit"
)

func TestRecordRoundTrip(t *testing.T) {
	var recs []*osv.Vulnerability
	err := osv.ReadDir("testdata/osv", func(_ string, v *osv.Vulnerability, err error) error {
		if err == nil {
			recs = append(recs, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dir := sharedDirOrEmpty(t); dir != "" {
		err := osv.ReadZip(filepath.Join(dir, "osv", "PyPI", "all.zip"), func(_ string, v *osv.Vulnerability, err error) error {
			if err == nil {
				recs = append(recs, v)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range recs {
		want := trimForMatch(v)
		got, err := decodeRecord(encodeRecord(want))
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		want.SchemaVersion = "" // not stored
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: round trip differs:\n got %+v\nwant %+v", v.ID, got, want)
		}
	}
	// Truncated and altered records fail cleanly.
	b := encodeRecord(recs[0])
	for i := range b {
		if _, err := decodeRecord(b[:i]); err == nil {
			t.Fatalf("truncated at %d decoded", i)
		}
	}
}

// sharedDirOrEmpty is the shared data directory, or "" (without skipping).
func sharedDirOrEmpty(t *testing.T) (dir string) {
	t.Run("shared", func(t *testing.T) { dir = testkit.SharedDir(t) })
	return dir
}

func FuzzDecodeRecord(f *testing.F) {
	v, err := osv.Decode([]byte(`{"id": "X-1", "aliases": ["CVE-1"], "affected": [{"package": {"ecosystem": "Go", "name": "a"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encodeRecord(v))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeRecord(b)
	})
}
