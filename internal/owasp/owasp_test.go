package owasp

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestAll(t *testing.T) {
	if got := Editions(); !slices.Equal(got, []string{"2021", "2025"}) {
		t.Fatalf("Editions() = %q", got)
	}
	names := map[string][]string{
		"2021": {"Broken Access Control", "Cryptographic Failures", "Injection", "Insecure Design",
			"Security Misconfiguration", "Vulnerable and Outdated Components",
			"Identification and Authentication Failures", "Software and Data Integrity Failures",
			"Security Logging and Monitoring Failures", "Server-Side Request Forgery (SSRF)"},
		"2025": {"Broken Access Control", "Security Misconfiguration", "Software Supply Chain Failures",
			"Cryptographic Failures", "Injection", "Insecure Design", "Authentication Failures",
			"Software or Data Integrity Failures", "Security Logging and Alerting Failures",
			"Mishandling of Exceptional Conditions"},
	}
	// CWEs per category, counted by hand in OWASP's lists.
	counts := map[string][]int{
		"2021": {34, 30, 33, 40, 20, 3, 22, 10, 4, 1},
		"2025": {40, 16, 6, 32, 37, 39, 36, 14, 5, 24},
	}
	for _, ed := range Editions() {
		all := All(ed)
		if len(all) != 10 {
			t.Fatalf("All(%s): %d categories", ed, len(all))
		}
		for i, c := range all {
			id := "A" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
			if c.Edition != ed || c.ID != id || c.Name != names[ed][i] {
				t.Errorf("All(%s)[%d] = %+v, want %s %s", ed, i, c, id, names[ed][i])
			}
			if n := len(CWEs(ed, c.ID)); n != counts[ed][i] {
				t.Errorf("%s %s: %d CWEs, want %d", ed, c.ID, n, counts[ed][i])
			}
		}
		all[0].Name = "changed"
		if All(ed)[0].Name == "changed" {
			t.Error("All returns the package's own slice")
		}
	}
	if All("2017") != nil || CWEs("2017", "A01") != nil || CWEs("2021", "A11") != nil {
		t.Error("an unknown edition or category gives something")
	}
	if got := All("2021")[9].String(); got != "A10 Server-Side Request Forgery (SSRF)" {
		t.Errorf("String() = %q", got)
	}
	if got := CWEs("2021", "A06"); !slices.Equal(got, []int{937, 1035, 1104}) {
		t.Errorf("CWEs(2021, A06) = %v", got)
	}
}

func TestCategories(t *testing.T) {
	for _, c := range []struct {
		edition string
		cwe     int
		want    []string
	}{
		{"2021", 79, []string{"A03"}},
		{"2025", 79, []string{"A05"}},
		{"2021", 89, []string{"A03"}},
		{"2021", 22, []string{"A01"}},
		{"2025", 22, []string{"A01"}},
		{"2021", 259, []string{"A02", "A07"}}, // in two categories of 2021
		{"2025", 259, []string{"A07"}},
		{"2021", 1104, []string{"A06"}},
		{"2025", 1104, []string{"A03"}},
		{"2021", 918, []string{"A10"}},
		{"2025", 918, []string{"A01"}},
		{"2021", 756, []string{"A05"}},
		{"2025", 756, []string{"A10"}},
		{"2021", 103, nil}, // only in 2025
		{"2025", 103, []string{"A05"}},
		{"2021", 0, nil},
		{"2021", 99999, nil},
		{"2017", 79, nil},
	} {
		var got []string
		for _, cat := range Categories(c.edition, c.cwe) {
			if cat.Edition != c.edition {
				t.Errorf("Categories(%s, %d): edition %s", c.edition, c.cwe, cat.Edition)
			}
			got = append(got, cat.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Categories(%s, CWE-%d) = %q, want %q", c.edition, c.cwe, got, c.want)
		}
	}
}

func TestParseCWE(t *testing.T) {
	for s, want := range map[string]int{"CWE-79": 79, "cwe-079": 79, "Cwe-1104": 1104, "CWE-0000022": 22} {
		if got, ok := ParseCWE(s); !ok || got != want {
			t.Errorf("ParseCWE(%q) = %d, %v, want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "CWE-", "CWE-0", "CWE-79x", "CWE 79", "79", "CWE-+79", "CWE--79", "CWE-12345678", "external/cwe/cwe-079"} {
		if got, ok := ParseCWE(s); ok {
			t.Errorf("ParseCWE(%q) = %d, want none", s, got)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "edition\tcategory\ttitle\tcwe\n"
	for _, c := range []struct{ table, want string }{
		{"edition,category\n", "line 1: want the header"},
		{head + "2021\tA01\tX\n", "line 2: 3 columns"},
		{head + "2017\tA01\tX\tCWE-1\n", `line 2: edition "2017"`},
		{head + "2021\tA11\tX\tCWE-1\n", `line 2: category "A11"`},
		{head + "2021\tA1\tX\tCWE-1\n", `line 2: category "A1"`},
		{head + "2021\tA02\tX\tCWE-1\n", "line 2: 2021 A02 \"X\" out of order"},
		{head + "2021\tA01\tX\tCWE-1\n2021\tA01\tY\tCWE-2\n", "line 3: 2021 A01 \"Y\" out of order or renamed"},
		{head + "2021\tA01\tX\tCWE-01\n", `line 2: CWE "CWE-01"`},
		{head + "2021\tA01\tX\tCWE-1\n2021\tA01\tX\tCWE-1\n", "line 3: CWE-1 listed twice"},
		{head + "2021\tA01\tX\tCWE-1\n", "has 1 categories, want 10"},
	} {
		_, err := load(c.table)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("load(%q) = %v, want %q", c.table, err, c.want)
		}
	}
}

// TestEmbeddedMatchesCorpus checks that the embedded copy is the shared
// corpus's table, byte for byte.
func TestEmbeddedMatchesCorpus(t *testing.T) {
	const corpus = "../../../shared/corpus/taxonomies/owasp-top10-cwe.tsv"
	b, err := os.ReadFile(corpus)
	if err != nil {
		t.Skipf("corpus not found (../shared/corpus/taxonomies from the repository root): %v", err)
	}
	if string(b) != table {
		t.Error("owasp-top10-cwe.tsv differs from the corpus's taxonomies/owasp-top10-cwe.tsv")
	}
}
