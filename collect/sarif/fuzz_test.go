package sarif

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead checks that no input makes the SARIF reader panic or hang, and
// that what it accepts is normalised: every result has a known level and
// severity, and identities are unique within a run.
func FuzzRead(f *testing.F) {
	f.Add([]byte(oneRun(`"tool":{"driver":{"name":"T","rules":[{"id":"R","defaultConfiguration":{"level":"error"},"properties":{"security-severity":"9.8","tags":["external/cwe/cwe-079"]}}]}},
		"originalUriBaseIds":{"SRC":{"uri":"file:///w/r/"}},"artifacts":[{"location":{"uri":"a.c","uriBaseId":"SRC"}}],
		"results":[{"ruleIndex":0,"locations":[{"physicalLocation":{"artifactLocation":{"index":0},"region":{"startLine":0,"snippet":{"text":"x"}}}}],
		"partialFingerprints":{"primaryLocationLineHash":"h"},"suppressions":[{"status":"accepted"}]},{"ruleId":"R","fingerprints":{"k":{"value":"v"}}}]`)))
	f.Add([]byte(`{"version":"2.1.0","runs":[{"results":42}]}`))
	f.Add([]byte(oneRun(`"results":[{"ruleId":"r","fingerprints":{"a":"x"}},{"ruleId":"r","fingerprints":{"a":"x"}},{"ruleId":"r","fingerprints":{"a":"x:2"}}]`)))
	f.Add([]byte("\xef\xbb\xbf{\"version\":\"2.0.0\",\"runs\":[{\"tool\":{\"name\":\"x\"}}]}"))
	if entries, err := os.ReadDir(corpusDir); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(corpusDir, e.Name())); err == nil && len(b) < 4<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		log, err := Read(bytes.NewReader(b), Options{Roots: []string{"/w/r"}}, func(r *Run) error {
			ids := map[[2]string]bool{}
			for _, x := range r.Results {
				if levelSeverity[x.Level] == "" {
					t.Fatalf("level %q", x.Level)
				}
				switch x.Severity {
				case "critical", "high", "medium", "low", "info":
				default:
					t.Fatalf("severity %q", x.Severity)
				}
				k := [2]string{x.RuleID, x.Fingerprint}
				if ids[k] {
					t.Fatalf("identity %q twice in one run", k)
				}
				ids[k] = true
			}
			n += len(r.Results)
			return nil
		})
		if err != nil {
			return
		}
		if log.Results != n {
			t.Fatalf("log says %d results, runs had %d", log.Results, n)
		}
		// Read again with almost nothing buffered: the second pass over the
		// input must give the same results.
		var ids []string
		_, err = Read(bytes.NewReader(b), Options{Roots: []string{"/w/r"}}, func(r *Run) error {
			for _, x := range r.Results {
				ids = append(ids, x.RuleID+"\x00"+x.Fingerprint+"\x00"+x.Severity+"\x00"+x.URI)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("second read: %v", err)
		}
		defer func(n int) { bufferResults = n }(bufferResults)
		bufferResults = 2
		got := map[string]int{}
		_, err = Read(bytes.NewReader(b), Options{
			Roots:  []string{"/w/r"},
			Reopen: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
			Results: func(r *Run, batch []Result) error {
				for _, x := range batch {
					got[x.RuleID+"\x00"+x.Fingerprint+"\x00"+x.Severity+"\x00"+x.URI]++
				}
				return nil
			},
		}, nil)
		if err != nil {
			t.Fatalf("read with a second pass: %v", err)
		}
		for _, id := range ids {
			got[id]--
		}
		for id, c := range got {
			if c != 0 {
				t.Fatalf("second pass: result %q off by %d", id, c)
			}
		}
	})
}
