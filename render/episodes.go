package render

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/gitdora/gitdora/compute"
)

// EpisodeHeader is the header of episodes.csv (the contract columns
// first, then more); episodeRow gives an episode's fields under it.
var EpisodeHeader = []string{"tool", "rule_id", "fingerprint", "severity", "first_seen", "fixed_at",
	"state", "suppressed_at", "last_seen", "uri", "line", "cwe", "category", "first_scan", "fixed_scan"}

// WriteEpisodesCSV writes h's episodes to w as episodes.csv: EpisodeHeader,
// then one row per episode, by first seen.
func WriteEpisodesCSV(w io.Writer, h *compute.History) error {
	cw := csv.NewWriter(w)
	cw.Write(EpisodeHeader)
	row := make([]string, 0, len(EpisodeHeader)) // reused: csv.Writer does not keep it
	for _, e := range h.Episodes() {
		row = episodeRow(row[:0], e)
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// episodeRow appends the episode's fields under EpisodeHeader to row.
func episodeRow(row []string, e compute.Episode) []string {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	line := ""
	if e.Line > 0 {
		line = strconv.Itoa(e.Line)
	}
	return append(row, e.Tool, e.RuleID, e.Fingerprint, string(e.Severity), e.FirstSeen.Format(time.RFC3339Nano), at(e.FixedAt),
		e.State(), at(e.SuppressedAt), e.LastSeen.Format(time.RFC3339Nano), e.URI, line, e.CWE, e.Category, e.FirstScan, e.FixedScan)
}
