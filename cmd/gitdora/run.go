package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/kong"
	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/cmd/gitdora/internal/demo"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/esc"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module version `go install` recorded.
var version = ""

// Exit codes (README.md, "Commands").
const (
	exitOK       = 0
	exitError    = 1
	exitAlerts   = 3
	exitFindings = 3 // gitdora gate: the security gate's counterpart of alerts
)

// findingsFound is returned by `gitdora gate` when open results have a
// severity the gate blocks on (--fail-on, or the --context's block_on).
type findingsFound struct {
	count      int
	severities string
	context    string // the gate context, "" without --context
}

func (e *findingsFound) Error() string {
	gate := "security gate"
	if e.context != "" {
		gate += " (" + e.context + ")"
	}
	return fmt.Sprintf("%s: %d open finding(s) of severity %s", gate, e.count, e.severities)
}

// exitCode is the one place that maps errors to exit codes.
func exitCode(err error) int {
	var firing *app.AlertsFiring
	var found *findingsFound
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &firing):
		return exitAlerts
	case errors.As(err, &found):
		return exitFindings
	default:
		return exitError
	}
}

// Globals are the flags every command takes, and the streams and logger
// commands write to.
type Globals struct {
	Repo      string `default:"." placeholder:"PATH" help:"The code repository (its history, and the default home of the data branch)."`
	Data      string `placeholder:"BRANCH|PATH[#BRANCH]|DIR" help:"Where the data lives: a branch of --repo (default dora-data), another repository (PATH#branch), or a plain directory with the same layout."`
	Config    string `placeholder:"FILE" help:"A gitdora.yml to use instead of the one on the data branch."`
	TZ        string `name:"tz" placeholder:"ZONE" help:"Time zone of the months, e.g. Europe/Berlin (default: timezone in gitdora.yml, else UTC)."`
	Strict    bool   `help:"Fail on a bad input file instead of skipping it."`
	Verbose   bool   `short:"v" xor:"verbosity" help:"Say more about what is being done."`
	Quiet     bool   `short:"q" xor:"verbosity" help:"Print errors only."`
	LogFormat string `enum:"text,json" default:"text" help:"Format of log lines on stderr: text or json."`

	Stdout io.Writer    `kong:"-"`
	Stderr io.Writer    `kong:"-"`
	Log    *slog.Logger `kong:"-"`
}

// inFlags words an error of the layers below in the user's terms: the
// inputs it names (fact.InputError) as the flags they gave, with the
// hints the layers give. Other errors pass unchanged.
func inFlags(err error) error {
	var probs *app.ProblemsError
	if errors.As(err, &probs) {
		return fmt.Errorf("%d input problem(s) and --strict given; first: %s", len(probs.Problems), probs.Problems[0])
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		// One line each (errorLines).
		errs := j.Unwrap()
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = inFlags(e)
		}
		return errors.Join(out...)
	}
	if err == nil {
		return nil
	}
	if msg := fact.Word(err, flagOf); msg != err.Error() {
		return &flagged{msg: msg, err: err}
	}
	return err
}

// flagOf is the flag of an input of the layers below: the input as they
// name it (fact.InputError.Input), a request field or an event's column
// (scan_seconds), is the flag's name, with dashes for underscores.
func flagOf(input string) string { return "--" + strings.ReplaceAll(input, "_", "-") }

// flagged is an error worded with flags.
type flagged struct {
	msg string
	err error
}

func (e *flagged) Error() string { return e.msg }
func (e *flagged) Unwrap() error { return e.err }

// request is the app layer's request of the global flags: the scope
// (the repository of --repo), --data, --config, --tz, --strict, the time
// now, and asOf (--as-of, "" for the tip). With an unknown --tz it is
// returned with the error, without a zone.
func (g *Globals) request(asOf string) (app.Request, error) {
	req := g.zoneless()
	req.AsOf = asOf
	loc, err := g.Location(asOf)
	req.Loc = loc
	return req, err
}

// zoneless is request without a time zone, for a command that places
// nothing in a month: without --tz, Location would read gitdora.yml for
// a zone the command does not use.
func (g *Globals) zoneless() app.Request {
	return app.Request{Scope: app.Scope{Kind: app.Repository, Name: g.Repo}, Data: g.Data, Config: g.Config, Strict: g.Strict, Now: time.Now()}
}

// env is where the app layer writes: stdout, stderr, the logger, and
// progress lines when stderr is a terminal.
func (g *Globals) env() app.Env {
	return app.Env{Stdout: g.Stdout, Stderr: g.Stderr, Log: g.Log, Progress: progressWriter(g.Stderr)}
}

// context is the context commands run in.
func (g *Globals) context() context.Context { return context.Background() }

// Location resolves --tz, else timezone in gitdora.yml (UTC by default)
// as the data branch holds it at asOf ("" for its tip): without --tz,
// the configuration is read for its zone.
func (g *Globals) Location(asOf string) (*time.Location, error) {
	if g.TZ == "" {
		// Without data there is no zone to read, and no month to place
		// in one: the command reports the missing data (or --as-of)
		// where it reads it.
		store, err := data.Open(g.Repo, g.Data)
		if err == nil && asOf != "" {
			err = store.At(asOf)
		}
		if err != nil {
			return time.UTC, nil
		}
		cfg, err := store.Config(g.Config)
		if err != nil {
			return nil, err
		}
		return cfg.Location()
	}
	return tzFlag(g.TZ)
}

