//go:build unix

package collect

const isUnix = true
