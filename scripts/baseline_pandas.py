#!/usr/bin/env python3
"""What an analyst would write with pandas to get the headline figures of
`crm-report report` from the sample data set (`crm-report sample`): read
the customer table (xlsx with title rows, or CSV) and the follow-up CSV,
normalize dates, amounts and stages (each distinct value parsed once, then
mapped back), deduplicate customers on a company-name key, and compute the
funnel, win rate, won amount, cycle days, top needs and follow-ups per rep.

It is the baseline of scripts/bench.sh: its wall time is compared with the
Rust tool's, and its core figures with the tool's summary.json.

Usage: baseline_pandas.py DATA_DIR [SUMMARY_JSON]
Exit status 0; prints the figures, and with SUMMARY_JSON the comparison.
Needs: pip install pandas openpyxl
"""

import glob
import json
import os
import re
import sys
import time
import unicodedata
from datetime import date, timedelta

import pandas as pd

# The default stage table of crm-core (normalize/stage.rs), folded.
STAGES = {
    "lead": ["线索", "lead", "潜在客户", "初次接洽", "新线索", "待跟进", "prospecting",
             "prospect", "new", "appointmentscheduled", "leadin"],
    "qualify": ["需求分析", "qualify", "needsanalysis", "需求分析中", "需求调研", "初次接洽-需求调研",
                "意向客户", "需求确认", "engaging", "qualification", "qualified",
                "qualifiedtobuy", "contactmade"],
    "proposal": ["方案沟通", "proposal", "方案沟通中", "方案提交", "方案提交-待反馈", "方案制定", "报价",
                 "quote", "valueproposition", "id.decisionmakers", "perceptionanalysis",
                 "proposal/pricequote", "presentationscheduled", "demoscheduled",
                 "proposalmade"],
    "negotiation": ["商务谈判", "negotiation", "谈判", "商务谈判中", "合同审批", "合同拟定",
                    "contract", "negotiation/review", "decisionmakerbought-in",
                    "contractsent", "negotiationsstarted"],
    "won": ["成交", "won", "已成交", "签约", "已签约", "成交-维护中", "维护中", "潜在复购",
            "维护中/潜在复购", "closedwon"],
    "lost": ["流失", "lost", "丢单", "输单", "已流失", "失败", "closedlost"],
}
STAGE_OF = {name: code for code, names in STAGES.items() for name in names}

CN_SUFFIXES = ["股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司"]


def fold(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s))).lower()


def company_key(name):
    """A simplified version of crm-core's company key."""
    s = unicodedata.normalize("NFKC", str(name)).lower().strip()
    s = re.sub(r"[（(][^）)]*[）)]", "", s)
    for suf in CN_SUFFIXES:
        if s.endswith(suf):
            s = s[: -len(suf)]
            break
    return "".join(c for c in s if c.isalnum())


