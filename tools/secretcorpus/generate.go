package secretcorpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Names of what Generate writes into its directory.
const (
	TreeDir    = "tree"        // the tree to scan
	LabelsFile = "labels.json" // the labels, beside the tree
)

// Generate writes a corpus for seed into dir: the files into dir/tree and
// the labels into dir/labels.json. It returns the labels, whose paths are
// relative to dir/tree. dir is created if needed; dir/tree and
// dir/labels.json must not exist yet (ErrTreeExists).
func Generate(dir string, seed int64) (Labels, error) {
	tree := filepath.Join(dir, TreeDir)
	labelsPath := filepath.Join(dir, LabelsFile)
	for _, p := range []string{tree, labelsPath} {
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("secretcorpus: %s: %w", p, ErrTreeExists)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("secretcorpus: %w", err)
		}
	}
	files, labels, err := build(seed)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		p := filepath.Join(tree, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("secretcorpus: %w", err)
		}
		if err := os.WriteFile(p, f.bytes(), 0o644); err != nil {
			return nil, fmt.Errorf("secretcorpus: %w", err)
		}
	}
	out, err := os.Create(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("secretcorpus: %w", err)
	}
	if err := WriteLabels(out, seed, labels); err != nil {
		out.Close()
		return nil, err
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("secretcorpus: %w", err)
	}
	return labels, nil
}

// corpus is the state of one generation.
type corpus struct {
	r     rng
	files []*file
	paths map[string]bool
	// queue holds the single-line credentials still to be planted; file
	// templates take from it until it is empty.
	queue []credential
}

// build generates the files and labels of a corpus in memory.
func build(seed int64) ([]*file, Labels, error) {
	c := &corpus{r: newRNG(seed), paths: map[string]bool{}}
	for _, tf := range tokenFormats() {
		for range tf.count {
			c.queue = append(c.queue, tf.make(c.r))
		}
	}
	shuffle(c.r, c.queue)

	// Files with structure of their own: keys, dot files, Kubernetes
	// secrets, service-account files, and files that only hold negatives.
	if err := c.keyFiles(); err != nil {
		return nil, nil, err
	}
	if err := c.homeDirs(); err != nil {
		return nil, nil, err
	}
	if err := c.negativeFiles(); err != nil {
		return nil, nil, err
	}
	// Services: each a directory, somewhere in the tree, with a random
	// selection of configuration, deployment and source files, until every
	// queued credential has been planted.
	for i := 0; len(c.queue) > 0 || i < 12; i++ {
		if err := c.service(i); err != nil {
			return nil, nil, err
		}
	}

	sort.Slice(c.files, func(i, j int) bool { return c.files[i].path < c.files[j].path })
	var labels Labels
	for _, f := range c.files {
		for _, p := range f.plants {
			labels = append(labels, p.Label)
		}
	}
	sortLabels(labels)
	return c.files, labels, nil
}

// newFile starts a file at the given slash path, made unique if taken.
func (c *corpus) newFile(p string) *file {
	p = path.Clean(p)
	if c.paths[p] {
		ext := path.Ext(p)
		base := strings.TrimSuffix(p, ext)
		for i := 2; ; i++ {
			q := fmt.Sprintf("%s-%d%s", base, i, ext)
			if !c.paths[q] {
				p = q
				break
			}
		}
	}
	c.paths[p] = true
	f := &file{path: p}
	c.files = append(c.files, f)
	return f
}

// take removes up to n credentials from the queue.
func (c *corpus) take(n int) []credential {
	n = min(n, len(c.queue))
	out := c.queue[:n:n]
	c.queue = c.queue[n:]
	return out
}

// mix returns pos planted credentials (fewer if the queue runs out), neg
// hard negatives for a carrier of language lang and some plain settings,
// shuffled.
func (c *corpus) mix(pos, neg, plainN int, lang string) []credential {
	items := c.take(pos)
	items = append([]credential(nil), items...)
	for range neg {
		items = append(items, c.negative(lang))
	}
	for range plainN {
		items = append(items, credential{fields: []field{c.plainSetting()}})
	}
	shuffle(c.r, items)
	// One value per name in a file, as a real file would have it.
	seen := map[string]bool{}
	out := items[:0]
	for _, it := range items {
		k := it.fields[0].key
		if seen[k] && it.fields[0].format == "" && it.span == "" {
			continue
		}
		seen[k] = true
		out = append(out, it)
	}
	return out
}

// noExpr drops the expression fields of items, for carriers that can only
// hold strings.
func noExpr(items []credential) []credential {
	out := items[:0:0]
	for _, it := range items {
		if !it.fields[0].expr {
			out = append(out, it)
		}
	}
	return out
}

// serviceNames are the names of the made-up services.
func serviceNames() []string {
	return []string{
		"billing", "checkout", "auth", "gateway", "search", "notifications", "inventory", "ledger",
		"reporting", "identity", "catalog", "shipping", "payments", "analytics", "scheduler", "media",
		"profile", "recommendations", "fraud", "onboarding", "webhooks", "exports", "pricing", "support",
	}
}

// serviceRoot returns where service i lives; some roots are deep.
func (c *corpus) serviceRoot(i int) string {
	names := serviceNames()
	name := names[i%len(names)]
	if i >= len(names) {
		name += fmt.Sprintf("-v%d", i/len(names)+1)
	}
	r := c.r
	switch r.IntN(6) {
	case 0:
		return "services/" + name
	case 1:
		return "platform/" + r.word() + "-team/services/" + name
	case 2:
		return "apps/" + name
	case 3:
		return "legacy/" + fmt.Sprint(2015+r.IntN(8)) + "/" + name + "/src/main"
	case 4:
		return "monorepo/packages/" + name
	default:
		return "infra/environments/" + pick(r, []string{"prod", "staging", "dev"}) + "/" + pick(r, []string{"eu-west-1", "us-east-1", "ap-southeast-2"}) +
			"/clusters/" + r.word() + "/apps/" + name + "/overlays/" + pick(r, []string{"blue", "green", "canary"})
	}
}

// service writes the files of service i.
func (c *corpus) service(i int) error {
	root := c.serviceRoot(i)
	tmpls := c.templates()
	shuffle(c.r, tmpls)
	n := c.r.between(6, 10)
	for _, t := range tmpls[:n] {
		pos := c.r.between(0, t.maxPos)
		if c.r.chance(0.2) {
			pos = 0 // the same kinds of files, holding only negatives
		}
		if err := t.write(c, root, pos); err != nil {
			return fmt.Errorf("secretcorpus: %s: %w", t.name, err)
		}
	}
	// Every service has a test fixture and some code that talks about
	// secrets without holding any.
	c.testFixture(root)
	c.identifierCode(root)
	return nil
}
