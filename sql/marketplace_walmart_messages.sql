-- Issue 15: the Walmart seller response (rules M3.1: buyer messages answered
-- within 48 hours, weekends included / messages) from a raw chat log, one
-- row per message as the S4 aggregates take them (rules S4: automatic
-- replies are no replies, official messages are ignored; M3 reading: every
-- buyer message counts).  odr_message_replies pairs each buyer message with
-- the first human seller message of its conversation at the same instant or
-- later; odr_walmart_message turns each pair into a row of odr_assess.
-- Checked: the boundaries row by row, a plain-SQL reimplementation (LATERAL
-- min(sent_at) of later human seller messages) on generated data with many
-- sellers, odr_assess over the pairs against plain counts, the warehouse
-- over a view of orders and messages, serial = parallel, bad input.
\i test/regress/plan_nodes.sql
SET client_min_messages = warning;
SET extra_float_digits = 0;
-- the pairing is elapsed time: nothing depends on the session's zone
SET TimeZone = 'Pacific/Kiritimati';

-- the aggregate: S4's state, combine, serialise and deserialise functions
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
       p.proparallel AS parallel, p.prorettype::regtype AS returns
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE a.aggfnoid IN ('odr_message_replies'::regproc, 'odr_response_rate'::regproc) ORDER BY 1::text;

-- ---------------------------------------------------------------------
-- the boundaries, one conversation (buyer) each, seller 'edge'
-- ---------------------------------------------------------------------
CREATE TABLE wm_t_chat (seller_id text, buyer text, sent_at timestamptz, sender text,
                        is_auto_reply boolean DEFAULT false, is_official boolean DEFAULT false);
INSERT INTO wm_t_chat VALUES
 -- b01: Friday 12:00, answered Sunday 12:00: exactly 48 h, over a weekend (in time)
 ('edge', 'b01', '2026-04-03 12:00+00', 'buyer', false, false),
 ('edge', 'b01', '2026-04-05 12:00+00', 'seller', false, false),
 -- b02: answered at 48 h + 1 microsecond (late)
 ('edge', 'b02', '2026-04-06 09:00+00', 'buyer', false, false),
 ('edge', 'b02', '2026-04-08 09:00:00.000001+00', 'seller', false, false),
 -- b03: never answered (late)
 ('edge', 'b03', '2026-04-07 10:00+00', 'buyer', false, false),
 -- b04: Saturday 10:00, answered Monday 09:00 (47 h: the weekend counts as elapsed time, in time)
 ('edge', 'b04', '2026-04-04 10:00+00', 'buyer', false, false),
 ('edge', 'b04', '2026-04-06 09:00+00', 'seller', false, false),
 -- b05: two buyer messages before one reply: both answered by it
 ('edge', 'b05', '2026-04-08 10:00+00', 'buyer', false, false),
 ('edge', 'b05', '2026-04-08 11:00+00', 'buyer', false, false),
 ('edge', 'b05', '2026-04-08 12:00+00', 'seller', false, false),
 -- b06: a reply one minute before the message is no answer to it
 ('edge', 'b06', '2026-04-09 09:59+00', 'seller', false, false),
 ('edge', 'b06', '2026-04-09 10:00+00', 'buyer', false, false),
 -- b07: the seller writes to another buyer (b08) right after: no answer
 ('edge', 'b07', '2026-04-09 10:00+00', 'buyer', false, false),
 ('edge', 'b08', '2026-04-09 10:05+00', 'seller', false, false),
 -- b09: an automatic reply at once, a person after 50 h: the auto reply is no answer (late)
 ('edge', 'b09', '2026-04-10 10:00+00', 'buyer', false, false),
 ('edge', 'b09', '2026-04-10 10:00:01+00', 'seller', true, false),
 ('edge', 'b09', '2026-04-12 12:00+00', 'seller', false, false),
 -- b10: an official message is ignored: neither an answer nor a buyer message,
 --      whatever its sender; a person answers later (in time)
 ('edge', 'b10', '2026-04-10 10:00+00', 'buyer', false, false),
 ('edge', 'b10', '2026-04-10 10:01+00', 'platform', false, true),
 ('edge', 'b10', '2026-04-10 10:02+00', 'buyer', false, true),
 ('edge', 'b10', '2026-04-10 20:00+00', 'Seller', false, false),
 -- b11: question and reply at the same instant (whole-second logs): answered at once
 ('edge', 'b11', '2026-04-11 10:00+00', 'seller', false, false),
 ('edge', 'b11', '2026-04-11 10:00+00', 'BUYER', false, false),
 -- b12: an automatic message on the buyer's side is no question
 ('edge', 'b12', '2026-04-11 10:00+00', 'buyer', true, false);