// tzFlag is the time zone --tz names.
func tzFlag(tz string) (*time.Location, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("--tz %q: not a known time zone (want e.g. UTC or Europe/Berlin)", tz)
	}
	return loc, nil
}

// CLI is the command line: global flags and one struct per command.
type CLI struct {
	Globals

	Version kong.VersionFlag `help:"Print the version and exit."`

	Init    InitCmd    `cmd:"" help:"Create the data branch with gitdora.yml and the default alert rules."`
	Record  RecordCmd  `cmd:"" help:"Record a deployment or an incident on the data branch."`
	Ingest  IngestCmd  `cmd:"" help:"Store SARIF files or CI run records on the data branch."`
	Import  ImportCmd  `cmd:"" help:"Import recorded API responses or webhook payloads (GitHub, GitLab, PagerDuty, Opsgenie) into events."`
	Collect CollectCmd `cmd:"" help:"Write the normalised facts as CSV files for inspection."`
	Compute ComputeCmd `cmd:"" help:"Print the metrics of one or more months."`
	Report  ReportCmd  `cmd:"" help:"Write the monthly report as Markdown and HTML."`
	Site    SiteCmd    `cmd:"" help:"Build the static site: every month, trends, exports, feed."`
	Alerts  AlertsCmd  `cmd:"" help:"Evaluate the alert rules and print the firing alerts."`
	Explain ExplainCmd `cmd:"" help:"Print the rows behind one figure of a month."`
	Amend   AmendCmd   `cmd:"" help:"Correct fields of a recorded deployment or incident (a correction appended)."`
	Void    VoidCmd    `cmd:"" help:"Take a recorded deployment or incident out of every figure (a correction appended)."`
	Gate    GateCmd    `cmd:"" help:"Gate SARIF results as the security policy says for a context: fail (exit 3) on blocking severities."`
	Cfg     ConfigCmd  `cmd:"" name:"config" help:"Read or change gitdora.yml on the data branch (validated, one commit)."`
	Reindex ReindexCmd `cmd:"" help:"Write or rebuild the normalised findings of stored scans from their SARIF files (one commit)."`
	Demo    DemoCmd    `cmd:"" help:"Build an example repository and data branch, then its site."`
	Serve   ServeCmd   `cmd:"" help:"Preview a built site on a local address."`
	Org     OrgCmd     `cmd:"" help:"Roll many repositories up into an organisation's figures, or its site."`
}

// RecordCmd groups the event writers.
type RecordCmd struct {
	Deployment RecordDeploymentCmd `cmd:"" help:"Record a deployment."`
	Incident   RecordIncidentCmd   `cmd:"" help:"Record an incident."`
}

// IngestCmd groups the file ingesters.
type IngestCmd struct {
	Sarif IngestSarifCmd `cmd:"" help:"Store SARIF 2.1.0 files (gzip accepted)."`
	CI    IngestCICmd    `cmd:"" name:"ci" help:"Store GitHub Actions run JSON (a run with its jobs)."`
}

// kongExit carries kong's exit request (after --help or --version) out of Parse.
type kongExit int

// Run runs gitdora with args (without the program name), writing to stdout
// and stderr, and returns the exit code. main is a thin wrapper around it,
// and tests call it directly.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	var cli CLI
	cli.Stdout, cli.Stderr = stdout, stderr
	parser, err := kong.New(&cli,
		kong.Name("gitdora"),
		kong.Description("Monthly DORA and security-scan-impact reports from git history, CI runs and SARIF files."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { panic(kongExit(c)) }),
		kong.Vars{"version": versionString(), "demo_max_months": strconv.Itoa(demo.MaxMonths)},
		kong.UsageOnError(),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintf(stderr, "gitdora: internal error: %v\n", err)
		return exitError
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(kongExit)
			if !ok {
				panic(r)
			}
			if c != 0 {
				code = exitError
			}
		}
	}()
	// Kong reads arguments as text and would turn a byte that is not UTF-8
	// into U+FFFD, so that a ref, an id or a path stored would not be the
	// one given: refuse them instead.
	for i, a := range args {
		if !utf8.ValidString(a) {
			fmt.Fprintf(stderr, "gitdora: argument %d, %s, is not UTF-8 text (want UTF-8 arguments)\n", i+1, esc.Line(strconv.Quote(a)))
			return exitError
		}
	}
	ctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "gitdora: %s\n", esc.Line(err.Error()))
		return exitError
	}
	cli.Log = newLogger(&cli.Globals)
	err = inFlags(ctx.Run(&cli.Globals))
	// Through the logger, so --log-format json keeps stderr all JSON, and
	// escaped: one line per error (errors.Join gives several).
	for _, line := range errorLines(err) {
		cli.Log.Error(line)
	}
	return exitCode(err)
}

// errorLines are the messages of err, one per error it joins.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

func newLogger(g *Globals) *slog.Logger {
	level := slog.LevelInfo
	switch {
	case g.Verbose:
		level = slog.LevelDebug
	case g.Quiet:
		level = slog.LevelError
	}
	if g.LogFormat == "json" {
		// JSON escapes C0 controls itself; esc.JSON the rest a terminal
		// or a runner acts on (C1 controls, bidirectional overrides, ##[).
		return slog.New(slog.NewJSONHandler(esc.JSONWriter{W: g.Stderr}, &slog.HandlerOptions{Level: level, ReplaceAttr: flagAttr}))
	}
	return slog.New(&lineHandler{w: g.Stderr, level: level})
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
