package render

import "flag"

// update is -update: rewrite the golden files under testdata/ and the
// generated metric table of docs/alerts.md. The one definition of the
// flag for the package's tests, inside and outside the package.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ and the metric table of docs/alerts.md")

func updating() bool { return *update }

// Updating reports -update, for the tests of package render_test.
func Updating() bool { return *update }
