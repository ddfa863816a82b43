/*
 * response_test.c — unit tests of the S4 3-minute response rate core
 * (src/rules/response_core.c) and of its reply pairing (the Walmart seller
 * response, M3.1), no server.
 *
 * TAP output (one "ok N - ..." line per test, the plan "1..N" at the end);
 * exit status 1 when a test fails.  Rule ids refer to shared/rules.md.
 * Randomised tests use a fixed-seed LCG, so every run is the same; they are
 * checked against a deliberately naive reference implementation of S4.
 *
 * Built by `make unit`:
 *   cc -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules -o test/unit/response_test \
 *      test/unit/response_test.c src/rules/response_core.c
 */
#include "response_core.h"

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

static uint64_t lcg_state = 20240604;

static uint32_t
rnd(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) (lcg_state >> 32);
}

static uint64_t
rnd_below(uint64_t n)
{
	uint64_t	x = ((uint64_t) rnd() << 32) | rnd();

	return n == 0 ? 0 : x % n;
}

/* ------------------------------------------------------------------ */
/* Allocators and zones                                                 */
/* ------------------------------------------------------------------ */

static void *
test_alloc(void *arg, void *ptr, size_t size)
{
	(void) arg;
	if (size == 0)
	{
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

/* fails once more than *arg allocations were made */
static void *
failing_alloc(void *arg, void *ptr, size_t size)
{
	int		   *left = arg;

	if (size == 0)
	{
		free(ptr);
		return NULL;
	}
	if (*left <= 0)
		return NULL;
	(*left)--;
	return realloc(ptr, size);
}

static void
resp_free(OdrResp *r)
{
	free(r->msgs);
	free(r->keys);
	free(r->buyers);
	free(r->slots);
	memset(r, 0, sizeof(*r));
}

#define USEC	INT64_C(1000000)
#define MINUTE	(60 * USEC)
#define HOUR	(60 * MINUTE)
#define DAY		(24 * HOUR)

/*
 * A test zone: a UTC offset that changes once (at switch_at, a UTC instant)
 * — enough to model a DST change; the core only sees what it reports.
 */
typedef struct TestZone
{
	int64_t		offset;			/* local = UTC + offset, before switch_at */
	int64_t		switch_at;
	int64_t		offset_after;
} TestZone;

static const TestZone utc = {0, INT64_MAX, 0};
static const TestZone plus8 = {8 * HOUR, INT64_MAX, 8 * HOUR};
static const TestZone minus5 = {-5 * HOUR, INT64_MAX, -5 * HOUR};
static const TestZone plus530 = {5 * HOUR + 30 * MINUTE, INT64_MAX, 5 * HOUR + 30 * MINUTE};

static int	local_calls = 0;

static void
test_local(void *arg, int64_t t, int32_t *day, int64_t *usec_of_day)
{
	const TestZone *z = arg;
	int64_t		lt = t + (t >= z->switch_at ? z->offset_after : z->offset);
	int64_t		d = lt >= 0 ? lt / DAY : -((-lt + DAY - 1) / DAY);

	local_calls++;
	*day = (int32_t) d;
	*usec_of_day = lt - d * DAY;
}

/* the UTC instant of local day d, h:m:s in a zone of fixed offset */
static int64_t
at(const TestZone *z, int d, int h, int m, int s)
{
	return (int64_t) d * DAY + h * HOUR + m * MINUTE + s * USEC - z->offset;
}

/* ------------------------------------------------------------------ */
/* Building states                                                      */
/* ------------------------------------------------------------------ */

typedef struct Msg
{
	const char *buyer;
	int64_t		t;
	OdrRespKind kind;
} Msg;

static void
add_all(OdrResp *r, const Msg *m, int n)
{
	for (int i = 0; i < n; i++)
	{
		OdrError	err;

		if (odr_resp_add(r, m[i].buyer, strlen(m[i].buyer), m[i].t, m[i].kind, &err) != ODR_OK)
			diag("odr_resp_add failed: %s", err.message);
	}
}

static OdrRespCounts
eval_msgs(const Msg *m, int n, const TestZone *z)
{
	OdrResp		r;
	OdrRespCounts c;

	odr_resp_init(&r, test_alloc, NULL);
	add_all(&r, m, n);
	odr_resp_evaluate(&r, &odr_resp_default_rules, test_local, (void *) z, &c);
	resp_free(&r);
	return c;
}

static bool
counts_are(OdrRespCounts c, int64_t counted, int64_t answered, const char *what)
{
	bool		pass = ok(c.counted == counted && c.answered == answered,
						  "%s: counted %lld, answered %lld", what,
						  (long long) counted, (long long) answered);

	if (!pass)
		diag("  got counted %lld, answered %lld", (long long) c.counted, (long long) c.answered);
	return pass;
}

#define B ODR_RESP_BUYER
#define S ODR_RESP_SELLER
#define N(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

static void
test_senders(void)
{
	ok(odr_resp_sender_from_name("buyer", 5) == ODR_RESP_BUYER, "sender 'buyer' is the buyer");
	ok(odr_resp_sender_from_name("BUYER", 5) == ODR_RESP_BUYER, "sender 'BUYER': any letter case");
	ok(odr_resp_sender_from_name("Seller", 6) == ODR_RESP_SELLER, "sender 'Seller' is the seller");
	ok(odr_resp_sender_from_name("seller ", 7) == -1, "sender 'seller ' (trailing space) is unknown: no trimming");
	ok(odr_resp_sender_from_name("", 0) == -1, "empty sender is unknown");
	ok(odr_resp_sender_from_name("agent", 5) == -1, "sender 'agent' is unknown");
	ok(odr_resp_sender_from_name("buyers", 6) == -1, "sender 'buyers' is unknown (no prefix match)");
	ok(odr_resp_sender_from_name("buy", 3) == -1, "sender 'buy' is unknown (no prefix match)");
}

static void
test_hours(void)
{
	const OdrRespRules *r = &odr_resp_default_rules;

	ok(!odr_resp_in_hours(r, 9 * HOUR - 1), "S4: 08:59:59.999999 is before the hours");
	ok(odr_resp_in_hours(r, 9 * HOUR), "S4: 09:00 exactly is in the hours");
	ok(odr_resp_in_hours(r, 21 * HOUR - 1), "S4: 20:59:59.999999 is in the hours");
	ok(!odr_resp_in_hours(r, 21 * HOUR), "S4: 21:00 exactly is after the hours");
	ok(!odr_resp_in_hours(r, 0), "S4: midnight is outside the hours");
}

static void
test_rules(void)
{
	const TestZone *z = &utc;

	{
		Msg			m[] = {{"a", at(z, 10, 8, 59, 0), B}, {"a", at(z, 10, 8, 59, 30), S}};

		counts_are(eval_msgs(m, N(m), z), 0, 0, "S4: a first message at 08:59 does not count");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 9, 0, 0), B}, {"a", at(z, 10, 9, 2, 59), S}};

		counts_are(eval_msgs(m, N(m), z), 1, 1, "S4: first message at 09:00 counts; a reply after 2:59 is in time");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 20, 59, 0), B}, {"a", at(z, 10, 21, 2, 0), S}};

		counts_are(eval_msgs(m, N(m), z), 1, 1, "S4: first message at 20:59 counts; a reply after exactly 3:00 is in time");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 21, 0, 0), B}, {"a", at(z, 10, 21, 0, 1), S}};

		counts_are(eval_msgs(m, N(m), z), 0, 0, "S4: a first message at 21:00 does not count");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), B}, {"a", at(z, 10, 10, 3, 1), S}};

		counts_are(eval_msgs(m, N(m), z), 1, 0, "S4: a reply after 3:01 is late");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), B}, {"a", at(z, 10, 10, 3, 0) + 1, S}};

		counts_are(eval_msgs(m, N(m), z), 1, 0, "S4: a reply after 3:00.000001 is late (3:00 is the last instant)");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), S}, {"a", at(z, 10, 10, 0, 0), B}};

		counts_are(eval_msgs(m, N(m), z), 1, 1, "S4: a seller reply at the same instant as the buyer's message answers it");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 9, 59, 0), S}, {"a", at(z, 10, 10, 0, 0), B}};

		counts_are(eval_msgs(m, N(m), z), 1, 0, "S4: a seller message before the buyer's message is no reply to it");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 8, 30, 0), B}, {"a", at(z, 10, 10, 0, 0), B},
		{"a", at(z, 10, 10, 0, 30), S}};

		counts_are(eval_msgs(m, N(m), z), 0, 0, "S4: first message before 09:00: no later message of that day counts either");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), B}, {"a", at(z, 10, 11, 0, 0), B},
		{"a", at(z, 10, 11, 0, 30), S}, {"a", at(z, 10, 15, 0, 0), B}};

		counts_are(eval_msgs(m, N(m), z), 1, 0, "S4: several messages in one day: only the first counts (unanswered), later ones do not");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), B}, {"a", at(z, 10, 10, 1, 0), B},
		{"a", at(z, 10, 10, 2, 30), S}};

		counts_are(eval_msgs(m, N(m), z), 1, 1, "S4: the reply may follow a second buyer message, within 3:00 of the first");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), B}, {"a", at(z, 10, 10, 1, 0), S},
		{"a", at(z, 11, 10, 0, 0), B}, {"a", at(z, 12, 20, 0, 0), B}, {"a", at(z, 12, 20, 5, 0), S}};

		counts_are(eval_msgs(m, N(m), z), 3, 1, "S4: each local day's first message counts on its own");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), B}, {"b", at(z, 10, 10, 1, 0), B},
		{"b", at(z, 10, 10, 2, 0), S}, {"a", at(z, 10, 10, 4, 0), S}};

		counts_are(eval_msgs(m, N(m), z), 2, 1, "S4: interleaved buyers: a reply answers its own conversation only");
	}
	{
		Msg			m[] = {{"a", at(z, 10, 10, 0, 0), S}, {"a", at(z, 10, 10, 1, 0), S}};

		counts_are(eval_msgs(m, N(m), z), 0, 0, "S4: seller messages alone count nothing");
	}
	counts_are(eval_msgs(NULL, 0, z), 0, 0, "S4: no messages, nothing counts");
}

