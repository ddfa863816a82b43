-- Issue 20, construct 8: working days, as data.  Business calendars
-- (odr_business_calendar, odr_business_holiday), a business_days window and
-- a business-day deadline (odr_business_deadline) on a marketplace odr does
-- not ship ("heron", invented, numbers illustrative), checked against a
-- plain-SQL reading of the same rules on generated orders.
SET client_min_messages = warning;
SET extra_float_digits = 0;

-- two calendars: "xl" (Saturday and Sunday off; Christmas, New Year and a
-- few more holidays) and "gulf" (Friday and Saturday off, one holiday)
INSERT INTO odr_business_calendar (name, description) VALUES ('xl', 'Invented country: Saturday and Sunday off');
INSERT INTO odr_business_calendar (name, weekend, description) VALUES ('gulf', '{5,6}', 'Invented country: Friday and Saturday off');
INSERT INTO odr_business_holiday (calendar, day, description) VALUES
 ('xl', '2026-11-11', 'Armistice'), ('xl', '2026-12-24', 'Christmas Eve'), ('xl', '2026-12-25', 'Christmas'),
 ('xl', '2026-12-31', 'New Year''s Eve'), ('xl', '2027-01-01', 'New Year'), ('xl', '2027-01-06', 'Epiphany'),
 ('gulf', '2026-12-02', 'National day');

-- ---------------------------------------------------------------------
-- deadlines: the same time of day N working days later
-- ---------------------------------------------------------------------
SELECT s AS start, n, odr_business_deadline(s, n, 'xl') AS deadline,
       to_char(odr_business_deadline(s, n, 'xl'), 'Dy') AS on_day
FROM (VALUES
 -- Tuesday + 2: Thursday; Wednesday 23 Dec + 1: Christmas Eve and Day,
 -- then the weekend: Monday 28 Dec; Wednesday 30 Dec + 1: New Year's Eve
 -- and Day, the weekend: Monday 4 Jan; Monday 4 Jan + 2: Epiphany moves
 -- it to Thursday; a Saturday start counts from Monday 00:00
 (timestamptz '2026-11-03 10:30+00', 2), ('2026-12-23 16:00+00', 1), ('2026-12-30 09:00+00', 1),
 ('2027-01-04 12:00+00', 2), ('2026-11-07 15:00+00', 1), ('2026-11-07 15:00+00', 0),
 ('2026-11-03 10:30+00', 0), ('2026-11-10 08:00+00', 1)) t(s, n);
-- read in a time zone: 23:30 UTC on Friday is Saturday in Tokyo (the
-- clock starts Monday 00:00 there); Friday/Saturday weekend
SELECT odr_business_deadline('2026-11-06 23:30+00', 1, 'xl') AS utc,
       odr_business_deadline('2026-11-06 23:30+00', 1, 'xl', 'Asia/Tokyo') AS tokyo,
       odr_business_deadline('2026-11-05 10:00+00', 1, 'gulf') AS gulf_thursday,
       odr_business_deadline('2026-12-01 10:00+00', 1, 'gulf') AS gulf_national_day;
-- against plain SQL, every start hour over four months, 0..12 days
CREATE TEMP TABLE work_days AS
SELECT c.name AS calendar, d::date AS d
FROM odr_business_calendar c, generate_series(date '2026-08-01', date '2027-06-30', interval '1 day') d
WHERE NOT (extract(isodow FROM d)::integer = ANY (c.weekend))
  AND NOT EXISTS (SELECT 1 FROM odr_business_holiday h WHERE h.calendar = c.name AND h.day = d::date);
SELECT count(*) AS deadlines,
       count(*) FILTER (WHERE engine IS DISTINCT FROM plain) AS mismatches
