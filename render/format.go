package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MD is Markdown text that is safe to place inline: in a paragraph, a list
// item or a table cell. Text from commits, SARIF or incidents becomes MD
// only through Text.
type MD string

// mdSpecial are the characters Text escapes with a backslash: everything
// that can start markup inline (emphasis, code, links, images, raw HTML,
// entities, table cells, strikethrough, math) in CommonMark and GitHub
// Flavored Markdown. CommonMark renders a backslash-escaped ASCII
// punctuation character as the character itself.
const mdSpecial = "\\`*_[]<>&|~$!#"

// Text turns untrusted text into inline Markdown that shows exactly that
// text: markup characters are backslash-escaped, line breaks become spaces
// and other control characters are dropped, and the text is cut at max
// runes (0: no limit) with an ellipsis. It also breaks what GitHub would
// turn into links on its own (www., scheme://, e-mail addresses), so a
// commit subject cannot add a link to the report.
func Text(s string, max int) MD {
	if max > 0 && utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	// Clean first, escape second: a dropped control character must not
	// hide a "www." or "://" that the reader will see joined up.
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r < 0x80 && strings.ContainsRune(mdSpecial, r),
			r == '@',
			r == ':' && strings.HasPrefix(s[i+1:], "//"),
			r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return MD(b.String())
}

// Code is a commit hash or similar identifier as inline code; anything
// but [0-9A-Za-z._-] is dropped so it cannot break out of the code span.
func Code(s string) MD {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return MD("`" + b.String() + "`")
}

// nbsp joins a number and its unit (and an operator and its number) so a
// narrow table cell never breaks them apart.
const nbsp = "\u00a0"

// na is how a metric without data reads.
const na = "n/a"

