package app

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/internal/par"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/site"
)

// Organisation is the scope of many repositories rolled up (docs/services.md).
const Organisation ScopeKind = "organisation"

// defaults are the default settings, parsed once and shared (read only)
// by the repositories of an organisation that have no gitdora.yml.
var defaults = sync.OnceValue(config.Default)

// Bounds of a --repos file.
const (
	MaxOrgRepos    = 10000
	maxReposFile   = 4 << 20
	siteURLNameVar = "{name}"
)

// OrgRequest asks for an organisation's figures, or its site.
type OrgRequest struct {
	// Repos is a file of repositories, one a line: NAME PATH[#DATA] (a
	// clone or a bare mirror, PATH relative to the file's folder; DATA its
	// data, as --data says, default the dora-data branch). Facts is
	// instead a folder of NAME/ folders that gitdora collect --out wrote.
	// One of them is set.
	Repos, Facts string
	// Config is a gitdora.yml for the organisation's classification and
	// targets ("" for the defaults); each repository is computed with its
	// own.
	Config string
	// Name is the organisation's name (scope.name).
	Name string
	// Loc is the zone of the months; Now the time of the request.
	Loc *time.Location
	Now time.Time
	// Strict makes a repository that cannot be read an error (a
	// *MissingReposError) rather than a warning.
	Strict bool
	// Span is the months to compute; zero: every month a repository has
	// data in.
	Span compute.Span
	// Format prints the months: FormatJSON, FormatCSV or FormatText (when
	// Out is not set).
	Format string
	// Out builds the organisation's site into this folder instead.
	Out string
	// SiteURL is the address of each repository's own site, with {name}
	// for its name ("" for no links).
	SiteURL string
	// Templates and EchartsJS are as SiteRequest's.
	Templates, EchartsJS string
	// Guard names what Out must not be or hold.
	Guard outdir.Guard
}

// MissingReposError names the repositories of an organisation that could
// not be read, in a strict request.
type MissingReposError struct {
	Names []string
}

func (e *MissingReposError) Error() string { return e.Word(nil) }

// Word is the message with the strict input worded by names.
func (e *MissingReposError) Word(names fact.Naming) string {
	return fmt.Sprintf("%d repositories could not be read (%s) and %s is given", len(e.Names), strings.Join(e.Names, ", "), names.Of("strict"))
}

// member is one repository of the organisation.
type member struct {
	name       string
	path, data string // --repos
	line       int    // its line in the --repos file
	dir        string // --facts
}

// orgRepo is what is kept of one repository: the samples of its months
// and of each of its services' and teams'.
type orgRepo struct {
	member
	err    error // it could not be read
	part   *compute.Part
	span   compute.Span
	ok     bool // it has data
	slices []orgSlice
	probs  []fact.Problem
}

type orgSlice struct {
	kind fact.SliceKind
	name string
	part *compute.Part
}

