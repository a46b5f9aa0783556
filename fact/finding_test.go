package fact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// result is what a batch of findings is made from: a SARIF result.
type result struct {
	RuleID, Fingerprint, Message string
	Line                         int
}

// addBatch appends the findings of rs to fs as collect does: one Class per
// rule (kept in by across batches), their texts packed by b.
func addBatch(b *Batch, by map[string]*Class, fs []Finding, rs []result) []Finding {
	b.Begin(fs)
	for _, r := range rs {
		c := by[r.RuleID]
		if c == nil {
			c = &Class{Tool: "T", RuleID: r.RuleID, Severity: SeverityHigh}
			by[r.RuleID] = c
		}
		fs = b.Add(fs, Finding{Class: c, URI: "f.go", Line: int32(r.Line)}, r.Fingerprint, r.Message)
	}
	b.End(fs)
	return fs
}

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
	var b Batch
	by := map[string]*Class{}
	var fs []Finding
	var want []result
	for batch := 0; batch < 3; batch++ { // the same results again: classes keep their first message
		var rs []result
		for i, m := range msgs {
			rs = append(rs, result{RuleID: m.rule, Fingerprint: m.rule + ":" + string(rune('a'+i)), Line: i, Message: m.msg})
		}
		want = append(want, rs...)
		fs = addBatch(&b, by, fs, rs)
	}
	for i := range fs {
		x, w := &fs[i], &want[i]
		if x.Fingerprint() != w.Fingerprint || x.Message() != w.Message || x.RuleID != w.RuleID || int(x.Line) != w.Line {
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

	// Random messages of one template, and random bytes.
	rng := rand.New(rand.NewPCG(1, 2))
	var rs []result
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
		rs = append(rs, result{RuleID: "R", Fingerprint: "fp", Message: m})
	}
	var b2 Batch
	got := addBatch(&b2, map[string]*Class{}, nil, rs)
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
