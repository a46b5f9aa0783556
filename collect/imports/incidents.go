package imports

import (
	"encoding/json"
	"strings"
	"time"
)

// priorityLevel maps a P1–P5 priority to a severity: P1 critical, P2
// high, P3 medium, P4 and P5 low; "" for any other.
func priorityLevel(p string) string {
	switch strings.ToUpper(strings.TrimSpace(p)) {
	case "P1":
		return "critical"
	case "P2":
		return "high"
	case "P3":
		return "medium"
	case "P4", "P5":
		return "low"
	}
	return ""
}

// pdSeverity is a PagerDuty incident's severity: from its priority (an
// object named P1–P5) when it has one, else from its urgency.
func (p *parser) pdSeverity(d obj) string {
	if pr, ok := d.child("priority"); ok {
		name := pr.str("summary")
		if name == "" {
			name = pr.str("name")
		}
		if s := priorityLevel(name); s != "" {
			return s
		}
		p.note(d.at("priority"), "priority %s is not one of P1–P5: severity from urgency", clip(name))
	}
	switch u := d.lower("urgency"); u {
	case "high", "low":
		return u
	case "":
		return ""
	default:
		p.note(d.at("urgency"), "urgency %s is neither high nor low", clip(u))
		return ""
	}
}

// pdState maps a PagerDuty status.
func (p *parser) pdState(d obj) (string, bool) {
	switch s := d.lower("status"); s {
	case "triggered", "acknowledged":
		return Open, true
	case "resolved":
		return Resolved, true
	default:
		if p.r.err == nil {
			p.r.fail(d.at("status"), "want triggered, acknowledged or resolved, got %s", clip(s))
		}
		return "", false
	}
}

// pdIncident reads an incident of the REST API. Its resolved_at is
// missing in older responses: a resolved incident's last status change
// is then when it was resolved.
func (p *parser) pdIncident(d obj) {
	d.need("id")
	d.need("created_at")
	in := Incident{ID: d.id("id"), Number: d.id("incident_number"), Title: d.title("title"), Opened: d.time("created_at"), Source: p.source}
	in.Severity = p.pdSeverity(d)
	resolved := d.time("resolved_at")
	changed := d.time("last_status_change_at")
	in.Updated = latest(d.time("updated_at"), changed, in.Opened)
	state, ok := p.pdState(d)
	if !ok || p.r.err != nil {
		return
	}
	in.State = state
	if state == Resolved {
		in.Resolved = resolved
		if in.Resolved.IsZero() {
			in.Resolved = changed
		}
		if in.Resolved.IsZero() {
			p.note(d.path, "resolved, but the record does not say when")
		}
	}
	p.b.Incidents = append(p.b.Incidents, in)
}

// pdWebhook reads a v3 webhook payload. The incident's data carries its
// state after the event; occurred_at is when the event happened, so it is
// the opening time of incident.triggered (older payloads have no
// created_at) and the resolution time of incident.resolved.
func (p *parser) pdWebhook(o obj) {
	ev, _ := o.child("event")
	ev.need("occurred_at")
	typ := ev.lower("event_type")
	at := ev.time("occurred_at")
	d, ok := ev.child("data")
	if p.r.err != nil {
		return
	}
	if !ok || ev.lower("resource_type") != "incident" || d.s("type") != "incident" {
		p.skip(ev.path, "a PagerDuty %s event, whose data is no incident", clip(typ))
		return
	}
	d.need("id")
	in := Incident{ID: d.id("id"), Number: d.id("number"), Title: d.title("title"), Opened: d.time("created_at"), Updated: at, Source: p.source}
	in.Severity = p.pdSeverity(d)
	resolved := d.time("resolved_at")
	state, ok := p.pdState(d)
	if !ok || p.r.err != nil {
		return
	}
	in.State = state
	if in.Opened.IsZero() && typ == "incident.triggered" {
		in.Opened = at
	}
	if state == Resolved {
		in.Resolved = resolved
		if in.Resolved.IsZero() && typ == "incident.resolved" {
			in.Resolved = at
		}
	}
	p.b.Incidents = append(p.b.Incidents, in)
}

