/*
 * indicators.c — PostgreSQL glue for the order-based 1688 indicators
 * (rules S3, S5, S6, S7; the rules themselves are in indicators_core.c):
 *
 *   odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level
 *                    [, business_weight] [, as_of])           S3
 *   odr_shipped_on_time(paid_at, promised_ship_by, shipped_at [, as_of])
 *   odr_quality_refund_rate(first_refund_reason [, quality_reasons])  S5
 *   odr_is_quality_refund(first_refund_reason [, quality_reasons])
 *   odr_quality_reasons()
 *   odr_refund_hours(requested_at, completed_at, buyer_level
 *                    [, business_weight])                     S6
 *   odr_dispute_rate(ruling)                                  S7
 *   odr_dispute_counted(ruling)
 *
 * The four aggregates share one internal state (OdrIndState, fixed size)
 * with one combine, serialise and deserialise function, so all run in
 * parallel.
 */
#include "odr.h"

#include "indicators_core.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* ------------------------------------------------------------------ */
/* Arguments                                                            */
/* ------------------------------------------------------------------ */

static void
format_timestamptz(int64_t us, char *buf, size_t len)
{
	/* timestamptz_to_str() reuses one static buffer: copy */
	strlcpy(buf, timestamptz_to_str((TimestampTz) us), len);
}

/* A timestamptz argument; infinite values are errors unless +infinity is allowed. */
static OdrTime
ind_time_arg(FunctionCallInfo fcinfo, int n, const char *argname, bool allow_infinity)
{
	OdrTime		t = {false, 0};

	if (!PG_ARGISNULL(n))
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(n);

		if (TIMESTAMP_IS_NOBEGIN(ts) || (TIMESTAMP_IS_NOEND(ts) && !allow_infinity))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s must be a finite timestamp, not %s", argname,
							TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity"),
					 allow_infinity ? errdetail("as_of may be infinity (every order not shipped yet is late), not -infinity.") : 0));
		t.known = true;
		t.us = ts;
	}
	return t;
}

static double
ind_weight_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("business_weight must not be NULL"),
				 errdetail("An order of a business buyer (levels 3 to 6) weighs business_weight, any other order 1; the default is 2 (rules S3, S6).")));
	return PG_GETARG_FLOAT8(n);
}

static bool
ind_business_arg(FunctionCallInfo fcinfo, int n)
{
	bool		business;
	OdrError	err;
	OdrStatus	st = odr_buyer_is_business(!PG_ARGISNULL(n),
										   PG_ARGISNULL(n) ? 0 : PG_GETARG_INT32(n),
										   &business, &err);

	if (st != ODR_OK)
		odr_raise(st, &err, ODR_IN_ARGUMENT);
	return business;
}

static void
ind_check(OdrStatus st, const OdrError *err)
{
	if (st != ODR_OK)
		odr_raise(st, err, ODR_IN_ARGUMENT);
}

/* ------------------------------------------------------------------ */
/* The shared aggregate state                                           */
/* ------------------------------------------------------------------ */

static OdrIndState *
ind_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;
	OdrIndState *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of an aggregate", fname)));
	if (!PG_ARGISNULL(0))
		return (OdrIndState *) PG_GETARG_POINTER(0);
	st = MemoryContextAlloc(aggcxt, sizeof(OdrIndState));
	odr_ind_init(st);
	return st;
}

/* combine function of the four indicator aggregates */
PG_FUNCTION_INFO_V1(odr_indicator_combinefn);
Datum
odr_indicator_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	OdrIndState *a;
	OdrError	err;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("odr_indicator_combinefn can only be called as part of an aggregate")));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	if (PG_ARGISNULL(0))
	{
		/* copy the right state into the aggregate's context */
		a = MemoryContextAlloc(aggcxt, sizeof(OdrIndState));
		memcpy(a, PG_GETARG_POINTER(1), sizeof(OdrIndState));
		PG_RETURN_POINTER(a);
	}
	a = (OdrIndState *) PG_GETARG_POINTER(0);
	ind_check(odr_ind_combine(a, (OdrIndState *) PG_GETARG_POINTER(1), &err), &err);
	PG_RETURN_POINTER(a);
}

