/*
 * core_test.c — unit tests of the plain-C rules (src/odr_core.c), no server.
 * TAP output; exit status 1 when a test fails.  Rule ids: shared/rules.md.
 */
#include "odr_core.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int	ntests = 0;
static int	nfailed = 0;

static void
ok(int cond, const char *what)
{
	ntests++;
	if (!cond)
		nfailed++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", ntests, what);
}

static OdrDefects
classify(int fb, int item, int comm, int ship, int unshipped, int arb,
		 int timeout, int inr, int resp, int under5)
{
	OdrOrderFacts f;
	OdrDefects	d = 0;
	int			r[4] = {fb, item, comm, ship};

	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 4; i++)
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
	if (odr_classify_order(&f, &d, NULL) != ODR_OK)
		return 0xFFFFFFFF;
	return d;
}

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

static uint64_t lcg = 42;
static uint32_t
next_random(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) (lcg >> 33);
}

static OdrDefects
random_verdict(void)
{
	uint32_t	x = next_random();
	OdrDefects	d = classify((x & 1) ? 1 + (x >> 1) % 5 : 0, (x & 8) ? 1 + (x >> 4) % 5 : 0,
							 (x & 64) ? 1 + (x >> 7) % 5 : 0, (x & 512) ? 1 + (x >> 10) % 5 : 0,
							 (x >> 13) % 11 == 0, (x >> 17) % 13 == 0, (x >> 21) % 17 == 0,
							 (x >> 25) % 19 == 0, 0, (x >> 29) & 1);

	return d;
}

static void
test_classification(void)
{
	OdrOrderFacts f;
	OdrDefects	d;
	OdrError	err;

	ok(odr_defects_has(classify(3, 0, 0, 0, 0, 0, 0, 0, 0, 0), ODR_NEGATIVE_FEEDBACK), "A5: 3 stars is negative feedback");
	ok(!odr_defects_is_defective(classify(4, 0, 0, 0, 0, 0, 0, 0, 0, 0)), "A5: 4 stars is not");
	ok(odr_defects_has(classify(0, 3, 0, 0, 0, 0, 0, 0, 0, 0), ODR_DSR_ITEM), "A6: item 3 is a defect");
	ok(!odr_defects_is_defective(classify(0, 4, 0, 0, 0, 0, 0, 0, 0, 0)), "A6: item 4 is not");
	ok(odr_defects_has(classify(0, 0, 3, 0, 0, 0, 0, 0, 0, 0), ODR_DSR_COMMUNICATION), "A7: communication 3 is a defect");
	ok(!odr_defects_is_defective(classify(0, 0, 4, 0, 0, 0, 0, 0, 0, 0)), "A7: communication 4 is not");
	ok(odr_defects_has(classify(0, 0, 0, 1, 0, 0, 0, 0, 0, 0), ODR_DSR_SHIPPING), "A8: shipping 1 is a defect");
	ok(!odr_defects_is_defective(classify(0, 0, 0, 2, 0, 0, 0, 0, 0, 0)), "A8: shipping 2 is not");
	ok(classify(0, 0, 0, 0, 1, 0, 0, 0, 0, 0) == (1u << ODR_UNSHIPPED), "A9: unshipped");
	ok(classify(0, 0, 0, 0, 0, 1, 0, 0, 0, 0) == (1u << ODR_ARBITRATION), "A10: arbitration");
	ok(classify(0, 0, 0, 0, 0, 0, 1, 0, 0, 0) == (1u << ODR_DISPUTE_TIMEOUT), "A11: dispute timeout");
	d = classify(1, 1, 1, 1, 1, 1, 1, 0, 1, 0);
	ok((d & ODR_REASON_MASK) == ODR_REASON_MASK, "A12: every reason recorded on one order");
	d = classify(1, 1, 1, 1, 1, 0, 1, 1, 0, 0);
	ok((d & ODR_REASON_MASK) == ((1u << ODR_UNSHIPPED) | (1u << ODR_DISPUTE_TIMEOUT)) &&
	   odr_defects_rating(d, ODR_RATING_FEEDBACK) == 0,
	   "A13: a closed not-received dispute drops every rating, keeps the events");
	memset(&f, 0, sizeof(f));
	f.rating_given[ODR_RATING_FEEDBACK] = true;
	f.rating[ODR_RATING_FEEDBACK] = 6;
	ok(odr_classify_order(&f, &d, &err) == ODR_ERR_RANGE && strstr(err.message, "feedback_stars 6") != NULL,
	   "A14: rating 6 is out of range and named");
	f.rating[ODR_RATING_FEEDBACK] = 0;
	ok(odr_classify_order(&f, &d, &err) == ODR_ERR_RANGE, "A14: rating 0 is out of range");
	memset(&f, 0, sizeof(f));
	f.arbitration_seller_responsible = true;
	ok(odr_classify_order(&f, &d, &err) == ODR_ERR_INCONSISTENT, "A16: a ruling needs an arbitration");
}

