package imports

import "time"

// The sources, as `gitdora import SOURCE` names them (docs/import.md).
const (
	GitHubDeployments   = "github-deployments"
	GitHubReleases      = "github-releases"
	GitHubPulls         = "github-pulls"
	GitLabPipelines     = "gitlab-pipelines"
	GitLabDeployments   = "gitlab-deployments"
	GitLabMergeRequests = "gitlab-merge-requests"
	GitLabIncidents     = "gitlab-incidents"
	PagerDuty           = "pagerduty"
	Opsgenie            = "opsgenie"
)

// Sources lists every source, in the order of docs/import.md.
var Sources = []string{
	GitHubDeployments, GitHubReleases, GitHubPulls,
	GitLabPipelines, GitLabDeployments, GitLabMergeRequests, GitLabIncidents,
	PagerDuty, Opsgenie,
}

// Deployment statuses, as in the deployments CSV. An imported deployment
// whose outcome is not known yet has the status "".
const (
	Success = "success"
	Failure = "failure"
)

// Deployment is one deployment: a row of events/deployments/YYYY-MM.csv.
type Deployment struct {
	ID  string // upstream id
	SHA string // full commit hash; "" when the source names only a ref (a release of a branch)
	Ref string // branch or tag deployed (a release's tag)
	// Environment as the source names it; "" when it names none (a
	// release), which is the production environment.
	Environment string
	// Status is Success or Failure, "" while no status decides it
	// (pending, queued, in progress, blocked for approval).
	Status string
	// Time is when the deciding status was reached (a release: when it
	// was published); before that, when the deployment was created.
	Time    time.Time
	Created time.Time
	Updated time.Time // the version: a later one supersedes this
	Source  string
}

// DeploymentStatus is one status of a GitHub deployment, kept apart until
// Combine applies it to its deployment.
type DeploymentStatus struct {
	ID          string
	Deployment  string // the deployment's id
	State       string // lower case: success, failure, error, inactive, pending, queued, in_progress
	Environment string // "" when the status does not change it
	Time        time.Time
	Updated     time.Time
	Source      string
}

// Pull is one pull or merge request: a row of events/pulls/YYYY-MM.csv.
type Pull struct {
	ID     string // upstream id
	Repo   string // owner/name (GitHub) or the project id (GitLab), lower case; "" when unknown
	Number int64  // pull number, merge request iid
	State  string // open, closed or merged
	Draft  bool
	Opened time.Time
	// Ready is when it left draft (ReadySeen set: an event said so),
	// else when it was opened; zero while it is a draft.
	Ready     time.Time
	ReadySeen bool
	// FirstCommit is the earliest author date of its commits;
	// FirstReview the first review submitted by a person other than its
	// author (any state but pending); Approved the first approving one.
	FirstCommit time.Time
	FirstReview time.Time
	Approved    time.Time
	Merged      time.Time
	MergeSHA    string // the commit that landed on the target branch, when merged
	HeadSHA     string
	Author      string // login; "" when the source names only an id
	AuthorID    string
	Updated     time.Time
	Source      string
}

// Review is a review of a pull request (a GitLab merge request's note),
// kept apart until Combine applies it to its pull.
type Review struct {
	ID         string
	Repo       string // as Pull.Repo; "" when unknown
	Pull       int64
	Reviewer   string // login
	ReviewerID string
	Bot        bool   // a [bot] account: not a person
	State      string // lower case: approved, changes_requested, commented, dismissed, pending
	Submitted  time.Time
	Source     string
}

// ReadyEvent is when a pull request left draft, from an event apart from
// the pull (a timeline event, a GitLab system note), kept apart until
// Combine applies it to its pull.
type ReadyEvent struct {
	Repo   string // as Pull.Repo; "" when unknown
	Pull   int64
	Time   time.Time
	Source string
}

// Commit is a commit of a pull request, kept apart until Combine applies
// it to its pull.
type Commit struct {
	SHA       string
	Repo      string // as Pull.Repo; "" when unknown
	Pull      int64
	Authored  time.Time
	Committed time.Time
	Source    string
}

// Pipeline is a GitLab pipeline with its jobs, the CI run of a writer.
type Pipeline struct {
	ID      string
	Number  int64  // iid
	Name    string // the pipeline's name, when it has one (GitLab 16 and later)
	Project string
	SHA     string
	Ref     string
	Trigger string // GitLab's source: push, merge_request_event, schedule, …
	// Status is GitLab's, lower case: created, pending, running,
	// success, failed, canceled, skipped, manual, scheduled, …
	Status   string
	Created  time.Time
	Started  time.Time
	Finished time.Time
	// Seconds is the wall-clock time from start to finish, else GitLab's
	// duration; nil while unknown.
	Seconds *float64
	Jobs    []Job
	Stub    bool // known only from its jobs
	Updated time.Time
	Source  string
}

// Job is one job of a pipeline.
type Job struct {
	ID           string
	Pipeline     string
	SHA          string
	Ref          string
	Name         string
	Stage        string
	Status       string // as Pipeline.Status
	AllowFailure bool
	Manual       bool
	Created      time.Time
	Started      time.Time
	Finished     time.Time
	Seconds      *float64 // nil for a job that never started
	Source       string
}

// Incident states.
const (
	Open     = "open"
	Resolved = "resolved"
)

// Incident is one incident: a row of events/incidents/YYYY-MM.csv.
type Incident struct {
	ID     string // upstream id
	Number string // the number people use: PagerDuty's, Opsgenie's tiny id, GitLab's iid
	Title  string
	// State is Open or Resolved; "" when the record does not say (an
	// Opsgenie note added to an alert).
	State string
	// Opened is zero when the record does not say (a PagerDuty webhook
	// of an older incident); Resolved is zero while open or not known.
	Opened   time.Time
	Resolved time.Time
	// Severity is critical, high, medium or low; "" when not known.
	Severity string
	// Environment as the source names it; "" (all the supported sources)
	// is the production environment.
	Environment string
	Updated     time.Time
	Source      string
}

// Note is a remark on a record at a JSON path: why it was skipped, or an
// oddity read past.
type Note struct {
	Path string
	Text string
}

// Batch is what one file holds: records, and the pieces (statuses,
// reviews, commits, ready events, jobs) that Combine applies to them.
type Batch struct {
	Source      string
	Deployments []Deployment
	Statuses    []DeploymentStatus
	Pulls       []Pull
	Reviews     []Review
	Commits     []Commit
	Readies     []ReadyEvent
	Pipelines   []Pipeline
	Jobs        []Job
	Incidents   []Incident
	// Skipped lists the records not imported, with the reason (a draft
	// release, a canceled deployment, an issue that is no incident).
	Skipped []Note
	// Notes lists oddities read past (a pull whose merged_at contradicts
	// its state).
	Notes []Note
}

// Len is the number of records and pieces in b.
func (b *Batch) Len() int {
	return len(b.Deployments) + len(b.Statuses) + len(b.Pulls) + len(b.Reviews) + len(b.Commits) + len(b.Readies) +
		len(b.Pipelines) + len(b.Jobs) + len(b.Incidents)
}
