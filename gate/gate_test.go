package gate

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
)

func TestParseSeverities(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  string
	}{
		{"", nil, ""},
		{" , ", nil, ""},
		{"critical,high", []string{"critical", "high"}, ""},
		{" High , LOW ", []string{"high", "low"}, ""},
		{"critical,info", nil, `"info" is not a severity`},
		{"error", nil, `"error" is not a severity (want a comma-separated list of critical, high, medium, low)`},
	} {
		got, err := ParseSeverities(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSeverities(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseSeverities(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

// Two runs in one file (one gzipped), each its own row; the severities
// as docs/metrics.md ("Findings") gives them, overridden by rule id.
func TestReadCountsOpenResultsBySeverity(t *testing.T) {
	dir := t.TempDir()
	log := `{"version": "2.1.0", "runs": [
	 {"tool": {"driver": {"name": "CodeQL", "rules": [
	   {"id": "go/sql-injection", "properties": {"security-severity": "8.8"}},
	   {"id": "go/command-injection", "properties": {"security-severity": "9.8"}},
	   {"id": "go/xss", "properties": {"security-severity": "6.1"}}]}},
	  "results": [
	   {"ruleId": "go/sql-injection", "message": {"text": "a"}},
	   {"ruleId": "go/sql-injection", "message": {"text": "b"}},
	   {"ruleId": "go/command-injection", "message": {"text": "c"}},
	   {"ruleId": "go/xss", "message": {"text": "d"}, "suppressions": [{"kind": "external", "status": "accepted"}]},
	   {"ruleId": "go/xss", "message": {"text": "e"}, "suppressions": [{"kind": "external", "status": "underReview"}]}]},
	 {"tool": {"driver": {"name": "gitleaks", "rules": [{"id": "aws-access-token"}, {"id": "generic-api-key"}]}},
	  "results": [
	   {"ruleId": "aws-access-token", "message": {"text": "f"}},
	   {"ruleId": "generic-api-key", "message": {"text": "g"}},
	   {"ruleId": "generic-api-key", "level": "none", "message": {"text": "h"}}]}]}`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(log))
	zw.Close()
	name := filepath.Join(dir, "scan.sarif.gz")
	if err := os.WriteFile(name, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Read([]string{name}, map[string]string{"aws-access-token": "critical"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 || rep.Rows[0].Tool != "CodeQL" || rep.Rows[1].Tool != "gitleaks" {
		t.Fatalf("rows %+v, want CodeQL then gitleaks", rep.Rows)
	}
	// A suppression under review does not suppress (docs/metrics.md: accepted or no status).
	want := []map[string]int{{"high": 2, "critical": 1, "medium": 1}, {"critical": 1, "medium": 1, "info": 1}}
	for i, w := range want {
		if !reflect.DeepEqual(rep.Rows[i].Open, w) {
			t.Errorf("%s: open %v, want %v", rep.Rows[i].Tool, rep.Rows[i].Open, w)
		}
	}
	if rep.Rows[0].Suppressed != 1 || rep.Sum.Suppressed != 1 {
		t.Errorf("suppressed %d (sum %d), want 1", rep.Rows[0].Suppressed, rep.Sum.Suppressed)
	}
	if got := rep.Failing([]string{"critical", "high"}); got != 4 {
		t.Errorf("Failing(critical,high) = %d, want 4", got)
	}
	if got := rep.Failing(nil); got != 0 {
		t.Errorf("Failing(none) = %d, want 0", got)
	}
	if got, want := rep.Outputs(), "total=7\ncritical=2\nhigh=2\nmedium=2\nlow=0\n"; got != want {
		t.Errorf("Outputs() = %q, want %q", got, want)
	}
	var b strings.Builder
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 || !strings.HasSuffix(lines[3], "2     2       2    0     1           1") || !strings.HasPrefix(lines[3], "total ") {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestReadNamesTheBadFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "v1.sarif")
	os.WriteFile(name, []byte(`{"version": "1.0.0", "runs": []}`), 0o644)
	_, err := Read([]string{name}, nil)
	if err == nil || !strings.Contains(err.Error(), name+": not SARIF 2.1.0: $.version:") {
		t.Errorf("error %v, want one naming %s and $.version", err, name)
	}
}

// A result whose baselineState is absent is gone from the code: the gate
// counts it neither as open nor as suppressed, as compute does not.
func TestReadSkipsAbsentResults(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "scan.sarif")
	log := `{"version": "2.1.0", "runs": [
	 {"tool": {"driver": {"name": "CodeQL", "rules": [
	   {"id": "go/command-injection", "properties": {"security-severity": "9.8"}}]}},
	  "results": [
	   {"ruleId": "go/command-injection", "message": {"text": "gone"}, "baselineState": "absent"},
	   {"ruleId": "go/command-injection", "message": {"text": "gone, suppressed"}, "baselineState": "absent", "suppressions": [{"kind": "external"}]},
	   {"ruleId": "go/command-injection", "message": {"text": "here"}, "baselineState": "unchanged"}]}]}`
	if err := os.WriteFile(name, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Read([]string{name}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Failing([]string{"critical"}); got != 1 {
		t.Errorf("Failing(critical) = %d, want 1 (the absent result is not open)", got)
	}
	if rep.Sum.Suppressed != 0 {
		t.Errorf("suppressed %d, want 0 (an absent result is not counted)", rep.Sum.Suppressed)
	}
}

// Empty names each file without runs and each run without a results
// array, in the order read; an empty results array is a scan that found
// nothing and is not listed.
func TestReportEmpty(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		log  string
		want []string
	}{
		{`{"version": "2.1.0", "runs": []}`, []string{"F: the scanner produced no results: the log has no runs"}},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep"}}}]}`, []string{"F: the scanner produced no results: run 0 (Semgrep) has no results array"}},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep"}}, "results": null}]}`, []string{"F: the scanner produced no results: run 0 (Semgrep) has no results array"}},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}, {"tool": {"driver": {}}}]}`, []string{"F: the scanner produced no results: run 1 ((unnamed tool)) has no results array"}},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep"}}, "results": []}]}`, nil},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep"}}, "results": [{"ruleId": "r", "message": {"text": "m"}}]}]}`, nil},
	} {
		name := filepath.Join(dir, "scan.sarif")
		if err := os.WriteFile(name, []byte(tc.log), 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Read([]string{name}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, w := range tc.want {
			want = append(want, strings.Replace(w, "F", name, 1))
		}
		if got := rep.Empty(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Empty() = %q, want %q", tc.log, got, want)
		}
	}
}

// The gate reads only regular files, within the size limit: a device
// or a pipe would never end, and an oversize file is refused unread.
func TestReadBounded(t *testing.T) {
	if _, err := ReadWith([]string{os.DevNull}, Options{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("%s: %v, want not a regular file", os.DevNull, err)
	}
	p := filepath.Join(t.TempDir(), "big.sarif")
	if err := os.WriteFile(p, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadWith([]string{p}, Options{Limits: sarif.Limits{Bytes: 10}}); err == nil || !strings.Contains(err.Error(), "more than limits.sarif_bytes") {
		t.Errorf("oversize: %v", err)
	}
	if _, err := ReadWith([]string{p}, Options{Limits: sarif.Limits{Bytes: 1 << 20}}); err != nil {
		t.Errorf("within the limit: %v", err)
	}
}
