// Package owasp maps CWEs to the categories of the OWASP Top 10, 2021 and
// 2025 editions, from OWASP's own lists (the "List of Mapped CWEs" of
// each category page). The table is embedded: OWASP Top 10, © OWASP
// Foundation, CC BY-SA 4.0; its source and licence are in NOTICE.md and
// docs/policy.md.
package owasp

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// table is owasp-top10-cwe.tsv: edition, category, title, cwe.
//
//go:embed owasp-top10-cwe.tsv
var table string

// The editions the table holds.
const (
	Edition2021 = "2021"
	Edition2025 = "2025"
)

// Attribution is the credit line to print wherever the categories appear.
const Attribution = "OWASP Top 10 (2021, 2025) CWE mappings © OWASP Foundation, CC BY-SA 4.0 (https://owasp.org/Top10/)"

// Category is one category of one edition.
type Category struct {
	Edition string // "2021" or "2025"
	ID      string // "A01" … "A10"
	Name    string // e.g. "Broken Access Control"
}

// String is the id and name, e.g. "A01 Broken Access Control".
func (c Category) String() string { return c.ID + " " + c.Name }

type edition struct {
	all  []Category      // the ten, in order
	cwes [][]int         // per category, in the table's order
	by   map[int][]uint8 // CWE → indexes into all, in order
}

var editions = sync.OnceValue(func() map[string]*edition { return mustLoad(table) })

// mustLoad parses the embedded table; the package's tests check that it
// loads, so a failure here is a broken build.
func mustLoad(s string) map[string]*edition {
	m, err := load(s)
	if err != nil {
		panic("owasp-top10-cwe.tsv: " + err.Error())
	}
	return m
}

func load(s string) (map[string]*edition, error) {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "edition\tcategory\ttitle\tcwe" {
		return nil, fmt.Errorf("line 1: want the header edition, category, title, cwe")
	}
	m := map[string]*edition{Edition2021: {by: map[int][]uint8{}}, Edition2025: {by: map[int][]uint8{}}}
	for i, line := range lines[1:] {
		n := i + 2
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: %d columns, want 4", n, len(f))
		}
		ed := m[f[0]]
		if ed == nil {
			return nil, fmt.Errorf("line %d: edition %q, want 2021 or 2025", n, f[0])
		}
		k, err := strconv.Atoi(strings.TrimPrefix(f[1], "A"))
		if err != nil || len(f[1]) != 3 || f[1][0] != 'A' || k < 1 || k > 10 {
			return nil, fmt.Errorf("line %d: category %q, want A01 … A10", n, f[1])
		}
		switch {
		case k == len(ed.all)+1:
			ed.all = append(ed.all, Category{Edition: f[0], ID: f[1], Name: f[2]})
			ed.cwes = append(ed.cwes, nil)
		case k != len(ed.all) || ed.all[k-1].Name != f[2]:
			return nil, fmt.Errorf("line %d: %s %s %q out of order or renamed", n, f[0], f[1], f[2])
		}
		cwe, ok := ParseCWE(f[3])
		if !ok || f[3] != "CWE-"+strconv.Itoa(cwe) {
			return nil, fmt.Errorf("line %d: CWE %q, want CWE-<number>", n, f[3])
		}
		if slices.Contains(ed.by[cwe], uint8(k-1)) {
			return nil, fmt.Errorf("line %d: %s listed twice in %s %s", n, f[3], f[0], f[1])
		}
		ed.by[cwe] = append(ed.by[cwe], uint8(k-1))
		ed.cwes[k-1] = append(ed.cwes[k-1], cwe)
	}
	for _, name := range Editions() { // in order: the first short edition is named
		if ed := m[name]; len(ed.all) != 10 {
			return nil, fmt.Errorf("edition %s has %d categories, want 10", name, len(ed.all))
		}
	}
	return m, nil
}

// Editions returns the editions known, oldest first.
func Editions() []string { return []string{Edition2021, Edition2025} }

// All returns the ten categories of an edition, A01 first; nil for an
// unknown edition.
func All(edition string) []Category {
	ed := editions()[edition]
	if ed == nil {
		return nil
	}
	return slices.Clone(ed.all)
}

// Categories returns the categories of an edition that a CWE maps to, in
// category order: none, one, or several (a CWE can sit in more than one).
func Categories(edition string, cwe int) []Category {
	ed := editions()[edition]
	if ed == nil {
		return nil
	}
	idx := ed.by[cwe]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Category, len(idx))
	for i, k := range idx {
		out[i] = ed.all[k]
	}
	return out
}

// CWEs returns the CWEs OWASP maps to a category (e.g. "A03") of an
// edition, in OWASP's order; nil for an unknown edition or category.
func CWEs(edition, id string) []int {
	ed := editions()[edition]
	if ed == nil {
		return nil
	}
	for i, c := range ed.all {
		if c.ID == id {
			return slices.Clone(ed.cwes[i])
		}
	}
	return nil
}

// ParseCWE reads a CWE id in the form collect/sarif normalises them to,
// "CWE-79" (any case; leading zeros are ignored, as CWE numbers compare
// without them). It reports false for anything else, and for 0.
func ParseCWE(s string) (int, bool) {
	if len(s) < 5 || !strings.EqualFold(s[:4], "CWE-") {
		return 0, false
	}
	d := strings.TrimLeft(s[4:], "0")
	if d == "" || len(d) > 7 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
		n = n*10 + int(d[i]-'0')
	}
	return n, true
}
