package ci

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var scanPattern = regexp.MustCompile(`(?i)(security|semgrep|codeql|sarif|scan)`)

const corpus = "../../../shared/corpus/ci"

func needCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpus, err)
	}
}

func parseFile(t *testing.T, rel string) (*Doc, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	return Parse(b)
}

func TestCorpusShapes(t *testing.T) {
	needCorpus(t)
	for _, tc := range []struct {
		file        string
		runs, jobs  int
		errContains string
	}{
		{"octokit-rb/bodies/ActionsWorkflowJobs___workflow_run_jobs__paginates_the_results.0.json", 0, 1, ""},
		{"octokit-rb/bodies/ActionsWorkflowRuns___repository_workflow_runs__returns_all_workflow_runs_for_repository.0.json", 0, 0, "no workflow run or job"}, // an empty list
		{"octokit-rb/bodies/ActionsWorkflowRuns___workflow_runs__paginates_the_results.0.json", 1, 0, ""},
		{"octokit-webhooks/workflow_run__completed.payload.json", 1, 0, ""},
		{"octokit-webhooks/workflow_job__in_progress.with-queued-steps.payload.json", 0, 1, ""},
		{"devlake/json/github___raw_github_api_runs.json", 35, 0, ""},
		{"devlake/json/github___raw_github_api_jobs.json", 0, 35, ""},
		{"octokit-rb/bodies/ActionsWorkflows___workflows__paginates_the_results.0.json", 0, 0, "want a GitHub Actions run"},
		{"github3py/bodies/Deployment_statuses.1.json", 0, 0, "want a GitHub Actions run"},
		{"octokit-webhooks/issues__opened.payload.json", 0, 0, "want a GitHub Actions run"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			d, err := parseFile(t, tc.file)
			if tc.errContains != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errContains) {
					t.Fatalf("err = %v, want %q", err, tc.errContains)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.runs+tc.jobs > 0 && (len(d.Runs) != tc.runs || len(d.Jobs) != tc.jobs) {
				t.Errorf("%d runs, %d jobs; want %d, %d", len(d.Runs), len(d.Jobs), tc.runs, tc.jobs)
			}
		})
	}
}

// TestPipelineSecondsMatchDevLake checks pipeline seconds against the
// durations DevLake's own end-to-end test expects for the same runs.
func TestPipelineSecondsMatchDevLake(t *testing.T) {
	needCorpus(t)
	d, err := parseFile(t, "devlake/json/github___raw_github_api_runs.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(corpus, "devlake/github-e2e-expected/github__cicd_pipelines.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]float64{}
	for _, row := range rows[1:] {
		id, _ := strconv.ParseInt(row[0][strings.LastIndexByte(row[0], ':')+1:], 10, 64)
		if v, err := strconv.ParseFloat(row[9], 64); err == nil && row[6] == "completed" {
			want[id] = v
		}
	}
	checked := 0
	for i := range d.Runs {
		r := &d.Runs[i]
		w, ok := want[r.ID]
		if !ok {
			continue
		}
		s := Summarize(r, scanPattern, nil)
		if s.PipelineSeconds == nil || *s.PipelineSeconds != w {
			t.Errorf("run %d: pipeline seconds %v, DevLake says %v", r.ID, s.PipelineSeconds, w)
		}
		checked++
	}
	if checked < 15 {
		t.Errorf("only %d runs compared with DevLake's expectations", checked)
	}
}

