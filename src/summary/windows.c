/*
 * windows.c — assess at many dates in one pass (A1, A2).
 *
 *   odr_agg_at(day date, defects odr_defects, as_of date[], days int
 *              [, since_first_day boolean])
 *   odr_agg_at(day timestamp, ...the same...)             day: day::date
 *   odr_agg_at(day timestamptz, defects, as_of, days, time_zone text
 *              [, since_first_day boolean])    day: (day AT TIME ZONE time_zone)::date
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
 *
 * as_of, days and since_first_day define a group's windows, so they must be
 * the same on every row of a group: each row is checked (the as_of datum by
 * pointer when it is a constant or a parameter, else by its bytes), and so
 * are partial states before they are combined.  Windows are computed in 64
 * bits, and a window that would start before the first date of type date is
 * refused (22008), as odr_window refuses it.
 */
#include "odr.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/formatting.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
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

/* How the day argument becomes a date. */
typedef enum AtDayKind
{
	AT_DAY_DATE,				/* odr_agg_at(date, ...), odr_rollup_at */
	AT_DAY_TIMESTAMP,			/* odr_agg_at(timestamp, ...): day::date */
	AT_DAY_TIMESTAMPTZ			/* odr_agg_at(timestamptz, ..., time_zone) */
} AtDayKind;

/* A time_zone argument seen at a call site, checked once. */
typedef struct AtZone
{
	char	   *raw;			/* the argument's bytes (a text, header included) */
	pg_tz	   *tz;				/* the zone; NULL when AT TIME ZONE reads the */
								/* name as an abbreviation (UTC, CET, ...) */
} AtZone;

/* What a call site keeps across groups (fn_extra of the transition). */
typedef struct AtSite
{
	AtLayout   *layout;			/* the layout of the first group's dates */
	bool		probed;			/* the argument expressions were looked at */
	bool		as_of_stable;	/* as_of is a constant or a parameter: */
								/* the same datum on every row */
	/* odr_agg_at over timestamptz: the zones PostgreSQL knows, and those seen */
	int			nnames;
	char	  **names;			/* pg_timezone_names, sorted (strcmp) */
	int			nabbrevs;
	char	  **abbrevs;		/* pg_timezone_abbrevs, lower case, sorted */
	int			nzones;
	int			maxzones;
	int			last_zone;		/* index of the zone of the last row */
	AtZone	   *zones;
} AtSite;

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
	const ArrayType *raw;		/* the as_of bytes of the group's first row */
								/* (NULL in a combined state) */
	Datum		last_as_of;		/* the last as_of datum found equal to raw */
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
	st->raw = NULL;
	st->last_as_of = (Datum) 0;
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

/* The dates of an as_of text for a message: at most 8 of them. */
static char *
at_dates_text(const DateADT *as_of, int n)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < n && i < 8; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? "," : "",
						 DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of[i]))));
	if (n > 8)
		appendStringInfo(&buf, ",... (%d dates)", n);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* 22023: an argument that defines the windows differs between two rows of a group. */
ODR_NORETURN static void
at_differs(const char *argname, const char *value, const char *earlier)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s %s differs from %s %s of another row of the group",
					argname, value, argname, earlier),
			 errdetail("A group's windows end on its as_of dates and are days long (rule A1), so as_of, days and since_first_day must be the same for every row of a group."),
			 errhint("Pass the same value for every row of a group, such as a constant or a value from a subquery evaluated once, for example ARRAY(SELECT odr_month_ends(...)); to assess groups at different dates, put the dates in GROUP BY.")));
	pg_unreachable();
}

/*
 * The dates of an as_of array: checked (one dimension, no NULL, finite),
 * sorted, without repeats; *n set to their number.  In palloc'd memory.
 */
