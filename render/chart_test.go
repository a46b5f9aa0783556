package render

import (
	"strings"
	"testing"
)

func TestMermaid(t *testing.T) {
	p := ptr
	c := Chart{ID: "c", Title: "Lead time", YName: "hours", X: []string{"2026-01", "2026-02", "2026-03"},
		Series: []Series{{Name: "p50", Bar: true, Values: []*float64{p(1.234), nil, p(3)}}, {Name: "p95", Values: []*float64{p(10), p(11), p(12.005)}}}}
	want := "```mermaid\nxychart-beta\n" +
		"    title \"Lead time: p50 (bars), p95 (line)\"\n" +
		"    x-axis [\"2026-01\", \"2026-03\"]\n" +
		"    y-axis \"hours\"\n" +
		"    bar [1.23, 3]\n" +
		"    line [10, 12.01]\n" +
		"```\n\n_Left out of the chart for lack of data: 2026-02._\n"
	if got := string(c.Mermaid()); got != want {
		t.Errorf("Mermaid() =\n%s\nwant\n%s", got, want)
	}

	// Stacked bars become one bar of their total; a label cannot close the string.
	s := Chart{Title: "Open", X: []string{`a"b<c>`, "d"}, Series: []Series{
		{Name: "critical", Bar: true, Stack: "s", Values: []*float64{p(1), p(2)}},
		{Name: "high", Bar: true, Stack: "s", Values: []*float64{p(3), nil}},
	}}
	got := string(s.Mermaid())
	for _, w := range []string{`title "Open, total"`, `x-axis ["abc", "d"]`, "bar [4, 2]"} {
		if !strings.Contains(got, w) {
			t.Errorf("stacked Mermaid lacks %q:\n%s", w, got)
		}
	}

	if got := (&Chart{X: []string{"a"}, Series: []Series{{Values: []*float64{nil}}}}).Mermaid(); got != "" {
		t.Errorf("a chart without values renders %q, want nothing", got)
	}
}

func TestFigureRendering(t *testing.T) {
	p := ptr
	f := &Figure{ID: "f", Charts: []Chart{{ID: "chart-f", Title: "T", X: []string{"a"}, Series: []Series{{Name: "s", Values: []*float64{p(1)}}}}},
		Table: FigureTable{Header: []string{"Bucket", "n"}, Align: "lr", Rows: [][]MD{{"a", "1"}}}}
	md := string(renderFigure(f, false))
	if !strings.Contains(md, "```mermaid") || !strings.Contains(md, "| Bucket | n |\n|---|---:|\n| a | 1 |\n") {
		t.Errorf("Markdown figure:\n%s", md)
	}
	html := string(renderFigure(f, true))
	if !strings.Contains(html, "```"+chartFence+"\nchart-f\n```") || strings.Contains(html, "mermaid") || !strings.Contains(html, "| a | 1 |") {
		t.Errorf("page figure:\n%s", html)
	}
	if renderFigure(nil, false) != "" {
		t.Error("a missing figure renders something")
	}
}
