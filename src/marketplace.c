/*
 * marketplace.c — the policy engine (src/engine/engine_core.c) from SQL
 * (issue 14): marketplaces as rows, order facts (odr_order), the assessment
 * aggregate (odr_assess -> odr_standing) and what reads a standing.
 *
 * A marketplace is read from the odr_marketplace* tables of the extension's
 * schema through SPI (every name qualified, as src/policy.c) and compiled
 * into an OdrPolicyDef:
 *   date bases, events, values   by their position in the marketplace's
 *                                arrays (OdrEngRow.days[i], bit i, values[i])
 *   counters, windows, metrics   by name (C collation), so a tally's layout
 *                                does not depend on the session
 *   standards, levels            by position, then name; a standard's
 *                                comparisons by position
 * A compiled marketplace is kept per backend for the rest of the command
 * (like odr_policy), and copied into the calling function's fn_extra, so an
 * aggregate state can point at it for the whole query.
 */
#include "odr.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "engine/engine_core.h"
#include "marketplace.h"
#include "marketplace_internal.h"

/* ------------------------------------------------------------------ */
/* A compiled marketplace                                               */
/* ------------------------------------------------------------------ */


#define MKT_SCHEMA(nsp) quote_identifier(get_namespace_name(nsp))

static int
name_index(const char *name, const char (*names)[ODR_ENG_NAME_LEN], int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static void
copy_name(char *dst, const char *src, const char *mkt, const char *what)
{
	if (src == NULL || src[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("marketplace \"%s\": a %s has no name", mkt, what)));
	if (strlen(src) >= ODR_ENG_NAME_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("marketplace \"%s\": %s name \"%s\" is longer than %d bytes",
						mkt, what, src, ODR_ENG_NAME_LEN - 1)));
	strlcpy(dst, src, ODR_ENG_NAME_LEN);
}

/* text[] column col -> names; returns the count */
static int
text_array_col(HeapTuple tup, TupleDesc desc, int col, char (*out)[ODR_ENG_NAME_LEN], int max,
			   const char *mkt, const char *what);
static int
text_array_names(Datum d, bool isnull, char (*out)[ODR_ENG_NAME_LEN], int max,
				 const char *mkt, const char *what)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (isnull)
		return 0;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	if (n > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d %s, more than %d", mkt, n, what, max)));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": %s has a NULL name", mkt, what)));
		copy_name(out[i], TextDatumGetCString(elems[i]), mkt, what);
		for (int j = 0; j < i; j++)
			if (strcmp(out[j], out[i]) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("marketplace \"%s\": %s names \"%s\" twice", mkt, what, out[i])));
	}
	return n;
}

/* an event name list (when_all / when_any / when_none) -> bits */
static uint64
event_bits(HeapTuple tup, TupleDesc desc, int col, const Mkt *m, const char *counter, const char *column)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);
	char		names[ODR_ENG_MAX_EVENTS][ODR_ENG_NAME_LEN];
	int			n = text_array_names(d, isnull, names, ODR_ENG_MAX_EVENTS, m->name, column);
	uint64		bits = 0;

	for (int i = 0; i < n; i++)
	{
		int			e = name_index(names[i], m->events, m->def.nevents);

		if (e < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": counter \"%s\" names unknown event \"%s\" in %s",
							m->name, counter, names[i], column),
					 errhint("The marketplace's events are its column events.")));
		bits |= UINT64_C(1) << e;
	}
	return bits;
}

static int
text_array_col(HeapTuple tup, TupleDesc desc, int col, char (*out)[ODR_ENG_NAME_LEN], int max,
			   const char *mkt, const char *what)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return text_array_names(d, isnull, out, max, mkt, what);
}

static char *
getstr(HeapTuple tup, TupleDesc desc, int col)
{
	return SPI_getvalue(tup, desc, col);
}

static int
getint(HeapTuple tup, TupleDesc desc, int col, int dflt)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? dflt : DatumGetInt32(d);
}

static OdrDecimal
getdecimal(HeapTuple tup, TupleDesc desc, int col, const Mkt *m, const char *what,
		   bool *isnull)
{
	char	   *s = SPI_getvalue(tup, desc, col);
	OdrDecimal	d = {0, 0};
	OdrError	err;

	*isnull = (s == NULL);
	if (s == NULL)
		return d;
	if (odr_decimal_parse(s, &d, &err) != ODR_OK)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("marketplace \"%s\": %s %s is not usable: %s", m->name, what, s, err.message)));
	return d;
}

static int
lookup(const char *name, const Mkt *m, const char *kind, const char *owner)
{
	int			i = -1;

	if (name == NULL)
		return -1;
	if (strcmp(kind, "counter") == 0)
	{
		for (int j = 0; j < m->def.ncounters; j++)
			if (strcmp(m->def.counters[j].name, name) == 0)
				i = j;
	}
	else if (strcmp(kind, "window") == 0)
	{
		for (int j = 0; j < m->def.nwindows; j++)
			if (strcmp(m->def.windows[j].name, name) == 0)
				i = j;
	}
	else if (strcmp(kind, "metric") == 0)
	{
		for (int j = 0; j < m->def.nmetrics; j++)
			if (strcmp(m->def.metrics[j].name, name) == 0)
				i = j;
	}
	else if (strcmp(kind, "standard") == 0)
	{
		for (int j = 0; j < m->def.nstandards; j++)
			if (strcmp(m->def.standards[j].name, name) == 0)
				i = j;
	}
	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("marketplace \"%s\": %s names unknown %s \"%s\"", m->name, owner, kind, name)));
	return i;
}

static int
pick(const char *value, const char *const *choices, const Mkt *m, const char *what)
{
	for (int i = 0; choices[i] != NULL; i++)
		if (value != NULL && strcmp(value, choices[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("marketplace \"%s\": unknown %s \"%s\"", m->name, what, value ? value : "NULL")));
	return -1;
}

static const char *const counter_kinds[] = {"count", "sum", "distinct", "first_day", "last_day", NULL};
static const char *const window_kinds[] = {"days", "months", "weeks", "quarters", "month_to_date", "lifetime", "by_volume", NULL};
static const char *const metric_kinds[] = {"rate", "average", "count", "sum", "distinct", "days_since", NULL};
static const char *const cmp_ops[] = {"<", "<=", ">", ">=", NULL};
static const char *const roundings[] = {"none", "down", "half_up", "up", NULL};
static const char *const level_modes[] = {"all_met", "any_failed", "otherwise", NULL};
static const char *const evaluated_names[] = {"daily", "month_end", "day_of_month", NULL};
static const char *const effective_names[] = {"same_day", "next_day", "next_month_first", NULL};

static void
spi_query(const char *sql, Datum name)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {name};
	int			rc = SPI_execute_with_args(sql, 1, argtypes, args, NULL, true, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "odr: reading a marketplace failed: %s", SPI_result_code_string(rc));
}

