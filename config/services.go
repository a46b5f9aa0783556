package config

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/internal/glob"
	"github.com/gitdora/gitdora/internal/yamledit"
)

// Service is one service of a monorepo (`services:` in gitdora.yml,
// docs/services.md): the paths that are its code, and the tags and the
// CI workflow that deploy it.
type Service struct {
	Name string
	// Paths are globs over repository-relative paths (`**` crosses
	// directories); Globs are them compiled, in the same order.
	Paths []string
	Globs []*glob.Glob
	// TagPattern matches the tags that deploy this service ("" for none):
	// a path.Match pattern over the tag's name, as deploy.tag_pattern.
	TagPattern string
	// Workflow names the CI runs that deploy this service, as
	// deploy.workflow does ("" for none).
	Workflow string
	// Line is where the service starts in gitdora.yml (0: not from a file).
	Line int
}

// Matches reports whether the repository-relative path p is one of the
// service's files.
func (s *Service) Matches(p string) bool {
	for _, g := range s.Globs {
		if g.Match(p) {
			return true
		}
	}
	return false
}

// Services is the `services:` list, in the file's order.
type Services []Service

// Find returns the service called name, or nil.
func (ss Services) Find(name string) *Service {
	for i := range ss {
		if ss[i].Name == name {
			return &ss[i]
		}
	}
	return nil
}

// Names lists the services' names, in the file's order.
func (ss Services) Names() []string {
	out := make([]string, len(ss))
	for i := range ss {
		out[i] = ss[i].Name
	}
	return out
}

// Of returns the first service (in the file's order) whose paths match
// the repository-relative path p, or nil: a finding in p belongs to it.
func (ss Services) Of(p string) *Service {
	for i := range ss {
		if ss[i].Matches(p) {
			return &ss[i]
		}
	}
	return nil
}

// MaxServices bounds the services of one gitdora.yml.
const MaxServices = 500

