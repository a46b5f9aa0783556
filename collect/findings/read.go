package findings

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

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
	body       string // the tables and results
	key        uint64 // of body
	bodyLine   int    // the body's first line in the file
	bodyAt     int    // the body's first byte in the file
	hasBody    bool
	set        *fact.FindingSet // made as the file streamed (DecodeReader)
}

// Limits of a file: the notes and runs it may hold.
const (
	maxNotes = 1 << 12
	maxRuns  = 1 << 16
)

// Decode reads the header of every run of a normalised findings file b
// (their findings are read by Run.Set). It fails with a *VersionError
// when the file is of another version, else with an *Error naming the
// line of the first problem.
func Decode(b string) (*File, error) { return decode(&decoder{b: b}, nil) }

// DecodeReader reads a normalised findings file of size bytes from in as
// Decode does, and makes the findings of each run as it reads them (Run.Set
// returns them, whatever it is given): the file is never held whole, only
// its tables while a run is read. tool names the classes of runs that
// name no tool; overrides and intern are Set's.
func DecodeReader(in io.Reader, size int64, tool string, overrides map[string]string, intern func(string) string) (*File, error) {
	d := &decoder{in: bufio.NewReaderSize(in, 256<<10)}
	return decode(d, &streamed{size: size, tool: tool, overrides: overrides, intern: intern})
}

// streamed is how DecodeReader makes findings.
type streamed struct {
	size      int64
	tool      string
	overrides map[string]string
	intern    func(string) string
}

// minResultLine is the fewest bytes a result line takes: a count line
// saying more results than the file has room for is refused before
// anything is made for them.
const minResultLine = 26

func decode(d *decoder, st *streamed) (*File, error) {
	b := d.b
	first, ok := d.next()
	if !ok || !strings.HasPrefix(first, magic) {
		return nil, d.errorf("want %q and a format version, the first line of normalised findings", magic)
	}
	v, err := strconv.Atoi(first[len(magic):])
	if err != nil || v < 0 {
		return nil, d.errorf("format version %q is not a number", first[len(magic):])
	}
	if v != Version {
		return nil, &VersionError{Found: v}
	}
	f := &File{}
	var run *Run
	inBody := false        // run's count line was read: its tables and results follow
	var fieldBuf [8]string // a line's fields (split)
	for {
		at := d.pos
		ln, ok := d.next()
		if !ok {
			break
		}
		if inBody {
			if strings.HasPrefix(ln, "r\t") {
				run.Count++
				continue
			}
			if !strings.HasPrefix(ln, "run\t") {
				continue // read by Set
			}
			run.body, inBody = b[run.bodyAt:at], false
		}
		kw, fields := split(ln, fieldBuf[:0])
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
			f.Root, f.HasRoot = strings.Clone(root), true
		case "note":
			if run != nil {
				return nil, d.errorf("a note after the first run")
			}
			if err := d.want(fields, 3); err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(fields[0])
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
			f.Notes = append(f.Notes, sarif.Note{Count: n, Path: strings.Clone(path), Msg: strings.Clone(msg)})
		case "run":
			if err := d.want(fields, 1); err != nil {
				return nil, err
			}
			if run != nil && !run.hasBody {
				return nil, d.errorf("run %d has no count line", run.Index)
			}
			i, err := strconv.Atoi(fields[0])
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
			if kw == "count" && st != nil {
				if int64(run.declared) > st.size/minResultLine+1 {
					return nil, d.errorf("count %d: more results than %d bytes hold", run.declared, st.size)
				}
				var h maphash.Hash
				h.SetSeed(seed)
				d.h = &h
				set, err := run.parse(d, cmp.Or(run.Tool, st.tool), st.overrides, st.intern)
				d.h = nil
				if d.err != nil {
					return nil, fmt.Errorf("read: %w", d.err)
				}
				if err != nil {
					return nil, err
				}
				run.set, run.key, run.Count = set, h.Sum64(), len(set.List)
				continue
			}
			inBody = kw == "count"
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("read: %w", d.err)
	}
	if run != nil && !run.hasBody {
		return nil, d.errorf("run %d has no count line", run.Index)
	}
	if inBody {
		run.body = b[run.bodyAt:]
	}
	for i := range f.Runs {
		r := &f.Runs[i]
		if r.Count != r.declared {
			return nil, &Error{Line: r.bodyLine, Msg: fmt.Sprintf("run %d: %d results, its count line says %d", r.Index, r.Count, r.declared)}
		}
		if r.set == nil {
			r.key = maphash.String(seed, r.body)
		}
	}
	return f, nil
}