/* The same UTC instants, different local days and hours. */
static void
test_zones(void)
{
	/* 00:30Z and 14:30Z of day 10 */
	Msg			m[] = {{"a", 10 * DAY + 30 * MINUTE, B}, {"a", 10 * DAY + 31 * MINUTE, S},
	{"a", 10 * DAY + 14 * HOUR + 30 * MINUTE, B}, {"a", 10 * DAY + 14 * HOUR + 31 * MINUTE, S}};
	TestZone	dst;

	/* +8: 08:30 and 22:30 of the same day: the first is too early */
	counts_are(eval_msgs(m, N(m), &plus8), 0, 0, "S4 zone +8: 08:30 and 22:30 local, one day, its first message too early");
	/* -5: 19:30 of day 9 and 09:30 of day 10: two days, both count */
	counts_are(eval_msgs(m, N(m), &minus5), 2, 2, "S4 zone -5: the same instants are 19:30 and 09:30 of two local days");
	/* UTC: 00:30 (too early) and 14:30 of one day */
	counts_are(eval_msgs(m, N(m), &utc), 0, 0, "S4 zone UTC: 00:30 first, the day does not count");
	{
		/* +5:30: 03:30Z is 09:00 local, 03:29Z is 08:59 */
		Msg			h[] = {{"a", 10 * DAY + 3 * HOUR + 30 * MINUTE, B}, {"b", 10 * DAY + 3 * HOUR + 29 * MINUTE, B}};

		counts_are(eval_msgs(h, N(h), &plus530), 1, 0, "S4 zone +5:30: 03:30Z is 09:00 local (counts), 03:29Z is 08:59 (does not)");
	}
	/* an offset change (DST) during day 10: 13:00Z is 08:00 before, 09:00 after */
	dst.offset = -5 * HOUR;
	dst.offset_after = -4 * HOUR;
	dst.switch_at = 10 * DAY + 7 * HOUR;
	{
		Msg			d[] = {{"a", 9 * DAY + 13 * HOUR, B}, {"a", 10 * DAY + 13 * HOUR, B}};

		counts_are(eval_msgs(d, N(d), &dst), 1, 0, "S4: the local calendar comes from the zone callback (13:00Z is 08:00 before a DST change, 09:00 after)");
	}
}

