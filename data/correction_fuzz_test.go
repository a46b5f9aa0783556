package data

import (
	"strings"
	"testing"
)

// Corrections come from hand-edited files: applying any of them to the
// recorded events never panics, reports every correction once, leaves no
// voided event in, and keeps every event it keeps valid.
func FuzzCorrect(f *testing.F) {
	head := strings.Join(CorrectionHeader, ",") + "\n"
	f.Add([]byte(head + "c1,2026-03-09T09:00:00Z,deployment,d1,status,failure,r,a\n"))
	f.Add([]byte(head + "c1,2026-03-09T09:00:00Z,deployment,d1,void,,r,a\nc2,2026-03-09T08:00:00Z,deployment,d1,scan_seconds,-1,r,a\n"))
	f.Add([]byte(head + "c1,2026-03-09T09:00:00Z,incident,i1,resolved,2026-03-01T00:00:00Z,r,a\nc2,2026-03-09T09:00:00Z,incident,i1,opened,2026-02-01T00:00:00Z,r,a\n"))
	f.Add([]byte(head + "c1,2026-03-09T09:00:00Z,incident,i1,title,\"a\nb\",r,a\n"))
	f.Add([]byte(head + "c1,2026-03-09T09:00:00Z,pull,p1,merge_sha,abc,r,a\nc2,2026-03-09T09:00:00Z,pull,p1,opened,,r,a\nc3,2026-03-09T09:00:00Z,pull,p2,void,,r,a\n"))
	deps := []Deployment{dep("d1", "2026-03-02T10:00:00Z"), dep("d2", "2026-03-03T10:00:00Z")}
	incs := []Incident{inc("i1", "2026-03-02T11:00:00Z", ""), inc("i2", "2026-03-05T11:00:00Z", "2026-03-05T12:00:00Z")}
	pulls := []Pull{pull("p1", "2026-03-02T10:00:00Z", "", ""), pull("p2", "2026-03-03T10:00:00Z", "2026-03-04T10:00:00Z", "6bb224b79892b75c83bed51434d97aa992e38015")}
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, _, _ := decodeRows(b, "fuzz.csv", correctionRows)
		got := Recorded{Deployments: deps, Incidents: incs, Pulls: pulls}.Correct(cs)
		if len(got.Outcomes) != len(cs) {
			t.Fatalf("%d outcomes of %d corrections", len(got.Outcomes), len(cs))
		}
		for _, o := range got.Outcomes {
			if o.Applied == (o.Problem != "") {
				t.Fatalf("outcome %+v: applied with a problem, or neither", o)
			}
		}
		for _, d := range got.Deployments {
			if got.Voided[KindDeployment][d.ID] {
				t.Fatalf("voided deployment %s kept", d.ID)
			}
			if err := d.Check(); err != nil {
				t.Fatalf("deployment %s as corrected: %v", d.ID, err)
			}
		}
		for _, in := range got.Incidents {
			if got.Voided[KindIncident][in.ID] {
				t.Fatalf("voided incident %s kept", in.ID)
			}
			if err := in.Check(); err != nil {
				t.Fatalf("incident %s as corrected: %v", in.ID, err)
			}
		}
		for _, p := range got.Pulls {
			if got.Voided[KindPull][p.ID] {
				t.Fatalf("voided pull %s kept", p.ID)
			}
			if err := p.Check(); err != nil {
				t.Fatalf("pull %s as corrected: %v", p.ID, err)
			}
		}
	})
}
