package imports

import (
	"bytes"
	"testing"
)

// BenchmarkParsePulls parses DevLake's 50 ants pulls as one page (about
// 0.7 MB), the size of a page of 100 pulls.
func BenchmarkParsePulls(b *testing.B) {
	needCorpus(b)
	page := unwrapDevLake(b, "sources/github-pulls/devlake__raw_github_api_pull_requests.csv")[0].body
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(GitHubPulls, "pulls.json", page, Options{Now: corpusNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePaginated parses 40 such pages one after another, as
// `gh api --paginate` writes 4000 pulls (about 28 MB).
func BenchmarkParsePaginated(b *testing.B) {
	needCorpus(b)
	page := unwrapDevLake(b, "sources/github-pulls/devlake__raw_github_api_pull_requests.csv")[0].body
	all := bytes.Repeat(append(page, '\n'), 40)
	b.SetBytes(int64(len(all)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(GitHubPulls, "pulls.json", all, Options{Now: corpusNow}); err != nil {
			b.Fatal(err)
		}
	}
}
