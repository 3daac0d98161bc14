#!/bin/sh
# End-to-end benchmark of `crm-report report` on sample data sets made by
# `crm-report sample`, beside the pandas baseline (scripts/baseline_pandas.py):
#
#   S  10k customers /  50k follow-ups   xlsx and csv
#   M 100k customers / 500k follow-ups   xlsx and csv
#   L   1M customers /   5M follow-ups   csv (~760 MB; skipped unless BENCH_L=1)
#
# Each run is timed with /usr/bin/time -v (apt-get install time if missing);
# the table gives wall seconds and max RSS of the run with the median wall
# time: crm-report runs RUNS times (default 3; one run of a shared 2-core
# machine can be 20% off), pandas PANDAS_RUNS times (default 1: it takes
# minutes on L). The pandas baseline runs on the same files and checks that
# its core figures agree with summary.json.
#
# Usage: scripts/bench.sh [DIR]     (default DIR: /tmp/bench; data kept there)
# Env:   BENCH_L=1 adds L; SIZES="S M" picks sizes; NO_PANDAS=1 skips pandas;
#        RUNS=N and PANDAS_RUNS=N set the runs per measurement.
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

# median LABEL N CMD...: runs CMD N times (timed); prints "wall_s max_rss_mb"
# of the run with the median wall time. $dir/LABEL.time keeps the last run.
median() {
    label=$1 n=$2
    shift 2
    runs="$dir/$label.runs"
    : >"$runs"
    i=0
    while [ "$i" -lt "$n" ]; do
        timed "$label" "$@" >>"$runs" || return 1
        i=$((i + 1))
    done
    sort -n "$runs" | sed -n "$(((n + 1) / 2))p"
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
        set -- $(median "report-$size-$fmt" "${RUNS:-3}" "$bin" report "$data" -o "$out" --quiet --timings)
        wall=$1 rss=$2
        pwall=- prss=- ratio=-
        if [ "${NO_PANDAS:-0}" != 1 ]; then
            set -- $(median "pandas-$size-$fmt" "${PANDAS_RUNS:-1}" python3 "$root/scripts/baseline_pandas.py" \
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
echo "(medians of ${RUNS:-3} crm-report and ${PANDAS_RUNS:-1} pandas run(s); ratio = pandas wall / crm-report wall;"
echo " every run's wall and RSS in $dir/*.runs, the last run's stage timings in $dir/report-*.time)"
