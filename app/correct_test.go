package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/data"
)

// correctDir is a plain data directory with a deployment and an open
// incident recorded.
func correctDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		// Files in the layout of an older gitdora (no service column): still read.
		"events/deployments/2026-03.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
			"d1,2026-03-02T10:00:00Z,6bb224b79892b75c83bed51434d97aa992e38015,production,success,,,false,0,0,0,0,cli\n",
		"events/incidents/2026-03.csv": "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
			"INC-1,2026-03-04T11:00:00Z,,high,security,production,,d1,,Down\n",
		"events/pulls/2026-03.csv": strings.Join(data.PullHeader, ",") + "\n" +
			"gh-pull-7,7,2026-03-01T09:00:00Z,2026-03-01T09:00:00Z,2026-02-27T09:00:00Z,,,2026-03-02T09:00:00Z,6bb224b79892b75c83bed51434d97aa992e38015,,octocat,false,github-pulls\n",
	}
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func corrections(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "events", "corrections", "2026-03.csv"))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Amend and void append corrections checked against the events as
// readers see them; what is refused writes nothing.
func TestCorrect(t *testing.T) {
	dir := correctDir(t)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	req := func(kind, id string, fields ...Field) CorrectRequest {
		return CorrectRequest{Request: Request{Scope: Scope{Kind: Repository, Name: dir}, Data: dir, Now: now}, Kind: kind, ID: id,
			Fields: fields, Reason: "restored earlier", Author: "ada"}
	}
	env, _, logs := alertsEnv()
	ctx := context.Background()

	if err := Correct(ctx, req("incident", "INC-1", Field{"resolved", "2026-03-04T12:30:00Z"}, Field{"cwe", "cwe-079"}), env); err != nil {
		t.Fatal(err)
	}
	got := corrections(t, dir)
	want := "id,time,kind,target,field,value,reason,author\n" +
		"c-[0-9a-f]{16},2026-03-10T09:00:00Z,incident,INC-1,resolved,2026-03-04T12:30:00Z,restored earlier,ada\n"
	if lines := strings.Split(got, "\n"); len(lines) != 4 || lines[0] != "id,time,kind,target,field,value,reason,author" ||
		!strings.HasSuffix(lines[1], ",2026-03-10T09:00:00Z,incident,INC-1,resolved,2026-03-04T12:30:00Z,restored earlier,ada") ||
		!strings.HasSuffix(lines[2], ",incident,INC-1,cwe,CWE-79,restored earlier,ada") || !strings.HasPrefix(lines[1], "c-") {
		t.Fatalf("corrections:\n%s\nwant like:\n%s", got, want)
	}
	if !strings.Contains(logs.String(), "amended incident INC-1: resolved, cwe") {
		t.Errorf("log: %s", logs)
	}

	// The same values again, even later: nothing written.
	again := req("incident", "INC-1", Field{"resolved", "2026-03-04T12:30:00Z"})
	again.Now = now.Add(time.Hour)
	if err := Correct(ctx, again, env); err != nil || corrections(t, dir) != got || !strings.Contains(logs.String(), "already has these values; nothing written") {
		t.Errorf("the same value again: %v\n%s", err, corrections(t, dir))
	}

	for _, tc := range []struct {
		name string
		req  CorrectRequest
		want string
	}{
		{"unknown id", req("incident", "INC-9", Field{"severity", "low"}), "no incident with id INC-9 is recorded"},
		{"resolved before opened", req("incident", "INC-1", Field{"resolved", "2026-03-01T00:00:00Z"}), "as amended: resolved 2026-03-01T00:00:00Z is before opened"},
		{"a value record refuses", req("deployment", "d1", Field{"status", "exploded"}), `status is "exploded"`},
		{"a field of the other kind", req("deployment", "d1", Field{"severity", "low"}), "a deployment has no field severity"},
		{"the id", req("deployment", "d1", Field{"id", "d2"}), "is not amended"},
		{"no field", req("deployment", "d1"), "say what to amend"},
		{"a field twice", req("deployment", "d1", Field{"high", "1"}, Field{"high", "2"}), "high: given twice"},
		{"a field a pull lacks", req("pull", "gh-pull-7", Field{"state", "merged"}), "a pull has no field state"},
		{"an unknown pull", req("pull", "gh-pull-8", Field{"draft", "true"}), "no pull with id gh-pull-8 is recorded"},
		{"a pull without its opening", req("pull", "gh-pull-7", Field{"opened", ""}), "opened: "},
		{"an unknown kind", req("release", "v1", Field{"time", "2026-03-01T09:00:00Z"}), `kind "release": want deployment, incident or pull`},
		{"no reason", func() CorrectRequest { r := req("deployment", "d1", Field{"high", "1"}); r.Reason = " "; return r }(), "reason: empty"},
	} {
		err := Correct(ctx, tc.req, env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if corrections(t, dir) != got {
			t.Errorf("%s wrote:\n%s", tc.name, corrections(t, dir))
		}
	}

	// A pull is amended as the other events are.
	if err := Correct(ctx, req("pull", "gh-pull-7", Field{"first_review", "2026-03-01T15:00:00+01:00"}, Field{"draft", "false"}), env); err != nil {
		t.Fatal(err)
	}
	if c := corrections(t, dir); !strings.Contains(c, ",pull,gh-pull-7,first_review,2026-03-01T15:00:00+01:00,restored earlier,ada") || strings.Contains(c, ",draft,") {
		t.Errorf("corrections of the pull (draft is false already):\n%s", c)
	}
	got = corrections(t, dir)

	// status blocked implies gate_blocked, as record --status blocked does.
	if err := Correct(ctx, req("deployment", "d1", Field{"status", "blocked"}), env); err != nil {
		t.Fatal(err)
	}
	if c := corrections(t, dir); !strings.Contains(c, ",deployment,d1,status,blocked,") || !strings.Contains(c, ",deployment,d1,gate_blocked,true,") {
		t.Errorf("corrections:\n%s", c)
	}

	// A void is final: voiding again writes nothing, an amend after it is refused.
	void := req("deployment", "d1")
	void.Void = true
	if err := Correct(ctx, void, env); err != nil {
		t.Fatal(err)
	}
	before := corrections(t, dir)
	if !strings.Contains(before, ",deployment,d1,void,,restored earlier,ada") {
		t.Errorf("no void:\n%s", before)
	}
	void.Now = now.Add(time.Hour)
	if err := Correct(ctx, void, env); err != nil || corrections(t, dir) != before || !strings.Contains(logs.String(), "deployment d1 is already voided; nothing written") {
		t.Errorf("voided again: %v", err)
	}
	if err := Correct(ctx, req("deployment", "d1", Field{"high", "1"}), env); !errors.Is(err, data.ErrVoided) {
		t.Errorf("an amend after the void: %v, want ErrVoided", err)
	}
}

func TestAuthor(t *testing.T) {
	repo := t.TempDir() // no repository: no git user
	t.Setenv("GITHUB_ACTOR", "")
	var ie *InputError
	if _, err := Author("", repo); !errors.As(err, &ie) || ie.Input != "author" || ie.Hint == nil {
		t.Errorf("nobody: %v", err)
	}
	t.Setenv("GITHUB_ACTOR", "octocat")
	if a, err := Author("", repo); a != "octocat" || err != nil {
		t.Errorf("GITHUB_ACTOR: %q %v", a, err)
	}
	if a, err := Author(" ada ", repo); a != "ada" || err != nil {
		t.Errorf("--author: %q %v", a, err)
	}
	if _, err := Author("ada\x1b[2J", repo); err == nil {
		t.Error("an author with a control character")
	}
}
