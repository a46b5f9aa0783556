package demo

import (
	"encoding/json"
	"strings"
	"time"
)

// The SARIF 2.1.0 members the demo's tools write, in the order they write them.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool              sarifTool          `json:"tool"`
		Invocations       []sarifInvocation  `json:"invocations,omitempty"`
		AutomationDetails *sarifAutomation   `json:"automationDetails,omitempty"`
		Results           []sarifResult      `json:"results"`
		ColumnKind        string             `json:"columnKind,omitempty"`
		Properties        *map[string]string `json:"properties,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		Organization    string      `json:"organization,omitempty"`
		SemanticVersion string      `json:"semanticVersion"`
		InformationURI  string      `json:"informationUri,omitempty"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name,omitempty"`
		ShortDescription     sarifText          `json:"shortDescription"`
		DefaultConfiguration *sarifConfig       `json:"defaultConfiguration,omitempty"`
		Properties           *sarifRuleProperty `json:"properties,omitempty"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProperty struct {
		Tags             []string `json:"tags,omitempty"`
		Precision        string   `json:"precision,omitempty"`
		SecuritySeverity string   `json:"security-severity,omitempty"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool   `json:"executionSuccessful"`
		StartTimeUTC        string `json:"startTimeUtc,omitempty"`
		EndTimeUTC          string `json:"endTimeUtc,omitempty"`
	}
	sarifAutomation struct {
		ID string `json:"id"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           *int               `json:"ruleIndex,omitempty"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		Fingerprints        map[string]string  `json:"fingerprints,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int        `json:"startLine"`
		StartColumn int        `json:"startColumn"`
		EndLine     int        `json:"endLine"`
		EndColumn   int        `json:"endColumn"`
		Snippet     *sarifText `json:"snippet,omitempty"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status,omitempty"`
		Justification string `json:"justification,omitempty"`
	}
)

// SARIF is tool t's log of night n, as the tool writes it.
func (p *Plan) SARIF(t, n int) ([]byte, error) {
	tool := &tools[t]
	scan := p.Nights[n].Scans[t]
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: tool.Name, SemanticVersion: tool.Version}}, Results: []sarifResult{}}
	d := &run.Tool.Driver
	for _, r := range tool.Rules {
		sr := sarifRule{ID: r.ID, ShortDescription: sarifText{r.Text}}
		if r.Level != "" {
			sr.DefaultConfiguration = &sarifConfig{Level: r.Level}
		}
		var tags []string
		switch t {
		case semgrep:
			sr.Name = r.ID
			if r.CWE != "" {
				tags = append(tags, r.CWE+": "+r.Text)
			}
			sr.Properties = &sarifRuleProperty{Tags: append(tags, "security"), Precision: "medium"}
		case codeql:
			sr.Name = r.ID
			tags = append(tags, "security")
			if r.CWE != "" {
				tags = append(tags, "external/cwe/cwe-"+strings.TrimPrefix(r.CWE, "CWE-"))
			}
			sr.Properties = &sarifRuleProperty{Tags: tags, Precision: "high", SecuritySeverity: r.Score}
		}
		d.Rules = append(d.Rules, sr)
	}
	switch t {
	case semgrep:
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true}}
	case codeql:
		d.Organization = "GitHub"
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, StartTimeUTC: utc(scan.Start.Add(15 * time.Second)), EndTimeUTC: utc(scan.End.Add(-5 * time.Second))}}
		run.AutomationDetails = &sarifAutomation{ID: "/language:go/"}
		run.ColumnKind = "utf16CodeUnits"
		run.Properties = &map[string]string{"semmle.formatSpecifier": "sarif-latest"}
	case gitleaks:
		d.InformationURI = "https://github.com/gitleaks/gitleaks"
	}
	for _, f := range p.Findings {
		if f.Tool != t {
			continue
		}
		in, suppressed := f.reported(n)
		if !in {
			continue
		}
		r := tool.Rules[f.Rule]
		line := f.lineAt(n)
		res := sarifResult{RuleID: r.ID, Message: sarifText{r.Text + " in " + f.URI}}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: f.URI}, Region: sarifRegion{StartLine: line, StartColumn: 2, EndLine: line, EndColumn: 2 + len(f.Snippet), Snippet: &sarifText{f.Snippet}}}
		switch t {
		case semgrep:
			loc.ArtifactLocation.URIBaseID = "%SRCROOT%"
			res.Fingerprints = map[string]string{"matchBasedId/v1": f.Fingerprint + f.Fingerprint + "_0"}
		case codeql:
			loc.ArtifactLocation.URIBaseID = "%SRCROOT%"
			idx := f.Rule
			res.RuleIndex = &idx
			res.PartialFingerprints = map[string]string{"primaryLocationLineHash": f.Fingerprint[:16] + ":1", "primaryLocationStartColumnFingerprint": "0"}
		}
		res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		if suppressed {
			if len(f.Spans) == 0 { // suppressed in the source from the start
				res.Suppressions = []sarifSuppression{{Kind: "inSource"}}
			} else {
				res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: "False positive: the value never comes from a request"}}
			}
		}
		run.Results = append(run.Results, res)
	}
	b, err := json.MarshalIndent(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	return append(b, '\n'), err
}

func utc(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
