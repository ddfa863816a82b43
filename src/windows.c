/*
 * windows.c — assess at many dates in one pass (A1, A2).
 *
 *   odr_agg_at(day date, defects odr_defects, as_of date[], days int
 *              [, since_first_day boolean])
 *   odr_rollup_at(day date, s odr_summary, as_of date[], days int
 *                 [, since_first_day boolean])
 *     -> odr_assessment[]  (as_of date, summary odr_summary), one per date
 *        (with since_first_day, only the dates on or after the group's
 *        earliest day: a seller's assessments since it started)
 *
 * The windows [as_of - days + 1, as_of] cut the calendar into segments: runs
 * of days that lie in the same set of windows.  Rows of one segment in a
 * row (rows in day order, as a per-day table sorted by seller and day gives
 * them) are added to one pending summary, which goes to the segment's
 * windows when a row of another segment comes or the state is finished:
 * twelve month ends cost one pass over the rows and about one addition per
 * row, instead of one join row (or three additions) per window containing
 * the day; rows in any order still give the same result.  The layout
 * (segments and their windows, a day -> segment table) depends only on the
 * dates and the length, so it is built once per call site and shared by
 * every group.  The state is internal with serialise / deserialise (compact
 * counts), so the aggregates run in parallel.
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

/* Days covered by a direct day -> segment table; longer spans search. */
#define AT_MAX_TABLE_DAYS 65536

typedef struct AtLayout
{
	int32		n;				/* number of dates */
	int32		days;			/* window length */
	DateADT    *as_of;			/* sorted, distinct */
	int32		nseg;			/* segments lying in at least one window */
	DateADT    *seg_start;		/* first day of each segment, ascending */
	DateADT    *seg_end;		/* last day of each segment */
	int32	   *seg_lo;			/* the windows containing segment k are */
	int32	   *seg_hi;			/* as_of[seg_lo[k] .. seg_hi[k]] */
	DateADT		first;			/* first day of the table */
	int32		span;			/* days in the table, 0 = no table */
	int16	   *seg_of;			/* day - first -> segment, -1 = none */
	ArrayType  *raw;			/* the as_of argument it was built from, */
	int32		raw_days;		/* and days: the next group with the same */
								/* bytes reuses it without reading them */
} AtLayout;

typedef struct AtState
{
	int32		n;				/* number of dates */
	int32		days;			/* window length */
	DateADT    *as_of;			/* sorted, distinct */
	OdrSummary *sums;			/* one per date */
	const AtLayout *layout;		/* NULL: rows go straight to the windows */
	int32		pending_seg;	/* segment of pending, -1 = none */
	OdrSummary	pending;		/* rows of pending_seg not in sums yet */
	bool		since_first;	/* leave out dates before first_day */
	bool		seen;			/* a row with a day came */
	DateADT		first_day;		/* the earliest day of the group's rows */
} AtState;

