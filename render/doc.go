// Package render turns computed months into what people and tools read:
// the Markdown report, HTML pages (goldmark, html/template, go-echarts),
// and JSON, CSV and Prometheus exports. It computes nothing itself and
// escapes every text that came from commits, SARIF or incidents.
package render
