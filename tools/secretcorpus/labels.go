package secretcorpus

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

// Label is one planted secret.
type Label struct {
	// File is the slash path of the file, relative to the tree root.
	File string `json:"file"`
	// Line is the 1-based line where the secret value begins; EndLine is the
	// line where it ends (the BEGIN and END lines of a PEM block, or the two
	// value lines of a credential made of an identifier and a secret).
	Line    int `json:"line"`
	EndLine int `json:"end_line"`
	// Format names the credential format: "github-pat", "aws-access-key",
	// "generic-password", "private-key-rsa", ...
	Format string `json:"format"`
	// Carrier names the file syntax or layout that holds the value:
	// "dotenv", "k8s-env" (name on the line above the value), "pem-file", ...
	Carrier string `json:"carrier"`
	// Note says anything else worth knowing about this instance.
	Note string `json:"note,omitempty"`
}

// Labels are the planted secrets of a corpus, sorted by file and line.
type Labels []Label

// labelsFile is the JSON document that holds the labels.
type labelsFile struct {
	SchemaVersion int    `json:"schema_version"`
	Seed          int64  `json:"seed"`
	Labels        Labels `json:"labels"`
}

// sortLabels orders labels by file, then line.
func sortLabels(ls Labels) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].File != ls[j].File {
			return ls[i].File < ls[j].File
		}
		return ls[i].Line < ls[j].Line
	})
}

// Formats returns the distinct formats of the labels, sorted.
func (ls Labels) Formats() []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range ls {
		if !seen[l.Format] {
			seen[l.Format] = true
			out = append(out, l.Format)
		}
	}
	sort.Strings(out)
	return out
}

// WriteLabels writes labels as an indented JSON document.
func WriteLabels(w io.Writer, seed int64, ls Labels) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(labelsFile{SchemaVersion: 1, Seed: seed, Labels: ls}); err != nil {
		return fmt.Errorf("secretcorpus: write labels: %w", err)
	}
	return nil
}

// ReadLabels reads a document written by [WriteLabels].
func ReadLabels(r io.Reader) (Labels, error) {
	var f labelsFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("secretcorpus: read labels: %w", err)
	}
	if f.SchemaVersion != 1 {
		return nil, fmt.Errorf("secretcorpus: read labels: unsupported schema_version %d", f.SchemaVersion)
	}
	for i, l := range f.Labels {
		if l.File == "" || l.Line < 1 || l.EndLine < l.Line {
			return nil, fmt.Errorf("secretcorpus: read labels: label %d (%s:%d-%d): %w", i, l.File, l.Line, l.EndLine, ErrBadLabel)
		}
	}
	return f.Labels, nil
}

// ReadLabelsFile reads the labels document at path.
func ReadLabelsFile(path string) (Labels, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secretcorpus: %w", err)
	}
	defer f.Close()
	ls, err := ReadLabels(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ls, nil
}
