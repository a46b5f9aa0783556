package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
)

// writeSecurityFacts writes scans.csv, findings.csv and episodes.csv into
// dir for `gitdora collect`.
func writeSecurityFacts(dir string, h *compute.History) error {
	f := h.Facts
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"scans.csv", func(w io.Writer) error { return collect.WriteScansCSV(w, f.Scans) }},
		{"findings.csv", func(w io.Writer) error { return collect.WriteFindingsCSV(w, f.Findings) }},
		{"episodes.csv", func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(compute.EpisodeHeader)
			for _, e := range h.Episodes() {
				cw.Write(e.Row())
			}
			cw.Flush()
			return cw.Error()
		}},
	} {
		if err := writeFile(filepath.Join(dir, out.name), out.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes a file through a buffer (findings.csv of a large scan
// is not held in memory whole).
func writeFile(path string, write func(io.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(fh, 256<<10)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
