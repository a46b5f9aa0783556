package sarifgen

import (
	"bytes"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect/sarif"
)

func TestWriteIsReadable(t *testing.T) {
	for _, dense := range []bool{false, true} {
		var b bytes.Buffer
		n, err := Write(&b, 200<<10, 1, dense)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		log, err := sarif.Read(&b, sarif.Options{}, func(r *sarif.Run) error { got += len(r.Results); return nil })
		if err != nil || got != n || n < 50 || len(log.Notes) != 0 {
			t.Fatalf("dense %v: %d results written, %d read, notes %v, err %v", dense, n, got, log.Notes, err)
		}
	}
}

// TestWriteAtTimesTheScan checks the invocation times a reader takes the
// scan's time and duration from.
func TestWriteAtTimesTheScan(t *testing.T) {
	end := time.Date(2024, 2, 29, 23, 59, 0, 0, time.UTC)
	var b bytes.Buffer
	if _, err := WriteAt(&b, 10<<10, 7, true, end); err != nil {
		t.Fatal(err)
	}
	var runs []*sarif.Run
	if _, err := sarif.Read(&b, sarif.Options{}, func(r *sarif.Run) error { runs = append(runs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || !runs[0].End.Equal(end) || !runs[0].Start.Equal(end.Add(-20*time.Minute)) {
		t.Fatalf("runs %d, start %v, end %v; want one run from %v to %v", len(runs), runs[0].Start, runs[0].End, end.Add(-20*time.Minute), end)
	}
}
