/*
 * core_test.c — unit tests of the plain-C rules (src/rules/odr_core.c), no server.
 *
 * TAP output (one "ok N - ..." line per test, the plan "1..N" at the end);
 * exit status 1 when a test fails.  Rule ids refer to shared/rules.md.
 * Randomised tests use a fixed-seed LCG, so every run is the same.
 *
 * Built by `make unit`:
 *   cc -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o test/unit/core_test \
 *      test/unit/core_test.c src/rules/odr_core.c -lm
 */
#include "odr_core.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* A tiny TAP emitter                                                   */
/* ------------------------------------------------------------------ */

#include "tap.h"

static const char *
status_name(OdrStatus st)
{
	switch (st)
	{
		case ODR_OK:
			return "ODR_OK";
		case ODR_ERR_SYNTAX:
			return "ODR_ERR_SYNTAX";
		case ODR_ERR_RANGE:
			return "ODR_ERR_RANGE";
		case ODR_ERR_INCONSISTENT:
			return "ODR_ERR_INCONSISTENT";
		case ODR_ERR_UNKNOWN_NAME:
			return "ODR_ERR_UNKNOWN_NAME";
		case ODR_ERR_OVERFLOW:
			return "ODR_ERR_OVERFLOW";
		case ODR_ERR_INVALID:
			return "ODR_ERR_INVALID";
		case ODR_ERR_NULL:
			return "ODR_ERR_NULL";
	}
	return "(unknown status)";
}

/* ok() on a status, with a diagnostic naming what came back. */
static bool
ok_status(OdrStatus got, OdrStatus want, const OdrError *err, const char *what)
{
	bool		pass = ok(got == want, "%s -> %s", what, status_name(want));

	if (!pass)
		diag("  got %s (%s)", status_name(got),
			 err != NULL && got != ODR_OK ? err->message : "");
	return pass;
}

static bool
summary_eq(const OdrSummary *a, const OdrSummary *b)
{
	return memcmp(a, b, sizeof(OdrSummary)) == 0;
}

static void
diag_summary(const char *label, const OdrSummary *s)
{
	char		buf[ODR_SUMMARY_TEXT_MAX];

	odr_summary_format(s, buf, sizeof(buf));
	diag("  %s: version=%u flags=%u %s", label, s->version, s->flags, buf);
}

/* ------------------------------------------------------------------ */
/* Deterministic pseudo-random numbers                                  */
/* ------------------------------------------------------------------ */

static uint64_t lcg_state = 20240601;

static uint32_t
rnd(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) (lcg_state >> 32);
}

/* uniform-ish in [0, n) */
static uint64_t
rnd_below(uint64_t n)
{
	uint64_t	x = ((uint64_t) rnd() << 32) | rnd();

	return n == 0 ? 0 : x % n;
}

/* ------------------------------------------------------------------ */
/* Building verdicts and summaries                                      */
/* ------------------------------------------------------------------ */

/* stars: 0 = not given */
static OdrOrderFacts
facts(int fb, int item, int comm, int ship, bool unshipped, bool arb,
	  bool timeout, bool inr, bool resp, bool under5)
{
	OdrOrderFacts f;
	int			r[ODR_NRATINGS] = {fb, item, comm, ship};

	memset(&f, 0, sizeof(f));
	for (int i = 0; i < ODR_NRATINGS; i++)
	{
		f.rating_given[i] = r[i] != 0;
		f.rating[i] = r[i];
	}
	f.unshipped = unshipped;
	f.arbitration = arb;
	f.dispute_timeout = timeout;
	f.not_received_closed = inr;
	f.arbitration_seller_responsible = resp;
	f.under_5_usd = under5;
	return f;
}

#define BAD_VERDICT ((OdrDefects) 0xFFFFFFFFu)

static OdrDefects
classify(int fb, int item, int comm, int ship, bool unshipped, bool arb,
		 bool timeout, bool inr, bool resp, bool under5)
{
	OdrOrderFacts f = facts(fb, item, comm, ship, unshipped, arb, timeout,
							inr, resp, under5);
	OdrDefects	d = 0;

	if (odr_classify_order(&f, &d, NULL) != ODR_OK)
		return BAD_VERDICT;
	return d;
}

static const int rating_shift[ODR_NRATINGS] = {
	ODR_RATING_SHIFT_FEEDBACK, ODR_RATING_SHIFT_ITEM,
	ODR_RATING_SHIFT_COMM, ODR_RATING_SHIFT_SHIP
};
static const OdrReason rating_reason[ODR_NRATINGS] = {
	ODR_NEGATIVE_FEEDBACK, ODR_DSR_ITEM, ODR_DSR_COMMUNICATION, ODR_DSR_SHIPPING
};
/* A5-A8 thresholds, from rules.md: the highest star that is a defect */
static const int rating_defect_max[ODR_NRATINGS] = {3, 3, 3, 1};

/* The rules' own idea of a consistent packed verdict (independent oracle). */
static bool
oracle_defects_valid(uint32_t d)
{
	if (d & ~ODR_DEFECTS_USED_MASK)
		return false;
	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		int			stars = (int) ((d >> rating_shift[r]) & 7u);
		bool		reason = (d >> rating_reason[r]) & 1u;

		if (stars > 5)
			return false;
		if (stars > 0 && reason != (stars <= rating_defect_max[r]))
			return false;
	}
	if ((d & ODR_F_SELLER_RESP) && !((d >> ODR_ARBITRATION) & 1u))
		return false;
	return true;
}

/* What one order adds to a summary, computed from rules.md (A12, A16). */
static void
oracle_delta(OdrDefects d, OdrSummary *s)
{
	int			fb = (int) ((d >> ODR_RATING_SHIFT_FEEDBACK) & 7u);

	odr_summary_init(s);
	s->orders = 1;
	s->defective = (d & ODR_REASON_MASK) ? 1 : 0;
	for (int r = 0; r < ODR_NREASONS; r++)
		s->reason[r] = (d >> r) & 1u;
	s->seller_responsible = (d & ODR_F_SELLER_RESP) ? 1 : 0;
	if (fb > 0 && !(d & ODR_F_UNDER_5_USD))
	{
		s->rated = 1;
		s->positive = fb >= 4;
	}
	for (int k = 0; k < 3; k++)
	{
		int			v = (int) ((d >> rating_shift[1 + k]) & 7u);

		s->dsr_sum[k] = v;
		s->dsr_count[k] = v > 0;
	}
}

/* A random but consistent verdict, through odr_classify_order. */
static OdrDefects
random_verdict(void)
{
	uint32_t	x = rnd();
	uint32_t	y = rnd();
	int			stars[ODR_NRATINGS];
	bool		arb = (y % 9) == 0;

	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		/* about 60% of orders carry each rating; low stars over-represented */
		uint32_t	b = (x >> (8 * r)) & 0xFF;

		stars[r] = b < 100 ? 0 : 1 + (int) (b % 5);
	}
	return classify(stars[0], stars[1], stars[2], stars[3],
					(y >> 4) % 11 == 0, arb, (y >> 8) % 13 == 0,
					(y >> 12) % 17 == 0, arb && ((y >> 16) & 1),
					(y >> 20) % 7 == 0);
}

/* Every consistent packed verdict, in increasing order (57624 of them). */
static OdrDefects *all_valid = NULL;
static size_t nall_valid = 0;

static void
collect_valid_verdicts(void)
{
	all_valid = malloc(sizeof(OdrDefects) * ((size_t) 1 << 17));
	if (all_valid == NULL)
	{
		printf("Bail out! out of memory\n");
		exit(1);
	}
	for (uint32_t d = 0; d <= ODR_DEFECTS_USED_MASK; d++)
	{
		if (oracle_defects_valid(d))
			all_valid[nall_valid++] = d;
	}
}

/* A summary of n orders, d of them unshipped. */
static OdrSummary
summary_of(int64_t orders, int64_t defective)
{
	OdrSummary	s;

	odr_summary_init(&s);
	s.orders = orders;
	s.defective = defective;
	s.reason[ODR_UNSHIPPED] = defective;
	return s;
}

/*
 * A random valid summary: random verdicts added one by one, then every
 * count multiplied by a factor (the invariants are linear and homogeneous,
 * so scaling keeps the summary valid) to reach large numbers too.
 */
static OdrSummary
random_summary(void)
{
	OdrSummary	s;
	int			n = (int) rnd_below(120);
	int64_t		factor;
	int64_t    *c;

	odr_summary_init(&s);
	for (int i = 0; i < n; i++)
		odr_summary_add_order(&s, random_verdict(), NULL);
	switch (rnd() % 4)
	{
		case 0:
			factor = 1;
			break;
		case 1:
			factor = 1 + (int64_t) rnd_below(1000);
			break;
		default:
			{
				/* up to the largest factor that keeps dsr sums in range */
				int64_t		biggest = 1;

				c = odr_summary_counts(&s);
				for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
					if (c[i] > biggest)
						biggest = c[i];
				factor = 1 + (int64_t) rnd_below((uint64_t) (INT64_MAX / biggest));
				break;
			}
	}
	c = odr_summary_counts(&s);
	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
		c[i] *= factor;
	return s;
}

/* ------------------------------------------------------------------ */
/* Names                                                                */
/* ------------------------------------------------------------------ */

static void
test_names(void)
{
	bool		all = true;

	for (int r = 0; r < ODR_NREASONS; r++)
		all &= odr_reason_from_name(odr_reason_names[r], strlen(odr_reason_names[r])) == r;
	ok(all, "every reason name maps back to its index");
	ok(odr_reason_from_name("arbitration", 3) == -1 &&
	   odr_reason_from_name("arbitrationx", 12) == -1 &&
	   odr_reason_from_name("ARBITRATION", 11) == -1,
	   "a prefix, a longer word or another case is not a reason name");
	ok(odr_reason_from_name("dispute_timeout,unshipped", 15) == ODR_DISPUTE_TIMEOUT,
	   "reason names are matched by length, not up to a NUL");
	all = true;
	for (int m = 0; m < ODR_NMETRICS; m++)
		all &= odr_metric_from_name(odr_metric_names[m], strlen(odr_metric_names[m])) == m;
	ok(all && odr_metric_from_name("od", 2) == -1, "metric names map back; unknown is -1");
	all = true;
	for (int t = 0; t < ODR_NTIERS; t++)
		all &= odr_tier_from_name(odr_tier_names[t], strlen(odr_tier_names[t])) == t;
	ok(all && odr_tier_from_name("great", 5) == -1, "tier names map back; unknown is -1");
	ok(strcmp(odr_tier_names[ODR_TIER_UNASSESSED], "unassessed") == 0 &&
	   strcmp(odr_tier_names[ODR_TIER_EXCELLENT], "excellent") == 0,
	   "A17: tier names are the rules' names");
}

/* ------------------------------------------------------------------ */
/* Classification (A5-A14)                                              */
/* ------------------------------------------------------------------ */

