package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/scan"
)

// progressBar draws the walk's progress on stderr when it is a terminal,
// on one line it rewrites; elsewhere (CI logs, pipes) it stays silent.
// verbose adds a summary line at the end, terminal or not; quiet turns
// both off.
type progressBar struct {
	w       io.Writer
	tty     bool
	verbose bool
	start   time.Time
	last    layer.Progress
	drawn   bool
	// cache, when set, is the layer cache whose use the summary reports.
	cache *layercache.Cache
}

func newProgressBar(stderr io.Writer, quiet, verbose bool) *progressBar {
	p := &progressBar{w: stderr, verbose: verbose && !quiet, start: time.Now()}
	if f, ok := stderr.(*os.File); ok && !quiet {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// update is the layer.WithProgress callback (called one at a time).
func (p *progressBar) update(pr layer.Progress) {
	p.last = pr
	if !p.tty {
		return
	}
	const width = 24
	filled := 0
	if pr.Layers > 0 {
		filled = width * pr.LayersDone / pr.Layers
	}
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '.'
		if i < filled {
			bar[i] = '='
		}
	}
	fmt.Fprintf(p.w, "\r[%s] layers %d/%d  %s read  %s ", bar, pr.LayersDone, pr.Layers, mib(pr.Bytes), time.Since(p.start).Round(100*time.Millisecond))
	p.drawn = true
}

// build is the scan.WithBuildProgress callback: building a store from raw
// OSV data takes seconds to minutes the first time.
func (p *progressBar) build(b scan.BuildProgress) {
	if !p.tty {
		return
	}
	fmt.Fprintf(p.w, "\rbuilding the vulnerability store: %s, input %d/%d, %d records ", b.Step, b.Inputs, b.InputsTotal, b.Records)
	p.drawn = true
}

// clear removes the bar from the terminal.
func (p *progressBar) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// done clears the bar and, when verbose, says what was read.
func (p *progressBar) done() {
	p.clear()
	if p.verbose {
		fmt.Fprintf(p.w, "shipshape: %d layers, %s decompressed, in %s\n", p.last.Layers, mib(p.last.Bytes), time.Since(p.start).Round(time.Millisecond))
		if p.cache != nil {
			st := p.cache.Stats()
			fmt.Fprintf(p.w, "shipshape: layer cache %s: %d layers from the cache, %d stored, %d damaged records dropped\n", p.cache.Dir(), st.Hits, st.Stored, st.Damaged)
		}
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
