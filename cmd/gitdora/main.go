// Command gitdora turns git history, CI runs and SARIF files into monthly
// DORA and security-scan-impact reports. See README.md.
package main

import (
	"os"

	_ "time/tzdata" // --tz works on machines without a zoneinfo database
)

func main() { os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr)) }
