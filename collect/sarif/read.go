package sarif

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/go-json-experiment/json/jsontext"
)

// Options tune how runs are normalised.
type Options struct {
	// Roots are absolute paths of the repository root as the scanner may
	// have seen it (the CI workspace recorded at ingest, the local clone).
	// An absolute artifact URI under one of them becomes relative to it.
	Roots []string
	// Overrides maps a rule id to the severity its findings get
	// (gitdora.yml severity.overrides), whatever the SARIF says.
	Overrides map[string]string
	// Results, when set, receives each run's results in batches, in file
	// order, before each gets the run (whose Results is then empty). The
	// batch is reused after Results returns.
	Results func(run *Run, batch []Result) error
	// Intern, when set, gives the copy to keep of a string that repeats
	// (an artifact URI, a rule id): one interner over many logs keeps one
	// copy of each for all of them. It must be safe for concurrent use if
	// logs are read at once.
	Intern func(string) string
	// Reopen, when set, opens the input again from its start. A run with
	// more results than Read buffers is then read a second time, each
	// result resolved as it streams, so memory does not grow with the
	// results (such runs reach each after the others).
	Reopen func() (io.ReadCloser, error)
	// Limits bound what is read; the zero value bounds nothing.
	Limits Limits
	// Content, when set, receives the log's bytes as the first pass reads
	// them: inflated when the input is gzip (Log.Gzip), a byte order mark
	// included. What it receives is the whole log when Read succeeds.
	Content io.Writer
}

// Limits bound the input of Read (a zero field bounds nothing).
type Limits struct {
	// Bytes bounds the JSON read, after decompression.
	Bytes int64
	// Ratio bounds a gzip input: at every point of the read, what was
	// inflated is at most Ratio times what was read, plus RatioSlack (a
	// gzip bomb is refused early; a small file never is).
	Ratio int64
}

// RatioSlack is how much more than Limits.Ratio times its size a gzip
// input may inflate to.
const RatioSlack = 64 << 20

// LimitError says that the input went over one of its Limits.
type LimitError struct {
	Bytes int64 // Limits.Bytes, when that was the bound crossed
	Ratio int64 // Limits.Ratio, when that was
}

func (e *LimitError) Error() string {
	if e.Ratio > 0 {
		return fmt.Sprintf("the gzip file inflates to more than %d times its size (a gzip bomb?)", e.Ratio)
	}
	return fmt.Sprintf("more than %d bytes of SARIF", e.Bytes)
}

// bounded is in, read within lim.Bytes: a plain input is bounded so, and a
// gzip input's compressed bytes are too (they are fewer than its content).
func bounded(in io.Reader, lim Limits) io.Reader {
	if lim.Bytes > 0 {
		return &limitReader{r: in, left: lim.Bytes, limit: lim.Bytes}
	}
	return in
}

// inflate is br (read within lim by bounded) inflated when it is gzip,
// the inflated bytes bounded by lim; br itself when it is not.
func inflate(br *bufio.Reader, lim Limits) (io.Reader, bool, error) {
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	if len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return br, false, nil
	}
	read := &countReader{r: br}
	z, err := gzip.NewReader(read)
	if err != nil {
		return nil, true, &Error{Path: "$", Msg: "not a readable gzip file: " + err.Error()}
	}
	return bounded(&gzipReader{z: z, read: read, ratio: lim.Ratio}, lim), true, nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// limitReader fails with a *LimitError once more than limit bytes are read.
type limitReader struct {
	r           io.Reader
	left, limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &LimitError{Bytes: l.limit}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, &LimitError{Bytes: l.limit}
	}
	return n, err
}

// Log is what Read learned about a whole file.
type Log struct {
	Gzip    bool   // the input was gzip
	Version string // the log's version member
	Runs    int    // runs read
	Results int    // results read, over all runs
	Notes   []Note // oddities, in the order first met
}

// Note is one kind of oddity: where it was first met and how often.
type Note struct {
	Path  string // JSON path of the first occurrence, e.g. $.runs[0].results[3]
	Msg   string
	Count int
}

func (n Note) String() string {
	if n.Count > 1 {
		return fmt.Sprintf("%s: %s (%d times)", n.Path, n.Msg, n.Count)
	}
	return n.Path + ": " + n.Msg
}

