package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/internal/glob"
	"github.com/gitdora/gitdora/internal/yamledit"
)

// Error is a policy that cannot be used: where, and what was expected.
type Error struct {
	Line, Column int    // 1-based position in the YAML text; 0 when unknown
	Key          string // e.g. policy.exemptions.findings[0].expires
	Msg          string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Key)
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// MaxSLA is the longest SLA accepted.
const MaxSLA = 100 * 365 * day

// Parse reads the value of gitdora.yml's `policy:` key (a mapping; a
// document node holding one is unwrapped) over the defaults. A context
// given under gates replaces that context's default gate (a list it leaves
// out is empty); exemptions are as given; an SLA given for a severity
// replaces its default. A nil or null node is the default policy. Nothing
// is evaluated before the whole policy is checked: an unknown key,
// context or severity, a glob that does not compile, a finding exemption
// without rule_id, justification or expiry, an expiry that is not a date,
// an SLA that is not a duration: each is an *Error naming the line.
func Parse(n *yaml.Node) (*Policy, error) {
	p := Default()
	if err := p.merge(n); err != nil {
		return nil, err
	}
	return p, nil
}

// UnmarshalYAML reads a `policy:` mapping as Parse does, over p's
// contents, or over the defaults when p is the zero Policy; on an error p
// is left as it was. It lets a Policy be a field of the gitdora.yml
// structure.
func (p *Policy) UnmarshalYAML(n *yaml.Node) error {
	q := Default()
	if p.Gates != nil || p.SLA != nil || p.Exemptions.Paths != nil || p.Exemptions.Findings != nil {
		q = p.clone()
	}
	if err := q.merge(n); err != nil {
		return err
	}
	*p = *q
	return nil
}

func (p *Policy) clone() *Policy {
	q := &Policy{Gates: make(map[string]Gate, len(p.Gates)), SLA: make(SLA, len(p.SLA))}
	for c, g := range p.Gates {
		q.Gates[c] = Gate{BlockOn: slices.Clone(g.BlockOn), WarnOn: slices.Clone(g.WarnOn)}
	}
	for s, d := range p.SLA {
		q.SLA[s] = d
	}
	q.Exemptions.Paths = slices.Clone(p.Exemptions.Paths)
	q.Exemptions.Findings = slices.Clone(p.Exemptions.Findings)
	return q
}

const root = "policy"

