/*
 * engine_test.c — unit tests of the policy engine (src/rules/engine_core.c),
 * no server.  Issue 14: the Amazon policy of shared/rules.md M1 and the eBay
 * policy of M2 built in C from the engine's pieces, an AliExpress-like tier
 * list (A), and the constructs of issue 20 the engine already has (rounding,
 * a cap that switches by volume).  Expected answers are worked out by hand
 * from rules.md in the comments, never read back from the engine.
 *
 * TAP output; exit status 1 when a test fails.  Randomised tests use a
 * fixed-seed generator, so every run is the same.  Built by `make unit`:
 *   cc -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/rules \
 *      -o test/unit/engine_test test/unit/engine_test.c \
 *      src/rules/engine_core.c src/rules/odr_core.c -lm
 */
#include "engine_core.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

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

static bool
ok_status(OdrStatus got, OdrStatus want, const OdrError *err, const char *what)
{
	bool		pass = ok(got == want, "%s -> %s", what, status_name(want));

	if (!pass)
		diag("  got %s (%s)", status_name(got), got != ODR_OK ? err->message : "");
	else if (got != ODR_OK)
		diag("  message: %s", err->message);
	return pass;
}

static uint64_t rng_state = 20240601;

static uint64_t
rnd64(void)
{
	/* splitmix64 */
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int64_t
rnd_below(int64_t n)
{
	return n <= 0 ? 0 : (int64_t) (rnd64() % (uint64_t) n);
}

/* A buyer's hash: a fixed mix of a buyer number (never 0). */
static uint64_t
buyer(uint64_t n)
{
	uint64_t	z = n * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return z == 0 ? 1 : z;
}

static int64_t
D(int y, int m, int d)
{
	return odr_days_from_civil(y, m, d);
}

static OdrDecimal
dec(const char *s)
{
	OdrDecimal	d = {0, 0};
	OdrError	e;

	if (odr_decimal_parse(s, &d, &e) != ODR_OK)
	{
		fprintf(stderr, "bad decimal in the test: %s\n", s);
		exit(2);
	}
	return d;
}

static char datebuf[4][16];
static int	datebuf_i;

static const char *
ymd(int64_t day)
{
	int64_t		y;
	int			m,
				d;
	char	   *b = datebuf[datebuf_i++ % 4];

	odr_civil_from_days(day, &y, &m, &d);
	snprintf(b, 16, "%04d-%02d-%02d", (int) y, m, d);
	return b;
}

/* ------------------------------------------------------------------ */
/* Building policies                                                    */
/* ------------------------------------------------------------------ */

static void
policy_init(OdrPolicyDef *p, int nbases, int nvalues, int nevents)
{
	memset(p, 0, sizeof(*p));
	p->nbases = nbases;
	p->nvalues = nvalues;
	p->nevents = nevents;
}

static int
counter(OdrPolicyDef *p, const char *name, OdrCounterKind kind, uint64_t all,
		uint64_t any, uint64_t none, int basis)
{
	OdrCounterDef *c = &p->counters[p->ncounters];

	snprintf(c->name, sizeof(c->name), "%s", name);
	c->kind = kind;
	c->when.all = all;
	c->when.any = any;
	c->when.none = none;
	c->basis = basis;
	c->value = 0;
	c->k = 0;
	return p->ncounters++;
}

static int
window(OdrPolicyDef *p, const char *name, OdrWindowKind kind, int length, int lag)
{
	OdrWindowDef *w = &p->windows[p->nwindows];

	snprintf(w->name, sizeof(w->name), "%s", name);
	w->kind = kind;
	w->length = length;
	w->lag = lag;
	return p->nwindows++;
}

static int
by_volume(OdrPolicyDef *p, const char *name, int primary, int fallback, int cnt, int64_t min)
{
	int			w = window(p, name, ODR_WINDOW_BY_VOLUME, 0, 0);

	p->windows[w].primary = primary;
	p->windows[w].fallback = fallback;
	p->windows[w].volume_counter = cnt;
	p->windows[w].volume_min = min;
	return w;
}

static int
metric(OdrPolicyDef *p, const char *name, OdrMetricKind kind, int num, int den, int win)
{
	OdrMetricDef *m = &p->metrics[p->nmetrics];

	snprintf(m->name, sizeof(m->name), "%s", name);
	m->kind = kind;
	m->numerator = num;
	m->denominator = den;
	m->window = win;
	return p->nmetrics++;
}

/* A standard; the comparisons added next belong to it. */
static int
standard(OdrPolicyDef *p, const char *name)
{
	OdrStandardDef *s = &p->standards[p->nstandards];

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->first = p->ncomparisons;
	s->n = 0;
	return p->nstandards++;
}

static int
cmp(OdrPolicyDef *p, int m, OdrCmp op, const char *threshold)
{
	OdrComparisonDef *c = &p->comparisons[p->ncomparisons];

	memset(c, 0, sizeof(*c));
	c->metric = m;
	c->op = op;
	c->threshold = dec(threshold);
	c->rounding = ODR_ROUND_NONE;
	c->applies_metric = -1;
	p->standards[p->nstandards - 1].n++;
	return p->ncomparisons++;
}

static void
cmp_round(OdrPolicyDef *p, int c, OdrRounding r, int digits)
{
	p->comparisons[c].rounding = r;
	p->comparisons[c].digits = digits;
}

/* applies while metric m is in [min, max) (NULL: open) */
static void
cmp_range(OdrPolicyDef *p, int c, int m, const char *min, const char *max)
{
	OdrComparisonDef *cd = &p->comparisons[c];

	cd->applies_metric = m;
	cd->has_applies_min = min != NULL;
	if (min != NULL)
		cd->applies_min = dec(min);
	cd->has_applies_max = max != NULL;
	if (max != NULL)
		cd->applies_max = dec(max);
}

static int
level(OdrPolicyDef *p, const char *name, int rank, OdrLevelMode mode, uint32_t standards)
{
	OdrLevelDef *l = &p->levels[p->nlevels];

	snprintf(l->name, sizeof(l->name), "%s", name);
	l->rank = rank;
	l->mode = mode;
	l->standards = standards;
	return p->nlevels++;
}

#define BIT(i) (UINT64_C(1) << (i))
#define SBIT(i) (UINT32_C(1) << (i))

/* ------------------------------------------------------------------ */
/* Rows and evaluation                                                  */
/* ------------------------------------------------------------------ */

#define MAXROWS 20000
static OdrEngRow rows[MAXROWS];
static int	nrows;

static void
rows_clear(void)
{
	nrows = 0;
}

static OdrEngRow *
row_add(uint64_t events, uint64_t who, int64_t day0)
{
	OdrEngRow  *r = &rows[nrows++];

	if (nrows > MAXROWS)
	{
		fprintf(stderr, "too many rows\n");
		exit(2);
	}
	memset(r, 0, sizeof(*r));
	for (int b = 0; b < ODR_ENG_MAX_BASES; b++)
		r->days[b] = ODR_ENG_NO_DAY;
	r->events = events;
	r->buyer = who;
	r->days[0] = day0;
	return r;
}

static OdrTally TW[ODR_ENG_MAX_WINDOWS];
static OdrEvaluation EV;

/* The tally of window w on `day` straight from the rows (up to `known`: the
 * rows whose first basis day is after it are not known yet). */
static void
tally_window(const OdrPolicyDef *p, int w, int64_t day, int64_t known, OdrTally *t)
{
	int64_t		f,
				l;
	OdrError	e;

	odr_tally_init(p, t);
	if (p->windows[w].kind == ODR_WINDOW_BY_VOLUME)
		return;
	if (odr_window_days(&p->windows[w], day, &f, &l, &e) != ODR_OK)
	{
		fprintf(stderr, "window: %s\n", e.message);
		exit(2);
	}
	for (int i = 0; i < nrows; i++)
		if (rows[i].days[0] <= known &&
			odr_tally_add_row(p, t, &rows[i], f, l, &e) != ODR_OK)
		{
			fprintf(stderr, "add_row: %s\n", e.message);
			exit(2);
		}
}

/* Evaluate on `day` over the rows known on `known`; EV, TW filled. */
static void
evaluate_known(const OdrPolicyDef *p, int64_t day, int64_t known)
{
	OdrError	e;

	for (int w = 0; w < p->nwindows; w++)
		tally_window(p, w, day, known, &TW[w]);
	if (odr_policy_evaluate(p, day, TW, &EV, &e) != ODR_OK)
	{
		fprintf(stderr, "evaluate: %s\n", e.message);
		exit(2);
	}
}

static void
evaluate(const OdrPolicyDef *p, int64_t day)
{
	evaluate_known(p, day, INT64_MAX);
}

static bool
metric_is(int m, int64_t num, int64_t den)
{
	const OdrMetricValue *v = &EV.metrics[m];

	if (!v->measured)
	{
		diag("  metric %d not measured, want %lld/%lld", m, (long long) num, (long long) den);
		return false;
	}
	if ((__int128) v->value.num * den != (__int128) num * v->value.den)
	{
		diag("  metric %d is %lld/%lld, want %lld/%lld", m, (long long) v->value.num,
			 (long long) v->value.den, (long long) num, (long long) den);
		return false;
	}
	return true;
}

static const char *
tri(OdrTri t)
{
	return t == ODR_MET ? "MET" : (t == ODR_FAILED ? "FAILED" : "NA");
}

static bool
standard_is(int s, OdrTri want)
{
	if (EV.standards[s] != want)
	{
		diag("  standard %d is %s, want %s", s, tri(EV.standards[s]), tri(want));
		return false;
	}
	return true;
}

static bool
level_is(const OdrPolicyDef *p, const char *name)
{
	if (strcmp(p->levels[EV.level].name, name) != 0)
	{
		diag("  level is %s, want %s", p->levels[EV.level].name, name);
		return false;
	}
	return true;
}

static bool
deciding_is(int s)
{
	if (EV.deciding_standard != s)
	{
		diag("  deciding standard is %d, want %d", EV.deciding_standard, s);
		return false;
	}
	return true;
}

static void
prepare_or_die(OdrPolicyDef *p, const char *what)
{
	OdrError	e;

	if (odr_policy_def_prepare(p, &e) != ODR_OK)
	{
		fprintf(stderr, "policy %s: %s\n", what, e.message);
		exit(2);
	}
}

/* ------------------------------------------------------------------ */
/* M1 Amazon                                                            */
/* ------------------------------------------------------------------ */

/* events of an Amazon order row (the SQL side sets them: M1, Readings) */
enum
{
	A_MFN, A_AFN,
	A_NEG,						/* feedback of 1-2 stars (3 is not negative) */
	A_CLAIM,					/* an A-to-z claim open or granted (denied,
								 * withdrawn, won on appeal: not set) */
	A_CB,						/* a service chargeback */
	A_SHIPPED,					/* shipment confirmed */
	A_LATE,						/* confirmed strictly after expected ship */
	A_CANCEL,					/* seller or auto cancel before any ship
								 * confirmation (buyer-requested: not set) */
	A_TRACKED,					/* valid tracking */
	A_NEVENTS
};
enum
{
	A_ORDER_DATE, A_PROMISED
};

static OdrPolicyDef amazon;
static int	am_odr_mfn, am_odr_afn, am_mfn_orders, am_afn_orders, am_mfn_claims,
			am_mfn_cb, am_mfn_neg, am_afn_claims, am_afn_cb, am_afn_neg, am_lsr10,
			am_lsr30, am_pfcr, am_vtr, am_young;
static int	as_odr_mfn, as_odr_afn, as_lsr10, as_lsr30, as_pfcr, as_vtr;
static int	ac_odr_mfn;

static void
build_amazon(void)
{
	OdrPolicyDef *p = &amazon;
	uint64_t	defect = BIT(A_NEG) | BIT(A_CLAIM) | BIT(A_CB);
	int			c_mfn, c_mfn_def, c_mfn_claim, c_mfn_cb, c_mfn_neg, c_afn, c_afn_def,
				c_afn_claim, c_afn_cb, c_afn_neg, c_shipped, c_late, c_cancel,
				c_vtr_shipped, c_vtr_valid, c_orders;
	int			d60, d30, d10, d7;

	policy_init(p, 2, 0, A_NEVENTS);
	c_mfn = counter(p, "mfn_orders", ODR_COUNTER_COUNT, BIT(A_MFN), 0, 0, A_ORDER_DATE);
	c_mfn_def = counter(p, "mfn_defective", ODR_COUNTER_COUNT, BIT(A_MFN), defect, 0, A_ORDER_DATE);
	c_mfn_claim = counter(p, "mfn_claims", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_CLAIM), 0, 0, A_ORDER_DATE);
	c_mfn_cb = counter(p, "mfn_chargebacks", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_CB), 0, 0, A_ORDER_DATE);
	c_mfn_neg = counter(p, "mfn_negative_feedback", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_NEG), 0, 0, A_ORDER_DATE);
	c_afn = counter(p, "afn_orders", ODR_COUNTER_COUNT, BIT(A_AFN), 0, 0, A_ORDER_DATE);
	c_afn_def = counter(p, "afn_defective", ODR_COUNTER_COUNT, BIT(A_AFN), defect, 0, A_ORDER_DATE);
	c_afn_claim = counter(p, "afn_claims", ODR_COUNTER_COUNT, BIT(A_AFN) | BIT(A_CLAIM), 0, 0, A_ORDER_DATE);
	c_afn_cb = counter(p, "afn_chargebacks", ODR_COUNTER_COUNT, BIT(A_AFN) | BIT(A_CB), 0, 0, A_ORDER_DATE);
	c_afn_neg = counter(p, "afn_negative_feedback", ODR_COUNTER_COUNT, BIT(A_AFN) | BIT(A_NEG), 0, 0, A_ORDER_DATE);
	c_shipped = counter(p, "mfn_shipped", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_SHIPPED), 0, 0, A_ORDER_DATE);
	c_late = counter(p, "mfn_late", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_SHIPPED) | BIT(A_LATE), 0, 0, A_ORDER_DATE);
	c_cancel = counter(p, "mfn_cancelled", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_CANCEL), 0, 0, A_ORDER_DATE);
	c_vtr_shipped = counter(p, "vtr_shipped", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_SHIPPED), 0, 0, A_PROMISED);
	c_vtr_valid = counter(p, "vtr_valid", ODR_COUNTER_COUNT, BIT(A_MFN) | BIT(A_SHIPPED) | BIT(A_TRACKED), 0, 0, A_PROMISED);
	c_orders = counter(p, "orders", ODR_COUNTER_COUNT, 0, BIT(A_MFN) | BIT(A_AFN), 0, A_ORDER_DATE);

	d60 = window(p, "60_days", ODR_WINDOW_DAYS, 60, 0);
	d30 = window(p, "30_days", ODR_WINDOW_DAYS, 30, 0);
	d10 = window(p, "10_days", ODR_WINDOW_DAYS, 10, 0);
	d7 = window(p, "7_days", ODR_WINDOW_DAYS, 7, 0);

	am_odr_mfn = metric(p, "odr_mfn", ODR_METRIC_RATE, c_mfn_def, c_mfn, d60);
	am_odr_afn = metric(p, "odr_afn", ODR_METRIC_RATE, c_afn_def, c_afn, d60);
	am_mfn_orders = metric(p, "mfn_orders", ODR_METRIC_COUNT, c_mfn, -1, d60);
	am_mfn_claims = metric(p, "mfn_claims", ODR_METRIC_COUNT, c_mfn_claim, -1, d60);
	am_mfn_cb = metric(p, "mfn_chargebacks", ODR_METRIC_COUNT, c_mfn_cb, -1, d60);
	am_mfn_neg = metric(p, "mfn_negative_feedback", ODR_METRIC_COUNT, c_mfn_neg, -1, d60);
	am_afn_orders = metric(p, "afn_orders", ODR_METRIC_COUNT, c_afn, -1, d60);
	am_afn_claims = metric(p, "afn_claims", ODR_METRIC_COUNT, c_afn_claim, -1, d60);
	am_afn_cb = metric(p, "afn_chargebacks", ODR_METRIC_COUNT, c_afn_cb, -1, d60);
	am_afn_neg = metric(p, "afn_negative_feedback", ODR_METRIC_COUNT, c_afn_neg, -1, d60);
	am_lsr10 = metric(p, "late_shipment_rate_10", ODR_METRIC_RATE, c_late, c_shipped, d10);
	am_lsr30 = metric(p, "late_shipment_rate_30", ODR_METRIC_RATE, c_late, c_shipped, d30);
	am_pfcr = metric(p, "pre_fulfillment_cancel_rate", ODR_METRIC_RATE, c_cancel, c_mfn, d7);
	am_vtr = metric(p, "valid_tracking_rate", ODR_METRIC_RATE, c_vtr_valid, c_vtr_shipped, d30);
	am_young = metric(p, "young_orders", ODR_METRIC_COUNT, c_orders, -1, d30);

	as_odr_mfn = standard(p, "odr_mfn");
	ac_odr_mfn = cmp(p, am_odr_mfn, ODR_CMP_LT, "0.01");
	as_odr_afn = standard(p, "odr_afn");
	cmp(p, am_odr_afn, ODR_CMP_LT, "0.01");
	as_lsr10 = standard(p, "lsr_10");
	cmp(p, am_lsr10, ODR_CMP_LT, "0.04");
	as_lsr30 = standard(p, "lsr_30");
	cmp(p, am_lsr30, ODR_CMP_LT, "0.04");
	as_pfcr = standard(p, "pfcr");
	cmp(p, am_pfcr, ODR_CMP_LT, "0.025");
	as_vtr = standard(p, "vtr");
	cmp(p, am_vtr, ODR_CMP_GE, "0.95");

	level(p, "at_risk", 0, ODR_LEVEL_ANY_FAILED, 0x3F);
	level(p, "healthy", 1, ODR_LEVEL_OTHERWISE, 0);
	prepare_or_die(p, "amazon");
}

