package collect

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/gitdora/gitdora/internal/git"
)

// commitInfo is what gitdora needs of a commit object.
type commitInfo struct {
	tree      git.Hash // its root tree (docs/services.md: what it changes)
	parents   []git.Hash
	author    string // "Name <email>"
	authored  time.Time
	committed time.Time
	// subject is what `git log --format=%s` shows: the first paragraph
	// of the message, its lines without trailing white space, joined by
	// one space. Its first titleLen bytes are the first of those lines,
	// which `git revert` quotes.
	subject string
	// revertOf is the object name in "This reverts commit <sha>" of the
	// body; revertSubject the quoted subject of `Revert "…"` in the
	// subject. revert says the commit is a revert by either.
	revertOf      string
	revertSubject string
	revert        bool
	titleLen      int
}

// title is the first line of the subject: what `git revert` quotes.
func (c *commitInfo) title() string { return c.subject[:c.titleLen] }

// zones caches the fixed zones of commit dates, so that commits written
// in the same offset share one *time.Location.
type zones map[int]*time.Location

func (z zones) get(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	if l, ok := z[offset]; ok {
		return l
	}
	l := time.FixedZone("", offset)
	z[offset] = l
	return l
}

var (
	hdrTree      = []byte("tree ")
	hdrParent    = []byte("parent ")
	hdrAuthor    = []byte("author ")
	hdrCommitter = []byte("committer ")
	revertsBody  = []byte("This reverts commit ")
	revertSubj   = []byte(`Revert "`)
)

// parseCommit reads a raw commit object. It keeps only what gitdora
// uses and copies it out of b.
func parseCommit(b []byte, z zones) (commitInfo, error) {
	var c commitInfo
	rest := b
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return c, fmt.Errorf("commit headers do not end")
		}
		line := rest[:nl]
		rest = rest[nl+1:]
		if len(line) == 0 {
			break // the message follows
		}
		switch {
		case bytes.HasPrefix(line, hdrTree):
			if h, ok := parseHash(line[len(hdrTree):]); ok {
				c.tree = h
			}
		case bytes.HasPrefix(line, hdrParent):
			h, ok := parseHash(line[len(hdrParent):])
			if !ok {
				return c, fmt.Errorf("bad parent line %q", line)
			}
			c.parents = append(c.parents, h)
		case bytes.HasPrefix(line, hdrAuthor):
			who, when, err := parseSignature(line[len(hdrAuthor):], z)
			if err != nil {
				return c, fmt.Errorf("author: %w", err)
			}
			c.author, c.authored = who, when
		case bytes.HasPrefix(line, hdrCommitter):
			_, when, err := parseSignature(line[len(hdrCommitter):], z)
			if err != nil {
				return c, fmt.Errorf("committer: %w", err)
			}
			c.committed = when
		}
		// encoding, gpgsig, mergetag and their continuation lines: not needed
	}
	msg := rest
	title, subject := subjectOf(msg)
	c.subject, c.titleLen = subject, len(title)
	if i := bytes.Index(title, revertSubj); i >= 0 {
		inner := title[i+len(revertSubj):]
		if j := bytes.LastIndexByte(inner, '"'); j >= 0 {
			c.revertSubject, c.revert = string(bytes.TrimRight(inner[:j], gitSpace)), true
		}
	}
	if i := bytes.Index(msg, revertsBody); i >= 0 {
		s := msg[i+len(revertsBody):]
		n := 0
		for n < len(s) && n < 40 && (s[n] >= '0' && s[n] <= '9' || s[n] >= 'a' && s[n] <= 'f') {
			n++
		}
		if n >= 7 {
			c.revertOf, c.revert = string(s[:n]), true
		}
	}
	return c, nil
}

// gitSpace is the white space of git's own isspace.
const gitSpace = " \t\n\r"

// subjectOf gives the first line of a commit message's subject and the
// subject as `git log --format=%s` shows it: blank lines skipped, then
// the lines up to the next blank line, each without trailing white
// space, joined by one space.
func subjectOf(msg []byte) (title []byte, subject string) {
	var b []byte // only when the subject has several lines
	for len(msg) > 0 {
		line := msg
		if nl := bytes.IndexByte(msg, '\n'); nl >= 0 {
			line, msg = msg[:nl], msg[nl+1:]
		} else {
			msg = nil
		}
		line = bytes.TrimRight(line, gitSpace)
		if len(line) == 0 {
			if title == nil {
				continue // blank lines before the subject
			}
			break
		}
		if title == nil {
			title = line
			continue
		}
		if b == nil {
			b = append([]byte(nil), title...)
		}
		b = append(append(b, ' '), line...)
	}
	if b != nil {
		return title, string(b)
	}
	return title, string(title)
}

// parseHash reads a 40-digit hex object name (either case).
func parseHash(b []byte) (git.Hash, bool) {
	var h git.Hash
	if len(b) != 2*len(h) {
		return h, false
	}
	_, err := hex.Decode(h[:], b)
	return h, err == nil
}

// parseSignature reads "Name <email> 1700000000 +0100".
func parseSignature(b []byte, z zones) (string, time.Time, error) {
	gt := bytes.LastIndexByte(b, '>')
	if gt < 0 {
		return "", time.Time{}, fmt.Errorf("no <email> in %q", b)
	}
	who := string(b[:gt+1])
	rest := bytes.TrimSpace(b[gt+1:])
	sp := bytes.IndexByte(rest, ' ')
	ts, tz := rest, []byte(nil)
	if sp >= 0 {
		ts, tz = rest[:sp], bytes.TrimSpace(rest[sp+1:])
	}
	sec, err := strconv.ParseInt(string(ts), 10, 64)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("bad time %q", ts)
	}
	off := 0
	if len(tz) == 5 && (tz[0] == '+' || tz[0] == '-') {
		hh, err1 := strconv.Atoi(string(tz[1:3]))
		mm, err2 := strconv.Atoi(string(tz[3:5]))
		if err1 == nil && err2 == nil {
			off = hh*3600 + mm*60
			if tz[0] == '-' {
				off = -off
			}
		}
	}
	return who, time.Unix(sec, 0).In(z.get(off)), nil
}
