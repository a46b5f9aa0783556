package compute

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/owasp"
)

// corpusTable reads the shared corpus's OWASP table (not gitdora's
// embedded copy): edition → CWE number → category ids.
func corpusTable(t *testing.T) map[string]map[int][]string {
	t.Helper()
	b, err := os.ReadFile("../../shared/corpus/taxonomies/owasp-top10-cwe.tsv")
	if err != nil {
		t.Skipf("corpus not found (../shared/corpus/taxonomies from the repository root): %v", err)
	}
	out := map[string]map[int][]string{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(f[3], "CWE-"))
		if err != nil || len(f) != 4 {
			t.Fatalf("table line %d: %q", i+1, line)
		}
		if out[f[0]] == nil {
			out[f[0]] = map[int][]string{}
		}
		out[f[0]][n] = append(out[f[0]][n], f[1])
	}
	return out
}

// The three ways scanners write CWEs, read here as each tool writes
// them, independently of collect/sarif.
var (
	codeqlTag  = regexp.MustCompile(`^external/cwe/cwe-0*(\d+)$`) // CodeQL: external/cwe/cwe-079
	semgrepTag = regexp.MustCompile(`^CWE-0*(\d+): `)             // Semgrep: "CWE-284: Improper Access Control"
)

type corpusLogJSON struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID            string `json:"id"`
					Relationships []struct {
						Target struct {
							ID            string `json:"id"`
							ToolComponent struct {
								Name string `json:"name"`
							} `json:"toolComponent"`
						} `json:"target"`
					} `json:"relationships"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
		} `json:"results"`
	} `json:"runs"`
}

// expectedOWASP counts a log's results (none of the three logs has a
// suppressed, absent or info result, so each is an open finding of
// severity low or above) by the categories of the table that their rule's
// CWEs map to, once per category; first keeps only each rule's first CWE.
func expectedOWASP(t *testing.T, log string, table map[string]map[int][]string, first bool) (map[string]OWASPCounts, int) {
	t.Helper()
	var doc corpusLogJSON
	if err := json.Unmarshal([]byte(log), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]OWASPCounts{}
	for ed := range table {
		out[ed] = OWASPCounts{}
		for i := 1; i <= 10; i++ {
			out[ed][fmt.Sprintf("A%02d", i)] = 0
		}
	}
	withCWE := 0
	for _, run := range doc.Runs {
		cwes := map[string][]int{}
		for _, r := range run.Tool.Driver.Rules {
			var ns []int
			add := func(s string) {
				n, _ := strconv.Atoi(s)
				if !slices.Contains(ns, n) {
					ns = append(ns, n)
				}
			}
			for _, tag := range r.Properties.Tags {
				if m := codeqlTag.FindStringSubmatch(tag); m != nil {
					add(m[1])
				} else if m := semgrepTag.FindStringSubmatch(tag); m != nil {
					add(m[1])
				}
			}
			for _, rel := range r.Relationships { // flawfinder
				if rel.Target.ToolComponent.Name == "CWE" {
					add(strings.TrimPrefix(rel.Target.ID, "CWE-"))
				}
			}
			if first && len(ns) > 1 {
				ns = ns[:1]
			}
			cwes[r.ID] = ns
		}
		for _, res := range run.Results {
			id := res.RuleID
			if id == "" && res.RuleIndex != nil {
				id = run.Tool.Driver.Rules[*res.RuleIndex].ID
			}
			if len(cwes[id]) > 0 {
				withCWE++
			}
			for ed, byCWE := range table {
				seen := map[string]bool{}
				for _, n := range cwes[id] {
					for _, cat := range byCWE[n] {
						if !seen[cat] {
							seen[cat] = true
							out[ed][cat]++
						}
					}
				}
			}
		}
	}
	return out, withCWE
}

// TestOWASPFromCorpus reads three real logs whose CWEs are written three
// ways (CodeQL's tags, Semgrep's tag strings, flawfinder's rule
// relationships) as one trunk scan each, and checks owasp_top10 at the end
// of the month against a count made straight from the table: every CWE
// of a finding counts, each category once.
func TestOWASPFromCorpus(t *testing.T) {
	table := corpusTable(t)
	multi := 0 // logs where a finding's later CWEs add a category
	for _, name := range []string{"dd_codeql-2.5.4.sarif", "wild_megalinter_semgrep-0.103.sarif", "gen_flawfinder-2.0.19_curl-8.21.0.sarif"} {
		t.Run(name, func(t *testing.T) {
			log := corpusLog(t, name)
			want, withCWE := expectedOWASP(t, log, table, false)
			firstOnly, _ := expectedOWASP(t, log, table, true)
			if withCWE == 0 {
				t.Fatalf("no result of %s has a CWE the oracle reads", name)
			}
			if !reflect.DeepEqual(want, firstOnly) {
				multi++
			}
			f := factsOf(t, scanOf{at: t1, log: log})
			cfg := config.Default()
			cfg.Trunk = "main"
			m := NewHistory(f, cfg, time.UTC).Period(mustMonth(t, "2026-01"))
			if got := m.Vulnerabilities.OWASPTop10; !reflect.DeepEqual(got, want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want)
				t.Errorf("owasp_top10 = %s\nwant (from the table) %s", gj, wj)
			}
			t.Logf("%d results with a CWE; 2021: %v", withCWE, want["2021"])
		})
	}
	if multi == 0 && !t.Skipped() {
		t.Error("in no log does counting only the first CWE change the counts: the test would not see a reader that drops the others")
	}
}

// The row lists of the OWASP figures, named from the ids alone, are the
// categories of the table, each at its index.
func TestOWASPListsNameTheCategories(t *testing.T) {
	for k, ed := range editions {
		all := owasp.All(ed)
		if len(all) != len(owaspLists[k]) {
			t.Fatalf("%s: %d categories, %d lists", ed, len(all), len(owaspLists[k]))
		}
		for _, cat := range all {
			if got, want := owaspLists[k][categoryIndex(cat.ID)], "vulnerabilities.owasp_top10."+ed+"."+cat.ID; got != want {
				t.Errorf("%s %s: list %q, want %q", ed, cat.ID, got, want)
			}
		}
	}
}