/* An Amazon order: channel and events, order date, promised delivery date. */
static OdrEngRow *
amz(uint64_t events, int64_t order_day, int64_t promised)
{
	OdrEngRow  *r = row_add(events, 0, order_day);

	r->days[A_PROMISED] = promised;
	return r;
}

/* n mfn orders shipped on time with valid tracking, order dates spread over
 * [from, to], promised 3 days later */
static void
amz_good_mfn(int n, int64_t from, int64_t to)
{
	for (int i = 0; i < n; i++)
	{
		int64_t		d = from + (to - from + 1) * i / n;

		amz(BIT(A_MFN) | BIT(A_SHIPPED) | BIT(A_TRACKED), d, d + 3);
	}
}

/* ------------------------------------------------------------------ */
/* M2 eBay                                                              */
/* ------------------------------------------------------------------ */

enum
{
	E_CANCELLED,				/* cancelled, by anyone */
	E_SELLER_CANCEL,			/* cancelled by the seller (out of stock) */
	E_CASE,						/* a case closed without seller resolution */
	E_LATE,						/* shipped late (M1's test) */
	E_NEVENTS
};

static OdrPolicyDef ebay;
static int	ew_m3, ew_m12, ew_lookback, ew_life;
static int	em_defect_rate, em_defect_buyers, em_case_rate, em_case_buyers, em_late_rate,
			em_late_buyers, em_defects, em_cases, em_lates, em_tx12, em_sales12, em_age,
			em_tx;
static int	es_defects_top, es_cases, es_late_top, es_tenure, es_volume, es_sales,
			es_defects_below;
static int	ec_defect_rate_top, ec_defect_buyers_top;

static void
build_ebay(void)
{
	OdrPolicyDef *p = &ebay;
	uint64_t	defect = BIT(E_SELLER_CANCEL) | BIT(E_CASE);
	int			c_tx, c_def, c_case, c_late, c_def_b, c_case_b, c_late_b, c_sales, c_first;

	policy_init(p, 1, 1, E_NEVENTS);
	c_tx = counter(p, "transactions", ODR_COUNTER_COUNT, 0, 0, 0, 0);
	c_def = counter(p, "defects", ODR_COUNTER_COUNT, 0, defect, 0, 0);
	c_case = counter(p, "cases", ODR_COUNTER_COUNT, BIT(E_CASE), 0, 0, 0);
	c_late = counter(p, "late", ODR_COUNTER_COUNT, BIT(E_LATE), 0, 0, 0);
	/* k = the largest floor + 1: defects 4 (Below Standard: 5 buyers
	 * fail), cases 2, late shipment 5 */
	c_def_b = counter(p, "defect_buyers", ODR_COUNTER_DISTINCT, 0, defect, 0, 0);
	p->counters[c_def_b].k = 5;
	c_case_b = counter(p, "case_buyers", ODR_COUNTER_DISTINCT, BIT(E_CASE), 0, 0, 0);
	p->counters[c_case_b].k = 3;
	c_late_b = counter(p, "late_buyers", ODR_COUNTER_DISTINCT, BIT(E_LATE), 0, 0, 0);
	p->counters[c_late_b].k = 6;
	c_sales = counter(p, "sales", ODR_COUNTER_SUM, 0, 0, BIT(E_CANCELLED), 0);
	p->counters[c_sales].value = 0;
	c_first = counter(p, "first_transaction", ODR_COUNTER_FIRST_DAY, 0, 0, 0, 0);

	ew_m3 = window(p, "3_months", ODR_WINDOW_MONTHS, 3, 0);
	ew_m12 = window(p, "12_months", ODR_WINDOW_MONTHS, 12, 0);
	ew_lookback = by_volume(p, "lookback", ew_m3, ew_m12, c_tx, 400);
	ew_life = window(p, "lifetime", ODR_WINDOW_LIFETIME, 0, 0);

	em_defect_rate = metric(p, "defect_rate", ODR_METRIC_RATE, c_def, c_tx, ew_lookback);
	em_defect_buyers = metric(p, "defect_buyers", ODR_METRIC_DISTINCT, c_def_b, -1, ew_lookback);
	em_case_rate = metric(p, "case_rate", ODR_METRIC_RATE, c_case, c_tx, ew_lookback);
	em_case_buyers = metric(p, "case_buyers", ODR_METRIC_DISTINCT, c_case_b, -1, ew_lookback);
	em_late_rate = metric(p, "late_rate", ODR_METRIC_RATE, c_late, c_tx, ew_lookback);
	em_late_buyers = metric(p, "late_buyers", ODR_METRIC_DISTINCT, c_late_b, -1, ew_lookback);
	em_defects = metric(p, "defects", ODR_METRIC_COUNT, c_def, -1, ew_lookback);
	em_cases = metric(p, "cases", ODR_METRIC_COUNT, c_case, -1, ew_lookback);
	em_lates = metric(p, "late_shipments", ODR_METRIC_COUNT, c_late, -1, ew_lookback);
	em_tx = metric(p, "transactions", ODR_METRIC_COUNT, c_tx, -1, ew_lookback);
	em_tx12 = metric(p, "transactions_12", ODR_METRIC_COUNT, c_tx, -1, ew_m12);
	em_sales12 = metric(p, "sales_12", ODR_METRIC_SUM, c_sales, -1, ew_m12);
	em_age = metric(p, "days_since_first", ODR_METRIC_DAYS_SINCE, c_first, -1, ew_life);

	es_defects_top = standard(p, "defects_top_rated");
	ec_defect_rate_top = cmp(p, em_defect_rate, ODR_CMP_LE, "0.005");
	ec_defect_buyers_top = cmp(p, em_defect_buyers, ODR_CMP_LE, "3");
	es_cases = standard(p, "cases");
	cmp(p, em_case_rate, ODR_CMP_LE, "0.003");
	cmp(p, em_case_buyers, ODR_CMP_LE, "2");
	es_late_top = standard(p, "late_top_rated");
	cmp(p, em_late_rate, ODR_CMP_LE, "0.03");
	cmp(p, em_late_buyers, ODR_CMP_LE, "5");
	es_tenure = standard(p, "tenure");
	cmp(p, em_age, ODR_CMP_GE, "90");
	es_volume = standard(p, "volume_12");
	cmp(p, em_tx12, ODR_CMP_GE, "100");
	es_sales = standard(p, "sales_12");
	cmp(p, em_sales12, ODR_CMP_GE, "1000");
	es_defects_below = standard(p, "defects_below_standard");
	cmp(p, em_defect_rate, ODR_CMP_LE, "0.02");
	cmp(p, em_defect_buyers, ODR_CMP_LE, "4");

	level(p, "below_standard", 0, ODR_LEVEL_ANY_FAILED,
		  SBIT(es_defects_below) | SBIT(es_cases));
	level(p, "top_rated", 2, ODR_LEVEL_ALL_MET,
		  SBIT(es_defects_top) | SBIT(es_cases) | SBIT(es_late_top) |
		  SBIT(es_tenure) | SBIT(es_volume) | SBIT(es_sales));
	level(p, "above_standard", 1, ODR_LEVEL_OTHERWISE, 0);
	prepare_or_die(p, "ebay");
}

static uint64_t next_buyer = 1;

/* n transactions with `events` spread over [from, to], each from a new
 * buyer (nbuyers 0) or cycling over nbuyers new buyers; US$10 each */
static void
ebay_tx(int n, uint64_t events, int64_t from, int64_t to, int nbuyers)
{
	uint64_t	base = next_buyer;

	for (int i = 0; i < n; i++)
	{
		int64_t		d = from + (to - from + 1) * i / (n > 0 ? n : 1);
		uint64_t	who = nbuyers > 0 ? base + (uint64_t) (i % nbuyers) : next_buyer++;
		OdrEngRow  *r = row_add(events, buyer(who), d);

		r->values[0] = 10 * ODR_ENG_VALUE_SCALE;
	}
	if (nbuyers > 0)
		next_buyer = base + (uint64_t) nbuyers;
}

/* ------------------------------------------------------------------ */
/* A: an AliExpress-like tier list                                      */
/* ------------------------------------------------------------------ */

static OdrPolicyDef ali;
static int	xm_orders, xm_odr;
static int	xs_volume, xs_lt3, xs_lt6, xs_lt12;

static void
build_ali(void)
{
	OdrPolicyDef *p = &ali;
	int			c_orders, c_def, d90;

	policy_init(p, 1, 0, 1);	/* event 0: defective (A5-A12); basis: A3 */
	c_orders = counter(p, "orders", ODR_COUNTER_COUNT, 0, 0, 0, 0);
	c_def = counter(p, "defective", ODR_COUNTER_COUNT, BIT(0), 0, 0, 0);
	d90 = window(p, "90_days", ODR_WINDOW_DAYS, 90, 0);
	xm_orders = metric(p, "orders", ODR_METRIC_COUNT, c_orders, -1, d90);
	xm_odr = metric(p, "odr", ODR_METRIC_RATE, c_def, c_orders, d90);
	xs_volume = standard(p, "min_volume");
	cmp(p, xm_orders, ODR_CMP_GE, "90");
	xs_lt3 = standard(p, "below_3");
	cmp(p, xm_odr, ODR_CMP_LT, "0.03");
	xs_lt6 = standard(p, "below_6");
	cmp(p, xm_odr, ODR_CMP_LT, "0.06");
	xs_lt12 = standard(p, "below_12");
	cmp(p, xm_odr, ODR_CMP_LT, "0.12");
	level(p, "unassessed", 0, ODR_LEVEL_ANY_FAILED, SBIT(xs_volume));
	level(p, "excellent", 4, ODR_LEVEL_ALL_MET, SBIT(xs_lt3));
	level(p, "good", 3, ODR_LEVEL_ALL_MET, SBIT(xs_lt6));
	level(p, "pass", 2, ODR_LEVEL_ALL_MET, SBIT(xs_lt12));
	level(p, "fail", 1, ODR_LEVEL_OTHERWISE, 0);
	prepare_or_die(p, "aliexpress");
}

/* ------------------------------------------------------------------ */
/* Exact numbers                                                        */
/* ------------------------------------------------------------------ */