/* state serialisation (parallel query): the fixed-size struct */
PG_FUNCTION_INFO_V1(odr_indicator_serialfn);
Datum
odr_indicator_serialfn(PG_FUNCTION_ARGS)
{
	OdrIndState *st = (OdrIndState *) PG_GETARG_POINTER(0);
	bytea	   *out = palloc(VARHDRSZ + sizeof(OdrIndState));

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("odr_indicator_serialfn can only be called as part of an aggregate")));
	SET_VARSIZE(out, VARHDRSZ + sizeof(OdrIndState));
	memcpy(VARDATA(out), st, sizeof(OdrIndState));
	PG_RETURN_BYTEA_P(out);
}

/* state deserialisation (parallel query) */
PG_FUNCTION_INFO_V1(odr_indicator_deserialfn);
Datum
odr_indicator_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	OdrIndState *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("odr_indicator_deserialfn can only be called as part of an aggregate")));
	if (VARSIZE_ANY_EXHDR(in) != sizeof(OdrIndState))
		elog(ERROR, "odr_indicator_deserialfn: state of %zu bytes, expected %zu",
			 (Size) VARSIZE_ANY_EXHDR(in), sizeof(OdrIndState));
	st = palloc(sizeof(OdrIndState));
	memcpy(st, VARDATA_ANY(in), sizeof(OdrIndState));
	PG_RETURN_POINTER(st);
}

