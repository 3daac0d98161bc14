#!/bin/sh
# End-to-end benchmark of `crm-report report` on sample data sets made by
# `crm-report sample`, beside the pandas baseline (scripts/baseline_pandas.py):
#
#   S  10k customers /  50k follow-ups   xlsx and csv
#   M 100k customers / 500k follow-ups   xlsx and csv
#   L   1M customers /   5M follow-ups   csv (~760 MB; skipped unless BENCH_L=1)
#
# Each run is timed with /usr/bin/time -v (apt-get install time if missing);
# the table gives wall seconds and max RSS. The pandas baseline runs on the
# same files and checks that its core figures agree with summary.json.
#
# Usage: scripts/bench.sh [DIR]     (default DIR: /tmp/bench; data kept there)
# Env:   BENCH_L=1 adds L; SIZES="S M" picks sizes; NO_PANDAS=1 skips pandas.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/bench}
bin="$root/target/release/crm-report"
sizes=${SIZES:-"S M"}
[ "${BENCH_L:-0}" = 1 ] && sizes="$sizes L"
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
(cd "$root" && cargo build --release --quiet)

customers() { case $1 in S) echo 10000 ;; M) echo 100000 ;; L) echo 1000000 ;; esac; }
formats() { case $1 in L) echo csv ;; *) echo "xlsx csv" ;; esac; }

# timed LABEL CMD...: runs CMD, prints "wall_s max_rss_mb" of it.
timed() {
    log="$dir/$1.time"
    shift
    nice -n 5 /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { tail -5 "$log" >&2; return 1; }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    echo "$wall $((rss / 1024))"
}

printf '%-4s %-5s %10s %10s %10s %10s %8s\n' size fmt wall_s rss_mb pandas_s pd_rss_mb ratio
for size in $sizes; do
    for fmt in $(formats "$size"); do
        data="$dir/$size-$fmt"
        if [ ! -d "$data" ]; then
            "$bin" sample -o "$data" --customers "$(customers "$size")" \
                --followups-per-customer 5 --format "$fmt" >/dev/null
        fi
        out="$dir/out-$size-$fmt"
        set -- $(timed "report-$size-$fmt" "$bin" report "$data" -o "$out" --quiet --timings)
        wall=$1 rss=$2
        pwall=- prss=- ratio=-
        if [ "${NO_PANDAS:-0}" != 1 ]; then
            set -- $(timed "pandas-$size-$fmt" python3 "$root/scripts/baseline_pandas.py" \
                "$data" "$out/summary.json")
            pwall=$1 prss=$2
            ratio=$(awk -v a="$pwall" -v b="$wall" 'BEGIN { printf "%.2f", a / b }')
            if grep -q DIFFER "$dir/pandas-$size-$fmt.time.out"; then
                echo "$size $fmt: pandas and summary.json disagree:" >&2
                grep DIFFER "$dir/pandas-$size-$fmt.time.out" >&2
            fi
        fi
        printf '%-4s %-5s %10s %10s %10s %10s %8s\n' "$size" "$fmt" "$wall" "$rss" "$pwall" "$prss" "$ratio"
    done
done
echo "(ratio = pandas wall / crm-report wall; per-stage timings in $dir/report-*.time)"
