// Package config is the gitdora.yml schema: Settings and its sections,
// the defaults (the commented gitdora.yml that gitdora init writes),
// parsing and validation with messages that name the file and line, and
// the alert rules with their condition language.
//
// config does no I/O: it reads bytes it is given. It imports only the
// leaf packages fact and policy (the `policy:` section), the standard
// library and go.yaml.in/yaml/v3.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/policy"
	"go.yaml.in/yaml/v3"
)

// DefaultYAML is the commented gitdora.yml that `gitdora init` writes;
// it holds every default, and Default parses it.
//
//go:embed gitdora.yml
var DefaultYAML []byte

// Settings is gitdora.yml.
type Settings struct {
	Production     string            `yaml:"production_environment"`
	Trunk          string            `yaml:"trunk"`
	Timezone       string            `yaml:"timezone"`
	Deploy         Deploy            `yaml:"deploy"`
	LeadTime       LeadTime          `yaml:"lead_time"`
	Incidents      Incidents         `yaml:"incidents"`
	CI             CI                `yaml:"ci"`
	Severity       Severity          `yaml:"severity"`
	ScanBudget     ScanBudget        `yaml:"scan_budget"`
	Classification Classification    `yaml:"classification"`
	Targets        map[string]string `yaml:"targets"`
	Alerts         []AlertRule       `yaml:"alerts"`

	// Notes are what reading the file found worth saying once, such as
	// values an older gitdora init wrote that are read as unset.
	Notes []string `yaml:"-"`
	// Policy is the security policy (docs/policy.md): gates, exemptions,
	// SLA. Its errors name the line and column of gitdora.yml.
	Policy policy.Policy `yaml:"policy"`
	// Report says what published reports show of open findings
	// (docs/publishing.md).
	Report ReportFindings `yaml:"report"`
	// Limits bounds what gitdora stores and reads (README, Limits).
	Limits Limits `yaml:"limits"`
	// Services are the services of a monorepo and Teams where teams come
	// from (docs/services.md).
	Services Services `yaml:"services"`
	Teams    Teams    `yaml:"teams"`
	// Scans says what ingest stores of a SARIF file (docs/data-branch.md).
	Scans Scans `yaml:"scans"`
}

// Scans says what ingest stores of a SARIF file.
type Scans struct {
	// KeepRaw stores the SARIF file beside its normalised findings; when
	// false, only the normalised findings are stored (smaller, but
	// `gitdora reindex` cannot rebuild them).
	KeepRaw bool `yaml:"keep_raw"`
}

// Deploy says where deployments come from.
type Deploy struct {
	// Source is auto (for each month, the first source that has any:
	// events, ci, tags) or the one source to read: events, ci or tags.
	Source     string `yaml:"source"`
	Workflow   string `yaml:"workflow"`
	TagPattern string `yaml:"tag_pattern"`
}

// DeploySources are the values of deploy.source.
var DeploySources = []string{"auto", "events", "ci", "tags"}

// LeadTime tunes the lead time of changes.
type LeadTime struct {
	Start           string `yaml:"start"`            // author | committer
	FirstDeployment string `yaml:"first_deployment"` // exclude | include
	ExcludeAuthors  string `yaml:"exclude_authors"`  // regexp over "Name <email>"
	// Squash is on (a squash merge starts at the first commit of its pull
	// request's head, refs/pull/N/head, else of the imported pull request
	// whose merge_sha it is) or off.
	Squash string `yaml:"squash"`
}

// Incidents tunes incident tracking and attribution.
type Incidents struct {
	// Since is the first month (YYYY-MM) incidents are tracked for; ""
	// derives it (docs/metrics.md, "No incident data is not zero failures").
	Since             string   `yaml:"since"`
	FromReverts       bool     `yaml:"from_reverts"`
	MaxAttributionGap Duration `yaml:"max_attribution_gap"`
}

// CI tunes the reading of CI run records (docs/metrics.md, "Scan time").
type CI struct {
	// ScanStepPattern matches the steps (or jobs) that run a security scan.
	ScanStepPattern string `yaml:"scan_step_pattern"`
	// GateStepPattern matches the steps (or jobs) that run the security
	// gate: one that fails blocks the run, and its time is not scan time.
	GateStepPattern string `yaml:"gate_step_pattern"`
}

// Severity overrides the severity of findings by rule id.
type Severity struct {
	Overrides map[string]string `yaml:"overrides"`
}

// ScanBudget gives the code base size for the scan-duration budget.
type ScanBudget struct {
	LOC int `yaml:"loc"`
}

// Classification selects the DORA benchmark.
type Classification struct {
	Benchmark string `yaml:"benchmark"`
}

// Default returns the defaults of every setting (DefaultYAML parsed).
func Default() *Settings {
	c, err := parse(&Settings{}, DefaultYAML, "gitdora.yml (built in)")
	if err != nil {
		panic("built-in gitdora.yml: " + err.Error())
	}
	return c
}

// Parse reads a gitdora.yml over the defaults: settings it gives
// replace the default, targets merge by metric, and an `alerts:` list
// replaces the default rules. name is used in error messages.
func Parse(b []byte, name string) (*Settings, error) {
	return parse(Default(), b, name)
}