static void
test_classification(void)
{
	OdrOrderFacts f;
	OdrDefects	d;
	OdrError	err;
	static const char *const rule[ODR_NRATINGS] = {"A5", "A6", "A7", "A8"};

	/* A5-A8 boundaries, each dimension alone */
	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		int			edge = rating_defect_max[r];
		int			stars[ODR_NRATINGS] = {0, 0, 0, 0};

		stars[r] = edge;
		d = classify(stars[0], stars[1], stars[2], stars[3], 0, 0, 0, 0, 0, 0);
		ok(d == (((uint32_t) 1 << rating_reason[r]) | ((uint32_t) edge << rating_shift[r])),
		   "%s: %s %d stars is the reason %s (and the rating is kept)", rule[r],
		   odr_rating_names[r], edge, odr_reason_names[rating_reason[r]]);
		stars[r] = edge + 1;
		d = classify(stars[0], stars[1], stars[2], stars[3], 0, 0, 0, 0, 0, 0);
		ok(d == ((uint32_t) (edge + 1) << rating_shift[r]),
		   "%s: %s %d stars is not a defect (rating kept)", rule[r],
		   odr_rating_names[r], edge + 1);
	}
	{
		bool		all = true;

		for (int r = 0; r < ODR_NRATINGS; r++)
			for (int s = 1; s <= 5; s++)
			{
				int			stars[ODR_NRATINGS] = {0, 0, 0, 0};
				OdrDefects	want = ((uint32_t) s << rating_shift[r]);

				if (s <= rating_defect_max[r])
					want |= (uint32_t) 1 << rating_reason[r];
				stars[r] = s;
				d = classify(stars[0], stars[1], stars[2], stars[3], 0, 0, 0, 0, 0, 0);
				if (d != want)
				{
					all = false;
					diag("  %s=%d: got 0x%x want 0x%x", odr_rating_names[r], s, d, want);
				}
			}
		ok(all, "A5-A8: every star 1..5 of every dimension gives exactly its reason");
	}
	ok(classify(0, 0, 0, 2, 0, 0, 0, 0, 0, 0) == ((uint32_t) 2 << ODR_RATING_SHIFT_SHIP) &&
	   classify(0, 0, 0, 3, 0, 0, 0, 0, 0, 0) == ((uint32_t) 3 << ODR_RATING_SHIFT_SHIP),
	   "A8: shipping 2 and 3 stars are not defects (only exactly 1 star is)");
	ok(classify(0, 0, 0, 0, 0, 0, 0, 0, 0, 0) == 0, "an order with no facts is clean (0)");
	ok(classify(5, 5, 5, 5, 0, 0, 0, 0, 0, 0) ==
	   ((5u << 9) | (5u << 12) | (5u << 15) | (5u << 18)),
	   "all five-star ratings: no reason, every rating recorded");
	ok(classify(0, 0, 0, 0, 1, 0, 0, 0, 0, 0) == (1u << ODR_UNSHIPPED), "A9: unshipped");
	ok(classify(0, 0, 0, 0, 0, 1, 0, 0, 0, 0) == (1u << ODR_ARBITRATION), "A10: arbitration");
	ok(classify(0, 0, 0, 0, 0, 0, 1, 0, 0, 0) == (1u << ODR_DISPUTE_TIMEOUT), "A11: dispute timeout");
	ok(classify(0, 0, 0, 0, 0, 1, 0, 0, 1, 0) == ((1u << ODR_ARBITRATION) | ODR_F_SELLER_RESP),
	   "A16: a ruling against the seller sets seller_responsible");
	ok(classify(0, 0, 0, 0, 0, 0, 0, 0, 0, 1) == ODR_F_UNDER_5_USD,
	   "A16: under_5_usd is recorded as a flag, not a reason");
	ok(classify(2, 0, 0, 0, 0, 0, 0, 0, 0, 1) ==
	   ((1u << ODR_NEGATIVE_FEEDBACK) | (2u << ODR_RATING_SHIFT_FEEDBACK) | ODR_F_UNDER_5_USD),
	   "A5/A16: a small order's bad rating is still negative feedback");

	/* A12 */
	d = classify(1, 1, 1, 1, 1, 1, 1, 0, 1, 0);
	ok((d & ODR_REASON_MASK) == ODR_REASON_MASK, "A12: every reason is recorded on one order");
	{
		OdrSummary	s;

		odr_summary_init(&s);
		odr_summary_add_order(&s, d, NULL);
		ok(s.orders == 1 && s.defective == 1 &&
		   s.reason[0] == 1 && s.reason[1] == 1 && s.reason[2] == 1 && s.reason[3] == 1 &&
		   s.reason[4] == 1 && s.reason[5] == 1 && s.reason[6] == 1 && s.seller_responsible == 1,
		   "A12: that order counts once as defective, once per reason");
	}

	/* A13 */
	d = classify(1, 1, 1, 1, 1, 1, 1, 1, 1, 0);
	ok(d == ((1u << ODR_UNSHIPPED) | (1u << ODR_ARBITRATION) | (1u << ODR_DISPUTE_TIMEOUT) |
			 ODR_F_SELLER_RESP),
	   "A13: not_received_closed drops A5-A8 and every rating, keeps A9-A11 and the ruling");
	d = classify(5, 5, 5, 5, 0, 0, 0, 1, 0, 0);
	ok(d == 0, "A13: the good ratings are dropped too (neither bad nor good ones count)");
	d = classify(3, 4, 2, 1, 0, 0, 0, 1, 0, 1);
	ok(d == ODR_F_UNDER_5_USD, "A13: ratings dropped, under_5_usd kept");
	{
		OdrSummary	s;

		odr_summary_init(&s);
		odr_summary_add_order(&s, classify(5, 5, 5, 5, 0, 0, 0, 1, 0, 0), NULL);
		ok(s.orders == 1 && s.defective == 0 && s.rated == 0 && s.positive == 0 &&
		   s.dsr_count[0] == 0 && s.dsr_count[1] == 0 && s.dsr_count[2] == 0,
		   "A13: the order stays in the denominator; its ratings are not counted");
	}

	/* A14 */
	{
		static const int bad[] = {0, 6, -1, 7, 100};

		for (int r = 0; r < ODR_NRATINGS; r++)
			for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			{
				char		want[64];
				OdrStatus	st;

				memset(&f, 0, sizeof(f));
				f.rating_given[r] = true;
				f.rating[r] = bad[i];
				d = 12345;
				memset(&err, 0, sizeof(err));
				st = odr_classify_order(&f, &d, &err);
				snprintf(want, sizeof(want), "%s %d", odr_rating_param_names[r], bad[i]);
				if (!ok(st == ODR_ERR_RANGE && strstr(err.message, want) != NULL,
						"A14: %s = %d is ODR_ERR_RANGE naming \"%s\"",
						odr_rating_param_names[r], bad[i], want))
					diag("  got %s \"%s\"", status_name(st), err.message);
			}
	}
	f = facts(6, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	memset(&err, 0, sizeof(err));
	ok(odr_classify_order(&f, &d, &err) == ODR_ERR_RANGE &&
	   strstr(err.message, "feedback_stars 6") != NULL,
	   "A14: feedback_stars 6 -> ODR_ERR_RANGE, message \"%s\"", err.message);
	f = facts(0, 0, 0, 9, 0, 0, 0, 1, 0, 0);
	ok(odr_classify_order(&f, &d, &err) == ODR_ERR_RANGE,
	   "A14: a bad rating is rejected even when A13 would drop it");
	memset(&f, 0, sizeof(f));
	f.rating[ODR_RATING_FEEDBACK] = 99;		/* not given: ignored */
	f.rating[ODR_RATING_SHIPPING] = -4;
	ok(odr_classify_order(&f, &d, &err) == ODR_OK && d == 0,
	   "A14: the value of a rating that was not given is ignored");
	ok(odr_classify_order(&f, &d, NULL) == ODR_OK, "classification works with err = NULL");
	f = facts(7, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ok(odr_classify_order(&f, &d, NULL) == ODR_ERR_RANGE, "errors work with err = NULL");

	/* a ruling without an arbitration */
	f = facts(0, 0, 0, 0, 0, 0, 0, 0, 1, 0);
	ok_status(odr_classify_order(&f, &d, &err), ODR_ERR_INCONSISTENT, &err,
			  "seller_responsible without arbitration");
	f = facts(0, 0, 0, 0, 0, 0, 0, 1, 1, 0);
	ok_status(odr_classify_order(&f, &d, &err), ODR_ERR_INCONSISTENT, &err,
			  "seller_responsible without arbitration, not_received_closed");

	/* exhaustive: every combination of facts gives a valid, oracle-equal verdict */
	{
		bool		all = true;
		long		n = 0;

		for (int fb = 0; fb <= 5; fb++)
			for (int it = 0; it <= 5; it++)
				for (int co = 0; co <= 5; co++)
					for (int sh = 0; sh <= 5; sh++)
						for (int b = 0; b < 64; b++)
						{
							bool		arb = b & 2,
										resp = b & 16,
										inr = b & 8;
							OdrStatus	st;
							OdrDefects	want = 0;
							int			stars[ODR_NRATINGS] = {fb, it, co, sh};

							f = facts(fb, it, co, sh, b & 1, arb, b & 4, inr, resp, b & 32);
							st = odr_classify_order(&f, &d, NULL);
							n++;
							if (resp && !arb)
							{
								if (st != ODR_ERR_INCONSISTENT)
									all = false;
								continue;
							}
							if (!inr)
								for (int r = 0; r < ODR_NRATINGS; r++)
									if (stars[r] > 0)
									{
										want |= (uint32_t) stars[r] << rating_shift[r];
										if (stars[r] <= rating_defect_max[r])
											want |= (uint32_t) 1 << rating_reason[r];
									}
							want |= (b & 1 ? 1u << ODR_UNSHIPPED : 0) |
								(arb ? 1u << ODR_ARBITRATION : 0) |
								(b & 4 ? 1u << ODR_DISPUTE_TIMEOUT : 0) |
								(resp ? ODR_F_SELLER_RESP : 0) |
								(b & 32 ? ODR_F_UNDER_5_USD : 0);
							if (st != ODR_OK || d != want || odr_defects_validate(d, NULL) != ODR_OK)
							{
								if (all)
									diag("  first mismatch: fb=%d item=%d comm=%d ship=%d flags=%d: %s 0x%x want 0x%x",
										 fb, it, co, sh, b, status_name(st), d, want);
								all = false;
							}
						}
		ok(all, "A5-A13: all %ld fact combinations classify as the rules say, into valid verdicts", n);
	}
}

/* ------------------------------------------------------------------ */
/* odr_defects text form                                                */
/* ------------------------------------------------------------------ */

/* Write d in a non-canonical but valid form: spaces, reversed orders. */
static void
format_noncanonical(OdrDefects d, char *buf, size_t buflen)
{
	size_t		n = 0;
	bool		first = true;

#define PUTS(...) \
	do { \
		int w_ = snprintf(buf + n, n < buflen ? buflen - n : 0, __VA_ARGS__); \
		if (w_ > 0) n += (size_t) w_; \
	} while (0)
	PUTS(" \t{ ");
	for (int r = ODR_NREASONS - 1; r >= 0; r--)
		if ((d >> r) & 1u)
		{
			PUTS("%s%s ", first ? "" : " ,\t", odr_reason_names[r]);
			first = false;
		}
	PUTS("}\t");
	if (d & ODR_F_SELLER_RESP)
		PUTS(" seller_responsible");
	for (int r = ODR_NRATINGS - 1; r >= 0; r--)
	{
		int			stars = (int) ((d >> rating_shift[r]) & 7u);

		if (stars)
			PUTS("  %s=%d", odr_rating_names[r], stars);
	}
	if (d & ODR_F_UNDER_5_USD)
		PUTS("\n under_5_usd");
	PUTS(" \r\n");
#undef PUTS
}

static void
test_defects_text(void)
{
	char		buf[ODR_DEFECTS_TEXT_MAX],
				buf2[ODR_DEFECTS_TEXT_MAX];
	OdrDefects	d,
				d2;
	OdrError	err;

	ok(odr_defects_parse("{}", &d, &err) == ODR_OK && d == 0, "\"{}\" is the clean verdict");
	odr_defects_format(0, buf, sizeof(buf));
	ok(strcmp(buf, "{}") == 0, "the clean verdict prints as \"{}\"");
	d = classify(2, 3, 0, 0, 0, 0, 0, 0, 0, 0);
	odr_defects_format(d, buf, sizeof(buf));
	ok(strcmp(buf, "{negative_feedback,dsr_item} feedback=2 item=3") == 0,
	   "the header's example prints canonically (\"%s\")", buf);
	d = classify(5, 4, 3, 1, 1, 1, 1, 0, 1, 1);
	odr_defects_format(d, buf, sizeof(buf));
	ok(strcmp(buf, "{dsr_communication,dsr_shipping,unshipped,arbitration,dispute_timeout} "
			  "feedback=5 item=4 communication=3 shipping=1 under_5_usd seller_responsible") == 0,
	   "a full verdict prints in the canonical order (\"%s\")", buf);

	/*
	 * All 2^7 reason sets crossed with fact combinations: per rating
	 * dimension none / a consistent low / a consistent high star, plus the
	 * two flags (seller_responsible only with arbitration).
	 */
	{
		long		n = 0;
		bool		rt = true,
					canon = true,
					noncanon = true,
					valid = true;

		for (uint32_t m = 0; m < 128; m++)
			for (int combo = 0; combo < 81 * 4; combo++)
			{
				int			c = combo;
				OdrDefects	v = m;

				for (int r = 0; r < ODR_NRATINGS; r++, c /= 3)
				{
					int			choice = c % 3;
					bool		reason = (m >> rating_reason[r]) & 1u;
					int			stars;

					if (choice == 0)
						continue;
					if (reason)
						stars = choice == 1 ? 1 : rating_defect_max[r];
					else
						stars = choice == 1 ? rating_defect_max[r] + 1 : 5;
					v |= (uint32_t) stars << rating_shift[r];
				}
				if (c & 1)
					v |= ODR_F_UNDER_5_USD;
				if ((c & 2) && (m & (1u << ODR_ARBITRATION)))
					v |= ODR_F_SELLER_RESP;
				n++;
				if (odr_defects_validate(v, &err) != ODR_OK)
				{
					if (valid)
						diag("  0x%x does not validate: %s", v, err.message);
					valid = false;
					continue;
				}
				odr_defects_format(v, buf, sizeof(buf));
				if (odr_defects_parse(buf, &d, &err) != ODR_OK || d != v)
				{
					if (rt)
						diag("  \"%s\" (0x%x) parsed to 0x%x: %s", buf, v, d, err.message);
					rt = false;
					continue;
				}
				odr_defects_format(d, buf2, sizeof(buf2));
				if (strcmp(buf, buf2) != 0)
				{
					if (canon)
						diag("  \"%s\" reprinted as \"%s\"", buf, buf2);
					canon = false;
				}
				format_noncanonical(v, buf2, sizeof(buf2));
				if (odr_defects_parse(buf2, &d2, &err) != ODR_OK || d2 != v)
				{
					if (noncanon)
						diag("  \"%s\" parsed to 0x%x, want 0x%x (%s)", buf2, d2, v, err.message);
					noncanon = false;
				}
			}
		ok(valid, "odr_defects: %ld reason/fact combinations are all consistent", n);
		ok(rt, "odr_defects: parse(format(x)) == x for all 128 reason sets x %d fact sets", 81 * 4);
		ok(canon, "odr_defects: format(parse(t)) == t for their canonical texts");
		ok(noncanon, "odr_defects: spaces, tabs, newlines and other orders parse to the same values");
	}

	/* exhaustive over the 21 used bits: validate agrees with the rules, text round-trips */
	{
		bool		agree = true,
					rt = true,
					reject = true;
		long		nvalid = 0;

		for (uint32_t v = 0; v <= ODR_DEFECTS_USED_MASK; v++)
		{
			bool		want = oracle_defects_valid(v);
			OdrStatus	st = odr_defects_validate(v, NULL);

			if ((st == ODR_OK) != want)
			{
				if (agree)
					diag("  validate(0x%x) = %s, rules say %s", v, status_name(st),
						 want ? "valid" : "invalid");
				agree = false;
			}
			odr_defects_format(v, buf, sizeof(buf));
			st = odr_defects_parse(buf, &d, NULL);
			if (want)
			{
				nvalid++;
				if (st != ODR_OK || d != v)
				{
					if (rt)
						diag("  \"%s\": %s", buf, status_name(st));
					rt = false;
				}
			}
			else if (st == ODR_OK)
			{
				if (reject)
					diag("  the printed form of invalid 0x%x, \"%s\", parses", v, buf);
				reject = false;
			}
		}
		ok(agree, "odr_defects_validate agrees with rules A5-A8/A16 on all 2^21 values (%ld valid)", nvalid);
		ok(rt, "every valid value round-trips through text");
		ok(reject, "the printed form of every invalid value is rejected by the parser");
	}
	ok(odr_defects_parse("{negative_feedback}", &d, &err) == ODR_OK &&
	   d == (1u << ODR_NEGATIVE_FEEDBACK),
	   "a rating reason without the rating recorded is accepted");

	/* reserved bits */
	{
		bool		all = true;

		for (int b = 21; b < 32; b++)
		{
			OdrStatus	st = odr_defects_validate((uint32_t) 1 << b, &err);

			if (st != ODR_ERR_SYNTAX || strstr(err.message, "reserved") == NULL)
			{
				all = false;
				diag("  bit %d: %s \"%s\"", b, status_name(st), err.message);
			}
		}
		ok(all, "odr_defects_validate: each reserved bit 21..31 -> ODR_ERR_SYNTAX (\"reserved\")");
	}
	ok_status(odr_defects_validate(6u << ODR_RATING_SHIFT_ITEM, &err), ODR_ERR_RANGE, &err,
			  "validate: item rating 6");
	ok_status(odr_defects_validate(7u << ODR_RATING_SHIFT_SHIP, &err), ODR_ERR_RANGE, &err,
			  "validate: shipping rating 7");
	ok_status(odr_defects_validate(ODR_F_SELLER_RESP, &err), ODR_ERR_INCONSISTENT, &err,
			  "validate: seller_responsible without arbitration");
	ok_status(odr_defects_validate(2u << ODR_RATING_SHIFT_FEEDBACK, &err), ODR_ERR_INCONSISTENT, &err,
			  "validate: feedback=2 without negative_feedback");

	/* malformed and inconsistent texts */
	{
		static const struct
		{
			const char *text;
			OdrStatus	want;
		}			bad[] = {
			{"", ODR_ERR_SYNTAX},
			{"   ", ODR_ERR_SYNTAX},
			{"{", ODR_ERR_SYNTAX},
			{"}", ODR_ERR_SYNTAX},
			{"{,}", ODR_ERR_SYNTAX},
			{"{negative_feedback,}", ODR_ERR_SYNTAX},
			{"{,negative_feedback}", ODR_ERR_SYNTAX},
			{"{negative_feedback", ODR_ERR_SYNTAX},
			{"{negative_feedback dsr_item}", ODR_ERR_SYNTAX},
			{"{negative_feedback;dsr_item}", ODR_ERR_SYNTAX},
			{"{x}", ODR_ERR_SYNTAX},
			{"{Unshipped}", ODR_ERR_SYNTAX},
			{"{unshipped,unshipped}", ODR_ERR_SYNTAX},
			{"{arbitration,unshipped,arbitration}", ODR_ERR_SYNTAX},
			{"unshipped", ODR_ERR_SYNTAX},
			{"(unshipped)", ODR_ERR_SYNTAX},
			{"{} feedback=6", ODR_ERR_RANGE},
			{"{} feedback=0", ODR_ERR_RANGE},
			{"{} feedback=9", ODR_ERR_RANGE},
			{"{} feedback=45", ODR_ERR_RANGE},
			{"{} feedback=-1", ODR_ERR_RANGE},
			{"{} shipping=6", ODR_ERR_RANGE},
			{"{} feedback=", ODR_ERR_SYNTAX},
			{"{} feedback", ODR_ERR_SYNTAX},
			{"{} feedback=a", ODR_ERR_SYNTAX},
			{"{} feedback =4", ODR_ERR_SYNTAX},
			{"{} feedback=4x", ODR_ERR_SYNTAX},
			{"{}feedback=4", ODR_ERR_SYNTAX},
			{"{}feedback=2", ODR_ERR_SYNTAX},
			{"{}x", ODR_ERR_SYNTAX},
			{"{}}", ODR_ERR_SYNTAX},
			{"{} x", ODR_ERR_SYNTAX},
			{"{} stars=4", ODR_ERR_SYNTAX},
			{"{unshipped} trailing", ODR_ERR_SYNTAX},
			{"{unshipped} ,", ODR_ERR_SYNTAX},
			{"{} {}", ODR_ERR_SYNTAX},
			{"{} feedback=4 feedback=4", ODR_ERR_SYNTAX},
			{"{} under_5_usd under_5_usd", ODR_ERR_SYNTAX},
			{"{arbitration} seller_responsible seller_responsible", ODR_ERR_SYNTAX},
			{"{} under_5_usd=1", ODR_ERR_SYNTAX},
			{"{} feedback=2", ODR_ERR_INCONSISTENT},
			{"{} item=3", ODR_ERR_INCONSISTENT},
			{"{} shipping=1", ODR_ERR_INCONSISTENT},
			{"{negative_feedback} feedback=4", ODR_ERR_INCONSISTENT},
			{"{dsr_shipping} shipping=2", ODR_ERR_INCONSISTENT},
			{"{} seller_responsible", ODR_ERR_INCONSISTENT},
			{"{unshipped} seller_responsible", ODR_ERR_INCONSISTENT},
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			char		what[128];
			OdrStatus	st;

			memset(&err, 0, sizeof(err));
			d = 0xABCD;
			st = odr_defects_parse(bad[i].text, &d, &err);
			snprintf(what, sizeof(what), "odr_defects_parse(\"%s\")", bad[i].text);
			if (ok_status(st, bad[i].want, &err, what) && err.message[0] == '\0')
				diag("  (the error message is empty)");
		}
	}

	/* small buffers: the full length is returned, output stays terminated */
	{
		char		small[8];
		size_t		full,
					n;

		d = classify(2, 3, 0, 0, 0, 0, 0, 0, 0, 0);
		full = odr_defects_format(d, buf, sizeof(buf));
		memset(small, 'Z', sizeof(small));
		n = odr_defects_format(d, small, 5);
		ok(full == strlen(buf) && n == full && small[4] == '\0' && small[5] == 'Z' &&
		   strncmp(small, buf, 4) == 0,
		   "odr_defects_format into a short buffer truncates safely and returns the full length");
		d = 0x1FFFFF & ~(7u << 9 | 7u << 12 | 7u << 15 | 7u << 18);
		d |= 1u << 9 | 1u << 12 | 1u << 15 | 1u << 18;
		n = odr_defects_format(d, buf, sizeof(buf));
		ok(n < ODR_DEFECTS_TEXT_MAX && odr_defects_validate(d, NULL) == ODR_OK,
		   "the longest verdict text (%zu bytes) fits ODR_DEFECTS_TEXT_MAX", n);
	}
}

/* ------------------------------------------------------------------ */
/* odr_summary arithmetic                                               */
/* ------------------------------------------------------------------ */

static void
test_summary_arith(void)
{
	OdrSummary	s,
				empty,
				a,
				b,
				before;
	OdrError	err;
	enum
	{
	NSEQ = 3000};
	static OdrDefects seq[NSEQ];
	static int	perm[NSEQ];

	odr_summary_init(&empty);
	ok(empty.version == ODR_SUMMARY_VERSION && empty.flags == 0 && empty.orders == 0 &&
	   odr_summary_validate(&empty, &err) == ODR_OK, "odr_summary_init gives a valid empty summary");
	ok(sizeof(OdrSummary) == 8 + 8 * ODR_SUMMARY_NCOUNTS &&
	   &odr_summary_counts(&empty)[ODR_SUMMARY_NCOUNTS - 1] == &empty.dsr_count[2],
	   "OdrSummary has no padding; the count array view ends at dsr_count[2]");

	/* add N orders, validate at each step, remove them in a shuffled order */
	{
		bool		valid = true,
					matches = true;
		OdrSummary	ref;

		odr_summary_init(&s);
		odr_summary_init(&ref);
		for (int i = 0; i < NSEQ; i++)
		{
			OdrSummary	delta;

			seq[i] = random_verdict();
			perm[i] = i;
			if (odr_summary_add_order(&s, seq[i], &err) != ODR_OK ||
				odr_summary_validate(&s, &err) != ODR_OK)
			{
				if (valid)
					diag("  step %d (0x%x): %s", i, seq[i], err.message);
				valid = false;
			}
			oracle_delta(seq[i], &delta);
			odr_summary_add(&ref, &delta, NULL);
		}
		ok(valid, "adding %d random orders: each step succeeds and validates", NSEQ);
		matches = summary_eq(&s, &ref);
		if (!ok(matches, "the total equals the sum of the rules' per-order counts"))
		{
			diag_summary("got", &s);
			diag_summary("want", &ref);
		}
		ok(s.orders == NSEQ && s.defective > 0 && s.rated > 0 && s.positive > 0 &&
		   s.positive < s.rated && s.seller_responsible > 0 && s.dsr_count[2] > 0,
		   "the random stream exercises every count");
		for (int i = NSEQ - 1; i > 0; i--)
		{
			int			j = (int) rnd_below((uint64_t) i + 1);
			int			t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		valid = true;
		for (int i = 0; i < NSEQ; i++)
		{
			if (odr_summary_remove_order(&s, seq[perm[i]], &err) != ODR_OK ||
				odr_summary_validate(&s, &err) != ODR_OK)
			{
				if (valid)
					diag("  removal %d (0x%x): %s", i, seq[perm[i]], err.message);
				valid = false;
			}
		}
		ok(valid, "removing them in a shuffled order: each step succeeds and validates");
		if (!ok(summary_eq(&s, &empty), "... and ends at the empty summary"))
			diag_summary("got", &s);
	}
	ok(odr_summary_remove_order(&s, seq[0], &err) != ODR_OK && summary_eq(&s, &empty),
	   "removing an order from the empty summary fails and changes nothing");

	/* remove an order that was never added */
	odr_summary_init(&s);
	odr_summary_add_order(&s, classify(5, 5, 5, 5, 0, 0, 0, 0, 0, 0), NULL);
	odr_summary_add_order(&s, 1u << ODR_UNSHIPPED, NULL);
	before = s;
	ok(odr_summary_remove_order(&s, 1u << ODR_ARBITRATION, &err) != ODR_OK && summary_eq(&s, &before),
	   "removing an arbitration order that was never added fails, summary unchanged");
	ok(odr_summary_remove_order(&s, classify(1, 0, 0, 0, 0, 0, 0, 0, 0, 0), &err) != ODR_OK &&
	   summary_eq(&s, &before),
	   "removing a negative-feedback order that was never added fails, summary unchanged");
	/* (componentwise a part, but the rest would be inconsistent) */
	ok(odr_summary_remove_order(&s, classify(5, 4, 5, 5, 0, 0, 0, 0, 0, 0), &err) != ODR_OK &&
	   summary_eq(&s, &before),
	   "removing an item=4 order when only an item=5 one was added fails, summary unchanged");

	/* add(a, b) then subtract(b) == a; add is commutative; validity kept */
	{
		bool		inverse = true,
					comm = true,
					valid = true,
					overflow_ok = true;
		int			nsum = 0,
					noverflow = 0;

		for (int i = 0; i < 400; i++)
		{
			OdrSummary	ab,
						ba;

			a = random_summary();
			b = random_summary();
			ab = a;
			ba = b;
			if (odr_summary_add(&ab, &b, &err) != ODR_OK)
			{
				/* the sum passes INT64_MAX: an error that changes nothing */
				noverflow++;
				if (odr_summary_add(&ba, &a, NULL) != ODR_ERR_OVERFLOW ||
					!summary_eq(&ab, &a) || !summary_eq(&ba, &b))
					overflow_ok = false;
				continue;
			}
			nsum++;
			if (odr_summary_add(&ba, &a, &err) != ODR_OK)
				comm = false;
			if (odr_summary_validate(&ab, &err) != ODR_OK)
				valid = false;
			if (!summary_eq(&ab, &ba))
				comm = false;
			if (odr_summary_subtract(&ab, &b, &err) != ODR_OK || !summary_eq(&ab, &a))
			{
				if (inverse)
				{
					diag("  subtract: %s", err.message);
					diag_summary("a", &a);
					diag_summary("b", &b);
				}
				inverse = false;
			}
		}
		ok(nsum >= 100 && noverflow >= 20, "(setup) %d pairs sum in range, %d overflow", nsum, noverflow);
		ok(overflow_ok, "a sum past INT64_MAX is ODR_ERR_OVERFLOW both ways and changes neither operand");
		ok(valid, "the sum of two valid summaries is valid");
		ok(comm, "odr_summary_add is commutative");
		ok(inverse, "add(a, b) then subtract(b) gives a back");
	}
	{
		/* adding summaries == adding the orders of both */
		OdrSummary	x,
					y,
					all;
		bool		same;

		odr_summary_init(&x);
		odr_summary_init(&y);
		odr_summary_init(&all);
		for (int i = 0; i < 500; i++)
		{
			OdrDefects	v = random_verdict();

			odr_summary_add_order(i % 3 ? &x : &y, v, NULL);
			odr_summary_add_order(&all, v, NULL);
		}
		same = odr_summary_add(&x, &y, NULL) == ODR_OK && summary_eq(&x, &all);
		ok(same, "summing two partial summaries equals summarising all their orders (combine)");
		same = odr_summary_subtract(&all, &y, NULL) == ODR_OK &&
			odr_summary_subtract(&x, &y, NULL) == ODR_OK && summary_eq(&all, &x);
		ok(same, "and subtracting a part leaves the other part");
	}

	/* subtracting a non-part fails and leaves the left operand */
	a = summary_of(100, 5);
	b = summary_of(40, 20);
	before = a;
	ok_status(odr_summary_subtract(&a, &b, &err), ODR_ERR_RANGE, &err,
			  "subtract: (100, 5) - (40, 20) would make defective negative");
	ok(summary_eq(&a, &before), "  ... and the left operand is unchanged");
	b = summary_of(101, 0);
	ok(odr_summary_subtract(&a, &b, &err) != ODR_OK && summary_eq(&a, &before),
	   "subtract: more orders than there are fails, operand unchanged");
	ok(strstr(err.message, "orders") != NULL, "  ... and the message names the count (\"%s\")", err.message);
	/* componentwise smaller, but the difference is inconsistent */
	ok(odr_summary_parse("(orders=2,defective=2,unshipped=1,arbitration=1)", &a, NULL) == ODR_OK &&
	   odr_summary_parse("(orders=1)", &b, NULL) == ODR_OK, "(setup) two valid summaries");
	before = a;
	ok_status(odr_summary_subtract(&a, &b, &err), ODR_ERR_INCONSISTENT, &err,
			  "subtract: (orders 2, defective 2) - (orders 1, clean) leaves defective > orders");
	ok(summary_eq(&a, &before), "  ... and the left operand is unchanged");
	a = summary_of(10, 0);
	ok(odr_summary_subtract(&a, &a, NULL) == ODR_OK && summary_eq(&a, &empty),
	   "a - a is the empty summary");

	/* overflow */
	a = summary_of(INT64_MAX, 0);
	b = summary_of(1, 0);
	before = a;
	ok_status(odr_summary_add(&a, &b, &err), ODR_ERR_OVERFLOW, &err,
			  "add: orders INT64_MAX + 1");
	ok(summary_eq(&a, &before), "  ... and the left operand is unchanged");
	ok_status(odr_summary_add_order(&a, 0, &err), ODR_ERR_OVERFLOW, &err,
			  "add_order on orders INT64_MAX");
	ok(summary_eq(&a, &before), "  ... and the summary is unchanged");
	a = summary_of(INT64_MAX - 1, 0);
	ok(odr_summary_add_order(&a, 0, &err) == ODR_OK && a.orders == INT64_MAX &&
	   odr_summary_validate(&a, NULL) == ODR_OK,
	   "add_order on orders INT64_MAX - 1 reaches INT64_MAX exactly");
	/* a later count overflows: nothing, not even orders, may change */
	odr_summary_init(&a);
	a.orders = INT64_MAX - 10;
	a.dsr_count[0] = INT64_MAX / 5;
	a.dsr_sum[0] = 5 * (INT64_MAX / 5);		/* INT64_MAX - 2 */
	ok(odr_summary_validate(&a, &err) == ODR_OK, "(setup) a valid summary with dsr_item_sum INT64_MAX - 2");
	before = a;
	ok_status(odr_summary_add_order(&a, 5u << ODR_RATING_SHIFT_ITEM, &err), ODR_ERR_OVERFLOW, &err,
			  "add_order with item=5 overflows dsr_item_sum");
	ok(summary_eq(&a, &before), "  ... and no count changed (orders neither)");
	ok(strstr(err.message, "dsr_item_sum") != NULL, "  ... and the message names dsr_item_sum (\"%s\")",
	   err.message);
	ok(odr_summary_add_order(&a, 2u << ODR_RATING_SHIFT_ITEM, &err) == ODR_OK &&
	   a.dsr_sum[0] == INT64_MAX && a.orders == INT64_MAX - 9,
	   "add_order with item=2 fits exactly");
	a = summary_of(INT64_MAX, INT64_MAX);
	b = summary_of(INT64_MAX, INT64_MAX);
	before = a;
	ok(odr_summary_add(&a, &b, NULL) == ODR_ERR_OVERFLOW && summary_eq(&a, &before),
	   "add: INT64_MAX + INT64_MAX overflows, operand unchanged (err = NULL)");
	a = summary_of(INT64_MAX, INT64_MAX);
	a.reason[ODR_UNSHIPPED] = INT64_MAX - 1;
	a.reason[ODR_ARBITRATION] = INT64_MAX - 1;
	ok(odr_summary_validate(&a, &err) == ODR_OK,
	   "reason counts whose total passes INT64_MAX validate (no overflow in the check)");

	/*
	 * Fast path and slow path of odr_summary_add_order.  For every valid
	 * verdict: from a base just below INT64_MAX / 8 (fast path), at it and
	 * far above it (slow path), the result must be base + the rules' delta.
	 */
	{
		static const int64_t bases[] = {
			0, INT64_MAX / 8 - 1, INT64_MAX / 8, INT64_MAX / 8 + 1, INT64_MAX / 2,
			INT64_MAX - 1
		};

		for (size_t bi = 0; bi < sizeof(bases) / sizeof(bases[0]); bi++)
		{
			bool		same = true,
						back = true;
			OdrSummary	base;

			odr_summary_init(&base);
			base.orders = bases[bi];
			for (size_t i = 0; i < nall_valid; i++)
			{
				OdrSummary	got = base,
							want = base,
							delta;

				oracle_delta(all_valid[i], &delta);
				odr_summary_add(&want, &delta, NULL);
				if (odr_summary_add_order(&got, all_valid[i], &err) != ODR_OK ||
					!summary_eq(&got, &want))
				{
					if (same)
					{
						diag("  verdict 0x%x", all_valid[i]);
						diag_summary("got", &got);
						diag_summary("want", &want);
					}
					same = false;
				}
				if (odr_summary_remove_order(&got, all_valid[i], &err) != ODR_OK ||
					!summary_eq(&got, &base))
					back = false;
			}
			ok(same, "add_order from orders=%lld (%s path) = base + the rules' delta, all %zu valid verdicts",
			   (long long) bases[bi], bases[bi] < INT64_MAX / 8 ? "fast" : "slow", nall_valid);
			ok(back, "  ... and remove_order takes each one back");
		}
	}
	{
		/* a non-trivial base: the same stream added on both sides of INT64_MAX / 8 */
		OdrSummary	lo,
					hi,
					lo2,
					hi2,
					shift;
		bool		same = true;

		odr_summary_init(&shift);
		shift.orders = INT64_MAX / 8;
		odr_summary_init(&lo);
		for (int i = 0; i < 300; i++)
			odr_summary_add_order(&lo, random_verdict(), NULL);
		hi = lo;
		odr_summary_add(&hi, &shift, NULL);		/* hi takes the slow path */
		for (int i = 0; i < 2000; i++)
		{
			OdrDefects	v = random_verdict();

			odr_summary_add_order(&lo, v, NULL);
			odr_summary_add_order(&hi, v, NULL);
			lo2 = lo;
			odr_summary_add(&lo2, &shift, NULL);
			hi2 = hi;
			if (!summary_eq(&lo2, &hi2))
				same = false;
		}
		ok(same, "a 2000-order stream gives the same counts on the fast and the slow path");
	}
}

/* ------------------------------------------------------------------ */
/* odr_summary text and binary forms, JSON                              */
/* ------------------------------------------------------------------ */

static bool
json_plausible(const char *j)
{
	int			depth = 0;
	bool		in_str = false;
	size_t		len = strlen(j);

	if (len < 2 || j[0] != '{' || j[len - 1] != '}')
		return false;
	for (size_t i = 0; i < len; i++)
	{
		char		c = j[i];

		if (in_str)
		{
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
		{
			if (--depth < 0)
				return false;
			if (depth == 0 && i != len - 1)
				return false;
		}
		else if (c == 'n' && strncmp(j + i, "nan", 3) == 0)
			return false;
		else if (c == 'i' && strncmp(j + i, "inf", 3) == 0)
			return false;
	}
	return depth == 0 && !in_str && strstr(j, ",}") == NULL && strstr(j, ",,") == NULL;
}

static void
test_summary_io(void)
{
	char		buf[ODR_SUMMARY_TEXT_MAX],
				buf2[ODR_SUMMARY_TEXT_MAX];
	char		json[ODR_SUMMARY_JSON_MAX];
	OdrSummary	s,
				s2,
				empty;
	OdrError	err;
	unsigned char wire[ODR_SUMMARY_WIRE_SIZE];

	odr_summary_init(&empty);
	odr_summary_format(&empty, buf, sizeof(buf));
	if (!ok(strcmp(buf, "(orders=0,defective=0)") == 0,
			"the empty summary prints orders and defective only"))
		diag("  got \"%s\"", buf);
	s = summary_of(100, 5);
	odr_summary_format(&s, buf, sizeof(buf));
	if (!ok(strcmp(buf, "(orders=100,defective=5,unshipped=5)") == 0,
			"zero counts other than orders and defective are left out"))
		diag("  got \"%s\"", buf);
	{
		int64_t    *c = odr_summary_counts(&s);

		odr_summary_init(&s);
		for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
			c[i] = 10 + i;
		odr_summary_format(&s, buf, sizeof(buf));
		if (!ok(strcmp(buf, "(orders=10,defective=11,negative_feedback=12,dsr_item=13,"
					   "dsr_communication=14,dsr_shipping=15,unshipped=16,arbitration=17,"
					   "dispute_timeout=18,seller_responsible=19,rated=20,positive=21,"
					   "dsr_item_sum=22,dsr_communication_sum=23,dsr_shipping_sum=24,"
					   "dsr_item_ratings=25,dsr_communication_ratings=26,dsr_shipping_ratings=27)") == 0,
				"non-zero counts print in the documented (struct) order"))
			diag("  got \"%s\"", buf);
	}
	ok(odr_summary_parse("()", &s, &err) == ODR_OK && summary_eq(&s, &empty),
	   "\"()\" parses to the empty summary");
	ok(odr_summary_parse(" ( orders = 3 ,\tdefective=1 , arbitration = 1 ) \n", &s, &err) == ODR_OK &&
	   s.orders == 3 && s.defective == 1 && s.reason[ODR_ARBITRATION] == 1,
	   "spaces around everything; missing counts are 0");
	ok(odr_summary_parse("(dsr_shipping_ratings=1,dsr_shipping_sum=4,orders=1)", &s, &err) == ODR_OK &&
	   s.orders == 1 && s.dsr_sum[2] == 4 && s.dsr_count[2] == 1,
	   "counts in any order");
	ok(odr_summary_parse("(orders=9223372036854775807)", &s, &err) == ODR_OK && s.orders == INT64_MAX,
	   "orders = INT64_MAX parses");
	ok(odr_summary_parse("(orders=-0)", &s, &err) == ODR_OK && s.orders == 0, "\"-0\" is 0");

	/* round trips for random valid summaries */
	{
		bool		rt = true,
					canon = true,
					bin = true,
					jsonok = true,
					fits = true;

		for (int i = 0; i < 1500; i++)
		{
			size_t		n;

			s = random_summary();
			if (odr_summary_validate(&s, &err) != ODR_OK)
			{
				diag("  generator made an invalid summary: %s", err.message);
				rt = false;
				continue;
			}
			n = odr_summary_format(&s, buf, sizeof(buf));
			if (n != strlen(buf) || n >= ODR_SUMMARY_TEXT_MAX)
				fits = false;
			if (odr_summary_parse(buf, &s2, &err) != ODR_OK || !summary_eq(&s, &s2))
			{
				if (rt)
					diag("  \"%s\": %s", buf, err.message);
				rt = false;
				continue;
			}
			odr_summary_format(&s2, buf2, sizeof(buf2));
			if (strcmp(buf, buf2) != 0)
				canon = false;
			odr_summary_encode(&s, wire);
			memset(&s2, 0x55, sizeof(s2));
			if (odr_summary_decode(wire, sizeof(wire), &s2, &err) != ODR_OK || !summary_eq(&s, &s2))
				bin = false;
			n = odr_summary_format_json(&s, json, sizeof(json));
			if (n != strlen(json) || !json_plausible(json))
			{
				if (jsonok)
					diag("  %s", json);
				jsonok = false;
			}
		}
		ok(rt, "odr_summary: parse(format(s)) == s for 1500 random valid summaries");
		ok(canon, "odr_summary: format(parse(t)) == t for their texts");
		ok(fits, "odr_summary: formatted length is returned and fits ODR_SUMMARY_TEXT_MAX");
		ok(bin, "odr_summary: decode(encode(s)) == s");
		ok(jsonok, "odr_summary: JSON of each is balanced, starts with '{', has no nan/inf");
	}
	{
		/* the largest possible text */
		int64_t    *c = odr_summary_counts(&s);

		odr_summary_init(&s);
		for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
			c[i] = INT64_MAX;
		size_t		tn = odr_summary_format(&s, buf, sizeof(buf));
		size_t		jn = odr_summary_format_json(&s, json, sizeof(json));

		ok(tn < ODR_SUMMARY_TEXT_MAX && tn == strlen(buf) && buf[tn - 1] == ')',
		   "all counts at INT64_MAX still fit ODR_SUMMARY_TEXT_MAX (%zu bytes)", tn);
		ok(jn < ODR_SUMMARY_JSON_MAX && jn == strlen(json) && json_plausible(json),
		   "... and ODR_SUMMARY_JSON_MAX (%zu bytes)", jn);
	}
	{
		char		small[16];
		size_t		full;

		s = summary_of(100, 5);
		full = odr_summary_format(&s, buf, sizeof(buf));
		memset(small, 'Z', sizeof(small));
		ok(odr_summary_format(&s, small, 10) == full && small[9] == '\0' && small[10] == 'Z' &&
		   strncmp(small, buf, 9) == 0,
		   "odr_summary_format into a short buffer truncates safely and returns the full length");
		memset(small, 'Z', sizeof(small));
		ok(odr_summary_format_json(&s, small, 10) > 10 && small[9] == '\0' && small[10] == 'Z',
		   "odr_summary_format_json into a short buffer truncates safely");
	}

	/* parse errors */
	{
		static const struct
		{
			const char *text;
			OdrStatus	want;
		}			bad[] = {
			{"", ODR_ERR_SYNTAX},
			{"orders=1", ODR_ERR_SYNTAX},
			{"(", ODR_ERR_SYNTAX},
			{"(orders=1", ODR_ERR_SYNTAX},
			{"(orders=1,", ODR_ERR_SYNTAX},
			{"(orders=1,)", ODR_ERR_SYNTAX},
			{"(,orders=1)", ODR_ERR_SYNTAX},
			{"(orders)", ODR_ERR_SYNTAX},
			{"(orders=)", ODR_ERR_SYNTAX},
			{"(orders=a)", ODR_ERR_SYNTAX},
			{"(orders=1.5)", ODR_ERR_SYNTAX},
			{"(orders=1;defective=0)", ODR_ERR_SYNTAX},
			{"(orders 1)", ODR_ERR_SYNTAX},
			{"(x=1)", ODR_ERR_SYNTAX},
			{"(Orders=1)", ODR_ERR_SYNTAX},
			{"(order=1)", ODR_ERR_SYNTAX},
			{"(orders=1,orders=1)", ODR_ERR_SYNTAX},
			{"(orders=2,defective=0,orders=2)", ODR_ERR_SYNTAX},
			{"(orders=1) x", ODR_ERR_SYNTAX},
			{"(orders=1))", ODR_ERR_SYNTAX},
			{"(orders=1)(orders=1)", ODR_ERR_SYNTAX},
			{"(orders=-1)", ODR_ERR_RANGE},
			{"(orders=5,rated=-3)", ODR_ERR_RANGE},
			{"(orders=9223372036854775808)", ODR_ERR_RANGE},
			{"(orders=18446744073709551615)", ODR_ERR_RANGE},
			{"(orders=18446744073709551616)", ODR_ERR_RANGE},
			{"(orders=99999999999999999999999999999)", ODR_ERR_RANGE},
			{"(orders=-9223372036854775808)", ODR_ERR_RANGE},
			{"(orders=1,defective=2,unshipped=2)", ODR_ERR_INCONSISTENT},
			{"(orders=1,defective=1)", ODR_ERR_INCONSISTENT},
			{"(orders=3,defective=1,unshipped=2)", ODR_ERR_INCONSISTENT},
			{"(orders=1,defective=1,arbitration=1,seller_responsible=2)", ODR_ERR_INCONSISTENT},
			{"(orders=1,rated=2,positive=1)", ODR_ERR_INCONSISTENT},
			{"(orders=1,rated=1,positive=2)", ODR_ERR_INCONSISTENT},
			{"(orders=1,dsr_item_sum=6,dsr_item_ratings=1)", ODR_ERR_INCONSISTENT},
			{"(orders=1,dsr_item_sum=0,dsr_item_ratings=1)", ODR_ERR_INCONSISTENT},
			{"(orders=1,dsr_shipping_sum=3)", ODR_ERR_INCONSISTENT},
			{"(orders=1,dsr_communication_ratings=2,dsr_communication_sum=2)", ODR_ERR_INCONSISTENT},
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			char		what[160];

			memset(&err, 0, sizeof(err));
			snprintf(what, sizeof(what), "odr_summary_parse(\"%s\")", bad[i].text);
			ok_status(odr_summary_parse(bad[i].text, &s, &err), bad[i].want, &err, what);
		}
	}
	ok(odr_summary_parse("(orders=2,defective=1,arbitration=1,seller_responsible=1,rated=2,positive=1,"
						 "dsr_item_sum=10,dsr_item_ratings=2)", &s, &err) == ODR_OK,
	   "a summary exactly on every bound (dsr sum = 5 x ratings) is valid");
	s2 = s;
	s2.version = 2;
	ok_status(odr_summary_validate(&s2, &err), ODR_ERR_SYNTAX, &err, "validate: version 2");
	s2 = s;
	s2.flags = 1;
	ok_status(odr_summary_validate(&s2, &err), ODR_ERR_SYNTAX, &err, "validate: flags set");

	/* binary */
	odr_summary_init(&s);
	s.orders = INT64_C(0x0102030405060708);
	odr_summary_encode(&s, wire);
	ok(wire[0] == 0 && wire[1] == 0 && wire[2] == 0 && wire[3] == 1 &&
	   wire[4] == 0 && wire[7] == 0 && wire[8] == 1 && wire[9] == 2 && wire[15] == 8 &&
	   wire[16] == 0 && wire[ODR_SUMMARY_WIRE_SIZE - 1] == 0,
	   "binary: version 1 and counts are big-endian, in text order");
	ok(ODR_SUMMARY_WIRE_SIZE == 152, "binary: the wire size is 8 + 18 x 8 = 152 bytes");
	s = summary_of(1000, 17);
	s.reason[ODR_ARBITRATION] = 3;
	s.seller_responsible = 2;
	s.rated = 500;
	s.positive = 480;
	s.dsr_sum[1] = 1000;
	s.dsr_count[1] = 300;
	ok(odr_summary_validate(&s, &err) == ODR_OK, "(setup) a valid summary");
	odr_summary_encode(&s, wire);
	ok(odr_summary_decode(wire, sizeof(wire), &s2, &err) == ODR_OK && summary_eq(&s, &s2),
	   "binary: round trip");
	{
		unsigned char w2[ODR_SUMMARY_WIRE_SIZE + 8];

		memcpy(w2, wire, sizeof(wire));
		memset(w2 + sizeof(wire), 0, 8);
		ok_status(odr_summary_decode(wire, sizeof(wire) - 1, &s2, &err), ODR_ERR_SYNTAX, &err,
				  "binary: one byte short");
		ok_status(odr_summary_decode(w2, sizeof(wire) + 1, &s2, &err), ODR_ERR_SYNTAX, &err,
				  "binary: one byte long");
		ok_status(odr_summary_decode(w2, sizeof(wire) + 8, &s2, &err), ODR_ERR_SYNTAX, &err,
				  "binary: eight bytes long");
		ok_status(odr_summary_decode(wire, 3, &s2, &err), ODR_ERR_SYNTAX, &err,
				  "binary: 3 bytes (no room for the version)");
		ok_status(odr_summary_decode(wire, 0, &s2, &err), ODR_ERR_SYNTAX, &err,
				  "binary: 0 bytes");
		ok_status(odr_summary_decode(wire, 8, &s2, &err), ODR_ERR_SYNTAX, &err,
				  "binary: header only");
	}
	wire[3] = 2;
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_SYNTAX, &err,
			  "binary: version 2");
	wire[3] = 0;
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_SYNTAX, &err,
			  "binary: version 0");
	wire[0] = 1;
	wire[3] = 1;
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_SYNTAX, &err,
			  "binary: version 0x01000001 (byte order matters)");
	odr_summary_encode(&s, wire);
	wire[7] = 1;
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_SYNTAX, &err,
			  "binary: reserved flags set");
	odr_summary_encode(&s, wire);
	wire[8] = 0x80;				/* orders negative */
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_RANGE, &err,
			  "binary: a negative count");
	s2 = s;
	s2.defective = s.orders + 1;
	odr_summary_encode(&s2, wire);
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_INCONSISTENT, &err,
			  "binary: defective > orders");
	s2 = s;
	s2.positive = s.rated + 1;
	odr_summary_encode(&s2, wire);
	ok_status(odr_summary_decode(wire, sizeof(wire), &s2, &err), ODR_ERR_INCONSISTENT, &err,
			  "binary: positive > rated");

	/* JSON */
	odr_summary_format_json(&empty, json, sizeof(json));
	ok(json_plausible(json), "JSON of the empty summary is balanced and starts with '{'");
	ok(strstr(json, "\"odr\": null") != NULL, "A15: JSON of the empty summary has \"odr\": null");
	ok(strstr(json, "\"positive_feedback_rate\": null") != NULL &&
	   strstr(json, "\"seller_responsible_arbitration_rate\": null") != NULL &&
	   strstr(json, "\"average\": null") != NULL,
	   "A16: undefined rates and averages are null in JSON");
	s = summary_of(100, 5);
	s.rated = 4;
	s.positive = 3;
	odr_summary_format_json(&s, json, sizeof(json));
	ok(json_plausible(json) && strstr(json, "\"orders\": 100") != NULL &&
	   strstr(json, "\"odr\": 0.05") != NULL && strstr(json, "\"unshipped\": 5") != NULL &&
	   strstr(json, "\"positive_feedback_rate\": 0.75") != NULL,
	   "JSON of 100 orders / 5 defects: \"odr\": 0.05, counts and rates present");
	if (ntests && !strstr(json, "\"odr\": 0.05"))
		diag("  %s", json);
}

