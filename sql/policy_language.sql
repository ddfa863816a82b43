-- Issue 20: the policy language, on a marketplace odr does not ship
-- ("kestrel", invented, numbers illustrative), defined by INSERTs alone and
-- checked against a plain-SQL reading of the same rules on generated orders.
-- Constructs (issue 20's numbering):
--   1 averages of a value (review stars, refund hours)
--   2 rounding before the comparison (down to whole percent; half_up to
--     0.1 percent; half_up of an average to 1 decimal)
--   3 a cap that switches by volume (at most 4 bad reviews under 40
--     reviews, from 40 on a bad-review rate below 10%)
--   4 a minimum count of bad events before a rate fails (met while late
--     rate <= 2% OR fewer than 3 late shipments)
--   5 calendars and windows: evaluated weekly on Wednesday over the last 4
--     whole ISO weeks; quarterly (quarter_end); month-to-date plus 2 whole
--     months; lifetime; a 28-day window falling back to 84 days under 20
--     messages (by_volume)
--  10 not applicable: no messages, no reply rate: neither met nor failed
--  11 any date basis: shipments by ship-by date, messages by reply deadline
SET client_min_messages = warning;
SET extra_float_digits = 0;

BEGIN;
INSERT INTO odr_marketplace (name, description, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES ('kestrel', 'Invented weekly programme (issue 20): graded every Wednesday, in effect from Thursday',
        '{order_date,ship_by,reply_due}', '{order,late,reviewed,bad_review,refunded,message,replied_late}',
        '{stars,refund_hours}', 'weekly', 3, 'next_day');
INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, when_none, basis, value) VALUES
 ('kestrel', 'orders', 'count', '{order}', '{}', 'order_date', NULL),
 ('kestrel', 'shipments', 'count', '{order}', '{}', 'ship_by', NULL),
 ('kestrel', 'on_time', 'count', '{order}', '{late}', 'ship_by', NULL),
 ('kestrel', 'late', 'count', '{order,late}', '{}', 'ship_by', NULL),
 ('kestrel', 'reviews', 'count', '{order,reviewed}', '{}', 'order_date', NULL),
 ('kestrel', 'bad_reviews', 'count', '{order,reviewed,bad_review}', '{}', 'order_date', NULL),
 ('kestrel', 'stars', 'sum', '{order,reviewed}', '{}', 'order_date', 'stars'),
 ('kestrel', 'refunds', 'count', '{order,refunded}', '{}', 'order_date', NULL),
 ('kestrel', 'refund_hours', 'sum', '{order,refunded}', '{}', 'order_date', 'refund_hours'),
 ('kestrel', 'messages', 'count', '{message}', '{}', 'reply_due', NULL),
 ('kestrel', 'replied', 'count', '{message}', '{replied_late}', 'reply_due', NULL);
INSERT INTO odr_marketplace_window (marketplace, name, kind, length, primary_window, fallback_window, volume_counter, volume_min) VALUES
 ('kestrel', 'weeks_4', 'weeks', 4, NULL, NULL, NULL, NULL),
 ('kestrel', 'mtd_2', 'month_to_date', 2, NULL, NULL, NULL, NULL),
 ('kestrel', 'ever', 'lifetime', 1, NULL, NULL, NULL, NULL),
 ('kestrel', 'days_28', 'days', 28, NULL, NULL, NULL, NULL),
 ('kestrel', 'days_84', 'days', 84, NULL, NULL, NULL, NULL),
 ('kestrel', 'recent', 'by_volume', 1, 'days_28', 'days_84', 'messages', 20);
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window") VALUES
 ('kestrel', 'on_time_rate', 'rate', 'on_time', 'shipments', 'weeks_4'),
 ('kestrel', 'late_rate', 'rate', 'late', 'shipments', 'weeks_4'),
 ('kestrel', 'late_count', 'count', 'late', NULL, 'weeks_4'),
 ('kestrel', 'review_count', 'count', 'reviews', NULL, 'weeks_4'),
 ('kestrel', 'bad_review_count', 'count', 'bad_reviews', NULL, 'weeks_4'),
 ('kestrel', 'bad_review_rate', 'rate', 'bad_reviews', 'reviews', 'weeks_4'),
 ('kestrel', 'review_average', 'average', 'stars', 'reviews', 'weeks_4'),
 ('kestrel', 'refund_time', 'average', 'refund_hours', 'refunds', 'mtd_2'),
 ('kestrel', 'reply_rate', 'rate', 'replied', 'messages', 'recent'),
 ('kestrel', 'lifetime_orders', 'count', 'orders', NULL, 'ever');
INSERT INTO odr_marketplace_standard (marketplace, name, position) VALUES
 ('kestrel', 'shipping', 1), ('kestrel', 'lateness', 2), ('kestrel', 'reviews', 3), ('kestrel', 'rating', 4),
 ('kestrel', 'refunds', 5), ('kestrel', 'replies', 6), ('kestrel', 'tenure', 7);
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold, rounding, digits, applies_metric, applies_min, applies_max) VALUES
 ('kestrel', 'shipping', 1, 'on_time_rate', '>=', 0.95, 'down', 2, NULL, NULL, NULL),
 ('kestrel', 'lateness', 1, 'late_rate', '<=', 0.02, 'none', 0, NULL, NULL, NULL),
 ('kestrel', 'lateness', 2, 'late_count', '<', 3, 'none', 0, NULL, NULL, NULL),
 ('kestrel', 'reviews', 1, 'bad_review_count', '<=', 4, 'none', 0, 'review_count', NULL, 40),
 ('kestrel', 'reviews', 2, 'bad_review_rate', '<', 0.10, 'none', 0, 'review_count', 40, NULL),
 ('kestrel', 'rating', 1, 'review_average', '>=', 4.5, 'half_up', 1, NULL, NULL, NULL),
 ('kestrel', 'refunds', 1, 'refund_time', '<=', 48, 'none', 0, NULL, NULL, NULL),
 ('kestrel', 'replies', 1, 'reply_rate', '>=', 0.95, 'half_up', 3, NULL, NULL, NULL),
 ('kestrel', 'tenure', 1, 'lifetime_orders', '>=', 25, 'none', 0, NULL, NULL, NULL);
INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards) VALUES
 ('kestrel', 'at_risk', 0, 1, 'any_failed', '{shipping,lateness,reviews,replies}'),
 ('kestrel', 'top', 2, 2, 'all_met', '{shipping,lateness,reviews,rating,refunds,replies,tenure}'),
 ('kestrel', 'standard', 1, 3, 'otherwise', '{}');
-- quarterly: graded on each quarter's last day; punctual over the whole
-- quarter before, active over the quarter to date (month_to_date 2 on a
-- quarter end is the quarter's three months)
INSERT INTO odr_marketplace (name, description, date_bases, events, evaluated)
VALUES ('kestrel_q', 'Invented quarterly programme (issue 20)', '{order_date}', '{order,late}', 'quarter_end');
INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, basis) VALUES
 ('kestrel_q', 'orders', 'count', '{order}', 'order_date'),
 ('kestrel_q', 'late', 'count', '{order,late}', 'order_date');
INSERT INTO odr_marketplace_window (marketplace, name, kind, length) VALUES
 ('kestrel_q', 'last_quarter', 'quarters', 1), ('kestrel_q', 'quarter_to_date', 'month_to_date', 2);
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window") VALUES
 ('kestrel_q', 'late_rate', 'rate', 'late', 'orders', 'last_quarter'),
 ('kestrel_q', 'orders', 'count', 'orders', NULL, 'quarter_to_date');
INSERT INTO odr_marketplace_standard (marketplace, name, position) VALUES ('kestrel_q', 'punctual', 1), ('kestrel_q', 'active', 2);
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('kestrel_q', 'punctual', 1, 'late_rate', '<', 0.05), ('kestrel_q', 'active', 1, 'orders', '>=', 100);
INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards) VALUES
 ('kestrel_q', 'good', 1, 1, 'all_met', '{punctual,active}'), ('kestrel_q', 'watch', 0, 2, 'otherwise', '{}');
COMMIT;
SELECT odr_marketplace_check('kestrel'), odr_marketplace_check('kestrel_q');

-- ---------------------------------------------------------------------
-- construct 5: the calendars, against plain SQL
-- ---------------------------------------------------------------------
-- weekly on Wednesday (ISO weekday 3), in effect Thursday to the next
-- Wednesday; across 2026's ISO week 53 (28 Dec 2026 .. 3 Jan 2027)
SELECT * FROM odr_evaluations('kestrel', '2026-12-21', '2027-01-10');
SELECT count(*) AS evaluations,
       (SELECT count(*) FROM (SELECT * FROM odr_evaluations('kestrel', '2026-01-01', '2028-12-31')
                              EXCEPT
                              SELECT d::date, d::date + 1, d::date + 7
                              FROM generate_series(date '2026-01-01', date '2028-12-31', interval '1 day') d
                              WHERE extract(isodow FROM d) = 3) x) AS only_engine,
       (SELECT count(*) FROM (SELECT d::date, d::date + 1, d::date + 7
                              FROM generate_series(date '2026-01-01', date '2028-12-31', interval '1 day') d
                              WHERE extract(isodow FROM d) = 3
                              EXCEPT
                              SELECT * FROM odr_evaluations('kestrel', '2026-01-01', '2028-12-31')) x) AS only_plain
FROM odr_evaluations('kestrel', '2026-01-01', '2028-12-31');
-- the next evaluation: from a Tuesday, a Wednesday (the one after), a Sunday
SELECT d, odr_next_evaluation('kestrel', d) FROM unnest('{2026-12-29,2026-12-30,2027-01-03}'::date[]) d;
-- Monday (1) and Sunday (7), the ends of the ISO week: the next
-- evaluation is 1..7 days ahead, on that weekday, for every day of a month
-- across the year's end
UPDATE odr_marketplace SET evaluation_day = 1 WHERE name = 'kestrel';
SELECT count(*) AS days, count(*) FILTER (WHERE n - d BETWEEN 1 AND 7 AND extract(isodow FROM n) = 1) AS right_day,
       min(n) AS first_next
FROM (SELECT d::date AS d, odr_next_evaluation('kestrel', d::date) AS n
      FROM generate_series(date '2026-12-15', date '2027-01-14', interval '1 day') d) x;
