// Package readme holds the tests that keep README.md true: its two
// commands work in a fresh clone (the run command builds the demo site,
// the test command is what CI runs), its gitdora.yml reference is the
// default file, and it names every alert metric, workflow and benchmark
// script. It has no code of its own.
package readme
