package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "342ab21be69b0123456789"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"release dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/tool", Version: "v1.0.0"},
			Deps: []*debug.Module{{Path: Module, Version: "v0.3.1"}}}, "v0.3.1"},
		{"workspace checkout", debug.BuildInfo{Main: debug.Module{Path: Module + "/examples", Version: "(devel)"},
			Deps: []*debug.Module{{Path: Module, Version: "v0.1.0", Replace: &debug.Module{Path: "/work/main"}}}, Settings: vcs},
			"v0.1.0+devel.342ab21be69b.dirty"},
		{"checkout without VCS stamp", debug.BuildInfo{Main: debug.Module{Path: Module, Version: "(devel)"}}, "v0.0.0+devel"},
		{"tagged main module", debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v0.2.0"}}, "v0.2.0"},
		{"replaced by another version", debug.BuildInfo{Main: debug.Module{Path: "x"},
			Deps: []*debug.Module{{Path: Module, Version: "v0.1.0", Replace: &debug.Module{Path: "fork.example/s", Version: "v0.1.1"}}}}, "v0.1.1"},
		{"not linked", debug.BuildInfo{Main: debug.Module{Path: "x"}}, "v0.0.0+devel"},
	} {
		if got := fromBuildInfo(&tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if v := Version(); v == "" || strings.Contains(v, "(devel)") {
		t.Errorf("Version() = %q", v)
	}
}