// header reads a header line of run: keyword kw and its fields.
func (d *decoder) header(run *Run, kw string, fields []string) error {
	str := func() (string, error) {
		if err := d.want(fields, 1); err != nil {
			return "", err
		}
		s, err := unescape(fields[0])
		if err != nil {
			return "", d.errorf("%v", err)
		}
		return strings.Clone(s), nil // a scan keeps it, not the file
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
		n, err1 := strconv.Atoi(fields[0])
		s, err2 := strconv.Atoi(fields[1])
		if err1 != nil || err2 != nil || n < 0 || s < 0 || s > n {
			return d.errorf("count %q %q: want the results and the suppressed among them", fields[0], fields[1])
		}
		run.declared, run.suppressed = n, s
		run.bodyLine, run.bodyAt, run.hasBody = d.line+1, d.pos, true
	default:
		return d.errorf("%q is not a line of normalised findings (format version %d)", kw, Version)
	}
	return err
}

// decoder reads a file line by line.
type decoder struct {
	b    string
	pos  int // the next line's start
	line int // the line last read, 1-based
	// In a stream: where lines come from (b is not used), the line read
	// back, the hash of the run's body being read, the first error of in.
	in   *bufio.Reader
	back string
	h    *maphash.Hash
	err  error
	once bool // the findings are read in one pass (SetOnce)
	// SetFrom: the base read from (nil for none), the base made.
	from, base *Base
}

// next returns the next line, without its line feed.
func (d *decoder) next() (string, bool) {
	if d.in != nil {
		return d.nextIn()
	}
	if d.pos >= len(d.b) {
		return "", false
	}
	rest := d.b[d.pos:]
	i := strings.IndexByte(rest, '\n')
	if i < 0 {
		i = len(rest)
		d.pos = len(d.b)
	} else {
		d.pos += i + 1
	}
	d.line++
	return rest[:i], true
}

// nextIn is next in a stream.
func (d *decoder) nextIn() (string, bool) {
	ln := d.back
	if ln != "" {
		d.back = ""
	} else {
		var err error
		ln, err = d.in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			d.err = err
		}
		if ln == "" {
			return "", false
		}
	}
	d.line++
	return strings.TrimSuffix(ln, "\n"), true
}

// unread gives back the line just read, as the next line (in a stream).
func (d *decoder) unread(ln string) {
	d.back = ln + "\n"
	d.line--
}

func (d *decoder) errorf(format string, args ...any) error {
	return &Error{Line: max(d.line, 1), Msg: fmt.Sprintf(format, args...)}
}

// want checks a line has n fields.
func (d *decoder) want(fields []string, n int) error {
	if len(fields) != n {
		return d.errorf("%d fields, want %d", len(fields), n)
	}
	return nil
}

// split cuts a line into its keyword and fields, which it appends to
// fields: a caller that gives an array of its own (on its stack) makes no
// garbage for each of a million lines, and no write barrier while the
// collector runs.
func split(ln string, fields []string) (string, []string) {
	kw, rest, ok := strings.Cut(ln, "\t")
	if !ok {
		return kw, nil
	}
	// One pass over the bytes: a result line's fields are a few bytes
	// each, shorter than a call to find the next tab takes.
	start := 0
	for i := 0; i < len(rest); i++ {
		if rest[i] == '\t' {
			fields = append(fields, rest[start:i])
			start = i + 1
		}
	}
	return kw, append(fields, rest[start:])
}