/* Read and compile marketplace `name`; ereport on anything wrong. */
static void
load_marketplace(Oid nsp, const char *name, Mkt *m)
{
	const char *s = MKT_SCHEMA(nsp);
	Datum		nm;
	OdrError	err;
	OdrPolicyDef *p = &m->def;

	memset(m, 0, sizeof(*m));
	if (strlen(name) >= ODR_ENG_NAME_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown marketplace \"%s\"", name)));
	strlcpy(m->name, name, sizeof(m->name));
	nm = CStringGetTextDatum(name);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "odr: SPI_connect failed");

	spi_query(psprintf("SELECT date_bases, events, \"values\", evaluated, evaluation_day, effective_after "
					   "FROM %s.odr_marketplace WHERE name OPERATOR(pg_catalog.=) $1", s), nm);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown marketplace \"%s\"", name),
				 errhint("SELECT name FROM %s.odr_marketplace lists the marketplaces.", s)));
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;
		StringInfoData sh;

		p->nbases = text_array_col(t, d, 1, m->bases,
									 ODR_ENG_MAX_BASES, name, "date bases");
		p->nevents = text_array_col(t, d, 2, m->events,
									  ODR_ENG_MAX_EVENTS, name, "events");
		p->nvalues = text_array_col(t, d, 3, m->values,
									  ODR_ENG_MAX_VALUES, name, "values");
		m->evaluated = pick(getstr(t, d, 4), evaluated_names, m, "evaluation schedule");
		m->evaluation_day = getint(t, d, 5, 0);
		m->effective = pick(getstr(t, d, 6), effective_names, m, "effective_after");
		if (p->nbases < 1)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\" has no date basis", name)));
		if (m->evaluated == MKT_DAY_OF_MONTH && (m->evaluation_day < 1 || m->evaluation_day > 28))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": evaluation_day %d is not a day 1..28", name, m->evaluation_day)));
		initStringInfo(&sh);
		appendStringInfo(&sh, "%d/%d/%d", p->nbases, p->nevents, p->nvalues);
		for (int i = 0; i < p->nbases; i++)
			appendStringInfo(&sh, "|b%s", m->bases[i]);
		for (int i = 0; i < p->nevents; i++)
			appendStringInfo(&sh, "|e%s", m->events[i]);
		for (int i = 0; i < p->nvalues; i++)
			appendStringInfo(&sh, "|v%s", m->values[i]);
		m->shape = hash_bytes((const unsigned char *) sh.data, sh.len);
	}

	/* counters */
	spi_query(psprintf("SELECT name, kind, when_all, when_any, when_none, basis, value, k "
					   "FROM %s.odr_marketplace_counter WHERE marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY name COLLATE pg_catalog.\"C\"", s), nm);
	if (SPI_processed > ODR_ENG_MAX_COUNTERS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d counters, more than %d", name,
						(int) SPI_processed, ODR_ENG_MAX_COUNTERS)));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		OdrCounterDef *c = &p->counters[p->ncounters++];
		char	   *basis = getstr(t, d, 6);
		char	   *value = getstr(t, d, 7);

		copy_name(c->name, getstr(t, d, 1), name, "counter");
		c->kind = pick(getstr(t, d, 2), counter_kinds, m, "counter kind");
		c->when.all = event_bits(t, d, 3, m, c->name, "when_all");
		c->when.any = event_bits(t, d, 4, m, c->name, "when_any");
		c->when.none = event_bits(t, d, 5, m, c->name, "when_none");
		c->basis = basis ? name_index(basis, m->bases, p->nbases) : -1;
		if (c->basis < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": counter \"%s\" names unknown date basis \"%s\"",
							name, c->name, basis ? basis : "NULL")));
		c->value = 0;
		if (c->kind == ODR_COUNTER_SUM || value != NULL)
		{
			c->value = value ? name_index(value, m->values, p->nvalues) : -1;
			if (c->value < 0)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("marketplace \"%s\": counter \"%s\" names unknown value \"%s\"",
								name, c->name, value ? value : "NULL")));
		}
		c->k = getint(t, d, 8, 0);
	}

	/* windows: names first, then the references between them */
	spi_query(psprintf("SELECT name, kind, length, lag, primary_window, fallback_window, volume_counter, volume_min "
					   "FROM %s.odr_marketplace_window WHERE marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY name COLLATE pg_catalog.\"C\"", s), nm);
	if (SPI_processed > ODR_ENG_MAX_WINDOWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d windows, more than %d", name,
						(int) SPI_processed, ODR_ENG_MAX_WINDOWS)));
	for (uint64 i = 0; i < SPI_processed; i++)
		copy_name(p->windows[i].name, getstr(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1), name, "window");
	p->nwindows = (int) SPI_processed;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		OdrWindowDef *w = &p->windows[i];

		w->kind = pick(getstr(t, d, 2), window_kinds, m, "window kind");
		w->length = getint(t, d, 3, 0);
		w->lag = getint(t, d, 4, 0);
		if (w->kind == ODR_WINDOW_BY_VOLUME)
		{
			char		owner[ODR_ENG_NAME_LEN + 16];
			char	   *vm = getstr(t, d, 8);

			snprintf(owner, sizeof(owner), "window \"%s\"", w->name);
			w->primary = lookup(getstr(t, d, 5), m, "window", owner);
			w->fallback = lookup(getstr(t, d, 6), m, "window", owner);
			w->volume_counter = lookup(getstr(t, d, 7), m, "counter", owner);
			if (w->primary < 0 || w->fallback < 0 || w->volume_counter < 0 || vm == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("marketplace \"%s\": by_volume window \"%s\" needs primary_window, fallback_window, volume_counter and volume_min",
								name, w->name)));
			w->volume_min = pg_strtoint64(vm);
		}
	}

	/* metrics */
	spi_query(psprintf("SELECT name, kind, numerator, denominator, \"window\" "
					   "FROM %s.odr_marketplace_metric WHERE marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY name COLLATE pg_catalog.\"C\"", s), nm);
	if (SPI_processed > ODR_ENG_MAX_METRICS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d metrics, more than %d", name,
						(int) SPI_processed, ODR_ENG_MAX_METRICS)));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		OdrMetricDef *md = &p->metrics[p->nmetrics++];
		char		owner[ODR_ENG_NAME_LEN + 16];

		copy_name(md->name, getstr(t, d, 1), name, "metric");
		snprintf(owner, sizeof(owner), "metric \"%s\"", md->name);
		md->kind = pick(getstr(t, d, 2), metric_kinds, m, "metric kind");
		md->numerator = lookup(getstr(t, d, 3), m, "counter", owner);
		md->denominator = lookup(getstr(t, d, 4), m, "counter", owner);
		if (md->numerator < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": metric \"%s\" has no numerator", name, md->name)));
		if ((md->kind == ODR_METRIC_RATE || md->kind == ODR_METRIC_AVERAGE) && md->denominator < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": metric \"%s\" is a %s with no denominator", name,
							md->name, metric_kinds[md->kind])));
		if (md->denominator < 0)
			md->denominator = 0;
		md->window = lookup(getstr(t, d, 5), m, "window", owner);
	}

	/* standards, in order */
	spi_query(psprintf("SELECT name FROM %s.odr_marketplace_standard WHERE marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY position, name COLLATE pg_catalog.\"C\"", s), nm);
	if (SPI_processed > ODR_ENG_MAX_STANDARDS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d standards, more than %d", name,
						(int) SPI_processed, ODR_ENG_MAX_STANDARDS)));
	for (uint64 i = 0; i < SPI_processed; i++)
		copy_name(p->standards[p->nstandards++].name,
				  getstr(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1), name, "standard");

	/* comparisons, grouped by standard in the standards' order */
	spi_query(psprintf("SELECT c.standard, c.metric, c.op, c.threshold, c.rounding, c.digits, c.applies_metric, "
					   "c.applies_min, c.applies_max "
					   "FROM %s.odr_marketplace_comparison c JOIN %s.odr_marketplace_standard st "
					   "ON st.marketplace OPERATOR(pg_catalog.=) c.marketplace AND st.name OPERATOR(pg_catalog.=) c.standard "
					   "WHERE c.marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY st.position, st.name COLLATE pg_catalog.\"C\", c.position", s, s), nm);
	if (SPI_processed > ODR_ENG_MAX_COMPARISONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d comparisons, more than %d", name,
						(int) SPI_processed, ODR_ENG_MAX_COMPARISONS)));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		OdrComparisonDef *c = &p->comparisons[p->ncomparisons];
		char		owner[ODR_ENG_NAME_LEN + 32];
		int			st;
		bool		nul;

		snprintf(owner, sizeof(owner), "a comparison of standard \"%s\"", getstr(t, d, 1));
		st = lookup(getstr(t, d, 1), m, "standard", owner);
		if (p->standards[st].n == 0)
			p->standards[st].first = p->ncomparisons;
		p->standards[st].n++;
		c->metric = lookup(getstr(t, d, 2), m, "metric", owner);
		if (c->metric < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": %s has no metric", name, owner)));
		c->op = pick(getstr(t, d, 3), cmp_ops, m, "comparison operator");
		c->threshold = getdecimal(t, d, 4, m, "threshold", &nul);
		if (nul)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": %s has no threshold", name, owner)));
		c->rounding = pick(getstr(t, d, 5), roundings, m, "rounding");
		c->digits = getint(t, d, 6, 0);
		c->applies_metric = lookup(getstr(t, d, 7), m, "metric", owner);
		c->applies_min = getdecimal(t, d, 8, m, "applies_min", &nul);
		c->has_applies_min = !nul;
		c->applies_max = getdecimal(t, d, 9, m, "applies_max", &nul);
		c->has_applies_max = !nul;
		p->ncomparisons++;
	}

	/* levels, in priority order */
	spi_query(psprintf("SELECT name, rank, mode, standards, description FROM %s.odr_marketplace_level "
					   "WHERE marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY position, name COLLATE pg_catalog.\"C\"", s), nm);
	if (SPI_processed > ODR_ENG_MAX_LEVELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("marketplace \"%s\" has %d levels, more than %d", name,
						(int) SPI_processed, ODR_ENG_MAX_LEVELS)));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		OdrLevelDef *l = &p->levels[p->nlevels++];
		char		sts[ODR_ENG_MAX_STANDARDS][ODR_ENG_NAME_LEN];
		char		owner[ODR_ENG_NAME_LEN + 16];
		int			n;
		char	   *desc = getstr(t, d, 5);

		copy_name(l->name, getstr(t, d, 1), name, "level");
		snprintf(owner, sizeof(owner), "level \"%s\"", l->name);
		l->rank = getint(t, d, 2, 0);
		l->mode = pick(getstr(t, d, 3), level_modes, m, "level mode");
		n = text_array_col(t, d, 4, sts, ODR_ENG_MAX_STANDARDS,
							 name, "a level's standards");
		for (int j = 0; j < n; j++)
			l->standards |= UINT32_C(1) << lookup(sts[j], m, "standard", owner);
		if (desc)
			strlcpy(m->level_desc[i], desc, sizeof(m->level_desc[i]));
	}
	SPI_finish();

	if (odr_policy_def_prepare(p, &err) != ODR_OK)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("marketplace \"%s\" is invalid: %s", name, err.message),
				 err.detail[0] ? errdetail("%s", err.detail) : 0,
				 err.hint[0] ? errhint("%s", err.hint) : 0));

	/* what a tally's layout and meaning depend on: the counters, windows */
	{
		uint32		h = hash_bytes((const unsigned char *) p->counters,
								   sizeof(OdrCounterDef) * p->ncounters);

		h = hash_combine(h, hash_bytes((const unsigned char *) p->windows,
									   sizeof(OdrWindowDef) * p->nwindows));
		m->fingerprint = hash_combine(h, m->shape);
	}
}

/* The backend's compiled marketplaces, good for one command. */
#define MKT_CACHE 4
static Mkt *mkt_cache[MKT_CACHE];
static LocalTransactionId mkt_lxid[MKT_CACHE];
static CommandId mkt_cid[MKT_CACHE];
static int	mkt_next;
static uint64 mkt_generation;

static const Mkt *
marketplace_cached(Oid nsp, const char *name)
{
	LocalTransactionId lxid = ODR_MY_LXID;
	CommandId	cid = GetCurrentCommandId(false);
	int			slot;

	for (int i = 0; i < MKT_CACHE; i++)
		if (mkt_cache[i] != NULL && mkt_lxid[i] == lxid && mkt_cid[i] == cid &&
			strcmp(mkt_cache[i]->name, name) == 0)
			return mkt_cache[i];
	slot = mkt_next;
	mkt_next = (mkt_next + 1) % MKT_CACHE;
	if (mkt_cache[slot] == NULL)
		mkt_cache[slot] = MemoryContextAllocZero(TopMemoryContext, sizeof(Mkt));
	mkt_lxid[slot] = InvalidLocalTransactionId;
	load_marketplace(nsp, name, mkt_cache[slot]);
	mkt_cache[slot]->generation = ++mkt_generation;
	mkt_lxid[slot] = lxid;
	mkt_cid[slot] = cid;
	return mkt_cache[slot];
}

/* The marketplaces a call site has used in this query (fn_extra): they
 * stay put, so aggregate states may point at them. */
#define MKT_PER_CALL 16
typedef struct CallMkts
{
	int			n;
	Mkt		   *m[MKT_PER_CALL];
} CallMkts;

const Mkt *
marketplace_for(FunctionCallInfo fcinfo, const char *name)
{
	CallMkts   *cm = (CallMkts *) fcinfo->flinfo->fn_extra;
	const Mkt  *src;
	Mkt		   *copy;

	if (cm == NULL)
		cm = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallMkts));
	for (int i = 0; i < cm->n; i++)
		if (strcmp(cm->m[i]->name, name) == 0)
			return cm->m[i];
	if (cm->n == MKT_PER_CALL)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("more than %d marketplaces in one call site of a query", MKT_PER_CALL)));
	src = marketplace_cached(get_func_namespace(fcinfo->flinfo->fn_oid), name);
	copy = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Mkt));
	memcpy(copy, src, sizeof(Mkt));
	cm->m[cm->n++] = copy;
	return copy;
}

const Mkt *
marketplace_arg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	char	   *name;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", argname)));
	name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	return marketplace_for(fcinfo, name);
}

