#!/usr/bin/env bash
# Measures what reading years of nightly scans costs (issue 13): the curl
# 8.21.0 flawfinder log of ../shared/corpus (2.5 MB, 2,582 results)
# ingested once a night on a commit of its own, for one year (365 scans)
# and five years (1,825 scans), and one year with two more tools (semgrep
# and Fortify logs of the corpus: 1,095 scans), and one year with four
# pull-request scans a night beside the trunk's; then `compute --month`,
# `compute` of a year, `site` and `alerts` over each (targets: one year
# ≤ 0.3 s and ≤ 100 MB, site ≤ 1 s, alerts ≤ 0.5 s; five years within 1.5×
# of one year, peak RSS within 1.2×). It prints the data branch's growth
# per night with scans.keep_raw true and false, for the same log every
# night and for a log that changes a little every night, times the reading
# commands over one and five years of a log whose content differs every
# night, and the peak RSS of ingesting one generated 500 MB SARIF file
# (target ≤ 300 MB).
#
#   scripts/bench-nightly.sh                          # RUNS=3, YEARS="1 5", BIG=500M
#   RUNS=1 YEARS=1 BIG= scripts/bench-nightly.sh      # one year, no big file
#
# Each data branch is packed (git gc) once built, as a clone fetches it and
# as git's own gc leaves it: gitdora writes a night's few objects loose.
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
runs=${RUNS:-3}
years=${YEARS:-1 5}
big=${BIG-500M}

corpus=../shared/corpus/sarif
curl=$corpus/gen_flawfinder-2.0.19_curl-8.21.0.sarif
semgrep=$corpus/dd_semgrep-0.17_owasp-benchmark_1.7MB.sarif
fortify=$corpus/sdk_fortify-fpr_converted_2.9MB.sarif
if [ ! -f "$curl" ]; then
	echo "skipped: $corpus is absent (a clone without ../shared)"
	exit 0
fi

# nightly REPO NIGHTS KEEP CHANGE FILE...: a repository with one commit a
# night, the last on 2025-12-31, and its data branch with FILE... ingested
# each night for that night's commit at 02:00 UTC (the logs have no
# invocation times: --at is the scan time). KEEP is scans.keep_raw; with
# CHANGE set, night n's first log has its first result moved n % 50 lines
# (50 contents in turn), and with CHANGE=every also its second result
# moved n / 50 lines (a content of its own every night, as a code base
# that changes every day gives).
nightly() {
	local repo=$1 nights=$2 keep=$3 change=$4 i t first
	shift 4
	local end start
	end=$(date -u -d 2025-12-31T02:00:00Z +%s)
	start=$((end - (nights - 1) * 86400))
	git init -q -b main "$repo"
	for ((i = 0; i < nights; i++)); do
		printf 'commit refs/heads/main\ncommitter bench <bench@example.com> %d +0000\ndata 12\nnight %05d\n\n' $((start + i * 86400 - 3600)) "$i"
	done | git -C "$repo" fast-import --quiet
	if [ "$keep" = false ]; then
		"$gitdora" -q --repo "$repo" init >/dev/null
		"$gitdora" -q --repo "$repo" config set scans.keep_raw false >/dev/null
	fi
	i=0
	while read -r sha; do
		t=$(date -u -d "@$((start + i * 86400))" +%Y-%m-%dT%H:%M:%SZ)
		first=$1
		if [ "$change" = every ]; then
			first=$tmp/night.sarif
			sed -e "0,/\"startLine\": 32,/s//\"startLine\": $((32 + i % 50)),/" \
				-e "0,/\"startLine\": 324,/s//\"startLine\": $((324 + i / 50)),/" "$1" >"$first"
		elif [ -n "$change" ]; then
			first=$tmp/night.sarif
			sed "0,/\"startLine\": 32,/s//\"startLine\": $((32 + i % 50)),/" "$1" >"$first"
		fi
		"$gitdora" -q --repo "$repo" ingest sarif --sha "$sha" --ref main --at "$t" "$first" "${@:2}"
		i=$((i + 1))
	done < <(git -C "$repo" rev-list --reverse main)
	git -C "$repo" gc -q
}

