#!/bin/sh
# Makes the committed binary fixtures of tests/fixtures/ again. They need
# LibreOffice (soffice), which CI does not have, so they are made once, here,
# and committed; the tests only read them. Needs: cargo, soffice, python3.
#
#   customers.xls   BIFF8 (Excel 97–2003), by LibreOffice's "MS Excel 97"
#                   filter from the xlsx that rust_xlsxwriter writes in
#                   tests/ingest_fixtures.rs (write_customer_book_source)
#   customers.ods   the same workbook by LibreOffice's "calc8" filter
#   date1904.xlsx   a workbook in the 1904 date system: rust_xlsxwriter writes
#                   date cells holding 1904 serials (write_date1904_source) but
#                   cannot flag the workbook as 1904, so python3's zipfile sets
#                   <workbookPr date1904="1"/> in xl/workbook.xml; LibreOffice
#                   then opens it as a 1904 workbook and saves it again
#                   (it writes date1904="true" and keeps the 1904 serials)
#   date1904.xls    that workbook saved as BIFF8 by LibreOffice (DATEMODE = 1)
#
# Usage: scripts/make_fixtures.sh   (from anywhere; writes tests/fixtures/)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/patched" "$work/out" "$work/out1904"

# 1. The sources, written by the fixture code the tests also use.
cd "$root"
CRM_FIXTURE_SOURCES="$work/src" cargo test --release --test tests -- \
    --ignored --exact test_inspect::write_fixture_sources

# 2. Flag the 1904 source as a 1904 workbook.
python3 - "$work/src/date1904.xlsx" "$work/patched/date1904.xlsx" <<'EOF'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/workbook.xml":
            text = data.decode("utf-8")
            patched = re.sub(r"<workbookPr\b", '<workbookPr date1904="1"', text, count=1)
            if patched == text:
                sys.exit("no <workbookPr> in xl/workbook.xml")
            data = patched.encode("utf-8")
        zout.writestr(item, data)
EOF

# 3. Convert with LibreOffice, in a throw-away profile so that a running
#    LibreOffice is not disturbed.
lo() {
    HOME="$work/home" soffice -env:UserInstallation="file://$work/profile" \
        --headless --convert-to "$1" --outdir "$2" "$3"
}
lo xls "$work/out" "$work/src/customers.xlsx"
lo ods "$work/out" "$work/src/customers.xlsx"
lo xlsx "$work/out" "$work/patched/date1904.xlsx"
lo xls "$work/out1904" "$work/out/date1904.xlsx"

# 4. Check that LibreOffice kept the 1904 date system, then install.
python3 - "$work/out/date1904.xlsx" "$work/out1904/date1904.xls" <<'EOF'
import sys, zipfile
book = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode("utf-8")
if 'date1904="true"' not in book and 'date1904="1"' not in book:
    sys.exit("date1904.xlsx lost its 1904 date system")
# BIFF8 DATEMODE record (0x0022, 2 bytes) with the value 1.
if b"\x22\x00\x02\x00\x01\x00" not in open(sys.argv[2], "rb").read():
    sys.exit("date1904.xls lost its 1904 date system")
EOF
mkdir -p "$root/tests/fixtures"
cp "$work/out/customers.xls" "$work/out/customers.ods" "$work/out/date1904.xlsx" \
    "$work/out1904/date1904.xls" "$root/tests/fixtures/"
ls -l "$root/tests/fixtures"
