#!/usr/bin/env bash
# Measures `gitdora site` over 60 months with about 10,000 deployments and
# 100,000 findings (issue 5; target ≤ 2 s wall, ≤ 300 MB peak RSS), and, on
# the same data, `gitdora compute` over all months and `git log --all`.
#
#   scripts/bench-site.sh               # RUNS=3
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
runs=${RUNS:-3}

# Code: 30,000 commits over the five years before now, a release tag every
# third commit (the deployments: there are no events, so tags are the
# source). The history ends before now: ingest refuses scans of the future.
start=$(date -u -d "$(date -u +%Y-%m-01) -58 months" +%Y-%m-%dT09:00:00Z)
go run ./internal/cmd/genrepo -commits 30000 -releases 10000 -per-day 24 -start "$start" -out "$tmp/repo"
first=$(git -C "$tmp/repo" for-each-ref --sort=creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
last=$(git -C "$tmp/repo" for-each-ref --sort=-creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
# Scans: 1,000 nightly-ish dense logs of ~100 results each, 43 h apart,
# ending in the last month of the history.
go run ./internal/cmd/gensarif -count 1000 -size 100K -dense -every 43h -end "${last}-01T10:20:00Z" -out "$tmp/scans"
"$gitdora" -q --repo "$tmp/repo" ingest sarif --ref main "$tmp"/scans/*.sarif
rm -rf "$tmp/scans"
"$gitdora" -q --repo "$tmp/repo" compute --from "$first" --to "$last" --format json |
	awk '/"month":/ {m++} /"successful":/ {gsub(/[^0-9]/, ""); d += $0} END {print m " months, " d " successful deployments"}'
"$gitdora" -q --repo "$tmp/repo" collect --out "$tmp/facts" && echo "$(($(wc -l <"$tmp/facts/findings.csv") - 1)) findings"

measure "site, all months" "$runs" "$gitdora" -q --repo "$tmp/repo" site --out "$tmp/public"
measure "compute --from --to, json" "$runs" "$gitdora" -q --repo "$tmp/repo" compute --from "$first" --to "$last" --format json
# What git itself takes to read what every command reads first: the
# history, and the release tags (loose files, as a checkout that fetched
# them leaves them).
measure "git log --all" "$runs" git -C "$tmp/repo" log --all --format='%H %P %at %ct'
measure "git for-each-ref refs/tags" "$runs" git -C "$tmp/repo" for-each-ref --format='%(objectname) %(refname)' refs/tags
