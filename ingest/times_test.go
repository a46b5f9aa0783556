package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/data"
)

// Scans and CI runs dated before 1970 or in the future are refused, and
// nothing of their batch is written.
func TestIngestTimesAreBounded(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	sarifAt := func(start, end string) string {
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]},{"tool":{"driver":{"name":"t"}},"invocations":[{"startTimeUtc":"` + start + `","endTimeUtc":"` + end + `"}],"results":[]}]}`
	}
	sc := Scan{SHA: strings.Repeat("a", 40), Ref: "main", ScanType: "full", Now: now}
	dir := t.TempDir()
	s, err := data.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	stage := func(files []*SARIF, sc Scan) error {
		_, err := s.Update(context.Background(), "x", data.WriteOptions{}, func(tx *data.Tx) error {
			_, err := StageSARIF(tx, files, sc)
			return err
		})
		return err
	}
	ok, _ := CheckSARIF("ok.sarif", []byte(sarifAt("2026-03-04T09:00:00Z", "2026-03-04T09:05:00Z")), "")
	for _, tt := range []struct {
		doc, at, want string
	}{
		{sarifAt("2026-03-04T09:00:00Z", "9999-12-31T23:59:59Z"), "", "late.sarif: $.runs[1].invocations: endTimeUtc 9999-12-31T23:59:59Z is in the future"},
		{sarifAt("0000-01-01T00:00:00Z", "2026-03-04T09:00:00Z"), "", "late.sarif: $.runs[1].invocations: startTimeUtc 0000-01-01T00:00:00Z is before 1970"},
		{sarifAt("2026-03-04T10:04:00Z", "2026-03-04T10:06:00Z"), "", "endTimeUtc 2026-03-04T10:06:00Z is in the future"},
		{`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`, "2100-01-01T00:00:00Z", "--at: 2100-01-01T00:00:00Z is in the future"},
		{`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`, "1969-07-20T20:17:00Z", "--at: 1969-07-20T20:17:00Z is before 1970"},
	} {
		f, err := CheckSARIF("late.sarif", []byte(tt.doc), "")
		if err != nil {
			t.Fatal(err)
		}
		sc := sc
		sc.At = tt.at
		if err := stage([]*SARIF{ok, f}, sc); err == nil || !strings.Contains(asFlags(err), tt.want) {
			t.Errorf("err = %v, want %q", err, tt.want)
		}
	}
	if got := snapshotNames(t, dir); got != "" {
		t.Errorf("refused batches wrote %s", got)
	}
	// Within 5 minutes of now is a clock's drift: stored.
	f, _ := CheckSARIF("drift.sarif", []byte(sarifAt("2026-03-04T10:00:00Z", "2026-03-04T10:04:59Z")), "")
	if err := stage([]*SARIF{f}, sc); err != nil {
		t.Errorf("a scan 5 minutes ahead: %v", err)
	}
	// A commit dated in the future files nothing there.
	sc.CommitTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	f, _ = CheckSARIF("notime.sarif", []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"u"}},"results":[]}]}`), "")
	var out []Outcome
	if _, err := s.Update(context.Background(), "x", data.WriteOptions{}, func(tx *data.Tx) error {
		var err error
		out, err = StageSARIF(tx, []*SARIF{f}, sc)
		return err
	}); err != nil || !strings.HasPrefix(out[0].Path, "scans/2026/03/") {
		t.Errorf("a scan of a commit dated 2100: %+v, %v; want it filed by now", out, err)
	}
}

func snapshotNames(t *testing.T, dir string) string {
	t.Helper()
	s, err := data.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(files, " ")
}

func TestCIRunTimesAreBounded(t *testing.T) {
	defer func(f func() time.Time) { data.Now = f }(data.Now)
	data.Now = func() time.Time { return time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC) }
	run := func(stepEnd string) []ci.Run {
		d, err := ci.Parse([]byte(`{"id": 7, "head_sha": "` + strings.Repeat("a", 40) + `", "status": "completed", "run_started_at": "2026-03-04T09:00:00Z", "updated_at": "2026-03-04T09:10:00Z",
 "jobs": [{"id": 70, "run_id": 7, "name": "scan", "started_at": "2026-03-04T09:01:00Z", "completed_at": "2026-03-04T09:09:00Z",
  "steps": [{"name": "Run Semgrep", "started_at": "2026-03-04T09:02:00Z", "completed_at": "` + stepEnd + `"}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return d.Runs
	}
	dir := t.TempDir()
	s, err := data.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	stage := func(runs []ci.Run) error {
		_, err := s.Update(context.Background(), "x", data.WriteOptions{}, func(tx *data.Tx) error {
			_, err := StageCI(tx, runs)
			return err
		})
		return err
	}
	if err := stage(run("9999-12-31T00:00:00Z")); err == nil || err.Error() != "run 7: job 70 (scan): step 1 (Run Semgrep): completed_at 9999-12-31T00:00:00Z is in the future (now is 2026-03-04T10:00:00Z)" {
		t.Errorf("a step completed in 9999: %v", err)
	}
	if got := snapshotNames(t, dir); got != "" {
		t.Errorf("a refused run wrote %s", got)
	}
	if err := stage(run("2026-03-04T09:05:00Z")); err != nil {
		t.Errorf("a good run: %v", err)
	}
}
