package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gen"
)

// Options choose a demo.
type Options struct {
	Months int    // calendar months of history, ending with December 2025: 1 to MaxMonths
	Seed   uint64 // the same seed gives the same demo
	// Monorepo lays the code out as a monorepo of three services (api,
	// web, billing) with a CODEOWNERS file that changes half way, and
	// configures them (monorepo.go).
	Monorepo bool
}

// MaxMonths bounds Options.Months: five years (a 60-month demo is written
// in about 15 s; the data branch is written month by month as a team
// would, so its cost grows with the months).
const MaxMonths = 60

// End is where every demo ends: the start of January 2026, UTC. The last
// month of a demo is December 2025.
var End = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// freezeStart is the start of the holiday code freeze: no deployment
// from then to End (the unattributed incident happens in it).
var freezeStart = time.Date(2025, 12, 19, 0, 0, 0, 0, time.UTC)

const (
	production = "production"
	staging    = "staging"
	trunk      = "main"
	// ciRoot is where the CI runner checked the code out (the scan
	// records say so, as `gitdora ingest` run in CI would).
	ciRoot = "/home/runner/work/service/service"
)

// Plan is a demo planned from Options: the code history and everything
// the team recorded about it.
type Plan struct {
	Options
	Start     time.Time // the first day of the first month, UTC
	Model     *gen.Model
	Pipelines []*Pipeline // runs of the deploy workflow, in time order
	Incidents []*Incident // in the order opened
	Nights    []*Night    // nightly security scans of the trunk, in time order
	Findings  []*Finding

	line  []int // the trunk's first-parent line: commit indexes, oldest first
	rnd   *rand.Rand
	runID int64
}

// Pipeline is one run of the deploy workflow: the production deployment
// it recorded and, unless the security gate blocked it, the staging
// deployment before it.
type Pipeline struct {
	Run        Run
	Production data.Deployment
	Staging    *data.Deployment
	Line       int // index of the deployed commit in the trunk line
}

// Success reports whether the pipeline deployed to production.
func (p *Pipeline) Success() bool { return fact.Status(p.Production.Status) == fact.StatusSuccess }

// Incident is an incident as recorded, with how the plan meant it to be
// attributed.
type Incident struct {
	data.Incident
	Recorded time.Time // when it was recorded: when resolved, else when opened
	// Intended is the index in Plan.Pipelines of the deployment the
	// incident belongs to (-1: none), and How says by what (commit,
	// deployment, time or none).
	Intended int
	How      string
}

// Night is one nightly run of the security scan workflow on the trunk tip.
type Night struct {
	Run   Run
	SHA   string
	Line  int
	Scans [len(tools)]ToolScan
}

// IngestAt is when the night's SARIF files are ingested (the last step
// of the workflow): the scan time of the files without invocation times.
func (n *Night) IngestAt() time.Time { return n.Run.End.Add(-time.Second) }

// ToolScan is one tool's scan in a night.
type ToolScan struct {
	Start, End time.Time // of the tool's step
}

// New makes the plan for o.
func New(o Options) (*Plan, error) {
	if o.Months < 1 || o.Months > MaxMonths {
		return nil, &fact.InputError{Input: "months", Value: strconv.Itoa(o.Months), Err: fmt.Errorf("want 1 to %d", MaxMonths)}
	}
	p := &Plan{
		Options: o,
		Start:   End.AddDate(0, -o.Months, 0),
		rnd:     rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed_da7a_d0a_2025)),
	}
	if err := p.history(); err != nil {
		return nil, err
	}
	p.deployments()
	p.nights()
	p.findings()
	p.incidents()
	return p, nil
}

