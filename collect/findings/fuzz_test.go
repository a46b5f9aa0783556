package findings

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/fact"
)

// Normalised findings come from the data branch: whatever the bytes,
// Decode and Set return an error or findings that agree with the run's
// count lines, and never panic.
func FuzzDecode(f *testing.F) {
	_, b := normalise(f, []byte(oddLog), sarif.Options{})
	f.Add(b)
	f.Add([]byte("gitdora findings 1\nrun\t0\ncount\t1\t0\nrule\tR\tlow\t\t\nfile\t\nmessage\tm\nr\t1\t0\t0\t0\t0\t\tAAAAAAAAAAA\t-\n"))
	f.Add([]byte("gitdora findings 1\nnote\t2\t$.runs\tx\\ty\n"))
	f.Add([]byte("gitdora findings 9\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Read streaming, the findings made as they come.
		streamed, serr := DecodeReader(bytes.NewReader(b), int64(len(b)), "T", map[string]string{"R": "high"}, nil)
		file, err := Decode(string(b))
		if err == nil {
			// The headers count what the file does, and make no findings.
			h := file.Headers()
			for i := range h.Runs {
				hr, r := &h.Runs[i], &file.Runs[i]
				if hr.Count != r.Count || hr.Suppressed() != r.Suppressed() || hr.Tool != r.Tool || !hr.End.Equal(r.End) {
					t.Fatalf("run %d: headers %+v, file %+v", i, hr.Run, r.Run)
				}
				if _, e := hr.Set("T", nil, nil); e == nil {
					t.Fatalf("run %d: the headers' findings read", i)
				}
			}
		}
		var sets []*fact.FindingSet
		if err == nil {
			for i := range file.Runs {
				r := &file.Runs[i]
				set, e := r.Set("T", map[string]string{"R": "high"}, nil)
				if e != nil {
					err = e
					break
				}
				if len(set.List) != r.Count || set.Suppressed != r.Suppressed() {
					t.Fatalf("run %d: %d findings (%d suppressed), the count line says %d (%d)", i, len(set.List), set.Suppressed, r.Count, r.Suppressed())
				}
				sets = append(sets, set)
			}
		}
		if serr == nil && err != nil {
			t.Fatalf("read streaming, but not whole: %v", err)
		}
		if serr != nil && err == nil && !strings.Contains(serr.Error(), "more results than") {
			t.Fatalf("read whole, but not streaming: %v", serr)
		}
		if err != nil || serr != nil {
			return
		}
		for i, set := range sets {
			got, _ := streamed.Runs[i].Set("", nil, nil)
			if len(got.List) != len(set.List) || got.Suppressed != set.Suppressed || streamed.Runs[i].Key() != file.Runs[i].Key() && strings.HasSuffix(string(b), "\n") {
				t.Fatalf("run %d: streaming %d findings, whole %d", i, len(got.List), len(set.List))
			}
			for j := range set.List {
				x, y := &set.List[j], &got.List[j]
				if x.Fingerprint() != y.Fingerprint() || x.Message() != y.Message() || x.URI != y.URI || x.RuleID != y.RuleID || x.Severity != y.Severity || x.ContentHash != y.ContentHash {
					t.Fatalf("run %d finding %d: streaming %+v, whole %+v", i, j, *y, *x)
				}
			}
		}
	})
}

// Whatever SARIF ingest is given, its normalised form reads back as the
// findings the SARIF reader made of it, and is written the same way twice.
func FuzzRoundTrip(f *testing.F) {
	f.Add(oddLog)
	f.Add(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a","message":{"text":"m"}}]}]}`)
	if entries, err := os.ReadDir(corpusDir); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(corpusDir, e.Name())); err == nil && len(b) < 8<<10 {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var w Writer
		var runs []*sarif.Run
		log, err := sarif.Read(bytes.NewReader([]byte(doc)), sarif.Options{Limits: sarif.Limits{Bytes: 1 << 20}}, func(r *sarif.Run) error {
			runs = append(runs, r)
			return w.Run(r)
		})
		if err != nil {
			return
		}
		b := w.Bytes(log)
		file, err := Decode(string(b))
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if len(file.Runs) != len(runs) {
			t.Fatalf("%d runs, want %d", len(file.Runs), len(runs))
		}
		for i, r := range runs {
			set, err := file.Runs[i].Set(r.Tool, nil, nil)
			if err != nil {
				t.Fatalf("run %d: %v\n%s", i, err, b)
			}
			if len(set.List) != len(r.Results) {
				t.Fatalf("run %d: %d findings, want %d", i, len(set.List), len(r.Results))
			}
			for j := range r.Results {
				if d := same(&set.List[j], &r.Results[j], r.Tool); d != "" {
					t.Fatalf("run %d result %d: %s differ\n%s", i, j, d, b)
				}
			}
		}
	})
}

// Whatever two files of normalised findings hold, the second's first run
// read from the base of the first's gives what it gives read whole: the
// same findings, or the same error.
func FuzzSetFrom(f *testing.F) {
	_, night := normalise(f, genLog(f, "T", nightly(12)), sarif.Options{})
	moved := nightly(12)
	moved[2].line += 100
	moved[4].suppressed = true
	_, next := normalise(f, genLog(f, "T", moved), sarif.Options{})
	more := append(nightly(12), genResult{rule: "R1", file: "src/a.c", line: 1, msg: "a message of its own", fp: "x"})
	_, other := normalise(f, genLog(f, "T", more), sarif.Options{}) // tables of its own
	_, odd := normalise(f, []byte(oddLog), sarif.Options{})
	f.Add(night, other)
	f.Add(other, next)
	f.Add(night, next)
	f.Add(next, night)
	f.Add(night, night)
	f.Add(odd, odd)
	f.Add(night, odd)
	f.Fuzz(func(t *testing.T, a, b []byte) {
		overrides := map[string]string{"R1": "high"}
		fa, err := Decode(string(a))
		if err != nil || len(fa.Runs) == 0 {
			return
		}
		_, base, err := fa.Runs[0].SetFrom(nil, "T", overrides, nil)
		if err != nil {
			return
		}
		fb, err := Decode(string(b))
		if err != nil || len(fb.Runs) == 0 {
			return
		}
		want, werr := fb.Runs[0].SetOnce("T", overrides, nil)
		got, _, gerr := fb.Runs[0].SetFrom(base, "T", overrides, nil)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("read from the base: %v; read whole: %v", gerr, werr)
		}
		if werr != nil {
			return
		}
		if len(got.List) != len(want.List) || got.Suppressed != want.Suppressed {
			t.Fatalf("%d findings (%d suppressed), read whole %d (%d)", len(got.List), got.Suppressed, len(want.List), want.Suppressed)
		}
		for i := range want.List {
			if d := sameFinding(&got.List[i], &want.List[i]); d != "" {
				t.Fatalf("finding %d: %s", i, d)
			}
		}
	})
}
