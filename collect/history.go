package collect

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// gatherHistory fills deployments (from events, deploy workflow runs or
// tags, per month), the change set of every successful production
// deployment, incidents and their attribution, and the code base's size.
func gatherHistory(o Options, f *fact.Facts) error {
	return gatherHistoryFrom(o, f, func() (*codeRepo, error) { return openCodeRepo(o.RepoPath) })
}

// gatherHistoryFrom is gatherHistory over the code history open opens (the
// tests give one without a repository).
func gatherHistoryFrom(o Options, f *fact.Facts, open func() (*codeRepo, error)) error {
	cfg := o.Config
	loc := o.Loc
	if loc == nil {
		loc = time.UTC
	}
	rows, incs, err := correctedEvents(o, f)
	if err != nil {
		return err
	}
	all := eventDeployments(rows, cfg.Production)
	all = append(all, ciDeployments(f.CIRuns, cfg)...)

	var g *graph
	cr, err := open()
	if err != nil {
		f.Notes = append(f.Notes, fmt.Sprintf("%v; without the code's history there are no lead times and no deployments from tags", err))
	} else {
		defer cr.close()
		g = newGraph(cr, o.Progress)
		defer g.close()
		tags, probs, err := tagDeployments(cr, g, cfg.Deploy.TagPattern, cfg.Production, cfg.Services)
		if err != nil {
			return err
		}
		f.Problems = append(f.Problems, probs...)
		kept, bad := plausibleTags(tags, data.Now())
		if n := len(tags) - len(kept); n > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("%d tag(s) matching %q left out, dated before 1970 or in the future: %s", n, cfg.Deploy.TagPattern, strings.Join(bad, "; ")))
		}
		all = append(all, kept...)
	}
	pin := fact.Source("")
	if src := cfg.Deploy.Source; src != "" && src != "auto" {
		pin = fact.Source(src)
	}
	kept, months := chooseSources(all, loc, pin)
	sortDeployments(kept)
	f.Deployments = kept
	f.Sources = months
	used := map[fact.Source][]string{}
	for _, sm := range months {
		if sm.Used != "" {
			used[sm.Used] = append(used[sm.Used], sm.Month)
		}
	}
	if pin != "" {
		if len(used[pin]) == 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("no production deployments: deploy.source is %s, and there are no %s", pin, sourceWhat(o, pin)))
		}
	} else {
		f.Notes = append(f.Notes, sourceNotes(o, used)...)
	}
	f.Warnings = append(f.Warnings, sourceWarnings(months, pin != "")...)

	h := &history{o: o, f: f, g: g, loc: loc, incRows: incs}
	if cfg.LeadTime.Squash != "off" {
		h.starts = pullStarts(f.Pulls)
	}
	if g != nil {
		if err := h.changes(); err != nil {
			return err
		}
		g.doneProgress()
	}
	if err := h.incidents(); err != nil {
		return err
	}
	if g != nil {
		f.CodeLOC = codeLOC(o, f, cr)
	} else {
		f.CodeLOC = cfg.ScanBudget.LOC
	}
	return h.slices(all) // services and teams (services.go)
}

// plausibleTags keeps the tag deployments dated from 1970 to now (a tag
// on a commit dated 1970 or 9999 would stretch the history to it), and
// says which others it left out (the first three).
func plausibleTags(tags []fact.Deployment, now time.Time) (kept []fact.Deployment, bad []string) {
	for _, d := range tags {
		if err := data.CheckWhen(d.Time, now); err != nil {
			bad = append(bad, d.ID+": "+err.Error())
			continue
		}
		kept = append(kept, d)
	}
	if len(bad) > 3 {
		bad = append(bad[:3], "…")
	}
	return kept, bad
}

