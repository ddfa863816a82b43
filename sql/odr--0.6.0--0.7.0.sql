/*
 * odr 0.6.0 -> 0.7.0.  Names nothing unqualified (README: Security): every
 * operator OPERATOR(pg_catalog.op), every call schema-qualified, as in
 * sql/odr.sql.
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.7.0'" to load this file. \quit

-- The built-in marketplaces' constructors in C (issue 14): the same
-- signatures, defaults, validation and odr_order bytes as the LANGUAGE sql
-- functions of 0.6.0, without building and taking apart arrays on every row.
CREATE OR REPLACE FUNCTION odr_amazon_order(order_date date, fulfilment text, feedback_stars integer DEFAULT NULL,
	claim_status text DEFAULT NULL, chargeback boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL,
	cancelled_at timestamptz DEFAULT NULL, cancelled_by text DEFAULT NULL,
	promised_delivery_date date DEFAULT NULL, tracking_valid boolean DEFAULT NULL, buyer text DEFAULT NULL)
RETURNS odr_order
AS 'MODULE_PATHNAME', 'odr_amazon_order' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_amazon_order(date, text, integer, text, boolean, timestamptz, timestamptz, timestamptz, text, date, boolean, text) IS
	'M1: an Amazon order''s facts for odr_assess(o, ''amazon'', as_of): fulfilment mfn or afn; claim_status open, granted, denied, withdrawn or won_on_appeal; cancelled_by seller, auto or buyer';

CREATE OR REPLACE FUNCTION odr_ebay_order(transaction_date date, buyer text, amount_usd numeric DEFAULT 0,
	cancelled_by text DEFAULT NULL, case_closed_without_seller_resolution boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL)
RETURNS odr_order
AS 'MODULE_PATHNAME', 'odr_ebay_order' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_ebay_order(date, text, numeric, text, boolean, timestamptz, timestamptz) IS
	'M2: an eBay transaction''s facts for odr_assess(o, ''ebay'', evaluation_date): cancelled_by seller, auto or buyer';
