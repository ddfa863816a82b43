\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS odr;
BEGIN;
SELECT plan(20);
SET LOCAL timezone = 'UTC';

-- Walmart seller response (rules M3.1) from a chat log: odr_message_replies
-- pairs each buyer message with its first human answer, reusing the S4
-- state (rules S4).  The catalogue entries, the pairing at its boundaries,
-- and every error with its SQLSTATE.  sql/marketplace_walmart_messages.sql
-- checks it against plain SQL on generated data, serial and parallel.

-- ---------------------------------------------------------------------
-- Catalogue
-- ---------------------------------------------------------------------
SELECT is_aggregate('odr_message_replies', ARRAY['text','timestamp with time zone','text','boolean','boolean'],
                    'odr_message_replies is an aggregate');
SELECT function_returns('odr_message_replies', ARRAY['text','timestamp with time zone','text','boolean','boolean'],
                        'odr_message_reply[]', 'odr_message_replies returns odr_message_reply[]');
SELECT has_composite('odr_message_reply', 'odr_message_reply is a composite type');
SELECT columns_are('odr_message_reply', ARRAY['buyer', 'received_at', 'answered_at'],
                   'odr_message_reply is (buyer, received_at, answered_at)');
SELECT ok((SELECT a.aggcombinefn = 'odr_response_combinefn'::regproc AND a.aggserialfn = 'odr_response_serialfn'::regproc
                  AND a.aggdeserialfn = 'odr_response_deserialfn'::regproc AND p.proparallel = 's'
           FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
           WHERE a.aggfnoid = 'odr_message_replies'::regproc),
          'odr_message_replies is PARALLEL SAFE with S4''s combine, serialise and deserialise functions');
SELECT volatility_is('odr_message_replies_transfn', ARRAY['internal','text','timestamp with time zone','text','boolean','boolean'],
                     'immutable', 'odr_message_replies_transfn is IMMUTABLE: no zone, elapsed time');
SELECT volatility_is('odr_message_replies_finalfn', ARRAY['internal'], 'immutable', 'odr_message_replies_finalfn is IMMUTABLE');
SELECT ok(obj_description('odr_message_replies(text,timestamptz,text,boolean,boolean)'::regprocedure, 'pg_proc') IS NOT NULL
          AND obj_description('odr_message_reply'::regtype, 'pg_type') IS NOT NULL,
          'odr_message_replies and odr_message_reply have a COMMENT');

-- ---------------------------------------------------------------------
-- The pairing (M3.1 with S4's reading of auto and official messages)
-- ---------------------------------------------------------------------
CREATE TEMP TABLE chat (buyer text, sent_at timestamptz, sender text, auto boolean DEFAULT false, official boolean DEFAULT false);
INSERT INTO chat VALUES
 ('a', '2026-04-03 12:00Z', 'buyer', false, false), ('a', '2026-04-05 12:00Z', 'seller', false, false),   -- exactly 48 h
 ('b', '2026-04-06 09:00Z', 'buyer', false, false), ('b', '2026-04-08 09:00:00.000001Z', 'seller', false, false), -- 48 h + 1 us
 ('c', '2026-04-07 09:00Z', 'buyer', false, false), ('c', '2026-04-07 10:00Z', 'buyer', false, false),
 ('c', '2026-04-07 11:00Z', 'seller', false, false),
 ('d', '2026-04-07 08:59Z', 'seller', false, false), ('d', '2026-04-07 09:00Z', 'buyer', false, false),  -- reply before
 ('e', '2026-04-07 09:00Z', 'buyer', false, false), ('e', '2026-04-07 09:01Z', 'seller', true, false),   -- auto reply
 ('f', '2026-04-07 09:00Z', 'buyer', false, false), ('f', '2026-04-07 09:01Z', 'platform', false, true), -- official
 ('g', '2026-04-07 09:00Z', 'seller', false, false);                                                     -- another buyer's
CREATE TEMP TABLE pairs AS
SELECT r.*, 'answered_in_48h' = ANY (odr_order_events(odr_walmart_message(r.received_at, r.answered_at), 'walmart')) AS in_time
FROM (SELECT odr_message_replies(buyer, sent_at, sender, auto, official) AS rs FROM chat) g, unnest(g.rs) r;
SELECT is((SELECT count(*) FROM pairs), 7::bigint, 'one element per human buyer message');
SELECT ok((SELECT in_time FROM pairs WHERE buyer = 'a'), 'M3.1: an answer at exactly 48 h is in time');
SELECT ok((SELECT NOT in_time FROM pairs WHERE buyer = 'b'), 'M3.1: an answer at 48 h + 1 microsecond is late');
SELECT is((SELECT array_agg(answered_at ORDER BY received_at) FROM pairs WHERE buyer = 'c'),
          ARRAY['2026-04-07 11:00Z', '2026-04-07 11:00Z']::timestamptz[], 'two buyer messages before one reply both get it');
SELECT ok((SELECT answered_at IS NULL AND NOT in_time FROM pairs WHERE buyer = 'd'), 'a reply before the message is no answer (never answered: late)');
SELECT ok((SELECT answered_at IS NULL FROM pairs WHERE buyer = 'e'), 'S4 reading: an automatic reply is no answer');
SELECT ok((SELECT answered_at IS NULL FROM pairs WHERE buyer = 'f'), 'S4 reading: an official message is ignored, whatever its sender');

-- ---------------------------------------------------------------------
-- Bad input
-- ---------------------------------------------------------------------
SELECT throws_ok($$SELECT odr_message_replies('a', now(), 'agent', false, false)$$, '22023', 'unknown sender "agent"',
                 'an unknown sender is 22023, naming the value');
SELECT throws_ok($$SELECT odr_message_replies(NULL, now(), 'buyer', false, false)$$, '22004', 'buyer must not be NULL',
                 'a NULL buyer is 22004 (every buyer message counts: not skipped)');
SELECT throws_ok($$SELECT odr_message_replies('a', NULL, 'seller', false, false)$$, '22004', 'sent_at must not be NULL',
                 'a NULL sent_at is 22004');
SELECT throws_ok($$SELECT odr_message_replies('a', now(), NULL, false, false)$$, '22004', 'sender must not be NULL',
                 'a NULL sender is 22004');
SELECT throws_ok($$SELECT odr_message_replies('a', 'infinity', 'buyer', false, false)$$, '22008', NULL,
                 'an infinite sent_at is 22008');

SELECT * FROM finish();
ROLLBACK;
