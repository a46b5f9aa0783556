package demo

import (
	"fmt"
	"strconv"

	"github.com/gitdora/gitdora/fact"
)

// Tool is a scanner of the nightly scan.
type Tool struct {
	Name    string // tool.driver.name
	Version string
	Rules   []Rule
	Arrival float64 // chance of a new finding per night
	Backlog int     // findings open before the first night
}

// Rule is a rule of a Tool, with the severity gitdora gives its findings
// (docs/metrics.md, "Findings", after the demo's severity.overrides).
type Rule struct {
	ID       string
	Text     string
	Level    string // defaultConfiguration.level; "" for none
	Score    string // properties.security-severity; "" for none
	CWE      string // "" for none
	Severity fact.Severity
	Weight   int    // relative chance that a new finding is of this rule
	Snippet  string // the code it matches
}

// Indexes of the tools.
const (
	semgrep = iota
	codeql
	gitleaks
)

// tools are the scanners of the nightly scan: a Semgrep-like one
// (levels, fingerprints.matchBasedId/v1, no invocation times), a
// CodeQL-like one (security-severity, partialFingerprints, invocation
// times) and a secrets scanner (no levels, no fingerprints: findings are
// known by their snippet; the demo's gitdora.yml raises its severities).
var tools = [...]Tool{
	semgrep: {Name: "Semgrep OSS", Version: "1.97.0", Arrival: 0.22, Backlog: 7, Rules: []Rule{
		{ID: "go.lang.security.audit.database.string-formatted-query.string-formatted-query", Text: "String-formatted SQL query", Level: "error", CWE: "CWE-89", Severity: fact.SeverityHigh, Weight: 3, Snippet: `rows, err := db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = %s", id))`},
		{ID: "go.lang.security.injection.tainted-sql-string.tainted-sql-string", Text: "User data flows into a SQL string", Level: "error", CWE: "CWE-89", Severity: fact.SeverityHigh, Weight: 2, Snippet: `q := "DELETE FROM sessions WHERE user = '" + r.FormValue("user") + "'"`},
		{ID: "go.lang.security.audit.dangerous-exec-command.dangerous-exec-command", Text: "Command built from user input", Level: "error", CWE: "CWE-78", Severity: fact.SeverityHigh, Weight: 1, Snippet: `out, err := exec.Command(r.URL.Query().Get("tool"), args...).Output()`},
		{ID: "go.lang.security.audit.net.use-tls.use-tls", Text: "Serving HTTP without TLS", Level: "warning", CWE: "CWE-319", Severity: fact.SeverityMedium, Weight: 4, Snippet: `log.Fatal(http.ListenAndServe(addr, mux))`},
		{ID: "go.lang.security.audit.crypto.math_random.math-random-used", Text: "math/rand used for a security value", Level: "warning", CWE: "CWE-338", Severity: fact.SeverityMedium, Weight: 4, Snippet: `token := strconv.FormatInt(rand.Int63(), 36)`},
		{ID: "go.lang.security.audit.xss.no-direct-write-to-responsewriter", Text: "Request data written to the response", Level: "warning", CWE: "CWE-79", Severity: fact.SeverityMedium, Weight: 3, Snippet: `w.Write([]byte(r.FormValue("q")))`},
		{ID: "go.lang.security.audit.crypto.use_of_weak_crypto.use-of-md5", Text: "MD5 used", Level: "warning", CWE: "CWE-328", Severity: fact.SeverityMedium, Weight: 2, Snippet: `sum := md5.Sum(body)`},
		{ID: "go.lang.security.audit.unsafe.use-of-unsafe-block", Text: "unsafe used", Level: "note", CWE: "CWE-242", Severity: fact.SeverityLow, Weight: 2, Snippet: `p := unsafe.Pointer(&buf[0])`},
		{ID: "go.lang.best-practice.channel-guarded-with-mutex", Text: "Channel guarded by a mutex", Level: "note", Severity: fact.SeverityLow, Weight: 3, Snippet: `mu.Lock(); ch <- v; mu.Unlock()`},
	}},
	codeql: {Name: "CodeQL", Version: "2.19.3", Arrival: 0.14, Backlog: 4, Rules: []Rule{
		{ID: "go/command-injection", Text: "Command built from user-controlled sources", Level: "error", Score: "9.8", CWE: "CWE-78", Severity: fact.SeverityCritical, Weight: 1, Snippet: `cmd := exec.Command("sh", "-c", r.FormValue("cmd"))`},
		{ID: "go/request-forgery", Text: "Uncontrolled data used in network request", Level: "error", Score: "9.1", CWE: "CWE-918", Severity: fact.SeverityCritical, Weight: 1, Snippet: `resp, err := http.Get(r.URL.Query().Get("url"))`},
		{ID: "go/sql-injection", Text: "Database query built from user-controlled sources", Level: "error", Score: "8.8", CWE: "CWE-89", Severity: fact.SeverityHigh, Weight: 3, Snippet: `rows, err := db.Query("SELECT * FROM orders WHERE ref = '" + ref + "'")`},
		{ID: "go/path-injection", Text: "Uncontrolled data used in path expression", Level: "error", Score: "7.5", CWE: "CWE-22", Severity: fact.SeverityHigh, Weight: 3, Snippet: `f, err := os.Open(filepath.Join(root, r.URL.Path))`},
		{ID: "go/clear-text-logging", Text: "Clear-text logging of sensitive information", Level: "error", Score: "7.5", CWE: "CWE-312", Severity: fact.SeverityHigh, Weight: 2, Snippet: `log.Printf("login %s with password %s", user, password)`},
		{ID: "go/disabled-certificate-check", Text: "Disabled TLS certificate check", Level: "warning", Score: "7.5", CWE: "CWE-295", Severity: fact.SeverityHigh, Weight: 1, Snippet: `tls.Config{InsecureSkipVerify: true}`},
		{ID: "go/reflected-xss", Text: "Reflected cross-site scripting", Level: "error", Score: "6.1", CWE: "CWE-79", Severity: fact.SeverityMedium, Weight: 3, Snippet: `fmt.Fprintf(w, "<p>Hello %s</p>", r.FormValue("name"))`},
		{ID: "go/uncontrolled-allocation-size", Text: "Slice memory allocation with excessive size value", Level: "error", Score: "6.5", CWE: "CWE-770", Severity: fact.SeverityMedium, Weight: 2, Snippet: `buf := make([]byte, n)`},
		{ID: "go/unhandled-writable-file-close", Text: "Writable file handle closed without error handling", Level: "note", CWE: "CWE-252", Severity: fact.SeverityLow, Weight: 2, Snippet: `defer f.Close()`},
	}},
	gitleaks: {Name: "gitleaks", Version: "v8.21.2", Arrival: 0.03, Backlog: 1, Rules: []Rule{
		{ID: "aws-access-token", Text: "AWS access token", Severity: fact.SeverityCritical, Weight: 1, Snippet: `AWS_ACCESS_KEY_ID=REDACTED`},
		{ID: "private-key", Text: "Private key", Severity: fact.SeverityCritical, Weight: 1, Snippet: `-----BEGIN RSA PRIVATE KEY----- REDACTED`},
		{ID: "github-pat", Text: "GitHub personal access token", Severity: fact.SeverityHigh, Weight: 1, Snippet: `GITHUB_TOKEN=REDACTED`},
		{ID: "generic-api-key", Text: "Generic API key", Severity: fact.SeverityMedium, Weight: 3, Snippet: `api_key: REDACTED`},
		{ID: "slack-webhook-url", Text: "Slack webhook", Severity: fact.SeverityMedium, Weight: 1, Snippet: `SLACK_WEBHOOK=REDACTED`},
	}},
}