// sourceNotes says once where deployments came from when it is not the
// data branch's events alone.
func sourceNotes(o Options, used map[fact.Source][]string) []string {
	var notes []string
	if !o.Store.Exists() {
		notes = append(notes, fmt.Sprintf("no data branch (%s): deployments come from deploy workflow runs or tags matching %q; "+
			"fetch the branch if it exists (git fetch origin %s:%s) or create it with gitdora init",
			o.Store, o.Config.Deploy.TagPattern, data.DefaultBranch, data.DefaultBranch))
		if len(used[fact.SourceEvents])+len(used[fact.SourceCI])+len(used[fact.SourceTags]) == 0 {
			notes = append(notes, fmt.Sprintf("no deployments found: no tag matches %q", o.Config.Deploy.TagPattern))
		}
		return notes
	}
	if len(used[fact.SourceEvents])+len(used[fact.SourceCI])+len(used[fact.SourceTags]) == 0 {
		return []string{fmt.Sprintf("no production deployments: no deployment events, no runs of the deploy workflow %q and no tags matching %q",
			o.Config.Deploy.Workflow, o.Config.Deploy.TagPattern)}
	}
	if n := len(used[fact.SourceTags]); n > 0 && len(used[fact.SourceEvents])+len(used[fact.SourceCI]) > 0 {
		notes = append(notes, fmt.Sprintf("deployments of %d month(s) (%s) come from tags matching %q: no deployment events or deploy workflow runs for them",
			n, monthSpan(used[fact.SourceTags]), o.Config.Deploy.TagPattern))
	} else if n > 0 {
		notes = append(notes, fmt.Sprintf("no deployment events or deploy workflow runs: deployments come from tags matching %q", o.Config.Deploy.TagPattern))
	}
	if n := len(used[fact.SourceCI]); n > 0 {
		notes = append(notes, fmt.Sprintf("deployments of %d month(s) (%s) come from runs of the deploy workflow %q", n, monthSpan(used[fact.SourceCI]), o.Config.Deploy.Workflow))
	}
	return notes
}

// sourceWhat says what a source reads, for messages.
func sourceWhat(o Options, s fact.Source) string {
	switch s {
	case fact.SourceCI:
		return fmt.Sprintf("runs of the deploy workflow %q", o.Config.Deploy.Workflow)
	case fact.SourceTags:
		return fmt.Sprintf("tags matching %q", o.Config.Deploy.TagPattern)
	}
	return "production deployment events"
}

func monthSpan(ms []string) string {
	if len(ms) == 1 {
		return ms[0]
	}
	return ms[0] + " to " + ms[len(ms)-1]
}

// history is the state of one gatherHistory.
type history struct {
	o   Options
	f   *fact.Facts
	g   *graph
	loc *time.Location

	prod  []int // indexes into f.Deployments of successful production deployments, in time order
	owned [][]int32

	incRows []data.Incident // the incident events, corrected
	// starts are the changes whose lead time starts other than at their
	// own date, by full sha (pulls.go).
	starts map[string]start
	heads  map[string]git.Hash // refs/pull/*, read when first needed (squash.go)
}

// successfulProduction lists the successful production deployments.
func successfulProduction(ds []fact.Deployment) []int {
	var out []int
	for i, d := range ds {
		if d.Production && d.Status == fact.StatusSuccess {
			out = append(out, i)
		}
	}
	return out
}

