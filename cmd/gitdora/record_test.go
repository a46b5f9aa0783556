package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
)

// gitT runs git in dir for fixtures, with a fixed identity.
func gitT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// bareRemote makes a bare repository with one commit on main.
func bareRemote(t *testing.T) (remote, sha string) {
	t.Helper()
	src := t.TempDir()
	gitT(t, src, "init", "-q", "-b", "main")
	gitT(t, src, "commit", "-q", "--allow-empty", "-m", "code")
	remote = filepath.Join(t.TempDir(), "remote.git")
	gitT(t, src, "clone", "-q", "--bare", src, remote)
	return remote, gitT(t, src, "rev-parse", "HEAD")
}

// writersAtOnce starts one gitdora process per repo at once, each
// recording a different deployment with --push, and waits for all.
func writersAtOnce(t *testing.T, repos []string, sha string) {
	t.Helper()
	exe, err := exec.LookPath("gitdora") // the test binary, set up by testscript.RunMain
	if err != nil {
		t.Fatal(err)
	}
	cmds := make([]*exec.Cmd, len(repos))
	outs := make([]*bytes.Buffer, len(repos))
	for i, repo := range repos {
		outs[i] = &bytes.Buffer{}
		cmds[i] = exec.Command(exe, "--repo", repo, "-v", "record", "deployment", "--id", fmt.Sprintf("w%02d", i),
			"--sha", sha, "--at", "2026-03-04T10:00:00Z", "--push")
		cmds[i].Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("writer %d exited with %v:\n%s", i, err, outs[i])
		}
		if os.Getenv("GITDORA_SHOW_WRITERS") != "" {
			t.Logf("writer %d:\n%s", i, outs[i])
		}
	}
}

// remoteRows returns the ids of the deployment rows on the remote's data branch.
func remoteRows(t *testing.T, remote string) []string {
	t.Helper()
	csv := gitT(t, remote, "show", "dora-data:events/deployments/2026-03.csv")
	var ids []string
	for _, line := range strings.Split(csv, "\n")[1:] {
		id, _, _ := strings.Cut(line, ",")
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// 16 writer processes started at once, each recording a different
// deployment with --push to one bare remote: all 16 rows land exactly
// once and no writer fails. Each has its own clone, as 16 CI jobs would;
// the variant shares one clone between all 16.
func TestSixteenWritersPushAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 16 processes")
	}
	const n = 16
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("w%02d", i))
	}
	for _, shared := range []bool{false, true} {
		t.Run(map[bool]string{false: "own clones", true: "one shared clone"}[shared], func(t *testing.T) {
			remote, sha := bareRemote(t)
			repos := make([]string, n)
			for i := range repos {
				if shared && i > 0 {
					repos[i] = repos[0]
					continue
				}
				repos[i] = filepath.Join(t.TempDir(), "clone")
				gitT(t, t.TempDir(), "clone", "-q", remote, repos[i])
			}
			writersAtOnce(t, repos, sha)
			if got := remoteRows(t, remote); !slices.Equal(got, want) {
				t.Errorf("remote rows = %v\nwant each of %v exactly once", got, want)
			}
			gitT(t, remote, "fsck", "--strict", "--no-dangling")
		})
	}
}

// init writes exactly the embedded defaults file, comments and all, with
// the trunk it found: the branch checked out, without a remote.
func TestInitWritesTheDefaults(t *testing.T) {
	repo := t.TempDir()
	gitT(t, repo, "init", "-q", "-b", "main")
	var out, errb bytes.Buffer
	if code := Run([]string{"--repo", repo, "init"}, &out, &errb); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, errb.String())
	}
	got := gitT(t, repo, "show", "dora-data:gitdora.yml")
	if got != strings.TrimSpace(string(config.Template("main"))) {
		t.Errorf("dora-data:gitdora.yml differs from config.Template(\"main\"):\n%s", got)
	}
}

// The token appears in no output, even with -v and a server that echoes
// it back; and over a plain http:// remote it is not sent at all (package
// data's tests show it sent over HTTPS).
func TestRecordPushNeverPrintsTheToken(t *testing.T) {
	const token = "ghs_TokenThatMustNotLeak42"
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		http.Error(w, "bad credentials: "+token, http.StatusUnauthorized)
	}))
	defer srv.Close()
	repo := t.TempDir()
	gitT(t, repo, "init", "-q", "-b", "main")
	gitT(t, repo, "commit", "-q", "--allow-empty", "-m", "code")
	gitT(t, repo, "remote", "add", "origin", srv.URL+"/o/r.git")
	t.Setenv("GITDORA_TOKEN", token)
	var out, errb bytes.Buffer
	code := Run([]string{"--repo", repo, "-v", "record", "deployment", "--id", "d1", "--sha", "HEAD", "--push"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if strings.Contains(out.String()+errb.String(), token) {
		t.Errorf("token printed:\n%s%s", out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "fetch origin") {
		t.Errorf("stderr does not name the remote:\n%s", errb.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auths) == 0 || auths[0] != "" {
		t.Errorf("the http:// server saw Authorization %q, want none", auths)
	}
	if !strings.Contains(errb.String(), "GITDORA_TOKEN is set but") {
		t.Errorf("stderr does not say the token was not sent:\n%s", errb.String())
	}
}

// Without --at, a deployment is recorded at the current time (UTC).
func TestRecordDeploymentDefaultsToNow(t *testing.T) {
	dir := t.TempDir()
	before := time.Now().UTC().Truncate(time.Second)
	var out, errb bytes.Buffer
	if code := Run([]string{"--repo", dir, "--data", dir, "record", "deployment", "--id", "d1", "--sha", "abcdef1", "--allow-unknown-sha"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	store, err := data.Open(dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	deps, probs, err := store.Deployments()
	if err != nil || len(probs) > 0 || len(deps) != 1 {
		t.Fatalf("deployments %v %v %v", deps, probs, err)
	}
	at := deps[0].Time
	if at.Before(before) || at.After(time.Now()) || !strings.HasSuffix(at.String(), "Z") {
		t.Errorf("time = %s, want now in UTC (after %s)", at, before.Format(time.RFC3339))
	}
}
