package collect

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/data"
)

// TestFindingTexts checks that findings give back the fingerprint and
// message of their result, however the message is coded against the
// first message of its class, over several batches.
func TestFindingTexts(t *testing.T) {
	long := strings.Repeat("x", 70000)
	msgs := []struct {
		rule, msg string
		coded     bool // want the message coded against its class's first
	}{
		{"A", "User-provided value 1 reaches a call at line 10 of this function.", false}, // first of A
		{"A", "User-provided value 1 reaches a call at line 10 of this function.", true},  // the same
		{"A", "User-provided value 23 reaches a call at line 4 of this function.", true},  // prefix and suffix
		{"A", "User-provided value that is quite different", true},                        // prefix only
		{"A", "Something else entirely, of this function.", true},                         // suffix only
		{"A", "short", false},
		{"A", "", false},
		{"B", "", false}, // first of B: empty
		{"B", "", false}, // nothing to share
		{"B", "not empty", false},
		{"C", "ab", false},
		{"C", "ab", true},
		{"C", "abc", false}, // shares 2 bytes: not worth it
		{"D", long, false},
		{"D", long, true},
		{"D", long[:69000] + "y" + long[:100], true},
	}
	var cs classes
	s := &Scan{ID: "s#0", Tool: "T"}
	var fs []Finding
	var want []sarif.Result
	for batch := 0; batch < 3; batch++ { // the same results again: classes keep their first message
		var rs []sarif.Result
		for i, m := range msgs {
			rs = append(rs, sarif.Result{RuleID: m.rule, Severity: "high", Fingerprint: m.rule + ":" + string(rune('a'+i)), URI: "f.go", Line: i, Message: m.msg})
		}
		want = append(want, rs...)
		fs = cs.add(fs, s, rs)
	}
	for i := range fs {
		x, w := &fs[i], &want[i]
		if x.Fingerprint() != w.Fingerprint || x.Message() != w.Message || x.RuleID != w.RuleID || x.ScanID != "s#0" || int(x.Line) != w.Line {
			t.Errorf("finding %d: fingerprint %q message %.40q, want %q %.40q", i, x.Fingerprint(), x.Message(), w.Fingerprint, w.Message)
		}
		m := msgs[i%len(msgs)]
		want := m.coded
		if i >= len(msgs) { // later batches code against the first messages of the first
			want = codable(m.rule, m.msg, msgs)
		}
		if coded := x.pre+x.suf > 0; coded != want {
			t.Errorf("finding %d (%.20q): coded %v (pre %d suf %d), want %v", i, m.msg, coded, x.pre, x.suf, want)
		}
	}
	if len(cs.by) != 4 {
		t.Errorf("%d classes, want 4 (one per rule)", len(cs.by))
	}

	// Random messages of one template, and random bytes.
	rng := rand.New(rand.NewPCG(1, 2))
	var rs []sarif.Result
	for i := 0; i < 2000; i++ {
		var m string
		switch rng.IntN(3) {
		case 0:
			m = "Value " + strings.Repeat("v", rng.IntN(30)) + " flows to a sink at line " + strings.Repeat("9", rng.IntN(5))
		case 1:
			b := make([]byte, rng.IntN(40))
			for j := range b {
				b[j] = "ab"[rng.IntN(2)]
			}
			m = string(b)
		default:
			m = strings.Repeat("ab", rng.IntN(20)) + "Value  flows to a sink at line "
		}
		rs = append(rs, sarif.Result{RuleID: "R", Fingerprint: "fp", Message: m})
	}
	var cs2 classes
	got := cs2.add(nil, s, rs)
	for i := range got {
		if got[i].Message() != rs[i].Message {
			t.Fatalf("random message %d: %q, want %q", i, got[i].Message(), rs[i].Message)
		}
	}
}

// codable reports whether msg would be coded against the first message
// of its rule in msgs.
func codable(rule, msg string, msgs []struct {
	rule, msg string
	coded     bool
}) bool {
	for _, m := range msgs {
		if m.rule == rule {
			pre, suf := shared(m.msg, msg)
			return pre+suf > 0
		}
	}
	return false
}

// TestNewFinding checks a finding made by hand.
func TestNewFinding(t *testing.T) {
	x := NewFinding(&Class{RuleID: "r"}, "fp:2", "a.go", 3, "found it")
	if x.Fingerprint() != "fp:2" || x.Message() != "found it" || x.URI != "a.go" || x.Line != 3 || x.RuleID != "r" {
		t.Errorf("%+v: fingerprint %q message %q", x, x.Fingerprint(), x.Message())
	}
}

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
	f := &Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: data.Default()}, f); err != nil {
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
		t.Error("want one Class per rule of a scan")
	}
}
