package config

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// TemplateVersion is the version of the gitdora.yml that gitdora init
// writes. A file that says "gitdora template N" (N ≥ 2) in a comment line
// is read as given. A file that does not may have been written by an older
// gitdora init, which wrote its own defaults out in full: a value equal to
// an older template's default counts as unset (docs/metrics.md,
// "Configuration written by an older gitdora").
const TemplateVersion = 2

var templateMark = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^#.*\bgitdora template ([0-9]+)\b`) })

// templateOf is the template version a file says it was written from, 0
// when it says none.
func templateOf(b []byte) int {
	m := templateMark().FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return 0
	}
	return n
}

// olderDefault is a value that an older template of gitdora.yml wrote as
// the default of a setting.
type olderDefault struct {
	key   string // as messages name it
	value string
	field func(*Settings) *string
}

// olderDefaults are the settings whose default changed since an older
// template, with the value that template wrote. A file without the
// template mark that holds one of them verbatim is read as if the key
// were not there.
var olderDefaults = []olderDefault{
	{"trunk", "main", func(s *Settings) *string { return &s.Trunk }},
	// It matched the steps that install a scanner, upload or ingest its
	// SARIF, and run the gate, as well as those that scan.
	{"ci.scan_step_pattern", "(?i)(security|semgrep|codeql|sarif|scan)", func(s *Settings) *string { return &s.CI.ScanStepPattern }},
}

// olderAlertMessages are the messages older templates gave the default
// alert rules whose message changed, by rule name.
// They named a DORA Elite target that only one benchmark has.
var olderAlertMessages = map[string]string{
	"DORA_DeploymentFrequencyLow": "Deployment frequency below the DORA Elite target of one a day",
	"DORA_LeadTimeDegraded":       "Lead time p50 above the one-hour DORA Elite target",
}

// unsetOlderDefaults reads the values of c that equal an older template's
// default as unset: they take today's default from base. It says so in
// c.Notes, once for the file. b is the file, name names it.
func unsetOlderDefaults(c, base *Settings, b []byte, name string) {
	if templateOf(b) >= TemplateVersion {
		return
	}
	var keys []string
	for _, d := range olderDefaults {
		if v := d.field(c); *v == d.value && *d.field(base) != d.value {
			*v = *d.field(base)
			keys = append(keys, fmt.Sprintf("%s: %s", d.key, d.value))
		}
	}
	var rules []string
	for i := range c.Alerts {
		r := &c.Alerts[i]
		old, ok := olderAlertMessages[r.Name]
		if !ok || r.Message != old || r.File != name {
			continue
		}
		r.Message = "" // said from the condition, unless the rule is the default one
		for _, d := range base.Alerts {
			if d.Name == r.Name && strings.TrimSpace(d.Condition) == strings.TrimSpace(r.Condition) {
				r.Message = d.Message
			}
		}
		rules = append(rules, r.Name)
	}
	if len(rules) > 0 {
		keys = append(keys, "the message of alert "+strings.Join(rules, ", "))
	}
	if len(keys) == 0 {
		return
	}
	c.Notes = append(c.Notes, fmt.Sprintf("%s holds defaults an older gitdora init wrote (%s); they are read as unset, so today's defaults apply. "+
		"Delete them to keep today's defaults, or add the comment line \"# gitdora template %d\" to the file to read every value as given",
		name, strings.Join(keys, "; "), TemplateVersion))
}

// Template is the gitdora.yml that gitdora init writes: DefaultYAML with
// trunk set to the branch init found ("" leaves it unset).
func Template(trunk string) []byte {
	if trunk == "" {
		return DefaultYAML
	}
	return bytes.Replace(DefaultYAML, []byte("\ntrunk: \"\"\n"), []byte("\ntrunk: "+yamlString(trunk)+"\n"), 1)
}

var plainScalar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._/-]*$`) })

// yamlString writes s as a YAML scalar: plain when that reads back as the
// same string, else double-quoted.
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "true", "false", "on", "off", "null":
		return strconv.Quote(s)
	}
	if plainScalar().MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}
