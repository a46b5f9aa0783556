package ci

import (
	"fmt"
	"strings"
	"testing"
)

// benchRun builds a stored run record of about 32 KB: the run's own
// members (a repository object among them, as the API writes it) and 8
// jobs of 12 steps each.
func benchRun() []byte {
	var b strings.Builder
	b.WriteString(`{"id": 9000001, "name": "CI", "node_id": "WFR_kwLOB_z1Gs6x0Jpl", "head_branch": "main",
  "head_sha": "06e6934c35c336b1a2bd3005fb21dc3914a45747", "path": ".github/workflows/ci.yml", "run_number": 158,
  "event": "push", "status": "completed", "conclusion": "success", "workflow_id": 5904664, "run_attempt": 1,
  "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:20:00Z", "run_started_at": "2026-01-05T10:00:05Z",
  "repository": {`)
	for i := 0; i < 40; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"url_%d": "https://api.github.com/repos/octo/example/things/%d{/id}"`, i, i)
	}
	b.WriteString(`},
  "jobs": [`)
	for j := 0; j < 8; j++ {
		if j > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `
    {"id": %d, "run_id": 9000001, "run_attempt": 1, "node_id": "CR_kwDOB_z1Gs8AAAAB", "head_sha": "06e6934c35c336b1a2bd3005fb21dc3914a45747",
     "url": "https://api.github.com/repos/octo/example/actions/jobs/%d", "html_url": "https://github.com/octo/example/actions/runs/9000001/job/%d",
     "status": "completed", "conclusion": "success", "created_at": "2026-01-05T10:00:05Z", "started_at": "2026-01-05T10:00:10Z",
     "completed_at": "2026-01-05T10:10:00Z", "name": "job %d", "labels": ["ubuntu-latest"], "runner_id": 12, "runner_name": "GitHub Actions 12",
     "workflow_name": "CI", "head_branch": "main", "steps": [`, 100+j, 100+j, 100+j, j)
		for s := 0; s < 12; s++ {
			if s > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `
       {"name": "Step %d of job %d (Run semgrep scan)", "status": "completed", "conclusion": "success", "number": %d,
        "started_at": "2026-01-05T10:0%d:00.000Z", "completed_at": "2026-01-05T10:0%d:30.000Z"}`, s, j, s+1, s%10, s%10)
		}
		b.WriteString("]}")
	}
	b.WriteString("\n  ]\n}\n")
	return []byte(b.String())
}

// BenchmarkParse reads the record as ingest does (Parse, keeping Raw)
// and as collect does (ParseFields).
func BenchmarkParse(b *testing.B) {
	rec := benchRun()
	for _, bc := range []struct {
		name  string
		parse func([]byte) (*Doc, error)
	}{{"raw", Parse}, {"fields", ParseFields}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(rec)))
			b.ReportAllocs()
			for b.Loop() {
				d, err := bc.parse(rec)
				if err != nil || len(d.Runs) != 1 || len(d.Runs[0].Jobs) != 8 || len(d.Runs[0].Jobs[7].Steps) != 12 {
					b.Fatalf("Parse: %v", err)
				}
			}
		})
	}
}