/* ------------------------------------------------------------------ */
/* Metrics                                                              */
/* ------------------------------------------------------------------ */

static void
test_metrics(void)
{
	OdrSummary	s;
	double		v = -7;
	bool		all = true;

	odr_summary_init(&s);
	for (int m = 0; m < ODR_NMETRICS; m++)
	{
		bool		defined = odr_summary_metric(&s, (OdrMetric) m, &v);
		bool		want = m == ODR_METRIC_ORDERS || m == ODR_METRIC_DEFECTIVE;

		if (defined != want)
		{
			all = false;
			diag("  %s: defined=%d", odr_metric_names[m], defined);
		}
	}
	ok(all, "A15/A16: on no orders every rate and average is undefined; counts are defined");
	ok(odr_summary_metric(&s, ODR_METRIC_ORDERS, &v) && v == 0.0, "orders of the empty summary is 0");
	s = summary_of(200, 6);
	ok(odr_summary_metric(&s, ODR_METRIC_ODR, &v) && v == 0.03, "A15: ODR = 6 / 200 = 0.03");
	ok(!odr_summary_metric(&s, ODR_METRIC_POSITIVE_RATE, &v), "A16: no counted rating: positive rate undefined");
	ok(!odr_summary_metric(&s, ODR_METRIC_DSR_ITEM, &v) &&
	   !odr_summary_metric(&s, ODR_METRIC_DSR_COMMUNICATION, &v) &&
	   !odr_summary_metric(&s, ODR_METRIC_DSR_SHIPPING, &v),
	   "A16: no DSR ratings: averages undefined");
	ok(odr_summary_metric(&s, ODR_METRIC_SELLER_RESP_RATE, &v) && v == 0.0,
	   "A16: seller-responsibility rate over orders is 0 with no rulings");
	ok(odr_summary_metric(&s, ODR_METRIC_DEFECTIVE, &v) && v == 6.0, "defective = 6");

	/* from real orders */
	odr_summary_init(&s);
	odr_summary_add_order(&s, classify(5, 4, 5, 2, 0, 0, 0, 0, 0, 0), NULL);
	odr_summary_add_order(&s, classify(2, 3, 0, 1, 0, 1, 0, 0, 1, 0), NULL);
	odr_summary_add_order(&s, classify(4, 0, 0, 0, 0, 0, 0, 0, 0, 1), NULL);	/* under $5 */
	odr_summary_add_order(&s, classify(5, 5, 5, 5, 1, 0, 0, 1, 0, 0), NULL);	/* A13 */
	ok(odr_summary_metric(&s, ODR_METRIC_ODR, &v) && v == 0.5, "A15: 2 defective of 4 orders: 0.5");
	ok(odr_summary_metric(&s, ODR_METRIC_SELLER_RESP_RATE, &v) && v == 0.25,
	   "A16: 1 ruling against the seller of 4 orders: 0.25");
	ok(odr_summary_metric(&s, ODR_METRIC_POSITIVE_RATE, &v) && v == 0.5,
	   "A16: positive rate 1/2 (under-$5 and A13 ratings are not counted)");
	ok(s.rated == 2 && s.positive == 1, "A16: rated 2, positive 1");
	ok(odr_summary_metric(&s, ODR_METRIC_DSR_ITEM, &v) && v == 3.5 &&
	   odr_summary_metric(&s, ODR_METRIC_DSR_COMMUNICATION, &v) && v == 5.0 &&
	   odr_summary_metric(&s, ODR_METRIC_DSR_SHIPPING, &v) && v == 1.5,
	   "A16: DSR averages item 3.5, communication 5, shipping 1.5");
	ok(!odr_summary_metric(&s, ODR_NMETRICS, &v), "an out-of-range metric is undefined");
}

