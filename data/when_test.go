package data

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestCheckWhen(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{now, ""},
		{now.Add(MaxFuture), ""},
		{MinTime, ""},
		{now.Add(MaxFuture + time.Second), "2026-03-04T10:05:01Z is in the future (now is 2026-03-04T10:00:00Z)"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "9999-12-31T00:00:00Z is in the future"},
		{time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), "2100-01-01T00:00:00Z is in the future"},
		{MinTime.Add(-time.Second), "1969-12-31T23:59:59Z is before 1970"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00Z is before 1970"},
	} {
		err := CheckWhen(tt.t, now)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)) {
			t.Errorf("CheckWhen(%s) = %v, want %q", tt.t, err, tt.want)
		}
	}
}

// Writers refuse events dated before 1970 or in the future, and readers
// leave out and report rows so dated (the site built every month up to
// year 9999).
func TestEventTimesAreBounded(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, "", dir)
	ctx := context.Background()
	for _, at := range []string{"9999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:00:00+02:00"} {
		if _, err := s.Update(ctx, "x", WriteOptions{}, appendDeps(dep("d1", at))); err == nil || !strings.Contains(err.Error(), `deployment "d1": time `) {
			t.Errorf("deployment at %s: %v", at, err)
		}
		in := Incident{ID: "i1", Severity: "high", Category: "other", Environment: "production"}
		in.Opened, _ = ParseTime("2026-01-05T12:00:00Z")
		r, _ := ParseTime(at)
		in.Resolved = OptTime{Time: r, Valid: true}
		if _, err := s.Update(ctx, "x", WriteOptions{}, func(tx *Tx) error { _, err := tx.AppendIncident(in); return err }); err == nil || !strings.Contains(err.Error(), `incident "i1": resolved `) && !strings.Contains(err.Error(), "before opened") {
			t.Errorf("incident resolved %s: %v", at, err)
		}
	}
	if len(snapshot(t, dir)) != 0 {
		t.Errorf("refused events were written: %v", snapshot(t, dir))
	}
	head := strings.Join(DeploymentHeader, ",") + "\n"
	writeFiles(t, dir, map[string]string{"events/deployments/9999-01.csv": head + "d1,9999-01-01T00:00:00Z,abc,production,success,,,false,0,0,0,0,x,\n",
		"events/deployments/0000-01.csv": head + "d2,0000-01-01T00:00:00Z,abc,production,success,,,false,0,0,0,0,x,\n",
		"events/deployments/2026-01.csv": head + "d3,2026-01-01T00:00:00Z,abc,production,success,,,false,0,0,0,0,x,\n"})
	deps, probs, err := s.Deployments()
	if err != nil || len(deps) != 1 || deps[0].ID != "d3" || len(probs) != 2 || !strings.Contains(probs[0].Msg, "before 1970") || !strings.Contains(probs[1].Msg, "is in the future") {
		t.Errorf("deployments %v, problems %v, %v", deps, probs, err)
	}
}
