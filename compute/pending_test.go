package compute

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// fakePending reads the findings of pending scans from sets it holds,
// each read a copy of its own, and can spoil every copy it gave.
type fakePending struct {
	sets  map[int32]*fact.FindingSet
	gave  []*fact.FindingSet
	reads int
}

func (p *fakePending) Read(scans []int32) iter.Seq[*fact.FindingSet] {
	return func(yield func(*fact.FindingSet) bool) {
		for _, i := range scans {
			var c *fact.FindingSet
			if s := p.sets[i]; s != nil {
				c = &fact.FindingSet{List: slices.Clone(s.List), Suppressed: s.Suppressed}
				p.gave = append(p.gave, c)
			}
			p.reads++
			if !yield(c) {
				return
			}
		}
	}
}

func (p *fakePending) Report() ([]string, []fact.Problem) { return nil, nil }

// spoil makes every finding it gave another: what still names one
// after the history is made shows it.
func (p *fakePending) spoil() {
	bad := fact.NewFinding(&fact.Class{Tool: "spoilt", RuleID: "spoilt", Severity: fact.SeverityCritical}, "spoilt", "spoilt.c", 99, "spoilt")
	for _, s := range p.gave {
		for i := range s.List {
			s.List[i] = bad
		}
	}
}

// pendingOf is f with the findings of every scan pending, keyed as
// collect keys them: scans that share a set share a key.
func pendingOf(f *fact.Facts) (*fact.Facts, *fakePending) {
	g := *f
	g.Scans = slices.Clone(f.Scans)
	p := &fakePending{sets: map[int32]*fact.FindingSet{}}
	keys := map[*fact.FindingSet]uint64{}
	for i := range g.Scans {
		s := &g.Scans[i]
		if s.Set == nil {
			continue
		}
		k, ok := keys[s.Set]
		if !ok {
			k = uint64(len(keys) + 1)
			keys[s.Set] = k
		}
		p.sets[int32(i)] = s.Set
		s.Set, s.Pending, s.SetKey = nil, true, k
	}
	g.Pending = p
	return &g, p
}

// Findings read one scan at a time as the lifecycles are made, and let
// go after, give the same episodes, figures and rows as findings read
// with the facts: with sets shared (night after night of the same
// findings: read once) or not, suppressed results, an incremental scan,
// a change and two tools interleaved. Once the history is made, nothing
// it shows comes from the findings it read.
func TestPendingFindingsChangeNothing(t *testing.T) {
	sup := `"suppressions":[{"kind":"inSource"}]`
	a, b, c := result("a.c", 1, "a()"), result("b.c", 2, "b()"), result("c.c", 3, "c()")
	same := sarifLog("T", a, b, result("s.c", 4, "s()", sup), result("t.c", 5, "t()", sup))
	changed := sarifLog("T", a, c, result("s.c", 4, "s()", sup))
	other := sarifLog("U", b, result("u.c", 6, "u()"))
	incr := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"artifacts":[{"location":{"uri":"b.c"}}],"results":[]}]}`
	var scans []scanOf
	day := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	for n := 0; n < 60; n++ {
		at := day.AddDate(0, 0, n).Format(time.RFC3339)
		log := same
		switch {
		case n >= 20 && n < 25 || n == 50:
			log = changed
		case n == 40:
			scans = append(scans, scanOf{at: day.AddDate(0, 0, n).Add(time.Hour).Format(time.RFC3339), log: incr, incremental: true})
		case n == 45:
			scans = append(scans, scanOf{at: at, log: sarifLog("U", b), ref: "pr"})
		}
		scans = append(scans, scanOf{at: at, log: log})
		if n%3 != 1 {
			scans = append(scans, scanOf{at: day.AddDate(0, 0, n).Add(30 * time.Minute).Format(time.RFC3339), log: other})
		}
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	months := []string{"2026-01", "2026-02", "2026-03"}
	figures := func(h *History) (out [][]byte) {
		for _, m := range months {
			month, x := h.Explained(mustMonth(t, m))
			j, err := json.Marshal(struct {
				M Month
				X *Explained
			}{month, x})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, j)
		}
		e, _ := json.Marshal(slices.Collect(func(yield func(Episode) bool) {
			for _, e := range h.Episodes() {
				if !yield(e) {
					return
				}
			}
		}))
		return append(out, e)
	}
	f := factsOf(t, scans...)
	for name, facts := range map[string]*fact.Facts{"own sets": f, "shared sets": shareSets(f)} {
		want := figures(NewHistory(facts, cfg, time.UTC))
		g, p := pendingOf(facts)
		h := NewHistory(g, cfg, time.UTC)
		p.spoil()
		got := figures(h)
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("%s, %d: pending findings give\n%s\nwant\n%s", name, i, got[i], want[i])
			}
		}
		if !bytes.Contains(want[1], []byte(`"suppressed":`)) || bytes.Contains(want[1], []byte(`"suppressed":0`)) {
			t.Errorf("%s: no suppressed results counted: the test shows nothing of them", name)
		}
		if len(p.gave) == 0 {
			t.Errorf("%s: no findings were read", name)
		}
		if name == "shared sets" && p.reads > 20 {
			t.Errorf("shared sets: %d sets read, want only those of changed nights", p.reads)
		}
	}
}
