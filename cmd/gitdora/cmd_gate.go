package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/gate"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/policy"
)

// GateCmd is `gitdora gate`.
type GateCmd struct {
	Files        []string `arg:"" name:"FILE" help:"SARIF 2.1.0 files, optionally gzipped."`
	Context      string   `name:"context" placeholder:"CONTEXT" help:"Gate as policy.gates of gitdora.yml says for this context: pull_request, main or pre_commit (block_on fails with exit 3, warn_on prints and annotates)."`
	FailOn       *string  `name:"fail-on" placeholder:"SEVERITIES" help:"Fail (exit 3) when an open result has one of these severities: a comma-separated list of critical, high, medium, low; empty (or none) never fails. Replaces the context's block_on (default without --context: critical,high)."`
	At           string   `name:"at" placeholder:"DATE" help:"The day exemptions are judged on, YYYY-MM-DD (default: today, UTC): an exemption past its expires date exempts nothing."`
	GitHubOutput string   `name:"github-output" placeholder:"FILE" help:"Append total, critical, high, medium and low as key=value lines to FILE (in GitHub Actions: \"$GITHUB_OUTPUT\")."`
	AllowEmpty   bool     `name:"allow-empty" help:"Let a file without runs, or a run without a results array (the scanner did not run), pass with a warning instead of failing (exit 1)."`
}

// Help shows an example and the exit codes.
func (c *GateCmd) Help() string {
	return "Counts the open (unsuppressed) results of the SARIF files by gitdora's severity: security-severity,\n" +
		"else the SARIF level (error high, warning medium, note low), with severity.overrides of gitdora.yml\n" +
		"(--config, else the data branch of --repo when there is one). Results that policy.exemptions exempt\n" +
		"are accepted risk: counted apart, never gated. Prints a table; info results count in total only.\n\n" +
		"Examples:\n  gitdora gate semgrep.sarif --context pull_request --github-output \"$GITHUB_OUTPUT\"\n" +
		"  gitdora gate semgrep.sarif --fail-on critical,high\n\n" +
		"With --context, the context's gate of policy.gates decides: a block_on severity fails, a warn_on\n" +
		"severity is printed (and annotated in GitHub Actions) but passes; --fail-on replaces block_on.\n" +
		"An exemption past its expires date (judged on --at, default today) exempts nothing and is reported.\n\n" +
		"A file without runs, or a run without a results array (SARIF's way of saying the tool could not\n" +
		"determine its results), fails the gate (exit 1) whatever --fail-on says, unless --allow-empty; a run\n" +
		"with an empty results array found nothing, and passes.\n\n" +
		"Exit codes: 0 nothing to block on, 1 error or no results, 3 open results of a blocking severity."
}

// listedFindings is how many blocking and warning results the gate
// prints (and annotates) of each; the rest are counted.
const listedFindings = 50

// Run counts, reports and judges.
func (c *GateCmd) Run(g *Globals) error {
	var failOn []string
	if c.FailOn != nil {
		var err error
		if failOn, err = parseFailOn(*c.FailOn); err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
	}
	today := policy.DateOf(time.Now())
	if c.At != "" {
		d, err := parseDay(c.At)
		if err != nil {
			return fmt.Errorf("--at: %w", err)
		}
		today = d
	}
	// The whole configuration, policy included, is checked before any
	// result is read.
	cfg, err := gateConfig(g)
	if err != nil {
		return err
	}
	pol := &cfg.Policy
	gt := policy.Gate{BlockOn: []string{"critical", "high"}}
	if c.Context != "" {
		if gt, err = pol.Gate(c.Context); err != nil {
			return fmt.Errorf("--context: %w", err)
		}
	}
	if c.FailOn != nil {
		gt.BlockOn = failOn
		gt.WarnOn = slices.DeleteFunc(gt.WarnOn, func(s string) bool { return slices.Contains(failOn, s) })
	}
	var roots []string
	if abs, err := filepath.Abs(g.Repo); err == nil {
		roots = append(roots, abs)
	}
	rep, err := gate.ReadWith(c.Files, gate.Options{
		Overrides: cfg.Severity.Overrides, Roots: roots, Policy: pol, Today: today,
		Keep:   append(slices.Clone(gt.BlockOn), gt.WarnOn...),
		Limits: sarif.Limits{Bytes: int64(cfg.Limits.SARIFBytes), Ratio: cfg.Limits.DecompressionRatio},
	})
	if err != nil {
		return err
	}
	for _, n := range rep.Notes {
		g.Log.Warn(n)
	}
	// A scanner that did not run must not pass the gate: fail closed,
	// before any output a later step could take for a clean result.
	if empty := rep.Empty(); len(empty) > 0 {
		if !c.AllowEmpty {
			errs := make([]error, len(empty))
			for i, e := range empty {
				errs[i] = fmt.Errorf("security gate: %s (--allow-empty lets this pass)", e)
			}
			return errors.Join(errs...)
		}
		for _, e := range empty {
			g.Log.Warn(e)
		}
	}
	v := rep.Judge(gt)
	if !g.Quiet {
		if err := rep.WriteTable(g.Stdout); err != nil {
			return err
		}
		name := "gitdora.yml"
		if g.Config != "" {
			name = g.Config
		}
		if err := c.writeVerdict(g.Stdout, rep, v, gt, pol, name, today, os.Getenv("GITHUB_ACTIONS") == "true"); err != nil {
			return err
		}
	}
	if c.GitHubOutput != "" {
		if err := outdir.Append(c.GitHubOutput, rep.Outputs()); err != nil {
			return fmt.Errorf("--github-output: %w", err)
		}
	}
	if v.Blocking > 0 {
		return &findingsFound{count: v.Blocking, severities: strings.Join(gt.BlockOn, ","), context: c.Context}
	}
	switch {
	case v.Warning > 0:
		g.Log.Info(fmt.Sprintf("gate passed with %d warning(s): no open result of severity %s", v.Warning, orNone(gt.BlockOn)))
	case len(gt.BlockOn) > 0:
		g.Log.Info(fmt.Sprintf("gate passed: no open result of severity %s", strings.Join(gt.BlockOn, ",")))
	}
	return nil
}

