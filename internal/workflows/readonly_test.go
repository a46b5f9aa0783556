package workflows

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// step is a step of a workflow's job, as far as these tests read it.
type step struct {
	ID              string            `yaml:"id"`
	Name            string            `yaml:"name"`
	If              string            `yaml:"if"`
	Run             string            `yaml:"run"`
	Env             map[string]string `yaml:"env"`
	ContinueOnError any               `yaml:"continue-on-error"`
}

// job is a job of a workflow.
type job struct {
	If    string            `yaml:"if"`
	Env   map[string]string `yaml:"env"`
	Steps []step            `yaml:"steps"`
}

// workflow reads .github/workflows/name.
func workflow(t *testing.T, name string) (wf struct {
	Concurrency map[string]any `yaml:"concurrency"`
	Jobs        map[string]job `yaml:"jobs"`
}) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, ".github/workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return wf
}

// stepNamed is the index of the step called name in j, -1 when none is.
func stepNamed(j job, name string) int {
	return slices.IndexFunc(j.Steps, func(s step) bool { return s.Name == name })
}

// In security-scan.yml the gate runs before anything is pushed, so a
// token that cannot push never keeps it from running; the ingest runs
// after it whatever its verdict, and cannot fail the job for a token
// that may not push.
func TestGateRunsBeforeTheIngestPush(t *testing.T) {
	scan := workflow(t, "security-scan.yml").Jobs["scan"]
	gate, ingest := stepNamed(scan, "Security gate"), stepNamed(scan, "Ingest the SARIF")
	if gate < 0 || ingest < 0 {
		t.Fatalf("security-scan.yml: the scan job has no step %q (%d) or %q (%d)", "Security gate", gate, "Ingest the SARIF", ingest)
	}
	if gate > ingest {
		t.Errorf("security-scan.yml: the gate (step %d) runs after the ingest push (step %d)", gate+1, ingest+1)
	}
	for i, s := range scan.Steps[:gate] {
		if strings.Contains(s.Run, "--push") {
			t.Errorf("security-scan.yml: step %d (%s) pushes before the gate runs", i+1, s.Name)
		}
	}
	in := scan.Steps[ingest]
	if !strings.Contains(in.Run, "--push") {
		t.Errorf("security-scan.yml: %q does not push", in.Name)
	}
	if !strings.Contains(in.If, "!cancelled()") && !strings.Contains(in.If, "always()") {
		t.Errorf("security-scan.yml: %q has if: %q: it is skipped when the gate fails, so blocked scans go unrecorded", in.Name, in.If)
	}
	guarded := in.ContinueOnError == true || strings.Contains(in.Run, "::notice") && strings.Contains(in.Run, "::warning") && strings.Contains(in.Run, "403")
	if !guarded {
		t.Errorf("security-scan.yml: %q neither continues on error nor guards its push against a read-only token", in.Name)
	}
	if e := scan.Env["READ_ONLY"]; !strings.Contains(e, "github.event.pull_request.head.repo.fork") || !strings.Contains(e, "dependabot[bot]") {
		t.Errorf("security-scan.yml: the scan job's READ_ONLY is %q, want it to name fork pull requests and Dependabot", e)
	}
	record := workflow(t, "security-scan.yml").Jobs["record"]
	if !strings.Contains(record.If, "!github.event.pull_request.head.repo.fork") || !strings.Contains(record.If, "dependabot[bot]") {
		t.Errorf("security-scan.yml: the record job runs with if: %q; want it skipped for forks and Dependabot, whose token cannot push", record.If)
	}
}

