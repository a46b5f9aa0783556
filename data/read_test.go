package data

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// One bad row costs that row only; problems name the row's line in the
// file, counting blank lines and multi-line quoted fields.
func TestDecodeRowsKeepsTheGoodRows(t *testing.T) {
	const head = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n"
	row := func(id string) string {
		return id + ",2026-01-05T10:00:00Z,abc,production,success,30,300,false,0,0,0,0,cli\n"
	}
	tests := []struct {
		name      string
		csv       string
		wantIDs   string
		wantProbs string // Problem.String()s, joined by "|"
	}{
		{"clean", head + row("d1") + row("d2"), "d1 d2", ""},
		{"extra comma in the middle", head + row("d1") + "d2,2026-01-05T10:00:00Z,abc,production,success,30,300,false,0,0,0,0,cli,\n" + row("d3"),
			"d1 d3", "f.csv:3: has 14 fields, want 13 (" + strings.TrimSpace(head) + ")"},
		{"line of spaces", head + row("d1") + "   \n" + row("d3"),
			"d1 d3", "f.csv:3: has 1 fields, want 13 (" + strings.TrimSpace(head) + ")"},
		{"after a blank line", head + row("d1") + "\n\n" + row("d2") + "d3,not-a-time,abc,production,success,,,false,0,0,0,0,cli\n" + row("d4"),
			"d1 d2 d4", "f.csv:6: column time: \"not-a-time\" is not an RFC 3339 time"},
		{"after a quoted newline", head + "d1,2026-01-05T10:00:00Z,abc,production,success,30,300,false,0,0,0,0,\"two\nlines\"\n" +
			row("d2") + "d3,2026-01-05T10:00:00Z,abc,production,exploded,,,false,0,0,0,0,cli\n",
			"d2", "f.csv:2: source: \"two\\nlines\" holds a control character|f.csv:5: status is \"exploded\""},
		{"bare quote", head + row("d1") + "d2,2026-01-05T10:00:00Z,a\"bc,production,success,,,false,0,0,0,0,cli\n" + row("d3"),
			"d1 d3", "f.csv:3: bare \" in non-quoted-field"},
		{"NaN, Inf, negative and huge seconds: read as unknown, the row kept", head + row("d1") + "d2,2026-01-05T10:00:00Z,abc,production,success,NaN,,false,0,0,0,0,cli\n" +
			"d3,2026-01-05T10:00:00Z,abc,production,success,,+Inf,false,0,0,0,0,cli\n" + "d4,2026-01-05T10:00:00Z,abc,production,success,-1,,false,0,0,0,0,cli\n" +
			"d5,2026-01-05T10:00:00Z,abc,production,success,1e308,1e400,false,0,0,0,0,cli\n" + "d6,2026-01-05T10:00:00Z,abc,production,success,ten,,false,0,0,0,0,cli\n",
			"d1 d2 d3 d4 d5", "f.csv:3: column scan_seconds: NaN is not a number of seconds from 0 to 31622400 (a year); read as unknown|" +
				"f.csv:4: column pipeline_seconds: +Inf is not a number of seconds|" +
				"f.csv:5: column scan_seconds: -1 is not a number of seconds|" +
				"f.csv:6: column scan_seconds: 1e+308 is not a number of seconds|f.csv:6: column pipeline_seconds: +Inf is not a number of seconds|" +
				"f.csv:7: column scan_seconds: \"ten\" is not a number"},
		{"counts up to a billion", head + "d1,2026-01-05T10:00:00Z,abc,production,success,,,false,1000000000,0,0,0,cli\n" +
			"d2,2026-01-05T10:00:00Z,abc,production,success,,,false,0,1000000001,0,0,cli\n" +
			"d3,2026-01-05T10:00:00Z,abc,production,success,,,false,0,0,99999999999999999999999,0,cli\n",
			"d1", "f.csv:3: high is 1000000001, want a count from 0 to 1000000000|f.csv:4: column medium: "},
		{"only bad rows", head + "x\n", "", "f.csv:2: has 1 fields"},
		{"byte order mark and CRLF (Excel's CSV UTF-8)", "\xef\xbb\xbf" + strings.ReplaceAll(head+row("d1")+row("d2"), "\n", "\r\n"), "d1 d2", ""},
		{"count that is not a whole number", head + row("d1") +
			"d2,2026-01-05T10:00:00Z,abc,production,success,,,false,0,1.5,0,0,cli\n" +
			"d3,2026-01-05T10:00:00Z,abc,production,success,,,false,0x10,0,0,0,cli\n" +
			"d4,2026-01-05T10:00:00Z,abc,production,success,,,false,0,0,0,-1,cli\n" +
			"d5,2026-01-05T10:00:00Z,abc,production,success,,,false, 2 ,,0,0,cli\n",
			"d1 d5", "f.csv:3: column high: \"1.5\" is not a whole number|f.csv:4: column critical: \"0x10\" is not a whole number|" +
				"f.csv:5: column low: \"-1\" is not a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _, probs := decodeRows([]byte(tt.csv), "f.csv", deploymentRows)
			var ids []string
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
			if got := strings.Join(ids, " "); got != tt.wantIDs {
				t.Errorf("ids = %q, want %q", got, tt.wantIDs)
			}
			var ps []string
			for _, p := range probs {
				ps = append(ps, p.String())
			}
			want := []string{}
			if tt.wantProbs != "" {
				want = strings.Split(tt.wantProbs, "|")
			}
			if len(ps) != len(want) {
				t.Fatalf("problems = %q, want %q", ps, want)
			}
			for i := range ps {
				if !strings.HasPrefix(ps[i], want[i]) {
					t.Errorf("problem %d = %q, want it to start %q", i, ps[i], want[i])
				}
			}
		})
	}
}

