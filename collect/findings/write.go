package findings

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/fact"
)

// Version is the format version of the normalised findings this gitdora
// writes, in their first line. It changes whenever the form or the rules
// of normalisation (what the SARIF reader makes of a log) change, so that
// `gitdora reindex` rebuilds what an older gitdora wrote.
const Version = 1

// Ext ends the name of a normalised findings file: <tool>-<hash>.findings
// beside <tool>-<hash>.sarif and its scan record <tool>-<hash>.json.
const Ext = ".findings"

// magic starts the first line, before the version.
const magic = "gitdora findings "

// Writer gathers what sarif.Read reads of a log: give Results as
// sarif.Options.Results and call Run from Read's each with every run; then
// WriteTo (or Bytes) writes the normalised form. It keeps each result in
// about 48 bytes and its texts once, not the log.
type Writer struct {
	// Root is the repository root the SARIF reader was given (as
	// sarif.Options.Roots, alone), "" for none: the file names it, so that
	// a reader with other roots can tell whether its paths would read
	// otherwise (File.Root, sarif.Run.Outside).
	Root string
	runs []*wrun
	open map[int]*wrun // runs whose results are coming
}

// wrun is a run being gathered: its tables and compact results.
type wrun struct {
	run      sarif.Run // Results empty
	rules    map[ruleKey]int32
	ruleList []ruleKey
	files    map[string]int32
	fileList []string
	results  []wresult
	// text holds the results' fingerprint fields (as written) and
	// messages, one after the other, in chunks that never move (a buffer
	// that grew would be held twice while it is copied).
	text    [][]byte
	scratch []byte
}

// chunkSize is the size of a chunk of wrun.text.
const chunkSize = 1 << 20

// ruleKey is a row of the rule table: what findings of one rule share.
type ruleKey struct {
	id, severity, cwes string // cwes joined by commas
	other              bool   // kind other than fail: info, whatever the overrides
}

// wresult is a result as the writer keeps it.
type wresult struct {
	sum        uint64 // of the content hash
	n          uint32 // of the content hash
	rule, file int32
	line       int32
	// Its fingerprint field as written, then its message, are text[chunk]
	// from at: fpLen bytes, then msgLen bytes.
	chunk, at     uint32
	fpLen, msgLen uint32
	suppressed    bool
	baseline      byte // 0, or n (new), u (unchanged), p (updated), a (absent)
}

// baselineCodes are the letters of the baseline states.
var baselineCodes = map[string]byte{"new": 'n', "unchanged": 'u', "updated": 'p', "absent": 'a'}

func (w *Writer) of(r *sarif.Run) *wrun {
	if w.open == nil {
		w.open = map[int]*wrun{}
	}
	x := w.open[r.Index]
	if x == nil {
		x = &wrun{rules: map[ruleKey]int32{}, files: map[string]int32{}}
		w.open[r.Index] = x
		if r.Count > 0 {
			x.results = make([]wresult, 0, r.Count)
		}
	}
	return x
}

// Results takes a batch of a run's results (sarif.Options.Results).
func (w *Writer) Results(r *sarif.Run, batch []sarif.Result) error {
	x := w.of(r)
	for i := range batch {
		if err := x.add(&batch[i]); err != nil {
			return err
		}
	}
	return nil
}

// Run takes a run once sarif.Read has read it whole (Read's each), with
// any results it kept in r.Results (when Options.Results was not set).
func (w *Writer) Run(r *sarif.Run) error {
	x := w.of(r)
	for i := range r.Results {
		if err := x.add(&r.Results[i]); err != nil {
			return err
		}
	}
	delete(w.open, r.Index)
	x.run = *r
	x.run.Results = nil
	w.runs = append(w.runs, x)
	return nil
}

func (x *wrun) add(res *sarif.Result) error {
	k := ruleKey{id: res.RuleID, severity: res.Severity, cwes: strings.Join(res.CWEs, ","), other: res.OtherKind}
	rule, ok := x.rules[k]
	if !ok {
		rule = int32(len(x.ruleList))
		x.rules[k] = rule
		x.ruleList = append(x.ruleList, k)
	}
	file, ok := x.files[res.URI]
	if !ok {
		file = int32(len(x.fileList))
		x.files[res.URI] = file
		x.fileList = append(x.fileList, res.URI)
	}
	var fp []byte
	if x.scratch = res.ContentHash.AppendText(x.scratch[:0]); string(x.scratch) != res.Fingerprint {
		fp = appendFingerprint(x.scratch[:0], res.Fingerprint)
		x.scratch = fp
	}
	n := len(fp) + len(res.Message)
	if len(x.text) == 0 || len(x.text[len(x.text)-1])+n > cap(x.text[len(x.text)-1]) {
		x.text = append(x.text, make([]byte, 0, max(chunkSize, n)))
	}
	c := &x.text[len(x.text)-1]
	at := len(*c)
	*c = append(append(*c, fp...), res.Message...)
	x.results = append(x.results, wresult{sum: res.ContentHash.Sum, n: res.ContentHash.N, rule: rule, file: file, line: int32(res.Line),
		chunk: uint32(len(x.text) - 1), at: uint32(at), fpLen: uint32(len(fp)), msgLen: uint32(len(res.Message)),
		suppressed: res.Suppressed, baseline: baselineCodes[res.BaselineState]})
	return nil
}