/* ------------------------------------------------------------------ */
/* Tiers and policies (A4, A17)                                         */
/* ------------------------------------------------------------------ */

/* The default tier computed exactly, in integers (A4, A17). */
static OdrTier
oracle_default_tier(int64_t n, int64_t d)
{
	/* d / n < c  <=>  100 d < c% n; use 128-bit products */
	__int128	dd = d,
				nn = n;

	if (n < 90 || n <= 0)
		return ODR_TIER_UNASSESSED;
	if (100 * dd < 3 * nn)
		return ODR_TIER_EXCELLENT;
	if (100 * dd < 6 * nn)
		return ODR_TIER_GOOD;
	if (100 * dd < 12 * nn)
		return ODR_TIER_PASS;
	return ODR_TIER_FAIL;
}

static void
test_tiers(void)
{
	OdrPolicy	p,
				q;
	OdrSummary	s;
	OdrError	err;
	static const struct
	{
		int64_t		n,
					d;
		OdrTier		t;
	}			cases[] = {
		{0, 0, ODR_TIER_UNASSESSED},
		{1, 0, ODR_TIER_UNASSESSED},
		{89, 0, ODR_TIER_UNASSESSED},
		{89, 89, ODR_TIER_UNASSESSED},
		{90, 0, ODR_TIER_EXCELLENT},
		{90, 90, ODR_TIER_FAIL},
		{100, 0, ODR_TIER_EXCELLENT},
		{100, 2, ODR_TIER_EXCELLENT},
		{100, 3, ODR_TIER_GOOD},
		{100, 5, ODR_TIER_GOOD},
		{100, 6, ODR_TIER_PASS},
		{100, 11, ODR_TIER_PASS},
		{100, 12, ODR_TIER_FAIL},
		{100, 100, ODR_TIER_FAIL},
		{200, 6, ODR_TIER_GOOD},
		{200, 5, ODR_TIER_EXCELLENT},
		{300, 18, ODR_TIER_PASS},
		{300, 36, ODR_TIER_FAIL},
		{1000, 29, ODR_TIER_EXCELLENT},
		{1000, 30, ODR_TIER_GOOD},
		{1000, 119, ODR_TIER_PASS},
		{1000, 120, ODR_TIER_FAIL},
		{INT64_C(100000000000000), INT64_C(3000000000000), ODR_TIER_GOOD},
		{INT64_C(100000000000000), INT64_C(2999999999999), ODR_TIER_EXCELLENT},
	};

	odr_policy_default(&p);
	ok(odr_policy_validate(&p, &err) == ODR_OK && p.min_orders == 90 && p.ncond == 0 &&
	   p.below[ODR_TIER_EXCELLENT] == 0.03 && p.below[ODR_TIER_GOOD] == 0.06 &&
	   p.below[ODR_TIER_PASS] == 0.12,
	   "A4/A17: the default policy is valid: 90 orders, 3%% / 6%% / 12%%, no conditions");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		OdrTier		got;

		s = summary_of(cases[i].n, cases[i].d);
		got = odr_policy_tier(&p, &s);
		if (!ok(got == cases[i].t, "A4/A17: %lld orders, %lld defects -> %s",
				(long long) cases[i].n, (long long) cases[i].d, odr_tier_names[cases[i].t]))
			diag("  got %s", odr_tier_names[got]);
	}
	{
		bool		all = true;

		for (int i = 0; i < 20000; i++)
		{
			int64_t		n = (int64_t) rnd_below(i < 10000 ? 5000 : INT64_C(1) << 40);
			int64_t		d = (int64_t) rnd_below((uint64_t) n / (1 + rnd() % 8) + 1);
			OdrTier		got,
						want;

			/* half of them exactly on or next to a cut-off */
			if ((i & 1) && n >= 100)
			{
				int64_t		cut[3] = {3, 6, 12};
				int64_t		c = cut[rnd() % 3];

				n -= n % 100;
				d = n / 100 * c + (int64_t) (rnd() % 3) - 1;
			}
			s = summary_of(n, d);
			got = odr_policy_tier(&p, &s);
			want = oracle_default_tier(n, d);
			if (got != want)
			{
				if (all)
					diag("  %lld/%lld: got %s want %s", (long long) n, (long long) d,
						 odr_tier_names[got], odr_tier_names[want]);
				all = false;
			}
		}
		ok(all, "A17: 20000 random summaries (half on or next to a cut-off) match exact integer tiers");
	}
	{
		/*
		 * The rate as a double at very large counts.  Both counts are below
		 * 2^53 (exact as doubles) and 100 d = 3 n - 1, so d / n is just below
		 * 3%, but the quotient rounds to the double 0.03.  By design the tier
		 * follows the double rate that odr_rate() returns (so odr_tier and
		 * "odr_rate(s) < 0.03" never disagree): good here.  Below about 10^15
		 * orders no rounding can carry a rate across a cut-off, which the
		 * exact integer oracle above checks.
		 */
		int64_t		n = INT64_C(3520000000000067);
		int64_t		d = INT64_C(105600000000002);
		OdrTier		got;
		double		rate = (double) d / (double) n;

		s = summary_of(n, d);
		got = odr_policy_tier(&p, &s);
		ok(oracle_default_tier(n, d) == ODR_TIER_EXCELLENT && rate == 0.03 && got == ODR_TIER_GOOD,
		   "A17: at 3.5e15 orders the tier follows the double rate odr_rate() returns (documented)");
	}

	/* conditions */
	odr_policy_default(&q);
	q.ncond = 1;
	q.cond[0].tier = ODR_TIER_EXCELLENT;
	q.cond[0].metric = ODR_METRIC_SELLER_RESP_RATE;
	q.cond[0].bound = ODR_BOUND_MAX;
	q.cond[0].value = 0.005;
	ok(odr_policy_validate(&q, &err) == ODR_OK, "(setup) a policy capping the ruling rate for excellent");
	s = summary_of(1000, 10);
	s.reason[ODR_ARBITRATION] = 10;
	s.seller_responsible = 10;
	ok(odr_policy_tier(&p, &s) == ODR_TIER_EXCELLENT, "A17: 10 rulings in 1000 orders is excellent by default");
	ok(odr_policy_tier(&q, &s) == ODR_TIER_GOOD,
	   "A17: a MAX 0.005 condition on the ruling rate guarding excellent demotes 1%% to good");
	s.seller_responsible = 5;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_EXCELLENT, "A17: exactly on a MAX bound meets it (0.005 <= 0.005)");
	s.seller_responsible = 6;
	q.cond[0].tier = ODR_TIER_GOOD;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_PASS,
	   "A17: a condition guarding good also guards excellent (demotes to pass)");
	q.cond[0].tier = ODR_TIER_PASS;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_FAIL, "A17: a condition guarding pass failing gives fail");
	s = summary_of(80, 0);
	s.reason[ODR_ARBITRATION] = 0;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_UNASSESSED, "A4: conditions do not assess a small seller");
	odr_policy_default(&q);
	q.ncond = 1;
	q.cond[0].tier = ODR_TIER_EXCELLENT;
	q.cond[0].metric = ODR_METRIC_POSITIVE_RATE;
	q.cond[0].bound = ODR_BOUND_MIN;
	q.cond[0].value = 0.9;
	s = summary_of(1000, 10);
	ok(odr_policy_tier(&q, &s) == ODR_TIER_EXCELLENT,
	   "A17: an undefined metric (no ratings) does not block a condition");
	s.rated = 100;
	s.positive = 89;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_GOOD, "A17: MIN positive rate 0.9 with 0.89: good");
	s.positive = 90;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_EXCELLENT, "A17: exactly on a MIN bound meets it");
	q.ncond = 2;
	q.cond[1].tier = ODR_TIER_GOOD;
	q.cond[1].metric = ODR_METRIC_DSR_SHIPPING;
	q.cond[1].bound = ODR_BOUND_MIN;
	q.cond[1].value = 4.5;
	s.dsr_sum[2] = 40;
	s.dsr_count[2] = 10;
	ok(odr_policy_tier(&q, &s) == ODR_TIER_PASS, "A17: several conditions must all hold");

	/* policy validation */
	q = p;
	q.below[ODR_TIER_GOOD] = 0.01;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: good < excellent cut-off");
	q = p;
	q.below[ODR_TIER_PASS] = 0.05;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: pass < good cut-off");
	q = p;
	q.below[ODR_TIER_PASS] = 1.5;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: a cut-off above 1");
	q = p;
	q.below[ODR_TIER_EXCELLENT] = -0.01;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: a negative cut-off");
	q = p;
	q.below[ODR_TIER_GOOD] = NAN;
	ok(odr_policy_validate(&q, &err) != ODR_OK, "policy: a NaN cut-off is rejected");
	q = p;
	q.below[ODR_TIER_EXCELLENT] = NAN;
	ok(odr_policy_validate(&q, &err) != ODR_OK, "policy: a NaN excellent cut-off is rejected");
	q = p;
	q.below[ODR_TIER_PASS] = NAN;
	ok(odr_policy_validate(&q, &err) != ODR_OK, "policy: a NaN pass cut-off is rejected");
	q = p;
	q.below[ODR_TIER_EXCELLENT] = q.below[ODR_TIER_GOOD] = q.below[ODR_TIER_PASS] = 0.05;
	ok(odr_policy_validate(&q, &err) == ODR_OK, "policy: equal cut-offs are allowed");
	q.below[ODR_TIER_EXCELLENT] = 0;
	q.below[ODR_TIER_GOOD] = 0;
	q.below[ODR_TIER_PASS] = 1;
	ok(odr_policy_validate(&q, &err) == ODR_OK, "policy: cut-offs 0 and 1 are allowed");
	q = p;
	q.min_orders = -1;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_RANGE, &err, "policy: min_orders -1");
	q.min_orders = 0;
	ok(odr_policy_validate(&q, &err) == ODR_OK, "policy: min_orders 0 is allowed");
	s = summary_of(0, 0);
	ok(odr_policy_tier(&q, &s) == ODR_TIER_UNASSESSED, "A15: min_orders 0 still leaves 0 orders unassessed");
	s = summary_of(1, 0);
	ok(odr_policy_tier(&q, &s) == ODR_TIER_EXCELLENT, "A4: min_orders 0 assesses 1 order");
	q = p;
	q.ncond = 1;
	q.cond[0].tier = ODR_TIER_FAIL;
	q.cond[0].metric = ODR_METRIC_ODR;
	q.cond[0].bound = ODR_BOUND_MAX;
	q.cond[0].value = 0.5;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: a condition on tier fail");
	q.cond[0].tier = ODR_TIER_UNASSESSED;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: a condition on tier unassessed");
	q.cond[0].tier = (OdrTier) 7;
	ok(odr_policy_validate(&q, &err) != ODR_OK, "policy: a condition on tier 7 is rejected");
	q.cond[0].tier = ODR_TIER_PASS;
	ok(odr_policy_validate(&q, &err) == ODR_OK, "policy: a condition on pass is allowed");
	q.cond[0].value = NAN;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_RANGE, &err, "policy: a NaN condition value");
	q.cond[0].value = INFINITY;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_RANGE, &err, "policy: an infinite condition value");
	q.cond[0].value = 0.5;
	q.cond[0].metric = (OdrMetric) ODR_NMETRICS;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_UNKNOWN_NAME, &err, "policy: an unknown metric");
	q.cond[0].metric = ODR_METRIC_ODR;
	q.cond[0].bound = (OdrBound) 2;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_INCONSISTENT, &err, "policy: an unknown bound");
	q = p;
	q.ncond = ODR_MAX_CONDITIONS + 1;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_RANGE, &err, "policy: too many conditions");
	q.ncond = -1;
	ok_status(odr_policy_validate(&q, &err), ODR_ERR_RANGE, &err, "policy: a negative condition count");
}

