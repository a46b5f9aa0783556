// Package policy is the security policy of gitdora.yml (`policy:`, see
// docs/policy.md): what each gate context blocks on and warns about, which
// findings are exempt and until when, and the time allowed to fix a
// finding of each severity (SLA). It parses the policy from a YAML node,
// with errors naming the line and column, and evaluates it; it does no I/O.
package policy

import (
	"fmt"
	"slices"
	"time"

	"github.com/gitdora/gitdora/internal/glob"
)

// The gate contexts (`gitdora gate --context`).
const (
	PullRequest = "pull_request"
	Main        = "main"
	PreCommit   = "pre_commit"
)

// Contexts returns the gate contexts, in the order docs list them.
func Contexts() []string { return []string{PullRequest, Main, PreCommit} }

// The severities a gate or an SLA names; info findings are never gated
// and have no SLA.
const (
	Critical = "critical"
	High     = "high"
	Medium   = "medium"
	Low      = "low"
)

// Severities returns the severities a policy names, most severe first.
func Severities() []string { return []string{Critical, High, Medium, Low} }

// ExpiringWindow is how close to its expiry an exemption counts as
// expiring soon (docs/policy.md: "expiring within 30 days"), in days.
const ExpiringWindow = 30

// Policy is the `policy:` section, from Default or Parse. A nil or zero
// Policy still works: the default gates and SLA, no exemptions.
type Policy struct {
	// Gates maps each context to its gate; Parse gives every context one.
	Gates      map[string]Gate
	Exemptions Exemptions
	SLA        SLA
}

// Gate is what one context does with open, unexempt findings.
type Gate struct {
	BlockOn []string // severities that fail the gate
	WarnOn  []string // severities printed and annotated, that pass
}

// Exemptions are the findings the policy accepts as risk.
type Exemptions struct {
	Paths    []PathExemption
	Findings []FindingExemption
}

// PathExemption exempts every finding in the files a glob matches.
type PathExemption struct {
	Glob *glob.Glob
	Line int // where gitdora.yml gives it
}

// FindingExemption exempts the findings of one rule, optionally only of
// one tool, in some files or with one fingerprint, until a date.
type FindingExemption struct {
	RuleID        string
	Tool          string     // optional: "" is any tool; compared ignoring case
	File          *glob.Glob // optional: nil is any file
	Fingerprint   string     // optional: "" is any fingerprint
	Justification string
	ApprovedBy    string // optional
	// Expires is the last day the exemption applies (UTC): from the next
	// day on it exempts nothing and is reported as expired.
	Expires Date
	Line    int // where gitdora.yml gives it
}

// SLA maps a severity to the time allowed to fix its findings.
type SLA map[string]time.Duration

// The default SLA (docs/policy.md).
var defaultSLA = SLA{Critical: 7 * day, High: 30 * day, Medium: 90 * day, Low: 180 * day}

const day = 24 * time.Hour

// defaultGates are the default gates docs/policy.md shows.
var defaultGates = map[string]Gate{
	PullRequest: {BlockOn: []string{Critical, High}, WarnOn: []string{Medium}},
	Main:        {BlockOn: []string{Critical}, WarnOn: []string{High, Medium}},
	PreCommit:   {BlockOn: []string{}, WarnOn: []string{Critical}},
}

// Default returns the default policy: the gates and SLA of
// docs/policy.md, no exemptions.
func Default() *Policy {
	p := &Policy{Gates: map[string]Gate{}, SLA: SLA{}}
	for c, g := range defaultGates {
		p.Gates[c] = Gate{BlockOn: slices.Clone(g.BlockOn), WarnOn: slices.Clone(g.WarnOn)}
	}
	for s, d := range defaultSLA {
		p.SLA[s] = d
	}
	return p
}

// Gate returns the gate of a context (the default gate when p gives
// none); an unknown context is an error.
func (p *Policy) Gate(context string) (Gate, error) {
	g, ok := defaultGates[context]
	if p != nil && ok {
		if pg, given := p.Gates[context]; given {
			g = pg
		}
	}
	if ok {
		return Gate{BlockOn: slices.Clone(g.BlockOn), WarnOn: slices.Clone(g.WarnOn)}, nil
	}
	return Gate{}, fmt.Errorf("unknown gate context %s (want %s)", glob.Quote(context), listOf(Contexts()))
}

// Date is a calendar day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%s is not a date (want YYYY-MM-DD, e.g. 2026-06-01)", glob.Quote(s))
	}
	return DateOf(t), nil
}

// DateOf is the day t falls on in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{y, m, d}
}

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String writes the date YYYY-MM-DD.
func (d Date) String() string { return d.time().Format(time.DateOnly) }

// IsZero reports the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.time().After(o.time()) }

// DaysUntil is the number of days from d to o: 0 for the same day,
// negative when o is earlier.
func (d Date) DaysUntil(o Date) int { return int(o.time().Sub(d.time()) / day) }

// Expired reports whether the exemption is past its expiry on today: it
// applies through its Expires day and exempts nothing after it.
func (e *FindingExemption) Expired(today Date) bool { return today.After(e.Expires) }

// DaysLeft is the number of days from today to the exemption's last day:
// 0 on that day, negative once expired. An exemption expiring soon has
// 0 ≤ DaysLeft ≤ ExpiringWindow.
func (e *FindingExemption) DaysLeft(today Date) int { return today.DaysUntil(e.Expires) }

// Expired returns the finding exemptions past their expiry on today, in
// the file's order: they exempt nothing and are to be reported.
func (p *Policy) Expired(today Date) []*FindingExemption {
	if p == nil {
		return nil
	}
	var out []*FindingExemption
	for i := range p.Exemptions.Findings {
		if e := &p.Exemptions.Findings[i]; e.Expired(today) {
			out = append(out, e)
		}
	}
	return out
}
