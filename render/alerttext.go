package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/esc"
)

// alertNumber writes a metric value for people: n/a without data, two
// decimals from 1 up, four significant ones below.
func alertNumber(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return "n/a"
	}
	x := *v
	prec := 2
	if a := math.Abs(x); a < 1 && a > 0 {
		prec = 4 - int(math.Floor(math.Log10(a))) - 1
	}
	return trimNum(x, min(prec, 12))
}

// alertValues writes the condition's operands and their values at the
// last evaluation point: "deployments_per_day = 0.43".
func alertValues(f alert.Firing) string {
	parts := make([]string, len(f.Values))
	for i, v := range f.Values {
		parts[i] = v.Operand.String() + " = " + alertNumber(v.Value)
		if v.Operand.Change > 0 && v.Value != nil {
			parts[i] += " %"
		}
	}
	return strings.Join(parts, ", ")
}

// alertRuleText is "condition for 7d" (and the window when it differs).
func alertRuleText(r *alert.Rule) string {
	s := strings.TrimSpace(r.Source.Condition) + " for " + config.FormatDuration(r.For)
	if r.Window != r.For {
		s += ", window " + config.FormatDuration(r.Window)
	}
	return s
}

func alertAsOf(res alert.Result) string {
	return fmt.Sprintf("the end of %s (%s)", res.Day.Format("2006-01-02"), zoneName(res.Day))
}

// AlertText is the readable list `gitdora alerts` prints.
func AlertText(res alert.Result) string {
	var b strings.Builder
	if len(res.Firing) == 0 {
		fmt.Fprintf(&b, "No alert firing as of %s; %s evaluated.\n", alertAsOf(res), plural(res.Rules, "rule", "rules"))
		return b.String()
	}
	fmt.Fprintf(&b, "%s firing as of %s; %s evaluated.\n", plural(len(res.Firing), "alert", "alerts"), alertAsOf(res), plural(res.Rules, "rule", "rules"))
	// Names, messages and conditions come from a rules file: escaped, so
	// that none can end its line or start a workflow command.
	for _, f := range res.Firing {
		fmt.Fprintf(&b, "\n%-8s  %s  since %s (%s)\n", strings.ToUpper(f.Rule.Severity), esc.Line(f.Rule.Name), f.Since.Format("2006-01-02"), plural(f.Days, "day", "days"))
		fmt.Fprintf(&b, "          %s\n", esc.Line(alertOneLine(f.Rule.Message)))
		fmt.Fprintf(&b, "          %s (rule: %s)\n", esc.Line(alertValues(f)), esc.Line(alertRuleText(f.Rule)))
	}
	return b.String()
}

func alertOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// alertJSON is the document `gitdora alerts --json` prints.
type alertJSON struct {
	AsOf   string          `json:"as_of"`        // the last day evaluated, YYYY-MM-DD
	End    string          `json:"evaluated_at"` // the last evaluation point, RFC 3339
	Zone   string          `json:"time_zone"`
	Rules  int             `json:"rules"`
	Alerts []alertJSONItem `json:"alerts"`
}

type alertJSONItem struct {
	compute.Alert
	Days      int              `json:"days"`
	Condition string           `json:"condition"`
	For       string           `json:"for"`
	Window    string           `json:"window"`
	Values    []alertJSONValue `json:"values"`
}

type alertJSONValue struct {
	Operand string   `json:"operand"`
	Value   *float64 `json:"value"`
}