static void
test_text(void)
{
	char		buf[ODR_SUMMARY_TEXT_MAX];
	OdrDefects	d,
				d2;
	OdrSummary	s,
				s2;
	OdrError	err;
	int			all_ok = 1;
	static const char *bad_defects[] = {
		"", "{", "{,}", "{unshipped,}", "{x}", "{unshipped,unshipped}", "{}x",
		"{} feedback=6", "{} feedback=0", "{} feedback=", "{}feedback=2", "{} feedback=2",
		"{negative_feedback} feedback=4", "{} seller_responsible", NULL
	};
	static const char *bad_summaries[] = {
		"", "(", "(orders=1", "(orders=1) x", "(orders=a)", "(x=1)", "(orders=1,orders=1)",
		"(orders=-1)", "(orders=9223372036854775808)", "(orders=1,defective=2,unshipped=2)",
		"(orders=2,defective=2,unshipped=1)", "(orders=2,rated=1,positive=2)", NULL
	};

	for (uint32_t m = 0; m < 128; m++)
	{
		odr_defects_format(m, buf, sizeof(buf));
		if (odr_defects_parse(buf, &d, &err) != ODR_OK || d != m)
			all_ok = 0;
	}
	ok(all_ok, "odr_defects: all 128 reason sets round-trip through text");
	all_ok = 1;
	for (int i = 0; i < 2000; i++)
	{
		d = random_verdict();
		odr_defects_format(d, buf, sizeof(buf));
		if (odr_defects_parse(buf, &d2, &err) != ODR_OK || d2 != d)
			all_ok = 0;
	}
	ok(all_ok, "odr_defects: 2000 classified verdicts with facts round-trip");
	ok(odr_defects_parse("  { dispute_timeout , negative_feedback }  feedback=1 ", &d, &err) == ODR_OK &&
	   d == classify(1, 0, 0, 0, 0, 0, 1, 0, 0, 0), "odr_defects: spaces and any reason order");
	for (int i = 0; bad_defects[i]; i++)
	{
		char		what[128];

		snprintf(what, sizeof(what), "odr_defects: \"%s\" is rejected", bad_defects[i]);
		ok(odr_defects_parse(bad_defects[i], &d, &err) != ODR_OK, what);
	}
	ok(odr_defects_validate(1u << 21, &err) != ODR_OK, "odr_defects: reserved bits are rejected");

	odr_summary_init(&s);
	for (int i = 0; i < 5000; i++)
		odr_summary_add_order(&s, random_verdict(), NULL);
	odr_summary_format(&s, buf, sizeof(buf));
	ok(odr_summary_parse(buf, &s2, &err) == ODR_OK && memcmp(&s, &s2, sizeof(s)) == 0,
	   "odr_summary: text round trip");
	for (int i = 0; bad_summaries[i]; i++)
	{
		char		what[160];

		snprintf(what, sizeof(what), "odr_summary: \"%s\" is rejected", bad_summaries[i]);
		ok(odr_summary_parse(bad_summaries[i], &s2, &err) != ODR_OK, what);
	}
	{
		unsigned char wire[ODR_SUMMARY_WIRE_SIZE];

		odr_summary_encode(&s, wire);
		ok(odr_summary_decode(wire, sizeof(wire), &s2, &err) == ODR_OK && memcmp(&s, &s2, sizeof(s)) == 0,
		   "odr_summary: binary round trip");
		ok(odr_summary_decode(wire, sizeof(wire) - 1, &s2, &err) != ODR_OK, "odr_summary: short binary rejected");
		wire[3] = 2;
		ok(odr_summary_decode(wire, sizeof(wire), &s2, &err) != ODR_OK, "odr_summary: binary version 2 rejected");
	}
}

