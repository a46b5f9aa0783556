package data

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// gitRun runs git in dir for fixtures; tests use the git CLI so that what
// gitdora reads through go-git is checked against git itself.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var fixture = map[string]string{
	"gitdora.yml": "trunk: develop\ntargets:\n  lead_time_p50_hours: \"< 4\"\n  mttr_high_hours: off\n",
	"events/deployments/2026-01.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"d1,2026-01-05T10:00:00+01:00,abc,production,success,30,300,false,0,1,0,0,cli\n" +
		"d2,not-a-time,abc,production,success,,,false,0,0,0,0,cli\n" +
		"d3,2026-01-06T10:00:00Z,def,production,exploded,,,false,0,0,0,0,cli\n" +
		"d4,2026-01-07T10:00:00.000Z,def,staging,blocked,,,true,1,0,0,0,cli\n",
	"events/incidents/2026-01.csv": "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
		"i1,2026-01-05T12:00:00Z,,high,security,production,abc,,CWE-79,\"XSS, in <b>\"\n",
	"events/incidents/2026-02.csv": "wrong,header\n1,2\n",
}

func TestStoreReadsBranchAndDirectoryAlike(t *testing.T) {
	repo := t.TempDir()
	gitRun(t, repo, "init", "-q", "-b", "main")
	gitRun(t, repo, "commit", "-q", "--allow-empty", "-m", "code")
	gitRun(t, repo, "checkout", "-q", "--orphan", DefaultBranch)
	gitRun(t, repo, "rm", "-rq", "--cached", "--ignore-unmatch", ".")
	writeFiles(t, repo, fixture)
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "data")
	tip := gitRun(t, repo, "rev-parse", "HEAD")
	gitRun(t, repo, "checkout", "-q", "main")
	dir := t.TempDir()
	writeFiles(t, dir, fixture)

	for name, open := range map[string]func() (*Store, error){
		"branch":          func() (*Store, error) { return Open(repo, "") },
		"repo#branch":     func() (*Store, error) { return Open(".", repo+"#"+DefaultBranch) },
		"plain directory": func() (*Store, error) { return Open(repo, dir) },
	} {
		t.Run(name, func(t *testing.T) {
			s, err := open()
			if err != nil {
				t.Fatal(err)
			}
			if !s.Exists() {
				t.Fatal("Exists() = false")
			}
			if s.IsDir() != (name == "plain directory") {
				t.Errorf("IsDir() = %v", s.IsDir())
			}
			if !s.IsDir() && s.Commit() != tip {
				t.Errorf("Commit() = %q, want %q", s.Commit(), tip)
			}
			files, err := s.List("events")
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"events/deployments/2026-01.csv", "events/incidents/2026-01.csv", "events/incidents/2026-02.csv"}
			if !slices.Equal(files, want) {
				t.Errorf("List(events) = %q, want %q", files, want)
			}
			deps, probs, err := s.Deployments()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range deps {
				ids = append(ids, d.ID)
			}
			if !slices.Equal(ids, []string{"d1", "d4"}) {
				t.Errorf("deployment ids = %q, want d1 d4 (d2, d3 bad)", ids)
			}
			if len(probs) != 2 || probs[0].Line != 3 || probs[1].Line != 4 || !strings.Contains(probs[0].Msg, "time") || !strings.Contains(probs[1].Msg, "status") {
				t.Errorf("problems = %v, want line 3 (time) and line 4 (status)", probs)
			}
			d1 := deps[0]
			if d1.Time.String() != "2026-01-05T10:00:00+01:00" || !d1.Time.Equal(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)) {
				t.Errorf("d1.Time = %s", d1.Time)
			}
			if !d1.ScanSeconds.Valid || d1.ScanSeconds.Value != 30 || deps[1].ScanSeconds.Valid {
				t.Errorf("scan seconds = %+v, %+v", d1.ScanSeconds, deps[1].ScanSeconds)
			}
			if deps[1].Time.String() != "2026-01-07T10:00:00.000Z" || !deps[1].GateBlocked || deps[1].Critical != 1 {
				t.Errorf("d4 = %+v", deps[1])
			}
			incs, probs, err := s.Incidents()
			if err != nil {
				t.Fatal(err)
			}
			if len(incs) != 1 || incs[0].Title != "XSS, in <b>" || incs[0].Resolved.Valid {
				t.Errorf("incidents = %+v", incs)
			}
			if len(probs) != 1 || !strings.Contains(probs[0].String(), "2026-02.csv:1: header") {
				t.Errorf("incident problems = %v", probs)
			}
			cfg, err := s.Config("")
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Trunk != "develop" || cfg.Targets["lead_time_p50_hours"] != "< 4" || cfg.Targets["lead_time_p95_hours"] != "< 2" {
				t.Errorf("config = %+v", cfg)
			}
			if _, ok := cfg.Targets["mttr_high_hours"]; ok {
				t.Error("mttr_high_hours: off did not drop the target")
			}
			if _, err := s.ReadFile("../etc/passwd"); err == nil {
				t.Error("ReadFile(../etc/passwd) did not fail")
			}
		})
	}
}

func TestMissingBranchReadsEmpty(t *testing.T) {
	repo := t.TempDir()
	gitRun(t, repo, "init", "-q", "-b", "main")
	s, err := Open(repo, "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Exists() || s.Commit() != "" {
		t.Fatalf("Exists() = %v, Commit() = %q for a missing branch", s.Exists(), s.Commit())
	}
	deps, probs, err := s.Deployments()
	if err != nil || len(deps) != 0 || len(probs) != 0 {
		t.Fatalf("Deployments() = %v, %v, %v", deps, probs, err)
	}
	cfg, err := s.Config("")
	if err != nil || cfg.Trunk != "" {
		t.Fatalf("Config() = %+v, %v", cfg, err)
	}
}

