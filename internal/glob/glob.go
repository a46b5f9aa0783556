// Package glob matches slash-separated, repository-relative paths against
// the globs of gitdora.yml (service paths, policy exemptions; see
// docs/policy.md):
//
//   - `**` as a whole path segment matches zero or more segments, so it
//     crosses directories: `a/**/b` matches `a/b` and `a/x/y/b`, `**/b`
//     matches `b` and `x/b`, and `a/**` matches everything inside `a` (not
//     `a` itself);
//   - `*` matches any run of characters within one segment (never a `/`);
//   - `?` matches one character other than `/`;
//   - `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]` match one character (never a
//     `/`) in, or not in, the class;
//   - `\` makes the next character literal.
//
// A glob matches the whole path. Matching is case-sensitive and takes time
// proportional to the product of the lengths at worst.
package glob

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Glob is a compiled glob.
type Glob struct {
	src  string
	segs []segment
}

// segment is one slash-separated part of a glob.
type segment struct {
	any  bool   // "**": zero or more whole path segments
	lit  string // the segment when it has no wildcard (wild is nil)
	wild []elem // the segment's elements when it has a wildcard
}

type elemKind uint8

const (
	elemLit   elemKind = iota // r
	elemStar                  // *
	elemOne                   // ?
	elemClass                 // [...]
)

type elem struct {
	kind   elemKind
	lit    string // elemLit: the bytes to match
	negate bool
	ranges []rng // elemClass
}

type rng struct{ lo, hi rune }

// Error says why a glob does not compile.
type Error struct {
	Glob   string // the glob as written
	Offset int    // byte offset of the problem in Glob
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("glob %s: %s (at byte %d)", Quote(e.Glob), e.Msg, e.Offset)
}

// Quote quotes s for a message, control characters escaped, cut to its
// first 100 bytes (on a character boundary) with "…" after when longer.
func Quote(s string) string {
	const limit = 100
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// MaxLen is the longest glob Compile accepts, in bytes.
const MaxLen = 4096

// Compile parses a glob. It is an error when the glob is empty or longer
// than MaxLen, starts or ends with `/` or has an empty segment (`a//b`),
// has `**` next to other characters in a segment (write `**/*.py`, not
// `**.py`), ends in a lone `\`, or has a character class that is empty,
// unterminated, reversed (`[z-a]`) or holds a `/`.
func Compile(pattern string) (*Glob, error) {
	bad := func(off int, format string, args ...any) error {
		return &Error{Glob: pattern, Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case pattern == "":
		return nil, bad(0, "empty glob")
	case len(pattern) > MaxLen:
		return nil, bad(MaxLen, "longer than %d bytes", MaxLen)
	case pattern[0] == '/':
		return nil, bad(0, "starts with /: globs are relative to the repository root, drop the leading /")
	}
	g := &Glob{src: pattern}
	off := 0
	for off <= len(pattern) {
		end := segmentEnd(pattern, off)
		s := pattern[off:end]
		switch {
		case s == "" && end == len(pattern):
			return nil, bad(off, "ends with /: write %s to match everything inside the directory", Quote(pattern+"**"))
		case s == "":
			return nil, bad(off, "empty path segment (//)")
		case s == "**":
			// Consecutive ** segments mean the same as one.
			if n := len(g.segs); n == 0 || !g.segs[n-1].any {
				g.segs = append(g.segs, segment{any: true})
			}
		default:
			seg, err := compileSegment(s)
			if err != nil {
				var e *Error
				if errors.As(err, &e) {
					e.Glob, e.Offset = pattern, off+e.Offset
				}
				return nil, err
			}
			g.segs = append(g.segs, seg)
		}
		off = end + 1
	}
	// A trailing ** matches one or more segments: everything inside the
	// directory, not the directory itself. It is ** followed by a segment
	// matching any name.
	if g.segs[len(g.segs)-1].any {
		g.segs = append(g.segs, segment{wild: []elem{{kind: elemStar}}})
	}
	return g, nil
}

// segmentEnd returns the index of the `/` ending the segment that starts
// at off (len(p) for the last), skipping escaped characters so that an
// escaped `/` is met (and refused) by compileSegment.
func segmentEnd(p string, off int) int {
	for i := off; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '/':
			return i
		}
	}
	return len(p)
}

// compileSegment parses one segment other than "**". Offsets in its
// errors are relative to the segment.
func compileSegment(s string) (segment, error) {
	bad := func(off int, format string, args ...any) error {
		return &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	var elems []elem
	wild := false
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return segment{}, bad(i, "** must be a whole path segment (write **/*.ext or dir/**)")
			}
			elems = append(elems, elem{kind: elemStar})
			wild = true
			i++
		case '?':
			elems = append(elems, elem{kind: elemOne})
			wild = true
			i++
		case '[':
			e, n, err := compileClass(s, i)
			if err != nil {
				return segment{}, err
			}
			elems = append(elems, e)
			wild = true
			i += n
		case '\\':
			if i+1 >= len(s) {
				return segment{}, bad(i, `ends with a lone \ (write \\ for a backslash)`)
			}
			_, w := utf8.DecodeRuneInString(s[i+1:])
			if s[i+1] == '/' {
				return segment{}, bad(i, `\/ cannot match: / always separates segments`)
			}
			elems = append(elems, elem{kind: elemLit, lit: s[i+1 : i+1+w]})
			i += 1 + w
		default:
			_, w := utf8.DecodeRuneInString(s[i:])
			elems = append(elems, elem{kind: elemLit, lit: s[i : i+w]})
			i += w
		}
	}
	if !wild {
		var b strings.Builder
		for _, e := range elems {
			b.WriteString(e.lit)
		}
		return segment{lit: b.String()}, nil
	}
	return segment{wild: elems}, nil
}