// Error says why input is not SARIF 2.1.0 JSON at all.
type Error struct {
	Path   string // JSON path of the problem ("$" for the whole document)
	Offset int64  // byte offset in the decompressed input
	Msg    string
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Run is one run of a log, normalised: one scan of one tool.
type Run struct {
	Index        int
	Tool         string // tool.driver.name ("" when the log gives none)
	ToolVersion  string // driver version, else semanticVersion
	AutomationID string // automationDetails.id
	Incremental  bool   // automationDetails.id says the scan is incremental
	Start, End   time.Time
	// Artifacts are the normalised URIs of the files the run lists in
	// artifacts: what an incremental scan covers.
	Artifacts []string
	// Outside are the folders of the absolute paths of the run (its
	// artifact locations, joined with their base URIs) that no root of
	// Options.Roots holds, sorted; "*" stands for any folder when there
	// were too many to list. With another root, those paths would have
	// been read otherwise. Complete when the run reaches each.
	Outside []string
	// HasResults is false when the run has no results array, which SARIF
	// reserves for a tool that could not determine its results.
	HasResults bool
	// Count is the number of results of the run, known before the first
	// batch reaches Options.Results.
	Count   int
	Results []Result
}

// Scan is the fact.Scan of the run (without its findings and result
// counts): base gives what the run does not say (ID, File, Commit, Ref,
// Type, and Time when the run has no invocation end time).
func (r *Run) Scan(base fact.Scan) fact.Scan {
	s := base
	if r.Tool != "" {
		s.Tool = r.Tool
	}
	s.ToolVersion = r.ToolVersion
	if !r.End.IsZero() {
		s.Time = r.End
	}
	if !r.Start.IsZero() && !r.End.IsZero() {
		d := r.End.Sub(r.Start).Seconds()
		s.Duration = &d
	}
	if i := strings.LastIndexByte(r.AutomationID, '/'); i >= 0 {
		s.Category = r.AutomationID[:i+1]
	}
	if r.Incremental {
		s.Type = fact.ScanIncremental
	}
	if s.Type == fact.ScanIncremental {
		s.Covers = r.Artifacts
	}
	s.NoResults = !r.HasResults
	return s
}

// Result is one result of a run, normalised.
type Result struct {
	RuleID   string
	Level    string // error, warning, note or none, after SARIF's resolution
	Severity string // critical, high, medium, low or info (docs/metrics.md, "Findings")
	CWE      string // e.g. CWE-79, "" when none: the first of CWEs
	// CWEs are every CWE the result and its rule give (result tags, result
	// taxa, rule tags, rule relationships, each once, at most MaxCWEs);
	// results of one rule may share the slice: do not change it.
	CWEs []string
	URI  string // normalised artifact URI of the primary location, "" when none
	Line int    // start line, 0 when unknown
	// Fingerprint makes the finding's identity within the tool (with the
	// rule id): the tool's fingerprint, else the content hash. Results of a
	// run that share it get the suffix :2, :3 … in file order.
	Fingerprint string
	// ContentHash is the hash of the rule id, the URI and the snippet (else
	// the message text), numbered as Fingerprint is suffixed. It follows a
	// finding across scans when the tool starts or stops writing
	// fingerprints.
	ContentHash   fact.Hash
	Message       string
	Suppressed    bool
	BaselineState string // new, unchanged, updated, absent or ""
	// OtherKind is set for a result whose kind is other than fail: its
	// severity is info, and no override changes it.
	OtherKind bool
}

// Absent reports a result whose baselineState is absent: the tool says it
// is gone from the code, so it is neither open nor suppressed.
func (r *Result) Absent() bool { return r.BaselineState == "absent" }

// Open reports a result that counts against the code: not absent and not
// suppressed.
func (r *Result) Open() bool { return !r.Suppressed && !r.Absent() }

// Levels of SARIF, and the severity each maps to without security-severity.
var levelSeverity = map[string]string{"error": "high", "warning": "medium", "note": "low", "none": "info"}

// levelOf reads a SARIF level in any case ("Error" is error); ok is false
// for a word that is not a level.
func levelOf(s string) (level string, ok bool) {
	if _, ok := levelSeverity[s]; ok {
		return s, true
	}
	l := strings.ToLower(s)
	_, ok = levelSeverity[l]
	return l, ok
}

// level reads the level of a rule's configuration: in any case, "" with a
// note (under key) when it is not a level.
func (r *reader) level(key string) (string, error) {
	s, err := r.istr(key, "level")
	if err != nil || s == "" {
		return "", err
	}
	l, ok := levelOf(s)
	if !ok {
		r.notef(key, "level %q is not error, warning, note or none; ignored", s)
		return "", nil
	}
	return l, nil
}

// Read reads one SARIF log (plain or gzip, with or without a UTF-8 BOM)
// from in and calls each with every run once the run is complete. It
// returns the whole log's summary. An error other than one returned by
// each is an *Error or an I/O error; runs passed to each before it must
// then be discarded, since the file as a whole is not SARIF 2.1.0.
func Read(in io.Reader, o Options, each func(*Run) error) (*Log, error) {
	r := &reader{o: o, log: &Log{}, notes: map[string]int{}, strs: map[string]string{}, each: each}
	for _, root := range o.Roots {
		if n, ok := Root(root); ok {
			r.roots = append(r.roots, n)
		}
	}
	src, err := r.input(in, true)
	if err != nil {
		return r.log, err
	}
	r.d = jsontext.NewDecoder(src, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if err := r.document(); err != nil {
		return r.log, r.wrap(err)
	}
	if len(r.deferred) > 0 {
		if err := r.second(); err != nil {
			return r.log, r.wrap(err)
		}
	}
	return r.log, nil
}

// Root is root as the reader holds a root of Options.Roots: a clean
// slash path without its final slash (so "/" is ""); ok is false when
// root is not an absolute path, which the reader leaves out. A path is
// under the root when it starts with the root and a slash.
func Root(root string) (string, bool) {
	n := normalize(root)
	if !isAbs(n) {
		return "", false
	}
	return strings.TrimSuffix(n, "/"), true
}

// Under reports whether a folder of Run.Outside is (or may be, for "*")
// under root, a Root: a path in it would then be read otherwise with root
// among Options.Roots.
func Under(dir, root string) bool {
	return dir == "*" || dir == root || strings.HasPrefix(dir, root+"/")
}

// input undoes gzip (the only place that looks for it) and skips a UTF-8
// byte order mark; on the first pass (first), it notes the mark and hands
// what it reads to Options.Content.
func (r *reader) input(in io.Reader, first bool) (io.Reader, error) {
	br := bufio.NewReaderSize(bounded(in, r.o.Limits), 64<<10)
	src, gz, err := inflate(br, r.o.Limits)
	if err != nil {
		return nil, err
	}
	if first {
		r.log.Gzip = gz
	}
	if gz {
		br = bufio.NewReaderSize(src, 64<<10)
		// A gzip file holds the SARIF: another gzip file inside would be
		// inflated with no bound on its ratio.
		if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
			return nil, &Error{Path: "$", Msg: NestedGzip}
		}
	}
	if first && r.o.Content != nil {
		br = bufio.NewReaderSize(io.TeeReader(br, r.o.Content), 64<<10)
	}
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		if first {
			r.note("bom", "$", "the file starts with a UTF-8 byte order mark, which JSON does not allow; skipped")
		}
	}
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return nil, &Error{Path: "$", Msg: "empty file, want a SARIF 2.1.0 JSON object"}
	}
	return br, nil
}

