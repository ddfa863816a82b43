/*
 * peers_core.c — S2 peer scores (see peers_core.h).
 */
#include "peers_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const odr_indicator_names[ODR_NINDICATORS] = {
	"on_time_rate", "response_rate", "quality_refund_rate", "refund_hours", "dispute_rate"
};

int
odr_indicator_from_name(const char *name)
{
	for (int i = 0; i < ODR_NINDICATORS; i++)
		if (strcmp(name, odr_indicator_names[i]) == 0)
			return i;
	return -1;
}

bool
odr_indicator_lower_is_better(OdrIndicator ind)
{
	return ind == ODR_IND_QUALITY_REFUND_RATE || ind == ODR_IND_REFUND_HOURS ||
		ind == ODR_IND_DISPUTE_RATE;
}

bool
odr_indicator_value_ok(OdrIndicator ind, double value)
{
	if (isnan(value) || value < 0)
		return false;
	if (ind == ODR_IND_REFUND_HOURS)
		return true;
	return value <= 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

void
odr_peer_sort(double *values, size_t n)
{
	qsort(values, n, sizeof(double), cmp_double);
}

/* The number of values below v (lower bound) / at most v (upper bound). */
static size_t
count_below(const double *sorted, size_t n, double v, bool or_equal)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (sorted[mid] < v || (or_equal && sorted[mid] == v))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
odr_peer_score_of(OdrIndicator ind, const double *sorted, size_t n,
				  double value, double *score)
{
	size_t		better;

	if (n < 2)
		return false;
	/* the peers strictly better: "behind x% of peers"; a tie is no loss */
	if (odr_indicator_lower_is_better(ind))
		better = count_below(sorted, n, value, false);
	else
		better = n - count_below(sorted, n, value, true);
	*score = 5.0 * (1.0 - (double) better / (double) (n - 1));
	return true;
}