static DateADT *
at_read_dates(ArrayType *arr, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				m = 0;
	DateADT    *as_of;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("as_of must be a one-dimensional array of dates")));
	deconstruct_array(arr, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	as_of = palloc(sizeof(DateADT) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("as_of must not contain NULL (element %d)", i + 1)));
		if (DATE_NOT_FINITE(DatumGetDateADT(elems[i])))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("as_of must hold finite dates (element %d is infinite)", i + 1)));
		as_of[i] = DatumGetDateADT(elems[i]);
	}
	qsort(as_of, nelems, sizeof(DateADT), compare_dates);
	for (int i = 0; i < nelems; i++)
	{
		if (m == 0 || as_of[m - 1] != as_of[i])
			as_of[m++] = as_of[i];
	}
	*n = m;
	return as_of;
}

/*
 * 22008 when the earliest window starts before the first date of type date
 * (as_of sorted): as odr_window refuses the same window.  Computed in 64
 * bits, so no days wraps around.
 */
static void
at_check_range(const DateADT *as_of, int n, int32 days)
{
	if (n > 0 && (int64) as_of[0] - days + 1 < (int64) (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("days %d puts the first day of the window ending on as_of %s out of the range of type date",
						days, DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of[0])))),
				 errdetail("The window of %d days ending on %s would start %lld days earlier (rule A1), and type date begins on 4714-11-24 BC.",
						   days, DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of[0]))),
						   (long long) days - 1),
				 errhint("Pass fewer days, or leave out the earliest as_of dates.")));
}

/* The call site's state, made on its first call. */
static AtSite *
at_site(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(AtSite));
	return (AtSite *) fcinfo->flinfo->fn_extra;
}

/*
 * Look at the aggregate's argument expressions once per call site: whether
 * as_of is a constant or a parameter (then a datum seen before needs no new
 * comparison: a value computed per row may reuse the memory of the last
 * row's with other bytes), and, over timestamptz, that the day is not a date
 * or timestamp PostgreSQL cast to timestamptz in the session's TimeZone.
 */
static void
at_probe(FunctionCallInfo fcinfo, AtSite *site, AtDayKind kind)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);

	site->probed = true;
	site->as_of_stable = false;
	if (aggref == NULL || list_length(aggref->args) < 3)
		return;					/* a window function: compare every row */
	{
		Node	   *as_of = (Node *) ((TargetEntry *) list_nth(aggref->args, 2))->expr;

		site->as_of_stable = IsA(as_of, Const) || IsA(as_of, Param);
	}
	if (kind == AT_DAY_TIMESTAMPTZ)
	{
		Node	   *day = (Node *) ((TargetEntry *) linitial(aggref->args))->expr;

		if (IsA(day, FuncExpr) && ((FuncExpr *) day)->funcformat == COERCE_IMPLICIT_CAST &&
			list_length(((FuncExpr *) day)->args) == 1)
		{
			Oid			from = exprType(linitial(((FuncExpr *) day)->args));

			if (from == DATEOID || from == TIMESTAMPOID)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("time_zone applies only to a timestamptz day; day is %s", format_type_be(from)),
						 errdetail("PostgreSQL would turn the %s into a timestamptz in the session's TimeZone first, which can move it to another day.", format_type_be(from)),
						 errhint("A date or timestamp already is the local day; leave time_zone out.")));
		}
	}
}

/* The layout for these dates: the call site's cached one when it matches. */
static const AtLayout *
at_layout_for(FunctionCallInfo fcinfo, AtSite *site, MemoryContext aggcxt, const DateADT *as_of,
			  int n, int32 days, const ArrayType *raw)
{
	AtLayout   *cached = site->layout;
	AtLayout   *l;
	MemoryContext cxt;

	if (cached != NULL && cached->n == n && cached->days == days &&
		memcmp(cached->as_of, as_of, sizeof(DateADT) * n) == 0)
		return cached;
	/* the call site's first dates are kept for every later group; other
	 * dates (they differ between groups) live with the group */
	cxt = cached == NULL ? fcinfo->flinfo->fn_mcxt : aggcxt;
	l = at_layout_build(cxt, as_of, n, days);
	l->raw = MemoryContextAlloc(cxt, VARSIZE(raw));
	memcpy(l->raw, raw, VARSIZE(raw));
	l->raw_days = days;
	if (cached == NULL)
		site->layout = l;
	return l;
}