// severityOverrides are the lines the demo adds under severity.overrides
// in gitdora.yml: secrets that must never wait.
var severityOverrides = []struct {
	rule string
	sev  fact.Severity
}{{"aws-access-token", fact.SeverityCritical}, {"private-key", fact.SeverityCritical}, {"github-pat", fact.SeverityHigh}}

// Finding is one result the nightly scans report: where, and on which
// nights. Nights are indexes into Plan.Nights.
type Finding struct {
	Tool        int
	Rule        int
	URI         string
	Line        int // on the first night; the code above it moves it later
	Fingerprint string
	Snippet     string
	// Spans are the nights [From, To) the finding is reported and not
	// suppressed; To == len(Plan.Nights) means it is open at the end.
	Spans []Span
	// Suppressed are the nights the finding is reported suppressed
	// (triaged as a false positive, or marked in the source) until the
	// code is rewritten; empty when never. It follows the last span.
	Suppressed Span
}

// Span is a stretch of nights [From, To).
type Span struct{ From, To int }

// Severity is the severity gitdora gives the finding.
func (f *Finding) Severity() fact.Severity { return tools[f.Tool].Rules[f.Rule].Severity }

// lineAt is the finding's line on night n: code added above it moves it
// down a few lines every twenty nights or so.
func (f *Finding) lineAt(n int) int {
	return f.Line + 3*((n+len(f.Fingerprint)+f.Rule)/20%5)
}

