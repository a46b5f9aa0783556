package workflows

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

const root = "../.."

// lint runs actionlint on files inside the project at dir, with shellcheck
// checking run: scripts when it is installed (CI installs it).
func lint(t *testing.T, dir string, files []string) {
	t.Helper()
	var out bytes.Buffer
	opts := &actionlint.LinterOptions{}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = sc
	} else if os.Getenv("GITDORA_REQUIRE_SHELLCHECK") == "1" {
		t.Fatal("shellcheck is not installed and GITDORA_REQUIRE_SHELLCHECK=1")
	} else {
		t.Log("shellcheck not installed: run: scripts are not checked")
	}
	l, err := actionlint.NewLinter(&out, opts)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := actionlint.NewProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFiles(files, proj)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problem(s):\n%s", len(errs), out.String())
	}
}

func TestWorkflowsPassActionlint(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows found: %v", err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	lint(t, abs, files)
}

// TestActionPassesActionlint lints action.yml: its composite steps become
// the steps of a workflow whose workflow_dispatch inputs are the action's
// inputs (so `inputs.*` resolve as in the action), and a second job uses
// the action locally, so actionlint checks the `with:` keys against the
// action's metadata.
func TestActionPassesActionlint(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Description string `yaml:"description"`
			Required    bool   `yaml:"required"`
			Default     string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string           `yaml:"using"`
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) == 0 {
		t.Fatalf("action.yml: runs.using = %q with %d steps, want a composite action", action.Runs.Using, len(action.Runs.Steps))
	}
	inputs := map[string]any{}
	with := map[string]any{}
	for name, in := range action.Inputs {
		if in.Description == "" {
			t.Errorf("action.yml: input %s has no description", name)
		}
		inputs[name] = map[string]any{"description": in.Description, "required": in.Required, "default": in.Default, "type": "string"}
		with[name] = in.Default
	}
	for _, s := range action.Runs.Steps {
		if _, ok := s["run"]; ok && s["shell"] == nil {
			t.Errorf("action.yml: step %v runs a script without shell:, which composite actions require", s["name"])
		}
	}
	wf := map[string]any{
		"name": "action.yml as a workflow",
		"on":   map[string]any{"workflow_dispatch": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{
			"steps":  map[string]any{"runs-on": "ubuntu-latest", "steps": action.Runs.Steps},
			"usesit": map[string]any{"runs-on": "ubuntu-latest", "steps": []any{map[string]any{"uses": "./", "with": with}}},
		},
	}
	out, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".github/workflows"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "action.yml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, ".github/workflows/action.yml")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		t.Logf("workflow made of action.yml:\n%s", strings.TrimSpace(string(out)))
	}
	lint(t, dir, []string{p})
}
