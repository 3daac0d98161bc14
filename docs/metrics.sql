-- =====================================================================
-- crm-report metric definitions in SQL (DuckDB dialect, kept close to ANSI)
-- =====================================================================
--
-- What this is
--   The core figures of summary.json (no --period), written over the
--   Parquet lake that `crm-report clean ... --format parquet` writes, so a
--   team whose data outgrows one machine can compute them in a SQL engine.
--   The definitions are those of ../shared/spec/metrics.md (the section
--   implemented is named above each view); where this file and metrics.md
--   disagree, metrics.md wins and this file has a bug.
--   scripts/check_metrics_sql.py runs every view below and compares it with
--   the summary.json of `crm-report report` on the same input and as-of date.
--
-- The lake (written by `crm-report clean INPUTS -o LAKE --format parquet [--as-of D]`)
--   LAKE/<table>/month=YYYY-MM/part-0.parquet   (month=unknown: no date)
--   LAKE/<table>/part-0.parquet                 (unpartitioned tables)
--   Tables read here:
--     run        one row: as_of (the date `deals` was cut at, given or
--                inferred as `report` infers it), opportunity_table (an
--                opportunities table was read) and the cadence gaps
--                allowed_gap_a / _b / _c / _maintenance of the config;
--     customers  one row per customer after dedup; customer_no is its
--                1-based number in input order;
--     followups  customer_no = the customer it is linked to (NULL: none);
--     deals      one row per opportunity as counted as of run.as_of
--                (metrics.md §0: those starting after it are left out),
--                customer_no as linked by the tool;
--     stages     the pipeline: stage_order (NULL: lost), code (as in
--                deals.stage), label (as in customers.stage), label_en,
--                outcome ('won', 'lost' or NULL);
--     duplicates one row per merged customer row (one count).
--   Every table is written by every run (an empty one as a zero-row
--   month=unknown file) with a fixed set of columns; all joins here are on
--   customer_no, so nothing is re-linked in SQL.
--
-- Parameters
--   One DuckDB variable, `lake`: the lake directory (default 'lake',
--   relative to the working directory). Everything else comes from `run`.
--
--     duckdb <<'EOF'
--     SET VARIABLE lake = '/data/lake';
--     .read docs/metrics.sql
--     SELECT * FROM metric_funnel;
--     EOF
--
--   or from Python: con.execute("SET VARIABLE lake = ?", [dir]);
--   con.execute(open("docs/metrics.sql").read()).
--   Views bind the variable when they are queried, so changing it and
--   re-querying reads the new lake.
--
-- Porting (Spark SQL, Trino, ...)
--   * Replace the `lake_*` views by tables over the same directories
--     (Hive-partitioned by `month`, except run and duplicates). Declare
--     `deal_status` on customers (VARCHAR) if the engine does not read an
--     absent column as NULL: it is the one column used here that a lake
--     holds only when some input had it (the guard on lake_customers).
--   * DuckDB-only bits, with their usual equivalents:
--       read_parquet(...)/getvariable(...)/error(...)  -> table DDL, literals
--       UNION ALL BY NAME (the column guard)           -> declared schema
--       regexp_split_to_array + UNNEST ... WITH ORDINALITY
--           Trino: CROSS JOIN UNNEST(regexp_split(s, re)) WITH ORDINALITY
--           Spark: LATERAL VIEW posexplode(split(s, re))
--       trim(s, chars)    Trino: trim(s, chars); Spark: trim(BOTH chars FROM s)
--       date_diff('day', a, b)  Trino: same; Spark: datediff(b, a)
--       percentile_cont(q) WITHIN GROUP (ORDER BY x) is ANSI (Spark 3.3+);
--           Trino has no exact percentile: approx_percentile is NOT the same.
--   * Sorting uses byte order of UTF-8 strings (= Unicode code point order,
--     as metrics.md §11 asks); set a binary collation where the engine
--     defaults to a linguistic one.
--
-- Not covered (and why)
--   * --period figures (cohorts, activity): only the no-period report.
--   * Need synonyms of the config are not in the lake and NOT applied by
--     top needs here: a team with synonyms maps them itself. (The pipeline
--     comes from `stages`, the cadence gaps from `run`.)
--   * Roster reps with no records (metrics.md §6) are not listed: the
--     roster is not part of the lake.
--   * Everything else of summary.json (forecast, targets, grades, to-dos,
--     satisfaction, complaints, monthly, weekly, collections, keywords).
-- =====================================================================


