package workflows

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// orgWorkflow is what the test reads of org-report.yml.
type orgWorkflow struct {
	On struct {
		WorkflowCall struct {
			Inputs map[string]struct {
				Type    string `yaml:"type"`
				Default any    `yaml:"default"`
			} `yaml:"inputs"`
		} `yaml:"workflow_call"`
	} `yaml:"on"`
	Jobs map[string]struct {
		Needs       any               `yaml:"needs"`
		If          string            `yaml:"if"`
		Permissions map[string]string `yaml:"permissions"`
		Strategy    struct {
			Matrix map[string]any `yaml:"matrix"`
		} `yaml:"strategy"`
		Steps []struct {
			step `yaml:",inline"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// org-report.yml is a reusable workflow: a matrix job per repository
// collects its facts into an artifact the roll-up job downloads (the
// names match), the roll-up runs gitdora org --facts and the deploy job
// alone may write Pages; its comments say how to chunk past the matrix's
// 256 jobs. Its scripts, run against a stand-in gitdora, collect into
// facts/NAME and roll up with the inputs given.
func TestOrgReportWorkflow(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".github/workflows/org-report.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "256 jobs") || !strings.Contains(string(b), "roll-up: false") || !strings.Contains(string(b), "collect: false") {
		t.Error("org-report.yml does not say how to chunk past the matrix's 256 jobs")
	}
	var w orgWorkflow
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"repositories", "collect", "roll-up", "site-url", "name"} {
		if _, ok := w.On.WorkflowCall.Inputs[in]; !ok {
			t.Errorf("no input %s", in)
		}
	}
	collect, rollUp, deploy := w.Jobs["collect"], w.Jobs["roll-up"], w.Jobs["deploy"]
	if m, _ := collect.Strategy.Matrix["repository"].(string); m != "${{ fromJSON(inputs.repositories) }}" {
		t.Errorf("the collect matrix is %v", collect.Strategy.Matrix)
	}
	var upload, download string
	var collectRun, rollRun string
	for _, s := range collect.Steps {
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			upload = s.With["name"]
		}
		if s.Name == "Collect the facts" {
			collectRun = s.Run
		}
	}
	for _, s := range rollUp.Steps {
		if strings.HasPrefix(s.Uses, "actions/download-artifact@") {
			download = s.With["pattern"]
		}
		if strings.Contains(s.Run, "gitdora org") {
			rollRun = s.Run
		}
	}
	if ok, _ := filepath.Match(download, strings.Replace(upload, "${{ steps.collect.outputs.name }}", "api", 1)); !ok || download == "" {
		t.Errorf("the roll-up downloads %q, the collect jobs upload %q", download, upload)
	}
	if deploy.Permissions["pages"] != "write" || deploy.Permissions["id-token"] != "write" || rollUp.Permissions != nil || collect.Permissions != nil {
		t.Errorf("permissions: deploy %v, roll-up %v, collect %v", deploy.Permissions, rollUp.Permissions, collect.Permissions)
	}
	if !strings.Contains(rollUp.If, "!cancelled()") {
		t.Errorf("the roll-up runs when a repository failed? if: %s", rollUp.If)
	}

	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the workflow's scripts with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// The stand-in gitdora records its arguments, and makes the folder
	// collect --out names.
	stub := "#!/bin/sh\necho \"$*\" >> \"$CALLS\"\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --out ]; then mkdir -p \"$2\"; fi; shift; done\n"
	if err := os.WriteFile(filepath.Join(bin, "gitdora"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	calls, outputs, summary := filepath.Join(dir, "calls"), filepath.Join(dir, "outputs"), filepath.Join(dir, "summary")
	runScript := func(script string, env ...string) {
		t.Helper()
		cmd := exec.Command(bash, "-e", "-c", script)
		cmd.Dir = dir
		cmd.Env = append([]string{"PATH=" + bin + ":" + os.Getenv("PATH"), "CALLS=" + calls, "GITHUB_OUTPUT=" + outputs, "GITHUB_STEP_SUMMARY=" + summary}, env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	runScript(collectRun, "REPOSITORY=acme/api")
	runScript(rollRun, "NAME=Acme", "SITE_URL=https://acme.github.io/{name}/")
	got, _ := os.ReadFile(calls)
	want := "--repo repo collect --out facts/api\n" +
		"org --facts facts --out public --name Acme --site-url https://acme.github.io/{name}/\n" +
		"-q org --facts facts --format text\n"
	if string(got) != want {
		t.Errorf("the scripts ran gitdora as\n%s\nwant\n%s", got, want)
	}
	if o, _ := os.ReadFile(outputs); !regexp.MustCompile(`(?m)^name=api$`).Match(o) {
		t.Errorf("the collect step's outputs: %q", o)
	}
	if _, err := os.Stat(filepath.Join(dir, "facts", "api")); err != nil {
		t.Errorf("collect wrote no facts/api: %v", err)
	}
}