// Org computes an organisation's months over its repositories, each
// computed as for that repository alone, rolled up exactly, and prints
// them or builds the organisation's site.
func Org(ctx context.Context, req OrgRequest, env Env) error {
	var a assets
	if req.Out != "" {
		var err error
		if a, err = loadAssets(req.Templates, req.EchartsJS); err != nil {
			return err
		}
		if err := req.Guard.Check("out", req.Out, outdir.Replace); err != nil {
			return err
		}
	}
	if req.Loc == nil {
		req.Loc = time.UTC
	}
	cfg := defaults()
	if req.Config != "" {
		var err error
		if cfg, err = data.ReadConfigFile(req.Config); err != nil {
			return err
		}
	}
	members, err := orgMembers(req)
	if err != nil {
		return err
	}
	if req.Out != "" { // --out may be none of the repositories, nor hold one
		for _, m := range members {
			req.Guard.Keep = append(req.Guard.Keep, outdir.Path{Path: m.path + m.dir, What: "the repository " + m.name})
		}
		if err := req.Guard.Check("out", req.Out, outdir.Replace); err != nil {
			return err
		}
	}
	repos := make([]orgRepo, len(members))
	par.Each(len(members), func(i int) {
		if ctx.Err() != nil {
			return
		}
		repos[i] = readOrgRepo(ctx, req, members[i])
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	var missing []string
	org := compute.Org{Config: cfg, Scope: compute.Scope{Kind: compute.ScopeOrganisation, Name: req.Name}}
	span := req.Span
	for i := range repos {
		rp := &repos[i]
		for _, p := range rp.probs {
			env.Log.Warn(rp.name + ": skipped " + p.String())
		}
		if rp.err != nil {
			missing = append(missing, rp.name)
			env.Log.Warn(fmt.Sprintf("repository %s left out: %v", rp.name, rp.err))
			continue
		}
		org.Parts = append(org.Parts, rp.part)
		if req.Span.IsZero() && rp.ok {
			if span.IsZero() || rp.span.First.Before(span.First) {
				span.First = rp.span.First
			}
			if span.Last.IsZero() || span.Last.Before(rp.span.Last) {
				span.Last = rp.span.Last
			}
		}
	}
	if req.Strict && len(missing) > 0 {
		return &MissingReposError{Names: missing}
	}
	span.Loc = req.Loc
	var months []compute.Month
	var periods []compute.Period
	if !span.IsZero() {
		periods = span.Periods()
	}
	for _, p := range periods {
		m := org.Period(p)
		m.Detail = &compute.Detail{Benchmark: cfg.Classification.Benchmark}
		months = append(months, m)
	}
	env.Log.Info("rolled up the organisation", "repositories", len(org.Parts), "left_out", len(missing), "months", len(months))
	if req.Out == "" {
		return printMonths(env, req.Format, months, false)
	}
	return buildOrgSite(req, a, repos, months, periods, env)
}

// orgMembers lists the repositories of the organisation.
func orgMembers(req OrgRequest) ([]member, error) {
	switch {
	case req.Repos != "" && req.Facts != "":
		return nil, &InputError{Input: "repos", Err: errors.New("and a folder of facts both given"),
			Hint: func(n fact.Naming) string { return "give " + n.Of("repos") + " or " + n.Of("facts") + ", not both" }}
	case req.Repos != "":
		return reposFile(req.Repos)
	case req.Facts != "":
		return factsFolders(req.Facts)
	}
	return nil, &InputError{Input: "repos", Err: errors.New("no repositories given"), Hint: func(n fact.Naming) string {
		return "say which: " + n.Of("repos") + " FILE (lines NAME PATH[#DATA]) or " + n.Of("facts") + " DIR (what gitdora collect " + n.Of("out") + " wrote, one folder each)"
	}}
}

// reposFile reads a file of lines NAME PATH[#DATA]; blank lines and lines
// starting with # are skipped. Errors name the file and line.
func reposFile(file string) ([]member, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, &InputError{Input: "repos", Err: err}
	}
	if !st.Mode().IsRegular() || st.Size() > maxReposFile {
		return nil, &InputError{Input: "repos", Err: fmt.Errorf("%s: not a regular file of at most %d bytes", file, maxReposFile)}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, &InputError{Input: "repos", Err: err}
	}
	base := filepath.Dir(file)
	var out []member
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), maxReposFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, args ...any) error {
			return &InputError{Input: "repos", Err: fmt.Errorf("%s:%d: %s", file, n, fmt.Sprintf(format, args...))}
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, bad("want NAME PATH[#DATA], got %d fields", len(fields))
		}
		name := fields[0]
		if err := config.CheckSliceName(name); err != nil {
			return nil, bad("repository name: %v", err)
		}
		if at, dup := seen[name]; dup {
			return nil, bad("the name %s is given twice (first at line %d)", name, at)
		}
		seen[name] = n
		path, dataSpec, _ := strings.Cut(fields[1], "#")
		if path == "" {
			return nil, bad("the path is empty")
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(base, path)
		}
		if dataSpec != "" {
			dataSpec = path + "#" + dataSpec
		}
		out = append(out, member{name: name, path: path, data: dataSpec, line: n})
		if len(out) > MaxOrgRepos {
			return nil, bad("more than %d repositories", MaxOrgRepos)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &InputError{Input: "repos", Err: fmt.Errorf("%s: %w", file, err)}
	}
	if len(out) == 0 {
		return nil, &InputError{Input: "repos", Err: fmt.Errorf("%s names no repository (want lines NAME PATH[#DATA])", file)}
	}
	return out, nil
}

