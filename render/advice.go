package render

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/gitdora/gitdora/compute"
)

// figure names the number that triggered a recommendation: the metric's
// registry name (what targets and alerts use) as inline code, and its
// value. name must be code-safe (see codeText).
func figure(name, value string) MD {
	return MD("`" + name + "` = " + value)
}

// codeText makes untrusted text safe inside an inline code span, where
// backslash escapes do not work: backticks, pipes and control characters
// are dropped, and the text is cut at max runes.
func codeText(s string, max int) string {
	out := []rune{}
	for _, r := range s {
		if r == '`' || r == '|' || r < 0x20 || r == 0x7f {
			continue
		}
		if len(out) == max {
			break
		}
		out = append(out, r)
	}
	return string(out)
}

func targetMissed(m *compute.Month, name string) *compute.TargetResult {
	t := targetOf(m, name)
	if t != nil && t.Met != nil && !*t.Met {
		return t
	}
	return nil
}

// adviceFor derives recommendations from the month's numbers; each names
// the figure that triggered it. sec is the month's security view, with
// the scan budget and suppressed share; details names the oldest
// critical finding's rule and file (report.findings: full).
func adviceFor(m, prev *compute.Month, d *compute.Detail, sec *securityView, details bool) []advice {
	var out []advice
	add := func(fig MD, format string, args ...any) {
		out = append(out, advice{Text: MD(fmt.Sprintf(format, args...)), Figure: fig})
	}
	df := m.DeploymentFrequency

	if t := targetMissed(m, "deployments_per_day"); t != nil {
		v := unitPerDay.format(t.Value)
		add(figure(t.Metric, v), "Deploy more often: %s against a target of %s. Ship smaller changes and deploy every merge automatically; if the security gate holds deployments back, the block rate below shows it.", v, targetText(t))
	}
	if df.BlockRate != nil && *df.BlockRate > compute.AdviseBlockRate {
		v := Percent(*df.BlockRate)
		add(figure("block_rate", v), "The security gate blocked %s of %s (%s). Review which rules block: let only critical, confirmed findings stop a deployment and report the rest in the pull request.", plural(df.Blocked, "deployment", "deployments"), plural(df.Total, "deployment", "deployments"), v)
	}
	overheadLimit := compute.AdviseOverheadPct
	overheadTarget := trimNum(compute.AdviseOverheadPct, 1) + " %"
	if t := targetOf(m, "scan_overhead_pct"); t != nil {
		overheadLimit, overheadTarget = t.Target, targetText(t)
	}
	if o := m.LeadTime.ScanOverheadPct; o != nil && *o > overheadLimit {
		v := unitPercent.format(o)
		add(figure("scan_overhead_pct", v), "Security scans take %s of lead time (target %s). Scan only the changed files on pull requests (incremental scans), cache tool binaries and rules, and run the scanners in parallel with the build.", v, overheadTarget)
	}
	if budget, tier := sec.budget, sec.budgetTier; budget > 0 {
		for _, tool := range slices.Sorted(maps.Keys(m.Scans.ByTool)) {
			p95 := m.Scans.ByTool[tool].DurationP95Seconds
			if p95 != nil && *p95 >= budget {
				v := Seconds(*p95)
				add(figure("scans.by_tool."+codeText(tool, 40)+".duration_p95_seconds", v), "%s scans take %s at p95, over the budget of %s for a code base of %s (%s). Prefer incremental scans for pull requests and keep full scans for merges or a schedule.", Text(tool, 40), v, Seconds(budget), locText(d.CodeLOC), tier)
			}
		}
	}
	if prev != nil && m.Scans.DurationP95Seconds != nil && prev.Scans.DurationP95Seconds != nil && *prev.Scans.DurationP95Seconds > 0 {
		growth := *m.Scans.DurationP95Seconds / *prev.Scans.DurationP95Seconds - 1
		if growth > compute.AdviseScanGrowth && !math.IsInf(growth, 0) {
			v := Seconds(*m.Scans.DurationP95Seconds)
			add(figure("scan_duration_p95_seconds", v), "Scan duration p95 grew %s since %s (from %s to %s). Look for new rules, a new tool or a growing code base.", Percent(growth), prev.Month, Seconds(*prev.Scans.DurationP95Seconds), v)
		}
	}
	if d.Results >= compute.AdviseSuppressedMin {
		if share := sec.suppressedShare; share != nil && *share > compute.AdviseSuppressedShare {
			v := Percent(*share)
			add(figure("suppressed share", v), "%s of %d scan results were suppressed as false positives or accepted risk. Tune or turn off the noisiest rules so developers keep trusting the gate.", v, d.Results)
		}
	}
	if t := targetMissed(m, "lead_time_p50_hours"); t != nil {
		v := unitHours.format(t.Value)
		extra := ""
		if o := m.LeadTime.ScanOverheadPct; o != nil && *o <= overheadLimit {
			extra = fmt.Sprintf(" Scans account for only %s of it, so the wait is elsewhere: review time, batching or deployment windows.", unitPercent.format(o))
		}
		add(figure(t.Metric, v), "Lead time for changes is %s at the median (target %s). The slowest changes are listed under Lead time.%s", v, targetText(t), extra)
	}
	if t := targetMissed(m, "change_failure_rate"); t != nil {
		v := unitFraction.format(t.Value)
		sec := ""
		if n := m.ChangeFailureRate.SecurityRelatedFailures; n > 0 {
			verb := "were"
			if n == 1 {
				verb = "was"
			}
			sec = fmt.Sprintf(" %d %s security related: add a rule or a test for each so the gate catches it next time.", n, verb)
		}
		add(figure(t.Metric, v), "%d of %s caused a production incident (%s, target %s).%s", m.ChangeFailureRate.FailedDeployments, plural(m.ChangeFailureRate.Deployments, "successful deployment", "successful deployments"), v, targetText(t), sec)
	} else if n := m.ChangeFailureRate.SecurityRelatedFailures; n > 0 {
		add(figure("security_related_failures", fmt.Sprint(n)), "%s caused a security incident in production. Add a rule or a test for each so the gate catches it next time.", plural(n, "deployment", "deployments"))
	}
	if c := m.Classification.TimeToRestore; c != nil && (*c == compute.Medium || *c == compute.Low) {
		v := unitHours.format(m.TimeToRestore.P50Hours)
		add(figure("time_to_restore_p50_hours", v), "Restoring service takes %s at the median (DORA class %s). Make rollback one command and alert on the deploy that caused the incident.", v, className(c))
	}
	for _, s := range []string{"critical", "high"} {
		if t := targetMissed(m, "mttr_"+s+"_hours"); t != nil {
			v := unitHours.format(t.Value)
			add(figure(t.Metric, v), "%s findings took %s on average to fix (target %s). Route new %s findings to the owning team at once, with the fix suggestion attached.", className(&s), v, targetText(t), s)
		}
	}
	if t := targetMissed(m, "fix_lead_time_p50_hours"); t != nil {
		v := unitHours.format(t.Value)
		add(figure(t.Metric, v), "Security fixes take %s from first detection to the fixing scan at the median (target %s).", v, targetText(t))
	}
	if n := m.Vulnerabilities.OpenAtEnd.Critical; n > 0 {
		oldest := ""
		if o := firstOpen(d, "critical"); o != nil && details {
			oldest = fmt.Sprintf(", the oldest for %s (%s in %s)", Hours(o.AgeHours), Text(o.RuleID, 60), Text(o.URI, 80))
		} else if o != nil {
			oldest = fmt.Sprintf(", the oldest for %s", Hours(o.AgeHours))
		}
		add(figure("open_critical", fmt.Sprint(n)), "%s open at the end of the month%s. Fix or triage them first.", plural(n, "critical finding is", "critical findings are"), oldest)
	}
	nw, fx := m.Vulnerabilities.New, m.Vulnerabilities.Fixed
	if newCH, fixedCH := nw.Critical+nw.High, fx.Critical+fx.High; newCH > fixedCH && newCH > 0 {
		add(figure("new_critical + new_high", fmt.Sprint(newCH)), "More critical and high findings appeared (%d) than were fixed (%d): the backlog grows.", newCH, fixedCH)
	}
	if n := m.LeadTime.SkippedNegative; n > 0 {
		add(figure("lead_time_skipped_negative", fmt.Sprint(n)), "%s had a commit time after its deployment (clock skew or rewritten dates) and %s left out of lead time.", plural(n, "change", "changes"), pick(n == 1, "was", "were"))
	}
	return out
}

