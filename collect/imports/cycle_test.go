package imports

import (
	"testing"
	"time"
)

// antsSet reads DevLake's recorded pull requests of panjf2000/ants with
// their reviews and commits, unwrapped into the pages a user would have
// saved (gh api repos/panjf2000/ants/pulls, …/pulls/N/reviews,
// …/pulls/N/commits with --pull N), and combines them.
func antsSet(t *testing.T) *Set {
	t.Helper()
	var bs []*Batch
	for _, f := range []string{
		"sources/github-pulls/devlake__raw_github_api_pull_requests.csv",
		"sources/github-pulls/devlake__raw_github_api_pull_request_reviews.csv",
		"sources/github-pulls/devlake__raw_github_api_pull_request_commits.csv",
	} {
		for _, p := range unwrapDevLake(t, f) {
			b, err := Parse(GitHubPulls, f, p.body, Options{Now: corpusNow, Pull: p.pull})
			if err != nil {
				t.Fatal(err)
			}
			bs = append(bs, b)
		}
	}
	return Combine(bs...)
}

func dur(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestCycleAnts checks the coding, pickup and review stages of the ants
// pull requests that have reviews against values computed by hand from
// the same rows:
//
//	#41 by choleraehyq: first commit 58466b12 authored 2019-08-20T03:22:00Z;
//	    opened 03:24:27Z, never a draft, so ready then; reviews: 277027723 by
//	    choleraehyq (its author: not counted) at 09:05:02Z, 277036116 by
//	    panjf2000 (COMMENTED) at 09:19:55Z; merged 10:55:19Z.
//	    coding 03:22:00→03:24:27 = 2m27s; pickup 03:24:27→09:19:55 = 5h55m28s;
//	    review 09:19:55→10:55:19 = 1h35m24s.
//	#51 by choleraehyq: first commit 6495acc7 authored 2019-09-11T08:39:55Z;
//	    opened 08:46:23Z; first review 286687335 by panjf2000 at 12:07:36Z;
//	    merged 2019-09-12T01:00:32Z.
//	    coding 6m28s; pickup 08:46:23→12:07:36 = 3h21m13s;
//	    review 12:07:36→(next day)01:00:32 = 11h52m24s + 1h00m32s = 12h52m56s.
//	#53 by KevinBaiSg: of its 16 commits the earliest author date is
//	    597f7ea0's, 2019-10-05T18:02:40Z (a commit by panjf2000 in the pull);
//	    opened 2019-10-07T08:17:20Z; first review 298229495 by panjf2000
//	    (CHANGES_REQUESTED, upper case) at 2019-10-07T16:56:26Z; merged
//	    2019-10-09T16:59:19Z.
//	    coding 10-05 18:02:40→10-07 08:17:20 = 1d 14h14m40s = 38h14m40s;
//	    pickup 08:17:20→16:56:26 = 8h39m06s;
//	    review 10-07 16:56:26→10-09 16:59:19 = 2d 0h02m53s = 48h2m53s.
//	#4 by barryz: its one commit was authored 2018-07-25T14:28:11Z, after
//	    it was opened (08:19:30Z): coding would be negative, so unknown; no
//	    reviews: no pickup, no review stage.
func TestCycleAnts(t *testing.T) {
	needCorpus(t)
	s := antsSet(t)
	if len(s.Pulls) != 49 { // 50 rows, #4 twice
		t.Fatalf("%d pulls, want 49", len(s.Pulls))
	}
	if len(s.Reviews)+len(s.Commits)+len(s.Readies) != 0 {
		t.Errorf("pieces left over: %d reviews, %d commits", len(s.Reviews), len(s.Commits))
	}
	byNumber := map[int64]Pull{}
	for _, p := range s.Pulls {
		byNumber[p.Number] = p
	}
	none := time.Duration(-1)
	for _, tc := range []struct {
		number                 int64
		coding, pickup, review time.Duration
	}{
		{41, dur("2m27s"), dur("5h55m28s"), dur("1h35m24s")},
		{51, dur("6m28s"), dur("3h21m13s"), dur("12h52m56s")},
		{53, dur("38h14m40s"), dur("8h39m6s"), dur("48h2m53s")},
		{4, none, none, none},
	} {
		p, ok := byNumber[tc.number]
		if !ok {
			t.Fatalf("no pull #%d", tc.number)
		}
		st := Cycle(p)
		for _, c := range []struct {
			name string
			got  *time.Duration
			want time.Duration
		}{{"coding", st.Coding, tc.coding}, {"pickup", st.Pickup, tc.pickup}, {"review", st.Review, tc.review}} {
			switch {
			case c.want == none && c.got != nil:
				t.Errorf("#%d %s = %v, want unknown", tc.number, c.name, *c.got)
			case c.want != none && c.got == nil:
				t.Errorf("#%d %s unknown, want %v", tc.number, c.name, c.want)
			case c.want != none && *c.got != c.want:
				t.Errorf("#%d %s = %v, want %v", tc.number, c.name, *c.got, c.want)
			}
		}
	}
	// The fields behind the stages of #53, as the pulls CSV will hold them.
	p := byNumber[53]
	for _, c := range []struct {
		name      string
		got, want time.Time
	}{
		{"opened", p.Opened, utc("2019-10-07T08:17:20Z")},
		{"ready", p.Ready, utc("2019-10-07T08:17:20Z")},
		{"first_commit", p.FirstCommit, utc("2019-10-05T18:02:40Z")},
		{"first_review", p.FirstReview, utc("2019-10-07T16:56:26Z")},
		{"merged", p.Merged, utc("2019-10-09T16:59:19Z")},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("#53 %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !p.Approved.IsZero() || p.Author != "KevinBaiSg" || p.State != "merged" || p.Repo != "panjf2000/ants" ||
		p.MergeSHA != "f0e23928f4388661a8e0f6f5ff93f8f9514a1762" || p.HeadSHA != "6ef45a0a1fd2ad8878c5684e9ec1baf8aab24f87" {
		t.Errorf("#53 = %+v", p)
	}
}

func TestCycle(t *testing.T) {
	opened := utc("2026-03-02T09:00:00Z")
	for _, tc := range []struct {
		name                   string
		p                      Pull
		coding, pickup, review string // "" unknown
	}{
		{"all stages", Pull{FirstCommit: opened.Add(-3 * time.Hour), Ready: opened, FirstReview: opened.Add(2 * time.Hour), Merged: opened.Add(5 * time.Hour)}, "3h0m0s", "2h0m0s", "3h0m0s"},
		{"a draft: not ready", Pull{FirstCommit: opened.Add(-time.Hour), FirstReview: opened.Add(time.Hour)}, "", "", ""},
		{"not reviewed", Pull{FirstCommit: opened, Ready: opened, Merged: opened.Add(time.Hour)}, "0s", "", ""},
		{"reviewed while a draft", Pull{Ready: opened, FirstReview: opened.Add(-time.Minute), Merged: opened.Add(time.Hour)}, "", "", "1h1m0s"},
		{"not merged", Pull{Ready: opened, FirstReview: opened.Add(time.Minute)}, "", "1m0s", ""},
	} {
		st := Cycle(tc.p)
		for _, c := range []struct {
			name string
			got  *time.Duration
			want string
		}{{"coding", st.Coding, tc.coding}, {"pickup", st.Pickup, tc.pickup}, {"review", st.Review, tc.review}} {
			got := ""
			if c.got != nil {
				got = c.got.String()
			}
			if got != c.want {
				t.Errorf("%s: %s = %q, want %q", tc.name, c.name, got, c.want)
			}
		}
	}
}
