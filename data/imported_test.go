package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustTime(s string) Time {
	t, err := ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

func optTime(s string) OptTime { return OptTime{Time: mustTime(s), Valid: true} }

// An incidents file written before the service and source columns reads
// with them empty, and recording into it widens every row, changing no
// value.
func TestOlderIncidentFileReadsAndWidens(t *testing.T) {
	dir := t.TempDir()
	old := "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
		"i1,2026-01-05T10:00:00Z,,high,security,production,,,CWE-79,\"XSS, stored\"\n"
	if err := os.MkdirAll(filepath.Join(dir, IncidentsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, IncidentsDir, "2026-01.csv"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, ".", dir)
	got, probs, err := s.Incidents()
	if err != nil || len(probs) > 0 || len(got) != 1 {
		t.Fatalf("Incidents = %+v, %v, %v; want i1", got, probs, err)
	}
	if got[0].Title != "XSS, stored" || got[0].Source != "" || got[0].Service != "" {
		t.Errorf("i1 = %+v", got[0])
	}
	_, err = s.Update(context.Background(), "", WriteOptions{}, func(tx *Tx) error {
		_, err := tx.AppendIncident(Incident{ID: "pd-1", Opened: mustTime("2026-01-06T10:00:00Z"), Severity: "low", Category: "other", Environment: "production", Source: "pagerduty"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, IncidentsDir, "2026-01.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(IncidentHeader, ",") + "\n" +
		"i1,2026-01-05T10:00:00Z,,high,security,production,,,CWE-79,\"XSS, stored\",,\n" +
		"pd-1,2026-01-06T10:00:00Z,,low,other,production,,,,,,pagerduty\n"
	if string(b) != want {
		t.Errorf("file =\n%s\nwant\n%s", b, want)
	}
}

// A header that is no prefix of the columns (or shorter than the first
// gitdora wrote) is refused, file and line named; a row with the wrong number of fields costs that row only.
func TestEventHeaderMustBeAPrefix(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
		rows             int
	}{
		{"reordered", "id,resolved,opened\ni1,,2026-01-05T10:00:00Z\n", `header is "id,resolved,opened"`, 0},
		{"an unknown column", strings.Join(IncidentHeader, ",") + ",extra\n", "header is", 0},
		{"a header shorter than gitdora ever wrote", "id,opened,resolved,severity,category,environment\ni2,2026-01-05T10:00:00Z,,high,security,production\n", "header is", 0},
		{"a short row", "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\ni1,2026-01-05T10:00:00Z,,high,security,production,,,\ni2,2026-01-05T10:00:00Z,,high,security,production,,,,t\n", "has 9 fields, want 10", 1},
	} {
		rows, _, probs := decodeRows([]byte(tc.file), "f.csv", incidentRows)
		if len(rows) != tc.rows || len(probs) != 1 || !strings.Contains(probs[0].String(), tc.want) {
			t.Errorf("%s: %d rows, problems %v; want %d rows and %q", tc.name, len(rows), probs, tc.rows, tc.want)
		}
	}
}

// Pulls round-trip through their CSV; the ledger keeps, per id, the
// version updated last.
func TestPullsAndLedger(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, ".", dir)
	p := Pull{ID: "gh-pull-7", Number: 7, Opened: mustTime("2026-03-02T09:00:00Z"), Ready: optTime("2026-03-02T09:00:00Z"),
		FirstCommit: optTime("2026-03-01T18:00:00+01:00"), Merged: optTime("2026-03-03T10:00:00Z"),
		MergeSHA: strings.Repeat("ab", 20), Author: "octo, cat", Source: "github-pulls"}
	_, err := s.Update(context.Background(), "", WriteOptions{}, func(tx *Tx) error {
		if ok, err := tx.AppendPull(p); err != nil || !ok {
			t.Fatalf("AppendPull = %v, %v", ok, err)
		}
		if ok, err := tx.AppendPull(p); err != nil || ok {
			t.Fatalf("AppendPull again = %v, %v; want not added", ok, err)
		}
		for _, u := range []string{"2026-03-03T10:00:00Z", "2026-03-05T10:00:00Z", "2026-03-04T10:00:00Z"} {
			if err := tx.AppendImported(p.Opened.Time, Imported{ID: p.ID, Kind: KindPull, Updated: optTime(u), Repo: "o/r", AuthorID: "1"}); err != nil {
				t.Fatal(err)
			}
		}
		led, probs, err := tx.Imported()
		if err != nil || len(probs) > 0 {
			t.Fatal(err, probs)
		}
		if got := led[p.ID].Updated.String(); got != "2026-03-05T10:00:00Z" {
			t.Errorf("ledger updated = %s, want the latest, 2026-03-05T10:00:00Z", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, probs, err := s.Pulls()
	if err != nil || len(probs) > 0 || len(got) != 1 {
		t.Fatalf("Pulls = %+v, %v, %v", got, probs, err)
	}
	if g := got[0]; g.ID != p.ID || g.Number != 7 || g.FirstCommit.String() != "2026-03-01T18:00:00+01:00" || g.Author != "octo, cat" ||
		g.MergeSHA != p.MergeSHA || g.Approved.Valid || !g.Merged.Valid {
		t.Errorf("pull read back = %+v", g)
	}
	b, _ := os.ReadFile(filepath.Join(dir, PullsDir, "2026-03.csv"))
	if first, _, _ := strings.Cut(string(b), "\n"); first != "id,number,opened,ready,first_commit,first_review,approved,merged,merge_sha,head_sha,author,draft,source" {
		t.Errorf("header = %s", first)
	}
	bad := p
	bad.HeadSHA = "abc"
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "head_sha") {
		t.Errorf("Check of a short head_sha = %v", err)
	}
}
