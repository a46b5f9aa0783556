#!/usr/bin/env bash
# Measures `gitdora compute` over a whole generated history against
# `git log --all` on the same repository, in one run: wall time and peak
# RSS (GNU time), without and with a commit-graph file.
#
#   scripts/bench-history.sh            # 100,000 commits, 2,000 release tags
#   COMMITS=20000 RELEASES=400 RUNS=1 scripts/bench-history.sh
#
# The repository is generated into a temporary folder and removed after.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${COMMITS:-100000}
releases=${RELEASES:-2000}
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/gitdora" ./cmd/gitdora
go run ./internal/cmd/genrepo -commits "$commits" -releases "$releases" -per-day 100 -out "$tmp/repo"
repo=$tmp/repo
first=$(git -C "$repo" for-each-ref --sort=creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
last=$(git -C "$repo" for-each-ref --sort=-creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
echo "repository: $commits commits, $releases release tags, $first to $last"

measure() { # label command...
	local label=$1
	shift
	/usr/bin/time -f "$label %e s wall, %U s user, %M KB peak RSS" "$@" >/dev/null 2>>"$tmp/times"
	tail -1 "$tmp/times"
}

for graph in without with; do
	if [ "$graph" = with ]; then
		git -C "$repo" commit-graph write --reachable
	fi
	echo "== $graph a commit-graph file"
	for _ in $(seq "$runs"); do
		measure "git log --all          " git -C "$repo" log --all --format='%H %P %at %ct'
		measure "gitdora compute        " "$tmp/gitdora" --repo "$repo" -q compute --from "$first" --to "$last" --format json
	done
done
