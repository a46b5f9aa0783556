#!/usr/bin/env bash
# Measures services on a large monorepo: `gitdora compute --from --to`
# over its last 24 months, with three services by path (all deployed by
# v* tags), against the two git commands that read as much: the paths
# each commit of those months changes against its first parent, and the
# whole history's graph. Target: gitdora at most 2x their sum.
#
#   scripts/bench-services.sh            # 100,000 commits, 2,000 release tags
#   COMMITS=20000 RELEASES=400 RUNS=1 scripts/bench-services.sh
#
# The repository (internal/gen's monorepo layout: services/, web/, libs/,
# docs/, tools/, infra/; commits of one to five files; merges) is
# generated into a temporary folder and removed after.
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
commits=${COMMITS:-100000}
releases=${RELEASES:-2000}
runs=${RUNS:-3}

go run ./internal/cmd/genrepo -monorepo -commits "$commits" -releases "$releases" -per-day 100 -out "$tmp/repo"
repo=$tmp/repo
git -C "$repo" commit-graph write --reachable
last=$(git -C "$repo" for-each-ref --sort=-creatordate --count=1 --format='%(creatordate:format-local:%Y-%m)' 'refs/tags/v*')
first=$(date -u -d "$last-01 -23 months" +%Y-%m)
since="$first-01T00:00:00Z"
cat >"$tmp/gitdora.yml" <<YAML
services:
  - name: api
    paths: ["services/api/**", "libs/common/**", "libs/proto/**"]
  - name: web
    paths: ["web/**", "libs/common/**"]
  - name: billing
    paths: ["services/billing/**", "libs/proto/**"]
YAML
echo "repository: $commits commits, $releases release tags; months $first to $last"

measure "git log --name-only (24 months)" "$runs" git -C "$repo" log --all --no-renames --name-only --diff-merges=first-parent --since="$since"
read -r namesT _ <"$tmp/median"
measure "git log --all --format" "$runs" git -C "$repo" log --all --format='%H %P %at %ct'
read -r graphT _ <"$tmp/median"
measure "gitdora compute (repository, services)" "$runs" "$gitdora" --repo "$repo" --config "$tmp/gitdora.yml" -q compute --from "$first" --to "$last" --format json
read -r repoT _ <"$tmp/median"
measure "gitdora compute --service api" "$runs" "$gitdora" --repo "$repo" --config "$tmp/gitdora.yml" -q compute --service api --from "$first" --to "$last" --format json
read -r apiT _ <"$tmp/median"
awk -v n="$namesT" -v g="$graphT" -v r="$repoT" -v a="$apiT" 'BEGIN {
	printf "git sum %.3f s; gitdora / git: repository %.2fx, --service api %.2fx (target at most 2x)\n", n + g, r / (n + g), a / (n + g)
}'
