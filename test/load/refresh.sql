-- pgbench (test/load.sh): refresh the per-day summaries while orders come in.
-- Two clients run this at once: they queue on the ExclusiveLock that
-- REFRESH ... CONCURRENTLY takes on the materialised view.
REFRESH MATERIALIZED VIEW CONCURRENTLY odr_daily;
