package yamledit

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const defaults = `# top comment
production_environment: production
trunk: main

deploy:
  # which workflow
  workflow: deploy
  tag_pattern: "v*"

severity:
  overrides: {}

targets:
  lead_time_p50_hours: "< 1"

alerts:
  - name: A
    for: 7d
  - name: B
    for: 1d
`

func mustSet(t *testing.T, src, key, value string) string {
	t.Helper()
	v, err := Scalar(value)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := Set([]byte(src), []byte(defaults), key, v)
	if err != nil {
		t.Fatalf("Set %s: %v", key, err)
	}
	return string(out)
}

// TestSetChangesOnlyTheValue: on a file with every key, set rewrites the
// value's text and nothing else (comments, blank lines, quoting).
func TestSetChangesOnlyTheValue(t *testing.T) {
	for _, c := range []struct{ key, value, old, new string }{
		{"deploy.tag_pattern", "release-*", `  tag_pattern: "v*"`, `  tag_pattern: "release-*"`},
		{"trunk", "develop", "trunk: main", "trunk: develop"},
		{"targets.lead_time_p50_hours", "< 4", `  lead_time_p50_hours: "< 1"`, `  lead_time_p50_hours: "< 4"`},
		{"alerts.1.for", "3d", "    for: 1d", "    for: 3d"},
		{"deploy.workflow", "release.yml", "  workflow: deploy", "  workflow: release.yml"},
	} {
		got := mustSet(t, defaults, c.key, c.value)
		want := strings.Replace(defaults, c.old, c.new, 1)
		if got != want {
			t.Errorf("set %s %s:\n%s\nwant\n%s", c.key, c.value, got, want)
		}
	}
}

// TestSetAddsMissingKeys: keys the file lacks are added where they belong,
// in the shape the defaults give; the rest of the file stays as it was.
func TestSetAddsMissingKeys(t *testing.T) {
	for _, c := range []struct{ src, key, value, want string }{
		{"# mine\ntrunk: develop\n", "deploy.workflow", "release", "# mine\ntrunk: develop\ndeploy:\n  workflow: release\n"},
		{"deploy:\n  workflow: x # keep\n\n# next\ntrunk: t\n", "deploy.tag_pattern", "r*", "deploy:\n  workflow: x # keep\n  tag_pattern: r*\n\n# next\ntrunk: t\n"},
		{"severity:\n  overrides: {}\n", "severity.overrides.python.lang.security.x", "critical", "severity:\n  overrides:\n    python.lang.security.x: critical\n"},
		{"", "trunk", "develop", "trunk: develop\n"},
	} {
		if got := mustSet(t, c.src, c.key, c.value); got != c.want {
			t.Errorf("set %s in\n%s\ngot\n%s\nwant\n%s", c.key, c.src, got, c.want)
		}
	}
	// A rule id with dots, already overridden, is found whole.
	got := mustSet(t, "severity:\n  overrides:\n    a.b.c: low\n", "severity.overrides.a.b.c", "high")
	if got != "severity:\n  overrides:\n    a.b.c: high\n" {
		t.Errorf("dotted rule id:\n%s", got)
	}
}

// TestSetThroughADefaultList: the file has no alerts:, so setting one
// rule's field copies the default rules (a list replaces the default).
func TestSetThroughADefaultList(t *testing.T) {
	got := mustSet(t, "# mine\ntrunk: develop\n", "alerts.0.for", "14d")
	var cfg struct {
		Trunk  string
		Alerts []struct{ Name, For string }
	}
	if err := yaml.Unmarshal([]byte(got), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Trunk != "develop" || len(cfg.Alerts) != 2 || cfg.Alerts[0].For != "14d" || cfg.Alerts[1].Name != "B" {
		t.Errorf("got %+v from\n%s", cfg, got)
	}
	if !strings.Contains(got, "# mine") {
		t.Errorf("the comment is lost:\n%s", got)
	}
}

func TestSetRefusals(t *testing.T) {
	for _, c := range []struct{ key, value, want string }{
		{"deploy", "x", "is a list or a mapping"},
		{"alerts.9.for", "1d", "want an index from 0 to 1"},
		{"a..b", "x", "want a dotted key"},
		{"trunk.x", "x", "trunk is a single value, not a mapping"},
	} {
		v, _ := Scalar(c.value)
		if _, _, err := Set([]byte(defaults), []byte(defaults), c.key, v); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("set %s: %v, want %q", c.key, err, c.want)
		}
	}
	if _, err := Scalar("[a, b]"); err == nil {
		t.Error("Scalar accepted a list")
	}
	if v, _ := Scalar("off"); v.Value != "off" || v.ShortTag() != "!!str" {
		t.Errorf("Scalar(off) = %+v", v)
	}
	if _, changed, _ := Set([]byte(defaults), []byte(defaults), "trunk", mustScalar("main")); changed {
		t.Error("setting the same value changed the file")
	}
}

