package main

import (
	"time"

	"github.com/gitdora/gitdora/compute"
)

// fillAlerts evaluates the alert rules for every month (issue 6).
func fillAlerts(g *Globals, h *compute.History, months []compute.Month, now time.Time) error {
	return nil
}