// fakeBin puts a gitdora (and a gh and a git that do nothing) on a PATH
// of their own: gitdora writes its arguments to calls, prints stderr and
// exits with code.
func fakeBin(t *testing.T, stderr string, code int) (dir, calls string) {
	t.Helper()
	dir = t.TempDir()
	calls = filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nprintf '%s\\n' '" + strings.ReplaceAll(stderr, "'", `'\''`) + "' >&2\nexit " + strconv.Itoa(code) + "\n"
	gh := "#!/bin/sh\necho '{}'\n"
	for name, text := range map[string]string{"gitdora": script, "gh": gh, "git": "#!/bin/sh\nexit 0\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir, calls
}

// The ingest scripts of security-scan.yml, run as GitHub runs them (bash
// -e) against a gitdora that fails or succeeds as a push would: a
// read-only run says so and pushes nothing; a push refused with HTTP 403
// is a warning, and the step passes; any other failure fails the step.
func TestIngestWithAReadOnlyToken(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the workflow's scripts with")
	}
	wf := workflow(t, "security-scan.yml")
	scripts := map[string]string{
		"sarif": wf.Jobs["scan"].Steps[stepNamed(wf.Jobs["scan"], "Ingest the SARIF")].Run,
		"ci":    wf.Jobs["record"].Steps[stepNamed(wf.Jobs["record"], "Ingest this run's CI record")].Run,
	}
	// What gitdora prints when GitHub refuses the push (go-git's message for a 403).
	const refused = `gitdora: push dora-data to origin (https://github.com/o/r.git): authorization failed: remote: Permission to o/r.git denied to github-actions[bot].`
	for _, tc := range []struct {
		name, script, readOnly, stderr string
		code                           int
		wantExit                       int
		want                           string // in the step's output
		pushed                         bool   // gitdora was called
	}{
		{"read-only run", "sarif", "true", "", 0, 0, "::notice title=Scan not recorded::", false},
		{"push refused", "sarif", "false", refused, 1, 0, "::warning title=Scan not recorded::", true},
		{"HTTP 403", "sarif", "false", "gitdora: push: unexpected HTTP status 403 Forbidden", 1, 0, "::warning", true},
		{"other error", "sarif", "false", "gitdora: semgrep.sarif: runs[0]: want a results array", 1, 1, "want a results array", true},
		{"port 4030 is not a 403", "sarif", "false", "gitdora: dial tcp 10.0.0.1:4030: connection refused", 1, 1, "connection refused", true},
		{"pushed", "sarif", "false", "", 0, 0, "", true},
		{"CI record refused", "ci", "", refused, 1, 0, "::warning title=CI run not recorded::", true},
		{"CI record error", "ci", "", "gitdora: jobs.json: want jobs", 1, 1, "want jobs", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin, calls := fakeBin(t, tc.stderr, tc.code)
			work := t.TempDir()
			p := filepath.Join(work, "step.sh")
			if err := os.WriteFile(p, []byte(scripts[tc.script]), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bash, "-e", p)
			cmd.Dir = work
			cmd.Env = []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "RUNNER_TEMP=" + work, "READ_ONLY=" + tc.readOnly,
				"GITHUB_SHA=0123456789abcdef0123456789abcdef01234567", "GITHUB_REPOSITORY=o/r", "GITHUB_RUN_ID=1", "GITHUB_RUN_ATTEMPT=1",
				"REF=feature/x", "SCAN_TYPE=incremental", "BASE_SHA=fedcba9876543210fedcba9876543210fedcba98"}
			out, err := cmd.CombinedOutput()
			exit := 0
			if ee, ok := err.(*exec.ExitError); ok {
				exit = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if exit != tc.wantExit {
				t.Errorf("exit %d, want %d\n%s", exit, tc.wantExit, out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
			if tc.want == "" && strings.Contains(string(out), "::warning") {
				t.Errorf("a push that worked warns:\n%s", out)
			}
			args, _ := os.ReadFile(calls)
			if pushed := len(args) > 0; pushed != tc.pushed {
				t.Errorf("gitdora called: %v, want %v (%s)", pushed, tc.pushed, args)
			}
			if tc.pushed && !strings.Contains(string(args), "--push") {
				t.Errorf("gitdora was called without --push: %s", args)
			}
			if tc.pushed && tc.script == "sarif" && !strings.Contains(string(args), "--scan-type incremental") {
				t.Errorf("a pull request's scan against its base was not ingested as incremental: %s", args)
			}
		})
	}
}
