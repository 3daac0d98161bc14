#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into fuzz/corpus/<target>/seed-*.

Run from anywhere: python3 fuzz/seeds.py. Seeds are small: strings for the
normalizers, a few header grids, cut-down CSV exports in the encodings sales
teams' tools produce, and small workbooks (a minimal xlsx written here with
zipfile, the bundled sample workbooks, and an .xls when xlwt is installed).
"""

import io
import os
import zipfile

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(ROOT)
CORPUS = os.path.join(ROOT, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def strings(target, values):
    for i, v in enumerate(values):
        put(target, f"{i:02d}", v)


DATES = ["2024-03-15", "2024/3/5", "2024.03.15 14:30", "2024年3月15日", "二〇二四年三月五日",
         "3月5日", "20240315", "15/03/2024", "03/15/2024", "03/04/24", "March 5th, 2024",
         "Tue, 5 Mar 2024", "2024-03-15T14:30:00+08:00", "2024-03-15 2:30 PM", "45366.5",
         "2024年3月15日 14:30:05.123", "5-Mar-2024", "2024-02-30"]
AMOUNTS = ["30万", "30万元", "¥300,000", "$1,200.50", "0.3亿", "300k", "1.2M", "三十万", "两万五",
           "(5000)", "-5000", "30-50万", "30万-50万", "15000-2万", "十几万", "三四十万", "一千多万",
           "50万以上", "50万+", "不超过50万", "RMB 5000", "USD 1,000", "约30万", "30万左右", "3百万",
           "几十万", "1e9", "9999999999999999999"]
PHONES = ["13800138000", "+86 138 0013 8000", "0086-13800138000", "010-12345678",
          "010-12345678-123", "0571-88886666转123", "0571 8888 8888 ext 12", "400-123-4567",
          "800 123 4567", "1.3800138E10", "13800138000.0", "1012345678", "Tel: (0571) 8888-8888",
          "+1 415 555 0100", "138****8000", "#123"]
INDUSTRIES = ["软件和信息技术服务业", "I65", "65", "I", "6511", "IT/互联网", "批发和零售业", "零售业",
              "制造业", "65 软件和信息技术服务业", "互联网、软件", "金融", "Software", "教育培训",
              "医疗器械", "房地产"]
HEADERS = [
    "2024年客户信息登记表\t2024年客户信息登记表\n\n企业名称*\t所属行业\t备注\n杭州甲科技有限公司\t软件\tx\n合计\t\t#100",
    "客户基本信息\t客户基本信息\t联系人信息\t联系人信息\t跟进状态\n企业名称\t行业\t姓名\t电话\t\n甲公司\t软件\t张*\t0571-88886666\t线索",
    "Deal Name\tStage\tStatus\tValue\nAcme\tWon\tWon\t#1000\n注：数据截至3月",
    "企业名称\t客户名称\t行业\t跟进日期\n乙公司\t乙\t制造\t@\n\t\t!\t~#N/A",
]


def csv_seeds():
    base = ("客户编号,企业名称,跟进日期,跟进方式,跟进人,沟通内容摘要,客户反馈,跟进状态,下一步行动,完成时限\r\n"
            "KH000002,峰宏数据科技股份有限公司,2025.04.22,微信,刘*,初次接触，介绍公司产品,暂无明确需求,,发送案例资料,2025-04-26\r\n"
            "KH000002,峰宏数据科技股份有限公司,2025-04-24,电话,刘*,\"电话沟通，\n约下周详谈\",已确认采购意向,待跟进,,\r\n"
            "\r\n合计,,,,,,,,,\r\n")
    put("csv_read", "utf8.csv", base)
    put("csv_read", "utf8bom.csv", b"\xef\xbb\xbf" + base.encode("utf-8"))
    put("csv_read", "gbk.csv", base.encode("gbk"))
    put("csv_read", "utf16le.txt", b"\xff\xfe" + base.replace(",", "\t").encode("utf-16-le"))
    put("csv_read", "semicolon.csv", "企业名称;所属行业;预计金额;联系电话\n甲公司;软件;30万;13800138000\n乙;制造;\"1,5\";010-12345678\n")
    put("csv_read", "opps.csv", "Deal Name,Organization,Stage,Status,Value,Expected close date\nA,Acme,Won,won,1000,2024-03-15\nB,Beta,Lead,open,\"$1,200.50\",03/04/2024\n")
    sample = os.path.join(REPO, "sample_data", "跟进记录.csv")
    if os.path.exists(sample):
        with open(sample, "rb") as f:
            lines = f.read().split(b"\n")[:25]
        put("csv_read", "sample-gbk.csv", b"\n".join(lines) + b"\n")


def xlsx_bytes(rows, shared=True, extra_sheet_xml=""):
    """A minimal xlsx: one sheet; text cells as shared strings (or inline)."""
    strings, cells_xml = [], []
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s
    for r, row in enumerate(rows):
        cs = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r + 1}"
            if v is None:
                continue
            if isinstance(v, (int, float)):
                cs.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif shared:
                strings.append(v)
                cs.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                cs.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
        cells_xml.append(f'<row r="{r + 1}">{"".join(cs)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(cells_xml)}</sheetData>{extra_sheet_xml}</worksheet>')
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    return package(sheet, sst if shared else None)


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>')


def workbook_rels(shared):
    rels = ('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>')
    if shared:
        rels += ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels + '</Relationships>')


def package(sheet_xml, sst_xml=None, level=6, sheet_bytes=None):
    """Zips the parts of a one-sheet workbook. `sheet_bytes` (already
    encoded) overrides `sheet_xml`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", workbook_rels(sst_xml is not None))
        z.writestr("xl/worksheets/sheet1.xml", sheet_bytes if sheet_bytes is not None else sheet_xml)
        if sst_xml is not None:
            z.writestr("xl/sharedStrings.xml", sst_xml)
    return buf.getvalue()


