// Package alert owns alert rules (docs/alerts.md): the checking of rules before
// anything is evaluated, and their evaluation over daily windows of the
// metrics. The rules file and the condition language are parsed by package
// config; alert gives the parser compute's metric names.
//
// Evaluation points are the ends of days (midnight) in the --tz zone. As of
// an instant at, the last point is the end of the last complete day at or
// before at (so --at 2026-03-15, the end of that day, evaluates March 15).
// At each point the metrics of a rule are computed over the trailing
// window (default: the rule's for duration); a window of whole days is
// whole calendar days. A rule fires when its condition held at every point
// of the last `for` (ceil(for / 24h) points); since is the first day of the
// unbroken run of days on which it held. A metric without data satisfies no
// comparison; change_pct(m, w) compares m over the last w with m over the w
// before, and has no value when the earlier one is missing or zero.
//
// Like package compute, alert does no I/O and reads no clock: the instant
// to evaluate at and the metric values arrive as arguments.
package alert
