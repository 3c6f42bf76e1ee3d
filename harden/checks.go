package harden

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Check is one hardening check. Its fields describe it and may be
// changed (a team that wants root-user to be critical sets Severity); what
// it looks for is fixed by the constructor that made it. Checks are plain
// values: there is no registry, a Checker runs the ones it is given.
type Check struct {
	// ID is stable across releases: policies and ignore lists name it.
	ID string
	// Title says in a line what the check finds.
	Title string
	// Severity is given to every finding of the check.
	Severity result.Severity
	// Rationale, Remediation and Reference explain the finding.
	Rationale   string
	Remediation string
	Reference   string

	wants wantSet
	run   func(*facts) []Finding
}

// DefaultChecks returns every check with its default settings, in id
// order. The image-age check allows images up to 365 days old.
func DefaultChecks() []Check {
	cs := []Check{
		RootUserCheck(),
		NoHealthcheckCheck(),
		SecretInConfigCheck(),
		AddInsteadOfCopyCheck(),
		CurlPipeShellCheck(),
		PackageUpgradeCheck(),
		UpdateAloneCheck(),
		SensitivePortsCheck(DefaultSensitivePorts()...),
		SensitiveVolumeCheck(),
		SetuidFileCheck(),
		WorldWritableCheck(),
		PackageCacheCheck(),
		SudoCheck(),
		ShellInDistrolessCheck(false),
		ImageAgeCheck(365 * 24 * time.Hour),
		LatestTagCheck(),
		TagWithoutDigestCheck(),
		PrivateKeyFileCheck(),
		EmptyPasswordCheck(),
		DuplicateIDCheck(),
		StrayFilesCheck(),
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	return cs
}

// RootUserCheck finds images whose configured user is root: no USER, or
// USER root or 0 (CIS Docker Benchmark 4.1).
func RootUserCheck() Check {
	return Check{
		ID: "root-user", Title: "Image runs as root", Severity: result.SeverityHigh,
		Rationale:   "A process that runs as root in the container is root on the host once it escapes the container, and may write anywhere in the container's filesystem.",
		Remediation: "Create an unprivileged user and switch to it with USER (by numeric id, so that runtimes can verify it is not root).",
		Reference:   "CIS Docker Benchmark 4.1",
		wants:       wantFiles,
		run: func(f *facts) []Finding {
			u := strings.TrimSpace(f.cfg.Config.User)
			user, _, _ := strings.Cut(u, ":")
			if uid, err := strconv.Atoi(user); user == "" || user == "root" || (err == nil && uid == 0) {
				shown := u
				if shown == "" {
					shown = "(none: root)"
				}
				return []Finding{{Evidence: Evidence{User: shown}}}
			}
			// A name is root when /etc/passwd gives it uid 0.
			for _, line := range strings.Split(string(f.files["etc/passwd"]), "\n") {
				fields := strings.Split(line, ":")
				if uid, err := strconv.Atoi(strings.TrimSpace(safeField(fields, 2))); len(fields) >= 3 && fields[0] == user && err == nil && uid == 0 {
					return []Finding{{Evidence: Evidence{User: u, Path: "/etc/passwd", Detail: user + " has uid 0"}}}
				}
			}
			return nil
		},
	}
}

// NoHealthcheckCheck finds images without a HEALTHCHECK, or with
// HEALTHCHECK NONE (CIS 4.6).
func NoHealthcheckCheck() Check {
	return Check{
		ID: "no-healthcheck", Title: "Image has no HEALTHCHECK", Severity: result.SeverityLow,
		Rationale:   "Without a health check the runtime cannot tell a hung container from a working one and will not replace it.",
		Remediation: "Add a HEALTHCHECK instruction that probes the service, or declare one in the orchestrator.",
		Reference:   "CIS Docker Benchmark 4.6",
		run: func(f *facts) []Finding {
			hc := f.cfg.Config.Healthcheck
			if hc == nil || len(hc.Test) == 0 {
				return []Finding{{}}
			}
			if strings.EqualFold(hc.Test[0], "NONE") {
				return []Finding{{Evidence: Evidence{Detail: "HEALTHCHECK NONE"}}}
			}
			return nil
		},
	}
}

// secretName matches names of variables that hold credentials.
var secretName = regexp.MustCompile(`(?i)(?:^|[_.-])(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth)(?:$|[_.-])`)

// SecretInConfigCheck finds credentials in the image config: environment
// variables, labels and build history (ENV lines and build arguments that
// BuildKit records in RUN steps), with the secrets engine and by the
// names of variables (CIS 4.10). Evidence never holds the value.
func SecretInConfigCheck() Check {
	return Check{
		ID: "secret-in-config", Title: "Credential in the image configuration", Severity: result.SeverityHigh,
		Rationale:   "Environment variables, labels and build history ship with the image and are shown by any 'docker inspect' or 'docker history'; a credential there is public to everyone who can pull the image.",
		Remediation: "Pass credentials at run time (secrets, mounted files) and use BuildKit secret mounts (RUN --mount=type=secret) instead of ARG or ENV during the build; rotate the exposed credential.",
		Reference:   "CIS Docker Benchmark 4.10",
		wants:       wantSecrets,
		run:         secretInConfig,
	}
}

func secretInConfig(f *facts) []Finding {
	var out []Finding
	// engine finds the first credential the secret rules match on one
	// line of a config part. elsewhere says a secrets pass of the same
	// walk found one there: the secrets report has it, once.
	engine := func(part, text string, line int) (col int, rule string, elsewhere bool) {
		if f.configSecrets != nil {
			return -1, "", f.configSecrets[part][line]
		}
		col = -1
		for _, fd := range f.secrets.ScanBytes(secrets.ConfigFile+"/"+part, []byte(text)) {
			if fd.Line == 1 && (col < 0 || fd.Column < col) {
				col, rule = fd.Column, fd.RuleID
			}
		}
		return col, rule, false
	}
	for i, e := range f.cfg.Config.Env {
		e = oneLine(e)
		k, v, _ := strings.Cut(e, "=")
		col, rule, elsewhere := engine("env", e, i+1)
		switch {
		case elsewhere:
		case col > 0:
			out = append(out, Finding{Evidence: Evidence{EnvKey: k, Detail: "value matches secret rule " + rule + ": " + mask(e, col-1)}})
		case secretName.MatchString(k) && suspiciousValue(v):
			out = append(out, Finding{Evidence: Evidence{EnvKey: k, Detail: "credential-named variable with a value: " + mask(e, len(k)+1)}})
		}
	}
	labels := make([]string, 0, len(f.cfg.Config.Labels))
	for k := range f.cfg.Config.Labels {
		labels = append(labels, k)
	}
	sort.Strings(labels)
	for i, k := range labels {
		line := oneLine(k + "=" + f.cfg.Config.Labels[k])
		col, rule, elsewhere := engine("labels", line, i+1)
		switch {
		case elsewhere:
		case col > 0:
			out = append(out, Finding{Evidence: Evidence{Label: k, Detail: "value matches secret rule " + rule + ": " + mask(line, col-1)}})
		case secretName.MatchString(k) && suspiciousValue(f.cfg.Config.Labels[k]):
			out = append(out, Finding{Evidence: Evidence{Label: k, Detail: "credential-named label with a value: " + mask(line, len(k)+1)}})
		}
	}
	for i, h := range f.cfg.History {
		cmd := oneLine(h.CreatedBy)
		col, rule, elsewhere := engine("history", cmd, i+1)
		if elsewhere {
			continue
		}
		if col > 0 {
			out = append(out, historyFinding(i, mask(cmd, col-1), "value matches secret rule "+rule))
			continue
		}
		for _, kv := range historyAssignments(cmd) {
			if secretName.MatchString(kv.key) && suspiciousValue(kv.value) {
				out = append(out, historyFinding(i, mask(cmd, kv.at), "credential-named "+kv.kind+" "+kv.key+" with a value"))
				break
			}
		}
	}
	return out
}

func historyFinding(i int, cmd, detail string) Finding {
	return Finding{Evidence: Evidence{History: &i, Command: cmd, Detail: detail}}
}

// suspiciousValue reports a value that may be a credential: not empty, not
// a path to a file holding it, not a reference or placeholder.
func suspiciousValue(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	if len(v) < 4 || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "none", "null", "yes", "no", "disabled", "enabled":
		return false
	}
	return !secrets.IsPlaceholder(v)
}

