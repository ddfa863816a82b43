/*
 * standing.c — reading an odr_standing (issue 14): the level and its rank,
 * the deciding standard, each metric, odr_explain, levels compared and
 * odr_advise.  A standing is evaluated against the marketplace's current
 * rows, so a changed threshold applies to stored standings at once.
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
/* Reading a standing                                                   */
/* ------------------------------------------------------------------ */


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
const Reading *
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

Datum
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