/* ------------------------------------------------------------------ */
/* Distance to the next tier (A18)                                      */
/* ------------------------------------------------------------------ */

/* The summary with k more defect-free orders / j defects made defect-free. */
static OdrSummary
with_more_orders(const OdrSummary *s, int64_t k)
{
	OdrSummary	t = *s;

	t.orders += k;
	return t;
}

static OdrSummary
with_fewer_defects(const OdrSummary *s, int64_t j)
{
	OdrSummary	t = *s;

	/* all defects are unshipped orders in these summaries */
	t.defective -= j;
	t.reason[ODR_UNSHIPPED] -= j;
	return t;
}

/* j defects made defect-free, the ones ruled against the seller first (A18) */
static OdrSummary
with_fewer_ruled_defects(const OdrSummary *s, int64_t j)
{
	OdrSummary	t = *s;
	int64_t		ruled = j < s->seller_responsible ? j : s->seller_responsible;

	t.defective -= j;
	t.seller_responsible -= ruled;
	t.reason[ODR_ARBITRATION] -= ruled;
	t.reason[ODR_UNSHIPPED] -= j;
	return t;
}

static bool
check_distance(const OdrPolicy *p, const OdrSummary *s, const char **why)
{
	OdrDistance dist;
	OdrTier		cur = odr_policy_tier(p, s);
	bool		r = odr_policy_to_next(p, s, &dist);
	OdrSummary	t;

	*why = "";
	if (dist.current != cur)
		return *why = "current is not the tier", false;
	if (!r)
		return cur == ODR_TIER_EXCELLENT ? true : (*why = "false below excellent", false);
	if (cur == ODR_TIER_EXCELLENT)
		return *why = "true at excellent", false;
	if (dist.next != cur + 1)
		return *why = "next is not the tier above", false;
	if (dist.more_orders >= 0)
	{
		if (dist.more_orders < 1)
			return *why = "more_orders < 1", false;
		t = with_more_orders(s, dist.more_orders);
		if (odr_policy_tier(p, &t) < dist.next)
			return *why = "more_orders does not reach the next tier", false;
		t = with_more_orders(s, dist.more_orders - 1);
		if (odr_policy_tier(p, &t) >= dist.next)
			return *why = "more_orders - 1 already reaches it (not minimal)", false;
	}
	else
	{
		if (dist.more_orders != -1)
			return *why = "more_orders below -1", false;
		t = with_more_orders(s, s->orders * 1000 + 100000);
		if (odr_policy_tier(p, &t) >= dist.next)
			return *why = "more_orders -1 but many more orders reach it", false;
	}
	if (dist.fewer_defects >= 0)
	{
		if (dist.fewer_defects < 1 || dist.fewer_defects > s->defective)
			return *why = "fewer_defects outside 1..defective", false;
		t = with_fewer_defects(s, dist.fewer_defects);
		if (odr_policy_tier(p, &t) < dist.next)
			return *why = "fewer_defects does not reach the next tier", false;
		t = with_fewer_defects(s, dist.fewer_defects - 1);
		if (odr_policy_tier(p, &t) >= dist.next)
			return *why = "fewer_defects - 1 already reaches it (not minimal)", false;
	}
	else
	{
		if (dist.fewer_defects != -1)
			return *why = "fewer_defects below -1", false;
		t = with_fewer_defects(s, s->defective);
		if (odr_policy_tier(p, &t) >= dist.next)
			return *why = "fewer_defects -1 but no defects at all reaches it", false;
	}
	return true;
}

