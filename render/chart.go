package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Figure is one or more charts and the table that carries their numbers,
// so a reader without JavaScript (or without Mermaid) loses nothing.
type Figure struct {
	ID     string
	Charts []Chart
	Table  FigureTable
}

// Chart is a category chart: X labels and one or more series over them.
type Chart struct {
	ID     string // fixed, unique within a page: the element id of the HTML chart
	Title  string // our own text, never from the data
	YName  string // the unit of the Y axis
	X      []string
	Series []Series
	// Budget draws a horizontal line at that value (e.g. a scan time budget).
	Budget *float64
	// BudgetName labels the Budget line.
	BudgetName string
}

// Series is one line or bar of a chart; nil values are gaps.
type Series struct {
	Name   string
	Values []*float64
	Bar    bool
	Stack  string // bars with the same Stack are stacked
	Color  string // "" for the palette's
}

// FigureTable is a Markdown table; cells are already safe Markdown.
type FigureTable struct {
	Header []string
	// Align has one letter per column: l or r (default l).
	Align string
	Rows  [][]MD
}

// empty reports whether no series of c has a value.
func (c *Chart) empty() bool {
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v != nil {
				return false
			}
		}
	}
	return true
}

// Markdown renders the table.
func (t FigureTable) Markdown() MD {
	if len(t.Header) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("|")
	for _, h := range t.Header {
		b.WriteString(" " + string(Text(h, 0)) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Header {
		if i < len(t.Align) && t.Align[i] == 'r' {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for _, c := range row {
			if c == "" {
				c = " "
			}
			b.WriteString(" " + string(c) + " |")
		}
		b.WriteString("\n")
	}
	return MD(b.String())
}

// mermaidNum writes a value for a Mermaid chart.
func mermaidNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// Mermaid renders c as a Mermaid xychart-beta block (GitHub renders it).
// Mermaid has no gaps, so categories where a series has no value are left
// out and named below the chart; stacked bars become lines. It is "" when
// there is nothing to draw.
func (c *Chart) Mermaid() MD {
	if c.empty() {
		return ""
	}
	series := c.mermaidSeries()
	var keep []int
	var dropped []string
	for i, x := range c.X {
		ok := true
		for _, s := range series {
			if i >= len(s.Values) || s.Values[i] == nil {
				ok = false
			}
		}
		if ok {
			keep = append(keep, i)
		} else {
			dropped = append(dropped, x)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	bars := 0
	for _, s := range series {
		if s.Bar {
			bars++
		}
	}
	var names []string
	for _, s := range series {
		kind := "line"
		if s.Bar && bars == 1 {
			kind = "bars"
		}
		names = append(names, s.Name+" ("+kind+")")
	}
	title := c.Title
	if len(series) > 1 {
		title += ": " + strings.Join(names, ", ")
	} else if len(c.Series) > 1 {
		title += ", " + series[0].Name
	}
	var b strings.Builder
	b.WriteString("```mermaid\nxychart-beta\n")
	fmt.Fprintf(&b, "    title %s\n", mermaidString(title))
	b.WriteString("    x-axis [")
	for j, i := range keep {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(mermaidString(c.X[i]))
	}
	b.WriteString("]\n")
	if c.YName != "" {
		fmt.Fprintf(&b, "    y-axis %s\n", mermaidString(c.YName))
	}
	for _, s := range series {
		kind := "line"
		if s.Bar && bars == 1 {
			kind = "bar"
		}
		b.WriteString("    " + kind + " [")
		for j, i := range keep {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(mermaidNum(*s.Values[i]))
		}
		b.WriteString("]\n")
	}
	b.WriteString("```\n")
	if len(dropped) > 0 {
		b.WriteString("\n_Left out of the chart for lack of data: " + string(Text(strings.Join(dropped, ", "), 0)) + "._\n")
	}
	return MD(b.String())
}

// mermaidSeries are the series a Mermaid chart draws: Mermaid cannot
// stack bars, so stacked bars become one bar of their total.
func (c *Chart) mermaidSeries() []Series {
	var out []Series
	var total *Series
	for _, s := range c.Series {
		if !s.Bar || s.Stack == "" {
			out = append(out, s)
			continue
		}
		if total == nil {
			out = append(out, Series{Name: "total", Bar: true, Values: make([]*float64, len(c.X))})
			total = &out[len(out)-1]
		}
		for i, v := range s.Values {
			if v == nil || i >= len(total.Values) {
				continue
			}
			if total.Values[i] == nil {
				total.Values[i] = ptr(0)
			}
			*total.Values[i] += *v
		}
	}
	return out
}

// mermaidString quotes s for Mermaid, dropping what would end the string.
func mermaidString(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '"', '\n', '\r', '`', '<', '>':
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

// Option builds the chart with go-echarts and returns its ECharts option as
// JSON with <, > and & escaped (\u003c …), so it is safe inside a <script>
// element whatever the labels hold. go-echarts' own snippet puts the
// option into the script unescaped, so only its option model is used.
func (c *Chart) Option() []byte {
	x := c.X
	if x == nil {
		x = []string{}
	}
	init := opts.Initialization{ChartID: c.ID, Width: "100%", Height: "320px"}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(init),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(c.Series) > 1), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Left: "12", Right: "24", Top: "36", Bottom: "48", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Name: c.YName}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
	}
	var base *charts.RectChart
	var lines []*charts.Line
	bar := charts.NewBar()
	bar.SetGlobalOptions(global...)
	bar.SetXAxis(x)
	hasBar := false
	for i, s := range c.Series {
		so := []charts.SeriesOpts{}
		if s.Color != "" {
			so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
		}
		if i == 0 && c.Budget != nil {
			so = append(so, charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: c.BudgetName, YAxis: *c.Budget}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"}, Label: &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: c.BudgetName}}))
		}
		if s.Bar {
			hasBar = true
			if s.Stack != "" {
				so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: s.Stack}))
			}
			data := make([]opts.BarData, len(s.Values))
			for j, v := range s.Values {
				data[j] = opts.BarData{Value: chartValue(v)}
			}
			bar.AddSeries(s.Name, data, so...)
			continue
		}
		l := charts.NewLine()
		so = append(so, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.LineData{Value: chartValue(v)}
		}
		l.AddSeries(s.Name, data, so...)
		lines = append(lines, l)
	}
	if hasBar {
		base = &bar.RectChart
		for _, l := range lines {
			bar.Overlap(l)
		}
		bar.Validate()
	} else {
		line := charts.NewLine()
		line.SetGlobalOptions(global...)
		line.SetXAxis(x)
		for _, l := range lines {
			line.MultiSeries = append(line.MultiSeries, l.MultiSeries...)
		}
		base = &line.RectChart
		line.Validate()
	}
	obj := base.JSON()
	obj["animationDuration"] = 400
	b, err := json.Marshal(obj) // escapes <, >, &, U+2028 and U+2029
	if err != nil {
		panic("chart option: " + err.Error()) // only numbers and strings: cannot happen
	}
	return b
}

// chartValue is a data value for ECharts: "-" marks a gap.
func chartValue(v *float64) any {
	if v == nil || math.IsInf(*v*1000, 0) || math.IsNaN(*v) {
		return "-"
	}
	return math.Round(*v*1000) / 1000
}

// HTML renders c as the element the site's charts.js draws into, followed
// by its option in a JSON script element (no inline code runs).
func (c *Chart) HTML() string {
	var b bytes.Buffer
	id := html.EscapeString(c.ID)
	title := html.EscapeString(c.Title)
	fmt.Fprintf(&b, `<figure class="chart"><figcaption>%s</figcaption><div class="echart" id="%s" role="img" aria-label="%s"></div>`, title, id, title)
	fmt.Fprintf(&b, `<script type="application/json" data-chart="%s">`, id)
	b.Write(c.Option())
	b.WriteString("</script></figure>\n")
	return b.String()
}