/* FNV-1a collisions: two different buyers with one hash stay apart. */
typedef struct HashedKey
{
	uint32_t	h;
	uint32_t	i;
} HashedKey;

static int
hashed_key_cmp(const void *a, const void *b)
{
	const HashedKey *x = a;
	const HashedKey *y = b;

	return x->h != y->h ? (x->h < y->h ? -1 : 1) : (x->i < y->i ? -1 : x->i > y->i);
}

static void
test_collisions(void)
{
	enum
	{
		NKEYS = 1000000
	};
	HashedKey  *hk = malloc(sizeof(HashedKey) * NKEYS);
	char		k1[32],
				k2[32];
	int			found = -1;

	for (uint32_t i = 0; i < NKEYS; i++)
	{
		char		key[32];
		uint32_t	h = 2166136261u;
		int			len = snprintf(key, sizeof(key), "buyer-%u", i);

		for (int j = 0; j < len; j++)
		{
			h ^= (unsigned char) key[j];
			h *= 16777619u;
		}
		hk[i].h = h;
		hk[i].i = i;
	}
	qsort(hk, NKEYS, sizeof(HashedKey), hashed_key_cmp);
	for (int i = 0; i + 1 < NKEYS && found < 0; i++)
		if (hk[i].h == hk[i + 1].h)
			found = i;
	if (!ok(found >= 0, "found two buyer keys with the same FNV-1a hash"))
	{
		free(hk);
		return;
	}
	snprintf(k1, sizeof(k1), "buyer-%u", hk[found].i);
	snprintf(k2, sizeof(k2), "buyer-%u", hk[found + 1].i);
	diag("colliding keys: %s, %s (hash %08x)", k1, k2, hk[found].h);
	free(hk);
	{
		const TestZone *z = &utc;
		Msg			m[] = {{k1, at(z, 10, 10, 0, 0), B}, {k2, at(z, 10, 10, 1, 0), B},
		{k2, at(z, 10, 10, 2, 0), S}};
		OdrResp		r;

		counts_are(eval_msgs(m, N(m), z), 2, 1,
				   "buyers with colliding hashes are two conversations (the reply to one does not answer the other)");
		odr_resp_init(&r, test_alloc, NULL);
		add_all(&r, m, N(m));
		ok(r.nbuyers == 2 && r.msgs[0].buyer != r.msgs[1].buyer && r.msgs[1].buyer == r.msgs[2].buyer,
		   "colliding keys are interned as two buyers");
		resp_free(&r);
	}
}

static void
test_interning(void)
{
	OdrResp		r;
	OdrError	err;
	bool		same = true;
	char		key[32];

	odr_resp_init(&r, test_alloc, NULL);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 5000; i++)
		{
			int			len = snprintf(key, sizeof(key), "%d", i);

			if (odr_resp_add(&r, key, len, i, B, &err) != ODR_OK)
				same = false;
		}
	for (size_t i = 0; i < r.nmsgs; i++)
		if (r.msgs[i].buyer != i % 5000)
			same = false;
	ok(r.nbuyers == 5000 && r.nmsgs == 15000 && same,
	   "5000 buyers seen three times each are interned once, in order of appearance");
	ok(r.nslots >= 2 * r.nbuyers, "the hash table stays at most half full (%u slots)", r.nslots);
	odr_resp_add(&r, "", 0, 0, B, &err);
	odr_resp_add(&r, "a\0b", 3, 0, B, &err);
	odr_resp_add(&r, "a", 1, 0, B, &err);
	ok(r.nbuyers == 5003, "an empty key and keys differing after a NUL byte are distinct buyers");
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Randomised: order independence, merge, serialisation vs a reference  */
/* ------------------------------------------------------------------ */

