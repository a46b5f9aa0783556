package main

// IngestSarifCmd is `gitdora ingest sarif`.
type IngestSarifCmd struct {
	Files    []string `arg:"" name:"FILE" help:"SARIF 2.1.0 files, optionally gzipped."`
	SHA      string   `default:"HEAD" help:"Commit the scan ran on."`
	Ref      string   `help:"Branch or ref scanned (default: the branch checked out in --repo)."`
	At       string   `placeholder:"RFC3339" help:"Scan time when the SARIF has no invocation end time."`
	ScanType string   `default:"full" enum:"full,incremental" help:"full or incremental."`
	Push     bool     `help:"Push the data branch to the remote."`
	Remote   string   `default:"origin" help:"Remote to push to."`
}

// Help shows an example.
func (c *IngestSarifCmd) Help() string {
	return "Example:\n  gitdora ingest sarif semgrep.sarif codeql.sarif.gz --sha $GITHUB_SHA --ref main --push"
}

// Run stores the files.
func (c *IngestSarifCmd) Run(g *Globals) error { return errNotImplemented }

// IngestCICmd is `gitdora ingest ci`.
type IngestCICmd struct {
	Files  []string `arg:"" name:"FILE" help:"GitHub Actions run JSON with its jobs (gh api output)."`
	Push   bool     `help:"Push the data branch to the remote."`
	Remote string   `default:"origin" help:"Remote to push to."`
}

// Help shows an example.
func (c *IngestCICmd) Help() string {
	return "Example:\n  gh api repos/OWNER/REPO/actions/runs/$RUN_ID > run.json\n  gh api repos/OWNER/REPO/actions/runs/$RUN_ID/jobs > jobs.json\n  gitdora ingest ci run.json jobs.json --push"
}

// Run stores the run records.
func (c *IngestCICmd) Run(g *Globals) error { return errNotImplemented }
