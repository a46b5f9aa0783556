package render

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/esc"
)

const promRulesHeader = `# Prometheus alerting rules for the gitdora alert rules
# (gitdora alerts --export prometheus), for teams that alert with Alertmanager.
#
# They read the gauges of metrics.prom, which gitdora site writes: one gauge
# per metric holding the latest month's value, named gitdora_<metric> except
# that hours are exported as seconds (lead_time_p50_hours is
# gitdora_lead_time_p50_seconds, and a threshold of 1 becomes 3600) and
# deployments_total, deploy_days and scans_count are gitdora_deployments,
# gitdora_deploy_dates and gitdora_scans. Scrape that file (for example with
# the node exporter's textfile collector) after each site build.
#
# How a gitdora rule carries over:
#   condition   metric <op> n          ->  gitdora_<metric> <op> n (in the gauge's unit)
#               change_pct(metric, w)  ->  100 * (gitdora_<metric> - gitdora_<metric> offset w)
#                                            / abs(gitdora_<metric> offset w != 0)
#                                          (no sample w ago, or a zero one: no value, so no alert)
#               and / or               ->  PromQL's and / or, per scraped target
#   for         as Prometheus's for: the expression must hold on every
#               evaluation for that long (gitdora checks once a day).
#   window      has no equivalent: each gauge is already the month's value,
#               not a value over the rule's trailing window. Expect Prometheus
#               to fire later and clear later than gitdora alerts does.
#   severity    the label severity; message: the annotation summary.
`

type promRuleFile struct {
	Groups []promGroup `yaml:"groups"`
}

type promGroup struct {
	Name  string     `yaml:"name"`
	Rules []promRule `yaml:"rules"`
}

type promRule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

var promBadName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-zA-Z0-9_]`) })

// AlertRulesPrometheus writes rules as a Prometheus alerting rules file
// over the gauges of metrics.prom (see the comment it starts with).
func AlertRulesPrometheus(rules []alert.Rule) ([]byte, error) {
	g := promGroup{Name: "gitdora", Rules: []promRule{}}
	for i := range rules {
		r := &rules[i]
		name := promBadName().ReplaceAllString(r.Name, "_")
		if name == "" || name[0] >= '0' && name[0] <= '9' {
			name = "gitdora_" + name
		}
		g.Rules = append(g.Rules, promRule{
			Alert:  name,
			Expr:   PromExpr(r.Cond),
			For:    config.FormatDuration(r.For),
			Labels: map[string]string{"severity": r.Severity},
			// Names and messages come from a rules file: escaped as the
			// other alert outputs escape them (the file goes to stdout).
			Annotations: map[string]string{
				"summary":     promTemplateText(esc.Line(alertOneLine(r.Message))),
				"description": promTemplateText(esc.Line("gitdora rule "+r.Name+": "+alertRuleText(r)+".")) + " Value: {{ $value }}.",
			},
		})
	}
	var b bytes.Buffer
	b.WriteString(promRulesHeader)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(promRuleFile{Groups: []promGroup{g}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// promTemplateText keeps text literal in a Prometheus annotation, which is
// a Go template.
func promTemplateText(s string) string {
	return strings.NewReplacer("{{", `{{ "{{" }}`, "}}", `{{ "}}" }}`).Replace(s)
}

// PromExpr is the PromQL expression of a condition.
func PromExpr(e config.Expr) string {
	switch e := e.(type) {
	case *config.Or:
		return "(" + PromExpr(e.L) + ") or (" + PromExpr(e.R) + ")"
	case *config.And:
		return "(" + PromExpr(e.L) + ") and (" + PromExpr(e.R) + ")"
	case *config.Compare:
		g, scale := PromName(e.Operand.Metric)
		if e.Operand.Change == 0 {
			// The gauge may be in another unit (seconds for hours): so is the threshold.
			return g + " " + e.Op + " " + strconv.FormatFloat(e.Value*scale, 'g', -1, 64)
		}
		// A percent change is the same in any unit.
		prev := g + " offset " + config.FormatDuration(e.Operand.Change)
		return "100 * (" + g + " - " + prev + ") / abs(" + prev + " != 0) " + e.Op + " " + strconv.FormatFloat(e.Value, 'g', -1, 64)
	}
	return ""
}