def parse_date(s, default_year=2026):
    s = str(s).strip()
    if not s or s.lower() == "nan":
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?", s)
    if m:
        y, mo, d = map(int, m.groups())
    elif re.fullmatch(r"\d{8}", s):
        y, mo, d = int(s[:4]), int(s[4:6]), int(s[6:])
    elif re.fullmatch(r"\d{5}(\.0)?", s):
        return date(1899, 12, 30) + timedelta(days=int(float(s)))
    else:
        m = re.fullmatch(r"(\d{1,2})月(\d{1,2})日", s)
        if not m:
            return None
        y, (mo, d) = default_year, map(int, m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def parse_amount(s):
    """Cents, or None for ranges, vague and unreadable amounts."""
    s = unicodedata.normalize("NFKC", str(s)).strip().replace(",", "").replace("¥", "")
    s = s.removeprefix("约")  # "about": the tool reads 约49万 as 49万
    if not s or s.lower() == "nan":
        return None
    mult = 1
    for unit, m in (("万元", 10_000), ("万", 10_000), ("元", 1)):
        if s.endswith(unit):
            s, mult = s[: -len(unit)].strip(), m
            break
    try:
        return round(float(s) * mult * 100)
    except ValueError:
        return None


def mapped(series, fn):
    """Applies `fn` to each distinct value once and maps the results back."""
    uniq = series.dropna().unique()
    return series.map(dict(zip(uniq, map(fn, uniq))))


def read_customers(data_dir):
    csvs = [p for p in glob.glob(os.path.join(data_dir, "*.csv")) if "customer" in p]
    if csvs:
        return pd.read_csv(csvs[0], dtype=str, encoding="utf-8-sig", keep_default_na=False)
    book = [p for p in glob.glob(os.path.join(data_dir, "*.xlsx")) if "客户" in p][0]
    raw = pd.read_excel(book, header=None, dtype=str, nrows=30)
    header = next(i for i, row in raw.iterrows() if any("企业名称" in str(v) for v in row))
    return pd.read_excel(book, header=header, dtype=str).fillna("")


def col(df, prefix):
    return next(c for c in df.columns if str(c).startswith(prefix))


def main():
    data_dir = sys.argv[1]
    started = time.time()
    cust = read_customers(data_dir)
    fu_path = [p for p in glob.glob(os.path.join(data_dir, "*.csv")) if "跟进" in p][0]
    with open(fu_path, "rb") as f:
        head = f.read(4096)
    try:
        head.decode("utf-8")
        enc = "utf-8-sig"
    except UnicodeDecodeError:
        enc = "gb18030"
    fu = pd.read_csv(fu_path, dtype=str, encoding=enc, keep_default_na=False)
    read_s = time.time() - started

    name = cust[col(cust, "企业名称")].str.strip()
    cust = cust[name != ""].copy()
    cust["key"] = mapped(cust[col(cust, "企业名称")], company_key)
    cust["stage"] = mapped(cust[col(cust, "跟进状态")], lambda s: STAGE_OF.get(fold(s)))
    cust["amount"] = mapped(cust[col(cust, "成交金额")], parse_amount)
    for c, out in (("首次接触", "first"), ("建档日期", "created"), ("签约日期", "signed")):
        cust[out] = mapped(cust[col(cust, c)], parse_date)
    cust = cust.replace({"": None})
    # Rows with the same key but different customer ids stay apart (the
    # tool reports them as possible duplicates); a row without an id joins
    # the first customer of its key.
    ident = cust[col(cust, "客户编号")]
    first_id = ident.groupby(cust["key"]).transform("first")
    cust["group"] = cust["key"] + "|" + ident.fillna(first_id).fillna("")
    merged = cust.groupby("group", sort=False).first()
    # The as-of date is an input of the metrics, not one of the figures
    # compared: take the tool's (summary.json) when given, else today.
    summary = json.load(open(sys.argv[2], encoding="utf-8")) if len(sys.argv) > 2 else None
    as_of = date.fromisoformat(summary["as_of"]) if summary else date.today()
    # Start date: first contact, else created, else the customer's earliest
    # follow-up up to the as-of date (by customer id, else by name key).
    fu_date = mapped(fu[col(fu, "跟进日期")], parse_date)
    fu_date = fu_date.where(fu_date.apply(lambda d: d is not None and d <= as_of))
    fu_id = fu[col(fu, "客户编号")].str.strip().replace({"": None})
    fu_key = mapped(fu[col(fu, "企业名称")], company_key)
    dated = pd.DataFrame({"id": fu_id, "key": fu_key, "date": fu_date}).dropna(subset=["date"])
    by_id = dated.dropna(subset=["id"]).groupby("id")["date"].min()
    by_key = dated[dated["id"].isna()].dropna(subset=["key"]).groupby("key")["date"].min()
    merged_id = merged[col(merged, "客户编号")]
    earliest = merged_id.map(by_id)
    earliest = earliest.where(earliest.notna(), merged["key"].map(by_key))
    start = merged["first"].fillna(merged["created"]).fillna(earliest)
    opps = merged[~start.apply(lambda d: pd.notna(d) and d > as_of)]
    won = opps["stage"] == "won"
    lost = opps["stage"] == "lost"
    amount = opps["amount"].where(opps["amount"] >= 0)
    cycle = (pd.to_datetime(opps["signed"]) - pd.to_datetime(start[opps.index])).dt.days
    cycle = cycle[won & (cycle >= 0)]
    needs = (
        merged[col(merged, "核心需求")].dropna().str.split(r"[；;、,，/]").explode().str.strip()
    )
    top_needs = needs[needs != ""].value_counts().head(5)
    fu_owner = fu[col(fu, "跟进人")].str.strip()
    per_rep = fu_owner[fu_owner != ""].value_counts()
    figures = {
        "customers": int(len(merged)),
        "won": int(won.sum()),
        "lost": int(lost.sum()),
        "open": int((~won & ~lost & opps["stage"].notna()).sum()),
        "win_rate": float(won.sum() / (won.sum() + lost.sum())),
        "won_amount": float(amount[won].sum() / 100),
        "cycle_median_days": float(cycle.median()) if len(cycle) else None,
        "top_needs": list(top_needs.index),
        "followups_per_rep_top": per_rep.head(3).to_dict(),
    }
    total_s = time.time() - started
    print(json.dumps({"pandas_seconds": round(total_s, 2), "read_seconds": round(read_s, 2),
                      "figures": figures}, ensure_ascii=False))
    if summary:
        compare(figures, summary)


def compare(p, s):
    f = s["funnel"]
    rust = {
        "customers": s["customers"]["total"],
        "won": f["won"],
        "lost": f["lost"],
        "open": f["open"],
        "win_rate": f["win_rate"],
        "won_amount": f["won_amount"],
        "cycle_median_days": s["cycle_days"].get("median"),
        "top_needs": [n["need"] for n in s["top_needs"][:5]],
    }
    for k, v in rust.items():
        pv = p[k]
        if isinstance(v, float) and isinstance(pv, float):
            same = abs(v - pv) <= 1e-9 * max(1.0, abs(v))
            rel = (pv - v) / v if v else 0.0
            note = "" if same else f"  (pandas {rel:+.2%})"
        else:
            same, note = v == pv, ""
        print(f"  {k:<18} rust={v!s:<40} pandas={pv!s:<40} {'agree' if same else 'DIFFER'}{note}")


if __name__ == "__main__":
    main()
