package imports

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRefusals(t *testing.T) {
	pdIncident := func(members string) string {
		return `{"type": "incident", "id": "PABC", "incident_number": 1, "status": "triggered", "urgency": "high",
			"created_at": "2026-01-05T10:00:00Z"` + members + `}`
	}
	ghPull := func(members string) string {
		return `{"id": 1, "number": 5, "state": "open", "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z",
			"user": {"login": "a", "id": 1}, "head": {"sha": "0123456789abcdef0123456789abcdef01234567"}, "base": {}` + members + `}`
	}
	for _, tc := range []struct {
		name, source, in string
		opt              Options
		want             string // the whole message
	}{
		{"unknown source", "jira", `{}`, Options{}, `f.json: unknown source "jira" (want one of github-deployments, github-releases, github-pulls, gitlab-pipelines, gitlab-deployments, gitlab-merge-requests, gitlab-incidents, pagerduty, opsgenie)`},
		{"too large", PagerDuty, `[` + strings.Repeat(" ", 200) + `]`, Options{MaxBytes: 100}, "f.json: 202 bytes, larger than the 100 bytes read"},
		{"empty", PagerDuty, " \n\t", Options{}, "f.json: empty file, want PagerDuty incidents or v3 webhook payloads"},
		{"not JSON", PagerDuty, "incident,opened\n", Options{}, `f.json: not a JSON object or array: it starts with "incident,opened", want PagerDuty incidents or v3 webhook payloads`},
		{"truncated", PagerDuty, `{"incidents": [{"id": `, Options{}, "f.json: not JSON: line 1, column 23: unexpected end of input"},
		{"text after the JSON", PagerDuty, pdIncident("") + "\n{'x': 1}", Options{}, `f.json: not JSON: line 3, column 2: invalid character '\'' looking for beginning of object key string (after 1 JSON value(s): text that is not JSON follows)`},
		{"not an object", PagerDuty, `[1]`, Options{}, "f.json: $[0]: want an object, got the number \"1\" (want PagerDuty incidents or v3 webhook payloads)"},
		{"unknown object", PagerDuty, `{"hello": "world"}`, Options{}, "f.json: $: not a response or payload this source reads (want PagerDuty incidents or v3 webhook payloads)"},
		{"another source's payload", PagerDuty, `{"action": "opened", "number": 1, "pull_request": {}}`, Options{},
			"f.json: $: is a GitHub pull_request webhook payload, which source github-pulls reads, not pagerduty (want PagerDuty incidents or v3 webhook payloads)"},
		{"a string", PagerDuty, `"incidents"`, Options{}, `f.json: not a JSON object or array: it starts with "\"incidents\"", want PagerDuty incidents or v3 webhook payloads`},
		{"nested too deeply", PagerDuty, `[[[[[[[{}]]]]]]]`, Options{}, "f.json: $[0][0][0][0][0]: nested too deeply, want PagerDuty incidents or v3 webhook payloads"},
		{"control character in an id", PagerDuty, strings.Replace(pdIncident(""), `"PABC"`, `"PA\u0007BC"`, 1), Options{}, `f.json: $.id: control character U+0007 in id "PA\aBC"`},
		{"id too long", PagerDuty, strings.Replace(pdIncident(""), `"PABC"`, `"`+strings.Repeat("x", 129)+`"`, 1), Options{}, "f.json: $.id: id 129 bytes long, want at most 128"},
		{"id with spaces", PagerDuty, strings.Replace(pdIncident(""), `"PABC"`, `" PABC"`, 1), Options{}, `f.json: $.id: id " PABC" has surrounding space`},
		{"id of the wrong type", PagerDuty, strings.Replace(pdIncident(""), `"PABC"`, `true`, 1), Options{}, "f.json: $.id: want an id (a string or a whole number), got true"},
		{"negative id", GitHubPulls, strings.Replace(ghPull(""), `"id": 1,`, `"id": -1,`, 1), Options{}, `f.json: $.id: want an id (a string or a whole number), got the number "-1"`},
		{"missing created_at", PagerDuty, strings.Replace(pdIncident(""), `"created_at"`, `"x"`, 1), Options{}, "f.json: $.created_at: missing"},
		{"time before 1970", PagerDuty, strings.Replace(pdIncident(""), "2026-01-05", "1969-12-31", 1), Options{}, "f.json: $.created_at: time 1969-12-31T10:00:00Z is before 1970"},
		{"time in the future", PagerDuty, pdIncident(""), Options{Now: utc("2026-01-05T09:54:00Z")}, "f.json: $.created_at: time 2026-01-05T10:00:00Z is in the future (now is 2026-01-05T09:54:00Z)"},
		{"time without zone", PagerDuty, strings.Replace(pdIncident(""), "10:00:00Z", "10:00:00", 1), Options{}, `f.json: $.created_at: time "2026-01-05T10:00:00" has no zone (want Z or an offset such as +00:00)`},
		{"time of the wrong type", PagerDuty, pdIncident(`, "resolved_at": {}`), Options{}, "f.json: $.resolved_at: want a time, got an object"},
		{"unknown status", PagerDuty, strings.Replace(pdIncident(""), "triggered", "snoozed", 1), Options{}, `f.json: $.status: want triggered, acknowledged or resolved, got "snoozed"`},
		{"number as a string", GitHubPulls, strings.Replace(ghPull(""), `"number": 5`, `"number": "5"`, 1), Options{}, `f.json: $.number: want a whole number, got a string "5"`},
		{"huge number", GitHubPulls, strings.Replace(ghPull(""), `"number": 5`, `"number": 1e300`, 1), Options{}, `f.json: $.number: want a whole number from 0 to 1000000000, got "1e300"`},
		{"not a commit hash", GitHubPulls, strings.Replace(ghPull(""), "0123456789abcdef0123456789abcdef01234567", "head123", 1), Options{}, `f.json: $.head.sha: want a full commit hash (40 hex digits), got "head123"`},
		{"control character in a name", GitHubDeployments, `{"id": 1, "sha": "0123456789abcdef0123456789abcdef01234567", "task": "deploy", "environment": "prod\nuction", "created_at": "2026-01-05T10:00:00Z"}`, Options{},
			`f.json: $.environment: control character U+000A in "prod\nuction"`},
		{"commits without their pull", GitHubPulls, `[{"sha": "0123456789abcdef0123456789abcdef01234567", "commit": {"author": {"date": "2026-01-05T10:00:00Z"}}}]`, Options{},
			"f.json: $[0]: pull request commits do not say which pull request they belong to: name it (--pull N)"},
		{"an error in the second page", PagerDuty, `[` + pdIncident("") + `]` + "\n" + `[` + strings.Replace(pdIncident(""), `"high"`, `7`, 1) + `]`, Options{},
			"f.json: (page 2) $[0].urgency: want a string, got the number \"7\""},
		{"an epoch with a fraction", PagerDuty, strings.Replace(pdIncident(""), `"2026-01-05T10:00:00Z"`, `1767607200.5`, 1), Options{}, `f.json: $.created_at: want an epoch time as a whole number, got "1767607200.5"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opt.Now.IsZero() {
				tc.opt.Now = corpusNow
			}
			_, err := Parse(tc.source, "f.json", []byte(tc.in), tc.opt)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("got  %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestShapes(t *testing.T) {
	inc := func(id string) string {
		return `{"type": "incident", "id": "` + id + `", "status": "triggered", "urgency": "low", "created_at": "2026-01-05T10:00:00Z"}`
	}
	og := `{"id": "x1", "tinyId": "1", "message": "m", "status": "open", "priority": "P2", "createdAt": "2026-01-05T10:00:00Z", "updatedAt": "2026-01-05T10:00:00Z", "impactStartDate": "2026-01-05T10:00:00Z"}`
	for _, tc := range []struct {
		name, source, in string
		n                int
	}{
		{"one object", PagerDuty, inc("A"), 1},
		{"an array", PagerDuty, "[" + inc("A") + "," + inc("B") + "]", 2},
		{"an empty page", PagerDuty, "[]", 0},
		{"pages one after another (gh api --paginate)", PagerDuty, "[" + inc("A") + "]\n[" + inc("B") + "," + inc("C") + "]", 3},
		{"pages slurped (gh api --paginate --slurp)", PagerDuty, "[[" + inc("A") + "],[" + inc("B") + "]]", 2},
		{"PagerDuty's list wrapper", PagerDuty, `{"incidents": [` + inc("A") + `], "limit": 25, "offset": 0, "more": false, "total": null}`, 1},
		{"PagerDuty's wrapper of one", PagerDuty, `{"incident": ` + inc("A") + `}`, 1},
		{"pages of wrappers", PagerDuty, `{"incidents": [` + inc("A") + `], "more": true}` + "\n" + `{"incidents": [` + inc("B") + `], "more": false}`, 2},
		{"Opsgenie's data wrapper", Opsgenie, `{"data": [` + og + `], "took": 0.01, "requestId": "r"}`, 1},
		{"Opsgenie's wrapper of one", Opsgenie, `{"data": ` + og + `, "took": 0.01, "requestId": "r"}`, 1},
		{"a UTF-8 byte order mark", PagerDuty, "\xef\xbb\xbf" + inc("A"), 1},
	} {
		b, err := Parse(tc.source, "f.json", []byte(tc.in), Options{Now: corpusNow})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(b.Incidents) != tc.n {
			t.Errorf("%s: %d incidents, want %d", tc.name, len(b.Incidents), tc.n)
		}
	}
}

// TestRepositoryFromURL: a repository named by a URL holding control
// characters is no repository.
func TestRepositoryFromURL(t *testing.T) {
	b, err := Parse(GitHubPulls, "f.json", []byte(`[{"sha": "0123456789abcdef0123456789abcdef01234567", "url": "https://api.github.com/repos/o\u001b[2J/r/commits/x",
		"commit": {"author": {"date": "2026-01-05T10:00:00Z"}}}]`), Options{Now: corpusNow, Pull: 3})
	if err != nil {
		t.Fatal(err)
	}
	if b.Commits[0].Repo != "" {
		t.Errorf("repo %q", b.Commits[0].Repo)
	}
	if got := repoOf("https://api.github.com/repos/Octo/Hello-World/pulls/3"); got != "octo/hello-world" {
		t.Errorf("repo %q", got)
	}
}

func TestTitles(t *testing.T) {
	long := strings.Repeat("é", 300)
	b, err := Parse(PagerDuty, "f.json", []byte(`{"type": "incident", "id": "A", "status": "triggered", "created_at": "2026-01-05T10:00:00Z",
		"title": "disk\tfull\u0000 on\ndb-1"}`+"\n"+`{"type": "incident", "id": "B", "status": "triggered", "created_at": "2026-01-05T10:00:00Z", "title": "`+long+`"}`), Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Incidents[0].Title; got != "disk full  on db-1" {
		t.Errorf("title %q", got)
	}
	if got := b.Incidents[1].Title; utf8.RuneCountInString(got) != maxTitle || !strings.HasSuffix(got, "…") {
		t.Errorf("title of %d runes", utf8.RuneCountInString(got))
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte("["+strings.Repeat(" ", 1000)+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(PagerDuty, big, Options{MaxBytes: 100}); err == nil || !strings.Contains(err.Error(), "1002 bytes, larger than the 100 bytes read") {
		t.Errorf("big: %v", err)
	}
	if b, err := ReadFile(PagerDuty, big, Options{}); err != nil || b.Len() != 0 {
		t.Errorf("big, default cap: %v", err)
	}
	if _, err := ReadFile(PagerDuty, dir, Options{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	if _, err := ReadFile(PagerDuty, filepath.Join(dir, "none.json"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	odd := filepath.Join(dir, "a\x1bb.json")
	if err := os.WriteFile(odd, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(PagerDuty, odd, Options{}); err == nil || strings.ContainsRune(err.Error(), 0x1b) || !strings.Contains(err.Error(), `a\x1bb.json`) {
		t.Errorf("a name with an escape: %q", err)
	}
}
