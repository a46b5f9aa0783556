package data

import (
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
