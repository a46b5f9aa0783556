package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/bounded"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/notify"
	"github.com/gitdora/gitdora/render"
)

// AlertsRequest asks to evaluate the alert rules, or to export them.
type AlertsRequest struct {
	Request
	// Rules is a YAML file of alert rules; "" takes the alerts of the
	// configuration.
	Rules string
	// At is the time to evaluate as of.
	At time.Time
	// JSON prints the firing alerts as JSON rather than text.
	JSON bool
	// Webhook receives a Slack-compatible payload when an alert fires; nil for none.
	Webhook *notify.Webhook
	// FailOn makes an alert of this severity or worse an *AlertsFiring
	// error: warning or critical; "" never.
	FailOn string
	// Export prints the rules in another format instead of evaluating
	// them: "prometheus"; "" evaluates.
	Export string
}

// Alerts checks the rules (a bad rule stops everything before any fact
// is read), then evaluates them over the facts as of req.At and delivers
// the result, or exports the rules.
func Alerts(ctx context.Context, req AlertsRequest, env Env) error {
	if req.Webhook != nil {
		if err := req.Webhook.Check(); err != nil {
			return &InputError{Input: "webhook", Err: err}
		}
	}
	r := &run{req: req.Request, env: env}
	rules, err := r.rules(ctx, req.Rules)
	if err != nil {
		return err
	}
	if req.Export == "prometheus" {
		b, err := render.AlertRulesPrometheus(rules)
		if err != nil {
			return err
		}
		_, err = env.Stdout.Write(b)
		return err
	}
	at := compute.MonthIn(req.At, req.Loc)
	stages := []stage{r.readFrom(compute.Span{First: at, Last: at, Loc: req.Loc}), r.gather, r.history}
	if r.store == nil {
		stages = append([]stage{r.load}, stages...)
	}
	if err := through(ctx, stages...); err != nil {
		return err
	}
	ev, src := alert.ForHistory(r.hist)
	res := ev.Evaluate(rules, req.At)
	env.Log.Debug("alert rules evaluated", "rules", len(rules), "last_day", res.Day.Format("2006-01-02"), "windows_computed", src.Periods())
	return deliver(ctx, req, env, res)
}

// maxRulesFile bounds a rules file: a few KB, as gitdora.yml.
const maxRulesFile = 1 << 20

// rules reads the rules file, or the alerts of the configuration (which
// loads the data branch), and checks them.
func (r *run) rules(ctx context.Context, file string) ([]alert.Rule, error) {
	if file != "" {
		b, err := bounded.ReadFile(file, maxRulesFile, "a file of alert rules")
		if err != nil {
			return nil, &InputError{Input: "rules", Err: err}
		}
		return alert.CompileFile(b, file)
	}
	if err := r.load(ctx); err != nil {
		return nil, err
	}
	return alert.Compile(r.cfg.Alerts)
}

// deliver prints the result, annotates a GitHub Actions run, posts to the
// webhook (when one is given and an alert fires) and applies FailOn.
func deliver(ctx context.Context, req AlertsRequest, env Env, res alert.Result) error {
	out := []byte(render.AlertText(res))
	if req.JSON {
		var err error
		if out, err = render.AlertJSON(res); err != nil {
			return err
		}
		out = esc.JSON(out)
	}
	if _, err := env.Stdout.Write(out); err != nil {
		return err
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		// Workflow commands go to stdout, unless it carries JSON.
		w := env.Stdout
		if req.JSON {
			w = env.Stderr
		}
		fmt.Fprint(w, render.AlertAnnotations(res))
		if p := os.Getenv("GITHUB_STEP_SUMMARY"); p != "" {
			if err := outdir.Append(p, render.AlertSummary(res)+"\n"); err != nil {
				return fmt.Errorf("step summary: %w", err)
			}
		}
	}
	if wh := req.Webhook; wh != nil {
		if len(res.Firing) == 0 {
			env.Log.Info("no alert firing: nothing posted to the webhook")
		} else {
			payload, err := render.AlertSlack(res)
			if err != nil {
				return err
			}
			if err := wh.Post(ctx, payload); err != nil {
				return err
			}
			env.Log.Info(fmt.Sprintf("posted %d alert(s) to the webhook", len(res.Firing)))
		}
	}
	if req.FailOn != "" {
		if n := res.AtLeast(req.FailOn); n > 0 {
			return &AlertsFiring{Count: n, Severity: req.FailOn}
		}
	}
	return nil
}

// GateSettings is the configuration whose severity overrides the security
// gate applies: req.Config, else gitdora.yml of the data branch (or
// req.Data), else the defaults. A repository that is not a git repository
// (SARIF checked outside a clone) is not an error unless req.Data names a
// branch of it.
func GateSettings(ctx context.Context, req Request, env Env) (*config.Settings, error) {
	switch {
	case req.Config != "":
		return data.ReadConfigFile(req.Config)
	case req.Data != "":
		r := &run{req: req, env: env}
		err := r.load(ctx)
		return r.cfg, err
	}
	store, err := req.open()
	if err != nil {
		env.Log.Debug("no data branch to read gitdora.yml from; default severities", "reason", err)
		return config.Default(), nil
	}
	return store.Config("")
}
