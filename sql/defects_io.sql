-- odr_defects text form: canonical output, tolerant input, exact round trip
SELECT '{}'::odr_defects, '{ }'::odr_defects, '  {unshipped}  '::odr_defects;
SELECT '{dispute_timeout, negative_feedback}  feedback=1'::odr_defects AS reordered;
SELECT '{arbitration} seller_responsible'::odr_defects, '{} feedback=5 under_5_usd'::odr_defects;
-- every single reason and all seven round-trip
SELECT r, format('{%s}', r)::odr_defects::text = format('{%s}', r) AS round_trip
FROM unnest(odr_reason_names()) AS r;
SELECT d::text, d::text::odr_defects = d AS round_trip
FROM (SELECT odr_classify(1, 1, 1, 1, true, true, true, false, true, 1) AS d) x;
-- all 128 reason sets round-trip through text and compare equal
SELECT count(*) AS sets, count(*) FILTER (WHERE d::text::odr_defects = d) AS round_trips
FROM (SELECT format('{%s}', array_to_string(ARRAY(
          SELECT r FROM unnest(odr_reason_names()) WITH ORDINALITY AS t(r, i)
          WHERE (m >> (i::int - 1)) & 1 = 1), ','))::odr_defects AS d
      FROM generate_series(0, 127) AS m) x;
-- binary round trip with COPY (FORMAT binary)
CREATE TEMP TABLE verdicts (id int, d odr_defects);
INSERT INTO verdicts
SELECT g, odr_classify(feedback_stars => 1 + g % 5, dsr_item => 1 + g % 4, dsr_shipping => 1 + g % 3,
                       unshipped => g % 7 = 0, arbitration => g % 11 = 0,
                       arbitration_seller_responsible => g % 22 = 0,
                       not_received_closed => g % 13 = 0, order_amount_usd => g % 9)
FROM generate_series(1, 500) g;
\copy verdicts TO 'results/verdicts.bin' WITH (FORMAT binary)
CREATE TEMP TABLE verdicts_back (LIKE verdicts);
\copy verdicts_back FROM 'results/verdicts.bin' WITH (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.d = b.d) AS equal
FROM verdicts a JOIN verdicts_back b USING (id);