/*
 * Naive reference of S4: for every buyer and local day, the day's first
 * buyer message (the earliest instant); counted when in the hours; answered
 * when any seller message of that buyer lies in [first, first + 3:00].
 */
static OdrRespCounts
reference(const Msg *m, int n, const TestZone *z)
{
	OdrRespCounts c = {0, 0};

	for (int i = 0; i < n; i++)
	{
		int32_t		day;
		int64_t		usec;
		bool		first = true;

		if (m[i].kind != B)
			continue;
		test_local((void *) z, m[i].t, &day, &usec);
		for (int j = 0; j < n && first; j++)
		{
			int32_t		dj;
			int64_t		uj;

			if (m[j].kind != B || strcmp(m[j].buyer, m[i].buyer) != 0)
				continue;
			test_local((void *) z, m[j].t, &dj, &uj);
			/* an earlier message that day, or the same instant seen before */
			if (dj == day && (m[j].t < m[i].t || (m[j].t == m[i].t && j < i)))
				first = false;
		}
		if (!first || !odr_resp_in_hours(&odr_resp_default_rules, usec))
			continue;
		c.counted++;
		for (int j = 0; j < n; j++)
		{
			if (m[j].kind == S && strcmp(m[j].buyer, m[i].buyer) == 0 &&
				m[j].t >= m[i].t && m[j].t - m[i].t <= 3 * MINUTE)
			{
				c.answered++;
				break;
			}
		}
	}
	return c;
}

static const char *const buyer_names[] = {"ann", "bob", "cy", "di", "ed", "fay", "gus"};

/*
 * n random messages over three days, dense enough that every rule matters:
 * buyer messages at random instants, and seller messages that mostly follow
 * an earlier buyer message of the same conversation by 0 to 4 minutes on a
 * 15-second grid (so exact 3:00 gaps and ties occur), sometimes precede it.
 */
static void
random_msgs(Msg *m, int n, int nbuyers)
{
	int			nb = 0;

	for (int i = 0; i < n; i++)
	{
		if (nb > 0 && rnd_below(2) == 0)
		{
			int			j;

			do
				j = (int) rnd_below(i);
			while (m[j].kind != B);
			m[i].buyer = m[j].buyer;
			m[i].kind = S;
			m[i].t = m[j].t + ((int64_t) rnd_below(17) - (rnd_below(8) == 0 ? 16 : 0)) * 15 * USEC;
		}
		else
		{
			m[i].buyer = buyer_names[rnd_below(nbuyers)];
			m[i].kind = B;
			m[i].t = (int64_t) rnd_below(3 * 24 * 240) * 15 * USEC + 100 * DAY;
			nb++;
		}
	}
}

static void
shuffle(Msg *m, int n)
{
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) rnd_below(i + 1);
		Msg			t = m[i];

		m[i] = m[j];
		m[j] = t;
	}
}

static bool
same_counts(OdrRespCounts a, OdrRespCounts b)
{
	return a.counted == b.counted && a.answered == b.answered;
}

