package config

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// olderTemplate is the gitdora.yml that gitdora init wrote before template 2.
func olderTemplate(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/gitdora-template-1.yml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A file an older gitdora init wrote holds its defaults verbatim: they
// count as unset, and one note says so, naming each.
func TestOlderTemplateDefaultsReadAsUnset(t *testing.T) {
	c, err := Parse(olderTemplate(t), "dora-data:gitdora.yml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Trunk != "" {
		t.Errorf("trunk = %q, want unset (the older template's main)", c.Trunk)
	}
	if d := Default(); c.CI.ScanStepPattern != d.CI.ScanStepPattern {
		t.Errorf("ci.scan_step_pattern = %q, want today's default %q", c.CI.ScanStepPattern, d.CI.ScanStepPattern)
	}
	d := Default()
	for i, r := range c.Alerts {
		if r.Name != d.Alerts[i].Name || r.Message != d.Alerts[i].Message {
			t.Errorf("alert %s: message %q, want today's default %q", r.Name, r.Message, d.Alerts[i].Message)
		}
	}
	if len(c.Notes) != 1 {
		t.Fatalf("notes = %q, want one", c.Notes)
	}
	for _, want := range []string{"dora-data:gitdora.yml", "trunk: main", "ci.scan_step_pattern: (?i)(security|semgrep|codeql|sarif|scan)",
		"the message of alert DORA_DeploymentFrequencyLow, DORA_LeadTimeDegraded", "older gitdora init", "# gitdora template 2"} {
		if !strings.Contains(c.Notes[0], want) {
			t.Errorf("note %q does not say %q", c.Notes[0], want)
		}
	}
}

func TestTemplateValuesReadAsGiven(t *testing.T) {
	for _, tc := range []struct {
		name, src, trunk string
		notes            int
	}{
		{"today's template, trunk found", string(Template("main")), "main", 0},
		{"today's template, nothing found", string(Template("")), "", 0},
		{"hand-written, another branch", "trunk: develop\n", "develop", 0},
		{"hand-written, the older default", "trunk: main\n", "", 1},
		{"marked, the older default", "# gitdora template 2\ntrunk: main\n", "main", 0},
		{"marked by an older template number", "# gitdora template 1\ntrunk: main\n", "", 1},
		{"not set", "production_environment: prod\n", "", 0},
		{"the older step pattern", "ci:\n  scan_step_pattern: \"(?i)(security|semgrep|codeql|sarif|scan)\"\n", "", 1},
		{"another step pattern", "ci:\n  scan_step_pattern: \"(?i)scan\"\n", "", 0},
		{"an older message", "alerts:\n  - name: DORA_LeadTimeDegraded\n    condition: lead_time_p50_hours > 1\n    for: 3d\n    message: \"Lead time p50 above the one-hour DORA Elite target\"\n", "", 1},
		{"another message", "alerts:\n  - name: DORA_LeadTimeDegraded\n    condition: lead_time_p50_hours > 1\n    for: 3d\n    message: \"Slow\"\n", "", 0},
	} {
		c, err := Parse([]byte(tc.src), "x.yml")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.Trunk != tc.trunk || len(c.Notes) != tc.notes {
			t.Errorf("%s: trunk %q, notes %q; want %q and %d note(s)", tc.name, c.Trunk, c.Notes, tc.trunk, tc.notes)
		}
	}
}

// init writes the branch it found, quoted when YAML would read it as
// something else, and it reads back as that branch.
func TestTemplateWritesTheTrunk(t *testing.T) {
	for _, trunk := range []string{"trunk", "main", "release/2.x", "yes", "1.0", "we ird", "a:b", "#x", "ünï"} {
		b := Template(trunk)
		if string(b) == string(DefaultYAML) {
			t.Errorf("Template(%q) left trunk unset", trunk)
		}
		c, err := Parse(b, "x.yml")
		if err != nil {
			t.Fatalf("Template(%q): %v", trunk, err)
		}
		if c.Trunk != trunk || len(c.Notes) != 0 {
			t.Errorf("Template(%q) reads back as %q (notes %q)", trunk, c.Trunk, c.Notes)
		}
	}
	if !strings.Contains(string(Template("trunk")), "\ntrunk: trunk\n") {
		t.Errorf("Template(trunk) does not write a plain trunk: trunk line")
	}
}

// An older default message of a rule whose condition the team changed
// reads as no message (said from the condition), not as today's default,
// which says another number.
func TestOlderMessageOfAChangedRule(t *testing.T) {
	c, err := Parse([]byte("alerts:\n  - name: DORA_LeadTimeDegraded\n    condition: lead_time_p50_hours > 24\n    for: 3d\n    message: \"Lead time p50 above the one-hour DORA Elite target\"\n"), "x.yml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Alerts[0].Message != "" || len(c.Notes) != 1 {
		t.Errorf("message %q, notes %q; want no message and one note", c.Alerts[0].Message, c.Notes)
	}
}

// FuzzTemplate: a trunk init found, written by Template, reads back as
// itself; any gitdora.yml parses or fails without a panic, with at most one
// note.
func FuzzTemplate(f *testing.F) {
	f.Add("trunk", []byte("trunk: main\n"))
	f.Add("release/2.x", olderTemplateBytes(f))
	f.Add("yes", []byte("# gitdora template 2\ntrunk: main\n"))
	f.Fuzz(func(t *testing.T, trunk string, file []byte) {
		if c, err := Parse(file, "x.yml"); err == nil && len(c.Notes) > 1 {
			t.Errorf("%d notes: %q", len(c.Notes), c.Notes)
		}
		if trunk == "" || !utf8.ValidString(trunk) || strings.ContainsAny(trunk, "\x00\ufeff") {
			return // git refuses such a branch name
		}
		c, err := Parse(Template(trunk), "x.yml")
		if err != nil {
			t.Fatalf("Template(%q): %v", trunk, err)
		}
		if c.Trunk != trunk {
			t.Errorf("Template(%q) reads back as %q", trunk, c.Trunk)
		}
	})
}

func olderTemplateBytes(f *testing.F) []byte {
	b, err := os.ReadFile("testdata/gitdora-template-1.yml")
	if err != nil {
		f.Fatal(err)
	}
	return b
}