-- ---------------------------------------------------------------------
-- The lake tables
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW lake_run AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/run/*.parquet');

-- Column guard: deal_status (Pipedrive-style won/lost/open, schema.md) is
-- written only when some input had it; `UNION ALL BY NAME` with an empty,
-- typed row set adds it as NULL otherwise. Every other column used below
-- is always written.
CREATE OR REPLACE VIEW lake_customers AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/customers/**/*.parquet',
                           hive_partitioning = true, union_by_name = true)
UNION ALL BY NAME
SELECT CAST(NULL AS VARCHAR) AS deal_status
WHERE 1 = 0;

CREATE OR REPLACE VIEW lake_followups AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/followups/**/*.parquet',
                           hive_partitioning = true, union_by_name = true);

CREATE OR REPLACE VIEW lake_deals AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/deals/**/*.parquet',
                           hive_partitioning = true, union_by_name = true);

CREATE OR REPLACE VIEW lake_duplicates AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/duplicates/*.parquet');


-- ---------------------------------------------------------------------
-- Parameters of the run (one row; an error when `run` is not one row).
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW params AS
SELECT CASE WHEN k.n = 1 THEN r.as_of
            ELSE error('metrics.sql: LAKE/run must hold exactly one row (write the lake with crm-report clean --format parquet)')
       END                         AS as_of,
       r.opportunity_table,
       r.allowed_gap_a             AS gap_a,
       r.allowed_gap_b             AS gap_b,
       r.allowed_gap_c             AS gap_c,
       r.allowed_gap_maintenance   AS gap_maintenance
FROM (SELECT COUNT(*) AS n FROM lake_run) k
LEFT JOIN lake_run r ON k.n = 1;


-- ---------------------------------------------------------------------
-- The pipeline of the run (metrics.md §1: the default one, or the
-- config's [[stage]] list), from the lake's `stages` table.
--   stage_order: funnel order (NULL: not a funnel stage); code: as in
--   deals.stage; label: as in customers.stage; outcome: which is won and
--   which is lost (used for a customer's own stage, §4).
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW stages AS
SELECT stage_order, code, label, outcome
FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/stages/*.parquet');


-- ---------------------------------------------------------------------
-- Shared building blocks
-- ---------------------------------------------------------------------

-- Customers (customer_no = input order) with dates as calendar dates
-- (metrics.md §0 and §4 compare days; times of day are ignored).
CREATE OR REPLACE VIEW customer_rows AS
SELECT c.customer_no,
       c.customer_id,
       c.customer_name,
       COALESCE(NULLIF(c.owner, ''), '未分配')  AS owner_key,
       c.grade,
       CAST(c.first_contact_date AS DATE)      AS first_contact_day,
       CAST(c.created_date AS DATE)            AS created_day,
       CAST(c.last_followup_date AS DATE)      AS last_followup_day,
       c.need_tags, c.need_core, c.need_secondary,
       -- the customer's own current stage as won / lost / NULL (open or
       -- unknown): a deal_status of won or lost decides (metrics.md §1),
       -- else its stage.
       CASE WHEN c.deal_status IN ('won', 'lost') THEN c.deal_status
            ELSE s.outcome END               AS own_outcome,
       -- completeness fields (§6): filled = non-empty after normalization
         (CASE WHEN c.customer_name <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.industry      <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.source        <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.contact_name  <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.contact_title <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.phone         <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.need_core     <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.budget        <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.grade         <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN c.stage         <> '' THEN 1 ELSE 0 END)
         AS filled_fields
FROM lake_customers c
LEFT JOIN stages s ON s.label = c.stage;

-- Follow-ups with their customer (customer_no as the tool linked it).
CREATE OR REPLACE VIEW followup_rows AS
SELECT customer_no,
       NULLIF(owner, '')           AS own_owner,
       CAST(followup_date AS DATE) AS followup_day
FROM lake_followups;

-- Opportunities as the funnel counts them (§1), with breakdown keys
-- (`未知` for an empty or unmapped value, §11) and cycle days (§2).
CREATE OR REPLACE VIEW deal_rows AS
SELECT d.*,
       (d.furthest_order IS NOT NULL)            AS known_stage,
       COALESCE(d.source, '未知')                 AS source_key,
       COALESCE(d.industry_section, '未知')       AS industry_key,
       COALESCE(d.grade, '未知')                  AS grade_key,
       COALESCE(SUBSTR(CAST(d.start_date AS VARCHAR), 1, 7), '未知') AS start_month_key,
       CASE WHEN d.won AND d.start_date IS NOT NULL AND d.signed_date IS NOT NULL
                 AND date_diff('day', d.start_date, d.signed_date) >= 0
            THEN date_diff('day', d.start_date, d.signed_date) END AS cycle_days
FROM lake_deals d;


-- =====================================================================
-- Metrics
-- =====================================================================

-- metrics.md §11 `customers`: deduplicated customers (each row of the
-- customers table is one customer after merging); rows merged into an
-- earlier one (the duplicates table has one row per merged row).
CREATE OR REPLACE VIEW metric_customers AS
SELECT (SELECT COUNT(*) FROM lake_customers)  AS total,
       (SELECT COUNT(*) FROM lake_duplicates) AS duplicates_merged;


-- metrics.md §1: funnel per stage, over known-stage opportunities.
--   reached(k) = known-stage opportunities whose furthest stage order >= k
--   current(k) = those whose current stage order = k
--   conversion_to_next = reached(k+1) / reached(k); NULL for the last stage
--   or a zero denominator.
CREATE OR REPLACE VIEW metric_funnel_stages AS
WITH counts AS (
  SELECT s.stage_order, s.code, s.label,
         COUNT(CASE WHEN d.known_stage AND d.furthest_order >= s.stage_order THEN 1 END) AS reached,
         COUNT(CASE WHEN d.known_stage AND d.stage_order = s.stage_order THEN 1 END)     AS current
  FROM stages s
  LEFT JOIN deal_rows d ON d.known_stage      -- keeps every stage with no deals
  WHERE s.stage_order IS NOT NULL             -- funnel stages only (not lost)
  GROUP BY s.stage_order, s.code, s.label
)
SELECT stage_order, code, label, current, reached,
       CAST(LEAD(reached) OVER (ORDER BY stage_order) AS DOUBLE) / NULLIF(reached, 0)
         AS conversion_to_next
FROM counts;

-- metrics.md §1: funnel totals.
--   won / lost = current stage won / lost; open = known − won − lost;
--   unknown_stage = opportunities with an unknown or non-standard stage;
--   win_rate = won / (won + lost); overall_conversion = won / reached(1);
--   amounts: sums of deal amounts (exact DECIMAL; missing = 0) of won, lost
--   and open opportunities; avg_won_amount = won_amount / number of won
--   opportunities that have a (positive) amount.
CREATE OR REPLACE VIEW metric_funnel AS
WITH t AS (
  SELECT COUNT(*)                                                          AS opportunities_all,
         COUNT(CASE WHEN known_stage THEN 1 END)                      AS known,
         COUNT(CASE WHEN known_stage AND won  THEN 1 END)             AS won,
         COUNT(CASE WHEN known_stage AND lost THEN 1 END)             AS lost,
         COUNT(CASE WHEN known_stage AND furthest_order >= 1 THEN 1 END) AS reached_1,
         COALESCE(SUM(CASE WHEN known_stage AND won  THEN deal_amount END), 0) AS won_amount,
         COALESCE(SUM(CASE WHEN known_stage AND lost THEN deal_amount END), 0) AS lost_amount,
         COALESCE(SUM(CASE WHEN known_stage AND NOT won AND NOT lost THEN deal_amount END), 0) AS open_amount,
         COUNT(CASE WHEN known_stage AND won AND deal_amount > 0 THEN 1 END) AS won_with_amount
  FROM deal_rows
)
SELECT known                                           AS opportunities,
       won,
       lost,
       known - won - lost                              AS open,
       opportunities_all - known                       AS unknown_stage,
       CAST(won AS DOUBLE) / NULLIF(won + lost, 0)     AS win_rate,
       CAST(won AS DOUBLE) / NULLIF(reached_1, 0)      AS overall_conversion,
       won_amount,
       lost_amount,
       open_amount,
       CAST(won_amount AS DOUBLE) / NULLIF(won_with_amount, 0) AS avg_won_amount
FROM t;

-- metrics.md §1: funnel breakdowns by source, industry section, owner,
-- grade and start month, over the same known-stage opportunities.
CREATE OR REPLACE VIEW metric_funnel_breakdown AS
WITH keyed AS (
  SELECT 'source'      AS dimension, source_key      AS key, * FROM deal_rows WHERE known_stage
  UNION ALL
  SELECT 'industry'    AS dimension, industry_key    AS key, * FROM deal_rows WHERE known_stage
  UNION ALL
  SELECT 'owner'       AS dimension, owner           AS key, * FROM deal_rows WHERE known_stage
  UNION ALL
  SELECT 'grade'       AS dimension, grade_key       AS key, * FROM deal_rows WHERE known_stage
  UNION ALL
  SELECT 'start_month' AS dimension, start_month_key AS key, * FROM deal_rows WHERE known_stage
), g AS (
  SELECT dimension, key,
         COUNT(*)                                       AS opportunities,
         COUNT(CASE WHEN won  THEN 1 END)          AS won,
         COUNT(CASE WHEN lost THEN 1 END)          AS lost,
         COUNT(CASE WHEN furthest_order >= 1 THEN 1 END) AS reached_1,
         COALESCE(SUM(CASE WHEN won THEN deal_amount END), 0) AS won_amount
  FROM keyed
  GROUP BY dimension, key
)
SELECT dimension, key, opportunities, won, lost,
       opportunities - won - lost                  AS open,
       CAST(won AS DOUBLE) / NULLIF(won + lost, 0) AS win_rate,
       CAST(won AS DOUBLE) / NULLIF(reached_1, 0)  AS overall_conversion,
       won_amount,
       ROW_NUMBER() OVER (PARTITION BY dimension ORDER BY opportunities DESC, key) AS rank
FROM g;


-- metrics.md §2: sales cycle. Won opportunities with a start and a signed
-- date; cycle days = signed − start in calendar days; negative cycles are
-- left out. Percentiles interpolate linearly (position q × (n − 1)).
-- Over zero cycles every statistic is NULL (n = 0).
CREATE OR REPLACE VIEW metric_cycle AS
SELECT COUNT(cycle_days)                                           AS n,
       AVG(CAST(cycle_days AS DOUBLE))                             AS mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_days)     AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle_days)     AS p90,
       MIN(cycle_days)                                             AS min,
       MAX(cycle_days)                                             AS max
FROM deal_rows
WHERE cycle_days IS NOT NULL;

-- metrics.md §2: the same by owner, source, industry section and grade.
CREATE OR REPLACE VIEW metric_cycle_breakdown AS
WITH keyed AS (
  SELECT 'owner'    AS dimension, owner        AS key, cycle_days FROM deal_rows WHERE cycle_days IS NOT NULL
  UNION ALL
  SELECT 'source'   AS dimension, source_key   AS key, cycle_days FROM deal_rows WHERE cycle_days IS NOT NULL
  UNION ALL
  SELECT 'industry' AS dimension, industry_key AS key, cycle_days FROM deal_rows WHERE cycle_days IS NOT NULL
  UNION ALL
  SELECT 'grade'    AS dimension, grade_key    AS key, cycle_days FROM deal_rows WHERE cycle_days IS NOT NULL
), g AS (
  SELECT dimension, key,
         COUNT(*)                                                AS n,
         AVG(CAST(cycle_days AS DOUBLE))                         AS mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_days) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle_days) AS p90
  FROM keyed
  GROUP BY dimension, key
)
SELECT dimension, key, n, mean, median, p90,
       ROW_NUMBER() OVER (PARTITION BY dimension ORDER BY n DESC, key) AS rank
FROM g;


-- metrics.md §3: top needs, over all customers whatever their stage.
--   Phrases of a customer: need_tags if non-empty, else need_core and
--   need_secondary; split on 、 , ， ; ； / ／ | and line breaks (not on a
--   space); trim spaces, quotes and brackets at both ends; drop empty pieces.
--   Phrases compare with ASCII letters case-folded (only A–Z: translate,
--   not lower(), which would fold other scripts too); count = distinct
--   customers; the form shown is the first seen in input order (customer
--   order, then need_core before need_secondary, then position in the cell).
--   Ranking: count descending, then need text in code-point order.
--   NOT applied here: the config's need synonyms (map them before or after).
CREATE OR REPLACE VIEW metric_top_needs AS
WITH cells AS (
  SELECT customer_no, 0 AS cell_no, need_tags AS txt
  FROM customer_rows WHERE need_tags IS NOT NULL AND need_tags <> ''
  UNION ALL
  SELECT customer_no, 1, need_core FROM customer_rows
  WHERE (need_tags IS NULL OR need_tags = '') AND need_core IS NOT NULL
  UNION ALL
  SELECT customer_no, 2, need_secondary FROM customer_rows
  WHERE (need_tags IS NULL OR need_tags = '') AND need_secondary IS NOT NULL
), pieces AS (
  SELECT c.customer_no, c.cell_no, p.pos,
         trim(p.piece, ' "''“”‘’「」『』()（）[]【】《》<>') AS phrase
  FROM cells c
  CROSS JOIN UNNEST(regexp_split_to_array(c.txt, '[、,，;；/／|\r\n]')) WITH ORDINALITY AS p(piece, pos)
), keyed AS (
  SELECT customer_no, cell_no, pos, phrase,
         translate(phrase, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS need_key
  FROM pieces
  WHERE phrase <> ''
), shown AS (
  SELECT need_key, phrase AS need
  FROM (SELECT need_key, phrase,
               ROW_NUMBER() OVER (PARTITION BY need_key ORDER BY customer_no, cell_no, pos) AS rn
        FROM keyed) x
  WHERE rn = 1
), counted AS (
  SELECT need_key, COUNT(DISTINCT customer_no) AS customers
  FROM keyed
  GROUP BY need_key
)
SELECT ROW_NUMBER() OVER (ORDER BY c.customers DESC, s.need) AS rank,
       s.need,
       c.customers
FROM counted c
JOIN shown s ON s.need_key = c.need_key;


-- metrics.md §4: follow-up cadence, one row per tracked customer.
--   state: lost when all its opportunities are lost (not tracked);
--   maintenance when it has a won one and no open one (unknown stage counts
--   as open); otherwise active — also a customer with no opportunity.
--   "Its opportunities" are the counted ones (deals, linked by customer_no)
--   when the input had an opportunities table (run.opportunity_table);
--   without one, the customer is its own opportunity and its own current
--   stage decides (own_outcome: won, lost, else open) — also when its
--   opportunity starts after the as-of date and is not in deals.
--   allowed gap: from run — maintenance allowed_gap_maintenance; active by
--   grade allowed_gap_a / _b / _c (an ungraded customer is counted under C).
--   start date: first_contact_date, else created_date, else its earliest
--   follow-up (<= as-of), else the earliest start of its opportunities.
--   last touch: latest of its follow-up dates, its last_followup_date and
--   its start date, each only when on or before the as-of date.
--   overdue when as-of − last touch > gap; no date at all: tracked, not
--   overdue, counted as undated.
CREATE OR REPLACE VIEW cadence_customers AS
WITH fu AS (
  SELECT f.customer_no,
         MIN(f.followup_day) AS first_followup,
         MAX(f.followup_day) AS last_followup
  FROM followup_rows f, params p
  WHERE f.customer_no IS NOT NULL AND f.followup_day <= p.as_of
  GROUP BY f.customer_no
), outcomes AS (
  -- one row per opportunity of a customer: won / lost / NULL (open)
  SELECT d.customer_no,
         CASE WHEN d.won THEN 'won' WHEN d.lost THEN 'lost' END AS outcome
  FROM deal_rows d, params p
  WHERE p.opportunity_table AND d.customer_no IS NOT NULL
  UNION ALL
  SELECT r.customer_no, r.own_outcome
  FROM customer_rows r, params p
  WHERE NOT p.opportunity_table
), st AS (
  SELECT customer_no,
         COUNT(*)                                       AS n_deals,
         COUNT(CASE WHEN outcome = 'lost' THEN 1 END)   AS n_lost,
         COUNT(CASE WHEN outcome = 'won'  THEN 1 END)   AS n_won,
         COUNT(CASE WHEN outcome IS NULL  THEN 1 END)   AS n_open
  FROM outcomes
  GROUP BY customer_no
), ds AS (
  SELECT customer_no, MIN(start_date) AS first_deal_start
  FROM deal_rows
  WHERE customer_no IS NOT NULL
  GROUP BY customer_no
), c AS (
  SELECT r.customer_no,
         COALESCE(r.customer_name, r.customer_id, '') AS customer,
         r.owner_key                                   AS owner,
         COALESCE(r.grade, 'C')                        AS grade,
         CASE WHEN st.n_deals > 0 AND st.n_lost = st.n_deals THEN 'lost'
              WHEN st.n_won > 0 AND st.n_open = 0          THEN 'maintenance'
              ELSE 'active' END                        AS state,
         r.last_followup_day,
         COALESCE(r.first_contact_day, r.created_day, fu.first_followup, ds.first_deal_start) AS start_day,
         fu.last_followup
  FROM customer_rows r
  LEFT JOIN fu ON fu.customer_no = r.customer_no
  LEFT JOIN st ON st.customer_no = r.customer_no
  LEFT JOIN ds ON ds.customer_no = r.customer_no
), touches AS (
  SELECT customer_no, last_followup     AS touch FROM c
  UNION ALL
  SELECT customer_no, last_followup_day AS touch FROM c
  UNION ALL
  SELECT customer_no, start_day         AS touch FROM c
), last_touch AS (
  SELECT t.customer_no, MAX(t.touch) AS last_touch
  FROM touches t, params p
  WHERE t.touch <= p.as_of
  GROUP BY t.customer_no
), gapped AS (
  SELECT c.customer_no, c.customer, c.owner, c.grade, c.state,
         lt.last_touch,
         CASE WHEN c.state = 'maintenance' THEN p.gap_maintenance
              WHEN c.grade = 'A' THEN p.gap_a
              WHEN c.grade = 'B' THEN p.gap_b
              ELSE p.gap_c END AS allowed_gap,
         date_diff('day', lt.last_touch, p.as_of) AS days_since
  FROM c
  CROSS JOIN params p
  LEFT JOIN last_touch lt ON lt.customer_no = c.customer_no
  WHERE c.state <> 'lost'
)
SELECT customer_no, customer, owner, grade, state, last_touch, allowed_gap, days_since,
       CASE WHEN days_since > allowed_gap THEN days_since - allowed_gap END AS days_overdue,
       (days_since IS NOT NULL AND days_since > allowed_gap)               AS overdue
FROM gapped;

-- metrics.md §4: compliance = (tracked − overdue) / tracked.
CREATE OR REPLACE VIEW metric_cadence AS
SELECT COUNT(*)                                                      AS tracked,
       COUNT(CASE WHEN overdue THEN 1 END)                      AS overdue,
       CAST(COUNT(*) - COUNT(CASE WHEN overdue THEN 1 END) AS DOUBLE)
         / NULLIF(COUNT(*), 0)                                       AS compliance,
       COUNT(CASE WHEN last_touch IS NULL THEN 1 END)           AS undated
FROM cadence_customers;

CREATE OR REPLACE VIEW metric_cadence_by_grade AS
SELECT grade,
       COUNT(*)                                  AS tracked,
       COUNT(CASE WHEN overdue THEN 1 END)  AS overdue,
       CAST(COUNT(*) - COUNT(CASE WHEN overdue THEN 1 END) AS DOUBLE) / COUNT(*) AS compliance
FROM cadence_customers
GROUP BY grade;

CREATE OR REPLACE VIEW metric_cadence_by_state AS
SELECT state,
       COUNT(*)                                  AS tracked,
       COUNT(CASE WHEN overdue THEN 1 END)  AS overdue,
       CAST(COUNT(*) - COUNT(CASE WHEN overdue THEN 1 END) AS DOUBLE) / COUNT(*) AS compliance
FROM cadence_customers
GROUP BY state;

-- The overdue list, sorted by days overdue descending, then customer.
CREATE OR REPLACE VIEW metric_cadence_overdue_list AS
SELECT ROW_NUMBER() OVER (ORDER BY days_overdue DESC, customer) AS rank,
       customer, owner, grade, state, last_touch, allowed_gap, days_overdue
FROM cadence_customers
WHERE overdue;


-- metrics.md §6: per sales rep (owner = normalized owner text, `未分配`
-- when empty). Without a period:
--   customers        customers owned;
--   opportunities, won, lost, open, won_amount, win_rate
--                    as funnel by_owner (known-stage opportunities);
--   followups        follow-ups dated on or before the as-of date, counted
--                    under their own owner, else their customer's owner;
--   followups_per_customer = followups / customers (NULL with 0 customers);
--   cycle_median_days     median cycle of the owner's won deals (§2);
--   tracked, overdue, cadence_compliance  cadence of the owner's customers;
--   completeness     average share of the ten fields filled on the owner's
--                    customers (customer_name, industry, source,
--                    contact_name, contact_title, phone, need_core, budget,
--                    grade, stage).
-- Rows: every owner with customers, counted follow-ups or known-stage
-- opportunities, by won_amount descending, then owner. (Roster reps with
-- no records are not in the lake: see the header.)
CREATE OR REPLACE VIEW metric_reps AS
WITH fu AS (
  SELECT COALESCE(f.own_owner, c.owner_key, '未分配') AS owner, COUNT(*) AS followups
  FROM followup_rows f
  CROSS JOIN params p
  LEFT JOIN customer_rows c ON c.customer_no = f.customer_no
  WHERE f.followup_day <= p.as_of
  GROUP BY COALESCE(f.own_owner, c.owner_key, '未分配')
), cu AS (
  SELECT owner_key AS owner, COUNT(*) AS customers, SUM(filled_fields) AS filled
  FROM customer_rows
  GROUP BY owner_key
), fn AS (
  SELECT key AS owner, opportunities, won, lost, open, won_amount, win_rate
  FROM metric_funnel_breakdown
  WHERE dimension = 'owner'
), cy AS (
  SELECT key AS owner, median AS cycle_median_days
  FROM metric_cycle_breakdown
  WHERE dimension = 'owner'
), ca AS (
  SELECT owner, COUNT(*) AS tracked, COUNT(CASE WHEN overdue THEN 1 END) AS overdue
  FROM cadence_customers
  GROUP BY owner
), owners AS (
  SELECT owner FROM cu UNION SELECT owner FROM fu UNION SELECT owner FROM fn
)
SELECT o.owner,
       COALESCE(cu.customers, 0)                      AS customers,
       COALESCE(fn.opportunities, 0)                  AS opportunities,
       COALESCE(fn.won, 0)                            AS won,
       COALESCE(fn.lost, 0)                           AS lost,
       COALESCE(fn.open, 0)                           AS open,
       COALESCE(fn.won_amount, 0)                     AS won_amount,
       fn.win_rate,
       COALESCE(fu.followups, 0)                      AS followups,
       CAST(COALESCE(fu.followups, 0) AS DOUBLE) / NULLIF(cu.customers, 0) AS followups_per_customer,
       cy.cycle_median_days,
       COALESCE(ca.tracked, 0)                        AS tracked,
       COALESCE(ca.overdue, 0)                        AS overdue,
       CAST(ca.tracked - ca.overdue AS DOUBLE) / NULLIF(ca.tracked, 0) AS cadence_compliance,
       CAST(cu.filled AS DOUBLE) / NULLIF(cu.customers * 10, 0)        AS completeness,
       ROW_NUMBER() OVER (ORDER BY COALESCE(fn.won_amount, 0) DESC, o.owner) AS rank
FROM owners o
LEFT JOIN cu ON cu.owner = o.owner
LEFT JOIN fu ON fu.owner = o.owner
LEFT JOIN fn ON fn.owner = o.owner
LEFT JOIN cy ON cy.owner = o.owner
LEFT JOIN ca ON ca.owner = o.owner;


-- metrics.md §11 `activity.followups` without a period: follow-ups dated on
-- or before the as-of date (the sum of metric_reps.followups).
CREATE OR REPLACE VIEW metric_followups AS
SELECT COUNT(*) AS followups
FROM followup_rows f, params p
WHERE f.followup_day <= p.as_of;