static void
test_decimals(void)
{
	OdrDecimal	d;
	OdrError	e;
	char		buf[64];

	ok(odr_decimal_parse("0.005", &d, &e) == ODR_OK && d.digits == 5 && d.scale == 3,
	   "decimal: \"0.005\" is 5 / 10^3");
	ok(odr_decimal_parse("-3", &d, &e) == ODR_OK && d.digits == -3 && d.scale == 0,
	   "decimal: \"-3\" is -3");
	ok(odr_decimal_parse("0.50", &d, &e) == ODR_OK && d.digits == 50 && d.scale == 2,
	   "decimal: \"0.50\" keeps its scale 2");
	ok(odr_decimal_parse("9223372036854775807", &d, &e) == ODR_OK && d.digits == INT64_MAX,
	   "decimal: INT64_MAX parses");
	ok(odr_decimal_parse("-9223372036854775808", &d, &e) == ODR_OK && d.digits == INT64_MIN,
	   "decimal: INT64_MIN parses");
	ok_status(odr_decimal_parse("9223372036854775808", &d, &e), ODR_ERR_RANGE, &e,
			  "decimal: INT64_MAX + 1");
	ok_status(odr_decimal_parse("0.1234567890123456789", &d, &e), ODR_ERR_RANGE, &e,
			  "decimal: 19 decimals");
	ok_status(odr_decimal_parse("1e-3", &d, &e), ODR_ERR_SYNTAX, &e, "decimal: \"1e-3\" (plain decimals only)");
	ok_status(odr_decimal_parse("", &d, &e), ODR_ERR_SYNTAX, &e, "decimal: empty text");
	ok_status(odr_decimal_parse("1.2.3", &d, &e), ODR_ERR_SYNTAX, &e, "decimal: two points");
	ok_status(odr_decimal_parse(" 1", &d, &e), ODR_ERR_SYNTAX, &e, "decimal: a space");
	ok_status(odr_decimal_parse("-", &d, &e), ODR_ERR_SYNTAX, &e, "decimal: a sign alone");
	odr_decimal_format(dec("-0.005"), buf, sizeof(buf));
	ok(strcmp(buf, "-0.005") == 0, "decimal: -0.005 formats as \"-0.005\" (got %s)", buf);
	odr_decimal_format(dec("0.50"), buf, sizeof(buf));
	ok(strcmp(buf, "0.50") == 0, "decimal: 0.50 formats as \"0.50\" (got %s)", buf);
	odr_decimal_format(dec("1000"), buf, sizeof(buf));
	ok(strcmp(buf, "1000") == 0, "decimal: 1000 formats as \"1000\" (got %s)", buf);
	ok(odr_decimal_format(dec("-9223372036854775808"), buf, 4) == 20 && strcmp(buf, "-92") == 0,
	   "decimal: format truncates to the buffer and returns the full length");
	ok(odr_rational_cmp_decimal((OdrRational) {1, 100}, dec("0.01")) == 0 &&
	   odr_rational_cmp_decimal((OdrRational) {1, 101}, dec("0.01")) < 0 &&
	   odr_rational_cmp_decimal((OdrRational) {2, 199}, dec("0.01")) > 0,
	   "rational vs decimal: 1/100 = 0.01, 1/101 < 0.01, 2/199 > 0.01");
	ok(odr_rational_cmp_decimal((OdrRational) {1, 3}, dec("0.333333333333333333")) > 0 &&
	   odr_rational_cmp_decimal((OdrRational) {INT64_MAX, INT64_MAX - 1}, dec("1.000000000000000001")) < 0 &&
	   odr_rational_cmp_decimal((OdrRational) {INT64_MAX, 1}, dec("9223372036854775807")) == 0,
	   "rational vs decimal: exact at 18 decimals and at INT64_MAX");
}

/* ------------------------------------------------------------------ */
/* Windows                                                              */
/* ------------------------------------------------------------------ */

static bool
window_is(OdrWindowKind kind, int length, int lag, int64_t day, int64_t want_first, int64_t want_last)
{
	OdrWindowDef w;
	OdrError	e;
	int64_t		f = 0,
				l = 0;

	memset(&w, 0, sizeof(w));
	strcpy(w.name, "w");
	w.kind = kind;
	w.length = length;
	w.lag = lag;
	if (odr_window_days(&w, day, &f, &l, &e) != ODR_OK)
	{
		diag("  error: %s", e.message);
		return false;
	}
	if (f != want_first || l != want_last)
	{
		diag("  got %s .. %s, want %s .. %s", f == INT64_MIN ? "-inf" : ymd(f), ymd(l),
			 want_first == INT64_MIN ? "-inf" : ymd(want_first), ymd(want_last));
		return false;
	}
	return true;
}

static void
test_windows(void)
{
	OdrWindowDef w;
	OdrError	e;
	int64_t		f,
				l;

	ok(window_is(ODR_WINDOW_DAYS, 60, 0, D(2024, 3, 31), D(2024, 2, 1), D(2024, 3, 31)),
	   "window: 60 days ending on 2024-03-31 are 2024-02-01 .. 2024-03-31 (both included)");
	ok(window_is(ODR_WINDOW_DAYS, 7, 2, D(2024, 3, 31), D(2024, 3, 23), D(2024, 3, 29)),
	   "window: 7 days with a lag of 2 end on 2024-03-29");
	/* 2024-03-31 is a Sunday; 2024-04-01 a Monday */
	ok(window_is(ODR_WINDOW_WEEKS, 2, 0, D(2024, 3, 31), D(2024, 3, 11), D(2024, 3, 24)),
	   "window: 2 whole ISO weeks before Sunday 2024-03-31 are Mon 03-11 .. Sun 03-24");
	ok(window_is(ODR_WINDOW_WEEKS, 2, 0, D(2024, 4, 1), D(2024, 3, 18), D(2024, 3, 31)),
	   "window: 2 whole ISO weeks before Monday 2024-04-01 are Mon 03-18 .. Sun 03-31");
	ok(window_is(ODR_WINDOW_QUARTERS, 1, 0, D(2024, 5, 15), D(2024, 1, 1), D(2024, 3, 31)) &&
	   window_is(ODR_WINDOW_QUARTERS, 2, 0, D(2024, 4, 1), D(2023, 10, 1), D(2024, 3, 31)),
	   "window: whole quarters before 2024-05-15 (Q1) and before 2024-04-01 (Q4 2023 + Q1)");
	ok(window_is(ODR_WINDOW_MONTH_TO_DATE, 0, 0, D(2024, 3, 15), D(2024, 3, 1), D(2024, 3, 15)) &&
	   window_is(ODR_WINDOW_MONTH_TO_DATE, 1, 0, D(2024, 3, 15), D(2024, 2, 1), D(2024, 3, 15)),
	   "window: month to date, alone and with the whole month before");
	ok(window_is(ODR_WINDOW_MONTHS, 12, 0, D(2014, 1, 20), D(2013, 1, 1), D(2013, 12, 31)),
	   "window: 12 whole months before January cross the year back");
	ok(window_is(ODR_WINDOW_LIFETIME, 0, 0, D(2024, 3, 15), INT64_MIN, D(2024, 3, 15)),
	   "window: lifetime is every day up to the evaluation");
	memset(&w, 0, sizeof(w));
	strcpy(w.name, "w");
	w.kind = ODR_WINDOW_DAYS;
	w.length = 10;
	ok_status(odr_window_days(&w, ODR_ENG_MIN_DAY + 5, &f, &l, &e), ODR_ERR_RANGE, &e,
			  "window: 10 days ending 5 days after the first date");
	ok_status(odr_window_days(&w, ODR_ENG_MAX_DAY + 1, &f, &l, &e), ODR_ERR_RANGE, &e,
			  "window: a day after the last date");
	w.kind = ODR_WINDOW_BY_VOLUME;
	ok_status(odr_window_days(&w, 0, &f, &l, &e), ODR_ERR_INVALID, &e,
			  "window: a BY_VOLUME window has no days of its own");
}

/* ------------------------------------------------------------------ */
/* M1 Amazon tests                                                      */
/* ------------------------------------------------------------------ */

/* as-of date of the Amazon tests: 60 days back is 2024-02-01 (leap year) */
#define AS_OF D(2024, 3, 31)

static const uint64_t MFN_OK = BIT(A_MFN) | BIT(A_SHIPPED) | BIT(A_TRACKED);

/* Change a row's events in every window tally: subtract its old
 * contribution, add the new one (COUNT-only policy). */
static bool
retally_row(const OdrPolicyDef *p, int64_t day, OdrEngRow *r, uint64_t new_events)
{
	OdrError	e;

	for (int w = 0; w < p->nwindows; w++)
	{
		OdrTally	old;
		int64_t		f,
					l;

		if (odr_window_days(&p->windows[w], day, &f, &l, &e) != ODR_OK)
			return false;
		odr_tally_init(p, &old);
		if (odr_tally_add_row(p, &old, r, f, l, &e) != ODR_OK ||
			odr_tally_subtract(p, &TW[w], &old, &e) != ODR_OK)
			return false;
	}
	r->events = new_events;
	for (int w = 0; w < p->nwindows; w++)
	{
		int64_t		f,
					l;

		if (odr_window_days(&p->windows[w], day, &f, &l, &e) != ODR_OK ||
			odr_tally_add_row(p, &TW[w], r, f, l, &e) != ODR_OK)
			return false;
	}
	return odr_policy_evaluate(p, day, TW, &EV, &e) == ODR_OK;
}