func parse(base *Settings, b []byte, name string) (*Settings, error) {
	c := *base
	c.Targets = make(map[string]string, len(base.Targets))
	for k, v := range base.Targets {
		c.Targets[k] = v
	}
	c.Severity.Overrides = make(map[string]string, len(base.Severity.Overrides))
	for k, v := range base.Severity.Overrides {
		c.Severity.Overrides[k] = v
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", name, yamlMessage(b, err))
	}
	for i := range c.Alerts {
		if c.Alerts[i].File == "" { // the default rules keep their own file
			c.Alerts[i].File = name
		}
	}
	c.Notes = nil
	unsetOlderDefaults(&c, base, b, name)
	for k, v := range c.Targets {
		if strings.EqualFold(strings.TrimSpace(v), "off") || strings.TrimSpace(v) == "" {
			delete(c.Targets, k)
		}
	}
	if err := c.validate(name); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Settings) validate(name string) error {
	for _, f := range []struct {
		key, v string
		ok     []string
	}{
		{"lead_time.start", c.LeadTime.Start, []string{"author", "committer"}},
		{"lead_time.first_deployment", c.LeadTime.FirstDeployment, []string{"exclude", "include"}},
		{"lead_time.squash", c.LeadTime.Squash, []string{"on", "off"}},
		{"classification.benchmark", c.Classification.Benchmark, []string{"dora-2023", "dora-2021"}},
		{"deploy.source", c.Deploy.Source, DeploySources},
		{"report.findings", c.Report.Findings, []string{"counts", "full"}},
	} {
		if err := oneOf(f.key, f.v, f.ok); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if s := c.Incidents.Since; s != "" {
		if _, err := time.Parse("2006-01", s); err != nil {
			return fmt.Errorf("%s: incidents.since is %q, want a month as YYYY-MM (or \"\" for the month of the first incident)", name, s)
		}
	}
	if _, err := path.Match(c.Deploy.TagPattern, ""); err != nil {
		return fmt.Errorf("%s: deploy.tag_pattern %q is not a valid pattern: %v", name, c.Deploy.TagPattern, err)
	}
	for key, pat := range map[string]string{"lead_time.exclude_authors": c.LeadTime.ExcludeAuthors, "ci.scan_step_pattern": c.CI.ScanStepPattern, "ci.gate_step_pattern": c.CI.GateStepPattern} {
		if _, err := regexp.Compile(pat); err != nil {
			return fmt.Errorf("%s: %s is not a valid regular expression: %v", name, key, err)
		}
	}
	for id, sev := range c.Severity.Overrides {
		if err := oneOf("severity.overrides."+id, sev, append(fact.Severities, fact.SeverityInfo)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for metric, t := range c.Targets {
		if _, _, err := ParseTarget(t); err != nil {
			return fmt.Errorf("%s: targets.%s: %v", name, metric, err)
		}
	}
	if c.Production == "" {
		return fmt.Errorf("%s: production_environment is empty", name)
	}
	if err := c.checkServices(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := c.Location(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Location is the time zone of the months (timezone; UTC when empty).
func (c *Settings) Location() (*time.Location, error) {
	if c.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "Local" {
		return nil, fmt.Errorf("timezone %q is not a known time zone (want e.g. UTC or Europe/Berlin)", c.Timezone)
	}
	return loc, nil
}

// ParseTarget splits a target such as "< 0.05" into its operator and number.
func ParseTarget(s string) (op string, v float64, err error) {
	s = strings.TrimSpace(s)
	for _, o := range []string{"<=", ">=", "==", "!=", "<", ">"} {
		if strings.HasPrefix(s, o) {
			v, err := strconv.ParseFloat(strings.TrimSpace(s[len(o):]), 64)
			if err != nil {
				return "", 0, fmt.Errorf("%q: want an operator and a number, e.g. \"< 24\"", s)
			}
			return o, v, nil
		}
	}
	return "", 0, fmt.Errorf("%q: want an operator (< <= > >= == !=) and a number, e.g. \"< 24\"", s)
}

// Duration is a time span written as a number and a unit: s, m, h, d or w.
type Duration time.Duration

// ParseDuration parses "90m", "24h", "7d", "2w" or a Go duration such as "1h30m".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		v, err := strconv.ParseFloat(s[:n-1], 64)
		if err == nil && v >= 0 {
			unit := 24 * time.Hour
			if s[n-1] == 'w' {
				unit *= 7
			}
			return Duration(v * float64(unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (want a number and a unit: s, m, h, d or w, e.g. 7d)", s)
	}
	return Duration(d), nil
}

// D returns the span as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalYAML parses the span.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*d = v
	return nil
}

// oneOf reports v when it is none of ok.
func oneOf[T ~string](field, v string, ok []T) error {
	want := fact.Names(ok)
	if slices.Contains(want, v) {
		return nil
	}
	return fmt.Errorf("%s is %q, want one of %s", field, v, strings.Join(want, ", "))
}

// day is the unit FormatDuration prefers.
const day = 24 * time.Hour

// FormatDuration writes d in days when it is whole days (7d), else in
// hours, minutes, seconds and milliseconds (36h, 1h30m, 1500ms): a form
// both gitdora and Prometheus read.
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	if d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	if b.Len() == 0 {
		return "1ms"
	}
	return b.String()
}