static void
test_arithmetic(void)
{
	OdrSummary	s,
				empty,
				a,
				b,
				before;
	OdrDefects	seq[3000];
	OdrError	err;
	int			valid = 1;

	odr_summary_init(&s);
	odr_summary_init(&empty);
	for (int i = 0; i < 3000; i++)
	{
		seq[i] = random_verdict();
		odr_summary_add_order(&s, seq[i], NULL);
		if (odr_summary_validate(&s, NULL) != ODR_OK)
			valid = 0;
	}
	ok(valid, "every prefix of a stream of orders is a valid summary");
	for (int i = 2999; i >= 0; i -= 2)
		odr_summary_remove_order(&s, seq[i], NULL);
	for (int i = 0; i < 3000; i += 2)
		odr_summary_remove_order(&s, seq[i], NULL);
	ok(memcmp(&s, &empty, sizeof(s)) == 0, "removing every order (in another order) gives the empty summary");
	ok(odr_summary_remove_order(&s, seq[0], &err) != ODR_OK && memcmp(&s, &empty, sizeof(s)) == 0,
	   "removing from an empty summary fails and changes nothing");

	a = summary_of(100, 5);
	b = summary_of(40, 2);
	before = a;
	ok(odr_summary_add(&a, &b, NULL) == ODR_OK && odr_summary_subtract(&a, &b, NULL) == ODR_OK &&
	   memcmp(&a, &before, sizeof(a)) == 0, "add then subtract is the identity");
	b = summary_of(40, 20);
	ok(odr_summary_subtract(&a, &b, &err) != ODR_OK && memcmp(&a, &before, sizeof(a)) == 0,
	   "subtracting a non-part fails and leaves the left operand");
	a = summary_of(INT64_MAX, 0);
	b = summary_of(1, 0);
	before = a;
	ok(odr_summary_add(&a, &b, &err) == ODR_ERR_OVERFLOW && memcmp(&a, &before, sizeof(a)) == 0,
	   "overflow is an error and leaves the operand");
	a = summary_of(INT64_MAX, INT64_MAX);
	a.reason[ODR_UNSHIPPED] = INT64_MAX - 1;
	a.reason[ODR_ARBITRATION] = INT64_MAX - 1;
	ok(odr_summary_validate(&a, &err) == ODR_OK, "reason counts near the limit validate (fuzz finding)");
}

static void
test_tiers(void)
{
	OdrPolicy	p;
	OdrDistance dist;
	OdrSummary	s;
	OdrError	err;
	static const struct
	{
		int64_t		n,
					d;
		OdrTier		t;
	}			cases[] = {
		{89, 0, ODR_TIER_UNASSESSED}, {90, 0, ODR_TIER_EXCELLENT}, {0, 0, ODR_TIER_UNASSESSED},
		{100, 2, ODR_TIER_EXCELLENT}, {100, 3, ODR_TIER_GOOD}, {100, 5, ODR_TIER_GOOD},
		{100, 6, ODR_TIER_PASS}, {100, 11, ODR_TIER_PASS}, {100, 12, ODR_TIER_FAIL},
	};

	odr_policy_default(&p);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		what[96];

		s = summary_of(cases[i].n, cases[i].d);
		snprintf(what, sizeof(what), "A4/A17: %lld orders, %lld defects -> %s",
				 (long long) cases[i].n, (long long) cases[i].d, odr_tier_names[cases[i].t]);
		ok(odr_policy_tier(&p, &s) == cases[i].t, what);
	}
	s = summary_of(100, 3);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.next == ODR_TIER_EXCELLENT &&
	   dist.more_orders == 1 && dist.fewer_defects == 1, "A18: 100/3 needs 1 more order or 1 fewer defect");
	s = summary_of(50, 0);
	ok(odr_policy_to_next(&p, &s, &dist) && dist.next == ODR_TIER_FAIL &&
	   dist.more_orders == 40 && dist.fewer_defects == -1, "A18: unassessed needs 40 more orders");
	s = summary_of(100, 2);
	ok(!odr_policy_to_next(&p, &s, &dist), "A18: nothing above excellent");
	{
		int			minimal = 1;

		for (int i = 0; i < 300; i++)
		{
			int64_t		n = 90 + next_random() % 5000;
			int64_t		d = next_random() % (n / 4 + 1);
			OdrSummary	t;

			s = summary_of(n, d);
			if (!odr_policy_to_next(&p, &s, &dist))
				continue;
			t = summary_of(n + dist.more_orders, d);
			if (odr_policy_tier(&p, &t) < dist.next)
				minimal = 0;
			t = summary_of(n + dist.more_orders - 1, d);
			if (odr_policy_tier(&p, &t) >= dist.next)
				minimal = 0;
			if (dist.fewer_defects >= 0)
			{
				t = summary_of(n, d - dist.fewer_defects);
				if (odr_policy_tier(&p, &t) < dist.next)
					minimal = 0;
				t = summary_of(n, d - dist.fewer_defects + 1);
				if (odr_policy_tier(&p, &t) >= dist.next)
					minimal = 0;
			}
		}
		ok(minimal, "A18: distances reach the next tier and are minimal (300 random summaries)");
	}
	p.ncond = 1;
	p.cond[0].tier = ODR_TIER_EXCELLENT;
	p.cond[0].metric = ODR_METRIC_SELLER_RESP_RATE;
	p.cond[0].bound = ODR_BOUND_MAX;
	p.cond[0].value = 0.005;
	s = summary_of(1000, 10);
	s.reason[ODR_ARBITRATION] = 10;
	s.seller_responsible = 10;
	ok(odr_policy_tier(&p, &s) == ODR_TIER_GOOD, "A17: a cap on rulings demotes excellent to good");
	p.cond[0].metric = ODR_METRIC_POSITIVE_RATE;
	p.cond[0].bound = ODR_BOUND_MIN;
	p.cond[0].value = 0.9;
	ok(odr_policy_tier(&p, &s) == ODR_TIER_EXCELLENT, "A17: an undefined metric does not block");
	odr_policy_default(&p);
	p.below[ODR_TIER_GOOD] = 0.01;
	ok(odr_policy_validate(&p, &err) != ODR_OK, "policy: unordered cut-offs rejected");
}