static void
test_distance(void)
{
	OdrPolicy	p,
				q;
	OdrSummary	s;
	OdrDistance dist;
	bool		r;

	odr_policy_default(&p);
	s = summary_of(100, 3);
	memset(&dist, 0, sizeof(dist));
	ok(odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_GOOD &&
	   dist.next == ODR_TIER_EXCELLENT && dist.more_orders == 1 && dist.fewer_defects == 1,
	   "A18: 100 orders, 3 defects: good -> excellent with 1 more order or 1 fewer defect");
	s = summary_of(50, 0);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_UNASSESSED &&
	   dist.next == ODR_TIER_FAIL && dist.more_orders == 40 && dist.fewer_defects == -1,
	   "A18: 50 orders, 0 defects: unassessed -> fail with 40 more orders; fewer_defects -1");
	s = summary_of(50, 10);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.next == ODR_TIER_FAIL && dist.more_orders == 40 &&
	   dist.fewer_defects == -1,
	   "A18: 50 orders, 10 defects: 40 more orders; fewer defects do not assess");
	s = summary_of(0, 0);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_UNASSESSED &&
	   dist.more_orders == 90 && dist.fewer_defects == -1,
	   "A18: no orders at all: 90 more orders");
	s = summary_of(100, 2);
	dist.current = ODR_TIER_FAIL;
	ok(!odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_EXCELLENT,
	   "A18: excellent has no next tier (returns false, current = excellent)");
	s = summary_of(100, 12);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_FAIL && dist.next == ODR_TIER_PASS &&
	   dist.more_orders == 1 && dist.fewer_defects == 1,
	   "A18: 100/12 fail -> pass: 1 more order (12/101) or 1 fewer defect");
	s = summary_of(100, 50);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.next == ODR_TIER_PASS &&
	   dist.more_orders == 317 && dist.fewer_defects == 39,
	   "A18: 100/50 fail -> pass: 317 more orders (50/417 < 12%%), 39 fewer defects (11/100)");
	s = summary_of(90, 5);
	if (!ok(odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_GOOD &&
			dist.next == ODR_TIER_EXCELLENT && dist.more_orders == 77 && dist.fewer_defects == 3,
			"A18: 90/5 (5.6%%) good -> excellent: 77 more orders (5/167 < 3%%) or 3 fewer defects"))
		diag("  current %s next %s more %lld fewer %lld", odr_tier_names[dist.current],
			 odr_tier_names[dist.next], (long long) dist.more_orders, (long long) dist.fewer_defects);
	s = summary_of(1000, 60);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.current == ODR_TIER_PASS &&
	   dist.next == ODR_TIER_GOOD && dist.more_orders == 1 && dist.fewer_defects == 1,
	   "A18: 1000/60 (exactly 6%%) pass -> good: 1 more order or 1 fewer defect");

	/* brute force: minimal on many random summaries, default policy */
	{
		bool		all = true;
		int			checked = 0;

		for (int i = 0; i < 3000; i++)
		{
			int64_t		n = (int64_t) rnd_below(i < 2500 ? 3000 : 2000000);
			int64_t		d = (int64_t) rnd_below((uint64_t) n / (1 + rnd() % 6) + 1);
			const char *why;

			s = summary_of(n, d);
			if (!check_distance(&p, &s, &why))
			{
				if (all)
					diag("  %lld/%lld: %s", (long long) n, (long long) d, why);
				all = false;
			}
			checked++;
		}
		ok(all, "A18: on %d random summaries each distance reaches the next tier and k - 1 does not", checked);
	}

	/* with conditions: more orders lower the ruling rate */
	odr_policy_default(&q);
	q.ncond = 1;
	q.cond[0].tier = ODR_TIER_EXCELLENT;
	q.cond[0].metric = ODR_METRIC_SELLER_RESP_RATE;
	q.cond[0].bound = ODR_BOUND_MAX;
	q.cond[0].value = 0.005;
	s = summary_of(1000, 10);
	s.reason[ODR_ARBITRATION] = 10;
	s.seller_responsible = 10;
	ok(odr_policy_to_next(&q, &s, &dist) && dist.current == ODR_TIER_GOOD &&
	   dist.next == ODR_TIER_EXCELLENT && dist.more_orders == 1000,
	   "A18: capped ruling rate: 1000 more orders bring 10 rulings to 0.5%%");
	/*
	 * Making j of the 10 defective orders defect-free also takes their
	 * arbitrations away, and seller_responsible <= arbitration <= defective:
	 * with every defect gone there is no ruling left, so the seller must be
	 * lifted by some j (5: 5 rulings in 1000 orders meet the 0.005 cap).
	 * "-1" means "no such number lifts the seller" (odr_core.h).
	 */
	if (!ok(dist.fewer_defects == 5,
			"A18: capped ruling rate, 10 defects all with rulings: 5 fewer defects (not -1)"))
		diag("  got fewer_defects %lld; want 5 (removing defects must remove their rulings too)",
			 (long long) dist.fewer_defects);
	s.seller_responsible = 8;
	ok(odr_policy_to_next(&q, &s, &dist) && dist.current == ODR_TIER_GOOD && dist.fewer_defects == 3 &&
	   dist.more_orders == 600,
	   "A18: 8 rulings of 10 arbitrations: 3 fewer defects or 600 more orders");
	{
		bool		all = true;

		for (int i = 0; i < 1500; i++)
		{
			int64_t		n = (int64_t) rnd_below(3000);
			int64_t		d = (int64_t) rnd_below((uint64_t) n / (1 + rnd() % 6) + 1);
			int64_t		arb = (int64_t) rnd_below((uint64_t) d + 1);
			OdrDistance dd;
			OdrSummary	t;

			s = summary_of(n, d);
			s.reason[ODR_ARBITRATION] = arb;
			s.seller_responsible = (int64_t) rnd_below((uint64_t) arb + 1);
			if (!odr_policy_to_next(&q, &s, &dd))
				continue;
			if (dd.more_orders >= 0)
			{
				t = with_more_orders(&s, dd.more_orders);
				if (odr_policy_tier(&q, &t) < dd.next)
					all = false;
				t = with_more_orders(&s, dd.more_orders - 1);
				if (odr_policy_tier(&q, &t) >= dd.next)
					all = false;
			}
			else
				all = false;	/* more defect-free orders always get there */
			if (dd.fewer_defects >= 0)
			{
				t = with_fewer_ruled_defects(&s, dd.fewer_defects);
				if (odr_policy_tier(&q, &t) < dd.next)
					all = false;
				t = with_fewer_ruled_defects(&s, dd.fewer_defects - 1);
				if (odr_policy_tier(&q, &t) >= dd.next)
					all = false;
			}
			else
			{
				t = with_fewer_ruled_defects(&s, d);
				if (odr_policy_tier(&q, &t) >= dd.next)
					all = false;
			}
			if (!all)
			{
				diag("  %lld/%lld rulings %lld: more_orders %lld fewer_defects %lld", (long long) n,
					 (long long) d, (long long) s.seller_responsible, (long long) dd.more_orders,
					 (long long) dd.fewer_defects);
				break;
			}
		}
		ok(all, "A18: with a ruling-rate cap, both distances are minimal on 1500 random summaries");
	}

	/* unreachable: a pass cut-off of 0 */
	odr_policy_default(&q);
	q.below[ODR_TIER_EXCELLENT] = 0;
	q.below[ODR_TIER_GOOD] = 0;
	q.below[ODR_TIER_PASS] = 0;
	s = summary_of(100, 0);
	ok(odr_policy_to_next(&q, &s, &dist) && dist.current == ODR_TIER_FAIL &&
	   dist.more_orders == -1 && dist.fewer_defects == -1,
	   "A18: when no tier above can be reached both distances are -1");
	/* near the limits */
	s = summary_of(INT64_MAX / 8, INT64_MAX / 8 / 10);
	r = odr_policy_to_next(&p, &s, &dist);
	ok(r && dist.current == ODR_TIER_PASS && dist.fewer_defects > 0,
	   "A18: huge summaries do not overflow (pass, fewer_defects %lld)", (long long) dist.fewer_defects);
	s = summary_of(INT64_MAX, INT64_MAX / 10);
	r = odr_policy_to_next(&p, &s, &dist);
	ok(r && dist.current == ODR_TIER_PASS,
	   "A18: orders = INT64_MAX does not overflow (more_orders %lld)", (long long) dist.more_orders);
}

