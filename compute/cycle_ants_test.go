package compute

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/ingest"
)

// sourcesCorpus is ../shared/corpus/sources from the repository root.
const sourcesCorpus = "../../shared/corpus/sources"

// devLakePages makes, of a DevLake raw-table CSV, the pages a user would
// have saved with gh api: the rows' data (one list item each) gathered
// into one JSON array per page requested (url and input), with the pull
// its input names (a commits page does not say).
func devLakePages(t *testing.T, rel string) (pages [][]byte, pulls []int64) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sourcesCorpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var order []string
	items := map[string][]string{}
	pull := map[string]int64{}
	for _, row := range rows[1:] {
		k := row[col["url"]] + "\x00" + row[col["input"]]
		if _, ok := items[k]; !ok {
			order = append(order, k)
		}
		items[k] = append(items[k], row[col["data"]])
		var in struct{ Number int64 }
		_ = json.Unmarshal([]byte(row[col["input"]]), &in)
		pull[k] = in.Number
	}
	for _, k := range order {
		pages = append(pages, []byte("["+strings.Join(items[k], ",\n")+"]"))
		pulls = append(pulls, pull[k])
	}
	return pages, pulls
}

// The coding, pickup and review stages of DevLake's recorded pull
// requests of panjf2000/ants, imported (each page as the user saved it,
// commits with the pull they belong to), stored in events/pulls, read
// back by collect and computed here, are the values collect/imports'
// TestCycleAnts works out by hand from the same rows:
//
//	#41 coding 2m27s, pickup 5h55m28s, review 1h35m24s;
//	#51 coding 6m28s, pickup 3h21m13s, review 12h52m56s;
//	#53 coding 38h14m40s, pickup 8h39m06s, review 48h2m53s;
//	#4  none known (its commit postdates its opening; no review).
func TestCycleAntsThroughCompute(t *testing.T) {
	if _, err := os.Stat(sourcesCorpus); err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", sourcesCorpus, err)
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var files []ingest.ImportFile
	for _, rel := range []string{
		"github-pulls/devlake__raw_github_api_pull_requests.csv",
		"github-pulls/devlake__raw_github_api_pull_request_reviews.csv",
		"github-pulls/devlake__raw_github_api_pull_request_commits.csv",
	} {
		pages, pulls := devLakePages(t, rel)
		for i, p := range pages {
			b, err := imports.Parse(imports.GitHubPulls, rel, p, imports.Options{Now: now, Pull: pulls[i]})
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, ingest.ImportFile{Name: rel, Batch: b})
		}
	}
	in := ingest.NewImport(imports.GitHubPulls, files)
	in.Production = "production"
	dir := t.TempDir()
	store, err := data.Open(".", dir)
	if err != nil {
		t.Fatal(err)
	}
	var rep *ingest.ImportReport
	if _, err := store.Update(context.Background(), "import", data.WriteOptions{}, func(tx *data.Tx) error {
		rep, err = ingest.StageImport(tx, in)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(rep.Written) != 49 || len(rep.Skipped)+len(rep.Rejected) != 0 {
		t.Fatalf("import: %d written (want the 49 pulls), skipped %q, rejected %q", len(rep.Written), rep.Skipped, rep.Rejected)
	}
	rows, probs, err := store.Pulls()
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	byNumber := map[int64]PullCycle{}
	for _, p := range collect.PullFacts(rows) {
		byNumber[p.Number] = CycleOf(p)
	}
	d := func(s string) *time.Duration {
		if s == "" {
			return nil
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	for _, tc := range []struct {
		number int64
		want   PullCycle
	}{
		{41, PullCycle{Coding: d("2m27s"), Pickup: d("5h55m28s"), Review: d("1h35m24s")}},
		{51, PullCycle{Coding: d("6m28s"), Pickup: d("3h21m13s"), Review: d("12h52m56s")}},
		{53, PullCycle{Coding: d("38h14m40s"), Pickup: d("8h39m6s"), Review: d("48h2m53s")}},
		{4, PullCycle{}},
	} {
		got, ok := byNumber[tc.number]
		if !ok {
			t.Errorf("no pull #%d", tc.number)
			continue
		}
		for _, s := range []string{StageCoding, StagePickup, StageReview} {
			g, w := got.Stage(s), tc.want.Stage(s)
			switch {
			case (g == nil) != (w == nil):
				t.Errorf("#%d %s = %v, want %v", tc.number, s, g, w)
			case g != nil && *g != *w:
				t.Errorf("#%d %s = %v, want %v", tc.number, s, *g, *w)
			}
		}
	}
}
