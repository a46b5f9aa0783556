package policy

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// policyNode returns the value of the top-level policy: key of a
// gitdora.yml text (nil when it has none).
func policyNode(t *testing.T, text string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "policy" {
			return m.Content[i+1]
		}
	}
	return nil
}

const specExample = `trunk: main
policy:
  gates:
    pull_request: {block_on: [critical, high], warn_on: [medium]}
    main:         {block_on: [critical], warn_on: [high, medium]}
    pre_commit:   {block_on: [], warn_on: [critical]}
  exemptions:
    paths: ["tests/**", "vendor/**"]
    findings:
      - rule_id: python.lang.security.audit.generic-exception-handler
        file: src/cli/error_handler.py
        justification: "Intentional catch-all for CLI error display"
        approved_by: security-team
        expires: 2026-06-01
  sla: {critical: 7d, high: 30d, medium: 90d, low: 180d}
`

func TestParseSpecExample(t *testing.T) {
	p, err := Parse(policyNode(t, specExample))
	if err != nil {
		t.Fatal(err)
	}
	wantGates := map[string]Gate{
		PullRequest: {BlockOn: []string{"critical", "high"}, WarnOn: []string{"medium"}},
		Main:        {BlockOn: []string{"critical"}, WarnOn: []string{"high", "medium"}},
		PreCommit:   {BlockOn: []string{}, WarnOn: []string{"critical"}},
	}
	if !reflect.DeepEqual(p.Gates, wantGates) {
		t.Errorf("gates %+v, want %+v", p.Gates, wantGates)
	}
	wantSLA := SLA{"critical": 7 * 24 * time.Hour, "high": 30 * 24 * time.Hour, "medium": 90 * 24 * time.Hour, "low": 180 * 24 * time.Hour}
	if !reflect.DeepEqual(p.SLA, wantSLA) {
		t.Errorf("sla %v, want %v", p.SLA, wantSLA)
	}
	if len(p.Exemptions.Paths) != 2 || p.Exemptions.Paths[0].Glob.String() != "tests/**" || p.Exemptions.Paths[1].Glob.String() != "vendor/**" || p.Exemptions.Paths[1].Line != 8 {
		t.Errorf("paths %+v", p.Exemptions.Paths)
	}
	if len(p.Exemptions.Findings) != 1 {
		t.Fatalf("findings %+v", p.Exemptions.Findings)
	}
	e := p.Exemptions.Findings[0]
	if e.RuleID != "python.lang.security.audit.generic-exception-handler" || e.File.String() != "src/cli/error_handler.py" ||
		e.Justification != "Intentional catch-all for CLI error display" || e.ApprovedBy != "security-team" ||
		e.Expires != (Date{2026, time.June, 1}) || e.Line != 10 || e.Tool != "" || e.Fingerprint != "" {
		t.Errorf("finding exemption %+v", e)
	}
	// The example is the default policy, apart from its exemptions.
	d := Default()
	if !reflect.DeepEqual(d.Gates, p.Gates) || !reflect.DeepEqual(d.SLA, p.SLA) || d.Exemptions.Paths != nil || d.Exemptions.Findings != nil {
		t.Errorf("Default() = %+v, want the example's gates and SLA and no exemptions", d)
	}
}

