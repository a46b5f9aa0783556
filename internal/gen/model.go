// Package gen builds realistic git repositories for tests, benchmarks and
// the demo. Generate makes a Model: the commits, tags and branches of a
// team's history with their dates and what the generator intended
// (feature branches merged or rebased, bot commits, reverts, release
// tags, annotated and lightweight). Writers turn a Model into a
// repository: WriteFastImport writes a `git fast-import` stream (fast, needs
// the git binary), WriteStorer writes the objects through go-git (no git
// binary). The Model knows every object's hash in advance, so both writers
// give the same repository, and tests can name commits before they exist.
//
// The same Options and seed give the same Model, byte for byte.
package gen

import (
	"fmt"
	"time"
)

// Person is an author, committer or tagger.
type Person struct {
	Name, Email string
	Zone        *time.Location // the zone their dates are written in
}

// String is "Name <email>", as git writes an identity.
func (p Person) String() string { return p.Name + " <" + p.Email + ">" }

// Signature is a person at a time.
type Signature struct {
	Person
	When time.Time
}

// git writes the signature as a commit or tag header does.
func (s Signature) git() string {
	t := s.When.In(s.Zone)
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", s.Name, s.Email, t.Unix(), sign, off/3600, off%3600/60)
}

// Kind says how a commit came to be.
type Kind int

// Kinds of commits.
const (
	Direct  Kind = iota // committed straight to the trunk
	Feature             // on a feature branch, merged with a merge commit
	Merge               // a merge commit
	Rebased             // a feature commit replayed onto the trunk: author date before committer date
	Bot                 // a dependency bump by a bot, on a branch merged with a merge commit
	Revert              // reverts an earlier trunk commit
)

func (k Kind) String() string {
	return [...]string{"direct", "feature", "merge", "rebased", "bot", "revert"}[k]
}

// File is a file written by a commit.
type File struct {
	Path    string
	Content string
}

// Commit is one commit of the Model.
type Commit struct {
	Hash      string // hex SHA-1 git gives it
	Tree      string // hex SHA-1 of its tree
	Parents   []int  // indexes into Model.Commits, first parent first
	Author    Signature
	Committer Signature
	Message   string
	// Files are written over the first parent's tree (for a merge: the
	// files the merged branch changed, in the branch's version).
	Files   []File
	Kind    Kind
	Reverts int // index of the commit this one reverts; -1 when none
}

// Subject is the first line of the message.
func (c *Commit) Subject() string {
	for i := 0; i < len(c.Message); i++ {
		if c.Message[i] == '\n' {
			return c.Message[:i]
		}
	}
	return c.Message
}

// Tag is a tag of the Model.
type Tag struct {
	Name      string
	Commit    int       // index of the tagged commit
	Annotated bool      // an annotated tag object; else a lightweight tag
	Tagger    Signature // annotated tags only
	Message   string    // annotated tags only
	Hash      string    // hex SHA-1 of the tag object; "" for a lightweight tag
	Release   bool      // a release tag (v1.2.3); other tags do not match v*
}

// Ref is a branch and the commit it points at.
type Ref struct {
	Name   string // full name, e.g. refs/heads/main
	Commit int
}

// Model is a generated history: commits in an order where parents come
// first, tags, and branches (the trunk first).
type Model struct {
	Commits []Commit
	Tags    []Tag
	Refs    []Ref
}

// TagTime is when a tag says its commit was deployed: the tagger date of
// an annotated tag, the committer date of the commit for a lightweight one.
func (m *Model) TagTime(t Tag) time.Time {
	if t.Annotated {
		return t.Tagger.When
	}
	return m.Commits[t.Commit].Committer.When
}

// Releases are the release tags in the order of their times.
func (m *Model) Releases() []Tag {
	var out []Tag
	for _, t := range m.Tags {
		if t.Release {
			out = append(out, t)
		}
	}
	return out
}

// Index maps commit hashes to their index in Commits.
func (m *Model) Index() map[string]int {
	idx := make(map[string]int, len(m.Commits))
	for i, c := range m.Commits {
		idx[c.Hash] = i
	}
	return idx
}