/* odr_marketplace_check(name) -> boolean: compiles it, raises what is wrong */
PG_FUNCTION_INFO_V1(odr_marketplace_check);
Datum
odr_marketplace_check(PG_FUNCTION_ARGS)
{
	Mkt		   *m = palloc(sizeof(Mkt));
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	load_marketplace(get_func_namespace(fcinfo->flinfo->fn_oid), name, m);
	PG_RETURN_BOOL(true);
}

/* ------------------------------------------------------------------ */
/* odr_order: one order's facts                                         */
/* ------------------------------------------------------------------ */

#define ORDER_VERSION 1
#define ORDER_NO_DAY PG_INT32_MIN
/* the days an order may have: 0001-01-01 .. the end of the dates (the text
 * form writes years of four or more digits, no BC) */
#define ORDER_DAY_OK(d) ((d) >= -730119 && IS_VALID_DATE(d))

struct OrderV
{
	int32		vl_len_;
	uint8		version;
	uint8		nbases;
	uint8		nvalues;
	uint8		reserved;
	uint32		shape;
	uint64		events;
	uint64		buyer;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* values, then days (int64) */
};

#define ORDER_SIZE(nb, nv) (offsetof(OrderV, data) + sizeof(int64) * ((nb) + (nv)))
#define PG_GETARG_ORDER_P(n) ((OrderV *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static OrderV *
order_new(int nbases, int nvalues)
{
	OrderV	   *o = palloc0(ORDER_SIZE(nbases, nvalues));

	SET_VARSIZE(o, ORDER_SIZE(nbases, nvalues));
	o->version = ORDER_VERSION;
	o->nbases = nbases;
	o->nvalues = nvalues;
	return o;
}

/* structural checks of a stored / received order */
static void
order_check(const OrderV *o, Size size, bool binary)
{
	const char *why = NULL;

	if (size < offsetof(OrderV, data))
		why = "too short";
	else if (o->version != ORDER_VERSION)
		why = "unknown version";
	else if (o->nbases < 1 || o->nbases > ODR_ENG_MAX_BASES || o->nvalues > ODR_ENG_MAX_VALUES)
		why = "bad number of date bases or values";
	else if (size != ORDER_SIZE(o->nbases, o->nvalues))
		why = "length does not match its counts";
	else if (o->reserved != 0)
		why = "reserved byte set";
	else
		for (int i = 0; i < o->nbases; i++)
		{
			int64		d = o->data[o->nvalues + i];

			if (d != ORDER_NO_DAY && !ORDER_DAY_OK(d))
				why = "a day outside the dates";
		}
	if (why)
		ereport(ERROR,
				(errcode(binary ? ERRCODE_INVALID_BINARY_REPRESENTATION : ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid odr_order: %s", why)));
}

PG_FUNCTION_INFO_V1(odr_order_out);
Datum
odr_order_out(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "v1 shape=%08x events=%llx buyer=%llx values=[", o->shape,
					 (unsigned long long) o->events, (unsigned long long) o->buyer);
	for (int i = 0; i < o->nvalues; i++)
		appendStringInfo(&s, "%s" INT64_FORMAT, i ? "," : "", o->data[i]);
	appendStringInfoString(&s, "] days=[");
	for (int i = 0; i < o->nbases; i++)
	{
		int64		d = o->data[o->nvalues + i];

		if (i)
			appendStringInfoChar(&s, ',');
		if (d == ORDER_NO_DAY)
			appendStringInfoString(&s, "null");
		else
		{
			int			y,
						mo,
						dd;

			j2date((int) d + POSTGRES_EPOCH_JDATE, &y, &mo, &dd);
			appendStringInfo(&s, "%04d-%02d-%02d", y, mo, dd);
		}
	}
	appendStringInfoChar(&s, ']');
	PG_RETURN_CSTRING(s.data);
}

static void
order_syntax(const char *str, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type odr_order: \"%s\"", str),
			 errdetail("%s", why)));
}

/* parse "[a,b,...]" of items; returns the items (NUL-terminated, in place) */
static int
parse_list(char **pp, char **items, int max, const char *str)
{
	char	   *p = *pp;
	int			n = 0;

	if (*p != '[')
		order_syntax(str, "a list must start with [.");
	p++;
	if (*p == ']')
	{
		*pp = p + 1;
		return 0;
	}
	for (;;)
	{
		char	   *start = p;

		while (*p && *p != ',' && *p != ']')
			p++;
		if (*p == '\0')
			order_syntax(str, "a list must end with ].");
		if (n == max)
			order_syntax(str, "a list has too many items.");
		items[n++] = start;
		if (*p == ']')
		{
			*p = '\0';
			*pp = p + 1;
			return n;
		}
		*p++ = '\0';
	}
}

PG_FUNCTION_INFO_V1(odr_order_in);
Datum
odr_order_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	char	   *buf = pstrdup(str);
	char	   *p = buf;
	unsigned int shape;
	unsigned long long events,
				buyer;
	int			used = 0;
	char	   *vals[ODR_ENG_MAX_VALUES + 1];
	char	   *days[ODR_ENG_MAX_BASES + 1];
	int			nv,
				nd;
	OrderV	   *o;

	if (sscanf(p, "v1 shape=%8x events=%llx buyer=%llx values=%n", &shape, &events, &buyer, &used) != 3 ||
		used == 0)
		order_syntax(str, "Expected \"v1 shape=H events=H buyer=H values=[...] days=[...]\".");
	p += used;
	nv = parse_list(&p, vals, ODR_ENG_MAX_VALUES + 1, str);
	if (strncmp(p, " days=", 6) != 0)
		order_syntax(str, "Expected \" days=[...]\" after the values.");
	p += 6;
	nd = parse_list(&p, days, ODR_ENG_MAX_BASES + 1, str);
	if (*p != '\0')
		order_syntax(str, "Unexpected text after the days.");
	if (nv > ODR_ENG_MAX_VALUES || nd < 1 || nd > ODR_ENG_MAX_BASES)
		order_syntax(str, "1 to 8 days and at most 8 values.");
	o = order_new(nd, nv);
	o->shape = shape;
	o->events = events;
	o->buyer = buyer;
	for (int i = 0; i < nv; i++)
	{
		char	   *end;

		errno = 0;
		o->data[i] = strtoll(vals[i], &end, 10);
		if (errno || end == vals[i] || *end)
			order_syntax(str, "A value is a whole number (1/10000 of the unit).");
	}
	for (int i = 0; i < nd; i++)
	{
		int			y,
					mo,
					d,
					n = 0;

		if (strcmp(days[i], "null") == 0)
		{
			o->data[nv + i] = ORDER_NO_DAY;
			continue;
		}
		if (sscanf(days[i], "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || days[i][n] != '\0' ||
			mo < 1 || mo > 12 || d < 1 || d > day_tab[isleap(y)][mo - 1] || y < 1)
			order_syntax(str, "A day is YYYY-MM-DD or null.");
		o->data[nv + i] = date2j(y, mo, d) - POSTGRES_EPOCH_JDATE;
	}
	order_check(o, VARSIZE(o), false);
	PG_RETURN_POINTER(o);
}

