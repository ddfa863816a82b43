/*
 * windows.c — assess at many dates in one pass (A1, A2).
 *
 *   odr_agg_at(day date, defects odr_defects, as_of date[], days int)
 *   odr_rollup_at(day date, s odr_summary, as_of date[], days int)
 *     -> odr_assessment[]  (as_of date, summary odr_summary), one per date
 *
 * Each input row is added to the summary of every window
 * [as_of - days + 1, as_of] that contains its day, found by binary search,
 * so twelve month ends cost one pass over the rows instead of one join row
 * per window.  The state is internal with serialise / deserialise, so the
 * aggregates run in parallel.
 */
#include "odr.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

typedef struct AtState
{
	int32		n;				/* number of dates */
	int32		days;			/* window length */
	DateADT    *as_of;			/* sorted, distinct */
	OdrSummary *sums;			/* one per date */
} AtState;

static int
compare_dates(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

static AtState *
at_state_alloc(MemoryContext cxt, int n, int days)
{
	AtState    *st = MemoryContextAlloc(cxt, sizeof(AtState));

	st->n = n;
	st->days = days;
	st->as_of = MemoryContextAlloc(cxt, sizeof(DateADT) * Max(n, 1));
	st->sums = MemoryContextAlloc(cxt, sizeof(OdrSummary) * Max(n, 1));
	for (int i = 0; i < n; i++)
		odr_summary_init(&st->sums[i]);
	return st;
}

/* The first call of a group: read and check the dates and the length. */
static AtState *
at_state_new(FunctionCallInfo fcinfo, MemoryContext cxt)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				m = 0;
	int32		days;
	AtState    *st;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL"),
				 errhint("Pass the assessment dates as an array, for example ARRAY(SELECT odr_month_ends(...)).")));
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("days must not be NULL")));
	if (PG_GETARG_INT32(4) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("days %d is not a positive number of days", PG_GETARG_INT32(4))));
	days = PG_GETARG_INT32(4);
	arr = PG_GETARG_ARRAYTYPE_P(3);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("as_of must be a one-dimensional array of dates")));
	deconstruct_array(arr, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	st = at_state_alloc(cxt, n, days);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("as_of must not contain NULL (element %d)", i + 1)));
		if (DATE_NOT_FINITE(DatumGetDateADT(elems[i])))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("as_of must hold finite dates (element %d is infinite)", i + 1)));
		st->as_of[i] = DatumGetDateADT(elems[i]);
	}
	qsort(st->as_of, n, sizeof(DateADT), compare_dates);
	for (int i = 0; i < n; i++)
	{
		if (m == 0 || st->as_of[m - 1] != st->as_of[i])
			st->as_of[m++] = st->as_of[i];
	}
	st->n = m;
	return st;
}

/* Add a summary to every window that contains day. */
static void
at_add(AtState *st, DateADT day, const OdrSummary *s)
{
	int			lo = 0,
				hi = st->n;
	int64		last = (int64) day + st->days - 1;

	/* the first date on or after day */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (st->as_of[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < st->n && st->as_of[i] <= last; i++)
	{
		OdrError	err;
		OdrStatus	status = odr_summary_add(&st->sums[i], s, &err);

		if (status != ODR_OK)
			odr_raise(status, &err, ODR_IN_ARGUMENT);
	}
}

static AtState *
at_transition_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of an aggregate", fname)));
	if (PG_ARGISNULL(0))
		return at_state_new(fcinfo, aggcxt);
	return (AtState *) PG_GETARG_POINTER(0);
}

/* odr_agg_at transition: one order's verdict */
PG_FUNCTION_INFO_V1(odr_at_defects_transfn);
Datum
odr_at_defects_transfn(PG_FUNCTION_ARGS)
{
	AtState    *st = at_transition_state(fcinfo, "odr_at_defects_transfn");

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		OdrSummary one;
		OdrError	err;
		OdrStatus	status;

		odr_summary_init(&one);
		status = odr_summary_add_order(&one, PG_GETARG_ODR_DEFECTS(2), &err);
		if (status != ODR_OK)
			odr_raise(status, &err, ODR_IN_ARGUMENT);
		at_add(st, PG_GETARG_DATEADT(1), &one);
	}
	PG_RETURN_POINTER(st);
}

/* odr_rollup_at transition: one summary (a seller's day, say) */
PG_FUNCTION_INFO_V1(odr_at_summary_transfn);
Datum
odr_at_summary_transfn(PG_FUNCTION_ARGS)
{
	AtState    *st = at_transition_state(fcinfo, "odr_at_summary_transfn");

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
		at_add(st, PG_GETARG_DATEADT(1), PG_GETARG_ODR_SUMMARY_P(2));
	PG_RETURN_POINTER(st);
}

