package collect

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// Headers of scans.csv and findings.csv of `gitdora collect` (SPEC §8):
// the contract columns first, then more.
var (
	ScansHeader = []string{"scan_id", "tool", "commit", "ref", "time", "duration_seconds", "scan_type", "results", "file",
		"tool_version", "category", "suppressed", "no_results", "covers"}
	FindingsHeader = []string{"scan_id", "tool", "rule_id", "severity", "fingerprint", "uri", "line", "cwe", "suppressed",
		"content_hash", "absent", "message"}
)

// WriteScansCSV writes scans under ScansHeader.
func WriteScansCSV(w io.Writer, scans []Scan) error {
	return writeTable(w, ScansHeader, len(scans), func(i int) []string {
		s := &scans[i]
		covers := ""
		if s.Type == ScanIncremental {
			covers = strconv.Itoa(len(s.Covers))
		}
		return []string{s.ID, s.Tool, s.Commit, s.Ref, timeText(s.Time), numText(s.Duration), s.Type, strconv.Itoa(s.Results), s.File,
			s.ToolVersion, s.Category, strconv.Itoa(s.Suppressed), strconv.FormatBool(s.NoResults), covers}
	})
}

// WriteFindingsCSV writes findings under FindingsHeader: one row per
// result of each scan.
func WriteFindingsCSV(w io.Writer, fs []Finding) error {
	return writeTable(w, FindingsHeader, len(fs), func(i int) []string {
		f := &fs[i]
		line := ""
		if f.Line > 0 {
			line = strconv.Itoa(f.Line)
		}
		return []string{f.ScanID, f.Tool, f.RuleID, f.Severity, f.Fingerprint, f.URI, line, f.CWE, strconv.FormatBool(f.Suppressed),
			f.ContentHash, strconv.FormatBool(f.Absent), f.Message}
	})
}

func writeTable(w io.Writer, header []string, n int, row func(int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := cw.Write(row(i)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func numText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
