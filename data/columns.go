package data

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
)

// firstColumns is how many columns each event file had when gitdora first
// wrote it: a file whose header is the current header cut after that many
// columns or more was written by an older gitdora, and stays readable
// with the columns it lacks empty (docs/data-branch.md).
var firstColumns = []struct {
	header *[]string
	n      int
}{
	{&DeploymentHeader, 13}, // up to source
	{&IncidentHeader, 10},   // up to title
}

// fitNew is the header a new event file starts with, and the record line
// (of the current header) cut to it: the columns of the first gitdora, and
// those added since up to the last the record fills, so that files keep
// the layout an older gitdora reads (and writes) until a record needs a
// newer column.
func fitNew(line []byte, header []string) ([]string, []byte, error) {
	n := len(header)
	for _, f := range firstColumns {
		if h := *f.header; len(h) == len(header) && &h[0] == &header[0] {
			n = f.n
		}
	}
	if n == len(header) {
		return header, line, nil
	}
	rec, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return nil, nil, err
	}
	for i := n; i < len(rec); i++ {
		if rec[i] != "" {
			n = i + 1
		}
	}
	if n >= len(rec) {
		return header, line, nil
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(rec[:n])
	w.Flush()
	return header[:n], b.Bytes(), w.Error()
}

// olderHeader reports whether got is the header of an older file of the
// event CSV whose current header is header: header cut short, keeping at
// least its first columns.
func olderHeader(got, header []string) bool {
	if len(got) >= len(header) || len(header) == 0 || !slices.Equal(got, header[:len(got)]) {
		return false
	}
	for _, f := range firstColumns {
		if h := *f.header; len(h) == len(header) && &h[0] == &header[0] {
			return len(got) >= f.n
		}
	}
	return false
}

// padded is rec with empty fields up to n.
func padded(rec []string, n int) []string {
	for len(rec) < n {
		rec = append(rec, "")
	}
	return rec
}

// fitOlder makes the encoded record line (of the current header) fit a
// file whose header, got, is an older one: when the columns the file lacks
// are empty in line, line is cut to the file's columns and the file stays
// as it was; otherwise the file is rewritten under the current header,
// its records padded with empty fields. It returns the file and the line
// to append to it.
func fitOlder(file, line []byte, got, header []string) ([]byte, []byte, error) {
	rec, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return nil, nil, err
	}
	extra := false
	for _, f := range rec[min(len(got), len(rec)):] {
		extra = extra || f != ""
	}
	if !extra {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(rec[:min(len(got), len(rec))])
		w.Flush()
		return file, b.Bytes(), w.Error()
	}
	r := csv.NewReader(bytes.NewReader(file))
	r.FieldsPerRecord = -1
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	first := true
	for {
		old, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		switch {
		case first:
			old, first = header, false
		case len(old) == len(got):
			old = padded(old, len(header))
		}
		w.Write(old)
	}
	w.Flush()
	return b.Bytes(), line, w.Error()
}