FROM (SELECT c.calendar, s, n, odr_business_deadline(s, n, c.calendar) AS engine,
             (SELECT CASE WHEN n = 0 THEN sd.d ELSE (SELECT w.d FROM work_days w WHERE w.calendar = c.calendar AND w.d > sd.d
                                                    ORDER BY w.d OFFSET n - 1 LIMIT 1) END
                     + CASE WHEN sd.d = (s AT TIME ZONE 'UTC')::date THEN (s AT TIME ZONE 'UTC')::time ELSE time '00:00' END
              FROM (SELECT min(w.d) AS d FROM work_days w WHERE w.calendar = c.calendar AND w.d >= (s AT TIME ZONE 'UTC')::date) sd
             ) AT TIME ZONE 'UTC' AS plain
      FROM (VALUES ('xl'), ('gulf')) c(calendar),
           generate_series(timestamptz '2026-10-01 00:00+00', '2027-01-31 00:00+00', interval '7 hours') s,
           generate_series(0, 12) n) x;

-- ---------------------------------------------------------------------
-- heron: ships within 2 working days (xl) of payment; graded daily on the
-- last 10 working days (xl) of shipments due, and on 5 working days of the
-- gulf calendar ending the day before
-- ---------------------------------------------------------------------
BEGIN;
INSERT INTO odr_marketplace (name, description, date_bases, events)
VALUES ('heron', 'Invented programme (issue 20, construct 8): business-day windows and deadlines',
        '{ship_due}', '{order,late}');
INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, basis) VALUES
 ('heron', 'orders', 'count', '{order}', 'ship_due'),
 ('heron', 'late', 'count', '{order,late}', 'ship_due');
INSERT INTO odr_marketplace_window (marketplace, name, kind, length, lag, calendar) VALUES
 ('heron', 'bd_10', 'business_days', 10, 0, 'xl'),
 ('heron', 'gulf_5', 'business_days', 5, 1, 'gulf');
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window") VALUES
 ('heron', 'late_rate', 'rate', 'late', 'orders', 'bd_10'),
 ('heron', 'gulf_orders', 'count', 'orders', NULL, 'gulf_5');
INSERT INTO odr_marketplace_standard (marketplace, name, position) VALUES ('heron', 'punctual', 1), ('heron', 'active', 2);
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('heron', 'punctual', 1, 'late_rate', '<', 0.10), ('heron', 'active', 1, 'gulf_orders', '>=', 3);
INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards) VALUES
 ('heron', 'late', 0, 1, 'any_failed', '{punctual}'),
 ('heron', 'good', 2, 2, 'all_met', '{punctual,active}'),
 ('heron', 'fair', 1, 3, 'otherwise', '{}');
COMMIT;
SELECT odr_marketplace_check('heron');

-- 30 sellers' orders, paid at any hour from October to January; the late
-- fact is the user's: shipped after odr_business_deadline(paid_at, 2, 'xl')
CREATE TABLE hr_orders (seller text, paid_at timestamptz, shipped_at timestamptz);
INSERT INTO hr_orders
SELECT 's' || lpad((g % 30)::text, 2, '0'), p, p + (((g * 7) % (40 + g % 30)) || ' hours')::interval
FROM generate_series(0, 5999) g, LATERAL (SELECT timestamptz '2026-10-01 00:00+00' + ((g * 131) % 2950 || ' hours')::interval AS p) x;
CREATE TABLE hr_facts AS
SELECT seller, paid_at, shipped_at, d AS due, (d AT TIME ZONE 'UTC')::date AS due_day, shipped_at > d AS late
FROM hr_orders, LATERAL (SELECT odr_business_deadline(paid_at, 2, 'xl') AS d) x;
CREATE VIEW hr_order_view AS
SELECT seller, odr_order('heron', ARRAY[due_day], ARRAY[true, late]) AS o FROM hr_facts;
SELECT count(*) AS orders, count(DISTINCT seller) AS sellers, count(*) FILTER (WHERE late) AS late FROM hr_facts;

-- the days graded: every day of 15 Dec 2026 .. 15 Jan 2027 (weekends and
-- holidays included: Christmas, the year's end, Epiphany; the gulf
-- national day on 2 Dec is in the window of 3 .. 9 Dec)
CREATE TABLE hr_days AS
SELECT d::date AS as_of FROM generate_series(date '2026-12-15', date '2027-01-15', interval '1 day') d
UNION SELECT unnest('{2026-12-03,2026-12-06,2026-12-09}'::date[]);
CREATE TABLE hr_engine AS
SELECT f.seller, d.as_of, odr_assess(f.o, 'heron', d.as_of) AS s
FROM hr_order_view f, hr_days d GROUP BY 1, 2;

