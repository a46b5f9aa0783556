// Package gate is the security gate of a CI job: it counts the open
// results (sarif.Result.Open: not suppressed, not absent) of SARIF files
// by gitdora's severity (docs/metrics.md, "Findings", with the severity overrides of
// gitdora.yml), leaves out those the security policy exempts (accepted
// risk, docs/policy.md), keeps the results a gate blocks on or warns
// about, and says whether any has a severity the job fails on. It reads
// the files given; it knows nothing of the data branch and writes
// nothing.
package gate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/policy"
)

// Counts are the results of one tool in one file, or of everything.
type Counts struct {
	File, Tool string
	// Open counts the open results (sarif.Result.Open) by severity:
	// critical, high, medium, low and info.
	Open map[string]int
	// Suppressed counts the suppressed results; an absent result
	// (baselineState absent) is in neither count.
	Suppressed int
	// Exempt counts the unsuppressed results the policy exempts (accepted
	// risk): they are not in Open.
	Exempt int
	// Run is the index of the run in its file.
	Run int
	// NoResults says the run has no results array (or a null one): SARIF's
	// way of saying the tool could not determine its results, so the
	// zeros of Open say nothing.
	NoResults bool
}

// Total is the number of open results, info included.
func (c Counts) Total() int {
	n := 0
	for _, v := range c.Open {
		n += v
	}
	return n
}

func (c *Counts) add(o Counts) {
	for k, v := range o.Open {
		c.Open[k] += v
	}
	c.Suppressed += o.Suppressed
	c.Exempt += o.Exempt
}

// Report is what the gate found in a set of files.
type Report struct {
	Rows  []Counts // one per file and tool, in the order met
	Sum   Counts   // over all rows
	Notes []string // what was odd but readable, each naming its file
	// NoRuns are the files whose log has no runs at all.
	NoRuns []string
	// Findings are the open, unexempt results of the severities
	// Options.Keep names, in file order, at most MaxFindings of each
	// severity (Sum.Open counts them all).
	Findings []Finding
	// Expired counts, for each finding exemption past its expiry, the
	// open results it names that nothing else exempts: they count again.
	Expired map[*policy.FindingExemption]int
}

// Empty says, one line per file or run, where the scanner produced no
// results: a file without runs, a run without a results array. A gate
// over them would pass without anything having been checked. A run whose
// results array is empty found nothing, and is not listed.
func (rep *Report) Empty() []string {
	var out []string
	for _, name := range rep.NoRuns {
		out = append(out, name+": the scanner produced no results: the log has no runs")
	}
	for _, c := range rep.Rows {
		if c.NoResults {
			out = append(out, fmt.Sprintf("%s: the scanner produced no results: run %d (%s) has no results array", c.File, c.Run, c.Tool))
		}
	}
	return out
}