func mustScalar(s string) *yaml.Node { v, _ := Scalar(s); return v }

// TestGetIsTheValueInEffect: the file's value, else the default's;
// mappings merge.
func TestGetIsTheValueInEffect(t *testing.T) {
	src := "deploy:\n  workflow: release\n"
	for key, want := range map[string]string{"deploy.workflow": "release", "deploy.tag_pattern": "v*", "trunk": "main", "alerts.1.name": "B"} {
		n, ok, err := Get([]byte(src), []byte(defaults), key)
		if err != nil || !ok || n.Value != want {
			t.Errorf("Get %s = %v %v %v, want %q", key, n, ok, err, want)
		}
	}
	n, ok, err := Get([]byte(src), []byte(defaults), "deploy")
	if err != nil || !ok || n.Kind != yaml.MappingNode || len(n.Content) != 4 {
		t.Errorf("Get deploy = %+v %v %v", n, ok, err)
	}
	if _, ok, err := Get([]byte(src), []byte(defaults), "nope"); ok || err != nil {
		t.Errorf("Get nope: %v %v", ok, err)
	}
}

// FuzzSet: whatever the file, key and value, Set does not panic, and what
// it returns parses and holds the value at the key.
func FuzzSet(f *testing.F) {
	f.Add(defaults, "deploy.tag_pattern", "release-*")
	f.Add("a: {}\n", "a.b.c", "1")
	f.Add("x: [1, 2]\n", "x.1", "'q'")
	f.Add("k: |\n  block\n", "k", "v")
	f.Fuzz(func(t *testing.T, src, key, value string) {
		v, err := Scalar(value)
		if err != nil {
			return
		}
		out, _, err := Set([]byte(src), []byte(defaults), key, v)
		if err != nil {
			return
		}
		n, ok, err := Get(out, []byte(defaults), key)
		if err != nil || !ok {
			t.Fatalf("Set %q %q on %q gave\n%s\nwhere Get finds nothing (%v)", key, value, src, out, err)
		}
		if n.Value != v.Value {
			t.Fatalf("Set %q %q on %q gave\n%s\nwhere Get finds %q", key, value, src, out, n.Value)
		}
	})
}

// TestSetRefusesKeysOffOneLine: a key with a control character or a
// character YAML reads as a line break is refused; yaml.v3 wrote "\t\n"
// as a block key it could not read back (FuzzSet).
func TestSetRefusesKeysOffOneLine(t *testing.T) {
	for _, key := range []string{"\t\n", "deploy.\ttag", "a\nb", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b", "\ufeffa", "a\x7f", "a\xffb"} {
		if out, _, err := Set([]byte("trunk: main\n"), []byte(defaults), key, mustScalar("1")); err == nil {
			t.Errorf("Set %q: no error, gave\n%s", key, out)
		}
	}
	if _, _, err := Set([]byte("trunk: main\n"), []byte(defaults), "deploy.tag pattern", mustScalar("1")); err != nil {
		t.Errorf("a key with a space: %v", err)
	}
}

// TestSetNeverWritesOtherData: where yaml.v3 would write the file back
// saying something else (a comment after a block scalar that keeps its
// line breaks became one of them), Set refuses rather than write it.
func TestSetNeverWritesOtherData(t *testing.T) {
	out, _, err := Set([]byte("?\n#"), []byte(defaults), "0", mustScalar("\n"))
	if err == nil {
		n, _, _ := Get(out, []byte(defaults), "0")
		if n == nil || n.Value != "\n" {
			t.Fatalf("Set gave\n%s\nwhich does not hold the value", out)
		}
	}
}

// TestSetBelowAnEmptyKey: a key the file leaves empty ("deploy:") takes
// the value set below it; it was set in a copy, and the file written
// with an empty mapping there (FuzzSet).
func TestSetBelowAnEmptyKey(t *testing.T) {
	for _, src := range []string{"deploy:\n", "deploy: ~\n", "0000:"} {
		key := "deploy.workflow"
		if src == "0000:" {
			key = "0000.0"
		}
		out, changed, err := Set([]byte(src), []byte(defaults), key, mustScalar("release"))
		if err != nil || !changed {
			t.Fatalf("Set %s on %q: %v %v", key, src, changed, err)
		}
		if n, ok, err := Get(out, []byte(defaults), key); err != nil || !ok || n.Value != "release" {
			t.Errorf("Set %s on %q gave\n%s", key, src, out)
		}
	}
}
