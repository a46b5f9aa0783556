package findings

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"time"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/fact"
)

// Error says why a normalised findings file cannot be read, and where.
type Error struct {
	Line int // 1-based
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// VersionError says a file is of another format version than Version:
// older ones are rebuilt by `gitdora reindex`; a newer gitdora wrote the
// others.
type VersionError struct{ Found int }

func (e *VersionError) Error() string {
	if e.Found > Version {
		return fmt.Sprintf("normalised findings of format version %d, written by a newer gitdora (this one reads version %d)", e.Found, Version)
	}
	return fmt.Sprintf("normalised findings of format version %d, older than this gitdora's %d", e.Found, Version)
}

// File is a normalised findings file as Decode read it.
type File struct {
	// Root is the repository root the log's paths were made relative to,
	// as sarif.Root gives it; HasRoot is false when there was none.
	Root    string
	HasRoot bool
	Notes   []sarif.Note // the SARIF reader's notes on the log
	Runs    []Run
}

// Run is one run of the file: the fields of its scan as sarif.Run has
// them (Results empty, Count its number of results), and its findings,
// made by Set.
type Run struct {
	sarif.Run
	suppressed int    // as its count line says
	declared   int    // results, as its count line says
	body       []byte // the tables and results
	bodyLine   int    // the body's first line in the file
	bodyAt     int    // the body's first byte in the file
}

// Limits of a file: the notes and runs it may hold.
const (
	maxNotes = 1 << 12
	maxRuns  = 1 << 16
)

// Decode reads the header of every run of a normalised findings file
// (their findings are read by Run.Set). It fails with a *VersionError
// when the file is of another version, else with an *Error naming the
// line of the first problem.
func Decode(b []byte) (*File, error) {
	d := &decoder{b: b}
	first, ok := d.next()
	if !ok || !bytes.HasPrefix(first, []byte(magic)) {
		return nil, d.errorf("want %q and a format version, the first line of normalised findings", magic)
	}
	v, err := strconv.Atoi(string(first[len(magic):]))
	if err != nil || v < 1 {
		return nil, d.errorf("format version %q is not a positive number", first[len(magic):])
	}
	if v != Version {
		return nil, &VersionError{Found: v}
	}
	f := &File{}
	var run *Run
	inBody := false // run's count line was read: its tables and results follow
	for {
		at := d.pos
		ln, ok := d.next()
		if !ok {
			break
		}
		if inBody {
			if bytes.HasPrefix(ln, []byte("r\t")) {
				run.Count++
				continue
			}
			if !bytes.HasPrefix(ln, []byte("run\t")) {
				continue // read by Set
			}
			run.body, inBody = b[run.bodyAt:at], false
		}
		kw, fields := split(ln)
		switch kw {
		case "root":
			if run != nil || f.HasRoot || len(f.Notes) > 0 {
				return nil, d.errorf("a root line after the first line")
			}
			if err := d.want(fields, 1); err != nil {
				return nil, err
			}
			root, err := unescape(fields[0])
			if err != nil {
				return nil, d.errorf("%v", err)
			}
			if r, ok := sarif.Root(root); !ok || r != root {
				return nil, d.errorf("root %q is not an absolute path as the SARIF reader writes one", root)
			}
			f.Root, f.HasRoot = root, true
		case "note":
			if run != nil {
				return nil, d.errorf("a note after the first run")
			}
			if err := d.want(fields, 3); err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(string(fields[0]))
			if err != nil || n < 1 {
				return nil, d.errorf("note count %q is not a positive number", fields[0])
			}
			if len(f.Notes) >= maxNotes {
				return nil, d.errorf("more than %d notes", maxNotes)
			}
			path, err1 := unescape(fields[1])
			msg, err2 := unescape(fields[2])
			if err := errors.Join(err1, err2); err != nil {
				return nil, d.errorf("%v", err)
			}
			f.Notes = append(f.Notes, sarif.Note{Count: n, Path: path, Msg: msg})
		case "run":
			if err := d.want(fields, 1); err != nil {
				return nil, err
			}
			if run != nil && run.body == nil {
				return nil, d.errorf("run %d has no count line", run.Index)
			}
			i, err := strconv.Atoi(string(fields[0]))
			if err != nil || i != len(f.Runs) {
				return nil, d.errorf("run %q, want run %d (runs are numbered in order from 0)", fields[0], len(f.Runs))
			}
			if i >= maxRuns {
				return nil, d.errorf("more than %d runs", maxRuns)
			}
			f.Runs = append(f.Runs, Run{Run: sarif.Run{Index: i, HasResults: true}})
			run = &f.Runs[i]
		default:
			if run == nil {
				return nil, d.errorf("%q before the first run", kw)
			}
			if err := d.header(run, kw, fields); err != nil {
				return nil, err
			}
			inBody = kw == "count"
		}
	}
	if run != nil && run.body == nil {
		if !inBody {
			return nil, d.errorf("run %d has no count line", run.Index)
		}
		run.body = b[run.bodyAt:]
	}
	for i := range f.Runs {
		if r := &f.Runs[i]; r.Count != r.declared {
			return nil, &Error{Line: r.bodyLine, Msg: fmt.Sprintf("run %d: %d results, its count line says %d", r.Index, r.Count, r.declared)}
		}
	}
	return f, nil
}

// header reads a header line of run: keyword kw and its fields.
func (d *decoder) header(run *Run, kw string, fields [][]byte) error {
	str := func() (string, error) {
		if err := d.want(fields, 1); err != nil {
			return "", err
		}
		s, err := unescape(fields[0])
		if err != nil {
			return "", d.errorf("%v", err)
		}
		return s, nil
	}
	when := func() (time.Time, error) {
		s, err := str()
		if err != nil {
			return time.Time{}, err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, d.errorf("%s time %q is not RFC 3339", kw, s)
		}
		return t, nil
	}
	var err error
	switch kw {
	case "tool":
		run.Tool, err = str()
	case "version":
		run.ToolVersion, err = str()
	case "automation":
		run.AutomationID, err = str()
	case "incremental":
		err = d.want(fields, 0)
		run.Incremental = true
	case "noresults":
		err = d.want(fields, 0)
		run.HasResults = false
	case "start":
		run.Start, err = when()
	case "end":
		run.End, err = when()
	case "artifact":
		var s string
		s, err = str()
		run.Artifacts = append(run.Artifacts, s)
	case "outside":
		var s string
		s, err = str()
		run.Outside = append(run.Outside, s)
	case "count":
		if err := d.want(fields, 2); err != nil {
			return err
		}
		n, err1 := strconv.Atoi(string(fields[0]))
		s, err2 := strconv.Atoi(string(fields[1]))
		if err1 != nil || err2 != nil || n < 0 || s < 0 || s > n {
			return d.errorf("count %q %q: want the results and the suppressed among them", fields[0], fields[1])
		}
		run.declared, run.suppressed = n, s
		run.bodyLine, run.bodyAt = d.line+1, d.pos
	default:
		return d.errorf("%q is not a line of normalised findings (format version %d)", kw, Version)
	}
	return err
}

// decoder reads a file line by line.
type decoder struct {
	b    []byte
	pos  int // the next line's start
	line int // the line last read, 1-based
}

// next returns the next line, without its line feed.
func (d *decoder) next() ([]byte, bool) {
	if d.pos >= len(d.b) {
		return nil, false
	}
	rest := d.b[d.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		i = len(rest)
		d.pos = len(d.b)
	} else {
		d.pos += i + 1
	}
	d.line++
	return rest[:i], true
}

func (d *decoder) errorf(format string, args ...any) error {
	return &Error{Line: max(d.line, 1), Msg: fmt.Sprintf(format, args...)}
}

// want checks a line has n fields.
func (d *decoder) want(fields [][]byte, n int) error {
	if len(fields) != n {
		return d.errorf("%d fields, want %d", len(fields), n)
	}
	return nil
}

// split cuts a line into its keyword and fields.
func split(ln []byte) (string, [][]byte) {
	kw, rest, ok := bytes.Cut(ln, []byte{'\t'})
	if !ok {
		return string(kw), nil
	}
	return string(kw), bytes.Split(rest, []byte{'\t'})
}

// unescape undoes escape (and \~ for ~).
func unescape(b []byte) (string, error) {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b), nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 == len(b) {
			return "", errors.New("a field ends with a lone backslash")
		}
		i++
		switch b[i] {
		case '\\':
			out = append(out, '\\')
		case 't':
			out = append(out, '\t')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case '~':
			out = append(out, '~')
		default:
			return "", fmt.Errorf("unknown escape \\%c", b[i])
		}
	}
	return string(out), nil
}