/* final function of S3, S5, S7: the weighted share, NULL when no order counts */
PG_FUNCTION_INFO_V1(odr_indicator_rate_finalfn);
Datum
odr_indicator_rate_finalfn(PG_FUNCTION_ARGS)
{
	double		r;

	if (PG_ARGISNULL(0) || !odr_ind_ratio((OdrIndState *) PG_GETARG_POINTER(0), &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r);
}

/* final function of S6: the weighted mean in hours, NULL when no refund was completed */
PG_FUNCTION_INFO_V1(odr_indicator_hours_finalfn);
Datum
odr_indicator_hours_finalfn(PG_FUNCTION_ARGS)
{
	double		r;

	if (PG_ARGISNULL(0) || !odr_ind_hours((OdrIndState *) PG_GETARG_POINTER(0), &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r);
}

/* ------------------------------------------------------------------ */
/* S3 on-time shipping                                                  */
/* ------------------------------------------------------------------ */

/*
 * Judge one order from the arguments paid_at, promised_ship_by, shipped_at
 * at positions first .. first + 2; as_of at as_of_arg, or the transaction's
 * start (now()) when as_of_arg < 0.
 */
static OdrVerdict
on_time_verdict(FunctionCallInfo fcinfo, int first, int as_of_arg)
{
	OdrTime		paid = ind_time_arg(fcinfo, first, "paid_at", false);
	OdrTime		promised = ind_time_arg(fcinfo, first + 1, "promised_ship_by", false);
	OdrTime		shipped = ind_time_arg(fcinfo, first + 2, "shipped_at", false);
	OdrTime		as_of;
	OdrVerdict	v;
	OdrError	err;

	if (as_of_arg >= 0)
		as_of = ind_time_arg(fcinfo, as_of_arg, "as_of", true);
	else
	{
		as_of.known = true;
		as_of.us = GetCurrentTransactionStartTimestamp();
	}
	ind_check(odr_shipped_on_time(paid, promised, shipped, as_of, &v,
								  format_timestamptz, &err), &err);
	return v;
}

/* one transition of odr_on_time_rate: the weight at weight_arg (< 0: default) */
static Datum
on_time_step(FunctionCallInfo fcinfo, const char *fname, int weight_arg, int as_of_arg)
{
	OdrIndState *st = ind_state(fcinfo, fname);
	OdrError	err;
	double		weight = weight_arg >= 0 ? ind_weight_arg(fcinfo, weight_arg) :
		ODR_BUSINESS_WEIGHT_DEFAULT;
	bool		business;
	OdrVerdict	v;

	ind_check(odr_ind_weight(st, weight, &err), &err);
	business = ind_business_arg(fcinfo, 4);
	v = on_time_verdict(fcinfo, 1, as_of_arg);
	if (v != ODR_NOT_COUNTED)
		ind_check(odr_ind_add(st, business, v == ODR_YES ? 1 : 0, &err), &err);
	PG_RETURN_POINTER(st);
}

/* odr_on_time_rate(paid_at, promised_ship_by, shipped_at, buyer_level): weight 2, as of now() */
PG_FUNCTION_INFO_V1(odr_on_time_transfn);
Datum
odr_on_time_transfn(PG_FUNCTION_ARGS)
{
	return on_time_step(fcinfo, "odr_on_time_transfn", -1, -1);
}

/* odr_on_time_rate(..., buyer_level, business_weight): as of now() */
PG_FUNCTION_INFO_V1(odr_on_time_weight_transfn);
Datum
odr_on_time_weight_transfn(PG_FUNCTION_ARGS)
{
	return on_time_step(fcinfo, "odr_on_time_weight_transfn", 5, -1);
}

/* odr_on_time_rate(..., buyer_level, as_of): weight 2 */
PG_FUNCTION_INFO_V1(odr_on_time_as_of_transfn);
Datum
odr_on_time_as_of_transfn(PG_FUNCTION_ARGS)
{
	return on_time_step(fcinfo, "odr_on_time_as_of_transfn", -1, 5);
}

/* odr_on_time_rate(..., buyer_level, business_weight, as_of) */
PG_FUNCTION_INFO_V1(odr_on_time_weight_as_of_transfn);
Datum
odr_on_time_weight_as_of_transfn(PG_FUNCTION_ARGS)
{
	return on_time_step(fcinfo, "odr_on_time_weight_as_of_transfn", 5, 6);
}

/* odr_shipped_on_time(paid_at, promised_ship_by, shipped_at): as of now(); NULL = not counted */
PG_FUNCTION_INFO_V1(odr_shipped_on_time_fn);
Datum
odr_shipped_on_time_fn(PG_FUNCTION_ARGS)
{
	OdrVerdict	v = on_time_verdict(fcinfo, 0, -1);

	if (v == ODR_NOT_COUNTED)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(v == ODR_YES);
}

/* odr_shipped_on_time(paid_at, promised_ship_by, shipped_at, as_of) */
PG_FUNCTION_INFO_V1(odr_shipped_on_time_as_of_fn);
Datum
odr_shipped_on_time_as_of_fn(PG_FUNCTION_ARGS)
{
	OdrVerdict	v = on_time_verdict(fcinfo, 0, 3);

	if (v == ODR_NOT_COUNTED)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(v == ODR_YES);
}

/* ------------------------------------------------------------------ */
/* S5 quality refunds                                                   */
/* ------------------------------------------------------------------ */

/* A quality_reasons array, checked once and kept while the same array comes back. */
typedef struct ReasonsCache
{
	Size		rawlen;
	char	   *raw;			/* the array's bytes */
	int			n;
	OdrName    *names;
} ReasonsCache;

static const ReasonsCache *
reasons_arg(FunctionCallInfo fcinfo, int n)
{
	ReasonsCache *c = (ReasonsCache *) fcinfo->flinfo->fn_extra;
	ArrayType  *arr;
	MemoryContext old;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	OdrError	err;

	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("quality_reasons must not be NULL"),
				 errhint("odr_quality_reasons() gives the default list of quality reasons (rule S5).")));
	arr = PG_GETARG_ARRAYTYPE_P(n);
	if (c != NULL && c->rawlen == VARSIZE(arr) && memcmp(c->raw, arr, c->rawlen) == 0)
		return c;
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("quality_reasons must be a one-dimensional array of text")));

	/* a new list: check it, then keep it for the next rows */
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (c == NULL)
		c = palloc0(sizeof(ReasonsCache));
	else
	{
		if (c->raw)
			pfree(c->raw);
		if (c->names)
		{
			for (int i = 0; i < c->n; i++)
				pfree((void *) c->names[i].s);
			pfree(c->names);
		}
	}
	c->raw = NULL;
	c->rawlen = 0;
	c->n = 0;
	c->names = NULL;
	fcinfo->flinfo->fn_extra = c;
	MemoryContextSwitchTo(old);

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	for (int i = 0; i < nelems; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("quality_reasons element %d is NULL", i + 1),
					 errdetail("Every quality reason is a non-empty text (rule S5).")));
	}
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	c->names = palloc(sizeof(OdrName) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		text	   *t = DatumGetTextPP(elems[i]);
		size_t		len = VARSIZE_ANY_EXHDR(t);
		char	   *s = palloc(len + 1);

		memcpy(s, VARDATA_ANY(t), len);
		s[len] = '\0';
		c->names[i].s = s;
		c->names[i].len = len;
		c->n = i + 1;
	}
	MemoryContextSwitchTo(old);
	ind_check(odr_quality_reasons_check(c->names, c->n, &err), &err);
	/* only a list that passed is remembered as checked */
	c->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(arr));
	memcpy(c->raw, arr, VARSIZE(arr));
	c->rawlen = VARSIZE(arr);
	return c;
}