func TestDeploymentCheckBoundsFigures(t *testing.T) {
	tests := []struct {
		scan, pipeline OptFloat
		high           int
		want           string // "" when valid
	}{
		{Float(0), Float(12.5), 0, ""},
		{OptFloat{}, OptFloat{}, 0, ""},
		{Float(MaxSeconds), OptFloat{}, MaxCount, ""},
		{Float(math.Inf(1)), OptFloat{}, 0, "scan_seconds: +Inf is not a number of seconds from 0 to 31622400 (a year)"},
		{OptFloat{}, Float(math.NaN()), 0, "pipeline_seconds: NaN is not a number of seconds from 0 to 31622400 (a year)"},
		{Float(-2), OptFloat{}, 0, "scan_seconds: -2 is not a number of seconds from 0 to 31622400 (a year)"},
		{Float(1e308), OptFloat{}, 0, "scan_seconds: 1e+308 is not a number of seconds from 0 to 31622400 (a year)"},
		{Float(MaxSeconds + 1), OptFloat{}, 0, "scan_seconds: 3.1622401e+07 is not a number of seconds from 0 to 31622400 (a year)"},
		{OptFloat{}, OptFloat{}, MaxCount + 1, "high is 1000000001, want a count from 0 to 1000000000"},
		{OptFloat{}, OptFloat{}, -1, "high is -1, want a count from 0 to 1000000000"},
		{OptFloat{Value: math.NaN()}, OptFloat{}, 0, ""}, // unknown: the value is not looked at
	}
	for _, tt := range tests {
		d := dep("d1", "2026-01-05T10:00:00Z")
		d.ScanSeconds, d.PipelineSeconds, d.High = tt.scan, tt.pipeline, tt.high
		err := d.Check()
		if got := fmt.Sprint(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
			t.Errorf("Check(scan %+v, pipeline %+v, high %d) = %v, want %q", tt.scan, tt.pipeline, tt.high, err, tt.want)
		}
	}
}

