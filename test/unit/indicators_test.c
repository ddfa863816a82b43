/*
 * indicators_test.c — unit tests of the 1688 indicators S3, S5, S6, S7
 * (src/rules/indicators_core.c), no server.
 *
 * TAP output (one "ok N - ..." line per test, the plan "1..N" at the end);
 * exit status 1 when a test fails.  Rule ids refer to shared/rules.md.
 * The randomised test uses a fixed-seed LCG, so every run is the same.
 *
 * Built by `make unit`:
 *   cc -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o test/unit/indicators_test \
 *      test/unit/indicators_test.c src/rules/indicators_core.c -lm
 */
#include "indicators_core.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* an error with exactly this status and message */
static bool
is_error(OdrStatus got, const OdrError *err, OdrStatus want, const char *message,
		 const char *what)
{
	bool		pass = got == want && strcmp(err->message, message) == 0;

	ok(pass, "%s", what);
	if (!pass)
		diag("  got status %d \"%s\", want %d \"%s\"", (int) got, err->message,
			 (int) want, message);
	return pass;
}

#define H(x) ((int64_t) (x) * ODR_US_PER_HOUR)
#define MIN(x) ((int64_t) (x) * INT64_C(60000000))

static OdrTime
at(int64_t us)
{
	OdrTime		t = {true, us};

	return t;
}

static const OdrTime none = {false, 0};

/* ------------------------------------------------------------------ */

static void
test_levels_and_weights(void)
{
	bool		b = true;
	OdrError	err;
	OdrIndState st;

	ok(odr_buyer_is_business(false, 0, &b, &err) == ODR_OK && !b,
	   "S3/S6: no buyer level is not a business buyer (weight 1)");
	for (int level = 1; level <= 6; level++)
	{
		b = !b;
		ok(odr_buyer_is_business(true, level, &b, &err) == ODR_OK && b == (level >= 3),
		   "S3/S6: buyer level L%d is %s", level, level >= 3 ? "a business buyer" : "not a business buyer");
	}
	is_error(odr_buyer_is_business(true, 0, &b, &err), &err, ODR_ERR_INVALID,
			 "buyer_level 0 is out of range", "buyer level 0 is an error");
	is_error(odr_buyer_is_business(true, 7, &b, &err), &err, ODR_ERR_INVALID,
			 "buyer_level 7 is out of range", "buyer level 7 is an error");
	is_error(odr_buyer_is_business(true, -2147483647 - 1, &b, &err), &err, ODR_ERR_INVALID,
			 "buyer_level -2147483648 is out of range", "buyer level INT32_MIN is an error");

	odr_ind_init(&st);
	ok(odr_ind_weight(&st, 2.0, &err) == ODR_OK && st.weight == 2.0, "weight 2 accepted");
	ok(odr_ind_weight(&st, 2.0, &err) == ODR_OK, "the same weight again accepted");
	is_error(odr_ind_weight(&st, 3.0, &err), &err, ODR_ERR_INVALID,
			 "business_weight 3 differs from business_weight 2 of an earlier row",
			 "a different weight in the same group is an error");
	odr_ind_init(&st);
	ok(odr_ind_weight(&st, 0.25, &err) == ODR_OK, "a weight below 1 is accepted");
	odr_ind_init(&st);
	is_error(odr_ind_weight(&st, 0.0, &err), &err, ODR_ERR_INVALID,
			 "business_weight 0 is not a positive finite number", "weight 0 is an error");
	is_error(odr_ind_weight(&st, -1.5, &err), &err, ODR_ERR_INVALID,
			 "business_weight -1.5 is not a positive finite number", "weight -1.5 is an error");
	is_error(odr_ind_weight(&st, NAN, &err), &err, ODR_ERR_INVALID,
			 "business_weight NaN is not a positive finite number", "weight NaN is an error");
	is_error(odr_ind_weight(&st, INFINITY, &err), &err, ODR_ERR_INVALID,
			 "business_weight Infinity is not a positive finite number", "weight Infinity is an error");
	is_error(odr_ind_weight(&st, 0.1, &err) == ODR_OK ? odr_ind_weight(&st, 0.30000000000000004, &err) : ODR_OK,
			 &err, ODR_ERR_INVALID,
			 "business_weight 0.30000000000000004 differs from business_weight 0.1 of an earlier row",
			 "weights are printed so that they read back exactly");
}

