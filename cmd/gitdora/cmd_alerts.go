package main

// AlertsCmd is `gitdora alerts`.
type AlertsCmd struct {
	Rules   string `placeholder:"FILE" help:"YAML file of alert rules (default: alerts of gitdora.yml, else the built-in rules)."`
	At      string `placeholder:"DATE" help:"Evaluate as of this day or time (default: now)."`
	JSON    bool   `name:"json" help:"Print the firing alerts as JSON."`
	Webhook string `placeholder:"URL" help:"Post a Slack-compatible payload of the firing alerts to this URL."`
	FailOn  string `enum:",warning,critical" default:"" placeholder:"SEVERITY" help:"Exit 3 when an alert of this severity or worse fires: warning or critical."`
	Export  string `enum:",prometheus" default:"" help:"Print the rules in another format instead: prometheus."`
}

// Help shows an example.
func (c *AlertsCmd) Help() string {
	return "Examples:\n  gitdora alerts --fail-on critical\n  gitdora alerts --json --webhook $SLACK_WEBHOOK_URL\n  gitdora alerts --export prometheus > gitdora-rules.yml\n\nExit codes: 0 no alert at or above --fail-on, 1 error, 3 alerts firing."
}

// Run evaluates the rules.
func (c *AlertsCmd) Run(g *Globals) error { return errNotImplemented }
