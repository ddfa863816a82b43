-- odr_summary text form, jsonb cast, binary round trip
SELECT '()'::odr_summary AS empty;
SELECT '(orders=10, defective=2, unshipped=1, arbitration=1, seller_responsible=1, rated=4, positive=3, dsr_item_sum=9, dsr_item_ratings=2)'::odr_summary AS partial_keys;
SELECT s::text::odr_summary = s AS round_trip, s
FROM (SELECT odr_agg(odr_classify(feedback_stars => 1 + g % 5, dsr_item => 1 + g % 5,
                                  dsr_communication => 1 + g % 4, dsr_shipping => 1 + g % 3,
                                  unshipped => g % 7 = 0, arbitration => g % 11 = 0,
                                  arbitration_seller_responsible => g % 22 = 0,
                                  order_amount_usd => g % 9)) AS s
      FROM generate_series(1, 1000) g) x;
SELECT jsonb_pretty(s::jsonb)
FROM (SELECT '(orders=4,defective=1,negative_feedback=1,rated=2,positive=1,dsr_shipping_sum=6,dsr_shipping_ratings=2)'::odr_summary AS s) x;
SELECT ('()'::odr_summary)::jsonb -> 'odr' AS odr_of_nothing;
-- binary round trip with COPY (FORMAT binary)
CREATE TEMP TABLE sums (seller int, s odr_summary);
INSERT INTO sums
SELECT g % 20, odr_agg(odr_classify(feedback_stars => 1 + g % 5, unshipped => g % 3 = 0,
                                     arbitration => g % 17 = 0))
FROM generate_series(1, 2010) g GROUP BY g % 20;
\copy sums TO 'results/sums.bin' WITH (FORMAT binary)
CREATE TEMP TABLE sums_back (LIKE sums);
\copy sums_back FROM 'results/sums.bin' WITH (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.s = b.s) AS equal
FROM sums a JOIN sums_back b USING (seller);
-- comparison, hashing and sorting
SELECT count(DISTINCT s) AS distinct_summaries FROM sums;
SELECT (SELECT s FROM sums WHERE seller = 1) = (SELECT s FROM sums WHERE seller = 1) AS eq,
       (SELECT s FROM sums WHERE seller = 1) <> (SELECT s FROM sums WHERE seller = 12) AS ne;
-- arithmetic: a + b - b = a
SELECT (a + b) - b = a AS plus_minus, odr_orders(a + b) = odr_orders(a) + odr_orders(b) AS orders_add
FROM (SELECT (SELECT s FROM sums WHERE seller = 3) AS a, (SELECT s FROM sums WHERE seller = 4) AS b) x;
SELECT odr_summary_of('{negative_feedback,unshipped} feedback=2');
-- counts at the bigint limit are valid (their sum must not overflow the check)
SELECT odr_orders(s) = 9223372036854775807 AS at_limit
FROM (SELECT '(orders=9223372036854775807,defective=9223372036854775807,negative_feedback=9223372036854775806,dsr_item=9223372036854775806)'::odr_summary AS s) x;