/* ------------------------------------------------------------------ */
/* Flags from timestamps (A9, A11)                                      */
/* ------------------------------------------------------------------ */

static OdrTime
at(int64_t us)
{
	OdrTime		t = {true, us};

	return t;
}

static void
test_time(void)
{
	const int64_t T0 = INT64_C(780000000000000);	/* a moment in 2024 */
	const int64_t D = T0 + 5 * ODR_US_PER_DAY;	/* the A11 deadline */
	OdrTime		none = {false, 0};
	OdrTime		opened = at(T0);
	bool		r;
	OdrError	err;
	OdrStatus	st;

	/* A11 */
	r = false;
	ok(odr_dispute_timed_out(opened, none, at(D), 5, &r, &err) == ODR_OK && r,
	   "A11: no response, closed exactly at the deadline: timed out");
	r = true;
	ok(odr_dispute_timed_out(opened, none, at(D - 1), 5, &r, &err) == ODR_OK && !r,
	   "A11: no response, closed 1 us before the deadline: not timed out");
	r = false;
	ok(odr_dispute_timed_out(opened, none, at(D + 1), 5, &r, &err) == ODR_OK && r,
	   "A11: no response, closed 1 us after the deadline: timed out");
	r = true;
	ok(odr_dispute_timed_out(opened, at(D), at(D + 10), 5, &r, &err) == ODR_OK && !r,
	   "A11: response exactly at the deadline is in time");
	r = true;
	ok(odr_dispute_timed_out(opened, at(D - 1), at(D + 10), 5, &r, &err) == ODR_OK && !r,
	   "A11: response 1 us before the deadline is in time");
	r = false;
	ok(odr_dispute_timed_out(opened, at(D + 1), at(D + 1), 5, &r, &err) == ODR_OK && r,
	   "A11: response 1 us after the deadline is late");
	r = true;
	ok(odr_dispute_timed_out(opened, none, none, 5, &r, &err) == ODR_OK && !r,
	   "A11: a dispute still open has not ended: not timed out");
	r = true;
	ok(odr_dispute_timed_out(opened, at(T0), at(T0), 5, &r, &err) == ODR_OK && !r,
	   "A11: responded and closed the moment it opened");
	r = false;
	ok(odr_dispute_timed_out(opened, none, at(T0 + ODR_US_PER_DAY), 1, &r, &err) == ODR_OK && r,
	   "A11: response_days 1: deadline one day later");
	r = true;
	ok(odr_dispute_timed_out(opened, none, at(D), 6, &r, &err) == ODR_OK && !r,
	   "A11: response_days 6: five days is still in time");
	r = false;
	ok(odr_dispute_timed_out(at(-10 * ODR_US_PER_DAY), none, at(-5 * ODR_US_PER_DAY), 5, &r, &err) == ODR_OK && r,
	   "A11: timestamps before 2000 (negative) work");
	r = true;
	ok(odr_dispute_timed_out(none, none, none, 5, &r, &err) == ODR_OK && !r,
	   "A11: no opened_at means no dispute (false)");
	ok_status(odr_dispute_timed_out(none, none, at(D), 5, &r, &err), ODR_ERR_NULL, &err,
			  "A11: closed_at without opened_at");
	ok(strstr(err.message, "closed_at") != NULL, "  ... the message names closed_at (\"%s\")", err.message);
	ok_status(odr_dispute_timed_out(none, at(D), none, 5, &r, &err), ODR_ERR_NULL, &err,
			  "A11: seller_responded_at without opened_at");
	ok_status(odr_dispute_timed_out(opened, none, none, 0, &r, &err), ODR_ERR_INVALID, &err,
			  "A11: response_days 0");
	ok_status(odr_dispute_timed_out(opened, none, none, -5, &r, &err), ODR_ERR_INVALID, &err,
			  "A11: response_days -5");
	ok_status(odr_dispute_timed_out(opened, none, at(T0 - 1), 5, &r, &err), ODR_ERR_INVALID, &err,
			  "A11: closed 1 us before opened");
	ok_status(odr_dispute_timed_out(opened, at(T0 - 1), at(D), 5, &r, &err), ODR_ERR_INVALID, &err,
			  "A11: responded 1 us before opened");
	st = odr_dispute_timed_out(at(INT64_MAX - 4 * ODR_US_PER_DAY), none, none, 5, &r, &err);
	ok_status(st, ODR_ERR_RANGE, &err, "A11: opened + 5 days past INT64_MAX");
	r = true;
	ok(odr_dispute_timed_out(at(INT64_MAX - 5 * ODR_US_PER_DAY), none, at(INT64_MAX), 5, &r, &err) == ODR_OK && r,
	   "A11: a deadline of exactly INT64_MAX is in range");
	ok_status(odr_dispute_timed_out(opened, none, none, INT32_MAX, &r, &err), ODR_ERR_RANGE, &err,
			  "A11: response_days INT32_MAX overflows");
	ok(odr_dispute_timed_out(opened, none, none, 5, &r, NULL) == ODR_OK &&
	   odr_dispute_timed_out(opened, none, none, 0, &r, NULL) == ODR_ERR_INVALID,
	   "A11: works with err = NULL");

	/* A9 */
	{
		OdrTime		dl = at(D);

		r = true;
		ok(odr_unshipped(dl, none, at(D), &r, &err) == ODR_OK && !r,
		   "A9: as of exactly the deadline, not shipped: not yet unshipped");
		r = false;
		ok(odr_unshipped(dl, none, at(D + 1), &r, &err) == ODR_OK && r,
		   "A9: 1 us after the deadline, not shipped: unshipped");
		r = true;
		ok(odr_unshipped(dl, none, at(D - 1), &r, &err) == ODR_OK && !r,
		   "A9: 1 us before the deadline: not unshipped");
		r = true;
		ok(odr_unshipped(dl, at(D), at(D + 100), &r, &err) == ODR_OK && !r,
		   "A9: shipped exactly at the deadline: in time");
		r = true;
		ok(odr_unshipped(dl, at(D - 1), at(D + 100), &r, &err) == ODR_OK && !r,
		   "A9: shipped 1 us before the deadline: in time");
		r = false;
		ok(odr_unshipped(dl, at(D + 1), at(D + 1), &r, &err) == ODR_OK && r,
		   "A9: shipped 1 us after the deadline counts as no shipment");
		r = false;
		ok(odr_unshipped(dl, at(D + 1), at(D + 100), &r, &err) == ODR_OK && r,
		   "A9: shipped late, judged later: unshipped");
		r = true;
		ok(odr_unshipped(none, none, at(D + 100), &r, &err) == ODR_OK && !r,
		   "A9: no deadline means no paid order waiting (false)");
		r = true;
		ok(odr_unshipped(none, at(D), at(D + 100), &r, &err) == ODR_OK && !r,
		   "A9: no deadline, shipped: false");
		ok_status(odr_unshipped(dl, none, none, &r, &err), ODR_ERR_NULL, &err, "A9: as_of missing");
		ok_status(odr_unshipped(none, none, none, &r, &err), ODR_ERR_NULL, &err,
				  "A9: as_of missing, no deadline either");
		r = false;
		ok(odr_unshipped(at(INT64_MIN), none, at(INT64_MIN + 1), &r, NULL) == ODR_OK && r,
		   "A9: extreme timestamps compare without overflow");
	}
}