func TestSummarize(t *testing.T) {
	run := `{"id": 7, "run_attempt": 2, "name": "CI", "head_sha": "abc", "status": "completed", "conclusion": "failure",
	  "created_at": "2026-01-01T10:00:00Z", "run_started_at": "2026-01-03T10:00:00.000Z", "updated_at": "2026-01-03T03:10:00.000-07:00",
	  "jobs": [
	    {"id": 1, "run_id": 7, "run_attempt": 2, "name": "build", "status": "completed", "conclusion": "success",
	     "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:05:00Z",
	     "steps": [
	       {"name": "Checkout", "conclusion": "success", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:00:10Z"},
	       {"name": "Run Semgrep", "conclusion": "success", "started_at": "2026-01-03T18:00:10.000+08:00", "completed_at": "2026-01-03T18:01:40.000+08:00"},
	       {"name": "Upload SARIF", "conclusion": "failure", "started_at": "2026-01-03T10:01:40Z", "completed_at": "2026-01-03T10:01:50Z"},
	       {"name": "Security scan (cancelled)", "conclusion": null, "started_at": null, "completed_at": null}]},
	    {"id": 2, "run_id": 7, "run_attempt": 2, "name": "CodeQL", "status": "completed", "conclusion": "success",
	     "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:04:00Z", "steps": [{"name": "Analyze", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:03:00Z"}]}]}`
	d, err := Parse([]byte(run))
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(&d.Runs[0], scanPattern, nil)
	// Re-run: from run_started_at (not created_at, two days earlier) to updated_at.
	if s.PipelineSeconds == nil || *s.PipelineSeconds != 600 {
		t.Errorf("pipeline seconds %v, want 600", s.PipelineSeconds)
	}
	// Semgrep 90 s + Upload SARIF 10 s + the CodeQL job (no step matches) 240 s.
	if s.ScanSeconds == nil || *s.ScanSeconds != 340 {
		t.Errorf("scan seconds %v, want 340", s.ScanSeconds)
	}
	if !s.GateBlocked {
		t.Error("a failed scan step did not block the gate")
	}

	for _, tc := range []struct {
		name, run string
		pipeline  *float64
		scan      *float64
		blocked   bool
		note      string
	}{
		{"no run_started_at", `{"id":1,"head_sha":"a","status":"completed","created_at":"2020-05-06T11:00:00Z","updated_at":"2020-05-06T11:01:00Z"}`, f(60), nil, false, ""},
		{"in progress", `{"id":1,"head_sha":"a","status":"in_progress","run_started_at":"2020-05-06T11:00:00Z","updated_at":"2020-05-06T11:01:00Z"}`, nil, nil, false, ""},
		{"odd status", `{"id":1,"head_sha":"a","status":"SUCCESS","run_started_at":"2020-05-06T11:00:00Z","updated_at":"2020-05-06T11:01:00Z"}`, f(60), nil, false, "read as completed"},
		{"unknown status", `{"id":1,"head_sha":"a","status":"exploded","run_started_at":"2020-05-06T11:00:00Z","updated_at":"2020-05-06T11:01:00Z"}`, nil, nil, false, "not a GitHub run status"},
		{"update before start", `{"id":1,"head_sha":"a","status":"completed","run_started_at":"2020-05-06T11:00:00Z","updated_at":"2020-05-06T10:01:00Z"}`, nil, nil, false, "before the run started"},
		{"failed scan job", `{"id":1,"head_sha":"a","status":"completed","run_started_at":"2020-05-06T11:00:00Z","updated_at":"2020-05-06T11:01:00Z","jobs":[{"id":3,"run_id":1,"name":"security-scan","conclusion":"failure","started_at":"2020-05-06T11:00:00Z","completed_at":"2020-05-06T11:00:30Z"}]}`, f(60), f(30), true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.run))
			if err != nil {
				t.Fatal(err)
			}
			s := Summarize(&d.Runs[0], scanPattern, nil)
			if !eq(s.PipelineSeconds, tc.pipeline) || !eq(s.ScanSeconds, tc.scan) || s.GateBlocked != tc.blocked {
				t.Errorf("pipeline %v scan %v blocked %v; want %v %v %v", show(s.PipelineSeconds), show(s.ScanSeconds), s.GateBlocked, show(tc.pipeline), show(tc.scan), tc.blocked)
			}
			if tc.note != "" && !strings.Contains(fmt.Sprint(s.Notes), tc.note) {
				t.Errorf("notes %q, want %q", s.Notes, tc.note)
			}
		})
	}
}

