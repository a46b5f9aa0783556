package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/render/rendertest"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

// browserNeeds finds Debian's chromium and a local echarts.min.js (what
// CI installs: GITDORA_ECHARTS_JS, else .ci/node_modules after `npm ci
// --prefix .ci`). Without them the test skips, unless
// GITDORA_REQUIRE_BROWSER=1 makes that a failure.
func browserNeeds(t *testing.T) (chromium, echartsJS string) {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		if os.Getenv("GITDORA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("%s, and GITDORA_REQUIRE_BROWSER=1 requires the browser test", what)
		}
		t.Skipf("skipped: %s (set GITDORA_REQUIRE_BROWSER=1 to make this a failure)", what)
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		missing("no chromium on this machine (apt-get install chromium)")
	}
	echartsJS = os.Getenv("GITDORA_ECHARTS_JS")
	if echartsJS == "" {
		echartsJS = filepath.Join("..", ".ci", "node_modules", "echarts", "dist", "echarts.min.js")
	}
	if _, err := os.Stat(echartsJS); err != nil {
		missing("no echarts.min.js at " + echartsJS + " (npm ci --prefix .ci, or set GITDORA_ECHARTS_JS)")
	}
	return chromium, echartsJS
}

// problems collects what the browser reports that a page must not cause.
type problems struct {
	mu   sync.Mutex
	list []string
	reqs map[network.RequestID]string
}

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

func (p *problems) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			p.add("console.%s: %s", e.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		p.add("uncaught exception: %s (%s:%d)", msg, d.URL, d.LineNumber)
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			p.add("browser log error: %s %s", e.Entry.Text, e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		p.mu.Lock()
		p.reqs[e.RequestID] = e.Request.URL
		p.mu.Unlock()
	case *network.EventLoadingFailed:
		p.mu.Lock()
		u := p.reqs[e.RequestID]
		p.mu.Unlock()
		p.add("request failed: %s: %s %s", u, e.ErrorText, e.BlockedReason)
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 {
			p.add("request failed: %s: HTTP %d", e.Response.URL, e.Response.Status)
		}
	case *page.EventJavascriptDialogOpening:
		p.add("a script opened a %s dialog: %q", e.Type, e.Message)
	}
}

// chartState is what the page reports about one chart container.
type chartState struct {
	ID      string `json:"id"`
	Width   int    `json:"w"`
	Height  int    `json:"h"`
	Painted int    `json:"painted"`
}

// chartsJS counts the painted pixels of every chart's canvas (or the
// shapes of an SVG renderer).
const chartsJS = `Array.from(document.querySelectorAll("figure.chart .echart")).map(function (el) {
  var painted = 0, c = el.querySelector("canvas"), s = el.querySelector("svg");
  if (c && c.width > 0 && c.height > 0) {
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { painted++; } }
  } else if (s) {
    painted = s.querySelectorAll("path, rect, text").length;
  }
  return {id: el.id, w: el.clientWidth, h: el.clientHeight, painted: painted};
})`

// tipsJS shows the tooltip of every data point of every chart (tooltips
// are HTML: a label with markup would be injected there) and returns the
// images and scripts the document then holds that the site did not put there
// (a stand-alone report inlines the chart loader).
const tipsJS = `(function () {
  document.querySelectorAll("figure.chart .echart").forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    var n = c.getOption().xAxis[0].data.length;
    for (var i = 0; i < n; i++) { c.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i}); }
    c.dispatchAction({type: "hideTip"});
  });
  var bad = [];
  document.querySelectorAll("img").forEach(function (im) { if (im.getAttribute("src") !== "badge.svg") { bad.push(im.outerHTML); } });
  document.querySelectorAll("script").forEach(function (s) {
    var ours = s.src || s.type === "application/json" || s.textContent.indexOf("// gitdora chart loader") === 0;
    if (!ours) { bad.push(s.outerHTML.slice(0, 80)); }
  });
  return bad;
})()`

