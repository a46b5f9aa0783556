// Package workflows checks the GitHub workflows and the composite action
// that users copy (.github/workflows/*.yml, action.yml) with actionlint.
// It holds tests only.
package workflows