func TestParseOverDefaults(t *testing.T) {
	for _, text := range []string{"trunk: main\n", "policy:\n", "policy: {}\n", "policy: {gates: {}, sla: {}}\n"} {
		p, err := Parse(policyNode(t, text))
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if !reflect.DeepEqual(p, Default()) {
			t.Errorf("%q: %+v, want the defaults", text, p)
		}
	}
	p, err := Parse(policyNode(t, `policy:
  gates:
    main: {block_on: [HIGH, critical, high]}
    pre_commit:
  sla: {critical: 3d, low: 12h}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Gate{
		PullRequest: {BlockOn: []string{"critical", "high"}, WarnOn: []string{"medium"}}, // default
		Main:        {BlockOn: []string{"high", "critical"}, WarnOn: []string{}},         // replaced whole
		PreCommit:   {BlockOn: []string{}, WarnOn: []string{}},                           // given empty
	}
	if !reflect.DeepEqual(p.Gates, want) {
		t.Errorf("gates %+v, want %+v", p.Gates, want)
	}
	wantSLA := SLA{"critical": 72 * time.Hour, "high": 30 * 24 * time.Hour, "medium": 90 * 24 * time.Hour, "low": 12 * time.Hour}
	if !reflect.DeepEqual(p.SLA, wantSLA) {
		t.Errorf("sla %v, want %v", p.SLA, wantSLA)
	}
	// Parsing changed no default.
	if g, _ := Default().Gate(Main); !reflect.DeepEqual(g, Gate{BlockOn: []string{"critical"}, WarnOn: []string{"high", "medium"}}) {
		t.Errorf("default main gate changed: %+v", g)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"policy: [a]\n",
			"line 1, column 9: policy: want a mapping with the keys gates, exemptions or sla"},
		{"policy:\n  gate: {}\n",
			`line 2, column 3: policy: unknown key "gate" (want gates, exemptions or sla)`},
		{"policy:\n  sla: {high: 1d}\n  sla: {low: 1d}\n",
			`line 3, column 3: policy: "sla" is given twice`},
		{"policy:\n  gates:\n    merge_queue: {block_on: [high]}\n",
			`line 3, column 5: policy.gates: unknown key "merge_queue" (want pull_request, main or pre_commit)`},
		{"policy:\n  gates:\n    main: {block_on: [critical, severe]}\n",
			`line 3, column 33: policy.gates.main.block_on[1]: "severe" is not a severity (want critical, high, medium or low)`},
		{"policy:\n  gates:\n    main: {block_on: [info]}\n",
			`line 3, column 23: policy.gates.main.block_on[0]: "info" is not a severity (want critical, high, medium or low)`},
		{"policy:\n  gates:\n    main: {block_on: high}\n",
			`line 3, column 22: policy.gates.main.block_on: want a list of severities (critical, high, medium or low), e.g. [critical, high]`},
		{"policy:\n  gates:\n    main: {blocks: [high]}\n",
			`line 3, column 12: policy.gates.main: unknown key "blocks" (want block_on or warn_on)`},
		{"policy:\n  gates:\n    main: {block_on: [high], warn_on: [medium, high]}\n",
			`line 3, column 11: policy.gates.main: high is in both block_on and warn_on`},
		{"policy:\n  exemptions:\n    paths: tests/**\n",
			`line 3, column 12: policy.exemptions.paths: want a list of globs`},
		{"policy:\n  exemptions:\n    paths: [\"tests/**\", \"src/[a\"]\n",
			`line 3, column 25: policy.exemptions.paths[1]: glob "src/[a": unterminated character class`},
		{"policy:\n  exemptions:\n    paths: [\"/vendor/**\"]\n",
			`line 3, column 13: policy.exemptions.paths[0]: glob "/vendor/**": starts with /`},
		{"policy:\n  exemptions:\n    paths: [{a: b}]\n",
			`line 3, column 13: policy.exemptions.paths[0]: a mapping is not a glob`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        expires: 2026-06-01\n",
			`line 4, column 9: policy.exemptions.findings[0]: a finding exemption needs justification`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: \"  \"\n        expires: 2026-06-01\n",
			`line 4, column 9: policy.exemptions.findings[0]: a finding exemption needs justification`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: why\n",
			`line 4, column 9: policy.exemptions.findings[0]: a finding exemption needs expires`},
		{"policy:\n  exemptions:\n    findings:\n      - justification: why\n        expires: 2026-06-01\n",
			`line 4, column 9: policy.exemptions.findings[0]: a finding exemption needs rule_id`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: why\n        expires: 2026-13-01\n",
			`line 6, column 18: policy.exemptions.findings[0].expires: "2026-13-01" is not a date (want YYYY-MM-DD, e.g. 2026-06-01)`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: why\n        expires: next month\n",
			`line 6, column 18: policy.exemptions.findings[0].expires: "next month" is not a date`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: why\n        expires: 2026-06-01T10:00:00Z\n",
			`line 6, column 18: policy.exemptions.findings[0].expires: "2026-06-01T10:00:00Z" is not a date`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: why\n        expires:\n",
			`line 6, column 17: policy.exemptions.findings[0].expires: want a value, not nothing`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        justification: why\n        expires: 2026-06-01\n        expiry: 2026-07-01\n",
			`line 7, column 9: policy.exemptions.findings[0]: unknown key "expiry" (want rule_id, tool, file, fingerprint, justification, approved_by or expires)`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r\n        file: \"src/**.py\"\n        justification: why\n        expires: 2026-06-01\n",
			`line 5, column 15: policy.exemptions.findings[0].file: glob "src/**.py": ** must be a whole path segment`},
		{"policy:\n  exemptions:\n    findings: [r1]\n",
			`line 3, column 16: policy.exemptions.findings[0]: want a mapping with rule_id, justification and expires`},
		{"policy:\n  sla: {high: 30 days}\n",
			`line 2, column 15: policy.sla.high: "30 days" is not a duration (want e.g. 7d, 12h or 2w)`},
		{"policy:\n  sla: {high: 0d}\n",
			`line 2, column 15: policy.sla.high: "0d" is not more than zero`},
		{"policy:\n  sla: {high: [1d]}\n",
			`line 2, column 15: policy.sla.high: a list is not a duration`},
		{"policy:\n  sla: {info: 1d}\n",
			`line 2, column 9: policy.sla: unknown key "info" (want critical, high, medium or low)`},
		{"policy:\n  sla: {low: 36600d}\n",
			`line 2, column 14: policy.sla.low: "36600d" is longer than 36500 days`},
	} {
		_, err := Parse(policyNode(t, c.text))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.text, err, c.want)
		}
	}
}

// TestUnmarshalYAML reads a policy as a field of a larger configuration.
func TestUnmarshalYAML(t *testing.T) {
	var cfg struct {
		Trunk  string `yaml:"trunk"`
		Policy Policy `yaml:"policy"`
	}
	if err := yaml.Unmarshal([]byte("trunk: main\npolicy:\n  sla: {high: 14d}\n"), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.SLA["high"] != 14*24*time.Hour || cfg.Policy.SLA["critical"] != 7*24*time.Hour {
		t.Errorf("sla %v: want high 14d over the defaults", cfg.Policy.SLA)
	}
	if g, _ := cfg.Policy.Gate(PullRequest); !reflect.DeepEqual(g.BlockOn, []string{"critical", "high"}) {
		t.Errorf("pull_request gate %+v: want the default", g)
	}
	// Over an existing policy: it keeps what the text does not give.
	base := Default()
	base.SLA["low"] = time.Hour
	if err := yaml.Unmarshal([]byte("sla: {high: 1d}\n"), base); err != nil {
		t.Fatal(err)
	}
	if base.SLA["low"] != time.Hour || base.SLA["high"] != 24*time.Hour {
		t.Errorf("sla %v: want low 1h kept and high 1d", base.SLA)
	}
	// An error names the line and leaves the policy as it was.
	err := yaml.Unmarshal([]byte("sla: {high: 1d}\ngates: {main: {block_on: [urgent]}}\n"), base)
	if err == nil || !strings.Contains(err.Error(), "line 2, column 27: policy.gates.main.block_on[0]") {
		t.Errorf("error %v", err)
	}
	if base.SLA["high"] != 24*time.Hour {
		t.Errorf("a failed unmarshal changed the policy: %v", base.SLA)
	}
	// Without policy: the zero Policy's gate is the default.
	var zero Policy
	if g, err := zero.Gate(Main); err != nil || !reflect.DeepEqual(g.WarnOn, []string{"high", "medium"}) {
		t.Errorf("zero policy: %+v %v", g, err)
	}
	if _, err := zero.Gate("merge_queue"); err == nil || err.Error() != `unknown gate context "merge_queue" (want pull_request, main or pre_commit)` {
		t.Errorf("unknown context: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for s, want := range map[string]time.Duration{
		"7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour, "12h": 12 * time.Hour, "2w": 14 * 24 * time.Hour,
		"1.5d": 36 * time.Hour, "90m": 90 * time.Minute, "1h30m": 90 * time.Minute, " 7d ": 7 * 24 * time.Hour,
		"36500d": 36500 * 24 * time.Hour,
	} {
		if got, err := ParseDuration(s); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v, want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "d", "7", "7D", "-7d", "+7d", "0d", "0h", "1.d", ".5d", "1e3d", "7 d", "seven days", "36501d", "5300w", "9999999999h", "NaNd", "infd"} {
		if got, err := ParseDuration(s); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", s, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	if d, err := ParseDate("2028-02-29"); err != nil || d != (Date{2028, time.February, 29}) || d.String() != "2028-02-29" {
		t.Errorf("ParseDate(2028-02-29) = %v, %v", d, err)
	}
	for _, s := range []string{"2026-02-29", "2026-6-1", "01/06/2026", "2026-06-01 ", ""} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q): no error", s)
		}
	}
}