PG_FUNCTION_INFO_V1(odr_order_send);
Datum
odr_order_send(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, o->version);
	pq_sendbyte(&buf, o->nbases);
	pq_sendbyte(&buf, o->nvalues);
	pq_sendbyte(&buf, o->reserved);
	pq_sendint32(&buf, o->shape);
	pq_sendint64(&buf, o->events);
	pq_sendint64(&buf, o->buyer);
	for (int i = 0; i < o->nbases + o->nvalues; i++)
		pq_sendint64(&buf, o->data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(odr_order_recv);
Datum
odr_order_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	OrderV		head;
	OrderV	   *o;
	int			n;

	if (buf->len - buf->cursor < 24)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid odr_order: too short")));
	head.version = pq_getmsgbyte(buf);
	head.nbases = pq_getmsgbyte(buf);
	head.nvalues = pq_getmsgbyte(buf);
	head.reserved = pq_getmsgbyte(buf);
	if (head.nbases > ODR_ENG_MAX_BASES || head.nvalues > ODR_ENG_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid odr_order: bad number of date bases or values")));
	n = head.nbases + head.nvalues;
	if (buf->len - buf->cursor != 20 + 8 * n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid odr_order: length does not match its counts")));
	o = order_new(head.nbases, head.nvalues);
	o->version = head.version;
	o->reserved = head.reserved;
	o->shape = pq_getmsgint(buf, 4);
	o->events = pq_getmsgint64(buf);
	o->buyer = pq_getmsgint64(buf);
	for (int i = 0; i < n; i++)
		o->data[i] = pq_getmsgint64(buf);
	order_check(o, VARSIZE(o), true);
	PG_RETURN_POINTER(o);
}

/* numeric -> fixed point 1/10000, rounded half away from zero */
static int64
fixed_point(Datum num, const char *argname, int i)
{
	Datum		scaled = DirectFunctionCall2(numeric_mul, num,
											 DirectFunctionCall1(int4_numeric, Int32GetDatum(ODR_ENG_VALUE_SCALE)));
	Datum		rounded;

	if (numeric_is_nan(DatumGetNumeric(num)) || numeric_is_inf(DatumGetNumeric(num)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s[%d] must be a finite number", argname, i + 1)));
	rounded = DirectFunctionCall2(numeric_round, scaled, Int32GetDatum(0));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, rounded));
}

/* 22023 when an array argument of odr_order has not the marketplace's
 * number of elements, listing what it expects */
static void
count_check(const char *argname, int n, int expected, const char (*names)[ODR_ENG_NAME_LEN])
{
	if (n != expected)
	{
		StringInfoData s;

		initStringInfo(&s);
		for (int i = 0; i < expected; i++)
			appendStringInfo(&s, "%s%s", i ? ", " : "", names[i]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has %d elements, the marketplace expects %d", argname, n, expected),
				 errdetail("In order: %s.", expected ? s.data : "(none)")));
	}
}

static void
array_arg(FunctionCallInfo fcinfo, int argno, const char *argname, Oid elemtype,
		  Datum **elems, bool **nulls, int *n)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	int16		len;
	bool		byval;
	char		align;

	if (ARR_NDIM(a) > 1 || (ARR_NDIM(a) == 1 && ARR_LBOUND(a)[0] != 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array starting at 1", argname)));
	get_typlenbyvalalign(elemtype, &len, &byval, &align);
	deconstruct_array(a, elemtype, len, byval, align, elems, nulls, n);
}

/*
 * Filling an order, part by part, in one place for odr_order(...) and the
 * marketplaces' C constructors (src/marketplaces/): both give the same bytes
 * and raise the same errors.  Days are date Datums following the
 * marketplace's date bases; events its events (a NULL event: false); values
 * numeric Datums following its values (NULL: 0).
 */
static void
order_put_days(const Mkt *m, OrderV *o, int n, const Datum *days, const bool *nulls)
{
	const OdrPolicyDef *p = &m->def;

	count_check("days", n, p->nbases, m->bases);
	for (int i = 0; i < p->nbases; i++)
	{
		DateADT		d = nulls[i] ? 0 : DatumGetDateADT(days[i]);

		if (!nulls[i] && (DATE_NOT_FINITE(d) || !ORDER_DAY_OK(d)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("days[%d] (%s) must be a finite date from 0001-01-01 on", i + 1, m->bases[i])));
		o->data[p->nvalues + i] = nulls[i] ? ORDER_NO_DAY : d;
	}
}

static void
order_put_events(const Mkt *m, OrderV *o, int n, const bool *events, const bool *nulls)
{
	count_check("events", n, m->def.nevents, m->events);
	for (int i = 0; i < m->def.nevents; i++)
		if (!nulls[i] && events[i])
			o->events |= UINT64_C(1) << i;
}

static void
order_put_values(const Mkt *m, OrderV *o, int n, const Datum *values, const bool *nulls)
{
	count_check("values", n, m->def.nvalues, m->values);
	for (int i = 0; i < m->def.nvalues; i++)
		o->data[i] = nulls[i] ? 0 : fixed_point(values[i], "values", i);
}

static void
order_put_buyer(OrderV *o, const text *buyer)
{
	uint64		h = DatumGetUInt64(hash_any_extended((const unsigned char *) VARDATA_ANY(buyer),
													 VARSIZE_ANY_EXHDR(buyer), 0x6f6472));

	o->buyer = h == 0 ? 1 : h;
}

/*
 * An order of marketplace `name` from its parts (src/marketplace.h): as
 * odr_order(name, days, events, values, buyer) with arrays of those
 * elements; nvalues < 0: a NULL values array; buyer NULL: unknown.
 */
Datum
odr_order_from_parts(FunctionCallInfo fcinfo, const char *name,
					 int ndays, const Datum *days, const bool *daynulls,
					 int nevents, const bool *events, const bool *eventnulls,
					 int nvalues, const Datum *values, const bool *valuenulls,
					 const text *buyer)
{
	const Mkt  *m = marketplace_for(fcinfo, name);
	OrderV	   *o = order_new(m->def.nbases, m->def.nvalues);

	o->shape = m->shape;
	order_put_days(m, o, ndays, days, daynulls);
	order_put_events(m, o, nevents, events, eventnulls);
	if (nvalues >= 0)
		order_put_values(m, o, nvalues, values, valuenulls);
	if (buyer != NULL)
		order_put_buyer(o, buyer);
	return PointerGetDatum(o);
}

/*
 * odr_order(marketplace, days date[], events boolean[], values numeric[],
 * buyer text): the arrays follow the marketplace's date_bases, events and
 * values.  A NULL day: the order has no day on that basis (counted by no
 * counter of it); a NULL event: false; NULL values: 0; a NULL buyer: unknown
 * (counted by no DISTINCT counter).
 */
PG_FUNCTION_INFO_V1(odr_order_make);
Datum
odr_order_make(PG_FUNCTION_ARGS)
{
	const Mkt  *m = marketplace_arg(fcinfo, 0, "marketplace");
	const OdrPolicyDef *p = &m->def;
	OrderV	   *o = order_new(p->nbases, p->nvalues);
	Datum	   *el;
	bool	   *nu;
	int			n;

	o->shape = m->shape;
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("days must not be NULL")));
	array_arg(fcinfo, 1, "days", DATEOID, &el, &nu, &n);
	order_put_days(m, o, n, el, nu);
	if (!PG_ARGISNULL(2))
	{
		bool	   *ev;

		array_arg(fcinfo, 2, "events", BOOLOID, &el, &nu, &n);
		ev = palloc(sizeof(bool) * Max(n, 1));
		for (int i = 0; i < n; i++)
			ev[i] = !nu[i] && DatumGetBool(el[i]);
		order_put_events(m, o, n, ev, nu);
	}
	else if (p->nevents > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("events must not be NULL")));
	if (!PG_ARGISNULL(3))
	{
		array_arg(fcinfo, 3, "values", NUMERICOID, &el, &nu, &n);
		order_put_values(m, o, n, el, nu);
	}
	if (!PG_ARGISNULL(4))
		order_put_buyer(o, PG_GETARG_TEXT_PP(4));
	PG_RETURN_POINTER(o);
}

/* odr_order_days(o) -> date[]: its day on each date basis (NULL: none) */
PG_FUNCTION_INFO_V1(odr_order_days);
Datum
odr_order_days(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	Datum		d[ODR_ENG_MAX_BASES];
	bool		n[ODR_ENG_MAX_BASES];
	int			dims[1] = {o->nbases};
	int			lbs[1] = {1};

	for (int i = 0; i < o->nbases; i++)
	{
		int64		v = o->data[o->nvalues + i];

		n[i] = (v == ORDER_NO_DAY);
		d[i] = DateADTGetDatum(n[i] ? 0 : (DateADT) v);
	}
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, n, 1, dims, lbs, DATEOID, 4, true, TYPALIGN_INT));
}

/* odr_order_events(o, marketplace) -> text[]: the names of its events */
PG_FUNCTION_INFO_V1(odr_order_events);
Datum
odr_order_events(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	const Mkt  *m = marketplace_arg(fcinfo, 1, "marketplace");
	Datum		d[ODR_ENG_MAX_EVENTS];
	int			n = 0;

	if (o->shape != m->shape)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the order was not built for marketplace \"%s\"", m->name),
				 errdetail("Its date bases, events or values differ from the marketplace's.")));
	for (int i = 0; i < m->def.nevents; i++)
		if (o->events & (UINT64_C(1) << i))
			d[n++] = CStringGetTextDatum(m->events[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

void
order_row(const OrderV *o, const Mkt *m, OdrEngRow *row)
{
	if (o->shape != m->shape || o->nbases != m->def.nbases || o->nvalues != m->def.nvalues)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the order was not built for marketplace \"%s\"", m->name),
				 errdetail("Its date bases, events or values differ from the marketplace's."),
				 errhint("Build it with odr_order('%s', ...) or the marketplace's constructor.", m->name)));
	memset(row, 0, sizeof(*row));
	row->events = o->events;
	row->buyer = o->buyer;
	for (int i = 0; i < o->nvalues; i++)
		row->values[i] = o->data[i];
	for (int i = 0; i < o->nbases; i++)
	{
		int64		d = o->data[o->nvalues + i];

		row->days[i] = d == ORDER_NO_DAY ? ODR_ENG_NO_DAY : d;
	}
}

/* odr_choice(value, argument, choices): value when it is one of choices
 * (or NULL), else 22023 naming the argument and the value */
PG_FUNCTION_INFO_V1(odr_choice);
Datum
odr_choice(PG_FUNCTION_ARGS)
{
	char	   *value;
	Datum	   *el;
	bool	   *nu;
	int			n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument and choices must not be NULL")));
	value = text_to_cstring(PG_GETARG_TEXT_PP(0));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT, &el, &nu, &n);
	for (int i = 0; i < n; i++)
		if (!nu[i] && strcmp(TextDatumGetCString(el[i]), value) == 0)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	{
		StringInfoData s;

		initStringInfo(&s);
		for (int i = 0; i < n; i++)
			if (!nu[i])
				appendStringInfo(&s, "%s%s", s.len ? ", " : "", TextDatumGetCString(el[i]));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s: \"%s\"", text_to_cstring(PG_GETARG_TEXT_PP(1)), value),
				 errhint("Use one of: %s.", s.data)));
	}
	PG_RETURN_NULL();
}

/* ------------------------------------------------------------------ */
/* The assessment: odr_assess(o, marketplace, as_of) -> odr_standing    */
/* ------------------------------------------------------------------ */

/*
 * The state of odr_assess, one per group, sized to the marketplace's policy
 * (issue 14: a group's memory is what its policy needs, not the engine's
 * maximum): a tally of odr_tally_size(&m->def) bytes for each plain window
 * only (a by_volume window reads its primary's and fallback's), packed
 * after the header in tallies[].  Get one from assess_new / assess_alloc
 * (never declare one: it would have no room for its tallies; an
 * aggregate's is packed by state_alloc: never pfree it); reach window w's
 * tally with assess_tally(st, w); copy it by assess_size(st->m) bytes.
 * The tallies are short (engine_core.h, OdrTally): hand them to the tally
 * functions only; assess_expand widens them for odr_policy_evaluate.
 */
struct AssessState
{
	const Mkt  *m;
	DateADT		as_of;
	uint16		tally_size;		/* odr_tally_size(&m->def): a tally's bytes */
	uint8		ntallies;		/* the plain windows */
	int8		tally_of[ODR_ENG_MAX_WINDOWS];	/* window -> its tally in
												 * tallies[], -1: by_volume */
	int64		first[ODR_ENG_MAX_WINDOWS];
	int64		last[ODR_ENG_MAX_WINDOWS];
	int64		tallies[FLEXIBLE_ARRAY_MEMBER];	/* ntallies x tally_size
												 * bytes */
};

/* A standing read back whole: full-size tallies, one per window (a
 * by_volume window's empty), as odr_policy_evaluate and
 * odr_comparison_advise index them. */
typedef struct AssessFull
{
	const Mkt  *m;
	DateADT		as_of;
	int64		first[ODR_ENG_MAX_WINDOWS];
	int64		last[ODR_ENG_MAX_WINDOWS];
	OdrTally	t[ODR_ENG_MAX_WINDOWS];
} AssessFull;

bool
plain(const OdrWindowDef *w)
{
	return w->kind != ODR_WINDOW_BY_VOLUME;
}

/*
 * Aggregate states packed in blocks.  An AllocSet rounds each chunk up to a
 * power of 2 and adds its header: a 728-byte AssessState (the built-in
 * policies) took 1040 bytes, a 160-byte TallyState 272.  A group's state
 * lives as long as the aggregate's memory context and is never freed on its
 * own (internal is passed by value: nodeAgg and nodeWindowAgg neither copy
 * nor pfree it), so states are carved one after another from blocks of
 * that context (1 kB, doubling to 8 kB: a sorted aggregate, whose context
 * is reset for every group, takes no more than it did).  One arena per
 * context, unlinked by a reset callback when the context is reset or
 * deleted (an error included).  Never pfree such a state.
 */
typedef struct StateArena
{
	MemoryContext cxt;
	char	   *next;
	Size		left;
	Size		block;			/* the next block's size */
	MemoryContextCallback cb;
	struct StateArena *link;
} StateArena;

#define STATE_ARENA_MAX_BLOCK 8192

static StateArena *state_arenas;

