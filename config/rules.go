package config

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// AlertRule is one rule under `alerts:`, with where it stands in its file.
// Only the YAML shape is checked here; the condition and the meaning of the
// fields are checked by package compute/alert.
type AlertRule struct {
	Name      string   `yaml:"name"`
	Condition string   `yaml:"condition"`
	Window    Duration `yaml:"window"`
	For       Duration `yaml:"for"`
	Severity  string   `yaml:"severity"`
	Message   string   `yaml:"message"`

	File   string         `yaml:"-"` // the file the rule was read from
	Line   int            `yaml:"-"` // line of the rule in File
	CondAt Pos            `yaml:"-"` // where the condition's text starts in File
	Lines  map[string]int `yaml:"-"` // line of each key given (name, for, …)
}

// LineOf is the line of key in the rule, or of the rule when the key is
// not given.
func (r *AlertRule) LineOf(key string) int {
	if l, ok := r.Lines[key]; ok {
		return l
	}
	return r.Line
}

// Pos is a line and column (both from 1) in a file.
type Pos struct{ Line, Column int }

// alertRuleKeys are the keys of a rule, in the order the docs give them.
var alertRuleKeys = []string{"name", "condition", "window", "for", "severity", "message"}

// Label names the rule in messages: "alert NAME", or "alert rule" when it
// has no name.
func (r *AlertRule) Label() string {
	if r.Name == "" {
		return "alert rule"
	}
	return "alert " + r.Name
}

// UnmarshalYAML reads a rule, records where it stands, and refuses unknown
// keys and bad durations with a message that names the rule and the line.
func (r *AlertRule) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: an alert rule is a mapping of %s", n.Line, strings.Join(alertRuleKeys, ", "))
	}
	*r = AlertRule{Line: n.Line, Lines: map[string]int{}}
	// The name first, so that every later message can name the rule.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			if s, ok := scalarText(n.Content[i+1]); ok {
				r.Name = strings.TrimSpace(s)
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		known := false
		for _, key := range alertRuleKeys {
			known = known || k.Value == key
		}
		if !known {
			return fmt.Errorf("line %d: %s: unknown key %q (want %s)", k.Line, r.Label(), k.Value, strings.Join(alertRuleKeys, ", "))
		}
		s, ok := scalarText(v)
		if !ok {
			return fmt.Errorf("line %d: %s: %s: want a single value, not a list or mapping", v.Line, r.Label(), k.Value)
		}
		r.Lines[k.Value] = k.Line
		switch k.Value {
		case "name":
		case "condition":
			r.Condition = s
			r.CondAt = Pos{v.Line, v.Column}
			if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				r.CondAt.Column++
			}
		case "window", "for":
			var d Duration
			if strings.TrimSpace(s) != "" {
				var err error
				if d, err = ParseDuration(s); err != nil {
					return fmt.Errorf("line %d: %s: %s: %v", v.Line, r.Label(), k.Value, err)
				}
			}
			if k.Value == "for" {
				r.For = d
			} else {
				r.Window = d
			}
		case "severity":
			r.Severity = strings.TrimSpace(s)
		case "message":
			r.Message = s
		}
	}
	return nil
}

// scalarText is the text of a scalar node ("" for null); ok is false for a
// list or a mapping.
func scalarText(v *yaml.Node) (string, bool) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.ScalarNode {
		return "", false
	}
	if v.Tag == "!!null" {
		return "", true
	}
	return v.Value, true
}

// ParseRules reads a rules file given with --rules: a mapping with an
// `alerts:` list (a whole gitdora.yml works; its other keys are ignored)
// or a bare list of rules. name is used in messages and kept in each rule.
func ParseRules(b []byte, name string) ([]AlertRule, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the file is empty (want an alerts: list of rules)", name)
		}
		return nil, fmt.Errorf("%s: %s", name, yamlMessage(b, err))
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	list := root
	if root.Kind == yaml.MappingNode {
		list = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "alerts" {
				list = root.Content[i+1]
			}
		}
		if list == nil {
			return nil, fmt.Errorf("%s: line %d: no alerts: key (want alerts: followed by a list of rules, or a bare list of rules)", name, root.Line)
		}
	}
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return []AlertRule{}, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: line %d: want a list of alert rules (- name: …, condition: …, for: …)", name, list.Line)
	}
	rules := []AlertRule{}
	if err := list.Decode(&rules); err != nil {
		return nil, fmt.Errorf("%s: %s", name, yamlMessage(b, err))
	}
	for i := range rules {
		rules[i].File = name
	}
	return rules, nil
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): `) })

// yamlMessage is a YAML error without its "yaml: " prefix. A syntax error
// inside the alerts list also names the rule it is in (or next to: the
// YAML parser sometimes reports the line before the one at fault).
func yamlMessage(src []byte, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	m := yamlLine().FindStringSubmatch(msg)
	if m == nil || strings.HasPrefix(msg[len(m[0]):], "alert ") {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	for _, l := range []int{line, line + 1} {
		if name, start, ok := ruleAround(src, l); ok {
			if name == "" {
				return fmt.Sprintf("%s (in the alert rule that starts at line %d)", msg, start)
			}
			return fmt.Sprintf("%s (in alert %s, which starts at line %d)", msg, name, start)
		}
	}
	return msg
}

var (
	alertsKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^alerts\s*:\s*(#.*)?$`) })
	nameKey   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(?:-\s+)?name\s*:\s*(.*?)\s*(?:#.*)?$`) })
)

// ruleAround finds, by reading the text line by line (the YAML may not
// parse), the alert rule that line (from 1) falls in: its name ("" when it
// has none yet) and the line it starts at.
func ruleAround(src []byte, line int) (name string, start int, ok bool) {
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	from, to := -1, len(lines) // the alerts list: lines[from:to]
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if from < 0 {
			if alertsKey().MatchString(l) {
				from = i + 1
			} else if t != "" && !strings.HasPrefix(t, "#") && strings.HasPrefix(t, "-") && i == indexFirstContent(lines) {
				from = i // a bare list of rules
			}
			continue
		}
		if l != "" && l[0] != ' ' && l[0] != '-' && l[0] != '#' && l[0] != '\t' {
			to = i
			break
		}
	}
	if from < 0 || line-1 < from || line-1 >= to {
		return "", 0, false
	}
	indent := -1
	itemStart := -1
	for i := from; i < to; i++ {
		t := strings.TrimLeft(lines[i], " ")
		if !strings.HasPrefix(t, "-") {
			continue
		}
		in := len(lines[i]) - len(t)
		if indent < 0 {
			indent = in
		}
		if in != indent {
			continue
		}
		if i > line-1 {
			break
		}
		itemStart = i
	}
	if itemStart < 0 {
		return "", 0, false
	}
	for i := itemStart; i < to; i++ {
		if i > itemStart {
			t := strings.TrimLeft(lines[i], " ")
			if strings.HasPrefix(t, "-") && len(lines[i])-len(t) == indent {
				break
			}
		}
		if m := nameKey().FindStringSubmatch(lines[i]); m != nil {
			name = strings.Trim(m[1], `"'`)
			break
		}
	}
	return name, itemStart + 1, true
}

func indexFirstContent(lines []string) int {
	for i, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") && t != "---" {
			return i
		}
	}
	return -1
}