// ParseSeverities reads a --fail-on list: comma-separated severities
// (critical, high, medium, low), any case, spaces ignored; "" is none.
func ParseSeverities(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		ok := false
		for _, sev := range fact.Severities {
			ok = ok || f == string(sev)
		}
		if !ok {
			return nil, fmt.Errorf("%q is not a severity (want a comma-separated list of %s)", f, strings.Join(fact.Names(fact.Severities), ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// Read counts the results of the SARIF files named (plain or gzip), with
// severity overrides by rule id. A file that is not SARIF 2.1.0 is an
// error naming it and the JSON path of the problem.
func Read(files []string, overrides map[string]string) (*Report, error) {
	return ReadWith(files, Options{Overrides: overrides})
}

// ReadWith is Read with the policy's exemptions and the results to keep.
func ReadWith(files []string, o Options) (*Report, error) {
	rep := &Report{Sum: Counts{Open: map[string]int{}}, Expired: map[*policy.FindingExemption]int{}}
	kept := map[string]int{}
	for _, name := range files {
		if err := rep.read(name, o, kept); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func (rep *Report) read(name string, o Options, kept map[string]int) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	// A device or a pipe would be read without end: only a file is gated,
	// and one over the size limit is refused before it is read.
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file, want a SARIF file", name)
	}
	if o.Limits.Bytes > 0 && fi.Size() > o.Limits.Bytes {
		return fmt.Errorf("%s: %d bytes, more than limits.sarif_bytes (%d bytes)", name, fi.Size(), o.Limits.Bytes)
	}
	byRun := map[int]*Counts{}
	var order []int
	row := func(r *sarif.Run) *Counts {
		c := byRun[r.Index]
		if c == nil {
			tool := r.Tool
			if tool == "" {
				tool = "(unnamed tool)"
			}
			c = &Counts{File: name, Tool: tool, Open: map[string]int{}, Run: r.Index}
			byRun[r.Index] = c
			order = append(order, r.Index)
		}
		return c
	}
	opts := sarif.Options{
		Overrides: o.Overrides,
		Roots:     o.Roots,
		Results: func(r *sarif.Run, batch []sarif.Result) error {
			c := row(r)
			for i := range batch {
				switch x := &batch[i]; {
				case x.Open():
					rep.open(name, c, x, o, kept)
				case !x.Absent():
					c.Suppressed++
				}
			}
			return nil
		},
		Reopen: func() (io.ReadCloser, error) { return os.Open(name) },
		Limits: o.Limits,
	}
	log, err := sarif.Read(f, opts, func(r *sarif.Run) error {
		row(r).NoResults = !r.HasResults
		return nil
	})
	if err != nil {
		var e *sarif.Error
		if errors.As(err, &e) {
			return fmt.Errorf("%s: not SARIF 2.1.0: %s: %s", name, e.Path, e.Msg)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if log.Runs == 0 {
		rep.NoRuns = append(rep.NoRuns, name)
	}
	sort.Ints(order)
	for _, i := range order {
		rep.Rows = append(rep.Rows, *byRun[i])
		rep.Sum.add(*byRun[i])
	}
	for _, n := range log.Notes {
		rep.Notes = append(rep.Notes, name+": "+n.String())
	}
	return nil
}

// Failing is the number of open results whose severity is in failOn.
func (rep *Report) Failing(failOn []string) int {
	n := 0
	for _, s := range failOn {
		n += rep.Sum.Open[s]
	}
	return n
}

// WriteTable writes the counts as a table, one row per file and tool and
// a total row.
func (rep *Report) WriteTable(w io.Writer) error {
	rows := [][]string{{"file", "tool", "critical", "high", "medium", "low", "info", "suppressed"}}
	line := func(file, tool string, c Counts) []string {
		r := []string{file, tool}
		for _, s := range append(fact.Names(fact.Severities), string(fact.SeverityInfo)) {
			r = append(r, fmt.Sprint(c.Open[s]))
		}
		return append(r, fmt.Sprint(c.Suppressed))
	}
	for _, c := range rep.Rows {
		// The file name and the tool name come from outside: escaped, so
		// they can neither end the line nor start a workflow command.
		rows = append(rows, line(esc.Line(c.File), esc.Line(c.Tool), c))
	}
	rows = append(rows, line("total", "", rep.Sum))
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, v := range r {
			width[i] = max(width[i], len([]rune(v)))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			pad := strings.Repeat(" ", width[i]-len([]rune(v)))
			switch {
			case i < 2:
				b.WriteString(v + pad)
			default:
				b.WriteString(pad + v)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Outputs are the key=value lines of GitHub's $GITHUB_OUTPUT the gate
// writes: total (open results, info included) and one per severity.
func (rep *Report) Outputs() string {
	var b strings.Builder
	// Keys are fixed and values are numbers: no line of its own can be injected.
	fmt.Fprintf(&b, "total=%d\n", rep.Sum.Total())
	for _, s := range fact.Names(fact.Severities) {
		fmt.Fprintf(&b, "%s=%d\n", s, rep.Sum.Open[s])
	}
	return b.String()
}