// NestedGzip is the message of the *Error that refuses a gzip file holding
// another gzip file.
const NestedGzip = "a gzip file inside a gzip file, want SARIF JSON inside"

// gzipReader reports a truncated gzip stream as what it is, and one that
// inflates to more than ratio times what it read (plus RatioSlack) with a
// *LimitError.
type gzipReader struct {
	z     *gzip.Reader
	read  *countReader // the compressed bytes read
	out   int64        // the bytes inflated
	ratio int64
	over  error // the *LimitError returned, returned again by every later Read
}

func (g *gzipReader) Read(p []byte) (int, error) {
	if g.over != nil {
		return 0, g.over
	}
	n, err := g.z.Read(p)
	g.out += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		var le *LimitError
		if !errors.As(err, &le) {
			err = &Error{Path: "$", Msg: "not a readable gzip file: " + err.Error()}
		}
	}
	if g.ratio > 0 && g.overRatio() {
		g.over = &LimitError{Ratio: g.ratio}
		return n, g.over
	}
	return n, err
}

// overRatio reports more inflated than ratio times the bytes read plus
// RatioSlack, without computing that product (a large ratio overflows it).
func (g *gzipReader) overRatio() bool {
	excess := g.out - RatioSlack
	return excess > 0 && (excess-1)/g.ratio >= g.read.n
}

