package main

// asOfFlag is --as-of of the reading commands (compute, report, site,
// alerts, explain).
type asOfFlag struct {
	AsOf string `name:"as-of" placeholder:"REV" help:"Read the data branch as it was at this data commit (a hash, or a revision of the data branch such as dora-data~3), to rebuild a published report byte for byte."`
}
