/*
 * assess_at.c — odr_assess_at(t odr_tally | o odr_order, marketplace, as_of
 * date[]) -> odr_standing[] (issue 14): a seller's standing on many dates in
 * one pass, element i exactly odr_assess(..., marketplace, as_of[i]) over
 * the same rows (the marketplace analogue of odr_agg_at).
 *
 * The days are cut into intervals.  For every as_of date and every plain
 * window of the marketplace, the window's days [first, last]
 * (odr_window_days) give two cuts, first and last + 1; the sorted distinct
 * cuts c[0] < ... < c[n-1] make n + 1 intervals (-inf, c[0]), [c[0], c[1]),
 * ..., [c[n-1], +inf), and every window of every date is a run of whole
 * intervals.  A row goes into the tally of its interval only:
 *   a per-day tally   merged into the interval of its day (binary search);
 *   an order          added once per distinct interval of its basis days,
 *                     with that interval's days, so each counter counts it
 *                     in the interval holding its own basis day;
 * rows in intervals outside every window are skipped, and an interval's
 * tally is allocated when a row first lands in it.  The final function
 * builds each date's standing as odr_assess's does (assess_new, put_body),
 * each window's tally merged from the intervals it covers.  Merging is exact
 * for every counter (COUNT and SUM add, the DISTINCT bottom-k sketches merge
 * exactly, FIRST/LAST_DAY take the min / max) and a tally is canonical, so
 * the standings are byte for byte those of odr_assess.
 *
 * The dates may come in any order and repeat: the result follows them, one
 * standing per element.  They are the same for every row of a group, as the
 * marketplace (the error of odr_assess otherwise).
 *
 * Serial form of a state: version (1), name length (1), reserved (2),
 * fingerprint (4), number of dates (4), the dates (4 each), the name, then
 * per interval holding rows: its index (4), length (2), its tally's binary
 * form (odr_tally_encode); all little-endian.
 */
#include "odr.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "marketplace_internal.h"

typedef struct AtState
{
	const Mkt  *m;
	int			ndates;
	DateADT    *dates;			/* as given */
	ArrayType  *arg;			/* the as_of array of the first row (a copy):
								 * every row's is compared with it; NULL in a
								 * deserialised state */
	int			ncuts;
	int64	   *cuts;			/* ascending, distinct */
	int			nint;			/* ncuts + 1 */
	bool	   *covered;		/* per interval: inside some window */
	int32	   *range;			/* per date and window: first, last interval
								 * (2 x ndates x nwindows) */
	OdrTally  **t;				/* per interval, short (odr_tally_size bytes);
								 * NULL: no row yet */
} AtState;

