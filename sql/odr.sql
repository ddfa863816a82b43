/*
 * odr — Order Defect Rate for marketplace sellers.
 * Rule ids (A1, A5, ...) refer to shared/rules.md; the README explains each
 * object with an example.
 */

\echo Use "CREATE EXTENSION odr" to load this file. \quit

-- ---------------------------------------------------------------------
-- odr_defects: the verdict on one order (A5-A13)
-- ---------------------------------------------------------------------

CREATE TYPE odr_defects;

CREATE FUNCTION odr_defects_in(cstring) RETURNS odr_defects
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_defects_out(odr_defects) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_defects_recv(internal) RETURNS odr_defects
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_defects_send(odr_defects) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE odr_defects (
	INPUT = odr_defects_in,
	OUTPUT = odr_defects_out,
	RECEIVE = odr_defects_recv,
	SEND = odr_defects_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);

COMMENT ON TYPE odr_defects IS
	'The verdict on one order: the defect reasons A5-A11 that apply after the A13 exclusion, and the rating facts the companion metrics (A16) need. Text form: {reason,...} [feedback=N item=N communication=N shipping=N under_5_usd seller_responsible]';
COMMENT ON FUNCTION odr_defects_in(cstring) IS 'Text input of odr_defects';
COMMENT ON FUNCTION odr_defects_out(odr_defects) IS 'Text output of odr_defects (canonical order)';
COMMENT ON FUNCTION odr_defects_recv(internal) IS 'Binary input of odr_defects (validated as text input is)';
COMMENT ON FUNCTION odr_defects_send(odr_defects) IS 'Binary output of odr_defects';

-- Equality, hashing and a (bitwise) sort order, so that verdicts can be
-- grouped, compared, made DISTINCT and indexed.
CREATE FUNCTION odr_defects_eq(odr_defects, odr_defects) RETURNS boolean
	AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_ne(odr_defects, odr_defects) RETURNS boolean
	AS 'int4ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_lt(odr_defects, odr_defects) RETURNS boolean
	AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_le(odr_defects, odr_defects) RETURNS boolean
	AS 'int4le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_gt(odr_defects, odr_defects) RETURNS boolean
	AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_ge(odr_defects, odr_defects) RETURNS boolean
	AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_cmp(odr_defects, odr_defects) RETURNS integer
	AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_defects_hash(odr_defects) RETURNS integer
	AS 'hashint4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION odr_defects_eq(odr_defects, odr_defects) IS 'Same verdict';
COMMENT ON FUNCTION odr_defects_ne(odr_defects, odr_defects) IS 'Different verdicts';
COMMENT ON FUNCTION odr_defects_lt(odr_defects, odr_defects) IS 'Sort order of verdicts (by their packed bits)';
COMMENT ON FUNCTION odr_defects_le(odr_defects, odr_defects) IS 'Sort order of verdicts (by their packed bits)';
COMMENT ON FUNCTION odr_defects_gt(odr_defects, odr_defects) IS 'Sort order of verdicts (by their packed bits)';
COMMENT ON FUNCTION odr_defects_ge(odr_defects, odr_defects) IS 'Sort order of verdicts (by their packed bits)';
COMMENT ON FUNCTION odr_defects_cmp(odr_defects, odr_defects) IS 'btree support: compare two verdicts';
COMMENT ON FUNCTION odr_defects_hash(odr_defects) IS 'hash support for odr_defects';