// ogSeverity reads an Opsgenie priority: "P1"–"P5", or 1–5 in some
// webhook payloads.
func (p *parser) ogSeverity(o obj) string {
	v := o.m["priority"]
	var name string
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		name = v
	case json.Number:
		name = "P" + string(v)
	}
	if s := priorityLevel(name); s != "" {
		return s
	}
	p.note(o.at("priority"), "priority %s is not one of P1–P5: severity unknown", kindOf(v))
	return ""
}

// ogIncident reads an incident of the REST API: opened when its impact
// started (else when created), resolved when its impact ended (else at
// its last update).
func (p *parser) ogIncident(o obj) {
	o.need("id")
	o.need("createdAt")
	in := Incident{ID: o.id("id"), Number: o.id("tinyId"), Title: o.title("message"), Source: p.source}
	created := o.time("createdAt")
	start, end := o.time("impactStartDate"), o.time("impactEndDate")
	updated := o.time("updatedAt")
	in.Severity = p.ogSeverity(o)
	status := o.lower("status")
	if p.r.err != nil {
		return
	}
	in.Opened = start
	if in.Opened.IsZero() {
		in.Opened = created
	}
	in.Updated = latest(updated, created, end)
	switch status {
	case "open":
		in.State = Open
	case "resolved", "closed":
		in.State, in.Resolved = Resolved, end
		if end.IsZero() {
			in.Resolved = updated
			p.note(o.path, "%s without impactEndDate: resolved at its last update", status)
		}
	default:
		p.r.fail(o.at("status"), "want open, resolved or closed, got %s", clip(status))
		return
	}
	p.b.Incidents = append(p.b.Incidents, in)
}

// ogAlert reads an alert of the REST API: closed at creation + its
// report's closeTime (milliseconds), else at its last update.
func (p *parser) ogAlert(o obj) {
	o.need("id")
	o.need("createdAt")
	in := Incident{ID: o.id("id"), Number: o.id("tinyId"), Title: o.title("message"), Opened: o.time("createdAt"), Source: p.source}
	updated := o.time("updatedAt")
	in.Severity = p.ogSeverity(o)
	status := o.lower("status")
	var closeMS int64
	var hasClose bool
	if rep, ok := o.child("report"); ok {
		closeMS, hasClose = rep.integer("closeTime")
	}
	if p.r.err != nil {
		return
	}
	in.Updated = latest(updated, in.Opened)
	switch status {
	case "open":
		in.State = Open
	case "closed", "resolved":
		in.State = Resolved
		if hasClose && closeMS > 0 {
			in.Resolved = in.Opened.Add(time.Duration(closeMS) * time.Millisecond)
		} else {
			in.Resolved = updated
			p.note(o.path, "closed without report.closeTime: resolved at its last update")
		}
		if err := inBounds(in.Resolved, p.r.now); err != nil {
			p.r.fail(o.at("report"), "%v", err)
			return
		}
	default:
		p.r.fail(o.at("status"), "want open or closed, got %s", clip(status))
		return
	}
	p.b.Incidents = append(p.b.Incidents, in)
}

// ogWebhook reads an alert webhook payload: Create opens the alert,
// Close resolves it at its updatedAt, Acknowledge and UnAcknowledge leave
// it open; other actions (notes, tags, owners) say nothing of its state.
func (p *parser) ogWebhook(o obj) {
	action := o.str("action")
	a, _ := o.child("alert")
	a.need("alertId")
	a.need("createdAt")
	in := Incident{ID: a.id("alertId"), Number: a.id("tinyId"), Title: a.title("message"), Opened: a.time("createdAt"), Source: p.source}
	updated := a.time("updatedAt")
	in.Severity = p.ogSeverity(a)
	if p.r.err != nil {
		return
	}
	in.Updated = latest(updated, in.Opened)
	switch strings.ToLower(action) {
	case "create", "acknowledge", "unacknowledge":
		in.State = Open
	case "close":
		in.State, in.Resolved = Resolved, in.Updated
	case "delete":
		p.skip(o.at("action"), "alert deleted")
		return
	}
	p.b.Incidents = append(p.b.Incidents, in)
}