static void
test_random(void)
{
	enum
	{
		ROUNDS = 300, MAXN = 400
	};
	Msg		   *m = malloc(sizeof(Msg) * MAXN);
	int			bad_ref = 0,
				bad_shuffle = 0,
				bad_merge = 0,
				bad_serial = 0,
				nonzero = 0;
	const TestZone *zones[] = {&utc, &plus8, &minus5, &plus530};

	for (int round = 0; round < ROUNDS; round++)
	{
		int			n = 1 + (int) rnd_below(MAXN);
		const TestZone *z = zones[round % 4];
		OdrRespCounts want,
					got;

		random_msgs(m, n, 1 + (int) rnd_below(N(buyer_names)));
		want = reference(m, n, z);
		got = eval_msgs(m, n, z);
		if (want.answered > 0 && want.answered < want.counted)
			nonzero++;
		if (!same_counts(want, got))
		{
			if (bad_ref++ == 0)
				diag("round %d: reference %lld/%lld, core %lld/%lld", round,
					 (long long) want.answered, (long long) want.counted,
					 (long long) got.answered, (long long) got.counted);
		}
		shuffle(m, n);
		if (!same_counts(want, eval_msgs(m, n, z)))
			bad_shuffle++;

		/* split into three states at random, merge in a random order */
		{
			OdrResp		part[3],
						all;
			int			cut1 = (int) rnd_below(n + 1),
						cut2 = cut1 + (int) rnd_below(n - cut1 + 1);
			OdrError	err;
			bool		merged = true;

			for (int p = 0; p < 3; p++)
			{
				odr_resp_init(&part[p], test_alloc, NULL);
				odr_resp_set_zone(&part[p], "Test/Zone", 9, NULL);
			}
			add_all(&part[0], m, cut1);
			add_all(&part[1], m + cut1, cut2 - cut1);
			add_all(&part[2], m + cut2, n - cut2);
			/* sorting a part before merging must not matter */
			if (round % 2)
				odr_resp_sort(&part[1]);
			odr_resp_init(&all, test_alloc, NULL);
			for (int p = 0; p < 3; p++)
				merged &= odr_resp_merge(&all, &part[(p + round) % 3], &err) == ODR_OK;
			odr_resp_evaluate(&all, &odr_resp_default_rules, test_local, (void *) z, &got);
			if (!merged || !same_counts(want, got) || all.nmsgs != (size_t) n)
				bad_merge++;

			/* serialise the merged state, read it back */
			{
				size_t		len = odr_resp_serial_size(&all);
				unsigned char *buf = malloc(len);
				OdrResp		back;

				odr_resp_serialize(&all, buf);
				odr_resp_init(&back, test_alloc, NULL);
				if (odr_resp_deserialize(&back, buf, len, &err) != ODR_OK)
					bad_serial++;
				else
				{
					odr_resp_evaluate(&back, &odr_resp_default_rules, test_local, (void *) z, &got);
					if (!same_counts(want, got) || back.nbuyers != all.nbuyers ||
						!odr_resp_zone_is(&back, "Test/Zone", 9))
						bad_serial++;
				}
				resp_free(&back);
				free(buf);
			}
			for (int p = 0; p < 3; p++)
				resp_free(&part[p]);
			resp_free(&all);
		}
	}
	ok(nonzero > ROUNDS / 4, "random data exercises partial answering (%d of %d rounds)", nonzero, ROUNDS);
	ok(bad_ref == 0, "S4: the core equals the naive reference on %d random message sets (%d differ)", ROUNDS, bad_ref);
	ok(bad_shuffle == 0, "S4: shuffled input gives the same counts (%d differ)", bad_shuffle);
	ok(bad_merge == 0, "merging three random parts in any order gives the same counts (%d differ)", bad_merge);
	ok(bad_serial == 0, "serialise / deserialise keeps the counts, buyers and zone (%d differ)", bad_serial);
	free(m);
}

/* ------------------------------------------------------------------ */
/* Merge, serialisation and allocation failures                         */
/* ------------------------------------------------------------------ */

static void
test_merge_zone(void)
{
	OdrResp		a,
				b;
	OdrError	err;
	OdrStatus	st;

	odr_resp_init(&a, test_alloc, NULL);
	odr_resp_init(&b, test_alloc, NULL);
	odr_resp_set_zone(&a, "Asia/Shanghai", 13, NULL);
	odr_resp_set_zone(&b, "America/New_York", 16, NULL);
	odr_resp_add(&b, "x", 1, 0, B, NULL);
	st = odr_resp_merge(&a, &b, &err);
	ok(st == ODR_ERR_INVALID && strstr(err.message, "zone must be the same") != NULL &&
	   strstr(err.detail, "America/New_York") != NULL,
	   "merging states of two zones is ODR_ERR_INVALID naming both zones");
	ok(a.nmsgs == 0, "a failed merge adds nothing");
	resp_free(&a);
	odr_resp_init(&a, test_alloc, NULL);
	st = odr_resp_merge(&a, &b, &err);
	ok(st == ODR_OK && odr_resp_zone_is(&a, "America/New_York", 16) && a.nmsgs == 1,
	   "an empty state merged with another takes its zone and messages");
	ok(odr_resp_set_zone(&a, "x", ODR_RESP_ZONE_MAX + 1, &err) == ODR_ERR_RANGE,
	   "a zone name longer than %d bytes is ODR_ERR_RANGE", ODR_RESP_ZONE_MAX);
	resp_free(&a);
	resp_free(&b);
}

static void
test_serial_errors(void)
{
	OdrResp		r,
				back;
	OdrError	err;
	size_t		len;
	unsigned char *buf;
	int			bad_trunc = 0;
	uint32_t	big = 7;

	odr_resp_init(&r, test_alloc, NULL);
	odr_resp_set_zone(&r, "UTC", 3, NULL);
	odr_resp_add(&r, "a", 1, 10, B, NULL);
	odr_resp_add(&r, "bb", 2, 20, S, NULL);
	len = odr_resp_serial_size(&r);
	buf = malloc(len + 16);
	odr_resp_serialize(&r, buf);
	ok(len == 4 + 4 + 3 + 4 + (4 + 1) + (4 + 2) + 8 + 2 * 16,
	   "serialised size: header, zone, keys, messages (%zu bytes)", len);
	for (size_t cut = 0; cut < len; cut++)
	{
		odr_resp_init(&back, test_alloc, NULL);
		if (odr_resp_deserialize(&back, buf, cut, &err) != ODR_ERR_SYNTAX)
			bad_trunc++;
		resp_free(&back);
	}
	ok(bad_trunc == 0, "every truncation of a serialised state is rejected (%d accepted)", bad_trunc);
	odr_resp_init(&back, test_alloc, NULL);
	ok(odr_resp_deserialize(&back, buf, len + 1, &err) == ODR_ERR_SYNTAX, "trailing bytes are rejected");
	resp_free(&back);

	/* the first message's buyer index (after the 8-byte count) out of range */
	memcpy(buf + len - 2 * 16 + 8, &big, 4);
	odr_resp_init(&back, test_alloc, NULL);
	ok(odr_resp_deserialize(&back, buf, len, &err) == ODR_ERR_SYNTAX, "a message of an unknown buyer is rejected");
	resp_free(&back);

	/* the second key made equal to the first: "bb" -> "a" */
	odr_resp_serialize(&r, buf);
	{
		unsigned char *p = buf + 4 + 4 + 3 + 4 + 5;
		uint32_t	one = 1;

		memcpy(p, &one, 4);
		p[4] = 'a';
		memmove(p + 5, p + 6, len - (size_t) (p + 6 - buf));
		odr_resp_init(&back, test_alloc, NULL);
		ok(odr_resp_deserialize(&back, buf, len - 1, &err) == ODR_ERR_SYNTAX, "a repeated buyer key is rejected");
		resp_free(&back);
	}
	odr_resp_serialize(&r, buf);
	buf[0] = 'X';
	odr_resp_init(&back, test_alloc, NULL);
	ok(odr_resp_deserialize(&back, buf, len, &err) == ODR_ERR_SYNTAX, "a bad header is rejected");
	resp_free(&back);
	free(buf);
	resp_free(&r);
}