// changes walks the history once and fills fact.Facts.Changes.
func (h *history) changes() error {
	f, g, cfg := h.f, h.g, h.o.Config
	h.prod = successfulProduction(f.Deployments)
	if len(h.prod) == 0 {
		return nil
	}
	if sh, err := h.g.cr.h.Shallow(); err == nil && len(sh) > 0 {
		return &missingError{repo: g.cr.path, hash: sh[0], shallow: true}
	}
	starts := make([]int32, len(h.prod))
	for k, di := range h.prod {
		if err := h.o.done(); err != nil {
			return err
		}
		d := &f.Deployments[di]
		n, err := h.start(d.SHA)
		if err != nil {
			msg := fmt.Sprintf("commit %s is not in --repo %s, so what it shipped is unknown (fetch the branch that has it: git fetch origin)", d.SHA, g.cr.path)
			var me *missingError
			if !errors.As(err, &me) || me.unreadErr != nil {
				msg = fmt.Sprintf("%v; what it shipped is unknown", err) // err names the commit
			}
			f.Problems = append(f.Problems, fact.Problem{File: "deployment " + d.ID, Msg: msg})
			starts[k] = -1
			continue
		}
		starts[k] = n
		d.SHA = g.ns.at(n).hash.String()
	}
	owned, err := g.assign(starts)
	if err != nil {
		return err
	}
	h.owned = owned
	total := 0
	for _, cs := range owned {
		total += len(cs)
	}
	bots, err := regexp.Compile(cfg.LeadTime.ExcludeAuthors)
	if err != nil {
		return fmt.Errorf("lead_time.exclude_authors: %v", err)
	}
	botCache := map[string]bool{}
	isBot := func(author string) bool { // few authors, many commits
		b, ok := botCache[author]
		if !ok {
			b = bots.MatchString(author)
			botCache[author] = b
		}
		return b
	}
	now := data.Now()
	badDates := 0
	include := cfg.LeadTime.FirstDeployment == "include"
	committer := cfg.LeadTime.Start == "committer"
	baseline := false
	f.Changes = make([]fact.Change, 0, total)
	for k, di := range h.prod {
		d := &f.Deployments[di]
		if starts[k] < 0 {
			continue
		}
		d.Baseline = baseline
		cs := owned[k]
		g.sortByCommitTime(cs)
		d.Changes = len(cs)
		for _, c := range cs {
			n := g.ns.at(c)
			start := n.info.authored
			if committer {
				start = n.info.committed
			}
			sha := n.hash.String()
			var by string
			if s, ok := h.startOf(c, sha); ok {
				start, by = s.at, s.by
			}
			ch := fact.Change{
				SHA: sha, DeploymentID: d.ID, Author: n.info.author, Subject: n.info.subject,
				Authored: n.info.authored, Committed: n.info.committed, LeadTime: d.Time.Sub(start), Revert: n.info.revert,
				StartedBy: by,
			}
			switch {
			case data.CheckWhen(start, now) != nil:
				ch.Counted = fact.CountedBadDate
				badDates++
			case !baseline && !include:
				ch.Counted = fact.CountedFirstDeployment
			case isBot(n.info.author):
				ch.Counted = fact.CountedBot
			case ch.LeadTime < 0:
				ch.Counted = fact.CountedNegative
			default:
				ch.Counted = fact.CountedYes
			}
			f.Changes = append(f.Changes, ch)
		}
		baseline = true
	}
	h.resolveReverts()
	if badDates > 0 {
		f.Notes = append(f.Notes, fmt.Sprintf("%d deployed commit(s) left out of lead time: dated (%s date) before 1970 or in the future (changes.csv counted: %s)", badDates, cfg.LeadTime.Start, fact.CountedBadDate))
	}
	return nil
}

// start finds the node of a deployment's commit and reads its parents.
func (h *history) start(sha string) (int32, error) {
	g := h.g
	var hash git.Hash
	if len(sha) == 40 {
		p, ok := parseHash([]byte(sha))
		if !ok {
			return -1, &missingError{repo: g.cr.path}
		}
		hash = p
	} else {
		if !isHex(sha) {
			return -1, &missingError{repo: g.cr.path}
		}
		full, err := g.cr.h.ResolveCommit(sha)
		if errors.Is(err, git.ErrUnknownCommit) {
			return -1, &missingError{repo: g.cr.path}
		}
		if err != nil {
			return -1, err // e.g. an ambiguous abbreviation
		}
		hash = git.NewHash(full)
	}
	n := g.node(hash)
	if err := g.link(n); err != nil {
		return -1, err
	}
	return n, nil
}

// resolveReverts fills fact.Change.Reverts: the commit named in "This reverts
// commit <sha>", else the latest commit shipped no later than the revert,
// and committed no later, whose subject is the one quoted in `Revert "…"`.
func (h *history) resolveReverts() {
	g := h.g
	bySubject := map[string][]int32{}
	indexed := false
	pos := 0
	for k := range h.prod {
		for _, c := range h.owned[k] {
			ch := &h.f.Changes[pos]
			pos++
			info := &g.ns.at(c).info
			if !info.revert {
				continue
			}
			t := int32(-1)
			if info.revertOf != "" {
				if x := g.resolve(info.revertOf); x >= 0 && g.ns.at(x).owner >= 0 && x != c {
					t = x
				}
			}
			if t < 0 && info.revertSubject != "" {
				if !indexed {
					for k2 := range h.owned {
						for _, x := range h.owned[k2] {
							s := g.ns.at(x).info.title()
							bySubject[s] = append(bySubject[s], x)
						}
					}
					indexed = true
				}
				for _, x := range bySubject[info.revertSubject] {
					// a commit made after the revert re-lands the change, it
					// is not what the revert reverts
					if x == c || g.ns.at(x).owner > int32(k) || g.ns.at(x).info.committed.After(info.committed) {
						continue
					}
					if t < 0 || g.ns.at(x).owner > g.ns.at(t).owner ||
						g.ns.at(x).owner == g.ns.at(t).owner && g.ns.at(x).info.committed.After(g.ns.at(t).info.committed) {
						t = x
					}
				}
			}
			if t >= 0 {
				ch.Reverts = g.ns.at(t).hash.String()
			}
		}
	}
}

