# odr — PGXS build.  The version lives in odr.control (default_version) only.
PG_CONFIG ?= pg_config
EXTENSION = odr
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(dir $(lastword $(MAKEFILE_LIST)))odr.control)

MODULE_big = odr
# src/ by layer (README: Layout).  rules/: the rules in plain C, no
# PostgreSQL header (unit-tested in test/unit); the other folders are the
# SQL side, one per layer: order facts, per-order verdict, mergeable
# summaries, policy evaluation, calendar; marketplaces/: what is one
# marketplace's own (the 1688 indicators, the Amazon and eBay constructors).
OBJS = src/rules/odr_core.o src/rules/response_core.o src/rules/indicators_core.o
OBJS += src/rules/peers_core.o src/rules/engine_core.o
OBJS += src/facts/order.o
OBJS += src/verdict/defects.o
OBJS += src/summary/summary.o src/summary/windows.o src/summary/tally.o
OBJS += src/policy/policy.o src/policy/marketplace.o src/policy/assess.o src/policy/standing.o src/policy/assess_at.o
OBJS += src/calendar/calendar.o src/calendar/evaluations.o
OBJS += src/marketplaces/1688/response.o src/marketplaces/1688/indicators.o src/marketplaces/1688/peers.o
OBJS += src/marketplaces/amazon_ebay.o
# PostgreSQL headers as system headers: -Wextra then checks only our code.
PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/rules -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CFLAGS = -Wall -Wextra -Werror

# sql/odr.sql is the install script of the newest version; the upgrade
# scripts sql/odr--A--B.sql are installed as they are, so ALTER EXTENSION odr
# UPDATE works.  The install scripts of earlier releases are not installed
# (they are not capture-proof: README, Upgrades); they are kept, frozen, in
# test/upgrade/releases for the upgrade tests.
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard sql/$(EXTENSION)--*--*.sql)
# Releases whose install scripts an earlier `make install` put in place:
# install removes them (all but the current version's).
OLD_RELEASES = 0.1.0 0.2.0 0.3.0 0.4.0 0.5.0 0.6.0 0.7.0
OLD_INSTALL_SCRIPTS = $(filter-out $(EXTENSION)--$(EXTVERSION).sql,$(OLD_RELEASES:%=$(EXTENSION)--%.sql))

# pg_regress inputs are sql/<test>.sql; the install script is sql/odr.sql.
REGRESS = classify defects_io summary_io aggregate window_rollup parallel tiers errors calendar warehouse warehouse_incremental
REGRESS += stars_response
REGRESS += stars_indicators
REGRESS += stars_scores
REGRESS += marketplace marketplace_rollup marketplace_advise marketplace_at marketplace_aliexpress marketplace_warehouse
REGRESS += marketplace_ctor marketplace_walmart marketplace_walmart_messages marketplace_every_platform marketplace_your_own
REGRESS += marketplace_own_tally
REGRESS += policy_language
REGRESS += policy_business_days
REGRESS_OPTS = --load-extension=$(EXTENSION)

EXTRA_CLEAN = sql/$(EXTENSION)--$(EXTVERSION).sql test/unit/core_test test/fuzz/bin results regression.diffs regression.out
EXTRA_CLEAN += test/unit/response_test
EXTRA_CLEAN += test/unit/indicators_test
EXTRA_CLEAN += test/unit/peers_test
EXTRA_CLEAN += test/unit/engine_test


PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: every object (and its JIT bitcode)
# is rebuilt when a header of src/ changes, so no object keeps an old
# layout of a shared struct (OdrError, OdrSummary, ...).
$(OBJS) $(OBJS:.o=.bc): $(wildcard src/*.h src/rules/*.h)

sql/$(EXTENSION)--$(EXTVERSION).sql: sql/$(EXTENSION).sql
	cp $< $@

# install (and uninstall) also remove the old releases' install scripts left
# by an earlier make install, so CREATE EXTENSION odr VERSION '0.1.0' fails.
.PHONY: remove-old-install-scripts
install uninstall: remove-old-install-scripts
remove-old-install-scripts:
	rm -f $(addprefix '$(DESTDIR)$(datadir)/extension/',$(OLD_INSTALL_SCRIPTS))

# Plain-C unit tests of the rules (no server needed), TAP output.
test/unit/core_test: test/unit/core_test.c test/unit/tap.h src/rules/odr_core.c src/rules/odr_core.h src/rules/odr_error.h
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o $@ test/unit/core_test.c src/rules/odr_core.c -lm

# Plain-C unit tests of the 1688 indicators S3, S5, S6, S7.
test/unit/indicators_test: test/unit/indicators_test.c test/unit/tap.h src/rules/indicators_core.c src/rules/indicators_core.h src/rules/odr_core.h src/rules/odr_error.h
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o $@ test/unit/indicators_test.c src/rules/indicators_core.c -lm

# The policy engine (issue 14): M1 Amazon, M2 eBay, an A-like tier list.
test/unit/engine_test: test/unit/engine_test.c test/unit/tap.h src/rules/engine_core.c src/rules/engine_core.h src/rules/odr_core.c src/rules/odr_core.h src/rules/odr_error.h
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o $@ test/unit/engine_test.c src/rules/engine_core.c src/rules/odr_core.c -lm

test/unit/peers_test: test/unit/peers_test.c test/unit/tap.h src/rules/peers_core.c src/rules/peers_core.h
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o $@ test/unit/peers_test.c src/rules/peers_core.c -lm

.PHONY: unit prove
unit: test/unit/core_test test/unit/response_test test/unit/indicators_test test/unit/peers_test test/unit/engine_test
	test/unit/core_test
	test/unit/response_test
	test/unit/indicators_test
	test/unit/peers_test
	test/unit/engine_test

# S4 response rate core (plain C, TAP)
test/unit/response_test: test/unit/response_test.c test/unit/tap.h src/rules/response_core.c src/rules/response_core.h src/rules/odr_core.h src/rules/odr_error.h
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o $@ test/unit/response_test.c src/rules/response_core.c

# pgTAP suites, against the server PG* points at.
prove:
	pg_prove --ext .sql -r test/pgtap

# libFuzzer targets for the plain-C core (clang): text parsers, binary
# decoders, summary arithmetic. FUZZ_SECONDS each; findings go to test/fuzz/findings.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = text binary arith
FUZZ_CC ?= clang
.PHONY: fuzz
fuzz:
	@mkdir -p test/fuzz/bin test/fuzz/findings
	@set -e; for t in $(FUZZ_TARGETS); do \
	  $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -Isrc/rules -o test/fuzz/bin/fuzz_$$t test/fuzz/fuzz_$$t.c src/rules/odr_core.c -lm; \
	  mkdir -p test/fuzz/bin/corpus_$$t; cp test/fuzz/corpus/*/* test/fuzz/bin/corpus_$$t/ 2>/dev/null || true; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  test/fuzz/bin/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=test/fuzz/findings/ \
	    test/fuzz/bin/corpus_$$t 2>test/fuzz/bin/fuzz_$$t.log || { tail -30 test/fuzz/bin/fuzz_$$t.log; exit 1; }; \
	  grep -aE '^Done' test/fuzz/bin/fuzz_$$t.log; \
	done

# Benchmarks (bench/README.md): odr vs plain SQL vs the bare scan, as ratios.
.PHONY: bench
bench:
	bench/run.sh

# Walk ALTER EXTENSION odr UPDATE from the oldest release and compare with a
# fresh install (test/upgrade.sh; needs a running server and make install).
.PHONY: upgradecheck
upgradecheck:
	test/upgrade.sh

# The regression and pgTAP suites with the server under valgrind memcheck;
# fails on any report with an odr frame (tools/valgrind.sh).
.PHONY: valgrind
valgrind:
	VALGRIND_PGTAP=$${VALGRIND_PGTAP:-1} tools/valgrind.sh

# postgres_fdw shards: a coordinator and two shards on loopback (test/shards.sh).
.PHONY: shards
shards:
	test/shards.sh

# Load: pgbench clients insert orders while odr_daily is refreshed
# concurrently and read; then everything equals the raw rows (test/load.sh,
# its own cluster; ODR_LOAD_SECONDS, default 30).
.PHONY: load
load:
	PG_CONFIG=$(PG_CONFIG) test/load.sh
