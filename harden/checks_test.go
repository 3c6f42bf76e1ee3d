package harden

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
)

var checkNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// cleanBase is a small, well-built image: a non-root user, a health
// check, a recent build with tidy history, account files without empty
// passwords, and no caches or special bits.
func cleanBase() []layertest.Entry {
	return []layertest.Entry{
		layertest.Dir("etc"),
		layertest.File("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000::/home/app:/sbin/nologin\n"),
		layertest.File("etc/shadow", "root:!:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n"),
		layertest.File("etc/group", "root:x:0:\napp:x:1000:\n"),
		layertest.File("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"),
		{Name: "tmp", Type: tar.TypeDir, Mode: 0o1777},
		{Name: "usr/bin/app", Body: "\x7fELF", Mode: 0o755},
		layertest.File("etc/ssl/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
		layertest.File("home/app/.ssh/id_ed25519.pub", "ssh-ed25519 AAAA app@host\n"),
		layertest.File("var/lib/apt/lists/lock", ""),
	}
}

func cleanConfig(cf *v1.ConfigFile) {
	cf.Created = v1.Time{Time: checkNow.Add(-24 * time.Hour)}
	cf.Config.User = "1000:1000"
	cf.Config.Healthcheck = &v1.HealthConfig{Test: []string{"CMD", "/usr/bin/app", "-health"}}
	cf.Config.Env = []string{"PATH=/usr/local/bin:/usr/bin", "DB_PASSWORD_FILE=/run/secrets/db", "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D"}
	cf.Config.Labels = map[string]string{"org.opencontainers.image.source": "https://example.com/app"}
	cf.Config.ExposedPorts = map[string]struct{}{"8080/tcp": {}}
	cf.History = []v1.History{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / "},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`, EmptyLayer: true},
		{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* # buildkit"},
		{CreatedBy: "COPY app /usr/bin/app # buildkit"},
		{CreatedBy: "USER 1000:1000", EmptyLayer: true},
	}
}

// checkImage builds the clean image, with extra layers on top and the
// config changed by edit.
func checkImage(t *testing.T, edit func(*v1.ConfigFile), extra ...[]layertest.Entry) v1.Image {
	t.Helper()
	layers := []v1.Layer{layertest.Layer(t, cleanBase()...)}
	for _, e := range extra {
		layers = append(layers, layertest.Layer(t, e...))
	}
	img := layertest.Image(t, layers...)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cleanConfig(cf)
	if edit != nil {
		edit(cf)
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func newTestChecker(t *testing.T, opts ...Option) *Checker {
	t.Helper()
	c, err := New(append([]Option{WithClock(func() time.Time { return checkNow })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCleanImageHasNoFindings(t *testing.T) {
	rep, err := newTestChecker(t).Check(context.Background(), checkImage(t, nil), "registry.example/app:1.2@sha256:"+strings.Repeat("a", 64))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("clean image: %s %+v", f.ID, f.Evidence)
	}
	if len(rep.Errors) > 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
}

func TestChecks(t *testing.T) {
	secret := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9Lx2Vm4K"
	cases := []struct {
		name  string
		edit  func(*v1.ConfigFile)
		extra []layertest.Entry
		ref   string
		// want lists the finding ids expected; check inspects them.
		want  []string
		check func(t *testing.T, fs []Finding)
	}{
		{name: "no user", edit: func(cf *v1.ConfigFile) { cf.Config.User = "" }, want: []string{"root-user"},
			check: func(t *testing.T, fs []Finding) { wantEvidence(t, fs[0].Evidence.User, "(none: root)") }},
		{name: "user root", edit: func(cf *v1.ConfigFile) { cf.Config.User = "root" }, want: []string{"root-user"}},
		{name: "user 0:0", edit: func(cf *v1.ConfigFile) { cf.Config.User = "0:0" }, want: []string{"root-user"}},
		{name: "user 10001", edit: func(cf *v1.ConfigFile) { cf.Config.User = "10001" }},
		{name: "user 00", edit: func(cf *v1.ConfigFile) { cf.Config.User = "00:0" }, want: []string{"root-user"}},
		{name: "user named app", edit: func(cf *v1.ConfigFile) { cf.Config.User = "app" }},
		{name: "user named admin with uid 0", edit: func(cf *v1.ConfigFile) { cf.Config.User = "admin" }, extra: []layertest.Entry{
			layertest.File("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nadmin:x:0:0::/home/admin:/sbin/nologin\n"),
		}, want: []string{"duplicate-id", "root-user"}, check: func(t *testing.T, fs []Finding) {
			wantContains(t, fs[1].Evidence.Detail, "admin has uid 0")
		}},
		{name: "no healthcheck", edit: func(cf *v1.ConfigFile) { cf.Config.Healthcheck = nil }, want: []string{"no-healthcheck"}},
		{name: "healthcheck none", edit: func(cf *v1.ConfigFile) { cf.Config.Healthcheck = &v1.HealthConfig{Test: []string{"NONE"}} }, want: []string{"no-healthcheck"}},
		{name: "aws secret in env", edit: func(cf *v1.ConfigFile) {
			cf.Config.Env = append(cf.Config.Env, "AWS_SECRET_ACCESS_KEY="+secret)
		}, want: []string{"secret-in-config"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.EnvKey, "AWS_SECRET_ACCESS_KEY")
		}},
		{name: "low-entropy password in env by name", edit: func(cf *v1.ConfigFile) {
			cf.Config.Env = append(cf.Config.Env, "DB_PASSWORD=hunter22")
		}, want: []string{"secret-in-config"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.EnvKey, "DB_PASSWORD")
			if strings.Contains(fs[0].Evidence.Detail, "hunter22") {
				t.Errorf("secret in clear: %s", fs[0].Evidence.Detail)
			}
		}},
		{name: "placeholder password in env", edit: func(cf *v1.ConfigFile) {
			cf.Config.Env = append(cf.Config.Env, "DB_PASSWORD=changeme", "API_TOKEN=${TOKEN}", "SECRET_PATH=/run/secrets/x")
		}},
		{name: "secret in label", edit: func(cf *v1.ConfigFile) {
			cf.Config.Labels["deploy.token"] = "glpat-" + "Zx8Qm2Lp9Vk4Rt7Wn3Yb"
		}, want: []string{"secret-in-config"}, check: func(t *testing.T, fs []Finding) { wantEvidence(t, fs[0].Evidence.Label, "deploy.token") }},
		{name: "build argument in history", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN |2 NPM_TOKEN=s3cr3tvalue VERSION=1.2 /bin/sh -c npm ci # buildkit"})
		}, want: []string{"secret-in-config"}, check: func(t *testing.T, fs []Finding) {
			e := fs[0].Evidence
			if e.History == nil || *e.History != 5 {
				t.Errorf("history index %v", e.History)
			}
			if strings.Contains(e.Command, "s3cr3tvalue") || !strings.Contains(e.Command, "NPM_TOKEN=") {
				t.Errorf("command %q", e.Command)
			}
		}},
		{name: "classic ENV in history", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=" + secret, EmptyLayer: true})
		}, want: []string{"secret-in-config"}, check: func(t *testing.T, fs []Finding) {
			if strings.Contains(fs[0].Evidence.Command, secret[4:]) {
				t.Errorf("command %q", fs[0].Evidence.Command)
			}
		}},
		{name: "ADD of a URL", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "ADD https://example.com/tool.sh /usr/local/bin/ # buildkit"})
		}, want: []string{"add-instead-of-copy"}, check: func(t *testing.T, fs []Finding) {
			wantContains(t, fs[0].Evidence.Detail, "remote URL")
		}},
		{name: "ADD of an archive", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "ADD --chown=1000 vendor.tar.gz /opt/ # buildkit"})
		}, want: []string{"add-instead-of-copy"}, check: func(t *testing.T, fs []Finding) { wantContains(t, fs[0].Evidence.Detail, "archive") }},
		{name: "ADD of local files", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c #(nop) ADD file:0123abcd in /app/ "})
		}, want: []string{"add-instead-of-copy"}},
		{name: "FROM scratch and ADD rootfs", edit: func(cf *v1.ConfigFile) {
			cf.History[0] = v1.History{CreatedBy: "ADD alpine-minirootfs-3.20.0-x86_64.tar.gz / # buildkit"}
		}},
		{name: "ADD of a URL to / in the first layer", edit: func(cf *v1.ConfigFile) {
			cf.History[0] = v1.History{CreatedBy: "ADD https://example.com/rootfs.tar.gz / # buildkit"}
		}, want: []string{"add-instead-of-copy"}},
		{name: "curl piped into sh", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit"})
		}, want: []string{"curl-pipe-shell"}},
		{name: "classic RUN with build arguments", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "|1 VERSION=1.2.3 /bin/sh -c curl -fsSL https://get.example.com | sh"})
		}, want: []string{"curl-pipe-shell"}},
		{name: "curl with a bearer token", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN /bin/sh -c curl -H 'Authorization: Bearer glpat-Zx8Qm2Lp9Vk4Rt7Wn3Yb' https://x.example/i.sh | sh # buildkit"})
		}, want: []string{"curl-pipe-shell", "secret-in-config"}, check: func(t *testing.T, fs []Finding) {
			if strings.Contains(fs[0].Evidence.Command, "Zx8Qm2Lp9Vk4Rt7Wn3Yb") {
				t.Errorf("token in clear: %q", fs[0].Evidence.Command)
			}
		}},
		{name: "ADD of a URL with a password", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "ADD https://deploy:Zx8Qw3Lp9Rt2Vb7N@repo.example.com/app.tgz /opt/ # buildkit"})
		}, want: []string{"add-instead-of-copy", "secret-in-config"}, check: func(t *testing.T, fs []Finding) {
			if e := fs[0].Evidence; strings.Contains(e.Detail+e.Command, "Zx8Qw3Lp9Rt2Vb7N") {
				t.Errorf("password in clear: %+v", e)
			}
		}},
		{name: "yum update -y", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c yum update -y && yum clean all"})
		}, want: []string{"package-upgrade"}},
		{name: "dnf upgrade --refresh", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c dnf upgrade --refresh -y"})
		}, want: []string{"package-upgrade"}},
		{name: "apt-get with options upgrade", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c apt-get update && apt-get -o Dpkg::Options::=--force-confold upgrade -y"})
		}, want: []string{"package-upgrade"}},
		{name: "apt-get with options install", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c apt-get update && apt-get -o APT::Install-Recommends=0 install -y curl"})
		}},
		{name: "sh -c $(wget)", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: `/bin/sh -c sh -c "$(wget -qO- https://x.example/install)"`})
		}, want: []string{"curl-pipe-shell"}},
		{name: "curl to a file", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN /bin/sh -c curl -fsSLo /tmp/t.sh https://x.example/t.sh && sha256sum -c t.sha && sh /tmp/t.sh # buildkit"})
		}},
		{name: "apt-get upgrade", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get -y dist-upgrade # buildkit"})
		}, want: []string{"package-upgrade"}, check: func(t *testing.T, fs []Finding) { wantContains(t, fs[0].Evidence.Detail, "dist-upgrade") }},
		{name: "apk upgrade", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c apk upgrade --no-cache"})
		}, want: []string{"package-upgrade"}},
		{name: "yum update one package", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "/bin/sh -c yum update -y openssl && yum clean all"})
		}},
		{name: "apt-get update alone", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN /bin/sh -c apt-get update # buildkit"})
		}, want: []string{"update-alone"}},
		{name: "ssh and postgres exposed", edit: func(cf *v1.ConfigFile) {
			cf.Config.ExposedPorts = map[string]struct{}{"22/tcp": {}, "5432/tcp": {}, "8080/tcp": {}}
		}, want: []string{"sensitive-port", "sensitive-port"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.Port, "22/tcp")
			wantEvidence(t, fs[1].Evidence.Port, "5432/tcp")
		}},
		{name: "volume over /proc", edit: func(cf *v1.ConfigFile) {
			cf.Config.Volumes = map[string]struct{}{"/proc": {}, "/data": {}}
		}, want: []string{"sensitive-volume"}},
		{name: "setuid and setgid files", extra: []layertest.Entry{
			{Name: "usr/bin/su", Body: "\x7fELF", Mode: 0o4755},
			{Name: "usr/bin/wall", Body: "\x7fELF", Mode: 0o2755, GID: 5},
		}, want: []string{"setuid-file", "setuid-file"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.Path, "/usr/bin/su")
			wantContains(t, fs[0].Evidence.Detail, "setuid")
			wantContains(t, fs[1].Evidence.Detail, "setgid (gid 5)")
			if !strings.HasPrefix(fs[0].Evidence.Layer, "sha256:") {
				t.Errorf("layer %q", fs[0].Evidence.Layer)
			}
		}},
		{name: "setuid file removed by a later layer", extra: []layertest.Entry{
			{Name: "usr/bin/su", Body: "\x7fELF", Mode: 0o4755},
		}, want: []string{"setuid-file"}},
		{name: "world-writable", extra: []layertest.Entry{
			{Name: "srv/data", Type: tar.TypeDir, Mode: 0o777},
			{Name: "etc/app.conf", Body: "x=1", Mode: 0o666},
			{Name: "tmp/scratch", Body: "x", Mode: 0o666},
			{Name: "var/tmp", Type: tar.TypeDir, Mode: 0o1777},
		}, want: []string{"world-writable", "world-writable"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.Path, "/etc/app.conf")
			wantEvidence(t, fs[1].Evidence.Path, "/srv/data")
		}},
		{name: "apt lists and pip cache", extra: []layertest.Entry{
			layertest.File("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", strings.Repeat("p", 3000)),
			layertest.File("root/.cache/pip/http/a/b/c", strings.Repeat("w", 500)),
			layertest.File("var/cache/apt/archives/lock", ""),
		}, want: []string{"package-cache", "package-cache"}, check: func(t *testing.T, fs []Finding) {
			byPath := map[string]int64{}
			for _, f := range fs {
				byPath[f.Evidence.Path] = f.Evidence.Bytes
			}
			if byPath["/var/lib/apt/lists"] != 3000 || byPath["/root/.cache/pip"] != 500 {
				t.Errorf("caches %v", byPath)
			}
		}},
		{name: "sudo installed", extra: []layertest.Entry{{Name: "usr/bin/sudo", Body: "\x7fELF", Mode: 0o755}}, want: []string{"sudo"}},
		{name: "sudo used in the build", edit: func(cf *v1.ConfigFile) {
			cf.History = append(cf.History, v1.History{CreatedBy: "RUN /bin/sh -c sudo make install # buildkit"})
		}, want: []string{"sudo"}},
		{name: "shell in distroless", extra: []layertest.Entry{
			layertest.File("etc/os-release", "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"),
			{Name: "busybox/sh", Body: "\x7fELF", Mode: 0o755},
		}, want: []string{"shell-in-distroless"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.Path, "/busybox/sh")
		}},
		{name: "shell in a regular image", extra: []layertest.Entry{{Name: "bin/sh", Body: "\x7fELF", Mode: 0o755}}},
		{name: "old image", edit: func(cf *v1.ConfigFile) { cf.Created = v1.Time{Time: checkNow.AddDate(-2, 0, 0)} }, want: []string{"image-age"}},
		{name: "reproducible epoch date", edit: func(cf *v1.ConfigFile) { cf.Created = v1.Time{Time: time.Unix(0, 0)} }},
		{name: "latest tag", ref: "registry.example/app:latest", want: []string{"latest-tag"}},
		{name: "implied latest", ref: "registry.example/app", want: []string{"latest-tag"}},
		{name: "tag without digest", ref: "registry.example/app:1.2", want: []string{"tag-without-digest"}},
		{name: "digest", ref: "registry.example/app@sha256:" + strings.Repeat("b", 64)},
		{name: "private keys", extra: []layertest.Entry{
			layertest.File("root/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n"),
			layertest.File("etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n"),
			layertest.File("srv/tls/server.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"),
			layertest.File("srv/tls/chain.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
			layertest.File("usr/lib/python3.11/test/keycert.pem", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"),
		}, want: []string{"private-key-file", "private-key-file", "private-key-file"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.Path, "/etc/ssh/ssh_host_ed25519_key")
			wantEvidence(t, fs[1].Evidence.Path, "/root/.ssh/id_rsa")
			wantEvidence(t, fs[2].Evidence.Path, "/srv/tls/server.pem")
		}},
		{name: "empty root password", extra: []layertest.Entry{
			layertest.File("etc/shadow", "root::19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n"),
		}, want: []string{"empty-password"}, check: func(t *testing.T, fs []Finding) { wantEvidence(t, fs[0].Evidence.User, "root") }},
		{name: "stray files", extra: []layertest.Entry{
			layertest.File("app/.git/HEAD", "ref: refs/heads/main\n"),
			layertest.File("app/.git/objects/ab/cdef", "blob"),
			layertest.File("app/.main.go.swp", "swap"),
			layertest.File("app/.DS_Store", "meta"),
			layertest.File("app/gitignore.go", "package app"),
		}, want: []string{"stray-files", "stray-files", "stray-files"}, check: func(t *testing.T, fs []Finding) {
			wantEvidence(t, fs[0].Evidence.Path, "/app/.DS_Store")
			wantEvidence(t, fs[1].Evidence.Path, "/app/.git")
			wantContains(t, fs[1].Evidence.Detail, "2 files")
			wantEvidence(t, fs[2].Evidence.Path, "/app/.main.go.swp")
		}},
		{name: "duplicate uid", extra: []layertest.Entry{
			layertest.File("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/sbin/nologin\n"),
		}, want: []string{"duplicate-id"}, check: func(t *testing.T, fs []Finding) { wantContains(t, fs[0].Evidence.Detail, "uid 0: root, toor") }},
	}
	c := newTestChecker(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var extra [][]layertest.Entry
			if tc.extra != nil {
				extra = append(extra, tc.extra)
			}
			if tc.name == "setuid file removed by a later layer" {
				extra = append(extra, []layertest.Entry{layertest.Whiteout("usr/bin/su")}, []layertest.Entry{{Name: "usr/bin/passwd", Body: "\x7fELF", Mode: 0o4755}})
			}
			ref := tc.ref
			if ref == "" {
				ref = "registry.example/app:1.2@sha256:" + strings.Repeat("a", 64)
			}
			rep, err := c.Check(context.Background(), checkImage(t, tc.edit, extra...), ref)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.ID)
				if f.Title == "" || f.Remediation == "" || f.Rationale == "" || f.Reference == "" || f.Severity == result.SeverityUnknown {
					t.Errorf("%s: incomplete finding %+v", f.ID, f)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				for _, f := range rep.Findings {
					t.Logf("%s %+v", f.ID, f.Evidence)
				}
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if tc.name == "setuid file removed by a later layer" {
				wantEvidence(t, rep.Findings[0].Evidence.Path, "/usr/bin/passwd")
			}
			if tc.check != nil {
				tc.check(t, rep.Findings)
			}
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{secret[4:], "hunter22", "s3cr3tvalue", "Zx8Qm2Lp9Vk4Rt7Wn3Yb", "MIIE"} {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("report shows %q in clear", s)
				}
			}
		})
	}
}

