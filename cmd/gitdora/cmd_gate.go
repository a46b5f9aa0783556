package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/gate"
	"github.com/gitdora/gitdora/internal/outdir"
)

// GateCmd is `gitdora gate`.
type GateCmd struct {
	Files        []string `arg:"" name:"FILE" help:"SARIF 2.1.0 files, optionally gzipped."`
	FailOn       string   `name:"fail-on" default:"critical,high" placeholder:"SEVERITIES" help:"Fail (exit 3) when an open result has one of these severities: a comma-separated list of critical, high, medium, low; empty never fails (default: ${default})."`
	GitHubOutput string   `name:"github-output" placeholder:"FILE" help:"Append total, critical, high, medium and low as key=value lines to FILE (in GitHub Actions: \"$GITHUB_OUTPUT\")."`
	AllowEmpty   bool     `name:"allow-empty" help:"Let a file without runs, or a run without a results array (the scanner did not run), pass with a warning instead of failing (exit 1)."`
}

// Help shows an example and the exit codes.
func (c *GateCmd) Help() string {
	return "Counts the open (unsuppressed) results of the SARIF files by gitdora's severity: security-severity,\n" +
		"else the SARIF level (error high, warning medium, note low), with severity.overrides of gitdora.yml\n" +
		"(--config, else the data branch of --repo when there is one). Prints a table; info results count\n" +
		"in total only.\n\n" +
		"Example:\n  gitdora gate semgrep.sarif --fail-on critical,high --github-output \"$GITHUB_OUTPUT\"\n\n" +
		"A file without runs, or a run without a results array (SARIF's way of saying the tool could not\n" +
		"determine its results), fails the gate (exit 1) whatever --fail-on says, unless --allow-empty; a run\n" +
		"with an empty results array found nothing, and passes.\n\n" +
		"Exit codes: 0 no open result of a --fail-on severity, 1 error or no results, 3 open results of a --fail-on severity."
}

// Run counts, reports and judges.
func (c *GateCmd) Run(g *Globals) error {
	failOn, err := gate.ParseSeverities(c.FailOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	cfg, err := gateConfig(g)
	if err != nil {
		return err
	}
	rep, err := gate.Read(c.Files, cfg.Severity.Overrides)
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
	if !g.Quiet {
		if err := rep.WriteTable(g.Stdout); err != nil {
			return err
		}
	}
	if c.GitHubOutput != "" {
		if err := outdir.Append(c.GitHubOutput, rep.Outputs()); err != nil {
			return fmt.Errorf("--github-output: %w", err)
		}
	}
	if n := rep.Failing(failOn); n > 0 {
		return &findingsFound{count: n, severities: strings.Join(failOn, ",")}
	}
	if len(failOn) > 0 {
		g.Log.Info(fmt.Sprintf("gate passed: no open result of severity %s", strings.Join(failOn, ",")))
	}
	return nil
}

// gateConfig is the configuration whose severity overrides apply (see
// app.GateSettings); the gate reads no months, so --tz is not needed.
func gateConfig(g *Globals) (*config.Settings, error) {
	req, _ := g.request()
	return app.GateSettings(g.context(), req, g.env())
}
