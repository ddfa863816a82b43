-- The assessment calendar (A1, A2)
SET datestyle = ISO;
-- A2: every month's last day, leap years right (2024 leap, 2100 not, 2000 yes)
SELECT array_agg(m ORDER BY m) FROM odr_month_ends('2024-01-01', '2024-12-31') m;
SELECT odr_month_ends('2100-02-01', '2100-03-01') AS feb_2100, odr_month_ends('2000-02-01', '2000-03-01') AS feb_2000;
-- a range inside one month holds no month end, or just one when it reaches it
SELECT count(*) FROM odr_month_ends('2026-11-02', '2026-11-29');
SELECT * FROM odr_month_ends('2026-11-30', '2026-11-30');
-- far from 2000, both directions
SELECT odr_month_ends('1900-02-01', '1900-02-28'), odr_month_ends('0001-02-01 BC', '0001-03-01 BC') AS leap_1_bc;
-- A1: the 90 days ending on the assessment date, inclusive
SELECT odr_window('2026-10-31') AS w, upper(odr_window('2026-10-31')) - lower(odr_window('2026-10-31')) AS days,
       odr_window('2026-10-31', 30) AS w30, odr_window('2024-03-01', 1) AS one_day;
SELECT date '2026-08-03' <@ odr_window('2026-10-31') AS first_day_in,
       date '2026-08-02' <@ odr_window('2026-10-31') AS day_before_out,
       date '2026-10-31' <@ odr_window('2026-10-31') AS as_of_in;
-- the next and the last assessment
SELECT d, odr_next_assessment(d) AS next, odr_last_assessment(d) AS last
FROM unnest('{2026-11-18,2026-11-30,2026-12-01,2024-02-10,2023-02-28,2026-01-31}'::date[]) d;
-- windows for joins
SELECT * FROM odr_assessment_windows('2026-01-15', '2026-04-30');
SELECT * FROM odr_assessment_windows('2026-01-15', '2026-03-30', days => 30);
-- runs of days in the same month-end windows (what odr_segments groups by):
-- with 90 days they break on the 1st and where a window starts (2026: Oct 3
-- starts the window of Dec 31, Dec 1 the one of Feb 28)
SELECT d, odr_assessment_segment(d) AS run_90, odr_assessment_segment(d, 30) AS run_30,
       odr_assessment_segment(d, 1) AS run_1
FROM unnest('{2026-10-01,2026-10-02,2026-10-03,2026-10-31,2025-12-15,2024-02-29,2024-03-01}'::date[]) d;
-- every day of 2024..2027 lies in its run, each run's days share their
-- windows, and consecutive runs differ (one row per window length)
SELECT n, count(DISTINCT odr_assessment_segment(d, n)) AS runs,
       bool_and(d <@ odr_assessment_segment(d, n)) AS inside,
       bool_and(odr_assessment_segment(lower(odr_assessment_segment(d, n)), n) = odr_assessment_segment(d, n)) AS shared
FROM generate_series(date '2024-01-01', date '2027-12-31', interval '1 day') AS g(t),
     LATERAL (SELECT t::date) AS x(d), unnest('{1,7,30,90,365}'::int[]) AS n
GROUP BY n ORDER BY n;
SELECT n, count(*) AS runs_checked,
       count(*) FILTER (WHERE (SELECT array_agg(w.as_of ORDER BY w.as_of) FROM odr_assessment_windows('2023-01-01', '2029-12-31', n) w
                               WHERE lower(r) BETWEEN w.window_start AND w.window_end)
                              IS NOT DISTINCT FROM
                              (SELECT array_agg(w.as_of ORDER BY w.as_of) FROM odr_assessment_windows('2023-01-01', '2029-12-31', n) w
                               WHERE upper(r) - 1 BETWEEN w.window_start AND w.window_end)) AS same_windows,
       count(*) FILTER (WHERE (SELECT array_agg(w.as_of ORDER BY w.as_of) FROM odr_assessment_windows('2023-01-01', '2029-12-31', n) w
                               WHERE lower(r) - 1 BETWEEN w.window_start AND w.window_end)
                              IS DISTINCT FROM
                              (SELECT array_agg(w.as_of ORDER BY w.as_of) FROM odr_assessment_windows('2023-01-01', '2029-12-31', n) w
                               WHERE lower(r) BETWEEN w.window_start AND w.window_end)) AS differs_from_day_before
FROM (SELECT DISTINCT n, odr_assessment_segment(t::date, n) AS r
      FROM generate_series(date '2025-01-01', date '2026-12-31', interval '1 day') AS g(t), unnest('{7,30,90}'::int[]) AS n) AS s
GROUP BY n ORDER BY n;
-- projection windows: mid-month, and on a month end
SELECT * FROM odr_projection_windows('2026-11-18');
SELECT * FROM odr_projection_windows('2026-10-31');
SELECT * FROM odr_projection_windows('2026-03-10', 20);
-- bad input
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT err($q$SELECT * FROM odr_month_ends('2026-12-31', '2026-01-01')$q$);
SELECT err($q$SELECT * FROM odr_month_ends('-infinity', '2026-01-01')$q$);
SELECT err($q$SELECT * FROM odr_month_ends('2026-01-01', 'infinity')$q$);
SELECT err($q$SELECT odr_window('2026-10-31', 0)$q$);
SELECT err($q$SELECT odr_window('2026-10-31', -5)$q$);
SELECT err($q$SELECT odr_window('infinity', 90)$q$);
SELECT err($q$SELECT odr_window('4714-11-24 BC', 2)$q$);
SELECT err($q$SELECT odr_window('5874897-12-31', 1)$q$);
SELECT err($q$SELECT odr_next_assessment('infinity')$q$);
SELECT err($q$SELECT odr_last_assessment('-infinity')$q$);
SELECT odr_next_assessment('5874897-12-15') AS last_month_end_there_is;
-- (the day after the last date there is: from PostgreSQL 18 on, date + 1 has
-- its own range check, which may come first, so only the SQLSTATE is shown)
SELECT left(err($q$SELECT * FROM odr_projection_windows('5874897-12-31')$q$), 6) AS day_after_last_date;
SELECT err($q$SELECT * FROM odr_assessment_windows('2026-01-01', '2026-12-31', 0)$q$);
SELECT err($q$SELECT odr_assessment_segment('2026-10-31', 0)$q$);
SELECT err($q$SELECT odr_assessment_segment('2026-10-31', -90)$q$);
SELECT err($q$SELECT odr_assessment_segment('infinity')$q$);
SELECT err($q$SELECT odr_assessment_segment('-infinity', 90)$q$);
SELECT err($q$SELECT odr_assessment_segment('4714-11-24 BC', 90)$q$);
SELECT err($q$SELECT odr_assessment_segment('5874897-12-31', 90)$q$);
SELECT odr_assessment_segment('5874897-12-30', 1) AS last_run_there_is, odr_assessment_segment('2026-01-01', 100000) AS long_windows,
       odr_assessment_segment('2026-01-20', 2147483647) AS longest_windows;
SELECT odr_window(NULL), odr_next_assessment(NULL), odr_assessment_segment(NULL), odr_assessment_segment('2026-01-01', NULL), (SELECT count(*) FROM odr_month_ends(NULL, '2026-01-01')) AS strict;
DROP FUNCTION err(text);