/* since_first_day's position: after days, or after time_zone; -1 when absent. */
static inline int
at_since_arg(FunctionCallInfo fcinfo, AtDayKind kind)
{
	int			pos = kind == AT_DAY_TIMESTAMPTZ ? 6 : 5;

	return PG_NARGS() > pos ? pos : -1;
}

/* days and since_first_day of this row: NULL is an error. */
static void
at_scalar_args(FunctionCallInfo fcinfo, AtDayKind kind, int32 *days, bool *since_first)
{
	int			since_arg = at_since_arg(fcinfo, kind);

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL"),
				 errhint("Pass the assessment dates as an array, for example ARRAY(SELECT odr_month_ends(...)).")));
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("days must not be NULL")));
	*days = PG_GETARG_INT32(4);
	*since_first = false;
	if (since_arg >= 0)
	{
		if (PG_ARGISNULL(since_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("since_first_day must not be NULL")));
		*since_first = PG_GETARG_BOOL(since_arg);
	}
}

/* The first call of a group: read and check the dates and the length. */
static AtState *
at_state_new(FunctionCallInfo fcinfo, AtSite *site, AtDayKind kind, MemoryContext cxt)
{
	ArrayType  *arr;
	DateADT    *as_of;
	int			n;
	int32		days;
	bool		since_first;
	AtState    *st;

	at_scalar_args(fcinfo, kind, &days, &since_first);
	if (days < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("days %d is not a positive number of days", days)));
	arr = PG_GETARG_ARRAYTYPE_P(3);

	/* the same dates as the call site's first group (the usual case) */
	{
		const AtLayout *cached = site->layout;

		if (cached != NULL && cached->raw_days == days &&
			VARSIZE(cached->raw) == VARSIZE(arr) &&
			memcmp(cached->raw, arr, VARSIZE(arr)) == 0)
		{
			st = at_state_alloc(cxt, cached->n, days, cached->as_of);
			st->layout = cached;
			st->since_first = since_first;
			st->raw = cached->raw;
			st->last_as_of = PG_GETARG_DATUM(3);
			return st;
		}
	}

	as_of = at_read_dates(arr, &n);
	at_check_range(as_of, n, days);
	st = at_state_alloc(cxt, n, days, NULL);
	memcpy(st->as_of, as_of, sizeof(DateADT) * n);
	pfree(as_of);
	st->layout = at_layout_for(fcinfo, site, cxt, st->as_of, st->n, days, arr);
	st->since_first = since_first;
	st->raw = st->layout->raw;
	st->last_as_of = PG_GETARG_DATUM(3);
	return st;
}

/*
 * A later row of the group: as_of, days and since_first_day must be those of
 * the group's first row (22023 otherwise).  Cheap per row: the days and the
 * flag are compared as values; as_of by pointer when it is a constant or a
 * parameter, else by its bytes, and only bytes that differ are read as dates
 * (the same dates in another order or repeated are the same windows).
 */
