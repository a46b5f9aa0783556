package bounded

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.yml")
	if err := os.WriteFile(p, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		max  int64
		want string // "" for no error
	}{
		{p, 10, ""},
		{p, 9, "more than 9 bytes, want rules"},
		{dir, 10, "a folder, want rules"},
		{"/dev/zero", 10, "more than 10 bytes, want rules"},
		{filepath.Join(dir, "missing"), 10, "no such file"},
	} {
		b, err := ReadFile(tc.name, tc.max, "rules")
		switch {
		case tc.want == "" && (err != nil || string(b) != "0123456789"):
			t.Errorf("%s, %d: %q, %v", tc.name, tc.max, b, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s, %d: %v, want %q", tc.name, tc.max, err, tc.want)
		}
	}
}

// The largest limit reads the file whole (one more byte than it would
// overflow and read nothing).
func TestLargestLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(p, math.MaxInt64, "a file")
	if err != nil || string(b) != "abc" {
		t.Fatalf("%q, %v", b, err)
	}
}
