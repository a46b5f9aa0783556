// Package site holds the static assets of the published site (CSS,
// favicon, small JS) and assembles the site folder atomically.
package site
