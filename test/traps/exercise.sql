-- Everything odr offers, called once (test/traps.sh): the demo's sample,
-- report, 1688 sample and star report at a small size, then every function,
-- aggregate, view, warehouse, refresh and report that those do not reach.
-- Run by the attacker (a non-superuser owning the database) with the
-- default search_path, in a database full of traps (test/traps/plant.sql)
-- and in a clean one: the outputs must be equal and no trap may run from
-- odr's code.
\set ON_ERROR_STOP 1
\set orders 6000
\set sellers 40
\set as_of 2026-10-31
\ir ../../tools/sample.sql
\ir ../../tools/report.sql
DROP FUNCTION pg_temp.u(bigint, integer);
\ir ../../tools/sample_stars.sql
\ir ../../tools/report_stars.sql
\pset footer on
SET client_min_messages = warning;

-- verdicts and their parts
SELECT odr_classify(feedback_stars => 3, dsr_item => 2, dsr_communication => 4, dsr_shipping => 1,
                    unshipped => true, arbitration => true, dispute_timeout => true,
                    not_received_closed => false, arbitration_seller_responsible => true,
                    order_amount_usd => 4.5) AS d \gset
SELECT :'d'::odr_defects AS verdict, odr_is_defective(:'d'), odr_has_reason(:'d', 'dsr_item'),
       odr_reasons(:'d'), odr_reason_names(), odr_rating(:'d', 'feedback'),
       odr_dispute_timed_out('2026-10-01 10:00+00', NULL, '2026-10-09 10:00+00'),
       odr_dispute_timed_out('2026-10-01 10:00+00', NULL, '2026-10-09 10:00+00', 7),
       odr_unshipped('2026-10-01 10:00+00', NULL, '2026-10-02 10:00+00');
SELECT (:'d'::odr_defects = :'d'::odr_defects) AS eq, (:'d'::odr_defects <> '{}'::odr_defects) AS ne,
       (:'d'::odr_defects < '{}'::odr_defects) AS lt, (:'d'::odr_defects >= '{}'::odr_defects) AS ge;

-- summaries, arithmetic and every reading
SELECT odr_summary_of(:'d') AS s1, odr_agg(defects) AS s2 FROM sample_classified WHERE seller_id = 3 \gset
SELECT :'s2'::odr_summary AS summary, :'s2'::odr_summary + :'s1'::odr_summary AS plus,
       (:'s2'::odr_summary + :'s1'::odr_summary) - :'s1'::odr_summary = :'s2'::odr_summary AS minus_back,
       :'s2'::odr_summary::jsonb AS js;
SELECT odr_orders(:'s2'::odr_summary), odr_defective(:'s2'::odr_summary), odr_rate(:'s2'::odr_summary), odr_reason_count(:'s2'::odr_summary, 'unshipped'),
       odr_count(:'s2'::odr_summary, 'rated'), odr_metric(:'s2'::odr_summary, 'positive_feedback_rate'),
       odr_seller_responsible_rate(:'s2'::odr_summary), odr_positive_feedback_rate(:'s2'::odr_summary),
       odr_dsr_item_avg(:'s2'::odr_summary), odr_dsr_communication_avg(:'s2'::odr_summary), odr_dsr_shipping_avg(:'s2'::odr_summary);
SELECT * FROM odr_reason_breakdown(:'s2'::odr_summary);
SELECT * FROM odr_reason_breakdown('()');
SELECT odr_tier(:'s2'::odr_summary), odr_tier(:'s2'::odr_summary, 'aliexpress'), odr_to_next_tier(:'s2'::odr_summary), odr_to_next_tier(:'s2'::odr_summary, 'aliexpress'),
       odr_default_policy();
SELECT * FROM odr_scorecard(:'s2'::odr_summary);
SELECT * FROM odr_scorecard(:'s2'::odr_summary, 'aliexpress');
SELECT odr_report(:'s2'::odr_summary, '2026-10-31');
SELECT odr_report(:'s2'::odr_summary, '2026-10-31', 'aliexpress');

-- a policy of one's own (its triggers), with a condition
INSERT INTO odr_policy (name, excellent_below, good_below, pass_below) VALUES ('trap_house', 0.02, 0.05, 0.10);
INSERT INTO odr_policy_condition (policy, tier, metric, bound, value) VALUES ('trap_house', 'good', 'positive_feedback_rate', 'min', 0.5);
UPDATE odr_policy SET pass_below = 0.11 WHERE name = 'trap_house';
SELECT odr_tier(:'s2'::odr_summary, 'trap_house'), odr_report(:'s2'::odr_summary, '2026-09-30', 'trap_house') ->> 'tier' AS report_tier;

