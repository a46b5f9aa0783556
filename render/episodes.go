package render

import (
	"io"
	"strconv"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/csvrow"
)

// EpisodeHeader is the header of episodes.csv (the contract columns
// first, then more); episodeRow gives an episode's fields under it.
var EpisodeHeader = []string{"tool", "rule_id", "fingerprint", "severity", "first_seen", "fixed_at",
	"state", "suppressed_at", "last_seen", "uri", "line", "cwe", "category", "first_scan", "fixed_scan"}

// WriteEpisodesCSV writes h's episodes to w as episodes.csv: EpisodeHeader,
// then one row per episode, by first seen. A row makes no garbage: half
// a million rows would double the heap the history takes while they are
// written.
func WriteEpisodesCSV(w io.Writer, h *compute.History) error {
	var row csvrow.Row
	row.Strings(EpisodeHeader)
	if err := row.End(w); err != nil {
		return err
	}
	var text []byte // reused for the fields made of times and numbers
	at := func(t *time.Time) {
		text = text[:0]
		if t != nil {
			text = t.AppendFormat(text, time.RFC3339Nano)
		}
		row.Bytes(text)
	}
	for e := range h.EpisodeRows() {
		row.String(e.Tool)
		row.String(e.RuleID)
		row.String(e.Fingerprint)
		row.String(string(e.Severity))
		at(&e.FirstSeen)
		at(e.FixedAt)
		row.String(e.State())
		at(e.SuppressedAt)
		at(&e.LastSeen)
		row.String(e.URI)
		text = text[:0]
		if e.Line > 0 {
			text = strconv.AppendInt(text, int64(e.Line), 10)
		}
		row.Bytes(text)
		row.String(e.CWE)
		row.String(e.Category)
		row.String(e.FirstScan)
		row.String(e.FixedScan)
		if err := row.End(w); err != nil {
			return err
		}
	}
	return nil
}
