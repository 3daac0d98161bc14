#!/usr/bin/env python3
"""Generates the hostile inputs of crates/crm-core/tests/hostile.rs.

    python3 scripts/make_hostile.py            # small files into tests/hostile/
    python3 scripts/make_hostile.py --big DIR  # also the big ones into DIR

The small files (a few KiB each) are committed under tests/hostile/. The big
ones (a zip bomb whose sheet unpacks to 5 GiB, a 50 MB cell, a row of a
million columns, 100 000 empty rows) are never committed: hostile.rs builds
its own at test time in a temporary directory, and `--big DIR` writes them
for trying the command line by hand (`crm-report inspect DIR/...`).

Needs only the standard library; `msoffcrypto-tool` (PyPI) makes a real
password-protected xlsx and `xlwt` (PyPI) the .xls cases — without them
those files are skipped, and the committed copies stay as they are.
"""

import io
import os
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(REPO, "tests", "hostile")

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def entry(name):
    """A zip entry with a fixed date, so that the files come out the same
    every time the script runs."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def xlsx(sheet_parts, path_or_buf, level=9):
    """Writes a one-sheet xlsx; `sheet_parts` is an iterable of bytes
    chunks of xl/worksheets/sheet1.xml (streamed, so it may be huge)."""
    with zipfile.ZipFile(path_or_buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level,
                         allowZip64=True) as z:
        z.writestr(entry("[Content_Types].xml"), CONTENT_TYPES)
        z.writestr(entry("_rels/.rels"), ROOT_RELS)
        z.writestr(entry("xl/workbook.xml"), WORKBOOK)
        z.writestr(entry("xl/_rels/workbook.xml.rels"), WORKBOOK_RELS)
        with z.open(entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as f:
            for chunk in sheet_parts:
                f.write(chunk)


def sheet(rows_xml):
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}"><sheetData>'
    return head.encode() + rows_xml.encode() + b"</sheetData></worksheet>"


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + inline("A1", "企业名称") + inline("B1", "所属行业") + "</row>"
DATA_ROW = '<row r="2">' + inline("A2", "杭州甲科技有限公司") + inline("B2", "软件") + "</row>"


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def small():
    # A real workbook cut in half: the zip directory at its end is gone.
    buf = io.BytesIO()
    xlsx([sheet(HEADER_ROW + DATA_ROW * 1)], buf, level=0)
    whole = buf.getvalue()
    write("truncated.xlsx", whole[: len(whole) // 2])

    # "Billion laughs": nested entities that would expand to 10^9 "lol"s.
    dtd = '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    dtd += '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    for i in range(2, 10):
        dtd += f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">'
    dtd += "]>"
    laughs = (f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<worksheet xmlns="{NS}"><sheetData>'
              + HEADER_ROW + '<row r="2">' + inline("A2", "&lol9;") + inline("B2", "软件")
              + "</row></sheetData></worksheet>")
    buf = io.BytesIO()
    xlsx([laughs.encode()], buf)
    write("billion_laughs.xlsx", buf.getvalue())

    # NUL bytes inside a CSV: a few (still text) and mostly NULs (binary).
    write("nul_bytes.csv", "企业名称,所属行业\n甲\0公司,软件\n乙公司,制\0造\n".encode())
    write("mostly_nul.csv", b"a,b\n" + b"\0" * 400 + b"\n")

    # UTF-8 with a BOM, then bytes that are not UTF-8.
    write("invalid_utf8_bom.csv",
          b"\xef\xbb\xbf" + "企业名称,所属行业\n甲公司,软件\n".encode()
          + b"\xff\xfe\xc3(\xe4\xb8,\x80\x80\n" + "丙公司,制造\n".encode())

    # Some lines GBK, some UTF-8 (a file appended to by two tools).
    write("mixed_encodings.csv",
          "企业名称,所属行业\n".encode() + "甲公司,软件\n".encode("gbk")
          + "乙公司,制造\n".encode() + "丙公司,金融\n".encode("gbk"))

    # An OLE2 header followed by nothing useful.
    write("fake_ole2.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 2)

    encrypted()
    xls_cases()


def encrypted():
    """A real password-protected xlsx (OLE2 container with an
    EncryptedPackage stream), made with msoffcrypto-tool. Encryption salts
    are random, so an existing file is kept (delete it to remake it)."""
    if os.path.exists(os.path.join(OUT, "encrypted.xlsx")):
        print("encrypted.xlsx: kept")
        return
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("encrypted.xlsx: skipped (pip install msoffcrypto-tool)")
        return
    plain = io.BytesIO()
    xlsx([sheet(HEADER_ROW + DATA_ROW)], plain)
    plain.seek(0)
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", out)
    write("encrypted.xlsx", out.getvalue())


def xls_base(cells):
    """An .xls written by xlwt, as bytes; `cells` is [(row, col, value)]."""
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("客户")
    for r, c, v in cells:
        ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return bytearray(buf.getvalue())


def xls_cases():
    try:
        import xlwt  # noqa: F401
    except ImportError:
        print("xls cases: skipped (pip install xlwt)")
        return
    base = [(0, 0, "企业名称"), (0, 1, "所属行业"), (1, 0, "甲公司"), (1, 1, "软件")]

    # The directory's sector chain points back to itself.
    b = xls_base(base)
    sector = 512
    dir_start = struct.unpack_from("<I", b, 48)[0]
    fat_sector = struct.unpack_from("<I", b, 76)[0]
    struct.pack_into("<I", b, sector + fat_sector * sector + 4 * dir_start, dir_start)
    write("cfb_loop.xls", bytes(b))

    # A Dimensions record (0x0200) declaring rows 0..4294967294: calamine
    # reserves room for all of them (terabytes) when it opens the file.
    b = xls_base(base)
    at = b.find(b"\x00\x02\x0e\x00")
    assert at > 0, "no Dimensions record"
    struct.pack_into("<II", b, at + 4, 0, 0xFFFFFFFF)
    write("xls_huge_dimensions.xls", bytes(b))

    # Two cells far apart (A1 and row 65536, column 65536): calamine lays the
    # sheet out as a dense rectangle of four billion cells.
    b = xls_base(base + [(65535, 255, 3.14159265358979)])
    rec = b"\x03\x02\x0e\x00" + struct.pack("<HH", 65535, 255)  # Number
    at = b.find(rec)
    assert at > 0, "no Number record"
    struct.pack_into("<H", b, at + 6, 0xFFFF)
    write("xls_far_cells.xls", bytes(b))


def big(dest):
    """The big cases, into `dest` (never committed)."""
    os.makedirs(dest, exist_ok=True)
    # A zip bomb: 5 GiB of spaces in the sheet, about 5 MB zipped.
    mib = b" " * (1 << 20)
    head = sheet(HEADER_ROW + DATA_ROW).replace(b"</sheetData>", b"")
    xlsx([head] + [mib] * (5 << 10) + [b"</sheetData></worksheet>"],
         os.path.join(dest, "zip_bomb_5gib.xlsx"))
    # One row of a million columns, CSV and xlsx.
    with open(os.path.join(dest, "row_1m_columns.csv"), "wb") as f:
        f.write("企业名称,".encode() + b"x," * 1_000_000 + b"\n")
    cells = "".join(f"<c><v>{i}</v></c>" for i in range(1_000_000))
    xlsx([sheet('<row r="1">' + cells + "</row>")], os.path.join(dest, "row_1m_columns.xlsx"))
    # A 50 MB cell.
    with open(os.path.join(dest, "cell_50mb.csv"), "wb") as f:
        f.write("企业名称,备注\n甲公司,\"".encode() + b"a" * 50_000_000 + b"\"\n")
    # 100 000 empty rows, then the table.
    empty = "".join(f'<row r="{r}"/>' for r in range(1, 100_001))
    table = HEADER_ROW.replace('r="1"', 'r="100001"').replace("A1", "A100001").replace("B1", "B100001")
    xlsx([sheet(empty + table)], os.path.join(dest, "empty_100k_rows.xlsx"))
    print(f"big cases written to {dest}")


if __name__ == "__main__":
    small()
    if len(sys.argv) == 3 and sys.argv[1] == "--big":
        big(sys.argv[2])
