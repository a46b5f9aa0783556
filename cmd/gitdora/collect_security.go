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
	outs := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"scans.csv", func(w io.Writer) error { return collect.WriteScansCSV(w, f.Scans) }},
		{"findings.csv", func(w io.Writer) error { return collect.WriteFindingsCSV(w, f.Findings) }},
		{"episodes.csv", func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(compute.EpisodeHeader)
			var row []string
			for _, e := range h.Episodes() {
				row = e.AppendRow(row[:0])
				cw.Write(row)
			}
			cw.Flush()
			return cw.Error()
		}},
	}
	// One after another: writing them at once raises the peak memory of a
	// large history (each row's strings are garbage) for little time saved.
	for _, out := range outs {
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
