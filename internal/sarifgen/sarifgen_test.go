package sarifgen

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
)

func TestWriteIsReadable(t *testing.T) {
	for _, dense := range []bool{false, true} {
		var b bytes.Buffer
		n, err := Write(&b, 200<<10, 1, dense)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		log, err := sarif.Read(&b, sarif.Options{}, func(r *sarif.Run) error { got += len(r.Results); return nil })
		if err != nil || got != n || n < 50 || len(log.Notes) != 0 {
			t.Fatalf("dense %v: %d results written, %d read, notes %v, err %v", dense, n, got, log.Notes, err)
		}
	}
}

// TestWriteFiles writes generated SARIF files for whole-command
// benchmarks when GITDORA_SARIFGEN_DIR is set: GITDORA_SARIFGEN_COUNT files
// of GITDORA_SARIFGEN_SIZE bytes each (defaults 1 and 500 MB), dense when
// GITDORA_SARIFGEN_DENSE is set.
func TestWriteFiles(t *testing.T) {
	dir := os.Getenv("GITDORA_SARIFGEN_DIR")
	if dir == "" {
		t.Skip("GITDORA_SARIFGEN_DIR not set: nothing to generate")
	}
	count, size := 1, int64(500<<20)
	if v, err := strconv.Atoi(os.Getenv("GITDORA_SARIFGEN_COUNT")); err == nil {
		count = v
	}
	if v, err := strconv.ParseInt(os.Getenv("GITDORA_SARIFGEN_SIZE"), 10, 64); err == nil {
		size = v
	}
	for i := 0; i < count; i++ {
		f, err := os.Create(filepath.Join(dir, "gen-"+strconv.Itoa(i)+".sarif"))
		if err != nil {
			t.Fatal(err)
		}
		n, err := Write(f, size, uint64(i+1), os.Getenv("GITDORA_SARIFGEN_DENSE") != "")
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if i == 0 {
			t.Logf("%d results per file", n)
		}
	}
}
