/*
 * calendar.c — the assessment calendar (A1, A2): month ends, the 90-day
 * window ending on a date, the next and the last assessment date.  The
 * calendar arithmetic is odr_core.c; this file checks dates and builds the
 * SQL values.
 */
#include "odr.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

static const char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* A finite date argument. */
static DateADT
date_arg(FunctionCallInfo fcinfo, int n, const char *argname)
{
	DateADT		d = PG_GETARG_DATEADT(n);

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date, not %s", argname, date_text(d))));
	return d;
}

/* A window length argument: at least one day. */
static int32
window_days_arg(FunctionCallInfo fcinfo, int n)
{
	int32		days = PG_GETARG_INT32(n);

	if (days < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("days %d is not a positive number of days", days),
				 errdetail("An assessment window covers at least one day; AliExpress assesses 90 (rule A1).")));
	return days;
}

/* A computed day back to a date, or 22008 when it leaves date's range. */
static DateADT
checked_date(int64 days, const char *what)
{
	if (days < INT32_MIN || days > INT32_MAX || !IS_VALID_DATE((DateADT) days))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of the range of type date", what)));
	return (DateADT) days;
}

static Datum date_range(int64 first, int64 last, const char *what_first, const char *what_after);

/* odr_next_assessment(d) -> the month end on or after d (A2) */
PG_FUNCTION_INFO_V1(odr_next_assessment);
Datum
odr_next_assessment(PG_FUNCTION_ARGS)
{
	DateADT		d = date_arg(fcinfo, 0, "d");

	PG_RETURN_DATEADT(checked_date(odr_month_end_on_or_after(d), "the next month end"));
}

/* odr_last_assessment(d) -> the month end on or before d (A2) */
PG_FUNCTION_INFO_V1(odr_last_assessment);
Datum
odr_last_assessment(PG_FUNCTION_ARGS)
{
	DateADT		d = date_arg(fcinfo, 0, "d");

	PG_RETURN_DATEADT(checked_date(odr_month_end_on_or_before(d), "the last month end"));
}

/* odr_window(as_of, days) -> daterange [as_of - days + 1, as_of] (A1) */
PG_FUNCTION_INFO_V1(odr_window);
Datum
odr_window(PG_FUNCTION_ARGS)
{
	DateADT		as_of = date_arg(fcinfo, 0, "as_of");
	int32		days = window_days_arg(fcinfo, 1);

	PG_RETURN_DATUM(date_range((int64) as_of - days + 1, as_of, "the window's first day", "the day after as_of"));
}

/* A [first, last + 1) daterange of dates. */
static Datum
date_range(int64 first, int64 last, const char *what_first, const char *what_after)
{
	TypeCacheEntry *typcache = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	RangeBound	lower,
				upper;

	lower.val = DateADTGetDatum(checked_date(first, what_first));
	lower.infinite = false;
	lower.inclusive = true;
	lower.lower = true;
	upper.val = DateADTGetDatum(checked_date(last + 1, what_after));
	upper.infinite = false;
	upper.inclusive = false;
	upper.lower = false;
	return RangeTypePGetDatum(odr_make_range(typcache, &lower, &upper, false));
}

/*
 * odr_assessment_segment(day, days) -> daterange: the run of days around day
 * that lie in exactly the same month-end windows of days days (A1, A2)
 */
PG_FUNCTION_INFO_V1(odr_assessment_segment);
Datum
odr_assessment_segment(PG_FUNCTION_ARGS)
{
	DateADT		day = date_arg(fcinfo, 0, "day");
	int32		days = window_days_arg(fcinfo, 1);
	int64_t		first,
				last;

	odr_assessment_segment_of(day, days, &first, &last);
	PG_RETURN_DATUM(date_range(first, last, "the first day of the run", "the day after the run"));
}

/* odr_month_ends(from, to) -> setof date: every month's last day in [from, to] (A2) */
PG_FUNCTION_INFO_V1(odr_month_ends);
Datum
odr_month_ends(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	int64	   *state;

	if (SRF_IS_FIRSTCALL())
	{
		DateADT		from = date_arg(fcinfo, 0, "from");
		DateADT		to = date_arg(fcinfo, 1, "to");
		MemoryContext old;

		if (from > to)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("from %s is after to %s", date_text(from), date_text(to))));
		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		state = palloc(2 * sizeof(int64));
		state[0] = odr_month_end_on_or_after(from);
		state[1] = to;
		funcctx->user_fctx = state;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	state = (int64 *) funcctx->user_fctx;
	if (state[0] <= state[1])
	{
		DateADT		d = (DateADT) state[0];

		/* the month end after d: d + 1 is the first of the next month */
		state[0] = odr_month_end(state[0] + 1);
		if (state[0] <= d)
			elog(ERROR, "odr: month end after %s does not advance", date_text(d));
		SRF_RETURN_NEXT(funcctx, DateADTGetDatum(d));
	}
	SRF_RETURN_DONE(funcctx);
}
