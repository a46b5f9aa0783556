package config

import (
	"slices"
	"strings"
	"testing"
)

func TestServices(t *testing.T) {
	c, err := Parse([]byte(`services:
  - name: api
    paths: ["services/api/**", "libs/common/**"]
    tag_pattern: "api/v*"
    workflow: deploy-api
  - name: web
    paths: ["web/**", "/libs/common/**"]
teams:
  map:
    "@org/payments": [api]
    "@org/frontend": [web, api, web]
`), "gitdora.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Services.Names(); !slices.Equal(got, []string{"api", "web"}) {
		t.Fatalf("names %v", got)
	}
	api, web := c.Services.Find("api"), c.Services.Find("web")
	if api.TagPattern != "api/v*" || api.Workflow != "deploy-api" || api.Line != 2 || web.Line != 6 || web.TagPattern != "" {
		t.Errorf("api %+v, web %+v", api, web)
	}
	for _, tc := range []struct {
		path string
		api  bool
		web  bool
		of   string
	}{
		{"services/api/main.go", true, false, "api"},
		{"services/api/x/y/z.go", true, false, "api"},
		{"libs/common/util.go", true, true, "api"}, // the first service in the file's order
		{"web/index.html", false, true, "web"},
		{"services/apix/main.go", false, false, ""},
		{"README.md", false, false, ""},
	} {
		if api.Matches(tc.path) != tc.api || web.Matches(tc.path) != tc.web {
			t.Errorf("%s: api %v web %v", tc.path, api.Matches(tc.path), web.Matches(tc.path))
		}
		got := ""
		if s := c.Services.Of(tc.path); s != nil {
			got = s.Name
		}
		if got != tc.of {
			t.Errorf("Of(%s) = %q, want %q", tc.path, got, tc.of)
		}
	}
	if !c.Teams.Configured() || c.Teams.Source != "" || !slices.Equal(c.Teams.Order, []string{"@org/payments", "@org/frontend"}) ||
		!slices.Equal(c.Teams.Map["@org/frontend"], []string{"web", "api"}) {
		t.Errorf("teams %+v", c.Teams)
	}
	c, err = Parse([]byte("teams: {source: codeowners}\n"), "gitdora.yml")
	if err != nil || c.Teams.Source != TeamsCodeowners || len(c.Services) != 0 {
		t.Errorf("codeowners: %+v, %v", c, err)
	}
	if d := Default(); len(d.Services) != 0 || d.Teams.Configured() {
		t.Errorf("the defaults have services or teams: %+v %+v", d.Services, d.Teams)
	}
}

// Bad services and teams are errors that name the file and the line.
func TestServicesErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"services:\n  - name: api\n    paths: [\"a/**\"]\n  - name: api\n    paths: [\"b/**\"]\n",
			`x.yml: line 4: services[1] (api): the name "api" is given twice (first at line 2)`},
		{"services:\n  - name: api\n    paths: [\"a/**\", \"b/[x\"]\n",
			`x.yml: line 3: services[0] (api).paths[1]: glob "b/[x": `},
		{"services:\n  - name: api\n", `x.yml: line 2: services[0] (api): a service needs paths`},
		{"services:\n  - paths: [a]\n", `x.yml: line 2: services[0]: a service needs a name`},
		{"services:\n  - name: ../x\n    paths: [a]\n", `x.yml: line 2: services[0].name: the name "../x" starts with '.'`},
		{"services:\n  - name: a b\n    paths: [a]\n", `holds ' '`},
		{"services:\n  - name: api\n    paths: [a]\n    tags: x\n", `x.yml: line 4: services[0]: unknown key "tags"`},
		{"services:\n  - name: api\n    paths: [a]\n    tag_pattern: \"api/[\"\n", `x.yml: line 4: services[0].tag_pattern "api/[" is not a valid pattern`},
		{"services: {api: [a]}\n", `x.yml: line 1: services: want a list`},
		{"services:\n  - name: api\n    paths: []\n", `x.yml: line 3: services[0] (api).paths: want a list of globs`},
		{"teams: {source: github}\n", `x.yml: line 1: teams.source is "github", want codeowners`},
		{"teams: {}\n", `x.yml: line 1: teams: want source: codeowners, or map`},
		{"teams:\n  source: codeowners\n  map: {\"@a/b\": [x]}\n", "not both"},
		{"services:\n  - name: api\n    paths: [a]\nteams:\n  map:\n    \"@org/web\": [web]\n",
			`x.yml: line 6: teams.map.@org/web names the service "web", which is not defined: the services are api`},
		{"teams:\n  map:\n    \"@org/web\": [web]\n", `names the service "web", which is not defined: no services are defined`},
		{"teams:\n  map:\n    \"@org/we b\": [web]\n", `teams.map: team "@org/we b"`},
	} {
		_, err := Parse([]byte(tc.yaml), "x.yml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tc.yaml, err, tc.want)
		}
	}
}

// Any services: and teams: sections parse or fail with an error, never a
// panic, and what parses is usable.
func FuzzServices(f *testing.F) {
	f.Add("services:\n  - name: api\n    paths: [\"services/api/**\", \"libs/**\"]\n    tag_pattern: \"api/v*\"\nteams:\n  map:\n    \"@o/t\": [api]\n")
	f.Add("services: [{name: a, paths: ['[x']}]\n")
	f.Add("teams: {source: codeowners}\nservices: *x\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse([]byte(text), "fuzz.yml")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for i := range c.Services {
			s := &c.Services[i]
			if seen[s.Name] || CheckSliceName(s.Name) != nil || len(s.Globs) != len(s.Paths) || len(s.Paths) == 0 {
				t.Fatalf("service %+v parsed", s)
			}
			seen[s.Name] = true
			s.Matches("services/api/main.go")
		}
		for _, team := range c.Teams.Order {
			for _, s := range c.Teams.Map[team] {
				if c.Services.Find(s) == nil {
					t.Fatalf("team %s names %s, which is no service", team, s)
				}
			}
		}
	})
}
