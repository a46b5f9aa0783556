package render

import (
	"fmt"
	"strings"

	"github.com/gitdora/gitdora/compute"
)

// PrometheusMarkdown is the table of every series metrics.prom holds, as
// docs/metrics.md lists it: the gauge, the metric it exports, its unit,
// and what it means. It is generated from what Prometheus writes, so the
// documentation names exactly the exported series.
func PrometheusMarkdown() string {
	var b strings.Builder
	b.WriteString("| gauge | metric | unit | meaning |\n|---|---|---|---|\n")
	b.WriteString("| `gitdora_report_info` | — | always 1 | labels `month` (YYYY-MM) and `overall` (the overall DORA class, empty without one) |\n")
	for _, m := range compute.Metrics {
		g, scale := PromName(m.Name)
		unit, help := promUnit(m.Name), m.Help
		if scale != 1 {
			unit = fmt.Sprintf("seconds (the metric's hours × %g)", scale)
			help = strings.ReplaceAll(help, "hours", "seconds")
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", g, m.Name, unit, alertCell(help))
	}
	return b.String()
}

// promUnit is the unit of a metric exported as it is computed.
func promUnit(name string) string {
	switch {
	case strings.HasSuffix(name, "_seconds"):
		return "seconds"
	case strings.HasSuffix(name, "_pct"):
		return "percent"
	case strings.HasSuffix(name, "_rate"), name == "block_rate":
		return "fraction (0–1)"
	case name == "deployments_per_day":
		return "per day"
	}
	return "count"
}
