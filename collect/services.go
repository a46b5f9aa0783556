package collect

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gitdora/gitdora/collect/codeowners"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// SliceName names a service or a team of the repository.
type SliceName struct {
	Kind fact.SliceKind
	Name string
}

// UnknownSliceError is a service or team the repository does not have.
type UnknownSliceError struct {
	Kind  fact.SliceKind
	Name  string
	Known []string // the services of gitdora.yml, or the teams known
	Line  int      // where gitdora.yml lists the services or teams; 0 when it does not
}

func (e *UnknownSliceError) Error() string {
	what := "services"
	if e.Kind == fact.SliceTeam {
		what = "teams"
	}
	switch {
	case len(e.Known) == 0 && e.Kind == fact.SliceService:
		return fmt.Sprintf("no service %s: gitdora.yml defines no services (add a services: list, docs/services.md)", strconv.Quote(e.Name))
	case len(e.Known) == 0:
		return fmt.Sprintf("no team %s: no teams are known (gitdora.yml has no teams:, or CODEOWNERS names no owner; docs/services.md)", strconv.Quote(e.Name))
	case e.Line > 0:
		return fmt.Sprintf("no %s %s: the %s (gitdora.yml, line %d) are %s", e.Kind, strconv.Quote(e.Name), what, e.Line, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("no %s %s: the %s known are %s", e.Kind, strconv.Quote(e.Name), what, strings.Join(e.Known, ", "))
}

// serviceOf is the services an event names: nil for none.
func serviceOf(name string) []string {
	if name = strings.TrimSpace(name); name != "" {
		return []string{name}
	}
	return nil
}

// deployWorkflowOf says whether run r deploys, and what: the services
// whose workflow it is, else (nil) the whole repository when it is the
// deploy workflow of deploy.workflow.
func deployWorkflowOf(r fact.CIRun, cfg *config.Settings) ([]string, bool) {
	var out []string
	for i := range cfg.Services {
		if s := &cfg.Services[i]; s.Workflow != "" && isDeployWorkflow(r, s.Workflow) {
			out = append(out, s.Name)
		}
	}
	return out, len(out) > 0 || isDeployWorkflow(r, cfg.Deploy.Workflow)
}

// tagServices says whether tag name deploys, and what: the services whose
// tag_pattern matches it, else (nil) the whole repository when
// deploy.tag_pattern does.
func tagServices(name, pattern string, services config.Services) ([]string, bool) {
	var out []string
	for i := range services {
		if s := &services[i]; s.TagPattern != "" {
			if ok, _ := path.Match(s.TagPattern, name); ok {
				out = append(out, s.Name)
			}
		}
	}
	if len(out) > 0 {
		return out, true
	}
	ok, _ := path.Match(pattern, name)
	return nil, ok
}

// deploys reports whether deployment d deploys service s: it names s, or
// names no service (the whole repository).
func deploys(d *fact.Deployment, s string) bool {
	return d.Services == nil || slices.Contains(d.Services, s)
}

// slices reads, when services or teams are configured, what the changes
// of the repository (of the deployments from o.Since on) touch, and
// gathers the facts of the services and teams o asks for.
func (h *history) slices(all []fact.Deployment) error {
	cfg := h.o.Config
	if len(cfg.Services) == 0 && !cfg.Teams.Configured() {
		return nil
	}
	want := map[SliceName]bool{}
	for _, s := range h.o.Slices {
		if s.Kind == fact.SliceService && cfg.Services.Find(s.Name) == nil {
			return &UnknownSliceError{Kind: s.Kind, Name: s.Name, Known: cfg.Services.Names(), Line: servicesLine(cfg)}
		}
		want[s] = true
	}
	sc := &scoper{h: h, cfg: cfg, since: h.o.Since}
	if cfg.Teams.Source == config.TeamsCodeowners && h.g != nil {
		sc.owners = newOwnersCache(h.g.cr)
	}
	if h.g != nil {
		h.f.Warnings = append(h.f.Warnings, sc.unmatchedGlobs()...)
	}
	var walks []*serviceWalk
	for i := range cfg.Services {
		s := &cfg.Services[i]
		if h.o.AllSlices || want[SliceName{fact.SliceService, s.Name}] {
			w, err := sc.walkService(s, all)
			if err != nil {
				return err
			}
			walks = append(walks, w)
		}
	}
	if err := sc.touches(walks); err != nil {
		return err
	}
	sc.knownTeams()
	for _, s := range h.o.Slices {
		if s.Kind == fact.SliceTeam && !slices.Contains(h.f.Teams, s.Name) {
			line := 0
			if cfg.Teams.Line > 0 && len(cfg.Teams.Map) > 0 {
				line = cfg.Teams.Line
			}
			return &UnknownSliceError{Kind: s.Kind, Name: s.Name, Known: h.f.Teams, Line: line}
		}
	}
	for _, w := range walks {
		h.f.Slices = append(h.f.Slices, fact.Slice{Kind: fact.SliceService, Name: w.s.Name, Facts: sc.serviceFacts(w)})
	}
	for _, team := range h.f.Teams {
		if h.o.AllSlices || want[SliceName{fact.SliceTeam, team}] {
			tf, err := sc.teamFacts(team)
			if err != nil {
				return err
			}
			h.f.Slices = append(h.f.Slices, fact.Slice{Kind: fact.SliceTeam, Name: team, Facts: tf})
		}
	}
	return nil
}

// servicesLine is the line gitdora.yml's services start at (0: none).
func servicesLine(cfg *config.Settings) int {
	if len(cfg.Services) == 0 {
		return 0
	}
	return cfg.Services[0].Line
}

// scoper gathers the slices of one history.
type scoper struct {
	h      *history
	cfg    *config.Settings
	since  time.Time
	owners *ownersCache // teams: source: codeowners

	// touched is what each commit read changes: the indexes of the
	// services it touches and the owners of the files it changes.
	touched map[int32]*touch
	// uriService is the service of the files of findings (serviceOf).
	uriService map[string]int16
	// scanOwners is the CODEOWNERS file at each scan's commit, by scan
	// id (nil for none), read for the first team and kept for the others.
	scanOwners map[string]*codeowners.File
	// uriOwners is the owners of the files of findings in each CODEOWNERS
	// file (ownersOf).
	uriOwners map[uriOwnersKey][]string
}

type uriOwnersKey struct {
	file *codeowners.File
	uri  string
}

type touch struct {
	services []int
	owners   []string
}

// serviceWalk is a service's deployments and change sets.
type serviceWalk struct {
	s      *config.Service
	deps   []fact.Deployment
	months []fact.SourceMonth
	prod   []int     // indexes into deps of the successful production deployments
	starts []int32   // their commits' nodes (-1: unknown)
	owned  [][]int32 // the commits each newly shipped
}

// walkService chooses the service's deployments (its sources per month)
// and walks its change sets: each commit belongs to the first of its
// deployments that contains it.
func (sc *scoper) walkService(s *config.Service, all []fact.Deployment) (*serviceWalk, error) {
	h := sc.h
	var cands []fact.Deployment
	for i := range all {
		if deploys(&all[i], s.Name) {
			cands = append(cands, all[i])
		}
	}
	pin := fact.Source("")
	if src := sc.cfg.Deploy.Source; src != "" && src != "auto" {
		pin = fact.Source(src)
	}
	w := &serviceWalk{s: s}
	w.deps, w.months = chooseSources(cands, h.loc, pin)
	sortDeployments(w.deps)
	w.prod = successfulProduction(w.deps)
	if h.g == nil || len(w.prod) == 0 {
		return w, nil
	}
	w.starts = make([]int32, len(w.prod))
	for k, di := range w.prod {
		if err := h.o.done(); err != nil {
			return nil, err
		}
		d := &w.deps[di]
		n, err := h.start(d.SHA)
		if err != nil {
			w.starts[k] = -1 // the repository's figures say what is missing
			continue
		}
		w.starts[k] = n
		d.SHA = h.g.ns.at(n).hash.String()
	}
	var owner []int32
	owned, err := h.g.assignOwned(w.starts, &owner)
	if err != nil {
		return nil, err
	}
	w.owned = owned
	return w, nil
}

// inWindow reports whether changes shipped at t are read.
func (sc *scoper) inWindow(t time.Time) bool { return sc.since.IsZero() || !t.Before(sc.since) }

// touches reads what the commits of the repository's change sets and of
// the services' walks (of the deployments in the window) change, and
// fills Touched, Services and Teams of the repository's changes.
func (sc *scoper) touches(walks []*serviceWalk) error {
	h := sc.h
	sc.touched = map[int32]*touch{}
	if h.g == nil {
		return nil
	}
	g, f := h.g, h.f
	var cs []int32
	add := func(c int32) {
		if _, ok := sc.touched[c]; !ok {
			sc.touched[c] = nil
			cs = append(cs, c)
		}
	}
	for k, di := range h.prod {
		if k < len(h.owned) && sc.inWindow(f.Deployments[di].Time) {
			for _, c := range h.owned[k] {
				add(c)
			}
		}
	}
	for _, w := range walks {
		for k, di := range w.prod {
			if k < len(w.owned) && sc.inWindow(w.deps[di].Time) {
				for _, c := range w.owned[k] {
					add(c)
				}
			}
		}
	}
	res := make([]touch, len(cs))
	services := sc.cfg.Services
	err := g.changedPaths(cs, func(k int, read git.ReadFunc, paths []string) error {
		t := &res[k]
		for i := range services {
			for _, p := range paths {
				if services[i].Matches(p) {
					t.services = append(t.services, i)
					break
				}
			}
		}
		if sc.owners != nil && len(paths) > 0 {
			file, err := sc.owners.at(read, g.ns.at(cs[k]).info.tree)
			if err != nil {
				return err
			}
			if file != nil {
				seen := map[string]bool{}
				for _, p := range paths {
					for _, o := range file.Owners(p) {
						if !seen[o] {
							seen[o] = true
							t.owners = append(t.owners, o)
						}
					}
				}
				slices.Sort(t.owners)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, c := range cs {
		sc.touched[c] = &res[k]
	}
	if sc.owners != nil {
		f.Warnings = append(f.Warnings, sc.owners.warnings()...)
	}
	for i := range f.Changes {
		ch := &f.Changes[i]
		hash, ok := parseHash([]byte(ch.SHA))
		if !ok {
			continue
		}
		n, ok := g.byHash[hash]
		if !ok {
			continue
		}
		if t := sc.touched[n]; t != nil {
			ch.Touched, ch.Services, ch.Teams = true, sc.serviceNames(t), sc.teamsOf(t)
		}
	}
	return nil
}

func (sc *scoper) serviceNames(t *touch) []string {
	var out []string
	for _, i := range t.services {
		out = append(out, sc.cfg.Services[i].Name)
	}
	slices.Sort(out)
	return out
}

// teamsOf is the teams that own a change: the CODEOWNERS owners of what
// it changes, or the teams of teams.map whose services it touches.
func (sc *scoper) teamsOf(t *touch) []string {
	if sc.cfg.Teams.Source == config.TeamsCodeowners {
		return t.owners
	}
	var out []string
	for _, team := range sc.cfg.Teams.Order {
		for _, s := range sc.cfg.Teams.Map[team] {
			if slices.ContainsFunc(t.services, func(i int) bool { return sc.cfg.Services[i].Name == s }) {
				out = append(out, team)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// knownTeams fills fact.Facts.Teams: the teams of teams.map, or every
// owner CODEOWNERS names in the files read (at the commits read and at
// the trunk's tip).
func (sc *scoper) knownTeams() {
	var out []string
	if sc.cfg.Teams.Source == config.TeamsCodeowners {
		if sc.owners != nil {
			if tip, ok := sc.trunkTree(); ok {
				read := sc.h.g.cr.h.NewReader()
				if _, err := sc.owners.at(read, tip); err == nil {
					sc.h.f.Warnings = append(sc.h.f.Warnings, sc.owners.warnings()...)
				}
			}
			out = sc.owners.all()
		}
	} else {
		out = slices.Clone(sc.cfg.Teams.Order)
	}
	slices.Sort(out)
	sc.h.f.Teams = slices.Compact(out)
}

// trunkTree is the tree of the trunk's tip.
func (sc *scoper) trunkTree() (git.Hash, bool) {
	cr := sc.h.g.cr
	trunk := sc.h.f.Trunk
	for _, ref := range []string{"refs/heads/" + trunk, "refs/remotes/origin/" + trunk, "HEAD"} {
		c, err := cr.h.Ref(ref)
		if err != nil || c.IsZero() {
			continue
		}
		b, err := cr.objects.read(c, git.CommitObject)
		if err != nil {
			continue
		}
		info, err := parseCommit(b, sc.h.g.zones)
		if err == nil && !info.tree.IsZero() {
			return info.tree, true
		}
	}
	return git.ZeroHash, false
}

// unmatchedGlobs warns of each service path that matches no file at the
// trunk's tip (a typo, or a folder that moved).
func (sc *scoper) unmatchedGlobs() []string {
	tip, ok := sc.trunkTree()
	if !ok {
		return nil
	}
	type key struct{ s, p int }
	matched := map[key]bool{}
	left := 0
	for i := range sc.cfg.Services {
		left += len(sc.cfg.Services[i].Globs)
	}
	errDone := errors.New("all matched")
	err := sc.h.g.cr.h.DiffTrees(sc.h.g.cr.h.NewReader(), nil, git.ZeroHash, tip, func(p string) error {
		for i := range sc.cfg.Services {
			for j, gl := range sc.cfg.Services[i].Globs {
				if !matched[key{i, j}] && gl.Match(p) {
					matched[key{i, j}] = true
					left--
				}
			}
		}
		if left == 0 {
			return errDone
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDone) {
		return nil
	}
	var out []string
	for i := range sc.cfg.Services {
		s := &sc.cfg.Services[i]
		for j, p := range s.Paths {
			if !matched[key{i, j}] {
				out = append(out, fmt.Sprintf("gitdora.yml, line %d: service %s: the path %s matches no file of the trunk %s (a typo, or a folder that moved?)",
					s.Line, s.Name, strconv.Quote(p), sc.h.f.Trunk))
			}
		}
	}
	return out
}

// shared is a slice's facts with what it shares with the repository's.
func (sc *scoper) shared() *fact.Facts {
	f := sc.h.f
	return &fact.Facts{
		Scans: f.Scans, CIRuns: f.CIRuns, Corrections: f.Corrections, CodeLOC: f.CodeLOC, DataCommit: f.DataCommit,
		Trunk: f.Trunk, TrunkFrom: f.TrunkFrom, Problems: f.Problems, Teams: f.Teams,
	}
}

// startOf is when the work on commit c started, for a lead time: as the
// repository's change of c says (its deployment's time less its lead
// time), else its author date (committer date with lead_time.start:
// committer).
func (sc *scoper) startOf(c int32, repoStart map[int32]time.Time) time.Time {
	if t, ok := repoStart[c]; ok {
		return t
	}
	info := &sc.h.g.ns.at(c).info
	if sc.cfg.LeadTime.Start == "committer" {
		return info.committed
	}
	return info.authored
}

// repoStarts maps the commits of the repository's changes to when their
// work started.
func (sc *scoper) repoStarts() map[int32]time.Time {
	f, g := sc.h.f, sc.h.g
	at := map[string]time.Time{}
	for i := range f.Deployments {
		if _, dup := at[f.Deployments[i].ID]; !dup {
			at[f.Deployments[i].ID] = f.Deployments[i].Time
		}
	}
	out := make(map[int32]time.Time, len(f.Changes))
	for i := range f.Changes {
		ch := &f.Changes[i]
		hash, ok := parseHash([]byte(ch.SHA))
		if !ok {
			continue
		}
		if n, ok := g.byHash[hash]; ok {
			if t, ok := at[ch.DeploymentID]; ok {
				out[n] = t.Add(-ch.LeadTime)
			}
		}
	}
	return out
}

// serviceFacts are a service's facts: its deployments (sources chosen
// for it), the changes of each that touch it (commits reachable from it
// and from no earlier deployment of the service), its incidents and its
// findings.
func (sc *scoper) serviceFacts(w *serviceWalk) *fact.Facts {
	h, cfg := sc.h, sc.cfg
	out := sc.shared()
	out.Deployments, out.Sources = w.deps, w.months
	name := w.s.Name
	idx := slices.IndexFunc(cfg.Services, func(s config.Service) bool { return s.Name == name })
	if h.g != nil && len(w.owned) > 0 {
		repoStart := sc.repoStarts()
		bots, _ := regexp.Compile(cfg.LeadTime.ExcludeAuthors) // checked by the repository's changes
		include := cfg.LeadTime.FirstDeployment == "include"
		baseline := false
		for k, di := range w.prod {
			d := &out.Deployments[di]
			if w.starts[k] < 0 {
				continue
			}
			d.Baseline = baseline
			d.Changes = 0
			if sc.inWindow(d.Time) {
				cs := slices.Clone(w.owned[k])
				h.g.sortByCommitTime(cs)
				for _, c := range cs {
					t := sc.touched[c]
					if t == nil || !slices.Contains(t.services, idx) {
						continue
					}
					n := h.g.ns.at(c)
					ch := fact.Change{
						SHA: n.hash.String(), DeploymentID: d.ID, Author: n.info.author, Subject: n.info.subject,
						Authored: n.info.authored, Committed: n.info.committed, LeadTime: d.Time.Sub(sc.startOf(c, repoStart)), Revert: n.info.revert,
						Touched: true, Services: sc.serviceNames(t), Teams: sc.teamsOf(t),
					}
					switch {
					case !baseline && !include:
						ch.Counted = fact.CountedFirstDeployment
					case bots != nil && bots.MatchString(n.info.author):
						ch.Counted = fact.CountedBot
					case ch.LeadTime < 0:
						ch.Counted = fact.CountedNegative
					default:
						ch.Counted = fact.CountedYes
					}
					out.Changes = append(out.Changes, ch)
					d.Changes++
				}
			}
			baseline = true
		}
	}
	byID := map[string]*fact.Deployment{}
	for i := range h.f.Deployments {
		if _, dup := byID[h.f.Deployments[i].ID]; !dup {
			byID[h.f.Deployments[i].ID] = &h.f.Deployments[i]
		}
	}
	for _, in := range h.f.Incidents {
		switch {
		case in.Service != "":
			if in.Service != name {
				continue
			}
		case in.Attribution == fact.AttrNone:
			continue
		default:
			if d := byID[in.DeploymentID]; d == nil || !deploys(d, name) {
				continue
			}
		}
		out.Incidents = append(out.Incidents, in)
	}
	out.Scans = sc.cutScans(func(_ *fact.Scan, x *fact.Finding) bool { return sc.serviceOf(x.URI) == idx }, nil)
	return out
}

// serviceOf is the index of the service a finding in the file uri
// belongs to (the first whose paths match it), -1 for none.
func (sc *scoper) serviceOf(uri string) int {
	si, ok := sc.uriService[uri]
	if !ok {
		si = -1
		for j := range sc.cfg.Services {
			if sc.cfg.Services[j].Matches(uri) {
				si = int16(j)
				break
			}
		}
		if sc.uriService == nil {
			sc.uriService = map[string]int16{}
		}
		sc.uriService[uri] = si
	}
	return int(si)
}

// cutScans is the repository's scans, each with the findings keep keeps.
// Scans share their findings (fact.FindingSet) when their results are the
// same: scans of one set and one key (of the scan: nil for none) share one
// cut set too, made once.
func (sc *scoper) cutScans(keep func(s *fact.Scan, x *fact.Finding) bool, key func(s *fact.Scan) any) []fact.Scan {
	type cutKey struct {
		set *fact.FindingSet
		key any
	}
	cut := map[cutKey]*fact.FindingSet{}
	scans := slices.Clone(sc.h.f.Scans)
	for i := range scans {
		s := &scans[i]
		if s.Set == nil {
			continue
		}
		k := cutKey{set: s.Set}
		if key != nil {
			k.key = key(s)
		}
		c, ok := cut[k]
		if !ok {
			c = &fact.FindingSet{}
			for j := range s.Set.List {
				if x := &s.Set.List[j]; keep(s, x) {
					c.List = append(c.List, *x)
					if x.Suppressed {
						c.Suppressed++
					}
				}
			}
			cut[k] = c
		}
		s.Set = c
	}
	return scans
}

// teamFacts are a team's facts: the repository's changes it owns, the
// successful production deployments that ship at least one of them (with
// that many changes), the incidents attributed to those, and the
// findings in files it owns at their scan's commit.
func (sc *scoper) teamFacts(team string) (*fact.Facts, error) {
	f := sc.h.f
	out := sc.shared()
	mine := map[string]int{} // deployment id → its changes the team owns
	for _, ch := range f.Changes {
		if slices.Contains(ch.Teams, team) {
			out.Changes = append(out.Changes, ch)
			mine[ch.DeploymentID]++
		}
	}
	ids := map[string]bool{}
	for _, d := range f.Deployments {
		if n := mine[d.ID]; n > 0 && d.Production && d.Status == fact.StatusSuccess && !ids[d.ID] {
			d.Changes = n
			out.Deployments = append(out.Deployments, d)
			ids[d.ID] = true
		}
	}
	for _, in := range f.Incidents {
		if in.Attribution != fact.AttrNone && ids[in.DeploymentID] {
			out.Incidents = append(out.Incidents, in)
		}
	}
	owns, ownersKey, err := sc.findingOwner(team)
	if err != nil {
		return nil, err
	}
	out.Scans = sc.cutScans(owns, ownersKey)
	return out, nil
}

// findingOwner says whether team owns a finding's file: at its scan's
// commit (CODEOWNERS), or through the services of teams.map. key is what
// the answer depends on beside the finding (the CODEOWNERS file of the
// scan's commit), nil for nothing.
func (sc *scoper) findingOwner(team string) (owns func(s *fact.Scan, x *fact.Finding) bool, key func(s *fact.Scan) any, err error) {
	cfg := sc.cfg
	if cfg.Teams.Source != config.TeamsCodeowners {
		svcs := cfg.Teams.Map[team]
		return func(_ *fact.Scan, x *fact.Finding) bool {
			si := sc.serviceOf(x.URI)
			return si >= 0 && slices.Contains(svcs, cfg.Services[si].Name)
		}, nil, nil
	}
	if sc.owners == nil {
		return func(*fact.Scan, *fact.Finding) bool { return false }, nil, nil
	}
	files, err := sc.ownersOfScans()
	if err != nil {
		return nil, nil, err
	}
	return func(s *fact.Scan, x *fact.Finding) bool {
			file := files[s.ID]
			return file != nil && x.URI != "" && slices.Contains(sc.ownersOf(file, x.URI), team)
		}, func(s *fact.Scan) any {
			return files[s.ID]
		}, nil
}

// ownersOf is file.Owners(uri), matched once for every team: a finding's
// file is matched against every rule of the file.
func (sc *scoper) ownersOf(file *codeowners.File, uri string) []string {
	k := uriOwnersKey{file, uri}
	owners, ok := sc.uriOwners[k]
	if !ok {
		owners = file.Owners(uri)
		if sc.uriOwners == nil {
			sc.uriOwners = map[uriOwnersKey][]string{}
		}
		sc.uriOwners[k] = owners
	}
	return owners
}

// ownersOfScans is the CODEOWNERS file at each scan's commit, by scan id
// (nil for none): read once, for every team.
func (sc *scoper) ownersOfScans() (map[string]*codeowners.File, error) {
	if sc.scanOwners != nil {
		return sc.scanOwners, nil
	}
	files := map[string]*codeowners.File{} // scan id → CODEOWNERS at its commit
	byCommit := map[string]*codeowners.File{}
	read := sc.h.g.cr.h.NewReader()
	for _, s := range sc.h.f.Scans {
		file, ok := byCommit[s.Commit]
		if !ok {
			if hash, ok := parseHash([]byte(s.Commit)); ok {
				if b, err := sc.h.g.cr.objects.read(hash, git.CommitObject); err == nil {
					if info, err := parseCommit(b, sc.h.g.zones); err == nil {
						if file, err = sc.owners.at(read, info.tree); err != nil {
							return nil, err
						}
					}
				}
			}
			byCommit[s.Commit] = file
		}
		files[s.ID] = file
	}
	sc.h.f.Warnings = append(sc.h.f.Warnings, sc.owners.warnings()...)
	sc.scanOwners = files
	return files, nil
}

// ownersCache reads the CODEOWNERS file at a tree, parsing each version
// of it once (it is safe for concurrent use).
type ownersCache struct {
	cr    *codeRepo
	mu    sync.Mutex
	files map[git.Hash]*codeowners.File // by blob
	where map[git.Hash]string           // the blob's path, for warnings
	warns map[git.Hash][]codeowners.Warning
	said  map[git.Hash]bool
}

func newOwnersCache(cr *codeRepo) *ownersCache {
	return &ownersCache{cr: cr, files: map[git.Hash]*codeowners.File{}, where: map[git.Hash]string{},
		warns: map[git.Hash][]codeowners.Warning{}, said: map[git.Hash]bool{}}
}

// at returns the CODEOWNERS file of tree: the first of
// codeowners.Locations that is a file, nil when there is none.
func (oc *ownersCache) at(read git.ReadFunc, tree git.Hash) (*codeowners.File, error) {
	for _, loc := range codeowners.Locations {
		e, err := git.FindPath(read, tree, loc)
		if errors.Is(err, git.ErrEntryNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", loc, err)
		}
		if !e.Mode.IsFile() {
			continue
		}
		return oc.parse(read, e.Hash, loc)
	}
	return nil, nil
}

func (oc *ownersCache) parse(read git.ReadFunc, blob git.Hash, loc string) (*codeowners.File, error) {
	oc.mu.Lock()
	f, ok := oc.files[blob]
	oc.mu.Unlock()
	if ok {
		return f, nil
	}
	typ, size, rc, err := oc.cr.h.Stream(blob)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", loc, blob, err)
	}
	rc.Close()
	var warns []codeowners.Warning
	if typ != git.BlobObject || size >= codeowners.MaxSize {
		f, warns = &codeowners.File{}, []codeowners.Warning{{Msg: fmt.Sprintf("%d bytes: GitHub does not load a CODEOWNERS file of 3 MB or more", size)}}
	} else {
		_, b, err := read(blob)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", loc, blob, err)
		}
		f, warns = codeowners.Parse(string(b))
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if have, ok := oc.files[blob]; ok {
		return have, nil
	}
	oc.files[blob], oc.where[blob], oc.warns[blob] = f, loc, warns
	return f, nil
}

// warnings says, once for each version of the file, which lines GitHub
// skips.
func (oc *ownersCache) warnings() []string {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	var blobs []git.Hash
	for b := range oc.warns {
		if !oc.said[b] && len(oc.warns[b]) > 0 {
			blobs = append(blobs, b)
		}
	}
	sort.Slice(blobs, func(i, j int) bool { return blobs[i].String() < blobs[j].String() })
	var out []string
	for _, b := range blobs {
		oc.said[b] = true
		for _, w := range oc.warns[b] {
			out = append(out, fmt.Sprintf("%s (blob %s): %s; GitHub skips it, and so does gitdora", oc.where[b], b.String()[:12], w))
		}
	}
	return out
}

// all lists every owner the files read name.
func (oc *ownersCache) all() []string {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, f := range oc.files {
		for _, r := range f.Rules {
			for _, o := range r.Owners {
				if !seen[o] {
					seen[o] = true
					out = append(out, o)
				}
			}
		}
	}
	return out
}
