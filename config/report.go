package config

// ReportFindings says what published reports show of findings
// (`report.findings`): "counts" (the default) keeps rule ids and file
// paths of findings out, showing counts and ages; "full" shows them
// (private repositories).
type ReportFindings struct {
	Findings string `yaml:"findings"`
}

// FindingDetails reports whether reports may name findings' rules and
// files: `report.findings: full`.
func (c *Settings) FindingDetails() bool { return c.Report.Findings == "full" }
