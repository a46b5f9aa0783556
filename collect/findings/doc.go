// Package findings writes and reads the normalised findings of a stored
// SARIF file (docs/data-branch.md, "Normalised findings"): what collect
// needs of each run (its tool, version, automation id, invocation times,
// artifacts, and every result's identity, severity, rule, file, line,
// CWEs, message, suppression and baseline state) and the notes the SARIF
// reader made, so that reading a scan never needs the SARIF again.
//
// The form is text, one finding a line, in a stable order with tables of
// rules, files and messages, so that git stores one night's file as a
// small delta of the night before; its first line names its format
// version (Version). Reading it back gives the same findings, in the same
// order, as reading the SARIF file: collect reads a SARIF file without a
// normalised one by normalising it in memory first.
//
// A normalised file comes from the data branch: Decode and Run.Set check
// everything they read and fail with an *Error naming the line.
package findings
