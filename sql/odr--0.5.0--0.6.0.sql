/*
 * odr 0.5.0 -> 0.6.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.6.0'" to load this file. \quit

-- =====================================================================
-- Issue 14: the policy engine from SQL.  Marketplaces are rows (built-in
-- amazon, M1, and ebay, M2); odr_order holds one order's facts for a
-- marketplace; odr_assess grades a seller into an odr_standing.
-- =====================================================================

CREATE TABLE odr_marketplace (
	name text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	description text NOT NULL DEFAULT '',
	builtin boolean NOT NULL DEFAULT false,
	date_bases text[] NOT NULL,
	events text[] NOT NULL DEFAULT '{}',
	"values" text[] NOT NULL DEFAULT '{}',
	evaluated text NOT NULL DEFAULT 'daily'
		CHECK (evaluated OPERATOR(pg_catalog.=) ANY ('{daily,month_end,day_of_month}'::text[])),
	evaluation_day integer CHECK (evaluation_day OPERATOR(pg_catalog.>=) 1 AND evaluation_day OPERATOR(pg_catalog.<=) 28),
	effective_after text NOT NULL DEFAULT 'same_day'
		CHECK (effective_after OPERATOR(pg_catalog.=) ANY ('{same_day,next_day,next_month_first}'::text[])),
	CONSTRAINT odr_marketplace_evaluation_day CHECK
		((evaluated OPERATOR(pg_catalog.=) 'day_of_month'::text) OPERATOR(pg_catalog.=) (evaluation_day IS NOT NULL))
);
COMMENT ON TABLE odr_marketplace IS
	'Marketplaces (issue 14): each is a policy of the engine, defined by the rows of odr_marketplace_* that name it. Built-in rows (amazon: rules M1, ebay: M2) are read-only; add your own. A change is checked when the transaction commits (odr_marketplace_check): a marketplace that does not compile is refused and nothing changes.';
COMMENT ON COLUMN odr_marketplace.name IS 'Marketplace name, passed to odr_order, odr_assess, ...';
COMMENT ON COLUMN odr_marketplace.description IS 'What the marketplace grades and where its numbers come from';
COMMENT ON COLUMN odr_marketplace.builtin IS 'Shipped with odr (read-only, recreated by CREATE EXTENSION, not dumped)';
COMMENT ON COLUMN odr_marketplace.date_bases IS 'The dates an order has, in order (odr_order''s days argument follows it): each counter places an order in a day by one of them';
COMMENT ON COLUMN odr_marketplace.events IS 'The facts an order has or has not, in order (odr_order''s events argument follows it; at most 64)';
COMMENT ON COLUMN odr_marketplace."values" IS 'The numbers an order carries, in order (odr_order''s values argument follows it; at most 8; kept to 1/10000)';
COMMENT ON COLUMN odr_marketplace.evaluated IS 'When the marketplace grades: daily, month_end (the last day of each month) or day_of_month (evaluation_day of each month)';
COMMENT ON COLUMN odr_marketplace.evaluation_day IS 'day_of_month: the day of the month of the evaluation (1..28; eBay: 20, M2.2); NULL otherwise';
COMMENT ON COLUMN odr_marketplace.effective_after IS 'When a grade takes effect: same_day, next_day or next_month_first (eBay: the 1st of the next month, M2.2)';

CREATE TABLE odr_marketplace_counter (
	marketplace text NOT NULL REFERENCES odr_marketplace (name) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY ('{count,sum,distinct,first_day,last_day}'::text[])),
	when_all text[] NOT NULL DEFAULT '{}',
	when_any text[] NOT NULL DEFAULT '{}',
	when_none text[] NOT NULL DEFAULT '{}',
	basis text NOT NULL,
	value text,
	k integer,
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (marketplace, name)
);
COMMENT ON TABLE odr_marketplace_counter IS
	'What a marketplace counts per day of a date basis: orders whose events match (count), the sum of a value over them (sum), their distinct buyers up to k (distinct: exact below k, "at least k" from there; merges exactly), the first or last day one occurred (first_day, last_day)';
COMMENT ON COLUMN odr_marketplace_counter.marketplace IS 'The marketplace the counter belongs to';
COMMENT ON COLUMN odr_marketplace_counter.name IS 'Counter name, unique in the marketplace';
COMMENT ON COLUMN odr_marketplace_counter.kind IS 'count, sum, distinct, first_day or last_day';
COMMENT ON COLUMN odr_marketplace_counter.when_all IS 'Events an order must all have to be counted (none: every order)';
COMMENT ON COLUMN odr_marketplace_counter.when_any IS 'Events of which an order must have at least one (none: no such condition); an order is counted once however many it has';
COMMENT ON COLUMN odr_marketplace_counter.when_none IS 'Events an order must not have';
COMMENT ON COLUMN odr_marketplace_counter.basis IS 'The date basis (of odr_marketplace.date_bases) that places the order in a day';
COMMENT ON COLUMN odr_marketplace_counter.value IS 'sum: the value (of odr_marketplace.values) summed; NULL otherwise';
COMMENT ON COLUMN odr_marketplace_counter.k IS 'distinct: buyers kept (1..8); must exceed every threshold compared with it';
COMMENT ON COLUMN odr_marketplace_counter.description IS 'What the counter counts, with its rule';

CREATE TABLE odr_marketplace_window (
	marketplace text NOT NULL REFERENCES odr_marketplace (name) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY ('{days,months,weeks,quarters,month_to_date,lifetime,by_volume}'::text[])),
	length integer NOT NULL DEFAULT 1,
	lag integer NOT NULL DEFAULT 0,
	primary_window text,
	fallback_window text,
	volume_counter text,
	volume_min bigint,
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (marketplace, name),
	FOREIGN KEY (marketplace, primary_window) REFERENCES odr_marketplace_window (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, fallback_window) REFERENCES odr_marketplace_window (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, volume_counter) REFERENCES odr_marketplace_counter (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE odr_marketplace_window IS
	'Where a marketplace''s metrics look, from the evaluation day: days (the length days ending on it, minus lag), months / weeks / quarters (whole ones before its month, ISO week, quarter), month_to_date, lifetime, or by_volume (primary_window when volume_counter over it reaches volume_min, else fallback_window)';
COMMENT ON COLUMN odr_marketplace_window.marketplace IS 'The marketplace the window belongs to';
COMMENT ON COLUMN odr_marketplace_window.name IS 'Window name, unique in the marketplace';
COMMENT ON COLUMN odr_marketplace_window.kind IS 'days, months, weeks, quarters, month_to_date, lifetime or by_volume';
COMMENT ON COLUMN odr_marketplace_window.length IS 'Days, months, weeks or quarters (>= 1; month_to_date: whole months before, >= 0; ignored by lifetime and by_volume)';
COMMENT ON COLUMN odr_marketplace_window.lag IS 'Days before the evaluation day the window ends (>= 0)';
COMMENT ON COLUMN odr_marketplace_window.primary_window IS 'by_volume: the window used when the volume is reached';
COMMENT ON COLUMN odr_marketplace_window.fallback_window IS 'by_volume: the window used otherwise';
COMMENT ON COLUMN odr_marketplace_window.volume_counter IS 'by_volume: a count counter, over primary_window';
COMMENT ON COLUMN odr_marketplace_window.volume_min IS 'by_volume: the count that selects primary_window';
COMMENT ON COLUMN odr_marketplace_window.description IS 'What the window is, with its rule';

CREATE TABLE odr_marketplace_metric (
	marketplace text NOT NULL REFERENCES odr_marketplace (name) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY ('{rate,average,count,sum,distinct,days_since}'::text[])),
	numerator text NOT NULL,
	denominator text,
	"window" text NOT NULL,
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (marketplace, name),
	FOREIGN KEY (marketplace, numerator) REFERENCES odr_marketplace_counter (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, denominator) REFERENCES odr_marketplace_counter (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, "window") REFERENCES odr_marketplace_window (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE odr_marketplace_metric IS
	'What a marketplace measures over a window: rate (count numerator / count denominator; not measured over an empty denominator), average (sum / count), count, sum, distinct (buyers), days_since (the evaluation day minus a first_day / last_day counter''s day)';
COMMENT ON COLUMN odr_marketplace_metric.marketplace IS 'The marketplace the metric belongs to';
COMMENT ON COLUMN odr_marketplace_metric.name IS 'Metric name, unique in the marketplace (odr_metric_value(s, name))';
COMMENT ON COLUMN odr_marketplace_metric.kind IS 'rate, average, count, sum, distinct or days_since';
COMMENT ON COLUMN odr_marketplace_metric.numerator IS 'The counter measured (rate: the events; average: a sum counter)';
COMMENT ON COLUMN odr_marketplace_metric.denominator IS 'rate, average: the count counter divided by; NULL otherwise';
COMMENT ON COLUMN odr_marketplace_metric."window" IS 'The window the metric looks at';
COMMENT ON COLUMN odr_marketplace_metric.description IS 'What the metric is, with its rule';

CREATE TABLE odr_marketplace_standard (
	marketplace text NOT NULL REFERENCES odr_marketplace (name) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	position integer NOT NULL,
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (marketplace, name),
	UNIQUE (marketplace, position)
);
COMMENT ON TABLE odr_marketplace_standard IS
	'A test a seller meets or fails: met when ANY of its applicable comparisons (odr_marketplace_comparison) holds, failed when every applicable one fails, n/a when none applies or its metrics are not measured';
COMMENT ON COLUMN odr_marketplace_standard.marketplace IS 'The marketplace the standard belongs to';
COMMENT ON COLUMN odr_marketplace_standard.name IS 'Standard name, unique in the marketplace';
COMMENT ON COLUMN odr_marketplace_standard.position IS 'Order of the standards (explain; the first failed standard decides an any_failed level)';
COMMENT ON COLUMN odr_marketplace_standard.description IS 'What the standard is, with its rule';

CREATE TABLE odr_marketplace_comparison (
	marketplace text NOT NULL,
	standard text NOT NULL,
	position integer NOT NULL,
	metric text NOT NULL,
	op text NOT NULL CHECK (op OPERATOR(pg_catalog.=) ANY ('{<,<=,>,>=}'::text[])),
	threshold numeric NOT NULL,
	rounding text NOT NULL DEFAULT 'none' CHECK (rounding OPERATOR(pg_catalog.=) ANY ('{none,down,half_up,up}'::text[])),
	digits integer NOT NULL DEFAULT 0,
	applies_metric text,
	applies_min numeric,
	applies_max numeric,
	PRIMARY KEY (marketplace, standard, position),
	FOREIGN KEY (marketplace, standard) REFERENCES odr_marketplace_standard (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, metric) REFERENCES odr_marketplace_metric (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, applies_metric) REFERENCES odr_marketplace_metric (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE odr_marketplace_comparison IS
	'The comparisons of a standard: metric op threshold, exact (a rate exactly on a cap is decided the same everywhere), optionally rounded first, optionally applying only while applies_metric lies in [applies_min, applies_max)';
COMMENT ON COLUMN odr_marketplace_comparison.marketplace IS 'The marketplace the comparison belongs to';
COMMENT ON COLUMN odr_marketplace_comparison.standard IS 'The standard the comparison belongs to';
COMMENT ON COLUMN odr_marketplace_comparison.position IS 'Order within the standard';
COMMENT ON COLUMN odr_marketplace_comparison.metric IS 'The metric compared';
COMMENT ON COLUMN odr_marketplace_comparison.op IS '<, <=, > or >= (rules: "below" <, "at least" >=, "within" <=, "above" >)';
COMMENT ON COLUMN odr_marketplace_comparison.threshold IS 'The exact decimal compared with (a rate as a share: 0.01 for 1%)';
COMMENT ON COLUMN odr_marketplace_comparison.rounding IS 'none, down, half_up or up: the metric''s value rounded to digits decimals first (rate and average only)';
COMMENT ON COLUMN odr_marketplace_comparison.digits IS 'Decimals kept by rounding (0..18)';
COMMENT ON COLUMN odr_marketplace_comparison.applies_metric IS 'The metric whose value selects when the comparison applies (NULL: always)';
COMMENT ON COLUMN odr_marketplace_comparison.applies_min IS 'It applies while applies_metric >= applies_min (NULL: no lower bound)';
COMMENT ON COLUMN odr_marketplace_comparison.applies_max IS 'It applies while applies_metric < applies_max (NULL: no upper bound)';

CREATE TABLE odr_marketplace_level (
	marketplace text NOT NULL REFERENCES odr_marketplace (name) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	rank integer NOT NULL,
	position integer NOT NULL,
	mode text NOT NULL CHECK (mode OPERATOR(pg_catalog.=) ANY ('{all_met,any_failed,otherwise}'::text[])),
	standards text[] NOT NULL DEFAULT '{}',
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (marketplace, name),
	UNIQUE (marketplace, rank),
	UNIQUE (marketplace, position)
);
COMMENT ON TABLE odr_marketplace_level IS
	'The levels of a marketplace, by priority (position): the first that applies is the seller''s. all_met: every standard listed is met (n/a is not met); any_failed: one of them failed; otherwise: always (the last level, exactly one). Higher rank is better.';
COMMENT ON COLUMN odr_marketplace_level.marketplace IS 'The marketplace the level belongs to';
COMMENT ON COLUMN odr_marketplace_level.name IS 'Level name, unique in the marketplace (odr_level(s))';
COMMENT ON COLUMN odr_marketplace_level.rank IS 'Higher is better; unique in the marketplace (odr_level_rank, odr_level_better)';
COMMENT ON COLUMN odr_marketplace_level.position IS 'Priority: levels are tried in this order';
COMMENT ON COLUMN odr_marketplace_level.mode IS 'all_met, any_failed or otherwise';
COMMENT ON COLUMN odr_marketplace_level.standards IS 'The standards the mode looks at (otherwise: none)';
COMMENT ON COLUMN odr_marketplace_level.description IS 'What the level is, with its rule';

-- ---------------------------------------------------------------------
-- built-in marketplaces
-- ---------------------------------------------------------------------

INSERT INTO odr_marketplace (name, description, builtin, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES
 ('amazon', 'Amazon account health (rules M1): ODR for seller-fulfilled (mfn) and Amazon-fulfilled (afn) orders over 60 days of order date < 1%, late shipment rate over 10 and 30 days < 4%, pre-fulfilment cancel rate over 7 days < 2.5%, valid tracking rate over 30 days of promised delivery date >= 95%; graded daily',
  true, '{order_date,promised_delivery_date}',
  '{mfn,afn,negative_feedback,claim,chargeback,shipped,late_shipment,cancelled_by_seller,tracking_valid}', '{}',
  'daily', NULL, 'same_day'),
 ('ebay', 'eBay seller levels (rules M2): evaluated on the 20th over the 3 whole calendar months before (12 when under 400 transactions), effective the 1st of the next month; below_standard > top_rated > above_standard by priority, each cap met by its rate or by few distinct buyers',
  true, '{transaction_date}',
  '{cancelled_by_seller,cancelled,case_closed_without_seller_resolution,late_shipment}', '{amount_usd}',
  'day_of_month', 20, 'next_month_first');

INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, when_any, when_none, basis, value, k, description) VALUES
 ('amazon', 'orders', 'count', '{}', '{}', '{}', 'order_date', NULL, NULL, 'M1.5: every order, by order date'),
 ('amazon', 'orders_mfn', 'count', '{mfn}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1, M1.3: seller-fulfilled orders, by order date'),
 ('amazon', 'orders_afn', 'count', '{afn}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: Amazon-fulfilled orders, by order date'),
 ('amazon', 'defects_mfn', 'count', '{mfn}', '{negative_feedback,claim,chargeback}', '{}', 'order_date', NULL, NULL, 'M1.1: seller-fulfilled orders with a defect, counted once'),
 ('amazon', 'defects_afn', 'count', '{afn}', '{negative_feedback,claim,chargeback}', '{}', 'order_date', NULL, NULL, 'M1.1: Amazon-fulfilled orders with a defect, counted once'),
 ('amazon', 'claims_mfn', 'count', '{mfn,claim}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: open or granted A-to-z claims'),
 ('amazon', 'claims_afn', 'count', '{afn,claim}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: open or granted A-to-z claims'),
 ('amazon', 'chargebacks_mfn', 'count', '{mfn,chargeback}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: service chargebacks'),
 ('amazon', 'chargebacks_afn', 'count', '{afn,chargeback}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: service chargebacks'),
 ('amazon', 'negative_feedback_mfn', 'count', '{mfn,negative_feedback}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: feedback of 1 or 2 stars'),
 ('amazon', 'negative_feedback_afn', 'count', '{afn,negative_feedback}', '{}', '{}', 'order_date', NULL, NULL, 'M1.1: feedback of 1 or 2 stars'),
 ('amazon', 'shipped_mfn', 'count', '{mfn,shipped}', '{}', '{}', 'order_date', NULL, NULL, 'M1.2: shipped seller-fulfilled orders, by order date'),
 ('amazon', 'late_mfn', 'count', '{mfn,shipped,late_shipment}', '{}', '{}', 'order_date', NULL, NULL, 'M1.2: shipment confirmed strictly after the expected ship time'),
 ('amazon', 'cancelled_mfn', 'count', '{mfn,cancelled_by_seller}', '{}', '{}', 'order_date', NULL, NULL, 'M1.3: seller and auto cancels before any ship confirmation'),
 ('amazon', 'shipped_mfn_by_delivery', 'count', '{mfn,shipped}', '{}', '{}', 'promised_delivery_date', NULL, NULL, 'M1.4: shipped seller-fulfilled packages, by promised delivery date'),
 ('amazon', 'tracked_mfn', 'count', '{mfn,shipped,tracking_valid}', '{}', '{}', 'promised_delivery_date', NULL, NULL, 'M1.4: of those, with valid tracking'),
 ('ebay', 'transactions', 'count', '{}', '{}', '{}', 'transaction_date', NULL, NULL, 'M2.1: every transaction by its date, cancelled ones included'),
 ('ebay', 'defects', 'count', '{}', '{cancelled_by_seller,case_closed_without_seller_resolution}', '{}', 'transaction_date', NULL, NULL, 'M2.1: transactions with a defect, at most one per transaction'),
 ('ebay', 'defect_buyers', 'distinct', '{}', '{cancelled_by_seller,case_closed_without_seller_resolution}', '{}', 'transaction_date', NULL, 5, 'M2.3: distinct buyers of the defects (exact up to 5)'),
 ('ebay', 'cases', 'count', '{case_closed_without_seller_resolution}', '{}', '{}', 'transaction_date', NULL, NULL, 'M2.1: cases closed without seller resolution'),
 ('ebay', 'case_buyers', 'distinct', '{case_closed_without_seller_resolution}', '{}', '{}', 'transaction_date', NULL, 3, 'M2.3: distinct buyers of those cases (exact up to 3)'),
 ('ebay', 'late', 'count', '{late_shipment}', '{}', '{}', 'transaction_date', NULL, NULL, 'M2.1: late shipments (M1''s test)'),
 ('ebay', 'late_buyers', 'distinct', '{late_shipment}', '{}', '{}', 'transaction_date', NULL, 6, 'M2.3: distinct buyers of late shipments (exact up to 6)'),
 ('ebay', 'sales', 'sum', '{}', '{}', '{cancelled}', 'transaction_date', 'amount_usd', NULL, 'M2.3: sales in US$, cancelled transactions excluded'),
 ('ebay', 'first_transaction', 'first_day', '{}', '{}', '{}', 'transaction_date', NULL, NULL, 'M2.3: the day of the first transaction');

INSERT INTO odr_marketplace_window (marketplace, name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description) VALUES
 ('amazon', 'days_60', 'days', 60, 0, NULL, NULL, NULL, NULL, 'M1.1: the 60 days ending on the as-of date'),
 ('amazon', 'days_30', 'days', 30, 0, NULL, NULL, NULL, NULL, 'M1.2, M1.4, M1.5: 30 days'),
 ('amazon', 'days_10', 'days', 10, 0, NULL, NULL, NULL, NULL, 'M1.2: 10 days'),
 ('amazon', 'days_7', 'days', 7, 0, NULL, NULL, NULL, NULL, 'M1.3: 7 days'),
 ('ebay', 'months_3', 'months', 3, 0, NULL, NULL, NULL, NULL, 'M2.2: the 3 whole calendar months before the evaluation''s month'),
 ('ebay', 'months_12', 'months', 12, 0, NULL, NULL, NULL, NULL, 'M2.2: the 12 whole calendar months before'),
 ('ebay', 'lifetime', 'lifetime', 1, 0, NULL, NULL, NULL, NULL, 'M2.3: every day up to the evaluation (first transaction)');
INSERT INTO odr_marketplace_window (marketplace, name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description) VALUES
 ('ebay', 'lookback', 'by_volume', 1, 0, 'months_3', 'months_12', 'transactions', 400, 'M2.2: 3 months with at least 400 transactions in them, else 12');

INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window", description) VALUES
 ('amazon', 'odr_mfn', 'rate', 'defects_mfn', 'orders_mfn', 'days_60', 'M1.1: order defect rate, seller-fulfilled'),
 ('amazon', 'odr_afn', 'rate', 'defects_afn', 'orders_afn', 'days_60', 'M1.1: order defect rate, Amazon-fulfilled'),
 ('amazon', 'orders_mfn', 'count', 'orders_mfn', NULL, 'days_60', 'M1.1: seller-fulfilled orders'),
 ('amazon', 'orders_afn', 'count', 'orders_afn', NULL, 'days_60', 'M1.1: Amazon-fulfilled orders'),
 ('amazon', 'defects_mfn', 'count', 'defects_mfn', NULL, 'days_60', 'M1.1: seller-fulfilled orders with a defect'),
 ('amazon', 'defects_afn', 'count', 'defects_afn', NULL, 'days_60', 'M1.1: Amazon-fulfilled orders with a defect'),
 ('amazon', 'claims_mfn', 'count', 'claims_mfn', NULL, 'days_60', 'M1.1'),
 ('amazon', 'claims_afn', 'count', 'claims_afn', NULL, 'days_60', 'M1.1'),
 ('amazon', 'chargebacks_mfn', 'count', 'chargebacks_mfn', NULL, 'days_60', 'M1.1'),
 ('amazon', 'chargebacks_afn', 'count', 'chargebacks_afn', NULL, 'days_60', 'M1.1'),
 ('amazon', 'negative_feedback_mfn', 'count', 'negative_feedback_mfn', NULL, 'days_60', 'M1.1'),
 ('amazon', 'negative_feedback_afn', 'count', 'negative_feedback_afn', NULL, 'days_60', 'M1.1'),
 ('amazon', 'late_shipment_rate_10', 'rate', 'late_mfn', 'shipped_mfn', 'days_10', 'M1.2: late shipment rate, 10 days'),
 ('amazon', 'late_shipment_rate_30', 'rate', 'late_mfn', 'shipped_mfn', 'days_30', 'M1.2: late shipment rate, 30 days'),
 ('amazon', 'cancel_rate_7', 'rate', 'cancelled_mfn', 'orders_mfn', 'days_7', 'M1.3: pre-fulfilment cancel rate, 7 days'),
 ('amazon', 'valid_tracking_rate_30', 'rate', 'tracked_mfn', 'shipped_mfn_by_delivery', 'days_30', 'M1.4: valid tracking rate, 30 days by promised delivery date'),
 ('amazon', 'orders', 'count', 'orders', NULL, 'days_60', 'M1.1: every order of the ODR window'),
 ('amazon', 'young_orders', 'count', 'orders', NULL, 'days_30', 'M1.5: orders of the window still young enough to gather defects (placed in its last 30 days)'),
 ('ebay', 'transactions', 'count', 'transactions', NULL, 'lookback', 'M2.1: transactions of the lookback'),
 ('ebay', 'defect_rate', 'rate', 'defects', 'transactions', 'lookback', 'M2.1: transaction defect rate'),
 ('ebay', 'defects', 'count', 'defects', NULL, 'lookback', 'M2.1: transactions with a defect'),
 ('ebay', 'defect_buyers', 'distinct', 'defect_buyers', NULL, 'lookback', 'M2.3: distinct buyers of the defects'),
 ('ebay', 'case_rate', 'rate', 'cases', 'transactions', 'lookback', 'M2.1: cases closed without seller resolution, rate'),
 ('ebay', 'cases', 'count', 'cases', NULL, 'lookback', 'M2.1: cases closed without seller resolution, count'),
 ('ebay', 'case_buyers', 'distinct', 'case_buyers', NULL, 'lookback', 'M2.3: distinct buyers of those cases'),
 ('ebay', 'late_rate', 'rate', 'late', 'transactions', 'lookback', 'M2.1: late shipment rate'),
 ('ebay', 'late', 'count', 'late', NULL, 'lookback', 'M2.1: late shipments'),
 ('ebay', 'late_buyers', 'distinct', 'late_buyers', NULL, 'lookback', 'M2.3: distinct buyers of late shipments'),
 ('ebay', 'transactions_12m', 'count', 'transactions', NULL, 'months_12', 'M2.3: transactions in the 12 whole months (Top Rated)'),
 ('ebay', 'sales_12m', 'sum', 'sales', NULL, 'months_12', 'M2.3: sales in US$ in the 12 whole months (Top Rated)'),
 ('ebay', 'days_since_first', 'days_since', 'first_transaction', NULL, 'lifetime', 'M2.3: days from the first transaction to the evaluation');

INSERT INTO odr_marketplace_standard (marketplace, name, position, description) VALUES
 ('amazon', 'odr_mfn', 1, 'M1.1: ODR of seller-fulfilled orders below 1%'),
 ('amazon', 'odr_afn', 2, 'M1.1: ODR of Amazon-fulfilled orders below 1%'),
 ('amazon', 'late_shipment_10', 3, 'M1.2: late shipment rate over 10 days below 4%'),
 ('amazon', 'late_shipment_30', 4, 'M1.2: late shipment rate over 30 days below 4%'),
 ('amazon', 'cancel_7', 5, 'M1.3: pre-fulfilment cancel rate below 2.5%'),
 ('amazon', 'valid_tracking_30', 6, 'M1.4: valid tracking rate at least 95%'),
 ('ebay', 'below_defects', 1, 'M2.3: Below Standard when the defect rate is above 2% with at least 5 distinct buyers'),
 ('ebay', 'below_cases', 2, 'M2.3: Below Standard when cases closed without seller resolution are above 0.3% with at least 3 distinct buyers'),
 ('ebay', 'top_defects', 3, 'M2.3: Top Rated: defect rate within 0.5%, or defects from at most 3 distinct buyers'),
 ('ebay', 'top_cases', 4, 'M2.3: Top Rated: cases within 0.3%, or from at most 2 distinct buyers'),
 ('ebay', 'top_late', 5, 'M2.3: Top Rated: late shipment within 3%, or from at most 5 distinct buyers'),
 ('ebay', 'top_tenure', 6, 'M2.3: Top Rated: at least 90 days since the first transaction'),
 ('ebay', 'top_transactions', 7, 'M2.3: Top Rated: at least 100 transactions in the 12 months'),
 ('ebay', 'top_sales', 8, 'M2.3: Top Rated: at least US$1,000 of sales in the 12 months');

INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('amazon', 'odr_mfn', 1, 'odr_mfn', '<', 0.01),
 ('amazon', 'odr_afn', 1, 'odr_afn', '<', 0.01),
 ('amazon', 'late_shipment_10', 1, 'late_shipment_rate_10', '<', 0.04),
 ('amazon', 'late_shipment_30', 1, 'late_shipment_rate_30', '<', 0.04),
 ('amazon', 'cancel_7', 1, 'cancel_rate_7', '<', 0.025),
 ('amazon', 'valid_tracking_30', 1, 'valid_tracking_rate_30', '>=', 0.95),
 ('ebay', 'below_defects', 1, 'defect_rate', '<=', 0.02),
 ('ebay', 'below_defects', 2, 'defect_buyers', '<', 5),
 ('ebay', 'below_cases', 1, 'case_rate', '<=', 0.003),
 ('ebay', 'below_cases', 2, 'case_buyers', '<', 3),
 ('ebay', 'top_defects', 1, 'defect_rate', '<=', 0.005),
 ('ebay', 'top_defects', 2, 'defect_buyers', '<=', 3),
 ('ebay', 'top_cases', 1, 'case_rate', '<=', 0.003),
 ('ebay', 'top_cases', 2, 'case_buyers', '<=', 2),
 ('ebay', 'top_late', 1, 'late_rate', '<=', 0.03),
 ('ebay', 'top_late', 2, 'late_buyers', '<=', 5),
 ('ebay', 'top_tenure', 1, 'days_since_first', '>=', 90),
 ('ebay', 'top_transactions', 1, 'transactions_12m', '>=', 100),
 ('ebay', 'top_sales', 1, 'sales_12m', '>=', 1000);

INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards, description) VALUES
 ('amazon', 'bad', 0, 1, 'any_failed', '{odr_mfn,odr_afn,late_shipment_10,late_shipment_30,cancel_7,valid_tracking_30}', 'M1: a measured target is missed'),
 ('amazon', 'good', 1, 2, 'otherwise', '{}', 'M1: no measured target is missed (a target with no orders is n/a)'),
 ('ebay', 'below_standard', 0, 1, 'any_failed', '{below_defects,below_cases}', 'M2.3: Below Standard wins over everything'),
 ('ebay', 'top_rated', 2, 2, 'all_met', '{top_defects,top_cases,top_late,top_tenure,top_transactions,top_sales}', 'M2.3: Top Rated'),
 ('ebay', 'above_standard', 1, 3, 'otherwise', '{}', 'M2.3: Above Standard: neither');

-- ---------------------------------------------------------------------
-- guards and checks of the marketplace tables
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_marketplace_check(name text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_marketplace_check' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_marketplace_check(text) IS
	'Compiles a marketplace from its rows; true, or an error (22023 unknown, 23514 naming the element that is wrong)';

CREATE FUNCTION odr_marketplace_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
		RAISE EXCEPTION 'built-in marketplace "%" cannot be changed', OLD.name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add a marketplace of your own under another name (copy the rows of the built-in one).';
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.builtin THEN
		RAISE EXCEPTION 'marketplace "%" cannot be marked built-in', NEW.name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Only marketplaces shipped with odr are built in.';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION odr_marketplace_guard() IS 'Keeps built-in marketplaces read-only';

CREATE FUNCTION odr_marketplace_part_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM @extschema@.odr_marketplace m
	           WHERE m.builtin
	             AND m.name IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.marketplace END,
	                            CASE WHEN TG_OP <> 'INSERT' THEN OLD.marketplace END)) THEN
		RAISE EXCEPTION 'the definition of a built-in marketplace cannot be changed (%)', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add a marketplace of your own under another name (copy the rows of the built-in one).';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION odr_marketplace_part_guard() IS 'Keeps the counters, windows, metrics, standards, comparisons and levels of built-in marketplaces read-only';

-- checked at commit (a marketplace is inserted across several tables)
CREATE FUNCTION odr_marketplace_validate() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m text;
BEGIN
	IF TG_TABLE_NAME = 'odr_marketplace' THEN
		m := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.name END;
	ELSE
		m := CASE WHEN TG_OP = 'DELETE' THEN OLD.marketplace ELSE NEW.marketplace END;
	END IF;
	IF m IS NOT NULL AND EXISTS (SELECT 1 FROM @extschema@.odr_marketplace x WHERE x.name = m) THEN
		PERFORM @extschema@.odr_marketplace_check(m);
	END IF;
	IF TG_TABLE_NAME <> 'odr_marketplace' AND TG_OP = 'UPDATE' THEN
		IF OLD.marketplace IS DISTINCT FROM NEW.marketplace
		   AND EXISTS (SELECT 1 FROM @extschema@.odr_marketplace x WHERE x.name = OLD.marketplace) THEN
			PERFORM @extschema@.odr_marketplace_check(OLD.marketplace);
		END IF;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION odr_marketplace_validate() IS 'Compiles each marketplace a statement touched (odr_marketplace_check), when the transaction commits';

CREATE FUNCTION odr_marketplace_truncate_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM @extschema@.odr_marketplace m WHERE m.builtin) THEN
		RAISE EXCEPTION 'cannot truncate %: it holds built-in marketplaces', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Delete user marketplaces with DELETE FROM odr_marketplace WHERE NOT builtin (their rows go with them).';
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION odr_marketplace_truncate_guard() IS 'Keeps TRUNCATE from removing the built-in marketplaces';

CREATE TRIGGER odr_marketplace_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE ON odr_marketplace
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

CREATE TRIGGER odr_marketplace_part_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace_counter
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_part_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE OR DELETE ON odr_marketplace_counter
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace_counter
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

CREATE TRIGGER odr_marketplace_part_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace_window
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_part_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE OR DELETE ON odr_marketplace_window
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace_window
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

CREATE TRIGGER odr_marketplace_part_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace_metric
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_part_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE OR DELETE ON odr_marketplace_metric
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace_metric
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

CREATE TRIGGER odr_marketplace_part_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace_standard
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_part_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE OR DELETE ON odr_marketplace_standard
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace_standard
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

CREATE TRIGGER odr_marketplace_part_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace_comparison
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_part_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE OR DELETE ON odr_marketplace_comparison
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace_comparison
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

CREATE TRIGGER odr_marketplace_part_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_marketplace_level
	FOR EACH ROW EXECUTE FUNCTION odr_marketplace_part_guard();
CREATE CONSTRAINT TRIGGER odr_marketplace_validate AFTER INSERT OR UPDATE OR DELETE ON odr_marketplace_level
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION odr_marketplace_validate();
CREATE TRIGGER odr_marketplace_truncate_guard BEFORE TRUNCATE ON odr_marketplace_level
	FOR EACH STATEMENT EXECUTE FUNCTION odr_marketplace_truncate_guard();

-- User marketplaces survive pg_dump / restore; built-in ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_counter', 'WHERE marketplace NOT IN (''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_window', 'WHERE marketplace NOT IN (''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_metric', 'WHERE marketplace NOT IN (''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_standard', 'WHERE marketplace NOT IN (''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_comparison', 'WHERE marketplace NOT IN (''amazon'', ''ebay'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_level', 'WHERE marketplace NOT IN (''amazon'', ''ebay'')');

GRANT SELECT ON odr_marketplace, odr_marketplace_counter, odr_marketplace_window, odr_marketplace_metric,
	odr_marketplace_standard, odr_marketplace_comparison, odr_marketplace_level TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON odr_marketplace, odr_marketplace_counter, odr_marketplace_window, odr_marketplace_metric,
	odr_marketplace_standard, odr_marketplace_comparison, odr_marketplace_level TO @extowner@;

-- ---------------------------------------------------------------------
-- odr_order: one order's facts for a marketplace
-- ---------------------------------------------------------------------

CREATE TYPE odr_order;
CREATE FUNCTION odr_order_in(cstring) RETURNS odr_order
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_order_out(odr_order) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_order_recv(internal) RETURNS odr_order
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_order_send(odr_order) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE odr_order (
	INPUT = odr_order_in,
	OUTPUT = odr_order_out,
	RECEIVE = odr_order_recv,
	SEND = odr_order_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE odr_order IS
	'One order''s facts for a marketplace (issue 14): its events, values (1/10000), buyer (a hash) and one day per date basis, tied to the marketplace''s shape; text form v1 shape=H events=H buyer=H values=[...] days=[YYYY-MM-DD|null,...]';
COMMENT ON FUNCTION odr_order_in(cstring) IS 'Text input of odr_order (validating)';
COMMENT ON FUNCTION odr_order_out(odr_order) IS 'Text output of odr_order';
COMMENT ON FUNCTION odr_order_recv(internal) IS 'Binary input of odr_order (validating)';
COMMENT ON FUNCTION odr_order_send(odr_order) IS 'Binary output of odr_order';

CREATE FUNCTION odr_order(marketplace text, days date[], events boolean[], "values" numeric[] DEFAULT NULL, buyer text DEFAULT NULL)
	RETURNS odr_order
	AS 'MODULE_PATHNAME', 'odr_order_make' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_order(text, date[], boolean[], numeric[], text) IS
	'An order''s facts for a marketplace: days follow its date_bases (NULL: no day on that basis, counted by none of its counters), events its events (NULL: false), values its values (NULL: 0; rounded to 1/10000), buyer any text (NULL: unknown, not counted as a distinct buyer)';
CREATE FUNCTION odr_order_days(o odr_order) RETURNS date[]
	AS 'MODULE_PATHNAME', 'odr_order_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_order_days(odr_order) IS 'The order''s day on each date basis (NULL: none); unnest it to feed per-day tallies';
CREATE FUNCTION odr_order_events(o odr_order, marketplace text) RETURNS text[]
	AS 'MODULE_PATHNAME', 'odr_order_events' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_order_events(odr_order, text) IS 'The names of the order''s events under its marketplace';
CREATE FUNCTION odr_choice(value text, argument text, choices text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'odr_choice' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_choice(text, text, text[]) IS
	'value when it is NULL or one of choices, else 22023 naming the argument and the value (the constructors'' validation)';

-- M1: one Amazon order.  fulfilment mfn | afn; a defect (M1.1) is feedback
-- of 1-2 stars, an open or granted A-to-z claim (denied, withdrawn, won on
-- appeal do not count), or a service chargeback; late (M1.2) is a ship
-- confirmation strictly after expected_ship_at; a pre-fulfilment cancel
-- (M1.3) is by the seller or auto, before any ship confirmation; tracking
-- (M1.4) is placed by the promised delivery date.
CREATE FUNCTION odr_amazon_order(order_date date, fulfilment text, feedback_stars integer DEFAULT NULL,
	claim_status text DEFAULT NULL, chargeback boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL,
	cancelled_at timestamptz DEFAULT NULL, cancelled_by text DEFAULT NULL,
	promised_delivery_date date DEFAULT NULL, tracking_valid boolean DEFAULT NULL, buyer text DEFAULT NULL)
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@.odr_order('amazon',
	ARRAY[order_date, promised_delivery_date],
	ARRAY[
		@extschema@.odr_choice(COALESCE(fulfilment, '(NULL)'), 'fulfilment', '{mfn,afn}') OPERATOR(pg_catalog.=) 'mfn',
		fulfilment OPERATOR(pg_catalog.=) 'afn',
		@extschema@.odr_choice(feedback_stars::text, 'feedback_stars', '{1,2,3,4,5}') OPERATOR(pg_catalog.=) ANY ('{1,2}'::text[]),
		@extschema@.odr_choice(claim_status, 'claim_status', '{open,granted,denied,withdrawn,won_on_appeal}') OPERATOR(pg_catalog.=) ANY ('{open,granted}'::text[]),
		COALESCE(chargeback, false),
		shipped_at IS NOT NULL,
		shipped_at OPERATOR(pg_catalog.>) expected_ship_at,
		@extschema@.odr_choice(cancelled_by, 'cancelled_by', '{seller,auto,buyer}') OPERATOR(pg_catalog.=) ANY ('{seller,auto}'::text[])
			AND (shipped_at IS NULL OR cancelled_at OPERATOR(pg_catalog.<) shipped_at),
		COALESCE(tracking_valid, false)]::boolean[],
	NULL::numeric[], buyer);
COMMENT ON FUNCTION odr_amazon_order(date, text, integer, text, boolean, timestamptz, timestamptz, timestamptz, text, date, boolean, text) IS
	'M1: an Amazon order''s facts for odr_assess(o, ''amazon'', as_of): fulfilment mfn or afn; claim_status open, granted, denied, withdrawn or won_on_appeal; cancelled_by seller, auto or buyer';

-- M2: one eBay transaction.  A defect (M2.1) is a cancel by the seller (not
-- auto, not buyer-requested) or a case closed without seller resolution;
-- late shipment is M1's test; sales exclude cancelled transactions.
CREATE FUNCTION odr_ebay_order(transaction_date date, buyer text, amount_usd numeric DEFAULT 0,
	cancelled_by text DEFAULT NULL, case_closed_without_seller_resolution boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL)
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@.odr_order('ebay',
	ARRAY[transaction_date],
	ARRAY[
		@extschema@.odr_choice(cancelled_by, 'cancelled_by', '{seller,auto,buyer}') OPERATOR(pg_catalog.=) 'seller',
		cancelled_by IS NOT NULL,
		COALESCE(case_closed_without_seller_resolution, false),
		shipped_at OPERATOR(pg_catalog.>) expected_ship_at]::boolean[],
	ARRAY[amount_usd], buyer);
COMMENT ON FUNCTION odr_ebay_order(date, text, numeric, text, boolean, timestamptz, timestamptz) IS
	'M2: an eBay transaction''s facts for odr_assess(o, ''ebay'', evaluation_date): cancelled_by seller, auto or buyer';

-- ---------------------------------------------------------------------
-- odr_assess -> odr_standing
-- ---------------------------------------------------------------------

CREATE TYPE odr_standing;
CREATE FUNCTION odr_standing_in(cstring) RETURNS odr_standing
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_standing_out(odr_standing) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_standing_recv(internal) RETURNS odr_standing
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_standing_send(odr_standing) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE odr_standing (
	INPUT = odr_standing_in,
	OUTPUT = odr_standing_out,
	RECEIVE = odr_standing_recv,
	SEND = odr_standing_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE odr_standing IS
	'A seller''s standing under a marketplace on a day (issue 14): the marketplace, the as-of date and one tally per window; read it with odr_level, odr_metric_value, odr_explain, odr_standing_metrics';
COMMENT ON FUNCTION odr_standing_in(cstring) IS 'Text input of odr_standing (v1: and hex; its tallies are checked when read)';
COMMENT ON FUNCTION odr_standing_out(odr_standing) IS 'Text output of odr_standing';
COMMENT ON FUNCTION odr_standing_recv(internal) IS 'Binary input of odr_standing (validating its layout)';
COMMENT ON FUNCTION odr_standing_send(odr_standing) IS 'Binary output of odr_standing';

CREATE FUNCTION odr_assess_transfn(internal, odr_order, text, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_transfn(internal, odr_order, text, date) IS 'Support of odr_assess';
CREATE FUNCTION odr_assess_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_combinefn(internal, internal) IS 'Support of odr_assess (parallel)';
CREATE FUNCTION odr_assess_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_serialfn(internal) IS 'Support of odr_assess (parallel)';
CREATE FUNCTION odr_assess_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_deserialfn(bytea, internal) IS 'Support of odr_assess (parallel)';
CREATE FUNCTION odr_assess_finalfn(internal) RETURNS odr_standing
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_finalfn(internal) IS 'Support of odr_assess';
CREATE AGGREGATE odr_assess(o odr_order, marketplace text, as_of date) (
	SFUNC = odr_assess_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_finalfn,
	COMBINEFUNC = odr_assess_combinefn,
	SERIALFUNC = odr_assess_serialfn,
	DESERIALFUNC = odr_assess_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess(odr_order, text, date) IS
	'Issue 14: a seller''s standing under a marketplace on as_of, from its orders (each counted in every window holding its day on the counter''s date basis; eBay: as_of is the evaluation date, the 20th); marketplace and as_of are the same for every row of a group; NULL orders are skipped';

CREATE FUNCTION odr_standing_marketplace(s odr_standing) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_standing_marketplace(odr_standing) IS 'The marketplace a standing was assessed under';
CREATE FUNCTION odr_standing_as_of(s odr_standing) RETURNS date
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_standing_as_of(odr_standing) IS 'The day a standing was assessed on';
CREATE FUNCTION odr_level(s odr_standing) RETURNS text
	AS 'MODULE_PATHNAME', 'odr_level_of' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_level(odr_standing) IS 'The seller''s level: the first level of the marketplace, by priority, that applies';
CREATE FUNCTION odr_level_rank(s odr_standing) RETURNS integer
	AS 'MODULE_PATHNAME', 'odr_level_rank_of' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_level_rank(odr_standing) IS 'The rank of the seller''s level (higher is better)';
CREATE FUNCTION odr_deciding_standard(s odr_standing) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_deciding_standard(odr_standing) IS
	'The standard that decided the level: the first failed one of an any_failed level, else the first not met of the next level up; NULL at the best level';
CREATE FUNCTION odr_metric_value(s odr_standing, metric text) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_metric_value_of' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_metric_value(odr_standing, text) IS 'A metric''s value (a rate as a share); NULL when not measured (a rate over no orders)';
CREATE FUNCTION odr_standing_metrics(s odr_standing,
	OUT metric text, OUT kind text, OUT "window" text, OUT first_day date, OUT last_day date,
	OUT numerator bigint, OUT denominator bigint, OUT value double precision, OUT measured boolean, OUT at_least boolean)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_standing_metrics(odr_standing) IS
	'Every metric of the standing: the window it looked at (a by_volume window: the one chosen) and its days, numerator, denominator, value; at_least: a distinct count at its k (a lower bound)';
CREATE FUNCTION odr_explain(s odr_standing,
	OUT standard text, OUT state text, OUT "position" integer, OUT metric text, OUT value double precision,
	OUT op text, OUT threshold numeric, OUT applies boolean, OUT holds boolean)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'odr_explain_standing' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_explain(odr_standing) IS
	'Each standard (state met, failed or n_a) with each of its comparisons: metric, value, op, threshold, whether it applies and holds (NULL: not measured)';

-- ---------------------------------------------------------------------
-- per-day tallies and their roll-up (issue 14)
-- ---------------------------------------------------------------------

CREATE TYPE odr_tally;
CREATE FUNCTION odr_tally_in(cstring) RETURNS odr_tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_tally_out(odr_tally) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_tally_recv(internal) RETURNS odr_tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_tally_send(odr_tally) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE odr_tally (
	INPUT = odr_tally_in,
	OUTPUT = odr_tally_out,
	RECEIVE = odr_tally_recv,
	SEND = odr_tally_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE odr_tally IS
	'The counters of a marketplace for one group and one day (issue 14): what a daily summary table stores; roll them up with odr_assess(t, marketplace, as_of). Text form v1: and hex';
COMMENT ON FUNCTION odr_tally_in(cstring) IS 'Text input of odr_tally (v1: and hex; its counters are checked when rolled up)';
COMMENT ON FUNCTION odr_tally_out(odr_tally) IS 'Text output of odr_tally';
COMMENT ON FUNCTION odr_tally_recv(internal) IS 'Binary input of odr_tally (validating its header)';
COMMENT ON FUNCTION odr_tally_send(odr_tally) IS 'Binary output of odr_tally';

CREATE FUNCTION odr_tally_transfn(internal, odr_order, text, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_transfn(internal, odr_order, text, date) IS 'Support of odr_tally';
CREATE FUNCTION odr_tally_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_combinefn(internal, internal) IS 'Support of odr_tally (parallel)';
CREATE FUNCTION odr_tally_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_serialfn(internal) IS 'Support of odr_tally (parallel)';
CREATE FUNCTION odr_tally_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_deserialfn(bytea, internal) IS 'Support of odr_tally (parallel)';
CREATE FUNCTION odr_tally_finalfn(internal) RETURNS odr_tally
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_finalfn(internal) IS 'Support of odr_tally';
CREATE AGGREGATE odr_tally(o odr_order, marketplace text, day date) (
	SFUNC = odr_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_tally_finalfn,
	COMBINEFUNC = odr_tally_combinefn,
	SERIALFUNC = odr_tally_serialfn,
	DESERIALFUNC = odr_tally_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_tally(odr_order, text, date) IS
	'Issue 14: the counters of a marketplace over orders, for one day: each counter counts an order when its date basis falls on day (feed each order once per distinct day: odr_order_tally_days); marketplace and day are the same for every row of a group';

CREATE FUNCTION odr_order_tally_days(o odr_order) RETURNS SETOF date
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION odr_order_tally_days(odr_order) IS
	'The order''s distinct days over its date bases: the days whose tallies it goes into (odr_tally)';
CREATE FUNCTION odr_tally_day(t odr_tally) RETURNS date
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_day(odr_tally) IS 'The day of a tally';
CREATE FUNCTION odr_tally_bytes(t odr_tally) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_tally_bytes(odr_tally) IS 'The size of a tally, in bytes (its header, marketplace name and counters)';

CREATE FUNCTION odr_assess_tally_transfn(internal, odr_tally, text, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_tally_transfn(internal, odr_tally, text, date) IS 'Support of odr_assess over per-day tallies';
CREATE AGGREGATE odr_assess(t odr_tally, marketplace text, as_of date) (
	SFUNC = odr_assess_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_finalfn,
	COMBINEFUNC = odr_assess_combinefn,
	SERIALFUNC = odr_assess_serialfn,
	DESERIALFUNC = odr_assess_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess(odr_tally, text, date) IS
	'Issue 14: a seller''s standing from its per-day tallies (odr_tally), each merged into every window holding its day: the same standing as odr_assess over the raw orders';

-- ---------------------------------------------------------------------
-- the evaluation calendar of a marketplace
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_evaluations(marketplace text, "from" date, "to" date,
	OUT evaluated_on date, OUT effective_from date, OUT effective_to date)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_evaluations(text, date, date) IS
	'The marketplace''s evaluations from "from" to "to" (eBay M2.2: the 20th of each month, in effect from the 1st of the next month to the end of that month); at most 200 years';
CREATE FUNCTION odr_next_evaluation(marketplace text, day date) RETURNS date
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_next_evaluation(text, date) IS
	'The first evaluation strictly after day (M2.4: the projected level is odr_assess over the orders known on day, as of this date)';

-- ---------------------------------------------------------------------
-- levels compared, and advice (issue 14)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_level_rank(marketplace text, level text) RETURNS integer
	AS 'MODULE_PATHNAME', 'odr_level_rank_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_level_rank(text, text) IS 'The rank of a level of the marketplace (higher is better); 22023 for a level it does not have';
CREATE FUNCTION odr_level_better(marketplace text, a text, b text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_level_better' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_level_better(text, text, text) IS 'Whether level a ranks above level b in the marketplace (top_rated above above_standard); 22023 for an unknown level';
CREATE FUNCTION odr_advise(s odr_standing,
	OUT level text, OUT standard text, OUT metric text, OUT op text, OUT threshold numeric, OUT value double precision,
	OUT what text, OUT n bigint, OUT alternative text, OUT alternative_n bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_advise(odr_standing) IS
	'What would lift the seller to the next better level, per comparison in the way, all else equal: what (more_orders, more_good_orders, fewer_defects, more_value, wait_days, unreachable, unknown, not_measured) and the least n; no row at the best level';