// trimNum formats v with at most prec decimals, without trailing zeros
// and never as "-0".
func trimNum(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Hours formats a duration given in hours: minutes below an hour, hours
// below three days, days above.
func Hours(h float64) string {
	switch a := math.Abs(h); {
	case a == 0:
		return "0" + nbsp + "h"
	case a*60 < 1:
		return "<" + nbsp + "1" + nbsp + "min"
	case a < 1:
		return trimNum(h*60, 0) + nbsp + "min"
	case a < 72:
		return trimNum(h, 1) + nbsp + "h"
	default:
		return trimNum(h/24, 1) + nbsp + "d"
	}
}

// Seconds formats a duration given in seconds.
func Seconds(s float64) string {
	switch a := math.Abs(s); {
	case a < 120:
		return trimNum(s, 0) + nbsp + "s"
	case a < 7200:
		return trimNum(s/60, 1) + nbsp + "min"
	default:
		return trimNum(s/3600, 1) + nbsp + "h"
	}
}

// Percent formats a share given as a fraction (0.05 → "5 %").
func Percent(f float64) string { return trimNum(f*100, 1) + nbsp + "%" }

// unit says how a metric's value reads.
type unit int

const (
	unitCount    unit = iota
	unitPerDay        // deployments per day
	unitHours         // a duration in hours
	unitSeconds       // a duration in seconds
	unitFraction      // a share 0-1, shown as percent
	unitPercent       // already a percent
)

// metricInfo is how the report names and shows a compute.Metrics entry.
type metricInfo struct {
	Label string
	Unit  unit
	// HigherBetter is true where a rise is an improvement.
	HigherBetter bool
}

// info describes a metric by its registry name; unknown names get a
// label from the name and a unit from its suffix.
func info(name string) metricInfo {
	if mi, ok := metricInfos[name]; ok {
		return mi
	}
	mi := metricInfo{Label: strings.ReplaceAll(name, "_", " ")}
	switch {
	case strings.HasSuffix(name, "_hours"):
		mi.Unit = unitHours
	case strings.HasSuffix(name, "_seconds"):
		mi.Unit = unitSeconds
	case strings.HasSuffix(name, "_pct"):
		mi.Unit = unitPercent
	case strings.HasSuffix(name, "_rate"):
		mi.Unit = unitFraction
	}
	return mi
}

var metricInfos = map[string]metricInfo{
	"deployments_per_day":        {"Deployment frequency", unitPerDay, true},
	"deployments_total":          {"Deployments", unitCount, true},
	"deployments_successful":     {"Successful deployments", unitCount, true},
	"deploy_days":                {"Deploy days", unitCount, true},
	"block_rate":                 {"Gate block rate", unitFraction, false},
	"lead_time_p50_hours":        {"Lead time for changes, p50", unitHours, false},
	"lead_time_p95_hours":        {"Lead time for changes, p95", unitHours, false},
	"lead_time_mean_hours":       {"Lead time for changes, mean", unitHours, false},
	"scan_overhead_pct":          {"Scan overhead (share of lead time)", unitPercent, false},
	"change_failure_rate":        {"Change failure rate", unitFraction, false},
	"time_to_restore_p50_hours":  {"Time to restore service, p50", unitHours, false},
	"time_to_restore_mean_hours": {"Time to restore service, mean", unitHours, false},
	"rework_rate":                {"Rework rate", unitFraction, false},
	"mttr_critical_hours":        {"Vulnerability MTTR, critical", unitHours, false},
	"mttr_high_hours":            {"Vulnerability MTTR, high", unitHours, false},
	"mttr_medium_hours":          {"Vulnerability MTTR, medium", unitHours, false},
	"mttr_low_hours":             {"Vulnerability MTTR, low", unitHours, false},
	"fix_lead_time_p50_hours":    {"Lead time for security fixes, p50", unitHours, false},
	"fix_lead_time_p95_hours":    {"Lead time for security fixes, p95", unitHours, false},
	"scan_duration_p50_seconds":  {"Scan duration, p50", unitSeconds, false},
	"scan_duration_p95_seconds":  {"Scan duration, p95", unitSeconds, false},
	"scans_count":                {"Scans", unitCount, true},

	"cycle_time_pull_requests":    {"Pull requests merged", unitCount, true},
	"cycle_time_coding_p50_hours": {"Cycle time: coding, p50", unitHours, false},
	"cycle_time_pickup_p50_hours": {"Cycle time: pickup, p50", unitHours, false},
	"cycle_time_review_p50_hours": {"Cycle time: review, p50", unitHours, false},
	"cycle_time_deploy_p50_hours": {"Cycle time: deploy, p50", unitHours, false},
}

// format shows a value in a unit; nil is "n/a".
func (u unit) format(v *float64) string {
	if v == nil {
		return na
	}
	x := *v
	switch u {
	case unitPerDay:
		return trimNum(x, 2) + "/day"
	case unitHours:
		return Hours(x)
	case unitSeconds:
		return Seconds(x)
	case unitFraction:
		return Percent(x)
	case unitPercent:
		return trimNum(x, 1) + nbsp + "%"
	default:
		return trimNum(x, 2)
	}
}

// delta shows the change from prev to cur, signed, in the unit (percentage
// points for shares); "" when either is missing.
func (u unit) delta(cur, prev *float64) string {
	if cur == nil || prev == nil {
		return ""
	}
	d := *cur - *prev
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	var s string
	switch u {
	case unitFraction:
		s = trimNum(d*100, 1) + nbsp + "pp"
	case unitPercent:
		s = trimNum(d, 1) + nbsp + "pp"
	default:
		s = u.format(&d)
	}
	if s == "0" || strings.HasPrefix(s, "0"+nbsp) || strings.HasPrefix(s, "0/") {
		return "±0"
	}
	return sign + s
}

// opText shows a target operator with typographic symbols.
func opText(op string) string {
	switch op {
	case "<=":
		return "≤"
	case ">=":
		return "≥"
	case "==":
		return "="
	case "!=":
		return "≠"
	}
	return op
}

// ptr returns a pointer to v.
func ptr(v float64) *float64 { return &v }

// ratio is a/b, nil when b is 0.
func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	return ptr(float64(a) / float64(b))
}

// plural is "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// className shows a DORA class: "Elite", or "n/a".
func className(c *string) string {
	if c == nil || *c == "" {
		return na
	}
	return strings.ToUpper((*c)[:1]) + (*c)[1:]
}
