package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// A condition naming an unknown metric says where the metrics are listed,
// on the line of that rule only, each error on a line of its own (docs/alerts.md shows the message).
func TestAlertsUnknownMetricNamesTheHelp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "rules.yml")
	src := "- name: Slow\n  for: 1d\n\n  condition: lead_time_p50 > 1\n- name: Op\n  condition: open_high => 1\n  for: 1d\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run([]string{"--repo", dir, "alerts", "--rules", p}, &out, &errb)
	want := "gitdora: " + p + `: line 4: alert Slow: condition "lead_time_p50 > 1", column 1: unknown metric "lead_time_p50" (did you mean lead_time_p50_hours?); ` +
		"`gitdora alerts --help` lists the metrics\n" +
		"gitdora: " + p + `: line 6: alert Op: condition "open_high => 1", column 11: bad operator "=>" (want one of < <= > >= == !=) (did you mean >=?)` + "\n"
	if code != 1 || errb.String() != want {
		t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, errb.String(), want)
	}
}
