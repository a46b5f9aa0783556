package collect

import (
	"bytes"
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gitdora/gitdora/config"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
	"github.com/gitdora/gitdora/internal/par"
)

// sourceOrder is the priority of deployment sources (docs/metrics.md,
// "Deployments").
var sourceOrder = fact.Sources

// eventDeployments turns deployment events into deployments.
func eventDeployments(rows []data.Deployment, production string) []fact.Deployment {
	out := make([]fact.Deployment, 0, len(rows))
	for _, r := range rows {
		d := fact.Deployment{
			ID: r.ID, Time: r.Time.Time, SHA: strings.ToLower(strings.TrimSpace(r.SHA)), Environment: r.Environment, Status: fact.Status(r.Status),
			GateBlocked: r.GateBlocked, Critical: r.Critical, High: r.High, Medium: r.Medium, Low: r.Low,
			Source: fact.SourceEvents, Production: r.Environment == production, Services: serviceOf(r.Service),
		}
		if r.ScanSeconds.Valid {
			v := r.ScanSeconds.Value
			d.ScanSeconds, d.ScanSecondsFrom = &v, "event"
		}
		if r.PipelineSeconds.Valid {
			v := r.PipelineSeconds.Value
			d.PipelineSeconds = &v
		}
		out = append(out, d)
	}
	return out
}

// isDeployWorkflow reports whether a run belongs to the deploy workflow
// named in config: by the workflow's name, its file path, or its file
// name with or without the extension ("deploy" matches
// .github/workflows/deploy.yml).
func isDeployWorkflow(r fact.CIRun, workflow string) bool {
	w := strings.TrimSpace(workflow)
	if w == "" {
		return false
	}
	if strings.EqualFold(r.Name, w) || r.Workflow == w {
		return true
	}
	base := path.Base(r.Workflow)
	return r.Workflow != "" && (base == w || strings.TrimSuffix(base, path.Ext(base)) == w)
}

// ciDeployments turns the completed runs of the deploy workflow into
// production deployments at the time the run finished: success when it
// concluded success, blocked when its scan step failed, failure when it
// failed or timed out. Cancelled and skipped runs deployed nothing.
func ciDeployments(runs []fact.CIRun, cfg *config.Settings) []fact.Deployment {
	var out []fact.Deployment
	for _, r := range runs {
		services, ok := deployWorkflowOf(r, cfg)
		if !ok {
			continue
		}
		var status fact.Status
		switch {
		case r.GateBlocked:
			status = fact.StatusBlocked
		case r.Conclusion == "success":
			status = fact.StatusSuccess
		case r.Conclusion == "failure" || r.Conclusion == "timed_out" || r.Conclusion == "startup_failure":
			status = fact.StatusFailure
		default:
			continue
		}
		when := r.Updated
		if when.IsZero() {
			when = r.Started
		}
		d := fact.Deployment{
			ID: fmt.Sprintf("ci-%d", r.ID), Time: when, SHA: strings.ToLower(r.HeadSHA), Environment: cfg.Production,
			Status: status, GateBlocked: r.GateBlocked, Source: fact.SourceCI, Production: true,
			ScanSeconds: r.ScanSeconds, PipelineSeconds: r.PipelineSeconds, Services: services,
		}
		if r.Attempt > 1 {
			d.ID = fmt.Sprintf("ci-%d-%d", r.ID, r.Attempt)
		}
		if r.System == ci.GitLab {
			d.ID = fmt.Sprintf("ci-gitlab-%d", r.ID)
		}
		if r.ScanSeconds != nil {
			d.ScanSecondsFrom = "ci"
		}
		out = append(out, d)
	}
	return out
}