SELECT r.buyer, r.received_at AT TIME ZONE 'UTC' AS received_utc, to_char(r.received_at AT TIME ZONE 'UTC', 'Dy') AS day,
       r.answered_at AT TIME ZONE 'UTC' AS answered_utc, r.answered_at - r.received_at AS took,
       'answered_in_48h' = ANY (odr_order_events(odr_walmart_message(r.received_at, r.answered_at), 'walmart')) AS in_time
FROM (SELECT odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official) AS rs FROM wm_t_chat WHERE seller_id = 'edge') g,
     unnest(g.rs) WITH ORDINALITY AS r(buyer, received_at, answered_at, n)
ORDER BY r.n;
-- M3.1 over them: 11 buyer messages (b10's official one and b12's automatic
-- one are none), 6 answered in time: b01, b04, b05 twice, b10, b11
SELECT m.metric, m.numerator, m.denominator, round(m.value::numeric, 4) AS value
FROM (SELECT odr_assess(odr_walmart_message(r.received_at, r.answered_at), 'walmart', '2026-04-30') AS s
      FROM (SELECT odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official) AS rs FROM wm_t_chat) g, unnest(g.rs) r) a,
     odr_standing_metrics(a.s) m
WHERE m.metric IN ('seller_response_rate', 'messages') ORDER BY 1;
-- the same rows in any order give the same array
SELECT (SELECT odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official ORDER BY sent_at DESC, buyer DESC) FROM wm_t_chat)::text
     = (SELECT odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official ORDER BY md5(buyer || sent_at::text)) FROM wm_t_chat)::text
       AS any_order;
-- no buyer message: an empty array (only seller messages, or no row at all)
SELECT (SELECT odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official) FROM wm_t_chat WHERE buyer = 'b08') AS only_replies,
       (SELECT odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official) FROM wm_t_chat WHERE false) AS no_rows;
-- buyers sort by their bytes (as COLLATE "C"), then by time
SELECT array_agg(r.buyer ORDER BY r.n) AS buyers
FROM (SELECT odr_message_replies(b, '2026-04-01 10:00+00', 'buyer', false, false) AS rs
      FROM unnest(ARRAY['b', 'B', 'ab', 'a', '', 'é', 'Z']) AS b) g, unnest(g.rs) WITH ORDINALITY AS r(buyer, received_at, answered_at, n);

-- ---------------------------------------------------------------------
-- generated data: 40 sellers, 300 buyers each, March and April 2026;
-- sellers s1-s8 answer (nearly) every question within two hours, the
-- others leave some unanswered and reply from an hour before to days after
-- a question, some automatically, some official messages in between
-- ---------------------------------------------------------------------
INSERT INTO wm_t_chat
SELECT 's' || (1 + g % 40), 'b' || (h1 % 300),
       timestamptz '2026-03-01 00:00+00' + (h2 % (61 * 86400)) * interval '1 second' + (h3 % 1000000) * interval '1 microsecond',
       'buyer', g % 23 = 0, g % 29 = 0
FROM (SELECT g, hashint4(g * 3) & 2147483647 AS h1, hashint4(g * 5) & 2147483647 AS h2, hashint4(g * 7) & 2147483647 AS h3
      FROM generate_series(1, 20000) g) x;
INSERT INTO wm_t_chat
SELECT 's' || (1 + g % 40), 'b' || (h1 % 300),
       timestamptz '2026-03-01 00:00+00' + (h2 % (61 * 86400)) * interval '1 second' + (h3 % 1000000) * interval '1 microsecond'
         + CASE WHEN g % 40 < 8 THEN (h4 % 2) * interval '1 hour'
                ELSE ((h4 % (10 + (g % 40) * 5)) * 3600 - 3600) * interval '1 second' END
         + CASE WHEN h5 % 50 = 0 THEN interval '0' ELSE (h5 % 3600) * interval '1 second' END,
       CASE WHEN g % 2 = 0 THEN 'seller' ELSE 'Seller' END, g % 40 >= 8 AND h6 % 9 = 0, g % 40 >= 8 AND h6 % 17 = 0
