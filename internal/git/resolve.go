package git

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrUnknownCommit is returned by ResolveCommit when rev names no commit of
// the repository.
var ErrUnknownCommit = errors.New("no such commit")

// ResolveCommit returns the full hash of the commit rev names: a full
// hash, an unambiguous abbreviated one (at least 4 hex digits), or a
// revision such as HEAD, a branch or a tag (annotated tags are peeled).
// Event files store the full hash, so that what they say does not change
// as the repository grows and a short hash becomes ambiguous.
func (r *Repository) ResolveCommit(rev string) (string, error) {
	rev = strings.TrimSpace(rev)
	if rev == "" {
		return "", errors.New("empty, want a commit hash")
	}
	st := r.objs
	if isHex(rev) && len(rev) == 40 {
		if c, err := peel(st, plumbing.NewHash(strings.ToLower(rev))); err == nil {
			return c.String(), nil
		}
		return "", fmt.Errorf("%s: %w", rev, ErrUnknownCommit)
	}
	if isHex(rev) && len(rev) >= 4 {
		matches, err := commitsWithPrefix(st, strings.ToLower(rev))
		if err != nil {
			return "", err
		}
		switch len(matches) {
		case 1:
			return matches[0].String(), nil
		case 0:
		default:
			var s []string
			for _, m := range matches {
				s = append(s, m.String()[:12])
			}
			return "", fmt.Errorf("%s is ambiguous: it starts %s; give more digits", rev, strings.Join(s, ", "))
		}
	}
	// A ref, looked up as git does (HEAD, tags, branches, remote branches).
	if !strings.ContainsAny(rev, " ~^:?*[\\") {
		for _, name := range []string{rev, "refs/" + rev, "refs/tags/" + rev, "refs/heads/" + rev, "refs/remotes/" + rev, "refs/remotes/" + rev + "/HEAD"} {
			ref, err := r.gg.Reference(plumbing.ReferenceName(name), true)
			if err != nil {
				continue
			}
			if c, err := peel(st, ref.Hash()); err == nil {
				return c.String(), nil
			}
		}
	}
	// Anything else (HEAD~2, v1^{commit}, ...): go-git's revision parser.
	if strings.ContainsAny(rev, "~^@{:") {
		if h, err := r.gg.ResolveRevision(plumbing.Revision(rev)); err == nil && h != nil && !h.IsZero() {
			return h.String(), nil
		}
	}
	return "", fmt.Errorf("%s: %w", rev, ErrUnknownCommit)
}

// peel returns the commit h is, or the commit the tag h points at.
func peel(st *goGitObjects, h plumbing.Hash) (plumbing.Hash, error) {
	for range 10 {
		obj, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			t, err := object.DecodeTag(st, obj)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			h = t.Target
		default:
			return plumbing.ZeroHash, fmt.Errorf("%s is a %s, not a commit", h, obj.Type())
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("%s: tags nested too deep", h)
}

// commitsWithPrefix lists the commits (or tags of commits) whose hash
// starts with the hex digits prefix.
func commitsWithPrefix(st *goGitObjects, prefix string) ([]plumbing.Hash, error) {
	even := prefix[:len(prefix)&^1]
	b, err := hex.DecodeString(even)
	if err != nil {
		return nil, err
	}
	hashes, err := st.HashesWithPrefix(b)
	if err != nil {
		return nil, err
	}
	var out []plumbing.Hash
	for _, h := range hashes {
		if !strings.HasPrefix(h.String(), prefix) {
			continue
		}
		if c, err := peel(st, h); err == nil && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return s != ""
}
