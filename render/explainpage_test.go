package render

import (
	htmltemplate "html/template"
	"strings"
	"testing"
)

// The rows of an explain page are escaped as html/template escapes text:
// the page is byte for byte what the template wrote.
func FuzzRowsHTML(f *testing.F) {
	for _, s := range []string{"", "plain", `<script>alert("x")</script>`, "a+b & c's \x00 \xff\xfe é 𝄞", "\u2028\ufdd0\uffff"} {
		f.Add(s, "second")
	}
	tmpl := htmltemplate.Must(htmltemplate.New("rows").Parse(`{{- range .}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}`))
	f.Fuzz(func(t *testing.T, a, b string) {
		rows := [][]string{{a, b}, {b}, {}}
		var want strings.Builder
		if err := tmpl.Execute(&want, rows); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		writeRows(&got, rows)
		if got.String() != want.String() {
			t.Fatalf("writeRows(%q, %q) = %q, want %q", a, b, got.String(), want.String())
		}
	})
}