// reported says whether the finding is in night n's results, and whether suppressed.
func (f *Finding) reported(n int) (in, suppressed bool) {
	if n >= f.Suppressed.From && n < f.Suppressed.To {
		return true, true
	}
	for _, s := range f.Spans {
		if n >= s.From && n < s.To {
			return true, false
		}
	}
	return false, false
}

// life is how many nights a finding of severity sev stays before it is fixed.
func (p *Plan) life(sev fact.Severity) int {
	switch sev {
	case fact.SeverityCritical:
		return p.between(1, 3)
	case fact.SeverityHigh:
		return p.between(1, 8)
	case fact.SeverityMedium:
		return p.between(2, 25)
	}
	return p.between(5, 70)
}

// findings plans what each tool finds: a backlog on the first night and
// new findings as nights go, each fixed after a time that depends on its
// severity (critical in days, low in months, some never). About one in
// seven fixed findings comes back a few nights later (a new episode); one
// in eight medium or low findings is suppressed as a false positive
// instead of fixed; and two Semgrep findings are suppressed in the source
// from the start (never open).
func (p *Plan) findings() {
	n := len(p.Nights)
	if n == 0 {
		return
	}
	secrets := 0 // secrets found so far: each names another service
	for t := range tools {
		tool := &tools[t]
		total := 0
		for _, r := range tool.Rules {
			total += r.Weight
		}
		newFinding := func(from int) *Finding {
			k := p.rnd.IntN(total)
			rule := 0
			for k >= tool.Rules[rule].Weight {
				k -= tool.Rules[rule].Weight
				rule++
			}
			f := &Finding{Tool: t, Rule: rule, Line: p.between(12, 380)}
			switch t {
			case gitleaks:
				f.URI = []string{"deploy/values-prod.yaml", "deploy/.env.production", "scripts/release.sh", "config/integrations.yaml"}[p.rnd.IntN(4)]
				f.Line = p.between(3, 60)
				f.Fingerprint = ""
				f.Snippet = fmt.Sprintf("%s  # %s", tool.Rules[rule].Snippet, services[secrets%len(services)])
				if secrets >= len(services) {
					f.Snippet += fmt.Sprintf(" (%d)", secrets/len(services)+1)
				}
				secrets++
			default:
				f.URI = p.codeFile(p.rnd.IntN(24), p.rnd.IntN(16))
				f.Snippet = tool.Rules[rule].Snippet
				f.Fingerprint = fmt.Sprintf("%016x%016x", p.rnd.Uint64(), p.rnd.Uint64())
			}
			sev := tool.Rules[rule].Severity
			to := from + p.life(sev)
			if (sev == fact.SeverityMedium || sev == fact.SeverityLow) && p.rnd.IntN(8) == 0 && to-from > 1 {
				sup := from + p.between(1, to-from-1)
				f.Spans = []Span{{from, min(sup, n)}}
				if sup < n {
					f.Suppressed = Span{sup, min(sup+p.between(5, 30), n)}
				}
				return f
			}
			f.Spans = []Span{{from, min(to, n)}}
			if to < n && p.rnd.IntN(7) == 0 {
				back := to + p.between(2, 12)
				if back < n {
					f.Spans = append(f.Spans, Span{back, min(back+p.life(sev), n)})
				}
			}
			return f
		}
		for k := 0; k < tool.Backlog; k++ {
			p.Findings = append(p.Findings, newFinding(0))
		}
		for night := 1; night < n; night++ {
			if p.rnd.Float64() < tool.Arrival {
				p.Findings = append(p.Findings, newFinding(night))
			}
		}
	}
	for k := 0; k < 2; k++ {
		from := p.between(0, n-1)
		f := &Finding{Tool: semgrep, Rule: 4 + k, URI: p.codeFile(20+k, 3), Line: 40 + k, Snippet: tools[semgrep].Rules[4+k].Snippet,
			Fingerprint: fmt.Sprintf("%016x%016x", p.rnd.Uint64(), p.rnd.Uint64()), Suppressed: Span{from, min(from+p.between(10, 40), n)}}
		p.Findings = append(p.Findings, f)
	}
}

// services name what a leaked secret was for (and keep leaks apart).
var services = []string{"payments", "search", "mailer", "billing", "analytics", "storage", "sso", "metrics"}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
