// Package bounded reads small local files a user names (configuration,
// alert rules, templates) without trusting them to be small: a file, a
// pipe or a device is read up to the size given and refused beyond it
// (/dev/zero ends there), and a folder is refused.
package bounded

import (
	"fmt"
	"io"
	"math"
	"os"
)

// ReadFile reads the regular file name, of at most max bytes. what says
// what the file should be, for the error ("a gitdora.yml").
func ReadFile(name string, max int64, what string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s: a folder, want %s", name, what)
	}
	limit := max
	if limit < math.MaxInt64 {
		limit++ // one byte more, to tell a file of max bytes from a longer one
	}
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: more than %d bytes, want %s", name, max, what)
	}
	return b, nil
}
