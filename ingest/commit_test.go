package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

func TestCommitResolvesInTheOpenRepository(t *testing.T) {
	g := gittest.New(t)
	c1 := g.Commit(gittest.C{Msg: "one", Authored: "2026-01-05T10:00:00Z"})
	c2 := g.Commit(gittest.C{Msg: "two", Authored: "2026-01-06T10:00:00Z", Committed: "2026-01-06T11:30:00+01:00", Parents: []string{c1}})
	g.Branch("main", c2)
	g.Tag("v1", c1, "2026-01-07T00:00:00Z")
	r, err := data.OpenRepo(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	unknown := strings.Repeat("ab", 20)
	tests := []struct {
		rev       string
		noRepo    bool
		wantSHA   string
		wantWhen  string // RFC 3339, "" for none
		wantKnown bool
		wantErr   string
	}{
		{rev: "", wantSHA: c2, wantWhen: "2026-01-06T10:30:00Z", wantKnown: true},
		{rev: "main", wantSHA: c2, wantWhen: "2026-01-06T10:30:00Z", wantKnown: true},
		{rev: "v1", wantSHA: c1, wantWhen: "2026-01-05T10:00:00Z", wantKnown: true},
		{rev: strings.ToUpper(c1), wantSHA: c1, wantWhen: "2026-01-05T10:00:00Z", wantKnown: true},
		{rev: c1[:7], wantSHA: c1, wantWhen: "2026-01-05T10:00:00Z", wantKnown: true},
		{rev: strings.ToUpper(unknown), wantSHA: unknown},
		{rev: "nope", wantErr: `--sha "nope": not a commit of repo`},
		{rev: unknown, noRepo: true, wantSHA: unknown},
		{rev: "main", noRepo: true, wantErr: `--sha "main": --repo repo is not a git repository`},
	}
	for _, tt := range tests {
		rr := r
		if tt.noRepo {
			rr = nil
		}
		sha, when, known, err := Commit(rr, "repo", tt.rev)
		if tt.wantErr != "" {
			var in *fact.InputError
			if !errors.As(err, &in) || in.Input != "sha" || !strings.HasPrefix(asFlags(err), tt.wantErr) {
				t.Errorf("Commit(%q) err = %v, want %q", tt.rev, err, tt.wantErr)
			}
			continue
		}
		gotWhen := ""
		if !when.IsZero() {
			gotWhen = when.UTC().Format(time.RFC3339)
		}
		if err != nil || sha != tt.wantSHA || gotWhen != tt.wantWhen || known != tt.wantKnown {
			t.Errorf("Commit(%q) = %s %s %v %v, want %s %s %v", tt.rev, sha, gotWhen, known, err, tt.wantSHA, tt.wantWhen, tt.wantKnown)
		}
	}
	g.Git("symbolic-ref", "HEAD", "refs/heads/main")
	if b, err := Branch(r, func(string) string { return "" }); b != "main" || err != nil {
		t.Errorf("Branch = %q, %v", b, err)
	}
	g.Git("checkout", "-q", "--detach", c1)
	if b, err := Branch(r, func(k string) string { return map[string]string{"GITHUB_REF_NAME": "rel"}[k] }); b != "rel" || err != nil {
		t.Errorf("detached Branch = %q, %v", b, err)
	}
	// Without GITHUB_REF_NAME the ref must be given: the error says so to
	// a caller who names the inputs.
	_, err = Branch(r, func(string) string { return "" })
	if err == nil || err.Error() != "ref: HEAD of repo is detached (no branch checked out)" ||
		asFlags(err) != "--ref: HEAD of --repo is detached (no branch checked out); give --ref, e.g. --ref main" {
		t.Errorf("detached Branch without GITHUB_REF_NAME: %v (worded: %s)", err, asFlags(err))
	}
}

// asFlags is err's message as the command line words it: each input as
// its flag.
func asFlags(err error) string {
	return fact.Word(err, func(input string) string { return "--" + input })
}
