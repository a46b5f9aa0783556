package fact

import "time"

// Pull is a pull request (GitHub) or merge request (GitLab), as imported
// (docs/import.md): the times its cycle-time stages run between. A zero
// time is not known, or not yet.
type Pull struct {
	ID     string
	Number int64
	Opened time.Time
	// Ready is when it left draft, else when it was opened; zero while a
	// draft.
	Ready       time.Time
	FirstCommit time.Time // the earliest author date of its commits
	FirstReview time.Time // the first review by a person other than its author
	Approved    time.Time
	Merged      time.Time
	MergeSHA    string // the commit that landed, when merged
	HeadSHA     string
	Author      string
	Draft       bool
	Source      string // the importer: github-pulls, gitlab-merge-requests
}
