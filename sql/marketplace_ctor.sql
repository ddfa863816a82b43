-- Issue 14: odr_amazon_order(...) and odr_ebay_order(...) are C functions
-- (src/marketplaces/amazon_ebay.c).  Here they are compared with their
-- generic form, odr_order('amazon' | 'ebay', ARRAY[...], ARRAY[...], ...)
-- with odr_choice(...) validating, exactly as the LANGUAGE sql functions of
-- 0.6.0 built them: the same odr_order bytes on generated rows (every value
-- of every choice, NULLs, equal and ordered timestamps), the same errors.
SET client_min_messages = warning;

-- the 0.6.0 bodies, as they were
CREATE FUNCTION pg_temp.generic_amazon_order(order_date date, fulfilment text, feedback_stars integer DEFAULT NULL,
	claim_status text DEFAULT NULL, chargeback boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL,
	cancelled_at timestamptz DEFAULT NULL, cancelled_by text DEFAULT NULL,
	promised_delivery_date date DEFAULT NULL, tracking_valid boolean DEFAULT NULL, buyer text DEFAULT NULL)
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN odr_order('amazon',
	ARRAY[order_date, promised_delivery_date],
	ARRAY[
		odr_choice(COALESCE(fulfilment, '(NULL)'), 'fulfilment', '{mfn,afn}') = 'mfn',
		fulfilment = 'afn',
		odr_choice(feedback_stars::text, 'feedback_stars', '{1,2,3,4,5}') = ANY ('{1,2}'::text[]),
		odr_choice(claim_status, 'claim_status', '{open,granted,denied,withdrawn,won_on_appeal}') = ANY ('{open,granted}'::text[]),
		COALESCE(chargeback, false),
		shipped_at IS NOT NULL,
		shipped_at > expected_ship_at,
		odr_choice(cancelled_by, 'cancelled_by', '{seller,auto,buyer}') = ANY ('{seller,auto}'::text[])
			AND (shipped_at IS NULL OR cancelled_at < shipped_at),
		COALESCE(tracking_valid, false)]::boolean[],
	NULL::numeric[], buyer);
CREATE FUNCTION pg_temp.generic_ebay_order(transaction_date date, buyer text, amount_usd numeric DEFAULT 0,
	cancelled_by text DEFAULT NULL, case_closed_without_seller_resolution boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL)
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN odr_order('ebay',
	ARRAY[transaction_date],
	ARRAY[
		odr_choice(cancelled_by, 'cancelled_by', '{seller,auto,buyer}') = 'seller',
		cancelled_by IS NOT NULL,
		COALESCE(case_closed_without_seller_resolution, false),
		shipped_at > expected_ship_at]::boolean[],
	ARRAY[amount_usd], buyer);

-- the functions are C now, with the same signatures and defaults
SELECT p.proname, l.lanname, p.provolatile, p.proparallel, p.proisstrict, p.pronargs, p.pronargdefaults
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.proname IN ('odr_amazon_order', 'odr_ebay_order') AND p.pronamespace <> pg_my_temp_schema()
ORDER BY 1;

-- Amazon: 40000 generated rows; each column takes each of its values with
-- about every combination of the others (moduli pairwise coprime)
CREATE TEMP TABLE ctor_amz AS
SELECT g,
       (ARRAY[NULL, date '2026-01-01', date '0001-01-01', date '2026-02-28'])[1 + g % 4] AS order_date,
       (ARRAY['mfn', 'afn'])[1 + g % 2] AS fulfilment,
       (ARRAY[NULL, 1, 2, 3, 4, 5])[1 + (g / 2) % 6] AS stars,
       (ARRAY[NULL, 'open', 'granted', 'denied', 'withdrawn', 'won_on_appeal'])[1 + g % 7 % 6] AS claim,
       (ARRAY[NULL, true, false])[1 + (g / 3) % 3] AS chargeback,
       (ARRAY[NULL, timestamptz '2026-01-01 10:00+00', '2026-01-01 12:00+00', '-infinity', 'infinity'])[1 + g % 5] AS expected,
       (ARRAY[NULL, timestamptz '2026-01-01 10:00+00', '2026-01-01 12:00+00', '2026-01-02 00:00+00'])[1 + (g / 5) % 4] AS shipped,
       (ARRAY[NULL, timestamptz '2026-01-01 10:00+00', '2026-01-01 12:00+00', '2026-01-03 00:00+00'])[1 + (g / 7) % 4] AS cancelled_at,
       (ARRAY[NULL, 'seller', 'auto', 'buyer'])[1 + g % 11 % 4] AS cancelled_by,
       (ARRAY[NULL, date '2026-01-09'])[1 + g % 13 % 2] AS promised,
       (ARRAY[NULL, true, false])[1 + g % 17 % 3] AS tracking,
       (ARRAY[NULL, '', 'x', 'buyer ' || g % 100])[1 + g % 19 % 4] AS buyer
