#!/usr/bin/env python3
"""Checks docs/metrics.sql against a summary.json of `crm-report report`.

Usage:
    python3 scripts/check_metrics_sql.py LAKE_DIR SUMMARY_JSON

LAKE_DIR is the output of `crm-report clean INPUTS -o LAKE_DIR --format
parquet [--as-of D]`; SUMMARY_JSON the summary.json of `crm-report report
INPUTS [--as-of D]` (no --period) on the same inputs and flags. The script
loads docs/metrics.sql (relative to this script) into DuckDB, points it at
LAKE_DIR, runs every metric view and compares each figure with
summary.json. The as-of date is the lake's own (its `run` table); the first
figure compared is that date against summary.json's `as_of`, so a lake and
a report cut at different dates show up as `DIFFER as_of` (and nothing
else is compared). Prints one line per figure:

    ok NAME VALUE
    DIFFER NAME sql=... json=...

Floats compare with a relative tolerance of 1e-9 (exact DECIMAL sums are
compared as floats too); lists compare element by element and in order.
Exit status: 0 when every figure agrees, 1 on any difference or missing
figure, 2 on a usage error or when duckdb is not installed.
"""

import datetime
import decimal
import json
import math
import sys
from pathlib import Path

SQL_PATH = Path(__file__).resolve().parent.parent / "docs" / "metrics.sql"
REL_TOL = 1e-9
# The lake tables docs/metrics.sql reads.
REQUIRED_TABLES = ("run", "stages", "customers", "followups", "deals", "duplicates")


def fail_usage(msg):
    print(f"check_metrics_sql: {msg}", file=sys.stderr)
    print("usage: python3 scripts/check_metrics_sql.py LAKE_DIR SUMMARY_JSON",
          file=sys.stderr)
    sys.exit(2)


try:
    import duckdb
except ImportError as e:  # fail loudly: CI must install it
    print(f"check_metrics_sql: cannot import duckdb ({e}); run `pip install duckdb`",
          file=sys.stderr)
    sys.exit(2)


MISSING = object()


class Checker:
    def __init__(self):
        self.compared = 0
        self.differ = 0

    @staticmethod
    def _norm(v):
        if isinstance(v, decimal.Decimal):
            return float(v)
        if isinstance(v, (datetime.date, datetime.datetime)):
            return v.isoformat()[:10] if type(v) is datetime.date else v.isoformat()
        return v

    @staticmethod
    def _same(a, b):
        if a is MISSING or b is MISSING:
            return False
        if a is None or b is None:
            return a is None and b is None
        if isinstance(a, bool) or isinstance(b, bool):
            return a == b
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            if isinstance(a, float) or isinstance(b, float):
                if math.isnan(a) or math.isnan(b):
                    return False
                return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)
            return a == b
        return a == b

    @staticmethod
    def _show(v):
        if v is MISSING:
            return "MISSING"
        if v is None:
            return "null"
        if isinstance(v, float):
            return repr(v)
        if isinstance(v, str):
            return v
        return json.dumps(v, ensure_ascii=False)

    def check(self, name, sql, js):
        sql, js = self._norm(sql), self._norm(js)
        self.compared += 1
        if self._same(sql, js):
            print(f"ok {name} {self._show(sql)}")
        else:
            self.differ += 1
            print(f"DIFFER {name} sql={self._show(sql)} json={self._show(js)}")


def get(obj, *path):
    """obj[path...] or MISSING."""
    for p in path:
        if isinstance(obj, dict) and p in obj:
            obj = obj[p]
        elif isinstance(obj, list) and isinstance(p, int) and 0 <= p < len(obj):
            obj = obj[p]
        else:
            return MISSING
    return obj


def rows(con, sql, params=None):
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def compare_keyed(ck, name, sql_rows, js_rows, key, fields, ordered=True):
    """Compares two lists of records keyed by `key`: each field of each
    record, then (when `ordered`) the order of the keys."""
    if js_rows is MISSING:
        js_rows = None
    js_by = {}
    if isinstance(js_rows, list):
        js_by = {r.get(key): r for r in js_rows}
    sql_by = {r[key]: r for r in sql_rows}
    keys = list(sql_by)
    keys += [k for k in js_by if k not in sql_by]
    for k in keys:
        s, j = sql_by.get(k), js_by.get(k)
        for f in fields:
            ck.check(f"{name}[{k}].{f}",
                     MISSING if s is None else s.get(f, MISSING),
                     MISSING if j is None else j.get(f, MISSING))
    if not ordered:
        return
    ck.check(f"{name}.order", [r[key] for r in sql_rows],
             [r.get(key) for r in js_rows] if isinstance(js_rows, list) else MISSING)


