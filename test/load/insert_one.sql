-- pgbench (test/load.sh): one order, autocommit. Random seller (61-80 are
-- new under load), day (2026-07 is a month beyond the seed data), ratings
-- and events, worse for higher seller numbers (so sellers spread over the
-- tiers); defects is a generated column: odr_classify(...).
-- Every row carries the client and its transaction number (txn counts up
-- from 1 in each client, over both insert scripts): test/load.sh checks that
-- no client's numbers have a gap.
\set txn :txn + 1
\set seller random(1, 80)
\set day random(0, 211)
\set neg :seller / 10
\set stars case when random(1, 100) <= 40 then case when random(1, 100) <= 2 * :neg then random(1, 3) else random(4, 5) end else 0 end
\set item case when random(1, 100) <= 30 then case when random(1, 100) <= :neg then random(1, 3) else random(4, 5) end else 0 end
\set comm case when random(1, 100) <= 30 then case when random(1, 100) <= :neg then random(1, 3) else random(4, 5) end else 0 end
\set ship case when random(1, 100) <= 30 then case when random(1, 100) <= :neg then 1 else random(2, 5) end else 0 end
\set ev random(1, 1000)
\set bad 2 + :seller / 8
\set cents random(50, 20000)
INSERT INTO orders (seller_id, finished_on, feedback_stars, dsr_item, dsr_communication, dsr_shipping,
                    unshipped, arbitration, seller_responsible, dispute_timeout, not_received_closed,
                    amount_usd, source, client, txn)
VALUES (:seller, date '2026-01-01' + :day, nullif(:stars, 0), nullif(:item, 0), nullif(:comm, 0), nullif(:ship, 0),
        :ev <= :bad, :ev > 900 AND :ev <= 905, :ev > 900 AND :ev <= 902,
        :ev > 800 AND :ev <= 800 + :bad / 2, :ev > 700 AND :ev <= 720, :cents / 100.0, 'one', :client_id, :txn);