/* Is the first refund reason at argument n a quality reason? false for NULL (no refund). */
static bool
quality_verdict(FunctionCallInfo fcinfo, int n, const OdrName *reasons, int nreasons)
{
	text	   *reason;
	bool		q;
	OdrError	err;

	if (PG_ARGISNULL(n))
		return false;
	reason = PG_GETARG_TEXT_PP(n);
	ind_check(odr_is_quality_reason(VARDATA_ANY(reason), VARSIZE_ANY_EXHDR(reason),
									reasons, nreasons, &q, &err), &err);
	return q;
}

/* odr_quality_refund_rate(first_refund_reason): default quality reasons */
PG_FUNCTION_INFO_V1(odr_quality_refund_transfn);
Datum
odr_quality_refund_transfn(PG_FUNCTION_ARGS)
{
	OdrIndState *st = ind_state(fcinfo, "odr_quality_refund_transfn");
	OdrError	err;
	bool		q = quality_verdict(fcinfo, 1, odr_default_quality_reasons,
									odr_default_quality_reasons_count);

	ind_check(odr_ind_add(st, false, q ? 1 : 0, &err), &err);
	PG_RETURN_POINTER(st);
}

/* odr_quality_refund_rate(first_refund_reason, quality_reasons) */
PG_FUNCTION_INFO_V1(odr_quality_refund_list_transfn);
Datum
odr_quality_refund_list_transfn(PG_FUNCTION_ARGS)
{
	OdrIndState *st = ind_state(fcinfo, "odr_quality_refund_list_transfn");
	const ReasonsCache *c = reasons_arg(fcinfo, 2);
	OdrError	err;
	bool		q = quality_verdict(fcinfo, 1, c->names, c->n);

	ind_check(odr_ind_add(st, false, q ? 1 : 0, &err), &err);
	PG_RETURN_POINTER(st);
}

/* odr_is_quality_refund(first_refund_reason): default quality reasons */
PG_FUNCTION_INFO_V1(odr_is_quality_refund_fn);
Datum
odr_is_quality_refund_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quality_verdict(fcinfo, 0, odr_default_quality_reasons,
								   odr_default_quality_reasons_count));
}

