package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gitdora.yml on the data branch is read up to 1 MiB: a huge one is an
// error naming it, not a read of all of it.
func TestConfigFileIsBounded(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{ConfigFile: "# " + strings.Repeat("x", maxConfigFile) + "\n"})
	if _, err := mustOpen(t, "", dir).Config(""); err == nil || !strings.Contains(err.Error(), "gitdora.yml: more than 1048576 bytes") {
		t.Errorf("Config() = %v", err)
	}
}

// --config is bounded as gitdora.yml on the data branch is: a huge file,
// or one that never ends (/dev/zero), is an error naming it.
func TestConfigFlagIsBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", maxConfigFile)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadConfigFile(big); err == nil || !strings.Contains(asFlags(err), "--config: "+big+": more than 1048576 bytes") {
		t.Errorf("ReadConfigFile(big) = %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := ReadConfigFile("/dev/zero"); err == nil || !strings.Contains(err.Error(), "more than 1048576 bytes") {
			t.Errorf("ReadConfigFile(/dev/zero) = %v", err)
		}
	}
}
