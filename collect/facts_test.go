package collect

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// TestSharedStrings reads three scans that name the same files and rules:
// the two whose results are the same (their invocation times differ)
// share one set of findings; the third's findings share one copy of each
// URI and of each rule id with them, and the findings of one rule in one
// set share their Class.
func TestSharedStrings(t *testing.T) {
	log := func(i int, more string) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"2026-01-0` + string(rune('1'+i)) + `T10:00:00Z"}],"results":[
 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a.go"},"region":{"startLine":1}}}]},
 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"./src/a.go"},"region":{"startLine":2}}}]}` + more + `]}]}`)
	}
	files := map[string][]byte{}
	for i, more := range []string{"", "", `,{"ruleId":"Q","message":{"text":"n"}}`} {
		b := log(i, more)
		files[data.ScanFile(time.Date(2026, 1, 1+i, 10, 0, 0, 0, time.UTC), strings.Repeat(string(rune('a'+i)), 40), "t", b)] = b
	}
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Scans) != 3 || f.Scans[0].Results != 2 || f.Scans[2].Results != 3 {
		t.Fatalf("scans %+v", f.Scans)
	}
	if f.Scans[0].Set != f.Scans[1].Set || f.Scans[0].Set == f.Scans[2].Set {
		t.Error("want one set of findings for the two scans of the same results, another for the third")
	}
	a, b := &f.Scans[0].Findings()[0], &f.Scans[2].Findings()[0]
	if a.URI != "src/a.go" || unsafe.StringData(a.URI) != unsafe.StringData(b.URI) || unsafe.StringData(a.RuleID) != unsafe.StringData(b.RuleID) {
		t.Errorf("URI %q and rule id %q are copied between sets", a.URI, a.RuleID)
	}
	x := f.Scans[0].Findings()
	if x[0].Class != x[1].Class || x[0].Class == b.Class {
		t.Error("want one fact.Class per rule of a set")
	}
}
