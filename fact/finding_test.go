package fact

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// result is what a finding is made from: a SARIF result.
type result struct {
	RuleID, Fingerprint, Message string
	Line                         int
}

// addTexts appends the findings of rs to fs as collect does: one Class per
// rule (kept in by across batches), their texts packed by t, given in the
// order of order (indexes into rs; nil: in order).
func addTexts(t *Texts, by map[string]*Class, fs []Finding, rs []result, order []int) []Finding {
	start := len(fs)
	for _, r := range rs {
		c := by[r.RuleID]
		if c == nil {
			c = &Class{Tool: "T", RuleID: r.RuleID, Severity: SeverityHigh}
			by[r.RuleID] = c
		}
		fs = append(fs, Finding{Class: c, URI: "f.go", Line: int32(r.Line)})
	}
	if order == nil {
		for i := range rs {
			order = append(order, i)
		}
	}
	var fp, msg []byte // reused: Set copies them
	for _, i := range order {
		fp, msg = append(fp[:0], rs[i].Fingerprint...), append(msg[:0], rs[i].Message...)
		t.Set(&fs[start+i], fp, msg)
	}
	return fs
}

// TestFindingTexts checks that findings give back the fingerprint and
// message of their result, however the message is coded against the
// first message of its class, over several batches, whatever the order
// they are given their texts in.
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
		{"E", long + long + "z", false}, // a string of its own
		{"E", long + long + "z", true},
	}
	var b Texts
	by := map[string]*Class{}
	var fs []Finding
	var want []result
	for batch := 0; batch < 3; batch++ { // the same results again: classes keep their first message
		var rs []result
		for i, m := range msgs {
			rs = append(rs, result{RuleID: m.rule, Fingerprint: m.rule + ":" + string(rune('a'+i)), Line: i, Message: m.msg})
		}
		want = append(want, rs...)
		fs = addTexts(&b, by, fs, rs, nil)
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
	var b2, b3 Texts
	got := addTexts(&b2, map[string]*Class{}, nil, rs, nil)
	shuffled := addTexts(&b3, map[string]*Class{}, nil, rs, rng.Perm(len(rs)))
	check := func(what string, fs []Finding) {
		t.Helper()
		for i := range fs {
			if fs[i].Message() != rs[i].Message || fs[i].Fingerprint() != rs[i].Fingerprint || string(fs[i].AppendMessage([]byte("x"))) != "x"+rs[i].Message {
				t.Fatalf("random message %d%s: %q, want %q", i, what, fs[i].Message(), rs[i].Message)
			}
		}
	}
	check("", got)
	check(", texts given out of order", shuffled)
	b3.Pack(shuffled)
	check(", texts given out of order then packed", shuffled)
}

// TestPack checks that Pack lays the texts of findings out in their order
// and that nothing of them, their classes' first messages included, is
// left in the strings written before.
func TestPack(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var rs []result
	for i := 0; i < 3000; i++ {
		rule := string(rune('A' + rng.IntN(3)))
		rs = append(rs, result{RuleID: rule, Fingerprint: "fp" + strings.Repeat("f", rng.IntN(3)),
			Message: "Value " + strings.Repeat("v", rng.IntN(30)) + " flows to a sink in a function of some length at line " + strings.Repeat("9", rng.IntN(5))})
	}
	var b Texts
	by := map[string]*Class{}
	fs := addTexts(&b, by, nil, rs, rng.Perm(len(rs)))
	before := map[*byte]bool{}
	for i := range fs {
		before[unsafe.StringData(fs[i].text)] = true
	}
	b.Pack(fs)
	breaks := 0
	for i := range fs {
		if fs[i].Message() != rs[i].Message || fs[i].Fingerprint() != rs[i].Fingerprint {
			t.Fatalf("finding %d: %q %q, want %q %q", i, fs[i].Fingerprint(), fs[i].Message(), rs[i].Fingerprint, rs[i].Message)
		}
		if before[unsafe.StringData(fs[i].text)] {
			t.Fatalf("finding %d: its text was not moved", i)
		}
		if i > 0 && unsafe.Pointer(unsafe.StringData(fs[i].text)) != unsafe.Add(unsafe.Pointer(unsafe.StringData(fs[i-1].text)), len(fs[i-1].text)) {
			breaks++
		}
	}
	if breaks > 12 { // one for each new string, which grow up to a MB
		t.Errorf("the texts of %d findings do not follow the one before", breaks)
	}
	owns := map[*byte]bool{}
	for i := range fs {
		owns[unsafe.StringData(fs[i].text[fs[i].fpLen:])] = true
	}
	for rule, c := range by {
		if !owns[unsafe.StringData(c.first)] {
			t.Errorf("class %s: its first message %.30q is not a finding's own text", rule, c.first)
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

// A kept finding gives back what it was made from, its message whole
// (not coded against a class it no longer shares), with one class per
// tool, rule, severity and CWEs whichever set it came from, and one copy
// of each URI.
func TestKeeper(t *testing.T) {
	rs := []result{
		{"A", "fp1", "User-provided value 1 reaches a call at line 10 of this function.", 3},
		{"A", "fp2", "User-provided value 23 reaches a call at line 4 of this function.", 4},
		{"B", "", "other", 5},
	}
	var k Keeper
	var kept []Finding
	var from []Finding
	for range 2 { // two sets, with classes of their own
		var tx Texts
		fs := addTexts(&tx, map[string]*Class{}, nil, rs, nil)
		fs[0].Class.CWEs, fs[0].Class.CWE = []string{"CWE-79", "CWE-80"}, "CWE-79"
		classes := map[*Class]*Class{}
		for i := range fs {
			kept = append(kept, k.Keep(&fs[i], classes))
		}
		from = append(from, fs...)
	}
	for i, x := range kept {
		f := from[i]
		if x.Fingerprint() != f.Fingerprint() || x.Message() != f.Message() || x.URI != f.URI || x.Line != f.Line ||
			x.Tool != f.Tool || x.RuleID != f.RuleID || x.Severity != f.Severity || x.CWE != f.CWE || strings.Join(x.CWEs, " ") != strings.Join(f.CWEs, " ") {
			t.Errorf("kept %d: %+v (%q, %q), want %+v (%q, %q)", i, x, x.Fingerprint(), x.Message(), f, f.Fingerprint(), f.Message())
		}
		if x.Class == f.Class || x.pre != 0 || x.suf != 0 {
			t.Errorf("kept %d shares its class or codes its message", i)
		}
	}
	if kept[0].Class != kept[1].Class || kept[0].Class != kept[3].Class || kept[2].Class != kept[5].Class || kept[0].Class == kept[2].Class {
		t.Error("kept classes: want one per tool, rule, severity and CWEs")
	}
	if unsafe.StringData(kept[0].URI) != unsafe.StringData(kept[5].URI) {
		t.Error("kept URIs: want one copy")
	}
}
