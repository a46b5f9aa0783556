package collect

import (
	"strings"
	"testing"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

// The trunk is the remote's default branch, else the branch HEAD points
// at, else main.
func TestFindTrunk(t *testing.T) {
	up := gittest.New(t)
	up.Git("checkout", "-q", "-b", "trunk")
	sha := up.Commit(gittest.C{Msg: "one", Authored: "2026-01-01T09:00:00Z"})
	up.Branch("trunk", sha)

	clone := t.TempDir() + "/clone"
	if _, err := gittest.Run(up.Dir, nil, "", "clone", "-q", up.Dir, clone); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		if _, err := gittest.Run(clone, nil, "", args...); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what, wantName, wantFrom string) {
		t.Helper()
		if name, from := FindTrunk(clone); name != wantName || from != wantFrom {
			t.Errorf("%s: FindTrunk = %q from %q, want %q from %q", what, name, from, wantName, wantFrom)
		}
	}
	check("a clone", "trunk", TrunkFromRemote)
	run("checkout", "-q", "-b", "feature/x")
	check("another branch checked out", "trunk", TrunkFromRemote)
	run("remote", "set-head", "origin", "--delete")
	check("no origin/HEAD", "feature/x", TrunkFromHEAD)
	run("checkout", "-q", "--detach")
	check("detached HEAD", "main", TrunkFromDefault)
	if name, from := FindTrunk(t.TempDir()); name != "main" || from != TrunkFromDefault {
		t.Errorf("not a repository: FindTrunk = %q from %q, want main from %q", name, from, TrunkFromDefault)
	}
}

// Tools whose scans are all off the trunk are named, with their refs;
// when no scan at all is of the trunk, one warning says so.
func TestOffTrunkWarnings(t *testing.T) {
	scan := func(tool, ref string) fact.Scan { return fact.Scan{Tool: tool, Ref: ref} }
	for _, tc := range []struct {
		name  string
		scans []fact.Scan
		want  []string
	}{
		{"none", nil, nil},
		{"all on the trunk", []fact.Scan{scan("semgrep", "trunk"), scan("CodeQL", "trunk")}, nil},
		{"none on the trunk", []fact.Scan{scan("semgrep", "main"), scan("semgrep", "main"), scan("CodeQL", "pr/1")},
			[]string{`no scan is of the trunk "trunk" (the remote's default branch, origin/HEAD): the 3 scans are of refs main (2), pr/1 (1),`}},
		{"one tool off the trunk", []fact.Scan{scan("semgrep", "trunk"), scan("CodeQL", "pr/1"), scan("CodeQL", "pr/2")},
			[]string{`no scan of CodeQL is of the trunk "trunk" (the remote's default branch, origin/HEAD): its 2 scans are of refs pr/1 (1), pr/2 (1),`}},
	} {
		f := &fact.Facts{Scans: tc.scans, Trunk: "trunk", TrunkFrom: TrunkFromRemote}
		got := offTrunkWarnings(f)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %q, want %d warning(s)", tc.name, got, len(tc.want))
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tc.want[i]) || !strings.Contains(got[i], "--ref trunk") {
				t.Errorf("%s: %q\nwant it to start %q and say --ref trunk", tc.name, got[i], tc.want[i])
			}
		}
	}
}