// AlertJSON is the firing alerts as JSON: each has the keys of alerts[]
// in docs/metrics.md (name, severity, message, since) and what the rule said.
func AlertJSON(res alert.Result) ([]byte, error) {
	doc := alertJSON{
		AsOf:   res.Day.Format("2006-01-02"),
		End:    res.End.Format("2006-01-02T15:04:05Z07:00"),
		Zone:   res.Day.Location().String(),
		Rules:  res.Rules,
		Alerts: []alertJSONItem{},
	}
	for _, f := range res.Firing {
		it := alertJSONItem{
			Alert:     f.Alert(),
			Days:      f.Days,
			Condition: strings.TrimSpace(f.Rule.Source.Condition),
			For:       config.FormatDuration(f.Rule.For),
			Window:    config.FormatDuration(f.Rule.Window),
			Values:    []alertJSONValue{},
		}
		for _, v := range f.Values {
			var x *float64
			if v.Value != nil && !math.IsNaN(*v.Value) && !math.IsInf(*v.Value, 0) {
				x = v.Value
			}
			it.Values = append(it.Values, alertJSONValue{v.Operand.String(), x})
		}
		doc.Alerts = append(doc.Alerts, it)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // conditions hold < and >
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// AlertSummary is the Markdown `gitdora alerts` appends to a GitHub
// Actions step summary.
func AlertSummary(res alert.Result) string {
	var b strings.Builder
	if len(res.Firing) == 0 {
		fmt.Fprintf(&b, "### gitdora alerts: none firing\n\nAs of %s; %s evaluated.\n", alertCell(alertAsOf(res)), plural(res.Rules, "rule", "rules"))
		return b.String()
	}
	fmt.Fprintf(&b, "### gitdora alerts: %s firing\n\nAs of %s; %s evaluated.\n\n", strconv.Itoa(len(res.Firing)), alertCell(alertAsOf(res)), plural(res.Rules, "rule", "rules"))
	b.WriteString("| Severity | Alert | Since | Message | Values | Rule |\n|---|---|---|---|---|---|\n")
	for _, f := range res.Firing {
		fmt.Fprintf(&b, "| %s %s | %s | %s | %s | %s | %s |\n",
			alertIcon(f.Rule.Severity), f.Rule.Severity, alertCell(f.Rule.Name), f.Since.Format("2006-01-02"),
			alertCell(f.Rule.Message), alertCell(alertValues(f)), alertCode(alertRuleText(f.Rule)))
	}
	return b.String()
}

func alertIcon(s string) string {
	switch s {
	case alert.Critical:
		return "🔴"
	case alert.Warning:
		return "🟠"
	}
	return "🔵"
}

// alertCell makes text safe in a Markdown table cell: one line without
// control characters, no pipe, and no HTML (GitHub renders some in
// summaries).
func alertCell(s string) string {
	return strings.NewReplacer("|", `\|`, "&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(esc.Line(alertOneLine(s)))
}

// alertCode makes text a Markdown code span in a table cell. A code span
// shows its content as is (an entity such as &lt; would show literally)
// and holds no markup or HTML, so only its delimiter needs care: the
// fence is one backtick longer than the longest run of backticks inside,
// padded with a space when the text starts or ends with one. The pipe is
// escaped still: GitHub splits a table row at pipes before it reads code
// spans, and drops the backslash of \| inside them.
func alertCode(s string) string {
	s = esc.Line(alertOneLine(s))
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	fence := strings.Repeat("`", longest+1)
	return fence + strings.ReplaceAll(s, "|", `\|`) + fence
}

// AlertAnnotations is one GitHub Actions workflow command per firing
// alert: ::error for critical, ::warning for warning, ::notice for info.
func AlertAnnotations(res alert.Result) string {
	var b strings.Builder
	for _, f := range res.Firing {
		cmd := "notice"
		switch f.Rule.Severity {
		case alert.Critical:
			cmd = "error"
		case alert.Warning:
			cmd = "warning"
		}
		msg := fmt.Sprintf("%s (since %s; %s)", alertOneLine(f.Rule.Message), f.Since.Format("2006-01-02"), alertValues(f))
		fmt.Fprintf(&b, "::%s title=%s::%s\n", cmd, esc.CommandProperty("gitdora alert "+f.Rule.Name), esc.CommandData(msg))
	}
	return b.String()
}

// AlertMetrics lists the metric names conditions may use, one a line with
// its meaning, for `gitdora alerts --help`.
func AlertMetrics() string {
	w := 0
	for _, m := range compute.Metrics {
		w = max(w, len(m.Name))
	}
	var b strings.Builder
	for _, m := range compute.Metrics {
		fmt.Fprintf(&b, "  %-*s  %s\n", w, m.Name, m.Help)
	}
	return b.String()
}