// tagDeployments turns the tags matching pattern (a glob over the tag's
// name) into successful production deployments: at the tagger date of an
// annotated tag, the committer date of the commit for a lightweight one.
// Tags that do not point at a commit are left out.
func tagDeployments(cr *codeRepo, g *graph, pattern, production string, services config.Services) ([]fact.Deployment, []fact.Problem, error) {
	if _, err := path.Match(pattern, "v1"); err != nil {
		return nil, nil, fmt.Errorf("deploy.tag_pattern %q: %v", pattern, err)
	}
	refs, err := cr.h.Tags()
	if err != nil {
		return nil, nil, &fact.InputError{Input: "repo", Value: cr.path, Err: fmt.Errorf("list tags: %w", err)}
	}
	type tagged struct {
		short    string
		services []string
		peeled   peeledTag
	}
	var tags []tagged
	for _, ref := range refs {
		short := git.ShortName(ref.Name)
		if of, ok := tagServices(short, pattern, services); ok {
			tags = append(tags, tagged{short: short, services: of, peeled: peeledTag{hash: ref.Hash}})
		}
	}
	// Tags are read on every CPU, each worker with a reader of its own
	// (10,000 release tags take 180 ms on one); the commits of
	// lightweight tags are then decoded in order, into the walk's graph.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(tags)/256))
	par.Each(workers, func(w int) {
		or := cr.objects
		if w > 0 {
			or = cr.objects.fork()
		}
		for i := w; i < len(tags); i += workers {
			tags[i].peeled = peelTag(or, tags[i].peeled.hash)
		}
	})
	var out []fact.Deployment
	var probs []fact.Problem
	for _, t := range tags {
		d, err := tagDeployment(g, t.peeled, t.short, production)
		if err != nil {
			probs = append(probs, fact.Problem{File: "tag " + t.short, Msg: err.Error()})
			continue
		}
		if d != nil {
			d.Services = t.services
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, probs, nil
}

// peeledTag is what a tag ref leads to through its tag objects: the
// commit (or other object) named last, and the tagger's time of the first
// tag object (zero for a lightweight tag).
type peeledTag struct {
	hash      git.Hash
	typ       git.ObjectType
	when      time.Time
	annotated bool
	commit    []byte // the commit a lightweight tag names, as read
	err       error
}

// peelTag follows the tag objects from h to what they tag. The commit a
// tag object names is not read (the tag says its type; the walk reads
// it); a commit the ref names itself (a lightweight tag) is kept.
func peelTag(or *objectReader, h git.Hash) peeledTag {
	p := peeledTag{hash: h}
	for depth := 0; ; depth++ {
		b, typ, err := or.readAny(h, anyType)
		if err != nil {
			p.err = fmt.Errorf("object %s: %v", h, err)
			return p
		}
		if typ != git.TagObject {
			p.hash, p.typ = h, typ
			if typ == git.CommitObject && !p.annotated {
				p.commit = bytes.Clone(b) // valid until the reader's next call
			}
			return p
		}
		t, err := git.ParseTag(b)
		if err != nil {
			p.err = fmt.Errorf("tag object %s: %v", h, err)
			return p
		}
		if !p.annotated {
			p.annotated, p.when = true, t.Tagger.When
		}
		if depth > 10 {
			p.err = fmt.Errorf("tag %s: too many tags of tags", h)
			return p
		}
		h = t.Target
		if t.TargetType == git.CommitObject {
			// The tag says what it tags: the commit is read once, by the walk.
			p.hash, p.typ = h, git.CommitObject
			return p
		}
	}
}

// tagDeployment is the deployment of the tag name that leads to p, or nil
// for a tag of a tree or blob.
func tagDeployment(g *graph, p peeledTag, name, production string) (*fact.Deployment, error) {
	if p.err != nil {
		return nil, p.err
	}
	d := &fact.Deployment{ID: name, Environment: production, Status: fact.StatusSuccess, Source: fact.SourceTags, Production: true}
	if p.typ != git.CommitObject {
		return nil, nil // a tag of a tree or blob deploys nothing
	}
	d.SHA = p.hash.String()
	if p.annotated {
		d.Time = p.when
		return d, nil
	}
	n := g.node(p.hash)
	if g.ns.at(n).state < nodeDecoded {
		if err := g.decodeFrom(n, p.commit); err != nil {
			return nil, err
		}
	}
	d.Time = g.ns.at(n).info.committed
	return d, nil
}

// chooseSources keeps, for each month (in loc), the production
// deployments of one source: the pinned one (deploy.source events, ci or
// tags), else the first that has any for the month; deployments of other
// environments (events only) are all kept. It returns the kept
// deployments and, for each month with production deployments in any
// source, what each source holds and which was used.
func chooseSources(all []fact.Deployment, loc *time.Location, pin fact.Source) ([]fact.Deployment, []fact.SourceMonth) {
	counts := map[string]map[fact.Source]int{}
	for _, d := range all {
		if !d.Production {
			continue
		}
		m := d.Time.In(loc).Format("2006-01")
		if counts[m] == nil {
			counts[m] = map[fact.Source]int{}
		}
		counts[m][d.Source]++
	}
	months := make([]fact.SourceMonth, 0, len(counts))
	chosen := map[string]fact.Source{}
	for m, c := range counts {
		sm := fact.SourceMonth{Month: m, Counts: c}
		for _, s := range sourceOrder {
			if (pin == "" || s == pin) && c[s] > 0 {
				sm.Used = s
				break
			}
		}
		chosen[m] = sm.Used
		months = append(months, sm)
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Month < months[j].Month })
	var out []fact.Deployment
	for _, d := range all {
		if !d.Production || chosen[d.Time.In(loc).Format("2006-01")] == d.Source {
			out = append(out, d)
		}
	}
	return out, months
}

// sourceWarnings names each month where a source passed over holds more
// production deployments than the one used, with both counts. A pinned
// source (deploy.source) was chosen on purpose: it gets none.
func sourceWarnings(months []fact.SourceMonth, pinned bool) []string {
	if pinned {
		return nil
	}
	var out []string
	for _, sm := range months {
		for _, p := range sm.Passed() {
			out = append(out, fmt.Sprintf("%s: deployments come from %s (%d), but %s hold %d; the figures use %s. Pin one source with deploy.source in gitdora.yml (events, ci or tags)",
				sm.Month, SourceName(sm.Used), sm.Counts[sm.Used], SourceName(p), sm.Counts[p], sm.Used))
		}
	}
	return out
}

// SourceName names a deployment source for messages.
func SourceName(s fact.Source) string {
	switch s {
	case fact.SourceEvents:
		return "deployment events"
	case fact.SourceCI:
		return "deploy workflow runs"
	case fact.SourceTags:
		return "tags"
	}
	return "no source"
}

// sortDeployments orders deployments by time; at the same instant by
// source priority, then as read.
func sortDeployments(ds []fact.Deployment) {
	sort.SliceStable(ds, func(i, j int) bool {
		if !ds[i].Time.Equal(ds[j].Time) {
			return ds[i].Time.Before(ds[j].Time)
		}
		return slices.Index(sourceOrder, ds[i].Source) < slices.Index(sourceOrder, ds[j].Source)
	})
}
