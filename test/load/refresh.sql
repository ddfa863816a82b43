-- pgbench (test/load.sh): refresh the warehouse while orders come in.
-- Two clients run this at once: they queue on the ExclusiveLock that
-- REFRESH ... CONCURRENTLY takes on odr_daily (then on odr_segments, in the
-- same order in every session: no deadlock).
SELECT count(*) FROM odr_refresh_warehouse('odr_daily');