-- the same windows in plain SQL: the first day is the length-th working
-- day counting back from as_of - lag (itself included when it is one),
-- the last is as_of - lag
CREATE TABLE hr_plain AS
SELECT s.seller, d.as_of, x.metric, x.first_day, x.last_day, x.value
FROM (SELECT DISTINCT seller FROM hr_facts) s, hr_days d,
LATERAL (SELECT (SELECT w.d FROM work_days w WHERE w.calendar = 'xl' AND w.d <= d.as_of ORDER BY w.d DESC OFFSET 9 LIMIT 1) AS f10,
                (SELECT w.d FROM work_days w WHERE w.calendar = 'gulf' AND w.d <= d.as_of - 1 ORDER BY w.d DESC OFFSET 4 LIMIT 1) AS f5) w,
LATERAL (SELECT count(*) FILTER (WHERE f.due_day BETWEEN w.f10 AND d.as_of) AS orders,
                count(*) FILTER (WHERE f.due_day BETWEEN w.f10 AND d.as_of AND f.late) AS late,
                count(*) FILTER (WHERE f.due_day BETWEEN w.f5 AND d.as_of - 1) AS gulf_orders
         FROM hr_facts f WHERE f.seller = s.seller) o,
LATERAL (VALUES ('late_rate', w.f10, d.as_of, round(o.late::numeric / nullif(o.orders, 0), 9)),
                ('gulf_orders', w.f5, d.as_of - 1, o.gulf_orders::numeric)) x(metric, first_day, last_day, value);
CREATE TABLE hr_engine_metrics AS
SELECT e.seller, e.as_of, m.metric, m.first_day, m.last_day, round(m.value::numeric, 9) AS value
FROM hr_engine e, odr_standing_metrics(e.s) m;
SELECT metric, count(*) AS graded,
       (SELECT count(*) FROM (SELECT * FROM hr_engine_metrics WHERE metric = p.metric
                              EXCEPT SELECT * FROM hr_plain WHERE metric = p.metric) x) AS only_engine,
       (SELECT count(*) FROM (SELECT * FROM hr_plain WHERE metric = p.metric
                              EXCEPT SELECT * FROM hr_engine_metrics WHERE metric = p.metric) x) AS only_plain
FROM hr_plain p GROUP BY metric ORDER BY metric;
-- the windows at the boundaries: a Saturday, Christmas Day, across the
-- year's end (Christmas, New Year's Eve and Day are not counted), Epiphany;
-- gulf: the national day and the Friday/Saturday weekend
SELECT DISTINCT as_of, to_char(as_of, 'Dy') AS dow, metric, first_day, last_day
FROM hr_engine_metrics WHERE as_of IN ('2026-12-06', '2026-12-09', '2026-12-19', '2026-12-25', '2027-01-04', '2027-01-06')
ORDER BY as_of, metric;
-- levels against plain SQL
SELECT (SELECT count(*) FROM (SELECT seller, as_of, odr_level(s) FROM hr_engine
                              EXCEPT
                              SELECT p.seller, p.as_of,
                                     CASE WHEN max(p.value) FILTER (WHERE p.metric = 'late_rate') >= 0.10 THEN 'late'
                                          WHEN max(p.value) FILTER (WHERE p.metric = 'late_rate') < 0.10
                                               AND max(p.value) FILTER (WHERE p.metric = 'gulf_orders') >= 3 THEN 'good'
                                          ELSE 'fair' END
                              FROM hr_plain p GROUP BY 1, 2) x) AS level_mismatches,
       (SELECT count(DISTINCT odr_level(s)) FROM hr_engine) AS levels_seen;
