package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// corpusSARIF is the shared corpus of real SARIF files, from this
// package (../shared/corpus from the module root).
const corpusSARIF = "../../../shared/corpus/sarif"

// corpusFile is the path of a corpus SARIF file; the test skips when the
// corpus is absent.
func corpusFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(corpusSARIF, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpusSARIF, err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// The gate's exit codes under the policy of gitdora.yml, for each
// context, over real scanner output, with and without exemptions, and
// before and after an exemption's expiry (--at):
//
//   - gosec (go-yara): 13 high (G301 ×1, G306 ×12) and 13 medium (G104),
//     all in testdata/performance/generate_test_data.go;
//   - CodeQL 2.5.4 (vulpy): 11 high, 4 medium, 57 low, no critical;
//   - Semgrep OSS 1.69 (juice-shop): 34 critical, 1 high, 42 medium.
func TestGatePolicyExitCodes(t *testing.T) {
	gosec := corpusFile(t, "wild_gosec_go-yara_v2_26results.sarif")
	codeql := corpusFile(t, "dd_codeql-2.5.4.sarif")
	semgrep := corpusFile(t, "dd_semgrep-oss-1.69.sarif")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	none := write("none.yml", "")
	paths := write("paths.yml", "policy:\n  exemptions:\n    paths: [\"testdata/**\"]\n")
	// G306 and G301 exempt through 1 June 2026; G104 (medium) is not.
	rules := write("rules.yml", `policy:
  exemptions:
    findings:
      - rule_id: G306
        tool: GoSec
        file: "testdata/**/*.go"
        justification: generates test data, never shipped
        approved_by: security-team
        expires: 2026-06-01
      - rule_id: G301
        justification: generates test data, never shipped
        expires: 2026-06-01
`)
	// A stricter main gate and a pre-commit gate that blocks on high.
	strict := write("strict.yml", "policy:\n  gates:\n    main: {block_on: [critical, high]}\n    pre_commit: {block_on: [high], warn_on: [medium]}\n")
	bad := write("bad.yml", "policy:\n  gates:\n    release: {block_on: [high]}\n")

	for _, c := range []struct {
		config string
		args   []string
		want   int
	}{
		// gosec: high blocks a pull request, only warns on main, passes a commit.
		{none, []string{gosec, "--context", "pull_request"}, exitFindings},
		{none, []string{gosec, "--context", "main"}, exitOK},
		{none, []string{gosec, "--context", "pre_commit"}, exitOK},
		{strict, []string{gosec, "--context", "main"}, exitFindings},
		{strict, []string{gosec, "--context", "pre_commit"}, exitFindings},
		// --fail-on replaces the context's block_on.
		{none, []string{gosec, "--context", "pre_commit", "--fail-on", "medium"}, exitFindings},
		{none, []string{gosec, "--context", "pull_request", "--fail-on", "critical"}, exitOK},
		{none, []string{gosec, "--context", "pull_request", "--fail-on", "none"}, exitOK},
		// Exempt paths: nothing is left to block on.
		{paths, []string{gosec, "--context", "pull_request"}, exitOK},
		{paths, []string{gosec, "--context", "pull_request", "--fail-on", "medium"}, exitOK},
		// Exempt rules: through their last day, then they exempt nothing.
		{rules, []string{gosec, "--context", "pull_request", "--at", "2026-05-01"}, exitOK},
		{rules, []string{gosec, "--context", "pull_request", "--at", "2026-06-01"}, exitOK},
		{rules, []string{gosec, "--context", "pull_request", "--at", "2026-06-01T23:59:59Z"}, exitOK},
		{rules, []string{gosec, "--context", "pull_request", "--at", "2026-06-02"}, exitFindings},
		{rules, []string{gosec, "--context", "pull_request", "--at", "2026-06-01", "--fail-on", "medium"}, exitFindings},
		// CodeQL: high blocks pull requests; main blocks on critical only.
		{none, []string{codeql, "--context", "pull_request"}, exitFindings},
		{none, []string{codeql, "--context", "main"}, exitOK},
		{none, []string{codeql, "--context", "pre_commit"}, exitOK},
		{paths, []string{codeql, "--context", "pull_request"}, exitFindings}, // no file under testdata/
		// Semgrep: critical findings block every context that blocks on critical.
		{none, []string{semgrep, "--context", "pull_request"}, exitFindings},
		{none, []string{semgrep, "--context", "main"}, exitFindings},
		{none, []string{semgrep, "--context", "pre_commit"}, exitOK},
		{none, []string{gosec, codeql, semgrep, "--context", "pre_commit"}, exitOK},
		// Without --context: --fail-on as before (default critical,high).
		{none, []string{gosec}, exitFindings},
		{paths, []string{gosec}, exitOK},
		// Errors: a bad policy, an unknown context, a bad --at.
		{bad, []string{gosec, "--context", "main"}, exitError},
		{none, []string{gosec, "--context", "release"}, exitError},
		{none, []string{gosec, "--context", "main", "--at", "2026-13-01"}, exitError},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"--repo", dir, "--config", c.config, "gate"}, c.args...)
		if got := Run(args, &out, &errb); got != c.want {
			t.Errorf("gitdora %s: exit %d, want %d\n%s%s", strings.Join(args[4:], " "), got, c.want, out.String(), errb.String())
		}
	}
}

// The pre-commit hook the repository ships runs a gate command that works:
// on a SARIF file with high findings it passes with the default pre_commit
// gate, and fails when the policy makes pre_commit block on high.
func TestPreCommitHook(t *testing.T) {
	b, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		Files         string `yaml:"files"`
		PassFilenames *bool  `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "gitdora-gate" || hooks[0].PassFilenames == nil || !*hooks[0].PassFilenames {
		t.Fatalf("hooks %+v: want gitdora-gate, passing the staged files", hooks)
	}
	h := hooks[0]
	files := regexp.MustCompile(h.Files)
	for name, want := range map[string]bool{"semgrep.sarif": true, "out/codeql.sarif.gz": true, "a.sarif.json": false, "main.go": false} {
		if files.MatchString(name) != want {
			t.Errorf("files %q matches %s: %v, want %v", h.Files, name, !want, want)
		}
	}
	words := strings.Fields(h.Entry)
	if len(words) < 2 || words[0] != "gitdora" || !slices.Contains(words, "pre_commit") {
		t.Fatalf("entry %q: want a gitdora gate with --context pre_commit", h.Entry)
	}
	gosec := corpusFile(t, "wild_gosec_go-yara_v2_26results.sarif")
	dir := t.TempDir()
	strict := filepath.Join(dir, "strict.yml")
	if err := os.WriteFile(strict, []byte("policy:\n  gates:\n    pre_commit: {block_on: [high]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for cfg, want := range map[string]int{"": exitOK, strict: exitFindings} {
		args := []string{"--repo", dir}
		if cfg != "" {
			args = append(args, "--config", cfg)
		}
		args = append(append(args, words[1:]...), gosec)
		var out, errb bytes.Buffer
		if got := Run(args, &out, &errb); got != want {
			t.Errorf("gitdora %s: exit %d, want %d\n%s%s", strings.Join(args, " "), got, want, out.String(), errb.String())
		}
	}
}
