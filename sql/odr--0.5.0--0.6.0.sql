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
 ('amazon', 'orders', 'count', '{}', '{mfn,afn}', '{}', 'order_date', NULL, NULL, 'M1.5: every order (seller- or Amazon-fulfilled), by order date'),
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

-- ---------------------------------------------------------------------
-- The incremental refresh costs what changed (#16, bench/incremental.sh):
-- the log is claimed one row per key; daily's touched rows are found once
-- and updated, deleted or inserted in one statement; the touched runs of
-- segments are updated with the same sums instead of rolled up again from
-- daily; a new incremental warehouse's tables keep a tenth of each page
-- free for in-place (HOT) updates.  (Warehouses made before keep their
-- tables as they are, and are refreshed the same new way.)
-- ---------------------------------------------------------------------

CREATE OR REPLACE FUNCTION odr_create_warehouse(
	source regclass,
	seller_column name,
	day_column name,
	defects_column name,
	prefix text DEFAULT 'odr_',
	window_days integer DEFAULT 90,
	policy text DEFAULT NULL,
	time_zone text DEFAULT NULL,
	incremental boolean DEFAULT false)
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name;
	src text := source::text;
	day_type regtype;
	day_of text;
	zone_asked text;
	zone text;
	defects_type regtype;
	seller_type regtype;
	seller_base oid;
	seller_eq text;
	tier_of text;
	card_of text;
	proj_of text;
	daily text;
	segments text;
	q text;
	-- incremental => true
	src_kind "char";
	bases regclass[];
	base regclass;
	base_seller name;
	base_day name;
	att smallint;
	rule_tree text;
	changes text;
	claimed text;
	key_match text;
	s_day_of text;
	t_day_of text;
	recompute text;
	capture text;
	grantee oid;
	delta boolean;
	live_sql text;
BEGIN
	IF window_days IS NULL OR window_days < 1 THEN
		RAISE EXCEPTION 'window_days % is not a positive number of days', window_days
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF source IS NULL OR prefix IS NULL OR seller_column IS NULL OR day_column IS NULL OR defects_column IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN source IS NULL THEN 'source' WHEN seller_column IS NULL THEN 'seller_column'
			     WHEN day_column IS NULL THEN 'day_column' WHEN defects_column IS NULL THEN 'defects_column'
			     ELSE 'prefix' END
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'source, seller_column, day_column, defects_column and prefix must all be given.';
	END IF;
	IF incremental IS NULL THEN
		RAISE EXCEPTION 'incremental must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- every name made from prefix must fit in an identifier (NAMEDATALEN - 1
	-- bytes); PostgreSQL would truncate longer ones, and two of them
	-- (<prefix>segments_first_day, <prefix>segments_last_day) could collide
	IF octet_length(prefix) + octet_length('segments_first_day') > 63 THEN
		RAISE EXCEPTION 'prefix "%" is too long: % bytes, at most %', prefix, octet_length(prefix), 63 - octet_length('segments_first_day')
			USING ERRCODE = 'name_too_long',
			      DETAIL = 'The longest name odr_create_warehouse makes is <prefix>segments_first_day, and a name has at most 63 bytes.';
	END IF;
	SELECT n.nspname INTO nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = source;
	SELECT a.atttypid::regtype INTO seller_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = seller_column AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT a.atttypid::regtype INTO day_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = day_column AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT a.atttypid::regtype INTO defects_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = defects_column AND a.attnum > 0 AND NOT a.attisdropped;
	IF seller_type IS NULL OR day_type IS NULL OR defects_type IS NULL THEN
		RAISE EXCEPTION 'column "%" of "%" does not exist',
			CASE WHEN seller_type IS NULL THEN seller_column
			     WHEN day_type IS NULL THEN day_column ELSE defects_column END, src
			USING ERRCODE = 'undefined_column';
	END IF;
	IF defects_type <> '@extschema@.odr_defects'::regtype THEN
		RAISE EXCEPTION 'column "%" of "%" is %, not odr_defects', defects_column, src, defects_type
			USING ERRCODE = 'datatype_mismatch',
			      HINT = 'Classify the orders with odr_classify() in a view and pass the view.';
	END IF;
	-- the sellers are joined with the equality of their type's default btree
	-- operator class, wherever it lives (a citext or a domain in the user's
	-- schema): the views are parsed with search_path = pg_catalog, where a
	-- user type's "=" is not found (or a cast to text would compare otherwise)
	seller_base := seller_type;
	WHILE (SELECT t.typtype FROM pg_type t WHERE t.oid = seller_base) = 'd' LOOP
		SELECT t.typbasetype INTO seller_base FROM pg_type t WHERE t.oid = seller_base;
	END LOOP;
	SELECT format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO seller_eq
	FROM pg_opclass oc
	JOIN pg_am am ON am.oid = oc.opcmethod AND am.amname = 'btree'
	JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily AND ao.amopstrategy = 3
	                AND ao.amoplefttype = oc.opcintype AND ao.amoprighttype = oc.opcintype
	JOIN pg_operator o ON o.oid = ao.amopopr
	JOIN pg_namespace n ON n.oid = o.oprnamespace
	WHERE oc.opcdefault
	  AND (oc.opcintype = seller_base
	       OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = seller_base AND k.casttarget = oc.opcintype
	                                          AND k.castmethod = 'b'))
	ORDER BY oc.opcintype = seller_base DESC, oc.oid
	LIMIT 1;
	IF seller_eq IS NULL THEN
		RAISE EXCEPTION 'column "%" of "%" is %, which has no default btree operator class', seller_column, src, seller_type
			USING ERRCODE = 'undefined_function',
			      DETAIL = 'The sellers of a warehouse are grouped, sorted and joined by their type''s default btree operator class.',
			      HINT = 'Pass a seller column of a type with an ordering, or cast it in a view (for example to text).';
	END IF;
	IF day_type NOT IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) THEN
		RAISE EXCEPTION 'column "%" of "%" is %, not a date or timestamp', day_column, src, day_type
			USING ERRCODE = 'datatype_mismatch';
	END IF;
	-- The day of an order.  A timestamptz is turned into a day in one fixed
	-- zone, written into the view: a plain ::date would take the TimeZone of
	-- whichever session refreshes, and a refresh by a job running in another
	-- zone would move orders between days.
	IF day_type = 'timestamptz'::regtype THEN
		-- a zone name (daylight saving time included), spelt as PostgreSQL does
		zone_asked := coalesce(time_zone, current_setting('TimeZone'));
		SELECT n.name INTO zone FROM pg_timezone_names n
		WHERE lower(n.name) = lower(zone_asked)
		ORDER BY n.name = zone_asked DESC, n.name LIMIT 1;
		IF zone IS NULL THEN
			RAISE EXCEPTION '% "%" is not a recognized time zone',
				CASE WHEN time_zone IS NULL THEN 'the session''s TimeZone' ELSE 'time_zone' END, zone_asked
				USING ERRCODE = 'invalid_parameter_value',
				      DETAIL = 'A zone is a time zone name PostgreSQL knows (pg_timezone_names); abbreviations such as CST and offsets such as UTC+8 are not accepted, as they ignore daylight saving time.',
				      HINT = 'Pass time_zone by name, such as ''Asia/Shanghai''.';
		END IF;
		day_of := format('(%I AT TIME ZONE %L)::date', day_column, zone);
		IF time_zone IS NULL THEN
			RAISE NOTICE 'the days of "%" are taken in time zone "%" (the session''s TimeZone)', day_column, zone
				USING HINT = 'Pass time_zone to choose another; the zone is fixed into the views.';
		END IF;
	ELSIF time_zone IS NOT NULL THEN
		RAISE EXCEPTION 'time_zone applies only to a timestamptz day column; column "%" of "%" is %', day_column, src, day_type
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'A date or timestamp already is the local day; leave time_zone out.';
	ELSE
		day_of := format('%I::date', day_column);
	END IF;
	IF policy IS NOT NULL THEN
		PERFORM @extschema@.odr_tier('()'::@extschema@.odr_summary, policy);  -- unknown policy: 22023
		tier_of := format('@extschema@.odr_tier(%%s, %L)', policy);
		card_of := format('@extschema@.odr_scorecard(%%s, %L)', policy);
		proj_of := format('@extschema@.odr_projection(%%s, %%s, %%s, %L)', policy);
	ELSE
		tier_of := '@extschema@.odr_tier(%s)';
		card_of := '@extschema@.odr_scorecard(%s)';
		proj_of := '@extschema@.odr_projection(%s, %s, %s)';
	END IF;
	daily := format('%I.%I', nsp, prefix || 'daily');
	segments := format('%I.%I', nsp, prefix || 'segments');

	-- incremental => true: the changes are captured on the one table the
	-- source is or reads, by triggers that log the (seller, day) keys they
	-- touch; the seller and the day must therefore be plain columns of it
	IF incremental THEN
		SELECT c.relkind INTO src_kind FROM pg_class c WHERE c.oid = source;
		IF src_kind = 'r' THEN
			base := source;
			base_seller := seller_column;
			base_day := day_column;
		ELSIF src_kind = 'v' THEN
			SELECT array_agg(DISTINCT d.refobjid::regclass ORDER BY d.refobjid::regclass) INTO bases
			FROM pg_rewrite r
			JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
			                AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> source
			WHERE r.ev_class = source AND r.rulename = '_RETURN';
			IF coalesce(cardinality(bases), 0) <> 1 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = bases[1]) <> 'r' THEN
				RAISE EXCEPTION 'incremental warehouse over view "%": the view must read exactly one table, directly, and it reads %', src,
					CASE WHEN bases IS NULL THEN 'none' ELSE array_to_string(bases::text[], ', ') END
					USING ERRCODE = 'feature_not_supported',
					      DETAIL = 'The changes are captured by triggers on the one table under the view; a view of a view, a join or a subquery over another table cannot be captured.',
					      HINT = 'Classify the orders of one table in the view, or create the warehouse without incremental.';
			END IF;
			base := bases[1];
			SELECT r.ev_action::text INTO rule_tree FROM pg_rewrite r WHERE r.ev_class = source AND r.rulename = '_RETURN';
			FOR i IN 1 .. 2 LOOP
				SELECT a.attnum INTO att FROM pg_attribute a
				WHERE a.attrelid = source AND a.attname = CASE i WHEN 1 THEN seller_column ELSE day_column END;
				IF NOT pg_column_is_updatable(source, att, false) THEN
					RAISE EXCEPTION 'incremental warehouse over view "%": column "%" is not a plain column of "%"', src,
						CASE i WHEN 1 THEN seller_column ELSE day_column END, base
						USING ERRCODE = 'invalid_parameter_value',
						      DETAIL = 'The (seller, day) an order belongs to is captured from the rows of the table under the view, so the seller and day columns must be its columns, unchanged.',
						      HINT = 'Select the seller and day columns of the table as they are; compute only the verdict in the view.';
				END IF;
				q := NULL;
				SELECT a.attname INTO q FROM pg_attribute a
				WHERE a.attrelid = base
				  AND a.attnum = (regexp_match(rule_tree, '\{TARGETENTRY :expr \{VAR :varno \d+ :varattno (\d+) [^{}]*\} :resno ' || att || ' '))[1]::smallint;
				IF q IS NULL THEN
					RAISE EXCEPTION 'incremental warehouse over view "%": column "%" is not a plain column of "%"', src,
						CASE i WHEN 1 THEN seller_column ELSE day_column END, base
						USING ERRCODE = 'invalid_parameter_value',
						      HINT = 'Select the seller and day columns of the table as they are; compute only the verdict in the view.';
				END IF;
				IF i = 1 THEN base_seller := q; ELSE base_day := q; END IF;
			END LOOP;
		ELSE
			RAISE EXCEPTION '"%" is not a table or a view: an incremental warehouse captures the changes of a table', src
				USING ERRCODE = 'feature_not_supported',
				      DETAIL = 'Changes are captured by triggers with transition tables, which a partitioned or foreign table, or a materialised view, does not offer.',
				      HINT = 'Create the warehouse without incremental, or over a table (or a view of one table).';
		END IF;
		IF EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = base) THEN
			RAISE EXCEPTION 'table "%" has inheritance children: an incremental warehouse cannot capture their changes', base
				USING ERRCODE = 'feature_not_supported',
				      HINT = 'Create the warehouse without incremental.';
		END IF;
		-- over a table, the log carries the summaries of the rows written
		-- and removed (the table's verdicts); over a view, the keys only
		delta := src_kind = 'r';
		-- no write may commit between the first computation and the
		-- capture: writers wait until the warehouse is made (readers do not)
		EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', base);
		changes := format('%I.%I', nsp, prefix || 'changes');
		claimed := format('%I.%I', nsp, prefix || 'claimed');
		capture := format('%I.%I', nsp, prefix || 'capture');
		-- the day of an order of the source (alias s) and of a captured row (t)
		IF day_type = 'timestamptz'::regtype THEN
			s_day_of := format('(s.%I AT TIME ZONE %L)::date', day_column, zone);
			t_day_of := format('(t.%I AT TIME ZONE %L)::date', base_day, zone);
			-- the range lets an index on the day column be used; a day in a
			-- zone lies within a day either side of its UTC midnight
			key_match := format('s.%1$I OPERATOR(pg_catalog.>=) ((k.day OPERATOR(pg_catalog.-) 1)::timestamp AT TIME ZONE %2$L)'
			                    ' AND s.%1$I OPERATOR(pg_catalog.<=) ((k.day OPERATOR(pg_catalog.+) 2)::timestamp AT TIME ZONE %2$L)'
			                    ' AND %3$s OPERATOR(pg_catalog.=) k.day', day_column, zone, s_day_of);
		ELSIF day_type = 'timestamp'::regtype THEN
			s_day_of := format('s.%I::date', day_column);
			t_day_of := format('t.%I::date', base_day);
			key_match := format('s.%1$I OPERATOR(pg_catalog.>=) k.day::timestamp'
			                    ' AND s.%1$I OPERATOR(pg_catalog.<=) (k.day OPERATOR(pg_catalog.+) 1)::timestamp'
			                    ' AND %2$s OPERATOR(pg_catalog.=) k.day', day_column, s_day_of);
		ELSE
			s_day_of := format('s.%I', day_column);
			t_day_of := format('t.%I', base_day);
			key_match := format('s.%I OPERATOR(pg_catalog.=) k.day', day_column);
		END IF;
		key_match := format('s.%I %s k.seller_id AND %s', seller_column, seller_eq, key_match);
		-- the (seller, day) rows of the keys logged in %1$s, recomputed from
		-- the source; a key with a NULL (TRUNCATE logs one) recomputes all
		recompute := $q$
		SELECT s.%2$I AS seller_id, %3$s AS day, @extschema@.odr_agg(s.%4$I) AS summary
		FROM %5$s AS s
		WHERE EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		GROUP BY 1, 2
		UNION ALL
		SELECT s.%2$I, %3$s, @extschema@.odr_agg(s.%4$I)
		FROM (SELECT DISTINCT c.seller_id, c.day FROM %1$s AS c) AS k
		JOIN %5$s AS s ON %6$s
		WHERE NOT EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		GROUP BY 1, 2$q$;
	END IF;

	-- per (seller, day) summaries.  Incremental: a table whose pages keep a
	-- tenth free, so that a refresh updates its rows in place (HOT: no new
	-- index entries) rather than moving them
	IF incremental THEN
		EXECUTE format($q$
			CREATE TABLE %s WITH (fillfactor = 90) AS
			SELECT %I AS seller_id, %s AS day, @extschema@.odr_agg(%I) AS summary
			FROM %s GROUP BY 1, 2 ORDER BY 1, 2$q$, daily, seller_column, day_of, defects_column, src);
	ELSE
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %s AS
		SELECT %I AS seller_id, %s AS day, @extschema@.odr_agg(%I) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 2$q$, daily, seller_column, day_of, defects_column, src);
	END IF;
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, day)', prefix || 'daily_key', daily);
	EXECUTE format('CREATE INDEX %I ON %s (day)', prefix || 'daily_day', daily);
	IF incremental THEN
		EXECUTE format('COMMENT ON TABLE %s IS %L', daily,
			format('odr: one odr_summary per seller and day of %s, kept by odr_refresh_warehouse(%L) from the changes logged in %s', src, daily, changes));
	ELSE
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', daily,
		format('odr: one odr_summary per seller and day of %s (REFRESH MATERIALIZED VIEW CONCURRENTLY works)', src));
	END IF;
	RETURN NEXT daily::regclass;

	-- the per-day summaries rolled up by run of days in the same month-end
	-- windows (odr_assessment_segment): about 25 rows per seller and year
	-- instead of one per day with orders, and the same month-end results
	EXECUTE format($q$
		CREATE %s %s AS
		SELECT seller_id, @extschema@.odr_assessment_segment(day, %s) AS segment,
		       min(day) AS first_day, max(day) AS last_day, @extschema@.odr_rollup(summary) AS summary
		FROM %s GROUP BY 1, 2 ORDER BY 1, 3$q$,
		CASE WHEN incremental THEN 'TABLE' ELSE 'MATERIALIZED VIEW' END,
		segments || CASE WHEN incremental THEN ' WITH (fillfactor = 90)' ELSE '' END, window_days, daily);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, first_day)', prefix || 'segments_key', segments);
	EXECUTE format('CREATE INDEX %I ON %s (first_day)', prefix || 'segments_first_day', segments);
	EXECUTE format('CREATE INDEX %I ON %s (last_day)', prefix || 'segments_last_day', segments);
	IF incremental THEN
		EXECUTE format('COMMENT ON TABLE %s IS %L', segments,
			format('odr: the summaries of %s rolled up per seller and run of days in the same %s-day month-end windows (odr_assessment_segment), kept by odr_refresh_warehouse(%L) with %s',
			       daily, window_days, daily, daily));
	ELSE
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', segments,
		format('odr: the summaries of %s rolled up per seller and run of days in the same %s-day month-end windows (odr_assessment_segment); refresh it after %s, or refresh both with odr_refresh_warehouse(%L)',
		       daily, window_days, daily, daily));
	END IF;
	RETURN NEXT segments::regclass;

	-- month-end assessments: every seller at every month end after its first
	-- order, in one pass over the runs (odr_rollup_at; a run's first day lies
	-- in the same windows as its other days, and no month end falls between
	-- the first day of its run and a seller's first order)
	q := format($q$
		CREATE VIEW %I.%I AS
		SELECT a.as_of, x.seller_id, a.summary,
		       @extschema@.odr_orders(a.summary) AS orders, @extschema@.odr_defective(a.summary) AS defective,
		       @extschema@.odr_rate(a.summary) AS odr, %s AS tier
		FROM (SELECT d.seller_id,
		             @extschema@.odr_rollup_at(d.first_day, d.summary, e.month_ends, %s, true) AS assessments  -- since_first_day
		      FROM %s AS d,
		           (SELECT ARRAY(SELECT @extschema@.odr_month_ends(min(first_day), max(last_day)) FROM %s) AS month_ends) AS e
		      GROUP BY d.seller_id) AS x,
		     unnest(x.assessments) AS a$q$,
		nsp, prefix || 'month_end', format(tier_of, 'a.summary'), window_days, segments, segments);
	EXECUTE q;
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'month_end',
		format('odr: every seller''s assessment at every month end (A1, A2) over %s days, from %s', window_days, daily));
	RETURN NEXT format('%I.%I', nsp, prefix || 'month_end')::regclass;

	-- daily rolling history: every seller, every day from its first order to
	-- the last day of data; the grid is dense, so a ROWS frame of window_days
	-- rows is exactly the window (and cheaper than a RANGE frame on dates)
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		WITH span AS (SELECT max(day) AS last_day FROM %s),
		     sellers AS (SELECT seller_id, min(day) AS first_day FROM %s GROUP BY seller_id),
		     grid AS (SELECT s.seller_id, s.first_day + i AS day
		              FROM span, sellers AS s, generate_series(0, span.last_day - s.first_day) AS i),
		     rolled AS (SELECT g.seller_id, g.day,
		                       @extschema@.odr_rollup(d.summary) OVER (PARTITION BY g.seller_id ORDER BY g.day
		                           ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS summary
		                FROM grid AS g LEFT JOIN %s AS d ON d.seller_id %s g.seller_id AND d.day = g.day)
		SELECT day, seller_id, summary,
		       @extschema@.odr_orders(summary) AS orders, @extschema@.odr_defective(summary) AS defective,
		       @extschema@.odr_rate(summary) AS odr, %s AS tier
		FROM rolled$q$,
		nsp, prefix || 'daily_history', daily, daily, window_days - 1, daily, seller_eq, format(tier_of, 'summary'));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'daily_history',
		format('odr: every seller''s rolling %s-day ODR and tier for every day, from %s', window_days, daily));
	RETURN NEXT format('%I.%I', nsp, prefix || 'daily_history')::regclass;

	-- the days a seller changed tier
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		SELECT day, seller_id, previous_tier, tier, odr, orders, defective
		FROM (SELECT day, seller_id, tier, odr, orders, defective,
		             lag(tier) OVER (PARTITION BY seller_id ORDER BY day) AS previous_tier
		      FROM %I.%I) AS h
		WHERE previous_tier IS DISTINCT FROM tier AND previous_tier IS NOT NULL$q$,
		nsp, prefix || 'tier_changes', nsp, prefix || 'daily_history');
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'tier_changes',
		'odr: the days a seller crossed a tier cut-off, with the tier before and after');
	RETURN NEXT format('%I.%I', nsp, prefix || 'tier_changes')::regclass;

	-- BI scorecard: the latest month end, standard SQL types only
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		SELECT m.as_of, m.seller_id, c.orders, c.defective, c.odr, c.tier, c.next_tier,
		       c.more_orders_to_next, c.fewer_defects_to_next,
		       c.negative_feedback, c.dsr_item, c.dsr_communication, c.dsr_shipping,
		       c.unshipped, c.arbitration, c.dispute_timeout,
		       c.seller_responsible_arbitration_rate, c.positive_feedback_rate,
		       c.dsr_item_avg, c.dsr_communication_avg, c.dsr_shipping_avg, c.policy_name
		FROM %I.%I AS m, LATERAL %s AS c
		WHERE m.as_of = (SELECT max(as_of) FROM %I.%I)$q$,
		nsp, prefix || 'scorecard', nsp, prefix || 'month_end', format(card_of, 'm.summary'),
		nsp, prefix || 'month_end');
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'scorecard',
		'odr: each seller at the latest month end, as plain columns (bigint, double precision, text, date) for BI tools');
	RETURN NEXT format('%I.%I', nsp, prefix || 'scorecard')::regclass;

	-- projection: the coming month end over the orders known so far, next to the current one
	EXECUTE format($q$
		CREATE VIEW %I.%I AS
		SELECT w.as_of, w.current_as_of, w.projected_as_of, x.seller_id, p.*
		FROM (SELECT max(day) AS as_of FROM %s) AS d,
		     LATERAL @extschema@.odr_projection_windows(d.as_of, %s) AS w0,
		     LATERAL (SELECT d.as_of, w0.*) AS w,
		     LATERAL (SELECT seller_id,
		                     @extschema@.odr_rollup(summary) FILTER (WHERE day BETWEEN w.current_from AND w.current_as_of) AS cur,
		                     @extschema@.odr_rollup(summary) FILTER (WHERE day BETWEEN w.leaving_from AND w.leaving_to) AS leaving,
		                     @extschema@.odr_rollup(summary) FILTER (WHERE day BETWEEN w.entering_from AND w.entering_to) AS entering
		              FROM %s WHERE day BETWEEN w.current_from AND w.as_of
		              GROUP BY seller_id) AS x,
		     LATERAL %s AS p$q$,
		nsp, prefix || 'projection', daily, window_days, daily,
		format(proj_of, 'x.cur', 'x.leaving', 'x.entering'));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'projection',
		'odr: as of the last day of data, each seller''s current month-end result next to the projection for the coming month end (A2, M2)');
	RETURN NEXT format('%I.%I', nsp, prefix || 'projection')::regclass;

	IF NOT incremental THEN
		RETURN;
	END IF;

	-- the change log.  Over a table (delta): per statement and (seller,
	-- day), the summary of the rows written (plus) and of the rows removed
	-- (minus), so that a refresh adds and subtracts them without reading the
	-- table.  Over a view of a table: the (seller, day) keys touched, which a
	-- refresh recomputes from the view.  A key with a NULL seller or day
	-- (a TRUNCATE, a row without a seller, a day or a verdict) rebuilds all.
	EXECUTE format('CREATE TABLE %s AS SELECT seller_id, day, summary AS plus, summary AS minus FROM %s WITH NO DATA',
		changes, daily);
	EXECUTE format('COMMENT ON TABLE %s IS %L', changes,
		CASE WHEN delta
		     THEN format('odr: the changes to %s since the last odr_refresh_warehouse(%L): per statement and (seller, day), the summary of the orders written (plus) and removed (minus); a key with a NULL rebuilds everything', base, daily)
		     ELSE format('odr: the (seller, day) keys of %s that writes to %s touched since the last odr_refresh_warehouse(%L), recomputed from %s; a key with a NULL rebuilds everything', daily, base, daily, src) END);
	RETURN NEXT changes::regclass;
	-- the changes a refresh is applying (empty outside one)
	EXECUTE format('CREATE UNLOGGED TABLE %s AS SELECT seller_id, day, plus, minus FROM %s WITH NO DATA', claimed, changes);
	EXECUTE format('ALTER TABLE %s ADD COLUMN window_days integer NOT NULL DEFAULT %s', claimed, window_days);
	EXECUTE format('COMMENT ON TABLE %s IS %L', claimed,
		format('odr: the changes of %s that odr_refresh_warehouse(%L) is applying; empty outside a refresh', changes, daily));
	RETURN NEXT claimed::regclass;

	-- the keys being applied, recomputed from the source (and everything,
	-- for a rebuild)
	EXECUTE format('CREATE VIEW %I.%I AS %s', nsp, prefix || 'recomputed',
		format(recompute, claimed, seller_column, s_day_of, defects_column, src, key_match));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'recomputed',
		format('odr: the rows of %s for the keys in %s recomputed from %s, or all of them when a key has a NULL (what a refresh writes)', daily, claimed, src));
	RETURN NEXT format('%I.%I', nsp, prefix || 'recomputed')::regclass;

	-- the touched (seller, day) rows as a refresh would make them now
	IF delta THEN
		live_sql := format($q$
		SELECT x.seller_id, x.day, x.summary
		FROM (SELECT k.seller_id, k.day,
		             (COALESCE(d.summary, '()'::@extschema@.odr_summary) OPERATOR(@extschema@.+) COALESCE(k.plus, '()'::@extschema@.odr_summary))
		               OPERATOR(@extschema@.-) COALESCE(k.minus, '()'::@extschema@.odr_summary) AS summary
		      FROM (SELECT c.seller_id, c.day, @extschema@.odr_rollup(c.plus) AS plus, @extschema@.odr_rollup(c.minus) AS minus
		            FROM %1$s AS c GROUP BY c.seller_id, c.day) AS k
		      LEFT JOIN %2$s AS d ON d.seller_id %3$s k.seller_id AND d.day OPERATOR(pg_catalog.=) k.day
		      WHERE NOT EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)) AS x
		WHERE @extschema@.odr_orders(x.summary) OPERATOR(pg_catalog.>) 0
		UNION ALL
		SELECT s.%4$I AS seller_id, %5$s AS day, @extschema@.odr_agg(s.%6$I) AS summary
		FROM %7$s AS s
		WHERE EXISTS (SELECT FROM %1$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		GROUP BY 1, 2$q$, changes, daily, seller_eq, seller_column, s_day_of, defects_column, src);
	ELSE
		live_sql := format(recompute, changes, seller_column, s_day_of, defects_column, src, key_match);
	END IF;

	-- fresh without a refresh: the stored rows whose keys were not touched,
	-- and the touched ones as a refresh would make them
	EXECUTE format($q$
		CREATE VIEW %1$I.%2$I AS
		SELECT d.seller_id, d.day, d.summary
		FROM %3$s AS d
		WHERE NOT EXISTS (SELECT FROM %4$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		  AND NOT EXISTS (SELECT FROM %4$s AS c WHERE c.seller_id %5$s d.seller_id AND c.day OPERATOR(pg_catalog.=) d.day)
		UNION ALL
		%6$s$q$, nsp, prefix || 'daily_live', daily, changes, seller_eq, live_sql);
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'daily_live',
		format('odr: %s as a refresh would make it now: the stored rows untouched since the last refresh and the touched (seller, day) rows %s (a cost that grows with the unrefreshed changes)',
		       daily, CASE WHEN delta THEN format('with the changes logged in %s applied', changes) ELSE format('recomputed from %s', src) END));
	RETURN NEXT format('%I.%I', nsp, prefix || 'daily_live')::regclass;

	-- the current results without a refresh: each seller's rolling window
	-- ending on the last day of data, and its last month end
	EXECUTE format($q$
		CREATE VIEW %1$I.%2$I AS
		SELECT w.as_of, x.seller_id, x.summary,
		       @extschema@.odr_orders(x.summary) AS orders, @extschema@.odr_defective(x.summary) AS defective,
		       @extschema@.odr_rate(x.summary) AS odr, %8$s AS tier,
		       w.month_end, x.month_end_summary,
		       @extschema@.odr_orders(x.month_end_summary) AS month_end_orders,
		       @extschema@.odr_defective(x.month_end_summary) AS month_end_defective,
		       @extschema@.odr_rate(x.month_end_summary) AS month_end_odr, %9$s AS month_end_tier
		FROM (SELECT l.as_of, @extschema@.odr_last_assessment(l.as_of) AS month_end
		      FROM (SELECT pg_catalog.max(u.day) AS as_of
		            FROM ((SELECT d.day FROM %3$s AS d
		                   WHERE d.day IS NOT NULL
		                     AND NOT EXISTS (SELECT FROM %4$s AS f WHERE f.seller_id IS NULL OR f.day IS NULL)
		                     AND NOT EXISTS (SELECT FROM %4$s AS c WHERE c.seller_id %5$s d.seller_id AND c.day OPERATOR(pg_catalog.=) d.day)
		                   ORDER BY d.day DESC LIMIT 1)
		                  UNION ALL
		                  SELECT r.day FROM (%6$s) AS r) AS u) AS l) AS w,
		     LATERAL (SELECT v.seller_id,
		                     COALESCE(@extschema@.odr_rollup(v.summary) FILTER (
		                         WHERE v.day OPERATOR(pg_catalog.>=) (w.as_of OPERATOR(pg_catalog.-) %7$s)),
		                         '()'::@extschema@.odr_summary) AS summary,
		                     COALESCE(@extschema@.odr_rollup(v.summary) FILTER (
		                         WHERE v.day OPERATOR(pg_catalog.>=) (w.month_end OPERATOR(pg_catalog.-) %7$s)
		                           AND v.day OPERATOR(pg_catalog.<=) w.month_end),
		                         '()'::@extschema@.odr_summary) AS month_end_summary
		              FROM %1$I.%10$I AS v
		              WHERE v.day OPERATOR(pg_catalog.>=) (w.month_end OPERATOR(pg_catalog.-) %7$s)
		                AND v.day OPERATOR(pg_catalog.<=) w.as_of
		              GROUP BY v.seller_id) AS x$q$,
		nsp, prefix || 'now', daily, changes, seller_eq, live_sql, window_days - 1,
		format(tier_of, 'x.summary'), format(tier_of, 'x.month_end_summary'), prefix || 'daily_live');
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', nsp, prefix || 'now',
		format('odr: without a refresh, each seller with an order in either window: its rolling %s-day result ending on the last day of data (as_of) and its result at the last month end on or before it, including the changes not yet refreshed', window_days));
	RETURN NEXT format('%I.%I', nsp, prefix || 'now')::regclass;

	-- the capture: statement-level triggers with transition tables log the
	-- old and new rows (a row moved to another seller or day touches both);
	-- it runs as whoever writes, so it is pinned to pg_catalog and names
	-- everything by schema
	IF delta THEN
		q := format($body$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE' THEN
		INSERT INTO %1$s (seller_id, day) VALUES (NULL, NULL);
		RETURN NULL;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		INSERT INTO %1$s (seller_id, day, plus)
		SELECT CASE WHEN pg_catalog.bool_or(t.%4$I IS NULL) THEN NULL ELSE t.%2$I END, %3$s, @extschema@.odr_agg(t.%4$I)
		FROM odr_new AS t GROUP BY t.%2$I, %3$s;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		INSERT INTO %1$s (seller_id, day, minus)
		SELECT CASE WHEN pg_catalog.bool_or(t.%4$I IS NULL) THEN NULL ELSE t.%2$I END, %3$s, @extschema@.odr_agg(t.%4$I)
		FROM odr_old AS t GROUP BY t.%2$I, %3$s;
	END IF;
	RETURN NULL;
END
$body$, changes, base_seller, t_day_of, defects_column);
	ELSE
		q := format($body$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		INSERT INTO %1$s (seller_id, day) SELECT DISTINCT t.%2$I, %3$s FROM odr_new AS t;
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
		INSERT INTO %1$s (seller_id, day) SELECT t.%2$I, %3$s FROM odr_old AS t UNION SELECT t.%2$I, %3$s FROM odr_new AS t;
	ELSIF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		INSERT INTO %1$s (seller_id, day) SELECT DISTINCT t.%2$I, %3$s FROM odr_old AS t;
	ELSE
		INSERT INTO %1$s (seller_id, day) VALUES (NULL, NULL);
	END IF;
	RETURN NULL;
END
$body$, changes, base_seller, t_day_of);
	END IF;
	EXECUTE format($q$
		CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %2$L$q$,
		capture, q);
	EXECUTE format('COMMENT ON FUNCTION %s() IS %L', capture,
		format('odr: logs into %s the (seller, day) keys that a write to %s touches (trigger of %s)', changes, base, daily));
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS odr_new FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_insert', base, capture);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS odr_old NEW TABLE AS odr_new FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_update', base, capture);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS odr_old FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_delete', base, capture);
	EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
		prefix || 'capture_truncate', base, capture);
	FOREACH q IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
		EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', prefix || 'capture_' || q, base,
			format('odr: logs the keys a %s touches into %s', upper(q), changes));
	END LOOP;
	-- whoever may write the table may log its keys (the capture runs as the writer)
	FOR grantee IN
		SELECT DISTINCT a.grantee
		FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a
		WHERE c.oid = base AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
		  AND a.grantee <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user)
	LOOP
		EXECUTE format('GRANT INSERT ON %s TO %s', changes,
			CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE quote_ident((SELECT r.rolname FROM pg_roles r WHERE r.oid = grantee)) END);
	END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION odr_refresh_warehouse(daily regclass, concurrently boolean DEFAULT true)
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	rel regclass;
	seeds oid[] := ARRAY[daily::oid];
	wh_owner oid;
	nsp name;
	pfx text;
	segments regclass;
	changes regclass;
	claimed regclass;
	recomputed regclass;
	seller_base oid;
	seller_eq text;
	n_keys bigint;
	rebuild boolean;
	is_delta boolean;
	window_days integer;
	hashjoin text;
	mergejoin text;
