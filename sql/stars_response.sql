-- 1688 service stars, S4: the 3-minute response rate from message rows
-- (odr_response_rate, odr_response_counted, odr_response_answered,
-- odr_in_response_hours).  Rule ids refer to shared/rules.md.
SET timezone = 'UTC';
SET extra_float_digits = 0;
\i test/regress/plan_nodes.sql
CREATE FUNCTION resp_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- ---------------------------------------------------------------------
-- One seller per case, zone Asia/Shanghai (UTC+8, no DST); times written
-- in local time.  exp_counted / exp_answered are the hand-checked results.
-- ---------------------------------------------------------------------
CREATE TABLE resp_msgs (seller text, buyer text, sent_at timestamptz, sender text,
                        is_auto_reply boolean, is_official boolean);
CREATE TABLE resp_expected (seller text PRIMARY KEY, exp_counted bigint, exp_answered bigint, why text);
INSERT INTO resp_msgs VALUES
 -- S4 hours: the first message of the day at 08:59 does not count, nor does any later one
 ('first_0859', 'a', '2024-03-04 08:59:00+08', 'buyer',  false, false),
 ('first_0859', 'a', '2024-03-04 08:59:30+08', 'seller', false, false),
 ('first_0859', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('first_0859', 'a', '2024-03-04 10:00:30+08', 'seller', false, false),
 -- 09:00 counts; a reply after 2:59 is in time
 ('first_0900', 'a', '2024-03-04 09:00:00+08', 'buyer',  false, false),
 ('first_0900', 'a', '2024-03-04 09:02:59+08', 'seller', false, false),
 -- 20:59 counts; a reply after exactly 3:00 is in time
 ('first_2059', 'a', '2024-03-04 20:59:00+08', 'buyer',  false, false),
 ('first_2059', 'a', '2024-03-04 21:02:00+08', 'seller', false, false),
 -- 21:00 does not count
 ('first_2100', 'a', '2024-03-04 21:00:00+08', 'buyer',  false, false),
 ('first_2100', 'a', '2024-03-04 21:00:10+08', 'seller', false, false),
 -- a reply after 3:01 is late
 ('reply_0301', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('reply_0301', 'a', '2024-03-04 10:03:01+08', 'seller', false, false),
 -- an automatic reply is no reply; the human reply after it is
 ('auto_then_human', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('auto_then_human', 'a', '2024-03-04 10:00:05+08', 'seller', true,  false),
 ('auto_then_human', 'a', '2024-03-04 10:02:00+08', 'seller', false, false),
 -- only an automatic reply in time
 ('auto_only', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('auto_only', 'a', '2024-03-04 10:00:05+08', 'seller', true,  false),
 ('auto_only', 'a', '2024-03-04 10:05:00+08', 'seller', false, false),
 -- official messages are ignored entirely: the 08:00 one is not the first
 -- message, the official ones in between are no reply, and their sender is
 -- not even checked
 ('official', 'a', '2024-03-04 08:00:00+08', 'buyer',    false, true),
 ('official', 'a', '2024-03-04 10:00:00+08', 'buyer',    false, false),
 ('official', 'a', '2024-03-04 10:00:30+08', 'seller',   false, true),
 ('official', 'a', '2024-03-04 10:01:00+08', 'platform', false, true),
 ('official', 'a', '2024-03-04 10:02:30+08', 'seller',   false, false),
 ('official_only', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('official_only', 'a', '2024-03-04 10:01:00+08', 'seller', false, true),
 -- several messages in one day: only the first counts
 ('several', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('several', 'a', '2024-03-04 10:30:00+08', 'buyer',  false, false),
 ('several', 'a', '2024-03-04 10:30:10+08', 'seller', false, false),
 ('several', 'a', '2024-03-04 15:00:00+08', 'buyer',  false, false),
 ('several', 'a', '2024-03-04 15:00:05+08', 'seller', false, false),
 -- a reply at the same instant answers; one before the message does not
 ('same_instant', 'a', '2024-03-04 10:00:00+08', 'seller', false, false),
 ('same_instant', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('reply_before', 'a', '2024-03-04 09:59:59+08', 'seller', false, false),
 ('reply_before', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 -- interleaved buyers: a reply answers its own conversation only
 ('interleaved', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('interleaved', 'b', '2024-03-04 10:01:00+08', 'buyer',  false, false),
 ('interleaved', 'b', '2024-03-04 10:02:00+08', 'seller', false, false),
 ('interleaved', 'a', '2024-03-04 10:04:00+08', 'seller', false, false),
 ('interleaved', 'c', '2024-03-04 11:00:00+08', 'buyer',  false, false),
 ('interleaved', 'c', '2024-03-04 11:01:00+08', 'seller', false, false),
 -- each local day counts on its own
 ('two_days', 'a', '2024-03-04 10:00:00+08', 'buyer',  false, false),
 ('two_days', 'a', '2024-03-04 10:01:00+08', 'seller', false, false),
 ('two_days', 'a', '2024-03-05 10:00:00+08', 'buyer',  false, false),
 -- NULL sent_at, sender or buyer: the row is skipped; NULL flags are false
 ('nulls', 'a',  NULL,                      'buyer',  false, false),
 ('nulls', 'a',  '2024-03-04 08:00:00+08',  NULL,     false, false),
 ('nulls', NULL, '2024-03-04 08:00:00+08',  'buyer',  false, false),
 ('nulls', 'a',  '2024-03-04 10:00:00+08',  'buyer',  NULL,  NULL),
 ('nulls', 'a',  '2024-03-04 10:01:00+08',  'seller', NULL,  NULL),
 -- senders in any letter case
 ('letter_case', 'a', '2024-03-04 10:00:00+08', 'BUYER',  false, false),
 ('letter_case', 'a', '2024-03-04 10:01:00+08', 'Seller', false, false),
 -- seller messages alone: nothing counts (rate NULL)
 ('seller_only', 'a', '2024-03-04 10:00:00+08', 'seller', false, false);
INSERT INTO resp_expected VALUES
 ('first_0859', 0, 0, '08:59 first: the day does not count'),
 ('first_0900', 1, 1, '09:00 counts, reply after 2:59'),
 ('first_2059', 1, 1, '20:59 counts, reply after exactly 3:00'),
 ('first_2100', 0, 0, '21:00 does not count'),
 ('reply_0301', 1, 0, 'reply after 3:01 is late'),
 ('auto_then_human', 1, 1, 'auto-reply, then a human reply in time'),
 ('auto_only', 1, 0, 'only the auto-reply was in time'),
 ('official', 1, 1, 'official messages ignored'),
 ('official_only', 1, 0, 'an official reply is no reply'),
 ('several', 1, 0, 'only the first message of the day counts'),
 ('same_instant', 1, 1, 'a reply at the same instant answers'),
 ('reply_before', 1, 0, 'a message before is no reply'),
 ('interleaved', 3, 2, 'per-buyer pairing'),
 ('two_days', 2, 1, 'one count per local day'),
 ('nulls', 1, 1, 'NULL rows skipped, NULL flags false'),
 ('letter_case', 1, 1, 'BUYER / Seller'),
 ('seller_only', 0, 0, 'no buyer message');
SELECT e.seller, r.counted, r.answered, r.rate,
       (r.counted, r.answered) = (e.exp_counted, e.exp_answered) AS as_expected, e.why
FROM resp_expected e
LEFT JOIN (SELECT seller,
                  odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
                  odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered,
                  odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS rate
           FROM resp_msgs GROUP BY seller) r USING (seller)
ORDER BY e.seller;

-- all sellers in one group: the conversation key is seller and buyer (every
-- case above has a buyer 'a'); 17 counted, 10 answered, the sums above
SELECT odr_response_counted(seller || '/' || buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
       odr_response_answered(seller || '/' || buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered,
       round(odr_response_rate(seller || '/' || buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai')::numeric, 4) AS rate
FROM resp_msgs;

-- no rows: rate NULL, counts 0
SELECT odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS rate,
       odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
       odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered
FROM resp_msgs WHERE false;

-- ---------------------------------------------------------------------
-- Out of order: the same rows in any order give the same result
-- ---------------------------------------------------------------------
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE by_time = by_time_desc AND by_time = by_hash AND by_time = by_buyer_desc) AS equal
FROM (SELECT seller,
             (odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY sent_at),
              odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY sent_at)) AS by_time,
             (odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY sent_at DESC, sender DESC),
              odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY sent_at DESC, sender DESC)) AS by_time_desc,
             (odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY md5(coalesce(buyer, '') || sent_at::text || coalesce(sender, ''))),
              odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY md5(coalesce(buyer, '') || sent_at::text || coalesce(sender, '')))) AS by_hash,
             (odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY buyer DESC, sent_at DESC),
              odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai' ORDER BY buyer DESC, sent_at DESC)) AS by_buyer_desc
      FROM resp_msgs GROUP BY seller) x;

-- ---------------------------------------------------------------------
-- Zones: the seller's local day and hours
-- ---------------------------------------------------------------------
-- the same UTC instants: 00:30Z and 14:30Z, each answered a minute later.
-- Asia/Shanghai: 08:30 and 22:30 of one day, its first message too early -> 0
-- America/New_York: 19:30 of 3 March and 09:30 of 4 March -> 2 days, both answered
CREATE TABLE resp_zone (buyer text, sent_at timestamptz, sender text);
INSERT INTO resp_zone VALUES
 ('a', '2024-03-04 00:30Z', 'buyer'), ('a', '2024-03-04 00:31Z', 'seller'),
 ('a', '2024-03-04 14:30Z', 'buyer'), ('a', '2024-03-04 14:31Z', 'seller');
SELECT z AS zone,
       (SELECT odr_response_counted(buyer, sent_at, sender, false, false, z) FROM resp_zone) AS counted,
       (SELECT odr_response_answered(buyer, sent_at, sender, false, false, z) FROM resp_zone) AS answered,
       (SELECT string_agg(to_char(sent_at AT TIME ZONE z, 'MM-DD HH24:MI'), ', ' ORDER BY sent_at)
        FROM resp_zone WHERE sender = 'buyer') AS local_buyer_times
FROM unnest(ARRAY['Asia/Shanghai', 'America/New_York', 'UTC', 'asia/shanghai']) z;

-- DST (America/New_York): 13:00Z is 08:00 EST before 10 March 2024, 09:00 EDT
-- after; 13:59Z is 09:59 EDT on 2 November, 08:59 EST on 3 November
SELECT t, t AT TIME ZONE 'America/New_York' AS local, odr_in_response_hours(t, 'America/New_York') AS in_hours,
       (SELECT odr_response_counted('a', x, 'buyer', false, false, 'America/New_York') FROM (SELECT t) s(x)) AS counted
FROM unnest(ARRAY['2024-03-09 13:00Z', '2024-03-10 13:00Z', '2024-11-02 13:59Z', '2024-11-03 13:59Z']::timestamptz[]) t;

-- half- and quarter-hour zones: Asia/Kolkata (+05:30), Asia/Kathmandu (+05:45)
SELECT z AS zone, t, t AT TIME ZONE z AS local, odr_in_response_hours(t, z) AS in_hours
FROM (VALUES ('Asia/Kolkata', timestamptz '2024-03-04 03:29:59Z'), ('Asia/Kolkata', '2024-03-04 03:30Z'),
             ('Asia/Kolkata', '2024-03-04 15:29:59Z'), ('Asia/Kolkata', '2024-03-04 15:30Z'),
             ('Asia/Kathmandu', '2024-03-04 03:14:59Z'), ('Asia/Kathmandu', '2024-03-04 03:15Z')) v(z, t);
-- the same two buyers' first messages (03:29:59Z and 03:30Z) in each zone
SELECT z AS zone, odr_response_counted(b, t, 'buyer', false, false, z) AS counted
FROM (VALUES ('x', timestamptz '2024-03-04 03:29:59Z'), ('y', '2024-03-04 03:30Z')) v(b, t),
     unnest(ARRAY['Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Shanghai']) z
GROUP BY z ORDER BY z;

-- the zone is read as PostgreSQL reads time zone names (a different spelling
-- of the same zone within a group is the same zone)
SELECT odr_response_counted(buyer, sent_at, sender, false, false,
                            CASE WHEN sender = 'buyer' THEN 'America/New_York' ELSE 'AMERICA/NEW_YORK' END) AS counted
FROM resp_zone;

-- ---------------------------------------------------------------------
-- A window aggregate: the running count per local day (the final function
-- sorts the state in place; later rows are still added)
-- ---------------------------------------------------------------------
SELECT day, odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai')
              OVER (ORDER BY day) AS counted_so_far,
            odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai')
              OVER (ORDER BY day) AS answered_so_far
FROM (SELECT *, (sent_at AT TIME ZONE 'Asia/Shanghai')::date AS day FROM resp_msgs WHERE seller = 'two_days') m
ORDER BY day, sent_at;

-- ---------------------------------------------------------------------
-- Forced parallel plans (serialise / deserialise / combine) equal serial
-- ---------------------------------------------------------------------
-- 60 sellers, 1000 buyers, two weeks; buyer messages with replies 0..4 min
-- later (some automatic, some official), extra buyer messages the same day
CREATE TABLE resp_big AS
SELECT 's' || (g % 60) AS seller, 'b' || (g * 7 % 1000) AS buyer,
       timestamptz '2024-03-01 00:00Z' + ((g::bigint * 7919) % (14 * 86400)) * interval '1 second' AS sent_at,
       'buyer' AS sender, false AS is_auto_reply, g % 97 = 0 AS is_official
FROM generate_series(1, 60000) g
UNION ALL
SELECT 's' || (g % 60), 'b' || (g * 7 % 1000),
       timestamptz '2024-03-01 00:00Z' + ((g::bigint * 7919) % (14 * 86400) + (g * 37) % 250) * interval '1 second',
       CASE WHEN g % 2 = 0 THEN 'seller' ELSE 'Seller' END, g % 11 = 0, g % 13 = 0
FROM generate_series(1, 60000) g WHERE g % 3 <> 0;
ANALYZE resp_big;
SET max_parallel_workers_per_gather = 0;  -- the serial reference
CREATE TEMP TABLE resp_serial AS
SELECT seller,
       odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS rate,
       odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
       odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered
FROM resp_big GROUP BY seller;
-- one group over every row (a buyer writes to several sellers here, so this
-- is not the sum of the sellers' counts)
CREATE TEMP TABLE resp_serial_total AS
SELECT odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
       odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered
FROM resp_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT seller, odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai')
FROM resp_big GROUP BY seller$q$);
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE p.rate = s.rate AND p.counted = s.counted AND p.answered = s.answered) AS equal,
       count(*) FILTER (WHERE s.rate > 0 AND s.rate < 1) AS partly_answered,
       min(s.counted) > 0 AS all_counted
FROM (SELECT seller,
             odr_response_rate(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS rate,
             odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
             odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered
      FROM resp_big GROUP BY seller) p
JOIN resp_serial s USING (seller);
-- one group over every row: each worker sees part of every conversation,
-- the combine function joins them
SELECT bool_or(node = 'Partial Aggregate' AND in_worker) AS partial_in_workers,
       bool_or(node = 'Finalize Aggregate' AND NOT in_worker) AS finalized_in_leader
FROM pg_temp.plan_nodes($q$SELECT odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') FROM resp_big$q$);
SELECT p.counted = s.counted AND p.answered = s.answered AS total_equal, s.counted > 0 AND s.answered > 0 AS not_empty
FROM (SELECT odr_response_counted(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS counted,
             odr_response_answered(buyer, sent_at, sender, is_auto_reply, is_official, 'Asia/Shanghai') AS answered
      FROM resp_big) p, resp_serial_total s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------------
-- Bad input, each with its SQLSTATE
-- ---------------------------------------------------------------------
-- an unknown sender (22023), naming the value
SELECT resp_err($q$SELECT odr_response_rate(b, t, s, false, false, 'Asia/Shanghai')
                   FROM (VALUES ('a', timestamptz '2024-03-04 02:00Z', 'buyer'), ('a', '2024-03-04 02:01Z', 'agent')) v(b, t, s)$q$);
SELECT resp_err($q$SELECT odr_response_rate('a', now(), 'seller ', false, false, 'Asia/Shanghai')$q$);
-- an unknown zone (22023), an empty one, an abbreviation
SELECT resp_err($q$SELECT odr_response_rate('a', now(), 'buyer', false, false, 'Mars/Olympus')$q$);
SELECT resp_err($q$SELECT odr_response_rate('a', now(), 'buyer', false, false, '')$q$);
SELECT resp_err($q$SELECT odr_response_rate('a', now(), 'buyer', false, false, 'CST')$q$);
-- the zone changing within a group (22023)
SELECT resp_err($q$SELECT odr_response_rate(buyer, sent_at, sender, false, false,
                                            CASE WHEN sender = 'buyer' THEN 'Asia/Shanghai' ELSE 'America/New_York' END)
                   FROM resp_zone$q$);
-- a NULL zone (22004)
SELECT resp_err($q$SELECT odr_response_rate('a', now(), 'buyer', false, false, NULL)$q$);
-- an infinite sent_at (22008)
SELECT resp_err($q$SELECT odr_response_counted('a', 'infinity', 'buyer', false, false, 'UTC')$q$);
SELECT resp_err($q$SELECT odr_response_counted('a', '-infinity', 'seller', true, false, 'UTC')$q$);
SELECT resp_err($q$SELECT odr_in_response_hours('infinity', 'UTC')$q$);
SELECT resp_err($q$SELECT odr_in_response_hours(now(), 'Nowhere/Town')$q$);
-- the helper is STRICT
SELECT odr_in_response_hours(NULL, 'UTC') IS NULL AS null_in_null_out;

DROP TABLE resp_big;
DROP TABLE resp_zone;
DROP TABLE resp_expected;
DROP TABLE resp_msgs;
DROP FUNCTION resp_err(text);
