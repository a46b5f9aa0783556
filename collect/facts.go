package collect

import (
	"io"
	"log/slog"
	"time"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/data"
)

// Facts is everything collect gathers, normalised, for compute.
type Facts struct {
	Deployments []Deployment // all environments and statuses, in time order
	Changes     []Change     // the change set of every successful production deployment
	Incidents   []Incident
	Scans       []Scan    // one per SARIF run, in time order
	Findings    []Finding // one per result of each scan, in scan then file order
	CIRuns      []CIRun

	CodeLOC    int    // size of the code base for the scan budget (0: unknown)
	DataCommit string // data-branch commit read ("" for a plain directory)
	Problems   []data.Problem
	Notes      []string // things the user should know once (e.g. "no data branch: deployments from tags")
}

// Deployment sources.
const (
	SourceEvents = "events"
	SourceCI     = "ci"
	SourceTags   = "tags"
)

// Deployment is a deployment from any source, normalised.
type Deployment struct {
	ID                          string
	Time                        time.Time
	SHA                         string
	Environment                 string
	Status                      string // data.StatusSuccess, StatusFailure, StatusBlocked
	ScanSeconds                 *float64
	ScanSecondsFrom             string // "event", "ci", "sarif" or ""
	PipelineSeconds             *float64
	GateBlocked                 bool
	Critical, High, Medium, Low int
	Source                      string // SourceEvents, SourceCI or SourceTags
	Production                  bool   // Environment is the configured production environment
	Changes                     int    // commits this deployment newly shipped
	Baseline                    bool   // an earlier successful production deployment exists
}

// Change lead-time outcomes (changes.csv `counted`).
const (
	CountedYes             = "yes"
	CountedFirstDeployment = "first-deployment"
	CountedNegative        = "negative"
	CountedBot             = "bot"
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
	Counted      string        // CountedYes, CountedFirstDeployment, CountedNegative, CountedBot
	Reverts      string        // sha of the commit this one reverts, if known
	Revert       bool          // a revert: `Revert "…"` in the subject or "This reverts commit" in the body
}

// Incident attributions (incidents.csv `attribution`).
const (
	AttrCommit     = "commit"
	AttrDeployment = "deployment"
	AttrTime       = "time"
	AttrRevert     = "revert"
	AttrNone       = "none"
)

// Incident is a recorded or derived incident and the deployment it belongs to.
type Incident struct {
	ID           string
	Opened       time.Time
	Resolved     *time.Time
	Severity     string
	Category     string
	Environment  string
	Production   bool
	Commit       string
	CWE          string
	Title        string
	DeploymentID string // attributed deployment, "" when unattributed
	Attribution  string // AttrCommit, AttrDeployment, AttrTime, AttrRevert or AttrNone
	FixedBy      string // id of the deployment that shipped the fix (revert incidents), if known
}

// Scan types.
const (
	ScanFull        = "full"
	ScanIncremental = "incremental"
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
	Type        string   // ScanFull or ScanIncremental
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
}

// Finding is one result of one scan. What many findings share (their
// scan, tool, rule, severity and CWE) is one Class they point to, so that
// a scan of half a million results keeps one copy of it, not one each.
type Finding struct {
	*Class
	Fingerprint string // identity within the tool, with the :2, :3 … suffix of duplicates
	URI         string // normalised artifact URI, "" without a location
	Message     string
	// ContentHash is the hash of the rule id, URI and snippet (else the
	// message), numbered as Fingerprint is suffixed: it follows a finding
	// across scans when its tool starts or stops writing fingerprints.
	ContentHash sarif.Hash
	Line        int32 // 0 when unknown
	Suppressed  bool
	// Absent is set for a result whose baselineState is absent: the tool
	// reports it as gone, so it is not present in this scan.
	Absent bool
}

// Class is what findings of one scan with the same rule, severity and CWE
// share. It must not be changed once findings point to it.
type Class struct {
	ScanID   string
	Tool     string
	RuleID   string
	Severity string // data.SeverityCritical … data.SeverityInfo
	CWE      string // e.g. CWE-79, "" when none
}

// CIRun is one GitHub Actions run record.
type CIRun struct {
	ID              int64
	Attempt         int
	Name            string
	Workflow        string // path of the workflow file, e.g. .github/workflows/deploy.yml
	HeadSHA         string
	HeadBranch      string
	Event           string
	Status          string
	Conclusion      string
	Created         time.Time
	Started         time.Time // run_started_at, else created_at
	Updated         time.Time
	PipelineSeconds *float64
	ScanSeconds     *float64
	GateBlocked     bool
	File            string // data-branch path
}

// Options says where Gather reads from.
type Options struct {
	RepoPath string         // --repo: the code repository
	Store    *data.Store    // the data branch
	Config   *data.Config   // settings
	Loc      *time.Location // --tz: the months in which deployment sources are chosen; nil is UTC
	Strict   bool           // a bad input file is an error, not a skip
	Progress io.Writer      // progress of long walks; nil for none
	Log      *slog.Logger   // nil for none
}