// seed keys the runs' findings within one process.
var seed = maphash.MakeSeed()

// Key identifies the run's findings within the process: runs with the
// same key have the same tables and results, so Set makes the same set of
// them (for the same tool and overrides).
func (r *Run) Key() uint64 { return maphash.Bytes(seed, r.body) }

// Suppressed is the number of the run's results that are suppressed, as
// its count line says (Set checks it).
func (r *Run) Suppressed() int { return r.suppressed }

// Set reads the run's findings, in the order of the SARIF file: classes
// name tool (the scan's tool), severity.overrides of gitdora.yml set the
// severity of a rule's results of kind fail, and intern (nil for none)
// gives the copy to keep of repeated strings (rule ids, URIs).
func (r *Run) Set(tool string, overrides map[string]string, intern func(string) string) (*fact.FindingSet, error) {
	if intern == nil {
		intern = func(s string) string { return s }
	}
	d := &decoder{b: r.body, line: r.bodyLine - 1}
	var rules []*fact.Class
	var files, msgs []string
	type res struct {
		rule, file, msg int32
		line            int32
		fp              string
		hash            fact.Hash
		suppressed      bool
		absent          bool
	}
	out := make([]res, r.Count)
	placed := make([]bool, r.Count)
	ord := -1
	n, suppressed := 0, 0
	for {
		ln, ok := d.next()
		if !ok {
			break
		}
		kw, fields := split(ln)
		switch kw {
		case "rule":
			if n > 0 || len(files)+len(msgs) > 0 {
				return nil, d.errorf("a rule after the files, messages or results")
			}
			if err := d.want(fields, 4); err != nil {
				return nil, err
			}
			id, err := unescape(fields[0])
			if err != nil {
				return nil, d.errorf("%v", err)
			}
			sev := fact.Severity(fields[1])
			if !slices.Contains(fact.Severities, sev) && sev != fact.SeverityInfo {
				return nil, d.errorf("severity %q is not critical, high, medium, low or info", fields[1])
			}
			var cwes []string
			if len(fields[2]) > 0 {
				for _, c := range bytes.Split(fields[2], []byte{','}) {
					if !isCWE(c) {
						return nil, d.errorf("%q is not a CWE (CWE-<number>)", c)
					}
					cwes = append(cwes, string(c))
				}
				if len(cwes) > sarif.MaxCWEs {
					return nil, d.errorf("%d CWEs, more than %d", len(cwes), sarif.MaxCWEs)
				}
			}
			switch string(fields[3]) {
			case "":
				if s, ok := overrides[id]; ok && s != "" {
					sev = fact.Severity(s)
				}
			case "other":
			default:
				return nil, d.errorf("rule kind %q, want other or nothing", fields[3])
			}
			c := &fact.Class{Tool: tool, RuleID: intern(id), Severity: sev, CWEs: cwes}
			if len(cwes) > 0 {
				c.CWE = cwes[0]
			}
			rules = append(rules, c)
		case "file":
			if n > 0 || len(msgs) > 0 {
				return nil, d.errorf("a file after the messages or results")
			}
			if err := d.want(fields, 1); err != nil {
				return nil, err
			}
			s, err := unescape(fields[0])
			if err != nil {
				return nil, d.errorf("%v", err)
			}
			files = append(files, intern(s))
		case "message":
			if n > 0 {
				return nil, d.errorf("a message after the results")
			}
			if err := d.want(fields, 1); err != nil {
				return nil, err
			}
			s, err := unescape(fields[0])
			if err != nil {
				return nil, d.errorf("%v", err)
			}
			msgs = append(msgs, s)
		case "r":
			if err := d.want(fields, 8); err != nil {
				return nil, err
			}
			delta, err := strconv.ParseInt(string(fields[0]), 10, 64)
			if err != nil || int64(ord)+delta < 0 || int64(ord)+delta >= int64(len(out)) {
				return nil, d.errorf("order %q: want a step to a result of the run's %d", fields[0], len(out))
			}
			ord += int(delta)
			if placed[ord] {
				return nil, d.errorf("order %q: result %d is given twice", fields[0], ord)
			}
			placed[ord] = true
			x := &out[ord]
			var idx [4]int64
			for k := range idx {
				v, err := strconv.ParseInt(string(fields[1+k]), 10, 32)
				if err != nil || v < 0 {
					return nil, d.errorf("%q is not a number from 0", fields[1+k])
				}
				idx[k] = v
			}
			if idx[0] >= int64(len(rules)) || idx[1] >= int64(len(files)) || idx[3] >= int64(len(msgs)) {
				return nil, d.errorf("rule %d, file %d or message %d is not in the run's tables (%d, %d, %d)", idx[0], idx[1], idx[3], len(rules), len(files), len(msgs))
			}
			x.rule, x.file, x.line, x.msg = int32(idx[0]), int32(idx[1]), int32(idx[2]), int32(idx[3])
			if x.hash, err = parseHash(fields[6]); err != nil {
				return nil, d.errorf("content hash %q: %v", fields[6], err)
			}
			if x.fp, err = parseFingerprint(fields[5], x.hash); err != nil {
				return nil, d.errorf("fingerprint %q: %v", fields[5], err)
			}
			state := fields[7]
			if len(state) > 0 && state[0] == 's' {
				x.suppressed, state = true, state[1:]
				suppressed++
			}
			switch string(state) {
			case "a":
				x.absent = true
			case "n", "u", "p":
			case "":
				if !x.suppressed {
					return nil, d.errorf("state is empty, want - for none")
				}
			case "-":
				if x.suppressed {
					return nil, d.errorf("state %q", fields[7])
				}
			default:
				return nil, d.errorf("state %q, want s (suppressed) and a baseline state (n, u, p, a), or -", fields[7])
			}
			n++
		default:
			return nil, d.errorf("%q is not a line of normalised findings (format version %d)", kw, Version)
		}
	}
	if n != len(out) || suppressed != r.suppressed {
		return nil, d.errorf("%d results (%d suppressed), the count line says %d (%d)", n, suppressed, len(out), r.suppressed)
	}
	set := &fact.FindingSet{List: make([]fact.Finding, 0, len(out)), Suppressed: suppressed}
	var batch fact.Batch
	batch.Begin(set.List)
	for i := range out {
		x := &out[i]
		f := fact.Finding{Class: rules[x.rule], URI: files[x.file], ContentHash: x.hash, Line: x.line, Suppressed: x.suppressed, Absent: x.absent}
		set.List = batch.Add(set.List, f, x.fp, msgs[x.msg])
	}
	batch.End(set.List)
	return set, nil
}