static void
at_check_row(FunctionCallInfo fcinfo, const AtSite *site, AtDayKind kind, AtState *st)
{
	int32		days;
	bool		since_first;
	Datum		d;
	ArrayType  *arr;
	DateADT    *as_of;
	int			n;

	at_scalar_args(fcinfo, kind, &days, &since_first);
	if (days != st->days)
		at_differs("days", psprintf("%d", days), psprintf("%d", st->days));
	if (since_first != st->since_first)
		at_differs("since_first_day", since_first ? "true" : "false",
				   st->since_first ? "true" : "false");
	d = PG_GETARG_DATUM(3);
	if (d == st->last_as_of && site->as_of_stable)
		return;
	if (st->raw != NULL)
	{
		/* the bytes as they are (a short header in a tuple needs no copy) */
		struct varlena *v = (struct varlena *) DatumGetPointer(d);

		if (!VARATT_IS_EXTERNAL(v) && !VARATT_IS_COMPRESSED(v) &&
			VARSIZE_ANY_EXHDR(v) == VARSIZE(st->raw) - VARHDRSZ &&
			memcmp(VARDATA_ANY(v), VARDATA(st->raw), VARSIZE_ANY_EXHDR(v)) == 0)
		{
			st->last_as_of = d;
			return;
		}
	}
	arr = DatumGetArrayTypeP(d);
	if (st->raw != NULL && VARSIZE(arr) == VARSIZE(st->raw) &&
		memcmp(arr, st->raw, VARSIZE(arr)) == 0)
		return;
	as_of = at_read_dates(arr, &n);
	if (n != st->n || memcmp(as_of, st->as_of, sizeof(DateADT) * n) != 0)
		at_differs("as_of", at_dates_text(as_of, n), at_dates_text(st->as_of, st->n));
	pfree(as_of);
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

/* ------------------------------------------------------------------ */
/* time_zone: the day of a timestamptz (odr_agg_at over timestamptz)    */
/* ------------------------------------------------------------------ */

static int
compare_cstrings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* A text column of an SPI result, copied into cxt; sorted. */
static char **
at_spi_strings(MemoryContext cxt, int *n)
{
	char	  **out = MemoryContextAlloc(cxt, sizeof(char *) * Max(SPI_processed, 1));

	*n = 0;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

		if (v != NULL)
			out[(*n)++] = MemoryContextStrdup(cxt, v);
	}
	qsort(out, *n, sizeof(char *), compare_cstrings);
	return out;
}

/*
 * The zone names of pg_timezone_names (what odr_create_warehouse accepts as
 * time_zone) and the abbreviations of pg_timezone_abbrevs (which AT TIME
 * ZONE tries first), read once per call site.  Every name is qualified by
 * pg_catalog, so no search_path can redirect them.
 */
static void
at_load_zones(AtSite *site, MemoryContext cxt)
{
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "odr: SPI_connect failed");
	rc = SPI_execute("SELECT name FROM pg_catalog.pg_timezone_names", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "odr: reading pg_timezone_names failed: %s", SPI_result_code_string(rc));
	site->names = at_spi_strings(cxt, &site->nnames);
	rc = SPI_execute("SELECT pg_catalog.lower(abbrev) FROM pg_catalog.pg_timezone_abbrevs", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "odr: reading pg_timezone_abbrevs failed: %s", SPI_result_code_string(rc));
	site->abbrevs = at_spi_strings(cxt, &site->nabbrevs);
	SPI_finish();
}

