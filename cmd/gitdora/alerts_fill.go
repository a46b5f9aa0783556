package main

import (
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/compute/alert"
)

// fillAlerts fills each month's alerts[] with the rules of gitdora.yml
// firing as of the end of its period, or now if that is earlier (a month
// that has not begun keeps an empty list). One Evaluator serves all
// months, so each daily window is computed once.
func fillAlerts(g *Globals, h *compute.History, months []compute.Month, now time.Time) error {
	if len(months) == 0 {
		return nil
	}
	rules, err := alert.Compile(h.Config.Alerts)
	if err != nil || len(rules) == 0 {
		return err
	}
	src := alert.NewHistorySource(h)
	alert.NewEvaluator(src, h.Loc, alert.FirstFact(h.Facts)).Fill(rules, months, now)
	g.Log.Debug("alerts filled", "months", len(months), "rules", len(rules), "windows_computed", src.Periods())
	return nil
}