UPDATE odr_marketplace SET evaluation_day = 7 WHERE name = 'kestrel';
SELECT count(*) AS days, count(*) FILTER (WHERE n - d BETWEEN 1 AND 7 AND extract(isodow FROM n) = 7) AS right_day,
       min(n) AS first_next
FROM (SELECT d::date AS d, odr_next_evaluation('kestrel', d::date) AS n
      FROM generate_series(date '2026-12-15', date '2027-01-14', interval '1 day') d) x;
UPDATE odr_marketplace SET evaluation_day = 3 WHERE name = 'kestrel';
-- quarterly: 31 Mar, 30 Jun, 30 Sep, 31 Dec (a leap year's March ends the
-- same way), each in effect to the next
SELECT * FROM odr_evaluations('kestrel_q', '2027-10-01', '2028-07-01');
SELECT (SELECT count(*) FROM (SELECT evaluated_on FROM odr_evaluations('kestrel_q', '1999-01-01', '2101-12-31')
                              EXCEPT
                              SELECT (d + interval '3 months' - interval '1 day')::date
                              FROM generate_series(date '1999-01-01', date '2101-10-01', interval '3 months') d) x) AS only_engine,
       (SELECT count(*) FROM (SELECT (d + interval '3 months' - interval '1 day')::date
                              FROM generate_series(date '1999-01-01', date '2101-10-01', interval '3 months') d
                              EXCEPT
                              SELECT evaluated_on FROM odr_evaluations('kestrel_q', '1999-01-01', '2101-12-31')) x) AS only_plain;
SELECT d, odr_next_evaluation('kestrel_q', d) FROM unnest('{2026-03-30,2026-03-31,2026-04-01,2026-12-31}'::date[]) d;

-- ---------------------------------------------------------------------
-- generated facts: 40 sellers from June 2026 to January 2027, and a few
-- sellers made for the boundaries (all inside the 4 ISO weeks 2 Nov ..
-- 29 Nov 2026 that the evaluation of Wednesday 2 Dec 2026 looks at)
-- ---------------------------------------------------------------------
CREATE TABLE ks_orders (seller text, order_date date, ship_by date, late boolean,
                        stars integer, refund_hours numeric);
CREATE TABLE ks_messages (seller text, reply_due date, replied_late boolean);
INSERT INTO ks_orders
SELECT 's' || lpad(i::text, 2, '0'), od, od + 1 + g % 4,
       k % (8 + 3 * i) = 0,
       CASE WHEN k % 3 = 0 THEN CASE WHEN k % (5 + i) = 0 THEN 1 + k % 2 ELSE 4 + (k / 3 + i) % 2 END END,
       CASE WHEN k % (6 + i % 5) = 0 THEN 12 + (k * 7 + i * 5) % 60 + 0.25 * (k % 4) END
FROM generate_series(0, 11999) g,
     LATERAL (SELECT g % 40 AS i, g / 40 AS k, date '2026-06-01' + (g * 37) % 245 AS od) x;
INSERT INTO ks_messages
SELECT 's' || lpad(i::text, 2, '0'), date '2026-06-01' + (g * 53) % 245, k % (10 + i) = 0
FROM generate_series(0, 7999) g, LATERAL (SELECT g % 40 AS i, g / 40 AS k) x
WHERE i <> 39 AND k % (1 + i % 5) = 0;
-- e-trunc: 1000 shipments, 53 late: on time 94.7%, truncated to 94% fails
-- the 95% floor; e-halfup: 2000 messages, 101 late: 94.95% half_up to
-- 0.1% is 95.0% and passes
INSERT INTO ks_orders SELECT 'e-trunc', date '2026-11-02' + k % 26, date '2026-11-02' + k % 26 + 2, k < 53, NULL, NULL
FROM generate_series(0, 999) k;
INSERT INTO ks_messages SELECT 'e-halfup', date '2026-11-05' + k % 25, k < 101 FROM generate_series(0, 1999) k;
-- e-cut: late rate exactly 2% (3 of 150): on the cap, met; e-floor: 2 of
-- 20 late (10%) but fewer than 3: met; e-three: 3 of 20: failed
INSERT INTO ks_orders SELECT 'e-cut', date '2026-11-02' + k % 26, date '2026-11-02' + k % 26 + 2, k < 3, NULL, NULL
FROM generate_series(0, 149) k;
INSERT INTO ks_orders SELECT 'e-floor', date '2026-11-02' + k, date '2026-11-02' + k + 2, k < 2, NULL, NULL
FROM generate_series(0, 19) k;
INSERT INTO ks_orders SELECT 'e-three', date '2026-11-02' + k, date '2026-11-02' + k + 2, k < 3, NULL, NULL
FROM generate_series(0, 19) k;
-- e-39: 39 reviews, 4 bad: under 40 the cap is 4 bad reviews: met;
-- e-40: 40 reviews, 4 bad: from 40 the rate must be below 10%: 10% fails.
-- e-40's stars average 4.45 (4 x 2, 26 x 5, 10 x 4 = 178 / 40): half_up
-- to 1 decimal 4.5, met; e-39's 4.436 (173 / 39) is 4.4: failed
INSERT INTO ks_orders SELECT 'e-39', date '2026-11-02' + k % 26, date '2026-11-02' + k % 26 + 2, false,
       CASE WHEN k < 4 THEN 2 WHEN k < 29 THEN 5 ELSE 4 END, NULL