/* The zone of a time_zone argument: checked and looked up once per spelling. */
static const AtZone *
at_zone(FunctionCallInfo fcinfo, AtSite *site, int argno)
{
	text	   *zone;
	char	   *name;
	const char *found = NULL;
	AtZone	   *z;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("time_zone must not be NULL"),
				 errhint("Pass the time zone the days are assessed in by name, such as 'Asia/Shanghai'.")));
	zone = PG_GETARG_TEXT_PP(argno);
	/* the last row's zone, or one seen before */
	for (int k = 0; k < site->nzones; k++)
	{
		int			i = (site->last_zone + k) % site->nzones;

		z = &site->zones[i];
		if (VARSIZE_ANY_EXHDR(zone) == VARSIZE_ANY_EXHDR((text *) z->raw) &&
			memcmp(VARDATA_ANY(zone), VARDATA_ANY((text *) z->raw), VARSIZE_ANY_EXHDR(zone)) == 0)
		{
			site->last_zone = i;
			return z;
		}
	}

	/* a new spelling: a name of pg_timezone_names, as odr_create_warehouse
	 * checks time_zone (the exact spelling, else any letter case) */
	if (site->names == NULL)
		at_load_zones(site, fcinfo->flinfo->fn_mcxt);
	name = text_to_cstring(zone);
	for (int i = 0; i < site->nnames && found == NULL; i++)
		if (strcmp(site->names[i], name) == 0)
			found = site->names[i];
	for (int i = 0; i < site->nnames && found == NULL; i++)
		if (pg_strcasecmp(site->names[i], name) == 0)
			found = site->names[i];
	if (found == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_zone \"%s\" is not a recognized time zone",
						pnstrdup(name, pg_mbcliplen(name, strlen(name), 64))),
				 errdetail("A zone is a time zone name PostgreSQL knows (pg_timezone_names); abbreviations such as CST and offsets such as UTC+8 are not accepted, as they ignore daylight saving time."),
				 errhint("Pass time_zone by name, such as 'Asia/Shanghai'.")));

	if (site->nzones == site->maxzones)
	{
		int			max = Max(4, 2 * site->maxzones);

		site->zones = site->zones == NULL ?
			MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(AtZone) * max) :
			repalloc(site->zones, sizeof(AtZone) * max);
		site->maxzones = max;
	}
	z = &site->zones[site->nzones];
	z->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE_ANY(zone));
	memcpy(z->raw, zone, VARSIZE_ANY(zone));
	/* AT TIME ZONE reads a name that is also an abbreviation as the
	 * abbreviation (a fixed offset): such names take its own path */
	z->tz = NULL;
	{
		char	   *lower = asc_tolower(name, strlen(name));
		bool		abbrev = false;

		for (int i = 0; i < site->nabbrevs && !abbrev; i++)
			abbrev = strcmp(site->abbrevs[i], lower) == 0;
		if (!abbrev)
		{
			z->tz = pg_tzset(found);
			if (z->tz == NULL)
				elog(ERROR, "odr: time zone \"%s\" of pg_timezone_names not found", found);
		}
	}
	site->last_zone = site->nzones++;
	return z;
}

/* The local day of a timestamp: day::date. */
static inline DateADT
at_timestamp_day(Timestamp ts)
{
	int64		q;

	if (TIMESTAMP_IS_NOBEGIN(ts))
		return DATEVAL_NOBEGIN;
	if (TIMESTAMP_IS_NOEND(ts))
		return DATEVAL_NOEND;
	q = ts / USECS_PER_DAY;
	if (ts % USECS_PER_DAY < 0)
		q--;					/* floor, as timestamp_date does */
	return (DateADT) q;
}

/* The row's day as a date; false when the day is NULL. */
static bool
at_day(FunctionCallInfo fcinfo, AtSite *site, AtDayKind kind, DateADT *day)
{
	const AtZone *z = NULL;
	TimestampTz ts;

	/* the zone is checked on every row, a row without a day too */
	if (kind == AT_DAY_TIMESTAMPTZ)
		z = at_zone(fcinfo, site, 5);
	if (PG_ARGISNULL(1))
		return false;
	if (kind == AT_DAY_DATE)
	{
		*day = PG_GETARG_DATEADT(1);
		return true;
	}
	if (kind == AT_DAY_TIMESTAMP)
	{
		*day = at_timestamp_day(PG_GETARG_TIMESTAMP(1));
		return true;
	}
	/* (day AT TIME ZONE time_zone)::date */
	ts = PG_GETARG_TIMESTAMPTZ(1);
	if (TIMESTAMP_NOT_FINITE(ts))
		*day = at_timestamp_day(ts);
	else if (z->tz != NULL)
	{
		struct pg_tm tm;
		fsec_t		fsec;
		int			tzoff;

		if (timestamp2tm(ts, &tzoff, &tm, &fsec, NULL, z->tz) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
		*day = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
	}
	else
		*day = at_timestamp_day(DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone,
																	  PointerGetDatum(z->raw),
																	  TimestampTzGetDatum(ts))));
	return true;
}

/*
 * One row: the group's state (made on its first row, checked against every
 * later row), and the row's day (false when NULL), which also counts for
 * since_first_day: every row with a day counts, as min(day) would.
 */