func errAt(n *yaml.Node, key, format string, args ...any) error {
	e := &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

// entries checks that n is a mapping with only known keys, each once, and
// calls fn for each pair in order.
func entries(n *yaml.Node, key string, known []string, fn func(k string, kn, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n, key, "want a mapping with the keys %s", listOf(known))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := yamledit.Deref(n.Content[i]), yamledit.Deref(n.Content[i+1])
		if kn.Kind != yaml.ScalarNode {
			return errAt(kn, key, "want a key name (one of %s)", listOf(known))
		}
		k := kn.Value
		if known != nil && !slices.Contains(known, k) {
			return errAt(kn, key, "unknown key %s (want %s)", glob.Quote(k), listOf(known))
		}
		if seen[k] {
			return errAt(kn, key, "%s is given twice", glob.Quote(k))
		}
		seen[k] = true
		if err := fn(k, kn, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *Policy) merge(n *yaml.Node) error {
	n = yamledit.Deref(n)
	if yamledit.IsNull(n) {
		return nil
	}
	return entries(n, root, []string{"gates", "exemptions", "sla"}, func(k string, _, v *yaml.Node) error {
		key := root + "." + k
		if yamledit.IsNull(v) {
			return nil
		}
		switch k {
		case "gates":
			return p.parseGates(v, key)
		case "exemptions":
			return p.parseExemptions(v, key)
		default:
			return p.parseSLA(v, key)
		}
	})
}

func (p *Policy) parseGates(n *yaml.Node, key string) error {
	gates := map[string]Gate{}
	err := entries(n, key, Contexts(), func(c string, _, v *yaml.Node) error {
		var g Gate
		ckey := key + "." + c
		if !yamledit.IsNull(v) {
			err := entries(v, ckey, []string{"block_on", "warn_on"}, func(k string, _, l *yaml.Node) error {
				sevs, err := severityList(l, ckey+"."+k)
				if k == "block_on" {
					g.BlockOn = sevs
				} else {
					g.WarnOn = sevs
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		for _, s := range g.WarnOn {
			if slices.Contains(g.BlockOn, s) {
				return errAt(v, ckey, "%s is in both block_on and warn_on (a blocking severity is not also a warning)", s)
			}
		}
		if g.BlockOn == nil {
			g.BlockOn = []string{}
		}
		if g.WarnOn == nil {
			g.WarnOn = []string{}
		}
		gates[c] = g
		return nil
	})
	if err != nil {
		return err
	}
	for c, g := range gates {
		p.Gates[c] = g
	}
	return nil
}

// severityList reads a list of severities (any case; written lower).
func severityList(n *yaml.Node, key string) ([]string, error) {
	if yamledit.IsNull(n) {
		return []string{}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(n, key, "want a list of severities (%s), e.g. [critical, high]", listOf(Severities()))
	}
	out := []string{}
	for i, c := range n.Content {
		c = yamledit.Deref(c)
		s, err := severity(c, fmt.Sprintf("%s[%d]", key, i))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func severity(n *yaml.Node, key string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(n.Value))
	if n.Kind != yaml.ScalarNode || !slices.Contains(Severities(), s) {
		return "", errAt(n, key, "%s is not a severity (want %s)", describe(n), listOf(Severities()))
	}
	return s, nil
}

func (p *Policy) parseExemptions(n *yaml.Node, key string) error {
	var ex Exemptions
	err := entries(n, key, []string{"paths", "findings"}, func(k string, _, v *yaml.Node) error {
		lkey := key + "." + k
		if yamledit.IsNull(v) {
			return nil
		}
		if v.Kind != yaml.SequenceNode {
			if k == "paths" {
				return errAt(v, lkey, `want a list of globs, e.g. ["tests/**", "vendor/**"]`)
			}
			return errAt(v, lkey, "want a list of exemptions, each with rule_id, justification and expires")
		}
		for i, c := range v.Content {
			c = yamledit.Deref(c)
			ikey := fmt.Sprintf("%s[%d]", lkey, i)
			if k == "paths" {
				g, err := compileGlob(c, ikey)
				if err != nil {
					return err
				}
				ex.Paths = append(ex.Paths, PathExemption{Glob: g, Line: c.Line})
				continue
			}
			e, err := findingExemption(c, ikey)
			if err != nil {
				return err
			}
			ex.Findings = append(ex.Findings, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.Exemptions = ex
	return nil
}

func compileGlob(n *yaml.Node, key string) (*glob.Glob, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return nil, errAt(n, key, "%s is not a glob (want a path pattern such as tests/**)", describe(n))
	}
	g, err := glob.Compile(n.Value)
	if err != nil {
		return nil, errAt(n, key, "%v", err)
	}
	return g, nil
}

var findingKeys = []string{"rule_id", "tool", "file", "fingerprint", "justification", "approved_by", "expires"}

func findingExemption(n *yaml.Node, key string) (FindingExemption, error) {
	e := FindingExemption{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return e, errAt(n, key, "want a mapping with rule_id, justification and expires (and optionally tool, file, fingerprint, approved_by)")
	}
	err := entries(n, key, findingKeys, func(k string, _, v *yaml.Node) error {
		fkey := key + "." + k
		if k == "file" {
			g, err := compileGlob(v, fkey)
			e.File = g
			return err
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return errAt(v, fkey, "want a value, not %s", describe(v))
		}
		s := strings.TrimSpace(v.Value)
		switch k {
		case "rule_id":
			e.RuleID = s
		case "tool":
			e.Tool = s
		case "fingerprint":
			e.Fingerprint = s
		case "justification":
			e.Justification = s
		case "approved_by":
			e.ApprovedBy = s
		case "expires":
			d, err := ParseDate(s)
			if err != nil {
				return errAt(v, fkey, "%v", err)
			}
			e.Expires = d
		}
		return nil
	})
	if err != nil {
		return e, err
	}
	for _, req := range []struct{ k, v string }{
		{"rule_id", e.RuleID},
		{"justification", e.Justification},
		{"expires", dateOrEmpty(e.Expires)},
	} {
		if req.v == "" {
			return e, errAt(n, key, "a finding exemption needs %s (every exemption says which rule, why, and until when)", req.k)
		}
	}
	return e, nil
}

func dateOrEmpty(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func (p *Policy) parseSLA(n *yaml.Node, key string) error {
	sla := SLA{}
	err := entries(n, key, Severities(), func(s string, _, v *yaml.Node) error {
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return errAt(v, key+"."+s, "%s is not a duration (want e.g. 7d, 12h or 2w)", describe(v))
		}
		d, err := ParseDuration(v.Value)
		if err != nil {
			return errAt(v, key+"."+s, "%v", err)
		}
		sla[s] = d
		return nil
	})
	if err != nil {
		return err
	}
	for s, d := range sla {
		p.SLA[s] = d
	}
	return nil
}

// ParseDuration reads an SLA: a whole or decimal number of days (7d) or
// weeks (2w), or a Go duration (12h, 90m, 1h30m); more than zero and at
// most MaxSLA.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%s is not a duration (want e.g. 7d, 12h or 2w)", glob.Quote(s))
	var d time.Duration
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		num := s[:n-1]
		whole, frac, _ := strings.Cut(num, ".")
		if whole == "" || len(whole) > 6 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || strings.HasSuffix(num, ".") {
			return 0, bad
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, bad
		}
		unit := day
		if s[n-1] == 'w' {
			unit = 7 * day
		}
		if v*float64(unit) > float64(MaxSLA) {
			return 0, fmt.Errorf("%s is longer than %d days", glob.Quote(s), MaxSLA/day)
		}
		d = time.Duration(v * float64(unit))
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	switch {
	case d <= 0:
		return 0, fmt.Errorf("%s is not more than zero", glob.Quote(s))
	case d > MaxSLA:
		return 0, fmt.Errorf("%s is longer than %d days", glob.Quote(s), MaxSLA/day)
	}
	return d, nil
}

// describe names a node in an error: its value quoted, or its kind.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return glob.Quote(n.Value)
}

func listOf(s []string) string {
	switch len(s) {
	case 0:
		return "nothing"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
