/*
 * peers_test.c — unit tests of the S2 peer scores (src/rules/peers_core.c), no
 * server.  TAP output; exit status 1 when a test fails.
 */
#include "peers_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"

static double
score(OdrIndicator ind, double *vals, size_t n, double v)
{
	double		s = -1;

	odr_peer_sort(vals, n);
	if (!odr_peer_score_of(ind, vals, n, v, &s))
		return NAN;
	return s;
}

int
main(void)
{
	double		a[] = {0.90, 0.80, 0.95, 0.70, 0.85};
	double		b[] = {0.01, 0.02, 0.02, 0.05};
	double		one[] = {0.5};
	double		same[] = {3, 3, 3};
	double		big[1000];

	ok(odr_indicator_from_name("dispute_rate") == ODR_IND_DISPUTE_RATE, "%s", "indicator names resolve");
	ok(odr_indicator_from_name("Dispute_rate") == -1 && odr_indicator_from_name("") == -1, "%s", "unknown names are -1 (names are exact)");
	ok(!odr_indicator_lower_is_better(ODR_IND_ON_TIME_RATE) && !odr_indicator_lower_is_better(ODR_IND_RESPONSE_RATE),
	   "S3, S4: higher is better");
	ok(odr_indicator_lower_is_better(ODR_IND_QUALITY_REFUND_RATE) && odr_indicator_lower_is_better(ODR_IND_REFUND_HOURS) &&
	   odr_indicator_lower_is_better(ODR_IND_DISPUTE_RATE), "S5, S6, S7: lower is better");
	/* five sellers, higher is better: 0.95 beats all four others -> 5 */
	ok(score(ODR_IND_ON_TIME_RATE, a, 5, 0.95) == 5.0, "%s", "S2: the best of five scores 5");
	ok(score(ODR_IND_ON_TIME_RATE, a, 5, 0.70) == 0.0, "%s", "S2: the worst of five scores 0");
	ok(score(ODR_IND_ON_TIME_RATE, a, 5, 0.85) == 2.5, "%s", "S2: the middle of five scores 2.5 (beats 2 of 4)");
	ok(score(ODR_IND_ON_TIME_RATE, a, 5, 0.90) == 3.75, "%s", "S2: 0.90 beats 3 of 4 -> 3.75");
	/* lower is better, with a tie: only 0.01 is strictly better -> 5 x (1 - 1/3) */
	ok(fabs(score(ODR_IND_DISPUTE_RATE, b, 4, 0.02) - 5.0 * 2 / 3) < 1e-12, "%s", "S2 lower is better, a tie costs nothing: 0.02 of {0.01,0.02,0.02,0.05} -> 3.33");
	ok(score(ODR_IND_DISPUTE_RATE, b, 4, 0.01) == 5.0, "%s", "S2 lower is better: the lowest scores 5");
	ok(score(ODR_IND_DISPUTE_RATE, b, 4, 0.05) == 0.0, "%s", "S2 lower is better: the highest scores 0");
	ok(isnan(score(ODR_IND_REFUND_HOURS, one, 1, 0.5)), "%s", "S2: a seller with no peers has no score");
	ok(score(ODR_IND_REFUND_HOURS, same, 3, 3) == 5.0, "%s", "S2: all tied -> 5 each (no peer does better)");
	for (int i = 0; i < 1000; i++)
		big[i] = (double) ((i * 7919) % 1000);
	ok(fabs(score(ODR_IND_RESPONSE_RATE, big, 1000, 500) - 5.0 * 500 / 999) < 1e-12, "%s", "S2: 1000 distinct values, the 501st scores 5 x 500/999");
	ok(odr_indicator_value_ok(ODR_IND_DISPUTE_RATE, 0) && odr_indicator_value_ok(ODR_IND_DISPUTE_RATE, 1) &&
	   !odr_indicator_value_ok(ODR_IND_DISPUTE_RATE, 1.0001) && !odr_indicator_value_ok(ODR_IND_DISPUTE_RATE, -0.1) &&
	   !odr_indicator_value_ok(ODR_IND_DISPUTE_RATE, NAN), "rates lie in [0, 1], no NaN");
	ok(odr_indicator_value_ok(ODR_IND_REFUND_HOURS, 1000) && !odr_indicator_value_ok(ODR_IND_REFUND_HOURS, -1),
	   "refund hours are 0 or more");
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