static void
state_arena_forget(void *arg)
{
	for (StateArena **pp = &state_arenas; *pp != NULL; pp = &(*pp)->link)
		if (*pp == (StateArena *) arg)
		{
			*pp = ((StateArena *) arg)->link;
			break;
		}
}

/* size zeroed bytes in cxt, for an aggregate's state of one group */
static void *
state_alloc(MemoryContext cxt, Size size)
{
	StateArena *a;
	void	   *p;

	size = MAXALIGN(size);
	if (size > STATE_ARENA_MAX_BLOCK / 4)
		return MemoryContextAllocZero(cxt, size);
	for (a = state_arenas; a != NULL; a = a->link)
		if (a->cxt == cxt)
			break;
	if (a == NULL)
	{
		a = MemoryContextAllocZero(cxt, sizeof(StateArena));
		a->cxt = cxt;
		a->block = 1024;
		a->cb.func = state_arena_forget;
		a->cb.arg = a;
		MemoryContextRegisterResetCallback(cxt, &a->cb);
		a->link = state_arenas;
		state_arenas = a;
	}
	if (a->left < size)
	{
		while (a->block < size)
			a->block *= 2;
		a->next = MemoryContextAlloc(cxt, a->block);
		a->left = a->block;
		if (a->block < STATE_ARENA_MAX_BLOCK)
			a->block *= 2;
	}
	p = a->next;
	a->next += size;
	a->left -= size;
	memset(p, 0, size);
	return p;
}

/* bytes of an AssessState of m */
static Size
assess_size(const Mkt *m)
{
	int			n = 0;

	for (int w = 0; w < m->def.nwindows; w++)
		n += plain(&m->def.windows[w]);
	return offsetof(AssessState, tallies) + (Size) n * odr_tally_size(&m->def);
}

/* Window w's tally (w plain); src/assess_at.c fills a standing's windows
 * through it, not through the state's layout. */
OdrTally *
assess_tally(const AssessState *st, int w)
{
	Assert(st->tally_of[w] >= 0 && st->tally_of[w] < st->ntallies);
	return (OdrTally *) ((char *) st->tallies + (Size) st->tally_of[w] * st->tally_size);
}

/* A state of m in cxt, its tallies empty, no as_of yet; packed (state_alloc:
 * never pfree'd) for an aggregate's state. */
static AssessState *
assess_alloc(MemoryContext cxt, const Mkt *m, bool packed)
{
	AssessState *st = packed ? state_alloc(cxt, assess_size(m)) :
		MemoryContextAllocZero(cxt, assess_size(m));

	st->m = m;
	st->tally_size = (uint16) odr_tally_size(&m->def);
	for (int w = 0; w < ODR_ENG_MAX_WINDOWS; w++)
		st->tally_of[w] = -1;
	for (int w = 0; w < m->def.nwindows; w++)
		if (plain(&m->def.windows[w]))
		{
			st->tally_of[w] = (int8) st->ntallies++;
			odr_tally_init_short(&m->def, assess_tally(st, w));
		}
	return st;
}

/* st widened into out (for evaluation) */
static void
assess_expand(const AssessState *st, AssessFull *out)
{
	const OdrPolicyDef *p = &st->m->def;

	out->m = st->m;
	out->as_of = st->as_of;
	memcpy(out->first, st->first, sizeof(out->first));
	memcpy(out->last, st->last, sizeof(out->last));
	for (int w = 0; w < ODR_ENG_MAX_WINDOWS; w++)
	{
		if (w < p->nwindows)
			odr_tally_init(p, &out->t[w]);
		else
			memset(&out->t[w], 0, sizeof(OdrTally));
		if (w < p->nwindows && plain(&p->windows[w]))
			memcpy(&out->t[w], assess_tally(st, w), st->tally_size);
	}
}

AssessState *
assess_new(MemoryContext cxt, const Mkt *m, DateADT as_of)
{
	AssessState *st = assess_alloc(cxt, m, true);
	OdrError	err;

	st->as_of = as_of;
	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite date")));
	for (int w = 0; w < m->def.nwindows; w++)
	{
		if (plain(&m->def.windows[w]) &&
			odr_window_days(&m->def.windows[w], as_of, &st->first[w], &st->last[w], &err) != ODR_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of %s: %s", DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of))),
							err.message)));
	}
	return st;
}

void
engine_fail(OdrStatus st, const OdrError *err)
{
	odr_raise(st, err, ODR_IN_ARGUMENT);
}

/* Whether argument argno is the name of marketplace m: compared as it
 * comes, with no copy (a transition function checks it on every row). */
bool
arg_names_marketplace(FunctionCallInfo fcinfo, int argno, const Mkt *m)
{
	text	   *t;

	if (PG_ARGISNULL(argno))
		return false;
	t = PG_GETARG_TEXT_PP(argno);
	return VARSIZE_ANY_EXHDR(t) == strlen(m->name) &&
		memcmp(VARDATA_ANY(t), m->name, VARSIZE_ANY_EXHDR(t)) == 0;
}

/*
 * Whether any of the row's days falls in [first, last].  A row with none
 * adds nothing to a window's tally (each counter skips a row whose day on
 * its basis is outside the window), so the transition function does not
 * hand it to the engine: of the Amazon windows (60, 30, 10 and 7 days), a
 * row of the last 60 days reaches about two.
 */
static inline bool
row_in_window(const OdrEngRow *row, int nbases, int64 first, int64 last)
{
	for (int b = 0; b < nbases; b++)
		if (row->days[b] != ODR_ENG_NO_DAY && row->days[b] >= first && row->days[b] <= last)
			return true;
	return false;
}

PG_FUNCTION_INFO_V1(odr_assess_transfn);
Datum
odr_assess_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AssessState *st = PG_ARGISNULL(0) ? NULL : (AssessState *) PG_GETARG_POINTER(0);
	OrderV	   *o;
	OdrEngRow	row;
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_transfn called outside an aggregate");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	if (st == NULL)
		st = assess_new(aggcxt, marketplace_arg(fcinfo, 2, "marketplace"), PG_GETARG_DATEADT(3));
	else
	{
		if (!arg_names_marketplace(fcinfo, 2, st->m) || PG_GETARG_DATEADT(3) != st->as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("odr_assess: marketplace and as_of must be the same for every row of a group")));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	o = PG_GETARG_ORDER_P(1);
	order_row(o, st->m, &row);
	for (int w = 0; w < st->m->def.nwindows; w++)
		if (plain(&st->m->def.windows[w]) &&
			row_in_window(&row, st->m->def.nbases, st->first[w], st->last[w]) &&
			(rc = odr_tally_add_row(&st->m->def, assess_tally(st, w), &row, st->first[w], st->last[w], &err)) != ODR_OK)
			engine_fail(rc, &err);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(odr_assess_combinefn);
Datum
odr_assess_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AssessState *a = PG_ARGISNULL(0) ? NULL : (AssessState *) PG_GETARG_POINTER(0);
	AssessState *b = PG_ARGISNULL(1) ? NULL : (AssessState *) PG_GETARG_POINTER(1);
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_combinefn called outside an aggregate");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = state_alloc(aggcxt, assess_size(b->m));
		memcpy(a, b, assess_size(b->m));
		PG_RETURN_POINTER(a);
	}
	if (strcmp(a->m->name, b->m->name) != 0 || a->as_of != b->as_of ||
		a->m->fingerprint != b->m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("odr_assess: marketplace and as_of must be the same for every row of a group")));
	for (int w = 0; w < a->m->def.nwindows; w++)
		if (plain(&a->m->def.windows[w]) &&
			(rc = odr_tally_merge(&a->m->def, assess_tally(a, w), assess_tally(b, w), &err)) != ODR_OK)
			engine_fail(rc, &err);
	PG_RETURN_POINTER(a);
}

/*
 * The serial form of a state and the body of an odr_standing: version (1),
 * number of windows (1), name length (1), reserved (1), fingerprint (4),
 * as_of (4), the name, then per window a length (2) and the tally's binary
 * form (odr_tally_encode; empty for a by_volume window).
 */
static void
put_le(StringInfo s, uint32 v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		appendStringInfoChar(s, (char) ((v >> (8 * i)) & 0xff));
}

uint32
get_le(const unsigned char *p, int bytes)
{
	uint32		v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint32) p[i] << (8 * i);
	return v;
}

void
put_body(StringInfo s, const AssessState *st)
{
	const Mkt  *m = st->m;
	int			len = strlen(m->name);

	appendStringInfoChar(s, 1);
	appendStringInfoChar(s, (char) m->def.nwindows);
	appendStringInfoChar(s, (char) len);
	appendStringInfoChar(s, 0);
	put_le(s, m->fingerprint, 4);
	put_le(s, (uint32) st->as_of, 4);
	appendBinaryStringInfo(s, m->name, len);
	for (int w = 0; w < m->def.nwindows; w++)
	{
		uint16		n = 0;
		unsigned char buf[1024];

		if (plain(&m->def.windows[w]))
			n = (uint16) odr_tally_encode(&m->def, assess_tally(st, w), buf, sizeof(buf));
		if (n > sizeof(buf))
			elog(ERROR, "odr: a tally of %u bytes", n);
		put_le(s, n, 2);
		appendBinaryStringInfo(s, (const char *) buf, n);
	}
}

/* the name a body names, or raise */
static char *
body_name(const unsigned char *p, Size len, int sqlstate)
{
	if (len < 12 || p[0] != 1 || p[2] == 0 || p[2] >= ODR_ENG_NAME_LEN || len < (Size) 12 + p[2])
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_standing: bad header")));
	return pnstrdup((const char *) p + 12, p[2]);
}