static void
put_le32(StringInfo s, uint32 v)
{
	for (int i = 0; i < 4; i++)
		appendStringInfoChar(s, (char) ((v >> (8 * i)) & 0xff));
}

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* the interval of day d: the number of cuts <= d */
static inline int
interval_of(const AtState *st, int64 d)
{
	int			lo = 0,
				hi = st->ncuts;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (st->cuts[mid] <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/*
 * A state for marketplace m and dates[0..n-1] (copied): the cuts, the
 * intervals each window of each date covers.  The errors of odr_assess for
 * a bad as_of, naming the element.
 */
static AtState *
at_new(MemoryContext cxt, const Mkt *m, const DateADT *dates, int n)
{
	const OdrPolicyDef *p = &m->def;
	AtState    *st = MemoryContextAllocZero(cxt, sizeof(AtState));
	int64	   *first = palloc(sizeof(int64) * Max(1, n * p->nwindows));
	int64	   *last = palloc(sizeof(int64) * Max(1, n * p->nwindows));
	int			nc = 0;
	OdrError	err;

	st->m = m;
	st->ndates = n;
	st->dates = MemoryContextAlloc(cxt, sizeof(DateADT) * Max(1, n));
	memcpy(st->dates, dates, sizeof(DateADT) * n);
	st->cuts = MemoryContextAlloc(cxt, sizeof(int64) * Max(1, 2 * n * p->nwindows));
	for (int i = 0; i < n; i++)
	{
		if (DATE_NOT_FINITE(dates[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of[%d] must be a finite date", i + 1)));
		for (int w = 0; w < p->nwindows; w++)
		{
			int64	   *f = &first[i * p->nwindows + w];
			int64	   *l = &last[i * p->nwindows + w];

			if (!plain(&p->windows[w]))
				continue;
			if (odr_policy_window_days(p, w, dates[i], f, l, &err) != ODR_OK)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("as_of[%d] %s: %s", i + 1, date_text(dates[i]), err.message)));
			if (*f != INT64_MIN)
				st->cuts[nc++] = *f;
			st->cuts[nc++] = *l + 1;
		}
	}
	/* sorted, distinct */
	if (nc > 1)
		qsort(st->cuts, nc, sizeof(int64), cmp_int64);
	st->ncuts = 0;
	for (int i = 0; i < nc; i++)
		if (st->ncuts == 0 || st->cuts[st->ncuts - 1] != st->cuts[i])
			st->cuts[st->ncuts++] = st->cuts[i];
	st->nint = st->ncuts + 1;
	st->covered = MemoryContextAllocZero(cxt, sizeof(bool) * st->nint);
	st->range = MemoryContextAllocZero(cxt, sizeof(int32) * 2 * Max(1, n * p->nwindows));
	st->t = MemoryContextAllocZero(cxt, sizeof(OdrTally *) * st->nint);
	for (int i = 0; i < n; i++)
		for (int w = 0; w < p->nwindows; w++)
		{
			int			k = i * p->nwindows + w;
			int			a,
						b;

			if (!plain(&p->windows[w]))
				continue;
			/* first and last + 1 are cuts: the window is intervals a..b */
			a = interval_of(st, first[k]);
			b = interval_of(st, last[k]);
			st->range[2 * k] = a;
			st->range[2 * k + 1] = b;
			for (int j = a; j <= b; j++)
				st->covered[j] = true;
		}
	pfree(first);
	pfree(last);
	return st;
}

/* the dates of argument argno: 22004 for NULL (the array or an element),
 * 22023 for a multidimensional array */
static DateADT *
dates_arg(FunctionCallInfo fcinfo, int argno, int *n)
{
	ArrayType  *a;
	Datum	   *el;
	bool	   *nu;
	DateADT    *d;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	a = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a one-dimensional array")));
	deconstruct_array(a, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &el, &nu, n);
	d = palloc(sizeof(DateADT) * Max(1, *n));
	for (int i = 0; i < *n; i++)
	{
		if (nu[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("as_of[%d] must not be NULL", i + 1)));
		d[i] = DatumGetDateADT(el[i]);
	}
	return d;
}

static void
not_same(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("odr_assess_at: marketplace and as_of must be the same for every row of a group")));
}

/*
 * The state of a transition call: created on the group's first row, else
 * checked against the row's marketplace and as_of (compared in place; an
 * as_of array that differs in bytes is compared date by date).  own: the
 * marketplace a tally names itself (odr_assess_at(t, as_of): as_of is
 * argument 2), or NULL (odr_assess_at(x, marketplace, as_of): the name is
 * argument 2, as_of argument 3).
 */
static AtState *
at_state_of(FunctionCallInfo fcinfo, const char *fname, const Mkt *own)
{
	MemoryContext aggcxt;
	AtState    *st = PG_ARGISNULL(0) ? NULL : (AtState *) PG_GETARG_POINTER(0);
	int			dates_argno = own != NULL ? 2 : 3;
	ArrayType  *a;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called outside an aggregate", fname);
	if (st == NULL)
	{
		const Mkt  *m = own != NULL ? own : marketplace_arg(fcinfo, 2, "marketplace");
		int			n;
		DateADT    *d = dates_arg(fcinfo, dates_argno, &n);

		st = at_new(aggcxt, m, d, n);
		a = PG_GETARG_ARRAYTYPE_P(dates_argno);
		st->arg = MemoryContextAlloc(aggcxt, VARSIZE(a));
		memcpy(st->arg, a, VARSIZE(a));
		return st;
	}
	if (own == NULL && !arg_names_marketplace(fcinfo, 2, st->m))
		not_same();
	if (PG_ARGISNULL(dates_argno))
		not_same();
	a = PG_GETARG_ARRAYTYPE_P(dates_argno);
	if (st->arg == NULL || VARSIZE(a) != VARSIZE(st->arg) || memcmp(a, st->arg, VARSIZE(a)) != 0)
	{
		int			n;
		DateADT    *d = dates_arg(fcinfo, dates_argno, &n);

		if (n != st->ndates || memcmp(d, st->dates, sizeof(DateADT) * n) != 0)
			not_same();
	}
	return st;
}

static AtState *
at_state(FunctionCallInfo fcinfo, const char *fname)
{
	return at_state_of(fcinfo, fname, NULL);
}

/* the tally of interval k, allocated on first use */
static inline OdrTally *
interval_tally(AtState *st, int k)
{
	if (st->t[k] == NULL)
	{
		/* in the state's own context */
		st->t[k] = MemoryContextAlloc(GetMemoryChunkContext(st), odr_tally_size(&st->m->def));
		odr_tally_init_short(&st->m->def, st->t[k]);
	}
	return st->t[k];
}

/* the tally t (an odr_tally's body, p .. p + len) into st: its day places
 * it in one interval */
static void
at_add_tally(AtState *st, const unsigned char *p, Size len)
{
	const Mkt  *m = st->m;
	int			k;
	OdrTally	t;
	OdrError	err;
	OdrStatus	rc;

	tally_check(p, len, ERRCODE_INVALID_PARAMETER_VALUE);
	/* its marketplace, compared in place */
	if (p[1] != strlen(m->name) || memcmp(p + 12, m->name, p[1]) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the tally is of marketplace \"%s\", not \"%s\"",
						pnstrdup((const char *) p + 12, p[1]), m->name)));
	if (get_le(p + 4, 4) != m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the tally was computed under another definition of marketplace \"%s\"", m->name),
				 errhint("Tally again: its counters or windows changed since.")));
	k = interval_of(st, (int64) (DateADT) get_le(p + 8, 4));
	if (!st->covered[k])
		return;					/* in no window of any date */
	/* the interval's first row is decoded in place, the others merged */
	if (st->t[k] == NULL)
	{
		OdrTally   *to = MemoryContextAlloc(GetMemoryChunkContext(st), odr_tally_size(&m->def));

		if (odr_tally_decode_short(&m->def, p + 12 + p[1], len - 12 - p[1], to, &err) != ODR_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid odr_tally: %s", err.message)));
		st->t[k] = to;
		return;
	}
	if (odr_tally_decode_short(&m->def, p + 12 + p[1], len - 12 - p[1], &t, &err) != ODR_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid odr_tally: %s", err.message)));
	if ((rc = odr_tally_merge(&m->def, st->t[k], &t, &err)) != ODR_OK)
		engine_fail(rc, &err);
}

/* odr_assess_at(t odr_tally, marketplace, as_of date[]) */
PG_FUNCTION_INFO_V1(odr_assess_at_tally_transfn);
Datum
odr_assess_at_tally_transfn(PG_FUNCTION_ARGS)
{
	AtState    *st = at_state(fcinfo, "odr_assess_at_tally_transfn");
	bytea	   *b;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	b = PG_GETARG_BYTEA_PP(1);
	at_add_tally(st, (const unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	PG_RETURN_POINTER(st);
}

/*
 * odr_assess_at(t odr_tally, as_of date[]): under the marketplace the
 * tallies were counted for (each names it).  With no marketplace argument
 * the call has no collatable input, so postgres_fdw may ship it to a shard
 * (README: shards).  A group of NULL tallies only has no standing (NULL).
 */
PG_FUNCTION_INFO_V1(odr_assess_at_own_tally_transfn);
Datum
odr_assess_at_own_tally_transfn(PG_FUNCTION_ARGS)
{
	AtState    *st = PG_ARGISNULL(0) ? NULL : (AtState *) PG_GETARG_POINTER(0);
	bytea	   *b;
	const unsigned char *p;
	Size		len;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "odr_assess_at_own_tally_transfn called outside an aggregate");
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(at_state_of(fcinfo, "odr_assess_at_own_tally_transfn", st->m));
	}
	b = PG_GETARG_BYTEA_PP(1);
	p = (const unsigned char *) VARDATA_ANY(b);
	len = VARSIZE_ANY_EXHDR(b);
	if (st == NULL)
	{
		tally_check(p, len, ERRCODE_INVALID_PARAMETER_VALUE);
		st = at_state_of(fcinfo, "odr_assess_at_own_tally_transfn",
						 marketplace_for(fcinfo, pnstrdup((const char *) p + 12, p[1])));
	}
	else
		st = at_state_of(fcinfo, "odr_assess_at_own_tally_transfn", st->m);
	at_add_tally(st, p, len);
	PG_RETURN_POINTER(st);
}

/* odr_assess_at(o odr_order, marketplace, as_of date[]): the order goes
 * into each distinct interval of its basis days */
PG_FUNCTION_INFO_V1(odr_assess_at_transfn);
Datum
odr_assess_at_transfn(PG_FUNCTION_ARGS)
{
	AtState    *st = at_state(fcinfo, "odr_assess_at_transfn");
	const OdrPolicyDef *p = &st->m->def;
	OdrEngRow	row;
	int			seen[ODR_ENG_MAX_BASES];
	int			nseen = 0;
	OdrError	err;
	OdrStatus	rc;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	order_row((const OrderV *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1)), st->m, &row);
	for (int i = 0; i < p->nbases; i++)
	{
		int			k;
		bool		dup = false;

		if (row.days[i] == ODR_ENG_NO_DAY)
			continue;
		k = interval_of(st, row.days[i]);
		for (int j = 0; j < nseen && !dup; j++)
			dup = (seen[j] == k);
		if (dup)
			continue;
		seen[nseen++] = k;
		if (!st->covered[k])
			continue;
		if ((rc = odr_tally_add_row(p, interval_tally(st, k), &row,
									k == 0 ? INT64_MIN : st->cuts[k - 1],
									k == st->ncuts ? INT64_MAX : st->cuts[k] - 1,
									&err)) != ODR_OK)
			engine_fail(rc, &err);
	}
	PG_RETURN_POINTER(st);
}

