package result_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/shipshape-dev/shipshape/result"
)

func ExampleParseSeverity() {
	for _, s := range []string{"HIGH", "moderate", "bogus"} {
		sev, err := result.ParseSeverity(s)
		fmt.Println(sev, err != nil)
	}
	fmt.Println(result.SeverityCritical > result.SeverityHigh)
	// Output:
	// high false
	// medium false
	// unknown true
	// true
}

func ExampleFileError() {
	e := &result.FileError{Layer: "sha256:0123456789abcdef0123", Path: "var/lib/dpkg/status", Err: fs.ErrPermission}
	fmt.Println(e)
	fmt.Println(errors.Is(e, fs.ErrPermission))
	b, _ := json.Marshal(e)
	fmt.Println(string(b))
	// Output:
	// layer sha256:0123456789ab: var/lib/dpkg/status: permission denied
	// true
	// {"layer":"sha256:0123456789abcdef0123","path":"var/lib/dpkg/status","error":"permission denied"}
}
