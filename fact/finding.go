package fact

import (
	"iter"
	"strconv"
	"strings"
)

// Finding is one result of a scan. What many findings share (their
// tool, rule, severity and CWE) is one Class they point to, so that
// a scan of half a million results keeps one copy of it, not one each;
// its fingerprint and message are kept in one string, the message coded
// against the first message of its class (messages of one rule are
// mostly one template): read them with Fingerprint and Message.
type Finding struct {
	*Class
	URI string // normalised artifact URI, "" without a location
	// ContentHash is the hash of the rule id, URI and snippet (else the
	// message), numbered as Fingerprint is suffixed: it follows a finding
	// across scans when its tool starts or stops writing fingerprints.
	ContentHash Hash
	Line        int32 // 0 when unknown
	Suppressed  bool
	// Absent is set for a result whose baselineState is absent: the tool
	// reports it as gone, so it is not present in this scan.
	Absent bool

	text     string // the fingerprint, then the message's own bytes
	fpLen    uint32 // length of the fingerprint in text
	pre, suf uint16 // the message's first pre and last suf bytes are those of Class.first
}

// NewFinding makes a finding of class c; set its other fields after.
func NewFinding(c *Class, fingerprint, uri string, line int32, message string) Finding {
	return Finding{Class: c, URI: uri, Line: line, text: fingerprint + message, fpLen: uint32(len(fingerprint))}
}

// Fingerprint is the finding's identity within its tool (with its rule
// id), with the :2, :3 … suffix of duplicates.
func (f Finding) Fingerprint() string { return f.text[:f.fpLen] }

// Message is the SARIF message of the result.
func (f Finding) Message() string {
	own := f.text[f.fpLen:]
	if f.pre == 0 && f.suf == 0 {
		return own
	}
	ref := f.Class.first
	if own == "" && int(f.pre)+int(f.suf) == len(ref) {
		return ref
	}
	return ref[:f.pre] + own + ref[len(ref)-int(f.suf):]
}

// AppendMessage appends the finding's message to b: Message without a
// string of its own.
func (f Finding) AppendMessage(b []byte) []byte {
	own := f.text[f.fpLen:]
	if f.pre == 0 && f.suf == 0 {
		return append(b, own...)
	}
	ref := f.Class.first
	return append(append(append(b, ref[:f.pre]...), own...), ref[len(ref)-int(f.suf):]...)
}

// Class is what findings of one set (FindingSet) with the same rule,
// severity and CWEs share. It must not be changed once findings point to
// it.
type Class struct {
	Tool     string
	RuleID   string
	Severity Severity // SeverityCritical … SeverityInfo
	CWE      string   // e.g. CWE-79, "" when none: the first of CWEs
	// CWEs are every CWE the result gives (tags, taxa, its rule's
	// relationships), CWE first; nil when none. Read only.
	CWEs []string

	first    string // the message of its first finding, which the others are coded against
	hasFirst bool
}

// FindingSet is the findings of a scan: one per result, in the order of
// the file. Scans whose results are the same (the same normalised
// findings) share one set, so that years of nightly scans of an unchanged
// code base hold one copy: it must not be changed once a scan points to
// it.
type FindingSet struct {
	List []Finding
	// Suppressed counts the findings that are suppressed.
	Suppressed int
}

// Texts keeps the texts of findings compact: their fingerprints and
// messages go into a few large strings, written as each finding is given
// its texts, in any order (a string each would cost its rounding up to a
// size class, a tenth of a message, and an object for the collector to
// track); a message that shares at least 16 bytes of prefix and suffix
// with the first message of its class (or is that message) keeps only the
// rest. The zero Texts is ready.
type Texts struct {
	chunk   strings.Builder // never grown: what was handed out stays put
	written int             // bytes written, which sizes the next chunk
}

// Sizes of the strings Texts writes into: they grow with what was
// written (a small set wastes little), up to maxTextChunk; a text of more
// than maxTextChunk/8 bytes gets a string of its own.
const (
	minTextChunk = 4 << 10
	maxTextChunk = 1 << 20
)

// Set gives f (its Class set) its fingerprint and message, which Texts
// copies: they may be reused once Set returns.
func (t *Texts) Set(f *Finding, fingerprint, message []byte) {
	c := f.Class
	f.fpLen, f.pre, f.suf = uint32(len(fingerprint)), 0, 0
	if c.hasFirst {
		f.pre, f.suf = shared(c.first, message)
	}
	own := message[f.pre : len(message)-int(f.suf)]
	w := t.room(len(fingerprint) + len(own))
	at := w.Len()
	w.Write(fingerprint)
	w.Write(own)
	f.text = w.String()[at:] // the builder's bytes, not a copy
	if !c.hasFirst {
		c.first, c.hasFirst = f.text[f.fpLen:], true
	}
}

// Pack copies the texts of fs, each set by t, into new strings, in the
// order of fs, and starts t afresh: findings read in order then read their
// texts in order (those Set wrote in another order are scattered), and the
// strings Set wrote are let go.
func (t *Texts) Pack(fs []Finding) {
	*t = Texts{}
	moved := map[*Class]bool{} // classes whose first message is in the new strings
	for i := range fs {
		f := &fs[i]
		c, own := f.Class, f.text[f.fpLen:]
		first := f.pre == 0 && f.suf == 0 && len(own) == len(c.first) && own == c.first && !moved[c]
		w := t.room(len(f.text))
		at := w.Len()
		w.WriteString(f.text)
		f.text = w.String()[at:]
		if first {
			c.first, moved[c] = f.text[f.fpLen:], true
		}
	}
	*t = Texts{}
}

