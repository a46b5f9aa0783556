package ingest

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/config"
)

// bomb is a gzip file of a SARIF log padded with n spaces: a few hundred
// kilobytes that inflate to n bytes.
func bomb(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	io.WriteString(z, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}],"pad":"`)
	pad := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < n>>20; i++ {
		z.Write(pad)
	}
	io.WriteString(z, `"}`)
	z.Close()
	return b.Bytes()
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A gzip bomb (a few hundred kilobytes inflating to 200 MB) is refused
// by its ratio, early: it is not inflated whole.
func TestGzipBombIsRefused(t *testing.T) {
	b := bomb(t, 200<<20)
	if len(b) > 2<<20 {
		t.Fatalf("the bomb is %d bytes compressed", len(b))
	}
	read := &counted{r: bytes.NewReader(b)}
	_, err := checkSARIF("bomb.sarif.gz", read, Limits(), "", nil)
	if err == nil || !strings.Contains(err.Error(), "bomb.sarif.gz: the gzip file inflates to more than limits.decompression_ratio (100) times its size") {
		t.Fatalf("err = %v, want the ratio named", err)
	}
	if read.n == int64(len(b)) {
		t.Errorf("the whole bomb was read (%d bytes) before it was refused", read.n)
	}
	// A file that compresses well, but not like a bomb, is stored.
	var small bytes.Buffer
	z := gzip.NewWriter(&small)
	doc := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[` + strings.Repeat(`{"ruleId":"r","message":{"text":"m"}},`, 20000) + `{"ruleId":"r","message":{"text":"m"}}]}]}`
	io.WriteString(z, doc)
	z.Close()
	if s, err := CheckSARIF("ok.sarif.gz", small.Bytes(), ""); err != nil || s.Results != 20001 || string(contentOf(t, s)) != doc {
		t.Errorf("a well-compressed file (%d → %d bytes): %v", small.Len(), len(doc), err)
	}
}

type counted struct {
	r io.Reader
	n int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless reads as /dev/zero does.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Input that is not SARIF is refused at its first bytes, not read whole:
// an endless stream of zeros, a 1 GB sparse file.
func TestNotSARIFIsRefusedEarly(t *testing.T) {
	read := &counted{r: endless{}}
	_, err := checkSARIF("zeros", read, Limits(), "", nil)
	if err == nil || !strings.Contains(err.Error(), "zeros: not SARIF 2.1.0: $: invalid JSON at byte 0") {
		t.Errorf("err = %v", err)
	}
	if read.n > 1<<20 {
		t.Errorf("read %d bytes before refusing", read.n)
	}
	p := filepath.Join(t.TempDir(), "sparse.sarif")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	if _, err := ReadSARIF(p, Limits(), ""); err == nil || !strings.Contains(err.Error(), "invalid JSON at byte 0") {
		t.Errorf("sparse file: %v", err)
	}
}

// Only regular files are read: a device or a folder is refused before
// anything is read from it (ingest sarif /dev/zero grew to 8 GB).
func TestNonRegularFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{dir: "not a regular file (a folder)"}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases["/dev/zero"] = "not a regular file (a character device)"
	}
	for name, want := range cases {
		if _, err := ReadSARIF(name, Limits(), ""); err == nil || err.Error() != name+": "+want+", want a SARIF file" {
			t.Errorf("ReadSARIF(%s) = %v, want %q", name, err, want)
		}
		if _, err := ReadCI(name, Limits()); err == nil || err.Error() != name+": "+want+", want GitHub Actions run JSON" {
			t.Errorf("ReadCI(%s) = %v, want %q", name, err, want)
		}
	}
}

// limits.sarif_bytes bounds a SARIF file, decompressed; limits.ci_bytes a
// CI record.
func TestSizeLimits(t *testing.T) {
	lim := Limits()
	lim.SARIFBytes, lim.CIBytes = 1000, 100
	doc := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]` + strings.Repeat(" ", 1000) + `}`)
	if _, err := ReadSARIF(writeFile(t, "big.sarif", doc), lim, ""); err == nil || !strings.HasSuffix(err.Error(), "big.sarif: 1074 bytes, more than limits.sarif_bytes (1000 bytes)") {
		t.Errorf("plain: %v", err)
	}
	var gz bytes.Buffer
	z := gzip.NewWriter(&gz)
	z.Write(doc)
	z.Close()
	if _, err := ReadSARIF(writeFile(t, "big.sarif.gz", gz.Bytes()), lim, ""); err == nil || !strings.HasSuffix(err.Error(), "big.sarif.gz: more than limits.sarif_bytes (1000 bytes) of SARIF once decompressed") {
		t.Errorf("gzip: %v", err)
	}
	lim.SARIFBytes = 1074
	if _, err := ReadSARIF(writeFile(t, "exact.sarif", doc), lim, ""); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
	run := []byte(`{"id": 7, "head_sha": "` + strings.Repeat("a", 40) + `", "run_started_at": "2026-01-05T10:00:00Z", "jobs": []}`)
	if _, err := ReadCI(writeFile(t, "run.json", run), lim); err == nil || !strings.HasSuffix(err.Error(), "run.json: more than limits.ci_bytes (100 bytes)") {
		t.Errorf("CI: %v", err)
	}
	lim.CIBytes = config.ByteSize(len(run))
	if _, err := ReadCI(writeFile(t, "run.json", run), lim); err != nil {
		t.Errorf("a CI file of exactly the limit: %v", err)
	}
}

// A SARIF log with no runs holds nothing to store, and is not stored.
func TestNoRunsIsNotStored(t *testing.T) {
	for _, doc := range []string{`{"version":"2.1.0","runs":[]}`, `{"version":"2.1.0","runs":[],"x":1}`} {
		if _, err := CheckSARIF("empty.sarif", []byte(doc), ""); err == nil || !strings.Contains(err.Error(), "empty.sarif: nothing to store: $.runs: the log has no runs") {
			t.Errorf("%s: %v", doc, err)
		}
	}
}
