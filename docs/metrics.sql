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
-- The lake (written by `crm-report clean INPUTS -o LAKE --format parquet --as-of D`)
--   LAKE/<table>/month=YYYY-MM/part-0.parquet   (month=unknown: no date)
--   LAKE/<table>/part-0.parquet                 (unpartitioned tables)
--   Tables read here: customers, followups, deals (duplicates for one count).
--   `deals` is already "as of" the --as-of date given to `clean`
--   (metrics.md §0: opportunities starting after it are left out).
--
-- Parameters (two DuckDB variables, set BEFORE reading this file)
--   lake   directory of the lake (default 'lake', relative to the working dir)
--   as_of  the as-of date; it MUST be the --as-of given to `clean`, because
--          the deals table was cut at that date. Required: every view that
--          needs it raises an error when it is not set.
--
--     duckdb -c "SET VARIABLE lake = '/data/lake';
--                SET VARIABLE as_of = DATE '2026-10-31';
--                .read docs/metrics.sql
--                SELECT * FROM metric_funnel;"
--
--   or from Python: con.execute("SET VARIABLE lake = ?", [dir]);
--   con.execute("SET VARIABLE as_of = ?", [date]); con.execute(open(...).read()).
--   Views bind the variables when they are queried, so changing a variable
--   and re-querying re-reads the new lake / date.
--
-- Porting (Spark SQL, Trino, ...)
--   * Replace the four `lake_*` views by tables over the same directories
--     (Hive-partitioned by `month`) and the `params` view by a one-row
--     literal. A declared table schema also makes the "column guards" below
--     unnecessary: a column absent from a file reads as NULL there.
--   * DuckDB-only bits, with their usual equivalents:
--       read_parquet(...)/getvariable(...)/error(...)  -> table DDL, literals
--       UNION ALL BY NAME (column guards)              -> declared schema
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
--   * Config-dependent parts use the defaults of metrics.md: the five
--     default stages (view `stages`), cadence gaps A 7 / B 14 / C 30 /
--     maintenance 90 days, and NO need synonyms (config `need_synonyms` is
--     not applied by top needs here). A team with a custom config edits the
--     `stages` view and the cadence gaps below, and maps synonyms itself.
--   * Roster reps with no records (metrics.md §6) are not listed: the
--     roster is not part of the lake.
--   * Everything else of summary.json (forecast, targets, grades, to-dos,
--     satisfaction, complaints, monthly, weekly, collections, keywords).
--
-- Known limits of the lake layout, and how the SQL copes
--   * Columns exist only when some input row had them, so the lake_* views
--     add every column used here as a typed NULL when absent (column guards).
--   * `customer_key` is NOT unique in customers: two rows with the same name
--     key but different non-empty customer_ids are two customers
--     (schema.md §3, possible_duplicate). Follow-ups are therefore linked to
--     customers as the tool does: by customer_id when it matches a customer
--     with that key, else to the first customer (input order) with the key.
--     Deals carry no customer_id: a deal whose key is shared goes to the
--     customer of that key with exactly its customer_name, else to the first
--     one. This is exact without an opportunities table unless two such
--     customers also have identical names; with one, it can differ from the
--     tool when an opportunity row names a later customer of a shared key.
--   * "Input order" of customers (first-seen need form, first customer of a
--     key) is approximated by (source_file, source_sheet, source_row):
--     files are in the tool's order (byte order of the path), but sheets of
--     one workbook compare by name here, not in workbook order.
--   * The followups directory must exist (clean writes it only when some
--     follow-up was read); the deals directory exists whenever any
--     opportunity is counted.
-- =====================================================================


-- ---------------------------------------------------------------------
-- Parameters
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW params AS
SELECT CASE
         WHEN getvariable('as_of') IS NULL
           THEN error('metrics.sql: SET VARIABLE as_of = DATE ''YYYY-MM-DD'' (the --as-of given to clean) before querying')
         ELSE CAST(getvariable('as_of') AS DATE)
       END AS as_of;