// unescape undoes escape (and \~ for ~); what needs no unescaping is b
// itself.
func unescape(b string) (string, error) {
	if strings.IndexByte(b, '\\') < 0 {
		return b, nil
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
func (r *Run) Key() uint64 { return r.key }

// Headers is f without its runs' findings: their headers (times, tools,
// artifacts, paths outside their root), counts and keys, small enough to
// keep. Set on one of its runs fails.
func (f *File) Headers() *File {
	h := *f
	h.Runs = slices.Clone(f.Runs)
	for i := range h.Runs {
		r := &h.Runs[i]
		r.body, r.set, r.hasBody = "", nil, false
	}
	return &h
}

// Suppressed is the number of the run's results that are suppressed, as
// its count line says (Set checks it).
func (r *Run) Suppressed() int { return r.suppressed }

// Set reads the run's findings, in the order of the SARIF file: classes
// name tool (the scan's tool), severity.overrides of gitdora.yml set the
// severity of a rule's results of kind fail, and intern (nil for none)
// gives the copy to keep of repeated strings (rule ids, URIs, CWEs): a
// copy of its own, for nothing the set keeps holds on to the file (nil:
// strings.Clone).
func (r *Run) Set(tool string, overrides map[string]string, intern func(string) string) (*fact.FindingSet, error) {
	if r.set != nil {
		return r.set, nil
	}
	if !r.hasBody {
		return nil, errors.New("the findings of a file's headers are not read")
	}
	return r.parse(&decoder{b: r.body, line: r.bodyLine - 1}, tool, overrides, intern)
}

// SetOnce is Set for findings that are read in one pass and let go (a
// reader's findings handed out one scan at a time): their texts stay
// where they were written, in the order of the file's lines, not laid
// out again in the order of the findings, which copies every text.
func (r *Run) SetOnce(tool string, overrides map[string]string, intern func(string) string) (*fact.FindingSet, error) {
	if r.set != nil || !r.hasBody {
		return r.Set(tool, overrides, intern)
	}
	return r.parse(&decoder{b: r.body, line: r.bodyLine - 1, once: true}, tool, overrides, intern)
}

// parse reads the findings of run r from d, to the end of its body: the
// end of the text, or in a stream the next run line (read back).
func (r *Run) parse(d *decoder, tool string, overrides map[string]string, intern func(string) string) (*fact.FindingSet, error) {
	if intern == nil {
		intern = strings.Clone
	}
	var rules []*fact.Class
	var files []string
	var msgs messages
	count := r.Count
	if d.in != nil {
		count = r.declared // bounded by DecodeReader
	}
	// Each finding is made where it belongs, in the order of the SARIF
	// file, as its line is read; the messages are kept coded until the
	// results are read (the table comes before them, sorted).
	list := make([]fact.Finding, count)
	var texts fact.Texts
	var fp, msg, spare []byte // reused: texts copies them
	ord := -1
	n, suppressed := 0, 0
	// Read from a base (SetFrom): with the base's tables, the tables are
	// the base's, and a result line the base has (but for its step) is
	// its finding, with the class of the rule row copied.
	from, nb := d.from, d.base
	j := 0           // the line of from the next result line is looked for from
	var rows *rowMap // with tables of its own: its rows to from's
	look := from != nil
	hits, misses := 0, 0 // result lines found in from, and not
	if nb != nil {
		t := tablesEnd(d.b[d.pos:])
		nb.tables = d.b[d.pos : d.pos+t]
		nb.tableLines = strings.Count(nb.tables, "\n")
		nb.lines = make([]baseLine, 0, count)
		if from != nil && from.tables == nb.tables {
			rules = make([]*fact.Class, len(from.rules))
			for k, c := range from.rules {
				own := *c // its first message may be set here (Texts.Set)
				rules[k] = &own
			}
			files, msgs = from.files, from.msgs
			d.pos += t
			d.line += nb.tableLines
			nb.gen = from.gen + 1
		} else if from != nil {
			// Other tables (a file with findings, or a message, more or
			// less): read, and the rows the base has mapped to its.
			rows = from.mapRows(nb.tables)
			nb.gen = from.gen + 1
		}
	}
	var fieldBuf [8]string // a line's fields (split): a result line has 8
	for {
		ln, ok := d.next()
		if !ok {
			break
		}
		if look && len(ln) > 2 && ln[0] == 'r' && ln[1] == '\t' {
			if tab := strings.IndexByte(ln[2:], '\t'); tab >= 0 {
				step, content := ln[2:2+tab], ln[3+tab:]
				k := -1
				var rule, file, line, msg int32
				var tailAt int
				var named bool // the line's rows and line read
				if rows == nil {
					k = from.find(&j, content)
				} else if rule, file, line, msg, tailAt, named = resultFields(content); named &&
					int(rule) < len(rules) && int(file) < len(rows.file) && int(msg) < len(rows.msg) &&
					rows.rule[rule] >= 0 && rows.file[file] >= 0 && rows.msg[msg] >= 0 {
					k = from.findMapped(&j, rows.rule[rule], rows.file[file], line, rows.msg[msg], content[tailAt:])
				}
				if k < 0 {
					// A base that has few of the lines is not looked in
					// any more: looking costs a tenth of reading a line.
					if misses++; misses >= 64 && hits*4 < misses {
						look = false
					}
				} else {
					hits++
					delta, err := parseInt(step, 64)
					if err != nil || int64(ord)+delta < 0 || int64(ord)+delta >= int64(len(list)) {
						return nil, d.errorf("order %q: want a step to a result of the run's %d", step, len(list))
					}
					ord += int(delta)
					x := &list[ord]
					if x.Class != nil {
						return nil, d.errorf("order %q: result %d is given twice", step, ord)
					}
					bl := &from.lines[k]
					*x = from.list[bl.ord]
					if rows == nil {
						rule, file, line, msg, tailAt = bl.rule, bl.file, bl.sourceLine, bl.msg, int(bl.tailAt)
					}
					x.Class = rules[rule]
					if x.Suppressed {
						suppressed++
					}
					n++
					nb.lines = append(nb.lines, baseLine{content: content, ord: int32(ord), rule: rule, file: file, sourceLine: line, msg: msg, tailAt: int32(tailAt)})
					continue
				}
			}
		}
		kw, fields := split(ln, fieldBuf[:0])
		if kw == "run" && d.in != nil {
			d.unread(ln) // the next run's
			break
		}
		if d.h != nil {
			d.h.WriteString(ln)
			d.h.WriteByte('\n')
		}
		switch kw {
		case "rule":
			if n > 0 || len(files)+msgs.n > 0 {
				return nil, d.errorf("a rule after the files, messages or results")
			}
			if err := d.want(fields, 4); err != nil {
				return nil, err
			}
			id, err := unescape(fields[0])
			if err != nil {
				return nil, d.errorf("%v", err)
			}
			sev, ok := severities[fields[1]]
			if !ok {
				return nil, d.errorf("severity %q is not critical, high, medium, low or info", fields[1])
			}
			var cwes []string
			if fields[2] != "" {
				cwes = strings.Split(fields[2], ",")
				for _, c := range cwes {
					if !isCWE(c) {
						return nil, d.errorf("%q is not a CWE (CWE-<number>)", c)
					}
				}
				if len(cwes) > sarif.MaxCWEs {
					return nil, d.errorf("%d CWEs, more than %d", len(cwes), sarif.MaxCWEs)
				}
				for i := range cwes {
					cwes[i] = intern(cwes[i])
				}
			}
			switch fields[3] {
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
			if rows != nil && len(rules) < len(rows.rule) && rows.rule[len(rules)] >= 0 {
				// The base's rule: its findings taken from the base are
				// coded against its first message.
				own := *from.rules[rows.rule[len(rules)]]
				c = &own
			}
			rules = append(rules, c)
		case "file":
			if n > 0 || msgs.n > 0 {
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
			msgs.add(s)
		case "r":
			if err := d.want(fields, 8); err != nil {
				return nil, err
			}
			delta, err := parseInt(fields[0], 64)
			if err != nil || int64(ord)+delta < 0 || int64(ord)+delta >= int64(len(list)) {
				return nil, d.errorf("order %q: want a step to a result of the run's %d", fields[0], len(list))
			}
			ord += int(delta)
			x := &list[ord]
			if x.Class != nil {
				return nil, d.errorf("order %q: result %d is given twice", fields[0], ord)
			}
			var idx [4]int64
			for k := range idx {
				v, err := parseInt(fields[1+k], 32)
				if err != nil || v < 0 {
					return nil, d.errorf("%q is not a number from 0", fields[1+k])
				}
				idx[k] = v
			}
			if idx[0] >= int64(len(rules)) || idx[1] >= int64(len(files)) || idx[3] >= int64(msgs.n) {
				return nil, d.errorf("rule %d, file %d or message %d is not in the run's tables (%d, %d, %d)", idx[0], idx[1], idx[3], len(rules), len(files), msgs.n)
			}
			x.URI, x.Line = files[idx[1]], int32(idx[2])
			if x.ContentHash, err = parseHash(fields[6]); err != nil {
				return nil, d.errorf("content hash %q: %v", fields[6], err)
			}
			if fp, err = appendFingerprintOf(fp[:0], fields[5], x.ContentHash); err != nil {
				return nil, d.errorf("fingerprint %q: %v", fields[5], err)
			}
			state := fields[7]
			if len(state) > 0 && state[0] == 's' {
				x.Suppressed, state = true, state[1:]
				suppressed++
			}
			switch state {
			case "a":
				x.Absent = true
			case "n", "u", "p":
			case "":
				if !x.Suppressed {
					return nil, d.errorf("state is empty, want - for none")
				}
			case "-":
				if x.Suppressed {
					return nil, d.errorf("state %q", fields[7])
				}
			default:
				return nil, d.errorf("state %q, want s (suppressed) and a baseline state (n, u, p, a), or -", fields[7])
			}
			x.Class = rules[idx[0]]
			msg, spare = msgs.get(int(idx[3]), msg, spare)
			texts.Set(x, fp, msg)
			n++
			if nb != nil {
				tailAt := len(fields[1]) + len(fields[2]) + len(fields[3]) + len(fields[4]) + 4
				nb.lines = append(nb.lines, baseLine{content: ln[len(fields[0])+3:], ord: int32(ord), rule: int32(idx[0]), file: int32(idx[1]), sourceLine: int32(idx[2]), msg: int32(idx[3]), tailAt: int32(tailAt)})
			}
		default:
			return nil, d.errorf("%q is not a line of normalised findings (format version %d)", kw, Version)
		}
	}
	if n != len(list) || suppressed != r.suppressed {
		return nil, d.errorf("%d results (%d suppressed), the count line says %d (%d)", n, suppressed, len(list), r.suppressed)
	}
	// The texts were written in the order of the lines: laid out in the
	// order of the findings, they are read in order (the message table let
	// go first).
	if !d.once {
		msgs = messages{}
		texts.Pack(list)
	}
	if nb != nil {
		nb.rules, nb.files, nb.msgs, nb.list = rules, files, msgs, list
		nb.size = len(d.b) + len(nb.lines)*int(unsafe.Sizeof(baseLine{})) + len(list)*int(unsafe.Sizeof(fact.Finding{}))
		if hits == 0 {
			nb.gen = 0 // its findings hold texts of their own only
		}
	}
	return &fact.FindingSet{List: list, Suppressed: suppressed}, nil
}

// parseInt is strconv.ParseInt(s, 10, bits), without its cost for a
// number of a few digits, what a result line's fields are.
func parseInt(s string, bits int) (int64, error) {
	if len(s) == 0 || len(s) > 9 {
		return strconv.ParseInt(s, 10, bits)
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return strconv.ParseInt(s, 10, bits) // a sign, or not a number
		}
		v = v*10 + int64(c)
	}
	return v, nil
}

// severities are the severities by name (their own strings: nothing a
// set keeps may hold on to the file it was read from).
var severities = func() map[string]fact.Severity {
	m := map[string]fact.Severity{string(fact.SeverityInfo): fact.SeverityInfo}
	for _, s := range fact.Severities {
		m[string(s)] = s
	}
	return m
}()

// isCWE reports CWE-<number>, as the SARIF reader writes them.
func isCWE(b string) bool {
	rest, ok := strings.CutPrefix(b, "CWE-")
	if !ok || len(rest) == 0 || len(rest) > 7 || rest[0] == '0' {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseHash reads what appendHash wrote.
func parseHash(b string) (fact.Hash, error) {
	sum, num, hasNum := strings.Cut(b, ":")
	var raw [8]byte
	if len(sum) != 11 {
		return fact.Hash{}, errors.New("want 11 characters of base64")
	}
	if n, ok := decode64(raw[:], sum); !ok || n != 8 {
		return fact.Hash{}, errors.New("not base64")
	}
	h := fact.Hash{Sum: binary.BigEndian.Uint64(raw[:]), N: 1}
	if hasNum {
		v, err := strconv.ParseUint(num, 10, 32)
		if err != nil || v == 1 || strconv.FormatUint(v, 10) != num {
			return fact.Hash{}, errors.New("its number is not one (other than 1) in decimal")
		}
		h.N = uint32(v)
	}
	return h, nil
}

// appendFingerprintOf appends the fingerprint that appendFingerprint
// wrote as b (h, the content hash, for an empty field).
func appendFingerprintOf(out []byte, b string, h fact.Hash) ([]byte, error) {
	switch {
	case len(b) == 0:
		return h.AppendText(out), nil
	case b[0] == '~':
		// Decoded into an array: no allocation for each of a million
		// results.
		var buf [128]byte
		n, ok := decode64(buf[:], b[1:])
		if !ok || n < 8 {
			return out, errors.New("not the base64 of 8 to 128 bytes")
		}
		const digits = "0123456789abcdef"
		for _, c := range buf[:n] {
			out = append(out, digits[c>>4], digits[c&15])
		}
		return out, nil
	}
	s, err := unescape(b)
	return append(out, s...), err
}

// b64 maps the characters of unpadded URL-safe base64 to their values,
// the others to 0xff.
var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decode64 decodes s, unpadded URL-safe base64 as base64.RawURLEncoding
// writes it, into dst: the bytes written, and false when s is not that or
// does not fit.
func decode64(dst []byte, s string) (int, bool) {
	n := 0
	for ; len(s) >= 4; s = s[4:] {
		a, b, c, d := b64[s[0]], b64[s[1]], b64[s[2]], b64[s[3]]
		if (a|b|c|d)&0xc0 != 0 || n+3 > len(dst) { // a value is 0 to 63
			return n, false
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst[n], dst[n+1], dst[n+2] = byte(v>>16), byte(v>>8), byte(v)
		n += 3
	}
	switch len(s) {
	case 0:
		return n, true
	case 2:
		a, b := b64[s[0]], b64[s[1]]
		if (a|b)&0xc0 != 0 || n+1 > len(dst) {
			return n, false
		}
		dst[n] = a<<2 | b>>4
		return n + 1, true
	case 3:
		a, b, c := b64[s[0]], b64[s[1]], b64[s[2]]
		if (a|b|c)&0xc0 != 0 || n+2 > len(dst) {
			return n, false
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6
		dst[n], dst[n+1] = byte(v>>16), byte(v>>8)
		return n + 2, true
	}
	return n, false
}
