package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The gate's exit codes as a CI step sees them: 3 when open results have
// a --fail-on severity, 0 when not (or --fail-on is empty), 1 on an error.
func TestGateExitCodes(t *testing.T) {
	dir := t.TempDir()
	sarif := filepath.Join(dir, "scan.sarif")
	err := os.WriteFile(sarif, []byte(`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": [{"id": "r", "defaultConfiguration": {"level": "error"}}]}},
		"results": [{"ruleId": "r", "message": {"text": "high"}}, {"ruleId": "r", "level": "note", "message": {"text": "low"}}]}]}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"gate", sarif}, exitFindings},
		{[]string{"gate", sarif, "--fail-on", "high"}, exitFindings},
		{[]string{"gate", sarif, "--fail-on", "low,critical"}, exitFindings},
		{[]string{"gate", sarif, "--fail-on", "critical"}, exitOK},
		{[]string{"gate", sarif, "--fail-on", "medium"}, exitOK},
		{[]string{"gate", sarif, "--fail-on", ""}, exitOK},
		{[]string{"gate", sarif, "--fail-on", "urgent"}, exitError},
		{[]string{"gate", filepath.Join(dir, "missing.sarif")}, exitError},
	} {
		var out, errb bytes.Buffer
		if got := Run(append([]string{"--repo", dir}, c.args...), &out, &errb); got != c.want {
			t.Errorf("gitdora %v: exit %d, want %d\n%s%s", c.args, got, c.want, out.String(), errb.String())
		}
	}
	if exitFindings != 3 {
		t.Errorf("exitFindings = %d, the README and the workflows say 3", exitFindings)
	}
}