static void
test_m1(void)
{
	const OdrPolicyDef *p = &amazon;
	OdrEngRow  *claimed;
	OdrTally	before[ODR_ENG_MAX_WINDOWS];
	OdrAdvice	adv;
	OdrError	e;
	OdrStatus	st;

	/* M1.1 window */
	rows_clear();
	amz(MFN_OK, AS_OF - 59, AS_OF - 56);
	amz(MFN_OK, AS_OF - 60, AS_OF - 57);
	amz(MFN_OK, AS_OF, AS_OF + 3);
	amz(MFN_OK, AS_OF + 1, AS_OF + 4);
	evaluate(p, AS_OF);
	ok(metric_is(am_mfn_orders, 2, 1),
	   "M1.1: the ODR covers the 60 days of order date ending on the as-of date (2024-02-01 in, 2024-01-31 and 2024-04-01 out)");

	/* M1.1 counted once, per reason counts */
	rows_clear();
	amz_good_mfn(99, AS_OF - 59, AS_OF - 20);
	amz(MFN_OK | BIT(A_NEG) | BIT(A_CLAIM) | BIT(A_CB), AS_OF - 30, AS_OF - 27);
	evaluate(p, AS_OF);
	ok(metric_is(am_odr_mfn, 1, 100) && metric_is(am_mfn_claims, 1, 1) &&
	   metric_is(am_mfn_cb, 1, 1) && metric_is(am_mfn_neg, 1, 1),
	   "M1.1: an order with negative feedback, a claim and a chargeback is one defect (1/100), each reason counted on its own");
	ok(standard_is(as_odr_mfn, ODR_FAILED) && level_is(p, "at_risk") && deciding_is(as_odr_mfn),
	   "M1.1: an ODR of exactly 1%% (1/100) fails the target \"below 1%%\" (the level is at_risk, decided by odr_mfn)");
	amz(MFN_OK, AS_OF - 40, AS_OF - 37);
	evaluate(p, AS_OF);
	ok(metric_is(am_odr_mfn, 1, 101) && standard_is(as_odr_mfn, ODR_MET) &&
	   level_is(p, "healthy") && deciding_is(-1),
	   "M1.1: 1/101 is below 1%%: met, healthy (the best level: no deciding standard)");

	/* M1.1 channels */
	rows_clear();
	amz_good_mfn(100, AS_OF - 59, AS_OF - 20);
	for (int i = 0; i < 50; i++)
		amz(BIT(A_AFN) | (i == 7 ? BIT(A_CLAIM) : 0), AS_OF - 50 + i, AS_OF - 47 + i);
	evaluate(p, AS_OF);
	ok(metric_is(am_odr_mfn, 0, 100) && metric_is(am_odr_afn, 1, 50) &&
	   metric_is(am_afn_orders, 50, 1) && metric_is(am_afn_claims, 1, 1) &&
	   metric_is(am_mfn_claims, 0, 1) && metric_is(am_afn_cb, 0, 1) && metric_is(am_afn_neg, 0, 1),
	   "M1.1: seller-fulfilled and Amazon-fulfilled are reported apart (mfn 0/100, afn 1/50 with its claim)");
	ok(standard_is(as_odr_afn, ODR_FAILED) && standard_is(as_odr_mfn, ODR_MET) &&
	   level_is(p, "at_risk") && deciding_is(as_odr_afn),
	   "M1.1: an afn ODR of 2%% fails on its own; the mfn ODR is met");
	rows_clear();
	amz_good_mfn(100, AS_OF - 59, AS_OF - 20);
	evaluate(p, AS_OF);
	ok(!EV.metrics[am_odr_afn].measured && standard_is(as_odr_afn, ODR_NA) &&
	   metric_is(am_afn_orders, 0, 1) && level_is(p, "healthy"),
	   "M1.1, Readings: a channel with no orders has no rate (n/a, not 0%%): neither met nor failed");

	/* M1.1: a claim denied after being opened */
	rows_clear();
	amz_good_mfn(49, AS_OF - 59, AS_OF - 20);
	claimed = amz(MFN_OK | BIT(A_CLAIM), AS_OF - 5, AS_OF - 2);
	evaluate(p, AS_OF);
	ok(metric_is(am_odr_mfn, 1, 50) && metric_is(am_mfn_claims, 1, 1) && level_is(p, "at_risk"),
	   "M1.1: an open A-to-z claim counts (1/50 = 2%%, at_risk)");
	ok(retally_row(p, AS_OF, claimed, MFN_OK) &&
	   metric_is(am_odr_mfn, 0, 50) && metric_is(am_mfn_claims, 0, 1) && level_is(p, "healthy"),
	   "M1.1: the claim denied after being opened: the row's events change, the tallies subtract the old row and add the new: 0/50, healthy");
	memcpy(before, TW, sizeof(before));
	evaluate(p, AS_OF);
	ok(memcmp(before, TW, sizeof(before)) == 0,
	   "M1.1: the re-tallied windows equal the windows tallied afresh from the changed rows");
	rows_clear();
	amz_good_mfn(49, AS_OF - 59, AS_OF - 20);
	amz(MFN_OK, AS_OF - 5, AS_OF - 2);	/* claim won on appeal: no event */
	evaluate(p, AS_OF);
	ok(metric_is(am_odr_mfn, 0, 50) && metric_is(am_mfn_orders, 50, 1),
	   "M1.1: a claim withdrawn or won on appeal leaves the numerator; the order stays in the denominator");

	/* M1.2 late shipment rate, 10 and 30 days */
	rows_clear();
	amz_good_mfn(96, AS_OF - 9, AS_OF);
	for (int i = 0; i < 4; i++)
		amz(MFN_OK | BIT(A_LATE), AS_OF - 1, AS_OF + 2);
	amz_good_mfn(100, AS_OF - 29, AS_OF - 10);
	evaluate(p, AS_OF);
	ok(metric_is(am_lsr10, 4, 100) && standard_is(as_lsr10, ODR_FAILED) &&
	   metric_is(am_lsr30, 4, 200) && standard_is(as_lsr30, ODR_MET) && deciding_is(as_lsr10),
	   "M1.2: late shipment exactly 4%% over 10 days (4/100) fails \"below 4%%\"; over 30 days 4/200 = 2%% is met");
	for (int i = 0; i < 30; i++)
		amz(BIT(A_MFN), AS_OF - 5, AS_OF - 2);	/* not shipped */
	for (int i = 0; i < 30; i++)
		amz(BIT(A_AFN) | BIT(A_SHIPPED) | BIT(A_LATE), AS_OF - 5, AS_OF - 2);
	evaluate(p, AS_OF);
	ok(metric_is(am_lsr10, 4, 100),
	   "M1.2, Readings: the LSR denominator is the shipped seller-fulfilled orders (unshipped mfn and afn orders are left out)");
	rows_clear();
	amz_good_mfn(97, AS_OF - 9, AS_OF);
	for (int i = 0; i < 3; i++)
		amz(MFN_OK | BIT(A_LATE), AS_OF - 1, AS_OF + 2);
	evaluate(p, AS_OF);
	ok(metric_is(am_lsr10, 3, 100) && standard_is(as_lsr10, ODR_MET),
	   "M1.2: 3/100 = 3%% is below 4%%: met");
	rows_clear();
	amz_good_mfn(100, AS_OF - 9, AS_OF);
	amz_good_mfn(92, AS_OF - 29, AS_OF - 10);
	for (int i = 0; i < 8; i++)
		amz(MFN_OK | BIT(A_LATE), AS_OF - 20, AS_OF - 17);
	evaluate(p, AS_OF);
	ok(metric_is(am_lsr10, 0, 100) && metric_is(am_lsr30, 8, 200) &&
	   standard_is(as_lsr30, ODR_FAILED) && deciding_is(as_lsr30),
	   "M1.2: 8 late of 200 over 30 days (exactly 4%%) fails although the 10-day rate is 0");

	/* M1.3 pre-fulfilment cancel rate, 7 days */
	rows_clear();
	amz_good_mfn(38, AS_OF - 6, AS_OF);
	amz(BIT(A_MFN), AS_OF - 2, AS_OF + 1);	/* cancelled at the buyer's request */
	amz(BIT(A_MFN) | BIT(A_CANCEL), AS_OF - 3, AS_OF);
	amz(BIT(A_MFN) | BIT(A_CANCEL), AS_OF - 7, AS_OF - 4);	/* 8 days ago */
	evaluate(p, AS_OF);
	ok(metric_is(am_pfcr, 1, 40) && standard_is(as_pfcr, ODR_FAILED),
	   "M1.3: 1 seller cancel of 40 orders in 7 days (buyer-requested cancel in the denominator only; day 8 outside) is exactly 2.5%%: fails");
	amz(MFN_OK, AS_OF, AS_OF + 3);
	evaluate(p, AS_OF);
	ok(metric_is(am_pfcr, 1, 41) && standard_is(as_pfcr, ODR_MET),
	   "M1.3: 1/41 is below 2.5%%: met");

	/* M1.4 valid tracking rate by promised delivery date */
	rows_clear();
	for (int i = 0; i < 20; i++)
		amz(BIT(A_MFN) | BIT(A_SHIPPED) | (i < 19 ? BIT(A_TRACKED) : 0), AS_OF - 35, AS_OF - 20);
	evaluate(p, AS_OF);
	ok(metric_is(am_vtr, 19, 20) && standard_is(as_vtr, ODR_MET),
	   "M1.4: valid tracking exactly 95%% (19/20) meets \"at least 95%%\"");
	rows_clear();
	for (int i = 0; i < 20; i++)
		amz(BIT(A_MFN) | BIT(A_SHIPPED) | (i < 18 ? BIT(A_TRACKED) : 0), AS_OF - 35, AS_OF - 20);
	evaluate(p, AS_OF);
	ok(metric_is(am_vtr, 18, 20) && standard_is(as_vtr, ODR_FAILED) && deciding_is(as_vtr),
	   "M1.4: 18/20 = 90%% fails");
	rows_clear();
	amz(MFN_OK, AS_OF - 40, AS_OF - 25);	/* order date out of 30 days, promised in */
	amz(BIT(A_MFN) | BIT(A_SHIPPED), AS_OF - 3, AS_OF + 4);	/* in by order date, promised after */
	evaluate(p, AS_OF);
	ok(metric_is(am_vtr, 1, 1) && metric_is(am_lsr30, 0, 1) && metric_is(am_lsr10, 0, 1),
	   "M1.4: an order whose order date and promised delivery date fall in different windows: VTR places it by promised date (1/1), LSR by order date (0/1)");

	/* M1.5 young orders */
	rows_clear();
	amz(MFN_OK, AS_OF - 29, AS_OF - 26);
	amz(MFN_OK, AS_OF - 30, AS_OF - 27);
	amz(MFN_OK, AS_OF, AS_OF + 3);
	amz(BIT(A_AFN), AS_OF - 10, AS_OF - 7);
	amz(BIT(A_AFN), AS_OF - 59, AS_OF - 56);
	evaluate(p, AS_OF);
	ok(metric_is(am_young, 3, 1) && metric_is(am_mfn_orders, 3, 1) && metric_is(am_afn_orders, 2, 1),
	   "M1.5: 3 of the window's 5 orders were placed in its last 30 days (day 30 back is not young) and may still gather defects");

	/* M1: no minimum volume */
	rows_clear();
	amz(MFN_OK | BIT(A_CB), AS_OF - 3, AS_OF);
	evaluate(p, AS_OF);
	ok(metric_is(am_odr_mfn, 1, 1) && level_is(p, "at_risk"),
	   "M1: no minimum volume: one order with a chargeback is an ODR of 100%%");
	rows_clear();
	evaluate(p, AS_OF);
	ok(EV.standards[0] == ODR_NA && EV.standards[1] == ODR_NA && EV.standards[2] == ODR_NA &&
	   EV.standards[3] == ODR_NA && EV.standards[4] == ODR_NA && EV.standards[5] == ODR_NA &&
	   level_is(p, "healthy"),
	   "M1, Readings: with no orders every rate is n/a and no standard fails");

	/* M1 advice, by hand: ODR 2/100 below 1%: 2/(100+n) < 0.01 iff n > 100;
	 * (2-n)/100 < 0.01 iff n > 1.  VTR 90/100 at least 95%:
	 * (90+n)/(100+n) >= 0.95 iff n >= 100. */
	rows_clear();
	amz_good_mfn(98, AS_OF - 59, AS_OF - 31);
	amz(MFN_OK | BIT(A_NEG), AS_OF - 40, AS_OF - 37);
	amz(MFN_OK | BIT(A_CB), AS_OF - 40, AS_OF - 37);
	evaluate(p, AS_OF);
	st = odr_comparison_advise(p, ac_odr_mfn, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_MORE_ROWS && adv.n == 101 &&
	   adv.alternative_kind == ODR_ADVICE_FEWER_EVENTS && adv.alternative_n == 2,
	   "M1.1 advice: ODR 2/100 needs 101 more good orders or 2 fewer defects (got %d %lld / %d %lld)",
	   adv.kind, (long long) adv.n, adv.alternative_kind, (long long) adv.alternative_n);
	rows_clear();
	for (int i = 0; i < 100; i++)
		amz(BIT(A_MFN) | BIT(A_SHIPPED) | (i < 90 ? BIT(A_TRACKED) : 0), AS_OF - 35, AS_OF - 20);
	evaluate(p, AS_OF);
	st = odr_comparison_advise(p, p->standards[as_vtr].first, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_MORE_GOOD_ROWS && adv.n == 100,
	   "M1.4 advice: VTR 90/100 needs 100 more tracked packages (got %d %lld)", adv.kind, (long long) adv.n);
	st = odr_comparison_advise(p, ac_odr_mfn, &EV, TW, &adv, &e);
	ok(st == ODR_OK && adv.kind == ODR_ADVICE_NONE,
	   "M1 advice: a met comparison needs nothing");
}

/* ------------------------------------------------------------------ */
/* M2 eBay tests                                                        */
/* ------------------------------------------------------------------ */

#define EVAL D(2014, 8, 20)
#define M3_FIRST D(2014, 5, 1)
#define M3_LAST D(2014, 7, 31)
#define EARLY_FIRST D(2013, 8, 1)
#define EARLY_LAST D(2014, 4, 30)

static const uint64_t SELLER_CANCEL = BIT(E_CANCELLED) | BIT(E_SELLER_CANCEL);

/* clean transactions: `early` in the 9 months before the 3, `m3` in them */
static void
ebay_base(int early, int m3)
{
	rows_clear();
	ebay_tx(early, 0, EARLY_FIRST, EARLY_LAST, 0);
	ebay_tx(m3, 0, M3_FIRST, M3_LAST, 0);
}

static bool
window_of(const OdrPolicyDef *p, int w, int64_t day, int64_t want_first, int64_t want_last)
{
	int64_t		f,
				l;
	OdrError	e;

	if (odr_window_days(&p->windows[w], day, &f, &l, &e) != ODR_OK)
		return false;
	if (f != want_first || l != want_last)
	{
		diag("  got %s .. %s, want %s .. %s", ymd(f), ymd(l), ymd(want_first), ymd(want_last));
		return false;
	}
	return true;
}