/* odr_is_quality_refund(first_refund_reason, quality_reasons) */
PG_FUNCTION_INFO_V1(odr_is_quality_refund_list_fn);
Datum
odr_is_quality_refund_list_fn(PG_FUNCTION_ARGS)
{
	const ReasonsCache *c = reasons_arg(fcinfo, 1);

	PG_RETURN_BOOL(quality_verdict(fcinfo, 0, c->names, c->n));
}

/* odr_quality_reasons(): the default list (S5) */
PG_FUNCTION_INFO_V1(odr_quality_reasons_fn);
Datum
odr_quality_reasons_fn(PG_FUNCTION_ARGS)
{
	int			n = odr_default_quality_reasons_count;
	Datum	   *elems = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		elems[i] = PointerGetDatum(cstring_to_text_with_len(odr_default_quality_reasons[i].s,
															(int) odr_default_quality_reasons[i].len));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* ------------------------------------------------------------------ */
/* S6 refund hours                                                      */
/* ------------------------------------------------------------------ */

static Datum
refund_step(FunctionCallInfo fcinfo, const char *fname, int weight_arg)
{
	OdrIndState *st = ind_state(fcinfo, fname);
	OdrError	err;
	double		weight = weight_arg >= 0 ? ind_weight_arg(fcinfo, weight_arg) :
		ODR_BUSINESS_WEIGHT_DEFAULT;
	bool		business,
				counted;
	int64_t		us;
	OdrTime		requested,
				completed;

	ind_check(odr_ind_weight(st, weight, &err), &err);
	business = ind_business_arg(fcinfo, 3);
	requested = ind_time_arg(fcinfo, 1, "requested_at", false);
	completed = ind_time_arg(fcinfo, 2, "completed_at", false);
	ind_check(odr_refund_time(requested, completed, &counted, &us,
							  format_timestamptz, &err), &err);
	if (counted)
		ind_check(odr_ind_add(st, business, us, &err), &err);
	PG_RETURN_POINTER(st);
}

/* odr_refund_hours(requested_at, completed_at, buyer_level): weight 2 */
PG_FUNCTION_INFO_V1(odr_refund_hours_transfn);
Datum
odr_refund_hours_transfn(PG_FUNCTION_ARGS)
{
	return refund_step(fcinfo, "odr_refund_hours_transfn", -1);
}

/* odr_refund_hours(requested_at, completed_at, buyer_level, business_weight) */
PG_FUNCTION_INFO_V1(odr_refund_hours_weight_transfn);
Datum
odr_refund_hours_weight_transfn(PG_FUNCTION_ARGS)
{
	return refund_step(fcinfo, "odr_refund_hours_weight_transfn", 4);
}

/* ------------------------------------------------------------------ */
/* S7 disputes                                                          */
/* ------------------------------------------------------------------ */

/* Does the ruling at argument n count? false for NULL (no dispute). */
static bool
dispute_verdict(FunctionCallInfo fcinfo, int n)
{
	text	   *ruling;
	bool		counts;
	OdrError	err;

	if (PG_ARGISNULL(n))
		return false;
	ruling = PG_GETARG_TEXT_PP(n);
	ind_check(odr_dispute_ruling_counts(VARDATA_ANY(ruling), VARSIZE_ANY_EXHDR(ruling),
										&counts, &err), &err);
	return counts;
}

/* odr_dispute_rate(ruling) */
PG_FUNCTION_INFO_V1(odr_dispute_transfn);
Datum
odr_dispute_transfn(PG_FUNCTION_ARGS)
{
	OdrIndState *st = ind_state(fcinfo, "odr_dispute_transfn");
	OdrError	err;
	bool		counts = dispute_verdict(fcinfo, 1);

	ind_check(odr_ind_add(st, false, counts ? 1 : 0, &err), &err);
	PG_RETURN_POINTER(st);
}

/* odr_dispute_counted(ruling) */
PG_FUNCTION_INFO_V1(odr_dispute_counted_fn);
Datum
odr_dispute_counted_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(dispute_verdict(fcinfo, 0));
}