static void
get_body(const unsigned char *p, Size len, AssessState *st, int sqlstate)
{
	const Mkt  *m = st->m;
	Size		pos;
	uint32		fp;
	OdrError	err;

	/* its tallies must have room (an AssessState from assess_alloc) */
	if (st->tally_size != odr_tally_size(&m->def))
		elog(ERROR, "odr: get_body into a state not sized for marketplace \"%s\"", m->name);
	fp = get_le(p + 4, 4);
	st->as_of = (DateADT) get_le(p + 8, 4);
	if (fp != m->fingerprint || p[1] != m->def.nwindows)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the standing was computed under another definition of marketplace \"%s\"", m->name),
				 errhint("Assess again: its counters or windows changed since.")));
	if (DATE_NOT_FINITE(st->as_of))
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_standing: bad as_of")));
	pos = 12 + p[2];
	for (int w = 0; w < m->def.nwindows; w++)
	{
		uint16		n;

		if (pos + 2 > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
		n = (uint16) get_le(p + pos, 2);
		pos += 2;
		if (pos + n > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
		if (plain(&m->def.windows[w]))
		{
			if (odr_tally_decode_short(&m->def, p + pos, n, assess_tally(st, w), &err) != ODR_OK)
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid odr_standing: %s", err.message)));
		}
		else
		{
			if (n != 0)
				ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: a by_volume window holds a tally")));
		}
		pos += n;
	}
	if (pos != len)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: trailing bytes")));
	for (int w = 0; w < m->def.nwindows; w++)
		if (plain(&m->def.windows[w]))
			odr_window_days(&m->def.windows[w], st->as_of, &st->first[w], &st->last[w], &err);
}

PG_FUNCTION_INFO_V1(odr_assess_serialfn);
Datum
odr_assess_serialfn(PG_FUNCTION_ARGS)
{
	AssessState *st = (AssessState *) PG_GETARG_POINTER(0);
	StringInfoData s;
	bytea	   *out;

	initStringInfo(&s);
	put_body(&s, st);
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(odr_assess_deserialfn);
Datum
odr_assess_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	Size		len = VARSIZE_ANY_EXHDR(b);
	MemoryContext aggcxt;
	AssessState *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_deserialfn called outside an aggregate");
	st = assess_alloc(aggcxt, marketplace_for(fcinfo, body_name(p, len, ERRCODE_INVALID_BINARY_REPRESENTATION)),
					  true);
	get_body(p, len, st, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

/* odr_standing: a varlena holding the body above */
PG_FUNCTION_INFO_V1(odr_assess_finalfn);
Datum
odr_assess_finalfn(PG_FUNCTION_ARGS)
{
	AssessState *st;
	StringInfoData s;
	bytea	   *out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (AssessState *) PG_GETARG_POINTER(0);
	initStringInfo(&s);
	put_body(&s, st);
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	PG_RETURN_POINTER(out);
}

/* the header checks of a standing's body (no marketplace needed) */
static void
standing_check(const unsigned char *p, Size len, int sqlstate)
{
	Size		pos;

	(void) body_name(p, len, sqlstate);
	if (p[3] != 0 || p[1] > ODR_ENG_MAX_WINDOWS)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: bad header")));
	pos = 12 + p[2];
	for (int w = 0; w < p[1]; w++)
	{
		uint16		n;

		if (pos + 2 > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
		n = (uint16) get_le(p + pos, 2);
		pos += 2 + n;
		if (pos > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
	}
	if (pos != len)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: trailing bytes")));
}

/* The text form of odr_standing and odr_tally: "v1:" and the binary body in
 * hexadecimal (the caller checks the body against its marketplace). */
static char *
hex_text_out(const bytea *b)
{
	Size		len = VARSIZE_ANY_EXHDR(b);
	char	   *out = palloc(3 + 2 * len + 1);

	memcpy(out, "v1:", 3);
	hex_encode(VARDATA_ANY(b), len, out + 3);
	out[3 + 2 * len] = '\0';
	return out;
}

static bytea *
hex_text_in(const char *str, const char *type_name)
{
	Size		slen = strlen(str);
	bytea	   *out;

	if (slen < 3 || strncmp(str, "v1:", 3) != 0 || (slen - 3) % 2 != 0 ||
		strspn(str + 3, "0123456789abcdefABCDEF") != slen - 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, str),
				 errdetail("Expected v1: and hexadecimal digits.")));
	out = palloc(VARHDRSZ + (slen - 3) / 2);
	SET_VARSIZE(out, VARHDRSZ + (slen - 3) / 2);
	hex_decode(str + 3, slen - 3, VARDATA(out));
	return out;
}

/* text form: the body in hex after "v1:" (the tallies are checked against
 * the marketplace when the standing is read) */
PG_FUNCTION_INFO_V1(odr_standing_out);
Datum
odr_standing_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(hex_text_out(PG_GETARG_BYTEA_PP(0)));
}

PG_FUNCTION_INFO_V1(odr_standing_in);
Datum
odr_standing_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	bytea	   *out = hex_text_in(str, "odr_standing");

	standing_check((unsigned char *) VARDATA(out), VARSIZE(out) - VARHDRSZ, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(odr_standing_send);
Datum
odr_standing_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_P_COPY(0);

	PG_RETURN_BYTEA_P(b);
}

PG_FUNCTION_INFO_V1(odr_standing_recv);
Datum
odr_standing_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + n);

	SET_VARSIZE(out, VARHDRSZ + n);
	pq_copymsgbytes(buf, VARDATA(out), n);
	standing_check((unsigned char *) VARDATA(out), n, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

/* ------------------------------------------------------------------ */
/* Reading a standing                                                   */
/* ------------------------------------------------------------------ */

typedef struct Reading
{
	AssessFull	st;
	OdrEvaluation ev;
} Reading;

/*
 * The last standing read in this backend, decoded and evaluated.  A query
 * reading several things of one standing (the Amazon figure: 12
 * odr_metric_value calls a seller, each its own call site, so fn_extra
 * cannot share them) decodes and evaluates it once.  Keyed by the
 * standing's bytes and the load of its marketplace (Mkt.generation): a
 * marketplace reloaded (another command, another transaction) never meets
 * an evaluation made under its old rows.  generation 0: nothing kept.
 */
static struct
{
	uint64		generation;
	Size		len;
	Size		cap;
	unsigned char *bytes;
	Reading    *r;
}			last_read;

/* The standing of argument argno, evaluated: the callers only read it, and
 * only until they return (it may be last_read's). */
static const Reading *
read_standing(FunctionCallInfo fcinfo, int argno)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(argno);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	Size		len = VARSIZE_ANY_EXHDR(b);
	const Mkt  *m;
	Reading    *r;
	OdrError	err;
	OdrStatus	rc;
	AssessState *st;

	standing_check(p, len, ERRCODE_INVALID_PARAMETER_VALUE);
	m = marketplace_for(fcinfo, body_name(p, len, ERRCODE_INVALID_PARAMETER_VALUE));
	if (last_read.generation != 0 && last_read.generation == m->generation &&
		last_read.len == len && memcmp(last_read.bytes, p, len) == 0)
	{
		last_read.r->st.m = m;	/* this call site's copy of the same load */
		return last_read.r;
	}
	if (last_read.r == NULL)
		last_read.r = MemoryContextAlloc(TopMemoryContext, sizeof(Reading));
	if (last_read.cap < len)
	{
		if (last_read.bytes)
			pfree(last_read.bytes);
		last_read.bytes = NULL;
		last_read.cap = 0;
		last_read.bytes = MemoryContextAlloc(TopMemoryContext, Max(len, 256));
		last_read.cap = Max(len, 256);
	}
	last_read.generation = 0;	/* until the evaluation succeeds */
	r = last_read.r;
	memset(r, 0, sizeof(Reading));
	st = assess_alloc(CurrentMemoryContext, m, false);
	get_body(p, len, st, ERRCODE_INVALID_PARAMETER_VALUE);
	assess_expand(st, &r->st);
	pfree(st);
	if ((rc = odr_policy_evaluate(&r->st.m->def, r->st.as_of, r->st.t, &r->ev, &err)) != ODR_OK)
		engine_fail(rc, &err);
	memcpy(last_read.bytes, p, len);
	last_read.len = len;
	last_read.generation = m->generation;
	return r;
}

static int
metric_index(const Mkt *m, text *name, const char *argname)
{
	char	   *s = text_to_cstring(name);

	for (int i = 0; i < m->def.nmetrics; i++)
		if (strcmp(m->def.metrics[i].name, s) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s: \"%s\"", argname, s),
			 errhint("SELECT name FROM odr_marketplace_metric WHERE marketplace = '%s' lists the metrics.", m->name)));
	return -1;
}

