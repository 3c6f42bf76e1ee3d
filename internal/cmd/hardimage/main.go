// Command hardimage writes a docker-archive image with one instance of
// every misconfiguration the hardening checks look for, for comparing
// shipshape's checks with Dockle's (bench/hardening-compare.sh).
//
//	go run ./internal/cmd/hardimage OUT.tar
package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type entry struct {
	name, body string
	mode       int64
	dir        bool
}

func layer(es []entry) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range es {
		h := &tar.Header{Name: e.name, Mode: e.mode, Size: int64(len(e.body)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}
		if e.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := io.WriteString(tw, e.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: hardimage OUT.tar")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "hardimage:", err)
		os.Exit(1)
	}
}

func write(out string) error {
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n"
	l, err := layer([]entry{
		{name: "etc", dir: true, mode: 0o755},
		{name: "etc/passwd", body: "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n", mode: 0o644},
		{name: "etc/shadow", body: "root::19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n", mode: 0o640},
		{name: "etc/group", body: "root:x:0:\napp:x:1000:\n", mode: 0o644},
		{name: "etc/os-release", body: "PRETTY_NAME=\"Distroless\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n", mode: 0o644},
		{name: "bin/sh", body: "\x7fELF", mode: 0o755},
		{name: "usr/bin/sudo", body: "\x7fELF", mode: 0o4755},
		{name: "usr/bin/passwd", body: "\x7fELF", mode: 0o4755},
		{name: "srv/shared", dir: true, mode: 0o777},
		{name: "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", body: string(bytes.Repeat([]byte("Package: x\n"), 10000)), mode: 0o644},
		{name: "root/.ssh/id_ed25519", body: key, mode: 0o600},
		{name: "etc/ssh/ssh_host_ed25519_key", body: key, mode: 0o600},
	})
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)}
	cf.Config.User = ""
	cf.Config.Env = []string{"PATH=/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9Lx2Vm4K", "DB_PASSWORD=hunter22"}
	cf.Config.ExposedPorts = map[string]struct{}{"22/tcp": {}, "5432/tcp": {}}
	cf.Config.Volumes = map[string]struct{}{"/proc": {}}
	cf.History = []v1.History{
		{CreatedBy: "ADD rootfs.tar.gz / # buildkit"},
		{CreatedBy: "ADD https://example.com/tool.sh /usr/local/bin/tool.sh # buildkit", EmptyLayer: true},
		{CreatedBy: "RUN /bin/sh -c apt-get update # buildkit", EmptyLayer: true},
		{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get -y upgrade && apt-get install -y sudo # buildkit", EmptyLayer: true},
		{CreatedBy: "RUN |1 NPM_TOKEN=npm_s3cr3tt0k3nvalue /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit", EmptyLayer: true},
		{CreatedBy: "RUN /bin/sh -c sudo chmod 777 /srv/shared # buildkit", EmptyLayer: true},
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return err
	}
	tag, err := name.NewTag("hardimage:latest")
	if err != nil {
		return err
	}
	return tarball.WriteToFile(out, tag, img)
}
