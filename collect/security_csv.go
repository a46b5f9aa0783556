package collect

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/csvrow"
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
// findings share them; each has its rows). A row makes no garbage: half a
// million rows would double the heap the findings take while they are
// written.
func WriteFindingsCSV(w io.Writer, scans []fact.Scan) error {
	var row csvrow.Row
	row.Strings(FindingsHeader)
	if err := row.End(w); err != nil {
		return err
	}
	var text []byte // reused for the fields made of numbers and parts
	for i := range scans {
		s := &scans[i]
		fs := s.Findings()
		for j := range fs {
			f := &fs[j]
			row.String(s.ID)
			row.String(f.Tool)
			row.String(f.RuleID)
			row.String(string(f.Severity))
			row.String(f.Fingerprint())
			row.String(f.URI)
			text = text[:0]
			if f.Line > 0 {
				text = strconv.AppendInt(text, int64(f.Line), 10)
			}
			row.Bytes(text)
			row.String(f.CWE)
			row.String(strconv.FormatBool(f.Suppressed))
			text = f.ContentHash.AppendText(text[:0])
			row.Bytes(text)
			row.String(strconv.FormatBool(f.Absent))
			text = f.AppendMessage(text[:0])
			row.Bytes(text)
			text = text[:0]
			for k, c := range f.CWEs {
				if k > 0 {
					text = append(text, ';')
				}
				text = append(text, c...)
			}
			row.Bytes(text)
			if err := row.End(w); err != nil {
				return err
			}
		}
	}
	return nil
}