PG_FUNCTION_INFO_V1(odr_standing_marketplace);
Datum
odr_standing_marketplace(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	standing_check((unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ERRCODE_INVALID_PARAMETER_VALUE);
	PG_RETURN_TEXT_P(cstring_to_text(body_name((unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b),
											   ERRCODE_INVALID_PARAMETER_VALUE)));
}

PG_FUNCTION_INFO_V1(odr_standing_as_of);
Datum
odr_standing_as_of(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	DateADT		d;

	standing_check((unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ERRCODE_INVALID_PARAMETER_VALUE);
	d = (DateADT) get_le((unsigned char *) VARDATA_ANY(b) + 8, 4);
	PG_RETURN_DATEADT(d);
}

PG_FUNCTION_INFO_V1(odr_level_of);
Datum
odr_level_of(PG_FUNCTION_ARGS)
{
	const Reading *r = read_standing(fcinfo, 0);

	PG_RETURN_TEXT_P(cstring_to_text(r->st.m->def.levels[r->ev.level].name));
}

PG_FUNCTION_INFO_V1(odr_level_rank_of);
Datum
odr_level_rank_of(PG_FUNCTION_ARGS)
{
	const Reading *r = read_standing(fcinfo, 0);

	PG_RETURN_INT32(r->st.m->def.levels[r->ev.level].rank);
}

PG_FUNCTION_INFO_V1(odr_deciding_standard);
Datum
odr_deciding_standard(PG_FUNCTION_ARGS)
{
	const Reading *r = read_standing(fcinfo, 0);

	if (r->ev.deciding_standard < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(r->st.m->def.standards[r->ev.deciding_standard].name));
}

PG_FUNCTION_INFO_V1(odr_metric_value_of);
Datum
odr_metric_value_of(PG_FUNCTION_ARGS)
{
	const Reading *r = read_standing(fcinfo, 0);
	int			i = metric_index(r->st.m, PG_GETARG_TEXT_PP(1), "metric");

	if (!r->ev.metrics[i].measured)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(odr_rational_to_double(r->ev.metrics[i].value));
}

static Datum
day_datum(int64 d, bool *isnull)
{
	*isnull = (d == INT64_MIN || d == ODR_ENG_NO_DAY);
	return DateADTGetDatum(*isnull ? 0 : (DateADT) d);
}

/*
 * odr_standing_metrics(s) -> (metric, kind, window, first_day, last_day,
 * numerator, denominator, value, measured, at_least): every metric, with
 * the window it looked at (a by_volume window: the one chosen).
 */
PG_FUNCTION_INFO_V1(odr_standing_metrics);
Datum
odr_standing_metrics(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const Reading *r;
	const OdrPolicyDef *p;

	InitMaterializedSRF(fcinfo, 0);
	r = read_standing(fcinfo, 0);
	p = &r->st.m->def;
	for (int i = 0; i < p->nmetrics; i++)
	{
		const OdrMetricDef *md = &p->metrics[i];
		int			w = md->window;
		Datum		v[10];
		bool		n[10] = {0};

		if (!plain(&p->windows[w]))
			w = r->ev.window_chosen[w];
		v[0] = CStringGetTextDatum(md->name);
		v[1] = CStringGetTextDatum(metric_kinds[md->kind]);
		v[2] = CStringGetTextDatum(p->windows[w].name);
		v[3] = day_datum(r->st.first[w], &n[3]);
		v[4] = day_datum(r->st.last[w], &n[4]);
		v[5] = Int64GetDatum(r->st.t[w].value[md->numerator]);
		n[5] = (md->kind == ODR_METRIC_DAYS_SINCE);
		v[6] = Int64GetDatum(r->st.t[w].value[md->denominator]);
		n[6] = !(md->kind == ODR_METRIC_RATE || md->kind == ODR_METRIC_AVERAGE);
		v[7] = Float8GetDatum(odr_rational_to_double(r->ev.metrics[i].value));
		n[7] = !r->ev.metrics[i].measured;
		v[8] = BoolGetDatum(r->ev.metrics[i].measured);
		v[9] = BoolGetDatum(r->ev.metrics[i].at_least);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

static const char *const tri_names[] = {"n_a", "met", "failed"};

static Datum
decimal_numeric(OdrDecimal d)
{
	char		buf[64];

	odr_decimal_format(d, buf, sizeof(buf));
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * odr_explain(s) -> (standard, state, position, metric, value, op,
 * threshold, applies, holds): one row per comparison of each standard, in
 * order; holds is NULL when the comparison does not apply or its metric is
 * not measured.
 */
PG_FUNCTION_INFO_V1(odr_explain_standing);
Datum
odr_explain_standing(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const Reading *r;
	const OdrPolicyDef *p;

	InitMaterializedSRF(fcinfo, 0);
	r = read_standing(fcinfo, 0);
	p = &r->st.m->def;
	for (int s = 0; s < p->nstandards; s++)
		for (int j = 0; j < p->standards[s].n; j++)
		{
			int			c = p->standards[s].first + j;
			const OdrComparisonDef *cd = &p->comparisons[c];
			Datum		v[9];
			bool		n[9] = {0};

			v[0] = CStringGetTextDatum(p->standards[s].name);
			v[1] = CStringGetTextDatum(tri_names[r->ev.standards[s]]);
			v[2] = Int32GetDatum(j + 1);
			v[3] = CStringGetTextDatum(p->metrics[cd->metric].name);
			v[4] = Float8GetDatum(odr_rational_to_double(r->ev.metrics[cd->metric].value));
			n[4] = !r->ev.metrics[cd->metric].measured;
			v[5] = CStringGetTextDatum(cmp_ops[cd->op]);
			v[6] = decimal_numeric(cd->threshold);
			v[7] = BoolGetDatum(r->ev.comparisons[c].applies);
			v[8] = BoolGetDatum(r->ev.comparisons[c].state == ODR_MET);
			n[8] = r->ev.comparisons[c].state == ODR_NA;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
		}
	return (Datum) 0;
}

/* ------------------------------------------------------------------ */
/* Per-day tallies: odr_tally(o, marketplace, day) -> odr_tally, and    */
/* the roll-up odr_assess(t, day, marketplace, as_of)                   */
/* ------------------------------------------------------------------ */

/*
 * The state of odr_tally, one per group.  t is the last member so that a
 * group's state takes tally_state_size(m) bytes, its tally short
 * (odr_tally_size(&m->def) bytes, engine_core.h); one declared as a local
 * variable is full-size.  Copy one by tally_state_size(st->m) bytes.
 */
typedef struct TallyState
{
	const Mkt  *m;
	DateADT		day;
	OdrTally	t;				/* short in an aggregate's state */
} TallyState;

static Size
tally_state_size(const Mkt *m)
{
	return offsetof(TallyState, t) + odr_tally_size(&m->def);
}

/*
 * odr_tally body: version (1), name length (1), reserved (2), fingerprint
 * (4, little-endian), day (4), the name, the tally's binary form.
 */
static bytea *
tally_pack(const TallyState *st)
{
	StringInfoData s;
	unsigned char buf[1024];
	size_t		n;
	int			len = strlen(st->m->name);
	bytea	   *out;

	initStringInfo(&s);
	appendStringInfoChar(&s, 1);
	appendStringInfoChar(&s, (char) len);
	appendStringInfoChar(&s, 0);
	appendStringInfoChar(&s, 0);
	put_le(&s, st->m->fingerprint, 4);
	put_le(&s, (uint32) st->day, 4);
	appendBinaryStringInfo(&s, st->m->name, len);
	n = odr_tally_encode(&st->m->def, &st->t, buf, sizeof(buf));
	if (n > sizeof(buf))
		elog(ERROR, "odr: a tally of %zu bytes", n);
	appendBinaryStringInfo(&s, (const char *) buf, n);
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	return out;
}

void
tally_check(const unsigned char *p, Size len, int sqlstate)
{
	if (len < 12 || p[0] != 1 || p[1] == 0 || p[1] >= ODR_ENG_NAME_LEN || p[2] != 0 || p[3] != 0 ||
		len < (Size) 12 + p[1] + 2)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_tally: bad header")));
	{
		DateADT		d = (DateADT) get_le(p + 8, 4);

		if (!ORDER_DAY_OK(d))
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid odr_tally: bad day")));
	}
}

/* unpack into st (its marketplace from fcinfo's call site) */
static void
tally_unpack(FunctionCallInfo fcinfo, const unsigned char *p, Size len, TallyState *st, int sqlstate)
{
	OdrError	err;

	tally_check(p, len, sqlstate);
	st->m = marketplace_for(fcinfo, pnstrdup((const char *) p + 12, p[1]));
	if (get_le(p + 4, 4) != st->m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the tally was computed under another definition of marketplace \"%s\"", st->m->name),
				 errhint("Tally again: its counters or windows changed since.")));
	st->day = (DateADT) get_le(p + 8, 4);
	if (odr_tally_decode_short(&st->m->def, p + 12 + p[1], len - 12 - p[1], &st->t, &err) != ODR_OK)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_tally: %s", err.message)));
}

PG_FUNCTION_INFO_V1(odr_tally_transfn);
Datum
odr_tally_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TallyState *st = PG_ARGISNULL(0) ? NULL : (TallyState *) PG_GETARG_POINTER(0);
	OdrEngRow	row;
	OdrError	err;
	OdrStatus	rc;
	DateADT		day;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_tally_transfn called outside an aggregate");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("day must not be NULL")));
	day = PG_GETARG_DATEADT(3);
	if (st == NULL)
	{
		const Mkt  *m = marketplace_arg(fcinfo, 2, "marketplace");

		if (!ORDER_DAY_OK(day))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("day must be a finite date from 0001-01-01 on")));
		st = state_alloc(aggcxt, tally_state_size(m));
		st->m = m;
		st->day = day;
		odr_tally_init_short(&m->def, &st->t);
	}
	else
	{
		if (!arg_names_marketplace(fcinfo, 2, st->m) || day != st->day)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("odr_tally: marketplace and day must be the same for every row of a group")));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	order_row(PG_GETARG_ORDER_P(1), st->m, &row);
	if ((rc = odr_tally_add_row(&st->m->def, &st->t, &row, day, day, &err)) != ODR_OK)
		engine_fail(rc, &err);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(odr_tally_combinefn);
Datum
odr_tally_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TallyState *a = PG_ARGISNULL(0) ? NULL : (TallyState *) PG_GETARG_POINTER(0);
	TallyState *b = PG_ARGISNULL(1) ? NULL : (TallyState *) PG_GETARG_POINTER(1);
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_tally_combinefn called outside an aggregate");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = state_alloc(aggcxt, tally_state_size(b->m));
		memcpy(a, b, tally_state_size(b->m));
		PG_RETURN_POINTER(a);
	}
	if (strcmp(a->m->name, b->m->name) != 0 || a->day != b->day || a->m->fingerprint != b->m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("odr_tally: marketplace and day must be the same for every row of a group")));
	if ((rc = odr_tally_merge(&a->m->def, &a->t, &b->t, &err)) != ODR_OK)
		engine_fail(rc, &err);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(odr_tally_serialfn);
