/*
 * peers.c — S2 peer scores as a window function:
 *
 *   odr_peer_score(indicator text, value float8) OVER (PARTITION BY category)
 *     -> float8 0..5
 *
 * The values of the partition (the peer group) are read once, sorted and
 * kept for the partition, so every row's score is a binary search: O(n log n)
 * per peer group.  The rule itself is plain C in peers_core.c.
 */
#include "odr.h"

#include "utils/builtins.h"
#include "windowapi.h"

#include "peers_core.h"

typedef struct PeerPartition
{
	bool		ready;			/* values read for this partition */
	int			indicator;
	int64		n;				/* non-NULL values */
} PeerPartition;

/* The sorted values of the current partition, in fn_mcxt (replaced per partition). */
typedef struct PeerValues
{
	double	   *values;
} PeerValues;

static int
peer_indicator(Datum d)
{
	char	   *name = text_to_cstring(DatumGetTextPP(d));
	int			ind = odr_indicator_from_name(name);

	if (ind < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown indicator \"%s\"", name),
				 errhint("The indicators are on_time_rate, response_rate, quality_refund_rate, refund_hours and dispute_rate (S3-S7).")));
	pfree(name);
	return ind;
}

static void
peer_check_value(int ind, double v)
{
	if (!odr_indicator_value_ok((OdrIndicator) ind, v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s value %g is out of range", odr_indicator_names[ind], v),
				 errdetail(ind == ODR_IND_REFUND_HOURS
						   ? "refund_hours must be a number of hours, 0 or more."
						   : "A rate must lie between 0 and 1.")));
}

/* S2 peer score of the current row among its partition */
PG_FUNCTION_INFO_V1(odr_peer_score);
Datum
odr_peer_score(PG_FUNCTION_ARGS)
{
	WindowObject w = PG_WINDOW_OBJECT();
	PeerPartition *part = (PeerPartition *) WinGetPartitionLocalMemory(w, sizeof(PeerPartition));
	PeerValues *pv = (PeerValues *) fcinfo->flinfo->fn_extra;
	bool		isnull;
	Datum		d;
	int			ind;
	double		v,
				score;

	d = WinGetFuncArgCurrent(w, 0, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("indicator must not be NULL")));
	ind = peer_indicator(d);

	if (!part->ready)
	{
		int64		rows = WinGetPartitionRowCount(w);

		if (pv == NULL)
		{
			pv = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PeerValues));
			fcinfo->flinfo->fn_extra = pv;
		}
		if (pv->values != NULL)
			pfree(pv->values);
		pv->values = MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt, sizeof(double) * Max(rows, 1));
		part->n = 0;
		for (int64 i = 0; i < rows; i++)
		{
			bool		isout;
			Datum		a = WinGetFuncArgInPartition(w, 0, (int) i, WINDOW_SEEK_HEAD, false, &isnull, &isout);

			if (isnull || peer_indicator(a) != ind)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("indicator must be the same for every row of a peer group"),
						 errhint("Score each indicator in its own odr_peer_score(...) OVER (PARTITION BY ...) column.")));
			a = WinGetFuncArgInPartition(w, 1, (int) i, WINDOW_SEEK_HEAD, false, &isnull, &isout);
			if (isnull)
				continue;		/* no data: not a peer */
			v = DatumGetFloat8(a);
			peer_check_value(ind, v);
			pv->values[part->n++] = v;
		}
		odr_peer_sort(pv->values, (size_t) part->n);
		part->indicator = ind;
		part->ready = true;
	}
	else if (ind != part->indicator)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("indicator must be the same for every row of a peer group")));

	d = WinGetFuncArgCurrent(w, 1, &isnull);
	if (isnull)
		PG_RETURN_NULL();		/* no data, no score */
	v = DatumGetFloat8(d);
	if (!odr_peer_score_of((OdrIndicator) ind, pv->values, (size_t) part->n, v, &score))
		PG_RETURN_NULL();		/* no other seller to compare with */
	PG_RETURN_FLOAT8(score);
}