// isCWE reports CWE-<number>, as the SARIF reader writes them.
func isCWE(b []byte) bool {
	rest, ok := bytes.CutPrefix(b, []byte("CWE-"))
	if !ok || len(rest) == 0 || len(rest) > 7 || rest[0] == '0' {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseHash reads what appendHash wrote.
func parseHash(b []byte) (fact.Hash, error) {
	sum, num, hasNum := bytes.Cut(b, []byte{':'})
	var raw [8]byte
	if len(sum) != 11 {
		return fact.Hash{}, errors.New("want 11 characters of base64")
	}
	if n, err := base64.RawURLEncoding.Decode(raw[:], sum); err != nil || n != 8 {
		return fact.Hash{}, errors.New("not base64")
	}
	h := fact.Hash{Sum: binary.BigEndian.Uint64(raw[:]), N: 1}
	if hasNum {
		v, err := strconv.ParseUint(string(num), 10, 32)
		if err != nil || v == 1 || strconv.FormatUint(v, 10) != string(num) {
			return fact.Hash{}, errors.New("its number is not one (other than 1) in decimal")
		}
		h.N = uint32(v)
	}
	return h, nil
}

// parseFingerprint reads what appendFingerprint wrote.
func parseFingerprint(b []byte, h fact.Hash) (string, error) {
	switch {
	case len(b) == 0:
		return h.String(), nil
	case b[0] == '~':
		raw, err := base64.RawURLEncoding.AppendDecode(nil, b[1:])
		if err != nil || len(raw) < 8 || len(raw) > 128 {
			return "", errors.New("not the base64 of 8 to 128 bytes")
		}
		const digits = "0123456789abcdef"
		out := make([]byte, 0, 2*len(raw))
		for _, c := range raw {
			out = append(out, digits[c>>4], digits[c&15])
		}
		return string(out), nil
	}
	return unescape(b)
}