FROM (SELECT g, hashint4(g * 3) & 2147483647 AS h1, hashint4(g * 5) & 2147483647 AS h2, hashint4(g * 7) & 2147483647 AS h3,
             hashint4(g * 11) & 2147483647 AS h4, hashint4(g * 13) & 2147483647 AS h5, hashint4(g * 17) & 2147483647 AS h6
      FROM generate_series(1, 20000) g WHERE g % 5 <> 0 OR g % 40 < 8) x;
-- exactly at 48 h and at 48 h + 1 microsecond after some questions
INSERT INTO wm_t_chat
SELECT seller_id, buyer, sent_at + interval '48 hours' + CASE WHEN row_number() OVER (ORDER BY seller_id, buyer, sent_at) % 2 = 0
                                                              THEN interval '1 microsecond' ELSE interval '0' END,
       'seller', false, false
FROM wm_t_chat WHERE seller_id LIKE 's%' AND sender = 'buyer' AND NOT is_auto_reply AND NOT is_official
                 AND hashint8(extract(epoch FROM sent_at)::bigint) % 7 = 0;
CREATE INDEX ON wm_t_chat (seller_id, buyer, sent_at);
ANALYZE wm_t_chat;

-- the pairs, from the aggregate
CREATE TABLE wm_t_pairs AS
SELECT g.seller_id, r.n, r.buyer, r.received_at, r.answered_at
FROM (SELECT seller_id, odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official) AS rs
      FROM wm_t_chat GROUP BY seller_id) g,
     unnest(g.rs) WITH ORDINALITY AS r(buyer, received_at, answered_at, n);
-- the pairs in plain SQL: each human buyer message, and the earliest human
-- seller message of the same seller and buyer at the same instant or later
CREATE TABLE wm_t_plain AS
SELECT m.seller_id, m.buyer, m.sent_at AS received_at, a.answered_at
FROM wm_t_chat m
LEFT JOIN LATERAL (SELECT min(s.sent_at) AS answered_at FROM wm_t_chat s
                   WHERE s.seller_id = m.seller_id AND s.buyer = m.buyer AND s.sent_at >= m.sent_at
                     AND lower(s.sender) = 'seller' AND NOT s.is_auto_reply AND NOT s.is_official) a ON true
WHERE lower(m.sender) = 'buyer' AND NOT m.is_auto_reply AND NOT m.is_official;
SELECT (SELECT count(*) FROM wm_t_pairs) AS pairs,
       (SELECT count(*) FROM wm_t_plain) AS plain,
       (SELECT count(*) FROM (SELECT seller_id, buyer, received_at, answered_at FROM wm_t_pairs
                              EXCEPT ALL SELECT seller_id, buyer, received_at, answered_at FROM wm_t_plain) x) AS only_odr,
       (SELECT count(*) FROM (SELECT seller_id, buyer, received_at, answered_at FROM wm_t_plain
                              EXCEPT ALL SELECT seller_id, buyer, received_at, answered_at FROM wm_t_pairs) x) AS only_plain,
       (SELECT count(DISTINCT seller_id) FROM wm_t_pairs) AS sellers,
       (SELECT count(*) FROM wm_t_pairs WHERE answered_at IS NULL) AS never_answered,
       (SELECT count(*) FROM wm_t_pairs WHERE answered_at = received_at + interval '48 hours') AS at_48h,
       (SELECT count(*) FROM wm_t_pairs WHERE answered_at = received_at + interval '48 hours 0.000001 seconds') AS at_48h_1us,
       (SELECT count(*) FROM wm_t_pairs WHERE answered_at = received_at) AS same_instant;
-- each array is in (buyer bytes, time) order
SELECT count(*) AS neighbours,
       count(*) FILTER (WHERE (q.buyer COLLATE "C", q.received_at) < (p.buyer COLLATE "C", p.received_at)) AS out_of_order
FROM wm_t_pairs p JOIN wm_t_pairs q ON q.seller_id = p.seller_id AND q.n = p.n + 1;