func wantEvidence(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("evidence %q, want %q", got, want)
	}
}

func wantContains(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("evidence %q does not say %q", got, want)
	}
}

func TestCheckSelection(t *testing.T) {
	img := checkImage(t, func(cf *v1.ConfigFile) { cf.Config.User = ""; cf.Config.Healthcheck = nil })
	ctx := context.Background()

	rep, err := newTestChecker(t, WithoutChecks("root-user")).Check(ctx, img, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].ID != "no-healthcheck" {
		t.Errorf("without root-user: %+v", rep.Findings)
	}

	strict := RootUserCheck()
	strict.Severity = result.SeverityCritical
	rep, err = newTestChecker(t, WithChecks(strict, ImageAgeCheck(time.Hour))).Check(ctx, img, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 2 || rep.Findings[0].ID != "image-age" || rep.Findings[1].Severity != result.SeverityCritical {
		t.Errorf("configured checks: %+v", rep.Findings)
	}

	rep, err = newTestChecker(t, WithChecks(SensitivePortsCheck("8080"))).Check(ctx, img, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Evidence.Port != "8080/tcp" {
		t.Errorf("custom ports: %+v", rep.Findings)
	}

	// Declared distroless by the caller: the base image's /bin/sh counts.
	withSh := checkImage(t, nil, []layertest.Entry{{Name: "bin/sh", Body: "\x7fELF", Mode: 0o755}})
	rep, err = newTestChecker(t, WithChecks(ShellInDistrolessCheck(true))).Check(ctx, withSh, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || !strings.Contains(rep.Findings[0].Evidence.Detail, "caller") {
		t.Errorf("declared distroless: %+v", rep.Findings)
	}
}

func TestCheckerOptionErrors(t *testing.T) {
	for name, opts := range map[string][]Option{
		"unknown id":  {WithoutChecks("no-such-check")},
		"zero check":  {WithChecks(Check{ID: "mine"})},
		"duplicate":   {WithChecks(RootUserCheck(), RootUserCheck())},
		"nil scanner": {WithSecretScanner(nil)},
		"nil clock":   {WithClock(nil)},
	} {
		if _, err := New(opts...); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("%s: err %v, want result.ErrInvalidOption", name, err)
		}
	}
}

func TestDefaultChecksDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range DefaultChecks() {
		if seen[c.ID] {
			t.Errorf("%s twice", c.ID)
		}
		seen[c.ID] = true
		if c.Title == "" || c.Rationale == "" || c.Remediation == "" || c.Reference == "" || c.Severity == result.SeverityUnknown || c.run == nil {
			t.Errorf("%s is incomplete", c.ID)
		}
	}
	if len(seen) < 21 {
		t.Errorf("%d checks", len(seen))
	}
}

func TestHardeningEncoders(t *testing.T) {
	img := checkImage(t, func(cf *v1.ConfigFile) {
		cf.Config.User = ""
		cf.Config.Env = append(cf.Config.Env, "DB_PASSWORD=hunter22")
	}, []layertest.Entry{{Name: "usr/bin/su", Body: "\x7fELF", Mode: 0o4755}})
	rep, err := newTestChecker(t).Check(context.Background(), img, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatTable, FormatJSON, FormatSARIF} {
		var buf bytes.Buffer
		if err := Encode(&buf, rep, f); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"root-user", "secret-in-config", "setuid-file", "usr/bin/su"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q", f, want)
			}
		}
		if strings.Contains(out, "hunter22") {
			t.Errorf("%s output shows the secret", f)
		}
	}
	if max, ok := rep.MaxSeverity(); !ok || max != result.SeverityHigh {
		t.Errorf("max severity %v %v", max, ok)
	}
}
