package compute

import "github.com/gitdora/gitdora/fact"

// correctedIn counts the recorded events of p that corrections changed:
// amended (and not voided) and voided ones, each event once, by the time
// it was recorded with (a deployment's time, an incident's opening).
func correctedIn(cs []fact.Correction, p Period) (amended, voided int) {
	type event struct{ kind, id string }
	state := map[event]bool{} // true: voided
	for _, c := range cs {
		if !c.Applied || c.EventTime.IsZero() || !p.Contains(c.EventTime) {
			continue
		}
		e := event{c.Kind, c.Target}
		state[e] = state[e] || c.Field == "void"
	}
	for _, v := range state {
		if v {
			voided++
		} else {
			amended++
		}
	}
	return amended, voided
}
