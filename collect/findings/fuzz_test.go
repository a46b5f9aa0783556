package findings

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
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
		file, err := Decode(b)
		if err != nil {
			return
		}
		for i := range file.Runs {
			r := &file.Runs[i]
			set, err := r.Set("T", map[string]string{"R": "high"}, nil)
			if err != nil {
				continue
			}
			if len(set.List) != r.Count || set.Suppressed != r.Suppressed() {
				t.Fatalf("run %d: %d findings (%d suppressed), the count line says %d (%d)", i, len(set.List), set.Suppressed, r.Count, r.Suppressed())
			}
			for j := range set.List {
				_ = set.List[j].Fingerprint() + set.List[j].Message()
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
		file, err := Decode(b)
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