static void
same_or_fail(const AtState *a, const AtState *b)
{
	if (strcmp(a->m->name, b->m->name) != 0 || a->m->fingerprint != b->m->fingerprint ||
		a->ndates != b->ndates || memcmp(a->dates, b->dates, sizeof(DateADT) * a->ndates) != 0)
		not_same();
}

PG_FUNCTION_INFO_V1(odr_assess_at_combinefn);
Datum
odr_assess_at_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AtState    *a = PG_ARGISNULL(0) ? NULL : (AtState *) PG_GETARG_POINTER(0);
	AtState    *b = PG_ARGISNULL(1) ? NULL : (AtState *) PG_GETARG_POINTER(1);
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_at_combinefn called outside an aggregate");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		/* a copy in the aggregate's context: b may live elsewhere */
		a = at_new(aggcxt, b->m, b->dates, b->ndates);
		for (int k = 0; k < b->nint; k++)
			if (b->t[k] != NULL)
				memcpy(interval_tally(a, k), b->t[k], odr_tally_size(&a->m->def));
		PG_RETURN_POINTER(a);
	}
	same_or_fail(a, b);
	for (int k = 0; k < a->nint; k++)
		if (b->t[k] != NULL &&
			(rc = odr_tally_merge(&a->m->def, interval_tally(a, k), b->t[k], &err)) != ODR_OK)
			engine_fail(rc, &err);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(odr_assess_at_serialfn);