-- explain and advise on a business-day window
SELECT x.standard, x.state, x.metric, x.op, x.threshold, x.applies, x.holds
FROM hr_engine e, odr_explain(e.s) x WHERE e.seller = 's03' AND e.as_of = '2027-01-04' ORDER BY x."position", x.standard;
SELECT count(*) AS advised FROM hr_engine e, odr_advise(e.s) a WHERE e.as_of = '2027-01-04';

-- per-day tallies rolled up, odr_assess_at over orders and over tallies:
-- the same standings as odr_assess
CREATE TABLE hr_tallies AS
SELECT seller, due_day AS day, odr_tally(odr_order('heron', ARRAY[due_day], ARRAY[true, late]), 'heron', due_day) AS t
FROM hr_facts GROUP BY 1, 2;
SELECT (SELECT count(*) FROM (SELECT e.seller, e.as_of, e.s::text FROM hr_engine e
                              EXCEPT
                              SELECT t.seller, d.as_of, odr_assess(t.t, 'heron', d.as_of)::text
                              FROM hr_tallies t, hr_days d GROUP BY t.seller, d.as_of) x) AS tally_mismatches,
       (SELECT count(*) FROM (SELECT e.seller, e.as_of, e.s::text FROM hr_engine e
                              EXCEPT
                              SELECT f.seller, odr_standing_as_of(a), a::text
                              FROM (SELECT seller, odr_assess_at(o, 'heron', (SELECT array_agg(as_of ORDER BY as_of) FROM hr_days)) AS st
                                    FROM hr_order_view GROUP BY seller) f, unnest(f.st) a) x) AS assess_at_mismatches,
       (SELECT count(*) FROM (SELECT e.seller, e.as_of, e.s::text FROM hr_engine e
                              EXCEPT
                              SELECT f.seller, odr_standing_as_of(a), a::text
                              FROM (SELECT seller, odr_assess_at(t, (SELECT array_agg(as_of ORDER BY as_of) FROM hr_days)) AS st
                                    FROM hr_tallies GROUP BY seller) f, unnest(f.st) a) x) AS assess_at_tally_mismatches;

-- the warehouse: its daily evaluations grade as odr_assess does
SELECT count(*) AS objects FROM odr_create_marketplace_warehouse('hr_order_view', 'seller', 'o', 'heron', 'hrw_');
SELECT count(*) AS evaluations,
       (SELECT count(*) FROM (SELECT w.seller_id, w.evaluated_on, w.level FROM hrw_evaluations w
                              WHERE w.evaluated_on IN (SELECT as_of FROM hr_days)
                              EXCEPT SELECT seller, as_of, odr_level(s) FROM hr_engine) x) AS differ_from_odr_assess
FROM hrw_evaluations WHERE evaluated_on IN (SELECT as_of FROM hr_days);

