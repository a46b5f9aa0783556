package sarif

import (
	"encoding/binary"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gitdora/gitdora/fact"
)

// resolver resolves the results of one run.
type resolver struct {
	r         *reader
	rs        *runState
	comps     []*component
	overrides map[*rule]string
	roots     []string // Options.Roots, normalised
	baseRoots []string // absolute base URIs of the run
	ruleCWE   map[*rule][]string
	uris      map[uriRef]string
	outside   map[string]bool // Run.Outside
}

// maxOutside bounds Run.Outside: past it, "*" stands for any folder.
const maxOutside = 1024

// outsideDirs lists the folders of Run.Outside.
func (res *resolver) outsideDirs() []string {
	if len(res.outside) > maxOutside {
		return []string{"*"}
	}
	out := make([]string, 0, len(res.outside))
	for d := range res.outside {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

func newResolver(r *reader, rs *runState) *resolver {
	res := &resolver{r: r, rs: rs, comps: rs.components(), ruleCWE: map[*rule][]string{}, uris: map[uriRef]string{}}
	res.roots = r.roots
	for _, c := range res.comps {
		c.byID = make(map[string]int, len(c.rules))
		for i := len(c.rules) - 1; i >= 0; i-- { // the first of duplicate ids wins
			if c.rules[i].id != "" {
				c.byID[c.rules[i].id] = i
			}
		}
	}
	for _, o := range rs.overrides {
		if ru := res.lookup(o.desc, -1, o.desc.id, ""); ru != nil {
			if res.overrides == nil {
				res.overrides = map[*rule]string{}
			}
			res.overrides[ru] = o.level
		}
	}
	for _, b := range rs.bases {
		if n := normalize(b.uri); b.base == "" && isAbs(n) {
			res.baseRoots = append(res.baseRoots, strings.TrimSuffix(n, "/"))
		}
	}
	return res
}

// components lists the driver then the extensions.
func (rs *runState) components() []*component {
	out := []*component{&rs.driver}
	for i := range rs.extensions {
		out = append(out, &rs.extensions[i])
	}
	return out
}

// component finds the tool component a reference names (the driver when
// it names none); nil when it names one that does not exist.
func (rs *runState) component(c compRef) *component {
	if !c.set {
		return &rs.driver
	}
	if c.index >= 0 {
		if c.index < len(rs.extensions) {
			return &rs.extensions[c.index]
		}
		return nil
	}
	for _, comp := range rs.components() {
		if c.guid != "" && strings.EqualFold(comp.guid, c.guid) || c.guid == "" && c.name != "" && comp.name == c.name {
			return comp
		}
	}
	return nil
}

// lookup finds a rule by index (ruleIndex, else the reference's index) in
// the referenced component, else by id (a hierarchical id "a/b" also
// finds rule "a") in it, else in any component.
func (res *resolver) lookup(t ref, ruleIndex int, id, at string) *rule {
	comp := res.rs.component(t.comp)
	idx := ruleIndex
	if idx < 0 {
		idx = t.index
	}
	if comp != nil && idx >= 0 {
		if idx < len(comp.rules) {
			return &comp.rules[idx]
		}
		if at != "" {
			res.r.note("ruleindexrange", at, "rule index %d is out of range (%d rules); the rule is looked up by id", idx, len(comp.rules))
		}
	}
	if id == "" {
		return nil
	}
	if comp != nil {
		if ru := findRule(comp, id); ru != nil {
			return ru
		}
	}
	for _, c := range res.comps {
		if ru := findRule(c, id); ru != nil {
			return ru
		}
	}
	return nil
}

// findRule finds a rule of c by id; a hierarchical id "a/b" also finds "a".
func findRule(c *component, id string) *rule {
	for cand := id; ; {
		if i, ok := c.byID[cand]; ok {
			return &c.rules[i]
		}
		j := strings.LastIndexByte(cand, '/')
		if j <= 0 {
			return nil
		}
		cand = cand[:j]
	}
}

// result resolves x into out.
func (res *resolver) result(x *raw, out *Result, i int) {
	r := res.r
	at := ""
	if x.ruleIndex >= 0 || x.rule.index >= 0 {
		at = fmt.Sprintf("$.runs[%d].results[%d]", res.rs.index, i)
	}
	ruleID := x.ruleID
	if ruleID == "" {
		ruleID = x.rule.id
	}
	ru := res.lookup(x.rule, x.ruleIndex, ruleID, at)
	if ruleID == "" && ru != nil {
		ruleID = ru.id
	}
	if ruleID == "" {
		r.note("noruleid", fmt.Sprintf("$.runs[%d].results[%d]", res.rs.index, i), "a result has no ruleId, ruleIndex or rule; its rule id is empty")
	}
	out.RuleID = ruleID
	out.Message = x.message
	out.Line = x.line
	out.Suppressed = x.suppressed
	out.BaselineState = x.baseline

	// Level: the result's, none for a kind other than fail, the rule's
	// configuration override, the rule's default, else warning.
	problem := x.kind == "" || x.kind == "fail"
	out.OtherKind = !problem
	level := ""
	if x.level != "" {
		if l, ok := levelOf(x.level); ok {
			level = l
		} else {
			r.note("badlevel", fmt.Sprintf("$.runs[%d].results[%d].level", res.rs.index, i), "level %q is not error, warning, note or none; ignored", x.level)
		}
	}
	if level == "" && !problem {
		level = "none"
	}
	if level == "" && ru != nil {
		if l, ok := res.overrides[ru]; ok && levelSeverity[l] != "" {
			level = l
		} else if levelSeverity[ru.level] != "" {
			level = ru.level
		}
	}
	if level == "" {
		level = "warning"
	}
	out.Level = level

	// Severity: info for a kind other than fail (a pass, a review … is not
	// a problem, whatever its rule's severity), else security-severity of
	// the result, else of the rule, else the level; then the override.
	sev := x.sev
	if !sev.has && ru != nil {
		sev = ru.sev
	}
	score := sev.score
	switch {
	case !problem:
		out.Severity = levelSeverity["none"]
	case !sev.has:
		out.Severity = levelSeverity[level]
	case sev.word != "":
		out.Severity = sev.word
	case score >= 9:
		out.Severity = "critical"
	case score >= 7:
		out.Severity = "high"
	case score >= 4:
		out.Severity = "medium"
	case score > 0:
		out.Severity = "low"
	default:
		out.Severity = "info"
	}
	if s, ok := r.o.Overrides[ruleID]; ok && s != "" && problem {
		out.Severity = s
	}

	// CWEs: result tags, result taxa, rule tags, rule relationships, each
	// once in that order; the first is the finding's CWE.
	var rc []string
	if ru != nil {
		c, ok := res.ruleCWE[ru]
		if !ok {
			c = slices.Clip(res.taxaCWEs(ru.rels, slices.Clone(ru.cwes)))
			res.ruleCWE[ru] = c
		}
		rc = c
	}
	out.CWEs = rc // shared by the results of the rule: read only
	if len(x.cwes) > 0 || len(x.taxa) > 0 {
		own := res.taxaCWEs(x.taxa, slices.Clone(x.cwes))
		for _, c := range rc {
			own = addCWE(own, c)
		}
		out.CWEs = own
	}
	out.CWE = ""
	if len(out.CWEs) > 0 {
		out.CWE = out.CWEs[0]
	}

	if u, ok := res.uris[x.loc]; ok {
		out.URI = u
	} else {
		out.URI = res.r.intern(res.uri(x.loc, i))
		res.uris[x.loc] = out.URI
	}
	text := x.snippet
	if !x.hasSnippet {
		text = fnv64(x.message)
	}
	out.ContentHash = fact.Hash{Sum: contentHash(ruleID, out.URI, text)}
	out.Fingerprint = x.fp
}

// taxaCWEs appends to cwes the CWEs among taxa references.
func (res *resolver) taxaCWEs(refs []ref, cwes []string) []string {
	for _, t := range refs {
		id, name := t.id, t.comp.name
		if t.comp.set && t.comp.index >= 0 && t.comp.index < len(res.rs.taxonomies) {
			tax := res.rs.taxonomies[t.comp.index]
			if name == "" {
				name = tax.name
			}
			if id == "" && t.index >= 0 && t.index < len(tax.taxa) {
				id = tax.taxa[t.index]
			}
		}
		if id == "" {
			continue
		}
		if c := cweOf(id); c != "" {
			cwes = addCWE(cwes, c)
			continue
		}
		if strings.EqualFold(name, "CWE") {
			if n, err := strconv.Atoi(id); err == nil && n > 0 && n < 1e7 {
				cwes = addCWE(cwes, "CWE-"+strconv.Itoa(n))
			}
		}
	}
	return cwes
}

// MaxCWEs is the most CWEs kept of one result: real tools give a few; a
// log giving thousands would otherwise multiply every finding's size.
const MaxCWEs = 16

// addCWE appends c to cwes unless it is empty, already there, or cwes
// holds MaxCWEs.
func addCWE(cwes []string, c string) []string {
	if c == "" || len(cwes) >= MaxCWEs || slices.Contains(cwes, c) {
		return cwes
	}
	return append(cwes, c)
}

// cweOf reads a CWE from a tag: CWE-79, cwe_79, external/cwe/cwe-079.
func cweOf(s string) string {
	for i := 0; i+3 <= len(s); i++ {
		if !strings.EqualFold(s[i:i+3], "cwe") {
			continue
		}
		j := i + 3
		if j < len(s) && (s[j] == '-' || s[j] == '_' || s[j] == ':' || s[j] == ' ' || s[j] == '/') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j && k-j <= 7 {
			n, _ := strconv.Atoi(s[j:k])
			if n > 0 {
				return "CWE-" + strconv.Itoa(n)
			}
		}
	}
	return ""
}

// uri resolves an artifact location to a normalised URI: through the run's
// artifacts (by index) and originalUriBaseIds, relative to the repository
// root when it is an absolute path under a known root.
func (res *resolver) uri(u uriRef, i int) string {
	if u.uri == "" && u.index >= 0 {
		if u.index < len(res.rs.artifacts) {
			a := res.rs.artifacts[u.index]
			if a.base == "" {
				a.base = u.base
			}
			u = a
		} else {
			res.r.note("artifactindex", fmt.Sprintf("$.runs[%d].results[%d]", res.rs.index, i), "artifact index %d is out of range (%d artifacts); the location has no URI", u.index, len(res.rs.artifacts))
		}
	}
	if u.uri == "" {
		return ""
	}
	n := normalize(u.uri)
	if hasScheme(n) {
		return n
	}
	if isAbs(n) {
		return res.relative(n)
	}
	base := u.base
	for depth := 0; base != "" && depth < 8; depth++ {
		b, ok := res.rs.bases[base]
		if !ok {
			if len(res.rs.bases) > 0 {
				res.r.note("unknownbase", fmt.Sprintf("$.runs[%d].originalUriBaseIds", res.rs.index), "uriBaseId %q is not defined; its URIs are taken as relative to the repository root", base)
			}
			break
		}
		bn := normalize(b.uri)
		if hasScheme(bn) {
			return join(bn, n)
		}
		if isAbs(bn) {
			if rel, ok := res.under(join(bn, n)); ok {
				return rel
			}
			break
		}
		n = join(bn, n)
		base = b.base
	}
	return n
}

// relative makes an absolute path relative to the first known root it is under.
func (res *resolver) relative(abs string) string {
	if rel, ok := res.under(abs); ok {
		return rel
	}
	return abs
}

// ciRoot matches the workspace of GitHub-hosted and container runners.
var ciRoot = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(/home/runner/work/[^/]+/[^/]+|/__w/[^/]+/[^/]+|/github/workspace|[A-Za-z]:/a/[^/]+/[^/]+)/`)
})

// under makes abs relative to the repository root: a root given in
// Options, else a CI runner's workspace, else an absolute base URI of the run.
func (res *resolver) under(abs string) (string, bool) {
	for _, root := range res.roots {
		if strings.HasPrefix(abs, root+"/") {
			return abs[len(root)+1:], true
		}
	}
	if len(res.outside) <= maxOutside {
		if res.outside == nil {
			res.outside = map[string]bool{}
		}
		res.outside[path.Dir(abs)] = true
	}
	if m := ciRoot().FindString(abs); m != "" {
		return abs[len(m):], true
	}
	for _, root := range res.baseRoots {
		if strings.HasPrefix(abs, root+"/") {
			return abs[len(root)+1:], true
		}
	}
	return "", false
}

// normalize writes a URI as a clean slash path: file:// and percent
// escapes removed, backslashes made slashes, ./ and .. resolved, a drive
// letter kept as C:/. URIs with another scheme (https:) are kept as given.
func normalize(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsRune(s, '\\') {
		s = strings.ReplaceAll(s, "\\", "/")
	}
	if len(s) >= 5 && strings.EqualFold(s[:5], "file:") {
		s = s[5:]
		if strings.HasPrefix(s, "//") {
			rest := s[2:]
			j := strings.IndexByte(rest, '/')
			if j < 0 {
				j = len(rest)
			}
			if host := rest[:j]; host == "" || strings.EqualFold(host, "localhost") {
				s = rest[j:]
			} else if len(host) == 2 && host[1] == ':' {
				s = rest // file://C:/x
			}
		}
	} else if hasScheme(s) {
		return s
	}
	if strings.ContainsRune(s, '%') {
		if d, err := url.PathUnescape(s); err == nil {
			s = d
		}
	}
	if len(s) >= 3 && s[0] == '/' && isDrive(s[1:]) {
		s = s[1:]
	}
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "//") { // a UNC path keeps its two slashes
		return "/" + path.Clean(s[1:])
	}
	c := path.Clean(s)
	if c == "." {
		return ""
	}
	return c
}

func isDrive(s string) bool {
	return len(s) >= 2 && s[1] == ':' && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') && (len(s) == 2 || s[2] == '/')
}

func isAbs(s string) bool { return strings.HasPrefix(s, "/") || isDrive(s) }

// hasScheme reports a URI with a scheme other than file (and not a drive letter).
func hasScheme(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 2 {
		return false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return !strings.EqualFold(s[:i], "file")
}

// join puts a relative path under a base path or URI.
func join(base, rel string) string {
	if base == "" {
		return rel
	}
	if rel == "" {
		return strings.TrimSuffix(base, "/")
	}
	if hasScheme(base) {
		return strings.TrimSuffix(base, "/") + "/" + rel
	}
	return path.Clean(base + "/" + rel)
}

// FNV-1a, 64 bits: stable across runs and machines.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// fnv64 hashes a string.
func fnv64(s string) uint64 { return fnvAdd(fnvOffset, s) }

// pairHash hashes two strings with a separator between them.
func pairHash(a, b string) uint64 { return fnvAdd(fnvAdd(fnvOffset, a)*fnvPrime, b) }

// contentHash is a result's content hash: of its rule id, its URI and the
// hash of its snippet (else its message).
func contentHash(ruleID, uri string, text uint64) uint64 {
	h := fnvAdd(fnvAdd(fnvOffset, ruleID)*fnvPrime, uri) * fnvPrime
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], text)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}
