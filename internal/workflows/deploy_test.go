package workflows

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// deploySnippet is the job fragment of the README's block marked
// <!-- readme-test: deploy -->: the steps a deploy job adds.
func deploySnippet(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- readme-test: deploy -->\n```yaml\n(.*?)```\n").FindAllStringSubmatch(string(b), -1)
	if len(m) != 1 {
		t.Fatalf("README.md: want one yaml block marked <!-- readme-test: deploy -->, found %d", len(m))
	}
	return m[0][1]
}

// The README's deploy steps record each attempt of a run as its own
// deployment (a re-run is not dropped as already recorded), pass the scan
// time the job measured rather than a number written into the file, and
// pass actionlint and shellcheck as the job of a workflow.
func TestReadmeDeploySteps(t *testing.T) {
	snippet := deploySnippet(t)
	var frag struct {
		Permissions map[string]string `yaml:"permissions"`
		Steps       []step            `yaml:"steps"`
	}
	if err := yaml.Unmarshal([]byte(snippet), &frag); err != nil {
		t.Fatalf("the README's deploy steps: %v", err)
	}
	rec := stepCalled(frag.Steps, "Record the deployment")
	scan := stepCalled(frag.Steps, "Security scan")
	if rec == nil || scan == nil {
		t.Fatalf("the README's deploy steps lack %q or %q", "Record the deployment", "Security scan")
	}
	if !strings.Contains(rec.Run, `--id "$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT"`) {
		t.Errorf("the README records the deployment with %q, want --id \"$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT\"", rec.Run)
	}
	if regexp.MustCompile(`--scan-seconds[ =]+[0-9]`).MatchString(rec.Run) {
		t.Errorf("the README passes a literal --scan-seconds: %q", rec.Run)
	}
	if scan.ID == "" || !strings.Contains(rec.Env["SCAN_SECONDS"], "steps."+scan.ID+".outputs.seconds") || !strings.Contains(rec.Run, `"$SCAN_SECONDS"`) {
		t.Errorf("the record step does not pass the scan step's measured seconds (env %v)", rec.Env)
	}
	if frag.Permissions["contents"] != "write" {
		t.Errorf("the README's deploy job has permissions %v, want contents: write to push", frag.Permissions)
	}

	// Measured: the scan step writes its seconds, and the record step
	// passes them on (or nothing when there are none).
	bin, calls := fakeBin(t, "", 0)
	for name, text := range map[string]string{"scripts/security-scan.sh": "#!/bin/sh\nsleep 1\n"} {
		p := filepath.Join(bin, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	_, outputs := runStep(t, scan.Run, bin)
	m := regexp.MustCompile(`(?m)^seconds=([0-9]+)$`).FindStringSubmatch(outputs)
	if m == nil || m[1] == "0" {
		t.Errorf("the scan step of one second wrote %q to GITHUB_OUTPUT, want seconds=1 or more", outputs)
	}
	path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
	env := []string{path, "GITHUB_RUN_ID=901", "GITHUB_RUN_ATTEMPT=2", "GITHUB_SHA=0123456789abcdef0123456789abcdef01234567"}
	runStep(t, rec.Run, bin, append(env, "SCAN_SECONDS=37")...)
	runStep(t, rec.Run, bin, append(env, "SCAN_SECONDS=")...)
	got, _ := os.ReadFile(calls)
	want := "record deployment --id 901-2 --sha 0123456789abcdef0123456789abcdef01234567 --scan-seconds 37 --push\n" +
		"record deployment --id 901-2 --sha 0123456789abcdef0123456789abcdef01234567 --push\n"
	if string(got) != want {
		t.Errorf("gitdora was called with\n%s\nwant\n%s", got, want)
	}

	// As the job of a workflow, it passes actionlint (and shellcheck).
	var job map[string]any
	if err := yaml.Unmarshal([]byte(snippet), &job); err != nil {
		t.Fatal(err)
	}
	job["runs-on"] = "ubuntu-latest"
	wf, err := yaml.Marshal(map[string]any{"name": "deploy", "on": map[string]any{"push": nil}, "jobs": map[string]any{"deploy": job}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, ".github", "workflows", "deploy.yml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, wf, 0o644); err != nil {
		t.Fatal(err)
	}
	lint(t, dir, []string{p})
}

// stepCalled is the step called name, nil when there is none.
func stepCalled(steps []step, name string) *step {
	for i := range steps {
		if steps[i].Name == name {
			return &steps[i]
		}
	}
	return nil
}
