package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The layers below name inputs in their own words (fact.InputError); what
// the user reads names the flags they gave, word for word as before.
func TestMessagesNameTheFlags(t *testing.T) {
	t.Setenv("GITHUB_REF_NAME", "") // ingest reads it for a detached HEAD
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	plain := filepath.Join(tmp, "plain")
	file := filepath.Join(tmp, "afile")
	sarif := filepath.Join(tmp, "x.sarif")
	for _, d := range []string{repo, plain} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{file, sarif} {
		if err := os.WriteFile(f, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitT(t, repo, "init", "-q", "-b", "main")
	gitT(t, repo, "commit", "-q", "--allow-empty", "-m", "one")
	head := gitT(t, repo, "rev-parse", "HEAD")

	// A repository with a data branch and a deployment of a commit it lacks.
	unknown := filepath.Join(tmp, "unknown")
	gitT(t, tmp, "clone", "-q", repo, unknown)
	run(t, "--repo", unknown, "init")
	lacks := "0123456789abcdef0123456789abcdef01234567"
	run(t, "--repo", unknown, "record", "deployment", "--id", "7", "--sha", lacks, "--allow-unknown-sha", "--at", "2026-03-04T10:00:00Z")

	// A shallow clone with a data branch and a deployment.
	shallow := filepath.Join(tmp, "shallow")
	gitT(t, repo, "commit", "-q", "--allow-empty", "-m", "two")
	gitT(t, tmp, "clone", "-q", "--depth", "1", "file://"+repo, shallow)
	gitT(t, shallow, "commit", "-q", "--allow-empty", "-m", "three")
	run(t, "--repo", shallow, "init")
	run(t, "--repo", shallow, "record", "deployment", "--id", "1", "--sha", "HEAD", "--at", "2026-03-04T10:00:00Z")
	stop := gitT(t, shallow, "rev-parse", "--short=12", "HEAD~1")

	detached := filepath.Join(tmp, "detached")
	gitT(t, tmp, "clone", "-q", repo, detached)
	gitT(t, detached, "checkout", "-q", "--detach")

	for _, tc := range []struct {
		args []string
		want string // a whole line of stderr, without "gitdora: "
	}{
		{[]string{"--repo", plain, "compute", "--month", "2026-01"},
			"--repo " + plain + ": not a git repository (run gitdora inside a clone, or pass --repo PATH)"},
		{[]string{"--repo", repo, "--data", "nope#x", "compute", "--month", "2026-01"},
			"--data nope#x: no such directory nope (PATH#BRANCH names a branch of the repository at PATH; for a branch named nope#x of --repo, write --data REPO#nope#x)"},
		{[]string{"--repo", repo, "--data", plain + "#x", "compute", "--month", "2026-01"},
			"--data " + plain + "#x: " + plain + " is not a git repository, so #x cannot select a branch"},
		{[]string{"--repo", repo, "--data", file, "compute", "--month", "2026-01"},
			"--data " + file + ": " + file + " is not a directory (want a directory, or a branch name)"},
		{[]string{"--repo", repo, "--data", filepath.Join(tmp, "none"), "compute", "--month", "2026-01"},
			"--data " + filepath.Join(tmp, "none") + ": no such directory (create it, or name a branch)"},
		{[]string{"--repo", repo, "--data", "bad..name", "compute", "--month", "2026-01"},
			`--data bad..name: "bad..name" is not a valid branch name: it contains ".." (and not an existing directory)`},
		{[]string{"--repo", repo, "--config", filepath.Join(tmp, "none.yml"), "compute", "--month", "2026-01"},
			"--config: open " + filepath.Join(tmp, "none.yml") + ": no such file or directory"},
		{[]string{"--repo", repo, "--data", plain, "record", "deployment", "--id", "1", "--sha", "HEAD", "--push"},
			"--push: " + plain + " is a plain directory, not a git branch; there is nothing to push"},
		{[]string{"--repo", repo, "record", "deployment", "--id", "1", "--sha", "HEAD", "--remote", "a:b"},
			"--remote: want the name of a configured remote (such as origin), not a URL; add the URL with: git remote add NAME URL"},
		{[]string{"--repo", repo, "record", "deployment", "--id", "1", "--sha", "HEAD", "--push", "--remote", "nope"},
			"--remote nope: not a remote of " + repo + " (add it with: git remote add nope URL)"},
		{[]string{"--repo", repo, "--data", "main", "record", "deployment", "--id", "1", "--sha", "HEAD"},
			"branch main has no gitdora.yml at its tip, so it is not a data branch (a code branch?); gitdora writes only to a data branch: name another with --data, or create one with gitdora init"},
		{[]string{"--repo", repo, "site", "--out", file},
			"--out " + file + ": refusing to replace it: it exists and is not a folder"},
		{[]string{"--repo", repo, "report", "--month", "2026-01", "--out", repo},
			"--out " + repo + ": refusing to write into it: it is or holds the repository (--repo) " + repo},
		{[]string{"--repo", repo, "collect", "--out", ""},
			"--out: empty; name a folder"},
		{[]string{"--repo", repo, "report", "--month", "2026-01", "--as-of", "HEAD", "--commit", "--out", filepath.Join(tmp, "rep")},
			"--as-of: a report rebuilt as of an earlier data commit is not committed to the data branch again (leave out --commit and --push)"},
		{[]string{"--repo", plain, "--data", plain, "ingest", "sarif", "--sha", "abc", sarif},
			`--sha "abc": --repo ` + plain + " is not a git repository, so only a full commit hash can be given"},
		{[]string{"--repo", repo, "--data", plain, "ingest", "sarif", "--ref", "main", "--sha", "nope", sarif},
			`--sha "nope": not a commit of ` + repo + " (want a commit hash, branch or tag)"},
		{[]string{"--repo", detached, "--data", plain, "ingest", "sarif", "--sha", head, sarif},
			"--ref: HEAD of --repo is detached (no branch checked out); give --ref, e.g. --ref main"},
		{[]string{"--repo", shallow, "compute", "--month", "2026-03"},
			"--repo " + shallow + " is a shallow clone (its history stops at " + stop + "), so what each deployment shipped cannot be known. " +
				"Fetch the full history first: git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)"},
		{[]string{"--repo", unknown, "compute", "--month", "2026-03"},
			"warning: skipped deployment 7: commit " + lacks + " is not in --repo " + unknown + ", so what it shipped is unknown (fetch the branch that has it: git fetch origin)"},
		{[]string{"--repo", unknown, "--strict", "compute", "--month", "2026-03"},
			"1 input problem(s) and --strict given; first: deployment 7: commit " + lacks + " is not in --repo " + unknown + ", so what it shipped is unknown (fetch the branch that has it: git fetch origin)"},
	} {
		var out, errb bytes.Buffer
		Run(tc.args, &out, &errb)
		lines := strings.Split(errb.String(), "\n")
		if !slices.Contains(lines, "gitdora: "+tc.want) {
			t.Errorf("gitdora %s:\n%s\nwant the line\ngitdora: %s", strings.Join(tc.args, " "), errb.String(), tc.want)
		}
	}
}

// An argument that is not UTF-8 is refused before anything runs: kong would
// read it as text and store U+FFFD in place of the bytes given.
func TestArgumentsNotUTF8Refused(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--data", dir, "ingest", "sarif", "x.sarif", "--ref=mai\xd6n"},
		{"--data", dir, "record", "deployment", "--id", "\xff", "--sha", "abc1234"},
	} {
		var out, errb bytes.Buffer
		if code := Run(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "is not UTF-8 text") {
			t.Errorf("%q: exit %d, %s", args, code, errb.String())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%q wrote %d entries", args, len(entries))
		}
	}
}