FROM generate_series(0, 38) k;
INSERT INTO ks_orders SELECT 'e-40', date '2026-11-02' + k % 26, date '2026-11-02' + k % 26 + 2, false,
       CASE WHEN k < 4 THEN 2 WHEN k < 30 THEN 5 ELSE 4 END, NULL
FROM generate_series(0, 39) k;
-- e-vol20: exactly 20 messages in the 28 days ending 2 Dec: the 28 days;
-- e-vol19: 19 there (and 10 before): the 84 days
INSERT INTO ks_messages SELECT 'e-vol20', date '2026-11-05' + k, k = 0 FROM generate_series(0, 19) k;
INSERT INTO ks_messages SELECT 'e-vol19', date '2026-11-05' + k, k = 0 FROM generate_series(0, 18) k;
INSERT INTO ks_messages SELECT 'e-vol19', date '2026-10-01' + k, false FROM generate_series(0, 9) k;
CREATE INDEX ON ks_orders (seller);
CREATE INDEX ON ks_messages (seller);
SELECT count(*) AS orders, count(DISTINCT seller) AS sellers FROM ks_orders;
SELECT count(*) AS messages, count(DISTINCT seller) AS sellers FROM ks_messages;

CREATE VIEW ks_facts AS
SELECT seller, odr_order('kestrel', ARRAY[order_date, ship_by, NULL],
                         ARRAY[true, late, stars IS NOT NULL, stars <= 2, refund_hours IS NOT NULL, false, false],
                         ARRAY[coalesce(stars, 0), coalesce(refund_hours, 0)]) AS o
FROM ks_orders
UNION ALL
SELECT seller, odr_order('kestrel', ARRAY[NULL, NULL, reply_due], ARRAY[false, false, false, false, false, true, replied_late])
FROM ks_messages;

-- the days graded: every Wednesday evaluation from October to January, and
-- the days either side of an ISO week's start (Sunday 1 Nov, Monday 2 Nov;
-- Sunday 3 Jan, Monday 4 Jan 2027, after week 53) and of a month's
CREATE TABLE ks_days AS
SELECT evaluated_on AS as_of FROM odr_evaluations('kestrel', '2026-10-01', '2027-01-31')
UNION SELECT unnest('{2026-11-01,2026-11-02,2027-01-03,2027-01-04,2026-11-30,2026-12-01}'::date[]);
CREATE TABLE ks_engine AS
SELECT f.seller, d.as_of, odr_assess(f.o, 'kestrel', d.as_of) AS s
FROM ks_facts f, ks_days d GROUP BY 1, 2;
SELECT count(*) AS days, (SELECT count(*) FROM ks_engine) AS standings FROM ks_days;

-- ---------------------------------------------------------------------
-- the same rules in plain SQL
-- ---------------------------------------------------------------------
-- windows: 4 whole ISO weeks before the as-of day's week; the month to
-- date with the 2 whole months before; lifetime; 28 days, or 84 when the
-- 28 days hold fewer than 20 messages
CREATE TABLE ks_plain_windows AS
SELECT s.seller, d.as_of,
       date_trunc('week', d.as_of)::date - 28 AS w_first, date_trunc('week', d.as_of)::date - 1 AS w_last,
       (date_trunc('month', d.as_of) - interval '2 months')::date AS mtd_first,
       CASE WHEN (SELECT count(*) FROM ks_messages m
                  WHERE m.seller = s.seller AND m.reply_due BETWEEN d.as_of - 27 AND d.as_of) >= 20
            THEN d.as_of - 27 ELSE d.as_of - 83 END AS recent_first
FROM (SELECT DISTINCT seller FROM ks_engine) s, ks_days d;
CREATE TABLE ks_plain_metrics AS
SELECT w.seller, w.as_of, x.metric, x.first_day, x.last_day, round(x.value, 9) AS value
FROM ks_plain_windows w,
LATERAL (SELECT count(*) FILTER (WHERE o.ship_by BETWEEN w.w_first AND w.w_last) AS shipments,
                count(*) FILTER (WHERE o.ship_by BETWEEN w.w_first AND w.w_last AND NOT o.late) AS on_time,
                count(*) FILTER (WHERE o.ship_by BETWEEN w.w_first AND w.w_last AND o.late) AS late,
                count(*) FILTER (WHERE o.order_date BETWEEN w.w_first AND w.w_last AND o.stars IS NOT NULL) AS reviews,
                count(*) FILTER (WHERE o.order_date BETWEEN w.w_first AND w.w_last AND o.stars <= 2) AS bad_reviews,
                sum(o.stars) FILTER (WHERE o.order_date BETWEEN w.w_first AND w.w_last) AS stars,
                count(*) FILTER (WHERE o.order_date BETWEEN w.mtd_first AND w.as_of AND o.refund_hours IS NOT NULL) AS refunds,
                sum(o.refund_hours) FILTER (WHERE o.order_date BETWEEN w.mtd_first AND w.as_of) AS refund_hours,
                count(*) FILTER (WHERE o.order_date <= w.as_of) AS lifetime_orders
         FROM ks_orders o WHERE o.seller = w.seller) o,