// UnmarshalYAML reads the `services:` list: each service a mapping with a
// name, a list of path globs, and optionally tag_pattern and workflow. A
// name given twice, a glob that does not compile, an unknown key: each is
// an error that names the line.
func (ss *Services) UnmarshalYAML(n *yaml.Node) error {
	n = yamledit.Deref(n)
	if yamledit.IsNull(n) {
		*ss = nil
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return lineError(n, "services: want a list of services, each with a name and paths")
	}
	if len(n.Content) > MaxServices {
		return lineError(n, "services: %d services, at most %d are read", len(n.Content), MaxServices)
	}
	out := Services{}
	first := map[string]int{}
	for i, item := range n.Content {
		item = yamledit.Deref(item)
		key := fmt.Sprintf("services[%d]", i)
		if item.Kind != yaml.MappingNode {
			return lineError(item, "%s: want a mapping with name and paths", key)
		}
		s := Service{Line: item.Line}
		var pathsNode *yaml.Node
		err := mapping(item, key, []string{"name", "paths", "tag_pattern", "workflow"}, func(k string, v *yaml.Node) error {
			switch k {
			case "name":
				name, err := scalar(v, key+".name")
				if err != nil {
					return err
				}
				if err := CheckSliceName(name); err != nil {
					return lineError(v, "%s.name: %v", key, err)
				}
				s.Name = name
			case "paths":
				pathsNode = v
			case "tag_pattern":
				p, err := scalar(v, key+".tag_pattern")
				if err != nil {
					return err
				}
				if _, err := path.Match(p, ""); err != nil || p == "" {
					return lineError(v, "%s.tag_pattern %s is not a valid pattern (want e.g. \"api/v*\")", key, strconv.Quote(p))
				}
				s.TagPattern = p
			case "workflow":
				w, err := scalar(v, key+".workflow")
				if err != nil {
					return err
				}
				s.Workflow = strings.TrimSpace(w)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if s.Name == "" {
			return lineError(item, "%s: a service needs a name", key)
		}
		key = fmt.Sprintf("services[%d] (%s)", i, s.Name)
		if at, dup := first[s.Name]; dup {
			return lineError(item, "%s: the name %s is given twice (first at line %d)", key, strconv.Quote(s.Name), at)
		}
		first[s.Name] = item.Line
		if pathsNode == nil || yamledit.IsNull(pathsNode) {
			return lineError(item, "%s: a service needs paths (globs such as \"services/api/**\")", key)
		}
		if pathsNode.Kind != yaml.SequenceNode || len(pathsNode.Content) == 0 {
			return lineError(pathsNode, "%s.paths: want a list of globs, such as [\"services/api/**\"]", key)
		}
		for j, pn := range pathsNode.Content {
			p, err := scalar(pn, fmt.Sprintf("%s.paths[%d]", key, j))
			if err != nil {
				return err
			}
			g, err := glob.Compile(strings.TrimPrefix(p, "/"))
			if err != nil {
				return lineError(yamledit.Deref(pn), "%s.paths[%d]: %v", key, j, err)
			}
			s.Paths = append(s.Paths, p)
			s.Globs = append(s.Globs, g)
		}
		out = append(out, s)
	}
	*ss = out
	return nil
}

// Team sources of `teams.source`.
const TeamsCodeowners = "codeowners"

// Teams says where teams come from (`teams:` in gitdora.yml): CODEOWNERS
// at each commit (Source "codeowners"), or a map from a team to the
// services it owns.
type Teams struct {
	Source string
	// Map names, for each team, the services it owns; Order lists the
	// teams in the file's order.
	Map   map[string][]string
	Order []string
	// Line is where `teams:` is in gitdora.yml; MapLines where each team
	// of the map is.
	Line     int
	MapLines map[string]int
}

// Configured reports whether teams are configured.
func (t *Teams) Configured() bool { return t.Source != "" || len(t.Map) > 0 }

// UnmarshalYAML reads `teams:`: `{source: codeowners}` or `{map: {TEAM:
// [SERVICE, …]}}`.
func (t *Teams) UnmarshalYAML(n *yaml.Node) error {
	n = yamledit.Deref(n)
	if yamledit.IsNull(n) {
		*t = Teams{}
		return nil
	}
	out := Teams{Line: n.Line}
	err := mapping(n, "teams", []string{"source", "map"}, func(k string, v *yaml.Node) error {
		switch k {
		case "source":
			s, err := scalar(v, "teams.source")
			if err != nil {
				return err
			}
			if s != TeamsCodeowners {
				return lineError(v, "teams.source is %s, want codeowners (or give teams.map)", strconv.Quote(s))
			}
			out.Source = s
		case "map":
			out.Map, out.MapLines = map[string][]string{}, map[string]int{}
			return mapping(v, "teams.map", nil, func(team string, sv *yaml.Node) error {
				if err := checkTeamName(team); err != nil {
					return lineError(sv, "teams.map: %v", err)
				}
				if sv.Kind != yaml.SequenceNode {
					return lineError(sv, "teams.map.%s: want a list of service names", team)
				}
				var names []string
				for j, x := range sv.Content {
					name, err := scalar(x, fmt.Sprintf("teams.map.%s[%d]", team, j))
					if err != nil {
						return err
					}
					if !slices.Contains(names, name) {
						names = append(names, name)
					}
				}
				out.Map[team] = names
				out.MapLines[team] = sv.Line
				out.Order = append(out.Order, team)
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if out.Source != "" && out.Map != nil {
		return lineError(n, "teams: give source: codeowners or a map, not both")
	}
	if !out.Configured() {
		return lineError(n, "teams: want source: codeowners, or map: {\"@org/team\": [service, …]}")
	}
	*t = out
	return nil
}

// checkServices checks what refers to services: the teams' map names
// services that exist.
func (c *Settings) checkServices() error {
	for _, team := range c.Teams.Order {
		for _, s := range c.Teams.Map[team] {
			if c.Services.Find(s) == nil {
				what := "no services are defined (add a services: list)"
				if len(c.Services) > 0 {
					what = "the services are " + strings.Join(c.Services.Names(), ", ")
				}
				return fmt.Errorf("line %d: teams.map.%s names the service %s, which is not defined: %s", c.Teams.MapLines[team], team, strconv.Quote(s), what)
			}
		}
	}
	return nil
}

// CheckSliceName reports a service or team name that cannot name a
// folder of the site or a command-line value: empty, longer than 100
// bytes, starting with a dot, or holding a character other than letters,
// digits, `.`, `_`, `-` (and `@` and `/` in team names, checked apart).
func CheckSliceName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the name is empty")
	case len(name) > 100:
		return fmt.Errorf("the name %s is longer than 100 bytes", glob.Quote(name))
	case name[0] == '.' || name[0] == '-':
		return fmt.Errorf("the name %s starts with %q", glob.Quote(name), name[0])
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("the name %s holds %q: use letters, digits, '.', '_' and '-'", glob.Quote(name), r)
		}
	}
	return nil
}

// checkTeamName reports a team name of teams.map that is not an owner
// as CODEOWNERS writes one: @user, @org/team, or a name of letters,
// digits, '.', '_' and '-'.
func checkTeamName(name string) error {
	rest := strings.TrimPrefix(name, "@")
	org, team, hasSlash := strings.Cut(rest, "/")
	if err := CheckSliceName(org); err != nil {
		return fmt.Errorf("team %s: %v", glob.Quote(name), err)
	}
	if hasSlash {
		if err := CheckSliceName(team); err != nil {
			return fmt.Errorf("team %s: %v", glob.Quote(name), err)
		}
	}
	return nil
}

// lineError is an error at node n of gitdora.yml.
func lineError(n *yaml.Node, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if n != nil && n.Line > 0 {
		return fmt.Errorf("line %d: %s", n.Line, msg)
	}
	return fmt.Errorf("%s", msg)
}

// scalar is the text of a scalar node, or an error naming key.
func scalar(n *yaml.Node, key string) (string, error) {
	n = yamledit.Deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", lineError(n, "%s: want a text value", key)
	}
	return n.Value, nil
}

// mapping calls fn with each key and value of the mapping n in order,
// checking that each key is in known (any key when known is nil) and
// given once.
func mapping(n *yaml.Node, key string, known []string, fn func(k string, v *yaml.Node) error) error {
	n = yamledit.Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		if known == nil {
			return lineError(n, "%s: want a mapping", key)
		}
		return lineError(n, "%s: want a mapping with the keys %s", key, strings.Join(known, ", "))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := yamledit.Deref(n.Content[i]), yamledit.Deref(n.Content[i+1])
		if kn.Kind != yaml.ScalarNode {
			return lineError(kn, "%s: want a key name", key)
		}
		k := kn.Value
		if known != nil && !slices.Contains(known, k) {
			return lineError(kn, "%s: unknown key %s (want %s)", key, glob.Quote(k), strings.Join(known, ", "))
		}
		if seen[k] {
			return lineError(kn, "%s: %s is given twice", key, glob.Quote(k))
		}
		seen[k] = true
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}