FROM generate_series(1, 40000) AS g;

SELECT count(*) AS rows,
       count(*) FILTER (WHERE odr_order_send(c) IS DISTINCT FROM odr_order_send(s)) AS differ,
       count(DISTINCT odr_order_send(c)) AS distinct_orders
FROM (SELECT odr_amazon_order(order_date, fulfilment, stars, claim, chargeback, expected, shipped,
                              cancelled_at, cancelled_by, promised, tracking, buyer) AS c,
             pg_temp.generic_amazon_order(order_date, fulfilment, stars, claim, chargeback, expected, shipped,
                                          cancelled_at, cancelled_by, promised, tracking, buyer) AS s
      FROM ctor_amz) x;
-- every event occurs, alone and with others
SELECT e, count(*) FROM ctor_amz,
       unnest(odr_order_events(odr_amazon_order(order_date, fulfilment, stars, claim, chargeback, expected, shipped,
                                                cancelled_at, cancelled_by, promised, tracking, buyer), 'amazon')) AS e
GROUP BY e ORDER BY e;
-- the defaults: fewer arguments, named arguments
SELECT count(*) FILTER (WHERE odr_order_send(odr_amazon_order(order_date, fulfilment))
                              IS DISTINCT FROM odr_order_send(pg_temp.generic_amazon_order(order_date, fulfilment))) AS two,
       count(*) FILTER (WHERE odr_order_send(odr_amazon_order(order_date, fulfilment, stars, claim))
                              IS DISTINCT FROM odr_order_send(pg_temp.generic_amazon_order(order_date, fulfilment, stars, claim))) AS four,
       count(*) FILTER (WHERE odr_order_send(odr_amazon_order(order_date, fulfilment, buyer => buyer, shipped_at => shipped))
                              IS DISTINCT FROM odr_order_send(pg_temp.generic_amazon_order(order_date, fulfilment, buyer => buyer, shipped_at => shipped))) AS named
FROM ctor_amz;

-- eBay: 20000 generated rows
CREATE TEMP TABLE ctor_eb AS
SELECT g,
       (ARRAY[NULL, date '2026-01-01', date '0001-01-01', date '2025-12-31'])[1 + g % 4] AS day,
       (ARRAY[NULL, '', 'b', 'buyer ' || g % 50])[1 + g % 3 % 4 + (g / 3) % 2] AS buyer,
       (ARRAY[NULL, 0, 12.5, 0.00005, 0.00004999, -3.14159, 199.99, 123456789.12345])[1 + g % 8] AS amount,
       (ARRAY[NULL, 'seller', 'auto', 'buyer'])[1 + (g / 8) % 4] AS cancelled_by,
       (ARRAY[NULL, true, false])[1 + g % 7 % 3] AS case_closed,
       (ARRAY[NULL, timestamptz '2026-01-01 10:00+00', '2026-01-01 12:00+00', 'infinity'])[1 + g % 11 % 4] AS expected,
       (ARRAY[NULL, timestamptz '2026-01-01 10:00+00', '2026-01-01 12:00+00', '2026-01-02 00:00+00'])[1 + g % 13 % 4] AS shipped
FROM generate_series(1, 20000) AS g;

SELECT count(*) AS rows,
       count(*) FILTER (WHERE odr_order_send(c) IS DISTINCT FROM odr_order_send(s)) AS differ,
       count(DISTINCT odr_order_send(c)) AS distinct_orders
