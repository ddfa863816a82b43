/*
 * odr 0.7.0 -> 0.8.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.8.0'" to load this file. \quit

-- ---------------------------------------------------------------------
-- Issue 20 (policy language): evaluation calendars weekly (evaluation_day
-- is the ISO weekday, Monday 1 .. Sunday 7) and quarter_end.  The CHECK
-- constraints are dropped and re-added by name, as sql/odr.sql defines them;
-- day_of_month keeps its meaning (evaluation_day 1..28, required).
-- ---------------------------------------------------------------------
ALTER TABLE @extschema@.odr_marketplace
	DROP CONSTRAINT odr_marketplace_evaluated_check,
	DROP CONSTRAINT odr_marketplace_evaluation_day,
	ADD CONSTRAINT odr_marketplace_evaluated_check
		CHECK (evaluated OPERATOR(pg_catalog.=) ANY ('{daily,weekly,month_end,quarter_end,day_of_month}'::text[])),
	ADD CONSTRAINT odr_marketplace_evaluation_day CHECK
		((evaluated OPERATOR(pg_catalog.=) ANY ('{day_of_month,weekly}'::text[])) OPERATOR(pg_catalog.=) (evaluation_day IS NOT NULL)),
	ADD CONSTRAINT odr_marketplace_evaluation_weekday CHECK
		(evaluated OPERATOR(pg_catalog.<>) 'weekly'::text OR evaluation_day OPERATOR(pg_catalog.<=) 7);
COMMENT ON COLUMN @extschema@.odr_marketplace.evaluated IS 'When the marketplace grades: daily, weekly (on ISO weekday evaluation_day), month_end (the last day of each month), quarter_end (31 March, 30 June, 30 September, 31 December) or day_of_month (evaluation_day of each month)';
COMMENT ON COLUMN @extschema@.odr_marketplace.evaluation_day IS 'day_of_month: the day of the month of the evaluation (1..28; eBay: 20, M2.2); weekly: the ISO weekday (1 Monday .. 7 Sunday); NULL otherwise';
