//go:build unix

package git

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestTagsSkipAPipe: a pipe among the loose refs is not opened (reading
// it would wait for a writer for ever).
func TestTagsSkipAPipe(t *testing.T) {
	tagsLeaveOut(t, func(tags string) {
		if err := syscall.Mkfifo(filepath.Join(tags, "v5"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
}
