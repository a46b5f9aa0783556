package collect

import "testing"

// A scan record as ingest writes it: years of nightly scans read
// thousands of them (scripts/bench-nightly.sh).
func BenchmarkParseMeta(b *testing.B) {
	rec := []byte(`{
  "refs": [
    "main"
  ],
  "at": "2021-01-08T02:00:00Z",
  "scan_type": "full",
  "commit_time": "2021-01-08T01:00:00Z",
  "root": "/home/runner/work/app/app",
  "source": "gen_flawfinder-2.0.19_curl-8.21.0.sarif",
  "ingested": "2026-12-06T18:22:41Z"
}
`)
	b.ReportAllocs()
	for b.Loop() {
		if m, err := parseMeta(rec); err != nil || m.At == "" {
			b.Fatal(m, err)
		}
	}
}
