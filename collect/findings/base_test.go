package findings

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/fact"
)

// genResult is a result of genLog.
type genResult struct {
	rule, file, msg, fp string
	line                int
	suppressed          bool
}

// nightly is n results over 7 files, 3 rules and 5 messages, one a line
// apart in each file, in an order other than the sorted one.
func nightly(n int) []genResult {
	out := make([]genResult, n)
	for i := range out {
		k := (i * 37) % n
		out[i] = genResult{rule: fmt.Sprintf("R%d", k%3), file: fmt.Sprintf("src/f%d.c", k%7), line: 10 + k, msg: fmt.Sprintf("message %d of a template long enough to share its ends", k%5), fp: fmt.Sprintf("fp%04d", k)}
	}
	return out
}

// genLog is a SARIF log of tool with results rs.
func genLog(t testing.TB, tool string, rs []genResult) []byte {
	t.Helper()
	type m = map[string]any
	var results []any
	for _, r := range rs {
		x := m{"ruleId": r.rule, "message": m{"text": r.msg},
			"locations":           []any{m{"physicalLocation": m{"artifactLocation": m{"uri": r.file}, "region": m{"startLine": r.line}}}},
			"partialFingerprints": m{"k": r.fp}}
		if r.suppressed {
			x["suppressions"] = []any{m{"kind": "inSource"}}
		}
		results = append(results, x)
	}
	b, err := json.Marshal(m{"version": "2.1.0", "runs": []any{m{"tool": m{"driver": m{"name": tool,
		"rules": []any{m{"id": "R0", "properties": m{"tags": []any{"CWE-79"}}}, m{"id": "R1"}, m{"id": "R2"}}}}, "results": results}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runOf is the first run of the normalised findings of log.
func runOf(t testing.TB, log []byte) *Run {
	t.Helper()
	_, b := normalise(t, log, sarif.Options{})
	f, err := Decode(string(b))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return &f.Runs[0]
}

// sameFinding says how two findings differ, "" when they do not.
func sameFinding(a, b *fact.Finding) string {
	var diffs []string
	check := func(what string, x, y any) {
		if !equal(x, y) {
			diffs = append(diffs, fmt.Sprintf("%s %v / %v", what, x, y))
		}
	}
	check("tool", a.Tool, b.Tool)
	check("rule", a.RuleID, b.RuleID)
	check("severity", a.Severity, b.Severity)
	check("cwe", a.CWE, b.CWE)
	check("cwes", a.CWEs, b.CWEs)
	check("uri", a.URI, b.URI)
	check("line", a.Line, b.Line)
	check("fingerprint", a.Fingerprint(), b.Fingerprint())
	check("hash", a.ContentHash, b.ContentHash)
	check("message", a.Message(), b.Message())
	check("suppressed", a.Suppressed, b.Suppressed)
	check("absent", a.Absent, b.Absent)
	return strings.Join(diffs, ", ")
}

// A run read from the base of the night before gives the findings it
// gives read whole, and takes those of the lines it shares with the base
// from it rather than reading them again.
func TestSetFrom(t *testing.T) {
	const n = 200
	night := nightly(n)
	edit := func(f func(rs []genResult) []genResult) []genResult { return f(slices.Clone(night)) }
	cases := []struct {
		name      string
		tool      string
		rs        []genResult
		overrides map[string]string
		// whole: read whole, nothing taken from the base; else every
		// finding whose result line the base has (but for its step) is.
		whole bool
	}{
		{name: "the same results", rs: night},
		{name: "one result moved", rs: edit(func(rs []genResult) []genResult { rs[3].line += 1000; return rs })},
		{name: "one result suppressed", rs: edit(func(rs []genResult) []genResult { rs[5].suppressed = true; return rs })},
		{name: "results added", rs: edit(func(rs []genResult) []genResult {
			return append(rs, genResult{rule: "R1", file: "src/f2.c", line: 11, msg: night[0].msg, fp: "new1"}, genResult{rule: "R2", file: "src/f4.c", line: 10 + n, msg: night[1].msg, fp: "new2"})
		})},
		{name: "a file's results fixed, but one", rs: edit(func(rs []genResult) []genResult {
			return slices.DeleteFunc(rs, func(r genResult) bool { return r.file == "src/f3.c" && r.line != 10+3 })
		})},
		{name: "twenty results fixed in a row", rs: edit(func(rs []genResult) []genResult {
			return slices.DeleteFunc(rs, func(r genResult) bool { return r.file == "src/f1.c" && r.line < 10+7*20 })
		})},
		{name: "a message more", rs: edit(func(rs []genResult) []genResult { rs[0].msg = "a message of its own"; return rs })},
		{name: "a file more, before the others", rs: edit(func(rs []genResult) []genResult {
			return append(rs, genResult{rule: "R0", file: "src/a.c", line: 1, msg: night[2].msg, fp: "new"})
		})},
		{name: "a rule's results fixed", rs: edit(func(rs []genResult) []genResult {
			return slices.DeleteFunc(rs, func(r genResult) bool { return r.rule == "R0" })
		})},
		{name: "every result a line further", rs: edit(func(rs []genResult) []genResult {
			for i := range rs {
				rs[i].line++
			}
			return rs
		}), whole: true},
		{name: "another tool", tool: "other", rs: night, whole: true},
		{name: "other severity overrides", rs: night, overrides: map[string]string{"R1": "critical"}, whole: true},
	}
	base := runOf(t, genLog(t, "T", night))
	// A result line's fields after its step, its rows given by their
	// lines in the tables.
	contents := func(r *Run) []string {
		var out []string
		tables := map[string][]string{}
		for _, l := range strings.Split(r.body, "\n") {
			kw, rest, _ := strings.Cut(l, "\t")
			if kw != "r" {
				tables[kw] = append(tables[kw], l)
				continue
			}
			f := strings.Split(rest, "\t")
			row := func(kw, i string) string {
				k, err := strconv.Atoi(i)
				if err != nil || k >= len(tables[kw]) {
					t.Fatalf("row %s of %s in %q", i, kw, l)
				}
				return tables[kw][k]
			}
			out = append(out, strings.Join(append([]string{row("rule", f[1]), row("file", f[2]), f[3], row("message", f[4])}, f[5:]...), "|"))
		}
		return out
	}
	had := map[string]bool{}
	for _, c := range contents(base) {
		had[c] = true
	}
	_, b, err := base.SetFrom(nil, "T", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.gen != 0 || len(b.lines) != n {
		t.Fatalf("a run read whole: base of generation %d, %d lines; want 0, %d", b.gen, len(b.lines), n)
	}
	if least := len(base.body) + n*int(unsafe.Sizeof(fact.Finding{})); b.Size() < least {
		t.Errorf("a base of %d bytes of text and %d findings: size %d, want %d at least", len(base.body), n, b.Size(), least)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tool := c.tool
			if tool == "" {
				tool = "T"
			}
			run := runOf(t, genLog(t, "T", c.rs))
			want, err := run.SetOnce(tool, c.overrides, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, next, err := run.SetFrom(b, tool, c.overrides, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.List) != len(want.List) || got.Suppressed != want.Suppressed {
				t.Fatalf("%d findings (%d suppressed), want %d (%d)", len(got.List), got.Suppressed, len(want.List), want.Suppressed)
			}
			for i := range want.List {
				if d := sameFinding(&got.List[i], &want.List[i]); d != "" {
					t.Errorf("finding %d: %s", i, d)
				}
			}
			// Taken from the base: its texts are the base finding's own (its
			// fingerprint, never empty here, starts them).
			texts := map[*byte]bool{}
			for i := range b.list {
				texts[unsafe.StringData(b.list[i].Fingerprint())] = true
			}
			reused := 0
			for i := range got.List {
				if texts[unsafe.StringData(got.List[i].Fingerprint())] {
					reused++
				}
			}
			shared := 0
			if !c.whole {
				for _, c := range contents(run) {
					if had[c] {
						shared++
					}
				}
			}
			if reused != shared || !c.whole && reused < len(got.List)-3 {
				t.Errorf("%d findings taken from the base, want %d of %d", reused, shared, len(got.List))
			}
			if wantGen := min(shared, 1); next.gen != wantGen || len(next.lines) != len(got.List) {
				t.Errorf("its base: generation %d, %d lines; want %d, %d", next.gen, len(next.lines), wantGen, len(got.List))
			}
			// Its own base reads the same run again whole from it.
			again, _, err := run.SetFrom(next, tool, c.overrides, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want.List {
				if d := sameFinding(&again.List[i], &want.List[i]); d != "" {
					t.Errorf("read from its own base, finding %d: %s", i, d)
				}
			}
		})
	}
}

// A chain of bases is cut every maxBaseGen+1 runs: the run is read whole.
func TestSetFromGenerations(t *testing.T) {
	run := runOf(t, genLog(t, "T", nightly(20)))
	var b *Base
	for i := 0; i <= 2*(maxBaseGen+1); i++ {
		_, next, err := run.SetFrom(b, "T", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := i % (maxBaseGen + 1); next.gen != want {
			t.Fatalf("run %d: generation %d, want %d", i, next.gen, want)
		}
		b = next
	}
}

// A result line the base has is checked where it is as any other: a step
// out of the run or to a result given already fails as read whole.
func TestSetFromBadSteps(t *testing.T) {
	_, good := normalise(t, genLog(t, "T", nightly(5)), sarif.Options{})
	f, err := Decode(string(good))
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := f.Runs[0].SetFrom(nil, "T", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(good), "\n")
	var rs []int
	for i, l := range lines {
		if strings.HasPrefix(l, "r\t") {
			rs = append(rs, i)
		}
	}
	step := func(l, s string) string {
		fields := strings.SplitN(l, "\t", 3)
		return fields[0] + "\t" + s + "\t" + fields[2]
	}
	for _, c := range []struct {
		name string
		edit func(ls []string)
	}{
		{"a step out of the run", func(ls []string) { ls[rs[0]] = step(ls[rs[0]], "99") }},
		{"a step back before the first", func(ls []string) { ls[rs[0]] = step(ls[rs[0]], "-1") }},
		{"a result given twice", func(ls []string) { ls[rs[1]] = step(ls[rs[1]], "0") }},
		{"a step that is not a number", func(ls []string) { ls[rs[2]] = step(ls[rs[2]], "x") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ls := slices.Clone(lines)
			c.edit(ls)
			f, err := Decode(strings.Join(ls, "\n"))
			if err != nil {
				t.Fatal(err)
			}
			_, want := f.Runs[0].SetOnce("T", nil, nil)
			_, _, got := f.Runs[0].SetFrom(b, "T", nil, nil)
			if want == nil || got == nil || got.Error() != want.Error() {
				t.Errorf("read from the base: %v; read whole: %v", got, want)
			}
		})
	}
}
