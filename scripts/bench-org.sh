#!/usr/bin/env bash
# Measures `gitdora org --facts` over the facts of 1,000 generated
# repositories (24 months; 100 deployments and 2,000 changes each: two
# million changes and 100,000 deployments in all), as a CI matrix's
# roll-up job reads them. Target: at most 5 s and 1 GB.
#
#   scripts/bench-org.sh                 # REPOS=1000, RUNS=3
#   REPOS=200 RUNS=1 scripts/bench-org.sh
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
repos=${REPOS:-1000}
runs=${RUNS:-3}

go run ./internal/cmd/genfacts -repos "$repos" -months 24 -last 2025-12 -deployments 100 -changes 20 -out "$tmp/facts"
du -sh "$tmp/facts" | awk '{print "facts on disk: " $1}'
measure "gitdora org --facts, json (24 months)" "$runs" "$gitdora" -q org --facts "$tmp/facts" --from 2024-01 --to 2025-12 --format json
read -r t rss <"$tmp/median"
awk -v t="$t" -v rss="$rss" 'BEGIN { printf "median %.3f s, peak RSS %d MB (target at most 5 s and 1024 MB)\n", t, rss }'
measure "gitdora org --facts --out (the site)" 1 "$gitdora" -q org --facts "$tmp/facts" --out "$tmp/site"
