package findings

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/binary"
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
// Bytes writes the normalised form.
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
	run     sarif.Run // Results empty
	rules   map[ruleKey]int32
	files   map[string]int32
	msgs    map[string]int32
	results []wresult
	// tables in the order first met (indexes above), sorted by Bytes
	ruleList []ruleKey
	fileList []string
	msgList  []string
}

// ruleKey is a row of the rule table: what findings of one rule share.
type ruleKey struct {
	id, severity, cwes string // cwes joined by commas
	other              bool   // kind other than fail: info, whatever the overrides
}

type wresult struct {
	ord             int32
	rule, file, msg int32
	line            int32
	fp              string // "" when it is the content hash's text
	hash            fact.Hash
	suppressed      bool
	baseline        byte // 0, or n (new), u (unchanged), p (updated), a (absent)
}

// baselineCodes are the letters of the baseline states.
var baselineCodes = map[string]byte{"new": 'n', "unchanged": 'u', "updated": 'p', "absent": 'a'}

func (w *Writer) of(r *sarif.Run) *wrun {
	if w.open == nil {
		w.open = map[int]*wrun{}
	}
	x := w.open[r.Index]
	if x == nil {
		x = &wrun{rules: map[ruleKey]int32{}, files: map[string]int32{}, msgs: map[string]int32{}}
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
		x.add(&batch[i])
	}
	return nil
}

// Run takes a run once sarif.Read has read it whole (Read's each), with
// any results it kept in r.Results (when Options.Results was not set).
func (w *Writer) Run(r *sarif.Run) error {
	x := w.of(r)
	for i := range r.Results {
		x.add(&r.Results[i])
	}
	delete(w.open, r.Index)
	x.run = *r
	x.run.Results = nil
	w.runs = append(w.runs, x)
	return nil
}

func (x *wrun) add(res *sarif.Result) {
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
	msg, ok := x.msgs[res.Message]
	if !ok {
		msg = int32(len(x.msgList))
		x.msgs[res.Message] = msg
		x.msgList = append(x.msgList, res.Message)
	}
	fp := res.Fingerprint
	if fp == res.ContentHash.String() {
		fp = ""
	}
	x.results = append(x.results, wresult{ord: int32(len(x.results)), rule: rule, file: file, msg: msg, line: int32(res.Line),
		fp: fp, hash: res.ContentHash, suppressed: res.Suppressed, baseline: baselineCodes[res.BaselineState]})
}

// Bytes writes the normalised form of the runs taken, with the notes of
// log (nil for none), in the order Read gave the runs.
func (w *Writer) Bytes(log *sarif.Log) []byte {
	var b bytes.Buffer
	n := 64
	for _, x := range w.runs {
		n += 100 * len(x.results)
	}
	b.Grow(n)
	b.WriteString(magic + strconv.Itoa(Version) + "\n")
	if root, ok := sarif.Root(w.Root); ok {
		line(&b, "root", root)
	}
	if log != nil {
		for _, note := range log.Notes {
			line(&b, "note", strconv.Itoa(note.Count), note.Path, note.Msg)
		}
	}
	// In the order of the file (Read passes a run too large to buffer on
	// after the others).
	slices.SortStableFunc(w.runs, func(a, b *wrun) int { return a.run.Index - b.run.Index })
	for _, x := range w.runs {
		x.write(&b)
	}
	return b.Bytes()
}