LATERAL (SELECT count(*) AS messages, count(*) FILTER (WHERE NOT m.replied_late) AS replied
         FROM ks_messages m WHERE m.seller = w.seller AND m.reply_due BETWEEN w.recent_first AND w.as_of) m,
LATERAL (VALUES
  ('on_time_rate', w.w_first, w.w_last, o.on_time::numeric / nullif(o.shipments, 0)),
  ('late_rate', w.w_first, w.w_last, o.late::numeric / nullif(o.shipments, 0)),
  ('late_count', w.w_first, w.w_last, o.late::numeric),
  ('review_count', w.w_first, w.w_last, o.reviews::numeric),
  ('bad_review_count', w.w_first, w.w_last, o.bad_reviews::numeric),
  ('bad_review_rate', w.w_first, w.w_last, o.bad_reviews::numeric / nullif(o.reviews, 0)),
  ('review_average', w.w_first, w.w_last, o.stars::numeric / nullif(o.reviews, 0)),
  ('refund_time', w.mtd_first, w.as_of, o.refund_hours / nullif(o.refunds, 0)),
  ('reply_rate', w.recent_first, w.as_of, m.replied::numeric / nullif(m.messages, 0)),
  ('lifetime_orders', NULL, w.as_of, o.lifetime_orders::numeric)) x(metric, first_day, last_day, value);
-- comparisons (rounded as the policy says), standards (met when one
-- applicable comparison holds, failed when every applicable one fails, else
-- n_a) and levels
CREATE TABLE ks_plain_standards AS
WITH m AS (
	SELECT seller, as_of, jsonb_object_agg(metric, value) AS v FROM ks_plain_metrics GROUP BY 1, 2),
c AS (
	SELECT m.seller, m.as_of, x.standard, x.applies, x.holds
	FROM m, LATERAL (VALUES
	  ('shipping', true, trunc((v->>'on_time_rate')::numeric, 2) >= 0.95),
	  ('lateness', true, (v->>'late_rate')::numeric <= 0.02),
	  ('lateness', true, (v->>'late_count')::numeric < 3),
	  ('reviews', (v->>'review_count')::numeric < 40, (v->>'bad_review_count')::numeric <= 4),
	  ('reviews', (v->>'review_count')::numeric >= 40, (v->>'bad_review_rate')::numeric < 0.10),
	  ('rating', true, round((v->>'review_average')::numeric, 1) >= 4.5),
	  ('refunds', true, (v->>'refund_time')::numeric <= 48),
	  ('replies', true, round((v->>'reply_rate')::numeric, 3) >= 0.95),
	  ('tenure', true, (v->>'lifetime_orders')::numeric >= 25)) x(standard, applies, holds))
SELECT seller, as_of, standard,
       CASE WHEN bool_or(applies AND holds) THEN 'met'
            WHEN count(*) FILTER (WHERE applies) > 0
                 AND count(*) FILTER (WHERE applies AND holds IS NOT NULL AND NOT holds) = count(*) FILTER (WHERE applies)
            THEN 'failed' ELSE 'n_a' END AS state
FROM c GROUP BY 1, 2, 3;
CREATE TABLE ks_plain_levels AS
SELECT seller, as_of,
       CASE WHEN bool_or(state = 'failed') FILTER (WHERE standard IN ('shipping', 'lateness', 'reviews', 'replies')) THEN 'at_risk'
            WHEN bool_and(state = 'met') THEN 'top' ELSE 'standard' END AS level
FROM ks_plain_standards GROUP BY 1, 2;

-- every metric, its window's days and value: engine and plain SQL agree
-- (constructs 1, 3, 4, 5, 10, 11; mismatches both ways, per metric)
CREATE TABLE ks_engine_metrics AS
SELECT e.seller, e.as_of, m.metric, CASE WHEN m."window" <> 'ever' THEN m.first_day END AS first_day, m.last_day,
       round(m.value::numeric, 9) AS value
FROM ks_engine e, odr_standing_metrics(e.s) m;
SELECT metric, count(*) AS graded, count(*) FILTER (WHERE value IS NULL) AS not_measured,
       (SELECT count(*) FROM (SELECT * FROM ks_engine_metrics WHERE metric = p.metric
                              EXCEPT SELECT * FROM ks_plain_metrics WHERE metric = p.metric) x) AS only_engine,
       (SELECT count(*) FROM (SELECT * FROM ks_plain_metrics WHERE metric = p.metric
                              EXCEPT SELECT * FROM ks_engine_metrics WHERE metric = p.metric) x) AS only_plain
