// Package demo makes the example behind `gitdora demo`: a team's year of
// work, planned from a seed, then written as a git repository (the code
// history, by internal/gen through go-git) with a dora-data branch filled
// through the same calls `gitdora record` and `gitdora ingest` make
// (data.Store.Update with Tx.AppendDeployment and Tx.AppendIncident;
// ingest.CheckSARIF/StageSARIF and CheckCI/StageCI over SARIF and
// GitHub Actions run JSON the plan writes).
//
// The calendar is fixed: the demo always covers the Months calendar months
// that end with December 2025 (UTC), so what it builds never depends on the
// day it runs, and every period of it has ended. The same Options give the
// same repository, data branch and figures, byte for byte.
//
// A Plan also knows what gitdora must find in what it wrote (Plan.Expect):
// deployment counts, change failure rate, time to restore, finding
// episodes and scans per month, derived from the plan itself, so tests can
// compare them with what the real pipeline computes.
//
// The package plans and writes; it does not compute metrics or render.
package demo