FROM (SELECT odr_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped) AS c,
             pg_temp.generic_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped) AS s
      FROM ctor_eb) x;
SELECT e, count(*) FROM ctor_eb,
       unnest(odr_order_events(odr_ebay_order(day, buyer, amount, cancelled_by, case_closed, expected, shipped), 'ebay')) AS e
GROUP BY e ORDER BY e;
SELECT count(*) FILTER (WHERE odr_order_send(odr_ebay_order(day, buyer))
                              IS DISTINCT FROM odr_order_send(pg_temp.generic_ebay_order(day, buyer))) AS two,
       count(*) FILTER (WHERE odr_order_send(odr_ebay_order(day, buyer, cancelled_by => cancelled_by))
                              IS DISTINCT FROM odr_order_send(pg_temp.generic_ebay_order(day, buyer, cancelled_by => cancelled_by))) AS named
FROM ctor_eb;

-- The same errors (SQLSTATE, message, detail, hint), the first in the
-- same order when several arguments are wrong.
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text;
	msg text;
	det text;
	hint text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN st || ': ' || msg || coalesce(' / ' || nullif(det, ''), '') || coalesce(' / ' || nullif(hint, ''), '');
END
$$;
CREATE TEMP TABLE ctor_bad (k int, args text);
INSERT INTO ctor_bad VALUES
	(1, $$'2026-01-01'::date, 'fba'$$),
	(2, $$'2026-01-01'::date, NULL::text$$),
	(3, $$'2026-01-01'::date, 'MFN'$$),
	(4, $$'2026-01-01'::date, 'mfn', 0$$),
	(5, $$'2026-01-01'::date, 'mfn', 6$$),
	(6, $$'2026-01-01'::date, 'mfn', -1$$),
	(7, $$'2026-01-01'::date, 'mfn', claim_status => 'lost'$$),
	(8, $$'2026-01-01'::date, 'mfn', claim_status => ''$$),
	(9, $$'2026-01-01'::date, 'mfn', cancelled_by => 'amazon'$$),
	(10, $$'2026-01-01'::date, 'fba', 9, 'lost', cancelled_by => 'amazon'$$),
	(11, $$'2026-01-01'::date, 'mfn', 9, 'lost', cancelled_by => 'amazon'$$),
	(12, $$'2026-01-01'::date, 'mfn', 1, 'lost', cancelled_by => 'amazon'$$),
	(13, $$'infinity'::date, 'mfn'$$),
	(14, $$'2026-01-01'::date, 'mfn', promised_delivery_date => '-infinity'$$),
	(15, $$'infinity'::date, 'fba'$$),
	(16, $$'2026-01-01'::date, 'mfn', cancelled_by => 'seller ', buyer => 'x'$$);
SELECT k, pg_temp.error_of(format('SELECT odr_amazon_order(%s) FROM (VALUES (1)) v(x)', args)) AS error,
       pg_temp.error_of(format('SELECT odr_amazon_order(%s) FROM (VALUES (1)) v(x)', args))
         IS NOT DISTINCT FROM pg_temp.error_of(format('SELECT pg_temp.generic_amazon_order(%s) FROM (VALUES (1)) v(x)', args)) AS same
FROM ctor_bad ORDER BY k;
TRUNCATE ctor_bad;
INSERT INTO ctor_bad VALUES
	(1, $$'2026-01-01'::date, 'b', cancelled_by => 'ebay'$$),
	(2, $$'2026-01-01'::date, 'b', cancelled_by => 'Seller'$$),
	(3, $$'infinity'::date, 'b'$$),
	(4, $$'infinity'::date, 'b', cancelled_by => 'ebay'$$),
	(5, $$'2026-01-01'::date, 'b', 'NaN'$$),
	(6, $$'2026-01-01'::date, 'b', 'Infinity'$$),
	(7, $$'2026-01-01'::date, 'b', 1e30$$),
	(8, $$'-infinity'::date, 'b', 'NaN'$$);