static int
compare_dates(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * A state in folded form: window sums only (deserialised or copied states).
 * as_of: dates to share read-only (a cached layout's), or NULL to allocate
 * room for n dates the caller fills in.
 */
static AtState *
at_state_alloc(MemoryContext cxt, int n, int days, DateADT *as_of)
{
	AtState    *st = MemoryContextAlloc(cxt, sizeof(AtState));

	st->n = n;
	st->days = days;
	st->as_of = as_of != NULL ? as_of : MemoryContextAlloc(cxt, sizeof(DateADT) * Max(n, 1));
	st->sums = MemoryContextAlloc(cxt, sizeof(OdrSummary) * Max(n, 1));
	for (int i = 0; i < n; i++)
		odr_summary_init(&st->sums[i]);
	st->layout = NULL;
	st->pending_seg = -1;
	odr_summary_init(&st->pending);
	st->since_first = false;
	st->seen = false;
	st->first_day = 0;
	return st;
}

/* Index of the first date on or after day (n when none). */
static int
first_on_or_after(const DateADT *as_of, int n, int64 day)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (as_of[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Cut the calendar into segments.  Window i covers [as_of[i] - days + 1,
 * as_of[i]]; the windows containing day d are as_of[lo(d) .. hi(d)] with
 * lo(d) the first date >= d and hi(d) the last date <= d + days - 1, and
 * those bounds only change at a window's first day or the day after its
 * last, so the segments start at those days.
 */
static AtLayout *
at_layout_build(MemoryContext cxt, const DateADT *as_of, int n, int32 days)
{
	AtLayout   *l = MemoryContextAllocZero(cxt, sizeof(AtLayout));
	int64	   *cut = palloc(sizeof(int64) * (2 * Max(n, 1)));
	int			ncut = 0,
				m = 0;

	l->n = n;
	l->days = days;
	l->as_of = MemoryContextAlloc(cxt, sizeof(DateADT) * Max(n, 1));
	memcpy(l->as_of, as_of, sizeof(DateADT) * n);
	for (int i = 0; i < n; i++)
	{
		cut[ncut++] = (int64) as_of[i] - days + 1;
		cut[ncut++] = (int64) as_of[i] + 1;
	}
	/* sort and deduplicate the cuts (few: two per date) */
	for (int i = 1; i < ncut; i++)
		for (int j = i; j > 0 && cut[j - 1] > cut[j]; j--)
		{
			int64		t = cut[j];

			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}
	for (int i = 0; i < ncut; i++)
		if (m == 0 || cut[m - 1] != cut[i])
			cut[m++] = cut[i];
	ncut = m;

	l->seg_start = MemoryContextAlloc(cxt, sizeof(DateADT) * Max(ncut, 1));
	l->seg_end = MemoryContextAlloc(cxt, sizeof(DateADT) * Max(ncut, 1));
	l->seg_lo = MemoryContextAlloc(cxt, sizeof(int32) * Max(ncut, 1));
	l->seg_hi = MemoryContextAlloc(cxt, sizeof(int32) * Max(ncut, 1));
	for (int k = 0; k + 1 < ncut; k++)
	{
		int64		start = cut[k];
		int			lo = first_on_or_after(as_of, n, start);
		int			hi = first_on_or_after(as_of, n, start + days) - 1;

		if (lo > hi)
			continue;			/* a gap between windows */
		l->seg_start[l->nseg] = (DateADT) start;
		l->seg_end[l->nseg] = (DateADT) (cut[k + 1] - 1);
		l->seg_lo[l->nseg] = lo;
		l->seg_hi[l->nseg] = hi;
		l->nseg++;
	}
	pfree(cut);

	/* the direct table, when the covered days are few enough */
	if (l->nseg > 0 && l->nseg <= PG_INT16_MAX &&
		(int64) l->seg_end[l->nseg - 1] - l->seg_start[0] + 1 <= AT_MAX_TABLE_DAYS)
	{
		l->first = l->seg_start[0];
		l->span = l->seg_end[l->nseg - 1] - l->first + 1;
		l->seg_of = MemoryContextAlloc(cxt, sizeof(int16) * l->span);
		for (int d = 0; d < l->span; d++)
			l->seg_of[d] = -1;
		for (int k = 0; k < l->nseg; k++)
			for (int64 d = l->seg_start[k]; d <= l->seg_end[k]; d++)
				l->seg_of[d - l->first] = (int16) k;
	}
	return l;
}

/* The segment of day, or -1 when no window contains it. */
static inline int
at_segment(const AtLayout *l, DateADT day)
{
	int			lo,
				hi;

	if (l->span > 0)
	{
		int64		off = (int64) day - l->first;

		return (off >= 0 && off < l->span) ? l->seg_of[off] : -1;
	}
	/* the last segment starting on or before day */
	lo = 0;
	hi = l->nseg;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (l->seg_start[mid] <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || day > l->seg_end[lo - 1])
		return -1;
	return lo - 1;
}

/* Add summary b to a, raising an error on overflow. */
static inline void
at_sum(OdrSummary *a, const OdrSummary *b)
{
	OdrError	err;
	OdrStatus	status = odr_summary_add(a, b, &err);

	if (status != ODR_OK)
		odr_raise(status, &err, ODR_IN_ARGUMENT);
}

/* Add the pending rows of st to the window sums out[] (st is not changed). */
static void
at_fold_into(const AtState *st, OdrSummary *out)
{
	if (st->pending_seg < 0)
		return;
	for (int i = st->layout->seg_lo[st->pending_seg]; i <= st->layout->seg_hi[st->pending_seg]; i++)
		at_sum(&out[i], &st->pending);
}

/* Move the pending rows into the windows. */
static void
at_flush(AtState *st)
{
	at_fold_into(st, st->sums);
	if (st->pending_seg >= 0)
	{
		odr_summary_init(&st->pending);
		st->pending_seg = -1;
	}
}

/* The window sums with the pending rows added: st->sums itself when nothing
 * is pending, else a copy (the state is not changed). */
static OdrSummary *
at_window_sums(const AtState *st)
{
	OdrSummary *sums;

	if (st->pending_seg < 0)
		return st->sums;
	sums = palloc(sizeof(OdrSummary) * Max(st->n, 1));
	memcpy(sums, st->sums, sizeof(OdrSummary) * st->n);
	at_fold_into(st, sums);
	return sums;
}

/* Fold for good (before combining): rows go straight to the windows after. */
static void
at_fold(AtState *st)
{
	at_flush(st);
	st->layout = NULL;
}

/* The layout for these dates: the call site's cached one when it matches. */
static const AtLayout *
at_layout_for(FunctionCallInfo fcinfo, MemoryContext aggcxt, const DateADT *as_of, int n, int32 days,
			  const ArrayType *raw)
{
	AtLayout   *cached = (AtLayout *) fcinfo->flinfo->fn_extra;

	if (cached != NULL && cached->n == n && cached->days == days &&
		memcmp(cached->as_of, as_of, sizeof(DateADT) * n) == 0)
		return cached;
	if (cached == NULL)
	{
		cached = at_layout_build(fcinfo->flinfo->fn_mcxt, as_of, n, days);
		cached->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(raw));
		memcpy(cached->raw, raw, VARSIZE(raw));
		cached->raw_days = days;
		fcinfo->flinfo->fn_extra = cached;
		return cached;
	}
	/* other dates than the cached ones (they differ between groups) */
	return at_layout_build(aggcxt, as_of, n, days);
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
	bool		since_first = false;
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
	if (PG_NARGS() > 5)
	{
		if (PG_ARGISNULL(5))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("since_first_day must not be NULL")));
		since_first = PG_GETARG_BOOL(5);
	}
	arr = PG_GETARG_ARRAYTYPE_P(3);

	/* the same dates as the call site's last group (the usual case) */
	{
		const AtLayout *cached = (const AtLayout *) fcinfo->flinfo->fn_extra;

		if (cached != NULL && cached->raw != NULL && cached->raw_days == days &&
			VARSIZE(cached->raw) == VARSIZE(arr) &&
			memcmp(cached->raw, arr, VARSIZE(arr)) == 0)
		{
			st = at_state_alloc(cxt, cached->n, days, cached->as_of);
			st->layout = cached;
			st->since_first = since_first;
			return st;
		}
	}

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("as_of must be a one-dimensional array of dates")));
	deconstruct_array(arr, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	st = at_state_alloc(cxt, n, days, NULL);
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
	st->layout = at_layout_for(fcinfo, cxt, st->as_of, st->n, days, arr);
	st->since_first = since_first;
	return st;
}

