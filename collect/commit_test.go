package collect

import (
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/internal/gittest"
)

func TestParseCommit(t *testing.T) {
	raw := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" +
		"parent 1111111111111111111111111111111111111111\n" +
		"parent 2222222222222222222222222222222222222222\n" +
		"author Grace Hopper <grace@example.com> 1767258000 -0500\n" +
		"committer Bot <b@x> 1767261600 +0530\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n" +
		"\n" +
		"[ci] Revert \"Revert \"Add cache\"\"\r\n\nThis reverts commit 3333333333333333333333333333333333333333.\n"
	c, err := parseCommit([]byte(raw), zones{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.parents) != 2 || c.parents[1].String() != strings.Repeat("2", 40) {
		t.Errorf("parents = %v", c.parents)
	}
	if c.author != "Grace Hopper <grace@example.com>" || !c.authored.Equal(time.Unix(1767258000, 0)) {
		t.Errorf("author = %q %v", c.author, c.authored)
	}
	if _, off := c.authored.Zone(); off != -5*3600 {
		t.Errorf("author zone offset = %d", off)
	}
	if _, off := c.committed.Zone(); off != 5*3600+1800 || !c.committed.Equal(time.Unix(1767261600, 0)) {
		t.Errorf("committer = %v", c.committed)
	}
	if c.subject != `[ci] Revert "Revert "Add cache""` || !c.revert || c.revertSubject != `Revert "Add cache"` || c.revertOf != strings.Repeat("3", 40) {
		t.Errorf("subject %q revert %v of %q / %q", c.subject, c.revert, c.revertSubject, c.revertOf)
	}
	plain, _ := parseCommit([]byte("tree x\nauthor A <a> 1 +0000\ncommitter A <a> 1 +0000\n\nReverted the flag\n"), zones{})
	if plain.revert {
		t.Error("a subject without Revert \"…\" is not a revert")
	}
}

// FuzzParseCommit: commit objects come from any repository; parsing never
// panics and what it keeps is consistent.
func FuzzParseCommit(f *testing.F) {
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1700000000 +0100\ncommitter A <a@x> 1700000000 +0100\n\nRevert \"x\"\n\nThis reverts commit abcdef0.\n"))
	f.Add([]byte("parent zz\n\n"))
	f.Add([]byte("author <> -1 +99999\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseCommit(b, zones{})
		if err != nil {
			return
		}
		if c.revertOf != "" && (len(c.revertOf) < 7 || !isHex(c.revertOf)) {
			t.Errorf("revertOf %q is not an object name", c.revertOf)
		}
		if strings.ContainsRune(c.subject, '\n') {
			t.Errorf("subject %q spans lines", c.subject)
		}
		if c.titleLen < 0 || c.titleLen > len(c.subject) || strings.TrimRight(c.subject, gitSpace) != c.subject ||
			c.titleLen < len(c.subject) && c.subject[c.titleLen] != ' ' {
			t.Errorf("subject %q, title of %d bytes", c.subject, c.titleLen)
		}
	})
}

func TestParseHash(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when not a hash
	}{
		{"0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567"},
		{"0123456789ABCDEF0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567"},
		{"0123456789abcdef0123456789abcdef0123456", ""},
		{"0123456789abcdef0123456789abcdef012345678", ""},
		{"0123456789abcdef0123456789abcdef0123456g", ""},
		{"", ""},
	} {
		h, ok := parseHash([]byte(tc.in))
		if ok != (tc.want != "") || ok && h.String() != tc.want {
			t.Errorf("parseHash(%q) = %s %v, want %q", tc.in, h, ok, tc.want)
		}
	}
}

func TestSubjectOf(t *testing.T) {
	for _, tc := range []struct {
		msg, title, subject string
	}{
		{"Add x (#7)\n\nbody\n", "Add x (#7)", "Add x (#7)"},
		{"Add x\r\n", "Add x", "Add x"},
		{"Add x  \t\n", "Add x", "Add x"},
		{"\n \n\nAdd x\n", "Add x", "Add x"},
		{"Add x\nand y\n  and z \n\nbody", "Add x", "Add x and y   and z"},
		{"Add x\nand y", "Add x", "Add x and y"},
		{"  indented\n", "  indented", "  indented"},
		{"", "", ""},
		{"\n\n", "", ""},
	} {
		title, subject := subjectOf([]byte(tc.msg))
		if string(title) != tc.title || subject != tc.subject {
			t.Errorf("subjectOf(%q) = %q, %q, want %q, %q", tc.msg, title, subject, tc.title, tc.subject)
		}
	}
}

// The subject is what `git log --format=%s` shows, and a revert of a
// commit whose subject spans lines quotes its first line, as `git revert`
// does.
func TestSubjectMatchesGit(t *testing.T) {
	r := gittest.New(t)
	tree := r.Git("hash-object", "-t", "tree", "-w", "/dev/null")
	for _, msg := range []string{
		"Add x\n\nbody\n",
		"\n\nAdd x\r\nand y  \n\tand z\n\nbody\n",
		"Add x\n \nbody\n",
		"Revert \"Add x  \"\n",
		"no newline",
	} {
		sha, err := gittest.Run(r.Dir, nil, msg, "commit-tree", tree)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := gittest.Run(r.Dir, nil, "", "cat-file", "commit", sha)
		if err != nil {
			t.Fatal(err)
		}
		// cat-file's output was trimmed: put back what Run took off
		c, err := parseCommit([]byte(raw+"\n"), zones{})
		if err != nil {
			t.Fatal(err)
		}
		if want := r.Git("log", "-1", "--format=%s", sha); c.subject != want {
			t.Errorf("message %q: subject %q, git shows %q", msg, c.subject, want)
		}
	}
	c, _ := parseCommit([]byte("tree x\n\nRevert \"Add x  \"\n"), zones{})
	if !c.revert || c.revertSubject != "Add x" {
		t.Errorf("revert of %q, want of \"Add x\"", c.revertSubject)
	}
	multi, _ := parseCommit([]byte("tree x\n\nAdd x\nand y\n"), zones{})
	if multi.title() != "Add x" || multi.subject != "Add x and y" {
		t.Errorf("title %q subject %q", multi.title(), multi.subject)
	}
}
