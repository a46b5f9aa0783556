package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/render"
)

// ECharts from another host loads with its integrity hash and
// crossorigin="anonymous"; a local copy needs none; another host without
// a hash, or a hash that is not one, is refused rather than written.
func TestEchartsIntegrity(t *testing.T) {
	r := newRenderer(t)
	const hash = "sha384-pPi0zxBAoDu6+JXW/C68UZLvBUUtU+7zonhif43rqj7pxsGyqyqzcian2Rj37Rss"
	for _, tc := range []struct {
		src, integrity string
		want, err      string
	}{
		{"https://cdn.example/echarts.min.js", hash, `<script src="https://cdn.example/echarts.min.js" integrity="` + hash + `" crossorigin="anonymous"></script>`, ""},
		{"assets/echarts.min.js", "", `<script src="assets/echarts.min.js"></script>`, ""},
		{"../echarts.min.js", "", `<script src="../echarts.min.js"></script>`, ""},
		{"https://cdn.example/echarts.min.js", "", "", "on another host and has no integrity hash"},
		{"//cdn.example/echarts.min.js", "", "", "on another host and has no integrity hash"},
		{"https://cdn.example/echarts.min.js", `sha384-x" onload="alert(1)`, "", "want sha384-<base64>"},
		{"https://cdn.example/echarts.min.js", "md5-abc", "", "want sha384-<base64>"},
	} {
		var b bytes.Buffer
		p := render.Page{Title: "t", Site: true, Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: tc.src, EchartsIntegrity: tc.integrity, ChartsJSSrc: "assets/charts.js"}}
		err := r.MonthHTML(&b, fixtureReport(""), p)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s with %q: err = %v, want %q", tc.src, tc.integrity, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%s with %q: %v", tc.src, tc.integrity, err)
		case tc.err == "" && strings.Count(b.String(), tc.want) != 1:
			t.Errorf("%s with %q: the page does not load ECharts with %s", tc.src, tc.integrity, tc.want)
		}
	}
}
