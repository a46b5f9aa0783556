// Package arch holds the test of the house's floors: the table of
// docs/architecture.md, checked against the imports of every package.
package arch
