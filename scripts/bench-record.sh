#!/usr/bin/env bash
# Benchmark of `gitdora record deployment`, one call at a time, onto a data
# branch that already holds 10,000 events (target: at most 50 ms per call,
# process start included). The same append done with git plumbing commands
# runs on the same repository for comparison.
#
#   scripts/bench-record.sh            # N=20 calls, EVENTS=10000, COMMITS=5000
#   N=10 COMMITS=300000 scripts/bench-record.sh   # a large repository
#   KEEP=1 scripts/bench-record.sh     # keep the generated repository
# shellcheck source=scripts/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
N=${N:-20}
EVENTS=${EVENTS:-10000}
COMMITS=${COMMITS:-5000}
if [ -n "${KEEP:-}" ]; then
  trap - EXIT
  echo "work dir: $tmp (kept)"
fi
repo=$tmp/repo
git init -q -b main "$repo"

# The code: $COMMITS commits, each changing one of 100 files.
awk -v n="$COMMITS" 'BEGIN {
  for (i = 1; i <= n; i++) {
    c = "change " i "\n"
    printf "commit refs/heads/main\ncommitter bench <bench@example.com> %d +0000\ndata %d\n%s", 1700000000 + i * 60, length(c), c
    printf "M 100644 inline f%d.txt\ndata %d\n%s\n", i % 100, length(c), c
  }
}' | git -C "$repo" fast-import --quiet
sha=$(git -C "$repo" rev-parse main)

# The data branch: $EVENTS deployments over 12 months of 2026, one orphan commit.
awk -v n="$EVENTS" 'BEGIN {
  srand(1)
  header = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n"
  for (i = 0; i < n; i++) {
    m = i % 12 + 1
    sha = ""
    for (k = 0; k < 5; k++) sha = sha sprintf("%08x", int(rand() * 4294967295))
    rows[m] = rows[m] sprintf("deploy-%d,2026-%02d-%02dT%02d:%02d:00Z,%s,production,success,%d,%d,false,0,%d,%d,0,bench\n", i, m, int(i / 12) % 28 + 1, i % 24, i % 60, sha, 30 + i % 300, 300 + i % 900, i % 3, i % 5)
  }
  printf "commit refs/heads/dora-data\ncommitter bench <bench@example.com> 1767225600 +0000\ndata 5\nseed\n"
  for (m = 1; m <= 12; m++) {
    body = header rows[m]
    printf "M 100644 inline events/deployments/2026-%02d.csv\ndata %d\n%s\n", m, length(body), body
  }
}' | git -C "$repo" fast-import --quiet
git -C "$repo" gc -q
rows=$(git -C "$repo" show dora-data:events/deployments/2026-06.csv | wc -l)
echo "repository: $COMMITS code commits, $EVENTS events on dora-data ($((rows - 1)) in 2026-06.csv), $(du -sh "$repo/.git" | cut -f1) in .git"

ms() { echo $(( ($2 - $1) / 1000000 )).$(( ($2 - $1) / 100000 % 10 )); }
stats() { sort -n | awk '{ a[NR] = $1; s += $1 } END { printf "mean %.1f ms, p50 %.1f ms, max %.1f ms over %d calls\n", s / NR, a[int((NR + 1) / 2)], a[NR], NR }'; }

for i in $(seq "$N"); do
  t0=$(date +%s%N)
  "$gitdora" -q --repo "$repo" record deployment --id "bench-$i" --sha "$sha" --at 2026-06-15T10:00:00Z --scan-seconds 42
  t1=$(date +%s%N)
  ms "$t0" "$t1"
done | stats | sed 's/^/gitdora record deployment: /'

# The same append with git plumbing (read the month's CSV, append a row,
# write blob, tree and commit, move the ref with the old value checked).
export GIT_INDEX_FILE=$tmp/index
for i in $(seq "$N"); do
  t0=$(date +%s%N)
  tip=$(git -C "$repo" rev-parse refs/heads/dora-data)
  git -C "$repo" read-tree "$tip"
  blob=$( { git -C "$repo" cat-file blob "$tip:events/deployments/2026-06.csv"; echo "git-$i,2026-06-15T10:00:00Z,$sha,production,success,42,,false,0,0,0,0,git"; } | git -C "$repo" hash-object -w --stdin)
  git -C "$repo" update-index --cacheinfo "100644,$blob,events/deployments/2026-06.csv"
  tree=$(git -C "$repo" write-tree)
  c=$(git -C "$repo" commit-tree "$tree" -p "$tip" -m "record deployment git-$i")
  git -C "$repo" update-ref refs/heads/dora-data "$c" "$tip"
  t1=$(date +%s%N)
  ms "$t0" "$t1"
done | stats | sed 's/^/git plumbing, same append:  /'
unset GIT_INDEX_FILE

/usr/bin/time -f "gitdora record deployment: peak RSS %M KB, %e s wall" \
  "$gitdora" -q --repo "$repo" record deployment --id bench-rss --sha "$sha" --at 2026-06-15T10:00:00Z
test "$(git -C "$repo" show dora-data:events/deployments/2026-06.csv | grep -c '^bench-')" = $((N + 1))
