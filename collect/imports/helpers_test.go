package imports

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpus is ../shared/corpus from the repository root.
const corpus = "../../../shared/corpus"

// corpusNow is after every time in the corpus, so that parsing it does
// not depend on the day the tests run.
var corpusNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

func needCorpus(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpus, err)
	}
}

func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseCorpus parses a corpus file as source.
func parseCorpus(t testing.TB, source, rel string, pull int64) (*Batch, error) {
	t.Helper()
	return Parse(source, filepath.Base(rel), readCorpus(t, rel), Options{Now: corpusNow, Pull: pull})
}

// mustParse parses a corpus file and fails the test when it is refused.
func mustParse(t testing.TB, source, rel string, pull int64) *Batch {
	t.Helper()
	b, err := parseCorpus(t, source, rel, pull)
	if err != nil {
		t.Fatalf("%s as %s: %v", rel, source, err)
	}
	return b
}

// summary counts what a batch holds, naming only what it has.
func summary(b *Batch) string {
	var parts []string
	for _, c := range []struct {
		name string
		n    int
	}{
		{"deployments", len(b.Deployments)}, {"statuses", len(b.Statuses)}, {"pulls", len(b.Pulls)},
		{"reviews", len(b.Reviews)}, {"commits", len(b.Commits)}, {"pipelines", len(b.Pipelines)},
		{"readies", len(b.Readies)}, {"jobs", len(b.Jobs)}, {"incidents", len(b.Incidents)}, {"skipped", len(b.Skipped)}, {"notes", len(b.Notes)},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", c.name, c.n))
		}
	}
	if len(parts) == 0 {
		return "empty"
	}
	return strings.Join(parts, " ")
}

// merge sums batches, as a test does with the pages of a recording.
func merge(bs ...*Batch) *Batch {
	out := &Batch{}
	for _, b := range bs {
		out.Deployments = append(out.Deployments, b.Deployments...)
		out.Statuses = append(out.Statuses, b.Statuses...)
		out.Pulls = append(out.Pulls, b.Pulls...)
		out.Reviews = append(out.Reviews, b.Reviews...)
		out.Commits = append(out.Commits, b.Commits...)
		out.Readies = append(out.Readies, b.Readies...)
		out.Pipelines = append(out.Pipelines, b.Pipelines...)
		out.Jobs = append(out.Jobs, b.Jobs...)
		out.Incidents = append(out.Incidents, b.Incidents...)
		out.Skipped = append(out.Skipped, b.Skipped...)
		out.Notes = append(out.Notes, b.Notes...)
	}
	return out
}

// page is one response unwrapped from a recording.
type page struct {
	method, url string
	status      int
	pull        int64 // DevLake's input Number or Iid: the pull a commits page belongs to
	body        []byte
}

// unwrapDevLake makes the pages a user would have saved from a DevLake
// raw-table CSV: its rows' data (one list item each), gathered into one
// JSON array per page requested (url and input).
func unwrapDevLake(t testing.TB, rel string) []page {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(readCorpus(t, rel)))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var order []string
	items := map[string][]string{}
	pulls := map[string]int64{}
	for _, row := range rows[1:] {
		k := row[col["url"]] + "\x00" + row[col["input"]]
		if _, ok := items[k]; !ok {
			order = append(order, k)
		}
		items[k] = append(items[k], row[col["data"]])
		var in struct{ Number, Iid int64 }
		_ = json.Unmarshal([]byte(row[col["input"]]), &in)
		pulls[k] = max(in.Number, in.Iid)
	}
	var out []page
	for _, k := range order {
		url, _, _ := strings.Cut(k, "\x00")
		out = append(out, page{method: "GET", url: url, status: 200, pull: pulls[k], body: []byte("[" + strings.Join(items[k], ",\n") + "]")})
	}
	return out
}

// unwrapCassette reads the exchanges of a VCR (octokit.rb) or betamax
// (github3.py, bodies gzipped) cassette.
func unwrapCassette(t testing.TB, rel string) []page {
	t.Helper()
	var c struct {
		Interactions []struct {
			Request struct {
				Method string `json:"method"`
				URI    string `json:"uri"`
			} `json:"request"`
			Response struct {
				Status  json.RawMessage `json:"status"`
				Headers map[string]any  `json:"headers"`
				Body    struct {
					Base64 string `json:"base64_string"`
					String string `json:"string"`
				} `json:"body"`
			} `json:"response"`
		} `json:"http_interactions"`
	}
	if err := json.Unmarshal(readCorpus(t, rel), &c); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	var out []page
	for _, x := range c.Interactions {
		var status struct {
			Code int `json:"code"`
		}
		if json.Unmarshal(x.Response.Status, &status) != nil {
			_ = json.Unmarshal(x.Response.Status, &status.Code)
		}
		body := []byte(x.Response.Body.String)
		if x.Response.Body.Base64 != "" {
			b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(x.Response.Body.Base64, "\n", ""))
			if err != nil {
				t.Fatalf("%s: %s: %v", rel, x.Request.URI, err)
			}
			body = b
		}
		if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
			z, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(z); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, page{method: strings.ToUpper(x.Request.Method), url: x.Request.URI, status: status.Code, body: body})
	}
	return out
}

// unwrapPyGithub reads a PyGithub replay file: blocks of ten lines
// (scheme, verb, host, port, path, request headers, request body,
// status, response headers, response body) split by blank lines.
func unwrapPyGithub(t testing.TB, rel string) []page {
	t.Helper()
	var out []page
	var block []string
	flush := func() {
		if len(block) >= 10 {
			status, _ := strconv.Atoi(block[7])
			out = append(out, page{method: block[1], url: block[0] + "://" + block[2] + block[4], status: status, body: []byte(block[9])})
		}
		block = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(readCorpus(t, rel)))
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		if sc.Text() == "" {
			flush()
			continue
		}
		block = append(block, sc.Text())
	}
	flush()
	return out
}

// githubExpect says what a GitHub response is, from its URL: the source
// that reads it and the pull its commits belong to, or the refusal
// expected.
func githubExpect(url string) (pull int64, refusal string) {
	path := regexp.MustCompile(`^https?://[^/]+`).ReplaceAllString(url, "")
	path, _, _ = strings.Cut(path, "?")
	if m := regexp.MustCompile(`/(?:pulls/([0-9]+)/commits|issues/([0-9]+)/timeline)$`).FindStringSubmatch(path); m != nil {
		m[1] += m[2]
		n, _ := strconv.ParseInt(m[1], 10, 64)
		return n, ""
	}
	switch {
	case regexp.MustCompile(`/pulls(/[0-9]+(/reviews(/[0-9]+(/events)?)?)?)?$`).MatchString(path),
		regexp.MustCompile(`/commits/[0-9a-f]{40}/pulls$`).MatchString(path):
		return 0, ""
	case strings.HasSuffix(path, "/files"):
		return 0, "the files of a GitHub pull request"
	case regexp.MustCompile(`/commits/[0-9a-f]{40}$`).MatchString(path):
		return 0, "--pull N"
	case path == "/graphql":
		return 0, "not a response or payload this source reads"
	}
	return 0, "not a response or payload this source reads" // a repository, a user
}
