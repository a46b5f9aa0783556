// Package codeowners reads a GitHub CODEOWNERS file and says who owns a
// path, with GitHub's rules (docs.github.com, "About code owners"):
//
//   - patterns follow gitignore, except that `!` negation, `[ ]`
//     character ranges and escaping a leading `#` with `\` do not work;
//     a line using them is skipped;
//   - a pattern with a `/` at its start or in its middle is anchored at
//     the repository root, one without matches at any depth; a pattern
//     that matches a directory owns everything inside it, and one ending in
//     `/` matches only directories; `*` and `?` stay within a path segment,
//     `**` crosses directories; a last segment that is a lone `*` (`docs/*`)
//     matches the files directly inside, not those further down;
//   - owners are `@user`, `@org/team` or an e-mail address; `#` starts a
//     comment, also after a pattern; a line with an owner GitHub would not
//     accept is skipped whole;
//   - the last matching line decides, and a line without owners leaves
//     the paths it matches without an owner;
//   - paths are case-sensitive; a file of MaxSize bytes or more is not
//     loaded.
//
// The package is pure: reading the file (from Locations, at a commit's
// tree) is the caller's.
package codeowners

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gitdora/gitdora/internal/glob"
)

// Locations are where GitHub looks for the file, in its order: the first
// that exists is the one used, even when it is empty.
var Locations = [...]string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// MaxSize is GitHub's limit: a CODEOWNERS file of 3 MB or more is not
// loaded, and owns nothing.
const MaxSize = 3 << 20

// File is a parsed CODEOWNERS file.
type File struct {
	Rules []Rule // in the file's order
}

// Rule is one line with a pattern.
type Rule struct {
	Line    int      // 1-based line number
	Pattern string   // as written
	Owners  []string // as written; none when the line leaves paths unowned
	globs   []*glob.Glob
}

// Warning is a line that GitHub skips, and why.
type Warning struct {
	Line int // 1-based; 0 for the whole file
	Msg  string
}

func (w Warning) String() string {
	if w.Line == 0 {
		return w.Msg
	}
	return "line " + strconv.Itoa(w.Line) + ": " + w.Msg
}

// Parse reads a CODEOWNERS file. The lines GitHub would skip (an owner it
// does not accept, a pattern it cannot use) are left out, each with a
// warning; a text of MaxSize bytes or more gives an empty File.
func Parse(text string) (*File, []Warning) {
	f := &File{}
	if len(text) >= MaxSize {
		return f, []Warning{{Msg: fmt.Sprintf("the file has %d bytes; GitHub does not load a CODEOWNERS file of 3 MB (%d bytes) or more", len(text), MaxSize)}}
	}
	text = strings.TrimPrefix(text, "\ufeff")
	var warns []Warning
	for n := 1; text != ""; n++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		r, msg := parseLine(strings.TrimSuffix(line, "\r"))
		switch {
		case msg != "":
			warns = append(warns, Warning{Line: n, Msg: msg})
		case r != nil:
			r.Line = n
			f.Rules = append(f.Rules, *r)
		}
	}
	return f, warns
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// parseLine reads one line: a rule, nothing (blank or comment), or why
// GitHub skips it.
func parseLine(line string) (*Rule, string) {
	line = strings.TrimLeft(line, " \t")
	if line == "" || line[0] == '#' {
		return nil, ""
	}
	// The pattern runs to the first unescaped space or tab.
	end := 0
	for end < len(line) && !isSpace(line[end]) {
		if line[end] == '\\' {
			end++
		}
		end++
	}
	end = min(end, len(line))
	pat := line[:end]
	var owners []string
	for _, tok := range strings.FieldsFunc(line[end:], func(r rune) bool { return r == ' ' || r == '\t' }) {
		if tok[0] == '#' {
			break
		}
		if why := badOwner(tok); why != "" {
			return nil, fmt.Sprintf("owner %s %s; GitHub skips the line", glob.Quote(tok), why)
		}
		owners = append(owners, tok)
	}
	globs, why := compilePattern(pat)
	if why != "" {
		return nil, fmt.Sprintf("pattern %s: %s; GitHub skips the line", glob.Quote(pat), why)
	}
	return &Rule{Pattern: pat, Owners: slices.Clip(owners), globs: globs}, ""
}

