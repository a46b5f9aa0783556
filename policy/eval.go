package policy

import (
	"slices"
	"strings"
	"time"
)

// Finding is what the policy needs to know of a finding (docs/metrics.md).
type Finding struct {
	Tool        string
	RuleID      string
	File        string // repository-relative, slash-separated; "" when none
	Fingerprint string
	Severity    string // critical, high, medium, low or info
	Suppressed  bool   // suppressed in the SARIF: accepted risk, never open
}

// Verdict says whether a finding is exempt, and by what.
type Verdict struct {
	Path    *PathExemption    // the path exemption that exempts it, if any
	Finding *FindingExemption // else the finding exemption that does, if any
	// Expired is an exemption that matches the finding but is past its
	// expiry, when no other exempts it: it exempts nothing, and says why
	// the finding counts again.
	Expired *FindingExemption
}

// Exempt reports whether an exemption covers the finding.
func (v Verdict) Exempt() bool { return v.Path != nil || v.Finding != nil }

// Exempt says whether the policy exempts f on the day today: the first
// path exemption matching its file, else the first finding exemption
// (in the file's order) matching it and not expired. A finding without a
// file matches no path exemption, nor a finding exemption with `file`.
func (p *Policy) Exempt(f Finding, today Date) Verdict {
	var v Verdict
	if p == nil {
		return v
	}
	if f.File != "" {
		for i := range p.Exemptions.Paths {
			if e := &p.Exemptions.Paths[i]; e.Glob.Match(f.File) {
				v.Path = e
				return v
			}
		}
	}
	for i := range p.Exemptions.Findings {
		e := &p.Exemptions.Findings[i]
		if !e.Matches(f) {
			continue
		}
		if !e.Expired(today) {
			v.Finding, v.Expired = e, nil
			return v
		}
		if v.Expired == nil {
			v.Expired = e
		}
	}
	return v
}

// Matches reports whether the exemption names f, whatever its expiry:
// the same rule id, and the same tool, a file its glob matches and the
// same fingerprint where it gives them.
func (e *FindingExemption) Matches(f Finding) bool {
	switch {
	case e.RuleID != f.RuleID:
		return false
	case e.Tool != "" && !strings.EqualFold(e.Tool, f.Tool):
		return false
	case e.File != nil && (f.File == "" || !e.File.Match(f.File)):
		return false
	case e.Fingerprint != "" && e.Fingerprint != f.Fingerprint:
		return false
	}
	return true
}

// Outcome is what a gate does.
type Outcome string

// The outcomes of a gate, from the mildest.
const (
	Pass  Outcome = "pass"  // nothing to block or warn about
	Warn  Outcome = "warn"  // findings to print and annotate; the gate passes
	Block Outcome = "block" // the gate fails (exit code 3)
)

// Exempted is a finding an exemption covers.
type Exempted struct {
	Finding Finding
	Verdict Verdict
}

// Result is what a gate does with a list of findings.
type Result struct {
	Outcome Outcome
	Block   []Finding // open, not exempt, with a block_on severity
	Warn    []Finding // open, not exempt, with a warn_on severity (and not a block_on one)
	// Exempt are the unsuppressed findings an exemption covers.
	Exempt []Exempted
	// Suppressed are the findings suppressed in the SARIF.
	Suppressed []Finding
	// Expired are the policy's finding exemptions past their expiry,
	// whether or not they match a finding: report them.
	Expired []*FindingExemption
	// ExpiredMatches are the findings that an expired exemption names
	// and nothing else exempts: they count again.
	ExpiredMatches []Exempted
}

// Evaluate applies gate g (from Gate, or with a --fail-on list as its
// BlockOn) to findings on the day today. A suppressed finding is never
// open; an exempt one neither; each other finding blocks when its
// severity is in g.BlockOn, else warns when it is in g.WarnOn, else
// passes unlisted. The lists keep the findings' order.
func (p *Policy) Evaluate(g Gate, findings []Finding, today Date) *Result {
	r := &Result{Outcome: Pass, Expired: p.Expired(today)}
	for _, f := range findings {
		if f.Suppressed {
			r.Suppressed = append(r.Suppressed, f)
			continue
		}
		v := p.Exempt(f, today)
		if v.Exempt() {
			r.Exempt = append(r.Exempt, Exempted{f, v})
			continue
		}
		if v.Expired != nil {
			r.ExpiredMatches = append(r.ExpiredMatches, Exempted{f, v})
		}
		switch sev := strings.ToLower(f.Severity); {
		case slices.Contains(g.BlockOn, sev):
			r.Block = append(r.Block, f)
		case slices.Contains(g.WarnOn, sev):
			r.Warn = append(r.Warn, f)
		}
	}
	switch {
	case len(r.Block) > 0:
		r.Outcome = Block
	case len(r.Warn) > 0:
		r.Outcome = Warn
	}
	return r
}

// Allowed is the time the SLA allows to fix a finding of a severity (the
// default when the SLA does not give it); false for info and unknown
// severities, which have none.
func (s SLA) Allowed(severity string) (time.Duration, bool) {
	severity = strings.ToLower(severity)
	if d, ok := s[severity]; ok {
		return d, true
	}
	d, ok := defaultSLA[severity]
	return d, ok
}

// Due is when an episode first seen at firstSeen is due: first seen plus
// the SLA of its severity; false when the severity has no SLA.
func (s SLA) Due(severity string, firstSeen time.Time) (time.Time, bool) {
	d, ok := s.Allowed(severity)
	if !ok {
		return time.Time{}, false
	}
	return firstSeen.Add(d), true
}

// Breached reports whether an episode has broken its SLA as of at: fixed
// (fixedAt not zero and not after at) after its due time, or still open
// at a time past it. Fixing at the due time itself is within the SLA;
// an episode whose severity has no SLA never breaches.
func (s SLA) Breached(severity string, firstSeen, fixedAt, at time.Time) bool {
	due, ok := s.Due(severity, firstSeen)
	if !ok {
		return false
	}
	if !fixedAt.IsZero() && !fixedAt.After(at) {
		return fixedAt.After(due)
	}
	return at.After(due)
}
