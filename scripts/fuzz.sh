#!/usr/bin/env bash
# Fuzz crm-core's readers and normalizers with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Runs each target (default: all of them, one after another) for SECONDS
# (default 300) with -rss_limit_mb=2048, growing fuzz/corpus/<target>/ and
# saving crashes to fuzz/artifacts/<target>/. Prints one summary line per
# target: executions, libFuzzer's final coverage (cov:) and features (ft:),
# corpus size, and crashes (new artifact files). Full logs go to
# fuzz/logs/<target>.log (not committed).
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). It works on the stable
# toolchain: RUSTC_BOOTSTRAP=1 lets it pass the nightly-only flags. Builds go
# to $CARGO_TARGET_DIR when set (else fuzz/target). Set FUZZ_SANITIZER to
# `address` for ASan (default `none`: the code is safe Rust, and without it
# libFuzzer runs several times more inputs). Runs under `nice -n 10`.
# Before committing, keep the corpus small (a few MB in all) by keeping only
# inputs that add edge coverage, with the built binary:
#   mkdir /tmp/min && $BIN/<target> -merge=1 -use_counters=0 /tmp/min corpus/<target>
# then replace corpus/<target> by /tmp/min (plus the seed-* files).
# Seeds are (re)written by fuzz/seeds.py.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-300}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(csv_read xlsx_read date amount phone industry header)
fi
sanitizer="${FUZZ_SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1
target_dir_args=()
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
    target_dir_args=(--target-dir "$CARGO_TARGET_DIR")
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
    exit 2
fi

mkdir -p logs
# Build every target once, then run the binaries directly: an edit to the
# sources during a long session then cannot break or change a later target.
nice -n 10 cargo fuzz build -O -s "$sanitizer" "${target_dir_args[@]}"
host=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="${CARGO_TARGET_DIR:-$PWD/target}/$host/release"

summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(find "artifacts/$t" -type f | wc -l)
    log="logs/$t.log"
    # -timeout: an input that takes over 10 s is a hang, saved as a timeout.
    nice -n 10 "$bin_dir/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 >"$log" 2>&1 || true
    after=$(find "artifacts/$t" -type f | wc -l)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: [0-9]+' | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    corp=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*')
    line=$(printf '%-10s execs=%s cov=%s ft=%s corpus=%s time=%ss crashes=%s' \
        "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$seconds" "$((after - before))")
    echo "$line"
    summary+=("$line")
done
echo "---"
printf '%s\n' "${summary[@]}"
