package imports

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpusPullFields reads single pull and merge request payloads into
// the fields of a pulls row.
func TestCorpusPullFields(t *testing.T) {
	needCorpus(t)
	zero := time.Time{}
	for _, tc := range []struct {
		source, file string
		number       int64
		state        string
		draft        bool
		ready        time.Time
		readySeen    bool
		merged       time.Time
		mergeSHA     string
		author       string
		note         string // a note expected, "" none
	}{
		// The docs sample: open, merged false, yet merged_at set.
		{GitHubPulls, "sources/github-pulls/drone-go-scm__github.pr.json", 1347, "open", false, utc("2011-01-26T19:01:12Z"), false, zero, "", "octocat",
			"merged_at is set but merged is false: read as not merged"},
		// Closed without merge: its merge_commit_sha is a test merge, not kept.
		{GitHubPulls, "sources/github-pulls/octokit-webhooks__pull_request.closed.payload.json", 2, "closed", false, utc("2019-05-15T15:20:33Z"), false, zero, "", "Codertocat", ""},
		{GitHubPulls, "sources/github-pulls/octokit-webhooks__pull_request.converted_to_draft.payload.json", 2, "open", true, zero, false, zero, "", "Codertocat", ""},
		{GitHubPulls, "sources/github-pulls/octokit-webhooks__pull_request.ready_for_review.payload.json", 2, "open", false, utc("2019-05-15T15:21:18Z"), true, zero, "", "Codertocat", ""},
		// A 2018 payload without a draft member.
		{GitHubPulls, "sources/github-pulls/drone-go-scm__github.webhooks.pr_closed.json", 1, "closed", false, utc("2018-06-22T23:54:09Z"), false, zero, "", "bradrydzewski", ""},
		{GitLabMergeRequests, "sources/gitlab/go-gitlab__get_merge_request.json", 14656, "open", true, zero, false, zero, "", "alexkalderimis", ""},
		// Squash-merged: the squash commit is what landed.
		{GitLabMergeRequests, "sources/gitlab/gitlab4j__merge-request.json", 1, "merged", false, utc("2016-12-03T17:23:34Z"), false, utc("2016-12-03T17:23:34Z"), "37a1f246848c3dc2bb82964a183417e2e72fe1a7", "admin", ""},
		// A merge hook has no merged_at: its updated_at is the merge; the
		// actor (sytses) is not named as the author (author_id only).
		{GitLabMergeRequests, "sources/gitlab/drone-go-scm__webhooks.pull_request_merge.json", 1, "merged", false, utc("2017-12-10T17:01:11Z"), false, utc("2017-12-10T17:08:07Z"), "78a76ee6b4992a6baf64c59fc4c44c7323d60438", "", ""},
		{GitLabMergeRequests, "sources/gitlab/drone-go-scm__webhooks.pull_request_close.json", 1, "closed", false, utc("2017-12-10T17:01:11Z"), false, zero, "", "", ""},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			b := mustParse(t, tc.source, tc.file, 0)
			if len(b.Pulls) != 1 {
				t.Fatalf("%d pulls", len(b.Pulls))
			}
			p := b.Pulls[0]
			if p.Number != tc.number || p.State != tc.state || p.Draft != tc.draft || !p.Ready.Equal(tc.ready) || p.ReadySeen != tc.readySeen ||
				!p.Merged.Equal(tc.merged) || p.MergeSHA != tc.mergeSHA || p.Author != tc.author || p.ID == "" || p.Opened.IsZero() {
				t.Errorf("got %+v", p)
			}
			var notes []string
			for _, n := range b.Notes {
				notes = append(notes, n.Text)
			}
			if got := strings.Join(notes, "; "); got != tc.note {
				t.Errorf("notes %q, want %q", got, tc.note)
			}
		})
	}
}

// TestCorpusDraftMergeRequests reads GitLab's two draft members: draft,
// and work_in_progress in older responses.
func TestCorpusDraftMergeRequests(t *testing.T) {
	needCorpus(t)
	b := mustParse(t, GitLabMergeRequests, "sources/gitlab/go-gitlab__get_merge_requests.json", 0)
	var drafts []int64
	for _, p := range b.Pulls {
		if p.Draft {
			drafts = append(drafts, p.Number)
			if !p.Ready.IsZero() {
				t.Errorf("!%d is a draft, yet ready at %v", p.Number, p.Ready)
			}
		}
	}
	if len(drafts) != 2 || drafts[0] != 15442 || drafts[1] != 15441 {
		t.Errorf("drafts %v, want !15442 and !15441 (work_in_progress)", drafts)
	}
}

