/*
 * evaluations.c — a marketplace's evaluation calendar (issue 14): the
 * evaluation dates of a range with the days their levels are in effect
 * (eBay M2.2: the 20th, effective the 1st of the next month), and the next
 * evaluation after a day (M2.4's projection).  Calendars (odr_marketplace.
 * evaluated): daily, weekly (on ISO weekday evaluation_day, Monday 1),
 * month_end, quarter_end (31 Mar, 30 Jun, 30 Sep, 31 Dec) and day_of_month
 * (evaluation_day 1..28 of each month).
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
	if (m->evaluated == MKT_WEEKLY)
	{
		/* j2day: 0 Sunday .. 6 Saturday; ISO: 1 Monday .. 7 Sunday */
		int			iso = (j2day(d + POSTGRES_EPOCH_JDATE) + 6) % 7 + 1;
		int			ahead = (m->evaluation_day - iso + 7) % 7;

		return d + (ahead == 0 ? 7 : ahead);
	}
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &mo, &dd);
	if (m->evaluated == MKT_QUARTER_END)
	{
		/* the last day of d's quarter, or of the next one when d is it */
		int			qm = ((mo - 1) / 3 + 1) * 3;

		if (mo < qm || dd < days_in_month(y, qm))
			return ymd(y, qm, days_in_month(y, qm));
		return qm == 12 ? ymd(y + 1, 3, 31) : ymd(y, qm + 3, days_in_month(y, qm + 3));
	}
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
