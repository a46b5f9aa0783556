package imports

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

var (
	// repoURL finds owner/name in an API URL (api.github.com or a GitHub
	// Enterprise /api/v3 one).
	repoURL = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/repos/([^/?#]+/[^/?#]+)/`) })
	// pullURL finds the repository and number in a review's pull_request_url.
	pullURL = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/repos/([^/?#]+/[^/?#]+)/pulls/([0-9]{1,9})$`) })
	// deploymentURL finds a deployment's id in a status's deployment_url or url.
	deploymentURL = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/deployments/([0-9]{1,19})(?:/statuses/[0-9]+)?$`) })
)

// repoOf is owner/name from an API URL, lower case; "" when none.
func repoOf(url string) string {
	if m := repoURL().FindStringSubmatch(url); m != nil {
		return cleanRepo(m[1])
	}
	return ""
}

// cleanRepo is an owner/name taken from a URL, lower case, or "" when it
// is too long or holds control characters.
func cleanRepo(s string) string {
	if len(s) > maxName || firstControl(s) >= 0 || !utf8.ValidString(s) {
		return ""
	}
	return strings.ToLower(s)
}

// hookRepo is the repository a GitHub webhook payload names.
func hookRepo(o obj) string {
	if r, ok := o.child("repository"); ok {
		return strings.ToLower(r.str("full_name"))
	}
	return ""
}

// isBot tells a bot account from a person: a login ending in [bot], or a
// user of type Bot.
func isBot(login, typ string) bool {
	return strings.HasSuffix(strings.ToLower(login), "[bot]") || strings.EqualFold(typ, "bot")
}

// ghPull reads a pull request object; action is the webhook's, "" for a
// REST object.
func (p *parser) ghPull(o obj, action, repo string) {
	o.need("id")
	o.need("number")
	o.need("created_at")
	id := o.id("id")
	num, _ := o.integer("number")
	state := o.lower("state")
	draft := o.flag("draft")
	opened := o.time("created_at")
	updated := o.time("updated_at")
	merged := o.time("merged_at")
	mergeSHA := o.sha("merge_commit_sha")
	var headSHA string
	if h, ok := o.child("head"); ok {
		headSHA = h.sha("sha")
	}
	var login, uid string
	if u, ok := o.child("user"); ok {
		login = u.str("login")
		uid = u.id("id")
	}
	if b, ok := o.child("base"); ok {
		if r, ok := b.child("repo"); ok && r.str("full_name") != "" {
			repo = strings.ToLower(r.str("full_name"))
		}
	}
	if repo == "" {
		repo = repoOf(o.s("url"))
	}
	if p.r.err != nil {
		return
	}
	if state != "open" && state != "closed" {
		p.r.fail(o.at("state"), "want open or closed, got %s", clip(state))
		return
	}
	if !merged.IsZero() {
		switch {
		case o.has("merged") && !o.flag("merged"):
			p.note(o.at("merged_at"), "merged_at is set but merged is false: read as not merged")
			merged = time.Time{}
		case state == "open":
			p.note(o.at("merged_at"), "merged_at is set but the pull request is open: read as not merged")
			merged = time.Time{}
		}
	}
	pr := Pull{
		ID: id, Repo: repo, Number: num, State: state, Draft: draft, Opened: opened,
		HeadSHA: headSHA, Author: login, AuthorID: uid, Updated: latest(updated, opened), Source: p.source,
	}
	if !merged.IsZero() {
		pr.State, pr.Merged, pr.MergeSHA = "merged", merged, mergeSHA
	}
	switch {
	case draft:
	case action == "ready_for_review" && !updated.IsZero():
		pr.Ready, pr.ReadySeen = updated, true
	default:
		pr.Ready = opened
	}
	p.b.Pulls = append(p.b.Pulls, pr)
}

// latest is the latest of ts, zero when all are.
func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

func (p *parser) ghPullHook(o obj) {
	pr, _ := o.child("pull_request")
	p.ghPull(pr, o.lower("action"), hookRepo(o))
}

// reviewStates are the states of a GitHub review, in lower case (REST
// writes them in upper case, webhooks in lower).
var reviewStates = map[string]bool{"approved": true, "changes_requested": true, "commented": true, "dismissed": true, "pending": true}

// ghReview reads a review; repo and pull are the webhook's (0: from the
// review's pull_request_url, else the pull named in Options).
func (p *parser) ghReview(o obj, repo string, pull int64) {
	o.need("id")
	id := o.id("id")
	state := o.lower("state")
	submitted := o.time("submitted_at")
	var login, uid, typ string
	if u, ok := o.child("user"); ok {
		login, uid, typ = u.str("login"), u.id("id"), u.str("type")
	}
	if m := pullURL().FindStringSubmatch(o.s("pull_request_url")); m != nil {
		repo = cleanRepo(m[1])
		pull, _ = strconv.ParseInt(m[2], 10, 64)
	}
	if pull == 0 {
		pull = p.pull
	}
	if p.r.err != nil {
		return
	}
	if pull == 0 {
		p.r.fail(o.at("pull_request_url"), "a review that does not say which pull request it belongs to: name the pull (--pull N)")
		return
	}
	if !reviewStates[state] {
		p.r.fail(o.at("state"), "want a review state (APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING), got %s", clip(state))
		return
	}
	p.b.Reviews = append(p.b.Reviews, Review{
		ID: id, Repo: repo, Pull: pull, Reviewer: login, ReviewerID: uid, Bot: isBot(login, typ),
		State: state, Submitted: submitted, Source: p.source,
	})
}

func (p *parser) ghReviewHook(o obj) {
	repo := hookRepo(o)
	pr, _ := o.child("pull_request")
	p.ghPull(pr, "", repo)
	num, _ := pr.integer("number")
	rv, _ := o.child("review")
	p.ghReview(rv, repo, num)
}

// ghCommit reads a commit of the pull named in Options.
func (p *parser) ghCommit(o obj) {
	if p.pull == 0 {
		p.r.fail(o.path, "pull request commits do not say which pull request they belong to: name it (--pull N)")
		return
	}
	o.need("sha")
	sha := o.sha("sha")
	c, _ := o.child("commit")
	var authored, committed time.Time
	if a, ok := c.child("author"); ok {
		authored = a.time("date")
	}
	if cm, ok := c.child("committer"); ok {
		committed = cm.time("date")
	}
	if p.r.err != nil {
		return
	}
	if authored.IsZero() {
		p.r.fail(c.at("author"), "missing the commit's author date")
		return
	}
	p.b.Commits = append(p.b.Commits, Commit{SHA: sha, Repo: repoOf(o.s("url")), Pull: p.pull, Authored: authored, Committed: committed, Source: p.source})
}

// ghDeployment reads a deployment.
func (p *parser) ghDeployment(o obj) {
	o.need("id")
	o.need("sha")
	o.need("created_at")
	d := Deployment{
		ID: o.id("id"), SHA: o.sha("sha"), Ref: o.str("ref"), Environment: o.str("environment"),
		Created: o.time("created_at"), Source: p.source,
	}
	d.Updated = latest(o.time("updated_at"), d.Created)
	d.Time = d.Created
	if p.r.err == nil {
		p.b.Deployments = append(p.b.Deployments, d)
	}
}

// deploymentStates are the states of a GitHub deployment status.
var deploymentStates = map[string]bool{"success": true, "failure": true, "error": true, "inactive": true, "pending": true, "queued": true, "in_progress": true}

// ghStatus reads a deployment status; deployment is the webhook's
// deployment id ("": from the status's deployment_url or url).
func (p *parser) ghStatus(o obj, deployment string) {
	o.need("id")
	o.need("created_at")
	st := DeploymentStatus{
		ID: o.id("id"), State: o.lower("state"), Environment: o.str("environment"),
		Time: o.time("created_at"), Deployment: deployment, Source: p.source,
	}
	st.Updated = latest(o.time("updated_at"), st.Time)
	if st.Deployment == "" {
		for _, k := range []string{"deployment_url", "url"} {
			if m := deploymentURL().FindStringSubmatch(o.s(k)); m != nil {
				st.Deployment = m[1]
				break
			}
		}
	}
	if p.r.err != nil {
		return
	}
	switch {
	case st.Deployment == "":
		p.r.fail(o.at("deployment_url"), "a deployment status that does not say which deployment it belongs to")
	case !deploymentStates[st.State]:
		p.skip(o.at("state"), "deployment status %s is not a GitHub state: it changes nothing", clip(st.State))
	default:
		p.b.Statuses = append(p.b.Statuses, st)
	}
}

func (p *parser) ghDeploymentHook(o obj) {
	d, _ := o.child("deployment")
	p.ghDeployment(d)
	if st, ok := o.child("deployment_status"); ok {
		p.ghStatus(st, d.id("id"))
	}
}

// ghRelease reads a release: a deployment when published, not a draft
// and not a pre-release.
func (p *parser) ghRelease(o obj) {
	o.need("id")
	id := o.id("id")
	tag := o.str("tag_name")
	target := o.str("target_commitish")
	draft, pre := o.flag("draft"), o.flag("prerelease")
	created := o.time("created_at")
	published := o.time("published_at")
	updated := o.time("updated_at")
	if p.r.err != nil {
		return
	}
	switch {
	case draft:
		p.skip(o.path, "release %s is a draft", clip(tag))
		return
	case pre:
		p.skip(o.path, "release %s is a pre-release", clip(tag))
		return
	case published.IsZero():
		p.skip(o.path, "release %s is not published", clip(tag))
		return
	}
	d := Deployment{ID: id, Ref: tag, Status: Success, Time: published, Created: created, Updated: latest(updated, published), Source: p.source}
	if isSHA(target) {
		d.SHA = strings.ToLower(target)
	}
	p.b.Deployments = append(p.b.Deployments, d)
}

func (p *parser) ghReleaseHook(o obj) {
	rel, _ := o.child("release")
	switch a := o.lower("action"); a {
	case "deleted", "unpublished":
		p.skip(o.at("action"), "release %s: %s", clip(rel.s("tag_name")), a)
	default:
		p.ghRelease(rel)
	}
}

// ghTimeline reads an event of the timeline of the pull named in
// Options: ready_for_review is when it left draft, reviewed a review,
// committed a commit; the other events say nothing cycle time uses.
func (p *parser) ghTimeline(o obj) {
	if p.pull == 0 {
		p.r.fail(o.path, "timeline events do not say which pull request they belong to: name it (--pull N)")
		return
	}
	switch o.lower("event") {
	case "ready_for_review":
		o.need("created_at")
		e := ReadyEvent{Repo: repoOf(o.s("url")), Pull: p.pull, Time: o.time("created_at"), Source: p.source}
		if p.r.err == nil {
			p.b.Readies = append(p.b.Readies, e)
		}
	case "reviewed":
		p.ghReview(o, "", 0)
	case "committed":
		o.need("sha")
		c := Commit{SHA: o.sha("sha"), Repo: repoOf(o.s("url")), Pull: p.pull, Source: p.source}
		if a, ok := o.child("author"); ok {
			c.Authored = a.time("date")
		}
		if cm, ok := o.child("committer"); ok {
			c.Committed = cm.time("date")
		}
		if p.r.err != nil {
			return
		}
		if c.Authored.IsZero() {
			p.r.fail(o.at("author"), "missing the commit's author date")
			return
		}
		p.b.Commits = append(p.b.Commits, c)
	}
}