// firstOpen is the oldest open finding of severity sev: the first in
// compute's order (oldest first), the one the table of oldest findings
// lists first too.
func firstOpen(d *compute.Detail, sev string) *compute.OpenFinding {
	for i := range d.OpenFindings {
		if string(d.OpenFindings[i].Severity) == sev {
			return &d.OpenFindings[i]
		}
	}
	return nil
}

// missingFor says which metrics have no data and how to start recording them.
func missingFor(m *compute.Month, d *compute.Detail) []missing {
	var out []missing
	add := func(what, how string) { out = append(out, missing{What: what, How: MD(how)}) }
	df := m.DeploymentFrequency
	if df.Total == 0 {
		add("Deployments", "No production deployment this month, so deployment frequency, lead time and change failure rate are n/a. Record each deployment from your deploy job with `gitdora record deployment --sha $GITHUB_SHA --status success --scan-seconds N`, or let gitdora read your deploy workflow's runs (`gitdora ingest ci run.json`, setting `deploy.workflow`) or tags matching `deploy.tag_pattern`.")
	} else if df.Successful > 0 && m.LeadTime.Changes == 0 {
		add("Lead time", fmt.Sprintf("No change could be counted (%d left out as bots, %d with a negative lead time; the first deployment has no baseline). Lead time starts counting from the second deployment on.", m.LeadTime.SkippedBots, m.LeadTime.SkippedNegative))
	}
	if m.LeadTime.Changes > 0 && m.LeadTime.ScanOverheadPct == nil {
		add("Scan overhead", "Scan time of the deployments is unknown. Pass `--scan-seconds` to `gitdora record deployment`, or ingest the CI runs (`gitdora ingest ci`) whose scan steps match `ci.scan_step_pattern`.")
	}
	switch {
	case d.IncidentsUntracked:
		since := "no incident has been recorded yet"
		if d.IncidentsSince != "" {
			since = "incidents are tracked from " + d.IncidentsSince
		}
		add("Incidents", "No incident source covers this month ("+since+"), so change failure rate, time to restore and rework rate are n/a: no incident data is not zero failures. "+
			"Record incidents with `gitdora record incident --opened … --resolved … --severity … --category …`, set `incidents.since` to the month you started recording them, or set `incidents.from_reverts: true` to count reverted deployments.")
	case df.Successful > 0 && m.TimeToRestore.Incidents == 0 && len(d.Incidents) == 0:
		add("Time to restore", "No production incident was opened or resolved this month. If there were any, record them with `gitdora record incident --opened … --resolved … --severity … --category …`, or set `incidents.from_reverts: true` to count reverted deployments.")
	}
	if m.Scans.Count == 0 {
		add("Security scans", "No scan of the trunk this month, so vulnerability MTTR and scan durations are n/a. Ingest each scanner's SARIF after it runs on the trunk: `gitdora ingest sarif results.sarif --ref main`.")
	} else if m.Scans.DurationP50Seconds == nil {
		add("Scan duration", "The scans carry no duration. Keep `invocations[0].startTimeUtc` and `endTimeUtc` in the SARIF, or ingest the CI runs that ran the scans (`gitdora ingest ci`).")
	}
	if m.Scans.Count > 0 && d.CodeLOC <= 0 {
		add("Scan budget", "The size of the code base is unknown, so scan durations are not checked against a budget. Set `scan_budget.loc` in gitdora.yml.")
	}
	return out
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
