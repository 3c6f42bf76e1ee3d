package scan_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

// The support status of distribution releases, by the table shipshape
// embeds, at a given time; os-release's SUPPORT_END comes first.
func ExampleEOLTable_Support() {
	t := scan.DefaultEOLTable()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range []sbom.Distro{
		{ID: "debian", VersionID: "12"},
		{ID: "alpine", VersionID: "3.19.1"},
		{ID: "ubuntu", VersionID: "22.04"},
		{ID: "fedora", VersionID: "40", SupportEnd: "2025-05-13"},
		{ID: "wolfi"},
	} {
		s := t.Support(&d, at)
		if s.EOL.IsZero() {
			fmt.Println(d.ID+":", s.Status)
			continue
		}
		fmt.Println(d.ID, d.VersionID+":", s.Status, s.EOL.Format(time.DateOnly), s.Source)
	}
	// Output:
	// debian 12: supported 2028-06-30 endoflife.date as of 2026-08-22
	// alpine 3.19.1: eol 2025-11-01 endoflife.date as of 2026-08-22
	// ubuntu 22.04: supported 2027-04-01 endoflife.date as of 2026-08-22
	// fedora 40: eol 2025-05-13 os-release SUPPORT_END
	// wolfi: rolling
}

// FetchEOL refreshes the table from endoflife.date's API (here a local
// stand-in) into the cache directory; CachedEOLTable finds it for later
// scans, which pass it to Match with WithEOLTable.
func ExampleFetchEOL() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		product := strings.TrimPrefix(r.URL.Path, "/api/v1/products/")
		fmt.Fprintf(w, `{"schema_version":"1.2.1","generated_at":"2099-01-01T00:00:00Z",
			"result":{"name":%q,"releases":[{"name":"12","isEol":false,"eolFrom":"2099-06-30"}]}}`, product)
	}))
	defer api.Close()
	dir, err := os.MkdirTemp("", "shipshape-eol")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	res, err := scan.FetchEOL(context.Background(), scan.WithBaseURL(api.URL+"/api/v1"), scan.WithFetchCacheDir(dir))
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := scan.CachedEOLTable(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := t.Support(&sbom.Distro{ID: "debian", VersionID: "12"}, time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC))
	fmt.Println(len(res.Products), "distributions as of", res.AsOf.Format(time.DateOnly))
	fmt.Println("debian 12:", s.Status, "until", s.EOL.Format(time.DateOnly))
	// Output:
	// 13 distributions as of 2099-01-01
	// debian 12: supported until 2099-06-30
}
