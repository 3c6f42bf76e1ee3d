package secretcorpus_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/tools/secretcorpus"
)

// TestCorpusQuality scans generated labeled corpora (planted secrets in
// many file types, and hard negatives: placeholders, references, hashes,
// ciphertext, public keys, fixtures) and holds recall and precision to
// the goals: recall ≥ 0.97 with precision ≥ 0.98, through the secrets
// package's public API. bench/secrets-compare.sh
// scores gitleaks on the same corpus.
func TestCorpusQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans three corpora")
	}
	s, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []int64{1, 2, 3} {
		dir := t.TempDir()
		labels, err := secretcorpus.Generate(dir, seed)
		if err != nil {
			t.Fatal(err)
		}
		tree := filepath.Join(dir, "tree")
		root, err := os.OpenRoot(tree)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.ScanFS(context.Background(), root.FS(), tree)
		root.Close()
		if err != nil {
			t.Fatal(err)
		}
		var fs []secretcorpus.Finding
		for _, f := range rep.Findings {
			fs = append(fs, secretcorpus.Finding{File: f.File, Line: f.Line, EndLine: f.EndLine, RuleID: f.RuleID})
		}
		res := secretcorpus.Score(labels, fs)
		t.Logf("seed %d: recall %.3f (%d/%d), precision %.3f (%d false positives)", seed, res.Recall, res.TP, res.TP+res.FN, res.Precision, res.FP)
		if res.Recall < 0.97 || res.Precision < 0.98 {
			for _, m := range res.Misses {
				t.Logf("miss: %+v", m)
			}
			for _, fp := range res.FalsePositives {
				t.Logf("false positive: %+v", fp)
			}
			t.Errorf("seed %d: recall %.3f, precision %.3f; want ≥ 0.97 and ≥ 0.98", seed, res.Recall, res.Precision)
		}
	}
}