FROM ks_plain_metrics p GROUP BY metric ORDER BY metric;
-- every standard's state (constructs 2, 3, 4, 10 decide here) and every level
CREATE TABLE ks_engine_standards AS
SELECT DISTINCT e.seller, e.as_of, x.standard, x.state FROM ks_engine e, odr_explain(e.s) x;
SELECT standard, count(*) AS graded, count(*) FILTER (WHERE state = 'met') AS met,
       count(*) FILTER (WHERE state = 'failed') AS failed, count(*) FILTER (WHERE state = 'n_a') AS n_a,
       (SELECT count(*) FROM (SELECT * FROM ks_engine_standards WHERE standard = p.standard
                              EXCEPT SELECT * FROM ks_plain_standards WHERE standard = p.standard) x) AS only_engine,
       (SELECT count(*) FROM (SELECT * FROM ks_plain_standards WHERE standard = p.standard
                              EXCEPT SELECT * FROM ks_engine_standards WHERE standard = p.standard) x) AS only_plain
FROM ks_plain_standards p GROUP BY standard ORDER BY min(CASE standard WHEN 'shipping' THEN 1 WHEN 'lateness' THEN 2
  WHEN 'reviews' THEN 3 WHEN 'rating' THEN 4 WHEN 'refunds' THEN 5 WHEN 'replies' THEN 6 ELSE 7 END);
SELECT level, count(*) AS graded,
       (SELECT count(*) FROM (SELECT seller, as_of, odr_level(s) FROM ks_engine WHERE odr_level(s) = p.level
                              EXCEPT SELECT * FROM ks_plain_levels WHERE level = p.level) x) AS only_engine,
       (SELECT count(*) FROM (SELECT * FROM ks_plain_levels WHERE level = p.level
                              EXCEPT SELECT seller, as_of, odr_level(s) FROM ks_engine WHERE odr_level(s) = p.level) x) AS only_plain
FROM ks_plain_levels p GROUP BY level ORDER BY level;

-- ---------------------------------------------------------------------
-- the boundaries, readable (2 Dec 2026, a Wednesday: weeks 2 .. 29 Nov)
-- ---------------------------------------------------------------------
-- the window of 4 whole ISO weeks on either side of a week's first day
-- (Sunday 1 Nov: 28 Sep .. 25 Oct; Monday 2 Nov, the first day of ISO week
-- 45: 5 Oct .. 1 Nov; Wednesday 30 Dec 2026, in ISO week 53: 30 Nov ..
-- 27 Dec; Monday 4 Jan 2027, ISO week 1: 7 Dec .. 3 Jan, week 53 included),
-- the month to date with 2 whole months (1 Dec: 1 Oct .. 1 Dec) and the
-- lifetime
SELECT e.as_of, extract(isodow FROM e.as_of) AS isodow, extract(week FROM e.as_of) AS iso_week,
       m.metric, m."window", m.first_day, m.last_day, m.numerator, m.denominator
FROM ks_engine e, odr_standing_metrics(e.s) m
WHERE e.seller = 's01' AND m.metric IN ('late_count', 'refund_time', 'lifetime_orders')
  AND e.as_of IN ('2026-11-01', '2026-11-02', '2026-12-01', '2026-12-30', '2027-01-04')
ORDER BY e.as_of, m.metric;
-- on the cut-off, on the rounding edge, the switch of cap at 40 reviews,
-- the by_volume switch at exactly 20 messages, and n/a (s39 has no
-- messages: replies is n/a, so the seller is not at risk for it, nor top)
SELECT e.seller, x.standard, x.state, x.metric, round(x.value::numeric, 6) AS value, x.op, x.threshold, x.applies, x.holds
FROM ks_engine e, odr_explain(e.s) x,
     (VALUES ('e-trunc', 'shipping'), ('e-halfup', 'replies'), ('e-cut', 'lateness'), ('e-floor', 'lateness'),
             ('e-three', 'lateness'), ('e-39', 'reviews'), ('e-40', 'reviews'), ('e-39', 'rating'), ('e-40', 'rating'),
             ('s39', 'replies')) AS pick(seller, standard)
WHERE e.as_of = '2026-12-02' AND e.seller = pick.seller AND x.standard = pick.standard
ORDER BY e.seller, x.standard, x."position";
SELECT e.seller, m."window", m.first_day, m.last_day, m.numerator, m.denominator, round(m.value::numeric, 4) AS value
FROM ks_engine e, odr_standing_metrics(e.s) m
WHERE e.as_of = '2026-12-02' AND e.seller IN ('e-vol19', 'e-vol20') AND m.metric = 'reply_rate'
ORDER BY e.seller;
SELECT seller, odr_level(s) AS level, odr_deciding_standard(s) AS deciding
FROM ks_engine WHERE as_of = '2026-12-02' AND (seller LIKE 'e-%' OR seller = 's39') ORDER BY seller;

-- explain and advise for a seller of the generated set, one standard per
-- construct (refunds: an average over the month to date and 2 months;
-- tenure: lifetime)
SELECT x.standard, x.state, x.metric, round(x.value::numeric, 4) AS value, x.op, x.threshold, x.applies, x.holds
FROM ks_engine e, odr_explain(e.s) x WHERE e.seller = 's07' AND e.as_of = '2026-12-02'
ORDER BY x."position", x.standard;
-- what would lift each boundary seller: more on-time shipments (2), fewer
-- late ones or more orders (4), fewer bad reviews (3), more replies (2, 5)
SELECT e.seller, a.level, a.standard, a.metric, a.what, a.n, a.alternative, a.alternative_n
FROM ks_engine e, odr_advise(e.s) a
WHERE e.as_of = '2026-12-02' AND e.seller IN ('e-trunc', 'e-three', 'e-40', 'e-39', 's07', 's39')
ORDER BY e.seller, a.standard, a.metric;

