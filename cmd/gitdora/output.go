package main

import (
	"cmp"
	"os"
	"strings"

	"github.com/gitdora/gitdora/internal/outdir"
)

// outGuard is what an output folder (--out, --repo-dir) must leave alone:
// the repository (and so its work tree, which holds it), the data
// directory of --data (and anything in it), the --config file, and the
// inputs given (templates, a local ECharts).
func (g *Globals) outGuard(inputs ...outdir.Path) outdir.Guard {
	gd := outdir.Guard{Keep: []outdir.Path{{Path: cmp.Or(g.Repo, "."), What: "the repository (--repo)"}}}
	if g.Data != "" {
		p, _, _ := strings.Cut(g.Data, "#")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			gd.Within = append(gd.Within, outdir.Path{Path: p, What: "the data (--data)"})
		}
	}
	if g.Config != "" {
		gd.Keep = append(gd.Keep, outdir.Path{Path: g.Config, What: "the configuration (--config)"})
	}
	for _, in := range inputs {
		if in.Path != "" {
			gd.Keep = append(gd.Keep, in)
		}
	}
	return gd
}
