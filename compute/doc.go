// Package compute holds pure functions from collected facts to metrics:
// percentiles, the DORA metrics of a period, scan overhead, finding
// lifecycles and MTTR, classification, targets and alert evaluation.
//
// compute does no I/O: no files, no git, no network, no clock. Every
// input arrives as an argument, so the same facts give the same numbers.
// It imports only the standard library and the leaf packages fact,
// config, policy and internal/owasp (deps_test.go checks it); its errors
// name values, not flags.
package compute
