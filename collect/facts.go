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
	// FixedBy is the id of the deployment that shipped the fix: for a
	// revert incident the one that shipped the revert; for another
	// attributed, resolved production incident the latest successful
	// production deployment after it opened and by its resolution; else "".
	FixedBy string
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
// a scan of half a million results keeps one copy of it, not one each;
// its fingerprint and message are kept in one string, the message coded
// against the first message of its class (messages of one rule are
// mostly one template): read them with Fingerprint and Message.
type Finding struct {
	*Class
	URI string // normalised artifact URI, "" without a location
	// ContentHash is the hash of the rule id, URI and snippet (else the
	// message), numbered as Fingerprint is suffixed: it follows a finding
	// across scans when its tool starts or stops writing fingerprints.
	ContentHash sarif.Hash
	Line        int32 // 0 when unknown
	Suppressed  bool
	// Absent is set for a result whose baselineState is absent: the tool
	// reports it as gone, so it is not present in this scan.
	Absent bool

	text     string // the fingerprint, then the message's own bytes
	fpLen    uint32 // length of the fingerprint in text
	pre, suf uint16 // the message's first pre and last suf bytes are those of Class.first
}

// NewFinding makes a finding of class c; set its other fields after.
func NewFinding(c *Class, fingerprint, uri string, line int32, message string) Finding {
	return Finding{Class: c, URI: uri, Line: line, text: fingerprint + message, fpLen: uint32(len(fingerprint))}
}

// Fingerprint is the finding's identity within its tool (with its rule
// id), with the :2, :3 … suffix of duplicates.
func (f Finding) Fingerprint() string { return f.text[:f.fpLen] }

// Message is the SARIF message of the result.
func (f Finding) Message() string {
	own := f.text[f.fpLen:]
	if f.pre == 0 && f.suf == 0 {
		return own
	}
	ref := f.Class.first
	if own == "" && int(f.pre)+int(f.suf) == len(ref) {
		return ref
	}
	return ref[:f.pre] + own + ref[len(ref)-int(f.suf):]
}

// Class is what findings of one scan with the same rule, severity and CWE
// share. It must not be changed once findings point to it.
type Class struct {
	ScanID   string
	Tool     string
	RuleID   string
	Severity string // data.SeverityCritical … data.SeverityInfo
	CWE      string // e.g. CWE-79, "" when none

	first    string // the message of its first finding, which the others are coded against
	hasFirst bool
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
	Started         time.Time // run_started_at, else created_at, else the first job's start
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
	Progress io.Writer      // progress of long walks; nil for none
	Log      *slog.Logger   // nil for none
}
