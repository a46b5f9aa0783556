package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/gate"
)

// GateCmd is `gitdora gate`.
type GateCmd struct {
	Files        []string `arg:"" name:"FILE" help:"SARIF 2.1.0 files, optionally gzipped."`
	FailOn       string   `name:"fail-on" default:"critical,high" placeholder:"SEVERITIES" help:"Fail (exit 3) when an open result has one of these severities: a comma-separated list of critical, high, medium, low; empty never fails (default: ${default})."`
	GitHubOutput string   `name:"github-output" placeholder:"FILE" help:"Append total, critical, high, medium and low as key=value lines to FILE (in GitHub Actions: \"$GITHUB_OUTPUT\")."`
}

// Help shows an example and the exit codes.
func (c *GateCmd) Help() string {
	return "Counts the open (unsuppressed) results of the SARIF files by gitdora's severity: security-severity,\n" +
		"else the SARIF level (error high, warning medium, note low), with severity.overrides of gitdora.yml\n" +
		"(--config, else the data branch of --repo when there is one). Prints a table; info results count\n" +
		"in total only.\n\n" +
		"Example:\n  gitdora gate semgrep.sarif --fail-on critical,high --github-output \"$GITHUB_OUTPUT\"\n\n" +
		"Exit codes: 0 no open result of a --fail-on severity, 1 error, 3 open results of a --fail-on severity."
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
	if !g.Quiet {
		if err := rep.WriteTable(g.Stdout); err != nil {
			return err
		}
	}
	if c.GitHubOutput != "" {
		f, err := os.OpenFile(c.GitHubOutput, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("--github-output: %w", err)
		}
		_, err = f.WriteString(rep.Outputs())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
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