Datum
odr_tally_serialfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(tally_pack((TallyState *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(odr_tally_deserialfn);
Datum
odr_tally_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	TallyState	ts;				/* full-size: the marketplace comes with it */
	TallyState *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_tally_deserialfn called outside an aggregate");
	tally_unpack(fcinfo, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &ts,
				 ERRCODE_INVALID_BINARY_REPRESENTATION);
	st = state_alloc(aggcxt, tally_state_size(ts.m));
	memcpy(st, &ts, tally_state_size(ts.m));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(odr_tally_finalfn);
Datum
odr_tally_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(tally_pack((TallyState *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(odr_tally_out);
Datum
odr_tally_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(hex_text_out(PG_GETARG_BYTEA_PP(0)));
}

PG_FUNCTION_INFO_V1(odr_tally_in);
Datum
odr_tally_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	bytea	   *out = hex_text_in(str, "odr_tally");

	tally_check((unsigned char *) VARDATA(out), VARSIZE(out) - VARHDRSZ, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(odr_tally_send);
Datum
odr_tally_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(PG_GETARG_BYTEA_P_COPY(0));
}

PG_FUNCTION_INFO_V1(odr_tally_recv);
Datum
odr_tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + n);

	SET_VARSIZE(out, VARHDRSZ + n);
	pq_copymsgbytes(buf, VARDATA(out), n);
	tally_check((unsigned char *) VARDATA(out), n, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

/* odr_tally_day(t) -> date */
PG_FUNCTION_INFO_V1(odr_tally_day);
Datum
odr_tally_day(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	tally_check((unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ERRCODE_INVALID_PARAMETER_VALUE);
	PG_RETURN_DATEADT((DateADT) get_le((unsigned char *) VARDATA_ANY(b) + 8, 4));
}

/* odr_tally_size(t) -> integer: bytes of its binary form (the tally) */
PG_FUNCTION_INFO_V1(odr_tally_bytes);
Datum
odr_tally_bytes(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	PG_RETURN_INT32((int32) VARSIZE_ANY(b));
}

/* odr_assess(t odr_tally, marketplace, as_of): the roll-up transition;
 * the tally's own day places it in the windows */
PG_FUNCTION_INFO_V1(odr_assess_tally_transfn);
Datum
odr_assess_tally_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AssessState *st = PG_ARGISNULL(0) ? NULL : (AssessState *) PG_GETARG_POINTER(0);
	bytea	   *b;
	TallyState	ts;
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_tally_transfn called outside an aggregate");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	if (st == NULL)
		st = assess_new(aggcxt, marketplace_arg(fcinfo, 2, "marketplace"), PG_GETARG_DATEADT(3));
	else
	{
		if (!arg_names_marketplace(fcinfo, 2, st->m) || PG_GETARG_DATEADT(3) != st->as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("odr_assess: marketplace and as_of must be the same for every row of a group")));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	b = PG_GETARG_BYTEA_PP(1);
	tally_unpack(fcinfo, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &ts,
				 ERRCODE_INVALID_PARAMETER_VALUE);
	if (ts.m->fingerprint != st->m->fingerprint || strcmp(ts.m->name, st->m->name) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the tally is of marketplace \"%s\", not \"%s\"", ts.m->name, st->m->name)));
	for (int w = 0; w < st->m->def.nwindows; w++)
		if (plain(&st->m->def.windows[w]) && ts.day >= st->first[w] && ts.day <= st->last[w] &&
			(rc = odr_tally_merge(&st->m->def, assess_tally(st, w), &ts.t, &err)) != ODR_OK)
			engine_fail(rc, &err);
	PG_RETURN_POINTER(st);
}

/* odr_order_tally_days(o) -> SETOF date: its distinct days (each order's
 * contribution to per-day tallies: once per distinct day) */
PG_FUNCTION_INFO_V1(odr_order_tally_days);
Datum
odr_order_tally_days(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OrderV	   *o = PG_GETARG_ORDER_P(0);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = 0; i < o->nbases; i++)
	{
		int64		d = o->data[o->nvalues + i];
		bool		seen = (d == ORDER_NO_DAY);
		Datum		v;
		bool		n = false;

		for (int j = 0; j < i && !seen; j++)
			seen = (o->data[o->nvalues + j] == d);
		if (seen)
			continue;
		v = DateADTGetDatum((DateADT) d);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &v, &n);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------ */
/* The evaluation calendar                                              */
/* ------------------------------------------------------------------ */

static int32
days_in_month(int y, int m)
{
	return day_tab[isleap(y)][m - 1];
}

static DateADT
ymd(int y, int m, int d)
{
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

/* the first evaluation strictly after day d */
static DateADT
next_evaluation(const Mkt *m, DateADT d)
{
	int			y,
				mo,
				dd;

	if (m->evaluated == MKT_DAILY)
		return d + 1;
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &mo, &dd);
	for (int k = 0; k < 2; k++)
	{
		int			target = m->evaluated == MKT_MONTH_END ? days_in_month(y, mo) : m->evaluation_day;

		if (dd < target)
			return ymd(y, mo, target);
		dd = 0;
		if (++mo > 12)
		{
			mo = 1;
			y++;
		}
	}
	pg_unreachable();
	return d;
}

static DateADT
effective_from(const Mkt *m, DateADT e)
{
	int			y,
				mo,
				dd;

	switch (m->effective)
	{
		case MKT_SAME_DAY:
			return e;
		case MKT_NEXT_DAY:
			return e + 1;
		default:
			j2date(e + POSTGRES_EPOCH_JDATE, &y, &mo, &dd);
			return mo == 12 ? ymd(y + 1, 1, 1) : ymd(y, mo + 1, 1);
	}
}

static DateADT
calendar_day_arg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	DateADT		d = PG_GETARG_DATEADT(argno);

	/* room for the next evaluation and its effective date */
	if (DATE_NOT_FINITE(d) || d < ymd(1, 1, 1) || d > ymd(5874000, 1, 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite date from 0001-01-01 to 5874000-01-01", argname)));
	return d;
}

/* odr_next_evaluation(marketplace, day) -> date (M2.4: the projection's
 * evaluation) */
PG_FUNCTION_INFO_V1(odr_next_evaluation);
Datum
odr_next_evaluation(PG_FUNCTION_ARGS)
{
	const Mkt  *m = marketplace_arg(fcinfo, 0, "marketplace");
	DateADT		d = calendar_day_arg(fcinfo, 1, "day");

	PG_RETURN_DATEADT(next_evaluation(m, d));
}

/* odr_evaluations(marketplace, from, to) -> (evaluated_on, effective_from,
 * effective_to) */
PG_FUNCTION_INFO_V1(odr_evaluations);
Datum
odr_evaluations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const Mkt  *m;
	DateADT		from,
				to,
				e;

	m = marketplace_arg(fcinfo, 0, "marketplace");
	from = calendar_day_arg(fcinfo, 1, "from");
	to = calendar_day_arg(fcinfo, 2, "to");
	if ((int64) to - from > 366 * 200)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("odr_evaluations covers at most 200 years")));
	InitMaterializedSRF(fcinfo, 0);
	for (e = next_evaluation(m, from - 1); e <= to; e = next_evaluation(m, e))
	{
		Datum		v[3];
		bool		n[3] = {false, false, false};

		v[0] = DateADTGetDatum(e);
		v[1] = DateADTGetDatum(effective_from(m, e));
		v[2] = DateADTGetDatum(effective_from(m, next_evaluation(m, e)) - 1);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------ */
/* Levels compared, and what would lift a seller                        */
/* ------------------------------------------------------------------ */

static const OdrLevelDef *
level_arg(const Mkt *m, FunctionCallInfo fcinfo, int argno, const char *argname)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	StringInfoData s;

	for (int i = 0; i < m->def.nlevels; i++)
		if (strcmp(m->def.levels[i].name, name) == 0)
			return &m->def.levels[i];
	initStringInfo(&s);
	for (int i = 0; i < m->def.nlevels; i++)
		appendStringInfo(&s, "%s%s", i ? ", " : "", m->def.levels[i].name);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s: \"%s\" is not a level of marketplace \"%s\"", argname, name, m->name),
			 errhint("Its levels: %s.", s.data)));
	return NULL;
}

/* odr_level_rank(marketplace, level) -> integer */
PG_FUNCTION_INFO_V1(odr_level_rank_named);
Datum
odr_level_rank_named(PG_FUNCTION_ARGS)
{
	const Mkt  *m = marketplace_arg(fcinfo, 0, "marketplace");

	PG_RETURN_INT32(level_arg(m, fcinfo, 1, "level")->rank);
}

/* odr_level_better(marketplace, a, b) -> boolean: a ranks above b */
PG_FUNCTION_INFO_V1(odr_level_better);
Datum
odr_level_better(PG_FUNCTION_ARGS)
{
	const Mkt  *m = marketplace_arg(fcinfo, 0, "marketplace");

	PG_RETURN_BOOL(level_arg(m, fcinfo, 1, "a")->rank > level_arg(m, fcinfo, 2, "b")->rank);
}

/* n as the user reads it: more_value in the value's own unit, rounded up
 * (the engine counts sums in 1/10000 of it); every other kind as it is */
static int64
advice_n(OdrAdviceKind kind, int64 n)
{
	if (kind == ODR_ADVICE_MORE_VALUE && n > 0)
		return n / ODR_ENG_VALUE_SCALE + (n % ODR_ENG_VALUE_SCALE != 0);
	return n;
}

static const char *const advice_names[] = {
	"none", "more_orders", "more_good_orders", "fewer_defects", "more_value", "wait_days",
	"unreachable", "unknown"
};

/*
 * odr_advise(s) -> (level, standard, metric, op, threshold, value, what, n,
 * alternative, alternative_n): for the next better level (the lowest rank
 * above the seller's), each comparison that keeps the seller from it: of
 * an all_met level, those of its standards not met; otherwise those that
 * failed in the standards of the seller's any_failed level.  what is
 * more_orders, more_good_orders, fewer_defects, more_value, wait_days,
 * unreachable, unknown, or not_measured (a standard with no data yet).
 */
PG_FUNCTION_INFO_V1(odr_advise);
Datum
odr_advise(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const Reading *r;
	const OdrPolicyDef *p;
	const OdrLevelDef *cur,
			   *target = NULL;
	uint32		sts = 0;
	bool		need_met;

	InitMaterializedSRF(fcinfo, 0);
	r = read_standing(fcinfo, 0);
	p = &r->st.m->def;
	cur = &p->levels[r->ev.level];
	for (int i = 0; i < p->nlevels; i++)
		if (p->levels[i].rank > cur->rank && (target == NULL || p->levels[i].rank < target->rank))
			target = &p->levels[i];
	if (target == NULL)
		return (Datum) 0;
	need_met = (target->mode == ODR_LEVEL_ALL_MET);
	if (need_met)
		sts = target->standards;
	else if (cur->mode == ODR_LEVEL_ANY_FAILED)
		sts = cur->standards;
	for (int s = 0; s < p->nstandards; s++)
	{
		if (!(sts & (UINT32_C(1) << s)))
			continue;
		if (need_met ? r->ev.standards[s] == ODR_MET : r->ev.standards[s] != ODR_FAILED)
			continue;
		for (int j = 0; j < p->standards[s].n; j++)
		{
			int			c = p->standards[s].first + j;
			const OdrComparisonDef *cd = &p->comparisons[c];
			const OdrComparisonResult *cr = &r->ev.comparisons[c];
			OdrAdvice	adv;
			OdrError	err;
			OdrStatus	rc;
			Datum		v[10];
			bool		n[10] = {0};

			if (!cr->applies)
				continue;
			v[0] = CStringGetTextDatum(target->name);
			v[1] = CStringGetTextDatum(p->standards[s].name);
			v[2] = CStringGetTextDatum(p->metrics[cd->metric].name);
			v[3] = CStringGetTextDatum(cmp_ops[cd->op]);
			v[4] = decimal_numeric(cd->threshold);
			v[5] = Float8GetDatum(odr_rational_to_double(r->ev.metrics[cd->metric].value));
			n[5] = !r->ev.metrics[cd->metric].measured;
			if (cr->state == ODR_NA)
			{
				v[6] = CStringGetTextDatum("not_measured");
				n[7] = n[8] = n[9] = true;
			}
			else if (cr->state == ODR_MET)
				continue;
			else
			{
				if ((rc = odr_comparison_advise(p, c, &r->ev, r->st.t, &adv, &err)) != ODR_OK)
					engine_fail(rc, &err);
				v[6] = CStringGetTextDatum(advice_names[adv.kind]);
				v[7] = Int64GetDatum(advice_n(adv.kind, adv.n));
				n[7] = !(adv.kind >= ODR_ADVICE_MORE_ROWS && adv.kind <= ODR_ADVICE_WAIT_DAYS);
				v[8] = CStringGetTextDatum(advice_names[adv.alternative_kind]);
				n[8] = adv.alternative_kind == ODR_ADVICE_NONE;
				v[9] = Int64GetDatum(advice_n(adv.alternative_kind, adv.alternative_n));
				n[9] = !(adv.alternative_kind >= ODR_ADVICE_MORE_ROWS && adv.alternative_kind <= ODR_ADVICE_WAIT_DAYS);
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
		}
	}
	return (Datum) 0;
}