// room returns a builder of t with room for n more bytes, which it
// counts as written.
func (t *Texts) room(n int) *strings.Builder {
	t.written += n
	if n > maxTextChunk/8 {
		w := new(strings.Builder)
		w.Grow(n)
		return w
	}
	if t.chunk.Cap()-t.chunk.Len() < n {
		t.chunk = strings.Builder{}
		t.chunk.Grow(min(max(t.written, minTextChunk), maxTextChunk))
	}
	return &t.chunk
}

// shared is how many bytes m shares with ref at its start and its end,
// when that is worth coding: 16 bytes or more, or all of m.
func shared[T string | []byte](ref string, m T) (pre, suf uint16) {
	n := min(len(ref), len(m), 1<<16-1)
	p := 0
	for p+16 <= n && ref[p:p+16] == string(m[p:p+16]) { // 16 bytes at a time, then one
		p += 16
	}
	for p < n && ref[p] == m[p] {
		p++
	}
	q := 0
	n = min(len(ref), len(m)) - p
	n = min(n, 1<<16-1)
	for q+16 <= n && ref[len(ref)-q-16:len(ref)-q] == string(m[len(m)-q-16:len(m)-q]) {
		q += 16
	}
	for q < n && ref[len(ref)-1-q] == m[len(m)-1-q] {
		q++
	}
	if p+q < 16 && !(p+q == len(m) && len(m) == len(ref)) {
		return 0, 0
	}
	return uint16(p), uint16(q)
}

// Hash is a result's content hash: a 64-bit FNV-1a sum and which result
// of its run with that sum it is (1 for the first, 2 for the next …).
// It is kept as a number, not as text: half a million findings keep it.
type Hash struct {
	Sum uint64
	N   uint32
}

// String writes the hash as 16 hex digits, with the suffix :N from the
// second result with the sum on (as fingerprints are suffixed).
func (h Hash) String() string { return string(h.AppendText(nil)) }

// AppendText appends the hash as String writes it.
func (h Hash) AppendText(b []byte) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[h.Sum>>uint(shift)&15])
	}
	if h.N > 1 {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(h.N), 10)
	}
	return b
}

// Findings are the findings of scan s, in the order of its file (nil
// without any). Read only: scans may share them.
func (s *Scan) Findings() []Finding {
	if s.Set == nil {
		return nil
	}
	return s.Set.List
}

// AllFindings yields every finding of every scan of f with its scan, in
// scan then file order.
func (f *Facts) AllFindings() iter.Seq2[*Scan, *Finding] {
	return func(yield func(*Scan, *Finding) bool) {
		for i := range f.Scans {
			s := &f.Scans[i]
			fs := s.Findings()
			for j := range fs {
				if !yield(s, &fs[j]) {
					return
				}
			}
		}
	}
}

// Keeper keeps findings once their sets are let go: a copy of each that
// holds on to nothing of its set, its message whole, its texts packed
// into a few large strings (as Texts writes them), and one copy of each
// class and URI for every finding it keeps. The zero Keeper is ready.
type Keeper struct {
	texts   Texts
	classes map[keptClass]*Class
	strs    map[string]string
	buf     []byte
}

// keptClass is what a kept class is: its CWEs joined.
type keptClass struct {
	tool, rule, cwe, cwes string
	sev                   Severity
}

// Keep is f as k keeps it. classes maps the classes of f's set to their
// kept copies, for one set at a time: a set let go may leave its
// classes' addresses to others.
func (k *Keeper) Keep(f *Finding, classes map[*Class]*Class) Finding {
	if k.classes == nil {
		k.classes, k.strs = map[keptClass]*Class{}, map[string]string{}
	}
	if c := classes[f.Class]; c != nil {
		return k.keep(f, c)
	}
	ck := keptClass{tool: f.Tool, rule: f.RuleID, cwe: f.CWE, cwes: strings.Join(f.CWEs, "\x00"), sev: f.Severity}
	c := k.classes[ck]
	if c == nil {
		c = &Class{Tool: k.str(f.Tool), RuleID: k.str(f.RuleID), Severity: f.Severity, CWE: k.str(f.CWE)}
		for _, w := range f.CWEs {
			c.CWEs = append(c.CWEs, k.str(w))
		}
		ck.tool, ck.rule, ck.cwe, ck.cwes = c.Tool, c.RuleID, c.CWE, strings.Clone(ck.cwes)
		k.classes[ck] = c
	}
	classes[f.Class] = c
	return k.keep(f, c)
}

// keep is f kept with class c.
func (k *Keeper) keep(f *Finding, c *Class) Finding {
	out := *f
	out.Class, out.URI, out.pre, out.suf = c, k.str(f.URI), 0, 0
	k.buf = f.AppendMessage(append(k.buf[:0], f.Fingerprint()...))
	w := k.texts.room(len(k.buf))
	at := w.Len()
	w.Write(k.buf)
	out.text = w.String()[at:]
	return out
}

// str is k's copy of s.
func (k *Keeper) str(s string) string {
	if c, ok := k.strs[s]; ok {
		return c
	}
	c := strings.Clone(s)
	k.strs[c] = c
	return c
}
