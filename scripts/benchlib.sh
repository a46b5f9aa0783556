# Shared by scripts/bench-*.sh: a temporary folder, the gitdora binary
# built from this checkout, a quiet git identity, and `measure`.
# shellcheck shell=bash
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
go build -o "$tmp/gitdora" ./cmd/gitdora
export gitdora=$tmp/gitdora

# measure LABEL RUNS COMMAND...: runs COMMAND RUNS times (stdout and stderr
# discarded) and prints the fastest and median wall time and the largest
# peak RSS (wall time from bash, peak RSS from GNU time); with BYTES set, also the throughput
# at the median. The median and the peak RSS (MB) are left in $tmp/median.
measure() {
	local label=$1 runs=$2 t=$tmp/times.$RANDOM
	shift 2
	local start rss
	for _ in $(seq "$runs"); do
		# Wall time to the microsecond from bash (GNU time's %e has
		# centiseconds: too coarse for runs of a few tens of ms).
		start=$EPOCHREALTIME
		/usr/bin/time -o "$t.rss" -f "%M" "$@" >/dev/null 2>&1
		rss=$(tail -n 1 "$t.rss")
		echo "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}') $rss" >>"$t"
	done
	sort -n "$t" | awk -v label="$label" -v bytes="${BYTES:-0}" -v last="$tmp/median" '
		{ wall[NR] = $1; if ($2 > rss) rss = $2 }
		END {
			med = wall[int((NR + 1) / 2)]
			print med, rss / 1024 > last
			printf "%-44s min %6.3f s  median %6.3f s  peak RSS %4d MB  (%d runs)", label, wall[1], med, rss / 1024, NR
			if (bytes > 0) printf "  %.1f MB, %.0f MB/s", bytes / 1e6, bytes / 1e6 / med
			printf "\n"
		}'
}
