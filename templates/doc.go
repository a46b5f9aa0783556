// Package templates holds the report and page templates, embedded, and
// lets a folder given with --templates override any of them by name.
package templates
