package data

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// Whatever the ids, a CSV written by encoding/csv (as gocsv writes event
// rows) passes mayRecord for each id, and scanIDs reads the ids back: the
// duplicate check never misses a recorded id.
func FuzzScanIDs(f *testing.F) {
	f.Add("d1\x00a,b\x00\"quoted\"\x00 space\x00multi\nline\x00x\r\ny")
	f.Fuzz(func(t *testing.T, joined string) {
		ids := slices.DeleteFunc(strings.Split(joined, "\x00"), func(s string) bool { return s == "" })
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(DeploymentHeader[:2])
		for _, id := range ids {
			w.Write([]string{id, "2026-01-01T00:00:00Z"})
		}
		w.Flush()
		var got []string
		scanIDs(buf.Bytes(), func(id string) bool { got = append(got, id); return true })
		// encoding/csv reads \r\n inside quotes back as \n.
		want := make([]string, len(ids))
		for i, id := range ids {
			want[i] = strings.ReplaceAll(id, "\r\n", "\n")
			if !mayRecord(buf.Bytes(), id) {
				t.Errorf("mayRecord(file, %q) = false:\n%s", id, buf.Bytes())
			}
		}
		if len(ids) > 0 && !slices.Equal(got, want) {
			t.Errorf("scanIDs = %q, want %q", got, want)
		}
	})
}

// mergeRows never panics, and a merge of two appends to one base keeps
// every row of both.
func FuzzMergeRows(f *testing.F) {
	h := "id,time\n"
	f.Add([]byte(h+"a,1\n"), []byte(h+"a,1\nb,2\n"), []byte(h+"a,1\nc,3\n"))
	f.Add([]byte(""), []byte(h+"\"x,\"\"y\",1\n"), []byte(h+"z,2"))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		out, err := mergeRows(base, ours, theirs)
		if err != nil {
			return
		}
		_, rows, err := splitRows(out)
		if err != nil {
			t.Fatalf("merged file does not parse: %v\n%s", err, out)
		}
		have := map[string]bool{}
		for _, r := range rows {
			have[r.id] = true
		}
		_, br, _ := splitRows(base)
		_, or, _ := splitRows(ours)
		_, tr, _ := splitRows(theirs)
		inBase := map[string]bool{}
		for _, r := range br {
			inBase[r.id] = true
		}
		for _, r := range append(or, tr...) {
			if !inBase[r.id] && !have[r.id] {
				t.Errorf("row %q added on one side was lost:\n%s", r.id, out)
			}
		}
	})
}

// A byte order mark is not a different header: a file saved by a
// spreadsheet on one clone merges with the same file appended to on
// another (readers take both for the same header).
func TestMergeRowsBOM(t *testing.T) {
	h := "id,time\n"
	out, err := mergeRows([]byte(h+"a,1\n"), []byte(bom+h+"a,1\nb,2\n"), []byte(h+"a,1\nc,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), h+"a,1\nc,3\nb,2\n"; got != want {
		t.Errorf("merged %q, want %q", got, want)
	}
}