Datum
odr_assess_at_serialfn(PG_FUNCTION_ARGS)
{
	AtState    *st = (AtState *) PG_GETARG_POINTER(0);
	const Mkt  *m = st->m;
	int			len = strlen(m->name);
	StringInfoData s;
	bytea	   *out;

	initStringInfo(&s);
	appendStringInfoChar(&s, 1);
	appendStringInfoChar(&s, (char) len);
	appendStringInfoChar(&s, 0);
	appendStringInfoChar(&s, 0);
	put_le32(&s, m->fingerprint);
	put_le32(&s, (uint32) st->ndates);
	for (int i = 0; i < st->ndates; i++)
		put_le32(&s, (uint32) st->dates[i]);
	appendBinaryStringInfo(&s, m->name, len);
	for (int k = 0; k < st->nint; k++)
	{
		unsigned char buf[1024];
		size_t		n;

		if (st->t[k] == NULL)
			continue;
		n = odr_tally_encode(&m->def, st->t[k], buf, sizeof(buf));
		if (n > sizeof(buf))
			elog(ERROR, "odr: a tally of %zu bytes", n);
		put_le32(&s, (uint32) k);
		appendStringInfoChar(&s, (char) (n & 0xff));
		appendStringInfoChar(&s, (char) (n >> 8));
		appendBinaryStringInfo(&s, (const char *) buf, n);
	}
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	PG_RETURN_BYTEA_P(out);
}