// write writes one run: its header, then its tables and results, sorted.
func (x *wrun) write(b *bytes.Buffer) {
	r := &x.run
	line(b, "run", strconv.Itoa(r.Index))
	line(b, "tool", r.Tool)
	line(b, "version", r.ToolVersion)
	if r.AutomationID != "" {
		line(b, "automation", r.AutomationID)
	}
	if r.Incremental {
		line(b, "incremental")
	}
	if !r.Start.IsZero() {
		line(b, "start", r.Start.Format(time.RFC3339Nano))
	}
	if !r.End.IsZero() {
		line(b, "end", r.End.Format(time.RFC3339Nano))
	}
	if !r.HasResults {
		line(b, "noresults")
	}
	for _, a := range r.Artifacts {
		line(b, "artifact", a)
	}
	for _, d := range r.Outside {
		line(b, "outside", d)
	}
	suppressed := 0
	for i := range x.results {
		if x.results[i].suppressed {
			suppressed++
		}
	}
	line(b, "count", strconv.Itoa(len(x.results)), strconv.Itoa(suppressed))

	// Tables, sorted; indexes remapped to the sorted order.
	ruleAt := sortedIndex(x.ruleList, func(a, b ruleKey) int {
		return cmp.Or(strings.Compare(a.id, b.id), strings.Compare(a.severity, b.severity), strings.Compare(a.cwes, b.cwes), boolCmp(a.other, b.other))
	})
	fileAt := sortedIndex(x.fileList, strings.Compare)
	msgAt := sortedIndex(x.msgList, strings.Compare)
	for _, i := range invert(ruleAt) {
		k := x.ruleList[i]
		kind := ""
		if k.other {
			kind = "other"
		}
		line(b, "rule", k.id, k.severity, k.cwes, kind)
	}
	for _, i := range invert(fileAt) {
		line(b, "file", x.fileList[i])
	}
	for _, i := range invert(msgAt) {
		line(b, "message", x.msgList[i])
	}
	rs := x.results
	for i := range rs {
		rs[i].rule, rs[i].file, rs[i].msg = ruleAt[rs[i].rule], fileAt[rs[i].file], msgAt[rs[i].msg]
	}
	slices.SortFunc(rs, func(a, b wresult) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.rule, b.rule),
			strings.Compare(a.fp, b.fp), cmp.Compare(a.hash.Sum, b.hash.Sum), cmp.Compare(a.hash.N, b.hash.N),
			cmp.Compare(a.msg, b.msg), boolCmp(a.suppressed, b.suppressed), cmp.Compare(a.baseline, b.baseline), cmp.Compare(a.ord, b.ord))
	})
	var buf []byte
	prev := int32(-1)
	for i := range rs {
		x := &rs[i]
		buf = append(buf[:0], "r\t"...)
		buf = strconv.AppendInt(buf, int64(x.ord-prev), 10)
		prev = x.ord
		for _, v := range [...]int32{x.rule, x.file, x.line, x.msg} {
			buf = append(buf, '\t')
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
		buf = append(buf, '\t')
		buf = appendFingerprint(buf, x.fp)
		buf = append(buf, '\t')
		buf = appendHash(buf, x.hash)
		buf = append(buf, '\t')
		switch {
		case x.suppressed && x.baseline != 0:
			buf = append(buf, 's', x.baseline)
		case x.suppressed:
			buf = append(buf, 's')
		case x.baseline != 0:
			buf = append(buf, x.baseline)
		default:
			buf = append(buf, '-')
		}
		buf = append(buf, '\n')
		b.Write(buf)
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

// sortedIndex returns, for each element of list, its index once list is
// sorted by f.
func sortedIndex[T any](list []T, f func(a, b T) int) []int32 {
	order := make([]int32, len(list))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return f(list[a], list[b]) })
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

// line writes one line: a keyword and its fields, escaped, tab-separated.
func line(b *bytes.Buffer, keyword string, fields ...string) {
	b.WriteString(keyword)
	for _, f := range fields {
		b.WriteByte('\t')
		b.Write(escape(nil, f))
	}
	b.WriteByte('\n')
}

// escape appends s with backslash, tab, line feed and carriage return
// written as \\, \t, \n and \r: a field holds no tab and a line no break.
func escape(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "\\\t\n\r") {
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

// appendFingerprint writes a fingerprint field: empty for the content
// hash's text; ~ and the bytes in base64 (URL alphabet, no padding) for
// lower-case hex of an even length from 16 to 256 (what most tools
// write, a third shorter); else the text, escaped, a leading ~ as \~.
func appendFingerprint(b []byte, fp string) []byte {
	if isHex(fp) {
		raw := make([]byte, len(fp)/2)
		for i := range raw {
			raw[i] = unhex(fp[2*i])<<4 | unhex(fp[2*i+1])
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
