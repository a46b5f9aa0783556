#!/usr/bin/env bash
# Measures `gitdora compute` over a whole generated history against
# `git log --all` on the same repository, in one run: wall time and peak
# RSS (GNU time), without and with a commit-graph file.
#
#   scripts/bench-history.sh            # 100,000 commits, 2,000 release tags
#   COMMITS=20000 RELEASES=400 RUNS=1 scripts/bench-history.sh
#
# The repository is generated into a temporary folder and removed after.
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
commits=${COMMITS:-100000}
releases=${RELEASES:-2000}
runs=${RUNS:-3}

go run ./internal/cmd/genrepo -commits "$commits" -releases "$releases" -per-day 100 -out "$tmp/repo"
repo=$tmp/repo
first=$(git -C "$repo" for-each-ref --sort=creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
last=$(git -C "$repo" for-each-ref --sort=-creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
echo "repository: $commits commits, $releases release tags, $first to $last"

for graph in without with; do
	if [ "$graph" = with ]; then
		git -C "$repo" commit-graph write --reachable
	fi
	echo "== $graph a commit-graph file"
	measure "git log --all" "$runs" git -C "$repo" log --all --format='%H %P %at %ct'
	measure "gitdora compute --from --to, json" "$runs" "$gitdora" --repo "$repo" -q compute --from "$first" --to "$last" --format json
done