static void
test_m2(void)
{
	const OdrPolicyDef *p = &ebay;
	OdrAdvice	adv;
	OdrError	e;
	OdrStatus	st;

	/* M2.2 calendar */
	ok(window_of(p, ew_m3, EVAL, D(2014, 5, 1), D(2014, 7, 31)) &&
	   window_of(p, ew_m12, EVAL, D(2013, 8, 1), D(2014, 7, 31)),
	   "M2.2: the evaluation of 20 Aug 2014 looks at 1 May-31 Jul 2014 or 1 Aug 2013-31 Jul 2014");
	ok(window_of(p, ew_m3, D(2015, 3, 20), D(2014, 12, 1), D(2015, 2, 28)) &&
	   window_of(p, ew_m12, D(2015, 3, 20), D(2014, 3, 1), D(2015, 2, 28)),
	   "M2.2: the evaluation of 20 Mar 2015 ends on 28 Feb (a 28-day February)");
	ok(window_of(p, ew_m3, D(2016, 3, 20), D(2015, 12, 1), D(2016, 2, 29)) &&
	   window_of(p, ew_m12, D(2016, 3, 20), D(2015, 3, 1), D(2016, 2, 29)),
	   "M2.2: the evaluation of 20 Mar 2016 ends on 29 Feb (a 29-day February)");
	ok(window_of(p, ew_m3, D(2015, 2, 20), D(2014, 11, 1), D(2015, 1, 31)) &&
	   window_of(p, ew_m3, D(2016, 2, 20), D(2015, 11, 1), D(2016, 1, 31)) &&
	   window_of(p, ew_m12, D(2016, 2, 20), D(2015, 2, 1), D(2016, 1, 31)),
	   "M2.2: the evaluations on 20 Feb 2015 and 20 Feb 2016 end on 31 Jan (February itself is not looked at)");
	rows_clear();
	ebay_tx(1, 0, D(2016, 2, 29), D(2016, 2, 29), 0);
	ebay_tx(1, 0, D(2016, 3, 1), D(2016, 3, 1), 0);
	ebay_tx(1, 0, D(2015, 12, 1), D(2015, 12, 1), 0);
	ebay_tx(1, 0, D(2015, 11, 30), D(2015, 11, 30), 0);
	ebay_tx(1, 0, D(2015, 2, 28), D(2015, 2, 28), 0);
	evaluate(p, D(2016, 3, 20));
	ok(TW[ew_m3].value[0] == 2 && metric_is(em_tx12, 3, 1) && metric_is(em_tx, 3, 1),
	   "M2.2: on 20 Mar 2016, 29 Feb and 1 Dec 2015 are in the 3 months, 30 Nov 2015 only in the 12, 1 Mar 2016 and 28 Feb 2015 in neither");
	evaluate(p, D(2015, 3, 20));
	ok(TW[ew_m3].value[0] == 1 && metric_is(em_tx12, 1, 1),
	   "M2.2: on 20 Mar 2015 the 3 and the 12 months end on 28 Feb 2015 and include it (and nothing of 2016)");

	/* M2.2 volume: the 400th transaction */
	ebay_base(2000, 390);
	ebay_tx(10, SELLER_CANCEL, D(2014, 7, 1), D(2014, 7, 10), 0);
	evaluate(p, EVAL);
	ok(EV.window_chosen[ew_lookback] == ew_m3 && metric_is(em_defect_rate, 10, 400) &&
	   level_is(p, "below_standard") && deciding_is(es_defects_below),
	   "M2.2: with exactly 400 transactions in the 3 months the lookback is 3 months: 10/400 = 2.5%% from 10 buyers, below_standard");
	ebay_base(2000, 389);
	ebay_tx(10, SELLER_CANCEL, D(2014, 7, 1), D(2014, 7, 10), 0);
	evaluate(p, EVAL);
	ok(EV.window_chosen[ew_lookback] == ew_m12 && metric_is(em_defect_rate, 10, 2399) &&
	   level_is(p, "top_rated"),
	   "M2.2: with 399 the lookback is 12 months: 10/2399 = 0.42%%, top_rated");

	/* M2.1 defects */
	ebay_base(396, 100);
	ebay_tx(1, SELLER_CANCEL | BIT(E_CASE), M3_FIRST, M3_FIRST, 0);
	ebay_tx(1, BIT(E_CANCELLED), M3_FIRST, M3_FIRST, 0);	/* buyer-requested */
	ebay_tx(1, BIT(E_CANCELLED), M3_FIRST, M3_FIRST, 0);	/* auto-cancel */
	ebay_tx(1, BIT(E_LATE), M3_FIRST, M3_FIRST, 0);
	evaluate(p, EVAL);
	ok(metric_is(em_tx, 500, 1) && metric_is(em_defects, 1, 1) && metric_is(em_defect_rate, 1, 500),
	   "M2.1: a transaction cancelled by the seller with a case is one defect (1/500); buyer and auto cancels are no defects but are transactions");
	ok(metric_is(em_cases, 1, 1) && metric_is(em_case_rate, 1, 500) &&
	   metric_is(em_lates, 1, 1) && metric_is(em_late_rate, 1, 500),
	   "M2.1: cases closed without seller resolution and late shipment: rate and count (1/500 each)");
	ok(metric_is(em_sales12, 497 * 10, 1),
	   "M2.1, Readings: Top Rated's sales exclude the 3 cancelled transactions (US$4,970 of 500 at US$10)");

	/* M2.3: count exactly on a floor (defects, Top Rated: 3 buyers) */
	ebay_base(400, 96);
	ebay_tx(4, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 4), 3);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_rate, 4, 500) && metric_is(em_defect_buyers, 3, 1) &&
	   !EV.metrics[em_defect_buyers].at_least &&
	   standard_is(es_defects_top, ODR_MET) && level_is(p, "top_rated"),
	   "M2.3: defects 0.8%% above the 0.5%% cap but from exactly 3 distinct buyers (the floor): met, top_rated");
	ebay_base(400, 96);
	ebay_tx(4, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 4), 4);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_buyers, 4, 1) && standard_is(es_defects_top, ODR_FAILED) &&
	   standard_is(es_defects_below, ODR_MET) && level_is(p, "above_standard") &&
	   deciding_is(es_defects_top),
	   "M2.3: the same from 4 buyers fails Top Rated's defect standard: above_standard, decided by it");
	st = odr_comparison_advise(p, ec_defect_rate_top, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_MORE_ROWS && adv.n == 300 &&
	   adv.alternative_kind == ODR_ADVICE_FEWER_EVENTS && adv.alternative_n == 2,
	   "M2.3 advice: 4/500 within 0.5%% needs 300 more transactions (4/800) or 2 fewer defects (got %d %lld / %d %lld)",
	   adv.kind, (long long) adv.n, adv.alternative_kind, (long long) adv.alternative_n);
	st = odr_comparison_advise(p, ec_defect_buyers_top, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_FEWER_EVENTS && adv.n == 1,
	   "M2.3 advice: defects from 4 buyers need 1 buyer fewer");

	/* M2.3 Below Standard's floor: 5 distinct buyers */
	ebay_base(400, 89);
	ebay_tx(11, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 11), 5);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_rate, 11, 500) && metric_is(em_defect_buyers, 5, 1) &&
	   EV.metrics[em_defect_buyers].at_least && level_is(p, "below_standard") &&
	   deciding_is(es_defects_below),
	   "M2.3: defects 2.2%% above 2%% from exactly 5 distinct buyers: below_standard");
	st = odr_comparison_advise(p, ec_defect_buyers_top, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_UNKNOWN,
	   "M2.3 advice: distinct buyers at k (\"at least 5\") cannot say how many fewer");
	ebay_base(400, 89);
	ebay_tx(11, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 11), 4);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_buyers, 4, 1) && standard_is(es_defects_below, ODR_MET) &&
	   level_is(p, "above_standard"),
	   "M2.3: the same 2.2%% from 4 buyers is not Below Standard (one bad buyer cannot sink a small seller)");

	/* M2.3 rate exactly on a cap */
	ebay_base(500, 296);
	ebay_tx(4, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 4), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_rate, 4, 800) && metric_is(em_defect_buyers, 4, 1) &&
	   standard_is(es_defects_top, ODR_MET) && level_is(p, "top_rated"),
	   "M2.3: defects exactly 0.5%% (4/800, 4 buyers) are within the cap: top_rated");
	ebay_base(500, 295);
	ebay_tx(5, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 5), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_rate, 5, 800) && standard_is(es_defects_top, ODR_FAILED) &&
	   level_is(p, "above_standard"),
	   "M2.3: 5/800 = 0.625%% from 5 buyers is above it: above_standard");
	ebay_base(400, 90);
	ebay_tx(10, SELLER_CANCEL, D(2014, 6, 1), D(2014, 6, 10), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_defect_rate, 10, 500) && standard_is(es_defects_below, ODR_MET) &&
	   level_is(p, "above_standard"),
	   "M2.3: defects exactly 2%% (10/500, 10 buyers) are not \"above 2%%\": above_standard");
	ebay_base(700, 297);
	ebay_tx(3, BIT(E_CASE), D(2014, 6, 1), D(2014, 6, 3), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_case_rate, 3, 1000) && standard_is(es_cases, ODR_MET) && level_is(p, "top_rated"),
	   "M2.3: cases exactly 0.3%% (3/1000, 3 buyers) are within the cap");
	ebay_base(700, 296);
	ebay_tx(4, BIT(E_CASE), D(2014, 6, 1), D(2014, 6, 4), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_case_rate, 4, 1000) && standard_is(es_cases, ODR_FAILED) &&
	   level_is(p, "below_standard") && deciding_is(es_cases),
	   "M2.3: cases 0.4%% from 4 buyers: below_standard, decided by the cases standard");

	/* M2.3 cases: floor 2 */
	ebay_base(400, 97);
	ebay_tx(3, BIT(E_CASE), D(2014, 6, 1), D(2014, 6, 3), 3);
	evaluate(p, EVAL);
	ok(metric_is(em_case_rate, 3, 500) && metric_is(em_case_buyers, 3, 1) &&
	   EV.metrics[em_case_buyers].at_least && standard_is(es_cases, ODR_FAILED) &&
	   standard_is(es_defects_top, ODR_MET) && level_is(p, "below_standard") && deciding_is(es_cases),
	   "M2.3: cases 0.6%% above 0.3%% from 3 buyers (\"at least 3\"): below_standard although the defect rate passes by its floor");
	ebay_base(400, 97);
	ebay_tx(3, BIT(E_CASE), D(2014, 6, 1), D(2014, 6, 3), 2);
	evaluate(p, EVAL);
	ok(metric_is(em_case_buyers, 2, 1) && standard_is(es_cases, ODR_MET) && level_is(p, "top_rated"),
	   "M2.3: 3 cases from exactly 2 buyers (the floor): met, top_rated");

	/* M2.3 late shipment */
	ebay_base(400, 50);
	ebay_tx(50, BIT(E_LATE), M3_FIRST, M3_LAST, 0);
	evaluate(p, EVAL);
	ok(metric_is(em_late_rate, 50, 500) && standard_is(es_late_top, ODR_FAILED) &&
	   level_is(p, "above_standard") && deciding_is(es_late_top),
	   "M2.3: late shipment alone (10%%, 50 buyers) never makes a seller Below Standard: above_standard, decided by late shipment");
	ebay_base(400, 80);
	ebay_tx(20, BIT(E_LATE), M3_FIRST, M3_LAST, 5);
	evaluate(p, EVAL);
	ok(metric_is(em_late_rate, 20, 500) && metric_is(em_late_buyers, 5, 1) &&
	   standard_is(es_late_top, ODR_MET) && level_is(p, "top_rated"),
	   "M2.3: late shipment 4%% above 3%% from exactly 5 buyers (the floor): met");
	ebay_base(400, 80);
	ebay_tx(20, BIT(E_LATE), M3_FIRST, M3_LAST, 6);
	evaluate(p, EVAL);
	ok(EV.metrics[em_late_buyers].at_least && standard_is(es_late_top, ODR_FAILED) &&
	   level_is(p, "above_standard"),
	   "M2.3: from 6 buyers it fails");

	/* M2.3 Top Rated eligibility */
	rows_clear();
	ebay_tx(150, 0, EVAL - 90, M3_LAST, 0);
	evaluate(p, EVAL);
	ok(metric_is(em_age, 90, 1) && standard_is(es_tenure, ODR_MET) && level_is(p, "top_rated"),
	   "M2.3: exactly 90 days since the first transaction (22 May to 20 Aug) qualifies: top_rated");
	rows_clear();
	ebay_tx(150, 0, EVAL - 89, M3_LAST, 0);
	evaluate(p, EVAL);
	ok(metric_is(em_age, 89, 1) && standard_is(es_tenure, ODR_FAILED) &&
	   level_is(p, "above_standard") && deciding_is(es_tenure),
	   "M2.3: 89 days does not: above_standard, decided by tenure");
	st = odr_comparison_advise(p, p->standards[es_tenure].first, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_WAIT_DAYS && adv.n == 1,
	   "M2.3 advice: 89 days of 90: wait 1 day");
	rows_clear();
	ebay_tx(100, 0, D(2014, 1, 1), M3_LAST, 0);
	evaluate(p, EVAL);
	ok(metric_is(em_tx12, 100, 1) && metric_is(em_sales12, 1000, 1) && level_is(p, "top_rated"),
	   "M2.3: exactly 100 transactions and US$1,000 in 12 months qualify");
	rows_clear();
	ebay_tx(99, 0, D(2014, 1, 1), M3_LAST, 0);
	ebay_tx(5, 0, D(2014, 8, 5), D(2014, 8, 5), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_tx12, 99, 1) && standard_is(es_volume, ODR_FAILED) &&
	   standard_is(es_sales, ODR_FAILED) && level_is(p, "above_standard") && deciding_is(es_volume),
	   "M2.3: 99 transactions in the 12 months (5 more in August do not count) do not: decided by volume");
	st = odr_comparison_advise(p, p->standards[es_volume].first, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_MORE_GOOD_ROWS && adv.n == 1,
	   "M2.3 advice: 99 transactions of 100: 1 more");
	st = odr_comparison_advise(p, p->standards[es_sales].first, &EV, TW, &adv, &e);
	ok(st == ODR_OK &&
	   adv.kind == ODR_ADVICE_MORE_VALUE && adv.n == 10 * ODR_ENG_VALUE_SCALE,
	   "M2.3 advice: US$990 of 1,000: US$10 more (fixed point %lld)", (long long) adv.n);
	rows_clear();
	ebay_tx(99, 0, D(2014, 1, 1), M3_LAST, 0);
	ebay_tx(2, BIT(E_CANCELLED), D(2014, 3, 1), D(2014, 3, 1), 0);
	evaluate(p, EVAL);
	ok(metric_is(em_tx12, 101, 1) && metric_is(em_sales12, 990, 1) &&
	   standard_is(es_sales, ODR_FAILED) && deciding_is(es_sales),
	   "M2.3: 101 transactions but US$990 once 2 cancelled ones are left out: not top rated, decided by sales");
	ebay_base(50, 400);
	evaluate(p, EVAL);
	ok(EV.window_chosen[ew_lookback] == ew_m3 && metric_is(em_tx, 400, 1) &&
	   metric_is(em_tx12, 450, 1) && level_is(p, "top_rated"),
	   "M2.3, Readings: Top Rated's volume counts the 12 months whatever the lookback (450 over 12, lookback 400 over 3)");

	/* M2.4 projected level */
	rows_clear();
	ebay_tx(100, 0, D(2014, 5, 1), D(2014, 5, 31), 0);
	ebay_tx(100, 0, D(2014, 6, 1), D(2014, 6, 30), 0);
	ebay_tx(1, 0, D(2014, 7, 5), D(2014, 7, 5), 0);
	ebay_tx(1, 0, D(2014, 7, 15), D(2014, 7, 15), 0);
	ebay_tx(1, 0, D(2014, 7, 28), D(2014, 7, 28), 0);
	evaluate_known(p, D(2014, 7, 20), D(2014, 7, 10));
	ok(window_of(p, ew_m3, D(2014, 7, 20), D(2014, 4, 1), D(2014, 6, 30)) &&
	   TW[ew_m3].value[0] == 200,
	   "M2.4: on 10 July the projection is the 20 July evaluation: months to 30 June, complete (200; the 5 July one is not in them)");
	evaluate_known(p, EVAL, D(2014, 7, 25));
	ok(TW[ew_m3].value[0] == 202,
	   "M2.4: on 25 July it is the 20 August evaluation over what is known: July partial (202; the 28 July one is not known yet)");
	evaluate(p, EVAL);
	ok(TW[ew_m3].value[0] == 203, "M2.4: on 20 August the evaluation sees all 203");
}

/* ------------------------------------------------------------------ */
/* A: the AliExpress-like tier list                                     */
/* ------------------------------------------------------------------ */

static void
ali_orders(int n, int defective, int64_t from, int64_t to)
{
	for (int i = 0; i < n; i++)
		row_add(i < defective ? BIT(0) : 0, 0, from + (to - from + 1) * i / n);
}

static void
test_ali(void)
{
	const OdrPolicyDef *p = &ali;
	static const struct
	{
		int			defective;
		const char *level;
		int			deciding;
	}			cases[] = {
		{2, "excellent", -1},
		{3, "good", 1},			/* exactly 3%: the worse tier */
		{5, "good", 1},
		{6, "pass", 2},
		{11, "pass", 2},
		{12, "fail", 3},
	};

	rows_clear();
	ali_orders(89, 0, AS_OF - 89, AS_OF);
	evaluate(p, AS_OF);
	ok(level_is(p, "unassessed") && deciding_is(xs_volume),
	   "A4: 89 orders in the window: unassessed (a level of its own)");
	row_add(0, 0, AS_OF - 89);
	row_add(0, 0, AS_OF - 90);
	evaluate(p, AS_OF);
	ok(metric_is(xm_orders, 90, 1) && level_is(p, "excellent"),
	   "A1, A4: 90 orders from as_of - 89 (as_of - 90 is out): assessed, excellent");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		rows_clear();
		ali_orders(100, cases[i].defective, AS_OF - 80, AS_OF);
		evaluate(p, AS_OF);
		ok(metric_is(xm_odr, cases[i].defective, 100) && level_is(p, cases[i].level) &&
		   deciding_is(cases[i].deciding < 0 ? -1 :
					   (cases[i].deciding == 1 ? xs_lt3 : (cases[i].deciding == 2 ? xs_lt6 : xs_lt12))),
		   "A15, A17: ODR %d/100 is %s (on a cut-off the worse tier; decided by the next tier's cap)",
		   cases[i].defective, cases[i].level);
	}
	rows_clear();
	evaluate(p, AS_OF);
	ok(!EV.metrics[xm_odr].measured && level_is(p, "unassessed"),
	   "A15: with no orders the ODR is undefined (n/a, not 0)");
}

/* ------------------------------------------------------------------ */
/* Constructs of issue 20 the engine has: rounding, a switching cap      */
/* ------------------------------------------------------------------ */

static OdrPolicyDef rounding;
static int	rc_down95, rc_half95, rc_down94, rc_up95, rc_none95, rc_cap_down;

static void
build_rounding(void)
{
	OdrPolicyDef *p = &rounding;
	int			c_good, c_all, w, m;

	policy_init(p, 1, 0, 1);
	c_good = counter(p, "good", ODR_COUNTER_COUNT, BIT(0), 0, 0, 0);
	c_all = counter(p, "all", ODR_COUNTER_COUNT, 0, 0, 0, 0);
	w = window(p, "30_days", ODR_WINDOW_DAYS, 30, 0);
	m = metric(p, "rate", ODR_METRIC_RATE, c_good, c_all, w);
	standard(p, "down_95");
	rc_down95 = cmp(p, m, ODR_CMP_GE, "0.95");
	cmp_round(p, rc_down95, ODR_ROUND_DOWN, 2);
	standard(p, "half_up_95");
	rc_half95 = cmp(p, m, ODR_CMP_GE, "0.95");
	cmp_round(p, rc_half95, ODR_ROUND_HALF_UP, 2);
	standard(p, "down_94");
	rc_down94 = cmp(p, m, ODR_CMP_GE, "0.94");
	cmp_round(p, rc_down94, ODR_ROUND_DOWN, 2);
	standard(p, "up_95");
	rc_up95 = cmp(p, m, ODR_CMP_GE, "0.95");
	cmp_round(p, rc_up95, ODR_ROUND_UP, 2);
	standard(p, "exact_95");
	rc_none95 = cmp(p, m, ODR_CMP_GE, "0.95");
	standard(p, "cap_2_down");
	rc_cap_down = cmp(p, m, ODR_CMP_LT, "0.02");
	cmp_round(p, rc_cap_down, ODR_ROUND_DOWN, 2);
	level(p, "bad", 0, ODR_LEVEL_ANY_FAILED, 0x3F);
	level(p, "good", 1, ODR_LEVEL_OTHERWISE, 0);
	prepare_or_die(p, "rounding");
}