-- sliding windows and rollups
SELECT seller_id, finished_on, odr_rate(odr_agg(defects) OVER w)
FROM sample_classified WHERE seller_id = 5
WINDOW w AS (ORDER BY finished_on RANGE BETWEEN interval '89 days' PRECEDING AND CURRENT ROW)
ORDER BY finished_on DESC, order_id LIMIT 3;
SELECT odr_rollup(s) FROM (SELECT odr_agg(defects) AS s FROM sample_classified GROUP BY seller_id) x;

-- the calendar
SELECT * FROM odr_month_ends('2026-01-15', '2026-04-01');
SELECT odr_window('2026-10-31'), odr_window('2026-10-31', 30), odr_next_assessment('2026-02-10'),
       odr_last_assessment('2026-02-10'), odr_assessment_segment('2026-08-15'), odr_assessment_segment('2026-08-15', 30);
SELECT * FROM odr_assessment_windows('2026-01-01', '2026-04-30');
SELECT * FROM odr_assessment_windows('2026-01-01', '2026-04-30', 30);
SELECT * FROM odr_projection_windows('2026-10-20');
SELECT * FROM odr_projection_windows('2026-10-20', 30);
SELECT * FROM odr_projection(:'s2'::odr_summary, '()', :'s1'::odr_summary);
SELECT * FROM odr_projection(:'s2'::odr_summary, '()', :'s1'::odr_summary, 'trap_house');

-- many dates in one pass
SELECT seller_id, (a).as_of, odr_orders((a).summary)
FROM (SELECT seller_id, unnest(odr_agg_at(finished_on, defects, '{2026-08-31,2026-09-30,2026-10-31}', 90)) AS a
      FROM sample_classified WHERE seller_id < 3 GROUP BY seller_id) x ORDER BY 1, 2;
SELECT seller_id, (a).as_of, odr_orders((a).summary)
FROM (SELECT seller_id, unnest(odr_agg_at(finished_on, defects, '{2026-08-31,2026-10-31}', 30, true)) AS a
      FROM sample_classified WHERE seller_id < 3 GROUP BY seller_id) x ORDER BY 1, 2;

-- warehouses: a date column, a timestamptz column in a zone, a text seller,
-- every view, the refresh
CREATE TABLE trap_orders_tz AS
SELECT order_id, 'shop-' || seller_id AS seller, (finished_on + time '12:00') AT TIME ZONE 'Asia/Shanghai' AS finished_at, defects
FROM sample_classified;
SELECT count(*) FROM odr_create_warehouse('sample_classified', 'seller_id', 'finished_on', 'defects', prefix => 'trap_');
SELECT count(*) FROM odr_create_warehouse('trap_orders_tz', 'seller', 'finished_at', 'defects', prefix => 'traptz_',
                                          window_days => 30, policy => 'trap_house', time_zone => 'Asia/Shanghai');
SELECT count(*), sum(orders), sum(defective) FROM trap_month_end;
SELECT count(*), sum(orders) FROM trap_daily_history;
SELECT count(*) FROM trap_tier_changes;
SELECT count(*), sum(orders) FROM trap_scorecard;
SELECT count(*), sum(projected_orders) FROM trap_projection;
SELECT count(*), sum(orders) FROM traptz_month_end;
SELECT count(*), sum(orders) FROM traptz_daily_history;
SELECT count(*) FROM traptz_tier_changes;
SELECT count(*) FROM traptz_scorecard;
SELECT count(*) FROM traptz_projection;
INSERT INTO sample_orders (order_id, seller_id, finished_on, feedback_stars, order_amount_usd, ship_deadline, shipped_at,
                           escalated, ruled_against_seller, inr_dispute_closed)
VALUES (99000001, 1, '2026-10-31', 1, 20, '2026-10-20 00:00+00', '2026-10-19 00:00+00', false, false, false);
SELECT * FROM odr_refresh_warehouse('trap_daily');
SELECT * FROM odr_refresh_warehouse('traptz_daily', concurrently => false);
SELECT count(*), sum(orders) FROM trap_month_end;
SELECT * FROM odr_check_shards();

-- incremental warehouses: over the classifying view (date days, integer
-- sellers) and over a table (timestamptz days in a zone, text sellers);
-- writes of every kind (the generated capture runs on each), the
-- fresh-without-a-refresh views, the refresh, every view
SELECT count(*) FROM odr_create_warehouse('sample_classified', 'seller_id', 'finished_on', 'defects', prefix => 'trapi_',
                                          incremental => true);