// pagesOf parses the responses of a recording as source reads them.
func pagesOf(t *testing.T, rel string, pages []page) []*Batch {
	t.Helper()
	var bs []*Batch
	for _, p := range pages {
		pull, refusal := githubExpect(p.url)
		if refusal != "" || p.status/100 != 2 {
			continue
		}
		b, err := Parse(GitHubPulls, rel, p.body, Options{Now: corpusNow, Pull: pull})
		if err != nil {
			t.Fatalf("%s %s: %v", rel, p.url, err)
		}
		bs = append(bs, b)
	}
	return bs
}

// TestCorpusPullReviews combines the pull requests github3.py recorded
// with their reviews and commits.
func TestCorpusPullReviews(t *testing.T) {
	needCorpus(t)
	for _, tc := range []struct {
		file                                 string
		number                               int64
		firstCommit, firstReview, approved   time.Time
		coding, pickup, review               string
		reviewsRead, commitsRead, piecesLeft int
	}{
		// #235 by bgilbert: commits authored 2014-05-02T06:08:14Z and
		// 2014-05-03T04:06:20Z; opened 06:10:10Z; no reviews.
		{"sources/github-pulls/github3py__PullRequest_commits.json", 235, utc("2014-05-02T06:08:14Z"), time.Time{}, time.Time{}, "1m56s", "", "", 0, 2, 0},
		// #671 by omgjlk: five COMMENTED reviews, the first by another
		// person sigmavirus24's at 2017-01-26T16:35:28Z (opened
		// 2017-01-25T22:36:38Z, merged 2017-01-27T22:24:35Z).
		{"sources/github-pulls/github3py__PullRequest_pull_reviews.json", 671, time.Time{}, utc("2017-01-26T16:35:28Z"), time.Time{}, "", "17h58m50s", "29h49m7s", 5, 0, 0},
		// #819 by electrofelix, opened 2018-03-30T13:00:58Z and closed
		// unmerged: a PENDING review (no submitted_at) is no review; its
		// submission, COMMENTED at 2021-10-31T15:38:50Z, is. Pickup: 1311
		// days (2018-03-30 to 2021-10-31, 2020 a leap year) = 31464h, and
		// 13:00:58 to 15:38:50 = 2h37m52s.
		{"sources/github-pulls/github3py__PullReview_submit.json", 819, time.Time{}, utc("2021-10-31T15:38:50Z"), time.Time{}, "", "31466h37m52s", "", 2, 0, 0},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			bs := pagesOf(t, tc.file, unwrapCassette(t, tc.file))
			all := merge(bs...)
			if len(all.Reviews) != tc.reviewsRead || len(all.Commits) != tc.commitsRead {
				t.Fatalf("read %d reviews and %d commits", len(all.Reviews), len(all.Commits))
			}
			s := Combine(bs...)
			if len(s.Pulls) != 1 || len(s.Reviews)+len(s.Commits) != tc.piecesLeft {
				t.Fatalf("%d pulls, %d reviews and %d commits left", len(s.Pulls), len(s.Reviews), len(s.Commits))
			}
			p := s.Pulls[0]
			if p.Number != tc.number || !p.FirstCommit.Equal(tc.firstCommit) || !p.FirstReview.Equal(tc.firstReview) || !p.Approved.Equal(tc.approved) {
				t.Errorf("got %+v", p)
			}
			st := Cycle(p)
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
					t.Errorf("%s = %q, want %q", c.name, got, c.want)
				}
			}
		})
	}
}