/* evaluate a one-window policy on given counter values */
static void
evaluate_counts(const OdrPolicyDef *p, int64_t c0, int64_t c1)
{
	OdrError	e;

	odr_tally_init(p, &TW[0]);
	TW[0].value[0] = c0;
	TW[0].value[1] = c1;
	if (odr_policy_evaluate(p, AS_OF, TW, &EV, &e) != ODR_OK)
	{
		fprintf(stderr, "evaluate: %s\n", e.message);
		exit(2);
	}
}

static bool
cmp_is(int c, OdrTri want)
{
	if (EV.comparisons[c].state != want)
	{
		diag("  comparison %d is %s, want %s", c, tri(EV.comparisons[c].state), tri(want));
		return false;
	}
	return true;
}

static OdrPolicyDef switching;
static int	sw_low, sw_high, sw_by_rate, sw_s_reviews, sw_s_rate_ranged;

static void
build_switching(void)
{
	OdrPolicyDef *p = &switching;
	int			c_bad, c_rev, w, m_rev, m_bad, m_rate;

	policy_init(p, 1, 0, 1);
	c_bad = counter(p, "bad_reviews", ODR_COUNTER_COUNT, BIT(0), 0, 0, 0);
	c_rev = counter(p, "reviews", ODR_COUNTER_COUNT, 0, 0, 0, 0);
	w = window(p, "90_days", ODR_WINDOW_DAYS, 90, 0);
	m_rev = metric(p, "reviews", ODR_METRIC_COUNT, c_rev, -1, w);
	m_bad = metric(p, "bad_reviews", ODR_METRIC_COUNT, c_bad, -1, w);
	m_rate = metric(p, "bad_rate", ODR_METRIC_RATE, c_bad, c_rev, w);
	/* at most 4 bad reviews while under 40 reviews, otherwise under 10% */
	sw_s_reviews = standard(p, "reviews");
	sw_low = cmp(p, m_bad, ODR_CMP_LE, "4");
	cmp_range(p, sw_low, m_rev, "0", "40");
	sw_high = cmp(p, m_rate, ODR_CMP_LT, "0.10");
	cmp_range(p, sw_high, m_rev, "40", NULL);
	/* a comparison applying by a rate: not while the rate is unmeasured */
	sw_s_rate_ranged = standard(p, "ranged_by_rate");
	sw_by_rate = cmp(p, m_bad, ODR_CMP_LE, "10");
	cmp_range(p, sw_by_rate, m_rate, "0", "0.5");
	level(p, "bad", 0, ODR_LEVEL_ANY_FAILED, SBIT(sw_s_reviews) | SBIT(sw_s_rate_ranged));
	level(p, "good", 1, ODR_LEVEL_OTHERWISE, 0);
	prepare_or_die(p, "switching");
}

static void
test_constructs(void)
{
	evaluate_counts(&rounding, 947, 1000);
	ok(cmp_is(rc_down95, ODR_FAILED) && cmp_is(rc_down94, ODR_MET) && cmp_is(rc_none95, ODR_FAILED),
	   "rounding: 94.7%% truncated to whole percent is 94%%: fails at least 95%%, meets at least 94%%");
	ok(cmp_is(rc_half95, ODR_MET) && cmp_is(rc_up95, ODR_MET),
	   "rounding: 94.7%% rounded half up (or up) to whole percent is 95%%: meets at least 95%%");
	evaluate_counts(&rounding, 9449, 10000);
	ok(cmp_is(rc_half95, ODR_FAILED) && cmp_is(rc_up95, ODR_MET) && cmp_is(rc_down94, ODR_MET),
	   "rounding: 94.49%% rounds half up to 94%% (fails), up to 95%% (meets)");
	evaluate_counts(&rounding, 945, 1000);
	ok(cmp_is(rc_half95, ODR_MET) && cmp_is(rc_down95, ODR_FAILED),
	   "rounding: exactly 94.5%% rounds half up to 95%%");
	evaluate_counts(&rounding, 95, 100);
	ok(cmp_is(rc_down95, ODR_MET) && cmp_is(rc_half95, ODR_MET) && cmp_is(rc_up95, ODR_MET) &&
	   cmp_is(rc_none95, ODR_MET),
	   "rounding: exactly 95%% meets at least 95%% in every mode");
	evaluate_counts(&rounding, 299, 10000);
	ok(cmp_is(rc_cap_down, ODR_FAILED), "rounding: a cap below 2%%: 2.99%% truncated is 2%%: fails");
	evaluate_counts(&rounding, 199, 10000);
	ok(cmp_is(rc_cap_down, ODR_MET), "rounding: 1.99%% truncated is 1%%: below 2%%");

	evaluate_counts(&switching, 4, 39);
	ok(cmp_is(sw_low, ODR_MET) && !EV.comparisons[sw_high].applies && standard_is(sw_s_reviews, ODR_MET),
	   "switching cap: 4 bad of 39 reviews: the count cap applies (at most 4): met");
	evaluate_counts(&switching, 5, 39);
	ok(standard_is(sw_s_reviews, ODR_FAILED) && level_is(&switching, "bad"),
	   "switching cap: 5 bad of 39 reviews: fails");
	evaluate_counts(&switching, 4, 40);
	ok(!EV.comparisons[sw_low].applies && cmp_is(sw_high, ODR_FAILED) &&
	   standard_is(sw_s_reviews, ODR_FAILED),
	   "switching cap: at 40 reviews the rate applies: 4/40 = 10%% is not under 10%%: fails");
	evaluate_counts(&switching, 4, 41);
	ok(standard_is(sw_s_reviews, ODR_MET), "switching cap: 4/41 is under 10%%: met");
	evaluate_counts(&switching, 0, 0);
	ok(!EV.comparisons[sw_by_rate].applies && standard_is(sw_s_rate_ranged, ODR_NA) &&
	   level_is(&switching, "good"),
	   "a comparison applying by a rate does not apply while the rate is unmeasured: the standard is n/a");
}

/* ------------------------------------------------------------------ */
/* Merging, subtracting, encoding                                       */
/* ------------------------------------------------------------------ */

#define NDAYS 120
static OdrTally day_tally[NDAYS];

/* per-day tallies of the rows over days first .. first + NDAYS - 1: a row
 * goes once into each distinct day of its bases */
static void
tally_days(const OdrPolicyDef *p, int64_t first)
{
	OdrError	e;

	for (int d = 0; d < NDAYS; d++)
		odr_tally_init(p, &day_tally[d]);
	for (int i = 0; i < nrows; i++)
		for (int b = 0; b < p->nbases; b++)
		{
			int64_t		d = rows[i].days[b];
			bool		seen = false;

			for (int b2 = 0; b2 < b; b2++)
				seen |= rows[i].days[b2] == d;
			if (seen || d == ODR_ENG_NO_DAY || d < first || d >= first + NDAYS)
				continue;
			if (odr_tally_add_row(p, &day_tally[d - first], &rows[i], d, d, &e) != ODR_OK)
				exit(2);
		}
}

static void
random_rows(const OdrPolicyDef *p, int n, int64_t first, int pool)
{
	rows_clear();
	for (int i = 0; i < n; i++)
	{
		uint64_t	ev = 0;
		OdrEngRow  *r;

		for (int b = 0; b < p->nevents; b++)
			if (rnd_below(4) == 0)
				ev |= BIT(b);
		r = row_add(ev, rnd_below(10) == 0 ? 0 : buyer((uint64_t) rnd_below(pool) + 1),
					first + rnd_below(NDAYS));
		for (int b = 1; b < p->nbases; b++)
			r->days[b] = rnd_below(5) == 0 ? ODR_ENG_NO_DAY : first + rnd_below(NDAYS + 10) - 5;
		for (int v = 0; v < p->nvalues; v++)
			r->values[v] = rnd_below(2000000) - 100000;
	}
}

static void
test_merge(void)
{
	const OdrPolicyDef *ps[2] = {&amazon, &ebay};
	const char *names[2] = {"Amazon", "eBay"};
	int64_t		first = D(2014, 4, 1);
	OdrError	e;

	for (int pi = 0; pi < 2; pi++)
	{
		const OdrPolicyDef *p = ps[pi];
		bool		all_asc = true,
					all_desc = true,
					all_workers = true,
					all_enc = true;

		for (int trial = 0; trial < 30; trial++)
		{
			int64_t		f = first + rnd_below(40),
						l = f + 10 + rnd_below(70);
			OdrTally	direct,
						asc,
						desc,
						work[3],
						total;
			unsigned char buf[512];
			size_t		n;

			random_rows(p, 50 + (int) rnd_below(400), first, trial % 2 ? 6 : 1000);
			tally_days(p, first);
			odr_tally_init(p, &direct);
			for (int i = 0; i < nrows; i++)
				odr_tally_add_row(p, &direct, &rows[i], f, l, &e);
			odr_tally_init(p, &asc);
			odr_tally_init(p, &desc);
			for (int w = 0; w < 3; w++)
				odr_tally_init(p, &work[w]);
			for (int64_t d = f; d <= l; d++)
			{
				odr_tally_merge(p, &asc, &day_tally[d - first], &e);
				odr_tally_merge(p, &desc, &day_tally[l - (d - f) - first], &e);
				odr_tally_merge(p, &work[rnd_below(3)], &day_tally[d - first], &e);
			}
			/* workers combined in another order, one of them partial sums */
			total = work[2];
			odr_tally_merge(p, &total, &work[0], &e);
			odr_tally_merge(p, &total, &work[1], &e);
			all_asc &= memcmp(&direct, &asc, sizeof(OdrTally)) == 0;
			all_desc &= memcmp(&direct, &desc, sizeof(OdrTally)) == 0;
			all_workers &= memcmp(&direct, &total, sizeof(OdrTally)) == 0;
			n = odr_tally_encode(p, &direct, buf, sizeof(buf));
			{
				OdrTally	back;

				all_enc &= n <= sizeof(buf) && n == odr_tally_encoded_size(p, &direct) &&
					odr_tally_decode(p, buf, n, &back, &e) == ODR_OK &&
					memcmp(&back, &direct, sizeof(OdrTally)) == 0;
			}
		}
		ok(all_asc && all_desc,
		   "merge (%s): per-day tallies merged in day order or reversed equal the window tallied row by row (30 random windows)", names[pi]);
		ok(all_workers,
		   "merge (%s): days spread over 3 workers, merged in another order, equal it too", names[pi]);
		ok(all_enc, "encode (%s): random tallies round-trip through the binary form", names[pi]);
	}

	/* subtract: the inverse of merge (Amazon: COUNT only) */
	{
		const OdrPolicyDef *p = &amazon;
		OdrTally	x,
					y,
					sum,
					saved;
		bool		inverse = true;

		for (int trial = 0; trial < 20; trial++)
		{
			random_rows(p, 300, first, 1000);
			tally_days(p, first);
			odr_tally_init(p, &x);
			odr_tally_init(p, &y);
			for (int d = 0; d < NDAYS; d++)
				odr_tally_merge(p, rnd_below(2) ? &x : &y, &day_tally[d], &e);
			sum = x;
			odr_tally_merge(p, &sum, &y, &e);
			inverse &= odr_tally_subtract(p, &sum, &y, &e) == ODR_OK &&
				memcmp(&sum, &x, sizeof(OdrTally)) == 0;
		}
		ok(inverse, "subtract: (x merge y) subtract y equals x (Amazon, 20 random splits)");
		odr_tally_init(p, &x);
		odr_tally_init(p, &y);
		x.value[3] = 5;
		y.value[3] = 6;
		saved = x;
		ok_status(odr_tally_subtract(p, &x, &y, &e), ODR_ERR_INCONSISTENT, &e,
				  "subtract: a count that would go negative");
		ok(memcmp(&x, &saved, sizeof(OdrTally)) == 0, "subtract: a failed subtraction changes nothing");
		odr_tally_init(&ebay, &x);
		odr_tally_init(&ebay, &y);
		ok_status(odr_tally_subtract(&ebay, &x, &y, &e), ODR_ERR_INCONSISTENT, &e,
				  "subtract: eBay's DISTINCT and FIRST_DAY counters cannot be subtracted");
	}
}

/* The largest tally of a policy: every count at INT64_MAX, sums at
 * INT64_MIN, days at the first date, every sketch full of large hashes. */
static void
full_tally(const OdrPolicyDef *p, OdrTally *t)
{
	odr_tally_init(p, t);
	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];

		switch (c->kind)
		{
			case ODR_COUNTER_COUNT:
				t->value[i] = INT64_MAX;
				break;
			case ODR_COUNTER_SUM:
				t->value[i] = INT64_MIN;
				break;
			case ODR_COUNTER_FIRST_DAY:
			case ODR_COUNTER_LAST_DAY:
				t->value[i] = ODR_ENG_MIN_DAY;
				break;
			case ODR_COUNTER_DISTINCT:
				t->value[i] = c->k;
				for (int j = 0; j < c->k; j++)
					odr_tally_buyers(p, t)[c->slot + j] = UINT64_MAX - (uint64_t) (c->k - j);
				break;
		}
	}
}

