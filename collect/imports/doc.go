// Package imports reads what teams already have recorded elsewhere: API
// responses and webhook payloads of GitHub, GitLab, PagerDuty and
// Opsgenie, as `gh api`, `glab api`, `curl` or a webhook relay saved them
// (docs/import.md). It turns them into neutral records a writer maps
// straight onto gitdora's events: deployments, incidents, pull requests
// and CI runs.
//
// Parse reads one file for one source (ReadFile opens it first, within a
// size limit). It detects the shape of what it
// is given (a single object, an array, pages one after another or
// slurped into an array of arrays, the wrappers the APIs put around
// lists, a webhook payload) and refuses, with the JSON path and what was
// expected, anything that is not a response or payload of that source:
// a recording wrapper, a payload of another source, a value out of
// bounds. Records of a source that are deliberately not imported (a
// draft release, a deployment still pending) are listed as skipped, with
// the reason.
//
// Combine folds the pieces of several files into whole records: a
// deployment with its statuses, a pull request with its commits and
// reviews, a pipeline with its jobs, and several versions of one record
// into one, the version updated last winning. Cycle computes the
// cycle-time Stages of a pull request.
//
// Each record keeps its upstream id, its updated_at (the version) and
// the importer's name as Source. A zero time means "not yet" or "not
// known from this record", never a moment.
//
// The package reads bytes; it knows nothing of the data branch.
package imports