CREATE OPERATOR = (LEFTARG = odr_defects, RIGHTARG = odr_defects, FUNCTION = odr_defects_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = odr_defects, RIGHTARG = odr_defects, FUNCTION = odr_defects_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = odr_defects, RIGHTARG = odr_defects, FUNCTION = odr_defects_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = odr_defects, RIGHTARG = odr_defects, FUNCTION = odr_defects_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = odr_defects, RIGHTARG = odr_defects, FUNCTION = odr_defects_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = odr_defects, RIGHTARG = odr_defects, FUNCTION = odr_defects_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS odr_defects_ops DEFAULT FOR TYPE odr_defects USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 odr_defects_cmp(odr_defects, odr_defects);
CREATE OPERATOR CLASS odr_defects_hash_ops DEFAULT FOR TYPE odr_defects USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 odr_defects_hash(odr_defects);

-- ---------------------------------------------------------------------
-- Judging orders
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_classify(
	feedback_stars integer DEFAULT NULL,
	dsr_item integer DEFAULT NULL,
	dsr_communication integer DEFAULT NULL,
	dsr_shipping integer DEFAULT NULL,
	unshipped boolean DEFAULT false,
	arbitration boolean DEFAULT false,
	dispute_timeout boolean DEFAULT false,
	not_received_closed boolean DEFAULT false,
	arbitration_seller_responsible boolean DEFAULT false,
	order_amount_usd numeric DEFAULT NULL)
RETURNS odr_defects
	AS 'MODULE_PATHNAME', 'odr_classify' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION odr_classify(integer, integer, integer, integer, boolean, boolean, boolean, boolean, boolean, numeric) IS
	'Judge one order (A5-A14): overall rating <= 3, DSR item <= 3, DSR communication <= 3, DSR shipping = 1, unshipped, arbitration, dispute timeout; ratings ignored once a not-received dispute closed (A13). NULL means no such rating or event.';

CREATE FUNCTION odr_is_defective(odr_defects) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_defects_is_defective_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_is_defective(odr_defects) IS
	'True when the order has at least one defect reason (A12: it counts once)';

CREATE FUNCTION odr_has_reason(defects odr_defects, reason text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_defects_has_reason' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_has_reason(odr_defects, text) IS
	'True when the verdict has the named reason (negative_feedback, dsr_item, dsr_communication, dsr_shipping, unshipped, arbitration, dispute_timeout)';

CREATE FUNCTION odr_reasons(odr_defects) RETURNS text[]
	AS 'MODULE_PATHNAME', 'odr_defects_reasons' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_reasons(odr_defects) IS 'The reasons of a verdict as a text array, in canonical order';

CREATE FUNCTION odr_reason_names() RETURNS text[]
	AS 'MODULE_PATHNAME', 'odr_reason_names_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_reason_names() IS 'Every defect reason odr knows (A5-A11), in canonical order';

CREATE FUNCTION odr_rating(defects odr_defects, dimension text) RETURNS integer
	AS 'MODULE_PATHNAME', 'odr_defects_rating_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_rating(odr_defects, text) IS
	'The counted stars of one rating (feedback, item, communication, shipping), NULL when none counts';

CREATE FUNCTION odr_dispute_timed_out(
	opened_at timestamptz,
	seller_responded_at timestamptz,
	closed_at timestamptz,
	response_days integer DEFAULT 5)
RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_dispute_timed_out_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_dispute_timed_out(timestamptz, timestamptz, timestamptz, integer) IS
	'A11: the seller did not respond within response_days (24-hour days) of opened_at and the dispute ended at or after that deadline. NULL opened_at means no dispute.';

CREATE FUNCTION odr_unshipped(
	ship_deadline timestamptz,
	shipped_at timestamptz,
	as_of timestamptz)
RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_unshipped_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_unshipped(timestamptz, timestamptz, timestamptz) IS
	'A9: as of as_of the shipping deadline has passed with no shipment by the deadline (a shipment after it counts as none). NULL ship_deadline means nothing to ship.';

-- ---------------------------------------------------------------------
-- odr_summary: counts over a set of orders (A12, A15, A16)
-- ---------------------------------------------------------------------

CREATE TYPE odr_summary;

CREATE FUNCTION odr_summary_in(cstring) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_summary_out(odr_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_summary_recv(internal) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_summary_send(odr_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE odr_summary (
	INPUT = odr_summary_in,
	OUTPUT = odr_summary_out,
	RECEIVE = odr_summary_recv,
	SEND = odr_summary_send,
	INTERNALLENGTH = 152,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE odr_summary IS
	'Counts over a set of orders: assessed orders, defective orders (A12), each reason, and the companion counts of A16. Fixed size (152 bytes): stored in tables and materialised views, merged with odr_rollup.';
COMMENT ON FUNCTION odr_summary_in(cstring) IS 'Text input of odr_summary (validated)';
COMMENT ON FUNCTION odr_summary_out(odr_summary) IS 'Text output of odr_summary';
COMMENT ON FUNCTION odr_summary_recv(internal) IS 'Binary input of odr_summary (validated as text input is)';
COMMENT ON FUNCTION odr_summary_send(odr_summary) IS 'Binary output of odr_summary (version, flags, 18 counts)';

CREATE FUNCTION odr_summary_eq(odr_summary, odr_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_ne(odr_summary, odr_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_lt(odr_summary, odr_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_le(odr_summary, odr_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_gt(odr_summary, odr_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_ge(odr_summary, odr_summary) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_cmp(odr_summary, odr_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION odr_summary_hash(odr_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION odr_summary_eq(odr_summary, odr_summary) IS 'Same counts';
COMMENT ON FUNCTION odr_summary_ne(odr_summary, odr_summary) IS 'Different counts';
COMMENT ON FUNCTION odr_summary_lt(odr_summary, odr_summary) IS 'Sort order of summaries (count by count, in text order)';
COMMENT ON FUNCTION odr_summary_le(odr_summary, odr_summary) IS 'Sort order of summaries (count by count, in text order)';
COMMENT ON FUNCTION odr_summary_gt(odr_summary, odr_summary) IS 'Sort order of summaries (count by count, in text order)';
COMMENT ON FUNCTION odr_summary_ge(odr_summary, odr_summary) IS 'Sort order of summaries (count by count, in text order)';
COMMENT ON FUNCTION odr_summary_cmp(odr_summary, odr_summary) IS 'btree support: compare two summaries';
COMMENT ON FUNCTION odr_summary_hash(odr_summary) IS 'hash support for odr_summary';

CREATE OPERATOR = (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS odr_summary_ops DEFAULT FOR TYPE odr_summary USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 odr_summary_cmp(odr_summary, odr_summary);
CREATE OPERATOR CLASS odr_summary_hash_ops DEFAULT FOR TYPE odr_summary USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 odr_summary_hash(odr_summary);

-- Arithmetic
CREATE FUNCTION odr_summary_plus(odr_summary, odr_summary) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_summary_minus(odr_summary, odr_summary) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_summary_plus(odr_summary, odr_summary) IS 'The summary of both sets of orders';
COMMENT ON FUNCTION odr_summary_minus(odr_summary, odr_summary) IS 'The summary of the left orders without the right ones (the right must be part of the left)';
CREATE OPERATOR + (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_plus, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = odr_summary, RIGHTARG = odr_summary, FUNCTION = odr_summary_minus);

CREATE FUNCTION odr_summary_of(odr_defects) RETURNS odr_summary
	AS 'MODULE_PATHNAME', 'odr_summary_from_defects' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_summary_of(odr_defects) IS 'The summary of a single order';

CREATE FUNCTION odr_summary_jsonb(odr_summary) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_summary_jsonb(odr_summary) IS 'Every count and derived rate of a summary as a JSON object';
CREATE CAST (odr_summary AS jsonb) WITH FUNCTION odr_summary_jsonb(odr_summary);
COMMENT ON CAST (odr_summary AS jsonb) IS 'Every count and derived rate of a summary as a JSON object';

-- ---------------------------------------------------------------------
-- Aggregates
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_agg_transfn(odr_summary, odr_defects) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_agg_invfn(odr_summary, odr_defects) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_rollup_transfn(odr_summary, odr_summary) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_rollup_invfn(odr_summary, odr_summary) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_summary_finalfn(odr_summary) RETURNS odr_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION odr_agg_transfn(odr_summary, odr_defects) IS 'odr_agg transition: count one order';
COMMENT ON FUNCTION odr_agg_invfn(odr_summary, odr_defects) IS 'odr_agg inverse transition: an order leaves a moving window';
COMMENT ON FUNCTION odr_rollup_transfn(odr_summary, odr_summary) IS 'odr_rollup transition and the combine function of odr_agg and odr_rollup';
COMMENT ON FUNCTION odr_rollup_invfn(odr_summary, odr_summary) IS 'odr_rollup inverse transition: a summary leaves a moving window';
COMMENT ON FUNCTION odr_summary_finalfn(odr_summary) IS 'Final function of odr_agg and odr_rollup (hands out a copy of the state)';

CREATE AGGREGATE odr_agg(odr_defects) (
	SFUNC = odr_agg_transfn,
	STYPE = odr_summary,
	INITCOND = '()',
	FINALFUNC = odr_summary_finalfn,
	COMBINEFUNC = odr_rollup_transfn,
	MSFUNC = odr_agg_transfn,
	MINVFUNC = odr_agg_invfn,
	MSTYPE = odr_summary,
	MINITCOND = '()',
	MFINALFUNC = odr_summary_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg(odr_defects) IS
	'Summarise the verdicts of a set of orders into an odr_summary (A12, A15, A16); NULL verdicts are not counted. Parallel, and O(1) per row in sliding windows.';

CREATE AGGREGATE odr_rollup(odr_summary) (
	SFUNC = odr_rollup_transfn,
	STYPE = odr_summary,
	INITCOND = '()',
	FINALFUNC = odr_summary_finalfn,
	COMBINEFUNC = odr_rollup_transfn,
	MSFUNC = odr_rollup_transfn,
	MINVFUNC = odr_rollup_invfn,
	MSTYPE = odr_summary,
	MINITCOND = '()',
	MFINALFUNC = odr_summary_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_rollup(odr_summary) IS
	'Merge summaries (per day, per shard, ...) into one; equal to odr_agg over all their orders. Parallel, and O(1) per row in sliding windows.';

-- ---------------------------------------------------------------------
-- Reading a summary: plain numbers
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_orders(odr_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'odr_summary_orders' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_orders(odr_summary) IS 'Assessed orders (the ODR denominator, A15)';

CREATE FUNCTION odr_defective(odr_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'odr_summary_defective' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_defective(odr_summary) IS 'Defective orders, each counted once (A12)';

CREATE FUNCTION odr_rate(odr_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_rate(odr_summary) IS 'Order defect rate = defective / orders; NULL when there are no orders (A15)';

CREATE FUNCTION odr_reason_count(s odr_summary, reason text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'odr_summary_reason_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_reason_count(odr_summary, text) IS
	'Orders with the named reason; an order with several reasons counts under each (A12)';

CREATE FUNCTION odr_count(s odr_summary, name text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'odr_summary_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_count(odr_summary, text) IS
	'Any count of a summary by its name in the text form (orders, defective, a reason, seller_responsible, rated, positive, dsr_item_sum, dsr_item_ratings, ...)';

CREATE FUNCTION odr_metric(s odr_summary, metric text) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_metric_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_metric(odr_summary, text) IS
	'A metric by name (odr, orders, defective, seller_responsible_arbitration_rate, positive_feedback_rate, dsr_item_avg, dsr_communication_avg, dsr_shipping_avg); NULL when undefined';

CREATE FUNCTION odr_seller_responsible_rate(odr_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_seller_resp_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_seller_responsible_rate(odr_summary) IS
	'A16: orders whose arbitration was ruled against the seller / assessed orders; NULL with no orders';

CREATE FUNCTION odr_positive_feedback_rate(odr_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_positive_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_positive_feedback_rate(odr_summary) IS
	'A16: ratings of 4-5 stars / counted ratings (orders under US$5 and A13 orders left out); NULL with no counted rating';

CREATE FUNCTION odr_dsr_item_avg(odr_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_dsr_item_avg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_dsr_item_avg(odr_summary) IS 'A16: store average of the DSR "item as described"; NULL with no rating';

CREATE FUNCTION odr_dsr_communication_avg(odr_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_dsr_communication_avg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_dsr_communication_avg(odr_summary) IS 'A16: store average of the DSR "communication"; NULL with no rating';

CREATE FUNCTION odr_dsr_shipping_avg(odr_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'odr_summary_dsr_shipping_avg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_dsr_shipping_avg(odr_summary) IS 'A16: store average of the DSR "shipping speed"; NULL with no rating';

CREATE FUNCTION odr_reason_breakdown(s odr_summary)
RETURNS TABLE (reason text, orders bigint, share_of_orders double precision, share_of_defective double precision)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT r.name,
	       @extschema@.odr_reason_count(s, r.name),
	       CASE WHEN @extschema@.odr_orders(s) OPERATOR(pg_catalog.>) 0::bigint
	            THEN @extschema@.odr_reason_count(s, r.name)::double precision
	                 OPERATOR(pg_catalog./) @extschema@.odr_orders(s)::double precision END,
	       CASE WHEN @extschema@.odr_defective(s) OPERATOR(pg_catalog.>) 0::bigint
	            THEN @extschema@.odr_reason_count(s, r.name)::double precision
	                 OPERATOR(pg_catalog./) @extschema@.odr_defective(s)::double precision END
	FROM pg_catalog.unnest(@extschema@.odr_reason_names()) WITH ORDINALITY AS r(name, position)
	ORDER BY r.position;
END;
COMMENT ON FUNCTION odr_reason_breakdown(odr_summary) IS
	'A18: one row per reason with its count and its share of all orders and of defective orders (an order with several reasons counts under each)';

-- ---------------------------------------------------------------------
-- Tiers and policies (A4, A17, A18)
-- ---------------------------------------------------------------------

CREATE TYPE odr_tier AS ENUM ('unassessed', 'fail', 'pass', 'good', 'excellent');
COMMENT ON TYPE odr_tier IS
	'Seller service level (A17), ordered unassessed < fail < pass < good < excellent; unassessed = too few orders (A4)';

CREATE TABLE odr_policy (
	name text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	description text NOT NULL DEFAULT '',
	min_orders integer NOT NULL DEFAULT 90 CHECK (min_orders OPERATOR(pg_catalog.>=) 0),
	window_days integer NOT NULL DEFAULT 90 CHECK (window_days OPERATOR(pg_catalog.>) 0),
	excellent_below double precision NOT NULL,
	good_below double precision NOT NULL,
	pass_below double precision NOT NULL,
	builtin boolean NOT NULL DEFAULT false,
	CONSTRAINT odr_policy_cutoffs_ordered CHECK (
		0::double precision OPERATOR(pg_catalog.<=) excellent_below
		AND excellent_below OPERATOR(pg_catalog.<=) good_below
		AND good_below OPERATOR(pg_catalog.<=) pass_below
		AND pass_below OPERATOR(pg_catalog.<=) 1::double precision)
);
COMMENT ON TABLE odr_policy IS
	'Tier policies: the minimum volume (A4) and the ODR cut-offs (A17). A rate strictly below a cut-off reaches the tier. Built-in rows are read-only; add your own and name it, or SET odr.default_policy.';
COMMENT ON COLUMN odr_policy.name IS 'Policy name, passed to odr_tier(s, policy)';
COMMENT ON COLUMN odr_policy.description IS 'What the policy is and where its numbers come from';
COMMENT ON COLUMN odr_policy.min_orders IS 'A4: sellers with fewer assessed orders are unassessed';
COMMENT ON COLUMN odr_policy.window_days IS 'A1: the assessment covers the window_days days ending on the assessment date (used by odr_report)';
COMMENT ON COLUMN odr_policy.excellent_below IS 'A17: ODR strictly below this is excellent';
COMMENT ON COLUMN odr_policy.good_below IS 'A17: ODR strictly below this is good';
COMMENT ON COLUMN odr_policy.pass_below IS 'A17: ODR strictly below this is pass; from here up, fail';
COMMENT ON COLUMN odr_policy.builtin IS 'Shipped with odr (read-only, recreated by CREATE EXTENSION, not dumped)';

INSERT INTO odr_policy (name, description, min_orders, excellent_below, good_below, pass_below, builtin)
VALUES ('aliexpress',
        'AliExpress seller service level, 90-day window (A1, A4, A17 defaults): excellent < 3%, good < 6%, pass < 12%, at least 90 orders',
        90, 0.03, 0.06, 0.12, true);

CREATE TABLE odr_policy_condition (
	policy text NOT NULL REFERENCES odr_policy (name) ON UPDATE CASCADE ON DELETE CASCADE,
	tier odr_tier NOT NULL CHECK (tier OPERATOR(pg_catalog.>=) 'pass'::@extschema@.odr_tier),
	metric text NOT NULL CHECK (metric OPERATOR(pg_catalog.=) ANY ('{odr,orders,defective,seller_responsible_arbitration_rate,positive_feedback_rate,dsr_item_avg,dsr_communication_avg,dsr_shipping_avg}'::text[])),
	bound text NOT NULL CHECK (bound OPERATOR(pg_catalog.=) ANY ('{max,min}'::text[])),
	value double precision NOT NULL CHECK (value OPERATOR(pg_catalog.>) '-Infinity'::double precision
		AND value OPERATOR(pg_catalog.<) 'Infinity'::double precision),
	PRIMARY KEY (policy, tier, metric, bound)
);
COMMENT ON TABLE odr_policy_condition IS
	'Extra conditions of a policy (A17): to reach a tier (or any tier above it) the metric must be <= value (max) or >= value (min). An undefined metric (no ratings) does not block.';
COMMENT ON COLUMN odr_policy_condition.policy IS 'The policy the condition belongs to';
COMMENT ON COLUMN odr_policy_condition.tier IS 'The lowest tier the condition guards (pass, good or excellent)';
COMMENT ON COLUMN odr_policy_condition.metric IS 'A metric name, as odr_metric() takes it';
COMMENT ON COLUMN odr_policy_condition.bound IS 'max: metric <= value; min: metric >= value';
COMMENT ON COLUMN odr_policy_condition.value IS 'The bound';

CREATE FUNCTION odr_policy_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
		RAISE EXCEPTION 'built-in policy "%" cannot be changed', OLD.name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add a policy of your own under another name, and pass it to odr_tier() or SET odr.default_policy to it.';
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.builtin THEN
		RAISE EXCEPTION 'policy "%" cannot be marked built-in', NEW.name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Only policies shipped with odr are built in.';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION odr_policy_guard() IS 'Keeps built-in policies read-only';
CREATE TRIGGER odr_policy_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_policy
	FOR EACH ROW EXECUTE FUNCTION odr_policy_guard();

CREATE FUNCTION odr_policy_condition_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	lo double precision;
	hi double precision;
BEGIN
	IF EXISTS (SELECT 1 FROM @extschema@.odr_policy p
	           WHERE p.builtin
	             AND p.name IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.policy END,
	                            CASE WHEN TG_OP <> 'INSERT' THEN OLD.policy END)) THEN
		RAISE EXCEPTION 'conditions of a built-in policy cannot be changed'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add a policy of your own under another name and give it conditions.';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	-- a condition no seller can meet would make its tier (and every tier
	-- above) silently unreachable: each metric's values lie in a range
	SELECT r.lo, r.hi INTO lo, hi
	FROM (VALUES ('odr', 0::float8, 1::float8),
	             ('seller_responsible_arbitration_rate', 0, 1),
	             ('positive_feedback_rate', 0, 1),
	             ('orders', 0, 'Infinity'),
	             ('defective', 0, 'Infinity'),
	             ('dsr_item_avg', 1, 5),
	             ('dsr_communication_avg', 1, 5),
	             ('dsr_shipping_avg', 1, 5)) AS r(metric, lo, hi)
	WHERE r.metric = NEW.metric;
	IF (NEW.bound = 'max' AND NEW.value < lo) OR (NEW.bound = 'min' AND NEW.value > hi) THEN
		RAISE EXCEPTION 'condition % % % on tier % of policy "%" can never hold', NEW.metric,
			CASE NEW.bound WHEN 'max' THEN '<=' ELSE '>=' END, NEW.value, NEW.tier, NEW.policy
			USING ERRCODE = 'check_violation',
			      DETAIL = format('%s lies between %s and %s, so the tier %s and every tier above it could never be reached.',
			                      NEW.metric, lo, hi, NEW.tier),
			      HINT = 'A rate is a share between 0 and 1 (0.02 for 2%); a count is at least 0; a DSR average lies between 1 and 5.';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION odr_policy_condition_guard() IS 'Keeps the conditions of built-in policies read-only, and refuses a condition that can never hold (outside the metric''s range)';
CREATE TRIGGER odr_policy_condition_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_policy_condition
	FOR EACH ROW EXECUTE FUNCTION odr_policy_condition_guard();

-- User policies survive pg_dump / restore; built-in ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('odr_policy', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('odr_policy_condition', '');

GRANT SELECT ON odr_policy, odr_policy_condition TO PUBLIC;

-- TRUNCATE skips row triggers: refuse it while built-in policies are there
-- (delete user policies with DELETE ... WHERE NOT builtin instead).
CREATE FUNCTION odr_policy_truncate_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM @extschema@.odr_policy p WHERE p.builtin) THEN
		RAISE EXCEPTION 'cannot truncate %: it holds built-in policies', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Delete user policies with DELETE FROM odr_policy WHERE NOT builtin (their conditions go with them).';
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION odr_policy_truncate_guard() IS 'Keeps TRUNCATE from removing the built-in policies and their conditions';
CREATE TRIGGER odr_policy_truncate_guard BEFORE TRUNCATE ON odr_policy
	FOR EACH STATEMENT EXECUTE FUNCTION odr_policy_truncate_guard();
CREATE TRIGGER odr_policy_condition_truncate_guard BEFORE TRUNCATE ON odr_policy_condition
	FOR EACH STATEMENT EXECUTE FUNCTION odr_policy_truncate_guard();

-- The role that ran CREATE EXTENSION may write its own policies.  When odr is
-- installed as a trusted extension by a non-superuser, the tables belong to
-- the bootstrap superuser; this grant lets the installing role (the
-- extension's owner) add and change user policies; built-in rows stay
-- read-only through the guards above.
GRANT INSERT, UPDATE, DELETE ON odr_policy, odr_policy_condition TO @extowner@;

CREATE FUNCTION odr_default_policy() RETURNS text
	AS 'MODULE_PATHNAME', 'odr_default_policy_fn' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_default_policy() IS 'The policy used when none is named: the setting odr.default_policy (default aliexpress)';

CREATE FUNCTION odr_tier(s odr_summary) RETURNS odr_tier
	AS 'MODULE_PATHNAME', 'odr_tier_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_tier(odr_summary) IS
	'The tier under odr.default_policy (A4, A17): unassessed below the minimum volume, else the best tier whose cut-off the ODR is strictly below and whose conditions hold';

CREATE FUNCTION odr_tier(s odr_summary, policy text) RETURNS odr_tier
	AS 'MODULE_PATHNAME', 'odr_tier_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_tier(odr_summary, text) IS
	'The tier under the named policy of odr_policy (A4, A17)';

CREATE TYPE odr_next_tier AS (next_tier odr_tier, more_orders bigint, fewer_defects bigint);
COMMENT ON TYPE odr_next_tier IS
	'A18: the tier above the seller''s, the fewest extra defect-free orders that reach it, and the fewest defective orders that would have had to be defect-free (NULL when no number does)';

CREATE FUNCTION odr_to_next_tier(s odr_summary) RETURNS odr_next_tier
	AS 'MODULE_PATHNAME', 'odr_to_next_tier_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_to_next_tier(odr_summary) IS
	'A18: distance to the next tier under odr.default_policy; NULL at excellent';

CREATE FUNCTION odr_to_next_tier(s odr_summary, policy text) RETURNS odr_next_tier
	AS 'MODULE_PATHNAME', 'odr_to_next_tier_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_to_next_tier(odr_summary, text) IS
	'A18: distance to the next tier under the named policy; NULL at excellent';

CREATE FUNCTION odr_scorecard(
	s odr_summary,
	policy text DEFAULT NULL,
	OUT orders bigint,
	OUT defective bigint,
	OUT odr double precision,
	OUT tier text,
	OUT next_tier text,
	OUT more_orders_to_next bigint,
	OUT fewer_defects_to_next bigint,
	OUT negative_feedback bigint,
	OUT dsr_item bigint,
	OUT dsr_communication bigint,
	OUT dsr_shipping bigint,
	OUT unshipped bigint,
	OUT arbitration bigint,
	OUT dispute_timeout bigint,
	OUT seller_responsible_arbitration_rate double precision,
	OUT positive_feedback_rate double precision,
	OUT dsr_item_avg double precision,
	OUT dsr_communication_avg double precision,
	OUT dsr_shipping_avg double precision,
	OUT policy_name text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.odr_orders(s), @extschema@.odr_defective(s), @extschema@.odr_rate(s),
	       @extschema@.odr_tier(s, p.name)::text,
	       (n.d).next_tier::text, (n.d).more_orders, (n.d).fewer_defects,
	       @extschema@.odr_reason_count(s, 'negative_feedback'::text), @extschema@.odr_reason_count(s, 'dsr_item'::text),
	       @extschema@.odr_reason_count(s, 'dsr_communication'::text), @extschema@.odr_reason_count(s, 'dsr_shipping'::text),
	       @extschema@.odr_reason_count(s, 'unshipped'::text), @extschema@.odr_reason_count(s, 'arbitration'::text),
	       @extschema@.odr_reason_count(s, 'dispute_timeout'::text),
	       @extschema@.odr_seller_responsible_rate(s), @extschema@.odr_positive_feedback_rate(s),
	       @extschema@.odr_dsr_item_avg(s), @extschema@.odr_dsr_communication_avg(s), @extschema@.odr_dsr_shipping_avg(s),
	       p.name
	FROM (SELECT COALESCE(policy, @extschema@.odr_default_policy()) AS name) AS p,
	     LATERAL (SELECT @extschema@.odr_to_next_tier(s, p.name) AS d) AS n
	WHERE s IS NOT NULL;
END;
COMMENT ON FUNCTION odr_scorecard(odr_summary, text) IS
	'One row of plain columns for BI tools: orders, defective, ODR, tier, distance to the next tier (A18), each reason''s count and the companion metrics (A16). A NULL policy means odr.default_policy.';

-- ---------------------------------------------------------------------
-- Assessment calendar (A1, A2)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_month_ends("from" date, "to" date) RETURNS SETOF date
	AS 'MODULE_PATHNAME', 'odr_month_ends' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION odr_month_ends(date, date) IS
	'A2: every month''s last day between from and to, inclusive (leap years included)';

CREATE FUNCTION odr_window(as_of date, days integer DEFAULT 90) RETURNS daterange
	AS 'MODULE_PATHNAME', 'odr_window' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_window(date, integer) IS
	'A1: the days days ending on as_of, inclusive: [as_of - days + 1, as_of]';

CREATE FUNCTION odr_next_assessment(d date) RETURNS date
	AS 'MODULE_PATHNAME', 'odr_next_assessment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_next_assessment(date) IS 'A2: the month end on or after d';

CREATE FUNCTION odr_last_assessment(d date) RETURNS date
	AS 'MODULE_PATHNAME', 'odr_last_assessment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_last_assessment(date) IS 'A2: the month end on or before d';

CREATE FUNCTION odr_assessment_windows("from" date, "to" date, days integer DEFAULT 90)
RETURNS TABLE (as_of date, window_start date, window_end date)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 12
BEGIN ATOMIC
	SELECT m, pg_catalog.lower(w), pg_catalog.upper(w) OPERATOR(pg_catalog.-) 1
	FROM @extschema@.odr_month_ends("from", "to") AS m, @extschema@.odr_window(m, days) AS w
	ORDER BY m;
END;
COMMENT ON FUNCTION odr_assessment_windows(date, date, integer) IS
	'A1, A2: one row per month end between from and to with the first and last day of its window; join orders or per-day summaries to it';

CREATE FUNCTION odr_assessment_segment(day date, days integer DEFAULT 90) RETURNS daterange
	AS 'MODULE_PATHNAME', 'odr_assessment_segment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assessment_segment(date, integer) IS
	'A1, A2: the run of days around day that lie in exactly the same month-end windows of days days (runs break at the first of each month and at the first day of each window); per-day summaries rolled up by run give the same month-end assessments from fewer rows';

-- ---------------------------------------------------------------------
-- Projection: the coming month end over the orders known so far (A2, M2)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_projection_windows(as_of date, days integer DEFAULT 90)
RETURNS TABLE (current_as_of date, current_from date,
               projected_as_of date, projected_from date,
               leaving_from date, leaving_to date,
               entering_from date, entering_to date)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 1
BEGIN ATOMIC
	SELECT c.d, pg_catalog.lower(cw), n.d, pg_catalog.lower(nw),
	       pg_catalog.lower(cw),
	       LEAST(pg_catalog.upper(cw) OPERATOR(pg_catalog.-) 1, pg_catalog.lower(nw) OPERATOR(pg_catalog.-) 1),
	       GREATEST(pg_catalog.lower(nw), c.d OPERATOR(pg_catalog.+) 1), as_of
	FROM (SELECT @extschema@.odr_last_assessment(as_of) AS d) AS c,
	     (SELECT @extschema@.odr_next_assessment(as_of OPERATOR(pg_catalog.+) 1) AS d) AS n,
	     @extschema@.odr_window(c.d, days) AS cw,
	     @extschema@.odr_window(n.d, days) AS nw;
END;
COMMENT ON FUNCTION odr_projection_windows(date, integer) IS
	'A2, M2: for a day as_of, the current assessment (the last month end on or before it), the projected one (the next month end after it), the days whose orders leave the window by then and the days, up to as_of, whose orders enter it. An empty range has its from after its to.';

CREATE FUNCTION odr_projection(
	current_summary odr_summary,
	leaving odr_summary,
	entering odr_summary,
	policy text DEFAULT NULL,
	OUT current_orders bigint,
	OUT current_odr double precision,
	OUT current_tier text,
	OUT projected_orders bigint,
	OUT projected_odr double precision,
	OUT projected_tier text,
	OUT tier_change text,
	OUT orders_leaving bigint,
	OUT defects_leaving bigint,
	OUT orders_entering bigint,
	OUT defects_entering bigint,
	OUT projected_next_tier text,
	OUT projected_more_orders bigint,
	OUT projected_fewer_defects bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.odr_orders(current_summary), @extschema@.odr_rate(current_summary), ct::text,
	       @extschema@.odr_orders(p.s), @extschema@.odr_rate(p.s), pt::text,
	       CASE WHEN pt OPERATOR(pg_catalog.>) ct THEN 'up'
	            WHEN pt OPERATOR(pg_catalog.<) ct THEN 'down' ELSE 'same' END,
	       @extschema@.odr_orders(leaving), @extschema@.odr_defective(leaving),
	       @extschema@.odr_orders(entering), @extschema@.odr_defective(entering),
	       (nx.d).next_tier::text, (nx.d).more_orders, (nx.d).fewer_defects
	FROM (SELECT COALESCE(policy, @extschema@.odr_default_policy()) AS name) AS pol,
	     LATERAL (SELECT current_summary OPERATOR(@extschema@.-) leaving OPERATOR(@extschema@.+) entering AS s) AS p,
	     LATERAL @extschema@.odr_tier(current_summary, pol.name) AS ct,
	     LATERAL @extschema@.odr_tier(p.s, pol.name) AS pt,
	     LATERAL (SELECT @extschema@.odr_to_next_tier(p.s, pol.name) AS d) AS nx
	WHERE current_summary IS NOT NULL AND leaving IS NOT NULL AND entering IS NOT NULL;
END;
COMMENT ON FUNCTION odr_projection(odr_summary, odr_summary, odr_summary, text) IS
	'A2, M2: the current month-end result next to the projected one (current - leaving + entering) as plain columns: both tiers, the change, the orders and defects that leave and enter, and the projected distance to the next tier (A18)';

-- ---------------------------------------------------------------------
-- Account-health style JSON report
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_report(s odr_summary, as_of date, policy text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_object(
	           'metric', 'order_defect_rate',
	           'policy', pol.name,
	           'reporting_date_range', pg_catalog.jsonb_build_object(
	               'from', pg_catalog.lower(w), 'to', pg_catalog.upper(w) OPERATOR(pg_catalog.-) 1, 'days', p.window_days),
	           'order_count', @extschema@.odr_orders(s),
	           'minimum_order_count', p.min_orders,
	           'orders_with_defects', pg_catalog.jsonb_build_object(
	               'count', @extschema@.odr_defective(s), 'rate', @extschema@.odr_rate(s)),
	           'defect_components', (
	               SELECT pg_catalog.jsonb_object_agg(b.reason, pg_catalog.jsonb_build_object(
	                          'count', b.orders, 'rate', b.share_of_orders))
	               FROM @extschema@.odr_reason_breakdown(s) AS b),
	           'rate', @extschema@.odr_rate(s),
	           'target_value', p.pass_below,
	           'target_condition', 'LESS_THAN',
	           'status', CASE WHEN t OPERATOR(pg_catalog.=) 'unassessed'::@extschema@.odr_tier THEN 'NONE'
	                          WHEN t OPERATOR(pg_catalog.>=) 'pass'::@extschema@.odr_tier THEN 'GOOD' ELSE 'BAD' END,
	           'tier', t,
	           'tier_cutoffs', pg_catalog.jsonb_build_object(
	               'excellent_below', p.excellent_below, 'good_below', p.good_below,
	               'pass_below', p.pass_below),
	           'next_tier', CASE WHEN nx.d IS NULL THEN NULL ELSE pg_catalog.jsonb_build_object(
	               'tier', (nx.d).next_tier, 'more_orders', (nx.d).more_orders,
	               'fewer_defects', (nx.d).fewer_defects) END,
	           'companion_metrics', pg_catalog.jsonb_build_object(
	               'seller_responsible_arbitration_rate', @extschema@.odr_seller_responsible_rate(s),
	               'positive_feedback_rate', @extschema@.odr_positive_feedback_rate(s),
	               'dsr_item_avg', @extschema@.odr_dsr_item_avg(s),
	               'dsr_communication_avg', @extschema@.odr_dsr_communication_avg(s),
	               'dsr_shipping_avg', @extschema@.odr_dsr_shipping_avg(s)))
	FROM (SELECT COALESCE(policy, @extschema@.odr_default_policy()) AS name) AS pol,
	     LATERAL @extschema@.odr_tier(s, pol.name) AS t,
	     LATERAL (SELECT @extschema@.odr_to_next_tier(s, pol.name) AS d) AS nx,
	     @extschema@.odr_policy AS p,
	     LATERAL @extschema@.odr_window(as_of, p.window_days) AS w
	WHERE p.name OPERATOR(pg_catalog.=) pol.name AND s IS NOT NULL AND as_of IS NOT NULL;
END;
COMMENT ON FUNCTION odr_report(odr_summary, date, text) IS
	'An account-health style report of one assessment as jsonb: reporting date range, order count, orders with defects, each defect component, rate, target value and condition, status (GOOD / BAD / NONE), tier, next tier, companion metrics';

-- ---------------------------------------------------------------------
-- The warehouse path: a per-(seller, day) materialised view and the views
-- on top of it (month ends, daily history, tier changes, scorecard,
-- projection)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_create_warehouse(
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
COMMENT ON FUNCTION odr_create_warehouse(regclass, name, name, name, text, integer, text, text, boolean) IS
	'Create, in the schema of source, a materialised view <prefix>daily of one odr_summary per (seller, day) (a timestamptz day column is read in time_zone, by default the session''s TimeZone, fixed into the view), a materialised view <prefix>segments of those rolled up per run of days in the same month-end windows (both with unique indexes: REFRESH ... CONCURRENTLY works; odr_refresh_warehouse refreshes both in order), and the views <prefix>month_end (from the runs), <prefix>daily_history, <prefix>tier_changes, <prefix>scorecard and <prefix>projection. With incremental => true, <prefix>daily and <prefix>segments are tables kept from the changes that triggers on the source''s table log in <prefix>changes (odr_refresh_warehouse recomputes only the touched rows), and <prefix>daily_live and <prefix>now read the current results without a refresh. Returns the objects created.';

CREATE FUNCTION odr_refresh_warehouse(daily regclass, concurrently boolean DEFAULT true)
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

COMMENT ON FUNCTION odr_refresh_warehouse(regclass, boolean) IS
	'Refresh a warehouse: the per-day materialised view daily, then every materialised view of daily''s owner built on it (<prefix>segments and the owner''s own), in dependency order, CONCURRENTLY by default so readers are never blocked; views of other roles are neither followed nor refreshed. For an incremental warehouse (daily a table; only its owner may refresh it), recompute only the (seller, day) rows and runs touched by the changes logged since the last refresh, one refresh at a time. Returns the relations refreshed, in order.';

-- ---------------------------------------------------------------------
-- Assessing at many dates in one pass (A1, A2)
-- ---------------------------------------------------------------------

CREATE TYPE odr_assessment AS (as_of date, summary odr_summary);
COMMENT ON TYPE odr_assessment IS 'One assessment: the date it ends on and the summary of its window';
-- odr_assessment[] joins odr below, with odr_standing[] (after odr_standing).
COMMENT ON TYPE odr_assessment[] IS 'Assessments in date order, as odr_agg_at and odr_rollup_at return them';

CREATE FUNCTION odr_at_defects_transfn(internal, date, odr_defects, date[], integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_summary_transfn(internal, date, odr_summary, date[], integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_at_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, date, odr_defects, date[], integer) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, date, odr_summary, date[], integer) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_at_defects_transfn(internal, date, odr_defects, date[], integer) IS 'odr_agg_at transition';
COMMENT ON FUNCTION odr_at_summary_transfn(internal, date, odr_summary, date[], integer) IS 'odr_rollup_at transition';
COMMENT ON FUNCTION odr_at_combinefn(internal, internal) IS 'odr_agg_at / odr_rollup_at combine function';
COMMENT ON FUNCTION odr_at_serialfn(internal) IS 'odr_agg_at / odr_rollup_at state serialisation (parallel query)';
COMMENT ON FUNCTION odr_at_deserialfn(bytea, internal) IS 'odr_agg_at / odr_rollup_at state deserialisation (parallel query)';
COMMENT ON FUNCTION odr_at_finalfn(internal, date, odr_defects, date[], integer) IS 'odr_agg_at final function';
COMMENT ON FUNCTION odr_at_finalfn(internal, date, odr_summary, date[], integer) IS 'odr_rollup_at final function';

CREATE AGGREGATE odr_agg_at(day date, defects odr_defects, as_of date[], days integer) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(date, odr_defects, date[], integer) IS
	'A1, A2: the summaries of the windows of days days ending on each as_of date, in one pass over the orders (each order goes to every window holding its day); one odr_assessment per date, in date order';

CREATE AGGREGATE odr_rollup_at(day date, summary odr_summary, as_of date[], days integer) (
	SFUNC = odr_at_summary_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_rollup_at(date, odr_summary, date[], integer) IS
	'A1, A2: odr_agg_at over per-day summaries: every window ending on an as_of date, in one pass; one odr_assessment per date, in date order';

-- ---------------------------------------------------------------------
-- odr_agg_at / odr_rollup_at since the group's first day (0.2.0)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_at_defects_transfn(internal, date, odr_defects, date[], integer, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_summary_transfn(internal, date, odr_summary, date[], integer, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, date, odr_defects, date[], integer, boolean) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, date, odr_summary, date[], integer, boolean) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_at_defects_transfn(internal, date, odr_defects, date[], integer, boolean) IS 'odr_agg_at (since_first_day) transition';
COMMENT ON FUNCTION odr_at_summary_transfn(internal, date, odr_summary, date[], integer, boolean) IS 'odr_rollup_at (since_first_day) transition';
COMMENT ON FUNCTION odr_at_finalfn(internal, date, odr_defects, date[], integer, boolean) IS 'odr_agg_at (since_first_day) final function';
COMMENT ON FUNCTION odr_at_finalfn(internal, date, odr_summary, date[], integer, boolean) IS 'odr_rollup_at (since_first_day) final function';

CREATE AGGREGATE odr_agg_at(day date, defects odr_defects, as_of date[], days integer, since_first_day boolean) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(date, odr_defects, date[], integer, boolean) IS
	'A1, A2: odr_agg_at; with since_first_day true, only the dates on or after the group''s earliest day (a seller''s assessments since it started)';

CREATE AGGREGATE odr_rollup_at(day date, summary odr_summary, as_of date[], days integer, since_first_day boolean) (
	SFUNC = odr_at_summary_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_rollup_at(date, odr_summary, date[], integer, boolean) IS
	'A1, A2: odr_rollup_at; with since_first_day true, only the dates on or after the group''s earliest day (a seller''s assessments since it started)';

-- ---------------------------------------------------------------------
-- odr_agg_at over timestamp and timestamptz days (0.5.0)
-- ---------------------------------------------------------------------
-- A timestamp's day is day::date; a timestamptz's is
-- (day AT TIME ZONE time_zone)::date, with time_zone a name of
-- pg_timezone_names as odr_create_warehouse takes it.  The same C final
-- function and state as the date form.

CREATE FUNCTION odr_at_defects_transfn(internal, timestamp, odr_defects, date[], integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'odr_at_defects_ts_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_defects_transfn(internal, timestamp, odr_defects, date[], integer, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'odr_at_defects_ts_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_defects_transfn(internal, timestamptz, odr_defects, date[], integer, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'odr_at_defects_tstz_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_defects_transfn(internal, timestamptz, odr_defects, date[], integer, text, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'odr_at_defects_tstz_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, timestamp, odr_defects, date[], integer) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME', 'odr_at_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, timestamp, odr_defects, date[], integer, boolean) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME', 'odr_at_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, timestamptz, odr_defects, date[], integer, text) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME', 'odr_at_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_at_finalfn(internal, timestamptz, odr_defects, date[], integer, text, boolean) RETURNS odr_assessment[]
	AS 'MODULE_PATHNAME', 'odr_at_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_at_defects_transfn(internal, timestamp, odr_defects, date[], integer) IS 'odr_agg_at (timestamp day) transition';
COMMENT ON FUNCTION odr_at_defects_transfn(internal, timestamp, odr_defects, date[], integer, boolean) IS 'odr_agg_at (timestamp day, since_first_day) transition';
COMMENT ON FUNCTION odr_at_defects_transfn(internal, timestamptz, odr_defects, date[], integer, text) IS 'odr_agg_at (timestamptz day, time_zone) transition';
COMMENT ON FUNCTION odr_at_defects_transfn(internal, timestamptz, odr_defects, date[], integer, text, boolean) IS 'odr_agg_at (timestamptz day, time_zone, since_first_day) transition';
COMMENT ON FUNCTION odr_at_finalfn(internal, timestamp, odr_defects, date[], integer) IS 'odr_agg_at (timestamp day) final function';
COMMENT ON FUNCTION odr_at_finalfn(internal, timestamp, odr_defects, date[], integer, boolean) IS 'odr_agg_at (timestamp day, since_first_day) final function';
COMMENT ON FUNCTION odr_at_finalfn(internal, timestamptz, odr_defects, date[], integer, text) IS 'odr_agg_at (timestamptz day, time_zone) final function';
COMMENT ON FUNCTION odr_at_finalfn(internal, timestamptz, odr_defects, date[], integer, text, boolean) IS 'odr_agg_at (timestamptz day, time_zone, since_first_day) final function';

CREATE AGGREGATE odr_agg_at(day timestamp, defects odr_defects, as_of date[], days integer) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(timestamp, odr_defects, date[], integer) IS
	'A1, A2: odr_agg_at with a timestamp day: an order''s day is day::date';

CREATE AGGREGATE odr_agg_at(day timestamp, defects odr_defects, as_of date[], days integer, since_first_day boolean) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(timestamp, odr_defects, date[], integer, boolean) IS
	'A1, A2: odr_agg_at with a timestamp day (day::date); with since_first_day true, only the dates on or after the group''s earliest day';

CREATE AGGREGATE odr_agg_at(day timestamptz, defects odr_defects, as_of date[], days integer, time_zone text) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(timestamptz, odr_defects, date[], integer, text) IS
	'A1, A2: odr_agg_at with a timestamptz day: an order''s day is (day AT TIME ZONE time_zone)::date, time_zone a name of pg_timezone_names (not an abbreviation or an offset)';

CREATE AGGREGATE odr_agg_at(day timestamptz, defects odr_defects, as_of date[], days integer, time_zone text, since_first_day boolean) (
	SFUNC = odr_at_defects_transfn,
	STYPE = internal,
	FINALFUNC = odr_at_finalfn,
	FINALFUNC_EXTRA,
	COMBINEFUNC = odr_at_combinefn,
	SERIALFUNC = odr_at_serialfn,
	DESERIALFUNC = odr_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_agg_at(timestamptz, odr_defects, date[], integer, text, boolean) IS
	'A1, A2: odr_agg_at with a timestamptz day ((day AT TIME ZONE time_zone)::date); with since_first_day true, only the dates on or after the group''s earliest day';

-- ---------------------------------------------------------------------
-- Shards: the same odr everywhere (postgres_fdw)
-- ---------------------------------------------------------------------
-- postgres_fdw ships odr_agg(...) to a foreign server whose "extensions"
-- option lists odr, and names it by the schema it has here
-- (public.odr_agg(defects) in the Remote SQL). Nothing in postgres_fdw
-- checks that the server has odr at all, in the same version, or in the
-- same schema: a missing odr fails at query time, a different version may
-- silently count differently. odr_check_shards() reads pg_extension of
-- every such server through the server itself (a temporary foreign table,
-- so the current user's user mapping and USAGE on the server are needed)
-- and fails naming the server when odr differs (or when it cannot read
-- it there: no user mapping, no USAGE, server down).
--
-- Safe in an extension script: no dependence on search_path (everything is
-- qualified, and the function runs with search_path = pg_catalog, pg_temp),
-- no dependence on postgres_fdw or dblink being installed (it only reads
-- pg_catalog; with no postgres_fdw server it returns no rows), invoker's
-- rights. VOLATILE and PARALLEL UNSAFE: it creates and drops temporary
-- foreign tables (so it cannot run in a read-only transaction or on a
-- standby).

CREATE FUNCTION odr_check_shards()
RETURNS TABLE (server name, local_version text, remote_version text, odr_schema name)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	here_version text;
	here_schema name;
	srv name;
	there_version text;
	there_schema name;
	problems text[] := '{}';
	first_message text;
	first_hint text;
	err_state text;
	err_message text;
	err_detail text;
	err_hint text;
BEGIN
	SELECT e.extversion, n.nspname INTO here_version, here_schema
	FROM pg_catalog.pg_extension AS e
	JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
	WHERE e.extname = 'odr';
	IF here_version IS NULL THEN
		RAISE EXCEPTION 'odr is not installed in this database'
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;

	-- every postgres_fdw server whose "extensions" option lists odr (a
	-- comma-separated list of identifiers: unquoted names are folded to
	-- lower case, as postgres_fdw does)
	FOR srv IN
		SELECT s.srvname
		FROM pg_catalog.pg_foreign_server AS s
		JOIN pg_catalog.pg_foreign_data_wrapper AS w ON w.oid = s.srvfdw
		JOIN pg_catalog.pg_proc AS h ON h.oid = w.fdwhandler
		WHERE h.proname = 'postgres_fdw_handler'
		  AND EXISTS (
			SELECT
			FROM pg_catalog.pg_options_to_table(s.srvoptions) AS o,
			     pg_catalog.regexp_split_to_table(o.option_value, ',') AS x(item)
			WHERE o.option_name = 'extensions'
			  AND pg_catalog.btrim(x.item) <> ''
			  AND (pg_catalog.parse_ident(pg_catalog.btrim(x.item)))[1] = 'odr')
		ORDER BY s.srvname
	LOOP
		-- the remote catalog, through the server (user mapping of current_user)
		there_version := NULL;
		there_schema := NULL;
		BEGIN
			EXECUTE pg_catalog.format(
				'CREATE FOREIGN TABLE pg_temp.odr_remote_extension (extname name, extversion text, extnamespace oid) '
				'SERVER %I OPTIONS (schema_name %L, table_name %L)', srv, 'pg_catalog', 'pg_extension');
			EXECUTE pg_catalog.format(
				'CREATE FOREIGN TABLE pg_temp.odr_remote_namespace (oid oid, nspname name) '
				'SERVER %I OPTIONS (schema_name %L, table_name %L)', srv, 'pg_catalog', 'pg_namespace');
			EXECUTE 'SELECT e.extversion, n.nspname
			         FROM pg_temp.odr_remote_extension AS e
			         LEFT JOIN pg_temp.odr_remote_namespace AS n ON n.oid = e.extnamespace
			         WHERE e.extname = ''odr'''
				INTO there_version, there_schema;
			EXECUTE 'DROP FOREIGN TABLE pg_temp.odr_remote_extension, pg_temp.odr_remote_namespace';
		EXCEPTION WHEN OTHERS THEN
			-- the same error, naming the server (PostgreSQL 15's "user mapping not
			-- found for ..." does not)
			GET STACKED DIAGNOSTICS err_state = RETURNED_SQLSTATE, err_message = MESSAGE_TEXT,
			                        err_detail = PG_EXCEPTION_DETAIL, err_hint = PG_EXCEPTION_HINT;
			err_hint := coalesce(nullif(err_hint, ''), pg_catalog.format(
				'odr_check_shards() reads pg_extension through every server whose "extensions" option lists odr: it needs USAGE on server "%s" and a user mapping for the current user.', srv));
			IF coalesce(err_detail, '') = '' THEN
				RAISE EXCEPTION 'cannot check odr on foreign server "%": %', srv, err_message
					USING ERRCODE = err_state, HINT = err_hint;
			ELSE
				RAISE EXCEPTION 'cannot check odr on foreign server "%": %', srv, err_message
					USING ERRCODE = err_state, DETAIL = err_detail, HINT = err_hint;
			END IF;
		END;

		IF there_version IS NULL THEN
			problems := problems || pg_catalog.format('"%s": odr not installed', srv);
			first_message := coalesce(first_message, pg_catalog.format(
				'odr version mismatch: foreign server "%s" has no odr installed, this database has odr %s',
				srv, here_version));
			first_hint := coalesce(first_hint, pg_catalog.format(
				'Run CREATE EXTENSION odr VERSION %L in the database of server "%s", or remove odr from its "extensions" option.',
				here_version, srv));
		ELSIF there_version IS DISTINCT FROM here_version THEN
			problems := problems || pg_catalog.format('"%s": odr %s', srv, there_version);
			first_message := coalesce(first_message, pg_catalog.format(
				'odr version mismatch: foreign server "%s" has odr %s, this database has odr %s',
				srv, there_version, here_version));
			first_hint := coalesce(first_hint, pg_catalog.format(
				'Run ALTER EXTENSION odr UPDATE TO %L in the database of server "%s" (or update every database to the same version).',
				here_version, srv));
		ELSIF there_schema IS DISTINCT FROM here_schema THEN
			problems := problems || pg_catalog.format('"%s": odr %s in schema "%s"', srv, there_version, there_schema);
			first_message := coalesce(first_message, pg_catalog.format(
				'odr schema mismatch: foreign server "%s" has odr %s in schema "%s", this database has it in schema "%s"',
				srv, there_version, there_schema, here_schema));
			first_hint := coalesce(first_hint, pg_catalog.format(
				'Aggregates pushed down to "%s" are named %I.odr_agg(...) and would not be found there; install odr in schema "%s" on both sides.',
				srv, here_schema, here_schema));
		END IF;

		server := srv;
		local_version := here_version;
		remote_version := there_version;
		odr_schema := there_schema;
		RETURN NEXT;
	END LOOP;

	IF pg_catalog.cardinality(problems) > 0 THEN
		RAISE EXCEPTION '%', first_message
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = pg_catalog.format('This database has odr %s in schema "%s"; differing servers: %s.',
			                                 here_version, here_schema, pg_catalog.array_to_string(problems, '; ')),
			      HINT = first_hint;
	END IF;
END
$fn$;
COMMENT ON FUNCTION odr_check_shards() IS
	'Check that every postgres_fdw foreign server whose "extensions" option lists odr has the same odr version, in the same schema, as this database (read through the server with the current user''s user mapping); one row per server checked, an error (55000) naming the first server that differs.';

-- ---------------------------------------------------------------------
-- 1688 service stars: S4 3-minute response rate (3分钟旺旺响应率)
-- ---------------------------------------------------------------------
-- One row per message.  The three aggregates share their transition
-- function, so a query using several of them keeps one state per group:
-- a 16-byte record per buyer message and per human seller reply, the buyer
-- keys interned.  The final functions sort the records (any input order)
-- and apply S4 in the seller's zone.  The zone is an argument, so nothing
-- depends on session settings: IMMUTABLE, like timezone(text, timestamptz).

CREATE FUNCTION odr_response_transfn(internal, text, timestamptz, text, boolean, boolean, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_response_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_response_rate_finalfn(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_counted_finalfn(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_response_answered_finalfn(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_response_transfn(internal, text, timestamptz, text, boolean, boolean, text) IS
	'odr_response_rate / odr_response_counted / odr_response_answered transition: keeps a buyer message or a human seller reply';
COMMENT ON FUNCTION odr_response_combinefn(internal, internal) IS 'odr_response_rate / _counted / _answered combine function';
COMMENT ON FUNCTION odr_response_serialfn(internal) IS 'odr_response_rate / _counted / _answered state serialisation (parallel query)';
COMMENT ON FUNCTION odr_response_deserialfn(bytea, internal) IS 'odr_response_rate / _counted / _answered state deserialisation (parallel query)';
COMMENT ON FUNCTION odr_response_rate_finalfn(internal) IS 'odr_response_rate final function';
COMMENT ON FUNCTION odr_response_counted_finalfn(internal) IS 'odr_response_counted final function';
COMMENT ON FUNCTION odr_response_answered_finalfn(internal) IS 'odr_response_answered final function';

CREATE AGGREGATE odr_response_rate(buyer text, sent_at timestamptz, sender text,
                                   is_auto_reply boolean, is_official boolean, zone text) (
	SFUNC = odr_response_transfn,
	STYPE = internal,
	FINALFUNC = odr_response_rate_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_response_rate(text, timestamptz, text, boolean, boolean, text) IS
	'S4: share 0..1 of counted buyer-days (a buyer''s first message of the seller''s local day in zone, arriving 09:00-21:00) answered by a human seller reply within 3 minutes (0:00..3:00 inclusive); automatic replies are no replies, official messages are ignored; NULL when nothing counts';

CREATE AGGREGATE odr_response_counted(buyer text, sent_at timestamptz, sender text,
                                      is_auto_reply boolean, is_official boolean, zone text) (
	SFUNC = odr_response_transfn,
	STYPE = internal,
	FINALFUNC = odr_response_counted_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_response_counted(text, timestamptz, text, boolean, boolean, text) IS
	'S4: the denominator of odr_response_rate: buyer-days whose first message arrives 09:00-21:00 in the seller''s zone (0 when none)';

CREATE AGGREGATE odr_response_answered(buyer text, sent_at timestamptz, sender text,
                                       is_auto_reply boolean, is_official boolean, zone text) (
	SFUNC = odr_response_transfn,
	STYPE = internal,
	FINALFUNC = odr_response_answered_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_response_answered(text, timestamptz, text, boolean, boolean, text) IS
	'S4: the numerator of odr_response_rate: counted buyer-days answered by a human seller reply within 3 minutes (0 when none)';

CREATE FUNCTION odr_in_response_hours(sent_at timestamptz, zone text) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_in_response_hours(timestamptz, text) IS
	'S4: whether sent_at falls in the counted hours, 09:00 (inclusive) to 21:00 (exclusive) local time in zone; a buyer''s first message of the day counts only then';
-- 1688 service stars: the order-based indicators S3, S5, S6, S7
-- ---------------------------------------------------------------------
-- The four aggregates share one fixed-size internal state (counts kept apart
-- for business buyers, levels 3..6) and one combine / serialise / deserialise
-- function, so they run in parallel and a parallel plan gives the serial
-- result exactly.

CREATE FUNCTION odr_indicator_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_indicator_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_indicator_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION odr_indicator_rate_finalfn(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_indicator_hours_finalfn(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_indicator_combinefn(internal, internal) IS 'odr_on_time_rate / odr_quality_refund_rate / odr_refund_hours / odr_dispute_rate combine function';
COMMENT ON FUNCTION odr_indicator_serialfn(internal) IS 'Indicator aggregate state serialisation (parallel query)';
COMMENT ON FUNCTION odr_indicator_deserialfn(bytea, internal) IS 'Indicator aggregate state deserialisation (parallel query)';
COMMENT ON FUNCTION odr_indicator_rate_finalfn(internal) IS 'odr_on_time_rate / odr_quality_refund_rate / odr_dispute_rate final function: the weighted share, NULL when no order counts';
COMMENT ON FUNCTION odr_indicator_hours_finalfn(internal) IS 'odr_refund_hours final function: the weighted mean in hours, NULL when no refund was completed';

-- S3 on-time shipping
CREATE FUNCTION odr_shipped_on_time(
	paid_at timestamptz,
	promised_ship_by timestamptz,
	shipped_at timestamptz)
RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_shipped_on_time_fn' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_shipped_on_time(timestamptz, timestamptz, timestamptz) IS
	'S3: shipped by promised_ship_by, or within 48 hours of paid_at when there is no promise (at the deadline is on time); judged as of now(): an order not shipped yet is late once its deadline has passed, NULL (not counted yet) before. NULL paid_at: NULL (not counted).';
CREATE FUNCTION odr_shipped_on_time(
	paid_at timestamptz,
	promised_ship_by timestamptz,
	shipped_at timestamptz,
	as_of timestamptz)
RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_shipped_on_time_as_of_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_shipped_on_time(timestamptz, timestamptz, timestamptz, timestamptz) IS
	'S3: odr_shipped_on_time judged as of as_of (nothing later is known; as_of infinity: every order not shipped is late). NULL when the order does not count (yet).';

CREATE FUNCTION odr_on_time_transfn(internal, timestamptz, timestamptz, timestamptz, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION odr_on_time_weight_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION odr_on_time_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_on_time_weight_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_on_time_transfn(internal, timestamptz, timestamptz, timestamptz, integer) IS 'odr_on_time_rate transition (business weight 2, as of now())';
COMMENT ON FUNCTION odr_on_time_weight_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision) IS 'odr_on_time_rate transition (as of now())';
COMMENT ON FUNCTION odr_on_time_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, timestamptz) IS 'odr_on_time_rate transition (business weight 2)';
COMMENT ON FUNCTION odr_on_time_weight_as_of_transfn(internal, timestamptz, timestamptz, timestamptz, integer, double precision, timestamptz) IS 'odr_on_time_rate transition';

CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer) (
	SFUNC = odr_on_time_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer) IS
	'S3: weighted share (0..1) of orders shipped on time (odr_shipped_on_time, as of now()); orders of business buyers (buyer_level 3..6) weigh 2, others 1; NULL when no order counts';
CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer, business_weight double precision) (
	SFUNC = odr_on_time_weight_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer, double precision) IS
	'S3: odr_on_time_rate with orders of business buyers (buyer_level 3..6) weighing business_weight (finite, > 0, the same on every row)';
CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer, as_of timestamptz) (
	SFUNC = odr_on_time_as_of_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer, timestamptz) IS
	'S3: odr_on_time_rate with every order judged as of as_of instead of now()';
CREATE AGGREGATE odr_on_time_rate(paid_at timestamptz, promised_ship_by timestamptz, shipped_at timestamptz, buyer_level integer, business_weight double precision, as_of timestamptz) (
	SFUNC = odr_on_time_weight_as_of_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_on_time_rate(timestamptz, timestamptz, timestamptz, integer, double precision, timestamptz) IS
	'S3: odr_on_time_rate with business_weight, every order judged as of as_of';

-- S5 quality refunds
CREATE FUNCTION odr_quality_reasons() RETURNS text[]
	AS 'MODULE_PATHNAME', 'odr_quality_reasons_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_quality_reasons() IS
	'S5: the default quality refund reasons: quality_problem, not_as_described, damaged, counterfeit, poor_workmanship';
CREATE FUNCTION odr_is_quality_refund(first_refund_reason text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_is_quality_refund_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_is_quality_refund(text) IS
	'S5: the first refund reason is one of odr_quality_reasons() (ASCII case ignored); false for NULL (no refund)';
CREATE FUNCTION odr_is_quality_refund(first_refund_reason text, quality_reasons text[]) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_is_quality_refund_list_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_is_quality_refund(text, text[]) IS
	'S5: the first refund reason is one of quality_reasons (ASCII case ignored); false for NULL (no refund)';

CREATE FUNCTION odr_quality_refund_transfn(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_quality_refund_list_transfn(internal, text, text[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_quality_refund_transfn(internal, text) IS 'odr_quality_refund_rate transition (default quality reasons)';
COMMENT ON FUNCTION odr_quality_refund_list_transfn(internal, text, text[]) IS 'odr_quality_refund_rate transition';

CREATE AGGREGATE odr_quality_refund_rate(first_refund_reason text) (
	SFUNC = odr_quality_refund_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_quality_refund_rate(text) IS
	'S5: share (0..1) of orders (one row each; NULL reason = no refund) whose first refund reason is one of odr_quality_reasons(); NULL with no rows';
CREATE AGGREGATE odr_quality_refund_rate(first_refund_reason text, quality_reasons text[]) (
	SFUNC = odr_quality_refund_list_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_quality_refund_rate(text, text[]) IS
	'S5: odr_quality_refund_rate with your own list of quality reasons';

-- S6 refund hours
CREATE FUNCTION odr_refund_hours_transfn(internal, timestamptz, timestamptz, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION odr_refund_hours_weight_transfn(internal, timestamptz, timestamptz, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_refund_hours_transfn(internal, timestamptz, timestamptz, integer) IS 'odr_refund_hours transition (business weight 2)';
COMMENT ON FUNCTION odr_refund_hours_weight_transfn(internal, timestamptz, timestamptz, integer, double precision) IS 'odr_refund_hours transition';

CREATE AGGREGATE odr_refund_hours(requested_at timestamptz, completed_at timestamptz, buyer_level integer) (
	SFUNC = odr_refund_hours_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_hours_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_refund_hours(timestamptz, timestamptz, integer) IS
	'S6: weighted mean hours from refund request to completion; refunds of business buyers (buyer_level 3..6) weigh 2, others 1; not completed yet (NULL completed_at) or no refund: left out; NULL when none is completed';
CREATE AGGREGATE odr_refund_hours(requested_at timestamptz, completed_at timestamptz, buyer_level integer, business_weight double precision) (
	SFUNC = odr_refund_hours_weight_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_hours_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_refund_hours(timestamptz, timestamptz, integer, double precision) IS
	'S6: odr_refund_hours with refunds of business buyers (buyer_level 3..6) weighing business_weight (finite, > 0, the same on every row)';

-- S7 disputes
CREATE FUNCTION odr_dispute_counted(ruling text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'odr_dispute_counted_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_dispute_counted(text) IS
	'S7: the dispute was ruled the seller''s or both parties'' responsibility (seller, both); false for buyer, none, pending and NULL (no dispute); ASCII case ignored; other text is an error';
CREATE FUNCTION odr_dispute_transfn(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_dispute_transfn(internal, text) IS 'odr_dispute_rate transition';
CREATE AGGREGATE odr_dispute_rate(ruling text) (
	SFUNC = odr_dispute_transfn,
	STYPE = internal,
	FINALFUNC = odr_indicator_rate_finalfn,
	COMBINEFUNC = odr_indicator_combinefn,
	SERIALFUNC = odr_indicator_serialfn,
	DESERIALFUNC = odr_indicator_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_dispute_rate(text) IS
	'S7: share (0..1) of orders (one row each; NULL ruling = no dispute) with a dispute ruled the seller''s or both parties'' responsibility; NULL with no rows';

-- ---------------------------------------------------------------------
-- 1688 service stars: peer scores, composite and stars (S1, S2, S8, S9)
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_peer_score(indicator text, value double precision) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION odr_peer_score(text, double precision) IS
	'S2: window function, OVER (PARTITION BY category): the seller''s score 0..5 among its peers, 5 x (1 - the share of the other peers doing strictly better; a tie costs nothing); lower is better for quality_refund_rate, refund_hours and dispute_rate; NULL without a value or without peers';

CREATE TABLE odr_star_policy (
	name text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	description text NOT NULL DEFAULT '',
	builtin boolean NOT NULL DEFAULT false,
	w_on_time_rate double precision NOT NULL CHECK (w_on_time_rate OPERATOR(pg_catalog.>=) 0::double precision),
	w_response_rate double precision NOT NULL CHECK (w_response_rate OPERATOR(pg_catalog.>=) 0::double precision),
	w_quality_refund_rate double precision NOT NULL CHECK (w_quality_refund_rate OPERATOR(pg_catalog.>=) 0::double precision),
	w_refund_hours double precision NOT NULL CHECK (w_refund_hours OPERATOR(pg_catalog.>=) 0::double precision),
	w_dispute_rate double precision NOT NULL CHECK (w_dispute_rate OPERATOR(pg_catalog.>=) 0::double precision),
	weak_below double precision NOT NULL DEFAULT 4 CHECK (weak_below OPERATOR(pg_catalog.>=) 0::double precision
		AND weak_below OPERATOR(pg_catalog.<=) 5::double precision),
	window_days integer NOT NULL DEFAULT 30 CHECK (window_days OPERATOR(pg_catalog.>) 0),
	CONSTRAINT odr_star_policy_weights_sum_to_1 CHECK (
		pg_catalog.abs(w_on_time_rate OPERATOR(pg_catalog.+) w_response_rate OPERATOR(pg_catalog.+) w_quality_refund_rate
		               OPERATOR(pg_catalog.+) w_refund_hours OPERATOR(pg_catalog.+) w_dispute_rate
		               OPERATOR(pg_catalog.-) 1::double precision) OPERATOR(pg_catalog.<) 1e-9::double precision)
);
COMMENT ON TABLE odr_star_policy IS 'S8, S9: 1688 star policies: the weight of each indicator score in the composite (summing to 1), the score below which an indicator is a weak spot (S2), the window; built-in rows are read-only';
COMMENT ON COLUMN odr_star_policy.name IS 'Policy name, passed to odr_star_scorecard(..., policy) and the other star functions';
COMMENT ON COLUMN odr_star_policy.weak_below IS 'S2: an indicator scoring below this is a weak spot (服务短板)';
COMMENT ON COLUMN odr_star_policy.window_days IS 'S9: the days the indicators are computed over (informative: the indicator queries choose their rows)';

CREATE TABLE odr_star_level (
	policy text NOT NULL REFERENCES odr_star_policy (name) ON UPDATE CASCADE ON DELETE CASCADE,
	stars numeric(2,1) NOT NULL CHECK (stars OPERATOR(pg_catalog.>=) 0::numeric AND stars OPERATOR(pg_catalog.<=) 5::numeric),
	min_composite double precision NOT NULL CHECK (min_composite OPERATOR(pg_catalog.<=) 5::double precision
		AND min_composite OPERATOR(pg_catalog.=) min_composite),
	builtin boolean NOT NULL DEFAULT false,
	PRIMARY KEY (policy, stars)
);
COMMENT ON TABLE odr_star_level IS 'S1, S8: the star levels of each policy: a composite of at least min_composite earns stars (the highest level reached; below every level, the lowest)';

INSERT INTO odr_star_policy (name, description, builtin, w_on_time_rate, w_response_rate,
                             w_quality_refund_rate, w_refund_hours, w_dispute_rate, weak_below, window_days)
VALUES ('1688', '1688 service stars (rules.md S2, S8, S9): logistics 35% (on-time shipping), consultation 20% (3-minute response), product 15% (quality refunds), after-sales 30% (refund time 15%, disputes 15%); weak spot below 4; 30 days',
        true, 0.35, 0.20, 0.15, 0.15, 0.15, 4, 30);
INSERT INTO odr_star_level (policy, stars, min_composite, builtin)
VALUES ('1688', 3.0, '-Infinity', true), ('1688', 3.5, 3.5, true), ('1688', 4.0, 4.0, true),
       ('1688', 4.5, 4.5, true), ('1688', 5.0, 5.0, true);

CREATE FUNCTION odr_star_policy_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	builtin_row boolean := false;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		IF EXISTS (SELECT 1 FROM @extschema@.odr_star_policy p WHERE p.builtin) THEN
			RAISE EXCEPTION 'cannot truncate %: it holds built-in star policies', TG_TABLE_NAME
				USING ERRCODE = 'object_not_in_prerequisite_state',
				      HINT = 'Delete user policies with DELETE FROM odr_star_policy WHERE NOT builtin.';
		END IF;
		RETURN NULL;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		builtin_row := OLD.builtin;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		builtin_row := builtin_row OR NEW.builtin;
	END IF;
	IF TG_TABLE_NAME = 'odr_star_level' THEN
		builtin_row := builtin_row OR EXISTS (
			SELECT 1 FROM @extschema@.odr_star_policy p
			WHERE p.builtin AND p.name IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.policy END,
			                               CASE WHEN TG_OP <> 'INSERT' THEN OLD.policy END));
	END IF;
	IF builtin_row THEN
		RAISE EXCEPTION 'built-in star policies cannot be changed'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add a policy of your own under another name (copy the built-in one and change it).';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION odr_star_policy_guard() IS 'Keeps the built-in star policies and their levels read-only (also against TRUNCATE)';
CREATE TRIGGER odr_star_policy_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_star_policy
	FOR EACH ROW EXECUTE FUNCTION odr_star_policy_guard();
CREATE TRIGGER odr_star_level_guard BEFORE INSERT OR UPDATE OR DELETE ON odr_star_level
	FOR EACH ROW EXECUTE FUNCTION odr_star_policy_guard();
CREATE TRIGGER odr_star_policy_truncate_guard BEFORE TRUNCATE ON odr_star_policy
	FOR EACH STATEMENT EXECUTE FUNCTION odr_star_policy_guard();
CREATE TRIGGER odr_star_level_truncate_guard BEFORE TRUNCATE ON odr_star_level
	FOR EACH STATEMENT EXECUTE FUNCTION odr_star_policy_guard();

SELECT pg_catalog.pg_extension_config_dump('odr_star_policy', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('odr_star_level', 'WHERE NOT builtin');
GRANT SELECT ON odr_star_policy, odr_star_level TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON odr_star_policy, odr_star_level TO @extowner@;

-- The policy row for a name (NULL: odr.default_star_policy), or an error.
CREATE FUNCTION odr_star_policy_of(policy text DEFAULT NULL) RETURNS odr_star_policy
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy;
	wanted text := coalesce(policy, nullif(current_setting('odr.default_star_policy', true), ''), '1688');
BEGIN
	SELECT * INTO p FROM @extschema@.odr_star_policy s WHERE s.name = wanted;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown star policy "%"', wanted
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'SELECT name FROM odr_star_policy lists the star policies.';
	END IF;
	RETURN p;
END
$$;
COMMENT ON FUNCTION odr_star_policy_of(text) IS 'S8: the star policy of that name (default: the setting odr.default_star_policy, default 1688); 22023 for an unknown name';

CREATE FUNCTION odr_star_composite(on_time_score double precision, response_score double precision,
                                   quality_refund_score double precision, refund_hours_score double precision,
                                   dispute_score double precision, policy text DEFAULT NULL)
RETURNS double precision
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
	scores double precision[] := ARRAY[on_time_score, response_score, quality_refund_score, refund_hours_score, dispute_score];
	weights double precision[] := ARRAY[p.w_on_time_rate, p.w_response_rate, p.w_quality_refund_rate, p.w_refund_hours, p.w_dispute_rate];
	names text[] := ARRAY['on_time_score', 'response_score', 'quality_refund_score', 'refund_hours_score', 'dispute_score'];
	num double precision := 0;
	den double precision := 0;
BEGIN
	FOR i IN 1..5 LOOP
		IF scores[i] IS NULL THEN
			CONTINUE;
		END IF;
		IF NOT (scores[i] >= 0 AND scores[i] <= 5) THEN
			RAISE EXCEPTION '% % is out of range', names[i], scores[i]
				USING ERRCODE = 'numeric_value_out_of_range', DETAIL = 'An indicator score lies between 0 and 5 (S2).';
		END IF;
		num := num + weights[i] * scores[i];
		den := den + weights[i];
	END LOOP;
	IF den = 0 THEN
		RETURN NULL;
	END IF;
	RETURN least(5, greatest(0, num / den));  -- no rounding error past the bounds
END
$$;
COMMENT ON FUNCTION odr_star_composite(double precision, double precision, double precision, double precision, double precision, text) IS
	'S8: the composite experience score 0..5, the weighted mean of the indicator scores with the policy''s weights; an indicator without a score (NULL) is left out and the others'' weights are scaled up; NULL when none is scored';

CREATE FUNCTION odr_stars(composite double precision, policy text DEFAULT NULL) RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
	result numeric;
BEGIN
	IF composite IS NULL THEN
		RETURN NULL;
	END IF;
	IF NOT (composite >= 0 AND composite <= 5) THEN
		RAISE EXCEPTION 'composite % is out of range', composite
			USING ERRCODE = 'numeric_value_out_of_range', DETAIL = 'A composite score lies between 0 and 5 (S8).';
	END IF;
	SELECT coalesce(max(l.stars) FILTER (WHERE l.min_composite <= composite), min(l.stars)) INTO result
	FROM @extschema@.odr_star_level l WHERE l.policy = p.name;
	IF result IS NULL THEN
		RAISE EXCEPTION 'star policy "%" has no levels', p.name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Add its levels to odr_star_level.';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION odr_stars(double precision, text) IS
	'S1, S8: the stars a composite earns under the policy''s levels (1688: rounded down to the half star, 3 to 5)';

CREATE FUNCTION odr_star_weak_spots(on_time_score double precision, response_score double precision,
                                    quality_refund_score double precision, refund_hours_score double precision,
                                    dispute_score double precision, policy text DEFAULT NULL)
RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
BEGIN
	-- validates the scores as the composite does
	PERFORM @extschema@.odr_star_composite(on_time_score, response_score, quality_refund_score,
	                                        refund_hours_score, dispute_score, p.name);
	RETURN ARRAY(
		SELECT s.name
		FROM (VALUES ('on_time_rate', on_time_score, p.w_on_time_rate),
		             ('response_rate', response_score, p.w_response_rate),
		             ('quality_refund_rate', quality_refund_score, p.w_quality_refund_rate),
		             ('refund_hours', refund_hours_score, p.w_refund_hours),
		             ('dispute_rate', dispute_score, p.w_dispute_rate)) AS s(name, score, weight)
		WHERE s.score < p.weak_below
		ORDER BY s.weight * (5 - s.score) DESC, s.name);
END
$$;
COMMENT ON FUNCTION odr_star_weak_spots(double precision, double precision, double precision, double precision, double precision, text) IS
	'S2, S8: the weak spots (indicators scoring below the policy''s weak_below, 4 for 1688), the one that costs the composite most first (weight x (5 - score))';

CREATE FUNCTION odr_star_scorecard(indicators regclass, policy text DEFAULT NULL)
RETURNS TABLE (seller_id text, category text,
               on_time_rate double precision, on_time_score double precision,
               response_rate double precision, response_score double precision,
               quality_refund_rate double precision, quality_refund_score double precision,
               refund_hours double precision, refund_hours_score double precision,
               dispute_rate double precision, dispute_score double precision,
               composite double precision, stars numeric, weak_spots text, weak_spot_points double precision)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p @extschema@.odr_star_policy := @extschema@.odr_star_policy_of(policy);
	col text;
BEGIN
	IF indicators IS NULL THEN
		RAISE EXCEPTION 'indicators must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'Pass the table or view of indicator values, e.g. odr_star_scorecard(''my_indicators'').';
	END IF;
	FOREACH col IN ARRAY ARRAY['seller_id', 'category', 'on_time_rate', 'response_rate',
	                           'quality_refund_rate', 'refund_hours', 'dispute_rate'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_attribute a
		               WHERE a.attrelid = indicators AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'column "%" of % does not exist', col, indicators
				USING ERRCODE = 'undefined_column',
				      HINT = 'The indicator table needs seller_id, category, on_time_rate, response_rate, quality_refund_rate, refund_hours and dispute_rate.';
		END IF;
	END LOOP;
	EXECUTE format('SELECT seller_id::text FROM %s GROUP BY seller_id::text, category::text HAVING count(*) > 1 LIMIT 1',
	               indicators) INTO col;
	IF col IS NOT NULL THEN
		RAISE EXCEPTION 'seller "%" appears more than once in a category of %', col, indicators
			USING ERRCODE = 'cardinality_violation',
			      HINT = 'The indicator table has one row per seller and category: aggregate first.';
	END IF;
	RETURN QUERY EXECUTE format($q$
		SELECT s.seller_id, s.category,
		       s.on_time_rate, s.on_time_score, s.response_rate, s.response_score,
		       s.quality_refund_rate, s.quality_refund_score, s.refund_hours, s.refund_hours_score,
		       s.dispute_rate, s.dispute_score, c.composite,
		       @extschema@.odr_stars(c.composite, %1$L),
		       array_to_string(@extschema@.odr_star_weak_spots(s.on_time_score, s.response_score, s.quality_refund_score,
		                                                       s.refund_hours_score, s.dispute_score, %1$L), ', '),
		       (SELECT coalesce(sum(x.w * (5 - x.score)), 0)
		        FROM (VALUES (%2$s::float8, s.on_time_score), (%3$s, s.response_score), (%4$s, s.quality_refund_score),
		                     (%5$s, s.refund_hours_score), (%6$s, s.dispute_score)) AS x(w, score)
		        WHERE x.score < %7$s)
		FROM (SELECT i.seller_id::text AS seller_id, i.category::text AS category,
		             i.on_time_rate::float8 AS on_time_rate,
		             @extschema@.odr_peer_score('on_time_rate', i.on_time_rate::float8) OVER w AS on_time_score,
		             i.response_rate::float8 AS response_rate,
		             @extschema@.odr_peer_score('response_rate', i.response_rate::float8) OVER w AS response_score,
		             i.quality_refund_rate::float8 AS quality_refund_rate,
		             @extschema@.odr_peer_score('quality_refund_rate', i.quality_refund_rate::float8) OVER w AS quality_refund_score,
		             i.refund_hours::float8 AS refund_hours,
		             @extschema@.odr_peer_score('refund_hours', i.refund_hours::float8) OVER w AS refund_hours_score,
		             i.dispute_rate::float8 AS dispute_rate,
		             @extschema@.odr_peer_score('dispute_rate', i.dispute_rate::float8) OVER w AS dispute_score
		      FROM %8$s AS i
		      WINDOW w AS (PARTITION BY i.category)) AS s,
		     LATERAL (SELECT @extschema@.odr_star_composite(s.on_time_score, s.response_score, s.quality_refund_score,
		                                                    s.refund_hours_score, s.dispute_score, %1$L) AS composite) AS c
		ORDER BY s.category, s.seller_id$q$,
		p.name, p.w_on_time_rate, p.w_response_rate, p.w_quality_refund_rate, p.w_refund_hours, p.w_dispute_rate,
		p.weak_below, indicators);
END
$$;
COMMENT ON FUNCTION odr_star_scorecard(regclass, text) IS
	'S1-S9: one row per seller of a table of indicator values (seller_id, category, on_time_rate, response_rate, quality_refund_rate, refund_hours, dispute_rate): each value and its peer score within the category, composite, stars, weak spots (costliest first) and the composite points they cost (weight x (5 - score), summed); plain SQL types only';

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
		CHECK (evaluated OPERATOR(pg_catalog.=) ANY ('{daily,weekly,month_end,quarter_end,day_of_month}'::text[])),
	evaluation_day integer CHECK (evaluation_day OPERATOR(pg_catalog.>=) 1 AND evaluation_day OPERATOR(pg_catalog.<=) 28),
	effective_after text NOT NULL DEFAULT 'same_day'
		CHECK (effective_after OPERATOR(pg_catalog.=) ANY ('{same_day,next_day,next_month_first}'::text[])),
	CONSTRAINT odr_marketplace_evaluation_day CHECK
		((evaluated OPERATOR(pg_catalog.=) ANY ('{day_of_month,weekly}'::text[])) OPERATOR(pg_catalog.=) (evaluation_day IS NOT NULL)),
	CONSTRAINT odr_marketplace_evaluation_weekday CHECK
		(evaluated OPERATOR(pg_catalog.<>) 'weekly'::text OR evaluation_day OPERATOR(pg_catalog.<=) 7)
);
COMMENT ON TABLE odr_marketplace IS
	'Marketplaces (issue 14): each is a policy of the engine, defined by the rows of odr_marketplace_* that name it. Built-in rows (amazon: rules M1, ebay: M2) are read-only; add your own. A change is checked when the transaction commits (odr_marketplace_check): a marketplace that does not compile is refused and nothing changes.';
COMMENT ON COLUMN odr_marketplace.name IS 'Marketplace name, passed to odr_order, odr_assess, ...';
COMMENT ON COLUMN odr_marketplace.description IS 'What the marketplace grades and where its numbers come from';
COMMENT ON COLUMN odr_marketplace.builtin IS 'Shipped with odr (read-only, recreated by CREATE EXTENSION, not dumped)';
COMMENT ON COLUMN odr_marketplace.date_bases IS 'The dates an order has, in order (odr_order''s days argument follows it): each counter places an order in a day by one of them';
COMMENT ON COLUMN odr_marketplace.events IS 'The facts an order has or has not, in order (odr_order''s events argument follows it; at most 64)';
COMMENT ON COLUMN odr_marketplace."values" IS 'The numbers an order carries, in order (odr_order''s values argument follows it; at most 8; kept to 1/10000)';
COMMENT ON COLUMN odr_marketplace.evaluated IS 'When the marketplace grades: daily, weekly (on ISO weekday evaluation_day), month_end (the last day of each month), quarter_end (31 March, 30 June, 30 September, 31 December) or day_of_month (evaluation_day of each month)';
COMMENT ON COLUMN odr_marketplace.evaluation_day IS 'day_of_month: the day of the month of the evaluation (1..28; eBay: 20, M2.2); weekly: the ISO weekday (1 Monday .. 7 Sunday); NULL otherwise';
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

-- ---------------------------------------------------------------------
-- Issue 20, construct 8: working days.  A business calendar is rows: the
-- ISO weekdays that are not working days and the holidays.  A
-- business_days window (odr_marketplace_window.calendar) counts working
-- days; odr_business_deadline puts a deadline N working days after a start.
-- ---------------------------------------------------------------------
CREATE TABLE @extschema@.odr_business_calendar (
	name text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	weekend integer[] NOT NULL DEFAULT '{6,7}'::integer[],
	description text NOT NULL DEFAULT '',
	CONSTRAINT odr_business_calendar_weekend CHECK
		(weekend OPERATOR(pg_catalog.<@) '{1,2,3,4,5,6,7}'::integer[]
		 AND NOT ('{1,2,3,4,5,6,7}'::integer[] OPERATOR(pg_catalog.<@) weekend))
);
COMMENT ON TABLE @extschema@.odr_business_calendar IS
	'Issue 20, construct 8: business calendars (one per country, say). A working day is a day whose ISO weekday is not in weekend and that is not one of the calendar''s odr_business_holiday days. Used by business_days windows (odr_marketplace_window.calendar) and odr_business_deadline. A change takes effect at the next statement; tallies counted for a marketplace before a change of a calendar its windows use are refused (fingerprint).';
COMMENT ON COLUMN @extschema@.odr_business_calendar.name IS 'Calendar name, named by odr_marketplace_window.calendar and odr_business_deadline';
COMMENT ON COLUMN @extschema@.odr_business_calendar.weekend IS 'The ISO weekdays (1 Monday .. 7 Sunday) that are not working days: {6,7} Saturday and Sunday (the default), {5,6} Friday and Saturday, {} weekends included; not all seven';
COMMENT ON COLUMN @extschema@.odr_business_calendar.description IS 'What the calendar is (country, source of its holidays)';

CREATE TABLE @extschema@.odr_business_holiday (
	calendar text NOT NULL REFERENCES @extschema@.odr_business_calendar (name) ON UPDATE CASCADE ON DELETE CASCADE,
	day date NOT NULL CHECK (pg_catalog.isfinite(day)),
	description text NOT NULL DEFAULT '',
	PRIMARY KEY (calendar, day)
);
COMMENT ON TABLE @extschema@.odr_business_holiday IS
	'Issue 20, construct 8: the holidays of a business calendar: days that are not working days whatever their weekday';
COMMENT ON COLUMN @extschema@.odr_business_holiday.calendar IS 'The calendar (odr_business_calendar.name) the holiday belongs to';
COMMENT ON COLUMN @extschema@.odr_business_holiday.day IS 'The day off (finite)';
COMMENT ON COLUMN @extschema@.odr_business_holiday.description IS 'What the holiday is';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.odr_business_calendar', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.odr_business_holiday', '');
GRANT SELECT ON @extschema@.odr_business_calendar, @extschema@.odr_business_holiday TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON @extschema@.odr_business_calendar, @extschema@.odr_business_holiday TO @extowner@;

CREATE TABLE odr_marketplace_window (
	marketplace text NOT NULL REFERENCES odr_marketplace (name) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''::text),
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY ('{days,months,weeks,quarters,month_to_date,lifetime,by_volume,business_days}'::text[])),
	length integer NOT NULL DEFAULT 1,
	lag integer NOT NULL DEFAULT 0,
	primary_window text,
	fallback_window text,
	volume_counter text,
	volume_min bigint,
	description text NOT NULL DEFAULT '',
	calendar text REFERENCES @extschema@.odr_business_calendar (name) ON UPDATE CASCADE,
	PRIMARY KEY (marketplace, name),
	FOREIGN KEY (marketplace, primary_window) REFERENCES odr_marketplace_window (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, fallback_window) REFERENCES odr_marketplace_window (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE,
	FOREIGN KEY (marketplace, volume_counter) REFERENCES odr_marketplace_counter (marketplace, name) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE odr_marketplace_window IS
	'Where a marketplace''s metrics look, from the evaluation day: days (the length days ending on it, minus lag), months / weeks / quarters (whole ones before its month, ISO week, quarter), month_to_date, lifetime, or by_volume (primary_window when volume_counter over it reaches volume_min, else fallback_window), or business_days (from the length-th working day of calendar counting back from the evaluation day minus lag, that day included when it is a working day, up to that day: days off inside the window belong to it)';
COMMENT ON COLUMN odr_marketplace_window.marketplace IS 'The marketplace the window belongs to';
COMMENT ON COLUMN odr_marketplace_window.name IS 'Window name, unique in the marketplace';
COMMENT ON COLUMN odr_marketplace_window.kind IS 'days, months, weeks, quarters, month_to_date, lifetime, by_volume or business_days';
COMMENT ON COLUMN odr_marketplace_window.length IS 'Days, months, weeks, quarters or working days (>= 1; business_days: at most 3660; month_to_date: whole months before, >= 0; ignored by lifetime and by_volume)';
COMMENT ON COLUMN odr_marketplace_window.lag IS 'Days before the evaluation day the window ends (>= 0)';
COMMENT ON COLUMN odr_marketplace_window.primary_window IS 'by_volume: the window used when the volume is reached';
COMMENT ON COLUMN odr_marketplace_window.fallback_window IS 'by_volume: the window used otherwise';
COMMENT ON COLUMN odr_marketplace_window.volume_counter IS 'by_volume: a count counter, over primary_window';
COMMENT ON COLUMN odr_marketplace_window.volume_min IS 'by_volume: the count that selects primary_window';
COMMENT ON COLUMN odr_marketplace_window.description IS 'What the window is, with its rule';
COMMENT ON COLUMN odr_marketplace_window.calendar IS 'business_days: the odr_business_calendar whose working days it counts; NULL otherwise';

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

-- AliExpress (rules A1-A17) as a policy of the same engine: what odr_tier
-- decides from odr_agg under the default policy, from the engine's rows.
-- Orders enter through odr_aliexpress_order(odr_classify(...), finished_on).
INSERT INTO odr_marketplace (name, description, builtin, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES
 ('aliexpress', 'AliExpress seller service level (rules A1-A17) on the engine: assessed at every month end over the 90 days of finish date; unassessed under 90 orders, then excellent (ODR < 3%), good (< 6%), pass (< 12%), else fail; the same tiers as odr_tier under the default policy',
  true, '{finished_on}',
  '{negative_feedback,dsr_item,dsr_communication,dsr_shipping,unshipped,arbitration,dispute_timeout,seller_responsible,rating_counted,rating_positive,item_rated,communication_rated,shipping_rated}',
  '{item_stars,communication_stars,shipping_stars}',
  'month_end', NULL, 'same_day');

INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, when_any, when_none, basis, value, k, description) VALUES
 ('aliexpress', 'orders', 'count', '{}', '{}', '{}', 'finished_on', NULL, NULL, 'A3, A15: every assessed order, by the day it finished'),
 ('aliexpress', 'defective', 'count', '{}', '{negative_feedback,dsr_item,dsr_communication,dsr_shipping,unshipped,arbitration,dispute_timeout}', '{}', 'finished_on', NULL, NULL, 'A12: orders with any defect reason, counted once'),
 ('aliexpress', 'negative_feedback', 'count', '{negative_feedback}', '{}', '{}', 'finished_on', NULL, NULL, 'A5'),
 ('aliexpress', 'dsr_item', 'count', '{dsr_item}', '{}', '{}', 'finished_on', NULL, NULL, 'A6'),
 ('aliexpress', 'dsr_communication', 'count', '{dsr_communication}', '{}', '{}', 'finished_on', NULL, NULL, 'A7'),
 ('aliexpress', 'dsr_shipping', 'count', '{dsr_shipping}', '{}', '{}', 'finished_on', NULL, NULL, 'A8'),
 ('aliexpress', 'unshipped', 'count', '{unshipped}', '{}', '{}', 'finished_on', NULL, NULL, 'A9'),
 ('aliexpress', 'arbitration', 'count', '{arbitration}', '{}', '{}', 'finished_on', NULL, NULL, 'A10'),
 ('aliexpress', 'dispute_timeout', 'count', '{dispute_timeout}', '{}', '{}', 'finished_on', NULL, NULL, 'A11'),
 ('aliexpress', 'seller_responsible', 'count', '{seller_responsible}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: arbitration ruled against the seller'),
 ('aliexpress', 'ratings_counted', 'count', '{rating_counted}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: overall ratings counted (not under US$5, not A13)'),
 ('aliexpress', 'ratings_positive', 'count', '{rating_counted,rating_positive}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: of those, 4 or 5 stars'),
 ('aliexpress', 'item_ratings', 'count', '{item_rated}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: counted DSR "item as described" ratings'),
 ('aliexpress', 'item_stars', 'sum', '{item_rated}', '{}', '{}', 'finished_on', 'item_stars', NULL, 'A16: their stars'),
 ('aliexpress', 'communication_ratings', 'count', '{communication_rated}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: counted DSR "communication" ratings'),
 ('aliexpress', 'communication_stars', 'sum', '{communication_rated}', '{}', '{}', 'finished_on', 'communication_stars', NULL, 'A16: their stars'),
 ('aliexpress', 'shipping_ratings', 'count', '{shipping_rated}', '{}', '{}', 'finished_on', NULL, NULL, 'A16: counted DSR "shipping speed" ratings'),
 ('aliexpress', 'shipping_stars', 'sum', '{shipping_rated}', '{}', '{}', 'finished_on', 'shipping_stars', NULL, 'A16: their stars');

INSERT INTO odr_marketplace_window (marketplace, name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description) VALUES
 ('aliexpress', 'days_90', 'days', 90, 0, NULL, NULL, NULL, NULL, 'A1: the 90 days ending on the assessment date');

INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window", description) VALUES
 ('aliexpress', 'odr', 'rate', 'defective', 'orders', 'days_90', 'A15: defective orders / assessed orders'),
 ('aliexpress', 'orders', 'count', 'orders', NULL, 'days_90', 'A4, A15: assessed orders'),
 ('aliexpress', 'defective', 'count', 'defective', NULL, 'days_90', 'A12: defective orders'),
 ('aliexpress', 'negative_feedback', 'count', 'negative_feedback', NULL, 'days_90', 'A5, A18: orders with this reason'),
 ('aliexpress', 'dsr_item', 'count', 'dsr_item', NULL, 'days_90', 'A6, A18'),
 ('aliexpress', 'dsr_communication', 'count', 'dsr_communication', NULL, 'days_90', 'A7, A18'),
 ('aliexpress', 'dsr_shipping', 'count', 'dsr_shipping', NULL, 'days_90', 'A8, A18'),
 ('aliexpress', 'unshipped', 'count', 'unshipped', NULL, 'days_90', 'A9, A18'),
 ('aliexpress', 'arbitration', 'count', 'arbitration', NULL, 'days_90', 'A10, A18'),
 ('aliexpress', 'dispute_timeout', 'count', 'dispute_timeout', NULL, 'days_90', 'A11, A18'),
 ('aliexpress', 'seller_responsible_arbitration_rate', 'rate', 'seller_responsible', 'orders', 'days_90', 'A16: arbitrations ruled against the seller / assessed orders'),
 ('aliexpress', 'positive_feedback_rate', 'rate', 'ratings_positive', 'ratings_counted', 'days_90', 'A16: 4-5 star ratings / counted ratings'),
 ('aliexpress', 'dsr_item_avg', 'average', 'item_stars', 'item_ratings', 'days_90', 'A16: store average of the DSR "item as described"'),
 ('aliexpress', 'dsr_communication_avg', 'average', 'communication_stars', 'communication_ratings', 'days_90', 'A16: store average of the DSR "communication"'),
 ('aliexpress', 'dsr_shipping_avg', 'average', 'shipping_stars', 'shipping_ratings', 'days_90', 'A16: store average of the DSR "shipping speed"');

INSERT INTO odr_marketplace_standard (marketplace, name, position, description) VALUES
 ('aliexpress', 'assessed', 1, 'A4: at least 90 assessed orders in the window'),
 ('aliexpress', 'excellent_odr', 2, 'A17: ODR below 3%'),
 ('aliexpress', 'good_odr', 3, 'A17: ODR below 6%'),
 ('aliexpress', 'pass_odr', 4, 'A17: ODR below 12%');

INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('aliexpress', 'assessed', 1, 'orders', '>=', 90),
 ('aliexpress', 'excellent_odr', 1, 'odr', '<', 0.03),
 ('aliexpress', 'good_odr', 1, 'odr', '<', 0.06),
 ('aliexpress', 'pass_odr', 1, 'odr', '<', 0.12);

INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards, description) VALUES
 ('aliexpress', 'unassessed', 0, 1, 'any_failed', '{assessed}', 'A4: fewer than 90 assessed orders (a tier of its own, not a failure)'),
 ('aliexpress', 'excellent', 4, 2, 'all_met', '{excellent_odr}', 'A17: ODR below 3%'),
 ('aliexpress', 'good', 3, 3, 'all_met', '{good_odr}', 'A17: ODR below 6%'),
 ('aliexpress', 'pass', 2, 4, 'all_met', '{pass_odr}', 'A17: ODR below 12%'),
 ('aliexpress', 'fail', 1, 5, 'otherwise', '{}', 'A17: ODR of 12% or more');

-- Walmart Marketplace (rules M3) as two policies of the same engine:
-- walmart grades the M3.1 standards into the M3.2 status, walmart_pro_seller
-- the M3.3 badge ladder.  Both have the same date bases, events and values,
-- so one order (odr_walmart_order) or one buyer message (odr_walmart_message)
-- is graded by either; messages go to the same aggregate as the orders.
INSERT INTO odr_marketplace (name, description, builtin, date_bases, events, "values", evaluated, evaluation_day, effective_after)
VALUES
 ('walmart', 'Walmart Marketplace seller performance standards (rules M3.1, M3.2) for seller-fulfilled orders: over 30 days, cancellation rate <= 2%, on-time delivery >= 90% (by expected delivery date), valid tracking >= 99%, refund rate <= 6%, seller response within 48 h >= 95% (by message date); over 60 days negative feedback <= 2%; below_standards when a measured standard fails, else meets_standards; graded daily',
  true, '{order_date,expected_delivery_date,message_date}',
  '{cancelled_by_seller,shipped,tracking_valid,delivered,delivered_on_time,seller_refund,rated,negative_feedback,message,answered_in_48h}', '{}',
  'daily', NULL, 'same_day'),
 ('walmart_pro_seller', 'Walmart Pro Seller badge (rules M3.3), recalculated daily: pro (on-time delivery >= 95% and cancellation <= 1.5% over 90 days, response >= 95% over 30 days) > advanced (92.5%, 2.0%, 92.5%) > rising (90%, 2.5%, 90%) > none; a badge needs its three conditions measured and met; the same orders and messages as walmart',
  true, '{order_date,expected_delivery_date,message_date}',
  '{cancelled_by_seller,shipped,tracking_valid,delivered,delivered_on_time,seller_refund,rated,negative_feedback,message,answered_in_48h}', '{}',
  'daily', NULL, 'same_day');

INSERT INTO odr_marketplace_counter (marketplace, name, kind, when_all, when_any, when_none, basis, value, k, description)
SELECT m, c.name, 'count', c.when_all, '{}', '{}', c.basis, NULL, NULL, c.description
FROM (VALUES ('walmart'), ('walmart_pro_seller')) AS mk(m),
 (VALUES
  ('orders', '{}'::text[], 'order_date', 'M3.1: every seller-fulfilled order, by order date (cancelled ones included)'),
  ('cancelled', '{cancelled_by_seller}', 'order_date', 'M3.1: orders cancelled by the seller (not auto-cancels, not buyer-requested)'),
  ('shipped', '{shipped}', 'order_date', 'M3.1: shipped orders, by order date'),
  ('tracked', '{shipped,tracking_valid}', 'order_date', 'M3.1: of those, with valid tracking'),
  ('delivered', '{delivered}', 'expected_delivery_date', 'M3.1: delivered orders, by expected delivery date'),
  ('on_time', '{delivered,delivered_on_time}', 'expected_delivery_date', 'M3.1: of those, delivered on or before the expected delivery date'),
  ('refunds', '{seller_refund}', 'order_date', 'M3.1: orders refunded for a reason on the seller''s side'),
  ('rated', '{rated}', 'order_date', 'M3.1: orders with an item or a seller rating'),
  ('negative', '{rated,negative_feedback}', 'order_date', 'M3.1: of those, the lower rating present is 1 or 2 stars'),
  ('messages', '{message}', 'message_date', 'M3.1: buyer messages, by the day received'),
  ('answered', '{message,answered_in_48h}', 'message_date', 'M3.1: of those, answered within 48 hours of elapsed time (weekends included)'))
 AS c(name, when_all, basis, description);

INSERT INTO odr_marketplace_window (marketplace, name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min, description) VALUES
 ('walmart', 'days_30', 'days', 30, 0, NULL, NULL, NULL, NULL, 'M3.1: the 30 days ending on the as-of date'),
 ('walmart', 'days_60', 'days', 60, 0, NULL, NULL, NULL, NULL, 'M3.1: 60 days (negative feedback)'),
 ('walmart_pro_seller', 'days_30', 'days', 30, 0, NULL, NULL, NULL, NULL, 'M3.3: 30 days (seller response)'),
 ('walmart_pro_seller', 'days_90', 'days', 90, 0, NULL, NULL, NULL, NULL, 'M3.3: 90 days (on-time delivery, cancellation)');

INSERT INTO odr_marketplace_metric (marketplace, name, kind, numerator, denominator, "window", description) VALUES
 ('walmart', 'cancellation_rate', 'rate', 'cancelled', 'orders', 'days_30', 'M3.1: orders cancelled by the seller / orders, 30 days'),
 ('walmart', 'on_time_delivery_rate', 'rate', 'on_time', 'delivered', 'days_30', 'M3.1: delivered by the expected delivery date / delivered orders, 30 days of expected delivery date'),
 ('walmart', 'valid_tracking_rate', 'rate', 'tracked', 'shipped', 'days_30', 'M3.1: orders with valid tracking / shipped orders, 30 days'),
 ('walmart', 'refund_rate', 'rate', 'refunds', 'orders', 'days_30', 'M3.1: seller-responsible refunds / orders, 30 days'),
 ('walmart', 'seller_response_rate', 'rate', 'answered', 'messages', 'days_30', 'M3.1: buyer messages answered within 48 hours / messages, 30 days of message date'),
 ('walmart', 'negative_feedback_rate', 'rate', 'negative', 'rated', 'days_60', 'M3.1: orders rated 1-2 stars (the lower of item and seller rating) / rated orders, 60 days'),
 ('walmart', 'orders', 'count', 'orders', NULL, 'days_30', 'M3.1: orders of the 30 days'),
 ('walmart', 'delivered', 'count', 'delivered', NULL, 'days_30', 'M3.1: delivered orders of the 30 days of expected delivery date'),
 ('walmart', 'shipped', 'count', 'shipped', NULL, 'days_30', 'M3.1: shipped orders of the 30 days'),
 ('walmart', 'messages', 'count', 'messages', NULL, 'days_30', 'M3.1: buyer messages of the 30 days'),
 ('walmart', 'rated', 'count', 'rated', NULL, 'days_60', 'M3.1: rated orders of the 60 days'),
 ('walmart_pro_seller', 'on_time_delivery_rate_90', 'rate', 'on_time', 'delivered', 'days_90', 'M3.3: delivered by the expected delivery date / delivered orders, 90 days of expected delivery date'),
 ('walmart_pro_seller', 'cancellation_rate_90', 'rate', 'cancelled', 'orders', 'days_90', 'M3.3: orders cancelled by the seller / orders, 90 days'),
 ('walmart_pro_seller', 'seller_response_rate_30', 'rate', 'answered', 'messages', 'days_30', 'M3.3: buyer messages answered within 48 hours / messages, 30 days'),
 ('walmart_pro_seller', 'orders_90', 'count', 'orders', NULL, 'days_90', 'M3.3: orders of the 90 days'),
 ('walmart_pro_seller', 'delivered_90', 'count', 'delivered', NULL, 'days_90', 'M3.3: delivered orders of the 90 days'),
 ('walmart_pro_seller', 'messages_30', 'count', 'messages', NULL, 'days_30', 'M3.3: buyer messages of the 30 days');

INSERT INTO odr_marketplace_standard (marketplace, name, position, description) VALUES
 ('walmart', 'cancellation', 1, 'M3.1: cancellation rate within 2%'),
 ('walmart', 'on_time_delivery', 2, 'M3.1: on-time delivery at least 90%'),
 ('walmart', 'valid_tracking', 3, 'M3.1: valid tracking at least 99%'),
 ('walmart', 'refunds', 4, 'M3.1: refund rate within 6%'),
 ('walmart', 'seller_response', 5, 'M3.1: seller response within 48 hours at least 95%'),
 ('walmart', 'negative_feedback', 6, 'M3.1: negative feedback within 2%'),
 ('walmart_pro_seller', 'pro_on_time', 1, 'M3.3 Pro: on-time delivery at least 95% over 90 days'),
 ('walmart_pro_seller', 'pro_cancellation', 2, 'M3.3 Pro: cancellation within 1.5% over 90 days'),
 ('walmart_pro_seller', 'pro_response', 3, 'M3.3 Pro: seller response at least 95% over 30 days'),
 ('walmart_pro_seller', 'advanced_on_time', 4, 'M3.3 Advanced: on-time delivery at least 92.5% over 90 days'),
 ('walmart_pro_seller', 'advanced_cancellation', 5, 'M3.3 Advanced: cancellation within 2.0% over 90 days'),
 ('walmart_pro_seller', 'advanced_response', 6, 'M3.3 Advanced: seller response at least 92.5% over 30 days'),
 ('walmart_pro_seller', 'rising_on_time', 7, 'M3.3 Rising: on-time delivery at least 90% over 90 days'),
 ('walmart_pro_seller', 'rising_cancellation', 8, 'M3.3 Rising: cancellation within 2.5% over 90 days'),
 ('walmart_pro_seller', 'rising_response', 9, 'M3.3 Rising: seller response at least 90% over 30 days');

INSERT INTO odr_marketplace_comparison (marketplace, standard, position, metric, op, threshold) VALUES
 ('walmart', 'cancellation', 1, 'cancellation_rate', '<=', 0.02),
 ('walmart', 'on_time_delivery', 1, 'on_time_delivery_rate', '>=', 0.90),
 ('walmart', 'valid_tracking', 1, 'valid_tracking_rate', '>=', 0.99),
 ('walmart', 'refunds', 1, 'refund_rate', '<=', 0.06),
 ('walmart', 'seller_response', 1, 'seller_response_rate', '>=', 0.95),
 ('walmart', 'negative_feedback', 1, 'negative_feedback_rate', '<=', 0.02),
 ('walmart_pro_seller', 'pro_on_time', 1, 'on_time_delivery_rate_90', '>=', 0.95),
 ('walmart_pro_seller', 'pro_cancellation', 1, 'cancellation_rate_90', '<=', 0.015),
 ('walmart_pro_seller', 'pro_response', 1, 'seller_response_rate_30', '>=', 0.95),
 ('walmart_pro_seller', 'advanced_on_time', 1, 'on_time_delivery_rate_90', '>=', 0.925),
 ('walmart_pro_seller', 'advanced_cancellation', 1, 'cancellation_rate_90', '<=', 0.020),
 ('walmart_pro_seller', 'advanced_response', 1, 'seller_response_rate_30', '>=', 0.925),
 ('walmart_pro_seller', 'rising_on_time', 1, 'on_time_delivery_rate_90', '>=', 0.90),
 ('walmart_pro_seller', 'rising_cancellation', 1, 'cancellation_rate_90', '<=', 0.025),
 ('walmart_pro_seller', 'rising_response', 1, 'seller_response_rate_30', '>=', 0.90);

INSERT INTO odr_marketplace_level (marketplace, name, rank, position, mode, standards, description) VALUES
 ('walmart', 'below_standards', 0, 1, 'any_failed', '{cancellation,on_time_delivery,valid_tracking,refunds,seller_response,negative_feedback}', 'M3.2: a measured standard fails (odr_explain names each failing metric; a metric over no orders or messages is n/a)'),
 ('walmart', 'meets_standards', 1, 2, 'otherwise', '{}', 'M3.2: no measured standard fails'),
 ('walmart_pro_seller', 'pro', 3, 1, 'all_met', '{pro_on_time,pro_cancellation,pro_response}', 'M3.3: Pro Seller'),
 ('walmart_pro_seller', 'advanced', 2, 2, 'all_met', '{advanced_on_time,advanced_cancellation,advanced_response}', 'M3.3: Advanced'),
 ('walmart_pro_seller', 'rising', 1, 3, 'all_met', '{rising_on_time,rising_cancellation,rising_response}', 'M3.3: Rising'),
 ('walmart_pro_seller', 'none', 0, 4, 'otherwise', '{}', 'M3.3: no badge (a condition not measured is not met)');

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
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_counter', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_window', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_metric', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_standard', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_comparison', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');
SELECT pg_catalog.pg_extension_config_dump('odr_marketplace_level', 'WHERE marketplace NOT IN (''aliexpress'', ''amazon'', ''ebay'', ''walmart'', ''walmart_pro_seller'')');

GRANT SELECT ON odr_marketplace, odr_marketplace_counter, odr_marketplace_window, odr_marketplace_metric,
	odr_marketplace_standard, odr_marketplace_comparison, odr_marketplace_level TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON odr_marketplace, odr_marketplace_counter, odr_marketplace_window, odr_marketplace_metric,
	odr_marketplace_standard, odr_marketplace_comparison, odr_marketplace_level TO @extowner@;

CREATE FUNCTION @extschema@.odr_business_deadline(start timestamptz, business_days integer, calendar text,
                                                   time_zone text DEFAULT 'UTC')
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	wk integer[];
	hol date[];
	loc timestamp;
	d date;
	tod interval;
	n integer := 0;
BEGIN
	IF start IS NULL THEN
		RAISE EXCEPTION 'start must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF business_days IS NULL THEN
		RAISE EXCEPTION 'business_days must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF calendar IS NULL THEN
		RAISE EXCEPTION 'calendar must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF time_zone IS NULL THEN
		RAISE EXCEPTION 'time_zone must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT pg_catalog.isfinite(start) THEN
		RAISE EXCEPTION 'start must be finite, not %', start USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF business_days OPERATOR(pg_catalog.<) 0 OR business_days OPERATOR(pg_catalog.>) 36600 THEN
		RAISE EXCEPTION 'business_days must be 0 .. 36600, not %', business_days USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT c.weekend INTO wk FROM @extschema@.odr_business_calendar AS c WHERE c.name OPERATOR(pg_catalog.=) calendar;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'calendar "%" does not exist', calendar
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'SELECT name FROM odr_business_calendar lists the calendars.';
	END IF;
	hol := ARRAY(SELECT h.day FROM @extschema@.odr_business_holiday AS h
	             WHERE h.calendar OPERATOR(pg_catalog.=) odr_business_deadline.calendar ORDER BY h.day);
	loc := pg_catalog.timezone(time_zone, start);
	d := loc::date;
	tod := loc OPERATOR(pg_catalog.-) d::timestamp;
	-- a start on a day off starts the clock at 00:00 of the next working day
	WHILE (((d OPERATOR(pg_catalog.-) '2000-01-03'::date) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 7) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.=) ANY (wk)
	      OR d OPERATOR(pg_catalog.=) ANY (hol) LOOP
		d := d OPERATOR(pg_catalog.+) 1;
		tod := '00:00'::interval;
	END LOOP;
	WHILE n OPERATOR(pg_catalog.<) business_days LOOP
		d := d OPERATOR(pg_catalog.+) 1;
		IF NOT ((((d OPERATOR(pg_catalog.-) '2000-01-03'::date) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 7) OPERATOR(pg_catalog.%) 7 OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.=) ANY (wk)
		        OR d OPERATOR(pg_catalog.=) ANY (hol)) THEN
			n := n OPERATOR(pg_catalog.+) 1;
		END IF;
	END LOOP;
	RETURN pg_catalog.timezone(time_zone, d::timestamp OPERATOR(pg_catalog.+) tod);
END
$$;
COMMENT ON FUNCTION @extschema@.odr_business_deadline(timestamptz, integer, text, text) IS
	'Issue 20, construct 8: the deadline business_days working days of calendar after start, read in time_zone: the same time of day on the business_days-th working day after start''s day (a holiday or weekend on the deadline moves it to the next working day); a start on a day off counts from 00:00 of the next working day; 0 days: start (or that 00:00). 22004 for a NULL argument, 22023 for an unknown calendar, an infinite start or business_days outside 0 .. 36600.';

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
AS 'MODULE_PATHNAME', 'odr_amazon_order' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_amazon_order(date, text, integer, text, boolean, timestamptz, timestamptz, timestamptz, text, date, boolean, text) IS
	'M1: an Amazon order''s facts for odr_assess(o, ''amazon'', as_of): fulfilment mfn or afn; claim_status open, granted, denied, withdrawn or won_on_appeal; cancelled_by seller, auto or buyer';

-- M2: one eBay transaction.  A defect (M2.1) is a cancel by the seller (not
-- auto, not buyer-requested) or a case closed without seller resolution;
-- late shipment is M1's test; sales exclude cancelled transactions.
CREATE FUNCTION odr_ebay_order(transaction_date date, buyer text, amount_usd numeric DEFAULT 0,
	cancelled_by text DEFAULT NULL, case_closed_without_seller_resolution boolean DEFAULT false,
	expected_ship_at timestamptz DEFAULT NULL, shipped_at timestamptz DEFAULT NULL)
RETURNS odr_order
AS 'MODULE_PATHNAME', 'odr_ebay_order' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_ebay_order(date, text, numeric, text, boolean, timestamptz, timestamptz) IS
	'M2: an eBay transaction''s facts for odr_assess(o, ''ebay'', evaluation_date): cancelled_by seller, auto or buyer';

-- A1-A17: an AliExpress order's facts for odr_assess(o, 'aliexpress', as_of),
-- from odr_classify's verdict and the day the order finished (A3).  A NULL
-- verdict gives a NULL order (not counted, as odr_agg skips it); the A16
-- facts (seller responsibility, counted ratings) come from the verdict's own
-- one-order summary, so they follow odr_agg's rules exactly.
CREATE FUNCTION odr_aliexpress_order(defects odr_defects, finished_on date)
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN defects IS NOT NULL THEN @extschema@.odr_order('aliexpress',
	ARRAY[finished_on],
	ARRAY[
		@extschema@.odr_has_reason(defects, 'negative_feedback'),
		@extschema@.odr_has_reason(defects, 'dsr_item'),
		@extschema@.odr_has_reason(defects, 'dsr_communication'),
		@extschema@.odr_has_reason(defects, 'dsr_shipping'),
		@extschema@.odr_has_reason(defects, 'unshipped'),
		@extschema@.odr_has_reason(defects, 'arbitration'),
		@extschema@.odr_has_reason(defects, 'dispute_timeout'),
		@extschema@.odr_seller_responsible_rate(@extschema@.odr_summary_of(defects)) OPERATOR(pg_catalog.>) 0::double precision,
		@extschema@.odr_positive_feedback_rate(@extschema@.odr_summary_of(defects)) IS NOT NULL,
		@extschema@.odr_positive_feedback_rate(@extschema@.odr_summary_of(defects)) OPERATOR(pg_catalog.>) 0::double precision,
		@extschema@.odr_dsr_item_avg(@extschema@.odr_summary_of(defects)) IS NOT NULL,
		@extschema@.odr_dsr_communication_avg(@extschema@.odr_summary_of(defects)) IS NOT NULL,
		@extschema@.odr_dsr_shipping_avg(@extschema@.odr_summary_of(defects)) IS NOT NULL]::boolean[],
	ARRAY[
		@extschema@.odr_dsr_item_avg(@extschema@.odr_summary_of(defects)),
		@extschema@.odr_dsr_communication_avg(@extschema@.odr_summary_of(defects)),
		@extschema@.odr_dsr_shipping_avg(@extschema@.odr_summary_of(defects))]::numeric[],
	NULL::text) END;
COMMENT ON FUNCTION odr_aliexpress_order(odr_defects, date) IS
	'A1-A17: an AliExpress order''s facts for odr_assess(o, ''aliexpress'', as_of), from its verdict (odr_classify) and the day it finished; NULL verdict: NULL order (not counted)';

-- M3: one Walmart seller-fulfilled order, for odr_assess(o, 'walmart', as_of)
-- and odr_assess(o, 'walmart_pro_seller', as_of) alike.  A cancel counts
-- when by the seller (not auto, not buyer-requested); on time is delivered
-- (on its date in time_zone) on or before the expected delivery date;
-- negative feedback is the lower of the ratings present at 1 or 2 stars.
CREATE FUNCTION odr_walmart_order(order_date date, cancelled_by text DEFAULT NULL,
	shipped_at timestamptz DEFAULT NULL, tracking_valid boolean DEFAULT NULL,
	expected_delivery_date date DEFAULT NULL, delivered_at timestamptz DEFAULT NULL,
	seller_responsible_refund boolean DEFAULT false,
	item_rating integer DEFAULT NULL, seller_rating integer DEFAULT NULL,
	time_zone text DEFAULT 'UTC')
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@.odr_order('walmart',
	ARRAY[order_date, expected_delivery_date, NULL::date],
	ARRAY[
		@extschema@.odr_choice(cancelled_by, 'cancelled_by', '{seller,auto,buyer}') OPERATOR(pg_catalog.=) 'seller',
		shipped_at IS NOT NULL,
		COALESCE(tracking_valid, false),
		delivered_at IS NOT NULL,
		pg_catalog.timezone(COALESCE(time_zone, 'UTC'), delivered_at)::date OPERATOR(pg_catalog.<=) expected_delivery_date,
		COALESCE(seller_responsible_refund, false),
		item_rating IS NOT NULL OR seller_rating IS NOT NULL,
		LEAST(@extschema@.odr_choice(item_rating::text, 'item_rating', '{1,2,3,4,5}')::integer,
		      @extschema@.odr_choice(seller_rating::text, 'seller_rating', '{1,2,3,4,5}')::integer) OPERATOR(pg_catalog.<=) 2,
		false,
		false]::boolean[],
	NULL::numeric[], NULL::text);
COMMENT ON FUNCTION odr_walmart_order(date, text, timestamptz, boolean, date, timestamptz, boolean, integer, integer, text) IS
	'M3: a Walmart seller-fulfilled order''s facts for odr_assess(o, ''walmart'' or ''walmart_pro_seller'', as_of): cancelled_by seller, auto or buyer; item_rating and seller_rating 1..5; delivered_at falls on its date in time_zone (default UTC)';

-- M3.1: one buyer message, on the day it was received (in time_zone),
-- answered in time at or before received_at + 48 hours of elapsed time
-- (weekends included); never answered is late.  Fed to the same aggregate
-- as the orders (UNION ALL): orders have no message event.
CREATE FUNCTION odr_walmart_message(received_at timestamptz, answered_at timestamptz DEFAULT NULL,
	time_zone text DEFAULT 'UTC')
RETURNS odr_order
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@.odr_order('walmart',
	ARRAY[NULL::date, NULL::date, pg_catalog.timezone(COALESCE(time_zone, 'UTC'), received_at)::date],
	ARRAY[false, false, false, false, false, false, false, false,
		true,
		COALESCE(answered_at OPERATOR(pg_catalog.<=) (received_at OPERATOR(pg_catalog.+) '48 hours'::interval), false)]::boolean[],
	NULL::numeric[], NULL::text);
COMMENT ON FUNCTION odr_walmart_message(timestamptz, timestamptz, text) IS
	'M3.1: a buyer message''s facts for odr_assess(m, ''walmart'' or ''walmart_pro_seller'', as_of), on the day received in time_zone (default UTC): answered in time at or before received_at + 48 hours; NULL answered_at: late';

-- M3.1 from a raw chat log (issue 15): the S4 message records of a seller
-- paired into buyer messages and their answers.  One row per message, as
-- odr_response_rate takes them (without a zone: Walmart counts elapsed
-- time); the state, combine, serialise and deserialise functions are S4's,
-- so it runs in parallel.  Every buyer message gives one element: its
-- buyer, received_at, and the first human seller message of the same
-- conversation at the same instant or later (NULL when none).  Automatic
-- replies are no answers and official messages are ignored, as in S4 (a
-- default reading: M3 only says every buyer message counts).  Feed each
-- element to odr_walmart_message(received_at, answered_at, time_zone).
CREATE TYPE odr_message_reply AS (buyer text, received_at timestamptz, answered_at timestamptz);
COMMENT ON TYPE odr_message_reply IS
	'M3.1: a buyer message (buyer, received_at) and the first human seller message of the same conversation at the same instant or later (answered_at; NULL when none), as odr_message_replies gives them';
CREATE FUNCTION odr_message_replies_transfn(internal, text, timestamptz, text, boolean, boolean) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_message_replies_transfn(internal, text, timestamptz, text, boolean, boolean) IS
	'odr_message_replies transition: keeps a buyer message or a human seller reply (the S4 records, no zone)';
CREATE FUNCTION odr_message_replies_finalfn(internal) RETURNS odr_message_reply[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_message_replies_finalfn(internal) IS 'odr_message_replies final function';
CREATE AGGREGATE odr_message_replies(buyer text, sent_at timestamptz, sender text,
                                     is_auto_reply boolean, is_official boolean) (
	SFUNC = odr_message_replies_transfn,
	STYPE = internal,
	FINALFUNC = odr_message_replies_finalfn,
	COMBINEFUNC = odr_response_combinefn,
	SERIALFUNC = odr_response_serialfn,
	DESERIALFUNC = odr_response_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_message_replies(text, timestamptz, text, boolean, boolean) IS
	'M3.1: every buyer message of a chat log with its first human seller answer (same conversation, same instant or later; NULL when none), ordered by buyer (bytes) and time, for odr_walmart_message(received_at, answered_at, time_zone); automatic replies are no answers, official messages are ignored; NULL buyer, sent_at or sender: 22004; an empty array when there is no buyer message';

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

-- postgres_fdw ships an expression to a server listing odr in "extensions"
-- only when its result type belongs to odr; an implicit array type does not
-- unless it is added (then odr_agg_at / odr_rollup_at, returning
-- odr_assessment[], and odr_assess_at, returning odr_standing[], push down
-- to shards).  From PostgreSQL 17 on it joins odr with its element type by
-- itself (and adding it again is an error), so it is added only when it is
-- not a member.
DO $do$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['odr_assessment[]', 'odr_standing[]'] LOOP
		IF NOT EXISTS (
			SELECT FROM pg_catalog.pg_depend AS d
			WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid
			  AND d.objid OPERATOR(pg_catalog.=) pg_catalog.to_regtype(pg_catalog.concat('@extschema@.', t))::pg_catalog.oid
			  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid
			  AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char") THEN
			EXECUTE pg_catalog.concat('ALTER EXTENSION odr ADD TYPE @extschema@.', t);
		END IF;
	END LOOP;
END
$do$;
COMMENT ON TYPE odr_standing[] IS 'Standings in date order, as odr_assess_at returns them';

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
	'Every metric of the standing: the window it looked at (a by_volume window: the one chosen) and its days, numerator, denominator, value; at_least: a distinct count at its k (a lower bound). The numerator of a sum or an average metric is in 1/10000 of the value''s unit (the engine''s fixed point; value is in the unit)';
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

-- odr_assess_at: the standings on many dates in one pass (the marketplace
-- analogue of odr_agg_at): the days are cut at every window's edges of every
-- date, each row goes into the tally of its interval once, and each date's
-- windows are merged from the intervals they cover
CREATE FUNCTION odr_assess_at_transfn(internal, odr_order, text, date[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_transfn(internal, odr_order, text, date[]) IS 'Support of odr_assess_at over orders';
CREATE FUNCTION odr_assess_at_tally_transfn(internal, odr_tally, text, date[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_tally_transfn(internal, odr_tally, text, date[]) IS 'Support of odr_assess_at over per-day tallies';
CREATE FUNCTION odr_assess_at_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_combinefn(internal, internal) IS 'Support of odr_assess_at (parallel)';
CREATE FUNCTION odr_assess_at_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_serialfn(internal) IS 'Support of odr_assess_at (parallel)';
CREATE FUNCTION odr_assess_at_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_deserialfn(bytea, internal) IS 'Support of odr_assess_at (parallel)';
CREATE FUNCTION odr_assess_at_finalfn(internal) RETURNS odr_standing[]
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_finalfn(internal) IS 'Support of odr_assess_at';
CREATE AGGREGATE odr_assess_at(o odr_order, marketplace text, as_of date[]) (
	SFUNC = odr_assess_at_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_at_finalfn,
	COMBINEFUNC = odr_assess_at_combinefn,
	SERIALFUNC = odr_assess_at_serialfn,
	DESERIALFUNC = odr_assess_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess_at(odr_order, text, date[]) IS
	'Issue 14: a seller''s standings on many dates in one pass: element i is odr_assess(o, marketplace, as_of[i]) over the same orders, byte for byte; the dates in any order, repeats allowed (one standing per element); marketplace and as_of are the same for every row of a group; NULL orders are skipped';
CREATE AGGREGATE odr_assess_at(t odr_tally, marketplace text, as_of date[]) (
	SFUNC = odr_assess_at_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_at_finalfn,
	COMBINEFUNC = odr_assess_at_combinefn,
	SERIALFUNC = odr_assess_at_serialfn,
	DESERIALFUNC = odr_assess_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess_at(odr_tally, text, date[]) IS
	'Issue 14: a seller''s standings on many dates from its per-day tallies, each read once: element i is odr_assess(t, marketplace, as_of[i]) over the same tallies, byte for byte (eBay: the evaluation dates of odr_evaluations); the dates in any order, repeats allowed';

-- odr_assess / odr_assess_at over tallies, under the marketplace each tally
-- names (it was counted for it): no marketplace argument, so no collatable
-- input, and postgres_fdw may ship them to a shard keeping the tallies
-- (postgres_fdw sends an aggregate only when a collatable input comes from
-- a column of the foreign table; a marketplace name literal does not).
CREATE FUNCTION odr_assess_own_tally_transfn(internal, odr_tally, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_own_tally_transfn(internal, odr_tally, date) IS 'Support of odr_assess over per-day tallies, under their own marketplace';
CREATE AGGREGATE odr_assess(t odr_tally, as_of date) (
	SFUNC = odr_assess_own_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_finalfn,
	COMBINEFUNC = odr_assess_combinefn,
	SERIALFUNC = odr_assess_serialfn,
	DESERIALFUNC = odr_assess_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess(odr_tally, date) IS
	'Issue 14: odr_assess(t, marketplace, as_of) under the marketplace the tallies were counted for (each names it; all the same, 22023 otherwise): the same standing, byte for byte; shippable to postgres_fdw shards; NULL when every tally is NULL';
CREATE FUNCTION odr_assess_at_own_tally_transfn(internal, odr_tally, date[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION odr_assess_at_own_tally_transfn(internal, odr_tally, date[]) IS 'Support of odr_assess_at over per-day tallies, under their own marketplace';
CREATE AGGREGATE odr_assess_at(t odr_tally, as_of date[]) (
	SFUNC = odr_assess_at_own_tally_transfn,
	STYPE = internal,
	FINALFUNC = odr_assess_at_finalfn,
	COMBINEFUNC = odr_assess_at_combinefn,
	SERIALFUNC = odr_assess_at_serialfn,
	DESERIALFUNC = odr_assess_at_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE odr_assess_at(odr_tally, date[]) IS
	'Issue 14: odr_assess_at(t, marketplace, as_of) under the marketplace the tallies were counted for (each names it; all the same, 22023 otherwise): the same standings, byte for byte; shippable to postgres_fdw shards; NULL when every tally is NULL';

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
	'What would lift the seller to the next better level, per comparison in the way, all else equal: what (more_orders, more_good_orders, fewer_defects, more_value, wait_days, unreachable, unknown, not_measured) and the least n (more_value: in the value''s unit, rounded up); no row at the best level';

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

-- ---------------------------------------------------------------------
-- One seller, every platform (issue 15): standings of several
-- marketplaces side by side, worst first, as plain columns
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_level_share(marketplace text, level text) RETURNS double precision
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN x.top OPERATOR(pg_catalog.=) x.bottom THEN 1::double precision
	            ELSE (x.rank OPERATOR(pg_catalog.-) x.bottom)::double precision
	                 OPERATOR(pg_catalog./) (x.top OPERATOR(pg_catalog.-) x.bottom)::double precision END
	FROM (SELECT @extschema@.odr_level_rank(odr_level_share.marketplace, odr_level_share.level) AS rank,
	             (SELECT pg_catalog.min(l.rank) FROM @extschema@.odr_marketplace_level AS l
	              WHERE l.marketplace OPERATOR(pg_catalog.=) odr_level_share.marketplace) AS bottom,
	             (SELECT pg_catalog.max(l.rank) FROM @extschema@.odr_marketplace_level AS l
	              WHERE l.marketplace OPERATOR(pg_catalog.=) odr_level_share.marketplace) AS top) AS x;
END;
COMMENT ON FUNCTION odr_level_share(text, text) IS
	'Where a level stands on its marketplace''s own ladder, from 0 (the lowest level) to 1 (the highest): comparable across marketplaces (22023 for an unknown marketplace or level)';

CREATE FUNCTION odr_standings_side_by_side(standings odr_standing[],
	OUT "position" integer, OUT marketplace text, OUT as_of date, OUT level text, OUT level_rank integer,
	OUT level_share double precision, OUT best_level text, OUT deciding_standard text, OUT failed_standards text[])
RETURNS SETOF record
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT (pg_catalog.row_number() OVER (ORDER BY x.level_share, x.marketplace, x.as_of, x.k))::integer,
	       x.marketplace, x.as_of, x.level, x.level_rank, x.level_share,
	       (SELECT l.name FROM @extschema@.odr_marketplace_level AS l
	        WHERE l.marketplace OPERATOR(pg_catalog.=) x.marketplace ORDER BY l.rank DESC LIMIT 1),
	       x.deciding_standard,
	       ARRAY(SELECT e.standard FROM @extschema@.odr_explain(x.s) AS e
	             JOIN @extschema@.odr_marketplace_standard AS st
	               ON st.marketplace OPERATOR(pg_catalog.=) x.marketplace AND st.name OPERATOR(pg_catalog.=) e.standard
	             WHERE e.state OPERATOR(pg_catalog.=) 'failed'
	             GROUP BY e.standard, st."position" ORDER BY st."position")
	FROM (SELECT u.s, u.k,
	             @extschema@.odr_standing_marketplace(u.s) AS marketplace,
	             @extschema@.odr_standing_as_of(u.s) AS as_of,
	             @extschema@.odr_level(u.s) AS level,
	             @extschema@.odr_level_rank(u.s) AS level_rank,
	             @extschema@.odr_level_share(@extschema@.odr_standing_marketplace(u.s), @extschema@.odr_level(u.s)) AS level_share,
	             @extschema@.odr_deciding_standard(u.s) AS deciding_standard
	      FROM pg_catalog.unnest(standings) WITH ORDINALITY AS u(s, k)
	      WHERE u.s IS NOT NULL) AS x
	ORDER BY 1;
END;
COMMENT ON FUNCTION odr_standings_side_by_side(odr_standing[]) IS
	'One seller on every marketplace it is assessed on: one row per standing (NULLs skipped), worst first by level_share (0: the marketplace''s lowest level, 1: its highest), with the level, its rank, the marketplace''s best level, the deciding standard and every failed standard; plain columns for BI';

-- ---------------------------------------------------------------------
-- The warehouse path of a marketplace (issue 14): per-day tallies in a
-- materialised view, every evaluation of the marketplace's calendar from
-- them, plain columns for BI, the current and the projected level
-- ---------------------------------------------------------------------

CREATE FUNCTION odr_create_marketplace_warehouse(
	source regclass,
	seller_column name,
	order_column name,
	marketplace text,
	prefix text DEFAULT 'odr_')
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	nsp name;
	src text := source::text;
	seller_type regtype;
	order_type regtype;
	daily text;
	levels text;
	metrics text;
	current_v text;
BEGIN
	IF source IS NULL OR seller_column IS NULL OR order_column IS NULL OR marketplace IS NULL OR prefix IS NULL THEN
		RAISE EXCEPTION '% must not be NULL',
			CASE WHEN source IS NULL THEN 'source' WHEN seller_column IS NULL THEN 'seller_column'
			     WHEN order_column IS NULL THEN 'order_column' WHEN marketplace IS NULL THEN 'marketplace'
			     ELSE 'prefix' END
			USING ERRCODE = 'null_value_not_allowed',
			      HINT = 'source, seller_column, order_column, marketplace and prefix must all be given.';
	END IF;
	-- an unknown or broken marketplace: 22023 / 23514, from the engine
	PERFORM @extschema@.odr_marketplace_check(marketplace);
	-- the longest name made from prefix is <prefix>evaluations_key
	IF octet_length(prefix) + octet_length('evaluations_key') > 63 THEN
		RAISE EXCEPTION 'prefix "%" is too long: % bytes, at most %', prefix, octet_length(prefix), 63 - octet_length('evaluations_key')
			USING ERRCODE = 'name_too_long',
			      DETAIL = 'The longest name odr_create_marketplace_warehouse makes is <prefix>evaluations_key, and a name has at most 63 bytes.';
	END IF;
	SELECT n.nspname INTO nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = source;
	SELECT a.atttypid::regtype INTO seller_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = seller_column AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT a.atttypid::regtype INTO order_type FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = order_column AND a.attnum > 0 AND NOT a.attisdropped;
	IF seller_type IS NULL OR order_type IS NULL THEN
		RAISE EXCEPTION 'column "%" of "%" does not exist',
			CASE WHEN seller_type IS NULL THEN seller_column ELSE order_column END, src
			USING ERRCODE = 'undefined_column';
	END IF;
	IF order_type <> '@extschema@.odr_order'::regtype THEN
		RAISE EXCEPTION 'column "%" of "%" is %, not odr_order', order_column, src, order_type
			USING ERRCODE = 'datatype_mismatch',
			      HINT = format('Build each order''s facts in a view, for example odr_%s_order(...) AS %I, and pass the view.',
			                    CASE WHEN marketplace IN ('amazon', 'ebay', 'aliexpress', 'walmart') THEN marketplace WHEN marketplace = 'walmart_pro_seller' THEN 'walmart' ELSE '<marketplace>' END, order_column);
	END IF;
	daily := format('%I.%I', nsp, prefix || 'daily');
	levels := format('%I.%I', nsp, prefix || 'evaluations');
	metrics := format('%I.%I', nsp, prefix || 'metrics');
	current_v := format('%I.%I', nsp, prefix || 'current');

	-- one tally per seller and day: each order counted on each distinct day
	-- of its date bases (odr_order_tally_days); an order built for another
	-- marketplace is an error here, not a silent zero
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %1$s AS
		SELECT s.%2$I AS seller_id, d.day, @extschema@.odr_tally(s.%3$I, %4$L, d.day) AS tally
		FROM %5$s AS s, @extschema@.odr_order_tally_days(s.%3$I) AS d(day)
		GROUP BY 1, 2$q$, daily, seller_column, order_column, marketplace, src);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, day)', prefix || 'daily_key', daily);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', daily,
		format('odr: the per-day tallies of marketplace %s over %s (one row per seller and day); refresh with odr_refresh_warehouse(%L)',
		       marketplace, src, daily));
	RETURN NEXT daily::regclass;

	-- every evaluation of the calendar from the first day of the data to the
	-- last, for each seller from its own first day, in one pass over the
	-- tallies (odr_assess_at)
	EXECUTE format($q$
		CREATE MATERIALIZED VIEW %1$s AS
		WITH span AS (
			SELECT pg_catalog.min(t.day) AS first_day, pg_catalog.max(t.day) AS last_day FROM %2$s AS t),
		dates AS (
			SELECT pg_catalog.array_agg(e.evaluated_on ORDER BY e.evaluated_on) AS ds
			FROM span, @extschema@.odr_evaluations(%3$L, span.first_day, span.last_day) AS e),
		graded AS (
			SELECT t.seller_id, pg_catalog.min(t.day) AS first_day,
			       @extschema@.odr_assess_at(t.tally, %3$L, (SELECT dates.ds FROM dates)) AS standings
			FROM %2$s AS t
			WHERE (SELECT dates.ds FROM dates) IS NOT NULL
			GROUP BY t.seller_id)
		SELECT g.seller_id, e.evaluated_on, e.effective_from, e.effective_to,
		       @extschema@.odr_level(u.standing) AS level,
		       @extschema@.odr_level_rank(u.standing) AS level_rank,
		       @extschema@.odr_deciding_standard(u.standing) AS deciding_standard,
		       u.standing
		FROM graded AS g,
		     pg_catalog.unnest(g.standings) AS u(standing),
		     @extschema@.odr_evaluations(%3$L, @extschema@.odr_standing_as_of(u.standing),
		                                 @extschema@.odr_standing_as_of(u.standing)) AS e
		WHERE e.evaluated_on OPERATOR(pg_catalog.>=) g.first_day$q$, levels, daily, marketplace);
	EXECUTE format('CREATE UNIQUE INDEX %I ON %s (seller_id, evaluated_on)', prefix || 'evaluations_key', levels);
	EXECUTE format('COMMENT ON MATERIALIZED VIEW %s IS %L', levels,
		format('odr: each seller''s level under marketplace %s on every evaluation of its calendar, from the seller''s first day to the last day of %s: level, rank, deciding standard, when it is in effect, and the standing',
		       marketplace, daily));
	RETURN NEXT levels::regclass;

	-- plain columns for BI: one row per seller, evaluation and metric; the
	-- numerator of a sum or an average in the value's own unit (the engine
	-- keeps sums in 1/10000 of it)
	EXECUTE format($q$
		CREATE VIEW %1$s AS
		SELECT l.seller_id, l.evaluated_on, l.level, m.metric, m.kind, m."window", m.first_day, m.last_day,
		       m.value,
		       CASE WHEN m.kind OPERATOR(pg_catalog.=) ANY ('{sum,average}'::text[])
		            THEN pg_catalog.trim_scale(m.numerator::pg_catalog.numeric OPERATOR(pg_catalog./) 10000::pg_catalog.numeric)
		            ELSE m.numerator::pg_catalog.numeric END AS numerator,
		       m.denominator
		FROM %2$s AS l, @extschema@.odr_standing_metrics(l.standing) AS m$q$, metrics, levels);
	EXECUTE format('COMMENT ON VIEW %s IS %L', metrics,
		format('odr: every metric of marketplace %s behind each level of %s, as plain columns', marketplace, levels));
	RETURN NEXT metrics::regclass;

	-- the level in effect today (the latest evaluation whose effect has
	-- begun) and the projected one: the next evaluation over the orders
	-- known so far (eBay M2.4; a daily marketplace: tomorrow's)
	EXECUTE format($q$
		CREATE VIEW %1$s AS
		SELECT g.seller_id,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN x.evaluated_on END AS evaluated_on,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN x.effective_from END AS effective_from,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN x.effective_to END AS effective_to,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN @extschema@.odr_level(g.current_standing) END AS level,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN @extschema@.odr_level_rank(g.current_standing) END AS level_rank,
		       CASE WHEN g.first_day OPERATOR(pg_catalog.<=) x.evaluated_on THEN @extschema@.odr_deciding_standard(g.current_standing) END AS deciding_standard,
		       x.projected_on,
		       @extschema@.odr_level(g.projected_standing) AS projected_level,
		       @extschema@.odr_level_rank(g.projected_standing) AS projected_level_rank,
		       @extschema@.odr_deciding_standard(g.projected_standing) AS projected_deciding_standard
		FROM (SELECT e.evaluated_on, e.effective_from, e.effective_to,
		             @extschema@.odr_next_evaluation(%3$L, CURRENT_DATE) AS projected_on
		      FROM @extschema@.odr_evaluations(%3$L, CURRENT_DATE OPERATOR(pg_catalog.-) 400, CURRENT_DATE) AS e
		      WHERE e.effective_from OPERATOR(pg_catalog.<=) CURRENT_DATE
		      ORDER BY e.evaluated_on DESC LIMIT 1) AS x,
		     LATERAL (SELECT t.seller_id, pg_catalog.min(t.day) AS first_day,
		                     @extschema@.odr_assess(t.tally, %3$L, x.evaluated_on) AS current_standing,
		                     @extschema@.odr_assess(t.tally, %3$L, x.projected_on) AS projected_standing
		              FROM %2$s AS t GROUP BY t.seller_id) AS g$q$, current_v, daily, marketplace);
	EXECUTE format('COMMENT ON VIEW %s IS %L', current_v,
		format('odr: per seller, the level of marketplace %s in effect today (its latest evaluation whose effect has begun; NULL before the seller''s first day) and the projected level of the next evaluation over the orders known so far, from %s',
		       marketplace, daily));
	RETURN NEXT current_v::regclass;
END
$fn$;
COMMENT ON FUNCTION odr_create_marketplace_warehouse(regclass, name, name, text, text) IS
	'Issue 14: the warehouse of a marketplace over a table or view with one odr_order column (odr_amazon_order, odr_ebay_order, odr_aliexpress_order, odr_walmart_order and odr_walmart_message, odr_order): <prefix>daily (per-day odr_tally, materialised), <prefix>evaluations (every evaluation of the marketplace calendar: level, rank, deciding standard, effective dates, standing; materialised), <prefix>metrics (every metric as plain columns), <prefix>current (today''s level and the projected one). Refresh with odr_refresh_warehouse(''<prefix>daily'').';