static void
bad_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid odr_assess_at state: %s", why)));
}

PG_FUNCTION_INFO_V1(odr_assess_at_deserialfn);
Datum
odr_assess_at_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	Size		len = VARSIZE_ANY_EXHDR(b);
	MemoryContext aggcxt;
	const Mkt  *m;
	AtState    *st;
	uint32		n;
	Size		pos;
	DateADT    *dates;
	OdrError	err;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_at_deserialfn called outside an aggregate");
	if (len < 12 || p[0] != 1 || p[1] == 0 || p[1] >= ODR_ENG_NAME_LEN || p[2] != 0 || p[3] != 0)
		bad_state("bad header");
	n = get_le(p + 8, 4);
	if (n > (len - 12) / 4 || len < 12 + 4 * (Size) n + p[1])
		bad_state("truncated");
	dates = palloc(sizeof(DateADT) * Max(1, n));
	for (uint32 i = 0; i < n; i++)
		dates[i] = (DateADT) get_le(p + 12 + 4 * i, 4);
	pos = 12 + 4 * (Size) n;
	m = marketplace_for(fcinfo, pnstrdup((const char *) p + pos, p[1]));
	if (get_le(p + 4, 4) != m->fingerprint)
		bad_state("another definition of the marketplace");
	pos += p[1];
	st = at_new(aggcxt, m, dates, (int) n);
	while (pos < len)
	{
		uint32		k;
		Size		tl;

		if (pos + 6 > len)
			bad_state("truncated");
		k = get_le(p + pos, 4);
		tl = get_le(p + pos + 4, 2);
		pos += 6;
		if (k >= (uint32) st->nint || st->t[k] != NULL || pos + tl > len)
			bad_state("bad interval");
		if (odr_tally_decode_short(&m->def, p + pos, tl, interval_tally(st, (int) k), &err) != ODR_OK)
			bad_state(err.message);
		pos += tl;
	}
	PG_RETURN_POINTER(st);
}

/* odr_standing[]: element i the standing on as_of[i] */
PG_FUNCTION_INFO_V1(odr_assess_at_finalfn);
Datum
odr_assess_at_finalfn(PG_FUNCTION_ARGS)
{
	AtState    *st;
	const OdrPolicyDef *p;
	Oid			arraytype,
				elemtype;
	Datum	   *out;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	OdrError	err;
	OdrStatus	rc;
	MemoryContext scratch;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (AtState *) PG_GETARG_POINTER(0);
	p = &st->m->def;
	arraytype = get_fn_expr_rettype(fcinfo->flinfo);
	elemtype = OidIsValid(arraytype) ? get_element_type(arraytype) : InvalidOid;
	if (!OidIsValid(elemtype))
		elog(ERROR, "odr_assess_at_finalfn: could not determine the type of odr_standing");
	out = palloc(sizeof(Datum) * Max(1, st->ndates));
	/* each date's state in a context of its own, reset after the date (an
	 * assess_new state is never pfree'd: it may be packed with others) */
	scratch = AllocSetContextCreate(CurrentMemoryContext, "odr_assess_at final", ALLOCSET_SMALL_SIZES);
	for (int i = 0; i < st->ndates; i++)
	{
		AssessState *a = assess_new(scratch, st->m, st->dates[i]);
		StringInfoData s;
		bytea	   *b;

		for (int w = 0; w < p->nwindows; w++)
		{
			int			k = i * p->nwindows + w;

			if (!plain(&p->windows[w]))
				continue;
			for (int j = st->range[2 * k]; j <= st->range[2 * k + 1]; j++)
				if (st->t[j] != NULL &&
					(rc = odr_tally_merge(p, assess_tally(a, w), st->t[j], &err)) != ODR_OK)
					engine_fail(rc, &err);
		}
		initStringInfo(&s);
		put_body(&s, a);
		b = palloc(VARHDRSZ + s.len);
		SET_VARSIZE(b, VARHDRSZ + s.len);
		memcpy(VARDATA(b), s.data, s.len);
		out[i] = PointerGetDatum(b);
		pfree(s.data);
		MemoryContextReset(scratch);
	}
	MemoryContextDelete(scratch);
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(out, st->ndates, elemtype, typlen, typbyval, typalign));
}
