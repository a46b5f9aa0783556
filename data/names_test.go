package data

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Refs are checked as git check-ref-format does: full names and branch
// names pass, anything that could not be a ref (a line break above all,
// which would put a line of its own into the commit message) does not.
func TestCheckRef(t *testing.T) {
	for _, ref := range []string{"main", "refs/heads/main", "refs/pull/1/merge", "release/1.x", "feature/JIRA-12_fix", "v1.2.3", "a@b", "dependabot/npm/x-1.0"} {
		if err := CheckRef(ref); err != nil {
			t.Errorf("CheckRef(%q) = %v, want nil", ref, err)
		}
	}
	for ref, want := range map[string]string{
		"":                             "empty",
		"main\nSigned-off-by: x <x@y>": `holds '\n'`,
		"main\r::error::pwned":         `holds '\r'`,
		"a b":                          `holds ' '`,
		"a~1":                          `holds '~'`,
		"a^":                           `holds '^'`,
		"a:b":                          `holds ':'`,
		"a?":                           `holds '?'`,
		"a*":                           `holds '*'`,
		"a[1]":                         `holds '['`,
		`a\b`:                          `holds '\\'`,
		"a\x7fb":                       `holds '\x7f'`,
		"a..b":                         `holds ".."`,
		"a@{1}":                        `holds "@{"`,
		"a//b":                         `holds "//"`,
		"/a":                           "starts or ends with /",
		"a/":                           "starts or ends with /",
		"a.":                           "ends with .",
		"@":                            `"@" is not a ref name`,
		"-x":                           "starts with -",
		".hidden":                      "starts with .",
		"refs/heads/.x":                "starts with .",
		"main.lock":                    "ends with .lock",
		"a/b.lock/c":                   "ends with .lock",
		strings.Repeat("x", 10<<10):    "10240 bytes long, want at most 255",
		"caf\xe9":                      "not UTF-8",
	} {
		err := CheckRef(ref)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckRef(%.40q) = %v, want an error saying %s", ref, err, want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for _, tt := range []struct {
		in    string
		limit int
		want  string
	}{
		{"record deployment d1", 100, "record deployment d1"},
		{"ingest sarif (main\nSigned-off-by: x)", 100, `ingest sarif (main\nSigned-off-by: x)`},
		{"a\r\x1b[31mred\t", 100, `a\r\x1b[31mred\t`},
		{"naïve ✓ text", 100, "naïve ✓ text"},
		{strings.Repeat("é", 10), 9, "ééé…"}, // 2 bytes each: cut on a character boundary
		{"bad \xff byte", 100, `bad \xff byte`},
	} {
		if got := OneLine(tt.in, tt.limit); got != tt.want {
			t.Errorf("OneLine(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

// A tool's name is at most MaxToolName bytes in a file name: a 250
// character tool.driver.name made a name no file system takes.
func TestSafeNameIsBounded(t *testing.T) {
	long := strings.Repeat("Very Long Tool Name ", 13)[:250]
	got := SafeName(long)
	if len(got) > MaxToolName || !strings.HasPrefix(got, "very-long-tool-name-very") || strings.HasSuffix(got, "-") {
		t.Errorf("SafeName(250 characters) = %q (%d bytes), want at most %d bytes", got, len(got), MaxToolName)
	}
	p := ScanFile(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), strings.Repeat("a", 40), long, []byte("{}"))
	base := p[strings.LastIndexByte(p, '/')+1:]
	if len(base) > 100 {
		t.Errorf("file name %q is %d bytes", base, len(base))
	}
	if sp, ok := ParseScanPath(p); !ok || sp.Tool != got {
		t.Errorf("ParseScanPath(%q) = %+v, %v", p, sp, ok)
	}
	for in, want := range map[string]string{"Semgrep OSS": "semgrep-oss", "CodeQL": "codeql", "": "tool", "...": "tool", "gitleaks": "gitleaks"} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// No text a commit message quotes, and no committer identity from the
// environment, adds a line to the commit: the message is one line, the
// identity stays in its header.
func TestCommitIsOneLineWhateverItQuotes(t *testing.T) {
	repo := newRepo(t)
	t.Setenv("GIT_COMMITTER_NAME", "CI\nparent 0000000000000000000000000000000000000000")
	t.Setenv("GIT_COMMITTER_EMAIL", "ci@example.com>\nx")
	s := mustOpen(t, repo, "")
	msg := "ingest sarif: 1 file(s) of abc (main\nSigned-off-by: Mallory <m@example.com>\n::error::pwned)"
	if _, err := s.Update(context.Background(), msg, WriteOptions{}, func(tx *Tx) error { return tx.WriteFile("x", []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	body := gitRun(t, repo, "log", "-1", "--format=%B", DefaultBranch)
	if strings.Count(body, "\n") != 0 || !strings.Contains(body, `(main\nSigned-off-by: Mallory <m@example.com>\n::error::pwned)`) {
		t.Errorf("message = %q, want one line with the line breaks escaped", body)
	}
	if tr := gitRun(t, repo, "log", "-1", "--format=%(trailers)", DefaultBranch); tr != "" {
		t.Errorf("trailers %q", tr)
	}
	if who := gitRun(t, repo, "log", "-1", "--format=%cn|%ce|%P", DefaultBranch); who != "CIparent 0000000000000000000000000000000000000000|ci@example.comx|" {
		t.Errorf("committer and parents = %q", who)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
}

// ParseScanPath reads what ScanFile writes, and nothing else.
func TestParseScanPath(t *testing.T) {
	sha := strings.Repeat("a", 40)
	for _, c := range []struct {
		p    string
		want ScanPath
		ok   bool
	}{
		{"scans/2025/03/" + sha + "/semgrep-0123456789ab.sarif", ScanPath{Month: "2025-03", SHA: sha, Tool: "semgrep", Hash: "0123456789ab"}, true},
		{"scans/2025/03/" + sha + "/semgrep-oss-0123456789ab.sarif", ScanPath{Month: "2025-03", SHA: sha, Tool: "semgrep-oss", Hash: "0123456789ab"}, true},
		{"scans/2025/03/" + sha + "/x/semgrep-0123456789ab.sarif", ScanPath{}, false}, // a folder too deep
		{"scans/2025/" + sha + "/semgrep-0123456789ab.sarif", ScanPath{}, false},      // no month
		{"other/2025/03/" + sha + "/semgrep-0123456789ab.sarif", ScanPath{}, false},
		{"scans/2025/03/" + sha + "/semgrep-0123456789ab.json", ScanPath{}, false},
		{"scans/2025/03/" + sha + "/semgrep-0123456789a.sarif", ScanPath{}, false}, // 11 digits
		{"scans/2025/03/" + sha + "/-0123456789ab.sarif", ScanPath{}, false},       // no tool
		{"scans/2025/03/" + sha + "/", ScanPath{}, false},
		{"", ScanPath{}, false},
	} {
		got, ok := ParseScanPath(c.p)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseScanPath(%q) = %+v, %v; want %+v, %v", c.p, got, ok, c.want, c.ok)
		}
	}
}
