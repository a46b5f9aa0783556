package render

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/render/rendertest"
)

// episodes.csv is what encoding/csv writes of every episode's fields:
// fixed, suppressed and open ones, texts that need quoting among them.
func TestWriteEpisodesCSV(t *testing.T) {
	f := rendertest.SyntheticFacts(6, 60, 3000)
	odd := []string{`rule,"quoted"`, " leading space", "two\nlines", `\.`}
	for i := range f.Scans {
		for j := range f.Scans[i].Set.List {
			if x := &f.Scans[i].Set.List[j]; j%7 == 0 {
				x.Class.RuleID = odd[(i+j)%len(odd)]
				x.Class.CWE = "CWE-79"
			}
		}
	}
	h := compute.NewHistory(f, config.Default(), time.UTC)
	var got bytes.Buffer
	if err := WriteEpisodesCSV(&got, h); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	w := csv.NewWriter(&want)
	w.Write(EpisodeHeader)
	states := map[string]int{}
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	for _, e := range h.Episodes() {
		line := ""
		if e.Line > 0 {
			line = strconv.Itoa(e.Line)
		}
		w.Write([]string{e.Tool, e.RuleID, e.Fingerprint, string(e.Severity), e.FirstSeen.Format(time.RFC3339Nano), at(e.FixedAt),
			e.State(), at(e.SuppressedAt), e.LastSeen.Format(time.RFC3339Nano), e.URI, line, e.CWE, e.Category, e.FirstScan, e.FixedScan})
		states[e.State()]++
	}
	w.Flush()
	if states["fixed"] == 0 || states["suppressed"] == 0 || states["open"] == 0 {
		t.Fatalf("episodes by state %v: want some of each", states)
	}
	if !bytes.Contains(got.Bytes(), []byte(`"rule,""quoted"""`)) || !bytes.Contains(got.Bytes(), []byte("\"two\nlines\"")) {
		t.Errorf("no episode of a rule that needs quoting")
	}
	if got.String() != want.String() {
		t.Errorf("episodes.csv is not what encoding/csv writes of the episodes:\n%.600s\nwant\n%.600s", got.String(), want.String())
	}
}