static AtState *
at_transition(FunctionCallInfo fcinfo, AtDayKind kind, const char *fname, DateADT *day, bool *has_day)
{
	MemoryContext aggcxt;
	AtSite	   *site;
	AtState    *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of an aggregate", fname)));
	site = at_site(fcinfo);
	if (!site->probed)
		at_probe(fcinfo, site, kind);
	if (PG_ARGISNULL(0))
		st = at_state_new(fcinfo, site, kind, aggcxt);
	else
	{
		st = (AtState *) PG_GETARG_POINTER(0);
		at_check_row(fcinfo, site, kind, st);
	}
	*has_day = at_day(fcinfo, site, kind, day);
	if (*has_day && (!st->seen || *day < st->first_day))
		st->first_day = *day;
	st->seen = st->seen || *has_day;
	return st;
}

/* odr_agg_at: one order's verdict, its day of the given kind */
static Datum
at_defects_step(FunctionCallInfo fcinfo, AtDayKind kind, const char *fname)
{
	DateADT		day;
	bool		has_day;
	AtState    *st = at_transition(fcinfo, kind, fname, &day, &has_day);

	if (has_day && !PG_ARGISNULL(2))
	{
		OdrSummary one;
		OdrError	err;
		OdrStatus	status;

		odr_summary_init(&one);
		status = odr_summary_add_order(&one, PG_GETARG_ODR_DEFECTS(2), &err);
		if (status != ODR_OK)
			odr_raise(status, &err, ODR_IN_ARGUMENT);
		at_add(st, day, &one);
	}
	PG_RETURN_POINTER(st);
}

/* odr_agg_at(day date, ...) transition */
PG_FUNCTION_INFO_V1(odr_at_defects_transfn);
Datum
odr_at_defects_transfn(PG_FUNCTION_ARGS)
{
	return at_defects_step(fcinfo, AT_DAY_DATE, "odr_at_defects_transfn");
}

/* odr_agg_at(day timestamp, ...) transition: the day is day::date */
PG_FUNCTION_INFO_V1(odr_at_defects_ts_transfn);
Datum
odr_at_defects_ts_transfn(PG_FUNCTION_ARGS)
{
	return at_defects_step(fcinfo, AT_DAY_TIMESTAMP, "odr_at_defects_transfn");
}

/* odr_agg_at(day timestamptz, ..., time_zone) transition: the day is (day AT TIME ZONE time_zone)::date */
PG_FUNCTION_INFO_V1(odr_at_defects_tstz_transfn);
Datum
odr_at_defects_tstz_transfn(PG_FUNCTION_ARGS)
{
	return at_defects_step(fcinfo, AT_DAY_TIMESTAMPTZ, "odr_at_defects_transfn");
}

/* odr_rollup_at transition: one summary (a seller's day, say) */
PG_FUNCTION_INFO_V1(odr_at_summary_transfn);
Datum
odr_at_summary_transfn(PG_FUNCTION_ARGS)
{
	DateADT		day;
	bool		has_day;
	AtState    *st = at_transition(fcinfo, AT_DAY_DATE, "odr_at_summary_transfn", &day, &has_day);

	if (has_day && !PG_ARGISNULL(2))
		at_add(st, day, PG_GETARG_ODR_SUMMARY_P(2));
	PG_RETURN_POINTER(st);
}

/* Partial states of one group (parallel workers) must have the same windows. */
static void
at_check_same(const AtState *a, const AtState *b)
{
	if (a->days != b->days)
		at_differs("days", psprintf("%d", b->days), psprintf("%d", a->days));
	if (a->since_first != b->since_first)
		at_differs("since_first_day", b->since_first ? "true" : "false",
				   a->since_first ? "true" : "false");
	if (a->n != b->n || memcmp(a->as_of, b->as_of, sizeof(DateADT) * a->n) != 0)
		at_differs("as_of", at_dates_text(b->as_of, b->n), at_dates_text(a->as_of, a->n));
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
