package config

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Expr is a parsed condition: an *Or, an *And or a *Compare.
type Expr interface {
	// String writes the condition back, fully parenthesised where it joins.
	String() string
	expr()
}

// Or holds when either side holds.
type Or struct{ L, R Expr }

// And holds when both sides hold. It binds tighter than Or.
type And struct{ L, R Expr }

// Compare is `<operand> <op> <number>`.
type Compare struct {
	Operand Operand
	Op      string  // <, <=, >, >=, ==, !=
	Value   float64 // the number
	Number  string  // the number as written
}

// Operand is a metric, or the percent change of a metric against the
// window before (change_pct).
type Operand struct {
	Metric string        // a metric name (of those ParseCondition was given)
	Change time.Duration // > 0 for change_pct(Metric, Change)
	Window string        // the window of change_pct as written, e.g. 7d
}

// Ops are the comparison operators of conditions.
var Ops = []string{"<", "<=", ">", ">=", "==", "!="}

func (e *Or) String() string  { return "(" + e.L.String() + " or " + e.R.String() + ")" }
func (e *And) String() string { return "(" + e.L.String() + " and " + e.R.String() + ")" }
func (e *Compare) String() string {
	return e.Operand.String() + " " + e.Op + " " + e.Number
}

// String writes the operand as a condition does.
func (o Operand) String() string {
	if o.Change > 0 {
		w := o.Window
		if w == "" {
			w = FormatDuration(o.Change)
		}
		return "change_pct(" + o.Metric + ", " + w + ")"
	}
	return o.Metric
}

func (*Or) expr()      {}
func (*And) expr()     {}
func (*Compare) expr() {}

// Compares lists the comparisons of e from left to right.
func Compares(e Expr) []*Compare {
	switch e := e.(type) {
	case *Or:
		return append(Compares(e.L), Compares(e.R)...)
	case *And:
		return append(Compares(e.L), Compares(e.R)...)
	case *Compare:
		return []*Compare{e}
	}
	return nil
}

// CondError is a mistake in a condition at a column (from 1, in characters).
type CondError struct {
	Column int
	Msg    string
	// Unknown is the word that is not a metric, when that is the mistake
	// (the caller may say where the metrics are listed).
	Unknown string
}

func (e *CondError) Error() string { return fmt.Sprintf("column %d: %s", e.Column, e.Msg) }

// ParseCondition reads a condition: comparisons `<metric> <op> <number>`
// where a metric is one of metrics or change_pct(<metric>, <duration>),
// joined with and / or (and binds tighter) and grouped with parentheses.
// An error is a *CondError.
func ParseCondition(cond string, metrics []string) (Expr, error) {
	toks, err := lex(cond)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, metrics: metrics}
	if p.peek().kind == tEOF {
		return nil, &CondError{Column: 1, Msg: "the condition is empty (want e.g. deployments_per_day < 1)"}
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tClose {
			return nil, &CondError{Column: t.col, Msg: "unexpected ) without a matching ("}
		}
		return nil, &CondError{Column: t.col, Msg: fmt.Sprintf("unexpected %s after a complete comparison (join comparisons with and / or)", t)}
	}
	return e, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tOp
	tOpen
	tClose
	tComma
)

type token struct {
	kind tokKind
	text string
	col  int
}

func (t token) String() string {
	if t.kind == tEOF {
		return "the end of the condition"
	}
	return strconv.Quote(t.text)
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lex splits a condition into words (names, numbers, durations),
// operators and punctuation, with the column each starts at.
func lex(s string) ([]token, error) {
	var out []token
	col := func(i int) int { return utf8.RuneCountInString(s[:i]) + 1 }
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, token{tOpen, "(", col(i)})
			i++
		case c == ')':
			out = append(out, token{tClose, ")", col(i)})
			i++
		case c == ',':
			out = append(out, token{tComma, ",", col(i)})
			i++
		case c == '<' || c == '>' || c == '=' || c == '!':
			j := i
			for j < len(s) && strings.IndexByte("<>=!", s[j]) >= 0 {
				j++
			}
			out = append(out, token{tOp, s[i:j], col(i)})
			i = j
		case isWordByte(c) || (c == '-' || c == '+') && i+1 < len(s) && (isDigit(s[i+1]) || s[i+1] == '.'):
			// A word that starts like a number (1, .5, -1, -.5) may have a
			// signed exponent: 1e-3, .5e+3, -1e-3.
			num := isDigit(c) || c == '.' || c == '-' || c == '+'
			j := i + 1
			for j < len(s) && (isWordByte(s[j]) || num && (s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			out = append(out, token{tWord, s[i:j], col(i)})
			i = j
		case c == '&' || c == '|':
			return nil, &CondError{Column: col(i), Msg: fmt.Sprintf("unexpected %q (join comparisons with and / or)", c)}
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return nil, &CondError{Column: col(i), Msg: fmt.Sprintf("unexpected character %q", r)}
		}
	}
	return append(out, token{tEOF, "", utf8.RuneCountInString(s) + 1}), nil
}

