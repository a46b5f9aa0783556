package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/esc"
)

// lineHandler writes log records for people: "gitdora: warning: msg key=value".
// Errors carry no level word: they are the final "gitdora: message" a
// failed command prints. The message, keys and values are escaped
// (esc.Line): a record is one line, whatever text it carries.
type lineHandler struct {
	mu    sync.Mutex
	w     io.Writer
	level slog.Level
	attrs []slog.Attr
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("gitdora: ")
	if r.Level >= slog.LevelWarn && r.Level < slog.LevelError {
		b.WriteString("warning: ")
	}
	b.WriteString(esc.Line(r.Message))
	write := func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%s", esc.Line(a.Key), esc.Line(flagAttr(nil, a).Value.Resolve().String()))
		return true
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(write)
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &lineHandler{w: h.w, level: h.level, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *lineHandler) WithGroup(string) slog.Handler { return h }

// flagAttr words an error logged by the layers below as inFlags words
// the one a command returns: its inputs as flags. Other values pass.
func flagAttr(_ []string, a slog.Attr) slog.Attr {
	if v := a.Value.Resolve(); v.Kind() == slog.KindAny {
		if err, ok := v.Any().(error); ok && err != nil {
			a.Value = slog.StringValue(fact.Word(err, flagOf))
		}
	}
	return a
}
