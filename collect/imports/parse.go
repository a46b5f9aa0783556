package imports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxBytes is the largest file read when Options.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// Options are what Parse needs besides the file.
type Options struct {
	// Now bounds the times read: none may be more than 5 minutes after
	// it. The zero Now is the current time.
	Now time.Time
	// MaxBytes is the largest file read; 0 is DefaultMaxBytes.
	MaxBytes int64
	// Pull names the pull request (GitHub) or merge request iid (GitLab)
	// a file of pull commits or timeline events belongs to: their
	// objects do not say.
	Pull int64
}

// Error is a file refused: its name, where in it (a JSON path, or a
// line and column), and why.
type Error struct {
	File   string
	Path   string // "" when the whole file is at fault
	Reason string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(printable(e.File))
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// printable escapes control characters and invalid UTF-8 in s.
func printable(s string) string {
	if firstControl(s) < 0 && utf8.ValidString(s) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// ReadFile reads the file at path (at most opt.MaxBytes of it) and parses
// it as Parse does.
func ReadFile(source, path string, opt Options) (*Batch, error) {
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, &Error{File: path, Reason: "not a regular file"}
	} else if st.Size() > limit {
		return nil, &Error{File: path, Reason: fmt.Sprintf("%d bytes, larger than the %d bytes read", st.Size(), limit)}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	return Parse(source, path, b, opt)
}

// CheckPull checks Options.Pull: 0 (none) or a pull request number up to
// a billion.
func CheckPull(n int64) error {
	if n < 0 || n > maxNum {
		return fmt.Errorf("pull number %d out of range, want 1 to %d (or none)", n, int64(maxNum))
	}
	return nil
}

// Parse reads one file b (named name in messages) as a response or
// payload of source. It returns the records, or an *Error saying why the
// file is not one.
func Parse(source, name string, b []byte, opt Options) (*Batch, error) {
	if !slices.Contains(Sources, source) {
		return nil, &Error{File: name, Reason: fmt.Sprintf("unknown source %s (want one of %s)", clip(source), strings.Join(Sources, ", "))}
	}
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if int64(len(b)) > limit {
		return nil, &Error{File: name, Reason: fmt.Sprintf("%d bytes, larger than the %d bytes read", len(b), limit)}
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := CheckPull(opt.Pull); err != nil {
		return nil, &Error{File: name, Reason: err.Error()}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if reason := sniff(b, source); reason != "" {
		return nil, &Error{File: name, Reason: reason}
	}
	p := &parser{source: source, pull: opt.Pull, r: &reader{now: now}, b: &Batch{Source: source}}
	err := decodeEach(b, func(i int, v any) error {
		at := "$"
		if i > 0 {
			at = fmt.Sprintf("(page %d) $", i+1)
		}
		p.value(v, at, 0)
		return p.r.err
	})
	var pe *pathError
	switch {
	case err == nil:
	case errors.As(err, &pe):
		return nil, &Error{File: name, Path: pe.path, Reason: pe.msg}
	default:
		return nil, &Error{File: name, Reason: err.Error()}
	}
	return p.b, nil
}

// sniff refuses, with the reason, what is not JSON at all: an empty
// file, the recordings and tables people may take for responses.
func sniff(b []byte, source string) string {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 {
		return "empty file, want " + wants[source]
	}
	if t[0] == '{' || t[0] == '[' {
		return ""
	}
	line, _, _ := bytes.Cut(t, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	header := bytes.ReplaceAll(line, []byte(`"`), nil)
	switch {
	case bytes.HasPrefix(header, []byte("id,params,data,url,input")):
		return "a DevLake raw-table CSV (its data column holds one list item per row), not an API response: save the responses themselves (docs/import.md), want " + wants[source]
	case bytes.Equal(line, []byte("https")) || bytes.Equal(line, []byte("http")):
		return "a PyGithub replay recording (HTTP exchanges, ten lines each), not an API response: save the response body itself (docs/import.md)"
	case bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("http_interactions:")):
		return "a YAML file (a VCR cassette?), not a JSON API response"
	}
	return fmt.Sprintf("not a JSON object or array: it starts with %s, want %s", clip(string(line)), wants[source])
}

// wants says what each source reads, for messages.
var wants = map[string]string{
	GitHubDeployments:   "GitHub deployments, deployment statuses, or deployment/deployment_status webhook payloads",
	GitHubReleases:      "GitHub releases or release webhook payloads",
	GitHubPulls:         "GitHub pull requests, pull reviews, pull commits, pull timelines, or pull_request/pull_request_review webhook payloads",
	GitLabPipelines:     "GitLab pipelines or jobs, or pipeline/job hook payloads",
	GitLabDeployments:   "GitLab deployments or deployment hook payloads",
	GitLabMergeRequests: "GitLab merge requests, their commits or notes, or merge request/note hook payloads",
	GitLabIncidents:     "GitLab incidents (issues of type incident) or issue/work item hook payloads",
	PagerDuty:           "PagerDuty incidents or v3 webhook payloads",
	Opsgenie:            "Opsgenie incidents or alerts, or alert webhook payloads",
}

// parser reads the decoded values of one file into a batch.
type parser struct {
	source string
	pull   int64
	r      *reader
	b      *Batch
}

// maxDepth bounds how deeply wrappers and pages may nest.
const maxDepth = 4

// value reads a top-level value, a page, or a wrapped list.
func (p *parser) value(v any, at string, depth int) {
	if p.r.err != nil {
		return
	}
	if depth > maxDepth {
		p.r.fail(at, "nested too deeply, want %s", wants[p.source])
		return
	}
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			if p.r.err != nil {
				return
			}
			switch e.(type) {
			case []any: // pages slurped into one array (gh api --paginate --slurp)
				p.value(e, index(at, i), depth+1)
			default:
				p.item(e, index(at, i), depth)
			}
		}
	default:
		p.item(v, at, depth)
	}
}

// item reads one object: a record, a payload, or a wrapper of records.
func (p *parser) item(v any, at string, depth int) {
	o, ok := p.r.obj(v, at)
	if !ok {
		p.r.fail(at, "want an object, got %s (want %s)", kindOf(v), wants[p.source])
		return
	}
	s := classify(o)
	switch {
	case s.inner != "":
		p.value(o.m[s.inner], o.at(s.inner), depth+1)
		return
	case s.kind == none:
		what := s.what
		if what == "" {
			what = "not a response or payload this source reads"
		} else {
			what = "is " + what
		}
		if s.hint != "" {
			what += "; " + s.hint
		}
		p.r.fail(at, "%s (want %s)", what, wants[p.source])
		return
	}
	if src := kindSource[s.kind]; src != p.source {
		p.r.fail(at, "is %s, which source %s reads, not %s (want %s)", s.what, src, p.source, wants[p.source])
		return
	}
	p.handle(s.kind, o)
}

// skip records a record not imported, and why.
func (p *parser) skip(at, format string, args ...any) {
	p.b.Skipped = append(p.b.Skipped, Note{Path: at, Text: fmt.Sprintf(format, args...)})
}

// note records an oddity read past.
func (p *parser) note(at, format string, args ...any) {
	p.b.Notes = append(p.b.Notes, Note{Path: at, Text: fmt.Sprintf(format, args...)})
}