type parser struct {
	toks    []token
	i       int
	metrics []string
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) keyword(t token, kw string) bool {
	return t.kind == tWord && strings.EqualFold(t.text, kw)
}

func (p *parser) or() (Expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword(p.peek(), "or") {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &Or{l, r}
	}
	return l, nil
}

func (p *parser) and() (Expr, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.keyword(p.peek(), "and") {
		p.next()
		r, err := p.primary()
		if err != nil {
			return nil, err
		}
		l = &And{l, r}
	}
	return l, nil
}

func (p *parser) primary() (Expr, error) {
	t := p.peek()
	if t.kind == tOpen {
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tClose {
			return nil, &CondError{Column: c.col, Msg: fmt.Sprintf("expected ) to close the ( at column %d, found %s", t.col, c)}
		}
		return e, nil
	}
	return p.compare()
}

func (p *parser) compare() (Expr, error) {
	o, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.next()
	if t.kind != tOp {
		return nil, &CondError{Column: t.col, Msg: fmt.Sprintf("expected an operator (%s) after %s, found %s", strings.Join(Ops, " "), o, t)}
	}
	if !validOp(t.text) {
		hint := ""
		switch t.text {
		case "=":
			hint = " (did you mean ==?)"
		case "=<":
			hint = " (did you mean <=?)"
		case "=>":
			hint = " (did you mean >=?)"
		}
		return nil, &CondError{Column: t.col, Msg: fmt.Sprintf("bad operator %q (want one of %s)%s", t.text, strings.Join(Ops, " "), hint)}
	}
	n := p.next()
	v, err := strconv.ParseFloat(n.text, 64)
	if n.kind != tWord || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, &CondError{Column: n.col, Msg: fmt.Sprintf("expected a number after %s, found %s", t.text, n)}
	}
	return &Compare{Operand: o, Op: t.text, Value: v, Number: n.text}, nil
}

func validOp(op string) bool {
	for _, o := range Ops {
		if op == o {
			return true
		}
	}
	return false
}

func (p *parser) operand() (Operand, error) {
	t := p.next()
	if p.keyword(t, "change_pct") && p.peek().kind == tOpen {
		open := p.next()
		m, err := p.metric(p.next())
		if err != nil {
			return Operand{}, err
		}
		if c := p.next(); c.kind != tComma {
			return Operand{}, &CondError{Column: c.col, Msg: fmt.Sprintf("expected , and a window after change_pct(%s, found %s", m, c)}
		}
		w := p.next()
		if w.kind != tWord {
			return Operand{}, &CondError{Column: w.col, Msg: fmt.Sprintf("expected a window such as 7d in change_pct, found %s", w)}
		}
		d, err := ParseDuration(w.text)
		if err != nil {
			return Operand{}, &CondError{Column: w.col, Msg: err.Error()}
		}
		if d <= 0 {
			return Operand{}, &CondError{Column: w.col, Msg: "the window of change_pct must be longer than 0"}
		}
		if c := p.next(); c.kind != tClose {
			return Operand{}, &CondError{Column: c.col, Msg: fmt.Sprintf("expected ) to close change_pct( at column %d, found %s", open.col, c)}
		}
		return Operand{Metric: m, Change: d.D(), Window: w.text}, nil
	}
	m, err := p.metric(t)
	return Operand{Metric: m}, err
}

func (p *parser) metric(t token) (string, error) {
	if t.kind != tWord || isDigit(t.text[0]) || t.text[0] == '-' || t.text[0] == '+' || t.text[0] == '.' {
		return "", &CondError{Column: t.col, Msg: fmt.Sprintf("expected a metric name, found %s", t)}
	}
	if p.keyword(t, "and") || p.keyword(t, "or") {
		return "", &CondError{Column: t.col, Msg: fmt.Sprintf("expected a metric name, found %s", t)}
	}
	if !slices.Contains(p.metrics, t.text) {
		msg := fmt.Sprintf("unknown metric %q", t.text)
		if s := closest(t.text, p.metrics); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return "", &CondError{Column: t.col, Msg: msg, Unknown: t.text}
	}
	return t.text, nil
}

// closest is the metric name nearest to s, if one is near enough to be
// what was meant.
func closest(s string, metrics []string) string {
	best, bestD := "", 1<<30
	for _, m := range metrics {
		d := editDistance(strings.ToLower(s), m)
		if strings.HasPrefix(m, strings.ToLower(s)) && len(s) >= 4 {
			d = min(d, 2)
		}
		if d < bestD {
			best, bestD = m, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
