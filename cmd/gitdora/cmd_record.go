package main

// RecordDeploymentCmd is `gitdora record deployment`.
type RecordDeploymentCmd struct {
	ID              string  `required:"" help:"Unique id of the deployment (a repeated id is not written again)."`
	SHA             string  `required:"" help:"Commit deployed."`
	At              string  `required:"" placeholder:"RFC3339" help:"When it was deployed, RFC 3339 with an offset."`
	Env             string  `default:"production" help:"Environment deployed to."`
	Status          string  `default:"success" enum:"success,failure,blocked" help:"success, failure or blocked (stopped by the security gate)."`
	ScanSeconds     float64 `default:"-1" help:"Seconds the security scans took (omit if unknown)."`
	PipelineSeconds float64 `default:"-1" help:"Seconds the whole pipeline took (omit if unknown)."`
	GateBlocked     bool    `help:"The security gate blocked this deployment."`
	Critical        int     `help:"Critical findings at deploy time."`
	High            int     `help:"High findings at deploy time."`
	Medium          int     `help:"Medium findings at deploy time."`
	Low             int     `help:"Low findings at deploy time."`
	Source          string  `default:"cli" help:"What recorded it (cli, a workflow name, …)."`
	AllowUnknownSHA bool    `name:"allow-unknown-sha" help:"Accept a sha that is not in --repo."`
	Push            bool    `help:"Push the data branch to the remote (retrying when another writer got there first)."`
	Remote          string  `default:"origin" help:"Remote to push to."`
}

// Help shows an example.
func (c *RecordDeploymentCmd) Help() string {
	return "Example:\n  gitdora record deployment --id deploy-1234 --sha $GITHUB_SHA --at 2026-03-04T10:00:00Z --scan-seconds 95 --push"
}

// Run records the deployment.
func (c *RecordDeploymentCmd) Run(g *Globals) error { return errNotImplemented }

// RecordIncidentCmd is `gitdora record incident`.
type RecordIncidentCmd struct {
	ID              string `required:"" help:"Unique id of the incident (a repeated id is not written again)."`
	Opened          string `required:"" placeholder:"RFC3339" help:"When it was opened, RFC 3339 with an offset."`
	Resolved        string `placeholder:"RFC3339" help:"When service was restored (omit while open)."`
	Severity        string `required:"" enum:"critical,high,medium,low" help:"critical, high, medium or low."`
	Category        string `default:"other" enum:"security,reliability,other" help:"security, reliability or other."`
	Env             string `default:"production" help:"Environment it happened in."`
	Commit          string `help:"Commit that caused it, if known."`
	DeploymentID    string `help:"Deployment that caused it, if known."`
	CWE             string `name:"cwe" help:"CWE id, e.g. CWE-79."`
	Title           string `help:"Short title."`
	AllowUnknownSHA bool   `name:"allow-unknown-sha" help:"Accept a --commit that is not in --repo."`
	Push            bool   `help:"Push the data branch to the remote (retrying when another writer got there first)."`
	Remote          string `default:"origin" help:"Remote to push to."`
}

// Help shows an example.
func (c *RecordIncidentCmd) Help() string {
	return "Example:\n  gitdora record incident --id INC-42 --opened 2026-03-04T11:00:00Z --resolved 2026-03-04T12:30:00Z \\\n    --severity high --category security --commit 1a2b3c4 --title \"Token leaked in logs\" --push"
}

// Run records the incident.
func (c *RecordIncidentCmd) Run(g *Globals) error { return errNotImplemented }