-- ---------------------------------------------------------------------
-- quarterly, against plain SQL: each quarter end and the first day of a
-- quarter (1 Oct 2026: the quarter before is April .. June; the quarter to
-- date is 1 Aug .. 1 Oct with month_to_date 2 there)
-- ---------------------------------------------------------------------
CREATE VIEW kq_facts AS
SELECT seller, odr_order('kestrel_q', ARRAY[order_date], ARRAY[true, late]) AS o FROM ks_orders;
CREATE TABLE kq_engine AS
SELECT f.seller, d.as_of, odr_assess(f.o, 'kestrel_q', d.as_of) AS s
FROM kq_facts f,
     (SELECT evaluated_on AS as_of FROM odr_evaluations('kestrel_q', '2026-06-01', '2027-03-31')
      UNION SELECT date '2026-10-01') d
GROUP BY 1, 2;
CREATE TABLE kq_plain AS
WITH d AS (SELECT DISTINCT seller, as_of FROM kq_engine),
w AS (SELECT seller, as_of,
             (date_trunc('quarter', as_of) - interval '3 months')::date AS q_first,
             (date_trunc('quarter', as_of) - interval '1 day')::date AS q_last,
             (date_trunc('month', as_of) - interval '2 months')::date AS qtd_first
      FROM d)
SELECT w.seller, w.as_of,
       round(count(*) FILTER (WHERE o.order_date BETWEEN q_first AND q_last AND o.late)::numeric
             / nullif(count(*) FILTER (WHERE o.order_date BETWEEN q_first AND q_last), 0), 9) AS late_rate,
       count(*) FILTER (WHERE o.order_date BETWEEN qtd_first AND w.as_of) AS orders
FROM w LEFT JOIN ks_orders o ON o.seller = w.seller GROUP BY 1, 2;
SELECT as_of, count(*) AS sellers,
       count(*) FILTER (WHERE late_rate < 0.05 AND orders >= 100) AS good,
       (SELECT count(*) FROM (SELECT seller, as_of, round(odr_metric_value(s, 'late_rate')::numeric, 9),
                                     odr_metric_value(s, 'orders')::bigint,
                                     odr_level(s) FROM kq_engine WHERE as_of = p.as_of
                              EXCEPT
                              SELECT seller, as_of, late_rate, orders,
                                     CASE WHEN late_rate < 0.05 AND orders >= 100 THEN 'good' ELSE 'watch' END
                              FROM kq_plain WHERE as_of = p.as_of) x) AS only_engine,
       (SELECT count(*) FROM (SELECT seller, as_of, late_rate, orders,
                                     CASE WHEN late_rate < 0.05 AND orders >= 100 THEN 'good' ELSE 'watch' END
                              FROM kq_plain WHERE as_of = p.as_of
                              EXCEPT
                              SELECT seller, as_of, round(odr_metric_value(s, 'late_rate')::numeric, 9),
                                     odr_metric_value(s, 'orders')::bigint,
                                     odr_level(s) FROM kq_engine WHERE as_of = p.as_of) x) AS only_plain
FROM kq_plain p GROUP BY as_of ORDER BY as_of;
SELECT k.as_of, m.metric, m."window", m.first_day, m.last_day, m.numerator, m.denominator
FROM kq_engine k, odr_standing_metrics(k.s) m
WHERE k.seller = 's01' AND k.as_of IN ('2026-09-30', '2026-10-01') ORDER BY k.as_of, m.metric;
SELECT x.standard, x.state, x.metric, round(x.value::numeric, 4) AS value, x.op, x.threshold
FROM kq_engine k, odr_explain(k.s) x WHERE k.seller = 's05' AND k.as_of = '2026-12-31' ORDER BY x."position";
SELECT a.level, a.standard, a.what, a.n FROM kq_engine k, odr_advise(k.s) a
WHERE k.seller = 's05' AND k.as_of = '2026-12-31' ORDER BY a.standard;

-- ---------------------------------------------------------------------
-- the warehouse on the weekly calendar: <prefix>evaluations holds every
-- Wednesday from each seller's first day, as odr_assess grades it
-- ---------------------------------------------------------------------
SELECT * FROM odr_create_marketplace_warehouse('ks_facts', 'seller', 'o', 'kestrel', 'ksw_');
SELECT count(*) AS evaluations, count(DISTINCT evaluated_on) AS wednesdays,
       count(*) FILTER (WHERE extract(isodow FROM evaluated_on) <> 3 OR effective_from <> evaluated_on + 1
                              OR effective_to <> evaluated_on + 7) AS off_calendar,
       (SELECT count(*) FROM (SELECT w.seller_id, w.evaluated_on, w.level FROM ksw_evaluations w
                              WHERE w.evaluated_on IN (SELECT as_of FROM ks_days)
                              EXCEPT SELECT seller, as_of, odr_level(s) FROM ks_engine) x) AS differ_from_odr_assess
