package ci

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// stubMember marks a run record that gitdora made from jobs alone.
const stubMember = "gitdora_stub"

// Attach gives each run the jobs of the same run id and attempt, and
// makes a stub run for jobs whose run is not among runs. It returns the
// runs in order: those given, then the stubs by run id and attempt.
func Attach(runs []Run, jobs []Job) []Run {
	type key struct {
		id      int64
		attempt int
	}
	at := map[key]int{}
	for i, r := range runs {
		at[key{r.ID, r.Attempt}] = i
	}
	// The jobs of each run, merged into it once: one merge per job made
	// a file of many jobs quadratic.
	added := map[int][]Job{}
	for _, j := range jobs {
		k := key{j.RunID, j.Attempt}
		i, ok := at[k]
		if !ok {
			raw, _ := json.Marshal(map[string]any{"id": j.RunID, "run_attempt": j.Attempt, "head_sha": j.HeadSHA, "head_branch": j.HeadBranch, "name": j.Workflow, stubMember: true})
			raw, _ = withoutMember(raw, "")
			runs = append(runs, Run{ID: j.RunID, Attempt: j.Attempt, HeadSHA: j.HeadSHA, HeadBranch: j.HeadBranch, Name: j.Workflow, Stub: true, Raw: raw})
			i = len(runs) - 1
			at[k] = i
		}
		added[i] = append(added[i], j)
	}
	for i, js := range added {
		runs[i].Jobs = mergeJobs(runs[i].Jobs, js)
	}
	return runs
}

// Merge combines a stored record of a run with a new one: the run's own
// fields from the record that has them and was updated last (webhook
// payloads of one run may arrive in any order), the jobs of both (a job in
// both from the record that got further).
func Merge(old, new *Run) Run {
	out := *new
	if new.Stub && !old.Stub || !old.Stub && !new.Stub && old.Updated.After(new.Updated) {
		out = *old
	}
	out.Jobs = mergeJobs(old.Jobs, new.Jobs)
	return out
}

// progress ranks how far a job got.
func progress(j *Job) int {
	switch {
	case j.Status == "completed" || j.Conclusion != "" || !j.Completed.IsZero():
		return 3
	case j.Status == "in_progress" || !j.Started.IsZero():
		return 2
	}
	return 1
}

func mergeJobs(old, new []Job) []Job {
	out := slices.Clone(old)
	at := make(map[int64]int, len(old)+len(new)) // the first job of each id in out
	for i := len(out) - 1; i >= 0; i-- {
		at[out[i].ID] = i
	}
	for _, j := range new {
		if i, ok := at[j.ID]; ok {
			if progress(&j) >= progress(&out[i]) {
				out[i] = j
			}
		} else {
			at[j.ID] = len(out)
			out = append(out, j)
		}
	}
	slices.SortStableFunc(out, func(a, b Job) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// Time is when a run started, for filing it by month: run_started_at,
// else created_at, else its first job's start.
func (r *Run) Time() time.Time {
	for _, t := range []time.Time{r.Started, r.Created} {
		if !t.IsZero() {
			return t
		}
	}
	var first time.Time
	for _, j := range r.Jobs {
		for _, t := range []time.Time{j.Created, j.Started} {
			if !t.IsZero() && (first.IsZero() || t.Before(first)) {
				first = t
			}
		}
	}
	return first
}

// Record writes a run as gitdora stores it: the run object as given (one
// member per line), with a jobs array of its jobs (one compact job per
// line). Parsing a record and writing it again gives the same bytes.
func Record(r *Run) []byte {
	var b bytes.Buffer
	raw := bytes.TrimSuffix(bytes.TrimSpace(r.Raw), []byte("}"))
	raw = bytes.TrimRight(raw, " \t\r\n")
	b.Write(raw)
	if len(raw) > 1 {
		b.WriteString(",")
	}
	b.WriteString("\n  \"jobs\": [")
	for i, j := range r.Jobs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(j.Raw)
	}
	if len(r.Jobs) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes()
}

// withoutMember writes the object b without the member named drop,
// keeping the others in their order, one per line, values compacted.
func withoutMember(b []byte, drop string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("{")
	first := true
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if name == drop {
			continue
		}
		if !first {
			out.WriteString(",")
		}
		first = false
		nb, _ := json.Marshal(name)
		out.WriteString("\n  ")
		out.Write(nb)
		out.WriteString(": ")
		if err := json.Compact(&out, v); err != nil {
			return nil, err
		}
	}
	out.WriteString("\n}")
	return out.Bytes(), nil
}