/* Add a summary to every window that contains day: to its segment. */
static void
at_add(AtState *st, DateADT day, const OdrSummary *s)
{
	if (st->layout != NULL)
	{
		int			k = at_segment(st->layout, day);

		if (k < 0)
			return;				/* in no window */
		if (k != st->pending_seg)
		{
			/* another segment: the pending rows go to their windows */
			at_flush(st);
			st->pending_seg = k;
		}
		at_sum(&st->pending, s);
		return;
	}
	/* no layout (a state that was combined): each window */
	for (int i = first_on_or_after(st->as_of, st->n, day);
		 i < st->n && st->as_of[i] <= (int64) day + st->days - 1; i++)
		at_sum(&st->sums[i], s);
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

/* The group's first day: every row with a day counts, as min(day) would. */
static inline void
at_see_day(AtState *st, FunctionCallInfo fcinfo)
{
	if (!PG_ARGISNULL(1))
	{
		DateADT		day = PG_GETARG_DATEADT(1);

		if (!st->seen || day < st->first_day)
			st->first_day = day;
		st->seen = true;
	}
}

/* odr_agg_at transition: one order's verdict */
PG_FUNCTION_INFO_V1(odr_at_defects_transfn);
Datum
odr_at_defects_transfn(PG_FUNCTION_ARGS)
{
	AtState    *st = at_transition_state(fcinfo, "odr_at_defects_transfn");

	at_see_day(st, fcinfo);
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

	at_see_day(st, fcinfo);
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
		at_add(st, PG_GETARG_DATEADT(1), PG_GETARG_ODR_SUMMARY_P(2));
	PG_RETURN_POINTER(st);
}

static void
at_check_same(const AtState *a, const AtState *b)
{
	if (a->n != b->n || a->days != b->days || a->since_first != b->since_first ||
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
		/* copy the right state, folded, into the aggregate's context */
		a = at_state_alloc(aggcxt, b->n, b->days, NULL);
		memcpy(a->as_of, b->as_of, sizeof(DateADT) * b->n);
		memcpy(a->sums, b->sums, sizeof(OdrSummary) * b->n);
		at_fold_into(b, a->sums);
		a->since_first = b->since_first;
		a->seen = b->seen;
		a->first_day = b->first_day;
		PG_RETURN_POINTER(a);
	}
	a = (AtState *) PG_GETARG_POINTER(0);
	at_check_same(a, b);
	at_fold(a);
	at_fold_into(b, a->sums);
	for (int i = 0; i < a->n; i++)
		at_sum(&a->sums[i], &b->sums[i]);
	if (b->seen && (!a->seen || b->first_day < a->first_day))
		a->first_day = b->first_day;
	a->seen = a->seen || b->seen;
	PG_RETURN_POINTER(a);
}

/*
 * Serialised state (between the processes of one server): n, days, the
 * dates, then each window's 18 counts as variable-length integers (7 bits a
 * byte, zigzag for the sign), so the partial states that parallel workers
 * send to the leader take some 25 bytes a window instead of 152: a day's or
 * a month's counts are small numbers.
 */
static char *
put_varint(char *p, int64 v)
{
	uint64		u = ((uint64) v << 1) ^ (uint64) (v >> 63);

	while (u >= 0x80)
	{
		*p++ = (char) ((u & 0x7f) | 0x80);
		u >>= 7;
	}
	*p++ = (char) u;
	return p;
}

static const char *
get_varint(const char *p, const char *end, int64 *v)
{
	uint64		u = 0;

	for (int shift = 0; shift < 64; shift += 7)
	{
		uint8		c;

		if (p >= end)
			elog(ERROR, "odr_at_deserialfn: state ends inside a number");
		c = (uint8) *p++;
		u |= (uint64) (c & 0x7f) << shift;
		if ((c & 0x80) == 0)
		{
			*v = (int64) (u >> 1) ^ -(int64) (u & 1);
			return p;
		}
	}
	elog(ERROR, "odr_at_deserialfn: a number of more than 64 bits");
	return p;					/* keep the compiler quiet */
}

#define AT_VARINT_MAX 10

PG_FUNCTION_INFO_V1(odr_at_serialfn);
Datum
odr_at_serialfn(PG_FUNCTION_ARGS)
{
	AtState    *st = (AtState *) PG_GETARG_POINTER(0);
	const OdrSummary *sums = at_window_sums(st);
	int32		flags = (st->since_first ? 1 : 0) | (st->seen ? 2 : 0);
	Size		max = 4 * sizeof(int32) + sizeof(DateADT) * st->n +
		(Size) st->n * ODR_SUMMARY_NCOUNTS * AT_VARINT_MAX;
	bytea	   *out = palloc(VARHDRSZ + max);
	char	   *p = VARDATA(out);

	memcpy(p, &st->n, sizeof(int32));
	memcpy(p + sizeof(int32), &st->days, sizeof(int32));
	memcpy(p + 2 * sizeof(int32), &flags, sizeof(int32));
	memcpy(p + 3 * sizeof(int32), &st->first_day, sizeof(int32));
	p += 4 * sizeof(int32);
	memcpy(p, st->as_of, sizeof(DateADT) * st->n);
	p += sizeof(DateADT) * st->n;
	for (int i = 0; i < st->n; i++)
	{
		const int64_t *c = odr_summary_counts_const(&sums[i]);

		for (int f = 0; f < ODR_SUMMARY_NCOUNTS; f++)
			p = put_varint(p, c[f]);
	}
	SET_VARSIZE(out, p - (char *) out);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(odr_at_deserialfn);
Datum
odr_at_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	const char *end = p + VARSIZE_ANY_EXHDR(in);
	MemoryContext aggcxt;
	int32		n,
				days,
				flags;
	AtState    *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_at_deserialfn called outside an aggregate");
	if (end - p < (ptrdiff_t) (4 * sizeof(int32)))
		elog(ERROR, "odr_at_deserialfn: state of %zu bytes", (size_t) (end - p));
	memcpy(&n, p, sizeof(int32));
	memcpy(&days, p + sizeof(int32), sizeof(int32));
	memcpy(&flags, p + 2 * sizeof(int32), sizeof(int32));
	if (n < 0 || (Size) (end - p) < 4 * sizeof(int32) + sizeof(DateADT) * (Size) n)
		elog(ERROR, "odr_at_deserialfn: state too short for %d dates", n);
	st = at_state_alloc(CurrentMemoryContext, n, days, NULL);
	st->since_first = (flags & 1) != 0;
	st->seen = (flags & 2) != 0;
	memcpy(&st->first_day, p + 3 * sizeof(int32), sizeof(int32));
	p += 4 * sizeof(int32);
	memcpy(st->as_of, p, sizeof(DateADT) * n);
	p += sizeof(DateADT) * n;
	for (int i = 0; i < n; i++)
	{
		int64_t    *c = odr_summary_counts(&st->sums[i]);

		for (int f = 0; f < ODR_SUMMARY_NCOUNTS; f++)
		{
			int64		v;

			p = get_varint(p, end, &v);
			c[f] = v;
		}
	}
	if (p != end)
		elog(ERROR, "odr_at_deserialfn: %zu bytes left over", (size_t) (end - p));
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
	OdrSummary *sums;
	int			m = 0;
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
	sums = at_window_sums(st);
	for (int i = 0; i < st->n; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		/* since_first_day: only the dates on or after the group's first day */
		if (st->since_first && (!st->seen || st->as_of[i] < st->first_day))
			continue;

		/* heap_form_tuple copies the summary into the element */
		values[0] = DateADTGetDatum(st->as_of[i]);
		values[1] = OdrSummaryPGetDatum(&sums[i]);
		elems[m++] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	ReleaseTupleDesc(desc);
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, m, elemtype, typlen, typbyval, typalign));
}
