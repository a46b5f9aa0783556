package collect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/internal/git"
	"github.com/gitdora/gitdora/internal/gittest"
)

// A squash-merged pull request (docs/metrics.md, "Squash merges"): a
// branch of three commits on different days, squashed onto main, which
// moved on meanwhile, as "Add x (#7)". With refs/pull/7/head, the change
// starts at the head's first commit (its committer date with
// lead_time.start: committer); without it, at its own date, or at the
// first commit of an imported pull whose merge_sha it is; with both, the
// head wins; lead_time.squash: off uses its own date; a head its first
// parent already reaches adds nothing.
func TestSquashMergeStartsAtPullHead(t *testing.T) {
	r := gittest.New(t)
	m0 := r.Commit(gittest.C{Msg: "Start", Authored: "2026-03-01T09:00:00Z"})
	b1 := r.Commit(gittest.C{Msg: "x: model", Authored: "2026-03-02T09:00:00Z", Committed: "2026-03-02T15:00:00Z", Parents: []string{m0}})
	b2 := r.Commit(gittest.C{Msg: "x: view", Authored: "2026-03-03T09:00:00Z", Parents: []string{b1}})
	b3 := r.Commit(gittest.C{Msg: "x: tests", Authored: "2026-03-04T09:00:00Z", Parents: []string{b2}})
	m1 := r.Commit(gittest.C{Msg: "Other work (#6)", Authored: "2026-03-04T12:00:00Z", Parents: []string{m0}})
	// no blank line after the first: its subject (git's %s) runs on, and
	// its first line still names the pull request
	squash := r.Commit(gittest.C{Msg: "Add x (#7)\n* x: model\n* x: view\n* x: tests", Authored: "2026-03-05T09:00:00Z", Parents: []string{m1}})
	r.Branch("main", squash)
	deps := "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"d1,2026-03-01T10:00:00Z," + m0 + ",production,success,,,false,0,0,0,0,cli\n" +
		"d2,2026-03-05T10:00:00Z," + squash + ",production,success,,,false,0,0,0,0,cli\n"
	pull := "id,number,opened,ready,first_commit,first_review,approved,merged,merge_sha,head_sha,author,draft,source\n" +
		"gh-pull-77,7,2026-03-02T10:00:00Z,2026-03-02T10:00:00Z,2026-02-20T09:00:00Z,,,2026-03-05T09:00:00Z," + squash + "," + b3 + ",ada,false,github-pulls\n"
	type want struct {
		lead time.Duration
		by   string
	}
	for _, tc := range []struct {
		name     string
		head     string // what refs/pull/7/head points at; "" none
		pulls    bool
		yaml     string
		squash   want
		unsquash want // m1, whose pull #6 has no head
	}{
		{"the head", b3, false, "", want{73 * time.Hour, "refs/pull/7/head"}, want{22 * time.Hour, ""}},
		{"the head, packed", b3 + " packed", false, "", want{73 * time.Hour, "refs/pull/7/head"}, want{22 * time.Hour, ""}},
		{"no head", "", false, "", want{time.Hour, ""}, want{22 * time.Hour, ""}},
		{"an imported pull", "", true, "", want{(13*24 + 1) * time.Hour, "gh-pull-77"}, want{22 * time.Hour, ""}},
		{"the head over the pull", b3, true, "", want{73 * time.Hour, "refs/pull/7/head"}, want{22 * time.Hour, ""}},
		{"committer dates", b3, false, "lead_time: {start: committer}\n", want{67 * time.Hour, "refs/pull/7/head"}, want{22 * time.Hour, ""}},
		{"squash off", b3, true, "lead_time: {squash: off}\n", want{time.Hour, ""}, want{22 * time.Hour, ""}},
		{"a head main reaches", m0, true, "", want{(13*24 + 1) * time.Hour, "gh-pull-77"}, want{22 * time.Hour, ""}},
	} {
		if head, packed := strings.CutSuffix(tc.head, " packed"); head != "" {
			r.Git("update-ref", "refs/pull/7/head", head)
			if packed {
				r.Git("pack-refs", "--all")
			}
		} else {
			r.Git("update-ref", "-d", "refs/pull/7/head")
		}
		files := map[string]string{"events/deployments/2026-03.csv": deps}
		if tc.pulls {
			files["events/pulls/2026-03.csv"] = pull
		}
		dir := t.TempDir()
		gittest.WriteFiles(t, dir, files)
		f := gather(t, r.Dir, dir, tc.yaml, time.UTC)
		got := map[string]want{}
		for _, c := range f.Changes {
			got[c.SHA] = want{c.LeadTime, c.StartedBy}
		}
		if got[squash] != tc.squash || got[m1] != tc.unsquash {
			t.Errorf("%s: the squash merge %v, the other change %v; want %v and %v", tc.name, got[squash], got[m1], tc.squash, tc.unsquash)
		}
		if len(f.Problems) > 0 {
			t.Errorf("%s: problems %v", tc.name, f.Problems)
		}
	}
}