-- ---------------------------------------------------------------------
-- The lake tables, with column guards: `UNION ALL BY NAME` with an empty,
-- typed row set adds every column used below as NULL when no input had it.
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW lake_customers AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/customers/**/*.parquet',
                           hive_partitioning = true, union_by_name = true)
UNION ALL BY NAME
SELECT CAST(NULL AS VARCHAR)   AS customer_key,
       CAST(NULL AS VARCHAR)   AS customer_id,
       CAST(NULL AS VARCHAR)   AS customer_name,
       CAST(NULL AS VARCHAR)   AS industry,
       CAST(NULL AS VARCHAR)   AS source,
       CAST(NULL AS VARCHAR)   AS grade,
       CAST(NULL AS VARCHAR)   AS owner,
       CAST(NULL AS TIMESTAMP) AS created_date,
       CAST(NULL AS TIMESTAMP) AS first_contact_date,
       CAST(NULL AS TIMESTAMP) AS last_followup_date,
       CAST(NULL AS VARCHAR)   AS stage,
       CAST(NULL AS VARCHAR)   AS contact_name,
       CAST(NULL AS VARCHAR)   AS contact_title,
       CAST(NULL AS VARCHAR)   AS phone,
       CAST(NULL AS VARCHAR)   AS need_core,
       CAST(NULL AS VARCHAR)   AS need_secondary,
       CAST(NULL AS VARCHAR)   AS need_tags,
       CAST(NULL AS VARCHAR)   AS budget,
       CAST(NULL AS VARCHAR)   AS source_file,
       CAST(NULL AS VARCHAR)   AS source_sheet,
       CAST(NULL AS BIGINT)    AS source_row
WHERE 1 = 0;

CREATE OR REPLACE VIEW lake_followups AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/followups/**/*.parquet',
                           hive_partitioning = true, union_by_name = true)
UNION ALL BY NAME
SELECT CAST(NULL AS VARCHAR)   AS customer_key,
       CAST(NULL AS VARCHAR)   AS customer_id,
       CAST(NULL AS VARCHAR)   AS owner,
       CAST(NULL AS TIMESTAMP) AS followup_date
WHERE 1 = 0;

-- deals always has all its columns (one row per opportunity as counted, §1).
CREATE OR REPLACE VIEW lake_deals AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/deals/**/*.parquet',
                           hive_partitioning = true, union_by_name = true);

CREATE OR REPLACE VIEW lake_duplicates AS
SELECT * FROM read_parquet(coalesce(getvariable('lake'), 'lake') || '/duplicates/**/*.parquet',
                           hive_partitioning = true, union_by_name = true);


-- ---------------------------------------------------------------------
-- The default pipeline (metrics.md §1). Edit for a custom config pipeline.
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW stages AS
SELECT * FROM (VALUES
  (1, 'lead',        '线索'),
  (2, 'qualify',     '需求分析'),
  (3, 'proposal',    '方案沟通'),
  (4, 'negotiation', '商务谈判'),
  (5, 'won',         '成交')
) AS s(stage_order, code, label);


-- ---------------------------------------------------------------------
-- Shared building blocks
-- ---------------------------------------------------------------------

