package app

import (
	"io"
	"log/slog"
	"time"
)

// ScopeKind is what a report is about: a repository, one of its
// services or teams (scope.go), or an organisation (org.go).
type ScopeKind string

// Repository is the scope of one code repository and its data branch.
const Repository ScopeKind = "repository"

// Scope names what a request reports on: its kind and its name (for a
// repository, the path of the code repository; for a service or team,
// its name, with Repo the path of its repository).
type Scope struct {
	Kind ScopeKind
	Name string
	// Repo is the path of the code repository of a service or team.
	Repo string
	// Label is the name the figures give a repository (scope.name): its
	// name in an organisation; "" for none.
	Label string
}

// Request is what every reading command is asked: the scope, where its
// data lives and how to read it.
type Request struct {
	Scope Scope
	// Data says where the data lives: a branch of the repository, another
	// repository (PATH#branch) or a plain directory; "" is the default
	// branch.
	Data string
	// Config is a gitdora.yml to use instead of the data branch's; "" for none.
	Config string
	// Loc is the time zone of the months.
	Loc *time.Location
	// Strict makes skipped input an error (a *ProblemsError).
	Strict bool
	// Now is the time the request is made: months that have not ended
	// are partial, and alerts are evaluated as of it.
	Now time.Time
	// AsOf reads the data branch as it was at this data commit (a hash or
	// a revision of the data branch), so that a published report can be
	// rebuilt byte for byte; "" reads its tip.
	AsOf string
}

// Env is where a command writes: its output, its log and its progress.
type Env struct {
	Stdout, Stderr io.Writer
	Log            *slog.Logger
	// Progress receives progress lines of long walks; nil for none.
	Progress io.Writer
}
