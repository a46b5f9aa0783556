// Package sarif reads SARIF 2.1.0 logs as a stream of tokens and
// normalises every run into what gitdora computes from: the tool, its
// results with a rule id, a level and a severity (docs/metrics.md, "Findings"), a CWE, a
// normalised artifact URI, a fingerprint that makes a finding's identity,
// and whether the result is suppressed; plus the run's invocation times,
// automationDetails.id and the artifacts it covers.
//
// A log is never held in memory whole: only the current run's rules,
// base URIs and compact results are kept until the run ends (members of a
// run may come in any order, so results can only be resolved then).
//
// Real tools write SARIF that breaks the schema. What can be read is read,
// and each oddity is reported once as a Note with its JSON path and count.
// Only input that is not SARIF 2.1.0 JSON at all (invalid JSON, SARIF 1.0,
// a runs or results member that is not an array) is an *Error.
//
// The package reads; it knows nothing of the data branch or of finding
// lifecycles.
package sarif
