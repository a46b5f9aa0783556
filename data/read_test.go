package data

import (
	"fmt"
	"math"
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
			"d1 d2", "f.csv:5: status is \"exploded\""},
		{"bare quote", head + row("d1") + "d2,2026-01-05T10:00:00Z,a\"bc,production,success,,,false,0,0,0,0,cli\n" + row("d3"),
			"d1 d3", "f.csv:3: bare \" in non-quoted-field"},
		{"NaN and Inf", head + row("d1") + "d2,2026-01-05T10:00:00Z,abc,production,success,NaN,,false,0,0,0,0,cli\n" +
			"d3,2026-01-05T10:00:00Z,abc,production,success,,+Inf,false,0,0,0,0,cli\n" + "d4,2026-01-05T10:00:00Z,abc,production,success,-1,,false,0,0,0,0,cli\n",
			"d1", "f.csv:3: column scan_seconds: \"NaN\" is not a finite non-negative number|" +
				"f.csv:4: column pipeline_seconds: \"+Inf\" is not a finite non-negative number|" +
				"f.csv:5: column scan_seconds: \"-1\" is not a finite non-negative number"},
		{"only bad rows", head + "x\n", "", "f.csv:2: has 1 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, probs := decodeRows([]byte(tt.csv), "f.csv", DeploymentHeader, (*Deployment).Check)
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

func TestDeploymentCheckRejectsNonFiniteSeconds(t *testing.T) {
	tests := []struct {
		scan, pipeline OptFloat
		want           string // "" when valid
	}{
		{Float(0), Float(12.5), ""},
		{OptFloat{}, OptFloat{}, ""},
		{Float(math.Inf(1)), OptFloat{}, "scan_seconds: +Inf is not a finite non-negative number"},
		{OptFloat{}, Float(math.NaN()), "pipeline_seconds: NaN is not a finite non-negative number"},
		{Float(-2), OptFloat{}, "scan_seconds: -2 is not a finite non-negative number"},
		{OptFloat{Value: math.NaN()}, OptFloat{}, ""}, // unknown: the value is not looked at
	}
	for _, tt := range tests {
		d := dep("d1", "2026-01-05T10:00:00Z")
		d.ScanSeconds, d.PipelineSeconds = tt.scan, tt.pipeline
		err := d.Check()
		if got := fmt.Sprint(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
			t.Errorf("Check(scan %+v, pipeline %+v) = %v, want %q", tt.scan, tt.pipeline, err, tt.want)
		}
	}
}
