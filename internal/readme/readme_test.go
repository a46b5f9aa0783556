package readme

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
)

const root = "../.."

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// marked is the content of the fenced code block that follows the
// comment <!-- readme-test: name --> in the README.
func marked(t *testing.T, readme, name string) string {
	t.Helper()
	re := regexp.MustCompile("(?s)<!-- readme-test: " + regexp.QuoteMeta(name) + " -->\n```[a-z]*\n(.*?)```\n")
	m := re.FindAllStringSubmatch(readme, -1)
	if len(m) != 1 {
		t.Fatalf("README.md: want exactly one code block marked <!-- readme-test: %s -->, found %d", name, len(m))
	}
	return m[0][1]
}

// command is the one-line command of a marked block.
func command(t *testing.T, readme, name string) string {
	t.Helper()
	c := strings.TrimSpace(marked(t, readme, name))
	if c == "" || strings.Contains(c, "\n") {
		t.Fatalf("README.md: the %s block should hold one command, holds %q", name, c)
	}
	return c
}

// The README's test command is the one .ci/run runs (and is not run
// here: it would run this test again).
func TestTestCommandIsWhatCIRuns(t *testing.T) {
	cmd := command(t, readFile(t, "README.md"), "test")
	if cmd != "go test ./..." {
		t.Errorf("the README's test command is %q, want go test ./...", cmd)
	}
	for _, line := range strings.Split(readFile(t, ".ci/run"), "\n") {
		if strings.TrimSpace(line) == cmd {
			return
		}
	}
	t.Errorf(".ci/run has no line running %q, the README's test command", cmd)
}

// The README's run command, in a fresh clone of this repository (only
// what is committed), builds the demo site: an index, a page per month
// and the exports.
func TestRunCommandBuildsTheDemoSite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not cloning the repository to run the README's run command (go run ./cmd/gitdora demo)")
	}
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed: cannot clone the repository to run the README's run command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := command(t, readFile(t, "README.md"), "run")
	args := strings.Fields(cmd)
	if len(args) < 2 || args[0] != "go" {
		t.Fatalf("the README's run command %q does not start with go", cmd)
	}
	top, err := exec.Command(gitBin, "-C", root, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("%s is not in a git work tree: nothing to clone", root)
	}
	tmp := t.TempDir()
	clone := filepath.Join(tmp, "clone")
	if out, err := exec.Command(gitBin, "clone", "-q", "--no-hardlinks", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	run := exec.Command(goBin, args[1:]...)
	run.Dir = clone
	run.Env = append(os.Environ(), "TMPDIR="+tmp, "GOFLAGS=-mod=readonly")
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("%s in a fresh clone: %v\n%s%s", cmd, err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "gitdora serve public") {
		t.Errorf("%s does not say how to open the site:\n%s", cmd, stdout.String())
	}
	public := filepath.Join(clone, "public")
	want := []string{"index.html", "metrics.json", "metrics.csv", "metrics.prom", "badge.svg", "feed.xml"}
	for m := 1; m <= 12; m++ {
		want = append(want, "2025-"+[]string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}[m-1]+".html")
	}
	for _, name := range want {
		if fi, err := os.Stat(filepath.Join(public, name)); err != nil || fi.Size() == 0 {
			t.Errorf("the demo site has no %s (%v)", name, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(public, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var metrics struct {
		Months []struct {
			Month string `json:"month"`
		} `json:"months"`
	}
	if err := json.Unmarshal(b, &metrics); err != nil || len(metrics.Months) != 12 {
		t.Errorf("metrics.json: %d months (%v), want the 12 of 2025", len(metrics.Months), err)
	}
}

// The gitdora.yml reference in the README is the file gitdora init writes.
func TestConfigReferenceIsTheDefaultFile(t *testing.T) {
	if got := marked(t, readFile(t, "README.md"), "gitdora.yml"); got != string(config.DefaultYAML) {
		t.Errorf("the README's gitdora.yml differs from config/gitdora.yml: copy config/gitdora.yml into the block marked <!-- readme-test: gitdora.yml -->")
	}
}

// The README names every metric alert conditions and targets accept,
// every workflow users copy and every benchmark script.
func TestNamesEverything(t *testing.T) {
	readme := readFile(t, "README.md")
	for _, m := range compute.Metrics {
		if !strings.Contains(readme, "`"+m.Name+"`") {
			t.Errorf("README.md does not name the alert metric `%s`", m.Name)
		}
	}
	names := func(glob string) []string {
		ms, err := filepath.Glob(filepath.Join(root, glob))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			rel, _ := filepath.Rel(root, m)
			out = append(out, filepath.ToSlash(rel))
		}
		return out
	}
	for _, wf := range names(".github/workflows/*.yml") {
		if strings.HasSuffix(wf, "/ci.yml") { // the project's own CI
			continue
		}
		if !strings.Contains(readme, "("+wf+")") {
			t.Errorf("README.md does not link the workflow %s", wf)
		}
	}
	scripts := names("scripts/bench-*.sh")
	if len(scripts) == 0 {
		t.Fatal("no scripts/bench-*.sh found")
	}
	for _, s := range scripts {
		if !strings.Contains(readme, "("+s+")") {
			t.Errorf("README.md does not link the benchmark script %s", s)
		}
	}
}