// parseFailOn reads --fail-on: severities, or "none" (as "") for never.
func parseFailOn(s string) ([]string, error) {
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return []string{}, nil
	}
	sevs, err := gate.ParseSeverities(s)
	if sevs == nil && err == nil {
		sevs = []string{}
	}
	return sevs, err
}

// parseDay reads --at: a day YYYY-MM-DD, or an RFC 3339 time (its UTC day).
func parseDay(s string) (policy.Date, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return policy.DateOf(t), nil
	}
	return policy.ParseDate(s)
}

func orNone(sevs []string) string {
	if len(sevs) == 0 {
		return "(none)"
	}
	return strings.Join(sevs, ",")
}

// writeVerdict writes, below the table, the exempt results, the expired
// exemptions and the results the gate blocks on and warns about; in
// GitHub Actions (annotate) also as workflow commands, which the runner
// shows as annotations on the files.
func (c *GateCmd) writeVerdict(w io.Writer, rep *gate.Report, v gate.Verdict, gt policy.Gate, pol *policy.Policy, config string, today policy.Date, annotate bool) error {
	var b strings.Builder
	if c.Context != "" {
		fmt.Fprintf(&b, "\ngate %s on %s: blocks on %s; warns on %s\n", c.Context, today, orNone(gt.BlockOn), orNone(gt.WarnOn))
	}
	if n := rep.Sum.Exempt; n > 0 {
		fmt.Fprintf(&b, "%d open result(s) exempt by policy.exemptions: accepted risk, not gated\n", n)
	}
	for i := range pol.Exemptions.Findings {
		e := &pol.Exemptions.Findings[i]
		where := fmt.Sprintf("exemption of rule %s (%s line %d)", esc.Line(e.RuleID), esc.Line(config), e.Line)
		switch left := e.DaysLeft(today); {
		case left < 0:
			msg := fmt.Sprintf("%s expired on %s: it exempts nothing; %d open result(s) it names count again", where, e.Expires, rep.Expired[e])
			fmt.Fprintf(&b, "expired: %s\n", msg)
			if annotate {
				fmt.Fprintf(&b, "::warning title=%s::%s\n", esc.CommandProperty("gitdora gate: expired exemption"), esc.CommandData(msg))
			}
		case left <= policy.ExpiringWindow:
			fmt.Fprintf(&b, "expires soon: %s exempts through %s (%d day(s) left)\n", where, e.Expires, left)
		}
	}
	list := func(what, cmd string, fs []gate.Finding, total int) {
		for i, f := range fs {
			if i == listedFindings {
				fmt.Fprintf(&b, "%s: … and %d more\n", what, total-listedFindings)
				break
			}
			where := f.File
			if where == "" {
				where = "(no location)"
			} else if f.Line > 0 {
				where += ":" + strconv.Itoa(f.Line)
			}
			fmt.Fprintf(&b, "%s: %s %s %s %s: %s\n", what, f.Severity, esc.Line(f.Tool), esc.Line(f.RuleID), esc.Line(where), esc.Line(cut(f.Message, 200)))
			if annotate {
				props := "title=" + esc.CommandProperty("gitdora gate: "+f.Severity+" "+f.RuleID)
				if f.File != "" {
					props = "file=" + esc.CommandProperty(f.File) + "," + props
					if f.Line > 0 {
						props = strings.Replace(props, ",title=", ",line="+strconv.Itoa(f.Line)+",title=", 1)
					}
				}
				fmt.Fprintf(&b, "::%s %s::%s\n", cmd, props, esc.CommandData(cut(f.Message, 1000)))
			}
		}
	}
	list("block", "error", v.Block, v.Blocking)
	list("warn", "warning", v.Warn, v.Warning)
	_, err := io.WriteString(w, b.String())
	return err
}

// cut shortens s to at most n bytes, on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// gateConfig is the configuration whose severity overrides apply (see
// app.GateSettings); the gate reads no months, so --tz is not needed.
func gateConfig(g *Globals) (*config.Settings, error) {
	return app.GateSettings(g.context(), g.zoneless(), g.env())
}