// history generates the code history: a team of nine committing about
// six times a working day from the first working morning of the span
// until the last days of December 2025, with a release tag a month.
func (p *Plan) history() error {
	o := gen.DefaultOptions()
	o.Seed = p.Seed
	o.Start = time.Date(p.Start.Year(), p.Start.Month(), p.Start.Day(), 9, 0, 0, 0, time.UTC)
	for o.Start.Weekday() == time.Saturday || o.Start.Weekday() == time.Sunday {
		o.Start = o.Start.AddDate(0, 0, 1)
	}
	o.PerDay = 6
	o.Authors = 9
	o.Monorepo = p.Monorepo
	o.Releases = p.Months
	o.OtherTags = 2
	o.Commits = int(o.PerDay * float64(workdays(o.Start, End)))
	// The clock of the generator runs as commits come: aim for a last
	// commit in the last ten days of December, never after it.
	lo, hi := End.AddDate(0, 0, -10), End.AddDate(0, 0, -1)
	for try := 0; ; try++ {
		m, err := gen.Generate(o)
		if err != nil {
			return err
		}
		last := m.Commits[len(m.Commits)-1].Committer.When
		if !last.Before(lo) && last.Before(hi) || try == 20 && last.Before(hi) {
			p.Model = m
			break
		}
		if try > 20 {
			return fmt.Errorf("demo: the generated history ends %s, after the demo's end", last.Format(time.RFC3339))
		}
		target := lo.Add(hi.Sub(lo) / 2)
		o.Commits = max(2, int(float64(o.Commits)*float64(target.Sub(o.Start))/float64(last.Sub(o.Start))))
	}
	head := p.Model.Refs[0].Commit
	for c := head; ; {
		p.line = append(p.line, c)
		ps := p.Model.Commits[c].Parents
		if len(ps) == 0 {
			break
		}
		c = ps[0]
	}
	for i, j := 0, len(p.line)-1; i < j; i, j = i+1, j-1 {
		p.line[i], p.line[j] = p.line[j], p.line[i]
	}
	return nil
}

// workdays counts Mondays to Fridays in [from, to).
func workdays(from, to time.Time) int {
	n := 0
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if workday(d) {
			n++
		}
	}
	return n
}

func workday(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }

// tipAt is the index in the trunk line of the trunk's tip at t, -1 before the first commit.
func (p *Plan) tipAt(t time.Time) int {
	return sort.Search(len(p.line), func(i int) bool { return p.Model.Commits[p.line[i]].Committer.When.After(t) }) - 1
}

func (p *Plan) sha(line int) string { return p.Model.Commits[p.line[line]].Hash }

// between returns a random integer in [lo, hi].
func (p *Plan) between(lo, hi int) int { return lo + p.rnd.IntN(hi-lo+1) }

// seconds returns a random duration of lo to hi seconds.
func (p *Plan) seconds(lo, hi int) time.Duration {
	return time.Duration(p.between(lo, hi)) * time.Second
}