// wrap turns decoder errors into an *Error with a JSON path.
func (r *reader) wrap(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		msg := strings.TrimPrefix(se.Err.Error(), "jsontext: ")
		if errors.Is(se.Err, io.ErrUnexpectedEOF) {
			msg = "the JSON ends early (truncated file?)"
		}
		return &Error{Path: pointerPath(string(se.JSONPointer)), Offset: se.ByteOffset, Msg: fmt.Sprintf("invalid JSON at byte %d: %s", se.ByteOffset, msg)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Path: r.path(), Offset: r.d.InputOffset(), Msg: "the JSON ends early (truncated file?)"}
	}
	return err
}

type reader struct {
	d     *jsontext.Decoder
	o     Options
	log   *Log
	notes map[string]int // note key → index in log.Notes
	strs  map[string]string
	each  func(*Run) error

	roots      []string // Options.Roots, normalised
	version    string
	sawVersion bool
	sawRuns    bool
	deferred   []*runState // runs left to the second pass
	mute       bool        // notes are not made (second pass over what the first read)
}

// note records an oddity of kind key at path.
func (r *reader) note(key, path, format string, args ...any) {
	if r.mute {
		return
	}
	if i, ok := r.notes[key]; ok {
		r.log.Notes[i].Count++
		return
	}
	r.notes[key] = len(r.log.Notes)
	r.log.Notes = append(r.log.Notes, Note{Path: path, Msg: fmt.Sprintf(format, args...), Count: 1})
}

// notef records an oddity at the value just read.
func (r *reader) notef(key, format string, args ...any) {
	if r.mute {
		return
	}
	if i, ok := r.notes[key]; ok {
		r.log.Notes[i].Count++
		return
	}
	r.note(key, r.path(), format, args...)
}

// path is the JSON path of the value last read.
func (r *reader) path() string { return pointerPath(string(r.d.StackPointer())) }

// pointerPath writes a JSON pointer as a JSON path: /runs/0/results → $.runs[0].results.
func pointerPath(p string) string {
	var b strings.Builder
	b.WriteString("$")
	if p == "" {
		return "$"
	}
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
		} else if isIdent(tok) {
			b.WriteString("." + tok)
		} else {
			b.WriteString("[" + strconv.Quote(tok) + "]")
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

func (r *reader) intern(s string) string {
	if v, ok := r.strs[s]; ok {
		return v
	}
	if len(r.strs) > 1<<20 { // bound the table on pathological input
		clear(r.strs)
	}
	if r.o.Intern != nil {
		s = r.o.Intern(s)
	}
	r.strs[s] = s
	return s
}

// kindName names a JSON kind for messages.
func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "nothing"
}

// peek returns the next kind, or the decoder's error.
func (r *reader) peek() (jsontext.Kind, error) {
	k := r.d.PeekKind()
	if k == 0 {
		_, err := r.d.ReadToken()
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, err
	}
	return k, nil
}

// object reads an object member by member; fn gets each name and must
// read or skip the value. Names gitdora does not read arrive as "" (no
// allocation for them); use members for objects whose names are data.
// The caller has checked that an object comes.
func (r *reader) object(fn func(name string) error) error {
	return r.members(false, fn)
}

