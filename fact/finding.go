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

// Batch keeps the texts of a batch of findings compact: their
// fingerprints and messages go into one string for the batch (a string
// each would cost its rounding up to a size class, a tenth of a message,
// and an object for the collector to track); a message that shares at
// least 16 bytes of prefix and suffix with the first message of its class
// (or is that message) keeps only the rest. The zero Batch is ready; it
// may be reused for the next batch once End is called.
type Batch struct {
	buf    strings.Builder // its string is the texts' (no copy)
	lens   []int           // the message length of each finding of the batch
	firsts []int           // findings of the batch whose message is their class's first
	start  int
}

// Begin starts a batch of findings to be appended to fs.
func (b *Batch) Begin(fs []Finding) {
	b.buf = strings.Builder{}
	b.lens, b.firsts, b.start = b.lens[:0], b.firsts[:0], len(fs)
}

// Add appends f (its Class and other fields set) with its fingerprint and
// message to fs. The texts are readable once End is called.
func (b *Batch) Add(fs []Finding, f Finding, fingerprint, message string) []Finding {
	c := f.Class
	f.text, f.fpLen, f.pre, f.suf = "", uint32(len(fingerprint)), 0, 0
	if !c.hasFirst {
		c.first, c.hasFirst = message, true
		b.firsts = append(b.firsts, len(fs))
	} else {
		f.pre, f.suf = shared(c.first, message)
	}
	b.buf.WriteString(fingerprint)
	b.buf.WriteString(message[f.pre : len(message)-int(f.suf)])
	b.lens = append(b.lens, len(message))
	return append(fs, f)
}

// End gives the findings of the batch, fs[Begin's len(fs):], their texts.
func (b *Batch) End(fs []Finding) {
	all := b.buf.String()
	b.buf = strings.Builder{}
	for i := b.start; i < len(fs); i++ {
		f := &fs[i]
		n := int(f.fpLen) + b.lens[i-b.start] - int(f.pre) - int(f.suf)
		f.text, all = all[:n], all[n:]
	}
	for _, i := range b.firsts {
		fs[i].Class.first = fs[i].Message() // the copy in the batch's string
	}
}

// shared is how many bytes m shares with ref at its start and its end,
// when that is worth coding: 16 bytes or more, or all of m.
func shared(ref, m string) (pre, suf uint16) {
	n := min(len(ref), len(m))
	p := 0
	for p < n && p < 1<<16-1 && ref[p] == m[p] {
		p++
	}
	q := 0
	for q < n-p && q < 1<<16-1 && ref[len(ref)-1-q] == m[len(m)-1-q] {
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