static void
test_alloc_failure(void)
{
	int			fails = 0;

	for (int budget = 0; budget < 12; budget++)
	{
		OdrResp		r;
		int			left = budget;
		OdrError	err;
		bool		failed = false;
		char		key[16];

		odr_resp_init(&r, failing_alloc, &left);
		for (int i = 0; i < 200 && !failed; i++)
		{
			int			len = snprintf(key, sizeof(key), "k%d", i % 50);
			OdrStatus	st = odr_resp_add(&r, key, len, i, B, &err);

			if (st != ODR_OK)
			{
				failed = true;
				if (st != ODR_ERR_RANGE || strstr(err.message, "no memory") == NULL)
					fails++;
			}
		}
		if (!failed || r.nmsgs > 200)
			fails++;
		resp_free(&r);
	}
	ok(fails == 0, "an allocator failure is reported as ODR_ERR_RANGE, never a crash (%d wrong)", fails);
}

/* ------------------------------------------------------------------ */
/* Memory and work                                                      */
/* ------------------------------------------------------------------ */

static void
test_memory(void)
{
	OdrResp		r;
	OdrRespCounts c;
	const int	n = 100000;
	size_t		mem;

	odr_resp_init(&r, test_alloc, NULL);
	ok(sizeof(OdrRespMsg) == 16, "a kept message is 16 bytes");
	for (int i = 0; i < n; i++)
	{
		char		key[16];
		int			len = snprintf(key, sizeof(key), "b%d", i % 1000);

		odr_resp_add(&r, key, len, (int64_t) (n - i) * MINUTE, (i % 2) ? S : B, NULL);
	}
	mem = odr_resp_memory(&r);
	ok(mem <= (size_t) n * 2 * 16 + 1000 * 64 + 4096,
	   "100000 messages of 1000 buyers take %zu bytes (at most 2 x 16 per message + 64 per buyer)", mem);
	local_calls = 0;
	odr_resp_evaluate(&r, &odr_resp_default_rules, test_local, (void *) &utc, &c);
	ok(local_calls == n / 2, "the local calendar is computed once per buyer message (%d calls)", local_calls);
	ok(r.sorted && c.counted > 0, "the final step sorts the messages in place");
	{
		OdrRespCounts again;

		odr_resp_add(&r, "new", 3, 9 * HOUR, B, NULL);
		ok(!r.sorted, "adding after evaluating marks the state unsorted");
		odr_resp_evaluate(&r, &odr_resp_default_rules, test_local, (void *) &utc, &again);
		ok(again.counted == c.counted + 1 && again.answered == c.answered,
		   "evaluating again after one more counted message counts it");
	}
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* The reply pairing (odr_resp_pair: the Walmart seller response, M3.1) */
/* ------------------------------------------------------------------ */

/* One buyer message and its answer, as the walk reports it. */
typedef struct Pair
{
	char		key[8];
	int64_t		t;
	bool		answered;
	int64_t		answered_t;
} Pair;

typedef struct PairList
{
	const OdrResp *r;
	Pair	   *p;
	int			n;
	int			cap;
} PairList;

static void
collect_pair(void *arg, uint32_t buyer, int64_t t, bool answered, int64_t answered_t)
{
	PairList   *l = arg;
	size_t		len;
	const char *key = odr_resp_buyer_key(l->r, buyer, &len);

	if (l->n == l->cap)
	{
		l->cap = l->cap ? l->cap * 2 : 16;
		l->p = realloc(l->p, sizeof(Pair) * l->cap);
	}
	memset(&l->p[l->n], 0, sizeof(Pair));
	memcpy(l->p[l->n].key, key, len < 7 ? len : 7);
	l->p[l->n].t = t;
	l->p[l->n].answered = answered;
	l->p[l->n].answered_t = answered ? answered_t : 0;
	l->n++;
}

static PairList
pairs_of(OdrResp *r)
{
	PairList	l = {r, NULL, 0, 0};
	OdrError	err;

	if (odr_resp_pair(r, collect_pair, &l, &err) != ODR_OK)
		diag("odr_resp_pair failed: %s", err.message);
	return l;
}

static int
pair_cmp(const void *a, const void *b)
{
	const Pair *x = a;
	const Pair *y = b;
	int			c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return (x->t > y->t) - (x->t < y->t);
}

/* The naive reference: for each buyer message, the earliest seller message of the same buyer at t or later. */
static PairList
reference_pairs(const Msg *m, int n)
{
	PairList	l = {NULL, malloc(sizeof(Pair) * (n + 1)), 0, n + 1};

	for (int i = 0; i < n; i++)
	{
		Pair	   *p;

		if (m[i].kind != B)
			continue;
		p = &l.p[l.n++];
		memset(p, 0, sizeof(*p));
		snprintf(p->key, sizeof(p->key), "%s", m[i].buyer);
		p->t = m[i].t;
		for (int k = 0; k < n; k++)
		{
			if (m[k].kind == S && strcmp(m[k].buyer, m[i].buyer) == 0 && m[k].t >= m[i].t &&
				(!p->answered || m[k].t < p->answered_t))
			{
				p->answered = true;
				p->answered_t = m[k].t;
			}
		}
	}
	qsort(l.p, l.n, sizeof(Pair), pair_cmp);
	return l;
}

static bool
same_pairs(const PairList *a, const PairList *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
	{
		if (strcmp(a->p[i].key, b->p[i].key) != 0 || a->p[i].t != b->p[i].t ||
			a->p[i].answered != b->p[i].answered || a->p[i].answered_t != b->p[i].answered_t)
			return false;
	}
	return true;
}

static void
test_pairs(void)
{
	const int64_t t0 = 200 * DAY;
	Msg			m[] = {
		/* bob: two questions, then one reply: both get it */
		{"bob", t0, B}, {"bob", t0 + HOUR, B}, {"bob", t0 + 2 * HOUR, S},
		/* ann: a reply before the question is no answer; the next one is */
		{"ann", t0 - MINUTE, S}, {"ann", t0, B}, {"ann", t0 + 50 * HOUR, S}, {"ann", t0 + 60 * HOUR, S},
		/* cy: answered only by another buyer's seller message (bob's): none */
		{"cy", t0 + HOUR, B},
		/* di: a reply at the same instant is the answer */
		{"di", t0 + 3 * HOUR, S}, {"di", t0 + 3 * HOUR, B},
		/* ab, a, "": prefixes and the empty key sort by bytes */
		{"ab", t0, B}, {"a", t0 + 1, B}, {"", t0 + 2, B}, {"", t0 + 3, S},
	};
	OdrResp		r;
	PairList	l;
	const char *order[] = {"", "a", "ab", "ann", "bob", "bob", "cy", "di"};
	bool		in_order = true;

	odr_resp_init(&r, test_alloc, NULL);
	add_all(&r, m, N(m));
	l = pairs_of(&r);
	ok(l.n == 8, "pairing: one result per buyer message (%d)", l.n);
	for (int i = 0; i < l.n && i < 8; i++)
		in_order &= strcmp(l.p[i].key, order[i]) == 0;
	ok(in_order, "pairing: results by buyer key in byte order (a key before the longer keys it begins, the empty key first)");
	ok(l.n == 8 && l.p[4].answered && l.p[4].answered_t == t0 + 2 * HOUR &&
	   l.p[5].answered && l.p[5].answered_t == t0 + 2 * HOUR && l.p[4].t == t0 && l.p[5].t == t0 + HOUR,
	   "pairing: two buyer messages before one reply both get that reply, in time order");
	ok(l.n == 8 && l.p[3].answered && l.p[3].answered_t == t0 + 50 * HOUR,
	   "pairing: a reply before the message is no answer; the first reply after it is");
	ok(l.n == 8 && !l.p[6].answered, "pairing: another buyer's reply is no answer (buyers never answer each other)");
	ok(l.n == 8 && l.p[7].answered && l.p[7].answered_t == t0 + 3 * HOUR,
	   "pairing: a seller message at the same instant is the answer");
	ok(l.n == 8 && !l.p[1].answered && !l.p[2].answered && l.p[0].answered && l.p[0].answered_t == t0 + 3,
	   "pairing: unanswered messages say so; the empty key is a conversation of its own");
	free(l.p);

	/* renumbering keeps the state usable: the same key finds the same buyer */
	{
		uint32_t	nb = r.nbuyers;
		OdrRespCounts before,
					after;
		PairList	again;

		odr_resp_add(&r, "bob", 3, t0 + 3 * HOUR, S, NULL);
		ok(r.nbuyers == nb, "after renumbering, an existing key is found again (no new buyer)");
		again = pairs_of(&r);
		ok(again.n == 8 && !again.p[6].answered && again.p[5].answered_t == t0 + 2 * HOUR,
		   "pairing twice (a message added in between) gives the same answers");
		free(again.p);
		odr_resp_evaluate(&r, &odr_resp_default_rules, test_local, (void *) &utc, &before);
		odr_resp_order_buyers(&r, NULL);
		odr_resp_evaluate(&r, &odr_resp_default_rules, test_local, (void *) &utc, &after);
		ok(same_counts(before, after), "renumbering the buyers changes no S4 count");
	}
	resp_free(&r);

	/* an empty state pairs nothing */
	odr_resp_init(&r, test_alloc, NULL);
	l = pairs_of(&r);
	ok(l.n == 0, "pairing an empty state gives nothing");
	free(l.p);
	resp_free(&r);

	/* renumbering when the allocator fails: ODR_ERR_RANGE, the state unchanged */
	{
		int			left = 1000;
		OdrError	err;
		OdrStatus	st;
		PairList	l2;

		odr_resp_init(&r, failing_alloc, &left);
		add_all(&r, m, N(m));
		left = 1;
		st = odr_resp_order_buyers(&r, &err);
		ok(st == ODR_ERR_RANGE, "renumbering the buyers without memory is ODR_ERR_RANGE");
		left = 1000;
		l2 = pairs_of(&r);
		ok(l2.n == 8 && strcmp(l2.p[0].key, "") == 0 && strcmp(l2.p[7].key, "di") == 0,
		   "... and the state is intact: pairing then works");
		free(l2.p);
		resp_free(&r);
	}
}

static const char *const pair_names[] = {"ab", "a", "b", "", "ba", "abc", "bob"};

static void
test_pairs_random(void)
{
	enum
	{
		ROUNDS = 300, MAXN = 300
	};
	Msg		   *m = malloc(sizeof(Msg) * MAXN);
	int			bad_ref = 0,
				bad_shuffle = 0,
				bad_merge = 0,
				bad_serial = 0,
				some_answered = 0,
				some_not = 0;

	for (int round = 0; round < ROUNDS; round++)
	{
		int			n = 1 + (int) rnd_below(MAXN);
		PairList	want,
					got;
		OdrResp		r;

		random_msgs(m, n, 1 + (int) rnd_below(N(buyer_names)));
		/* other keys: prefixes of each other and the empty key */
		for (int i = 0; i < n; i++)
			m[i].buyer = pair_names[(m[i].buyer[0] - 'a') % N(pair_names)];
		want = reference_pairs(m, n);
		for (int i = 0; i < want.n; i++)
		{
			some_answered += want.p[i].answered;
			some_not += !want.p[i].answered;
		}
		odr_resp_init(&r, test_alloc, NULL);
		add_all(&r, m, n);
		got = pairs_of(&r);
		if (!same_pairs(&want, &got) && bad_ref++ == 0)
			diag("round %d: reference %d pairs, core %d", round, want.n, got.n);
		free(got.p);
		resp_free(&r);

		shuffle(m, n);
		odr_resp_init(&r, test_alloc, NULL);
		add_all(&r, m, n);
		got = pairs_of(&r);
		bad_shuffle += !same_pairs(&want, &got);
		free(got.p);
		resp_free(&r);

		/* three parts merged in a rotating order (buyers interned in another order) */
		{
			OdrResp		part[3],
						all,
						back;
			int			cut1 = (int) rnd_below(n + 1),
						cut2 = cut1 + (int) rnd_below(n - cut1 + 1);
			OdrError	err;
			size_t		len;
			unsigned char *buf;

			for (int p = 0; p < 3; p++)
				odr_resp_init(&part[p], test_alloc, NULL);
			add_all(&part[0], m, cut1);
			add_all(&part[1], m + cut1, cut2 - cut1);
			add_all(&part[2], m + cut2, n - cut2);
			odr_resp_init(&all, test_alloc, NULL);
			for (int p = 0; p < 3; p++)
				odr_resp_merge(&all, &part[(p + round) % 3], &err);
			len = odr_resp_serial_size(&all);
			buf = malloc(len);
			odr_resp_serialize(&all, buf);
			got = pairs_of(&all);
			bad_merge += !same_pairs(&want, &got);
			free(got.p);
			odr_resp_init(&back, test_alloc, NULL);
			if (odr_resp_deserialize(&back, buf, len, &err) != ODR_OK)
				bad_serial++;
			else
			{
				got = pairs_of(&back);
				bad_serial += !same_pairs(&want, &got);
				free(got.p);
			}
			free(buf);
			resp_free(&back);
			resp_free(&all);
			for (int p = 0; p < 3; p++)
				resp_free(&part[p]);
		}
		free(want.p);
	}
	ok(some_answered > 0 && some_not > 0, "random pairing data has answered (%d) and unanswered (%d) messages",
	   some_answered, some_not);
	ok(bad_ref == 0, "pairing: the core equals the naive reference on %d random message sets (%d differ)", ROUNDS, bad_ref);
	ok(bad_shuffle == 0, "pairing: shuffled input gives the same pairs in the same order (%d differ)", bad_shuffle);
	ok(bad_merge == 0, "pairing: three parts merged in any order give the same pairs in the same order (%d differ)", bad_merge);
	ok(bad_serial == 0, "pairing: a serialised and read back state gives the same pairs (%d differ)", bad_serial);
	free(m);
}

int
main(void)
{
	test_senders();
	test_hours();
	test_rules();
	test_zones();
	test_collisions();
	test_interning();
	test_random();
	test_merge_zone();
	test_serial_errors();
	test_alloc_failure();
	test_memory();
	test_pairs();
	test_pairs_random();
	printf("1..%d\n", ntests);
	if (nfailed)
		printf("# %d of %d tests failed\n", nfailed, ntests);
	return nfailed ? 1 : 0;
}
