package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/internal/outdir"
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
	wh := &notify.Webhook{URL: c.Webhook, UserAgent: "gitdora/" + versionString()}
	if c.Webhook != "" {
		if err := wh.Check(); err != nil {
			return fmt.Errorf("--webhook: %w", err)
		}
	}
	rules, err := c.rules(g)
	if err != nil {
		return err
	}
	if c.Export == "prometheus" {
		b, err := render.AlertRulesPrometheus(rules)
		if err != nil {
			return err
		}
		_, err = g.Stdout.Write(b)
		return err
	}
	loc, err := g.Location()
	if err != nil {
		return err
	}
	at, err := parseAlertsAt(c.At, loc, time.Now())
	if err != nil {
		return err
	}
	h, err := g.history()
	if err != nil {
		return err
	}
	ev, src := alert.ForHistory(h)
	res := ev.Evaluate(rules, at)
	g.Log.Debug("alert rules evaluated", "rules", len(rules), "last_day", res.Day.Format("2006-01-02"), "windows_computed", src.Periods())
	if c.Webhook == "" {
		wh = nil
	}
	return c.deliver(g, res, wh)
}

// rules reads --rules, or the alerts of the configuration, and checks
// them: a bad rule stops everything before any fact is read.
func (c *AlertsCmd) rules(g *Globals) ([]alert.Rule, error) {
	if c.Rules != "" {
		b, err := os.ReadFile(c.Rules)
		if err != nil {
			return nil, fmt.Errorf("--rules: %w", err)
		}
		rules, err := alert.CompileFile(b, c.Rules)
		return rules, metricsHint(err)
	}
	_, cfg, err := g.load()
	if err != nil {
		return nil, err
	}
	rules, err := alert.Compile(cfg.Alerts)
	return rules, metricsHint(err)
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

// deliver prints the result, annotates a GitHub Actions run, posts to the
// webhook (when one is given and an alert fires) and applies --fail-on.
func (c *AlertsCmd) deliver(g *Globals, res alert.Result, wh *notify.Webhook) error {
	out := []byte(render.AlertText(res))
	if c.JSON {
		var err error
		if out, err = render.AlertJSON(res); err != nil {
			return err
		}
		out = esc.JSON(out)
	}
	if _, err := g.Stdout.Write(out); err != nil {
		return err
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		// Workflow commands go to stdout, unless it carries JSON.
		w := g.Stdout
		if c.JSON {
			w = g.Stderr
		}
		fmt.Fprint(w, render.AlertAnnotations(res))
		if p := os.Getenv("GITHUB_STEP_SUMMARY"); p != "" {
			if err := outdir.Append(p, render.AlertSummary(res)+"\n"); err != nil {
				return fmt.Errorf("step summary: %w", err)
			}
		}
	}
	if wh != nil {
		if len(res.Firing) == 0 {
			g.Log.Info("no alert firing: nothing posted to the webhook")
		} else {
			payload, err := render.AlertSlack(res)
			if err != nil {
				return err
			}
			if err := wh.Post(context.Background(), payload); err != nil {
				return err
			}
			g.Log.Info(fmt.Sprintf("posted %d alert(s) to the webhook", len(res.Firing)))
		}
	}
	if c.FailOn != "" {
		if n := res.AtLeast(c.FailOn); n > 0 {
			return &alertsFiring{count: n, severity: c.FailOn}
		}
	}
	return nil
}

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