func (x *wrun) fp(r *wresult) []byte { return x.text[r.chunk][r.at : r.at+r.fpLen] }
func (x *wrun) msg(r *wresult) []byte {
	return x.text[r.chunk][r.at+r.fpLen : r.at+r.fpLen+r.msgLen]
}

// Bytes returns what WriteTo writes.
func (w *Writer) Bytes(log *sarif.Log) []byte {
	var b bytes.Buffer
	w.WriteTo(&b, log)
	return b.Bytes()
}

// WriteTo writes the normalised form of the runs taken, with the notes
// of log (nil for none), in the order of the file.
func (w *Writer) WriteTo(out io.Writer, log *sarif.Log) (int64, error) {
	b := &lineWriter{w: bufio.NewWriterSize(out, 256<<10)}
	b.raw(magic + strconv.Itoa(Version) + "\n")
	if root, ok := sarif.Root(w.Root); ok {
		b.line("root", root)
	}
	if log != nil {
		for _, note := range log.Notes {
			b.line("note", strconv.Itoa(note.Count), note.Path, note.Msg)
		}
	}
	// Read passes a run too large to buffer on after the others.
	slices.SortStableFunc(w.runs, func(a, b *wrun) int { return a.run.Index - b.run.Index })
	for _, x := range w.runs {
		x.write(b)
	}
	if b.err == nil {
		b.err = b.w.Flush()
	}
	return b.n, b.err
}

// lineWriter writes lines, keeping the first error.
type lineWriter struct {
	w   *bufio.Writer
	n   int64
	err error
	buf []byte
}

func (b *lineWriter) raw(s string) {
	if b.err == nil {
		var n int
		n, b.err = b.w.WriteString(s)
		b.n += int64(n)
	}
}

func (b *lineWriter) bytes(p []byte) {
	if b.err == nil {
		var n int
		n, b.err = b.w.Write(p)
		b.n += int64(n)
	}
}

// line writes one line: a keyword and its fields, escaped, tab-separated.
func (b *lineWriter) line(keyword string, fields ...string) {
	b.buf = append(b.buf[:0], keyword...)
	for _, f := range fields {
		b.buf = append(b.buf, '\t')
		b.buf = escape(b.buf, f)
	}
	b.buf = append(b.buf, '\n')
	b.bytes(b.buf)
}

