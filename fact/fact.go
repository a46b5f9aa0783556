// Package fact is gitdora's vocabulary: the normalised facts that collect
// gathers and compute reads (deployments, changes, incidents, scans,
// findings, CI runs), the values their fields take (severities,
// statuses, categories …), the problems found while reading input, and
// the errors of values given for an input (InputError), which name the
// input in the domain's words for the command line to name its flag.
//
// fact is a leaf: it imports only the standard library, so every package
// may share its types without pulling in any I/O.
package fact

import (
	"iter"
	"time"
)

// Facts is everything collect gathers, normalised, for compute.
type Facts struct {
	Deployments []Deployment // all environments and statuses, in time order
	Changes     []Change     // the change set of every successful production deployment
	Incidents   []Incident
	Scans       []Scan // one per SARIF run, in time order, each with its findings (or Pending)
	CIRuns      []CIRun
	Corrections []Correction // of recorded events, in the order applied (docs/corrections.md)
	Pulls       []Pull       // pull and merge requests imported (events/pulls)

	CodeLOC    int    // size of the code base for the scan budget (0: unknown)
	DataCommit string // data-branch commit read ("" for a plain directory)
	// Sources says, for each month with production deployments in any
	// source, which source its deployments were read from and what each
	// source holds.
	Sources []SourceMonth
	// Trunk is the branch whose scans make finding lifecycles, and
	// TrunkFrom where that name came from ("gitdora.yml", "origin/HEAD",
	// "HEAD" or "default").
	Trunk, TrunkFrom string
	Problems         []Problem
	// Slices are the services' and teams' own facts, when asked for
	// (docs/services.md); Teams names every team known (sorted).
	Slices []Slice
	Teams  []string
	Notes  []string // things the user should know once (e.g. "no data branch: deployments from tags")
	// Warnings are things that make figures other than the user may
	// expect (scans only off the trunk, a deployment source that was passed
	// over): said once on stderr, and each month's in its report.
	Warnings []string
	// Pending reads the findings of the scans gathered without them (see
	// Scan.Pending); nil when every scan has its Set.
	Pending SetReader
}

// SetReader reads the findings of scans gathered without them, so that a
// history of scans is read one scan at a time rather than held whole.
type SetReader interface {
	// Read yields the findings of each scan of scans (indexes in
	// Facts.Scans) in turn; ahead of the one yielded it may read a few
	// more. Findings that cannot be read are yielded as nil, and Report
	// says why. Read may be called again, for the same or other scans.
	Read(scans []int32) iter.Seq[*FindingSet]
	// Report is what reading found so far: notes for the user, and the
	// scans whose findings could not be read.
	Report() (notes []string, problems []Problem)
}

// Source is where a deployment comes from.
type Source string

// Deployment sources.
const (
	SourceEvents Source = "events"
	SourceCI     Source = "ci"
	SourceTags   Source = "tags"
)

// Sources are the deployment sources in the order of their priority.
var Sources = []Source{SourceEvents, SourceCI, SourceTags}

// SourceMonth is where the production deployments of one month were read
// from, and how many production deployments each source holds for it.
type SourceMonth struct {
	Month  string // YYYY-MM in the zone of the months
	Used   Source // "" when the pinned source has none for the month
	Counts map[Source]int
}

// Passed lists the sources, in priority order, that hold more production
// deployments for the month than the one used.
func (s SourceMonth) Passed() []Source {
	var out []Source
	for _, src := range Sources {
		if src != s.Used && s.Counts[src] > s.Counts[s.Used] {
			out = append(out, src)
		}
	}
	return out
}

// Deployment is a deployment from any source, normalised.
type Deployment struct {
	ID                          string
	Time                        time.Time
	SHA                         string
	Environment                 string
	Status                      Status // StatusSuccess, StatusFailure, StatusBlocked
	ScanSeconds                 *float64
	ScanSecondsFrom             string // "event", "ci", "sarif" or ""
	PipelineSeconds             *float64
	GateBlocked                 bool
	Critical, High, Medium, Low int
	Source                      Source // SourceEvents, SourceCI or SourceTags
	Production                  bool   // Environment is the configured production environment
	Changes                     int    // commits this deployment newly shipped
	Baseline                    bool   // an earlier successful production deployment exists
	// Services are the services it deploys (docs/services.md): named by
	// its event, its tag or its workflow; nil deploys the whole repository.
	Services []string
}

// Counted is the lead-time outcome of a change (changes.csv `counted`).
type Counted string

// Change lead-time outcomes.
const (
	CountedYes             Counted = "yes"
	CountedFirstDeployment Counted = "first-deployment"
	CountedNegative        Counted = "negative"
	CountedBot             Counted = "bot"
	// CountedBadDate is a commit whose date (the one lead time starts at)
	// is before 1970 or in the future: it is left out of lead time,
	// whatever else is true of it.
	CountedBadDate Counted = "bad-date"
)