// badOwner says why tok is not an owner GitHub accepts ("" when it is):
// @user, @org/team or an e-mail address.
func badOwner(tok string) string {
	if strings.HasPrefix(tok, "@") {
		org, team, isTeam := strings.Cut(tok[1:], "/")
		if !isLogin(org) {
			return "is not a valid @user or @org/team name"
		}
		if isTeam && !isTeamSlug(team) {
			return "is not a valid @org/team name"
		}
		return ""
	}
	local, domain, ok := strings.Cut(tok, "@")
	if !ok {
		return "is neither @user, @org/team nor an e-mail address"
	}
	if local == "" || strings.ContainsAny(domain, "@") || !isDomain(domain) || !printable(local) {
		return "is not a valid e-mail address"
	}
	return ""
}

// isLogin reports a GitHub user or organisation name: letters, digits,
// hyphens and underscores (managed users), not starting with a hyphen, at
// most 39 characters.
func isLogin(s string) bool {
	if s == "" || len(s) > 39 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// isTeamSlug reports a team slug: letters, digits, `-`, `_` and `.`.
func isTeamSlug(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isDomain reports dot-separated labels of letters, digits and hyphens,
// at least two of them.
func isDomain(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 || len(s) > 255 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// printable reports ASCII without controls or spaces, and not too long:
// the local part of an e-mail address.
func printable(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// compilePattern turns a CODEOWNERS pattern into globs whose union is the
// set of paths it owns, or says why GitHub cannot use it.
func compilePattern(pat string) ([]*glob.Glob, string) {
	switch {
	case pat[0] == '!':
		return nil, "negation (!) does not work in CODEOWNERS"
	case strings.HasPrefix(pat, `\#`):
		return nil, `escaping a leading # with \ does not work in CODEOWNERS`
	}
	// Split into segments on unescaped slashes.
	var segs []string
	start := 0
	for i := 0; i < len(pat); i++ {
		switch pat[i] {
		case '\\':
			if i+1 == len(pat) {
				return nil, `it ends with a lone \`
			}
			i++
		case '[':
			return nil, "character ranges ([ ]) do not work in CODEOWNERS"
		case '/':
			segs = append(segs, pat[start:i])
			start = i + 1
		}
	}
	segs = append(segs, pat[start:])
	anchored := segs[0] == ""
	if anchored {
		segs = segs[1:]
	}
	dirOnly := len(segs) > 0 && segs[len(segs)-1] == ""
	if dirOnly {
		segs = segs[:len(segs)-1]
	}
	if len(segs) == 0 {
		return nil, "it matches no path"
	}
	for i, s := range segs {
		if s == "" {
			return nil, "it has an empty path segment (//)"
		}
		if s != "**" {
			segs[i] = oneStar(s)
		}
	}
	// A pattern without a slash but at its end matches at any depth.
	if !anchored && len(segs) == 1 && segs[0] != "**" {
		segs = append([]string{"**"}, segs...)
	}
	last := segs[len(segs)-1]
	body := strings.Join(segs, "/")
	var srcs []string
	switch {
	case dirOnly:
		srcs = []string{body + "/**"}
	case last == "*" || last == "**":
		// docs/* owns the files directly in docs; a/** everything inside a.
		srcs = []string{body}
	default:
		srcs = []string{body, body + "/**"}
	}
	globs := make([]*glob.Glob, len(srcs))
	for i, s := range srcs {
		g, err := glob.Compile(s)
		if err != nil {
			return nil, err.Error()
		}
		globs[i] = g
	}
	return globs, ""
}

// oneStar replaces each run of unescaped asterisks in a segment other than
// "**" by one: gitignore reads them as a plain `*`.
func oneStar(s string) string {
	if !strings.Contains(s, "**") {
		return s
	}
	var b strings.Builder
	prevStar := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
			prevStar = false
			continue
		case c == '*' && prevStar:
			continue
		}
		prevStar = c == '*'
		b.WriteByte(c)
	}
	return b.String()
}

// Match returns the rule that decides the owners of path (a
// repository-relative, slash-separated file path; a leading `/` is
// ignored): the last rule matching it, nil when none does.
func (f *File) Match(path string) *Rule {
	path = strings.TrimPrefix(path, "/")
	for i := len(f.Rules) - 1; i >= 0; i-- {
		if f.Rules[i].Matches(path) {
			return &f.Rules[i]
		}
	}
	return nil
}

// Owners returns the owners of path: those of the last rule matching it,
// none when no rule matches or the last one lists no owner. The slice is
// the rule's own: do not modify it.
func (f *File) Owners(path string) []string {
	if r := f.Match(path); r != nil {
		return r.Owners
	}
	return nil
}

// Matches reports whether the rule's pattern matches path.
func (r *Rule) Matches(path string) bool {
	for _, g := range r.globs {
		if g.Match(path) {
			return true
		}
	}
	return false
}