// A step or job that runs the gate blocks the run when it fails, and its
// time is not scan time; a nil pattern matches nothing.
func TestSummarizeGate(t *testing.T) {
	gate := regexp.MustCompile(`(?i)\bgate\b`)
	scan := regexp.MustCompile(`(?i)^semgrep`)
	for _, tc := range []struct {
		name, steps string
		jobName     string
		scan, gate  *regexp.Regexp
		seconds     *float64
		blocked     bool
	}{
		{"gate fails", `{"name": "semgrep", "conclusion": "success", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:01:00Z"},
		  {"name": "Security gate", "conclusion": "failure", "started_at": "2026-01-03T10:01:00Z", "completed_at": "2026-01-03T10:01:05Z"}`, "scan", scan, gate, f(60), true},
		{"gate passes", `{"name": "semgrep", "conclusion": "success", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:01:00Z"},
		  {"name": "Security gate", "conclusion": "success", "started_at": "2026-01-03T10:01:00Z", "completed_at": "2026-01-03T10:01:05Z"}`, "scan", scan, gate, f(60), false},
		{"another step fails", `{"name": "semgrep", "conclusion": "success", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:01:00Z"},
		  {"name": "Install semgrep", "conclusion": "failure", "started_at": "2026-01-03T09:59:00Z", "completed_at": "2026-01-03T10:00:00Z"}`, "scan", scan, gate, f(60), false},
		{"gate job without steps", ``, "security-gate", scan, gate, nil, true},
		{"no patterns", `{"name": "Security gate", "conclusion": "failure", "started_at": "2026-01-03T10:01:00Z", "completed_at": "2026-01-03T10:01:05Z"}`, "scan", nil, nil, nil, false},
	} {
		run := `{"id": 7, "head_sha": "abc", "status": "completed", "conclusion": "failure", "run_started_at": "2026-01-03T10:00:00Z", "updated_at": "2026-01-03T10:05:00Z",
		  "jobs": [{"id": 1, "run_id": 7, "name": "` + tc.jobName + `", "conclusion": "failure", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:02:00Z", "steps": [` + tc.steps + `]}]}`
		d, err := Parse([]byte(run))
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(&d.Runs[0], tc.scan, tc.gate)
		if !eq(s.ScanSeconds, tc.seconds) || s.GateBlocked != tc.blocked {
			t.Errorf("%s: scan %v blocked %v; want %v %v", tc.name, show(s.ScanSeconds), s.GateBlocked, show(tc.seconds), tc.blocked)
		}
	}
}

func f(v float64) *float64 { return &v }

