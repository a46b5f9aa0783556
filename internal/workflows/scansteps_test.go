package workflows

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/config"
)

// stepNames lists the names GitHub shows for the jobs and steps of the
// workflow at p: a step's name, else "Run " and its action or the first
// line of its script; a job's name, else its key.
func stepNames(t *testing.T, p string) (jobs, steps []string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Name  string `yaml:"name"`
			Steps []struct {
				Name string `yaml:"name"`
				Uses string `yaml:"uses"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	for key, j := range wf.Jobs {
		name := j.Name
		if name == "" {
			name = key
		}
		jobs = append(jobs, name)
		for _, s := range j.Steps {
			switch {
			case s.Name != "":
				steps = append(steps, s.Name)
			case s.Uses != "":
				steps = append(steps, "Run "+s.Uses)
			default:
				first, _, _ := strings.Cut(strings.TrimSpace(s.Run), "\n")
				steps = append(steps, "Run "+first)
			}
		}
	}
	return jobs, steps
}

// The default ci.scan_step_pattern counts, of the shipped workflows' own
// steps, only the one that runs the scanner: not installing Semgrep,
// uploading or ingesting its SARIF, or the gate (whose failure still
// blocks the run, through ci.gate_step_pattern). A job is counted only
// when none of its steps is; the scan job of security-scan.yml, called
// from another workflow, shows as "<caller> / scan".
func TestDefaultPatternsMatchOnlyScanningSteps(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows found: %v", err)
	}
	cfg := config.Default()
	scan := regexp.MustCompile(cfg.CI.ScanStepPattern)
	gate := regexp.MustCompile(cfg.CI.GateStepPattern)
	var scanSteps, gateSteps, scanJobs, all []string
	for _, f := range files {
		jobs, steps := stepNames(t, f)
		base := filepath.Base(f)
		for _, s := range steps {
			all = append(all, base+": "+s)
			if scan.MatchString(s) {
				scanSteps = append(scanSteps, base+": "+s)
			}
			if gate.MatchString(s) {
				gateSteps = append(gateSteps, base+": "+s)
			}
		}
		for _, j := range jobs {
			if scan.MatchString(j) {
				scanJobs = append(scanJobs, base+": "+j)
			}
			if scan.MatchString("security / " + j) {
				scanJobs = append(scanJobs, base+": security / "+j)
			}
		}
	}
	for _, tc := range []struct {
		what      string
		got, want []string
	}{
		{"scan steps", scanSteps, []string{"security-scan.yml: Semgrep security scan"}},
		{"gate steps", gateSteps, []string{"security-scan.yml: Security gate"}},
		{"scan jobs", scanJobs, []string{"security-scan.yml: scan", "security-scan.yml: security / scan"}},
	} {
		slices.Sort(tc.got)
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: the default patterns match %q, want exactly %q", tc.what, tc.got, tc.want)
		}
	}
	// The steps around the scan are there to be left out.
	for _, s := range []string{"Install Semgrep", "Upload SARIF to code scanning", "Ingest the SARIF", "Security gate", "Semgrep security scan"} {
		if !slices.Contains(all, "security-scan.yml: "+s) {
			t.Errorf("security-scan.yml has no step %q: update this test with the workflow", s)
		}
	}
}

// Step names of other workflows: those that run a scanner match, those
// around one do not, and a step of any name is a scan when its name
// starts with "scan:" or holds "[scan]".
func TestDefaultScanPatternOnOtherNames(t *testing.T) {
	scan := regexp.MustCompile(config.Default().CI.ScanStepPattern)
	for name, want := range map[string]bool{
		"Perform CodeQL Analysis": true, "Initialize CodeQL": false, "Autobuild": false, "Analyze": false,
		"Run github/codeql-action/analyze@v3": true, "Run github/codeql-action/upload-sarif@v3": false, "Run github/codeql-action/init@v3": false,
		"Run Trivy vulnerability scanner": true, "Upload Trivy scan results to GitHub Security tab": false,
		"semgrep ci": true, "Run Semgrep": true, "Setup Semgrep": false, "Secrets scan (gitleaks)": true, "Run gosec Security Scanner": true,
		"Container image scan": true, "Dependency scan": true, "Upload SARIF": false, "Cache Trivy DB": false, "Run golangci-lint": false,
		"scan: OWASP ZAP baseline": true, "Fuzz the API [scan]": true, "Scan": true, "Scanner setup": false, "Build": false,
	} {
		if scan.MatchString(name) != want {
			t.Errorf("%q: matched %v, want %v", name, !want, want)
		}
	}
}
