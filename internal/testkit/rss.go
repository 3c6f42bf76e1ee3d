package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
)

// ChildEnv names the environment variable through which RunChild tells the
// re-executed test binary which case to run.
const ChildEnv = "SHIPSHAPE_TEST_CHILD"

// RunChild re-executes the current test binary to run only the test named
// test, with ChildEnv set to arg, and returns the child's peak resident set
// size in bytes, as the operating system counted it (getrusage's
// ru_maxrss of the child), and its combined output. It fails t when the
// child fails. The child test reads its case with ChildCase.
//
// This is what a user's process costs: the Go heap, its garbage not yet
// returned, goroutine stacks, the runtime's own memory and the binary.
func RunChild(t testing.TB, test, arg string) (int64, []byte) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("peak RSS of a child is read from Linux's getrusage")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v", "-test.timeout=20m")
	cmd.Env = append(os.Environ(), ChildEnv+"="+arg)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		t.Fatalf("child %s %s: %v\n%s", test, arg, err, out.Bytes())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Fatalf("child %s %s: no resource usage", test, arg)
	}
	return ru.Maxrss << 10, out.Bytes() // Linux counts ru_maxrss in KiB
}

// ChildCase returns the case RunChild asked this process to run, or skips
// t when the process is not such a child.
func ChildCase(t testing.TB) string {
	t.Helper()
	c := os.Getenv(ChildEnv)
	if c == "" {
		t.Skip("run by RunChild only")
	}
	return c
}
