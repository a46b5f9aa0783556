package compute

import (
	"os/exec"
	"strings"
	"testing"
)

// compute is pure by construction, not by discipline: compute and
// compute/alert depend only on the standard library, the module's leaf
// packages fact, config and policy (with its globs), the OWASP table
// internal/owasp, the YAML parser config uses (with the node helpers of
// internal/yamledit, which does no I/O) and internal/order's sort; and they
// import no I/O package themselves (the standard library's fmt reaches
// os, so that is checked on their own imports).
func TestComputeDependsOnLeavesOnly(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not available: cannot list compute's dependencies")
	}
	const module = "github.com/gitdora/gitdora/"
	allowed := map[string]bool{
		module + "compute": true, module + "compute/alert": true,
		module + "fact": true, module + "config": true,
		module + "policy": true, module + "internal/glob": true, module + "internal/owasp": true,
		module + "internal/yamledit": true, module + "internal/order": true,
		"go.yaml.in/yaml/v3": true,
	}
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", ".", "./alert").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(l, " ")
		n++
		if std != "true" && !allowed[path] {
			t.Errorf("compute depends on %s, which is neither the standard library nor fact, config, policy, glob, owasp, yamledit, order or yaml", path)
		}
	}
	if n < 10 {
		t.Fatalf("go list -deps listed %d packages: %s", n, out)
	}

	// Their own imports: no files, processes, network or logging.
	io := func(p string) bool {
		for _, bad := range []string{"os", "io", "net", "syscall", "log", "bufio", "embed", "path/filepath", "encoding/csv", "runtime/pprof"} {
			if p == bad || strings.HasPrefix(p, bad+"/") {
				return true
			}
		}
		return false
	}
	out, err = exec.Command(goCmd, "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", ".", "./alert").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(l, ":")
		for _, p := range strings.Fields(imports) {
			if io(p) {
				t.Errorf("%s imports %s, an I/O package", pkg, p)
			}
		}
	}
}