// deploymentOf returns the index in f.Deployments of the successful
// production deployment that shipped commit c, or -1.
func (h *history) deploymentOf(c int32) int {
	if c < 0 || h.g == nil {
		return -1
	}
	o := h.g.ns.at(c).owner
	if o < 0 || int(o) >= len(h.prod) {
		return -1
	}
	return h.prod[o]
}

// incidents reads the incident events, derives incidents from reverts
// when configured, and attributes each to a deployment.
func (h *history) incidents() error {
	f, cfg := h.f, h.o.Config
	rows := h.incRows
	if h.prod == nil {
		h.prod = successfulProduction(f.Deployments)
	}
	byID := map[string]int{}
	for i, d := range f.Deployments {
		if _, dup := byID[d.ID]; !dup {
			byID[d.ID] = i
		}
	}
	gap := cfg.Incidents.MaxAttributionGap.D()
	for _, r := range rows {
		in := fact.Incident{
			ID: r.ID, Opened: r.Opened.Time, Severity: fact.Severity(r.Severity), Category: fact.Category(r.Category), Environment: r.Environment,
			Production: r.Environment == cfg.Production, Commit: strings.ToLower(strings.TrimSpace(r.Commit)), CWE: r.CWE, Title: r.Title,
			Attribution: fact.AttrNone, Service: r.Service,
		}
		if r.Resolved.Valid {
			t := r.Resolved.Time.Time
			in.Resolved = &t
		}
		shipped := -1
		if in.Commit != "" && h.g != nil {
			shipped = h.deploymentOf(h.g.resolve(in.Commit))
		}
		switch {
		case shipped >= 0:
			in.DeploymentID, in.Attribution = f.Deployments[shipped].ID, fact.AttrCommit
		case r.DeploymentID != "" && hasKey(byID, r.DeploymentID):
			in.DeploymentID, in.Attribution = r.DeploymentID, fact.AttrDeployment
		default:
			if i := h.latestBefore(in.Opened); i >= 0 && in.Opened.Sub(f.Deployments[i].Time) <= gap {
				in.DeploymentID, in.Attribution = f.Deployments[i].ID, fact.AttrTime
			}
		}
		if in.Production && in.Attribution != fact.AttrNone && in.Resolved != nil {
			if i := h.latestBefore(*in.Resolved); i >= 0 && f.Deployments[i].Time.After(in.Opened) {
				in.FixedBy = f.Deployments[i].ID
			}
		}
		f.Incidents = append(f.Incidents, in)
	}
	if cfg.Incidents.FromReverts && h.g != nil {
		f.Incidents = append(f.Incidents, h.revertIncidents()...)
	}
	return nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// latestBefore is the index of the latest successful production
// deployment at or before t, or -1.
func (h *history) latestBefore(t time.Time) int {
	best := -1
	for _, i := range h.prod {
		if h.f.Deployments[i].Time.After(t) {
			break
		}
		best = i
	}
	return best
}

// revertIncidents makes one incident per shipped commit that a commit
// shipped by a later deployment reverts: opened when the reverted commit
// was deployed, resolved when the revert was.
func (h *history) revertIncidents() []fact.Incident {
	f, g := h.f, h.g
	var out []fact.Incident
	seen := map[string]bool{}
	for _, ch := range f.Changes {
		if ch.Reverts == "" || seen[ch.Reverts] {
			continue
		}
		t, r := g.resolve(ch.Reverts), g.resolve(ch.SHA)
		if t < 0 || r < 0 || g.ns.at(t).owner >= g.ns.at(r).owner {
			continue // reverted before it reached production
		}
		shipped, fixed := h.deploymentOf(t), h.deploymentOf(r)
		if shipped < 0 || fixed < 0 {
			continue
		}
		seen[ch.Reverts] = true
		resolved := f.Deployments[fixed].Time
		out = append(out, fact.Incident{
			ID: "revert-" + ch.SHA[:12], Opened: f.Deployments[shipped].Time, Resolved: &resolved,
			Category: fact.CategoryOther, Environment: h.o.Config.Production, Production: true,
			Commit: ch.Reverts, Title: ch.Subject, DeploymentID: f.Deployments[shipped].ID,
			Attribution: fact.AttrRevert, FixedBy: f.Deployments[fixed].ID,
		})
	}
	return out
}
