package gate

import (
	"slices"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/policy"
)

// Options are what ReadWith applies to every result.
type Options struct {
	// Overrides are severity overrides by rule id (severity.overrides).
	Overrides map[string]string
	// Roots are absolute paths of the repository: an absolute artifact
	// URI under one becomes relative to it, as exemption globs expect.
	Roots []string
	// Policy exempts findings (policy.exemptions); nil exempts nothing.
	Policy *policy.Policy
	// Today is the day exemptions are judged on: one expired before it
	// exempts nothing.
	Today policy.Date
	// Keep are the severities whose open, unexempt results are kept in
	// Report.Findings: a gate's block_on and warn_on.
	Keep []string
	// Limits bound each file read (limits: in gitdora.yml); the zero value
	// bounds nothing.
	Limits sarif.Limits
}

// MaxFindings is how many results of each kept severity Report.Findings
// holds: enough to print and annotate, bounded however large the log.
const MaxFindings = 1000

// Finding is an open, unexempt result a gate may block on or warn about.
type Finding struct {
	policy.Finding
	Line    int    // start line, 0 when unknown
	Log     string // the SARIF file it is in
	Message string
}

// open counts an open (unsuppressed, present) result of row c: as exempt
// when the policy exempts it, else by its severity, and keeps it when its
// severity is one of o.Keep.
func (rep *Report) open(name string, c *Counts, x *sarif.Result, o Options, kept map[string]int) {
	f := policy.Finding{Tool: c.Tool, RuleID: x.RuleID, File: x.URI, Fingerprint: x.Fingerprint, Severity: x.Severity}
	if o.Policy != nil {
		v := o.Policy.Exempt(f, o.Today)
		if v.Exempt() {
			c.Exempt++
			return
		}
		if v.Expired != nil {
			rep.Expired[v.Expired]++
		}
	}
	c.Open[x.Severity]++
	if slices.Contains(o.Keep, x.Severity) && kept[x.Severity] < MaxFindings {
		kept[x.Severity]++
		rep.Findings = append(rep.Findings, Finding{Finding: f, Line: x.Line, Log: name, Message: x.Message})
	}
}

// Verdict is what a gate does with the results read.
type Verdict struct {
	Outcome policy.Outcome
	// Blocking and Warning count the open, unexempt results of a block_on
	// and of a warn_on severity.
	Blocking, Warning int
	// Block and Warn are those of Report.Findings, in file order.
	Block, Warn []Finding
}

// Judge applies gate g to what was read: a result of a block_on severity
// blocks, else one of a warn_on severity warns. Read with Keep holding
// g's severities for Block and Warn to list them.
func (rep *Report) Judge(g policy.Gate) Verdict {
	v := Verdict{Outcome: policy.Pass}
	for _, s := range g.BlockOn {
		v.Blocking += rep.Sum.Open[s]
	}
	for _, s := range g.WarnOn {
		if !slices.Contains(g.BlockOn, s) {
			v.Warning += rep.Sum.Open[s]
		}
	}
	for _, f := range rep.Findings {
		switch {
		case slices.Contains(g.BlockOn, f.Severity):
			v.Block = append(v.Block, f)
		case slices.Contains(g.WarnOn, f.Severity):
			v.Warn = append(v.Warn, f)
		}
	}
	switch {
	case v.Blocking > 0:
		v.Outcome = policy.Block
	case v.Warning > 0:
		v.Outcome = policy.Warn
	}
	return v
}
