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

// TestSharedStrings reads two scans that name the same files and rules:
// their findings share one copy of each URI and of each rule id, and the
// findings of one rule in one scan share their Class.
func TestSharedStrings(t *testing.T) {
	log := func(i int) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"2026-01-0` + string(rune('1'+i)) + `T10:00:00Z"}],"results":[
 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a.go"},"region":{"startLine":1}}}]},
 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"./src/a.go"},"region":{"startLine":2}}}]}]}]}`)
	}
	files := map[string][]byte{}
	for i := range 2 {
		b := log(i)
		files[data.ScanFile(time.Date(2026, 1, 1+i, 10, 0, 0, 0, time.UTC), strings.Repeat(string(rune('a'+i)), 40), "t", b)] = b
	}
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Findings) != 4 {
		t.Fatalf("%d findings", len(f.Findings))
	}
	a, b := &f.Findings[0], &f.Findings[2] // one of each scan
	if a.URI != "src/a.go" || unsafe.StringData(a.URI) != unsafe.StringData(b.URI) || unsafe.StringData(a.RuleID) != unsafe.StringData(b.RuleID) {
		t.Errorf("URI %q and rule id %q are copied between scans", a.URI, a.RuleID)
	}
	if f.Findings[0].Class != f.Findings[1].Class || f.Findings[0].Class == f.Findings[2].Class {
		t.Error("want one fact.Class per rule of a scan")
	}
}