func (r *reader) members(keys bool, fn func(name string) error) error {
	if _, err := r.d.ReadToken(); err != nil {
		return err
	}
	var seen [24]string // names read so far, to report duplicates
	nseen := 0
	for {
		k, err := r.peek()
		if err != nil {
			return err
		}
		if k == '}' {
			_, err := r.d.ReadToken()
			return err
		}
		v, err := r.d.ReadValue()
		if err != nil {
			return err
		}
		name := ""
		if keys {
			name, err = unquote(v)
		} else {
			name, err = knownName(v)
		}
		if err != nil {
			return err
		}
		if name != "" && !keys {
			for _, n := range seen[:nseen] {
				if n == name {
					r.notef("dup"+name, "%s appears twice in one object (JSON leaves that undefined); both are read: of a value the last counts, of a list the items of both", name)
					break
				}
			}
			if nseen < len(seen) {
				seen[nseen] = name
				nseen++
			}
		}
		if err := fn(name); err != nil {
			return err
		}
	}
}

// knownNames are the member names the reader looks at.
var knownNames = map[string]string{}

func init() {
	for _, n := range strings.Fields(`arguments artifactLocation artifacts automationDetails baselineState
		configuration defaultConfiguration descriptor driver endTimeUtc extensions fileLocation files
		fingerprints guid id index invocations kind level location locations message name
		originalUriBaseIds partialFingerprints physicalLocation properties region relationships results
		rule ruleConfigurationOverrides ruleId ruleIndex rules runs security-severity semanticVersion
		snippet startLine startTimeUtc status suppressions tags target taxa taxonomies text tool
		toolComponent uri uriBaseId value version fixes artifactChanges automationId automationLogicalId
		logicalId instanceGuid baselineInstanceGuid resources newlineSequences correlationGuid`) {
		knownNames[n] = n
	}
}

// knownName returns the name of a raw JSON string if the reader looks at
// it, else "".
func knownName(v jsontext.Value) (string, error) {
	if len(v) >= 2 && bytes.IndexByte(v, '\\') < 0 {
		return knownNames[string(v[1:len(v)-1])], nil
	}
	s, err := unquote(v)
	return knownNames[s], err
}

func unquote(v jsontext.Value) (string, error) {
	if len(v) >= 2 && bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1]), nil
	}
	b, err := jsontext.AppendUnquote(nil, v)
	return string(b), err
}

// array reads an array element by element; fn gets each index and must
// read or skip the element. The caller has checked that an array comes.
func (r *reader) array(fn func(i int) error) error {
	if _, err := r.d.ReadToken(); err != nil {
		return err
	}
	for i := 0; ; i++ {
		k, err := r.peek()
		if err != nil {
			return err
		}
		if k == ']' {
			_, err := r.d.ReadToken()
			return err
		}
		if err := fn(i); err != nil {
			return err
		}
	}
}

// want checks that the next value is of kind k; otherwise it notes the
// mismatch (null silently: an absent value), skips it and returns false.
func (r *reader) want(k jsontext.Kind, key, what string) (bool, error) {
	got, err := r.peek()
	if err != nil {
		return false, err
	}
	if got == k {
		return true, nil
	}
	if got != 'n' {
		r.notef(key, "%s is %s, want %s; ignored", what, kindName(got), kindName(k))
	}
	return false, r.d.SkipValue()
}

// objectOf reads an object if one comes (see want), else skips the value.
func (r *reader) objectOf(key, what string, fn func(name string) error) error {
	ok, err := r.want('{', key, what)
	if !ok || err != nil {
		return err
	}
	return r.object(fn)
}

// arrayOf reads an array if one comes (see want), else skips the value.
func (r *reader) arrayOf(key, what string, fn func(i int) error) error {
	ok, err := r.want('[', key, what)
	if !ok || err != nil {
		return err
	}
	return r.array(fn)
}

// str reads a string; numbers and booleans are taken as their text, with
// a note; other kinds are skipped with a note.
func (r *reader) str(key, what string) (string, error) {
	k, err := r.peek()
	if err != nil {
		return "", err
	}
	switch k {
	case '"':
		tok, err := r.d.ReadToken()
		return tok.String(), err
	case '0', 't', 'f':
		tok, err := r.d.ReadToken()
		if err != nil {
			return "", err
		}
		r.notef(key, "%s is %s, want a string; its text %s is used", what, kindName(k), tok.String())
		return tok.String(), nil
	case 'n':
		_, err := r.d.ReadToken()
		return "", err
	}
	r.notef(key, "%s is %s, want a string; ignored", what, kindName(k))
	return "", r.d.SkipValue()
}