SELECT count(*) FROM odr_create_warehouse('trap_orders_tz', 'seller', 'finished_at', 'defects', prefix => 'trapt_',
                                          window_days => 30, time_zone => 'Asia/Shanghai', incremental => true);
INSERT INTO sample_orders (order_id, seller_id, finished_on, feedback_stars, order_amount_usd, ship_deadline, shipped_at,
                           escalated, ruled_against_seller, inr_dispute_closed)
VALUES (99000002, 2, '2026-10-30', 2, 20, '2026-10-20 00:00+00', '2026-10-19 00:00+00', true, false, false);
UPDATE sample_orders SET feedback_stars = 1 WHERE order_id % 97 = 0;
UPDATE sample_orders SET seller_id = 3 WHERE order_id % 101 = 0;
UPDATE sample_orders SET finished_on = finished_on - 7 WHERE order_id % 103 = 0;
DELETE FROM sample_orders WHERE order_id % 107 = 0;
INSERT INTO trap_orders_tz SELECT order_id + 90000000, seller, finished_at + interval '13 hours', defects FROM trap_orders_tz WHERE order_id % 50 = 0;
UPDATE trap_orders_tz SET seller = 'shop-1' WHERE order_id % 89 = 0;
UPDATE trap_orders_tz SET finished_at = finished_at - interval '20 hours' WHERE order_id % 83 = 0;
DELETE FROM trap_orders_tz WHERE order_id % 79 = 0;
COPY trap_orders_tz (order_id, seller, finished_at, defects) FROM stdin;
99100001	shop-7	2026-10-31 16:30:00+00	{unshipped}
99100002	shop-7	2026-10-31 15:30:00+00	{}
\.
SELECT count(*), sum(odr_orders(summary)) FROM trapi_daily_live;
SELECT count(*), sum(orders), sum(month_end_orders) FROM trapi_now;
SELECT count(*), sum(orders), sum(month_end_orders) FROM trapt_now;
SELECT * FROM odr_refresh_warehouse('trapi_daily');
SELECT * FROM odr_refresh_warehouse('trapt_daily');
SELECT count(*) AS differ
FROM ((TABLE trapi_daily EXCEPT ALL SELECT seller_id, finished_on, odr_agg(defects) FROM sample_classified GROUP BY 1, 2)
      UNION ALL (SELECT seller_id, finished_on, odr_agg(defects) FROM sample_classified GROUP BY 1, 2 EXCEPT ALL TABLE trapi_daily)) x;
SELECT count(*), sum(orders), sum(defective) FROM trapi_month_end;
SELECT count(*), sum(orders) FROM trapi_daily_history;
SELECT count(*) FROM trapi_tier_changes;
SELECT count(*), sum(orders) FROM trapi_scorecard;
SELECT count(*), sum(projected_orders) FROM trapi_projection;
SELECT count(*), sum(orders) FROM trapt_month_end;
SELECT count(*), sum(orders) FROM trapt_daily_history;
TRUNCATE trap_orders_tz;
INSERT INTO trap_orders_tz
SELECT order_id, 'shop-' || seller_id, (finished_on + time '12:00') AT TIME ZONE 'Asia/Shanghai', defects FROM sample_classified;
SELECT count(*), sum(orders) FROM trapt_now;
SELECT * FROM odr_refresh_warehouse('trapt_daily');
SELECT count(*), sum(orders) FROM trapt_month_end;
SELECT count(*) FROM trapt_projection;

-- 1688: every indicator form
SELECT odr_in_response_hours('2026-10-01 02:00+00', 'Asia/Shanghai'),
       odr_shipped_on_time('2026-10-01 10:00+00', NULL, '2026-10-02 10:00+00'),
       odr_shipped_on_time('2026-10-01 10:00+00', '2026-10-01 12:00+00', NULL, '2026-10-05 00:00+00'),
       odr_quality_reasons(), odr_is_quality_refund('damaged'), odr_is_quality_refund('Other', '{other}'),
       odr_dispute_counted('both');
SELECT odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level),
       odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 3.0::float8),
       odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, '2026-11-01 00:00+00'::timestamptz),
       odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level, 3.0::float8, '2026-11-01 00:00+00'::timestamptz),
       odr_quality_refund_rate(first_refund_reason), odr_quality_refund_rate(first_refund_reason, '{damaged}'),
       odr_refund_hours(refund_requested_at, refund_completed_at, buyer_level),
       odr_refund_hours(refund_requested_at, refund_completed_at, buyer_level, 3.0::float8),
       odr_dispute_rate(dispute_ruling)