func eq(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func show(v *float64) string {
	if v == nil {
		return "nil"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// TestRejects checks the whole message: it names the line and column of
// a syntax error, or the JSON path of the value, and what was expected.
func TestRejects(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty file, want GitHub Actions run JSON"},
		{" \n\t", "empty file, want GitHub Actions run JSON"},
		{"{", "invalid JSON at line 1, column 2: unexpected end of JSON input"},
		{"{\n  \"id\": 4,\n  \"head_sha\": \"a\",,\n}", "invalid JSON at line 3, column 19: invalid character ',' looking for beginning of object key string"},
		{"[{\"id\": 4}\n,]", "invalid JSON at line 2, column 2: invalid character ']' looking for beginning of value"},
		{"[,", "invalid JSON at line 1, column 2: invalid character ',' looking for beginning of value"},
		{"nul", "invalid JSON at line 1, column 3: invalid character ' ' in literal null (expecting 'l')"},
		{"42", "$: want a GitHub Actions run object, a jobs response or a list of them"},
		{"[42]", "$[0]: " + wantShape},
		{`{"id": "x", "head_sha": "a"}`, `$.id: want an integer, got "x"`},
		{`{"id": 4, "head_sha": "a", "run_attempt": "2"}`, `$.run_attempt: want an integer, got "2"`},
		{`{"id": 4, "head_sha": "a", "created_at": 5}`, "$.created_at: want a time as a string, got 5"},
		{`{"id": 4, "head_sha": "a", "created_at": "yesterday"}`, `$.created_at: "yesterday" is not a time (want RFC 3339, e.g. 2026-01-05T10:00:00Z)`},
		{`{"id": 4, "head_sha": 7}`, "$.head_sha: want a string, got 7"},
		{`{"id": -4, "head_sha": "a"}`, "$.id: want a positive run id, got -4"},
		{`{"id": 4, "head_sha": "a", "jobs": [{"id": 1, "run_id": 5}]}`, "$.jobs[0]: the job's run_id 5 is not the run's id 4"},
		{`{"id": 4, "head_sha": "a", "jobs": 3}`, "$.jobs: want an array of jobs"},
		{`{"id": 4, "jobs": [{"id": 1, "run_id": 4}, {"id": 2, "run_id": 4, "steps": [{}, {"name": "x", "started_at": false}]}]}`, "$.jobs[1].steps[1].started_at: want a time as a string, got false"},
		{`{"id": 4, "jobs": [{"id": 1, "run_id": 4, "steps": {}}]}`, "$.jobs[0].steps: want an array of steps"},
		{`{"jobs": [{"id": 1}]}`, "$.jobs[0]: want a job with a positive id and run_id, got id 1, run_id 0"},
		{`{"action": "queued", "workflow_job": {"id": 1, "run_id": 2, "run_attempt": 1.5}}`, "$.workflow_job.run_attempt: want an integer, got 1.5"},
		{`[{"data": {"id": 1, "head_sha": "a", "updated_at": "x"}}]`, `$[0].data.updated_at: "x" is not a time (want RFC 3339, e.g. 2026-01-05T10:00:00Z)`},
		{`{"workflow_runs": [{"id": 1, "head_sha": "a"}, {"id": 0, "head_sha": "b"}]}`, "$.workflow_runs[1].id: want a positive run id, got 0"},
		{`{"total_count": 0}`, "$: " + wantShape},
	} {
		_, err := Parse([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q) = %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestAttachMergeRecord(t *testing.T) {
	runDoc, err := Parse([]byte(`{"id": 9, "run_attempt": 1, "head_sha": "abc", "name": "CI", "status": "completed",
		"run_started_at": "2026-02-28T23:59:00Z", "updated_at": "2026-03-01T00:09:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	jobsDoc, err := Parse([]byte(`{"total_count": 2, "jobs": [
		{"id": 2, "run_id": 9, "run_attempt": 1, "name": "scan", "started_at": "2026-03-01T00:00:00Z", "completed_at": "2026-03-01T00:05:00Z"},
		{"id": 1, "run_id": 8, "run_attempt": 1, "head_sha": "def", "workflow_name": "Deploy", "name": "deploy", "started_at": "2026-03-01T00:00:00Z"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	runs := Attach(runDoc.Runs, jobsDoc.Jobs)
	if len(runs) != 2 || len(runs[0].Jobs) != 1 || runs[0].Stub || !runs[1].Stub || runs[1].ID != 8 || runs[1].HeadSHA != "def" {
		t.Fatalf("Attach = %+v", runs)
	}
	if got := runs[0].Time().Format("2006-01"); got != "2026-02" {
		t.Errorf("run month %s, want 2026-02 (run_started_at)", got)
	}
	rec := Record(&runs[0])
	again, err := Parse(rec)
	if err != nil {
		t.Fatalf("Parse(Record): %v\n%s", err, rec)
	}
	if !bytes.Equal(Record(&again.Runs[0]), rec) {
		t.Errorf("Record is not stable:\n%s\n---\n%s", rec, Record(&again.Runs[0]))
	}
	stub := Record(&runs[1])
	sd, err := Parse(stub)
	if err != nil || !sd.Runs[0].Stub || len(sd.Runs[0].Jobs) != 1 {
		t.Fatalf("stub record %s: %+v, %v", stub, sd, err)
	}
	// The run arriving after its stub takes the run's fields and keeps the jobs.
	full, _ := Parse([]byte(`{"id": 8, "run_attempt": 1, "head_sha": "def", "name": "Deploy", "status": "completed", "run_started_at": "2026-03-01T00:00:00Z", "updated_at": "2026-03-01T00:01:00Z"}`))
	m := Merge(&sd.Runs[0], &full.Runs[0])
	if m.Stub || m.Status != "completed" || len(m.Jobs) != 1 {
		t.Errorf("Merge(stub, run) = %+v", m)
	}
	m = Merge(&m, &sd.Runs[0])
	if m.Stub || m.Status != "completed" {
		t.Errorf("Merge(run, stub) lost the run's fields: %+v", m)
	}
	// Webhook payloads out of order: the requested event after the
	// completed one does not take the run back.
	earlier, _ := Parse([]byte(`{"id": 8, "run_attempt": 1, "head_sha": "def", "status": "queued", "updated_at": "2026-03-01T00:00:00Z", "jobs": [{"id": 1, "run_id": 8, "status": "queued"}]}`))
	m = Merge(&m, &earlier.Runs[0])
	if m.Status != "completed" || len(m.Jobs) != 1 || m.Jobs[0].Status == "queued" {
		t.Errorf("Merge(completed, earlier queued) = %+v", m)
	}
}

// FuzzParse checks that no input makes the CI run reader panic, and that
// what it accepts can be stored and read back.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"id": 7, "run_attempt": 2, "head_sha": "abc", "status": "completed", "run_started_at": "2026-01-03T10:00:00.000-07:00", "updated_at": "2026-01-03T10:10:00Z", "jobs": [{"id": 1, "run_id": 7, "name": "scan", "conclusion": "failure", "started_at": null, "steps": [{"name": "semgrep", "started_at": "2026-01-03T10:00:00Z", "completed_at": "2026-01-03T10:01:00Z"}]}]}`))
	f.Add([]byte(`{"total_count": 1, "jobs": [{"id": 1, "run_id": 7, "steps": []}]}`))
	f.Add([]byte(`{"action": "completed", "workflow_run": {"id": 1, "head_sha": "a", "created_at": "2020-01-01T00:00:00Z"}}`))
	f.Add([]byte(`[{"data": {"id": 1, "run_id": 2}}]`))
	// One real run and one real job as seeds (whole files are too large to
	// mutate well in a short run).
	for _, name := range []string{"github___raw_github_api_runs.json", "github___raw_github_api_jobs.json"} {
		var items []json.RawMessage
		if b, err := os.ReadFile(filepath.Join(corpus, "devlake/json", name)); err == nil && json.Unmarshal(b, &items) == nil && len(items) > 0 {
			f.Add([]byte(items[0]))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		fd, ferr := ParseFields(b)
		if (err == nil) != (ferr == nil) {
			t.Fatalf("Parse error %v, ParseFields error %v", err, ferr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(withoutRaw(d), fd) {
			t.Fatalf("ParseFields read %+v, Parse %+v", fd, d)
		}
		runs := Attach(d.Runs, d.Jobs)
		for i := range runs {
			Summarize(&runs[i], scanPattern, nil)
			rec := Record(&runs[i])
			again, err := Parse(rec)
			if err != nil {
				t.Fatalf("a record of accepted input does not parse: %v\n%s", err, rec)
			}
			if len(again.Runs) != 1 || again.Runs[0].ID != runs[i].ID || len(again.Runs[0].Jobs) != len(runs[i].Jobs) {
				t.Fatalf("record changed the run: %+v", again)
			}
		}
	})
}

// withoutRaw is d with the Raw of its runs and jobs cleared.
func withoutRaw(d *Doc) *Doc {
	out := &Doc{Runs: slices.Clone(d.Runs), Jobs: slices.Clone(d.Jobs)}
	clear := func(jobs []Job) []Job {
		jobs = slices.Clone(jobs)
		for i := range jobs {
			jobs[i].Raw = nil
		}
		return jobs
	}
	for i := range out.Runs {
		out.Runs[i].Raw, out.Runs[i].Jobs = nil, clear(out.Runs[i].Jobs)
	}
	out.Jobs = clear(out.Jobs)
	return out
}

// A step (or job) outside its run's time span, by more than a minute, or
// that ends before it starts, or lasts longer than a run may, is left out
// of the scan seconds with a note (a step completed in 9999 made 9.2e9
// scan seconds and a scan overhead of six million percent).
func TestStepsOutsideTheirRun(t *testing.T) {
	run := func(status, steps string) string {
		return `{"id":1,"head_sha":"a","status":"` + status + `","run_started_at":"2026-01-05T10:00:00Z","updated_at":"2026-01-05T10:10:00Z",
		  "jobs":[{"id":2,"run_id":1,"name":"build","started_at":"2026-01-05T10:01:00Z","completed_at":"2026-01-05T10:09:00Z","steps":[` + steps + `]}]}`
	}
	step := func(name, from, to string) string {
		return `{"name":"` + name + `","started_at":"` + from + `","completed_at":"` + to + `"}`
	}
	ok := step("Run Semgrep", "2026-01-05T10:02:00Z", "2026-01-05T10:03:00Z") // 60 s
	for _, tc := range []struct {
		name, run string
		scan      *float64
		note      string
	}{
		{"completed in 9999", run("completed", ok+","+step("Run CodeQL", "2026-01-05T10:03:00Z", "9999-12-31T00:00:00Z")), f(60),
			"job 2 step 2 (Run CodeQL) lasts 2912437 days (2026-01-05T10:03:00Z to 9999-12-31T00:00:00Z), longer than a run may; left out of the scan seconds"},
		{"after the run ended", run("completed", ok+","+step("Run CodeQL", "2026-01-05T10:09:00Z", "2026-01-05T10:12:00Z")), f(60),
			"job 2 step 2 (Run CodeQL) ends (2026-01-05T10:12:00Z) after its run (2026-01-05T10:10:00Z); left out"},
		{"before the run started", run("completed", ok+","+step("Run CodeQL", "2026-01-05T09:55:00Z", "2026-01-05T10:01:00Z")), f(60),
			"starts (2026-01-05T09:55:00Z) before its run (2026-01-05T10:00:00Z); left out"},
		{"ends before it starts", run("completed", ok+","+step("Run CodeQL", "2026-01-05T10:05:00Z", "2026-01-05T10:04:00Z")), f(60),
			"ends (2026-01-05T10:04:00Z) before it starts (2026-01-05T10:05:00Z); left out"},
		{"within a minute of the run", run("completed", ok+","+step("Run CodeQL", "2026-01-05T09:59:30Z", "2026-01-05T10:10:30Z")), f(60 + 660), ""},
		{"after updated_at while running", run("in_progress", ok+","+step("Run CodeQL", "2026-01-05T10:09:00Z", "2026-01-05T10:12:00Z")), f(60 + 180), ""},
		{"jobs alone: steps before their job count", `{"id":2,"run_id":1,"name":"scan","started_at":"2026-01-05T10:30:00Z","completed_at":"2026-01-05T10:40:00Z","steps":[` +
			step("Run Semgrep", "2026-01-05T10:20:00Z", "2026-01-05T10:21:00Z") + `,` + step("Run CodeQL", "2026-01-05T10:20:00Z", "2026-03-05T10:21:00Z") + `]}`, f(60),
			"lasts 59 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.run))
			if err != nil {
				t.Fatal(err)
			}
			runs := Attach(d.Runs, d.Jobs)
			s := Summarize(&runs[0], scanPattern, nil)
			if !eq(s.ScanSeconds, tc.scan) {
				t.Errorf("scan seconds %s, want %s", show(s.ScanSeconds), show(tc.scan))
			}
			notes := noteTexts(s.Notes)
			if tc.note == "" && strings.Contains(notes, "left out") || tc.note != "" && !strings.Contains(notes, tc.note) {
				t.Errorf("notes %q, want %q", s.Notes, tc.note)
			}
		})
	}
	d, err := Parse([]byte(`{"id":1,"head_sha":"a","status":"completed","run_started_at":"2024-01-05T10:00:00Z","updated_at":"2026-01-05T10:10:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := Summarize(&d.Runs[0], scanPattern, nil); s.PipelineSeconds != nil || !strings.Contains(noteTexts(s.Notes), "more than a year; pipeline seconds unknown") {
		t.Errorf("a two-year run: pipeline %s, notes %q", show(s.PipelineSeconds), s.Notes)
	}
}

// A name in a note cannot start a line of its own.
func TestNoteNamesAreOneLine(t *testing.T) {
	d, err := Parse([]byte(`{"id":1,"head_sha":"a","status":"completed","run_started_at":"2026-01-05T10:00:00Z","updated_at":"2026-01-05T10:10:00Z",
	  "jobs":[{"id":2,"run_id":1,"name":"build","steps":[{"name":"scan\n::error::pwned","started_at":"2026-01-05T10:05:00Z","completed_at":"2026-01-05T10:04:00Z"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(&d.Runs[0], scanPattern, nil)
	if len(s.Notes) != 1 || strings.Contains(s.Notes[0].Text, "\n") || !strings.Contains(s.Notes[0].Text, `(scan\n::error::pwned)`) {
		t.Errorf("notes %q", s.Notes)
	}
}

// noteTexts is the text of notes, one a line.
func noteTexts(notes []Note) string {
	var b strings.Builder
	for i, n := range notes {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(n.Text)
	}
	return b.String()
}
