package main

import (
	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/data"
)

// correctFlags are what every correction takes.
type correctFlags struct {
	Kind   string `arg:"" enum:"deployment,incident,pull" placeholder:"KIND" help:"deployment, incident or pull."`
	ID     string `arg:"" placeholder:"ID" help:"The id of the recorded event."`
	Reason string `required:"" help:"Why the record is corrected (kept with the correction)."`
	Author string `help:"Who corrects it (default: GITHUB_ACTOR, else user.name of --repo's git configuration)."`
	pushFlags
}

// request is the correction request of the flags.
func (c *correctFlags) request(g *Globals) (app.CorrectRequest, error) {
	r := g.zoneless() // a correction is placed in no month
	author, err := app.Author(c.Author, g.Repo)
	if err != nil {
		return app.CorrectRequest{}, err
	}
	return app.CorrectRequest{Request: r, Kind: c.Kind, ID: c.ID, Reason: c.Reason, Author: author, Push: c.Push, Remote: c.Remote}, nil
}

// AmendCmd is `gitdora amend`.
type AmendCmd struct {
	correctFlags
	// The fields of deployments, incidents and pulls (their CSV columns but id).
	Time            *string `group:"deployment" placeholder:"RFC3339" help:"When it was deployed."`
	SHA             *string `group:"deployment" name:"sha" placeholder:"COMMIT" help:"Commit deployed (resolved in --repo as record resolves it)."`
	Status          *string `group:"deployment" placeholder:"STATUS" help:"success, failure or blocked (blocked also sets gate_blocked)."`
	ScanSeconds     *string `group:"deployment" name:"scan-seconds" aliases:"scan_seconds" placeholder:"SECONDS" help:"Seconds of security scans (empty: unknown)."`
	PipelineSeconds *string `group:"deployment" name:"pipeline-seconds" aliases:"pipeline_seconds" placeholder:"SECONDS" help:"Seconds of the whole pipeline (empty: unknown)."`
	GateBlocked     *string `group:"deployment" name:"gate-blocked" aliases:"gate_blocked" placeholder:"true|false" help:"Whether the security gate blocked it."`
	Critical        *string `group:"deployment" placeholder:"N" help:"Critical findings at deploy time."`
	High            *string `group:"deployment" placeholder:"N" help:"High findings at deploy time."`
	Medium          *string `group:"deployment" placeholder:"N" help:"Medium findings at deploy time."`
	Low             *string `group:"deployment" placeholder:"N" help:"Low findings at deploy time."`
	Source          *string `group:"deployment" placeholder:"TEXT" help:"What recorded it."`
	Environment     *string `name:"environment" aliases:"env" placeholder:"ENV" help:"Environment (deployment or incident)."`
	Opened          *string `group:"incident" placeholder:"RFC3339" help:"When it was opened."`
	Resolved        *string `group:"incident" placeholder:"RFC3339" help:"When service was restored (empty: open again)."`
	Severity        *string `group:"incident" placeholder:"SEVERITY" help:"critical, high, medium or low."`
	Category        *string `group:"incident" placeholder:"CATEGORY" help:"security, reliability or other."`
	Commit          *string `group:"incident" placeholder:"COMMIT" help:"Commit that caused it (resolved in --repo; empty: unknown)."`
	DeploymentID    *string `group:"incident" name:"deployment-id" aliases:"deployment_id" placeholder:"ID" help:"Deployment that caused it (empty: unknown)."`
	CWE             *string `group:"incident" name:"cwe" placeholder:"CWE" help:"CWE id, e.g. CWE-79 (empty: none)."`
	Title           *string `group:"incident" placeholder:"TEXT" help:"Short title."`
	// The fields of pulls; --opened and --source are shared.
	Number      *string `group:"pull" placeholder:"N" help:"The pull request's number (GitLab: iid)."`
	Ready       *string `group:"pull" placeholder:"RFC3339" help:"When it was ready for review (empty: a draft still)."`
	FirstCommit *string `group:"pull" name:"first-commit" aliases:"first_commit" placeholder:"RFC3339" help:"The earliest author date of its commits (empty: unknown)."`
	FirstReview *string `group:"pull" name:"first-review" aliases:"first_review" placeholder:"RFC3339" help:"Its first review by a person other than its author (empty: none)."`
	Approved    *string `group:"pull" placeholder:"RFC3339" help:"Its first approving review (empty: none)."`
	Merged      *string `group:"pull" placeholder:"RFC3339" help:"When it was merged (empty: not merged)."`
	MergeSHA    *string `group:"pull" name:"merge-sha" aliases:"merge_sha" placeholder:"COMMIT" help:"The commit that landed (resolved in --repo; empty: none)."`
	HeadSHA     *string `group:"pull" name:"head-sha" aliases:"head_sha" placeholder:"COMMIT" help:"Its head commit (resolved in --repo; empty: unknown)."`
	PullAuthor  *string `group:"pull" name:"pull-author" placeholder:"LOGIN" help:"Who opened it (the author column; --author names who corrects)."`
	Draft       *string `group:"pull" placeholder:"true|false" help:"Whether it is a draft."`
	shaFlags
}

