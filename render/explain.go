package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/esc"
)

// explainCol is one column of the rows of an explanation: its name (the
// CSV header and the JSON key) and its cell of a row.
type explainCol struct {
	name string
	cell func(r *compute.Row) string
	num  bool // a number: JSON writes it as one
}

// ExplainOptions say how much of a row an explanation shows.
type ExplainOptions struct {
	// FindingDetails shows the rule, file and line of finding episodes
	// (explain on a terminal); a published page shows counts, ages and
	// severities only.
	FindingDetails bool
	// Authors shows the author (name and e-mail) of changes.
	Authors bool
	// Loc is the zone times are written in; nil keeps each time's own.
	Loc *time.Location
}

// exact writes v with as many digits as it takes to read it back.
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func optExact(v *float64) string {
	if v == nil {
		return ""
	}
	return exact(*v)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// valueName is the column of the value an explanation's figure takes
// from each row.
func valueName(e *compute.Explanation) string {
	switch {
	case e.Key == "lead_time.scan_overhead_pct":
		return "scan_overhead_pct"
	case strings.HasPrefix(e.Key, "vulnerabilities.exposure.mean_hours."):
		return "exposure_hours"
	case e.Key == "vulnerabilities.exposure.fix_to_production_p50_hours":
		return "fix_to_production_hours"
	case e.Of == compute.RowsChanges:
		return "lead_time_hours"
	case e.Of == compute.RowsPulls:
		if stage, ok := cycleStage(e.Key); ok {
			return stage + "_hours"
		}
	case e.Of == compute.RowsIncidents:
		return "restore_hours"
	case e.Of == compute.RowsEpisodes:
		return "fix_hours"
	case e.Of == compute.RowsScans:
		return "duration_seconds"
	}
	return "value"
}

// cycleStage is the stage of a cycle_time figure (coding of
// cycle_time.coding_p50_hours).
func cycleStage(key string) (string, bool) {
	for _, st := range compute.CycleStages {
		if key == "cycle_time."+st+"_p50_hours" {
			return st, true
		}
	}
	return "", false
}

// numeratorName is the column that says a row counts in a ratio.
func numeratorName(e *compute.Explanation) string {
	switch e.Key {
	case "deployment_frequency.block_rate":
		return "blocked"
	case "change_failure_rate.rate":
		return "failed"
	case "rework_rate":
		return "rework"
	}
	if strings.HasPrefix(e.Key, "vulnerabilities.sla.fixed_within_pct.") {
		return "within"
	}
	return "counted"
}

// explainCols are the columns of e's rows.
func explainCols(e *compute.Explanation, o ExplainOptions) []explainCol {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		if o.Loc != nil {
			t = t.In(o.Loc)
		}
		return t.Format(time.RFC3339)
	}
	optStamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return stamp(*t)
	}
	var cols []explainCol
	hasValues, hasRanks := false, false
	for i := range e.Rows {
		hasValues = hasValues || e.Rows[i].Value != nil
		hasRanks = hasRanks || e.Rows[i].Rank > 0
	}
	if hasRanks {
		cols = append(cols, explainCol{"rank", func(r *compute.Row) string { return strconv.Itoa(r.Rank) }, true})
	}
	if hasValues {
		cols = append(cols, explainCol{valueName(e), func(r *compute.Row) string { return optExact(r.Value) }, true})
	}
	if e.Rule == compute.RuleRatio || e.Rule == compute.RulePercent {
		cols = append(cols, explainCol{numeratorName(e), func(r *compute.Row) string { return yesNo(r.In) }, false})
	}
	switch e.Of {
	case compute.RowsDeployments:
		cols = append(cols,
			explainCol{"deployment_id", func(r *compute.Row) string { return r.Deployment.ID }, false},
			explainCol{"time", func(r *compute.Row) string { return stamp(r.Deployment.Time) }, false},
			explainCol{"day", func(r *compute.Row) string { return r.Deployment.Day }, false},
			explainCol{"sha", func(r *compute.Row) string { return r.Deployment.SHA }, false},
			explainCol{"status", func(r *compute.Row) string { return string(r.Deployment.Status) }, false},
			explainCol{"source", func(r *compute.Row) string { return string(r.Deployment.Source) }, false},
			explainCol{"changes", func(r *compute.Row) string { return strconv.Itoa(r.Deployment.Changes) }, true},
			explainCol{"incidents", func(r *compute.Row) string { return strings.Join(r.Deployment.Incidents, ";") }, false},
			explainCol{"security", func(r *compute.Row) string { return yesNo(r.Deployment.Security) }, false},
			explainCol{"fixes", func(r *compute.Row) string { return strings.Join(r.Deployment.Fixes, ";") }, false},
			explainCol{"revert", func(r *compute.Row) string { return yesNo(r.Deployment.Revert) }, false},
		)
	case compute.RowsChanges:
		if e.Key == "lead_time.scan_overhead_pct" {
			cols = append(cols,
				explainCol{"scan_seconds", func(r *compute.Row) string { return optExact(r.Change.ScanSeconds) }, true},
				explainCol{"lead_time_hours", func(r *compute.Row) string { return exact(r.Change.LeadTimeHours) }, true})
		} else if !hasValues {
			cols = append(cols, explainCol{"lead_time_hours", func(r *compute.Row) string { return exact(r.Change.LeadTimeHours) }, true})
		}
		cols = append(cols,
			explainCol{"sha", func(r *compute.Row) string { return r.Change.SHA }, false},
			explainCol{"deployment_id", func(r *compute.Row) string { return r.Change.DeploymentID }, false},
			explainCol{"deployed", func(r *compute.Row) string { return stamp(r.Change.Deployed) }, false},
			explainCol{"counted", func(r *compute.Row) string { return string(r.Change.Counted) }, false},
		)
		started := false
		for i := range e.Rows {
			started = started || e.Rows[i].Change.StartedBy != ""
		}
		if started || e.Key == "lead_time.squash_resolved" {
			cols = append(cols, explainCol{"started_by", func(r *compute.Row) string { return r.Change.StartedBy }, false})
		}
		if o.Authors {
			cols = append(cols, explainCol{"author", func(r *compute.Row) string { return r.Change.Author }, false})
		}
		cols = append(cols, explainCol{"subject", func(r *compute.Row) string { return r.Change.Subject }, false})
	case compute.RowsPulls:
		hours := func(stage string) func(r *compute.Row) string {
			return func(r *compute.Row) string { return optExact(r.Pull.Hours(stage)) }
		}
		valued, _ := cycleStage(e.Key)
		for _, st := range compute.CycleStages {
			if st != valued || !hasValues { // the figure's own stage is the value column
				cols = append(cols, explainCol{st + "_hours", hours(st), true})
			}
		}
		cols = append(cols,
			explainCol{"pull_id", func(r *compute.Row) string { return r.Pull.ID }, false},
			explainCol{"number", func(r *compute.Row) string { return strconv.FormatInt(r.Pull.Number, 10) }, true},
			explainCol{"opened", func(r *compute.Row) string { return stamp(r.Pull.Opened) }, false},
			explainCol{"first_commit", func(r *compute.Row) string { return stamp(r.Pull.FirstCommit) }, false},
			explainCol{"ready", func(r *compute.Row) string { return stamp(r.Pull.Ready) }, false},
			explainCol{"first_review", func(r *compute.Row) string { return stamp(r.Pull.FirstReview) }, false},
			explainCol{"merged", func(r *compute.Row) string { return stamp(r.Pull.Merged) }, false},
			explainCol{"merge_sha", func(r *compute.Row) string { return r.Pull.MergeSHA }, false},
			explainCol{"deployment_id", func(r *compute.Row) string { return r.Pull.DeploymentID }, false},
			explainCol{"deployed", func(r *compute.Row) string { return stamp(r.Pull.Deployed) }, false},
		)
		if o.Authors {
			cols = append(cols, explainCol{"author", func(r *compute.Row) string { return r.Pull.Author }, false})
		}
	case compute.RowsIncidents:
		cols = append(cols,
			explainCol{"incident_id", func(r *compute.Row) string { return r.Incident.ID }, false},
			explainCol{"opened", func(r *compute.Row) string { return stamp(r.Incident.Opened) }, false},
			explainCol{"resolved", func(r *compute.Row) string { return optStamp(r.Incident.Resolved) }, false},
			explainCol{"severity", func(r *compute.Row) string { return string(r.Incident.Severity) }, false},
			explainCol{"category", func(r *compute.Row) string { return string(r.Incident.Category) }, false},
			explainCol{"deployment_id", func(r *compute.Row) string { return r.Incident.DeploymentID }, false},
			explainCol{"attribution", func(r *compute.Row) string { return string(r.Incident.Attribution) }, false},
			explainCol{"title", func(r *compute.Row) string { return r.Incident.Title }, false},
		)
	case compute.RowsEpisodes:
		cols = append(cols,
			explainCol{"tool", func(r *compute.Row) string { return r.Episode.Tool }, false},
			explainCol{"severity", func(r *compute.Row) string { return string(r.Episode.Severity) }, false},
			explainCol{"first_seen", func(r *compute.Row) string { return stamp(r.Episode.FirstSeen) }, false},
			explainCol{"fixed_at", func(r *compute.Row) string { return optStamp(r.Episode.FixedAt) }, false},
		)
		if o.FindingDetails {
			cols = append(cols,
				explainCol{"rule_id", func(r *compute.Row) string { return r.Episode.RuleID }, false},
				explainCol{"uri", func(r *compute.Row) string { return r.Episode.URI }, false},
				explainCol{"line", func(r *compute.Row) string {
					if r.Episode.Line <= 0 {
						return ""
					}
					return strconv.Itoa(r.Episode.Line)
				}, true},
				explainCol{"cwe", func(r *compute.Row) string { return r.Episode.CWE }, false},
			)
		}
		cols = append(cols, policyCols(e, o, stamp)...)
	case compute.RowsResults:
		cols = append(cols,
			explainCol{"tool", func(r *compute.Row) string { return r.Result.Tool }, false},
			explainCol{"severity", func(r *compute.Row) string { return string(r.Result.Severity) }, false},
			explainCol{"scan_id", func(r *compute.Row) string { return r.Result.ScanID }, false},
			explainCol{"observed", func(r *compute.Row) string { return stamp(r.Result.Observed) }, false},
		)
		if o.FindingDetails {
			cols = append(cols,
				explainCol{"rule_id", func(r *compute.Row) string { return r.Result.RuleID }, false},
				explainCol{"uri", func(r *compute.Row) string { return r.Result.URI }, false},
				explainCol{"line", func(r *compute.Row) string {
					if r.Result.Line <= 0 {
						return ""
					}
					return strconv.Itoa(r.Result.Line)
				}, true},
			)
		}
	case compute.RowsScans:
		if !hasValues {
			cols = append(cols, explainCol{"duration_seconds", func(r *compute.Row) string { return optExact(r.Scan.DurationSeconds) }, true})
		}
		cols = append(cols,
			explainCol{"scan_id", func(r *compute.Row) string { return r.Scan.ID }, false},
			explainCol{"tool", func(r *compute.Row) string { return r.Scan.Tool }, false},
			explainCol{"commit", func(r *compute.Row) string { return r.Scan.Commit }, false},
			explainCol{"time", func(r *compute.Row) string { return stamp(r.Scan.Time) }, false},
		)
	}
	return cols
}