// Rows whose id an earlier row has, in the same file or an earlier month's,
// are left out and reported with their file and line and where the first
// one is; the first row by file order is kept.
func TestDuplicateIDsKeepTheFirst(t *testing.T) {
	const head = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n"
	row := func(id, day, src string) string {
		return id + ",2026-01-" + day + "T10:00:00Z,abc,production,success,,,false,0,0,0,0," + src + "\n"
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"events/deployments/2026-01.csv": head + row("d1", "05", "first") + row("d2", "06", "first") + row("d1", "07", "again"),
		"events/deployments/2026-02.csv": "\xef\xbb\xbf" + head + row("d2", "08", "again") + row("d3", "09", "first"),
		"events/incidents/2026-01.csv": "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
			"i1,2026-01-05T12:00:00Z,,high,security,production,,,,one\ni1,2026-01-06T12:00:00Z,,low,other,production,,,,two\n",
	})
	s := mustOpen(t, "", dir)
	deps, probs, err := s.Deployments()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range deps {
		got = append(got, d.ID+":"+d.Source)
	}
	if strings.Join(got, " ") != "d1:first d2:first d3:first" {
		t.Errorf("deployments %q, want each id once, the first row's", got)
	}
	jan, feb := filepath.Join(dir, "events/deployments/2026-01.csv"), filepath.Join(dir, "events/deployments/2026-02.csv")
	want := []string{
		jan + `:4: id "d1" is already recorded (` + jan + `:2); this row is left out`,
		feb + `:2: id "d2" is already recorded (` + jan + `:3); this row is left out`,
	}
	if len(probs) != len(want) {
		t.Fatalf("problems %q, want %q", probs, want)
	}
	for i := range want {
		if probs[i].String() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, probs[i], want[i])
		}
	}
	ins, probs, err := s.Incidents()
	if err != nil || len(ins) != 1 || ins[0].Title != "one" || len(probs) != 1 || probs[0].Line != 3 {
		t.Errorf("incidents %+v, problems %v, %v; want the first i1 and line 3 reported", ins, probs, err)
	}
}

// A writer appends to a file a spreadsheet saved with a byte order mark
// and CRLF line ends, and the file still reads whole.
func TestAppendToSpreadsheetFile(t *testing.T) {
	const head = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\r\n"
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"events/deployments/2026-01.csv": "\xef\xbb\xbf" + head + "d1,2026-01-05T10:00:00Z,abc,production,success,,,false,0,0,0,0,excel\r\n"})
	s := mustOpen(t, "", dir)
	if _, err := s.Update(context.Background(), "x", WriteOptions{}, appendDeps(dep("d1", "2026-01-05T10:00:00Z"), dep("d2", "2026-01-06T10:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	deps, probs, err := s.Deployments()
	if err != nil || len(probs) != 0 || len(deps) != 2 || deps[0].Source != "excel" || deps[1].ID != "d2" {
		t.Errorf("deployments %+v, problems %v, %v", deps, probs, err)
	}
}

// A value a message quotes is quoted by its start, not whole: a file
// whose first line is 1 MB long, or a row whose status is, makes a short
// message, when read and when a writer refuses to append to it.
func TestLongValuesAreQuotedShort(t *testing.T) {
	const head = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n"
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"events/deployments/2026-01.csv": strings.Repeat("x", 1<<20),
		"events/deployments/2026-02.csv": head + "d9,2026-02-05T10:00:00Z,abc,production," + strings.Repeat("y", 1<<20) + ",,,false,0,0,0,0,cli\n",
		"events/deployments/2026-03.csv": head + "d8," + strings.Repeat("z", 1<<20) + ",abc,production,success,,,false,0,0,0,0,cli\n" +
			"d7,2026-03-05T10:00:00Z,abc,production,success," + strings.Repeat("9", 1<<20) + "x,,false,0,0,0,0,cli\n",
	})
	s := mustOpen(t, "", dir)
	_, probs, err := s.Deployments()
	if err != nil || len(probs) != 4 || !strings.Contains(probs[0].Msg, "header is \"xxx") || !strings.Contains(probs[1].Msg, "status is \"yyy") ||
		!strings.Contains(probs[2].Msg, "\"zzz") || !strings.Contains(probs[3].Msg, "\"999") || len(fmt.Sprint(probs)) > 4000 {
		t.Errorf("problems %.300v (%d bytes), %v; want four short messages quoting the values", probs, len(fmt.Sprint(probs)), err)
	}
	_, err = s.Update(context.Background(), "x", WriteOptions{}, appendDeps(dep("d1", "2026-01-05T10:00:00Z")))
	if err == nil || !strings.Contains(err.Error(), "header is \"xxx") || len(err.Error()) > 1000 {
		t.Errorf("Update = %.200v (%d bytes), want a short error quoting the header", err, len(fmt.Sprint(err)))
	}
}