// Help shows an example.
func (c *AmendCmd) Help() string {
	return "Appends a correction of each field given to events/corrections/YYYY-MM.csv of the\n" +
		"data branch, in one commit; the recorded event itself is never rewritten. Values\n" +
		"are checked as gitdora record checks them. Readers apply corrections in time order\n" +
		"(the latest wins). See docs/corrections.md.\n\n" +
		"Examples:\n  gitdora amend incident INC-42 --resolved=2026-03-04T12:30:00Z --reason \"restored at 12:30, not 14:00\"\n" +
		"  gitdora amend deployment deploy-1234 --status=failure --reason \"rolled back\" --push\n" +
		"  gitdora amend pull gh-pull-1296 --first-review=2026-03-02T15:00:00Z --reason \"reviewed in a call\""
}

// fields lists the fields given, in the order of the CSV columns.
func (c *AmendCmd) fields() []app.Field {
	var out []app.Field
	for _, f := range []struct {
		name string
		v    *string
	}{
		{"time", c.Time}, {"sha", c.SHA}, {"environment", c.Environment}, {"status", c.Status},
		{"scan_seconds", c.ScanSeconds}, {"pipeline_seconds", c.PipelineSeconds}, {"gate_blocked", c.GateBlocked},
		{"critical", c.Critical}, {"high", c.High}, {"medium", c.Medium}, {"low", c.Low}, {"source", c.Source},
		{"opened", c.Opened}, {"resolved", c.Resolved}, {"severity", c.Severity}, {"category", c.Category},
		{"commit", c.Commit}, {"deployment_id", c.DeploymentID}, {"cwe", c.CWE}, {"title", c.Title},
		{"number", c.Number}, {"ready", c.Ready}, {"first_commit", c.FirstCommit}, {"first_review", c.FirstReview},
		{"approved", c.Approved}, {"merged", c.Merged}, {"merge_sha", c.MergeSHA}, {"head_sha", c.HeadSHA},
		{"author", c.PullAuthor}, {"draft", c.Draft},
	} {
		if f.v != nil {
			out = append(out, app.Field{Name: f.name, Value: *f.v})
		}
	}
	return out
}

// Run appends the corrections.
func (c *AmendCmd) Run(g *Globals) error {
	req, err := c.request(g)
	if err != nil {
		return err
	}
	req.Fields = c.fields()
	req.Commit = func(field, rev string) (string, error) {
		store, err := data.Open(g.Repo, g.Data)
		if err != nil {
			return "", err
		}
		return c.resolve(g, store, "--"+field, rev)
	}
	return app.Correct(g.context(), req, g.env())
}

// VoidCmd is `gitdora void`.
type VoidCmd struct {
	correctFlags
}

// Help shows an example.
func (c *VoidCmd) Help() string {
	return "Appends a void of the event to events/corrections/YYYY-MM.csv in one commit: from\n" +
		"then on it counts nowhere (collect, compute, reports). A void is final: the event\n" +
		"is not amended after it. See docs/corrections.md.\n\n" +
		"Example:\n  gitdora void deployment deploy-1234 --reason \"recorded twice, as deploy-1233\""
}

// Run appends the void.
func (c *VoidCmd) Run(g *Globals) error {
	req, err := c.request(g)
	if err != nil {
		return err
	}
	req.Void = true
	return app.Correct(g.context(), req, g.env())
}
