package collect

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// With StreamTrunk, the trunk's scans read from normalised findings are
// pending: no set, their counts from the count line, a key that is the
// same for the same findings; Facts.Pending reads each, in the order
// asked and again when asked again, as gathering them whole would, and
// reads the SARIF file of one whose findings cannot be read (saying so),
// or reports it. A scan read from its SARIF file has its findings.
func TestStreamTrunk(t *testing.T) {
	defer func(n int) { eagerContents = n }(eagerContents)
	eagerContents = 1 // these are few
	doc := func(day, v int) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"2026-01-` + strconv.Itoa(10+day) + `T10:00:00Z"}],"results":[
 {"ruleId":"R","message":{"text":"m` + strconv.Itoa(v) + `"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]},
 {"ruleId":"S","message":{"text":"n"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.go"}}}],"suppressions":[{"kind":"inSource"}]}]}]}`)
	}
	type stored struct {
		v         int // content
		norm, raw bool
		broken    bool // the normalised findings' body cannot be read
	}
	scans := []stored{
		{v: 1, norm: true, raw: true},
		{v: 1, norm: true},
		{v: 2, norm: true},
		{v: 3, norm: true, raw: true, broken: true},
		{v: 4, norm: true, broken: true},
		{v: 5, raw: true},
	}
	files := map[string][]byte{}
	for i, s := range scans {
		storeScan(t, files, i, time.Date(2026, 1, 10+i, 0, 0, 0, 0, time.UTC), doc(i, s.v), "main", s.raw, s.norm, s.broken)
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	ctx, cancel := context.WithCancel(context.Background())
	gather := func(stream bool) *fact.Facts {
		f := &fact.Facts{}
		o := Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg, TrunkFindingsOnly: true, StreamTrunk: stream, Ctx: ctx}
		if err := gatherSecurity(o, f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	whole, f := gather(false), gather(true)
	if len(f.Scans) != len(scans) || len(whole.Scans) != len(scans)-1 || f.Pending == nil || whole.Pending != nil {
		t.Fatalf("%d scans streamed (want %d), %d whole (want %d: one cannot be read), pending %v", len(f.Scans), len(scans), len(whole.Scans), len(scans)-1, f.Pending)
	}
	var order []int32
	for i, s := range f.Scans {
		want := scans[i].norm
		if s.Pending != want || (s.Set == nil) != want || s.SetKey == 0 || s.Results != 2 || s.Suppressed != 1 {
			t.Errorf("scan %d: pending %v (want %v), set %v, key %d, %d results (%d suppressed), want 2 (1)", i, s.Pending, want, s.Set != nil, s.SetKey, s.Results, s.Suppressed)
		}
		if s.Pending {
			order = append(order, int32(i))
		}
	}
	if k := f.Scans; k[0].SetKey != k[1].SetKey || k[1].SetKey == k[2].SetKey {
		t.Errorf("keys %d, %d, %d: want the first two the same, the third another", k[0].SetKey, k[1].SetKey, k[2].SetKey)
	}
	message := func(set *fact.FindingSet) string {
		if set == nil || len(set.List) != 2 || set.Suppressed != 1 {
			return "?"
		}
		return set.List[0].Message()
	}
	for range 2 {
		var got []string
		for set := range f.Pending.Read(order) {
			got = append(got, message(set))
		}
		if want := "m1 m1 m2 m3 ?"; strings.Join(got, " ") != want {
			t.Errorf("read %q, want %q", got, want)
		}
	}
	for range f.Pending.Read(order) {
		break // stops the readers
	}
	notes, problems := f.Pending.Report()
	if len(notes) != 1 || !strings.Contains(notes[0], "the SARIF file was read whole") || len(problems) != 1 || !strings.Contains(problems[0].Msg, "left out of finding lifecycles") {
		t.Errorf("notes %q, problems %v: want one of each", notes, problems)
	}
	if message(f.Scans[5].Set) != "m5" || message(whole.Scans[0].Set) != "m1" {
		t.Error("the scans read whole lack their findings")
	}

	// Once the run is cancelled, nothing more is read, and that is no
	// problem of the data's.
	cancel()
	for set := range f.Pending.Read(order) {
		if set != nil {
			t.Error("cancelled: findings read")
		}
	}
	if _, problems = f.Pending.Report(); len(problems) != 1 {
		t.Errorf("cancelled: problems %v", problems)
	}
	ctx = context.Background()

	// Few contents are read whole.
	eagerContents = 16
	if f := gather(true); f.Pending != nil || f.Scans[0].Pending || message(f.Scans[0].Set) != "m1" {
		t.Errorf("findings of %d contents left pending (%v, %v, %q)", len(scans)-1, f.Pending != nil, f.Scans[0].Pending, message(f.Scans[0].Set))
	}
}

// Read reads the findings of a content that comes back later in its
// order once, and keeps them until their last use, within keepFindings;
// a scan without a key reads its own.
func TestReuse(t *testing.T) {
	for _, tc := range []struct {
		name       string
		keys       []uint64
		results    int
		from, drop []int32
	}{
		{"all different", []uint64{1, 2, 3}, 10, []int32{-1, -1, -1}, []int32{0, 1, 2}},
		{"back to the first", []uint64{1, 2, 1, 3, 1}, 10, []int32{-1, -1, 0, -1, 0}, []int32{-1, 1, -1, 3, 0}},
		{"two coming back", []uint64{1, 2, 1, 2}, 10, []int32{-1, -1, 0, 1}, []int32{-1, -1, 0, 1}},
		{"no key", []uint64{0, 1, 0, 1}, 10, []int32{-1, -1, -1, 1}, []int32{0, -1, 2, 1}},
		{"no room", []uint64{1, 2, 1, 2}, keepFindings/2 + 1, []int32{-1, -1, 0, -1}, []int32{-1, 1, 0, 3}},
	} {
		f := &fact.Facts{}
		var order []int32
		for i, k := range tc.keys {
			f.Scans = append(f.Scans, fact.Scan{SetKey: k, Results: tc.results})
			order = append(order, int32(i))
		}
		from, drop := (&pendingSets{f: f}).reuse(order)
		if !slices.Equal(from, tc.from) || !slices.Equal(drop, tc.drop) {
			t.Errorf("%s: from %v, drop %v; want %v, %v", tc.name, from, drop, tc.from, tc.drop)
		}
	}
}

// In a plain data directory, a file of normalised findings rewritten
// between gathering and reading its findings (a hand edit during a run)
// is not read as the findings gathering counted: the scan is left out of
// the lifecycles, with a problem; the same bytes written again are read.
// So is a scan whose normalised findings turn out unreadable when its
// SARIF file, read instead, holds other findings than they counted.
func TestPendingFileChanged(t *testing.T) {
	defer func(n int) { eagerContents = n }(eagerContents)
	eagerContents = 1
	doc := func(day int, msg string) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"2026-01-` + strconv.Itoa(10+day) + `T10:00:00Z"}],"results":[
 {"ruleId":"R","message":{"text":"` + msg + `"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]}]}]}`)
	}
	files := map[string][]byte{}
	for i, msg := range []string{"one", "two", "three", "four"} {
		storeScan(t, files, i, time.Date(2026, 1, 10+i, 0, 0, 0, 0, time.UTC), doc(i, msg), "main", true, true, i == 3) // the fourth's body unreadable
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	store := plainStore(t, files)
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: store, Config: cfg, TrunkFindingsOnly: true, StreamTrunk: true}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Scans) != 4 || f.Pending == nil {
		t.Fatalf("%d scans, pending %v", len(f.Scans), f.Pending)
	}
	// The second scan's file now holds the third's findings; the first's
	// is written again as it was.
	var names []string
	for p := range files {
		if strings.HasSuffix(p, ".findings") {
			names = append(names, p)
		}
	}
	slices.Sort(names) // by day
	write := func(p string, b []byte) {
		if err := os.WriteFile(store.Where(p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(names[0], files[names[0]])
	write(names[1], files[names[2]])
	// The fourth's SARIF file, read instead of its unreadable normalised
	// findings, now holds two results.
	two := bytes.Replace(doc(3, "four"), []byte(`"results":[`), []byte(`"results":[{"ruleId":"S","message":{"text":"five"}},`), 1)
	write(strings.TrimSuffix(names[3], ".findings")+".sarif", two)
	var got []string
	for set := range f.Pending.Read([]int32{0, 1, 2, 3}) {
		if set == nil {
			got = append(got, "-")
		} else {
			got = append(got, set.List[0].Message())
		}
	}
	if want := "one - three -"; strings.Join(got, " ") != want {
		t.Errorf("read %q, want %q", got, want)
	}
	notes, problems := f.Pending.Report()
	if len(notes) != 0 || len(problems) != 2 || !strings.Contains(problems[0].Msg, "changed while they were read") || problems[0].File != store.Where(names[1]) ||
		!strings.Contains(problems[1].Msg, "the SARIF file holds other findings than they counted") {
		t.Errorf("notes %q, problems %v: want two problems, the first of %s", notes, problems, names[1])
	}
}

// The trunk's findings read one scan at a time, each from the base of the
// last read of its tool (a nightly log of two tools, a result moved each
// night), are those read whole, also when there are more tools than
// bases kept, or more bytes; the bases are let go once read.
func TestPendingFromBases(t *testing.T) {
	defer func(n, b, size int) { eagerContents, maxBases, maxBaseBytes = n, b, size }(eagerContents, maxBases, maxBaseBytes)
	eagerContents = 1
	doc := func(tool string, night int) []byte {
		var rs []string
		for k := range 40 {
			line := 10 + k
			if k == night%40 {
				line += 1000 // moved tonight
			}
			rs = append(rs, `{"ruleId":"R`+strconv.Itoa(k%3)+`","message":{"text":"message `+strconv.Itoa(k%4)+`"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"f`+strconv.Itoa(k%5)+`.go"},"region":{"startLine":`+strconv.Itoa(line)+`}}}]}`)
		}
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"` + tool + `"}},"results":[` + strings.Join(rs, ",") + `]}]}`)
	}
	files := map[string][]byte{}
	for night := range 12 {
		for k, tool := range []string{"T", "U"} {
			storeScan(t, files, 2*night+k, time.Date(2026, 1, 1+night, k, 0, 0, 0, time.UTC), doc(tool, night), "main", false, true, false)
		}
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	gather := func(stream bool) *fact.Facts {
		f := &fact.Facts{}
		o := Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg, TrunkFindingsOnly: true, StreamTrunk: stream, Ctx: context.Background()}
		if err := gatherSecurity(o, f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	whole := gather(false)
	for _, limit := range []struct{ bases, bytes int }{{64, 64 << 20}, {1, 64 << 20}, {64, 1}} {
		bases := limit.bases
		maxBases, maxBaseBytes = limit.bases, limit.bytes
		f := gather(true)
		if f.Pending == nil || len(f.Scans) != len(whole.Scans) {
			t.Fatalf("%d scans, %d read whole; pending %v", len(f.Scans), len(whole.Scans), f.Pending)
		}
		var order []int32
		for i := range f.Scans {
			order = append(order, int32(i))
		}
		i := 0
		for set := range f.Pending.Read(order) {
			want := whole.Scans[i].Set
			if set == nil || len(set.List) != len(want.List) {
				t.Fatalf("bases %d, scan %d: %v, want %d findings", bases, i, set, len(want.List))
			}
			for j := range want.List {
				x, y := &set.List[j], &want.List[j]
				if x.Tool != y.Tool || x.RuleID != y.RuleID || x.URI != y.URI || x.Line != y.Line || x.Message() != y.Message() || x.Fingerprint() != y.Fingerprint() || x.ContentHash != y.ContentHash {
					t.Fatalf("bases %d, scan %d, finding %d: %+v, read whole %+v", bases, i, j, *x, *y)
				}
			}
			i++
		}
		if p := f.Pending.(*pendingSets); p.bases != nil || p.baseBytes != 0 {
			t.Errorf("bases %d, %d bytes: %d bases of %d bytes kept once read", bases, limit.bytes, len(p.bases), p.baseBytes)
		}
	}
}