// mask returns s with everything from byte offset at on redacted.
func mask(s string, at int) string {
	if at < 0 || at > len(s) {
		at = len(s)
	}
	return s[:at] + secrets.Redact(s[at:])
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

type assignment struct {
	kind, key, value string
	at               int // byte offset of the value in the command
}

// historyAssignments finds the variables a history step sets: ENV and ARG
// instructions, and the build arguments BuildKit lists before a RUN
// command ("RUN |2 A=x B=y /bin/sh -c …").
func historyAssignments(cmd string) []assignment {
	kind, rest, off := instruction(cmd)
	var out []assignment
	switch kind {
	case "ENV", "ARG", "LABEL":
		// KEY=value pairs, or the old "ENV KEY value" form.
		fields := splitFieldsAt(rest, off)
		if len(fields) == 2 && !strings.Contains(fields[0].text, "=") && kind == "ENV" {
			return []assignment{{kind: kind, key: fields[0].text, value: fields[1].text, at: fields[1].at}}
		}
		for _, fl := range fields {
			if k, v, ok := strings.Cut(fl.text, "="); ok {
				out = append(out, assignment{kind: kind, key: k, value: v, at: fl.at + len(k) + 1})
			}
		}
	case "RUN":
		if !strings.HasPrefix(rest, "|") {
			return nil
		}
		fields := splitFieldsAt(rest, off)
		if len(fields) == 0 {
			return nil
		}
		n, err := strconv.Atoi(strings.TrimPrefix(fields[0].text, "|"))
		if err != nil {
			return nil
		}
		for _, fl := range fields[1:min(len(fields), n+1)] {
			if k, v, ok := strings.Cut(fl.text, "="); ok {
				out = append(out, assignment{kind: "build argument", key: k, value: v, at: fl.at + len(k) + 1})
			}
		}
	}
	return out
}

type field struct {
	text string
	at   int
}

// splitFieldsAt splits s at spaces, recording each field's offset plus off.
func splitFieldsAt(s string, off int) []field {
	var out []field
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '\t' {
			if start >= 0 {
				out = append(out, field{text: s[start:i], at: off + start})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

// instruction returns the Dockerfile instruction a history entry records
// and the text after it, with that text's offset in cmd. The classic
// builder writes "/bin/sh -c #(nop)  ENV …" for metadata steps and
// "/bin/sh -c …" for RUN; BuildKit writes "ENV …", "RUN /bin/sh -c … #
// buildkit", "ADD … # buildkit".
func instruction(cmd string) (kind, rest string, off int) {
	s := cmd
	trim := func(prefix string) bool {
		if strings.HasPrefix(s, prefix) {
			s = s[len(prefix):]
			return true
		}
		return false
	}
	skipSpace := func() {
		for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
			s = s[1:]
		}
	}
	skipSpace()
	if trim("/bin/sh -c ") {
		skipSpace()
		if !trim("#(nop)") {
			return "RUN", s, len(cmd) - len(s)
		}
		skipSpace()
	}
	word := s
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		word = s[:i]
	}
	if buildArgCount.MatchString(word) {
		// "|2 A=x B=y /bin/sh -c …": a RUN with build arguments (the
		// classic builder writes it without the RUN keyword).
		return "RUN", s, len(cmd) - len(s)
	}
	if len(word) < 2 || !instructionWord.MatchString(word) {
		// Not an instruction keyword: a plain command (Kaniko, Buildah and
		// other builders record RUN steps so).
		return "RUN", s, len(cmd) - len(s)
	}
	s = s[len(word):]
	skipSpace()
	return word, s, len(cmd) - len(s)
}

var (
	buildArgCount   = regexp.MustCompile(`^\|[0-9]+$`)
	instructionWord = regexp.MustCompile(`^[A-Z]+$`)
)

// runCommands yields the shell text of every RUN step in the history.
func runCommands(f *facts, fn func(i int, cmd string)) {
	for i, h := range f.cfg.History {
		cmd := oneLine(h.CreatedBy)
		if kind, rest, _ := instruction(cmd); kind == "RUN" {
			fn(i, strings.TrimSuffix(strings.TrimSpace(rest), "# buildkit"))
		}
	}
}

// redactedCommand is a history command safe to show: build-argument
// values, whatever the secrets engine finds, and the password of any URL
// are masked from where they start.
func (f *facts) redactedCommand(cmd string) string {
	cmd = oneLine(cmd)
	cut := len(cmd)
	if as := historyAssignments(cmd); len(as) > 0 && as[0].kind == "build argument" {
		cut = as[0].at
	}
	if f.secrets != nil {
		for _, fd := range f.secrets.ScanBytes(secrets.ConfigFile+"/history", []byte(cmd)) {
			if fd.Line == 1 && fd.Column > 0 && fd.Column-1 < cut {
				cut = fd.Column - 1
			}
		}
	}
	return maskURLPasswords(mask(cmd, cut))
}

var urlPassword = regexp.MustCompile(`(://[^\s:/@]*:)[^\s/@]+@`)

// maskURLPasswords masks the password part of user:password@ in URLs.
func maskURLPasswords(s string) string {
	return urlPassword.ReplaceAllString(s, "${1}****@")
}

var archiveExt = regexp.MustCompile(`(?i)\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$`)

// AddInsteadOfCopyCheck finds ADD steps in the history that fetch a URL or
// add local files where COPY would do; the ADD that lays down a base
// image's root filesystem is not reported (CIS 4.9).
func AddInsteadOfCopyCheck() Check {
	return Check{
		ID: "add-instead-of-copy", Title: "ADD used where COPY would do", Severity: result.SeverityLow,
		Rationale:   "ADD fetches remote URLs without verification and silently unpacks archives; COPY does only what it says.",
		Remediation: "Use COPY for local files; download with a pinned checksum (ADD --checksum, or curl and sha256sum) and unpack explicitly.",
		Reference:   "CIS Docker Benchmark 4.9",
		run: func(f *facts) []Finding {
			var out []Finding
			firstLayer := true
			for i, h := range f.cfg.History {
				cmd := oneLine(h.CreatedBy)
				kind, rest, _ := instruction(cmd)
				base := firstLayer
				if !h.EmptyLayer {
					firstLayer = false
				}
				if kind != "ADD" {
					continue
				}
				args := rest
				if i := strings.Index(args, " #"); i >= 0 {
					args = args[:i] // "# buildkit", or a builder's comment
				}
				src, dst := addSource(args)
				remote := strings.Contains(src, "://") || strings.HasPrefix(src, "git@")
				var detail string
				switch {
				case base && !remote && (dst == "/" || dst == "in /"):
					continue // FROM scratch + ADD rootfs: the base image's root filesystem
				case remote:
					detail = "fetches a remote URL: " + maskURLPasswords(src)
				case archiveExt.MatchString(src):
					detail = "unpacks an archive: " + src
				default:
					detail = "adds local files: " + src
				}
				idx := i
				out = append(out, Finding{Evidence: Evidence{History: &idx, Command: f.redactedCommand(cmd), Detail: detail}})
			}
			return out
		},
	}
}

// addSource returns the first source argument of an ADD, skipping flags,
// and its destination ("in /" for the classic builder's "file:… in /").
func addSource(args string) (src, dst string) {
	var rest []string
	for _, fl := range splitFieldsAt(args, 0) {
		if len(rest) == 0 && strings.HasPrefix(fl.text, "--") {
			continue
		}
		rest = append(rest, fl.text)
	}
	if len(rest) == 0 {
		return "", ""
	}
	dst = rest[len(rest)-1]
	if len(rest) >= 3 && rest[len(rest)-2] == "in" {
		dst = "in " + dst
	}
	return rest[0], dst
}

var pipeShell = regexp.MustCompile(`(?i)\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/usr)?(?:/bin/)?(?:ba|z|da|k|a)?sh\b|\b(?:ba|z|da)?sh\s+(?:-c\s+)?["']?\$\((?:curl|wget)\b|\b(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b`)

// CurlPipeShellCheck finds build steps that download a script and run it
// unread: curl … | sh, sh -c "$(curl …)".
func CurlPipeShellCheck() Check {
	return Check{
		ID: "curl-pipe-shell", Title: "Build runs a downloaded script unverified", Severity: result.SeverityMedium,
		Rationale:   "A script piped from the network into a shell runs whatever the server (or anyone on the path) sends that day; nothing pins or verifies it.",
		Remediation: "Download to a file, verify its checksum or signature, then run it; or install from a package repository with signed metadata.",
		Reference:   "Docker build best practices",
		run: func(f *facts) []Finding {
			var out []Finding
			runCommands(f, func(i int, cmd string) {
				if pipeShell.MatchString(cmd) {
					out = append(out, historyFinding(i, f.redactedCommand(f.cfg.History[i].CreatedBy), "downloaded script piped into a shell"))
				}
			})
			return out
		},
	}
}

var upgradeCmd = regexp.MustCompile(`\bapt-get\s+(?:(?:-o|-t|-c)\s+\S+\s+|-\S+\s+)*(?:dist-|full-)?upgrade\b|\bapt\s+(?:(?:-o|-t|-c)\s+\S+\s+|-\S+\s+)*(?:full-|dist-)?upgrade\b|\bapk\s+(?:-\S+\s+)*upgrade\b|\b(?:yum|dnf|microdnf)\s+(?:-\S+\s+)*(?:upgrade|update)(?:\s+-\S+)*\s*(?:$|&&|;|\|)|\bzypper\s+(?:-\S+\s+)*(?:up|update|dup|dist-upgrade)(?:\s+-\S+)*\s*(?:$|&&|;|\|)`)

// PackageUpgradeCheck finds whole-system package upgrades in the build:
// apt-get upgrade, dist-upgrade, apk upgrade, yum/dnf update.
func PackageUpgradeCheck() Check {
	return Check{
		ID: "package-upgrade", Title: "Build upgrades every package", Severity: result.SeverityLow,
		Rationale:   "An unpinned upgrade makes the image depend on the day it was built, hides what the base image really is, and can fail or half-apply inside an unprivileged build.",
		Remediation: "Rebuild on an updated base image instead, or upgrade the specific packages that need it with pinned versions.",
		Reference:   "Docker build best practices (apt-get)",
		run: func(f *facts) []Finding {
			var out []Finding
			runCommands(f, func(i int, cmd string) {
				if m := upgradeCmd.FindString(cmd); m != "" {
					out = append(out, historyFinding(i, f.redactedCommand(f.cfg.History[i].CreatedBy), strings.TrimRight(strings.TrimSpace(m), "&;| ")))
				}
			})
			return out
		},
	}
}

var (
	updateCmd  = regexp.MustCompile(`\b(?:apt-get|apt)\s+(?:(?:-o|-t|-c)\s+\S+\s+|-\S+\s+)*update\b|\bapk\s+(?:-\S+\s+)*update\b`)
	installCmd = regexp.MustCompile(`\b(?:apt-get|apt)\s+(?:(?:-o|-t|-c)\s+\S+\s+|-\S+\s+)*(?:install|upgrade|dist-upgrade|full-upgrade|build-dep)\b|\bapk\s+(?:-\S+\s+)*(?:add|upgrade)\b`)
)

// UpdateAloneCheck finds package index updates in a RUN step that
// installs nothing: the cached index goes stale in its own layer (CIS 4.7).
func UpdateAloneCheck() Check {
	return Check{
		ID: "update-alone", Title: "Package index updated in a step of its own", Severity: result.SeverityLow,
		Rationale:   "A RUN that only updates the index is cached on its own; later installs then use a stale index and miss security updates.",
		Remediation: "Update and install in one RUN: apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*.",
		Reference:   "CIS Docker Benchmark 4.7",
		run: func(f *facts) []Finding {
			var out []Finding
			runCommands(f, func(i int, cmd string) {
				if updateCmd.MatchString(cmd) && !installCmd.MatchString(cmd) {
					out = append(out, historyFinding(i, f.redactedCommand(f.cfg.History[i].CreatedBy), "index update without an install"))
				}
			})
			return out
		},
	}
}

// DefaultSensitivePorts returns the ports SensitivePortsCheck reports by
// default: remote shells and desktops, file sharing, container and
// cluster control planes, and databases and caches that are not meant
// to face a network.
func DefaultSensitivePorts() []string {
	return []string{
		"21", "22", "23", "111", "135", "139", "445", "1433", "1521", "2375", "2376", "2379", "3306", "3389",
		"5432", "5900", "5984", "6379", "9042", "9200", "9300", "10250", "11211", "27017",
	}
}

// SensitivePortsCheck finds exposed ports from the list (numbers, with or
// without /tcp or /udp).
func SensitivePortsCheck(ports ...string) Check {
	want := map[string]bool{}
	for _, p := range ports {
		want[strings.ToLower(p)] = true
	}
	return Check{
		ID: "sensitive-port", Title: "Sensitive port exposed", Severity: result.SeverityMedium,
		Rationale:   "SSH, Telnet, RDP, VNC, the Docker API and unauthenticated-by-default databases and caches invite attacks when a container is reachable.",
		Remediation: "Remove the EXPOSE, or reach the service through a private network or a sidecar; do not run remote-login daemons in containers.",
		Reference:   "CIS Docker Benchmark 5.8",
		run: func(f *facts) []Finding {
			ps := make([]string, 0, len(f.cfg.Config.ExposedPorts))
			for p := range f.cfg.Config.ExposedPorts {
				ps = append(ps, p)
			}
			sort.Strings(ps)
			var out []Finding
			for _, p := range ps {
				num, _, _ := strings.Cut(p, "/")
				if want[strings.ToLower(p)] || want[num] {
					out = append(out, Finding{Evidence: Evidence{Port: p}})
				}
			}
			return out
		},
	}
}

// SensitiveVolumeCheck finds VOLUME declarations over host-sensitive
// paths: /, /dev, /proc, /sys, /boot, /etc and the Docker socket.
func SensitiveVolumeCheck() Check {
	sensitive := map[string]bool{"/": true, "/dev": true, "/proc": true, "/sys": true, "/boot": true, "/etc": true,
		"/var/run/docker.sock": true, "/run/docker.sock": true, "/var/run": true, "/run": true}
	return Check{
		ID: "sensitive-volume", Title: "Volume declared over a sensitive path", Severity: result.SeverityMedium,
		Rationale:   "A volume at a system path invites mounting the host's copy there, which hands the container the host.",
		Remediation: "Declare volumes only for application data directories.",
		Reference:   "Dockle DKL-DI-0002",
		run: func(f *facts) []Finding {
			vs := make([]string, 0, len(f.cfg.Config.Volumes))
			for v := range f.cfg.Config.Volumes {
				vs = append(vs, v)
			}
			sort.Strings(vs)
			var out []Finding
			for _, v := range vs {
				if sensitive[path.Clean("/"+v)] {
					out = append(out, Finding{Evidence: Evidence{Path: v, Detail: "VOLUME " + v}})
				}
			}
			return out
		},
	}
}

// SetuidFileCheck lists setuid and setgid files of the final filesystem
// (CIS 4.8).
func SetuidFileCheck() Check {
	return Check{
		ID: "setuid-file", Title: "setuid or setgid file", Severity: result.SeverityLow,
		Rationale:   "setuid and setgid programs run with their owner's privileges; each is a way from a compromised process to root.",
		Remediation: "Remove the programs the container does not need, or strip the bits: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +.",
		Reference:   "CIS Docker Benchmark 4.8",
		wants:       wantView,
		run: func(f *facts) []Finding {
			var out []Finding
			f.walkView(func(h *layer.Header) {
				if !h.Mode.IsRegular() || h.Mode&(fs.ModeSetuid|fs.ModeSetgid) == 0 {
					return
				}
				var bits []string
				if h.Mode&fs.ModeSetuid != 0 {
					bits = append(bits, fmt.Sprintf("setuid (uid %d)", h.UID))
				}
				if h.Mode&fs.ModeSetgid != 0 {
					bits = append(bits, fmt.Sprintf("setgid (gid %d)", h.GID))
				}
				out = append(out, Finding{Evidence: Evidence{Path: "/" + h.Path, Layer: f.layer(h.Layer), Detail: strings.Join(bits, ", ")}})
			})
			return out
		},
	}
}

// worldWritableOK are the directories meant to be writable by everyone.
var worldWritableOK = []string{"tmp", "var/tmp", "dev/shm", "run/lock", "var/lock"}

// WorldWritableCheck lists world-writable files and directories outside
// the temporary directories.
func WorldWritableCheck() Check {
	return Check{
		ID: "world-writable", Title: "World-writable file or directory", Severity: result.SeverityMedium,
		Rationale:   "Any user in the container can change a world-writable file, or plant files in a world-writable directory, and so alter what other (privileged) processes run or read.",
		Remediation: "Remove write permission for others (chmod o-w), or move the data under a directory owned by the service's user.",
		Reference:   "CIS Distribution Independent Linux 6.1.10",
		wants:       wantView,
		run: func(f *facts) []Finding {
			var out []Finding
			f.walkView(func(h *layer.Header) {
				if h.Mode&fs.ModeSymlink != 0 || h.Mode&0o002 == 0 || !(h.Mode.IsRegular() || h.Mode.IsDir()) {
					return
				}
				for _, ok := range worldWritableOK {
					if h.Path == ok || strings.HasPrefix(h.Path, ok+"/") {
						return
					}
				}
				kind := "file"
				if h.Mode.IsDir() {
					kind = "directory"
				}
				out = append(out, Finding{Evidence: Evidence{Path: "/" + h.Path, Layer: f.layer(h.Layer), Detail: fmt.Sprintf("%s, mode %s", kind, h.Mode)}})
			})
			return out
		},
	}
}

// packageCaches are the directories package managers leave behind, by
// the path prefix (relative to the root) or the path segment they live at.
var packageCaches = []struct {
	name, prefix, segment string
	skip                  func(p string) bool
}{
	{name: "apt lists", prefix: "var/lib/apt/lists/", skip: func(p string) bool { return p == "var/lib/apt/lists/lock" }},
	{name: "apt cache", prefix: "var/cache/apt/"},
	{name: "apk cache", prefix: "var/cache/apk/"},
	{name: "yum cache", prefix: "var/cache/yum/"},
	{name: "dnf cache", prefix: "var/cache/dnf/"},
	{name: "pip cache", segment: ".cache/pip/"},
	{name: "npm cache", segment: ".npm/_cacache/"},
	{name: "yarn cache", segment: ".cache/yarn/"},
	{name: "Go build cache", segment: ".cache/go-build/"},
}

// PackageCacheCheck finds package-manager caches and indexes left in the
// final filesystem, with the bytes they take.
func PackageCacheCheck() Check {
	return Check{
		ID: "package-cache", Title: "Package manager cache left in the image", Severity: result.SeverityLow,
		Rationale:   "Caches and package lists add size to every pull and stale metadata to the image, and nothing at run time needs them.",
		Remediation: "Clean up in the same RUN that installs: rm -rf /var/lib/apt/lists/*, apk add --no-cache, pip install --no-cache-dir, npm cache clean --force.",
		Reference:   "Dockle DKL-DI-0004, DKL-DI-0005",
		wants:       wantView,
		run: func(f *facts) []Finding {
			type acc struct {
				files int
				bytes int64
				dirs  map[string]bool
			}
			found := make([]acc, len(packageCaches))
			f.walkView(func(h *layer.Header) {
				if !h.Mode.IsRegular() || h.Size == 0 {
					return // empty files: locks and markers cost nothing
				}
				for k, c := range packageCaches {
					root := ""
					switch {
					case c.prefix != "" && strings.HasPrefix(h.Path, c.prefix):
						root = c.prefix
					case c.segment != "":
						if i := strings.Index("/"+h.Path, "/"+c.segment); i >= 0 {
							root = h.Path[:i+len(c.segment)]
						}
					}
					if root == "" || (c.skip != nil && c.skip(h.Path)) {
						continue
					}
					a := &found[k]
					if a.dirs == nil {
						a.dirs = map[string]bool{}
					}
					a.files++
					a.bytes = addSize(a.bytes, h.Size)
					a.dirs["/"+strings.TrimSuffix(root, "/")] = true
					return
				}
			})
			var out []Finding
			for k, a := range found {
				if a.files == 0 {
					continue
				}
				dirs := make([]string, 0, len(a.dirs))
				for d := range a.dirs {
					dirs = append(dirs, d)
				}
				sort.Strings(dirs)
				out = append(out, Finding{
					Title:    packageCaches[k].name + " left in the image",
					Evidence: Evidence{Path: strings.Join(dirs, ", "), Bytes: a.bytes, Detail: fmt.Sprintf("%s: %d files, %s", packageCaches[k].name, a.files, humanBytes(a.bytes))},
				})
			}
			return out
		},
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

var sudoUse = regexp.MustCompile(`(?:^|[;&|(]\s*|\s)sudo\s`)

// SudoCheck finds sudo installed in the final filesystem, or used in the
// build.
func SudoCheck() Check {
	return Check{
		ID: "sudo", Title: "sudo installed or used", Severity: result.SeverityMedium,
		Rationale:   "sudo in a container is a ready path to root for any process that gets a shell, and its TTY and signal handling misbehave as PID 1's child.",
		Remediation: "Do the privileged steps as root during the build, then switch USER; use gosu or su-exec for entrypoints that must drop privileges.",
		Reference:   "Dockle DKL-DI-0001",
		wants:       wantView,
		run: func(f *facts) []Finding {
			var out []Finding
			for _, p := range []string{"usr/bin/sudo", "bin/sudo", "usr/sbin/sudo", "usr/local/bin/sudo"} {
				if f.view == nil {
					break
				}
				if h, ok := f.view.Lookup(p); ok && h.Mode.IsRegular() {
					out = append(out, Finding{Evidence: Evidence{Path: "/" + p, Layer: f.layer(h.Layer), Detail: "sudo installed"}})
				}
			}
			runCommands(f, func(i int, cmd string) {
				if sudoUse.MatchString(" " + cmd) {
					out = append(out, historyFinding(i, f.redactedCommand(f.cfg.History[i].CreatedBy), "sudo used in the build"))
				}
			})
			return out
		},
	}
}

// shells are the paths of shells and multi-call binaries that provide one.
var shells = []string{
	"bin/sh", "bin/bash", "bin/dash", "bin/ash", "bin/zsh", "bin/ksh", "bin/busybox",
	"usr/bin/sh", "usr/bin/bash", "usr/bin/dash", "usr/bin/zsh", "usr/bin/busybox", "busybox/sh", "busybox/busybox",
}

// ShellInDistrolessCheck finds shells in images declared distroless: by
// their os-release (distroless images say so in PRETTY_NAME or HOME_URL),
// by a base-image or title label naming distroless, or by the caller
// (declared true: every image checked is meant to be distroless).
func ShellInDistrolessCheck(declared bool) Check {
	return Check{
		ID: "shell-in-distroless", Title: "Shell in an image declared distroless", Severity: result.SeverityHigh,
		Rationale:   "A distroless image promises no shell or package manager: an attacker who gets code execution has no tools. A shell breaks that promise, often because a debug variant or a wrong base was shipped.",
		Remediation: "Build from the non-debug distroless base and copy in only the application; keep debugging shells in separate :debug images.",
		Reference:   "GoogleContainerTools distroless",
		wants:       wantView | wantFiles,
		run: func(f *facts) []Finding {
			why := distrolessDeclaration(f)
			if declared && why == "" {
				why = "declared by the caller"
			}
			if why == "" || f.view == nil {
				return nil
			}
			var out []Finding
			for _, p := range shells {
				h, ok := f.view.Lookup(p)
				if !ok || !(h.Mode.IsRegular() || h.Mode&fs.ModeSymlink != 0) {
					continue
				}
				if h.Mode&fs.ModeSymlink != 0 {
					if _, err := f.view.Resolve(p); err != nil {
						continue // a dangling link runs nothing
					}
				}
				out = append(out, Finding{Evidence: Evidence{Path: "/" + p, Layer: f.layer(h.Layer), Detail: "distroless " + why}})
			}
			return out
		},
	}
}

// distrolessDeclaration says how the image declares itself distroless, or
// returns "".
func distrolessDeclaration(f *facts) string {
	for _, p := range []string{"etc/os-release", "usr/lib/os-release"} {
		for _, line := range strings.Split(string(f.files[p]), "\n") {
			k, v, ok := strings.Cut(line, "=")
			if ok && (k == "PRETTY_NAME" || k == "HOME_URL" || k == "NAME") && strings.Contains(strings.ToLower(v), "distroless") {
				return "by /" + p + " (" + k + ")"
			}
		}
	}
	for _, k := range []string{"org.opencontainers.image.base.name", "org.opencontainers.image.title", "org.opencontainers.image.description"} {
		if strings.Contains(strings.ToLower(f.cfg.Config.Labels[k]), "distroless") {
			return "by label " + k
		}
	}
	return ""
}

// ImageAgeCheck finds images created longer ago than maxAge. Images with
// no creation time, or the Unix epoch that reproducible builds record,
// are not judged.
func ImageAgeCheck(maxAge time.Duration) Check {
	return Check{
		ID: "image-age", Title: "Image is old", Severity: result.SeverityLow,
		Rationale:   "An image not rebuilt for a long time carries every fix its base and packages received since, missing.",
		Remediation: "Rebuild regularly (scheduled CI) so that base-image and package updates land.",
		Reference:   "CIS Docker Benchmark 4.3",
		run: func(f *facts) []Finding {
			created := f.cfg.Created.Time
			if created.IsZero() || created.Unix() <= 0 {
				return nil
			}
			if age := f.now.Sub(created); age > maxAge {
				return []Finding{{Evidence: Evidence{Detail: fmt.Sprintf("created %s, %d days ago (limit %d days)",
					created.UTC().Format(time.RFC3339), int(age.Hours()/24), int(maxAge.Hours()/24))}}}
			}
			return nil
		},
	}
}

// LatestTagCheck finds images referenced by the latest tag, explicit or
// implied, without a digest.
func LatestTagCheck() Check {
	return Check{
		ID: "latest-tag", Title: "Image referenced by the latest tag", Severity: result.SeverityMedium,
		Rationale:   "latest names whatever was pushed last: builds and deployments stop being reproducible, and a compromised push is picked up silently.",
		Remediation: "Reference images by a version tag and digest (name:1.2.3@sha256:…).",
		Reference:   "Dockle DKL-DI-0006",
		run: func(f *facts) []Finding {
			tag, ok := tagOnly(f.ref)
			if ok && tag.TagStr() == "latest" {
				return []Finding{{Evidence: Evidence{Detail: "reference " + f.ref}}}
			}
			return nil
		},
	}
}

// TagWithoutDigestCheck finds images referenced by a tag other than latest
// and no digest.
func TagWithoutDigestCheck() Check {
	return Check{
		ID: "tag-without-digest", Title: "Image referenced by tag without digest", Severity: result.SeverityLow,
		Rationale:   "A tag can be moved to other content at any time; only a digest names exactly what was tested.",
		Remediation: "Pin the digest: name:1.2.3@sha256:….",
		Reference:   "SLSA, pinned dependencies",
		run: func(f *facts) []Finding {
			tag, ok := tagOnly(f.ref)
			if ok && tag.TagStr() != "latest" {
				return []Finding{{Evidence: Evidence{Detail: "reference " + f.ref}}}
			}
			return nil
		},
	}
}

// tagOnly parses a registry reference that names a tag and no digest.
func tagOnly(ref string) (name.Tag, bool) {
	if ref == "" || strings.Contains(ref, "@") {
		return name.Tag{}, false
	}
	t, err := name.NewTag(ref)
	return t, err == nil
}

// PrivateKeyFileCheck finds private keys at well-known places in the final
// filesystem: SSH identities and host keys, *.pem and *.key files whose
// content holds a PEM private key. Keys in test-suite directories (a
// path segment test, tests, testdata, fixtures, …: Python's own test
// suite ships a dozen) and under /usr/share/doc are fixtures, not
// credentials, and are not reported; the secrets scanner still sees them.
func PrivateKeyFileCheck() Check {
	return Check{
		ID: "private-key-file", Title: "Private key in the image", Severity: result.SeverityHigh,
		Rationale:   "A private key in an image is shared by every container started from it and readable by everyone who can pull it; SSH host keys baked in let anyone impersonate every such container.",
		Remediation: "Mount keys at run time from a secret store; generate host keys at first start; remove the file and rotate the key.",
		Reference:   "CIS Docker Benchmark 4.10",
		wants:       wantFiles,
		run: func(f *facts) []Finding {
			var paths []string
			for p, b := range f.files {
				if keyCandidate(p) && len(b) > 0 && !testData(p) {
					paths = append(paths, p)
				}
			}
			sort.Strings(paths)
			var out []Finding
			for _, p := range paths {
				var layer string
				if f.view != nil {
					if h, ok := f.view.Lookup(p); ok {
						layer = f.layer(h.Layer)
					}
				}
				out = append(out, Finding{Evidence: Evidence{Path: "/" + p, Layer: layer, Detail: "PEM private key"}})
			}
			return out
		},
	}
}

// EmptyPasswordCheck finds accounts in /etc/shadow (or /etc/passwd, where
// no shadow file exists) whose password field is empty: anyone may log
// in as them without one (CVE-2019-5021).
func EmptyPasswordCheck() Check {
	return Check{
		ID: "empty-password", Title: "Account with an empty password", Severity: result.SeverityHigh,
		Rationale:   "An empty password field lets any local user or service (su, login, PAM) become that account without a password.",
		Remediation: "Lock the account: passwd -l NAME, or put ! or * in its password field.",
		Reference:   "Dockle DKL-LI-0001, CVE-2019-5021",
		wants:       wantFiles,
		run: func(f *facts) []Finding {
			file := "etc/shadow"
			text, ok := f.files[file]
			if !ok {
				file = "etc/passwd"
				text = f.files[file]
			}
			var out []Finding
			for _, line := range strings.Split(string(text), "\n") {
				fields := strings.Split(line, ":")
				if len(fields) < 2 || fields[0] == "" || strings.HasPrefix(fields[0], "#") || strings.HasPrefix(fields[0], "+") {
					continue
				}
				if fields[1] == "" {
					out = append(out, Finding{Evidence: Evidence{Path: "/" + file, User: fields[0], Detail: "empty password field"}})
				}
			}
			return out
		},
	}
}

// DuplicateIDCheck finds user ids in /etc/passwd and group ids in
// /etc/group shared by several names.
func DuplicateIDCheck() Check {
	return Check{
		ID: "duplicate-id", Title: "User or group id shared by several names", Severity: result.SeverityLow,
		Rationale:   "Two names with one id are one account to the kernel: permissions granted to one, and audit trails, silently apply to the other.",
		Remediation: "Give every user and group its own id.",
		Reference:   "Dockle DKL-LI-0002",
		wants:       wantFiles,
		run: func(f *facts) []Finding {
			var out []Finding
			for _, file := range []string{"etc/passwd", "etc/group"} {
				names := map[string][]string{}
				var ids []string
				for _, line := range strings.Split(string(f.files[file]), "\n") {
					fields := strings.Split(line, ":")
					if len(fields) < 3 || fields[0] == "" || strings.HasPrefix(fields[0], "#") {
						continue
					}
					id := fields[2]
					if _, err := strconv.Atoi(id); err != nil {
						continue
					}
					if names[id] == nil {
						ids = append(ids, id)
					}
					names[id] = append(names[id], fields[0])
				}
				for _, id := range ids {
					if len(names[id]) > 1 {
						kind := "uid"
						if file == "etc/group" {
							kind = "gid"
						}
						out = append(out, Finding{Evidence: Evidence{Path: "/" + file, Detail: fmt.Sprintf("%s %s: %s", kind, id, strings.Join(names[id], ", "))}})
					}
				}
			}
			return out
		},
	}
}

// testData reports paths inside test suites and documentation.
func testData(p string) bool {
	if strings.HasPrefix(p, "usr/share/doc/") {
		return true
	}
	for _, seg := range strings.Split(path.Dir(p), "/") {
		switch seg {
		case "test", "tests", "testdata", "test-data", "testing", "fixtures", "__tests__", "spec", "specs":
			return true
		}
	}
	return false
}

// StrayFilesCheck finds files that only a build context leaks into an
// image: version-control directories (.git, .svn, .hg), editor swap and
// backup files, macOS and Windows folder metadata. A .git directory
// carries the whole history, credentials committed and removed included.
func StrayFilesCheck() Check {
	return Check{
		ID: "stray-files", Title: "Build-context leftovers in the image", Severity: result.SeverityLow,
		Rationale:   "Version-control directories carry the project's whole history (secrets once committed included) and editor or OS leftovers show a build context copied whole; none of it is needed at run time.",
		Remediation: "List them in .dockerignore (.git, *.swp, .DS_Store, …) and copy only what the image needs.",
		Reference:   "Dockle DKL-LI-0003",
		wants:       wantView,
		run: func(f *facts) []Finding {
			type acc struct {
				files int
				bytes int64
				layer int
			}
			found := map[string]*acc{}
			var order []string
			add := func(root string, h *layer.Header) {
				a := found[root]
				if a == nil {
					a = &acc{layer: h.Layer}
					found[root] = a
					order = append(order, root)
				}
				a.files++
				a.bytes = addSize(a.bytes, h.Size)
			}
			f.walkView(func(h *layer.Header) {
				if !h.Mode.IsRegular() {
					return
				}
				for _, vcs := range [...]string{".git", ".svn", ".hg"} {
					if i := strings.Index("/"+h.Path+"/", "/"+vcs+"/"); i >= 0 {
						add(h.Path[:i+len(vcs)], h)
						return
					}
				}
				base := path.Base(h.Path)
				switch {
				case base == ".DS_Store", base == "Thumbs.db", base == "desktop.ini",
					strings.HasPrefix(base, ".") && (strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swo")),
					strings.HasSuffix(base, ".orig"), strings.HasSuffix(base, ".rej"):
					add(h.Path, h)
				}
			})
			sort.Strings(order)
			var out []Finding
			for _, root := range order {
				a := found[root]
				out = append(out, Finding{Evidence: Evidence{Path: "/" + root, Layer: f.layer(a.layer), Bytes: a.bytes,
					Detail: fmt.Sprintf("%d files, %s", a.files, humanBytes(a.bytes))}})
			}
			return out
		},
	}
}

func safeField(fields []string, i int) string {
	if i < len(fields) {
		return fields[i]
	}
	return ""
}

// addSize adds a file's size to a total without overflowing: tar headers
// can claim sizes near the int64 limit.
func addSize(total, n int64) int64 {
	if n < 0 || total > math.MaxInt64-n {
		return math.MaxInt64
	}
	return total + n
}