FROM sample_1688_orders;
SELECT odr_response_rate(buyer_id, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai'),
       odr_response_counted(buyer_id, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai'),
       odr_response_answered(buyer_id, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai')
FROM sample_1688_messages;
-- M3.1 from the same chat rows: odr_message_replies -> odr_walmart_message -> odr_assess
SELECT g.seller_id, count(*) AS messages, count(r.answered_at) AS answered,
       odr_metric_value(odr_assess(odr_walmart_message(r.received_at, r.answered_at, 'Asia/Shanghai'), 'walmart', :'as_of'),
                        'seller_response_rate') AS response
FROM (SELECT seller_id, odr_message_replies(buyer_id, sent_at, sender, is_auto_reply, is_official) AS rs
      FROM sample_1688_messages GROUP BY seller_id) g,
     unnest(g.rs) r
GROUP BY g.seller_id ORDER BY g.seller_id;
SELECT (odr_star_policy_of()).name, odr_star_composite(4, 3, 5, 2, 4.5), odr_star_composite(4, 3, 5, 2, 4.5, '1688'),
       odr_stars(4.2), odr_stars(4.2, '1688'), odr_star_weak_spots(4, 3, 5, 2, 4.5), odr_star_weak_spots(4, 3, 5, 2, 4.5, '1688');
SELECT count(*) FROM odr_star_scorecard('demo_star_indicators', '1688');
INSERT INTO odr_star_policy (name, w_on_time_rate, w_response_rate, w_quality_refund_rate, w_refund_hours, w_dispute_rate)
VALUES ('trap_stars', 0.2, 0.2, 0.2, 0.2, 0.2);
INSERT INTO odr_star_level (policy, stars, min_composite) VALUES ('trap_stars', 3, '-Infinity'), ('trap_stars', 4.5, 4);
SELECT odr_stars(4.2, 'trap_stars');
DELETE FROM odr_star_policy WHERE name = 'trap_stars';
DELETE FROM odr_policy WHERE name = 'trap_house';

-- issue 14: marketplaces (every new function; a user marketplace across the tables, checked at commit)
SELECT odr_marketplace_check('amazon'), odr_marketplace_check('ebay');
CREATE TEMP TABLE trap_amz AS
SELECT g % 3 AS seller, odr_amazon_order(order_date => date '2026-03-01' + g % 30, fulfilment => CASE WHEN g % 4 = 0 THEN 'afn' ELSE 'mfn' END,
       feedback_stars => 1 + g % 5, claim_status => CASE WHEN g % 7 = 0 THEN 'open' END, chargeback => g % 11 = 0,
       expected_ship_at => timestamptz '2026-03-02 10:00+00' + g * interval '1 hour',
       shipped_at => timestamptz '2026-03-02 11:00+00' + g * interval '50 minutes',
       cancelled_at => CASE WHEN g % 13 = 0 THEN timestamptz '2026-03-01 10:00+00' END,
       cancelled_by => CASE WHEN g % 13 = 0 THEN 'auto' END, promised_delivery_date => date '2026-03-05' + g % 30,
       tracking_valid => g % 5 <> 0, buyer => 'b' || g) AS o
FROM generate_series(1, 300) g;
SELECT seller, odr_level(s), odr_level_rank(s), odr_deciding_standard(s), odr_metric_value(s, 'odr_mfn'),
       odr_standing_marketplace(s), odr_standing_as_of(s), s::text::odr_standing::text = s::text,
       (SELECT count(*) FROM odr_standing_metrics(s)), (SELECT count(*) FROM odr_explain(s))
FROM (SELECT seller, odr_assess(o, 'amazon', '2026-03-31') AS s FROM trap_amz GROUP BY seller) q ORDER BY seller;
SELECT odr_level(odr_assess(odr_ebay_order(date '2025-06-01' + g, 'b' || g % 9, 10 + g, CASE WHEN g % 50 = 0 THEN 'seller' END,
                                           g % 70 = 0, '2026-01-01 10:00+00', '2026-01-01 09:00+00'), 'ebay', '2026-04-20'))
FROM generate_series(1, 300) g;
SELECT odr_order('ebay', ARRAY[date '2026-01-01'], ARRAY[true, false, false, NULL], ARRAY[12.5], 'b')::text,
       odr_order_days(odr_ebay_order('2026-01-01', 'b')), odr_order_events(odr_ebay_order('2026-01-01', 'b', 1, 'seller'), 'ebay'),
       odr_choice('a', 'arg', '{a,b}');
BEGIN;
INSERT INTO odr_marketplace (name, date_bases, events) VALUES ('trap_market', '{day}', '{bad}');
INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, basis) VALUES
 ('trap_market', 'orders', 'count', '{}', 'day'), ('trap_market', 'bad', 'count', '{bad}', 'day');
INSERT INTO odr_marketplace_window (marketplace, name, kind, length) VALUES ('trap_market', 'd30', 'days', 30);
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window") VALUES ('trap_market', 'rate', 'rate', 'bad', 'orders', 'd30');
INSERT INTO odr_marketplace_standard (marketplace, name, position) VALUES ('trap_market', 'low', 1);
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES ('trap_market', 'low', 1, 'rate', '<', 0.05);
INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards) VALUES
 ('trap_market', 'fail', 0, 1, 'any_failed', '{low}'), ('trap_market', 'ok', 1, 2, 'otherwise', '{}');
COMMIT;
SELECT odr_level(odr_assess(odr_order('trap_market', ARRAY[date '2026-01-01' + g % 20], ARRAY[g % 10 = 0]), 'trap_market', '2026-01-31'))
FROM generate_series(1, 100) g;
DELETE FROM odr_marketplace WHERE name = 'trap_market';
-- issue 20, construct 8: a business calendar, a business_days window, a deadline
BEGIN;
INSERT INTO odr_business_calendar (name, weekend) VALUES ('trap_cal', '{5,6}');
INSERT INTO odr_business_holiday (calendar, day) VALUES ('trap_cal', '2026-01-15'), ('trap_cal', '2026-01-20');
INSERT INTO odr_marketplace (name, date_bases, events) VALUES ('trap_bd', '{day}', '{bad}');
INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, basis) VALUES
 ('trap_bd', 'orders', 'count', '{}', 'day'), ('trap_bd', 'bad', 'count', '{bad}', 'day');