// policyCols are the columns of what a security policy figure takes from
// its episodes (compute.EpisodePolicy): the due time of the SLA figures,
// the exemption of accepted risk (what it names and why with finding
// details only), the CWEs of an OWASP category, the production exposure
// and the deployments that bound it.
func policyCols(e *compute.Explanation, o ExplainOptions, stamp func(time.Time) string) []explainCol {
	optStamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return stamp(*t)
	}
	pol := func(f func(p *compute.EpisodePolicy) string) func(r *compute.Row) string {
		return func(r *compute.Row) string {
			if r.Policy == nil {
				return ""
			}
			return f(r.Policy)
		}
	}
	ex := func(f func(x *compute.ExemptionRef) string) func(r *compute.Row) string {
		return pol(func(p *compute.EpisodePolicy) string {
			if p.Exemption == nil {
				return ""
			}
			return f(p.Exemption)
		})
	}
	dep := func(d *compute.DeploymentRef) string {
		if d == nil {
			return ""
		}
		return d.ID
	}
	key := e.Key
	switch {
	case strings.HasPrefix(key, "vulnerabilities.sla."):
		return []explainCol{{"due", pol(func(p *compute.EpisodePolicy) string { return optStamp(p.Due) }), false}}
	case strings.HasPrefix(key, "vulnerabilities.accepted_risk.") && e.Of == compute.RowsEpisodes:
		cols := []explainCol{
			{"exemption", ex(func(x *compute.ExemptionRef) string {
				if x.Path != "" {
					return fmt.Sprintf("path, gitdora.yml line %d", x.Line)
				}
				return fmt.Sprintf("finding, gitdora.yml line %d", x.Line)
			}), false},
			{"expires", ex(func(x *compute.ExemptionRef) string {
				if x.Expires.IsZero() {
					return ""
				}
				return x.Expires.String()
			}), false},
			{"approved_by", ex(func(x *compute.ExemptionRef) string { return x.ApprovedBy }), false},
		}
		if o.FindingDetails {
			cols = append(cols,
				explainCol{"exempts", ex(exemptionNames), false},
				explainCol{"justification", ex(func(x *compute.ExemptionRef) string { return x.Justification }), false})
		}
		return cols
	case strings.HasPrefix(key, "vulnerabilities.owasp_top10."):
		return []explainCol{{"cwes", pol(func(p *compute.EpisodePolicy) string { return strings.Join(p.CWEs, ";") }), false}}
	case strings.HasPrefix(key, "vulnerabilities.exposure."):
		return []explainCol{
			{"live_from", pol(func(p *compute.EpisodePolicy) string { return optStamp(p.LiveFrom) }), false},
			{"live_until", pol(func(p *compute.EpisodePolicy) string { return optStamp(p.LiveUntil) }), false},
			{"shipped_by", pol(func(p *compute.EpisodePolicy) string { return dep(p.Shipped) }), false},
			{"fix_shipped_by", pol(func(p *compute.EpisodePolicy) string { return dep(p.FixShipped) }), false},
			{"fix_shipped_at", pol(func(p *compute.EpisodePolicy) string {
				if p.FixShipped == nil {
					return ""
				}
				return stamp(p.FixShipped.Time)
			}), false},
		}
	}
	return nil
}