// factsFolders lists the folders of dir: one repository each, named by
// its folder.
func factsFolders(dir string) ([]member, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &InputError{Input: "facts", Err: err}
	}
	var out []member
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue // a symbolic link is not followed
		}
		if config.CheckSliceName(e.Name()) != nil {
			continue
		}
		out = append(out, member{name: e.Name(), dir: filepath.Join(dir, e.Name())})
		if len(out) > MaxOrgRepos {
			return nil, &InputError{Input: "facts", Err: fmt.Errorf("%s: more than %d repositories", dir, MaxOrgRepos)}
		}
	}
	if len(out) == 0 {
		return nil, &InputError{Input: "facts", Err: fmt.Errorf("%s has no folder of facts", dir),
			Hint: func(n fact.Naming) string { return "gitdora collect " + n.Of("out") + " " + dir + "/NAME writes one" }}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// readOrgRepo reads one repository and computes the samples of its
// months (and of its services' and teams', for a site); the facts are
// not kept.
func readOrgRepo(ctx context.Context, req OrgRequest, m member) orgRepo {
	rp := orgRepo{member: m}
	var f *fact.Facts
	var cfg *config.Settings
	if m.dir != "" {
		cfg, f, rp.err = readFactsMember(m.dir)
	} else {
		cfg, f, rp.err = gatherMember(ctx, req, m)
	}
	if rp.err != nil {
		return rp
	}
	h := compute.NewHistory(f, cfg, req.Loc)
	_, late := pendingReport(f)
	rp.probs = slices.Concat(f.Problems, late)
	h.Scope = compute.Scope{Kind: compute.ScopeRepository, Name: m.name}
	rp.span, rp.ok = h.Span()
	span := req.Span
	if span.IsZero() {
		span = rp.span
	}
	if span.IsZero() && !rp.ok {
		rp.part = &compute.Part{}
		return rp
	}
	span.Loc = req.Loc
	rp.part = compute.NewPart(h, span)
	if req.Out == "" {
		return rp
	}
	for _, sl := range f.Slices {
		sh := compute.NewHistory(sl.Facts, cfg, req.Loc)
		sh.Scope = compute.Scope{Kind: string(sl.Kind), Name: sl.Name}
		rp.slices = append(rp.slices, orgSlice{kind: sl.Kind, name: sl.Name, part: compute.NewPart(sh, span)})
	}
	return rp
}

// gatherMember gathers the facts of a repository of a --repos file, with
// its services and teams.
func gatherMember(ctx context.Context, req OrgRequest, m member) (*config.Settings, *fact.Facts, error) {
	store, err := data.Open(m.path, m.data)
	if err != nil {
		return nil, nil, fmt.Errorf("line %d: %w", m.line, err)
	}
	if !store.Exists() {
		b := store.Branch() // the line's #DATA, else the default
		return nil, nil, fmt.Errorf("line %d: %s has no data branch %s (fetch it: git fetch origin %s:%s)", m.line, m.path, b, b, b)
	}
	cfg, err := store.Config("")
	if err != nil {
		return nil, nil, err
	}
	o := collect.Options{RepoPath: m.path, Store: store, Config: cfg, Loc: req.Loc, Ctx: ctx, AllSlices: req.Out != "", TrunkFindingsOnly: true, StreamTrunk: true}
	o.Since = readSince(compute.Span{First: req.Span.First, Last: req.Span.Last, Loc: req.Loc}, cfg)
	f, err := collect.Gather(o)
	return cfg, f, err
}

// readFactsMember reads the facts a repository exported, and its
// gitdora.yml (the defaults without one).
func readFactsMember(dir string) (*config.Settings, *fact.Facts, error) {
	cfg := defaults()
	p := filepath.Join(dir, data.ConfigFile)
	if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		if cfg, err = config.Parse(b, p); err != nil {
			return nil, nil, err
		}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	f, err := collect.ReadExport(dir)
	return cfg, f, err
}

// buildOrgSite builds the organisation's site: its months (headline
// figures, trends, a page each), and a table of its repositories,
// services and teams with their class and figures in the last month,
// linking each repository's own site.
func buildOrgSite(req OrgRequest, a assets, repos []orgRepo, months []compute.Month, periods []compute.Period, env Env) error {
	// The months as a repository's site shows them: each with the one
	// before and its trend, the last partial until its month ends; counts
	// of open findings only (no configuration of finding details).
	reports := (&run{req: Request{Now: req.Now}, months: months, periods: periods}).reports()
	var rows []render.SliceRow
	var last *compute.Period
	if n := len(periods); n > 0 {
		last = &periods[n-1]
	}
	monthOf := func(pt *compute.Part) *compute.Month {
		if last == nil || pt == nil {
			return nil
		}
		if m, ok := pt.Month(*last); ok {
			return &m
		}
		return nil
	}
	for i := range repos {
		rp := &repos[i]
		if rp.err != nil {
			continue
		}
		base := ""
		if req.SiteURL != "" {
			base = strings.ReplaceAll(req.SiteURL, siteURLNameVar, url.PathEscape(rp.name))
			if !strings.HasSuffix(base, "/") {
				base += "/"
			}
		}
		href := func(p string) string {
			if base == "" {
				return ""
			}
			return base + p
		}
		rows = append(rows, render.SliceRow{Kind: string(Repository), Name: rp.name, Href: href("index.html"), Month: monthOf(rp.part)})
		for _, sl := range rp.slices {
			rows = append(rows, render.SliceRow{Kind: string(sl.kind), Name: rp.name + "/" + sl.name,
				Href: href(site.SlicePath(string(sl.kind), sl.name) + "index.html"), Month: monthOf(sl.part)})
		}
	}
	title := "Organisation: DORA and security scan impact"
	if req.Name != "" {
		title = req.Name + ": DORA and security scan impact"
	}
	err := site.Build(site.Options{Out: req.Out, Templates: a.templates, EchartsJS: a.echarts, Reports: reports, Guard: req.Guard,
		Title: title, SliceRows: rows, SlicesTitle: "Repositories, services and teams"})
	if err != nil {
		return err
	}
	env.Log.Info("built the organisation's site", "dir", req.Out, "months", len(months), "rows", len(rows))
	return nil
}
