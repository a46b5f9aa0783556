package imports

import (
	"bytes"
	"strconv"
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

// BenchmarkCombineJobs folds the jobs of one pipeline, each given twice
// (a job list imported again later), into the pipeline.
func BenchmarkCombineJobs(b *testing.B) {
	const n = 20000
	jobs := make([]Job, 0, 2*n)
	for range 2 {
		for i := range n {
			jobs = append(jobs, Job{ID: strconv.Itoa(i), Pipeline: "7", Status: "success", Source: GitLabPipelines})
		}
	}
	batch := &Batch{Pipelines: []Pipeline{{ID: "7", Source: GitLabPipelines}}, Jobs: jobs}
	for b.Loop() {
		if s := Combine(batch); len(s.Pipelines) != 1 || len(s.Pipelines[0].Jobs) != n {
			b.Fatalf("%d pipelines", len(s.Pipelines))
		}
	}
}