/* ------------------------------------------------------------------ */
/* Calendar (A1, A2)                                                    */
/* ------------------------------------------------------------------ */

static void
test_calendar(void)
{
	int64_t		feb_2024 = odr_days_from_civil(2024, 2, 10);
	int64_t		y;
	int			m,
				d;
	bool		all = true;

	ok(odr_days_from_civil(2000, 1, 1) == 0, "calendar: 2000-01-01 is day 0");
	ok(odr_days_from_civil(1970, 1, 1) == -10957, "calendar: 1970-01-01 is day -10957");
	odr_civil_from_days(odr_month_end(feb_2024), &y, &m, &d);
	ok(y == 2024 && m == 2 && d == 29, "A2: February 2024 ends on the 29th");
	odr_civil_from_days(odr_month_end(odr_days_from_civil(2100, 2, 1)), &y, &m, &d);
	ok(d == 28, "A2: February 2100 ends on the 28th");
	odr_civil_from_days(odr_month_end(odr_days_from_civil(2000, 2, 1)), &y, &m, &d);
	ok(d == 29, "A2: February 2000 ends on the 29th");
	odr_civil_from_days(odr_month_end(odr_days_from_civil(2023, 12, 5)), &y, &m, &d);
	ok(y == 2023 && m == 12 && d == 31, "A2: December ends on the 31st of the same year");
	odr_civil_from_days(odr_month_end_on_or_before(feb_2024), &y, &m, &d);
	ok(y == 2024 && m == 1 && d == 31, "A2: the last month end before 2024-02-10 is 2024-01-31");
	odr_civil_from_days(odr_month_end_on_or_before(odr_days_from_civil(2024, 1, 1)), &y, &m, &d);
	ok(y == 2023 && m == 12 && d == 31, "A2: the last month end before 2024-01-01 is 2023-12-31");
	ok(odr_month_end_on_or_after(odr_days_from_civil(2026, 10, 31)) == odr_days_from_civil(2026, 10, 31),
	   "A2: a month end is its own next assessment");
	ok(odr_month_end_on_or_before(odr_days_from_civil(2026, 10, 31)) == odr_days_from_civil(2026, 10, 31),
	   "A2: a month end is its own last assessment");
	for (int64_t day = -800000; day <= 800000; day += 7)
	{
		int64_t		me = odr_month_end(day);
		int64_t		y2;
		int			m2,
					d2;

		odr_civil_from_days(day, &y, &m, &d);
		odr_civil_from_days(me + 1, &y2, &m2, &d2);
		if (odr_days_from_civil(y, m, d) != day || me < day || me - day > 30 || d2 != 1 ||
			odr_month_end_on_or_before(day) > day || odr_month_end(odr_month_end_on_or_before(day)) !=
			odr_month_end_on_or_before(day))
		{
			if (all)
				diag("  day %lld", (long long) day);
			all = false;
		}
	}
	ok(all, "calendar: civil round trip and month ends over +-2000 years");
}

/* The month-end windows containing day, as (first, last) month end; empty
 * when first > last. */
static void
windows_of(int64_t day, int32_t n, int64_t *first, int64_t *last)
{
	*first = odr_month_end(day);
	*last = odr_month_end_on_or_before(day + n - 1);
	if (*first > *last)
	{
		*first = 1;
		*last = 0;
	}
}

static void
test_segments(void)
{
	static const int32_t lengths[] = {1, 2, 27, 28, 29, 30, 31, 32, 59, 60, 61, 89, 90, 91, 92, 180, 365, 400, 1000};
	int64_t		f,
				l;

	odr_assessment_segment_of(odr_days_from_civil(2026, 10, 15), 90, &f, &l);
	ok(f == odr_days_from_civil(2026, 10, 3) && l == odr_days_from_civil(2026, 10, 31),
	   "A1, A2: 2026-10-15 with 90-day windows lies in the run 2026-10-03 .. 2026-10-31 (Dec 31 window starts Oct 3)");
	odr_assessment_segment_of(odr_days_from_civil(2026, 10, 2), 90, &f, &l);
	ok(f == odr_days_from_civil(2026, 10, 1) && l == odr_days_from_civil(2026, 10, 2),
	   "A1, A2: 2026-10-02 lies in the run 2026-10-01 .. 2026-10-02");
	odr_assessment_segment_of(odr_days_from_civil(2024, 2, 29), 1, &f, &l);
	ok(f == l && f == odr_days_from_civil(2024, 2, 29), "A2: with 1-day windows a month end is a run of its own");
	for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++)
	{
		int32_t		n = lengths[k];
		bool		all = true;
		int64_t		pf = 0,
					pl = 0;
		int64_t		from = odr_days_from_civil(1999, 1, 1),
					to = odr_days_from_civil(2031, 12, 31);

		for (int64_t day = from; day <= to && all; day++)
		{
			int64_t		w0,
						w1,
						v0,
						v1;

			odr_assessment_segment_of(day, n, &f, &l);
			windows_of(day, n, &w0, &w1);
			/* a run around day, equal for every day of it, starting right
			 * after the previous run */
			if (f > day || l < day || (day > from && day <= pl && (f != pf || l != pl)) ||
				(day > from && day == pl + 1 && f != day))
				all = false;
			/* every day of the run lies in the same windows ... */
			windows_of(f, n, &v0, &v1);
			if (v0 != w0 || v1 != w1)
				all = false;
			windows_of(l, n, &v0, &v1);
			if (v0 != w0 || v1 != w1)
				all = false;
			/* ... and the day before the run in other windows (runs are maximal) */
			windows_of(f - 1, n, &v0, &v1);
			if (v0 == w0 && v1 == w1)
				all = false;
			if (!all)
				diag("  days %d, day %lld: run %lld .. %lld", (int) n, (long long) day, (long long) f, (long long) l);
			pf = f;
			pl = l;
		}
		ok(all, "A1, A2: runs of days in the same windows of %d days, 1999..2031: each day's run is maximal and shared", (int) n);
	}
}

int
main(void)
{
	collect_valid_verdicts();
	test_names();
	test_classification();
	test_defects_text();
	test_summary_arith();
	test_segments();
	test_summary_io();
	test_metrics();
	test_tiers();
	test_distance();
	test_time();
	test_calendar();
	free(all_valid);
	printf("1..%d\n", ntests);
	if (nfailed)
		printf("# %d of %d tests failed\n", nfailed, ntests);
	return nfailed ? 1 : 0;
}