static void
at_check_same(const AtState *a, const AtState *b)
{
	if (a->n != b->n || a->days != b->days ||
		memcmp(a->as_of, b->as_of, sizeof(DateADT) * a->n) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of and days must be the same for every row of a group")));
}

PG_FUNCTION_INFO_V1(odr_at_combinefn);
Datum
odr_at_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AtState    *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_at_combinefn called outside an aggregate");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	b = (AtState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		/* copy the right state into the aggregate's context */
		a = at_state_alloc(aggcxt, b->n, b->days);
		memcpy(a->as_of, b->as_of, sizeof(DateADT) * b->n);
		memcpy(a->sums, b->sums, sizeof(OdrSummary) * b->n);
		PG_RETURN_POINTER(a);
	}
	a = (AtState *) PG_GETARG_POINTER(0);
	at_check_same(a, b);
	for (int i = 0; i < a->n; i++)
	{
		OdrError	err;
		OdrStatus	status = odr_summary_add(&a->sums[i], &b->sums[i], &err);

		if (status != ODR_OK)
			odr_raise(status, &err, ODR_IN_ARGUMENT);
	}
	PG_RETURN_POINTER(a);
}

/* Serialised state (between the processes of one server): n, days, dates, summaries. */
PG_FUNCTION_INFO_V1(odr_at_serialfn);
Datum
odr_at_serialfn(PG_FUNCTION_ARGS)
{
	AtState    *st = (AtState *) PG_GETARG_POINTER(0);
	Size		len = 2 * sizeof(int32) + sizeof(DateADT) * st->n + sizeof(OdrSummary) * st->n;
	bytea	   *out = palloc(VARHDRSZ + len);
	char	   *p = VARDATA(out);

	SET_VARSIZE(out, VARHDRSZ + len);
	memcpy(p, &st->n, sizeof(int32));
	memcpy(p + sizeof(int32), &st->days, sizeof(int32));
	p += 2 * sizeof(int32);
	memcpy(p, st->as_of, sizeof(DateADT) * st->n);
	p += sizeof(DateADT) * st->n;
	memcpy(p, st->sums, sizeof(OdrSummary) * st->n);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(odr_at_deserialfn);
Datum
odr_at_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	MemoryContext aggcxt;
	int32		n,
				days;
	AtState    *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_at_deserialfn called outside an aggregate");
	if (len < 2 * sizeof(int32))
		elog(ERROR, "odr_at_deserialfn: state of %zu bytes", len);
	memcpy(&n, p, sizeof(int32));
	memcpy(&days, p + sizeof(int32), sizeof(int32));
	if (n < 0 || len != 2 * sizeof(int32) + (sizeof(DateADT) + sizeof(OdrSummary)) * (Size) n)
		elog(ERROR, "odr_at_deserialfn: state of %zu bytes for %d dates", len, n);
	st = at_state_alloc(CurrentMemoryContext, n, days);
	p += 2 * sizeof(int32);
	memcpy(st->as_of, p, sizeof(DateADT) * n);
	p += sizeof(DateADT) * n;
	memcpy(st->sums, p, sizeof(OdrSummary) * n);
	PG_RETURN_POINTER(st);
}

/* Final: odr_assessment[] in date order */
PG_FUNCTION_INFO_V1(odr_at_finalfn);
Datum
odr_at_finalfn(PG_FUNCTION_ARGS)
{
	AtState    *st;
	Oid			arraytype,
				elemtype;
	TupleDesc	desc;
	Datum	   *elems;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (AtState *) PG_GETARG_POINTER(0);
	arraytype = get_fn_expr_rettype(fcinfo->flinfo);
	elemtype = get_element_type(arraytype);
	if (!OidIsValid(elemtype))
		elog(ERROR, "odr_at_finalfn: result is not an array");
	desc = lookup_rowtype_tupdesc(elemtype, -1);
	elems = palloc(sizeof(Datum) * Max(st->n, 1));
	for (int i = 0; i < st->n; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};
		OdrSummary *copy = palloc(sizeof(OdrSummary));

		memcpy(copy, &st->sums[i], sizeof(OdrSummary));
		values[0] = DateADTGetDatum(st->as_of[i]);
		values[1] = OdrSummaryPGetDatum(copy);
		elems[i] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	ReleaseTupleDesc(desc);
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, st->n, elemtype, typlen, typbyval, typalign));
}