// A --data spec that can only be a directory, naming none, is an error
// saying so; a branch name (even with a slash) is a branch. The error is
// of the input data, which the command line words as its flag.
func TestOpenMissingDirectory(t *testing.T) {
	repo := t.TempDir()
	gitRun(t, repo, "init", "-q", "-b", "main")
	file := filepath.Join(t.TempDir(), "f")
	writeFiles(t, filepath.Dir(file), map[string]string{"f": "x"})
	missing := filepath.Join(t.TempDir(), "missingdir")
	tests := []struct {
		spec, wantErr string // wantErr "" when it opens a branch
	}{
		{missing, "--data " + missing + ": no such directory (create it, or name a branch)"},
		{missing + "#dora-data", "--data " + missing + "#dora-data: no such directory (create it, or name a branch)"},
		{"../nonexist#dora-data", "--data ../nonexist#dora-data: no such directory (create it, or name a branch)"},
		{"./nonexist", "--data ./nonexist: no such directory (create it, or name a branch)"},
		{"feat#x", "--data feat#x: no such directory feat (PATH#BRANCH names a branch of the repository at PATH; for a branch named feat#x of --repo, write --data REPO#feat#x)"},
		{file, "--data " + file + ": " + file + " is not a directory (want a directory, or a branch name)"},
		{"team/dora-data", ""},
		{"dora-data", ""},
	}
	for _, tt := range tests {
		s, err := Open(repo, tt.spec)
		if tt.wantErr == "" {
			if err != nil || s.Branch() != tt.spec {
				t.Errorf("Open(%q) = %v, %v; want branch %s", tt.spec, s, err, tt.spec)
			}
			continue
		}
		var in *fact.InputError
		if !errors.As(err, &in) || in.Input != "data" || in.Value != tt.spec || asFlags(err) != tt.wantErr {
			t.Errorf("Open(%q) err = %v, want %q", tt.spec, err, tt.wantErr)
		}
	}
	// A branch whose name holds '#', named with its repository.
	if s, err := Open(".", repo+"#feat#x"); err != nil || s.Branch() != "feat#x" {
		t.Errorf("Open(REPO#feat#x) = %v, %v; want the branch feat#x", s, err)
	}
}

// asFlags is err's message as the command line words it: each input as
// its flag.
func asFlags(err error) string {
	return fact.Word(err, func(input string) string { return "--" + input })
}

func TestReadConfigFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ok.yml": "trunk: develop\n", "bad.yml": "deploy:\n  tag_pattern: \"[\"\n"})
	c, err := ReadConfigFile(filepath.Join(dir, "ok.yml"))
	if err != nil || c.Trunk != "develop" || c.Production != "production" {
		t.Errorf("ok.yml: %+v, %v", c, err)
	}
	bad := filepath.Join(dir, "bad.yml")
	if _, err := ReadConfigFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+": deploy.tag_pattern") {
		t.Errorf("bad.yml: err = %v, want it to name the file and the key", err)
	}
	if _, err := ReadConfigFile(filepath.Join(dir, "none.yml")); err == nil || !strings.HasPrefix(asFlags(err), "--config: open ") {
		t.Errorf("missing file: err = %v", err)
	}
}

// Errors of the inputs data reads are of the input, in the domain's words;
// worded for the command line they name its flags, with their hints.
func TestErrorsNameTheirInput(t *testing.T) {
	repo := newRepo(t)
	plain := t.TempDir()
	ctx := context.Background()
	_, notRepo := OpenRepo(plain)
	_, onCode := mustOpen(t, repo, "main").Update(ctx, "x", WriteOptions{}, appendDeps())
	_, push := mustOpen(t, repo, plain).Update(ctx, "x", WriteOptions{Push: true}, appendDeps())
	_, remote := mustOpen(t, repo, "").Update(ctx, "x", WriteOptions{Push: true, Remote: "nope"}, appendDeps())
	for _, tc := range []struct {
		err           error
		input         string // "" for no InputError
		domain, flags string
	}{
		{notRepo, "repo", "repo " + plain + ": not a git repository",
			"--repo " + plain + ": not a git repository (run gitdora inside a clone, or pass --repo PATH)"},
		{onCode, "", "branch main has no gitdora.yml at its tip, so it is not a data branch (a code branch?); gitdora writes only to a data branch",
			"branch main has no gitdora.yml at its tip, so it is not a data branch (a code branch?); gitdora writes only to a data branch: name another with --data, or create one with gitdora init"},
		{push, "push", "push: " + plain + " is a plain directory, not a git branch; there is nothing to push",
			"--push: " + plain + " is a plain directory, not a git branch; there is nothing to push"},
		{remote, "remote", "remote nope: not a remote of " + repo + " (add it with: git remote add nope URL)",
			"--remote nope: not a remote of " + repo + " (add it with: git remote add nope URL)"},
	} {
		var in *fact.InputError
		if errors.As(tc.err, &in) != (tc.input != "") || (in != nil && in.Input != tc.input) {
			t.Errorf("%v: input %+v, want %q", tc.err, in, tc.input)
		}
		if tc.err == nil || tc.err.Error() != tc.domain || asFlags(tc.err) != tc.flags {
			t.Errorf("err = %v\nwant    %s\nworded: %s\nwant    %s", tc.err, tc.domain, asFlags(tc.err), tc.flags)
		}
	}
	if !errors.Is(notRepo, git.ErrNoRepo) {
		t.Errorf("OpenRepo(%s) = %v, not git.ErrNoRepo", plain, notRepo)
	}
}
