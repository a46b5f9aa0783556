package collect

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/gitdora/gitdora/fact"
)

// Headers of scans.csv and findings.csv of `gitdora collect`
// (docs/metrics.md, "The facts behind the figures"): the contract columns
// first, then more.
var (
	ScansHeader = []string{"scan_id", "tool", "commit", "ref", "time", "duration_seconds", "scan_type", "results", "file",
		"tool_version", "category", "suppressed", "no_results", "covers", "covered", "trunk"}
	FindingsHeader = []string{"scan_id", "tool", "rule_id", "severity", "fingerprint", "uri", "line", "cwe", "suppressed",
		"content_hash", "absent", "message", "cwes"}
)

// WriteScansCSV writes scans under ScansHeader; trunk is the name of the
// trunk (column trunk: the scans of that ref make finding lifecycles).
func WriteScansCSV(w io.Writer, scans []fact.Scan, trunk string) error {
	return writeCSV(w, ScansHeader, len(scans), func(i int) []string {
		s := &scans[i]
		covers, covered := "", ""
		if s.Type == fact.ScanIncremental {
			covers = strconv.Itoa(len(s.Covers))
			b, _ := json.Marshal(s.Covers) // strings: never an error
			covered = string(b)
		}
		return []string{s.ID, s.Tool, s.Commit, s.Ref, stamp(s.Time), optNum(s.Duration), string(s.Type), strconv.Itoa(s.Results), s.File,
			s.ToolVersion, s.Category, strconv.Itoa(s.Suppressed), strconv.FormatBool(s.NoResults), covers, covered, trunk}
	})
}

// WriteFindingsCSV writes the findings of scans under FindingsHeader:
// one row per result of each scan, as each is reached (scans of the same
// findings share them; each has its rows).
func WriteFindingsCSV(w io.Writer, scans []fact.Scan) error {
	row := make([]string, len(FindingsHeader)) // reused: csv.Writer does not keep it
	var hash []byte
	n := 0
	for i := range scans {
		n += len(scans[i].Findings())
	}
	si, fi := 0, 0 // the scan and finding of the next row
	return writeCSV(w, FindingsHeader, n, func(int) []string {
		for fi >= len(scans[si].Findings()) {
			si, fi = si+1, 0
		}
		s := &scans[si]
		f := &s.Findings()[fi]
		fi++
		line := ""
		if f.Line > 0 {
			line = strconv.Itoa(int(f.Line))
		}
		hash = f.ContentHash.AppendText(hash[:0])
		row = append(row[:0], s.ID, f.Tool, f.RuleID, string(f.Severity), f.Fingerprint(), f.URI, line, f.CWE, strconv.FormatBool(f.Suppressed),
			string(hash), strconv.FormatBool(f.Absent), f.Message(), strings.Join(f.CWEs, ";"))
		return row
	})
}
