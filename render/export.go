package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gitdora/gitdora/compute"
)

// promRenames are the metrics whose registry name breaks a Prometheus
// naming rule that `promtool check metrics` enforces: no _total suffix on
// a gauge, no _count suffix outside histograms and summaries, no unit
// other than the base unit (days).
var promRenames = map[string]string{
	"deployments_total": "deployments",
	"deploy_days":       "deploy_dates",
	"scans_count":       "scans",
}

// PromName is the Prometheus name of a metric of compute.Metrics, and the
// factor its value is multiplied by: gitdora_<name>, except that durations
// in hours are exported in seconds (_hours becomes _seconds, × 3600, as
// Prometheus wants base units) and the few names in promRenames. The
// metrics.prom export and the Prometheus rules export both use it.
func PromName(metric string) (name string, scale float64) {
	if r, ok := promRenames[metric]; ok {
		return "gitdora_" + r, 1
	}
	if base, ok := strings.CutSuffix(metric, "_hours"); ok {
		return "gitdora_" + base + "_seconds", 3600
	}
	return "gitdora_" + metric, 1
}

// Prometheus writes the metrics of m in the Prometheus text exposition
// format: one gauge per metric of compute.Metrics that has data (a metric
// without data has no sample), in registry order, plus gitdora_report_info
// naming the month and its overall class.
func Prometheus(w io.Writer, m *compute.Month) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# HELP gitdora_report_info The month these metrics cover and its overall DORA class.\n# TYPE gitdora_report_info gauge\n")
	overall := ""
	if m.Classification.Overall != nil {
		overall = *m.Classification.Overall
	}
	fmt.Fprintf(bw, "gitdora_report_info{month=%s,overall=%s} 1\n", promLabel(m.Month), promLabel(overall))
	for _, mt := range compute.Metrics {
		v := mt.Value(m)
		if v == nil {
			continue
		}
		name, scale := PromName(mt.Name)
		help := mt.Help
		if scale != 1 {
			help = strings.ReplaceAll(help, "hours", "seconds")
		}
		help += " (gitdora metric " + mt.Name + ")"
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", name, promHelp(help), name, name, strconv.FormatFloat(*v*scale, 'g', -1, 64))
	}
	return bw.Flush()
}

// promHelp escapes a HELP text (backslash and line feed).
func promHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

// promLabel quotes a label value (backslash, double quote, line feed).
func promLabel(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// badgeColors are the shields.io colours of the classes.
var badgeColors = map[string]string{
	compute.Elite:  "#44cc11",
	compute.High:   "#97ca00",
	compute.Medium: "#dfb317",
	compute.Low:    "#e05d44",
}

// Badge writes an SVG status badge "DORA | <overall class>" in the flat
// style of shields.io.
func Badge(w io.Writer, m *compute.Month) error {
	label, value, color := "DORA", "n/a", "#9f9f9f"
	if m != nil && m.Classification.Overall != nil {
		if c, ok := badgeColors[*m.Classification.Overall]; ok { // only the known classes reach the SVG
			value, color = *m.Classification.Overall, c
		}
	}
	lw, vw := textWidth(label)+12, textWidth(value)+12
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">`, lw+vw, label, value)
	fmt.Fprintf(&b, `<title>%s: %s</title>`, label, value)
	b.WriteString(`<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`)
	fmt.Fprintf(&b, `<clipPath id="r"><rect width="%d" height="20" rx="3" fill="#fff"/></clipPath>`, lw+vw)
	fmt.Fprintf(&b, `<g clip-path="url(#r)"><rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/><rect width="%d" height="20" fill="url(#s)"/></g>`, lw, lw, vw, color, lw+vw)
	b.WriteString(`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`)
	fmt.Fprintf(&b, `<text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text>`, lw/2, label, lw/2, label)
	fmt.Fprintf(&b, `<text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text>`, lw+vw/2, value, lw+vw/2, value)
	b.WriteString("</g></svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// textWidth estimates the width in pixels of s in 11px Verdana.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("ilj.,:;'|!/", r):
			w += 3.5
		case r >= 'A' && r <= 'Z', r == 'm', r == 'w':
			w += 8.5
		default:
			w += 7
		}
	}
	return int(w + 0.5)
}