static void
test_encoding(void)
{
	OdrTally	t,
				back;
	unsigned char buf[512],
				bad[512];
	size_t		n,
				na;
	OdrError	e;

	full_tally(&amazon, &t);
	na = odr_tally_encode(&amazon, &t, buf, sizeof(buf));
	ok(na <= 256 && odr_tally_decode(&amazon, buf, na, &back, &e) == ODR_OK &&
	   memcmp(&back, &t, sizeof(t)) == 0,
	   "encode: the Amazon policy's largest tally takes %zu bytes (at most 256) and round-trips", na);
	full_tally(&ebay, &t);
	n = odr_tally_encode(&ebay, &t, buf, sizeof(buf));
	ok(n <= 256 && odr_tally_decode(&ebay, buf, n, &back, &e) == ODR_OK &&
	   memcmp(&back, &t, sizeof(t)) == 0,
	   "encode: the eBay policy's largest tally (full sketches, 14 hashes) takes %zu bytes (at most 256) and round-trips", n);
	odr_tally_init(&ebay, &t);
	ok(odr_tally_encoded_size(&ebay, &t) == 2 + 9,
	   "encode: an empty eBay tally takes 11 bytes (a byte per counter)");
	ok(odr_tally_encode(&ebay, &t, buf, 5) == 11, "encode: a short buffer gets the size needed");

	full_tally(&ebay, &t);
	n = odr_tally_encode(&ebay, &t, buf, sizeof(buf));
	ok_status(odr_tally_decode(&ebay, buf, n - 1, &back, &e), ODR_ERR_SYNTAX, &e, "decode: truncated");
	memcpy(bad, buf, n);
	bad[n] = 0;
	ok_status(odr_tally_decode(&ebay, bad, n + 1, &back, &e), ODR_ERR_SYNTAX, &e, "decode: a byte after the end");
	memcpy(bad, buf, n);
	bad[0] = 2;
	ok_status(odr_tally_decode(&ebay, bad, n, &back, &e), ODR_ERR_SYNTAX, &e, "decode: unknown format");
	ok_status(odr_tally_decode(&amazon, buf, n, &back, &e), ODR_ERR_SYNTAX, &e,
			  "decode: another policy's tally (another number of counters)");
	ok_status(odr_tally_decode(&ebay, buf, 1, &back, &e), ODR_ERR_SYNTAX, &e, "decode: one byte");
	{
		/* empty eBay tally with counter 4 (defect buyers) edited */
		unsigned char x[64];
		size_t		m;

		odr_tally_init(&ebay, &t);
		t.value[4] = 2;
		odr_tally_buyers(&ebay, &t)[ebay.counters[4].slot] = 10;
		odr_tally_buyers(&ebay, &t)[ebay.counters[4].slot + 1] = 20;
		m = odr_tally_encode(&ebay, &t, x, sizeof(x));
		ok(odr_tally_decode(&ebay, x, m, &back, &e) == ODR_OK && memcmp(&back, &t, sizeof(t)) == 0,
		   "decode: two kept buyers round-trip");
		/* byte 6 = count of counter 4, then 8 + 8 bytes of hashes */
		memcpy(bad, x, m);
		bad[7] = 30;			/* first hash 30 > second 20 */
		ok_status(odr_tally_decode(&ebay, bad, m, &back, &e), ODR_ERR_SYNTAX, &e,
				  "decode: hashes not ascending");
		memcpy(bad, x, m);
		bad[7] = 0;				/* first hash 0 */
		ok_status(odr_tally_decode(&ebay, bad, m, &back, &e), ODR_ERR_SYNTAX, &e, "decode: a zero hash");
		memcpy(bad, x, m);
		bad[6] = 6;				/* 6 buyers, k is 5 */
		ok_status(odr_tally_decode(&ebay, bad, m, &back, &e), ODR_ERR_SYNTAX, &e, "decode: more buyers than k");
		/* counter 0 written as 0x80 0x00: not the shortest form */
		bad[0] = 1;
		bad[1] = 9;
		bad[2] = 0x80;
		bad[3] = 0x00;
		memcpy(bad + 4, x + 3, m - 3);
		ok_status(odr_tally_decode(&ebay, bad, m + 1, &back, &e), ODR_ERR_SYNTAX, &e, "decode: an overlong varint");
		/* counter 0 of 10 bytes with bits beyond 64 */
		memset(bad + 2, 0xFF, 9);
		bad[11] = 0x7F;
		memcpy(bad + 12, x + 3, m - 3);
		ok_status(odr_tally_decode(&ebay, bad, m + 9, &back, &e), ODR_ERR_SYNTAX, &e, "decode: a varint beyond 64 bits");
		memset(bad + 2, 0xFF, 8);
		bad[10] = 0xFF;
		bad[11] = 0x01;			/* 2^64 - 1: a COUNT above INT64_MAX */
		ok_status(odr_tally_decode(&ebay, bad, m + 9, &back, &e), ODR_ERR_SYNTAX, &e, "decode: a count above INT64_MAX");
	}
}

/*
 * Short tallies: a tally allocated with exactly odr_tally_size(p) bytes,
 * followed by a canary, goes through every tally function; it must equal
 * (over its bytes) the full-size tally of the same rows, and the canary
 * must never be touched.
 */
#define CANARY_BYTES 64

static OdrTally *
short_tally(const OdrPolicyDef *p)
{
	unsigned char *m = malloc(odr_tally_size(p) + CANARY_BYTES);

	if (m == NULL)
		abort();
	memset(m, 0xA5, odr_tally_size(p) + CANARY_BYTES);
	return (OdrTally *) m;
}

static bool
canary_ok(const OdrPolicyDef *p, const OdrTally *t)
{
	const unsigned char *c = (const unsigned char *) t + odr_tally_size(p);

	for (int i = 0; i < CANARY_BYTES; i++)
		if (c[i] != 0xA5)
			return false;
	return true;
}

static void
test_short_tallies(void)
{
	const OdrPolicyDef *ps[2] = {&amazon, &ebay};
	const char *names[2] = {"Amazon", "eBay"};
	int64_t		first = D(2014, 4, 1);
	OdrError	e;

	ok(odr_tally_size(&amazon) == (size_t) amazon.ncounters * 8 && odr_tally_size(&amazon) == 128,
	   "size: an Amazon tally (%d COUNT counters) takes %zu bytes, not %zu", amazon.ncounters,
	   odr_tally_size(&amazon), sizeof(OdrTally));
	ok(odr_tally_size(&ebay) == (size_t) (ebay.ncounters + 5 + 3 + 6) * 8 &&
	   odr_tally_size(&ebay) <= 256,
	   "size: an eBay tally (%d counters, 14 buyer slots) takes %zu bytes", ebay.ncounters,
	   odr_tally_size(&ebay));
	ok(sizeof(OdrTally) == (ODR_ENG_MAX_COUNTERS + ODR_ENG_MAX_BUYER_SLOTS) * 8,
	   "size: a full-size OdrTally holds the largest policy's cells");
	{
		OdrPolicyDef one = {0};

		one.ncounters = 1;
		one.counters[0].kind = ODR_COUNTER_DISTINCT;
		one.counters[0].k = ODR_ENG_MAX_DISTINCT_K;
		one.counters[0].slot = 0;
		ok(odr_tally_size(&one) == (1 + ODR_ENG_MAX_DISTINCT_K) * 8,
		   "size: one DISTINCT counter of k %d: its value and its %d slots", ODR_ENG_MAX_DISTINCT_K,
		   ODR_ENG_MAX_DISTINCT_K);
	}

	for (int pi = 0; pi < 2; pi++)
	{
		const OdrPolicyDef *p = ps[pi];
		size_t		sz = odr_tally_size(p);
		bool		same = true,
					canaries = true,
					decoded = true,
					tails = true;

		for (int trial = 0; trial < 20; trial++)
		{
			int64_t		f = first + rnd_below(40),
						l = f + 10 + rnd_below(70);
			OdrTally	direct,
						merged,
						wide;
			OdrTally   *s_direct = short_tally(p),
					   *s_merged = short_tally(p),
					   *s_part = short_tally(p),
					   *s_back = short_tally(p);
			unsigned char buf[512],
						sbuf[512];
			size_t		n,
						sn;

			random_rows(p, 50 + (int) rnd_below(400), first, trial % 2 ? 6 : 1000);
			tally_days(p, first);
			/* row by row */
			odr_tally_init(p, &direct);
			odr_tally_init_short(p, s_direct);
			for (int i = 0; i < nrows; i++)
			{
				odr_tally_add_row(p, &direct, &rows[i], f, l, &e);
				odr_tally_add_row(p, s_direct, &rows[i], f, l, &e);
			}
			/* merged from days: a full day into a short tally, a short
			 * partial sum into a short tally */
			odr_tally_init(p, &merged);
			odr_tally_init_short(p, s_merged);
			odr_tally_init_short(p, s_part);
			for (int64_t d = f; d <= l; d++)
			{
				odr_tally_merge(p, &merged, &day_tally[d - first], &e);
				odr_tally_merge(p, d % 2 ? s_merged : s_part, &day_tally[d - first], &e);
			}
			odr_tally_merge(p, s_merged, s_part, &e);
			same &= memcmp(s_direct, &direct, sz) == 0 && memcmp(s_merged, &direct, sz) == 0 &&
				memcmp(&merged, &direct, sizeof(OdrTally)) == 0;
			/* a short tally widened equals the full one, every cell */
			odr_tally_init(p, &wide);
			memcpy(&wide, s_merged, sz);
			same &= memcmp(&wide, &direct, sizeof(OdrTally)) == 0;
			/* the binary form is the same, and decodes into a short tally */
			n = odr_tally_encode(p, &direct, buf, sizeof(buf));
			sn = odr_tally_encode(p, s_direct, sbuf, sizeof(sbuf));
			decoded &= n == sn && memcmp(buf, sbuf, n) == 0 &&
				odr_tally_encoded_size(p, s_direct) == n &&
				odr_tally_decode_short(p, sbuf, sn, s_back, &e) == ODR_OK &&
				memcmp(s_back, &direct, sz) == 0;
			/* decode_short into a full-size tally leaves the cells after the
			 * prefix as they are */
			memset(&wide, 0x5A, sizeof(wide));
			tails &= odr_tally_decode_short(p, buf, n, &wide, &e) == ODR_OK &&
				memcmp(&wide, &direct, sz) == 0 &&
				(sz == sizeof(wide) || ((unsigned char *) &wide)[sz] == 0x5A) &&
				((unsigned char *) &wide)[sizeof(wide) - 1] == 0x5A;
			/* subtract (COUNT and SUM only: Amazon) */
			if (p == &amazon)
			{
				odr_tally_merge(p, s_merged, s_direct, &e);
				same &= odr_tally_subtract(p, s_merged, s_direct, &e) == ODR_OK &&
					memcmp(s_merged, &direct, sz) == 0;
			}
			canaries &= canary_ok(p, s_direct) && canary_ok(p, s_merged) && canary_ok(p, s_part) &&
				canary_ok(p, s_back);
			free(s_direct);
			free(s_merged);
			free(s_part);
			free(s_back);
		}
		ok(same, "short (%s): a tally of exactly %zu bytes, row by row, merged, widened, equals the full-size tally (20 random windows)",
		   names[pi], sz);
		ok(decoded, "short (%s): it encodes to the same bytes and decodes back into %zu bytes", names[pi], sz);
		ok(tails, "short (%s): decode_short into a full-size tally leaves the cells after the prefix", names[pi]);
		ok(canaries, "short (%s): no tally function writes past the %zu bytes", names[pi], sz);
	}

	/* errors on short tallies: all or nothing, within the bytes */
	{
		const OdrPolicyDef *p = &amazon;
		size_t		sz = odr_tally_size(p);
		OdrTally   *a = short_tally(p),
				   *b = short_tally(p);
		OdrTally	saved;
		unsigned char buf[512];
		size_t		n;

		odr_tally_init_short(p, a);
		odr_tally_init_short(p, b);
		a->value[0] = INT64_MAX;
		b->value[0] = 1;
		b->value[1] = 7;
		memcpy(&saved, a, sz);
		ok_status(odr_tally_merge(p, a, b, &e), ODR_ERR_OVERFLOW, &e, "short: a merge that overflows");
		ok(memcmp(a, &saved, sz) == 0 && canary_ok(p, a) && canary_ok(p, b),
		   "short: a failed merge changes nothing and stays within the bytes");
		n = odr_tally_encode(p, b, buf, sizeof(buf));
		ok_status(odr_tally_decode_short(p, buf, n - 1, a, &e), ODR_ERR_SYNTAX, &e, "short: decode truncated");
		ok(memcmp(a, &saved, sz) == 0 && canary_ok(p, a), "short: a failed decode changes nothing");
		free(a);
		free(b);
	}
}