INSERT INTO odr_marketplace_window (marketplace, name, kind, length, lag, calendar) VALUES ('trap_bd', 'bd10', 'business_days', 10, 1, 'trap_cal');
INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window") VALUES ('trap_bd', 'rate', 'rate', 'bad', 'orders', 'bd10');
INSERT INTO odr_marketplace_standard (marketplace, name, position) VALUES ('trap_bd', 'low', 1);
INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES ('trap_bd', 'low', 1, 'rate', '<', 0.05);
INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards) VALUES
 ('trap_bd', 'fail', 0, 1, 'any_failed', '{low}'), ('trap_bd', 'ok', 1, 2, 'otherwise', '{}');
COMMIT;
SELECT m.first_day, m.last_day, m.value
FROM (SELECT odr_assess(odr_order('trap_bd', ARRAY[date '2026-01-01' + g % 25], ARRAY[g % 10 = 0]), 'trap_bd', '2026-01-31') AS s
      FROM generate_series(1, 100) g) q, odr_standing_metrics(q.s) m;
SELECT odr_business_deadline('2026-01-13 10:00+00', g, 'trap_cal', 'Asia/Tokyo') FROM generate_series(0, 4) g;
DELETE FROM odr_marketplace WHERE name = 'trap_bd';
DELETE FROM odr_business_calendar WHERE name = 'trap_cal';
-- issue 14: per-day tallies, their roll-up, the calendar
CREATE TEMP TABLE trap_daily AS
SELECT seller, d, odr_tally(o, 'amazon', d) AS t FROM trap_amz, odr_order_tally_days(o) d GROUP BY seller, d;
SELECT seller, odr_level(odr_assess(t, 'amazon', '2026-03-31')), max(odr_tally_day(t)), max(odr_tally_bytes(t)),
       bool_and(t::text::odr_tally::text = t::text)
FROM trap_daily GROUP BY seller ORDER BY seller;
SELECT * FROM odr_evaluations('ebay', '2026-01-01', '2026-06-30');
SELECT odr_next_evaluation('ebay', '2026-07-25'), odr_next_evaluation('amazon', '2026-07-25');
-- issue 14: levels compared, advice
SELECT odr_level_rank('ebay', 'top_rated'), odr_level_better('ebay', 'top_rated', 'above_standard');
SELECT a.* FROM (SELECT seller, odr_assess(o, 'amazon', '2026-03-31') AS s FROM trap_amz GROUP BY seller) q, odr_advise(q.s) a
ORDER BY q.seller, a.standard, a.metric;
SELECT q.seller, odr_amazon_report(q.s) FROM (SELECT seller, odr_assess(o, 'amazon', '2026-03-31') AS s FROM trap_amz GROUP BY seller) q ORDER BY q.seller;
