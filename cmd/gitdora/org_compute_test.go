package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
)

// An organisation of one repository has that repository's figures, every
// one of them exactly (its scope and repositories aside): the samples an
// organisation rolls up are the values the repository's figures came
// from, policy figures, expired exemptions and untracked incidents
// included.
func TestOrganisationOfOneRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the demo's year")
	}
	_, h, months := demoHistory(t)
	span := compute.Span{First: months[0], Last: months[len(months)-1], Loc: time.UTC}
	org := compute.Org{Config: h.Config, Parts: []*compute.Part{compute.NewPart(h, span)}}
	for _, p := range span.Periods() {
		want := h.Period(p)
		got := org.Period(p)
		if got.Scope.Kind != compute.ScopeOrganisation || got.Repositories == nil || *got.Repositories != 1 {
			t.Errorf("%s: scope %+v, repositories %v", p.Name, got.Scope, got.Repositories)
		}
		got.Scope, got.Repositories = want.Scope, nil
		a, _ := json.MarshalIndent(want, "", " ")
		b, _ := json.MarshalIndent(got, "", " ")
		if string(a) != string(b) {
			t.Errorf("%s: the organisation of one repository differs from it:\n%s\nwant\n%s", p.Name, b, a)
		}
	}
}