// TestCorpusBotReviews reads DevLake's bot-filter reviews of test/repo#1
// (APPROVED by renovate[bot] on 2024-01-01, by human-reviewer on
// 2024-01-02) with a pull of that number: a [bot] account is no person.
// (DevLake's hand-written rows give human-reviewer the id 12345 of
// human-dev, the author of their pull #1000; this pull's author has
// another, as real accounts do.)
func TestCorpusBotReviews(t *testing.T) {
	needCorpus(t)
	pages := unwrapDevLake(t, "sources/github-pulls/devlake__raw_github_api_pr_reviews_bot_filter.csv")
	if len(pages) != 1 || pages[0].pull != 1 {
		t.Fatalf("pages %+v", pages)
	}
	// The rows' reviews carry no pull_request_url: the pull is named as
	// for commits.
	if _, err := Parse(GitHubPulls, "reviews.json", pages[0].body, Options{Now: corpusNow}); err == nil || !strings.Contains(err.Error(), "--pull N") {
		t.Fatalf("reviews without their pull: %v", err)
	}
	reviews, err := Parse(GitHubPulls, "reviews.json", pages[0].body, Options{Now: corpusNow, Pull: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reviews.Reviews[0].Bot || reviews.Reviews[1].Bot {
		t.Fatalf("bots %v %v", reviews.Reviews[0], reviews.Reviews[1])
	}
	pull := `{"id": 1, "number": 1, "state": "open", "draft": false, "user": {"login": "human-dev", "id": 777},
		"created_at": "2023-12-31T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z",
		"head": {"sha": "0123456789012345678901234567890123456789"}, "base": {"repo": {"full_name": "test/repo"}}}`
	pulls, err := Parse(GitHubPulls, "pull.json", []byte(pull), Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	s := Combine(pulls, reviews)
	if len(s.Pulls) != 1 || len(s.Reviews) != 0 {
		t.Fatalf("%+v", s)
	}
	if p := s.Pulls[0]; !p.FirstReview.Equal(utc("2024-01-02T00:00:00Z")) || !p.Approved.Equal(utc("2024-01-02T00:00:00Z")) {
		t.Errorf("first review %v, approved %v; want both at human-reviewer's 2024-01-02", p.FirstReview, p.Approved)
	}
}

// TestCorpusReviewWebhooks reads review webhooks: a review by the pull's
// author is not its first review.
func TestCorpusReviewWebhooks(t *testing.T) {
	needCorpus(t)
	for _, tc := range []struct {
		file                  string
		firstReview, approved time.Time
	}{
		// baxterthehacker approves skalnik's pull, state "approved" (lower case).
		{"sources/github-pulls/go-playground__github.pull-request-review.json", utc("2016-10-03T23:39:09Z"), utc("2016-10-03T23:39:09Z")},
		// Codertocat reviews (then dismisses) Codertocat's own pull.
		{"sources/github-pulls/octokit-webhooks__pull_request_review.submitted.payload.json", time.Time{}, time.Time{}},
		{"sources/github-pulls/octokit-webhooks__pull_request_review.dismissed.payload.json", time.Time{}, time.Time{}},
		{"sources/github-pulls/drone-go-scm__github.webhooks.pr_review_submitted.json", time.Time{}, time.Time{}},
	} {
		s := Combine(mustParse(t, GitHubPulls, tc.file, 0))
		if len(s.Pulls) != 1 || len(s.Reviews) != 0 {
			t.Fatalf("%s: %+v", tc.file, s)
		}
		if p := s.Pulls[0]; !p.FirstReview.Equal(tc.firstReview) || !p.Approved.Equal(tc.approved) {
			t.Errorf("%s: first review %v, approved %v", tc.file, p.FirstReview, p.Approved)
		}
	}
}

// TestCorpusReadyWebhook combines a pull opened as it was with the
// ready_for_review payload: ready when it left draft.
func TestCorpusReadyWebhook(t *testing.T) {
	needCorpus(t)
	opened := mustParse(t, GitHubPulls, "sources/github-pulls/octokit-webhooks__pull_request.opened.payload.json", 0)
	ready := mustParse(t, GitHubPulls, "sources/github-pulls/octokit-webhooks__pull_request.ready_for_review.payload.json", 0)
	for _, order := range [][]*Batch{{opened, ready}, {ready, opened}} {
		s := Combine(order...)
		if len(s.Pulls) != 1 {
			t.Fatalf("%d pulls", len(s.Pulls))
		}
		if p := s.Pulls[0]; !p.Ready.Equal(utc("2019-05-15T15:21:18Z")) || !p.ReadySeen || !p.Updated.Equal(utc("2019-05-15T15:21:18Z")) {
			t.Errorf("got %+v", p)
		}
	}
}

// TestCorpusTimeline reads the timeline PyGithub recorded for
// PyGithub/PyGithub#31 with the pull itself: its committed events are
// the pull's commits, its reviewed events reviews.
func TestCorpusTimeline(t *testing.T) {
	needCorpus(t)
	var bs []*Batch
	for _, f := range []string{"pygithub__PullRequest.setUp.txt", "pygithub__PullRequest.testGetIssueTimeline.txt"} {
		for _, b := range pagesOf(t, f, unwrapPyGithub(t, "sources/github-pulls/"+f)) {
			bs = append(bs, b)
		}
	}
	all := merge(bs...)
	if len(all.Commits) != 3 || len(all.Reviews) != 2 {
		t.Fatalf("timeline: %s", summary(all))
	}
	s := Combine(bs...)
	var p *Pull
	for i := range s.Pulls {
		if s.Pulls[i].Repo == "pygithub/pygithub" && s.Pulls[i].Number == 31 {
			p = &s.Pulls[i]
		}
	}
	if p == nil || len(s.Reviews)+len(s.Commits) != 0 {
		t.Fatalf("pull #31 %v; left %d reviews, %d commits", p, len(s.Reviews), len(s.Commits))
	}
	var earliest time.Time
	for _, c := range all.Commits {
		earliest = minTime(earliest, c.Authored)
	}
	if !p.FirstCommit.Equal(earliest) || p.Merged.IsZero() {
		t.Errorf("first commit %v, want %v; merged %v", p.FirstCommit, earliest, p.Merged)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// TestCorpusMergeRequests combines DevLake's merge requests with their
// commits and notes: a person's note is a review, GitLab's "unmarked as
// a **Work In Progress**" system note when it left draft, "approved this
// merge request" an approval.
func TestCorpusMergeRequests(t *testing.T) {
	needCorpus(t)
	var bs []*Batch
	for _, f := range []string{
		"sources/gitlab/devlake__raw_gitlab_api_merge_requests.csv",
		"sources/gitlab/devlake__raw_gitlab_api_merge_request_commits.csv",
		"sources/gitlab/devlake__raw_gitlab_api_merge_request_notes.csv",
	} {
		for _, p := range unwrapDevLake(t, f) {
			b, err := Parse(GitLabMergeRequests, f, p.body, Options{Now: corpusNow, Pull: p.pull})
			if err != nil {
				t.Fatal(err)
			}
			bs = append(bs, b)
		}
	}
	s := Combine(bs...)
	byIID := map[int64]Pull{}
	for _, p := range s.Pulls {
		byIID[p.Number] = p
	}
	// !1 by emilie: five commits, the earliest authored
	// 2019-06-28T05:40:36Z; unmarked as WIP at 10:55:26.170Z; her own
	// notes only, so no review.
	p := byIID[1]
	if !p.FirstCommit.Equal(utc("2019-06-28T05:40:36Z")) || !p.Ready.Equal(utc("2019-06-28T10:55:26.170Z")) || !p.ReadySeen ||
		!p.FirstReview.IsZero() || !p.Merged.Equal(utc("2019-06-28T14:32:06.192Z")) {
		t.Errorf("!1 = %+v", p)
	}
	// !3 by martinguindon: emilie's note at 2019-08-26T12:14:39.003Z is
	// its first review.
	if p := byIID[3]; !p.FirstReview.Equal(utc("2019-08-26T12:14:39.003Z")) || !p.Approved.IsZero() || p.Author != "martinguindon" {
		t.Errorf("!3 = %+v", p)
	}
	// The approvals of !29, !30, !37 (twice) and !46, the commits of !2
	// (9) and !7 (2) belong to merge requests the file does not hold:
	// left for a writer's stored ones.
	var left []int64
	for _, r := range s.Reviews {
		if r.State != "approved" {
			t.Errorf("left review %+v", r)
		}
		left = append(left, r.Pull)
	}
	if len(left) != 5 || len(s.Commits) != 11 {
		t.Errorf("left reviews of %v, %d commits", left, len(s.Commits))
	}
}

// TestCorpusReviewStates reads review states in upper case (REST) and
// lower case (webhooks) alike.
func TestCorpusReviewStates(t *testing.T) {
	needCorpus(t)
	states := map[string]int{}
	for _, p := range unwrapDevLake(t, "sources/github-pulls/devlake__raw_github_api_pull_request_reviews.csv") {
		b, err := Parse(GitHubPulls, "reviews.json", p.body, Options{Now: corpusNow})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range b.Reviews {
			states[r.State]++
		}
	}
	if len(states) != 2 || states["commented"] != 28 || states["changes_requested"] != 3 {
		t.Errorf("REST states %v, want 28 COMMENTED and 3 CHANGES_REQUESTED", states)
	}
	for file, want := range map[string]string{
		"sources/github-pulls/octokit-webhooks__pull_request_review.submitted.payload.json": "commented",
		"sources/github-pulls/octokit-webhooks__pull_request_review.dismissed.payload.json": "dismissed",
		"sources/github-pulls/go-playground__github.pull-request-review.json":               "approved",
	} {
		if got := mustParse(t, GitHubPulls, file, 0).Reviews[0].State; got != want {
			t.Errorf("%s: state %q, want %q", file, got, want)
		}
	}
}