static void
test_time(void)
{
	OdrTime		opened = {true, 0};
	OdrTime		none = {false, 0};
	OdrTime		at_deadline = {true, 5 * ODR_US_PER_DAY};
	OdrTime		after = {true, 5 * ODR_US_PER_DAY + 1};
	OdrTime		before = {true, -1};
	bool		r;
	OdrError	err;

	ok(odr_dispute_timed_out(opened, none, at_deadline, 5, &r, &err) == ODR_OK && r,
	   "A11: no response, closed at the deadline: timed out");
	ok(odr_dispute_timed_out(opened, at_deadline, after, 5, &r, &err) == ODR_OK && !r,
	   "A11: response exactly at the deadline is in time");
	ok(odr_dispute_timed_out(opened, after, after, 5, &r, &err) == ODR_OK && r,
	   "A11: response one microsecond late");
	ok(odr_dispute_timed_out(opened, none, before, 5, &r, &err) == ODR_ERR_INVALID,
	   "A11: closed before opened is an error");
	ok(odr_dispute_timed_out(opened, none, none, 0, &r, &err) == ODR_ERR_INVALID,
	   "A11: response_days 0 is an error");
	ok(odr_dispute_timed_out(none, none, after, 5, &r, &err) == ODR_ERR_NULL,
	   "A11: closed without opened is an error");
	ok(odr_unshipped(opened, opened, after, &r, &err) == ODR_OK && !r, "A9: shipped at the deadline");
	ok(odr_unshipped(opened, after, after, &r, &err) == ODR_OK && r, "A9: shipped after the deadline");
	ok(odr_unshipped(opened, none, opened, &r, &err) == ODR_OK && !r, "A9: not due yet");
	ok(odr_unshipped(opened, none, none, &r, &err) == ODR_ERR_NULL, "A9: as_of is required");
}

static void
test_calendar(void)
{
	/* days since 2000-01-01 */
	int64_t		feb_2024 = odr_days_from_civil(2024, 2, 10);
	int64_t		y;
	int			m,
				d;

	ok(odr_days_from_civil(2000, 1, 1) == 0, "calendar: 2000-01-01 is day 0");
	odr_civil_from_days(odr_month_end(feb_2024), &y, &m, &d);
	ok(y == 2024 && m == 2 && d == 29, "A2: February 2024 ends on the 29th");
	odr_civil_from_days(odr_month_end(odr_days_from_civil(2100, 2, 1)), &y, &m, &d);
	ok(d == 28, "A2: February 2100 ends on the 28th");
	odr_civil_from_days(odr_month_end_on_or_before(feb_2024), &y, &m, &d);
	ok(y == 2024 && m == 1 && d == 31, "A2: last month end before 2024-02-10 is 2024-01-31");
	ok(odr_month_end_on_or_after(odr_days_from_civil(2026, 10, 31)) == odr_days_from_civil(2026, 10, 31),
	   "A2: a month end is its own next assessment");
}

int
main(void)
{
	test_classification();
	test_text();
	test_arithmetic();
	test_tiers();
	test_time();
	test_calendar();
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
