package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/esc"
)

// MonthJSON writes one month as the object docs/metrics.md defines (`gitdora compute
// --month M --format json`), indented, keys in a fixed order.
func MonthJSON(w io.Writer, m compute.Month) error { return writeJSON(w, m) }

// MonthsJSON writes {"schema_version": 1, "months": [...]} (`gitdora
// compute --from --to --format json`).
func MonthsJSON(w io.Writer, months []compute.Month) error {
	out := struct {
		SchemaVersion int             `json:"schema_version"`
		Months        []compute.Month `json:"months"`
	}{compute.SchemaVersion, months}
	if out.Months == nil {
		out.Months = []compute.Month{}
	}
	return writeJSON(w, out)
}

// writeJSON writes v indented by two spaces, with a final newline.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// DottedCSV writes one row per month whose columns are the JSON keys of
// docs/metrics.md flattened with dots (lead_time.p50_hours). targets[] becomes
// targets.<metric>.{op,target,value,met}; alerts[] becomes one column
// of the firing alert names, separated by ";". The columns are the union
// over the months, in the order they first appear; null is an empty cell.
// Every cell is escaped (esc.Cell): names from outside (an
// organisation's, alert rules', SARIF tools') end no line, act on no
// terminal and start no spreadsheet formula.
func DottedCSV(w io.Writer, months []compute.Month) error {
	var cols []string
	seen := map[string]bool{}
	rows := make([]map[string]string, len(months))
	for i := range months {
		row, order, err := flatten(&months[i])
		if err != nil {
			return err
		}
		rows[i] = row
		for _, k := range order {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	cw := csv.NewWriter(w)
	head := make([]string, len(cols))
	for j, c := range cols {
		head[j] = esc.Cell(c)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, row := range rows {
		rec := make([]string, len(cols))
		for j, c := range cols {
			rec[j] = esc.Cell(row[c])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// flatten turns a month into dotted keys and their values, in the order
// of its JSON.
func flatten(m *compute.Month) (map[string]string, []string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]string{}
	var order []string
	put := func(k, v string) {
		if _, ok := out[k]; !ok {
			order = append(order, k)
		}
		out[k] = v
	}
	// Walk the JSON with the key order of its encoding (a map would lose it).
	var walk func(prefix string, raw json.RawMessage) error
	walk = func(prefix string, raw json.RawMessage) error {
		raw = bytes.TrimSpace(raw)
		switch {
		case len(raw) > 0 && raw[0] == '{':
			keys, vals, err := objectInOrder(raw)
			if err != nil {
				return err
			}
			for i, k := range keys {
				if err := walk(join(prefix, k), vals[i]); err != nil {
					return err
				}
			}
		case len(raw) > 0 && raw[0] == '[':
			return nil // targets and alerts are written below
		default:
			put(prefix, scalar(raw))
		}
		return nil
	}
	if err := walk("", b); err != nil {
		return nil, nil, err
	}
	for _, t := range m.Targets {
		p := "targets." + t.Metric + "."
		put(p+"op", t.Op)
		put(p+"target", strconv.FormatFloat(t.Target, 'g', -1, 64))
		v, met := "", ""
		if t.Value != nil {
			v = strconv.FormatFloat(*t.Value, 'g', -1, 64)
		}
		if t.Met != nil {
			met = strconv.FormatBool(*t.Met)
		}
		put(p+"value", v)
		put(p+"met", met)
	}
	names := make([]string, len(m.Alerts))
	for i, a := range m.Alerts {
		names[i] = a.Name
	}
	put("alerts", strings.Join(names, ";"))
	return out, order, nil
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// objectInOrder splits a JSON object into its keys and raw values, in order.
func objectInOrder(raw []byte) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k, ok := t.(string)
		if !ok {
			return nil, nil, fmt.Errorf("object key %v", t)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	return keys, vals, nil
}

// scalar is a JSON scalar as a CSV cell: strings unquoted, null empty.
func scalar(raw []byte) string {
	s := string(raw)
	switch {
	case s == "null":
		return ""
	case strings.HasPrefix(s, `"`):
		var v string
		if json.Unmarshal(raw, &v) == nil {
			return v
		}
	}
	return s
}

// Table writes a compact table of the headline metrics, one row per
// month, for a terminal; a metric without data reads n/a.
func Table(w io.Writer, months []compute.Month) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tdeploys\tper day\tblocked\tchanges\tlead p50\tlead p95\tscan ovh\tCFR\tTTR p50\trework\tclass\t")
	for i := range months {
		m := &months[i]
		df := m.DeploymentFrequency
		class := "n/a"
		if m.Classification.Overall != nil {
			class = *m.Classification.Overall
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			m.Month, df.Successful, df.Total, num(df.PerDay, 2, ""), df.Blocked, m.LeadTime.Changes,
			num(m.LeadTime.P50Hours, 1, " h"), num(m.LeadTime.P95Hours, 1, " h"), num(m.LeadTime.ScanOverheadPct, 1, " %"),
			pct(m.ChangeFailureRate.Rate), num(m.TimeToRestore.P50Hours, 1, " h"), pct(m.ReworkRate), class)
	}
	return tw.Flush()
}

func num(v *float64, prec int, unit string) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', prec, 64) + unit
}

func pct(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + " %"
}