BEGIN
	IF daily IS NULL THEN
		RAISE EXCEPTION 'daily must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Pass the per-day materialised view, for example odr_refresh_warehouse(''odr_daily'').';
	END IF;
	IF $2 IS NULL THEN  -- concurrently (a keyword in expressions)
		RAISE EXCEPTION 'concurrently must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- an incremental warehouse (odr_create_warehouse(..., incremental =>
	-- true)): daily is a table, and its other objects, all of daily's owner,
	-- are named after it
	SELECT c.relowner, n.nspname, left(c.relname, -5) INTO wh_owner, nsp, pfx
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = daily AND c.relkind = 'r' AND right(c.relname, 5) = 'daily';
	IF wh_owner IS NOT NULL THEN
		segments := to_regclass(format('%I.%I', nsp, pfx || 'segments'));
		changes := to_regclass(format('%I.%I', nsp, pfx || 'changes'));
		claimed := to_regclass(format('%I.%I', nsp, pfx || 'claimed'));
		recomputed := to_regclass(format('%I.%I', nsp, pfx || 'recomputed'));
		IF segments IS NULL OR changes IS NULL OR claimed IS NULL OR recomputed IS NULL
		   OR EXISTS (SELECT 1 FROM pg_class c
		              WHERE c.oid IN (segments, changes, claimed, recomputed)
		                AND (c.relowner <> wh_owner OR c.relkind <> CASE WHEN c.oid = recomputed THEN 'v' ELSE 'r' END)) THEN
			wh_owner := NULL;
		END IF;
	END IF;
	IF wh_owner IS NULL AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = daily AND c.relkind = 'm') THEN
		RAISE EXCEPTION '"%" is not a materialized view', daily
			USING ERRCODE = 'wrong_object_type',
			      DETAIL = 'Nor is it the <prefix>daily table of an incremental warehouse (with <prefix>segments, <prefix>changes, <prefix>claimed and <prefix>recomputed of the same owner).',
			      HINT = 'Pass the <prefix>daily materialised view or table that odr_create_warehouse created.';
	END IF;
	IF wh_owner IS NOT NULL THEN
		-- The refresh reads the source (a view, perhaps, and the seller
		-- type's equality) with the rights of the role that runs it: only the
		-- owner may, so nobody runs the owner's code with rights of its own.
		IF wh_owner <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) THEN
			RAISE EXCEPTION 'only the owner of "%" may refresh it', daily
				USING ERRCODE = 'insufficient_privilege',
				      DETAIL = 'An incremental refresh reads the source with the rights of the role that runs it.',
				      HINT = format('Run it as %I, its owner (SET ROLE %I, or schedule the pg_cron job as %I).', pg_get_userbyid(wh_owner), pg_get_userbyid(wh_owner), pg_get_userbyid(wh_owner));
		END IF;
		-- one refresh at a time: a second one waits here, then takes only
		-- what was logged after the first (readers and writers never wait)
		EXECUTE format('LOCK TABLE %s IN EXCLUSIVE MODE', daily);
		EXECUTE format('SELECT EXISTS (SELECT FROM %s AS c WHERE c.seller_id IS NULL OR c.day IS NULL)', changes)
			INTO rebuild;
		IF NOT rebuild THEN
			-- take the changes logged so far, and only those: a write that
			-- commits from now on leaves its changes in the log for the next
			-- refresh.  They are claimed one row per key (the summaries of
			-- all the statements that wrote it rolled up; over a view, the
			-- key alone), so that every later step touches each key once.
			EXECUTE format($q$
				WITH c AS (DELETE FROM %1$s RETURNING seller_id, day, plus, minus),
				     k AS (INSERT INTO %2$s (seller_id, day, plus, minus)
				           SELECT c.seller_id, c.day,
				                  CASE WHEN pg_catalog.count(c.plus) OPERATOR(pg_catalog.>) 0 THEN @extschema@.odr_rollup(c.plus) END,
				                  CASE WHEN pg_catalog.count(c.minus) OPERATOR(pg_catalog.>) 0 THEN @extschema@.odr_rollup(c.minus) END
				           FROM c GROUP BY c.seller_id, c.day
				           RETURNING seller_id, day, plus, minus, window_days)
				SELECT pg_catalog.count(*), pg_catalog.bool_or(k.seller_id IS NULL OR k.day IS NULL),
				       pg_catalog.bool_or(k.plus IS NOT NULL OR k.minus IS NOT NULL), pg_catalog.min(k.window_days)
				FROM k$q$, changes, claimed)
				INTO n_keys, rebuild, is_delta, window_days;
			IF rebuild THEN
				-- a rebuild logged just now: give the changes back
				EXECUTE format('INSERT INTO %s (seller_id, day, plus, minus) SELECT k.seller_id, k.day, k.plus, k.minus FROM %s AS k',
					changes, claimed);
				EXECUTE format('TRUNCATE %s', claimed);
			END IF;
		END IF;
		IF rebuild THEN
			-- A TRUNCATE, or a row without a seller, a day or a verdict:
			-- everything again, from the source.  The log is emptied by the
			-- very statement that reads the source (one snapshot), so a write
			-- committing meanwhile is either in both or in neither.
			EXECUTE format('INSERT INTO %s (seller_id, day) VALUES (NULL, NULL)', claimed);
			EXECUTE format('SELECT min(k.window_days) FROM %s AS k', claimed) INTO window_days;
			n_keys := 1;
			EXECUTE format('DELETE FROM %s', daily);
			EXECUTE format('WITH c AS (DELETE FROM %s RETURNING 1) INSERT INTO %s (seller_id, day, summary) SELECT r.seller_id, r.day, r.summary FROM %s AS r ORDER BY 1, 2',
				changes, daily, recomputed);
			EXECUTE format('DELETE FROM %s', segments);
			EXECUTE format($q$
				INSERT INTO %s (seller_id, segment, first_day, last_day, summary)
				SELECT d.seller_id, @extschema@.odr_assessment_segment(d.day, %s),
				       pg_catalog.min(d.day), pg_catalog.max(d.day), @extschema@.odr_rollup(d.summary)
				FROM %s AS d GROUP BY 1, 2 ORDER BY 1, 3$q$, segments, window_days, daily);
		ELSIF n_keys > 0 THEN
			-- the sellers' equality, as odr_create_warehouse found it
			SELECT a.atttypid INTO seller_base FROM pg_attribute a
			WHERE a.attrelid = daily AND a.attname = 'seller_id' AND NOT a.attisdropped;
			WHILE (SELECT t.typtype FROM pg_type t WHERE t.oid = seller_base) = 'd' LOOP
				SELECT t.typbasetype INTO seller_base FROM pg_type t WHERE t.oid = seller_base;
			END LOOP;
			SELECT format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO seller_eq
			FROM pg_opclass oc
			JOIN pg_am am ON am.oid = oc.opcmethod AND am.amname = 'btree'
			JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily AND ao.amopstrategy = 3
			                AND ao.amoplefttype = oc.opcintype AND ao.amoprighttype = oc.opcintype
			JOIN pg_operator o ON o.oid = ao.amopopr
			JOIN pg_namespace n ON n.oid = o.oprnamespace
			WHERE oc.opcdefault
			  AND (oc.opcintype = seller_base
			       OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = seller_base AND k.casttarget = oc.opcintype
			                                          AND k.castmethod = 'b'))
			ORDER BY oc.opcintype = seller_base DESC, oc.oid
			LIMIT 1;
			-- The warehouse's own rows are found through its unique indexes,
			-- key by key: a hash or merge join would read the whole of daily
			-- or segments, a cost that grows with the history, not with the
			-- change.  (The source is read by whatever plan the planner
			-- finds: through an index of the user's, or not.)
			hashjoin := current_setting('enable_hashjoin');
			mergejoin := current_setting('enable_mergejoin');
			PERFORM set_config('enable_hashjoin', 'off', true);
			PERFORM set_config('enable_mergejoin', 'off', true);
			IF is_delta THEN
				-- Each touched (seller, day) row, found once through the
				-- unique index (in key order: the probes walk the index
				-- forward): itself plus what was written, minus what was
				-- removed (a summary of orders adds and subtracts exactly; a
				-- key without a row starts from the empty summary).  In one
				-- statement, by the row found: a row left without orders
				-- goes, the others are updated, and a key without a row is
				-- inserted.
				EXECUTE format($q$
					WITH k AS MATERIALIZED (
					         SELECT c.seller_id, c.day, d.ctid AS tid,
					                (COALESCE(d.summary, '()'::@extschema@.odr_summary) OPERATOR(@extschema@.+) COALESCE(c.plus, '()'::@extschema@.odr_summary))
					                  OPERATOR(@extschema@.-) COALESCE(c.minus, '()'::@extschema@.odr_summary) AS summary
					         FROM (SELECT c.seller_id, c.day, c.plus, c.minus FROM %2$s AS c ORDER BY c.seller_id, c.day) AS c
					         LEFT JOIN %1$s AS d ON d.seller_id %3$s c.seller_id AND d.day OPERATOR(pg_catalog.=) c.day),
					     u AS (UPDATE %1$s AS d SET summary = k.summary FROM k
					           WHERE d.ctid OPERATOR(pg_catalog.=) k.tid AND @extschema@.odr_orders(k.summary) OPERATOR(pg_catalog.>) 0),
					     x AS (DELETE FROM %1$s AS d USING k
					           WHERE d.ctid OPERATOR(pg_catalog.=) k.tid AND @extschema@.odr_orders(k.summary) OPERATOR(pg_catalog.=) 0)
					INSERT INTO %1$s (seller_id, day, summary)
					SELECT k.seller_id, k.day, k.summary FROM k
					WHERE k.tid IS NULL AND @extschema@.odr_orders(k.summary) OPERATOR(pg_catalog.>) 0$q$, daily, claimed, seller_eq);
				-- Each touched run of days the same way: itself plus the
				-- summaries written to its days, minus those removed (the
				-- same sums as daily's).  Its first and last day are read
				-- again from daily's index only where they may have moved: a
				-- run that is new, or a touched day on or outside its ends.
				EXECUTE format($q$
					WITH t AS MATERIALIZED (
					         SELECT c.seller_id, @extschema@.odr_assessment_segment(c.day, c.window_days) AS segment,
					                pg_catalog.min(c.day) AS first_touched, pg_catalog.max(c.day) AS last_touched,
					                @extschema@.odr_rollup(c.plus) AS plus, @extschema@.odr_rollup(c.minus) AS minus
					         FROM %2$s AS c GROUP BY 1, 2 ORDER BY 1, 2),
					     g AS MATERIALIZED (
					         SELECT t.seller_id, t.segment, s.ctid AS tid,
					                (COALESCE(s.summary, '()'::@extschema@.odr_summary) OPERATOR(@extschema@.+) COALESCE(t.plus, '()'::@extschema@.odr_summary))
					                  OPERATOR(@extschema@.-) COALESCE(t.minus, '()'::@extschema@.odr_summary) AS summary,
					                CASE WHEN s.ctid IS NULL OR t.first_touched OPERATOR(pg_catalog.<=) s.first_day
					                     THEN (SELECT d.day FROM %4$s AS d
					                           WHERE d.seller_id %3$s t.seller_id
					                             AND d.day OPERATOR(pg_catalog.>=) pg_catalog.lower(t.segment)
					                             AND d.day OPERATOR(pg_catalog.<) pg_catalog.upper(t.segment)
					                           ORDER BY d.day LIMIT 1)
					                     ELSE s.first_day END AS first_day,
					                CASE WHEN s.ctid IS NULL OR t.last_touched OPERATOR(pg_catalog.>=) s.last_day
					                     THEN (SELECT d.day FROM %4$s AS d
					                           WHERE d.seller_id %3$s t.seller_id
					                             AND d.day OPERATOR(pg_catalog.>=) pg_catalog.lower(t.segment)
					                             AND d.day OPERATOR(pg_catalog.<) pg_catalog.upper(t.segment)
					                           ORDER BY d.day DESC LIMIT 1)
					                     ELSE s.last_day END AS last_day
					         FROM t
					         LEFT JOIN %1$s AS s ON s.seller_id %3$s t.seller_id
					                             AND s.first_day OPERATOR(pg_catalog.>=) pg_catalog.lower(t.segment)
					                             AND s.first_day OPERATOR(pg_catalog.<) pg_catalog.upper(t.segment)),
					     u AS (UPDATE %1$s AS s SET summary = g.summary, first_day = g.first_day, last_day = g.last_day FROM g
					           WHERE s.ctid OPERATOR(pg_catalog.=) g.tid AND @extschema@.odr_orders(g.summary) OPERATOR(pg_catalog.>) 0),
					     x AS (DELETE FROM %1$s AS s USING g
					           WHERE s.ctid OPERATOR(pg_catalog.=) g.tid AND @extschema@.odr_orders(g.summary) OPERATOR(pg_catalog.=) 0)
					INSERT INTO %1$s (seller_id, segment, first_day, last_day, summary)
					SELECT g.seller_id, g.segment, g.first_day, g.last_day, g.summary FROM g
					WHERE g.tid IS NULL AND @extschema@.odr_orders(g.summary) OPERATOR(pg_catalog.>) 0$q$, segments, claimed, seller_eq, daily);
			ELSE
				-- the planner needs to know how many keys it recomputes from
				-- the source
				EXECUTE format('ANALYZE %s', claimed);
				EXECUTE format($q$
					DELETE FROM %s AS d USING %s AS k
					WHERE d.seller_id %s k.seller_id AND d.day OPERATOR(pg_catalog.=) k.day$q$, daily, claimed, seller_eq);
				PERFORM set_config('enable_hashjoin', hashjoin, true);
				PERFORM set_config('enable_mergejoin', mergejoin, true);
				-- the touched (seller, day) rows, recomputed from the source
				EXECUTE format('INSERT INTO %s (seller_id, day, summary) SELECT r.seller_id, r.day, r.summary FROM %s AS r',
					daily, recomputed);
				PERFORM set_config('enable_hashjoin', 'off', true);
				PERFORM set_config('enable_mergejoin', 'off', true);
				-- the touched runs of days, rolled up again from daily
				EXECUTE format($q$
					DELETE FROM %1$s AS g
					USING (SELECT DISTINCT k.seller_id, @extschema@.odr_assessment_segment(k.day, k.window_days) AS segment FROM %2$s AS k) AS k
					WHERE g.seller_id %3$s k.seller_id
					  AND g.first_day OPERATOR(pg_catalog.>=) pg_catalog.lower(k.segment)
					  AND g.first_day OPERATOR(pg_catalog.<) pg_catalog.upper(k.segment)$q$, segments, claimed, seller_eq);
				EXECUTE format($q$
					INSERT INTO %1$s (seller_id, segment, first_day, last_day, summary)
					SELECT d.seller_id, k.segment, pg_catalog.min(d.day), pg_catalog.max(d.day), @extschema@.odr_rollup(d.summary)
					FROM (SELECT DISTINCT k.seller_id, @extschema@.odr_assessment_segment(k.day, k.window_days) AS segment FROM %2$s AS k) AS k
					JOIN %4$s AS d ON d.seller_id %3$s k.seller_id
					              AND d.day OPERATOR(pg_catalog.>=) pg_catalog.lower(k.segment)
					              AND d.day OPERATOR(pg_catalog.<) pg_catalog.upper(k.segment)
					GROUP BY d.seller_id, k.segment$q$, segments, claimed, seller_eq, daily);
			END IF;
			PERFORM set_config('enable_hashjoin', hashjoin, true);
			PERFORM set_config('enable_mergejoin', mergejoin, true);
		END IF;
		IF n_keys > 0 THEN
			EXECUTE format('TRUNCATE %s', claimed);
		END IF;
		RETURN NEXT daily;
		RETURN NEXT segments;
		seeds := seeds || segments::oid;
	END IF;
	-- A warehouse made before 0.4.0 from a timestamptz column casts it with
	-- ::date, date(timestamptz), whose day follows the refreshing session's
	-- TimeZone: say so (the refresh goes on, as it always did).
	IF EXISTS (SELECT 1 FROM pg_rewrite r
	           WHERE r.ev_class = daily
	             AND r.ev_action::text LIKE ('%:funcid ' || 'date(timestamptz)'::regprocedure::oid || ' %')) THEN
		RAISE WARNING '"%" turns a timestamptz into a day with ::date, so its days follow the TimeZone of the session that refreshes it (now "%")',
			daily, current_setting('TimeZone')
			USING DETAIL = 'Warehouses created before odr 0.4.0 from a timestamptz day column do so; odr_create_warehouse now fixes one time zone into the view.',
			      HINT = format('Drop the warehouse (DROP MATERIALIZED VIEW %s CASCADE) and create it again with odr_create_warehouse(..., time_zone => ''Asia/Shanghai''), or the zone the days are assessed in.', daily);
	END IF;
	-- daily first, then every materialised view built on it (directly or
	-- through views), each after all the ones it reads.  Only the
	-- warehouse's own objects: those of daily's owner (odr_create_warehouse
	-- makes every object of a warehouse as one role).  A view or materialised
	-- view another role builds on top is neither refreshed nor followed: it
	-- can neither break this refresh nor ride along with it.  (An incremental
	-- warehouse: what is built on its daily and segments tables.)
	FOR rel IN
		WITH RECURSIVE dep(oid, depth) AS (
			SELECT s.oid, 0 FROM unnest(seeds) AS s(oid)
			UNION
			SELECT r.ev_class, dep.depth + 1
			FROM dep
			JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = dep.oid
			                AND d.classid = 'pg_rewrite'::regclass
			JOIN pg_rewrite r ON r.oid = d.objid
			JOIN pg_class c ON c.oid = r.ev_class AND c.relkind IN ('m', 'v')
			                AND c.relowner = (SELECT o.relowner FROM pg_class o WHERE o.oid = daily)
			WHERE r.ev_class <> dep.oid AND dep.depth < 1000)
		SELECT dep.oid::regclass
		FROM dep JOIN pg_class c ON c.oid = dep.oid AND c.relkind = 'm'
		GROUP BY dep.oid
		ORDER BY max(dep.depth), dep.oid::regclass::text
	LOOP
		EXECUTE format('REFRESH MATERIALIZED VIEW %s%s', CASE WHEN $2 THEN 'CONCURRENTLY ' END, rel);
		RETURN NEXT rel;
	END LOOP;
END
$fn$;

-- ---------------------------------------------------------------------
-- odr_amazon_report: a standing under amazon, shaped like the SP-API
-- account health report (performanceMetrics of accountHealthReport-2020-11-18)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_amazon_report(s odr_standing) RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	WITH m AS (SELECT * FROM @extschema@.odr_standing_metrics(s)),
	e AS (SELECT DISTINCT x.standard, x.state, x.metric, x.op, x.threshold FROM @extschema@.odr_explain(s) x),
	part AS (
		SELECT e.metric,
		       pg_catalog.jsonb_build_object(
		         'reportingDateRange', pg_catalog.jsonb_build_object('reportingDateFrom', m.first_day, 'reportingDateTo', m.last_day),
		         'status', CASE e.state WHEN 'met' THEN 'GOOD' WHEN 'failed' THEN 'POOR' ELSE 'NONE' END,
		         'targetValue', e.threshold,
		         'targetCondition', CASE e.op WHEN '<' THEN 'LESS_THAN' WHEN '<=' THEN 'LESS_THAN_OR_EQUAL'
		                                      WHEN '>' THEN 'GREATER_THAN' ELSE 'GREATER_THAN_OR_EQUAL' END,
		         'rate', m.value) AS j,
		       m.numerator, m.denominator
		FROM e JOIN m ON m.metric OPERATOR(pg_catalog.=) e.metric),
	cnt AS (SELECT pg_catalog.jsonb_object_agg(m.metric, m.numerator) AS j FROM m WHERE m.kind OPERATOR(pg_catalog.=) 'count')
	SELECT pg_catalog.jsonb_build_object(
	  'marketplace', @extschema@.odr_standing_marketplace(s),
	  'asOf', @extschema@.odr_standing_as_of(s),
	  'level', @extschema@.odr_level(s),
	  'decidingStandard', @extschema@.odr_deciding_standard(s),
	  'performanceMetrics', pg_catalog.jsonb_build_object(
	    'orderDefectRate', pg_catalog.jsonb_build_object(
	      'mfn', (SELECT p.j OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
	                'fulfillmentType', 'MFN', 'orderCount', p.denominator,
	                'orderWithDefects', pg_catalog.jsonb_build_object('count', p.numerator),
	                'claims', pg_catalog.jsonb_build_object('count', c.j OPERATOR(pg_catalog.->) 'claims_mfn'),
	                'chargebacks', pg_catalog.jsonb_build_object('count', c.j OPERATOR(pg_catalog.->) 'chargebacks_mfn'),
	                'negativeFeedback', pg_catalog.jsonb_build_object('count', c.j OPERATOR(pg_catalog.->) 'negative_feedback_mfn'))
	              FROM part p, cnt c WHERE p.metric OPERATOR(pg_catalog.=) 'odr_mfn'),
	      'afn', (SELECT p.j OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
	                'fulfillmentType', 'AFN', 'orderCount', p.denominator,
	                'orderWithDefects', pg_catalog.jsonb_build_object('count', p.numerator),
	                'claims', pg_catalog.jsonb_build_object('count', c.j OPERATOR(pg_catalog.->) 'claims_afn'),
	                'chargebacks', pg_catalog.jsonb_build_object('count', c.j OPERATOR(pg_catalog.->) 'chargebacks_afn'),
	                'negativeFeedback', pg_catalog.jsonb_build_object('count', c.j OPERATOR(pg_catalog.->) 'negative_feedback_afn'))
	              FROM part p, cnt c WHERE p.metric OPERATOR(pg_catalog.=) 'odr_afn')),
	    'lateShipmentRateList', (SELECT pg_catalog.jsonb_agg(p.j OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
	                                'lateShipmentCount', p.numerator, 'orderCount', p.denominator) ORDER BY p.metric)
	                             FROM part p WHERE p.metric OPERATOR(pg_catalog.=) ANY ('{late_shipment_rate_10,late_shipment_rate_30}'::text[])),
	    'preFulfillmentCancellationRate', (SELECT p.j OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
	                                         'cancellationCount', p.numerator, 'orderCount', p.denominator)
	                                       FROM part p WHERE p.metric OPERATOR(pg_catalog.=) 'cancel_rate_7'),
	    'validTrackingRate', (SELECT p.j OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
	                            'validTrackingCount', p.numerator, 'shipmentCount', p.denominator)
	                          FROM part p WHERE p.metric OPERATOR(pg_catalog.=) 'valid_tracking_rate_30'),
	    'youngOrders', (SELECT c.j OPERATOR(pg_catalog.->) 'young_orders' FROM cnt c)));
END;
COMMENT ON FUNCTION odr_amazon_report(odr_standing) IS
	'M1: a standing under amazon (or a marketplace with its metric names) as jsonb shaped like the SP-API account health report''s performanceMetrics: orderDefectRate mfn / afn (orderCount, orderWithDefects, claims, chargebacks, negativeFeedback), lateShipmentRateList (10 and 30 days), preFulfillmentCancellationRate, validTrackingRate, each with reportingDateRange, status (GOOD met, POOR failed, NONE not measured), targetValue, targetCondition, rate; plus youngOrders (M1.5)';