// A head that cannot be read (its history is missing) is a problem, not
// an error: the change takes the start it would have without the head.
// Subjects that name no pull request look for no head.
func TestSquashHeadUnreadable(t *testing.T) {
	h := newFakeHistory()
	const ada = "Ada <ada@example.com>"
	c1 := h.commit("one", ada, "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z")
	gone := git.HashObject(git.CommitObject, []byte("not in the history"))
	b1 := h.commit("x", ada, "2025-12-30T09:00:00Z", "2025-12-30T09:00:00Z", gone)
	s := h.commit("Add x (#12)", ada, "2026-01-02T09:00:00Z", "2026-01-02T09:00:00Z", c1)
	z := h.commit("Fix y (#0)", ada, "2026-01-02T10:00:00Z", "2026-01-02T10:00:00Z", s)
	h.refs["refs/pull/12/head"] = b1
	h.refs["refs/pull/0/head"] = b1
	f := gatherFake(t, h, [3]string{"d1", "2026-01-01T12:00:00Z", c1.String()}, [3]string{"d2", "2026-01-02T12:00:00Z", z.String()})
	for _, c := range f.Changes {
		if (c.SHA == s.String() || c.SHA == z.String()) && c.StartedBy != "" {
			t.Errorf("%s started by %s", c.Subject, c.StartedBy)
		}
	}
	if len(f.Problems) != 1 || f.Problems[0].File != "refs/pull/12/head" || !strings.Contains(f.Problems[0].Msg, "the lead time of "+s.String()[:12]+" starts at its own date") {
		t.Errorf("problems %v", f.Problems)
	}
}

// The fake history lists what the repository's own walk lists.
func TestFakeRevList(t *testing.T) {
	h := newFakeHistory()
	const ada = "Ada <ada@example.com>"
	a := h.commit("a", ada, "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z")
	b := h.commit("b", ada, "2026-01-02T09:00:00Z", "2026-01-02T09:00:00Z", a)
	c := h.commit("c", ada, "2026-01-03T09:00:00Z", "2026-01-03T09:00:00Z", a)
	m := h.commit("m", ada, "2026-01-04T09:00:00Z", "2026-01-04T09:00:00Z", b, c)
	got, err := h.RevList(m, b, 0)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(sortedHashes(m, c)) {
		t.Errorf("RevList(m, b) = %v, %v; want m and c", got, err)
	}
	if _, err := h.RevList(m, git.ZeroHash, 2); err != git.ErrWalkLimit {
		t.Errorf("limit: %v", err)
	}
}

func sortedHashes(hs ...git.Hash) []git.Hash {
	for i := range hs {
		for j := i + 1; j < len(hs); j++ {
			if hs[j].String() < hs[i].String() {
				hs[i], hs[j] = hs[j], hs[i]
			}
		}
	}
	return hs
}
