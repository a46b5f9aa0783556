#!/usr/bin/env bash
# Measures whole `gitdora collect` runs over SARIF on a plain-directory
# data store (issue 4): the two flawfinder scans of curl from
# ../shared/corpus (6.1 MB, 6,255 results; target ≤ 0.08 s, sarif-tools
# takes 1.6 s), and generated 500 MB logs, one with code flows (~2.5 KB per
# result) and one dense (~1 KB per result; target ≤ 250 MB peak RSS each).
#
#   scripts/bench-sarif.sh              # RUNS=5, SIZE=500M
#   SIZE=100M RUNS=3 scripts/bench-sarif.sh
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
runs=${RUNS:-5}
size=${SIZE:-500M}

git init -q -b main "$tmp/repo"
git -C "$tmp/repo" commit -q --allow-empty -m code
sha=$(git -C "$tmp/repo" rev-parse HEAD)
store() { # DIR AT FILE: ingest FILE into the plain directory DIR, scanned at AT
	mkdir -p "$1"
	"$gitdora" -q --repo "$tmp/repo" --data "$1" ingest sarif --sha "$sha" --ref main --at "$2" "$3"
}

corpus=../shared/corpus/sarif
if [ -f "$corpus/gen_flawfinder-2.0.19_curl-7.88.1.sarif" ]; then
	store "$tmp/curl" 2026-01-05T10:00:00Z "$corpus/gen_flawfinder-2.0.19_curl-7.88.1.sarif"
	store "$tmp/curl" 2026-02-05T10:00:00Z "$corpus/gen_flawfinder-2.0.19_curl-8.21.0.sarif"
	measure "collect, curl 7.88.1 + 8.21.0 (6.1 MB)" "$((runs * 4))" "$gitdora" -q --repo "$tmp/repo" --data "$tmp/curl" collect --out "$tmp/out"
else
	echo "skipped the curl scans: $corpus is absent (a clone without ../shared)"
fi

for kind in flows dense; do
	flag=""
	[ "$kind" = dense ] && flag=-dense
	go run ./internal/cmd/gensarif -size "$size" $flag -out "$tmp/$kind.sarif"
	store "$tmp/$kind" 2026-01-05T10:00:00Z "$tmp/$kind.sarif"
	rm "$tmp/$kind.sarif"
	bytes=$(find "$tmp/$kind/scans" -name '*.sarif' -exec stat -c %s {} + | awk '{s += $1} END {print s}')
	BYTES=$bytes measure "collect, $size generated log ($kind)" "$runs" "$gitdora" -q --repo "$tmp/repo" --data "$tmp/$kind" collect --out "$tmp/out"
	rm -rf "${tmp:?}/$kind"
done