# pulls REPO N: N pull-request scans a night beside the trunk's (nightly
# REPO …), an hour after it, for that night's commit and its own
# refs/pull/<night>/merge: the curl log with its first result moved
# (night × N + k) % 97 + 1 lines, so that most nights' differ.
pulls() {
	local repo=$1 n=$2 i=0 k t sha files start
	start=$(git -C "$repo" log -1 --format=%ct "$(git -C "$repo" rev-list --reverse main | head -n 1)")
	while read -r sha; do
		t=$(date -u -d "@$((start + 3600 + 3600 + i * 86400))" +%Y-%m-%dT%H:%M:%SZ)
		files=()
		for ((k = 0; k < n; k++)); do
			sed "0,/\"startLine\": 32,/s//\"startLine\": $((33 + (i * n + k) % 97)),/" "$curl" >"$tmp/pull$k.sarif"
			files+=("$tmp/pull$k.sarif")
		done
		"$gitdora" -q --repo "$repo" ingest sarif --sha "$sha" --ref "refs/pull/$((i + 1))/merge" --at "$t" "${files[@]}"
		i=$((i + 1))
	done < <(git -C "$repo" rev-list --reverse main)
	git -C "$repo" gc -q
}

# growth REPO NIGHTS: the data branch's bytes on disk (objects once
# packed, deltas included) per night.
growth() {
	git -C "$1" rev-list --objects dora-data | cut -d' ' -f1 |
		git -C "$1" cat-file --batch-check='%(objectsize:disk)' |
		awk -v n="$2" '{s += $1} END {printf "%.1f KB a night (%.1f MB in all)", s / n / 1024, s / 1e6}'
}

# records REPO: what git itself takes to list the scans of the data
# branch and read their records, the part of reading that grows with
# every scan stored.
records() {
	git -C "$1" ls-tree -r dora-data scans/ | awk '$4 ~ /\.json$/ {print $3}' | git -C "$1" cat-file --batch
}
export -f records

# reading LABEL REPO: the reading commands over the year 2025.
reading() {
	measure "$1: compute --month 2025-12" "$runs" "$gitdora" -q --repo "$2" compute --month 2025-12
	measure "$1: compute --from 2025-01 --to 2025-12" "$runs" "$gitdora" -q --repo "$2" compute --from 2025-01 --to 2025-12 --format json
	measure "$1: site" "$runs" "$gitdora" -q --repo "$2" site --out "$tmp/site"
	measure "$1: alerts" "$runs" "$gitdora" -q --repo "$2" alerts --at 2025-12-31
	# shellcheck disable=SC2016 # $0 is bash -c's first argument, the repository
	measure "$1: git ls-tree, cat-file of the records" "$runs" bash -c 'records "$0"' "$2"
}

for y in $years; do
	nightly "$tmp/y$y" $((365 * y)) true "" "$curl"
	reading "$y year(s), $((365 * y)) scans" "$tmp/y$y"
done
nightly "$tmp/tools" 365 true "" "$curl" "$semgrep" "$fortify"
reading "1 year, 3 tools, 1,095 scans" "$tmp/tools"

nightly "$tmp/pulls" 365 true "" "$curl"
pulls "$tmp/pulls" 4
reading "1 year, 4 pull-request scans a night, 1,825 scans" "$tmp/pulls"

nightly "$tmp/lean" 365 false "" "$curl"
nightly "$tmp/moving" 365 true yes "$curl"
nightly "$tmp/moving-lean" 365 false yes "$curl"
echo "data branch growth, the same log each night, keep_raw: true:    $(growth "$tmp/y${years%% *}" $((365 * ${years%% *})))"
echo "data branch growth, the same log each night, keep_raw: false:   $(growth "$tmp/lean" 365)"
echo "data branch growth, a log that changes, keep_raw: true:         $(growth "$tmp/moving" 365)"
echo "data branch growth, a log that changes, keep_raw: false:        $(growth "$tmp/moving-lean" 365)"
echo "data branch growth, 3 tools, keep_raw: true:                    $(growth "$tmp/tools" 365)"
reading "1 year, a log that changes" "$tmp/moving"
# A content of its own every night: no two nights' findings are one set.
for y in $years; do
	nightly "$tmp/every$y" $((365 * y)) true every "$curl"
	reading "$y year(s), a log that differs every night" "$tmp/every$y"
done

if [ -n "$big" ]; then
	go run ./internal/cmd/gensarif -size "$big" -dense -out "$tmp/big.sarif"
	git init -q -b main "$tmp/bigrepo"
	git -C "$tmp/bigrepo" commit -q --allow-empty -m code
	echo 0 >"$tmp/run"
	ingest_big() {
		local n
		n=$(($(cat "$tmp/run") + 1))
		echo "$n" >"$tmp/run"
		"$gitdora" -q --repo "$tmp/bigrepo" --data "data-$n" ingest sarif --ref main "$tmp/big.sarif"
	}
	export -f ingest_big
	export tmp gitdora
	BYTES=$(wc -c <"$tmp/big.sarif") measure "ingest sarif, one $big file" "$runs" bash -c ingest_big
fi