// TestBrowser opens every page of a built site in a real browser (Debian's
// chromium, headless): no console error, no failed request, no dialog;
// every chart container draws; hostile labels stay text even in the charts'
// HTML tooltips; without JavaScript the charts give way to their tables.
// Screenshots (light, dark, phone, JavaScript off) go to the test's
// artifact directory (go test -artifacts keeps them).
func TestBrowser(t *testing.T) {
	chromium, echartsJS := browserNeeds(t)
	dir := filepath.Join(t.TempDir(), "public")
	months := rendertest.Months(rendertest.Evil)
	js, err := os.ReadFile(echartsJS)
	if err != nil {
		t.Fatal(err)
	}
	err = site.Build(site.Options{Out: dir, Templates: templates.Builtin(), EchartsJS: js, Reports: reportsOf(months), Updated: map[string]time.Time{}})
	if err != nil {
		t.Fatal(err)
	}
	// The stand-alone report page of `gitdora report --format html`, beside the site.
	n := len(months)
	_, err = site.WriteReport(site.ReportOptions{Out: filepath.Join(dir, "report"), Formats: []string{site.FormatHTML}, Templates: templates.Builtin(), EchartsJS: js,
		Report: render.Report{Month: months[n-1], Prev: &months[n-2], Trend: months}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir))) // listens on 127.0.0.1
	defer srv.Close()
	shots := t.ArtifactDir()
	t.Logf("screenshots in %s", shots)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	probs := &problems{reqs: map[network.RequestID]string{}}
	if err := chromedp.Listen(bctx, probs.listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, cdplog.Enable, struct{}{}); err != nil {
		t.Fatal(err)
	}

	pages := []string{"index.html", "report/2026-03.html"}
	for _, m := range months {
		pages = append(pages, m.Month+".html")
	}
	for _, p := range pages {
		url := srv.URL + "/" + p
		if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		states := waitDrawn(t, bctx, p)
		if len(states) < 8 && p != "2025-07.html" {
			t.Errorf("%s: %d charts on the page, want at least the 8 trend charts", p, len(states))
		}
		if p == "index.html" || p == "2026-03.html" || p == "report/2026-03.html" {
			screenshot(t, bctx, filepath.Join(shots, strings.ReplaceAll(strings.TrimSuffix(p, ".html"), "/", "-")+"-light.png"))
		}
		bad, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](tipsJS))
		if err != nil {
			t.Errorf("%s: tooltips: %v", p, err)
		}
		for _, b := range bad {
			t.Errorf("%s: an element the site did not write appeared: %s", p, b)
		}
		for _, pr := range probs.take() {
			t.Errorf("%s: %s", p, pr)
		}
		if t.Failed() {
			t.FailNow() // the other pages share the cause; stop early
		}
	}

	// Dark and on a phone.
	dark := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, dark); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "2026-03.html"} {
		if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
			t.Fatal(err)
		}
		waitDrawn(t, bctx, p+" (dark)")
		screenshot(t, bctx, filepath.Join(shots, strings.TrimSuffix(p, ".html")+"-dark.png"))
	}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Navigate(srv.URL+"/2026-03.html")); err != nil {
		t.Fatal(err)
	}
	waitDrawn(t, bctx, "2026-03.html (phone)")
	overflow, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("on a phone the page is wider than the screen (only tables may scroll sideways)")
	}
	screenshot(t, bctx, filepath.Join(shots, "2026-03-phone-dark.png"))
	if err := chromedp.Do(bctx, chromedp.EmulateReset()); err != nil {
		t.Fatal(err)
	}
	for _, pr := range probs.take() {
		t.Errorf("dark or phone: %s", pr)
	}

	// JavaScript off: charts stay hidden, every figure's table is shown.
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/2026-03.html")); err != nil {
		t.Fatal(err)
	}
	noJS, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`[
	  document.querySelectorAll("figure.chart").length,
	  Array.from(document.querySelectorAll("figure.chart")).filter(function (f) { return f.offsetHeight > 0; }).length,
	  Array.from(document.querySelectorAll("figure.chart")).filter(function (f) {
	    for (var n = f.nextElementSibling; n; n = n.nextElementSibling) {
	      if (n.tagName === "TABLE") { return n.offsetHeight > 0; }
	      if (/^H[1-3]$/.test(n.tagName)) { return false; }
	    }
	    return false;
	  }).length]`))
	if err != nil {
		t.Fatal(err)
	}
	if noJS[0] == 0 || noJS[1] != 0 || noJS[2] != noJS[0] {
		t.Errorf("JavaScript off: %d charts, %d of them shown (want 0), %d followed by a visible table before the next heading (want all)", noJS[0], noJS[1], noJS[2])
	}
	screenshot(t, bctx, filepath.Join(shots, "2026-03-nojs.png"))
	for _, pr := range probs.take() {
		t.Errorf("JavaScript off: %s", pr)
	}
}

// waitDrawn waits until every chart container of the page has painted
// pixels and keeps the same count twice in a row (animations done), and
// fails for the containers that never draw.
func waitDrawn(t *testing.T, ctx context.Context, page string) []chartState {
	t.Helper()
	var last []chartState
	stable := 0
	for try := 0; try < 100; try++ {
		states, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartsJS))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		allDrawn := true
		for _, s := range states {
			if s.Painted < 200 || s.Width == 0 || s.Height == 0 {
				allDrawn = false
			}
		}
		if allDrawn && fmt.Sprint(states) == fmt.Sprint(last) {
			stable++
			if stable == 2 {
				return states
			}
		} else {
			stable = 0
		}
		last = states
		time.Sleep(100 * time.Millisecond)
	}
	var blank []string
	for _, s := range last {
		if s.Painted < 200 || s.Width == 0 || s.Height == 0 {
			blank = append(blank, fmt.Sprintf("%s (%dx%d, %d pixels)", s.ID, s.Width, s.Height, s.Painted))
		}
	}
	sort.Strings(blank)
	t.Errorf("%s: charts that did not draw: %s", page, strings.Join(blank, ", "))
	return last
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", path, err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
	}
}