static void
test_overflow(void)
{
	OdrTally	t,
				u,
				saved;
	OdrEngRow	r;
	OdrError	e;

	memset(&r, 0, sizeof(r));
	r.days[0] = EVAL;
	r.values[0] = INT64_MAX;
	odr_tally_init(&ebay, &t);
	t.value[0] = INT64_MAX;
	saved = t;
	ok_status(odr_tally_add_row(&ebay, &t, &r, EVAL, EVAL, &e), ODR_ERR_OVERFLOW, &e,
			  "overflow: a row added to a count at INT64_MAX");
	ok(memcmp(&t, &saved, sizeof(t)) == 0, "overflow: the tally is unchanged");
	odr_tally_init(&ebay, &t);
	t.value[7] = 1;
	ok_status(odr_tally_add_row(&ebay, &t, &r, EVAL, EVAL, &e), ODR_ERR_OVERFLOW, &e,
			  "overflow: a sum past INT64_MAX");
	/* all or nothing: the counters before the failing sum (the counts, the
	 * distinct buyers: a case and a late shipment) are not changed either */
	r.buyer = 42;
	r.events = BIT(E_CASE) | BIT(E_LATE);
	saved = t;
	ok_status(odr_tally_add_row(&ebay, &t, &r, EVAL, EVAL, &e), ODR_ERR_OVERFLOW, &e,
			  "overflow: a sum past INT64_MAX, with a buyer");
	ok(memcmp(&t, &saved, sizeof(t)) == 0, "overflow: no counter of the row changed, not even the distinct ones");
	r.buyer = 0;
	r.events = 0;
	odr_tally_init(&ebay, &t);
	odr_tally_init(&ebay, &u);
	t.value[1] = INT64_MAX;
	u.value[1] = 1;
	ok_status(odr_tally_merge(&ebay, &t, &u, &e), ODR_ERR_OVERFLOW, &e, "overflow: a merge past INT64_MAX");
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

static OdrPolicyDef scratch;

static void
invalid(const OdrPolicyDef *p, const char *what)
{
	OdrError	e;

	ok_status(odr_policy_def_validate(p, &e), ODR_ERR_INVALID, &e, what);
}

static void
test_validation(void)
{
	OdrError	e;

	ok(odr_policy_def_validate(&amazon, &e) == ODR_OK && odr_policy_def_validate(&ebay, &e) == ODR_OK &&
	   odr_policy_def_validate(&ali, &e) == ODR_OK && odr_policy_def_validate(&switching, &e) == ODR_OK,
	   "validate: the Amazon, eBay, A and switching policies are valid");
	ok(ebay.counters[4].slot == 0 && ebay.counters[5].slot == 5 && ebay.counters[6].slot == 8,
	   "prepare: the DISTINCT counters' slots follow each other (0, 5, 8)");

	scratch = ebay;
	scratch.counters[4].k = 4;	/* defect buyers compared LE 4 */
	invalid(&scratch, "validate: distinct buyers compared with \"at most 4\" need k > 4 (k = 4)");
	scratch = ebay;
	scratch.comparisons[ec_defect_buyers_top].op = ODR_CMP_LT;
	scratch.comparisons[ec_defect_buyers_top].threshold = dec("5");
	ok(odr_policy_def_validate(&scratch, &e) == ODR_OK,
	   "validate: \"fewer than 5\" distinct buyers is decidable with k = 5");
	scratch.comparisons[ec_defect_buyers_top].threshold = dec("5.5");
	invalid(&scratch, "validate: \"fewer than 5.5\" is not (k = 5)");
	scratch = ebay;
	scratch.metrics[em_defect_rate].denominator = -1;
	invalid(&scratch, "validate: a rate with no denominator");
	scratch = ebay;
	scratch.metrics[em_defect_rate].numerator = 4;	/* a DISTINCT counter */
	invalid(&scratch, "validate: a rate over a DISTINCT counter");
	scratch = ebay;
	scratch.levels[2].mode = ODR_LEVEL_ALL_MET;
	scratch.levels[2].standards = 1;
	invalid(&scratch, "validate: a level list that does not end with OTHERWISE (does not cover every case)");
	scratch = ebay;
	scratch.levels[0].mode = ODR_LEVEL_OTHERWISE;
	scratch.levels[0].standards = 0;
	invalid(&scratch, "validate: OTHERWISE before the last level");
	scratch = ebay;
	scratch.levels[1].rank = 0;
	invalid(&scratch, "validate: two levels with the same rank");
	scratch = ebay;
	scratch.levels[1].standards &= ~SBIT(es_sales);
	invalid(&scratch, "validate: a standard used by no level");
	scratch = ebay;
	scratch.levels[1].standards |= SBIT(12);
	invalid(&scratch, "validate: a level naming a standard that does not exist");
	scratch = ebay;
	cmp_round(&scratch, scratch.standards[es_volume].first, ODR_ROUND_DOWN, 2);
	invalid(&scratch, "validate: rounding a count (not a rate or an average)");
	scratch = ebay;
	cmp_round(&scratch, ec_defect_rate_top, ODR_ROUND_DOWN, 19);
	invalid(&scratch, "validate: rounding to 19 digits");
	scratch = ebay;
	scratch.windows[ew_lookback].primary = ew_lookback;
	invalid(&scratch, "validate: a BY_VOLUME window over a BY_VOLUME window");
	scratch = ebay;
	scratch.windows[ew_lookback].volume_counter = 7;	/* the SUM */
	invalid(&scratch, "validate: a volume measured by a counter that is not a COUNT");
	scratch = amazon;
	scratch.windows[3].length = 0;
	invalid(&scratch, "validate: a window of 0 days");
	scratch = amazon;
	scratch.windows[3].lag = -1;
	invalid(&scratch, "validate: a negative lag");
	scratch = switching;
	scratch.comparisons[sw_high].applies_min = dec("39");
	invalid(&scratch, "validate: a switch whose volume ranges overlap ([0, 40) and [39, ...))");
	scratch = switching;
	scratch.comparisons[sw_high].applies_min = dec("40.0");
	ok(odr_policy_def_validate(&scratch, &e) == ODR_OK,
	   "validate: ranges [0, 40) and [40.0, ...) touch but do not overlap");
	scratch = switching;
	scratch.comparisons[sw_low].applies_max = dec("0");
	invalid(&scratch, "validate: an empty volume range [0, 0)");
	scratch = switching;
	scratch.comparisons[sw_low].applies_metric = -1;
	invalid(&scratch, "validate: a volume range with no metric to measure it");
	scratch = ebay;
	scratch.standards[es_defects_below].n = 1;	/* its second comparison is orphaned */
	invalid(&scratch, "validate: a comparison that belongs to no standard");
	scratch = ebay;
	scratch.standards[es_cases].first = 0;	/* shares comparisons 0, 1 */
	invalid(&scratch, "validate: a comparison in two standards");
	scratch = ebay;
	scratch.standards[es_tenure].n = 0;
	invalid(&scratch, "validate: a standard with no comparison");
	scratch = ebay;
	strcpy(scratch.metrics[em_cases].name, "defects");
	invalid(&scratch, "validate: two metrics with the same name");
	scratch = ebay;
	scratch.levels[1].name[0] = '\0';
	invalid(&scratch, "validate: a level with no name");
	scratch = ebay;
	scratch.counters[2].when.all = BIT(E_NEVENTS);
	invalid(&scratch, "validate: a counter on an event the policy does not have");
	scratch = ebay;
	scratch.counters[7].value = 1;
	invalid(&scratch, "validate: a sum of a value the policy does not have");
	scratch = ebay;
	scratch.counters[0].basis = 1;
	invalid(&scratch, "validate: a counter on a date basis the policy does not have");
	scratch = ebay;
	scratch.counters[6].k = 8;
	scratch.counters[5].k = 8;
	scratch.counters[4].k = 8;
	scratch.counters[3].kind = ODR_COUNTER_DISTINCT;
	scratch.counters[3].k = 1;	/* 25 slots */
	invalid(&scratch, "validate: DISTINCT counters keeping more than 24 buyers in all");
	scratch = ebay;
	scratch.counters[4].k = 9;
	invalid(&scratch, "validate: k above 8");
	scratch = ebay;
	scratch.metrics[em_age].numerator = 0;
	invalid(&scratch, "validate: days since a counter that is not a FIRST_DAY or LAST_DAY");
	scratch = ebay;
	scratch.comparisons[0].threshold.scale = 19;
	invalid(&scratch, "validate: a threshold of scale 19");
	scratch = ebay;
	scratch.nlevels = 0;
	invalid(&scratch, "validate: no levels");
	scratch = rounding;
	scratch.levels[0].mode = ODR_LEVEL_OTHERWISE;
	scratch.levels[0].standards = 0;
	scratch.nlevels = 1;
	invalid(&scratch, "validate: standards that no level uses (a single OTHERWISE level)");
	ok_status(odr_policy_def_validate(NULL, &e), ODR_ERR_NULL, &e, "validate: NULL");
}

/* ------------------------------------------------------------------ */
/* Advice against brute force                                           */
/* ------------------------------------------------------------------ */

/* num/den rounded to d digits (mode) compared with t: straightforward, on
 * small numbers */
static int
brute_cmp(int64_t num, int64_t den, OdrRounding mode, int d, OdrDecimal t)
{
	__int128	p10d = 1,
				p10s = 1,
				x,
				q,
				r,
				a,
				b;

	for (int i = 0; i < d; i++)
		p10d *= 10;
	for (int i = 0; i < t.scale; i++)
		p10s *= 10;
	if (mode == ODR_ROUND_NONE)
	{
		a = (__int128) num * p10s;
		b = (__int128) t.digits * den;
		return a < b ? -1 : a > b;
	}
	x = (__int128) num * p10d;
	q = x / den;
	r = x % den;
	if (mode == ODR_ROUND_HALF_UP && 2 * r >= den)
		q++;
	if (mode == ODR_ROUND_UP && r > 0)
		q++;
	a = q * p10s;
	b = (__int128) t.digits * p10d;
	return a < b ? -1 : a > b;
}

static bool
brute_holds(OdrCmp op, int c)
{
	return op == ODR_CMP_LT ? c < 0 : op == ODR_CMP_LE ? c <= 0 : op == ODR_CMP_GT ? c > 0 : c >= 0;
}

#define BRUTE_LIMIT 200000

static void
test_advice_brute(void)
{
	static const char *const thresholds[] = {
		"0", "0.01", "0.025", "0.04", "0.05", "0.1", "0.333", "0.5", "0.9", "0.95", "0.99", "1"
	};
	OdrPolicyDef *p = &scratch;
	int			checked = 0,
				mismatches = 0,
				unreachable = 0;
	OdrError	e;

	scratch = rounding;
	scratch.nstandards = 1;
	scratch.ncomparisons = 1;
	scratch.standards[0].n = 1;
	scratch.levels[0].standards = 1;
	for (int trial = 0; trial < 600; trial++)
	{
		OdrComparisonDef *c = &p->comparisons[0];
		int64_t		num = rnd_below(51),
					den = num + rnd_below(60) + (num == 0),
					want = -1,
					want_alt = -1;
		OdrAdvice	adv;
		bool		cap;

		c->op = (OdrCmp) rnd_below(4);
		c->threshold = dec(thresholds[rnd_below(12)]);
		c->rounding = (OdrRounding) rnd_below(4);
		c->digits = (int32_t) rnd_below(4);
		if (odr_policy_def_prepare(p, &e) != ODR_OK)
		{
			diag("  %s", e.message);
			mismatches++;
			continue;
		}
		evaluate_counts(p, num, den);
		if (EV.comparisons[0].state != ODR_FAILED)
			continue;
		cap = c->op == ODR_CMP_LT || c->op == ODR_CMP_LE;
		for (int64_t n = 0; n <= BRUTE_LIMIT && want < 0; n++)
			if (brute_holds(c->op, cap ? brute_cmp(num, den + n, c->rounding, c->digits, c->threshold) :
							brute_cmp(num + n, den + n, c->rounding, c->digits, c->threshold)))
				want = n;
		if (cap)
			for (int64_t n = 0; n <= num && want_alt < 0; n++)
				if (brute_holds(c->op, brute_cmp(num - n, den, c->rounding, c->digits, c->threshold)))
					want_alt = n;
		odr_comparison_advise(p, 0, &EV, TW, &adv, &e);
		checked++;
		unreachable += want < 0;
		if ((want < 0 ? adv.kind != ODR_ADVICE_UNREACHABLE :
			 (adv.kind != (cap ? ODR_ADVICE_MORE_ROWS : ODR_ADVICE_MORE_GOOD_ROWS) || adv.n != want)) ||
			(cap && (want_alt < 0 ? adv.alternative_kind != ODR_ADVICE_UNREACHABLE :
					 (adv.alternative_kind != ODR_ADVICE_FEWER_EVENTS || adv.alternative_n != want_alt))))
		{
			if (mismatches++ < 5)
				diag("  %lld/%lld op %d t %lld/10^%d round %d/%d: want %lld/%lld, got %d %lld / %d %lld",
					 (long long) num, (long long) den, c->op, (long long) c->threshold.digits,
					 c->threshold.scale, c->rounding, c->digits, (long long) want, (long long) want_alt,
					 adv.kind, (long long) adv.n, adv.alternative_kind, (long long) adv.alternative_n);
		}
	}
	ok(mismatches == 0 && checked > 100,
	   "advice: the least n of more orders / fewer defects / more good rows equals a brute-force search (%d failing rates, %d unreachable, all rounding modes)",
	   checked, unreachable);
}

/* BUSINESS_DAYS windows (issue 20, construct 8): a Saturday/Sunday weekend
 * with holidays on 2026-12-25 and 2027-01-01; a Friday/Saturday one. */
static void
test_business_days(void)
{
	static OdrPolicyDef p;
	OdrError	e;
	int64_t		f,
				l;

	memset(&p, 0, sizeof(p));
	p.nwindows = 2;
	strcpy(p.windows[0].name, "bd_10");
	p.windows[0].kind = ODR_WINDOW_BUSINESS_DAYS;
	p.windows[0].length = 10;
	strcpy(p.windows[1].name, "gulf_5");
	p.windows[1].kind = ODR_WINDOW_BUSINESS_DAYS;
	p.windows[1].length = 5;
	p.windows[1].lag = 1;
	p.holidays[0] = D(2026, 12, 25);
	p.holidays[1] = D(2027, 1, 1);
	p.nholidays = 2;
	p.business[0] = (OdrBusinessCalendar) {(1u << 5) | (1u << 6), 0, 2};
	p.business[1] = (OdrBusinessCalendar) {(1u << 4) | (1u << 5), 0, 0};
	/* Monday 4 Jan 2027: 10 working days back skip New Year's Day, Christmas, weekends */
	ok(odr_policy_window_days(&p, 0, D(2027, 1, 4), &f, &l, &e) == ODR_OK &&
	   f == D(2026, 12, 18) && l == D(2027, 1, 4),
	   "business_days: 10 working days on 2027-01-04 start on 2026-12-18");
	/* Sunday 3 Jan: the window ends on the Sunday, starts 10 working days back */
	ok(odr_policy_window_days(&p, 0, D(2027, 1, 3), &f, &l, &e) == ODR_OK &&
	   f == D(2026, 12, 17) && l == D(2027, 1, 3),
	   "business_days: on a Sunday the window ends on it and counts back from Thursday");
	ok(!odr_business_day(&p, &p.business[0], D(2026, 12, 25)) &&
	   odr_business_day(&p, &p.business[0], D(2026, 12, 24)) &&
	   !odr_business_day(&p, &p.business[1], D(2027, 1, 1)) &&
	   odr_business_day(&p, &p.business[1], D(2027, 1, 3)),
	   "business_days: holidays and weekends per calendar (Friday/Saturday off in the second)");
	/* gulf: lag 1 from Sunday 10 Jan 2027 ends Saturday 9 Jan; Sun 3 .. Thu 7 */
	ok(odr_policy_window_days(&p, 1, D(2027, 1, 10), &f, &l, &e) == ODR_OK &&
	   f == D(2027, 1, 3) && l == D(2027, 1, 9),
	   "business_days: Friday/Saturday weekend with a lag of 1");
	ok(odr_window_days(&p.windows[0], D(2027, 1, 4), &f, &l, &e) == ODR_ERR_INVALID,
	   "business_days: odr_window_days alone refuses (it needs the calendar)");
	p.business[0].weekend = 0x7F;
	ok(odr_policy_window_days(&p, 0, D(2027, 1, 4), &f, &l, &e) == ODR_ERR_INVALID,
	   "business_days: a calendar without working days is refused, not looped on");
}

int
main(void)
{
	build_amazon();
	build_ebay();
	build_ali();
	build_rounding();
	build_switching();

	test_decimals();
	test_windows();
	test_business_days();
	test_m1();
	test_m2();
	test_ali();
	test_constructs();
	test_merge();
	test_encoding();
	test_short_tallies();
	test_overflow();
	test_validation();
	test_advice_brute();

	printf("1..%d\n", ntests);
	return nfailed > 0 ? 1 : 0;
}