// write writes one run: its header, then its tables and results, sorted.
func (x *wrun) write(b *lineWriter) {
	r := &x.run
	b.line("run", strconv.Itoa(r.Index))
	b.line("tool", r.Tool)
	b.line("version", r.ToolVersion)
	if r.AutomationID != "" {
		b.line("automation", r.AutomationID)
	}
	if r.Incremental {
		b.line("incremental")
	}
	if !r.Start.IsZero() {
		b.line("start", r.Start.Format(time.RFC3339Nano))
	}
	if !r.End.IsZero() {
		b.line("end", r.End.Format(time.RFC3339Nano))
	}
	if !r.HasResults {
		b.line("noresults")
	}
	for _, a := range r.Artifacts {
		b.line("artifact", a)
	}
	for _, d := range r.Outside {
		b.line("outside", d)
	}
	rs := x.results
	suppressed := 0
	for i := range rs {
		if rs[i].suppressed {
			suppressed++
		}
	}
	b.line("count", strconv.Itoa(len(rs)), strconv.Itoa(suppressed))

	// Tables, sorted; indexes remapped to the sorted order.
	ruleAt := sortedIndex(len(x.ruleList), func(i, j int32) int {
		a, b := &x.ruleList[i], &x.ruleList[j]
		return cmp.Or(strings.Compare(a.id, b.id), strings.Compare(a.severity, b.severity), strings.Compare(a.cwes, b.cwes), boolCmp(a.other, b.other))
	})
	for _, i := range invert(ruleAt) {
		k := x.ruleList[i]
		kind := ""
		if k.other {
			kind = "other"
		}
		b.line("rule", k.id, k.severity, k.cwes, kind)
	}
	fileAt := sortedIndex(len(x.fileList), func(i, j int32) int { return strings.Compare(x.fileList[i], x.fileList[j]) })
	for _, i := range invert(fileAt) {
		b.line("file", x.fileList[i])
	}
	// Messages: the results' own, sorted, each once; msgAt[i] is the
	// table row of result i.
	byMsg := make([]int32, len(rs))
	for i := range byMsg {
		byMsg[i] = int32(i)
	}
	slices.SortStableFunc(byMsg, func(i, j int32) int { return bytes.Compare(x.msg(&rs[i]), x.msg(&rs[j])) })
	msgAt := make([]int32, len(rs))
	row := int32(-1)
	for k, i := range byMsg {
		if k == 0 || !bytes.Equal(x.msg(&rs[i]), x.msg(&rs[byMsg[k-1]])) {
			row++
			b.buf = append(b.buf[:0], "message\t"...)
			b.buf = escape(b.buf, x.msg(&rs[i]))
			b.buf = append(b.buf, '\n')
			b.bytes(b.buf)
		}
		msgAt[i] = row
	}
	order := byMsg // reused: the results in the order they are written
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, c := &rs[i], &rs[j]
		return cmp.Or(cmp.Compare(fileAt[a.file], fileAt[c.file]), cmp.Compare(a.line, c.line), cmp.Compare(ruleAt[a.rule], ruleAt[c.rule]),
			bytes.Compare(x.fp(a), x.fp(c)), cmp.Compare(a.sum, c.sum), cmp.Compare(a.n, c.n),
			cmp.Compare(msgAt[i], msgAt[j]), boolCmp(a.suppressed, c.suppressed), cmp.Compare(a.baseline, c.baseline), cmp.Compare(i, j))
	})
	prev := int32(-1)
	for _, i := range order {
		res := &rs[i]
		buf := append(b.buf[:0], "r\t"...)
		buf = strconv.AppendInt(buf, int64(i-prev), 10)
		prev = i
		for _, v := range [...]int32{ruleAt[res.rule], fileAt[res.file], res.line, msgAt[i]} {
			buf = append(buf, '\t')
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
		buf = append(buf, '\t')
		buf = append(buf, x.fp(res)...)
		buf = append(buf, '\t')
		buf = appendHash(buf, fact.Hash{Sum: res.sum, N: res.n})
		buf = append(buf, '\t')
		switch {
		case res.suppressed && res.baseline != 0:
			buf = append(buf, 's', res.baseline)
		case res.suppressed:
			buf = append(buf, 's')
		case res.baseline != 0:
			buf = append(buf, res.baseline)
		default:
			buf = append(buf, '-')
		}
		buf = append(buf, '\n')
		b.buf = buf
		b.bytes(buf)
	}
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// sortedIndex returns, for each of n elements, its index once they are
// sorted by f.
func sortedIndex(n int, f func(i, j int32) int) []int32 {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, f)
	return invert(order)
}

// invert turns a permutation around.
func invert(p []int32) []int32 {
	out := make([]int32, len(p))
	for i, v := range p {
		out[v] = int32(i)
	}
	return out
}

// escape appends s with backslash, tab, line feed and carriage return
// written as \\, \t, \n and \r: a field holds no tab and a line no break.
func escape[T string | []byte](b []byte, s T) []byte {
	if !containsAny(s) {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

func containsAny[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\', '\t', '\n', '\r':
			return true
		}
	}
	return false
}

// appendFingerprint writes a fingerprint field: ~ and the bytes in base64
// (URL alphabet, no padding) for lower-case hex of an even length from 16
// to 256 (what most tools write, a third shorter); else the text, escaped,
// a leading ~ as \~. (A fingerprint that is its content hash's text is
// written as nothing.)
func appendFingerprint(b []byte, fp string) []byte {
	if isHex(fp) {
		raw := make([]byte, 0, 128)
		for i := 0; i < len(fp); i += 2 {
			raw = append(raw, unhex(fp[i])<<4|unhex(fp[i+1]))
		}
		b = append(b, '~')
		return base64.RawURLEncoding.AppendEncode(b, raw)
	}
	if strings.HasPrefix(fp, "~") {
		b = append(b, '\\')
	}
	return escape(b, fp)
}

func isHex(s string) bool {
	if len(s) < 16 || len(s) > 256 || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

// appendHash writes a content hash: its sum's 8 bytes in base64 (URL
// alphabet, no padding), then :N unless its number N is 1.
func appendHash(b []byte, h fact.Hash) []byte {
	var raw [8]byte
	binary.BigEndian.PutUint64(raw[:], h.Sum)
	b = base64.RawURLEncoding.AppendEncode(b, raw[:])
	if h.N != 1 {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(h.N), 10)
	}
	return b
}