-- Customers with their input-order number and dates as calendar dates
-- (metrics.md §0 and §4 compare days; times of day are ignored).
CREATE OR REPLACE VIEW customer_rows AS
SELECT ROW_NUMBER() OVER (ORDER BY source_file, source_sheet, source_row) AS customer_no,
       customer_key,
       customer_id,
       customer_name,
       COALESCE(NULLIF(owner, ''), '未分配')  AS owner_key,
       grade,
       CAST(first_contact_date AS DATE)      AS first_contact_day,
       CAST(created_date AS DATE)            AS created_day,
       CAST(last_followup_date AS DATE)      AS last_followup_day,
       need_tags, need_core, need_secondary,
       -- completeness fields (§6): filled = non-empty after normalization
         (CASE WHEN customer_name IS NOT NULL AND CAST(customer_name AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN industry      IS NOT NULL AND CAST(industry      AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN source        IS NOT NULL AND CAST(source        AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN contact_name  IS NOT NULL AND CAST(contact_name  AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN contact_title IS NOT NULL AND CAST(contact_title AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN phone         IS NOT NULL AND CAST(phone         AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN need_core     IS NOT NULL AND CAST(need_core     AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN budget        IS NOT NULL AND CAST(budget        AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN grade         IS NOT NULL AND CAST(grade         AS VARCHAR) <> '' THEN 1 ELSE 0 END)
       + (CASE WHEN stage         IS NOT NULL AND CAST(stage         AS VARCHAR) <> '' THEN 1 ELSE 0 END)
         AS filled_fields
FROM lake_customers;

-- Follow-up -> customer (metrics.md §4 last point): by customer_id when it
-- matches a customer, else the first customer with the name's key. The
-- follow-up's customer_key already is its customer's key; the id picks
-- among customers sharing that key.
CREATE OR REPLACE VIEW followup_customer AS
SELECT customer_key, customer_id, customer_no
FROM (
  SELECT f.customer_key, f.customer_id, c.customer_no,
         ROW_NUMBER() OVER (
           PARTITION BY f.customer_key, f.customer_id
           ORDER BY CASE WHEN c.customer_id = f.customer_id THEN 0 ELSE 1 END, c.customer_no
         ) AS rn
  FROM (SELECT DISTINCT customer_key, customer_id FROM lake_followups
        WHERE customer_key IS NOT NULL) f
  JOIN customer_rows c ON c.customer_key = f.customer_key
) x
WHERE rn = 1;

CREATE OR REPLACE VIEW followup_rows AS
SELECT f.customer_key,
       m.customer_no,
       NULLIF(f.owner, '')           AS own_owner,
       CAST(f.followup_date AS DATE) AS followup_day
FROM lake_followups f
LEFT JOIN followup_customer m
  ON  m.customer_key = f.customer_key
  AND COALESCE(m.customer_id, '') = COALESCE(f.customer_id, '');

-- Deal -> customer (for cadence states): the customer of the deal's key
-- with exactly its name, else the first customer of the key (see the
-- limits in the header).
CREATE OR REPLACE VIEW deal_customer AS
SELECT customer_key, customer_name, customer_no
FROM (
  SELECT d.customer_key, d.customer_name, c.customer_no,
         ROW_NUMBER() OVER (
           PARTITION BY d.customer_key, d.customer_name
           ORDER BY CASE WHEN c.customer_name = d.customer_name THEN 0 ELSE 1 END, c.customer_no
         ) AS rn
  FROM (SELECT DISTINCT customer_key, customer_name FROM lake_deals
        WHERE customer_key IS NOT NULL) d
  JOIN customer_rows c ON c.customer_key = d.customer_key
) x
WHERE rn = 1;

-- Opportunities as the funnel counts them (§1), with breakdown keys
-- (`未知` for an empty or unmapped value, §11) and cycle days (§2).
CREATE OR REPLACE VIEW deal_rows AS
SELECT d.*,
       m.customer_no,
       (d.furthest_order IS NOT NULL)            AS known_stage,
       COALESCE(d.source, '未知')                 AS source_key,
       COALESCE(d.industry_section, '未知')       AS industry_key,
       COALESCE(d.grade, '未知')                  AS grade_key,
       COALESCE(SUBSTR(CAST(d.start_date AS VARCHAR), 1, 7), '未知') AS start_month_key,
       CASE WHEN d.won AND d.start_date IS NOT NULL AND d.signed_date IS NOT NULL
                 AND date_diff('day', d.start_date, d.signed_date) >= 0
            THEN date_diff('day', d.start_date, d.signed_date) END AS cycle_days
FROM lake_deals d
LEFT JOIN deal_customer m
  ON  m.customer_key = d.customer_key
  AND COALESCE(m.customer_name, '') = COALESCE(d.customer_name, '');


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
         SUM(CASE WHEN d.known_stage AND d.furthest_order >= s.stage_order THEN 1 ELSE 0 END) AS reached,
         SUM(CASE WHEN d.known_stage AND d.stage_order = s.stage_order THEN 1 ELSE 0 END)     AS current
  FROM stages s CROSS JOIN deal_rows d
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
         SUM(CASE WHEN known_stage THEN 1 ELSE 0 END)                      AS known,
         SUM(CASE WHEN known_stage AND won  THEN 1 ELSE 0 END)             AS won,
         SUM(CASE WHEN known_stage AND lost THEN 1 ELSE 0 END)             AS lost,
         SUM(CASE WHEN known_stage AND furthest_order >= 1 THEN 1 ELSE 0 END) AS reached_1,
         COALESCE(SUM(CASE WHEN known_stage AND won  THEN deal_amount END), 0) AS won_amount,
         COALESCE(SUM(CASE WHEN known_stage AND lost THEN deal_amount END), 0) AS lost_amount,
         COALESCE(SUM(CASE WHEN known_stage AND NOT won AND NOT lost THEN deal_amount END), 0) AS open_amount,
         SUM(CASE WHEN known_stage AND won AND deal_amount > 0 THEN 1 ELSE 0 END) AS won_with_amount
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
         SUM(CASE WHEN won  THEN 1 ELSE 0 END)          AS won,
         SUM(CASE WHEN lost THEN 1 ELSE 0 END)          AS lost,
         SUM(CASE WHEN furthest_order >= 1 THEN 1 ELSE 0 END) AS reached_1,
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
--   allowed gap: maintenance 90; active by grade A 7, B 14, else 30 (an
--   ungraded customer is counted under C). [config defaults]
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
), st AS (
  SELECT customer_no,
         COUNT(*)                                              AS n_deals,
         SUM(CASE WHEN lost THEN 1 ELSE 0 END)                 AS n_lost,
         SUM(CASE WHEN won  THEN 1 ELSE 0 END)                 AS n_won,
         SUM(CASE WHEN NOT won AND NOT lost THEN 1 ELSE 0 END) AS n_open,
         MIN(start_date)                                       AS first_deal_start
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
         COALESCE(r.first_contact_day, r.created_day, fu.first_followup, st.first_deal_start) AS start_day,
         fu.last_followup
  FROM customer_rows r
  LEFT JOIN fu ON fu.customer_no = r.customer_no
  LEFT JOIN st ON st.customer_no = r.customer_no
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
         CASE WHEN c.state = 'maintenance' THEN 90
              WHEN c.grade = 'A' THEN 7
              WHEN c.grade = 'B' THEN 14
              ELSE 30 END AS allowed_gap,
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
       SUM(CASE WHEN overdue THEN 1 ELSE 0 END)                      AS overdue,
       CAST(COUNT(*) - SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS DOUBLE)
         / NULLIF(COUNT(*), 0)                                       AS compliance,
       SUM(CASE WHEN last_touch IS NULL THEN 1 ELSE 0 END)           AS undated
FROM cadence_customers;

CREATE OR REPLACE VIEW metric_cadence_by_grade AS
SELECT grade,
       COUNT(*)                                  AS tracked,
       SUM(CASE WHEN overdue THEN 1 ELSE 0 END)  AS overdue,
       CAST(COUNT(*) - SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS compliance
FROM cadence_customers
GROUP BY grade;

CREATE OR REPLACE VIEW metric_cadence_by_state AS
SELECT state,
       COUNT(*)                                  AS tracked,
       SUM(CASE WHEN overdue THEN 1 ELSE 0 END)  AS overdue,
       CAST(COUNT(*) - SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS compliance
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
  SELECT owner, COUNT(*) AS tracked, SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdue
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