// exemptionNames says what an exemption names: a path glob, or a rule
// with the tool, file glob and fingerprint it is restricted to.
func exemptionNames(x *compute.ExemptionRef) string {
	if x.Path != "" {
		return x.Path
	}
	out := "rule " + x.RuleID
	for _, part := range []struct{ name, v string }{{"tool", x.Tool}, {"file", x.File}, {"fingerprint", x.Fingerprint}} {
		if part.v != "" {
			out += " " + part.name + " " + part.v
		}
	}
	return out
}

// ExplainSummary says in words how e's figure follows from its rows, in
// one or more lines of plain text (numbers written exactly).
func ExplainSummary(e *compute.Explanation) []string {
	n := len(e.Rows)
	value := "null (n/a)"
	switch {
	case e.Value != nil:
		value = exact(*e.Value)
	case e.Text != nil:
		value = *e.Text
	}
	head := fmt.Sprintf("%s of %s = %s", e.Key, e.Month, value)
	var lines []string
	switch e.Rule {
	case compute.RuleCount:
		lines = append(lines, head+fmt.Sprintf(": the number of the %d rows below", n))
	case compute.RuleDistinctDays:
		lines = append(lines, head+fmt.Sprintf(": the distinct days (column day) of the %d deployments below", n))
	case compute.RulePerDay:
		lines = append(lines, head+fmt.Sprintf(": the %d deployments below over %s days", n, exact(e.Days)))
	case compute.RuleRatio:
		in := 0
		for i := range e.Rows {
			if e.Rows[i].In {
				in++
			}
		}
		lines = append(lines, head+fmt.Sprintf(": the %d rows below with %s yes, over all %d", in, numeratorName(e), n))
	case compute.RulePercent:
		in := 0
		for i := range e.Rows {
			if e.Rows[i].In {
				in++
			}
		}
		lines = append(lines, head+fmt.Sprintf(": 100 × the %d rows below with %s yes, over all %d", in, numeratorName(e), n))
	case compute.RuleSource:
		lines = append(lines, head+fmt.Sprintf(": where the %d deployments below were read from (column source)", n))
	case compute.RuleMean:
		lines = append(lines, head+fmt.Sprintf(": the mean of %s over the %d rows below, summed in their order", valueName(e), n))
	case compute.RulePercentile:
		lines = append(lines, head+fmt.Sprintf(": the %s percentile of %s over the %d rows below (ascending; linear interpolation between closest ranks)", ordinal(e.P), valueName(e), n))
		if r := e.Ranks; r != nil {
			lo, hi := *e.Rows[r.Lower-1].Value, *e.Rows[r.Upper-1].Value
			if r.Lower == r.Upper || r.Weight == 0 {
				lines = append(lines, fmt.Sprintf("  rank %d of %d: %s", r.Lower, n, exact(lo)))
			} else {
				lines = append(lines, fmt.Sprintf("  between ranks %d and %d of %d, weight %s: %s + %s × (%s − %s)", r.Lower, r.Upper, n, exact(r.Weight), exact(lo), exact(r.Weight), exact(hi), exact(lo)))
			}
		}
	case compute.RuleClass:
		class := "null (n/a)"
		if e.Class != nil {
			class = *e.Class
		}
		lines = append(lines, fmt.Sprintf("%s of %s = %s (benchmark %s), from:", e.Key, e.Month, class, e.Benchmark))
		for _, b := range e.Basis {
			v := "null"
			switch {
			case b.Class != nil:
				v = *b.Class
			case b.Value != nil:
				v = exact(*b.Value)
			}
			lines = append(lines, fmt.Sprintf("  %s = %s", b.Key, v))
		}
		rows := thresholds(e.Benchmark)
		if i, ok := classRow[e.Key]; ok && i < len(rows) {
			t := rows[i]
			lines = append(lines, fmt.Sprintf("  %s: elite %s, high %s, medium %s, low %s", t.Metric, t.Elite, t.High, t.Medium, t.Low))
		} else if e.Key == "classification.overall" {
			lines = append(lines, "  the lowest class among the metrics that have one")
		}
		if n > 0 {
			lines = append(lines, fmt.Sprintf("  the rows below are those of %s", e.Basis[0].Key))
		}
	}
	if e.Note != "" {
		lines = append(lines, "  "+e.Note)
	}
	return lines
}

