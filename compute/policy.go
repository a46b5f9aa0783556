package compute

// The judgements the reports make beyond the DORA classes: the budget of
// a scan by the size of the code base, and when a number is worth a
// recommendation although no target covers it. render words them; the
// numbers live here.

// ScanBudget is the scan-duration budget for a code base of loc lines
// (platform design §2.2): 10K LOC < 1 min, 50K < 3 min, 100K < 5 min,
// 500K < 20 min; tier names the size it is for. seconds is 0 when the
// size is unknown.
func ScanBudget(loc int) (seconds float64, tier string) {
	switch {
	case loc <= 0:
		return 0, ""
	case loc <= 10_000:
		return 60, "up to 10K LOC"
	case loc <= 50_000:
		return 180, "up to 50K LOC"
	case loc <= 100_000:
		return 300, "up to 100K LOC"
	case loc <= 500_000:
		return 1200, "up to 500K LOC"
	default:
		return 1200, "500K LOC and more"
	}
}

// Thresholds of the recommendations that have no target of their own.
const (
	// AdviseBlockRate: a gate block rate above this.
	AdviseBlockRate = 0.10
	// AdviseSuppressedShare: a share of suppressed results above this,
	// with at least AdviseSuppressedMin results.
	AdviseSuppressedShare = 0.20
	AdviseSuppressedMin   = 10
	// AdviseScanGrowth: a growth of the scan duration p95 against the
	// month before above this.
	AdviseScanGrowth = 0.20
	// AdviseOverheadPct: a scan overhead above this percentage, when no
	// target is set.
	AdviseOverheadPct = 20.0
)

// DeployDaysPerWeek are the lower bounds of the elite and high classes of
// deployment frequency, in deploy days per week; one deploy day in the
// period is medium, none low. Every benchmark shares them.
var DeployDaysPerWeek = [2]float64{5, 1}
