/*
 * marketplace.c — marketplaces as rows (issue 14): the odr_marketplace*
 * tables of the extension's schema, read through SPI (every name qualified,
 * as src/policy/policy.c) and compiled into the engine's OdrPolicyDef
 * (src/rules/engine_core.c):
 *   date bases, events, values   by their position in the marketplace's
 *                                arrays (OdrEngRow.days[i], bit i, values[i])
 *   counters, windows, metrics   by name (C collation), so a tally's layout
 *                                does not depend on the session
 *   standards, levels            by position, then name; a standard's
 *                                comparisons by position
 * A compiled marketplace is kept per backend for the rest of the command
 * (like odr_policy), and copied into the calling function's fn_extra, so an
 * aggregate state can point at it for the whole query.  The other layers of
 * the engine's SQL side: src/facts/order.c (odr_order), src/summary/tally.c
 * (odr_tally), src/policy/assess.c (odr_assess -> odr_standing),
 * src/policy/standing.c (reading a standing), src/policy/assess_at.c
 * (many dates in one pass), src/calendar/evaluations.c.
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

#include "engine_core.h"
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
static const char *const window_kinds[] = {"days", "months", "weeks", "quarters", "month_to_date", "lifetime", "by_volume", "business_days", NULL};
const char *const metric_kinds[] = {"rate", "average", "count", "sum", "distinct", "days_since", NULL};
const char *const cmp_ops[] = {"<", "<=", ">", ">=", NULL};
static const char *const roundings[] = {"none", "down", "half_up", "up", NULL};
static const char *const level_modes[] = {"all_met", "any_failed", "otherwise", NULL};
static const char *const evaluated_names[] = {"daily", "month_end", "day_of_month", "weekly", "quarter_end", NULL};
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
	char	   *calendars[ODR_ENG_MAX_WINDOWS] = {0};

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
		if (m->evaluated == MKT_WEEKLY && (m->evaluation_day < 1 || m->evaluation_day > 7))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": evaluation_day %d is not an ISO weekday 1..7 (Monday 1)", name, m->evaluation_day)));
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
	/* calendar (0.8.0) read through to_jsonb: while ALTER EXTENSION walks
	 * the releases before it, this module compiles their marketplaces, whose
	 * window table has no such column yet */
	spi_query(psprintf("SELECT w.name, w.kind, w.length, w.lag, w.primary_window, w.fallback_window, w.volume_counter, w.volume_min, "
					   "pg_catalog.to_jsonb(w) OPERATOR(pg_catalog.->>) 'calendar'::text "
					   "FROM %s.odr_marketplace_window AS w WHERE w.marketplace OPERATOR(pg_catalog.=) $1 "
					   "ORDER BY w.name COLLATE pg_catalog.\"C\"", s), nm);
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
		calendars[i] = getstr(t, d, 9);
		if ((w->kind == ODR_WINDOW_BUSINESS_DAYS) != (calendars[i] != NULL))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": window \"%s\" %s", name, w->name,
							calendars[i] ? "has a calendar but is not a business_days window" :
							"is a business_days window without a calendar"),
					 errhint("A business_days window names its odr_business_calendar in column calendar; other windows leave it NULL.")));
		if (w->kind == ODR_WINDOW_BUSINESS_DAYS && (w->length < 1 || w->length > ODR_ENG_MAX_BUSINESS_LENGTH))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": business_days window \"%s\" has length %d, not 1 .. %d working days",
							name, w->name, (int) w->length, (int) ODR_ENG_MAX_BUSINESS_LENGTH)));
	}
	/* the business calendars of business_days windows, holidays ascending */
	for (int i = 0; i < p->nwindows; i++)
	{
		OdrBusinessCalendar *bc = &p->business[i];
		int			same = -1;

		if (calendars[i] == NULL)
			continue;
		for (int j = 0; j < i; j++)
			if (calendars[j] != NULL && strcmp(calendars[j], calendars[i]) == 0)
				same = j;
		if (same >= 0)
		{
			*bc = p->business[same];
			continue;
		}
		spi_query(psprintf("SELECT (SELECT pg_catalog.sum(DISTINCT 1 OPERATOR(pg_catalog.<<) (w.w OPERATOR(pg_catalog.-) 1))::integer "
						   "FROM pg_catalog.unnest(c.weekend) AS w(w)) "
						   "FROM %s.odr_business_calendar c WHERE c.name OPERATOR(pg_catalog.=) $1", s),
				  CStringGetTextDatum(calendars[i]));
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("marketplace \"%s\": window \"%s\" names unknown calendar \"%s\"",
							name, p->windows[i].name, calendars[i]),
					 errhint("SELECT name FROM %s.odr_business_calendar lists the calendars.", s)));
		bc->weekend = (uint8_t) getint(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
		spi_query(psprintf("SELECT h.day OPERATOR(pg_catalog.-) '2000-01-01'::pg_catalog.date "
						   "FROM %s.odr_business_holiday h WHERE h.calendar OPERATOR(pg_catalog.=) $1 ORDER BY h.day", s),
				  CStringGetTextDatum(calendars[i]));
		if (SPI_processed > (uint64) (ODR_ENG_MAX_HOLIDAYS - p->nholidays))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("marketplace \"%s\": its business calendars have more than %d holidays in all",
							name, ODR_ENG_MAX_HOLIDAYS)));
		bc->first = p->nholidays;
		bc->count = (int32_t) SPI_processed;
		for (uint64 h = 0; h < SPI_processed; h++)
			p->holidays[p->nholidays++] = getint(SPI_tuptable->vals[h], SPI_tuptable->tupdesc, 1, 0);
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
					 errmsg("marketplace \"%s\": metric \"%s\" is %s %s with no denominator", name,
							md->name, md->kind == ODR_METRIC_AVERAGE ? "an" : "a",
							metric_kinds[md->kind])));
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
		/* business_days windows: their calendars' weekends and holidays too
		 * (a calendar edit refuses the tallies made before it) */
		for (int w = 0; w < p->nwindows; w++)
			if (p->windows[w].kind == ODR_WINDOW_BUSINESS_DAYS)
			{
				const OdrBusinessCalendar *bc = &p->business[w];

				h = hash_combine(h, hash_bytes_uint32((uint32) w));
				h = hash_combine(h, hash_bytes_uint32(bc->weekend));
				if (bc->count > 0)
					h = hash_combine(h, hash_bytes((const unsigned char *) &p->holidays[bc->first],
												   sizeof(int32_t) * bc->count));
				else
					h = hash_combine(h, hash_bytes_uint32(0));
			}
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