// compileClass parses the class starting at s[i] == '[' and returns it and
// its length in bytes.
func compileClass(s string, i int) (elem, int, error) {
	bad := func(off int, format string, args ...any) (elem, int, error) {
		return elem{}, 0, &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	e := elem{kind: elemClass}
	j := i + 1
	if j < len(s) && (s[j] == '!' || s[j] == '^') {
		e.negate = true
		j++
	}
	// char reads one possibly escaped character of the class at s[j].
	char := func(j int) (rune, int, error) {
		if s[j] == '\\' {
			if j+1 >= len(s) {
				return 0, 0, &Error{Offset: j, Msg: "unterminated character class ["}
			}
			r, w := utf8.DecodeRuneInString(s[j+1:])
			return r, 1 + w, nil
		}
		r, w := utf8.DecodeRuneInString(s[j:])
		return r, w, nil
	}
	for {
		if j >= len(s) {
			return bad(i, "unterminated character class [ (write \\[ for a literal [)")
		}
		if s[j] == ']' {
			if len(e.ranges) == 0 {
				return bad(i, "empty character class (write \\] for a literal ] in a class)")
			}
			return e, j + 1 - i, nil
		}
		lo, w, err := char(j)
		if err != nil {
			return elem{}, 0, err
		}
		j += w
		hi := lo
		if j+1 < len(s) && s[j] == '-' && s[j+1] != ']' {
			hi, w, err = char(j + 1)
			if err != nil {
				return elem{}, 0, err
			}
			j += 1 + w
			if hi < lo {
				return bad(i, "character range %c-%c is reversed", lo, hi)
			}
		}
		if lo <= '/' && '/' <= hi {
			return bad(i, "a character class cannot match /")
		}
		e.ranges = append(e.ranges, rng{lo, hi})
	}
}

// String returns the glob as written.
func (g *Glob) String() string { return g.src }

// Match reports whether the glob matches the whole of path, a
// slash-separated path relative to the repository root (no leading `/`).
// The empty path matches nothing.
func (g *Glob) Match(path string) bool {
	return path != "" && matchSegments(g.segs, path)
}

// matchSegments matches path against segs: segments other than ** each
// match exactly one path segment, ** any number of them. It keeps only the
// last ** to backtrack to, which is enough since one ** can absorb
// whatever an earlier one would have.
func matchSegments(segs []segment, path string) bool {
	pi := 0      // next pattern segment
	pos := 0     // start of the next path segment; len(path)+1 at the end
	starPI := -1 // pattern segment after the last ** met
	starPos := 0 // path position that ** is retried from
	end := len(path) + 1
	for pos < end || pi < len(segs) {
		if pi < len(segs) && segs[pi].any {
			starPI, starPos = pi+1, pos
			pi++
			continue
		}
		if pi < len(segs) && pos < end {
			e := strings.IndexByte(path[pos:], '/')
			if e < 0 {
				e = len(path) - pos
			}
			if segs[pi].match(path[pos : pos+e]) {
				pi++
				pos += e + 1
				continue
			}
		}
		// Mismatch: let the last ** absorb one more path segment.
		if starPI < 0 || starPos >= end {
			return false
		}
		e := strings.IndexByte(path[starPos:], '/')
		if e < 0 {
			starPos = end
		} else {
			starPos += e + 1
		}
		pi, pos = starPI, starPos
	}
	return true
}

// match reports whether the segment matches one path segment s.
func (seg *segment) match(s string) bool {
	if seg.wild == nil {
		return s == seg.lit
	}
	el := seg.wild
	ei, si := 0, 0
	starEI, starSI := -1, 0
	for si < len(s) || ei < len(el) {
		if ei < len(el) {
			e := &el[ei]
			if e.kind == elemStar {
				starEI, starSI = ei+1, si
				ei++
				continue
			}
			if e.kind == elemLit {
				if strings.HasPrefix(s[si:], e.lit) {
					ei++
					si += len(e.lit)
					continue
				}
			} else if si < len(s) {
				r, w := utf8.DecodeRuneInString(s[si:])
				if e.matchRune(r) {
					ei++
					si += w
					continue
				}
			}
		}
		if starEI < 0 || starSI >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[starSI:])
		starSI += w
		ei, si = starEI, starSI
	}
	return true
}

func (e *elem) matchRune(r rune) bool {
	switch e.kind {
	case elemOne:
		return r != '/'
	case elemClass:
		in := false
		for _, x := range e.ranges {
			if x.lo <= r && r <= x.hi {
				in = true
				break
			}
		}
		return in != e.negate && r != '/'
	}
	return false
}