-- ---------------------------------------------------------------------
-- a calendar edit changes the result, and tallies counted before it are
-- refused (the compiled marketplace's fingerprint covers the calendar)
-- ---------------------------------------------------------------------
SELECT m.first_day FROM hr_engine e, odr_standing_metrics(e.s) m
WHERE e.seller = 's00' AND e.as_of = '2027-01-04' AND m.metric = 'late_rate';
INSERT INTO odr_business_holiday (calendar, day, description) VALUES ('xl', '2026-12-21', 'Invented day off');
SELECT m.first_day FROM (SELECT odr_assess(o, 'heron', date '2027-01-04') AS s FROM hr_order_view WHERE seller = 's00') e,
     odr_standing_metrics(e.s) m WHERE m.metric = 'late_rate';
CREATE FUNCTION pg_temp.refused(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	SET CONSTRAINTS ALL IMMEDIATE;  -- the deferred compile check, now
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.refused($$SELECT odr_assess(t, 'heron', date '2027-01-04') FROM hr_tallies WHERE seller = 's00'$$);
DELETE FROM odr_business_holiday WHERE calendar = 'xl' AND day = '2026-12-21';
SELECT pg_temp.refused($$SELECT odr_assess(t, 'heron', date '2027-01-04') FROM hr_tallies WHERE seller = 's00'$$);
-- "weekends included": an empty weekend, every day but the holidays works
UPDATE odr_business_calendar SET weekend = '{}' WHERE name = 'gulf';
SELECT m.first_day, m.last_day FROM (SELECT odr_assess(o, 'heron', date '2026-12-09') AS s FROM hr_order_view WHERE seller = 's00') e,
     odr_standing_metrics(e.s) m WHERE m.metric = 'gulf_orders';
UPDATE odr_business_calendar SET weekend = '{5,6}' WHERE name = 'gulf';

-- ---------------------------------------------------------------------
-- bad input: refused with its SQLSTATE, nothing changed
-- ---------------------------------------------------------------------
SELECT stmt, pg_temp.refused(stmt) FROM (VALUES
 -- a business_days window without a calendar, with an unknown one, of length 0
 ($$UPDATE odr_marketplace_window SET calendar = NULL WHERE marketplace = 'heron' AND name = 'bd_10'$$),
 ($$UPDATE odr_marketplace_window SET calendar = 'nowhere' WHERE marketplace = 'heron' AND name = 'bd_10'$$),
 ($$UPDATE odr_marketplace_window SET length = 0 WHERE marketplace = 'heron' AND name = 'bd_10'$$),
 ($$UPDATE odr_marketplace_window SET length = 3661 WHERE marketplace = 'heron' AND name = 'bd_10'$$),
 -- a calendar on a window that does not count working days
 ($$UPDATE odr_marketplace_window SET kind = 'days' WHERE marketplace = 'heron' AND name = 'bd_10'$$),
 -- a calendar without working days, weekdays out of range, a NULL one
 ($$INSERT INTO odr_business_calendar (name, weekend) VALUES ('never', '{1,2,3,4,5,6,7}')$$),
 ($$INSERT INTO odr_business_calendar (name, weekend) VALUES ('bad', '{0}')$$),
 ($$INSERT INTO odr_business_calendar (name, weekend) VALUES ('bad', '{8}')$$),
 ($$INSERT INTO odr_business_calendar (name, weekend) VALUES ('bad', '{6,NULL}')$$),
 ($$UPDATE odr_business_calendar SET weekend = '{1,2,3,4,5,6,7}' WHERE name = 'xl'$$),
 -- a holiday of an unknown calendar, an infinite one; deleting a calendar in use
 ($$INSERT INTO odr_business_holiday (calendar, day) VALUES ('nowhere', '2026-12-25')$$),
 ($$INSERT INTO odr_business_holiday (calendar, day) VALUES ('xl', 'infinity')$$),
 ($$DELETE FROM odr_business_calendar WHERE name = 'xl'$$),
 -- the deadline's arguments
 ($$SELECT odr_business_deadline(NULL, 1, 'xl')$$),
 ($$SELECT odr_business_deadline(now(), NULL, 'xl')$$),
 ($$SELECT odr_business_deadline(now(), 1, NULL)$$),
 ($$SELECT odr_business_deadline(now(), 1, 'xl', NULL)$$),
 ($$SELECT odr_business_deadline(now(), -1, 'xl')$$),
 ($$SELECT odr_business_deadline(now(), 36601, 'xl')$$),
 ($$SELECT odr_business_deadline('infinity', 1, 'xl')$$),
 ($$SELECT odr_business_deadline(now(), 1, 'nowhere')$$),
 ($$SELECT odr_business_deadline(now(), 1, 'xl', 'Nowhere/Atlantis')$$)) t(stmt);
SELECT name, kind, length, lag, calendar FROM odr_marketplace_window WHERE marketplace = 'heron' ORDER BY name;
SELECT name, weekend FROM odr_business_calendar ORDER BY name;
SELECT count(*) AS holidays FROM odr_business_holiday;

DROP MATERIALIZED VIEW hrw_daily CASCADE;
DROP VIEW hr_order_view;
DROP TABLE hr_orders, hr_facts, hr_days, hr_engine, hr_plain, hr_engine_metrics, hr_tallies;
DELETE FROM odr_marketplace WHERE name = 'heron';
DELETE FROM odr_business_calendar WHERE name IN ('xl', 'gulf');
