package findings

import (
	"maps"
	"strings"

	"github.com/gitdora/gitdora/fact"
)

// Base is a run's findings as SetFrom read them, kept for the runs read
// after it. A run of the same tables (a nightly scan of code that changed
// a little: the same rules, files and messages) takes the finding of each
// result line that is one of the base's but for its step, rather than
// reading the line again; only the lines that changed are read. A Base
// is never changed once made: runs read on several CPUs may share it.
type Base struct {
	tool       string
	overrides  map[string]string
	tables     string // the run's body before its first result line
	tableLines int
	rules      []*fact.Class // by rule row
	files      []string      // by file row
	msgs       messages      // copied by value, never added to
	lines      []baseLine    // the result lines, in the order of the file
	list       []fact.Finding
	gen        int // runs read from a base before it, in a row
	size       int // about the bytes it holds (Size)
}

// Size is about how many bytes b holds: its run's text, its lines and
// its findings (not their texts, which the findings read from it share).
func (b *Base) Size() int { return b.size }

// baseLine is a result line of a Base: its fields after the step, the
// finding it made (its place in Base.list), the row of its rule, and the
// row of its file and its line, which the lines are sorted by.
type baseLine struct {
	content          string
	ord, rule        int32
	file, sourceLine int32
	msg              int32 // the row of its message
	tailAt           int32 // where its fields after the message start in content
}

// rowMap maps the rows of a run's tables to those of its base's that are
// the same (the same line): -1 for a row the base does not have.
type rowMap struct{ rule, file, msg []int32 }

// mapRows maps the rows of tables, a run's, to those of b's.
func (b *Base) mapRows(tables string) *rowMap {
	rows := func(tables string) (rule, file, msg []string) {
		for ln := range strings.Lines(tables) {
			switch kw, _, _ := strings.Cut(ln, "\t"); kw {
			case "rule":
				rule = append(rule, ln)
			case "file":
				file = append(file, ln)
			case "message":
				msg = append(msg, ln)
			}
		}
		return rule, file, msg
	}
	index := func(had, have []string) []int32 {
		at := make(map[string]int32, len(had))
		for i, ln := range had {
			at[ln] = int32(i)
		}
		out := make([]int32, len(have))
		for i, ln := range have {
			out[i] = -1
			if k, ok := at[ln]; ok {
				out[i] = k
			}
		}
		return out
	}
	br, bf, bm := rows(b.tables)
	r, f, m := rows(tables)
	return &rowMap{rule: index(br, r), file: index(bf, f), msg: index(bm, m)}
}

// resultFields reads the rows and line a result line's content names
// (its fields after the step: rule, file, line, message, …) and where
// the fields after them start.
func resultFields(content string) (rule, file, line, msg int32, tailAt int, ok bool) {
	var v [4]int32
	at := 0
	for k := range v {
		tab := strings.IndexByte(content[at:], '\t')
		if tab < 0 {
			return 0, 0, 0, 0, 0, false
		}
		x, err := parseInt(content[at:at+tab], 32)
		if err != nil || x < 0 {
			return 0, 0, 0, 0, 0, false
		}
		v[k], at = int32(x), at+tab+1
	}
	return v[0], v[1], v[2], v[3], at, true
}

// findMapped is find for a run whose tables are not the base's: the line
// of b with rule, file, line and message rows (the base's) and fields
// after them tail.
func (b *Base) findMapped(j *int, rule, file, line, msg int32, tail string) int {
	near := func(j int) int {
		for k := j; k < min(j+baseWindow, len(b.lines)); k++ {
			l := &b.lines[k]
			if l.sourceLine == line && l.file == file && l.rule == rule && l.msg == msg && l.content[l.tailAt:] == tail {
				return k
			}
		}
		return -1
	}
	k := near(*j)
	if k < 0 && b.skip(j, file, line) {
		k = near(*j)
	}
	if k >= 0 {
		*j = k + 1
	}
	return k
}

// skip moves *j past the lines of b sorted before file row file and line
// line, and reports whether it moved. The run's lines are sorted so too:
// the lines passed over come before every line of the run still to be
// read, and are not looked at again.
func (b *Base) skip(j *int, file, line int32) bool {
	s := *j
	for s < len(b.lines) && (b.lines[s].file < file || b.lines[s].file == file && b.lines[s].sourceLine < line) {
		s++
	}
	moved := s > *j
	*j = s
	return moved
}

// maxBaseGen is how many runs in a row are read from bases: the texts of
// each one's new findings (a few KB) are kept for as long as findings
// read from it are, so a run read whole every maxBaseGen+1 bounds what
// they hold.
const maxBaseGen = 32

// baseWindow is how many lines of the base, from where the last one
// taken was, a result line is looked for among.
const baseWindow = 8

// SetFrom is SetOnce reading the run from base: the findings are those
// SetOnce makes. base may be nil, or of another tool, severity overrides
// or tables: the run is then read whole. It also returns the Base of this
// run, for the runs read after it.
func (r *Run) SetFrom(base *Base, tool string, overrides map[string]string, intern func(string) string) (*fact.FindingSet, *Base, error) {
	if r.set != nil || !r.hasBody {
		set, err := r.Set(tool, overrides, intern)
		return set, nil, err
	}
	if base != nil && (base.tool != tool || base.gen >= maxBaseGen || !maps.Equal(base.overrides, overrides)) {
		base = nil
	}
	out := &Base{tool: tool, overrides: overrides}
	set, err := r.parse(&decoder{b: r.body, line: r.bodyLine - 1, once: true, from: base, base: out}, tool, overrides, intern)
	if err != nil {
		return nil, nil, err
	}
	return set, out, nil
}

// tablesEnd is where the first result line of body starts (its length
// when it has none).
func tablesEnd(body string) int {
	if strings.HasPrefix(body, "r\t") {
		return 0
	}
	if i := strings.Index(body, "\nr\t"); i >= 0 {
		return i + 1
	}
	return len(body)
}

// find returns the line of b whose content is content, looked for among
// the baseWindow lines from *j, then (when it is not there) from the
// first line not sorted before its file and line (skip), and moves *j
// past it; -1 when there is none.
func (b *Base) find(j *int, content string) int {
	k := b.near(*j, content)
	if k < 0 {
		if _, file, line, _, _, ok := resultFields(content); ok && b.skip(j, file, line) {
			k = b.near(*j, content)
		}
	}
	if k >= 0 {
		*j = k + 1
	}
	return k
}

// near is the line among the baseWindow lines from j whose content is
// content, -1 when none is.
func (b *Base) near(j int, content string) int {
	for k := j; k < min(j+baseWindow, len(b.lines)); k++ {
		if b.lines[k].content == content {
			return k
		}
	}
	return -1
}
