package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/notify"
	"github.com/gitdora/gitdora/render"
)

// AlertsCmd is `gitdora alerts`.
type AlertsCmd struct {
	Rules   string `placeholder:"FILE" help:"YAML file of alert rules: an alerts: list (a gitdora.yml works) or a bare list (default: alerts of gitdora.yml, else the built-in rules)."`
	At      string `placeholder:"DATE" help:"Evaluate as of this day (its end) or RFC 3339 time (default: now). The last evaluation point is the end of the last complete day."`
	JSON    bool   `name:"json" help:"Print the firing alerts as JSON."`
	Webhook string `placeholder:"URL" env:"GITDORA_WEBHOOK_URL" help:"Post a Slack-compatible payload of the firing alerts to this URL (never printed). Prefer the environment variable: it keeps the secret off the command line."`
	FailOn  string `enum:",warning,critical" default:"" placeholder:"SEVERITY" help:"Exit 3 when an alert of this severity or worse fires: warning or critical."`
	Export  string `enum:",prometheus" default:"" help:"Print the rules in another format instead of evaluating them: prometheus (an alerting rules file over the gauges of metrics.prom)."`
	asOfFlag
	scopeFlags
}

// Help shows examples, the condition language and the metrics.
func (c *AlertsCmd) Help() string {
	return `Examples:
  gitdora alerts --fail-on critical
  GITDORA_WEBHOOK_URL=https://hooks.slack.com/services/… gitdora alerts --json
  gitdora alerts --rules team-rules.yml --at 2026-03-15
  gitdora alerts --export prometheus > gitdora-rules.yml

A rule fires when its condition held at the end of every day of its "for"
(days in --tz), each metric computed over the trailing "window" (default:
the for duration); "since" is the first day of that run. Conditions:
  <metric> <op> <number>     op: < <= > >= == !=
  change_pct(<metric>, 7d)   percent change against the 7 days before
  joined with and / or (and binds tighter), grouped with ( )
A metric without data satisfies no comparison. In GitHub Actions
(GITHUB_ACTIONS=true) firing alerts are also annotations and a table in
the step summary. See docs/alerts.md.

Exit codes: 0 no alert at or above --fail-on, 1 error, 3 alerts firing.

Metrics:
` + render.AlertMetrics()
}

// Run checks the rules, then evaluates them, or exports them.
func (c *AlertsCmd) Run(g *Globals) error {
	req, err := c.request(g)
	if err != nil {
		return err
	}
	return metricsHint(app.Alerts(g.context(), req, g.env()))
}

// request is the alerts request of the flags. --tz and --at matter only
// where the rules are evaluated, not exported.
func (c *AlertsCmd) request(g *Globals) (app.AlertsRequest, error) {
	r, err := g.request(c.AsOf)
	if err != nil && c.Export == "" {
		return app.AlertsRequest{}, err
	}
	c.scope(&r)
	req := app.AlertsRequest{Request: r, Rules: c.Rules, JSON: c.JSON, FailOn: c.FailOn, Export: c.Export}
	if c.Webhook != "" {
		req.Webhook = &notify.Webhook{URL: c.Webhook, UserAgent: "gitdora/" + versionString()}
	}
	if c.Export == "" {
		if req.At, err = parseAlertsAt(c.At, r.Loc, r.Now); err != nil {
			return app.AlertsRequest{}, err
		}
	}
	return req, nil
}

// metricsHint follows each message about a condition naming an unknown
// metric with where the metrics are listed; other errors pass unchanged.
func metricsHint(err error) error {
	errs := []error{err}
	j, joined := err.(interface{ Unwrap() []error })
	if joined {
		errs = j.Unwrap()
	}
	changed := false
	out := make([]error, len(errs))
	for i, e := range errs {
		var ce *config.CondError
		if e != nil && errors.As(e, &ce) && ce.Unknown != "" {
			e, changed = &hinted{e, "; `gitdora alerts --help` lists the metrics"}, true
		}
		out[i] = e
	}
	switch {
	case !changed:
		return err
	case joined:
		return errors.Join(out...)
	}
	return out[0]
}

// hinted is an error with a hint after its message.
type hinted struct {
	err  error
	hint string
}

func (e *hinted) Error() string { return e.err.Error() + e.hint }
func (e *hinted) Unwrap() error { return e.err }

// parseAt reads --at: a day (YYYY-MM-DD, meaning its end in loc), a time
// in loc (YYYY-MM-DDTHH:MM[:SS]) or an RFC 3339 time; empty means now.
func parseAlertsAt(s string, loc *time.Location, now time.Time) (time.Time, error) {
	if s == "" {
		return now, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--at %q: want a day (YYYY-MM-DD, meaning its end) or a time (e.g. 2026-03-15T12:00:00Z)", s)
}
