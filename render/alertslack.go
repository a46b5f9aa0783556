package render

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gitdora/gitdora/compute/alert"
)

// Slack's limits: blocks per message, characters per header and section.
const (
	slackMaxBlocks  = 50
	slackMaxHeader  = 150
	slackMaxSection = 3000
)

type slackText struct {
	Type string `json:"type"` // plain_text or mrkdwn
	Text string `json:"text"`
}

type slackBlock struct {
	Type     string      `json:"type"` // header, section, context, divider
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackPayload struct {
	Text   string       `json:"text"` // the notification text, and the fallback
	Blocks []slackBlock `json:"blocks"`
}

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(alertOneLine(s))
}

func slackTruncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// AlertSlack is the Slack-compatible payload of the firing alerts: a
// `text` for notifications and clients without blocks, and `blocks`: a
// header, one section per alert (most severe first) and a context line.
func AlertSlack(res alert.Result) ([]byte, error) {
	counts := map[string]int{}
	for _, f := range res.Firing {
		counts[f.Rule.Severity]++
	}
	var bySev []string
	for i := len(alert.Severities) - 1; i >= 0; i-- {
		if n := counts[alert.Severities[i]]; n > 0 {
			bySev = append(bySev, fmt.Sprintf("%d %s", n, alert.Severities[i]))
		}
	}
	title := "gitdora: no alert firing"
	if len(res.Firing) > 0 {
		title = fmt.Sprintf("gitdora: %s firing (%s)", plural(len(res.Firing), "alert", "alerts"), strings.Join(bySev, ", "))
	}
	p := slackPayload{
		Text:   fmt.Sprintf("%s as of %s", title, alertAsOf(res)),
		Blocks: []slackBlock{{Type: "header", Text: &slackText{"plain_text", slackTruncate(title, slackMaxHeader)}}},
	}
	shown := res.Firing
	if room := slackMaxBlocks - 3; len(shown) > room { // header, "more", context
		shown = shown[:room]
	}
	for _, f := range shown {
		text := fmt.Sprintf("%s *%s* · `%s` · since %s\n%s\n`%s` — rule `%s`",
			slackIcon(f.Rule.Severity), f.Rule.Severity, slackEscape(f.Rule.Name), f.Since.Format("2006-01-02"),
			slackEscape(f.Rule.Message), slackEscape(alertValues(f)), slackEscape(alertRuleText(f.Rule)))
		p.Blocks = append(p.Blocks, slackBlock{Type: "section", Text: &slackText{"mrkdwn", slackTruncate(text, slackMaxSection)}})
	}
	if more := len(res.Firing) - len(shown); more > 0 {
		p.Blocks = append(p.Blocks, slackBlock{Type: "section", Text: &slackText{"mrkdwn", fmt.Sprintf("…and %d more: run `gitdora alerts` for all of them.", more)}})
	}
	p.Blocks = append(p.Blocks, slackBlock{Type: "context", Elements: []slackText{{"mrkdwn",
		slackEscape(fmt.Sprintf("As of %s; %s evaluated.", alertAsOf(res), plural(res.Rules, "rule", "rules")))}}})
	return json.Marshal(p)
}

func slackIcon(s string) string {
	switch s {
	case alert.Critical:
		return ":red_circle:"
	case alert.Warning:
		return ":large_orange_circle:"
	}
	return ":large_blue_circle:"
}
