#!/usr/bin/env bash
# Measures `gitdora ingest sarif` of 1,000 generated SARIF files (~56 MB)
# in one call onto a fresh data branch (issue 2; target ≥ 50 MB/s).
#
#   scripts/bench-ingest.sh             # RUNS=5, COUNT=1000, SIZE=56K
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
runs=${RUNS:-5}
count=${COUNT:-1000}
size=${SIZE:-56K}

go run ./internal/cmd/gensarif -count "$count" -size "$size" -every 1h -out "$tmp/scans"
bytes=$(cat "$tmp"/scans/*.sarif | wc -c)
git init -q -b main "$tmp/repo"
git -C "$tmp/repo" commit -q --allow-empty -m code
# Each run ingests onto a data branch of its own that does not exist yet.
echo 0 >"$tmp/run"
ingest() {
	local n
	n=$(($(cat "$tmp/run") + 1))
	echo "$n" >"$tmp/run"
	"$gitdora" -q --repo "$tmp/repo" --data "data-$n" ingest sarif --ref main "$tmp"/scans/*.sarif
}
export -f ingest
export tmp
BYTES=$bytes measure "ingest sarif, $count files in one call" "$runs" bash -c ingest
git -C "$tmp/repo" ls-tree -r --name-only data-1 | grep -c '\.sarif$' | awk '{print "SARIF files on the first run'"'"'s data branch: " $1}'
git -C "$tmp/repo" rev-list --count data-1 | awk '{print "commits on it: " $1}'