// istr reads a string as str does, interned: repeated values (rule ids,
// URIs, levels) share one copy and cost no allocation.
func (r *reader) istr(key, what string) (string, error) {
	k, err := r.peek()
	if err != nil {
		return "", err
	}
	if k != '"' {
		return r.str(key, what)
	}
	v, err := r.d.ReadValue()
	if err != nil {
		return "", err
	}
	if len(v) >= 2 && bytes.IndexByte(v, '\\') < 0 {
		if s, ok := r.strs[string(v[1:len(v)-1])]; ok {
			return s, nil
		}
	}
	s, err := unquote(v)
	if err != nil {
		return "", err
	}
	return r.intern(s), nil
}

// integer reads an integer; a string of digits is accepted with a note.
func (r *reader) integer(key, what string) (int64, bool, error) {
	k, err := r.peek()
	if err != nil {
		return 0, false, err
	}
	switch k {
	case '0':
		tok, err := r.d.ReadToken()
		if err != nil {
			return 0, false, err
		}
		v, err := tok.Int()
		if err != nil {
			r.notef(key, "%s is %s, want an integer; ignored", what, tok.String())
			return 0, false, nil
		}
		return v, true, nil
	case '"':
		tok, err := r.d.ReadToken()
		if err != nil {
			return 0, false, err
		}
		v, err := strconv.ParseInt(strings.TrimSpace(tok.String()), 10, 64)
		if err != nil {
			r.notef(key, "%s is the string %q, want an integer; ignored", what, tok.String())
			return 0, false, nil
		}
		r.notef(key+"str", "%s is a string, want an integer; read as %d", what, v)
		return v, true, nil
	case 'n':
		_, err := r.d.ReadToken()
		return 0, false, err
	}
	r.notef(key, "%s is %s, want an integer; ignored", what, kindName(k))
	return 0, false, r.d.SkipValue()
}

// secSev is a security-severity: a score, or (as some tools write) a
// severity word.
type secSev struct {
	score float64
	word  string // critical, high, medium or low when the tool wrote a word
	has   bool
}

// score reads a security-severity: a number or a string holding one.
func (r *reader) score(key string, dst *secSev) error {
	k, err := r.peek()
	if err != nil {
		return err
	}
	if k != '"' && k != '0' {
		if k != 'n' {
			r.notef(key, "security-severity is %s, want a number as a string; ignored", kindName(k))
		}
		return r.d.SkipValue()
	}
	tok, err := r.d.ReadToken()
	if err != nil {
		return err
	}
	s := strings.TrimSpace(tok.String())
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && v >= 0 && v <= 10 {
		*dst = secSev{score: v, has: true}
		return nil
	}
	switch w := strings.ToLower(s); w {
	case "critical", "high", "medium", "low":
		r.notef(key+"word", "security-severity %q is a word, want a number from 0 to 10; read as severity %s", s, w)
		*dst = secSev{word: w, has: true}
		return nil
	}
	r.notef(key, "security-severity %q is not a number from 0 to 10; ignored", s)
	return nil
}

// stringList reads an array of strings (e.g. tags), skipping other elements.
func (r *reader) stringList(key, what string, fn func(s string)) error {
	return r.arrayOf(key, what, func(int) error {
		s, err := r.str(key+"elem", what+" element")
		if err == nil && s != "" {
			fn(s)
		}
		return err
	})
}

// timeValue reads an RFC 3339 time.
func (r *reader) timeValue(key, what string) (time.Time, error) {
	s, err := r.str(key, what)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, ok := parseTime(s)
	if !ok {
		r.notef(key+"bad", "%s %q is not an RFC 3339 time; ignored", what, s)
	}
	return t, nil
}

// parseTime reads RFC 3339 times, and, leniently, ones without a zone (as UTC).
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// keyedOf reads an object whose member names are data (a map), if one
// comes (see want), else skips the value.
func (r *reader) keyedOf(key, what string, fn func(name string) error) error {
	ok, err := r.want('{', key, what)
	if !ok || err != nil {
		return err
	}
	return r.members(true, fn)
}
