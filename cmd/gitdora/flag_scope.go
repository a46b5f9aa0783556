package main

import "github.com/gitdora/gitdora/app"

// scopeFlags are --service and --team of the reading commands (compute,
// report, site, alerts, explain): narrow the figures to one service or
// team of the repository (docs/services.md).
type scopeFlags struct {
	Service string `xor:"scope" placeholder:"NAME" help:"Narrow to one service of services: in gitdora.yml (docs/services.md)."`
	Team    string `xor:"scope" placeholder:"NAME" help:"Narrow to one team (an owner CODEOWNERS names, e.g. @org/payments, or a team of teams.map)."`
}

// scope narrows req to the service or team named, if any.
func (f scopeFlags) scope(req *app.Request) {
	repo := req.Scope.Name
	switch {
	case f.Service != "":
		req.Scope = app.Scope{Kind: app.Service, Name: f.Service, Repo: repo}
	case f.Team != "":
		req.Scope = app.Scope{Kind: app.Team, Name: f.Team, Repo: repo}
	}
}
