#!/usr/bin/env bash
# Renders the sample report (and every per-rep page) in headless Chromium
# and fails on a JavaScript error, a console message (a CSP refusal is one)
# or a table sorter that does not sort. No DevTools protocol: a probe script
# is added to a copy of each page (first thing in <head>: record errors;
# last thing in <body>: click a sortable header, then write the verdict into
# the DOM), and the DOM Chromium dumps is searched for the verdict.
#
#   tests/screenshot.sh                 check the pages
#   tests/screenshot.sh --shots DIR     also save DIR/report-top.png
#
# Needs chromium (or $CHROMIUM); .ci/run calls it only when one is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

shots=""
if [[ "${1:-}" == "--shots" ]]; then
    shots="${2:?--shots needs a directory}"
fi
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$browser" ]]; then
    echo "screenshot.sh: no chromium found (set CHROMIUM); nothing checked" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run --release -q -- report sample_data/ -o "$work/out" --by-owner --quiet

chrome() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --virtual-time-budget=3000 "$@"
}

# The probe: errors are recorded from the start; at the end of <body> (after
# the page's own script) a numeric header is clicked twice and the verdict
# is written into <html data-probe="…">.
head_probe='<script>window.__errors=[];window.addEventListener("error",function(e){window.__errors.push(String(e.message))});</script>'
body_probe='<script>(function(){var v="ok";try{var th=document.querySelector("table.sortable th.num");if(th){th.click();th.click();if(th.getAttribute("aria-sort")!=="descending"){v="sorter did not sort";}}if(!document.querySelector("svg.chart")){v="no chart drawn";}}catch(e){window.__errors.push(String(e));}if(window.__errors.length){v="errors: "+window.__errors.join(" / ");}document.documentElement.setAttribute("data-probe",v);})();</script>'

failed=0
checked=0
for page in "$work/out/report.html" "$work/out/reps/"*.html; do
    probe="$work/probe.html"
    sed -e "s|<head>|<head>${head_probe}|" -e "s|</body>|${body_probe}</body>|" "$page" >"$probe"
    dom="$(chrome --enable-logging=stderr --v=0 --dump-dom "file://$probe" 2>"$work/stderr" || true)"
    verdict="$(grep -o 'data-probe="[^"]*"' <<<"$dom" | head -1 || true)"
    console="$(grep -E 'CONSOLE|Uncaught|Refused to' "$work/stderr" || true)"
    name="${page#"$work/out/"}"
    if [[ "$verdict" != 'data-probe="ok"' ]]; then
        echo "FAIL $name: ${verdict:-the probe never ran}" >&2
        failed=1
    elif [[ -n "$console" ]]; then
        echo "FAIL $name: console output:" >&2
        echo "$console" >&2
        failed=1
    else
        echo "ok   $name"
    fi
    checked=$((checked + 1))
done

if [[ -n "$shots" ]]; then
    mkdir -p "$shots"
    chrome --window-size=1300,1100 --screenshot="$shots/report-top.png" \
        "file://$work/out/report.html" 2>/dev/null
    echo "saved $shots/report-top.png"
fi

echo "$checked page(s) checked"
exit "$failed"