// classRow is the row of thresholds each class is judged by.
var classRow = map[string]int{
	"classification.deployment_frequency": 0,
	"classification.lead_time":            1,
	"classification.change_failure_rate":  2,
	"classification.time_to_restore":      3,
}

// ordinal is 50th, 95th, 1st, 2nd, 3rd.
func ordinal(p float64) string {
	s := exact(p)
	switch {
	case strings.HasSuffix(s, "1") && !strings.HasSuffix(s, "11"):
		return s + "st"
	case strings.HasSuffix(s, "2") && !strings.HasSuffix(s, "12"):
		return s + "nd"
	case strings.HasSuffix(s, "3") && !strings.HasSuffix(s, "13"):
		return s + "rd"
	}
	return s + "th"
}

// ExplainText writes e for a terminal: how the figure follows from its
// rows, then the rows as a table. Text from commits, incidents and SARIF
// is escaped (esc.Line).
func ExplainText(w io.Writer, e compute.Explanation, o ExplainOptions) error {
	for _, l := range ExplainSummary(&e) {
		if _, err := fmt.Fprintln(w, esc.Line(l)); err != nil {
			return err
		}
	}
	if len(e.Rows) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	cols := explainCols(&e, o)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, c := range cols {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, c.name)
	}
	fmt.Fprintln(tw)
	for i := range e.Rows {
		for j, c := range cols {
			if j > 0 {
				fmt.Fprint(tw, "\t")
			}
			// Tabs would break the columns: esc.Line writes them as \t.
			fmt.Fprint(tw, esc.Line(c.cell(&e.Rows[i])))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// ExplainCSV writes e's rows as CSV, one column per field (the rank and
// the value the figure takes first); text is escaped as ExplainText
// escapes it, since the CSV goes to a terminal too, and a cell that a
// spreadsheet would read as a formula starts with an apostrophe
// (esc.Cell), since it goes to spreadsheets too.
func ExplainCSV(w io.Writer, e compute.Explanation, o ExplainOptions) error {
	cols := explainCols(&e, o)
	cw := csv.NewWriter(w)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for i := range e.Rows {
		rec := make([]string, len(cols))
		for j, c := range cols {
			rec[j] = esc.Cell(c.cell(&e.Rows[i]))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// explainJSON is the JSON of an explanation.
type explainJSON struct {
	Metric     string          `json:"metric"`
	Month      string          `json:"month"`
	Value      any             `json:"value"` // a number, a string (deployment_frequency.source) or null
	Class      *string         `json:"class,omitempty"`
	Rule       compute.Rule    `json:"rule"`
	Percentile *float64        `json:"percentile,omitempty"`
	Ranks      *ranksJSON      `json:"ranks,omitempty"`
	Days       *float64        `json:"days,omitempty"`
	Basis      []basisJSON     `json:"basis,omitempty"`
	Benchmark  string          `json:"benchmark,omitempty"`
	Note       string          `json:"note,omitempty"`
	Of         compute.RowKind `json:"rows_are,omitempty"`
	Columns    []string        `json:"columns"`
	Table      [][]any         `json:"rows"`
}

type ranksJSON struct {
	Lower  int     `json:"lower"`
	Upper  int     `json:"upper"`
	Weight float64 `json:"weight"`
}

type basisJSON struct {
	Metric string   `json:"metric"`
	Value  *float64 `json:"value,omitempty"`
	Class  *string  `json:"class,omitempty"`
}

// ExplainJSON writes e as one JSON object: the figure, how it follows
// from the rows (rule, percentile and ranks, days), and the rows as
// columns and cells, as ExplainCSV writes them.
func ExplainJSON(w io.Writer, e compute.Explanation, o ExplainOptions) error {
	var value any = e.Value
	if e.Value == nil && e.Text != nil {
		value = e.Text
	}
	out := explainJSON{Metric: e.Key, Month: e.Month, Value: value, Class: e.Class, Rule: e.Rule, Benchmark: e.Benchmark, Note: e.Note, Of: e.Of}
	if e.Rule == compute.RulePercentile || e.Ranks != nil {
		p := e.P
		out.Percentile = &p
	}
	if r := e.Ranks; r != nil {
		out.Ranks = &ranksJSON{r.Lower, r.Upper, r.Weight}
	}
	if e.Rule == compute.RulePerDay {
		d := e.Days
		out.Days = &d
	}
	for _, b := range e.Basis {
		out.Basis = append(out.Basis, basisJSON{b.Key, b.Value, b.Class})
	}
	cols := explainCols(&e, o)
	out.Columns = make([]string, len(cols))
	for i, c := range cols {
		out.Columns[i] = c.name
	}
	out.Table = make([][]any, len(e.Rows))
	for i := range e.Rows {
		rec := make([]any, len(cols))
		for j, c := range cols {
			v := c.cell(&e.Rows[i])
			switch f, err := strconv.ParseFloat(v, 64); {
			case !c.num:
				rec[j] = v
			case v == "" || err != nil:
				rec[j] = nil
			default:
				rec[j] = f
			}
		}
		out.Table[i] = rec
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(esc.JSON(append(b, '\n')))
	return err
}
