// Package app runs gitdora's reading commands (collect, compute, report,
// site, alerts) as ordered stages over typed requests: load the data
// branch and its configuration, gather the facts, prepare the history,
// compute the periods, fill their alerts, build the views and write them.
// It owns what the commands share: the trend window, which month is
// partial, the alerts of each month. The command line (cmd/gitdora)
// parses flags into a request and names flags in errors; the packages
// below receive typed values.
package app