// Change is one commit first shipped by a deployment.
type Change struct {
	SHA          string
	DeploymentID string
	Author       string // "Name <email>"
	Subject      string
	Authored     time.Time
	Committed    time.Time
	LeadTime     time.Duration // deployment time − start (author or committer date)
	Counted      Counted       // CountedYes, CountedFirstDeployment, CountedNegative, CountedBot, CountedBadDate
	Reverts      string        // sha of the commit this one reverts, if known
	Revert       bool          // a revert: `Revert "…"` in the subject or "This reverts commit" in the body
	// StartedBy names what gave the lead time its start when the commit's
	// own date did not: its pull request's head (refs/pull/N/head), or the
	// imported pull request whose merge_sha it is (its id); "" for the
	// commit's own date.
	StartedBy string
	// Touched says the paths it changes against its first parent were
	// read (with services or teams configured); then Services are the
	// services whose paths it changes and Teams the CODEOWNERS owners (or
	// the teams of its services) of what it changes, each sorted.
	Touched  bool
	Services []string
	Teams    []string
}

// Attribution is how an incident was tied to a deployment (incidents.csv
// `attribution`).
type Attribution string

// Incident attributions.
const (
	AttrCommit     Attribution = "commit"
	AttrDeployment Attribution = "deployment"
	AttrTime       Attribution = "time"
	AttrRevert     Attribution = "revert"
	AttrNone       Attribution = "none"
)

// Incident is a recorded or derived incident and the deployment it belongs to.
type Incident struct {
	ID           string
	Opened       time.Time
	Resolved     *time.Time
	Severity     Severity
	Category     Category
	Environment  string
	Production   bool
	Commit       string
	CWE          string
	Title        string
	DeploymentID string      // attributed deployment, "" when unattributed
	Attribution  Attribution // AttrCommit, AttrDeployment, AttrTime, AttrRevert or AttrNone
	// Service is the service its event names ("": the services of the
	// deployment it is attributed to).
	Service string
	// FixedBy is the id of the deployment that shipped the fix: for a
	// revert incident the one that shipped the revert; for another
	// attributed, resolved production incident the latest successful
	// production deployment after it opened and by its resolution; else "".
	FixedBy string
}

// ScanType says whether a scan covers the whole code or only some files.
type ScanType string

// Scan types.
const (
	ScanFull        ScanType = "full"
	ScanIncremental ScanType = "incremental"
)

// Scan is one SARIF run: one scan of one tool at one commit.
type Scan struct {
	ID          string // unique: <data-branch path>#<run index>
	Tool        string
	ToolVersion string
	Commit      string
	Ref         string
	Time        time.Time
	Duration    *float64 // seconds, nil when unknown
	Type        ScanType // ScanFull or ScanIncremental
	// Category is the analysis category: runAutomationDetails.id up to its
	// last slash (as GitHub reads it), "" without one. Runs of one tool in
	// different categories (CodeQL's languages) are separate lifecycles.
	Category string
	Results  int
	File     string   // data-branch path of the SARIF file
	Covers   []string // for incremental scans: the artifact URIs the run lists, normalised
	// NoResults is set for a run without a results array: SARIF's way to
	// say the tool could not determine its results, so the scan fixes nothing.
	NoResults bool
	// Suppressed counts the run's suppressed results.
	Suppressed int
	// Set holds the run's findings, one per result; nil for a run
	// without results, or while they are pending. Scans with the same
	// results share one set.
	Set *FindingSet
	// SetKey, when not 0, names the run's findings: scans with the same
	// key have the same findings (within one process), read or pending.
	SetKey uint64
	// Pending is set when the run has findings (it has a results array)
	// that were not read with the facts: Facts.Pending reads them.
	Pending bool
}

// CIRun is one GitHub Actions run record (or a GitLab pipeline stored
// in its shape).
type CIRun struct {
	ID              int64
	System          string // "" for GitHub Actions, "gitlab-pipelines" for an imported GitLab pipeline
	Attempt         int
	Name            string
	Workflow        string // path of the workflow file, e.g. .github/workflows/deploy.yml
	HeadSHA         string
	HeadBranch      string
	Event           string
	Status          string
	Conclusion      string
	Created         time.Time
	Started         time.Time // run_started_at, else created_at, else the first job's start
	Updated         time.Time
	PipelineSeconds *float64
	ScanSeconds     *float64
	GateBlocked     bool
	File            string // data-branch path
}

// SliceKind is what a slice of a repository is.
type SliceKind string

// Slices of a repository (docs/services.md).
const (
	SliceService SliceKind = "service"
	SliceTeam    SliceKind = "team"
)

// Slice is a service or a team of a repository with its own facts: its
// deployments, the changes they shipped, its incidents and its findings
// (the scans are the repository's).
type Slice struct {
	Kind  SliceKind
	Name  string
	Facts *Facts
}