// days lists the days of the span, UTC midnights.
func (p *Plan) days() []time.Time {
	var out []time.Time
	for d := p.Start; d.Before(End); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

func (p *Plan) nextRunID(base int64) int64 {
	p.runID++
	return base + p.runID*7
}

// deployments plans the deploy pipeline runs: up to three a working day
// (morning, afternoon, evening slots), each deploying the trunk's tip
// unless production already runs it; about one in twenty is blocked by
// the security gate and one in twenty fails in the deploy step.
func (p *Plan) deployments() {
	slots := []struct {
		h, m int
		p    float64
	}{{10, 30, 0.8}, {14, 30, 0.6}, {17, 0, 0.35}}
	deployed := -1 // trunk line index production runs
	for _, d := range p.days() {
		if !workday(d) || !d.Before(freezeStart) {
			continue
		}
		for _, s := range slots {
			if p.rnd.Float64() >= s.p {
				continue
			}
			start := d.Add(time.Duration(s.h)*time.Hour + time.Duration(s.m)*time.Minute + p.seconds(0, 1200))
			line := p.tipAt(start)
			if line < 0 || line == deployed {
				continue
			}
			var status fact.Status
			switch r := p.rnd.Float64(); {
			case r < 0.05:
				status = fact.StatusBlocked
			case r < 0.10:
				status = fact.StatusFailure
			default:
				status = fact.StatusSuccess
			}
			pl := p.pipeline(start, line, status)
			if pl.Success() {
				deployed = line
			}
			p.Pipelines = append(p.Pipelines, pl)
		}
	}
}

// pipeline plans one run of the deploy workflow: build, security gate,
// deploy (staging, smoke tests, production).
func (p *Plan) pipeline(start time.Time, line int, status fact.Status) *Pipeline {
	sha := p.sha(line)
	run := Run{ID: p.nextRunID(14_200_000_000), Name: "Deploy", Path: ".github/workflows/deploy.yml", Event: "push", SHA: sha, Start: start, Conclusion: "success"}
	build := run.job("build", start.Add(4*time.Second),
		step{"Set up job", p.seconds(1, 3), ""}, step{"Run actions/checkout@v4", p.seconds(4, 12), ""},
		step{"Build", p.seconds(60, 120), ""}, step{"Unit tests", p.seconds(90, 210), ""}, step{"Complete job", time.Second, ""})
	// The gate's scan takes longer as the code base grows through the year.
	grow := int(start.Sub(p.Start).Hours() / 24 / 10)
	gateOutcome := ""
	if status == fact.StatusBlocked {
		gateOutcome = "failure"
	}
	gate := run.job("security-gate", build.End.Add(3*time.Second),
		step{"Set up job", p.seconds(1, 3), ""}, step{"Run actions/checkout@v4", p.seconds(4, 10), ""},
		step{"Security gate", p.seconds(45+grow, 90+grow), gateOutcome}, step{"Complete job", time.Second, ""})
	pl := &Pipeline{Line: line}
	d := data.Deployment{ID: fmt.Sprintf("deploy-%d", run.ID), SHA: sha, Environment: production, Status: string(status), Source: "deploy.yml"}
	if status == fact.StatusBlocked {
		run.job("deploy", gate.End, step{}) // skipped
		run.Conclusion = "failure"
		d.Time = data.NewTime(gate.End)
		d.GateBlocked = true
		d.High = p.between(1, 2)
		if p.rnd.IntN(3) == 0 {
			d.Critical = 1
		}
	} else {
		deployOutcome := ""
		if status == fact.StatusFailure {
			deployOutcome = "failure"
			run.Conclusion = "failure"
		}
		dep := run.job("deploy", gate.End.Add(3*time.Second),
			step{"Set up job", p.seconds(1, 3), ""}, step{"Deploy to staging", p.seconds(40, 75), ""},
			step{"Smoke tests", p.seconds(20, 45), ""}, step{"Deploy to production", p.seconds(50, 95), deployOutcome}, step{"Complete job", time.Second, ""})
		stg := data.Deployment{ID: d.ID + "-staging", Time: data.NewTime(dep.Steps[1].End), SHA: sha, Environment: staging, Status: string(fact.StatusSuccess), Source: "deploy.yml"}
		pl.Staging = &stg
		d.Time = data.NewTime(dep.Steps[3].End)
	}
	run.End = run.Jobs[len(run.Jobs)-1].End.Add(2 * time.Second)
	scan := gate.Steps[2].End.Sub(gate.Steps[2].Start).Seconds()
	pipe := run.End.Sub(run.Start).Seconds()
	d.ScanSeconds, d.PipelineSeconds = data.Float(scan), data.Float(pipe)
	pl.Run, pl.Production = run, d
	return pl
}

// nights plans the nightly security scan of the trunk: Tuesday to
// Saturday at about 02:00 UTC (the work of the working day before), with
// Semgrep, CodeQL and gitleaks one after the other. A night whose trunk
// tip was scanned already is skipped. CodeQL's scans get 45 % slower in
// the last week of the fourth month before the end (a new query suite).
func (p *Plan) nights() {
	slower := time.Date(2025, time.Month(9), 24, 0, 0, 0, 0, time.UTC)
	scanned := -1
	for _, d := range p.days() {
		if wd := d.Weekday(); wd == time.Sunday || wd == time.Monday {
			continue
		}
		start := d.Add(2*time.Hour + p.seconds(0, 900))
		line := p.tipAt(start)
		if line < 0 || line == scanned {
			continue
		}
		scanned = line
		n := &Night{SHA: p.sha(line), Line: line}
		n.Run = Run{ID: p.nextRunID(13_100_000_000), Name: "Security scan", Path: ".github/workflows/security-scan.yml", Event: "schedule", SHA: n.SHA, Start: start, Conclusion: "success"}
		grow := int(d.Sub(p.Start).Hours() / 24 / 20)
		codeql := p.seconds(215+grow, 270+grow)
		if !d.Before(slower) {
			codeql = (codeql * 145 / 100).Round(time.Second)
		}
		job := n.Run.job("scan", start.Add(5*time.Second),
			step{"Set up job", p.seconds(1, 3), ""}, step{"Run actions/checkout@v4", p.seconds(5, 14), ""},
			step{"Semgrep scan", p.seconds(38+grow, 62+grow), ""},
			step{"CodeQL analyze", codeql, ""},
			step{"Secrets scan (gitleaks)", p.seconds(6, 14), ""},
			step{"Upload SARIF", p.seconds(3, 8), ""}, step{"Complete job", time.Second, ""})
		n.Run.End = job.End.Add(2 * time.Second)
		for t := range tools {
			s := job.Steps[2+t]
			n.Scans[t] = ToolScan{Start: s.Start, End: s.End}
		}
		p.Nights = append(p.Nights, n)
	}
}

// incidents plans each month's incidents: one or two reliability
// incidents named by the commit that caused them, a security incident
// found soon after a deployment (attributed by time), every third month
// one named by its deployment id, every second month one in staging; and
// in December, during the freeze, one that no deployment caused
// (unattributed) and one still open at the end.
func (p *Plan) incidents() {
	var success []int
	for i, pl := range p.Pipelines {
		if pl.Success() {
			success = append(success, i)
		}
	}
	if len(success) < 2 {
		return
	}
	add := func(in *Incident) { p.Incidents = append(p.Incidents, in) }
	reliability := []string{"Checkout latency above SLO after release", "Payment webhook retries exhausted", "Memory leak in the session cache", "5xx spike on /api/orders", "Config reload dropped connections", "Search index rebuild stalled"}
	security := []struct{ title, cwe string }{
		{"Session token written to application logs", "CWE-532"}, {"Open redirect on the login page", "CWE-601"},
		{"Invoices readable by other tenants", "CWE-639"}, {"Server-side request forgery through the image proxy", "CWE-918"},
		{"No rate limit on password reset", "CWE-307"},
	}
	month := map[string][]int{} // month → successful pipelines (not the first)
	var months []string
	for _, i := range success[1:] {
		m := p.Pipelines[i].Production.Time.Format("2006-01")
		if _, ok := month[m]; !ok {
			months = append(months, m)
		}
		month[m] = append(month[m], i)
	}
	next := map[int]int{} // successful pipeline → the next one (-1: none)
	for k, i := range success {
		next[i] = -1
		if k+1 < len(success) {
			next[i] = success[k+1]
		}
	}
	pick := func(xs []int) int { return xs[p.rnd.IntN(len(xs))] }
	for mi, m := range months {
		cands := month[m]
		for k := p.between(1, 2); k > 0; k-- {
			i := pick(cands)
			pl := p.Pipelines[i]
			prev := p.previousSuccess(i)
			// A commit the deployment shipped: on the trunk line after
			// what production ran before, up to what it deployed.
			c := p.between(p.Pipelines[prev].Line+1, pl.Line)
			opened := pl.Production.Time.Add(p.seconds(3600, 20*3600))
			add(&Incident{Incident: data.Incident{Opened: data.NewTime(opened), Resolved: resolved(opened.Add(p.seconds(25*60, 7*3600))),
				Severity: string([]fact.Severity{fact.SeverityMedium, fact.SeverityHigh}[p.rnd.IntN(2)]), Category: string(fact.CategoryReliability), Environment: production,
				Commit: p.sha(c), Title: reliability[p.rnd.IntN(len(reliability))]}, Intended: i, How: "commit"})
		}
		// Found 15 to 100 minutes after a deployment, before the next one.
		var quiet []int
		for _, i := range cands {
			if n := next[i]; n < 0 || p.Pipelines[n].Production.Time.Sub(p.Pipelines[i].Production.Time.Time) > 3*time.Hour {
				quiet = append(quiet, i)
			}
		}
		if len(quiet) > 0 {
			i := pick(quiet)
			s := security[p.rnd.IntN(len(security))]
			opened := p.Pipelines[i].Production.Time.Add(p.seconds(15*60, 100*60))
			add(&Incident{Incident: data.Incident{Opened: data.NewTime(opened), Resolved: resolved(opened.Add(p.seconds(2*3600, 30*3600))),
				Severity: string([]fact.Severity{fact.SeverityHigh, fact.SeverityCritical}[p.rnd.IntN(2)]), Category: string(fact.CategorySecurity), Environment: production,
				CWE: s.cwe, Title: s.title}, Intended: i, How: "time"})
		}
		if mi%3 == 1 {
			i := pick(cands)
			opened := p.Pipelines[i].Production.Time.Add(p.seconds(2*3600, 48*3600))
			add(&Incident{Incident: data.Incident{Opened: data.NewTime(opened), Resolved: resolved(opened.Add(p.seconds(3600, 4*3600))),
				Severity: string(fact.SeverityLow), Category: string(fact.CategoryReliability), Environment: production,
				DeploymentID: p.Pipelines[i].Production.ID, Title: "Feature flag defaults reset by the release"}, Intended: i, How: "deployment"})
		}
		if mi%2 == 0 {
			i := pick(cands)
			pl := p.Pipelines[i]
			opened := pl.Staging.Time.Time.Add(p.seconds(300, 1200))
			add(&Incident{Incident: data.Incident{Opened: data.NewTime(opened), Resolved: resolved(opened.Add(p.seconds(3600, 3*3600))),
				Severity: string(fact.SeverityMedium), Category: string(fact.CategoryReliability), Environment: staging,
				Commit: pl.Production.SHA, Title: "Migration failed on the staging database"}, Intended: i, How: "staging"})
		}
	}
	last := success[len(success)-1]
	lastAt := p.Pipelines[last].Production.Time.Time
	// Ten days into the freeze: no deployment within the attribution gap.
	opened := lastAt.Add(10*24*time.Hour + p.seconds(0, 3600))
	add(&Incident{Incident: data.Incident{Opened: data.NewTime(opened), Resolved: resolved(opened.Add(p.seconds(2*3600, 4*3600))),
		Severity: string(fact.SeverityHigh), Category: string(fact.CategoryReliability), Environment: production,
		Title: "TLS certificate expired on the edge proxy"}, Intended: -1, How: "none"})
	opened = lastAt.Add(2*24*time.Hour + p.seconds(0, 3600))
	add(&Incident{Incident: data.Incident{Opened: data.NewTime(opened), Severity: string(fact.SeverityLow), Category: string(fact.CategoryOther), Environment: production,
		Title: "Intermittent 502s from the CDN"}, Intended: last, How: "time"})

	sort.SliceStable(p.Incidents, func(a, b int) bool { return p.Incidents[a].Opened.Before(p.Incidents[b].Opened.Time) })
	for k, in := range p.Incidents {
		in.ID = fmt.Sprintf("INC-%d", 101+k)
		in.Recorded = in.Opened.Time
		if in.Resolved.Valid {
			in.Recorded = in.Resolved.Time.Time
		}
	}
}

func resolved(t time.Time) data.OptTime { return data.OptTime{Time: data.NewTime(t), Valid: true} }

// previousSuccess is the successful pipeline before pipeline i.
func (p *Plan) previousSuccess(i int) int {
	for j := i - 1; j >= 0; j-- {
		if p.Pipelines[j].Success() {
			return j
		}
	}
	return -1
}

// Summary is what a plan holds, in round figures for people.
type Summary struct {
	First, Last string // months, YYYY-MM
	Commits     int
	Deployments int // to production, whatever their status
	Incidents   int
	Scans       int // SARIF runs of the trunk
}

// Summary sums the plan up.
func (p *Plan) Summary() Summary {
	return Summary{First: p.Start.Format("2006-01"), Last: End.AddDate(0, 0, -1).Format("2006-01"), Commits: len(p.Model.Commits),
		Deployments: len(p.Pipelines), Incidents: len(p.Incidents), Scans: len(p.Nights) * len(tools)}
}
