package gittest

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// Object is an object as git cat-file reads it.
type Object struct {
	Type string // "commit", "tree", "blob" or "tag"
	Data []byte
}

// CatAll returns every object of the repository at dir as git cat-file
// reads it, by name.
func CatAll(t testing.TB, dir string) map[plumbing.Hash]Object {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file: %v", err)
	}
	all := map[plumbing.Hash]Object{}
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			break
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("git cat-file: %q", line)
		}
		n, _ := strconv.Atoi(f[2])
		b := make([]byte, n+1) // and the newline after it
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatal(err)
		}
		all[plumbing.NewHash(f[0])] = Object{f[1], b[:n]}
	}
	return all
}
