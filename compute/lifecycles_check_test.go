package compute

import (
	"fmt"
	"os"
	"testing"
)

// Every test of the package runs with the lifecycles checked after each
// observation: each open episode of a lifecycle is named by the identity
// key of its latest result, and each key names an open episode whose
// latest result has that key. Matching by identity, and closing an
// episode (which deletes its key), rely on it: two open episodes never
// share a key.
func TestMain(m *testing.M) {
	checkLifecycle = checkOpenKeys
	os.Exit(m.Run())
}

func checkOpenKeys(life [2]string, open map[uint64]int32, list []episode, out *episodes) {
	for k, ei := range open {
		e := &list[ei]
		if e.closed >= 0 {
			panic(fmt.Sprintf("lifecycle %q: key %x names episode %d, closed at observation %d", life, k, ei, e.closed))
		}
		if l := out.at(e.latest); key(l.RuleID, l.Fingerprint()) != k {
			panic(fmt.Sprintf("lifecycle %q: key %x names episode %d, whose latest result is %s %q", life, k, ei, l.RuleID, l.Fingerprint()))
		}
	}
	for ei := range list {
		e := &list[ei]
		if e.closed >= 0 {
			continue
		}
		if s := &out.f.Scans[e.latest.scan]; s.Tool != life[0] || lifecycleCategory(s.Category) != life[1] {
			continue // another lifecycle's
		}
		l := out.at(e.latest)
		if got, ok := open[key(l.RuleID, l.Fingerprint())]; !ok || got != int32(ei) {
			panic(fmt.Sprintf("lifecycle %q: open episode %d (%s %q) is not named by its key (%d, %v)", life, ei, l.RuleID, l.Fingerprint(), got, ok))
		}
	}
}

// The check fails where it should: a key naming a closed episode, and an
// open episode its key does not name.
func TestCheckOpenKeysFails(t *testing.T) {
	f := factsOf(t, scanOf{at: t1, log: sarifLog("T", result("a.c", 1, "a()"), result("b.c", 1, "b()"))})
	eps := lifecycles(f, "main")
	if len(eps.list) != 2 {
		t.Fatalf("%d episodes, want 2", len(eps.list))
	}
	l0, l1 := eps.at(eps.list[0].latest), eps.at(eps.list[1].latest)
	s := &f.Scans[eps.list[0].latest.scan]
	life := [2]string{s.Tool, lifecycleCategory(s.Category)}
	fails := func(open map[uint64]int32, list []episode) (failed bool) {
		defer func() { failed = recover() != nil }()
		checkOpenKeys(life, open, list, eps)
		return false
	}
	good := map[uint64]int32{key(l0.RuleID, l0.Fingerprint()): 0, key(l1.RuleID, l1.Fingerprint()): 1}
	if fails(good, eps.list) {
		t.Fatal("two open episodes, each named by its key: the check fails")
	}
	if !fails(map[uint64]int32{key(l0.RuleID, l0.Fingerprint()): 0}, eps.list) {
		t.Error("an open episode no key names: the check passes")
	}
	closed := append([]episode(nil), eps.list...)
	closed[1].closed = 0
	if !fails(good, closed) {
		t.Error("a key naming a closed episode: the check passes")
	}
	if !fails(map[uint64]int32{key(l0.RuleID, l0.Fingerprint()): 1, key(l1.RuleID, l1.Fingerprint()): 0}, eps.list) {
		t.Error("keys naming each other's episodes: the check passes")
	}
}
