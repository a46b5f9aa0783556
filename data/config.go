package data

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the path of the configuration on the data branch.
const ConfigFile = "gitdora.yml"

// DefaultConfigYAML is the commented gitdora.yml that `gitdora init` writes;
// it holds every default, and Default parses it.
//
//go:embed gitdora.yml
var DefaultConfigYAML []byte

// Config is gitdora.yml.
type Config struct {
	Production     string            `yaml:"production_environment"`
	Trunk          string            `yaml:"trunk"`
	Deploy         DeployConfig      `yaml:"deploy"`
	LeadTime       LeadTimeConfig    `yaml:"lead_time"`
	Incidents      IncidentConfig    `yaml:"incidents"`
	CI             CIConfig          `yaml:"ci"`
	Severity       SeverityConfig    `yaml:"severity"`
	ScanBudget     ScanBudgetConfig  `yaml:"scan_budget"`
	Classification ClassConfig       `yaml:"classification"`
	Targets        map[string]string `yaml:"targets"`
	Alerts         []AlertRule       `yaml:"alerts"`
	Limits         LimitsConfig      `yaml:"limits"`
}

// DeployConfig says where deployments come from when no events are recorded.
type DeployConfig struct {
	Workflow   string `yaml:"workflow"`
	TagPattern string `yaml:"tag_pattern"`
}

// LeadTimeConfig tunes the lead time of changes.
type LeadTimeConfig struct {
	Start           string `yaml:"start"`            // author | committer
	FirstDeployment string `yaml:"first_deployment"` // exclude | include
	ExcludeAuthors  string `yaml:"exclude_authors"`  // regexp over "Name <email>"
}

// IncidentConfig tunes incident attribution.
type IncidentConfig struct {
	FromReverts       bool     `yaml:"from_reverts"`
	MaxAttributionGap Duration `yaml:"max_attribution_gap"`
}

// CIConfig tunes the reading of CI run records.
type CIConfig struct {
	ScanStepPattern string `yaml:"scan_step_pattern"`
}

// SeverityConfig overrides the severity of findings by rule id.
type SeverityConfig struct {
	Overrides map[string]string `yaml:"overrides"`
}

// ScanBudgetConfig gives the code base size for the scan-duration budget.
type ScanBudgetConfig struct {
	LOC int `yaml:"loc"`
}

// ClassConfig selects the DORA benchmark.
type ClassConfig struct {
	Benchmark string `yaml:"benchmark"`
}

// Default returns the defaults of every setting (DefaultConfigYAML parsed).
func Default() *Config {
	c, err := parseConfig(&Config{}, DefaultConfigYAML, "gitdora.yml (built in)")
	if err != nil {
		panic("built-in gitdora.yml: " + err.Error())
	}
	return c
}

// ParseConfig reads a gitdora.yml over the defaults: settings it gives
// replace the default, targets merge by metric, and an `alerts:` list
// replaces the default rules. name is used in error messages.
func ParseConfig(b []byte, name string) (*Config, error) {
	return parseConfig(Default(), b, name)
}

func parseConfig(base *Config, b []byte, name string) (*Config, error) {
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

// ReadConfigFile reads the configuration file at p (--config) over the
// defaults.
func ReadConfigFile(p string) (*Config, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	return ParseConfig(b, p)
}

func (c *Config) validate(name string) error {
	for _, f := range []struct {
		key, v string
		ok     []string
	}{
		{"lead_time.start", c.LeadTime.Start, []string{"author", "committer"}},
		{"lead_time.first_deployment", c.LeadTime.FirstDeployment, []string{"exclude", "include"}},
		{"classification.benchmark", c.Classification.Benchmark, []string{"dora-2023", "dora-2021"}},
	} {
		if err := oneOf(f.key, f.v, f.ok); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if _, err := path.Match(c.Deploy.TagPattern, ""); err != nil {
		return fmt.Errorf("%s: deploy.tag_pattern %q is not a valid pattern: %v", name, c.Deploy.TagPattern, err)
	}
	for key, pat := range map[string]string{"lead_time.exclude_authors": c.LeadTime.ExcludeAuthors, "ci.scan_step_pattern": c.CI.ScanStepPattern} {
		if _, err := regexp.Compile(pat); err != nil {
			return fmt.Errorf("%s: %s is not a valid regular expression: %v", name, key, err)
		}
	}
	for id, sev := range c.Severity.Overrides {
		if err := oneOf("severity.overrides."+id, sev, append(Severities, SeverityInfo)); err != nil {
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
	return c.Limits.check(name)
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

// LimitsConfig bounds the files gitdora stores and reads (README, Limits).
type LimitsConfig struct {
	SARIFBytes         ByteSize `yaml:"sarif_bytes"`         // a SARIF file, decompressed
	CIBytes            ByteSize `yaml:"ci_bytes"`            // a CI run JSON file
	DecompressionRatio int64    `yaml:"decompression_ratio"` // decompressed / compressed size of a gzip file
}

func (l LimitsConfig) check(name string) error {
	if l.SARIFBytes <= 0 || l.CIBytes <= 0 || l.DecompressionRatio <= 0 {
		return fmt.Errorf("%s: limits: sarif_bytes, ci_bytes and decompression_ratio must be more than 0", name)
	}
	return nil
}

// ByteSize is a size written as a number of bytes, or a number and a
// unit: KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (of 1024).
type ByteSize int64

// ParseByteSize parses "2GiB", "64 MiB", "500MB" or "1048576".
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRight(t, "KMGTiBkmgtib ")
	unit := strings.ToLower(strings.TrimSpace(t[len(num):]))
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || v < 0 || v*mult >= 1<<62 {
		return 0, fmt.Errorf("%q is not a size (want bytes, or a number and a unit: KB, MB, GB, TB, KiB, MiB, GiB, TiB, e.g. 2GiB)", s)
	}
	return ByteSize(v * mult), nil
}

// UnmarshalYAML parses the size.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*b = v
	return nil
}

// String writes the size in the largest binary unit that divides it.
func (b ByteSize) String() string {
	for _, u := range []struct {
		name string
		size ByteSize
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if b >= u.size && b%u.size == 0 {
			return strconv.FormatInt(int64(b/u.size), 10) + " " + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10) + " bytes"
}