-- M3.1 through the engine: odr_assess over the pairs (the seller's zone
-- America/Chicago places a message on its day) vs plain counts, per
-- seller and as-of date
CREATE VIEW wm_t_messages AS
SELECT g.seller_id, odr_walmart_message(r.received_at, r.answered_at, 'America/Chicago') AS o
FROM (SELECT seller_id, odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official) AS rs
      FROM wm_t_chat GROUP BY seller_id) g, unnest(g.rs) r;
CREATE TABLE wm_t_dates (as_of date PRIMARY KEY);
INSERT INTO wm_t_dates VALUES ('2026-03-15'), ('2026-03-31'), ('2026-04-10'), ('2026-04-30'), ('2026-05-20');
CREATE TABLE wm_t_engine AS
SELECT m.seller_id, d.as_of, odr_assess(m.o, 'walmart', d.as_of) AS s
FROM wm_t_messages m CROSS JOIN wm_t_dates d GROUP BY 1, 2;
CREATE TABLE wm_t_plain_counts AS
SELECT p.seller_id, d.as_of,
       count(*) FILTER (WHERE (p.received_at AT TIME ZONE 'America/Chicago')::date BETWEEN d.as_of - 29 AND d.as_of) AS messages,
       count(*) FILTER (WHERE (p.received_at AT TIME ZONE 'America/Chicago')::date BETWEEN d.as_of - 29 AND d.as_of
                          AND p.answered_at <= p.received_at + interval '48 hours') AS answered
FROM wm_t_plain p CROSS JOIN wm_t_dates d GROUP BY 1, 2;
SELECT count(*) AS compared,
       count(*) FILTER (WHERE e.numerator IS DISTINCT FROM c.answered OR e.denominator IS DISTINCT FROM c.messages
                           OR (c.messages > 0 AND abs(e.value - c.answered::float8 / c.messages) > 1e-12)
                           OR (c.messages = 0 AND e.value IS NOT NULL)) AS mismatches,
       count(*) FILTER (WHERE c.messages = 0) AS not_measured,
       count(*) FILTER (WHERE c.answered < 0.95 * c.messages) AS below_95
FROM wm_t_plain_counts c
JOIN wm_t_engine g USING (seller_id, as_of)
LEFT JOIN LATERAL (SELECT * FROM odr_standing_metrics(g.s) x WHERE x.metric = 'seller_response_rate') e ON true;
-- and the level follows: only the response is measured here
SELECT count(*) AS compared,
       count(*) FILTER (WHERE odr_level(g.s) IS DISTINCT FROM
                        CASE WHEN c.messages > 0 AND c.answered < 0.95 * c.messages THEN 'below_standards' ELSE 'meets_standards' END) AS level_mismatches
FROM wm_t_plain_counts c JOIN wm_t_engine g USING (seller_id, as_of);

-- ---------------------------------------------------------------------
-- the warehouse over a view of orders and messages (an odr_order column)
-- ---------------------------------------------------------------------
CREATE TABLE wm_t_orders AS
SELECT g AS order_id, 's' || (1 + g % 40) AS seller_id, date '2026-03-01' + g % 61 AS order_date,
       CASE WHEN g % 61 = 0 THEN 'seller' END AS cancelled_by
FROM generate_series(1, 4000) g;
CREATE VIEW wm_t_rows AS
SELECT seller_id, odr_walmart_order(order_date, cancelled_by) AS o FROM wm_t_orders
UNION ALL
SELECT seller_id, o FROM wm_t_messages;
SELECT odr_create_marketplace_warehouse('wm_t_rows', 'seller_id', 'o', 'walmart', 'wm_t_w_');
SELECT count(*) AS compared,
       count(*) FILTER (WHERE w.numerator IS DISTINCT FROM c.answered OR w.denominator IS DISTINCT FROM c.messages) AS response_mismatches
FROM wm_t_plain_counts c
JOIN wm_t_w_metrics w ON w.seller_id = c.seller_id AND w.evaluated_on = c.as_of AND w.metric = 'seller_response_rate'
WHERE c.as_of IN ('2026-03-31', '2026-04-30');
SELECT count(*) AS compared,
       count(*) FILTER (WHERE w.level IS DISTINCT FROM odr_level(a.s)) AS level_mismatches
