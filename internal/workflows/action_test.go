package workflows

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionStep is a step of action.yml.
type actionStep struct {
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func actionSteps(t *testing.T) []actionStep {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Runs struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a.Runs.Steps
}

// runStep runs a script of action.yml as GitHub runs it (bash -e) in
// dir, with env, and returns its output and $GITHUB_OUTPUT.
func runStep(t *testing.T, script, dir string, env ...string) (out, outputs string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the action's scripts with")
	}
	tmp := t.TempDir()
	p, ghOut := filepath.Join(tmp, "step.sh"), filepath.Join(tmp, "github_output")
	if err := os.WriteFile(p, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "-e", p)
	cmd.Dir = dir
	cmd.Env = append([]string{"GITHUB_OUTPUT=" + ghOut, "GITHUB_PATH=" + filepath.Join(tmp, "github_path")}, env...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	o, _ := os.ReadFile(ghOut)
	return string(b), string(o)
}

// The action builds gitdora once per source and Go version: the binary is
// cached under a key made of the Go version setup-go installed, the
// action's ref and a hash of all the action's files, and restored
// instead of rebuilt.
func TestActionCachesTheBuild(t *testing.T) {
	steps := actionSteps(t)
	var setupGo, source, cache, install *actionStep
	for i := range steps {
		s := &steps[i]
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			setupGo = s
		case strings.HasPrefix(s.Uses, "actions/cache@"):
			cache = s
		case strings.Contains(s.Run, "sha256sum"):
			source = s
		case strings.Contains(s.Run, "go build"):
			install = s
		}
	}
	if setupGo == nil || source == nil || cache == nil || install == nil {
		t.Fatalf("action.yml: want a setup-go step, a step hashing the source, a cache step and a build step; have %+v", steps)
	}
	key := cache.With["key"]
	for _, want := range []string{"steps." + setupGo.ID + ".outputs.go-version", "github.action_ref", "steps." + source.ID + ".outputs.hash", "runner.os", "runner.arch"} {
		if setupGo.ID == "" || source.ID == "" || !strings.Contains(key, want) {
			t.Errorf("action.yml: the cache key %q lacks %s", key, want)
		}
	}
	if p := cache.With["path"]; p != "${{ runner.temp }}/gitdora-bin" || !strings.Contains(install.Run, `bin="$RUNNER_TEMP/gitdora-bin"`) {
		t.Errorf("action.yml: the cache keeps %q; the build writes to another folder", p)
	}
	if !strings.Contains(install.Env["CACHED"], "steps."+cache.ID+".outputs.cache-hit") {
		t.Errorf("action.yml: the build step does not know whether the cache had the binary (env CACHED = %q)", install.Env["CACHED"])
	}

	// The fingerprint: stable, changed by any file of the action, not by .git.
	src := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.sum", "a v1\n")
	write("cmd/gitdora/main.go", "package main\n")
	write("templates/report.md.tmpl", "{{define \"report\"}}{{end}}\n")
	write(".git/HEAD", "ref: refs/heads/main\n")
	hash := func() string {
		t.Helper()
		_, out := runStep(t, source.Run, src)
		m := regexp.MustCompile(`(?m)^hash=([0-9a-f]{40})$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("the fingerprint step wrote %q to GITHUB_OUTPUT, want hash=<40 hex digits>", out)
		}
		return m[1]
	}
	h0 := hash()
	if hash() != h0 {
		t.Error("the fingerprint of the same files changed")
	}
	write(".git/HEAD", "ref: refs/heads/other\n")
	if hash() != h0 {
		t.Error("the fingerprint changed with .git")
	}
	write("templates/report.md.tmpl", "{{define \"report\"}}changed{{end}}\n")
	h1 := hash()
	if h1 == h0 {
		t.Error("the fingerprint did not change with an embedded template")
	}
	write("go.sum", "a v2\n")
	if hash() == h1 {
		t.Error("the fingerprint did not change with go.sum")
	}

	// The build: skipped when the cache restored the binary, run otherwise.
	for _, tc := range []struct {
		cached, have bool
		build        bool
	}{{true, true, false}, {false, false, true}, {true, false, true}} {
		fake, temp := t.TempDir(), t.TempDir()
		calls := filepath.Join(fake, "calls")
		goScript := "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nwhile [ $# -gt 0 ]; do if [ \"$1\" = -o ]; then printf '#!/bin/sh\\necho gitdora v\\n' > \"$2\"; chmod +x \"$2\"; fi; shift; done\n"
		if err := os.WriteFile(filepath.Join(fake, "go"), []byte(goScript), 0o755); err != nil {
			t.Fatal(err)
		}
		if tc.have {
			if err := os.MkdirAll(filepath.Join(temp, "gitdora-bin"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(temp, "gitdora-bin", "gitdora"), []byte("#!/bin/sh\necho gitdora cached\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		cached := "false"
		if tc.cached {
			cached = "true"
		}
		out, outputs := runStep(t, install.Run, src, "PATH="+fake+string(os.PathListSeparator)+os.Getenv("PATH"), "RUNNER_TEMP="+temp, "CACHED="+cached, "ACTION_REF=v1")
		b, _ := os.ReadFile(calls)
		if built := strings.Contains(string(b), "build"); built != tc.build {
			t.Errorf("cache hit %v, binary there %v: built %v, want %v\n%s", tc.cached, tc.have, built, tc.build, out)
		}
		if !strings.Contains(outputs, "path="+filepath.Join(temp, "gitdora-bin", "gitdora")) {
			t.Errorf("the build step's outputs %q lack the binary's path", outputs)
		}
	}
}
