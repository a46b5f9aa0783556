package render

import (
	"fmt"

	"github.com/gitdora/gitdora/compute"
)

// linkRows makes the value of each summary row a link to the rows behind
// it on the page of the month's rows.
func linkRows(rows []summaryRow, month string) {
	for i := range rows {
		if key, ok := compute.MetricKey(rows[i].name); ok {
			rows[i].Value = "[" + rows[i].Value + "](" + ExplainHref(month, key) + ")"
		}
	}
}

// correctionsText says how many records of the month corrections amended
// and voided.
func correctionsText(amended, voided int) string {
	records := func(n int) string {
		if n == 1 {
			return "1 record"
		}
		return fmt.Sprintf("%d records", n)
	}
	switch {
	case amended == 0 && voided == 0:
		return "no record of this month was amended or voided."
	case voided == 0:
		return fmt.Sprintf("%s of this month amended (gitdora amend); the figures use the amended values.", records(amended))
	case amended == 0:
		return fmt.Sprintf("%s of this month voided (gitdora void); they count nowhere.", records(voided))
	}
	return fmt.Sprintf("%s of this month amended and %d voided (gitdora amend, void): the figures use the amended values and leave the voided ones out.", records(amended), voided)
}
