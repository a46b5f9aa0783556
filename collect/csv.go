package collect

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// Headers of the facts CSVs of `gitdora collect` (docs/metrics.md, "The
// facts behind the figures"): the contract columns first, then more.
var (
	DeploymentsHeader = []string{"id", "time", "sha", "environment", "status", "source", "changes",
		"baseline", "scan_seconds", "scan_seconds_from", "pipeline_seconds", "gate_blocked", "critical", "high", "medium", "low",
		"service", "production"}
	ChangesHeader = []string{"sha", "deployment_id", "author", "authored", "committed", "lead_time_seconds", "counted",
		"subject", "revert", "reverts", "started_by", "service", "teams", "touched"}
	IncidentsHeader = []string{"id", "opened", "resolved", "severity", "category", "deployment_id", "attribution",
		"environment", "production", "commit", "fixed_by", "cwe", "title", "service"}
)

// WriteDeploymentsCSV writes deployments under DeploymentsHeader.
func WriteDeploymentsCSV(w io.Writer, ds []fact.Deployment) error {
	return writeCSV(w, DeploymentsHeader, len(ds), func(i int) []string {
		d := &ds[i]
		return []string{d.ID, stamp(d.Time), d.SHA, d.Environment, string(d.Status), string(d.Source), strconv.Itoa(d.Changes),
			strconv.FormatBool(d.Baseline), optNum(d.ScanSeconds), d.ScanSecondsFrom, optNum(d.PipelineSeconds), strconv.FormatBool(d.GateBlocked),
			strconv.Itoa(d.Critical), strconv.Itoa(d.High), strconv.Itoa(d.Medium), strconv.Itoa(d.Low),
			strings.Join(d.Services, listSep), strconv.FormatBool(d.Production)}
	})
}

// WriteChangesCSV writes changes under ChangesHeader.
func WriteChangesCSV(w io.Writer, cs []fact.Change) error {
	return writeCSV(w, ChangesHeader, len(cs), func(i int) []string {
		c := &cs[i]
		return []string{c.SHA, c.DeploymentID, c.Author, stamp(c.Authored), stamp(c.Committed),
			seconds(c.LeadTime), string(c.Counted), c.Subject, strconv.FormatBool(c.Revert), c.Reverts, c.StartedBy,
			strings.Join(c.Services, listSep), strings.Join(c.Teams, listSep), strconv.FormatBool(c.Touched)}
	})
}

// WriteIncidentsCSV writes incidents under IncidentsHeader.
func WriteIncidentsCSV(w io.Writer, is []fact.Incident) error {
	return writeCSV(w, IncidentsHeader, len(is), func(i int) []string {
		in := &is[i]
		resolved := ""
		if in.Resolved != nil {
			resolved = stamp(*in.Resolved)
		}
		return []string{in.ID, stamp(in.Opened), resolved, string(in.Severity), string(in.Category), in.DeploymentID, string(in.Attribution),
			in.Environment, strconv.FormatBool(in.Production), in.Commit, in.FixedBy, in.CWE, in.Title, in.Service}
	})
}

func writeCSV(w io.Writer, header []string, n int, row func(int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := cw.Write(row(i)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// stamp writes t in RFC 3339 in the zone it was given in.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// listSep joins the services and teams of a facts CSV field.
const listSep = ";"

// seconds writes d in seconds, exactly: whole seconds without a point,
// else with the nanoseconds that are not zero.
func seconds(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	s, ns := int64(d/time.Second), int64(d%time.Second)
	if ns == 0 {
		return sign + strconv.FormatInt(s, 10)
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", ns), "0")
	return sign + strconv.FormatInt(s, 10) + "." + frac
}

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// PullsHeader is the header of pulls.csv: the pull and merge requests the
// facts hold (imported, corrected), for an organisation's cycle time.
var PullsHeader = []string{"id", "number", "opened", "ready", "first_commit", "first_review", "approved", "merged", "merge_sha", "head_sha", "author", "draft", "source"}

// WritePullsCSV writes pulls under PullsHeader.
func WritePullsCSV(w io.Writer, ps []fact.Pull) error {
	return writeCSV(w, PullsHeader, len(ps), func(i int) []string {
		p := &ps[i]
		return []string{p.ID, strconv.FormatInt(p.Number, 10), stamp(p.Opened), stamp(p.Ready), stamp(p.FirstCommit),
			stamp(p.FirstReview), stamp(p.Approved), stamp(p.Merged), p.MergeSHA, p.HeadSHA, p.Author, strconv.FormatBool(p.Draft), p.Source}
	})
}
