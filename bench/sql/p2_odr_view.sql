-- P2 odr (a): the month-end view of odr_create_warehouse (odr_rollup_at over odr_segments, one pass)
SELECT * FROM odr_month_end
