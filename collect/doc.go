// Package collect mines the facts gitdora computes from: the git history
// of the code repository (read through internal/git), deployments
// from events, CI runs or tags, the change set of every deployment,
// incidents and their attribution, SARIF scans and their findings, and CI
// run records. It reads; it computes no metric (that is package compute).
package collect
