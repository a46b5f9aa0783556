// Command genrepo writes a generated repository for benchmarks and manual
// checks: go run ./internal/cmd/genrepo -commits 100000 -releases 2000 -out /tmp/big
//
// It needs the git binary (git fast-import); -stream writes the
// fast-import stream to stdout instead.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gitdora/gitdora/internal/gen"
)

func main() {
	o := gen.DefaultOptions()
	flag.IntVar(&o.Commits, "commits", o.Commits, "commits to generate")
	flag.IntVar(&o.Releases, "releases", o.Releases, "release tags (v*)")
	flag.Uint64Var(&o.Seed, "seed", o.Seed, "seed (same seed, same repository)")
	flag.Float64Var(&o.PerDay, "per-day", o.PerDay, "commits a working day")
	flag.BoolVar(&o.Monorepo, "monorepo", o.Monorepo, "lay the files out as a monorepo (services/…, web/…, libs/…, docs, tools, infra)")
	start := flag.String("start", o.Start.Format(time.RFC3339), "time of the first commit (RFC 3339)")
	out := flag.String("out", "", "directory to create the repository in")
	stream := flag.Bool("stream", false, "write the fast-import stream to stdout")
	flag.Parse()
	t, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrepo: -start:", err)
		os.Exit(2)
	}
	o.Start = t
	m, err := gen.Generate(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrepo:", err)
		os.Exit(1)
	}
	if *stream {
		err = gen.WriteFastImport(os.Stdout, m)
	} else if *out == "" {
		err = fmt.Errorf("-out DIR or -stream is required")
	} else {
		err = gen.ImportWithGit(*out, m)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrepo:", err)
		os.Exit(1)
	}
	if *out != "" {
		first, last := m.Commits[0].Committer.When, m.Commits[len(m.Commits)-1].Committer.When
		fmt.Fprintf(os.Stderr, "genrepo: %d commits, %d tags, %s to %s in %s\n", len(m.Commits), len(m.Tags), first.Format("2006-01"), last.Format("2006-01"), *out)
	}
}