static void
test_state_arith(void)
{
	OdrIndState st,
				a,
				b;
	OdrError	err;
	double		r = -1;

	odr_ind_init(&st);
	ok(!odr_ind_ratio(&st, &r) && !odr_ind_hours(&st, &r), "no order counted: no value (NULL)");

	/* S3 example: plain 1 of 2 on time, business 1 of 1, weight 2 -> (1 + 2) / (2 + 2) */
	odr_ind_weight(&st, 2.0, &err);
	odr_ind_add(&st, false, 1, &err);
	odr_ind_add(&st, false, 0, &err);
	odr_ind_add(&st, true, 1, &err);
	ok(odr_ind_ratio(&st, &r) && r == 0.75, "S3: business weight 2 counts a business order twice (0.75, got %g)", r);

	/* weight ignored when no business order counted */
	odr_ind_init(&st);
	odr_ind_weight(&st, 5.0, &err);
	odr_ind_add(&st, false, 1, &err);
	odr_ind_add(&st, false, 0, &err);
	ok(odr_ind_ratio(&st, &r) && r == 0.5, "no business order: the weight changes nothing");

	/* S6 hours */
	odr_ind_init(&st);
	odr_ind_weight(&st, 2.0, &err);
	odr_ind_add(&st, false, H(1), &err);
	odr_ind_add(&st, true, H(4), &err);
	ok(odr_ind_hours(&st, &r) && r == 3.0, "S6: (1 h + 2 x 4 h) / (1 + 2) = 3 h (got %g)", r);

	/* overflow */
	odr_ind_init(&st);
	st.hit_plain = INT64_MAX - 1;
	ok(odr_ind_add(&st, false, 1, &err) == ODR_OK && st.hit_plain == INT64_MAX, "sum up to INT64_MAX");
	is_error(odr_ind_add(&st, false, 1, &err), &err, ODR_ERR_OVERFLOW,
			 "indicator total is out of range", "sum past INT64_MAX is an error");
	ok(st.hit_plain == INT64_MAX && st.n_plain == 1, "a failed add leaves the state unchanged");
	odr_ind_init(&a);
	odr_ind_init(&b);
	a.n_business = INT64_MAX;
	b.n_business = 1;
	is_error(odr_ind_combine(&a, &b, &err), &err, ODR_ERR_OVERFLOW,
			 "indicator total is out of range", "combine past INT64_MAX is an error");
	ok(a.n_business == INT64_MAX, "a failed combine leaves the state unchanged");

	/* combine weights */
	odr_ind_init(&a);
	odr_ind_init(&b);
	odr_ind_weight(&b, 3.0, &err);
	ok(odr_ind_combine(&a, &b, &err) == ODR_OK && a.weight == 3.0, "combine takes the weight of the right state when the left has none");
	odr_ind_init(&b);
	ok(odr_ind_combine(&a, &b, &err) == ODR_OK && a.weight == 3.0, "combine with an empty right state keeps the weight");
	odr_ind_weight(&b, 2.0, &err);
	is_error(odr_ind_combine(&a, &b, &err), &err, ODR_ERR_INVALID,
			 "business_weight 2 differs from business_weight 3 of an earlier row",
			 "combine of states with different weights is an error");

	/*
	 * Huge and tiny finite weights (issue #19): a weighted sum past the
	 * largest double used to make S3 0 (1e308 / Infinity) and S6 Infinity
	 * or NaN.  Every finite weight above 0 gives the true ratio.
	 */
	{
		static const double weights[] = {1e308, DBL_MAX, 1e300, 1e289, 2.0, 1e-300, DBL_MIN, 5e-324};

		for (size_t i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		{
			double		w = weights[i];
			double		want;

			bool		got;

			/* S3: two business orders, one on time: 1/2 whatever the weight */
			odr_ind_init(&st);
			odr_ind_weight(&st, w, &err);
			odr_ind_add(&st, true, 1, &err);
			odr_ind_add(&st, true, 0, &err);
			got = odr_ind_ratio(&st, &r);
			ok(got && r == 0.5, "S3: weight %g, business orders only: 0.5 (got %g)", w, r);

			/* S3: and a plain order, late: w / (1 + 2 w) */
			odr_ind_add(&st, false, 0, &err);
			want = w < 1 ? w / (1.0 + 2.0 * w) : 1.0 / (1.0 / w + 2.0);
			got = odr_ind_ratio(&st, &r);
			ok(got && isfinite(r) && fabs(r - want) <= 1e-15 * want,
			   "S3: weight %g, mixed orders: finite and right (%.17g, got %.17g)", w, want, r);

			/* S6: 24 h of a business buyer, 96 h of another: (24 w + 96) / (w + 1) */
			odr_ind_init(&st);
			odr_ind_weight(&st, w, &err);
			odr_ind_add(&st, true, H(24), &err);
			odr_ind_add(&st, false, H(96), &err);
			want = w < 1 ? (24.0 * w + 96.0) / (w + 1.0) : (24.0 + 96.0 / w) / (1.0 + 1.0 / w);
			got = odr_ind_hours(&st, &r);
			ok(got && isfinite(r) && r >= 24.0 && r <= 96.0 && fabs(r - want) <= 1e-12 * want,
			   "S6: weight %g: finite hours between 24 and 96 (%.17g, got %.17g)", w, want, r);
		}
		/* the largest sums and the largest weight */
		odr_ind_init(&st);
		odr_ind_weight(&st, DBL_MAX, &err);
		st.n_plain = INT64_MAX;
		st.hit_plain = INT64_MAX;
		st.n_business = INT64_MAX;
		st.hit_business = 0;
		ok(odr_ind_ratio(&st, &r) && isfinite(r) && r >= 0 && r < 1e-300,
		   "S3: counts at INT64_MAX with weight DBL_MAX: a finite rate near 0");
	}

	/* combining any split of a sequence gives the state of the whole, exactly */
	{
		uint64_t	seed = 12345;
		bool		all = true;

		for (int round = 0; round < 200; round++)
		{
			OdrIndState whole,
						left,
						right;
			int			n = 1 + round % 50;
			int			cut;

			odr_ind_init(&whole);
			odr_ind_init(&left);
			odr_ind_init(&right);
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			cut = (int) ((seed >> 33) % (uint64_t) (n + 1));
			for (int i = 0; i < n; i++)
			{
				bool		bus;
				int64_t		hit;

				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				bus = (seed >> 40) & 1;
				hit = (int64_t) ((seed >> 20) % 1000000007ULL);
				odr_ind_weight(&whole, 2.0, &err);
				odr_ind_add(&whole, bus, hit, &err);
				odr_ind_weight(i < cut ? &left : &right, 2.0, &err);
				odr_ind_add(i < cut ? &left : &right, bus, hit, &err);
			}
			if (odr_ind_combine(&left, &right, &err) != ODR_OK ||
				memcmp(&left, &whole, sizeof(whole)) != 0)
				all = false;
		}
		ok(all, "combine(left, right) equals the state of the whole sequence, bit for bit (200 random splits)");
	}
}

static OdrVerdict
judge(OdrTime paid, OdrTime promised, OdrTime shipped, OdrTime as_of)
{
	OdrVerdict	v = (OdrVerdict) 99;
	OdrError	err;

	if (odr_shipped_on_time(paid, promised, shipped, as_of, &v, NULL, &err) != ODR_OK)
	{
		diag("  unexpected error: %s", err.message);
		return (OdrVerdict) 98;
	}
	return v;
}

static void
test_on_time(void)
{
	int64_t		p = H(1000);	/* paid at */
	OdrTime		late_as_of = at(H(100000));
	OdrVerdict	v;
	OdrError	err;

	/* 48 h rule with no promise */
	ok(judge(at(p), none, at(p + H(48) - MIN(1)), late_as_of) == ODR_YES, "S3: no promise, shipped at 47:59 is on time");
	ok(judge(at(p), none, at(p + H(48)), late_as_of) == ODR_YES, "S3: no promise, shipped at exactly 48:00 is on time");
	ok(judge(at(p), none, at(p + H(48) + MIN(1)), late_as_of) == ODR_NO, "S3: no promise, shipped at 48:01 is late");
	ok(judge(at(p), none, at(p + H(48) + 1), late_as_of) == ODR_NO, "S3: no promise, 1 microsecond after 48 h is late");
	ok(judge(at(p), none, at(p), late_as_of) == ODR_YES, "S3: shipped the moment it was paid is on time");
	/* promise */
	ok(judge(at(p), at(p + H(24)), at(p + H(24)), late_as_of) == ODR_YES, "S3: shipped at the promised time is on time");
	ok(judge(at(p), at(p + H(24)), at(p + H(24) + 1), late_as_of) == ODR_NO, "S3: 1 microsecond after the promise is late (even within 48 h)");
	ok(judge(at(p), at(p + H(240)), at(p + H(200)), late_as_of) == ODR_YES, "S3: a promise longer than 48 h replaces the 48 h rule");
	ok(judge(at(p), at(p), at(p), late_as_of) == ODR_YES, "S3: a promise equal to the payment time, shipped then");
	/* not shipped yet, as_of */
	ok(judge(at(p), none, none, at(p + H(47))) == ODR_NOT_COUNTED, "S3: not shipped, deadline not passed: not counted yet");
	ok(judge(at(p), none, none, at(p + H(48))) == ODR_NOT_COUNTED, "S3: not shipped, as_of exactly at the deadline: not counted yet");
	ok(judge(at(p), none, none, at(p + H(48) + 1)) == ODR_NO, "S3: not shipped, as_of past the deadline: late");
	ok(judge(at(p), at(p + H(5)), none, at(p + H(6))) == ODR_NO, "S3: not shipped, past the promise: late");
	ok(judge(at(p), none, at(p + H(10)), at(p + H(5))) == ODR_NOT_COUNTED, "S3: a shipment after as_of is not known yet: not counted before the deadline");
	ok(judge(at(p), none, at(p + H(60)), at(p + H(50))) == ODR_NO, "S3: ... and late after the deadline");
	ok(judge(at(p), none, at(p + H(10)), at(p + H(10))) == ODR_YES, "S3: a shipment exactly at as_of is known");
	ok(judge(at(p), none, none, at(INT64_MAX)) == ODR_NO, "S3: as_of +infinity: an unshipped order is late");
	ok(judge(at(p), none, none, at(p - 1)) == ODR_NOT_COUNTED, "S3: paid after as_of: not counted");
	ok(judge(none, none, none, late_as_of) == ODR_NOT_COUNTED, "S3: no payment: not counted");
	ok(judge(none, at(p), at(p + H(100)), late_as_of) == ODR_NOT_COUNTED, "S3: no payment, even with a promise and a shipment: not counted");
	ok(judge(at(INT64_MAX - H(1)), none, none, at(INT64_MAX)) == ODR_NOT_COUNTED,
	   "S3: a deadline past the largest time saturates (no overflow)");

	/* bad input */
	is_error(odr_shipped_on_time(at(p), none, at(p - 1), late_as_of, &v, NULL, &err), &err,
			 ODR_ERR_INVALID, "shipped_at 3599999999999 is before paid_at 3600000000000",
			 "S3: shipped before paid is an error");
	is_error(odr_shipped_on_time(at(p), at(p - H(1)), at(p), late_as_of, &v, NULL, &err), &err,
			 ODR_ERR_INVALID, "promised_ship_by 3596400000000 is before paid_at 3600000000000",
			 "S3: promised before paid is an error");
	is_error(odr_shipped_on_time(at(p), none, none, none, &v, NULL, &err), &err,
			 ODR_ERR_NULL, "as_of must not be NULL", "S3: as_of NULL is an error");
	is_error(odr_shipped_on_time(at(p), none, at(p - 1), at(p - H(10)), &v, NULL, &err), &err,
			 ODR_ERR_INVALID, "shipped_at 3599999999999 is before paid_at 3600000000000",
			 "S3: shipped before paid is an error whatever as_of is");

	/* one such row fails the whole aggregate: the error says how to find it (issue #19) */
	odr_shipped_on_time(at(p), at(p + H(48)), at(p - 1), late_as_of, &v, NULL, &err);
	ok(strcmp(err.detail, "The order was paid at 3600000000000, promised to ship by 3772800000000 (48 hours after paid_at), "
			  "and shipped at 3599999999999. An order cannot ship before it is paid (rule S3); for a pay-later order, "
			  "pass the time the order was placed as paid_at.") == 0,
	   "S3: shipped before paid: the detail names paid_at, promised_ship_by (and its hours) and shipped_at");
	if (strstr(err.detail, "48 hours after") == NULL)
		diag("  detail: %s", err.detail);
	ok(strcmp(err.hint, "Find this row with WHERE paid_at = '3600000000000' AND shipped_at = '3599999999999', "
			  "and every such row with WHERE shipped_at < paid_at OR promised_ship_by < paid_at "
			  "(each name standing for your column or expression).") == 0,
	   "S3: shipped before paid: the hint gives the WHERE clauses that find the row");
	odr_shipped_on_time(at(p), none, at(p - 1), late_as_of, &v, NULL, &err);
	ok(strstr(err.detail, "paid at 3600000000000, with no promised_ship_by, and shipped at 3599999999999.") != NULL,
	   "S3: shipped before paid without a promise: the detail says so");
	odr_shipped_on_time(at(p), at(p - H(2) - MIN(30)), none, late_as_of, &v, NULL, &err);
	ok(strstr(err.detail, "(2.5 hours before paid_at), and not shipped. The promised shipping time") != NULL &&
	   strstr(err.hint, "WHERE paid_at = '3600000000000' AND promised_ship_by = '3591000000000'") != NULL,
	   "S3: promised before paid: the detail gives the promised hours, the hint the row");
	if (strstr(err.detail, "2.5 hours before") == NULL)
		diag("  detail: %s", err.detail);
	odr_shipped_on_time(at(p + 250000), at(p + H(48)), at(p), late_as_of, &v, NULL, &err);
	ok(strstr(err.detail, "(47 hours, 59 minutes and 59.75 seconds after paid_at)") != NULL,
	   "S3: promised hours that are not a whole number of 36-second steps in hours, minutes and seconds");
	if (strstr(err.detail, "59.75 seconds") == NULL)
		diag("  detail: %s", err.detail);
	odr_shipped_on_time(at(p), none, none, none, &v, NULL, &err);
	ok(err.hint[0] == '\0', "an error without a hint leaves the hint empty");
}

static void
test_refund_time(void)
{
	bool		counted = true;
	int64_t		us = -1;
	OdrError	err;

	ok(odr_refund_time(none, none, &counted, &us, NULL, &err) == ODR_OK && !counted,
	   "S6: no request: no refund, left out");
	ok(odr_refund_time(at(H(5)), none, &counted, &us, NULL, &err) == ODR_OK && !counted,
	   "S6: not completed yet: left out");
	ok(odr_refund_time(at(H(5)), at(H(7) + MIN(30)), &counted, &us, NULL, &err) == ODR_OK &&
	   counted && us == H(2) + MIN(30), "S6: request to completion in microseconds");
	ok(odr_refund_time(at(H(5)), at(H(5)), &counted, &us, NULL, &err) == ODR_OK && counted && us == 0,
	   "S6: completed at the request: 0, counted");
	is_error(odr_refund_time(at(H(5)), at(H(5) - 1), &counted, &us, NULL, &err), &err,
			 ODR_ERR_INVALID, "completed_at 17999999999 is before requested_at 18000000000",
			 "S6: completion before request is an error");
	ok(strcmp(err.detail, "The refund was requested at 18000000000 and completed at 17999999999, 0.000001 seconds before the request. "
			  "A refund cannot be completed before it is requested (rule S6).") == 0 &&
	   strcmp(err.hint, "Find this row with WHERE requested_at = '18000000000' AND completed_at = '17999999999', "
			  "and every such row with WHERE completed_at < requested_at (each name standing for your column or expression).") == 0,
	   "S6: completion before request: the detail names both times and the hours, the hint the row");
	if (strstr(err.detail, "before the request") == NULL)
		diag("  detail: %s", err.detail);
	is_error(odr_refund_time(at(INT64_MAX), at(INT64_MIN), &counted, &us, NULL, &err), &err,
			 ODR_ERR_INVALID, "completed_at -9223372036854775808 is before requested_at 9223372036854775807",
			 "S6: completion long before request is an error");
	ok(strstr(err.detail, "more than a million years before the request") != NULL,
	   "S6: a time between them past the range of bigint is put in words, not wrapped");
	is_error(odr_refund_time(none, at(H(5)), &counted, &us, NULL, &err), &err,
			 ODR_ERR_NULL, "requested_at is NULL but completed_at is not",
			 "S6: completion with no request is an error");
	ok(strstr(err.detail, "completed at 18000000000 with no requested_at.") != NULL &&
	   strstr(err.hint, "WHERE requested_at IS NULL AND completed_at = '18000000000'") != NULL,
	   "S6: completion with no request: the detail names completed_at, the hint the row");
	is_error(odr_refund_time(at(INT64_MIN), at(INT64_MAX), &counted, &us, NULL, &err), &err,
			 ODR_ERR_OVERFLOW, "indicator total is out of range",
			 "S6: a duration past INT64_MAX is an error");
}

static void
test_disputes(void)
{
	static const struct
	{
		const char *ruling;
		bool		counts;
	}			cases[] = {
		{"seller", true}, {"both", true}, {"buyer", false}, {"none", false},
		{"pending", false}, {"SELLER", true}, {"Both", true}, {"Buyer", false},
	};
	bool		c;
	OdrError	err;
	char		longname[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		c = !cases[i].counts;
		ok(odr_dispute_ruling_counts(cases[i].ruling, strlen(cases[i].ruling), &c, &err) == ODR_OK &&
		   c == cases[i].counts, "S7: ruling %s %s", cases[i].ruling,
		   cases[i].counts ? "counts" : "does not count");
	}
	is_error(odr_dispute_ruling_counts("seller ", 7, &c, &err), &err, ODR_ERR_UNKNOWN_NAME,
			 "unknown ruling \"seller \"", "S7: no trimming: 'seller ' is unknown");
	is_error(odr_dispute_ruling_counts("", 0, &c, &err), &err, ODR_ERR_UNKNOWN_NAME,
			 "unknown ruling \"\"", "S7: an empty ruling is unknown");
	is_error(odr_dispute_ruling_counts("卖家责任", strlen("卖家责任"), &c, &err), &err,
			 ODR_ERR_UNKNOWN_NAME, "unknown ruling \"卖家责任\"", "S7: rulings are English codes");
	ok(odr_dispute_ruling_counts("sel", 3, &c, &err) != ODR_OK, "S7: a prefix of a ruling is unknown");
	/* a long UTF-8 value is clipped without cutting a character */
	strcpy(longname, "x");
	for (int i = 0; i < 30; i++)
		strcat(longname, "纠");	/* 3 bytes each */
	odr_dispute_ruling_counts(longname, strlen(longname), &c, &err);
	ok(strcmp(err.message, "unknown ruling \"x纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠...\"") == 0,
	   "S7: a long unknown ruling is clipped at a character boundary");
	if (strcmp(err.message, "unknown ruling \"x纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠纠...\"") != 0)
		diag("  got %s", err.message);
}

static void
test_quality(void)
{
	bool		q;
	OdrError	err;
	const OdrName *d = odr_default_quality_reasons;
	int			nd = odr_default_quality_reasons_count;
	static const OdrName mine[] = {{"质量问题", sizeof("质量问题") - 1}, {"size_mismatch", 13}};
	OdrName		bad[3];

	ok(nd == 5, "S5: five default quality reasons");
	ok(odr_quality_reasons_check(d, nd, &err) == ODR_OK, "S5: the default list passes its own check");
	for (int i = 0; i < nd; i++)
		ok(odr_is_quality_reason(d[i].s, d[i].len, d, nd, &q, &err) == ODR_OK && q,
		   "S5: %s is a quality reason by default", d[i].s);
	ok(odr_is_quality_reason("Quality_Problem", 15, d, nd, &q, &err) == ODR_OK && q,
	   "S5: ASCII case is ignored");
	ok(odr_is_quality_reason("changed_mind", 12, d, nd, &q, &err) == ODR_OK && !q,
	   "S5: changed_mind is not a quality reason");
	ok(odr_is_quality_reason("quality_problem ", 16, d, nd, &q, &err) == ODR_OK && !q,
	   "S5: no trimming: 'quality_problem ' is not a quality reason");
	ok(odr_is_quality_reason("damage", 6, d, nd, &q, &err) == ODR_OK && !q,
	   "S5: a prefix is not a match");
	is_error(odr_is_quality_reason("", 0, d, nd, &q, &err), &err, ODR_ERR_INVALID,
			 "first_refund_reason is empty", "S5: an empty reason is an error");
	ok(odr_is_quality_reason("质量问题", strlen("质量问题"), mine, 2, &q, &err) == ODR_OK && q,
	   "S5: a custom list (Chinese reason)");
	ok(odr_is_quality_reason("SIZE_MISMATCH", 13, mine, 2, &q, &err) == ODR_OK && q,
	   "S5: a custom list, case ignored");
	ok(odr_is_quality_reason("damaged", 7, mine, 2, &q, &err) == ODR_OK && !q,
	   "S5: a custom list replaces the default one");

	is_error(odr_quality_reasons_check(bad, 0, &err), &err, ODR_ERR_INVALID,
			 "quality_reasons is empty", "S5: an empty list is an error");
	bad[0] = (OdrName) {"damaged", 7};
	bad[1] = (OdrName) {"", 0};
	is_error(odr_quality_reasons_check(bad, 2, &err), &err, ODR_ERR_INVALID,
			 "quality_reasons element 2 is empty", "S5: an empty reason in the list is an error");
	bad[1] = (OdrName) {"counterfeit", 11};
	bad[2] = (OdrName) {"DAMAGED", 7};
	is_error(odr_quality_reasons_check(bad, 3, &err), &err, ODR_ERR_INVALID,
			 "quality_reasons lists \"DAMAGED\" twice (elements 1 and 3)",
			 "S5: a reason twice (case ignored) is an error");
}

int
main(void)
{
	test_levels_and_weights();
	test_state_arith();
	test_on_time();
	test_refund_time();
	test_disputes();
	test_quality();
	printf("1..%d\n", ntests);
	if (nfailed)
		printf("# %d of %d tests failed\n", nfailed, ntests);
	return nfailed ? 1 : 0;
}