FROM ksw_evaluations;
SELECT seller_id, evaluated_on, effective_from, effective_to, level, deciding_standard
FROM ksw_evaluations WHERE seller_id = 'e-trunc' ORDER BY evaluated_on;
-- <prefix>current, whatever today is: the level in effect is that of the
-- latest Wednesday whose effect (from Thursday) has begun, and the
-- projection is for the next Wednesday
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE extract(isodow FROM projected_on) = 3 AND projected_on - CURRENT_DATE BETWEEN 1 AND 7
                          AND projected_on = odr_next_evaluation('kestrel', CURRENT_DATE)) AS projected_next_wednesday,
       count(*) FILTER (WHERE evaluated_on IS NULL
                           OR (extract(isodow FROM evaluated_on) = 3
                               AND CURRENT_DATE BETWEEN effective_from AND effective_to)) AS current_in_effect
FROM ksw_current;

-- ---------------------------------------------------------------------
-- bad policies are refused with their SQLSTATE and change nothing
-- ---------------------------------------------------------------------
CREATE FUNCTION pg_temp.refused(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	SET CONSTRAINTS ALL IMMEDIATE;  -- the deferred compile check, now
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT stmt, pg_temp.refused(stmt) FROM (VALUES
 -- weekly without a weekday, with weekday 8, 0; quarter_end with a day; an unknown calendar
 ($$UPDATE odr_marketplace SET evaluation_day = NULL WHERE name = 'kestrel'$$),
 ($$UPDATE odr_marketplace SET evaluation_day = 8 WHERE name = 'kestrel'$$),
 ($$UPDATE odr_marketplace SET evaluation_day = 0 WHERE name = 'kestrel'$$),
 ($$UPDATE odr_marketplace SET evaluation_day = 5 WHERE name = 'kestrel_q'$$),
 ($$UPDATE odr_marketplace SET evaluated = 'biweekly' WHERE name = 'kestrel'$$),
 -- day_of_month keeps 1..28
 ($$UPDATE odr_marketplace SET evaluated = 'day_of_month', evaluation_day = 29 WHERE name = 'kestrel'$$),
 -- rounding on a metric that is not a rate or an average (a count)
 ($$UPDATE odr_marketplace_comparison SET rounding = 'down' WHERE marketplace = 'kestrel' AND standard = 'tenure'$$),
 -- digits out of range
 ($$UPDATE odr_marketplace_comparison SET digits = 19 WHERE marketplace = 'kestrel' AND standard = 'shipping'$$),
 -- a switch whose volume ranges overlap (the count cap up to 41 reviews)
 ($$UPDATE odr_marketplace_comparison SET applies_max = 41 WHERE marketplace = 'kestrel' AND standard = 'reviews' AND position = 1$$),
 -- an empty volume range, and a range without a metric to select by
 ($$UPDATE odr_marketplace_comparison SET applies_min = 40 WHERE marketplace = 'kestrel' AND standard = 'reviews' AND position = 1$$),
 ($$UPDATE odr_marketplace_comparison SET applies_metric = NULL WHERE marketplace = 'kestrel' AND standard = 'reviews' AND position = 2$$),
 -- an average without a denominator; a by_volume window over a sum
 ($$UPDATE odr_marketplace_metric SET denominator = NULL WHERE marketplace = 'kestrel' AND name = 'review_average'$$),
 ($$UPDATE odr_marketplace_window SET volume_counter = 'stars' WHERE marketplace = 'kestrel' AND name = 'recent'$$),
 -- weeks of 0, month_to_date below 0
 ($$UPDATE odr_marketplace_window SET length = 0 WHERE marketplace = 'kestrel' AND name = 'weeks_4'$$),
 ($$UPDATE odr_marketplace_window SET length = -1 WHERE marketplace = 'kestrel' AND name = 'mtd_2'$$)) t(stmt);
-- a gap between the ranges is allowed (a standard that then does not
-- apply is n/a): accepted, and undone
BEGIN;
SELECT pg_temp.refused($$UPDATE odr_marketplace_comparison SET applies_max = 30 WHERE marketplace = 'kestrel' AND standard = 'reviews' AND position = 1$$);
ROLLBACK;
SELECT name, evaluated, evaluation_day, effective_after FROM odr_marketplace WHERE name LIKE 'kestrel%' ORDER BY name;
SELECT standard, "position", metric, rounding, digits, applies_metric, applies_min, applies_max
FROM odr_marketplace_comparison WHERE marketplace = 'kestrel' ORDER BY standard, "position";
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE odr_level(s) = (SELECT odr_level(odr_assess(f.o, 'kestrel', date '2026-12-02'))
                                              FROM ks_facts f WHERE f.seller = ks_engine.seller)) AS level_unchanged
FROM ks_engine WHERE as_of = '2026-12-02';

DROP MATERIALIZED VIEW ksw_daily CASCADE;
DROP TABLE ks_engine, ks_plain_windows, ks_plain_metrics, ks_plain_standards, ks_plain_levels,
           ks_engine_metrics, ks_engine_standards, ks_days, kq_engine, kq_plain CASCADE;
DROP VIEW ks_facts, kq_facts;
DROP TABLE ks_orders, ks_messages;
DELETE FROM odr_marketplace WHERE name IN ('kestrel', 'kestrel_q');