ROWS = [
    ["2024年客户信息登记表", None, None, None],
    [],
    ["企业名称", "所属行业", "预计金额", "联系电话", "首次接触日期"],
    ["杭州甲科技有限公司", "软件", "30万", "13800138000", 45366],
    ["乙制造", "制造业", 1200.5, "0571-88886666", "2024/3/5"],
    ["合计", None, 1200.5],
]


def ods_bytes():
    """A minimal OpenDocument spreadsheet, with the repeated empty cells and
    rows LibreOffice writes after the data."""
    def text(t):
        return f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'
    rows = ("<table:table-row>" + text("企业名称") + text("预计金额")
            + '<table:table-cell table:number-columns-repeated="1022"/></table:table-row>'
            + "<table:table-row>" + text("甲公司")
            + '<table:table-cell office:value-type="float" office:value="300000" table:formula="of:=1+1"><text:p>300000</text:p></table:table-cell>'
            + '<table:table-cell table:number-columns-repeated="1022"/></table:table-row>'
            + '<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="客户">' + rows
               + "</table:table></office:spreadsheet></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return buf.getvalue()


def xlsx_seeds():
    put("xlsx_read", "min-shared.xlsx", xlsx_bytes(ROWS))
    put("xlsx_read", "min-inline.xlsx", xlsx_bytes(ROWS, shared=False))
    put("xlsx_read", "merged.xlsx", xlsx_bytes(ROWS, extra_sheet_xml='<mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells>'))
    for name in ["销售目标.xlsx"]:
        p = os.path.join(REPO, "sample_data", name)
        if os.path.exists(p):
            with open(p, "rb") as f:
                put("xlsx_read", "sample-targets.xlsx", f.read())
    put("xlsx_read", "text.csv", "企业名称,所属行业\n甲,软件\n")
    put("xlsx_read", "min.ods", ods_bytes())
    try:
        import xlwt  # optional: pip install xlwt
    except ImportError:
        return
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("客户")
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    ws.write_merge(7, 7, 0, 2, "merged")
    buf = io.BytesIO()
    wb.save(buf)
    put("xlsx_read", "min.xls", buf.getvalue())


def main():
    strings("date", DATES)
    strings("amount", AMOUNTS)
    strings("phone", PHONES)
    strings("industry", INDUSTRIES)
    strings("header", HEADERS)
    csv_seeds()
    xlsx_seeds()


if __name__ == "__main__":
    main()