SELECT k, pg_temp.error_of(format('SELECT odr_ebay_order(%s) FROM (VALUES (1)) v(x)', args)) AS error,
       pg_temp.error_of(format('SELECT odr_ebay_order(%s) FROM (VALUES (1)) v(x)', args))
         IS NOT DISTINCT FROM pg_temp.error_of(format('SELECT pg_temp.generic_ebay_order(%s) FROM (VALUES (1)) v(x)', args)) AS same
FROM ctor_bad ORDER BY k;

-- what the orders feed is the same: an assessment over both forms
SELECT count(*) AS sellers,
       count(*) FILTER (WHERE c::text IS DISTINCT FROM s::text) AS differ
FROM (SELECT g % 7 AS seller,
             odr_assess(odr_amazon_order(order_date, fulfilment, stars, claim, chargeback, expected, shipped,
                                         cancelled_at, cancelled_by, promised, tracking, buyer), 'amazon', '2026-01-31') AS c,
             odr_assess(pg_temp.generic_amazon_order(order_date, fulfilment, stars, claim, chargeback, expected, shipped,
                                                     cancelled_at, cancelled_by, promised, tracking, buyer), 'amazon', '2026-01-31') AS s
      FROM ctor_amz GROUP BY g % 7) x;

-- What reads a standing keeps the last one decoded and evaluated (several
-- odr_metric_value calls of a row evaluate it once); a marketplace changed
-- since is never read with its old rows.  A copy of amazon, its standings
-- stored, read, its ODR target tightened, read again in the same
-- transaction, and in one statement with the same standing read by many.
BEGIN;
INSERT INTO odr_marketplace (name, description, date_bases, events, "values")
SELECT 'amazon_copy', 'a copy of amazon', date_bases, events, "values" FROM odr_marketplace WHERE name = 'amazon';
INSERT INTO odr_marketplace_counter SELECT 'amazon_copy', name, kind, when_all, when_any, when_none, basis, value, k, description
FROM odr_marketplace_counter WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_window SELECT 'amazon_copy', name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description
FROM odr_marketplace_window WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_metric SELECT 'amazon_copy', name, kind, numerator, denominator, "window", description
FROM odr_marketplace_metric WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_standard SELECT 'amazon_copy', name, position, description
FROM odr_marketplace_standard WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_comparison SELECT 'amazon_copy', standard, position, metric, op, threshold, rounding, digits,
       applies_metric, applies_min, applies_max
FROM odr_marketplace_comparison WHERE marketplace = 'amazon';
INSERT INTO odr_marketplace_level SELECT 'amazon_copy', name, rank, position, mode, standards, description
FROM odr_marketplace_level WHERE marketplace = 'amazon';
COMMIT;
CREATE TEMP TABLE ctor_st AS
SELECT g % 5 AS seller,
       odr_assess(odr_amazon_order(date '2026-01-31' - g % 60, CASE WHEN g / 5 % 3 = 2 THEN 'afn' ELSE 'mfn' END,
                                   CASE WHEN g / 5 % (40 + 40 * (g % 5)) = 0 THEN 1 ELSE 5 END), 'amazon_copy', '2026-01-31') AS s
FROM generate_series(1, 3000) AS g GROUP BY g % 5;
BEGIN;
SELECT seller, odr_level(s), odr_deciding_standard(s), odr_metric_value(s, 'odr_mfn') AS odr_mfn FROM ctor_st ORDER BY seller;
UPDATE odr_marketplace_comparison SET threshold = 0.005 WHERE marketplace = 'amazon_copy' AND standard LIKE 'odr_%';
SELECT seller, odr_level(s), odr_deciding_standard(s), odr_metric_value(s, 'odr_mfn') AS odr_mfn FROM ctor_st ORDER BY seller;
ROLLBACK;
-- many readers of one standing in a row, rows alternating: as one at a time
SELECT count(*) AS reads,
       count(*) FILTER (WHERE a IS DISTINCT FROM b) AS differ
FROM (SELECT x.seller, m.name,
             odr_metric_value(x.s, m.name) AS a,
             (SELECT value FROM odr_standing_metrics(x.s) WHERE metric = m.name) AS b
      FROM ctor_st x, ctor_st y, odr_marketplace_metric m
      WHERE m.marketplace = 'amazon' AND y.seller <> x.seller) q;
DELETE FROM odr_marketplace WHERE name = 'amazon_copy';
