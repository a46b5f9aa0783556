package compute

// Kinds of Scope: what a month's figures are of (docs/services.md).
const (
	ScopeRepository   = "repository"
	ScopeService      = "service"
	ScopeTeam         = "team"
	ScopeOrganisation = "organisation"
)

// Scope is scope.* of a month: the kind of what the figures are of and
// its name (a repository's, a service's, a team's or an organisation's).
type Scope struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// scope is h.Scope, a repository when it is not set.
func (h *History) scope() Scope {
	s := h.Scope
	if s.Kind == "" {
		s.Kind = ScopeRepository
	}
	return s
}

// unassignedShown reports whether months of h show
// lead_time.unassigned_changes: a repository's (or an organisation's) with
// services configured.
func (h *History) unassignedShown() bool {
	k := h.scope().Kind
	return len(h.Config.Services) > 0 && (k == ScopeRepository || k == ScopeOrganisation)
}

// listUnassigned is the row list of lead_time.unassigned_changes: the
// counted changes that touch no service.
const listUnassigned = "lead_time.unassigned_changes"