FROM wm_t_w_evaluations w
JOIN (SELECT seller_id, odr_assess(o, 'walmart', '2026-04-30') AS s FROM wm_t_rows GROUP BY seller_id) a USING (seller_id)
WHERE w.evaluated_on = '2026-04-30';

-- ---------------------------------------------------------------------
-- serial = parallel: workers each see part of every conversation; the
-- leader combines their states (S4's serialise / deserialise / combine)
-- ---------------------------------------------------------------------
SET max_parallel_workers_per_gather = 0;  -- the serial reference
CREATE TEMP TABLE wm_t_serial AS
SELECT seller_id, odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official)::text AS rs
FROM wm_t_chat GROUP BY seller_id;
CREATE TEMP TABLE wm_t_serial_all AS
SELECT odr_message_replies(seller_id || '/' || buyer, sent_at, sender, is_auto_reply, is_official)::text AS rs FROM wm_t_chat;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller_id, odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official)
FROM wm_t_chat GROUP BY seller_id$q$);
SELECT count(*) AS differ
FROM ((SELECT seller_id, odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official)::text AS rs
       FROM wm_t_chat GROUP BY seller_id
       EXCEPT SELECT * FROM wm_t_serial)
      UNION ALL
      (SELECT * FROM wm_t_serial
       EXCEPT SELECT seller_id, odr_message_replies(buyer, sent_at, sender, is_auto_reply, is_official)::text
       FROM wm_t_chat GROUP BY seller_id)) x;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers
FROM pg_temp.plan_nodes($q$SELECT odr_message_replies(seller_id || '/' || buyer, sent_at, sender, is_auto_reply, is_official) FROM wm_t_chat$q$);
SELECT p.rs = s.rs AS one_group_equal, length(s.rs) > 100000 AS not_small
FROM (SELECT odr_message_replies(seller_id || '/' || buyer, sent_at, sender, is_auto_reply, is_official)::text AS rs FROM wm_t_chat) p,
     wm_t_serial_all s;
-- odr_assess over the pairs in parallel too: the same standings
SELECT count(*) AS compared, count(*) FILTER (WHERE p.s::text IS DISTINCT FROM g.s::text) AS mismatches
FROM (SELECT seller_id, odr_assess(o, 'walmart', '2026-04-30') AS s FROM wm_t_messages GROUP BY seller_id) p
JOIN wm_t_engine g ON g.seller_id = p.seller_id AND g.as_of = '2026-04-30';
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------------
-- bad input: SQLSTATE and message, naming the argument and the value
-- ---------------------------------------------------------------------
CREATE FUNCTION pg_temp.wm_t_error(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT q AS bad_input, pg_temp.wm_t_error('SELECT ' || q) AS error
FROM unnest(ARRAY[
	$$odr_message_replies('b', '2026-04-01 10:00+00', 'agent', false, false)$$,
	$$odr_message_replies('b', '2026-04-01 10:00+00', 'seller ', true, false)$$,
	$$odr_message_replies('b', '2026-04-01 10:00+00', NULL, false, false)$$,
	$$odr_message_replies(NULL, '2026-04-01 10:00+00', 'buyer', false, false)$$,
	$$odr_message_replies(NULL, '2026-04-01 10:00+00', 'seller', true, false)$$,
	$$odr_message_replies('b', NULL, 'seller', false, false)$$,
	$$odr_message_replies('b', 'infinity', 'buyer', false, false)$$,
	$$odr_message_replies('b', '-infinity', 'seller', false, false)$$,
	$$odr_message_replies(b, t, 'buyer', false, false) FROM (VALUES ('a', timestamptz '2026-04-01 10:00+00'), (NULL, '2026-04-01 11:00+00')) v(b, t)$$,
	-- official rows are ignored whatever they hold; NULL flags mean false
	$$odr_message_replies(NULL, NULL, NULL, NULL, true)$$,
	$$odr_message_replies('b', '2026-04-01 10:00+00', 'buyer', NULL, NULL)$$]) AS q;

DROP MATERIALIZED VIEW wm_t_w_daily CASCADE;
DROP VIEW wm_t_rows, wm_t_messages;
DROP TABLE wm_t_chat, wm_t_pairs, wm_t_plain, wm_t_dates, wm_t_engine, wm_t_plain_counts, wm_t_orders;