def run(lake, summary_path):
    try:
        summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail_usage(f"cannot read {summary_path}: {e}")
    if not Path(lake).is_dir():
        fail_usage(f"{lake} is not a directory")

    ck = Checker()
    # docs/metrics.sql reads these tables; DuckDB cannot read a table with
    # no file, so a missing one is reported here, plainly.
    missing = [t for t in REQUIRED_TABLES
               if not any((Path(lake) / t).glob("**/*.parquet"))]
    for t in missing:
        ck.check(f"table {t}", "MISSING", f"Parquet files under {Path(lake) / t}")
    if missing:
        print(f"{ck.compared} figures compared: 0 ok, {ck.differ} differ "
              "(docs/metrics.sql needs every table it reads)")
        return 1

    con = duckdb.connect()
    con.execute("SET VARIABLE lake = ?", [str(Path(lake).resolve())])
    try:
        con.execute(SQL_PATH.read_text(encoding="utf-8"))
    except duckdb.Error as e:
        ck.check(f"load {SQL_PATH.name}", f"ERROR {e}".splitlines()[0], "loaded")
        print(f"{ck.compared} figures compared: 0 ok, {ck.differ} differ")
        return 1

    # The date the lake was cut at (its run table) must be the report's.
    try:
        lake_as_of = con.execute("SELECT as_of FROM params").fetchone()[0]
    except duckdb.Error as e:
        lake_as_of = f"ERROR {e}".splitlines()[0]
    ck.check("as_of", lake_as_of, get(summary, "as_of"))
    if ck.differ:
        # Figures of two different dates would all differ: stop here.
        print(f"{ck.compared} figures compared: 0 ok, {ck.differ} differ "
              "(the lake and summary.json are not of the same as-of date: "
              "run clean and report with the same --as-of, or both without)")
        return 1
    ck.check("period", None, get(summary, "period"))

    def view(name, order=None):
        """Rows of a metric view, or None (reported) when it fails."""
        try:
            return rows(con, f"SELECT * FROM {name}" + (f" ORDER BY {order}" if order else ""))
        except duckdb.Error as e:
            ck.check(f"view {name}", f"ERROR {e}".splitlines()[0], "rows")
            return None

    # customers (§11)
    r = view("metric_customers")
    if r:
        for f in ("total", "duplicates_merged"):
            ck.check(f"customers.{f}", r[0][f], get(summary, "customers", f))

    # funnel stages and totals (§1)
    r = view("metric_funnel_stages", "stage_order")
    if r is not None:
        compare_keyed(ck, "funnel.stages", r, get(summary, "funnel", "stages"), "code",
                      ["label", "current", "reached", "conversion_to_next"])
    r = view("metric_funnel")
    if r:
        for f in ("won", "lost", "open", "unknown_stage", "win_rate", "overall_conversion",
                  "won_amount", "lost_amount", "open_amount", "avg_won_amount"):
            ck.check(f"funnel.{f}", r[0][f], get(summary, "funnel", f))
    r = view("metric_funnel_breakdown", "dimension, rank")
    if r is not None:
        for dim in ("source", "industry", "owner", "grade", "start_month"):
            compare_keyed(ck, f"funnel.by_{dim}", [x for x in r if x["dimension"] == dim],
                          get(summary, "funnel", f"by_{dim}"), "key",
                          ["opportunities", "won", "lost", "open", "win_rate",
                           "overall_conversion", "won_amount"])

    # sales cycle (§2)
    r = view("metric_cycle")
    if r:
        for f in ("n", "mean", "median", "p90", "min", "max"):
            ck.check(f"cycle_days.{f}", r[0][f], get(summary, "cycle_days", f))
    r = view("metric_cycle_breakdown", "dimension, rank")
    if r is not None:
        for dim in ("owner", "source", "industry", "grade"):
            compare_keyed(ck, f"cycle_days.by_{dim}", [x for x in r if x["dimension"] == dim],
                          get(summary, "cycle_days", f"by_{dim}"), "key",
                          ["n", "mean", "median", "p90"])

    # top needs (§3): the whole ranked list
    r = view("metric_top_needs", "rank")
    if r is not None:
        js = get(summary, "top_needs")
        n = max(len(r), len(js) if isinstance(js, list) else 0)
        for i in range(n):
            s = r[i] if i < len(r) else None
            j = get(js, i)
            ck.check(f"top_needs[{i + 1}].need",
                     MISSING if s is None else s["need"], get(j, "need"))
            ck.check(f"top_needs[{i + 1}].customers",
                     MISSING if s is None else s["customers"], get(j, "customers"))

    # follow-up cadence (§4)
    r = view("metric_cadence")
    if r:
        for f in ("tracked", "overdue", "compliance", "undated"):
            ck.check(f"cadence.{f}", r[0][f], get(summary, "cadence", f))
    for dim, col in (("by_grade", "grade"), ("by_state", "state")):
        r = view(f"metric_cadence_{dim}", col)
        if r is None:
            continue
        js = get(summary, "cadence", dim)
        js_rows = ([dict(v, **{col: k}) for k, v in js.items()]
                   if isinstance(js, dict) else MISSING)
        compare_keyed(ck, f"cadence.{dim}", r, js_rows, col,
                      ["tracked", "overdue", "compliance"], ordered=False)
    r = view("metric_cadence_overdue_list", "rank")
    if r is not None:
        js = get(summary, "cadence", "overdue_list")
        n = max(len(r), len(js) if isinstance(js, list) else 0)
        fields = ["customer", "owner", "grade", "state", "last_touch", "allowed_gap",
                  "days_overdue"]
        for i in range(n):
            s = r[i] if i < len(r) else None
            j = get(js, i)
            ck.check(f"cadence.overdue_list[{i + 1}]",
                     MISSING if s is None else [Checker._norm(s[f]) for f in fields],
                     MISSING if j is MISSING else [j.get(f) for f in fields])

    # per rep (§6)
    r = view("metric_reps", "rank")
    if r is not None:
        compare_keyed(ck, "reps", r, get(summary, "reps"), "owner",
                      ["customers", "opportunities", "won", "lost", "open", "won_amount",
                       "win_rate", "followups", "followups_per_customer",
                       "cycle_median_days", "tracked", "overdue", "cadence_compliance",
                       "completeness"])

    # activity.followups without a period (§11)
    r = view("metric_followups")
    if r:
        ck.check("activity.followups", r[0]["followups"],
                 get(summary, "activity", "followups"))

    ok = ck.compared - ck.differ
    print(f"{ck.compared} figures compared: {ok} ok, {ck.differ} differ")
    return 1 if ck.differ else 0


def main(argv):
    if len(argv) != 3:
        fail_usage("expected 2 arguments")
    return run(argv[1], argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
