/*
 * engine_core.c — the marketplace-neutral policy engine (engine_core.h),
 * plain C11 with libc only: exact decimals, counters, tallies, windows,
 * evaluation and advice.  Unit-tested alone by test/unit/engine_test.c.
 */
#include "engine_core.h"

#include <limits.h>
#include <string.h>

#include "odr_error.h"

__extension__ typedef __int128 i128;

/* PostgreSQL's dates: 4713-11-24 BC .. 5874897-12-31, as days since 2000. */
#define DAY_OK(d) ((d) >= ODR_ENG_MIN_DAY && (d) <= ODR_ENG_MAX_DAY)

static const int64_t pow10_tab[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

/* ------------------------------------------------------------------ */
/* Exact numbers                                                        */
/* ------------------------------------------------------------------ */

OdrStatus
odr_decimal_parse(const char *text, OdrDecimal *out, OdrError *err)
{
	const char *s = text;
	bool		neg = false;
	bool		any_digit = false;
	bool		seen_point = false;
	int32_t		scale = 0;
	uint64_t	mag = 0;

	if (text == NULL)
		return odr_fail(err, ODR_ERR_NULL, "decimal text is NULL");
	if (*s == '-' || *s == '+')
	{
		neg = *s == '-';
		s++;
	}
	for (; *s != '\0'; s++)
	{
		if (*s == '.')
		{
			if (seen_point)
				return odr_fail(err, ODR_ERR_SYNTAX,
								"invalid decimal \"%s\": two decimal points", text);
			seen_point = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			return odr_fail(err, ODR_ERR_SYNTAX,
							"invalid decimal \"%s\": plain digits and one point only", text);
		any_digit = true;
		if (seen_point)
		{
			if (scale == 18)
				return odr_fail(err, ODR_ERR_RANGE,
								"decimal \"%s\" has more than 18 decimals", text);
			scale++;
		}
		if (mag > (UINT64_C(1) << 63) / 10 ||
			mag * 10 + (uint64_t) (*s - '0') > (UINT64_C(1) << 63) - (neg ? 0 : 1))
			return odr_fail(err, ODR_ERR_RANGE, "decimal \"%s\" is out of range", text);
		mag = mag * 10 + (uint64_t) (*s - '0');
	}
	if (!any_digit)
		return odr_fail(err, ODR_ERR_SYNTAX, "invalid decimal \"%s\": no digits", text);
	out->scale = scale;
	out->digits = neg ? (int64_t) (0 - mag) : (int64_t) mag;
	return ODR_OK;
}

size_t
odr_decimal_format(OdrDecimal d, char *buf, size_t buflen)
{
	char		tmp[48];
	char		digits[24];
	uint64_t	mag = d.digits < 0 ? 0 - (uint64_t) d.digits : (uint64_t) d.digits;
	int			n = 0;
	int			scale = d.scale < 0 ? 0 : (d.scale > 18 ? 18 : d.scale);
	size_t		len = 0;

	do
	{
		digits[n++] = (char) ('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	while (n <= scale)
		digits[n++] = '0';
	if (d.digits < 0)
		tmp[len++] = '-';
	for (int i = n - 1; i >= 0; i--)
	{
		tmp[len++] = digits[i];
		if (i == scale && scale > 0)
			tmp[len++] = '.';
	}
	tmp[len] = '\0';
	if (buf != NULL && buflen > 0)
	{
		size_t		c = len < buflen - 1 ? len : buflen - 1;

		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return len;
}

static int
cmp128(i128 a, i128 b)
{
	return a < b ? -1 : (a > b ? 1 : 0);
}

int
odr_rational_cmp_decimal(OdrRational a, OdrDecimal b)
{
	/* a.num / a.den  vs  b.digits / 10^scale, den > 0: cross products fit
	 * in 128 bits (2^63 * 10^18 < 2^127) */
	return cmp128((i128) a.num * pow10_tab[b.scale], (i128) b.digits * a.den);
}

double
odr_rational_to_double(OdrRational a)
{
	return (double) a.num / (double) a.den;
}

/*
 * The value num/den rounded to `digits` decimals, compared with t: -1, 0, 1.
 * The rounded value is q / 10^digits with q an integer (|q| < 2^124).
 */
static int
rounded_cmp_decimal(OdrRational v, OdrRounding mode, int32_t digits, OdrDecimal t)
{
	i128		scaled;
	i128		den = v.den;
	i128		q,
				r;
	bool		neg;

	if (mode == ODR_ROUND_NONE)
		return odr_rational_cmp_decimal(v, t);
	scaled = (i128) v.num * pow10_tab[digits];
	neg = scaled < 0;
	if (neg)
		scaled = -scaled;
	q = scaled / den;
	r = scaled % den;
	/* q, r: the magnitude's truncation; now round the magnitude */
	switch (mode)
	{
		case ODR_ROUND_DOWN:
			break;
		case ODR_ROUND_HALF_UP:
			if (2 * r >= den)
				q++;
			break;
		case ODR_ROUND_UP:
			if (r != 0 && !neg)
				q++;
			break;
		case ODR_ROUND_NONE:
			break;
	}
	if (neg)
		q = -q;
	/* q / 10^digits vs t.digits / 10^t.scale */
	if (t.scale <= digits)
		return cmp128(q, (i128) t.digits * pow10_tab[digits - t.scale]);
	/* q * 10^(s - d) vs t.digits: when |q| >= 2^64 the sign decides */
	if (q >= ((i128) 1 << 64))
		return 1;
	if (q <= -((i128) 1 << 64))
		return -1;
	return cmp128(q * pow10_tab[t.scale - digits], (i128) t.digits);
}

static bool
op_holds(OdrCmp op, int c)
{
	switch (op)
	{
		case ODR_CMP_LT:
			return c < 0;
		case ODR_CMP_LE:
			return c <= 0;
		case ODR_CMP_GT:
			return c > 0;
		case ODR_CMP_GE:
			return c >= 0;
	}
	return false;
}

/* Does the comparison hold for value v (after its rounding)? */
static bool
comparison_holds(const OdrComparisonDef *c, OdrRational v)
{
	return op_holds(c->op, rounded_cmp_decimal(v, c->rounding, c->digits, c->threshold));
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

static bool
name_ok(const char *name)
{
	return name[0] != '\0' && memchr(name, '\0', ODR_ENG_NAME_LEN) != NULL;
}

static bool
event_set_ok(const OdrEventSet *s, int nevents)
{
	uint64_t	mask = nevents >= 64 ? ~UINT64_C(0) : ((UINT64_C(1) << nevents) - 1);

	return ((s->all | s->any | s->none) & ~mask) == 0;
}

static bool
decimal_ok(OdrDecimal d)
{
	return d.scale >= 0 && d.scale <= 18;
}

/*
 * A DISTINCT value v is exact below k and "at least k" at k: `v op t` can
 * be decided iff it gives the same answer for every v >= k.
 */
static bool
distinct_decidable(int k, OdrCmp op, OdrDecimal t)
{
	OdrRational kv = {k, 1};
	int			c = odr_rational_cmp_decimal(kv, t);

	if (op == ODR_CMP_LE || op == ODR_CMP_GT)
		return c > 0;			/* k > t */
	return c >= 0;				/* k >= t */
}

static OdrStatus
validate_counters(const OdrPolicyDef *p, OdrError *err)
{
	int			slots = 0;

	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];

		if (!name_ok(c->name))
			return odr_fail(err, ODR_ERR_INVALID, "counter %d has no name", i);
		for (int j = 0; j < i; j++)
			if (strcmp(p->counters[j].name, c->name) == 0)
				return odr_fail(err, ODR_ERR_INVALID, "counter name \"%s\" is used twice", c->name);
		if (c->kind < ODR_COUNTER_COUNT || c->kind > ODR_COUNTER_LAST_DAY)
			return odr_fail(err, ODR_ERR_INVALID, "counter \"%s\" has an unknown kind", c->name);
		if (!event_set_ok(&c->when, p->nevents))
			return odr_fail(err, ODR_ERR_INVALID,
							"counter \"%s\" uses an event the policy does not have (it has %d)",
							c->name, p->nevents);
		if (c->basis < 0 || c->basis >= p->nbases)
			return odr_fail(err, ODR_ERR_INVALID,
							"counter \"%s\" has date basis %d, the policy has %d",
							c->name, c->basis, p->nbases);
		if (c->kind == ODR_COUNTER_SUM && (c->value < 0 || c->value >= p->nvalues))
			return odr_fail(err, ODR_ERR_INVALID,
							"counter \"%s\" sums value %d, the policy has %d",
							c->name, c->value, p->nvalues);
		if (c->kind == ODR_COUNTER_DISTINCT)
		{
			if (c->k < 1 || c->k > ODR_ENG_MAX_DISTINCT_K)
				return odr_fail(err, ODR_ERR_INVALID,
								"counter \"%s\" keeps k = %d buyers, not 1..%d",
								c->name, c->k, ODR_ENG_MAX_DISTINCT_K);
			slots += c->k;
			if (slots > ODR_ENG_MAX_BUYER_SLOTS)
				return odr_fail(err, ODR_ERR_INVALID,
								"the DISTINCT counters keep more than %d buyers in all (at \"%s\")",
								ODR_ENG_MAX_BUYER_SLOTS, c->name);
		}
	}
	return ODR_OK;
}

static bool
plain_window(const OdrWindowDef *w)
{
	return w->kind != ODR_WINDOW_BY_VOLUME;
}

static OdrStatus
validate_business(const OdrPolicyDef *p, int i, OdrError *err)
{
	const OdrWindowDef *w = &p->windows[i];
	const OdrBusinessCalendar *c = &p->business[i];

	if (w->length > ODR_ENG_MAX_BUSINESS_LENGTH)
		return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has length %d, more than %d working days",
						w->name, (int) w->length, (int) ODR_ENG_MAX_BUSINESS_LENGTH);
	if ((c->weekend & 0x7F) == 0x7F || (c->weekend & 0x80))
		return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has a calendar without working days", w->name);
	if (p->nholidays < 0 || p->nholidays > ODR_ENG_MAX_HOLIDAYS || c->first < 0 || c->count < 0 ||
		c->first > p->nholidays || c->count > p->nholidays - c->first)
		return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has holidays outside the policy's", w->name);
	for (int32_t h = c->first; h < c->first + c->count; h++)
		if (!DAY_OK(p->holidays[h]) || (h > c->first && p->holidays[h] <= p->holidays[h - 1]))
			return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has holidays not strictly ascending within the dates", w->name);
	return ODR_OK;
}

static OdrStatus
validate_windows(const OdrPolicyDef *p, OdrError *err)
{
	for (int i = 0; i < p->nwindows; i++)
	{
		const OdrWindowDef *w = &p->windows[i];

		if (!name_ok(w->name))
			return odr_fail(err, ODR_ERR_INVALID, "window %d has no name", i);
		for (int j = 0; j < i; j++)
			if (strcmp(p->windows[j].name, w->name) == 0)
				return odr_fail(err, ODR_ERR_INVALID, "window name \"%s\" is used twice", w->name);
		if (w->kind < ODR_WINDOW_DAYS || w->kind > ODR_WINDOW_BUSINESS_DAYS)
			return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has an unknown kind", w->name);
		if (w->kind == ODR_WINDOW_BUSINESS_DAYS && validate_business(p, i, err) != ODR_OK)
			return ODR_ERR_INVALID;
		if (w->kind == ODR_WINDOW_BY_VOLUME)
		{
			if (w->primary < 0 || w->primary >= p->nwindows ||
				w->fallback < 0 || w->fallback >= p->nwindows ||
				!plain_window(&p->windows[w->primary]) ||
				!plain_window(&p->windows[w->fallback]))
				return odr_fail(err, ODR_ERR_INVALID,
								"window \"%s\" chooses by volume between windows that are not plain windows of the policy",
								w->name);
			if (w->volume_counter < 0 || w->volume_counter >= p->ncounters ||
				p->counters[w->volume_counter].kind != ODR_COUNTER_COUNT)
				return odr_fail(err, ODR_ERR_INVALID,
								"window \"%s\" measures volume with a counter that is not a COUNT",
								w->name);
			if (w->volume_min < 0)
				return odr_fail(err, ODR_ERR_INVALID,
								"window \"%s\" has a negative volume minimum", w->name);
			continue;
		}
		if (w->lag < 0)
			return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has a negative lag", w->name);
		if (w->kind == ODR_WINDOW_MONTH_TO_DATE ? w->length < 0 :
			(w->kind != ODR_WINDOW_LIFETIME && w->length < 1))
			return odr_fail(err, ODR_ERR_INVALID,
							"window \"%s\" has length %d", w->name, (int) w->length);
	}
	return ODR_OK;
}

static OdrStatus
validate_metrics(const OdrPolicyDef *p, OdrError *err)
{
	for (int i = 0; i < p->nmetrics; i++)
	{
		const OdrMetricDef *m = &p->metrics[i];
		OdrCounterKind want_num,
					alt_num;
		bool		has_den = m->kind == ODR_METRIC_RATE || m->kind == ODR_METRIC_AVERAGE;

		if (!name_ok(m->name))
			return odr_fail(err, ODR_ERR_INVALID, "metric %d has no name", i);
		for (int j = 0; j < i; j++)
			if (strcmp(p->metrics[j].name, m->name) == 0)
				return odr_fail(err, ODR_ERR_INVALID, "metric name \"%s\" is used twice", m->name);
		switch (m->kind)
		{
			case ODR_METRIC_RATE:
			case ODR_METRIC_COUNT:
				want_num = alt_num = ODR_COUNTER_COUNT;
				break;
			case ODR_METRIC_AVERAGE:
			case ODR_METRIC_SUM:
				want_num = alt_num = ODR_COUNTER_SUM;
				break;
			case ODR_METRIC_DISTINCT:
				want_num = alt_num = ODR_COUNTER_DISTINCT;
				break;
			case ODR_METRIC_DAYS_SINCE:
				want_num = ODR_COUNTER_FIRST_DAY;
				alt_num = ODR_COUNTER_LAST_DAY;
				break;
			default:
				return odr_fail(err, ODR_ERR_INVALID, "metric \"%s\" has an unknown kind", m->name);
		}
		if (m->window < 0 || m->window >= p->nwindows)
			return odr_fail(err, ODR_ERR_INVALID, "metric \"%s\" has no window", m->name);
		if (m->numerator < 0 || m->numerator >= p->ncounters ||
			(p->counters[m->numerator].kind != want_num &&
			 p->counters[m->numerator].kind != alt_num))
			return odr_fail(err, ODR_ERR_INVALID,
							"metric \"%s\": its numerator is not a counter of the kind it needs",
							m->name);
		if (has_den && (m->denominator < 0 || m->denominator >= p->ncounters ||
						p->counters[m->denominator].kind != ODR_COUNTER_COUNT))
			return odr_fail(err, ODR_ERR_INVALID,
							"metric \"%s\" has no denominator (a COUNT counter)", m->name);
	}
	return ODR_OK;
}

/* The DISTINCT counter's k behind metric m, or 0 when m is not DISTINCT. */
static int
metric_distinct_k(const OdrPolicyDef *p, int m)
{
	if (p->metrics[m].kind != ODR_METRIC_DISTINCT)
		return 0;
	return p->counters[p->metrics[m].numerator].k;
}

static bool
ranges_overlap(const OdrComparisonDef *a, const OdrComparisonDef *b)
{
	/* [a.min, a.max) and [b.min, b.max) meet unless one ends before the
	 * other starts */
	if (a->has_applies_max && b->has_applies_min)
	{
		/* a.max <= b.min ? */
		i128		l = (i128) a->applies_max.digits * pow10_tab[b->applies_min.scale];
		i128		r = (i128) b->applies_min.digits * pow10_tab[a->applies_max.scale];

		if (l <= r)
			return false;
	}
	if (b->has_applies_max && a->has_applies_min)
	{
		i128		l = (i128) b->applies_max.digits * pow10_tab[a->applies_min.scale];
		i128		r = (i128) a->applies_min.digits * pow10_tab[b->applies_max.scale];

		if (l <= r)
			return false;
	}
	return true;
}

static OdrStatus
validate_comparisons(const OdrPolicyDef *p, OdrError *err)
{
	for (int i = 0; i < p->ncomparisons; i++)
	{
		const OdrComparisonDef *c = &p->comparisons[i];
		const OdrMetricDef *m;
		int			k;

		if (c->metric < 0 || c->metric >= p->nmetrics)
			return odr_fail(err, ODR_ERR_INVALID, "comparison %d has no metric", i);
		m = &p->metrics[c->metric];
		if (c->op < ODR_CMP_LT || c->op > ODR_CMP_GE)
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d (metric \"%s\") has an unknown operator", i, m->name);
		if (!decimal_ok(c->threshold))
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d (metric \"%s\"): the threshold's scale is not 0..18",
							i, m->name);
		if (c->rounding < ODR_ROUND_NONE || c->rounding > ODR_ROUND_UP)
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d (metric \"%s\") has an unknown rounding", i, m->name);
		if (c->rounding != ODR_ROUND_NONE)
		{
			if (m->kind != ODR_METRIC_RATE && m->kind != ODR_METRIC_AVERAGE)
				return odr_fail(err, ODR_ERR_INVALID,
								"comparison %d rounds metric \"%s\", which is not a rate or an average",
								i, m->name);
			if (c->digits < 0 || c->digits > 18)
				return odr_fail(err, ODR_ERR_INVALID,
								"comparison %d (metric \"%s\") rounds to %d digits, not 0..18",
								i, m->name, (int) c->digits);
		}
		k = metric_distinct_k(p, c->metric);
		if (k > 0 && !distinct_decidable(k, c->op, c->threshold))
		{
			char		t[48];

			odr_decimal_format(c->threshold, t, sizeof(t));
			odr_fail(err, ODR_ERR_INVALID,
					 "comparison %d of distinct buyers \"%s\" with %s needs a larger k than %d",
					 i, m->name, t, k);
			odr_set_detail(err, "A DISTINCT counter is exact below k only; it must keep more buyers than the threshold.");
			return ODR_ERR_INVALID;
		}
		if (c->applies_metric == -1)
		{
			if (c->has_applies_min || c->has_applies_max)
				return odr_fail(err, ODR_ERR_INVALID,
								"comparison %d (metric \"%s\") has a volume range but no metric to measure it",
								i, m->name);
			continue;
		}
		if (c->applies_metric < 0 || c->applies_metric >= p->nmetrics)
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d (metric \"%s\") applies by a metric that does not exist",
							i, m->name);
		if ((c->has_applies_min && !decimal_ok(c->applies_min)) ||
			(c->has_applies_max && !decimal_ok(c->applies_max)))
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d (metric \"%s\"): a volume bound's scale is not 0..18",
							i, m->name);
		if (c->has_applies_min && c->has_applies_max &&
			(i128) c->applies_min.digits * pow10_tab[c->applies_max.scale] >=
			(i128) c->applies_max.digits * pow10_tab[c->applies_min.scale])
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d (metric \"%s\") applies in an empty range", i, m->name);
		k = metric_distinct_k(p, c->applies_metric);
		if (k > 0 &&
			((c->has_applies_min && !distinct_decidable(k, ODR_CMP_GE, c->applies_min)) ||
			 (c->has_applies_max && !distinct_decidable(k, ODR_CMP_LT, c->applies_max)) ||
			 (!c->has_applies_max && c->has_applies_min &&
			  odr_rational_cmp_decimal((OdrRational) {k, 1}, c->applies_min) < 0)))
			return odr_fail(err, ODR_ERR_INVALID,
							"comparison %d applies by distinct buyers \"%s\" beyond its k = %d",
							i, p->metrics[c->applies_metric].name, k);
	}
	return ODR_OK;
}

static OdrStatus
validate_standards(const OdrPolicyDef *p, OdrError *err)
{
	unsigned char owner[ODR_ENG_MAX_COMPARISONS];

	memset(owner, 0, sizeof(owner));
	for (int i = 0; i < p->nstandards; i++)
	{
		const OdrStandardDef *s = &p->standards[i];

		if (!name_ok(s->name))
			return odr_fail(err, ODR_ERR_INVALID, "standard %d has no name", i);
		for (int j = 0; j < i; j++)
			if (strcmp(p->standards[j].name, s->name) == 0)
				return odr_fail(err, ODR_ERR_INVALID, "standard name \"%s\" is used twice", s->name);
		if (s->n < 1 || s->first < 0 || s->first > p->ncomparisons - s->n)
			return odr_fail(err, ODR_ERR_INVALID,
							"standard \"%s\" has no comparisons (first %d, n %d, the policy has %d)",
							s->name, s->first, s->n, p->ncomparisons);
		for (int c = s->first; c < s->first + s->n; c++)
		{
			if (owner[c])
				return odr_fail(err, ODR_ERR_INVALID,
								"comparison %d belongs to two standards (\"%s\" and another)", c, s->name);
			owner[c] = 1;
			/* a switch: two ranges over the same volume must not overlap */
			for (int d = s->first; d < c; d++)
			{
				const OdrComparisonDef *a = &p->comparisons[c];
				const OdrComparisonDef *b = &p->comparisons[d];

				if (a->applies_metric != -1 && a->applies_metric == b->applies_metric &&
					ranges_overlap(a, b))
				{
					odr_fail(err, ODR_ERR_INVALID,
							 "standard \"%s\": comparisons %d and %d apply in overlapping ranges of \"%s\"",
							 s->name, d, c, p->metrics[a->applies_metric].name);
					odr_set_detail(err, "A cap that switches by volume applies one comparison per range.");
					return ODR_ERR_INVALID;
				}
			}
		}
	}
	for (int c = 0; c < p->ncomparisons; c++)
		if (!owner[c])
			return odr_fail(err, ODR_ERR_INVALID, "comparison %d belongs to no standard", c);
	return ODR_OK;
}

static OdrStatus
validate_levels(const OdrPolicyDef *p, OdrError *err)
{
	uint32_t	used = 0;
	uint32_t	all = p->nstandards >= 32 ? UINT32_MAX : ((UINT32_C(1) << p->nstandards) - 1);

	if (p->nlevels < 1)
		return odr_fail(err, ODR_ERR_INVALID, "the policy has no levels");
	for (int i = 0; i < p->nlevels; i++)
	{
		const OdrLevelDef *l = &p->levels[i];
		bool		last = i == p->nlevels - 1;

		if (!name_ok(l->name))
			return odr_fail(err, ODR_ERR_INVALID, "level %d has no name", i);
		for (int j = 0; j < i; j++)
		{
			if (strcmp(p->levels[j].name, l->name) == 0)
				return odr_fail(err, ODR_ERR_INVALID, "level name \"%s\" is used twice", l->name);
			if (p->levels[j].rank == l->rank)
				return odr_fail(err, ODR_ERR_INVALID,
								"levels \"%s\" and \"%s\" have the same rank %d",
								p->levels[j].name, l->name, (int) l->rank);
		}
		if (l->mode < ODR_LEVEL_ALL_MET || l->mode > ODR_LEVEL_OTHERWISE)
			return odr_fail(err, ODR_ERR_INVALID, "level \"%s\" has an unknown mode", l->name);
		if (last && l->mode != ODR_LEVEL_OTHERWISE)
		{
			odr_fail(err, ODR_ERR_INVALID,
					 "the last level \"%s\" is not OTHERWISE: the levels do not cover every case", l->name);
			odr_set_hint(err, "End the list with a level that always applies.");
			return ODR_ERR_INVALID;
		}
		if (!last && l->mode == ODR_LEVEL_OTHERWISE)
			return odr_fail(err, ODR_ERR_INVALID,
							"level \"%s\" is OTHERWISE but not the last: the levels after it are never reached",
							l->name);
		if (l->mode == ODR_LEVEL_OTHERWISE ? l->standards != 0 :
			(l->standards == 0 || (l->standards & ~all) != 0))
			return odr_fail(err, ODR_ERR_INVALID,
							"level \"%s\" names standards the policy does not have (or none)", l->name);
		used |= l->standards;
	}
	if ((used & all) != all)
	{
		for (int s = 0; s < p->nstandards; s++)
			if (!(used & (UINT32_C(1) << s)))
				return odr_fail(err, ODR_ERR_INVALID,
								"standard \"%s\" is used by no level", p->standards[s].name);
	}
	return ODR_OK;
}

OdrStatus
odr_policy_def_validate(const OdrPolicyDef *p, OdrError *err)
{
	OdrStatus	st;

	if (p == NULL)
		return odr_fail(err, ODR_ERR_NULL, "policy is NULL");
	if (p->nbases < 1 || p->nbases > ODR_ENG_MAX_BASES)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 1..%d date bases, not %d",
						ODR_ENG_MAX_BASES, p->nbases);
	if (p->nvalues < 0 || p->nvalues > ODR_ENG_MAX_VALUES)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 0..%d values, not %d",
						ODR_ENG_MAX_VALUES, p->nvalues);
	if (p->nevents < 0 || p->nevents > ODR_ENG_MAX_EVENTS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 0..%d events, not %d",
						ODR_ENG_MAX_EVENTS, p->nevents);
	if (p->ncounters < 1 || p->ncounters > ODR_ENG_MAX_COUNTERS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 1..%d counters, not %d",
						ODR_ENG_MAX_COUNTERS, p->ncounters);
	if (p->nwindows < 1 || p->nwindows > ODR_ENG_MAX_WINDOWS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 1..%d windows, not %d",
						ODR_ENG_MAX_WINDOWS, p->nwindows);
	if (p->nmetrics < 1 || p->nmetrics > ODR_ENG_MAX_METRICS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 1..%d metrics, not %d",
						ODR_ENG_MAX_METRICS, p->nmetrics);
	if (p->ncomparisons < 0 || p->ncomparisons > ODR_ENG_MAX_COMPARISONS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 0..%d comparisons, not %d",
						ODR_ENG_MAX_COMPARISONS, p->ncomparisons);
	if (p->nstandards < 0 || p->nstandards > ODR_ENG_MAX_STANDARDS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 0..%d standards, not %d",
						ODR_ENG_MAX_STANDARDS, p->nstandards);
	if (p->nlevels < 1 || p->nlevels > ODR_ENG_MAX_LEVELS)
		return odr_fail(err, ODR_ERR_INVALID, "a policy has 1..%d levels, not %d",
						ODR_ENG_MAX_LEVELS, p->nlevels);
	if ((st = validate_counters(p, err)) != ODR_OK ||
		(st = validate_windows(p, err)) != ODR_OK ||
		(st = validate_metrics(p, err)) != ODR_OK ||
		(st = validate_comparisons(p, err)) != ODR_OK ||
		(st = validate_standards(p, err)) != ODR_OK ||
		(st = validate_levels(p, err)) != ODR_OK)
		return st;
	return ODR_OK;
}

OdrStatus
odr_policy_def_prepare(OdrPolicyDef *p, OdrError *err)
{
	OdrStatus	st = odr_policy_def_validate(p, err);
	int			slot = 0;

	if (st != ODR_OK)
		return st;
	for (int i = 0; i < p->ncounters; i++)
	{
		if (p->counters[i].kind == ODR_COUNTER_DISTINCT)
		{
			p->counters[i].slot = slot;
			slot += p->counters[i].k;
		}
		else
			p->counters[i].slot = -1;
	}
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* The tally                                                            */
/* ------------------------------------------------------------------ */

/* Cells of a tally of p: its counters, then its DISTINCT counters' slots
 * (they follow each other from 0: odr_policy_def_prepare). */
static int
tally_cells(const OdrPolicyDef *p)
{
	int			n = p->ncounters;

	for (int i = 0; i < p->ncounters; i++)
		if (p->counters[i].kind == ODR_COUNTER_DISTINCT)
			n = p->ncounters + p->counters[i].slot + p->counters[i].k > n ?
				p->ncounters + p->counters[i].slot + p->counters[i].k : n;
	return n;
}

size_t
odr_tally_size(const OdrPolicyDef *p)
{
	return (size_t) tally_cells(p) * sizeof(int64_t);
}

void
odr_tally_init_short(const OdrPolicyDef *p, OdrTally *t)
{
	memset(t, 0, odr_tally_size(p));
	for (int i = 0; i < p->ncounters; i++)
		if (p->counters[i].kind == ODR_COUNTER_FIRST_DAY ||
			p->counters[i].kind == ODR_COUNTER_LAST_DAY)
			t->value[i] = ODR_ENG_NO_DAY;
}

void
odr_tally_init(const OdrPolicyDef *p, OdrTally *t)
{
	memset(t, 0, sizeof(*t));
	odr_tally_init_short(p, t);
}

/*
 * The functions below work on a full-size local copy r of the prefix and
 * store the prefix back only on success (all or nothing); they never read
 * or write a cell of the caller's tally after the prefix, which may not be
 * there (a short tally).
 */
static void
tally_load(const OdrPolicyDef *p, OdrTally *r, const OdrTally *t)
{
	memcpy(r, t, odr_tally_size(p));
}

static void
tally_store(const OdrPolicyDef *p, OdrTally *t, const OdrTally *r)
{
	memcpy(t, r, odr_tally_size(p));
}

/* Insert h into the ascending bottom-k list of counter c. */
static void
distinct_add(const OdrPolicyDef *p, const OdrCounterDef *c, OdrTally *t, int i, uint64_t h)
{
	uint64_t   *b = &odr_tally_buyers(p, t)[c->slot];
	int			n = (int) t->value[i];
	int			pos = 0;

	while (pos < n && b[pos] < h)
		pos++;
	if (pos < n && b[pos] == h)
		return;					/* already kept */
	if (pos == c->k)
		return;					/* larger than the k kept */
	if (n == c->k)
		n--;					/* the largest kept falls out */
	memmove(&b[pos + 1], &b[pos], (size_t) (n - pos) * sizeof(uint64_t));
	b[pos] = h;
	t->value[i] = n + 1;
}

/*
 * All or nothing, without copying the tally (a copy in and out was most of
 * the time of an aggregate over rows: issue 14's Amazon figure): the
 * counters that can fail (COUNT and SUM, on overflow) are computed first
 * into nv, and the tally is written only when none failed.  Each counter
 * reads and writes only its own value (and a DISTINCT one its own buyers),
 * so the second pass gives what one pass over a copy gave.
 */
_Static_assert(ODR_ENG_MAX_COUNTERS <= 32, "a counter mask fits 32 bits");

OdrStatus
odr_tally_add_row(const OdrPolicyDef *p, OdrTally *t, const OdrEngRow *row,
				  int64_t first, int64_t last, OdrError *err)
{
	int64_t		nv[ODR_ENG_MAX_COUNTERS];
	uint32_t	hit = 0;		/* the counters taking the row */

	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];
		int64_t		day = row->days[c->basis];

		if (day == ODR_ENG_NO_DAY || day < first || day > last ||
			!odr_event_set_matches(&c->when, row->events))
			continue;
		hit |= UINT32_C(1) << i;
		switch (c->kind)
		{
			case ODR_COUNTER_COUNT:
				if (t->value[i] == INT64_MAX)
					return odr_fail(err, ODR_ERR_OVERFLOW,
									"counter \"%s\" would pass %lld", c->name, (long long) INT64_MAX);
				nv[i] = t->value[i] + 1;
				break;
			case ODR_COUNTER_SUM:
				if (__builtin_add_overflow(t->value[i], row->values[c->value], &nv[i]))
					return odr_fail(err, ODR_ERR_OVERFLOW,
									"sum \"%s\" is out of range", c->name);
				break;
			default:
				break;
		}
	}
	for (int i = 0; hit != 0; i++, hit >>= 1)
	{
		const OdrCounterDef *c = &p->counters[i];
		int64_t		day = row->days[c->basis];

		if (!(hit & 1))
			continue;
		switch (c->kind)
		{
			case ODR_COUNTER_COUNT:
			case ODR_COUNTER_SUM:
				t->value[i] = nv[i];
				break;
			case ODR_COUNTER_DISTINCT:
				if (row->buyer != 0)
					distinct_add(p, c, t, i, row->buyer);
				break;
			case ODR_COUNTER_FIRST_DAY:
				if (t->value[i] == ODR_ENG_NO_DAY || day < t->value[i])
					t->value[i] = day;
				break;
			case ODR_COUNTER_LAST_DAY:
				if (day > t->value[i])
					t->value[i] = day;
				break;
		}
	}
	return ODR_OK;
}

OdrStatus
odr_tally_merge(const OdrPolicyDef *p, OdrTally *a, const OdrTally *b, OdrError *err)
{
	OdrTally	r;

	tally_load(p, &r, a);

	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];

		switch (c->kind)
		{
			case ODR_COUNTER_COUNT:
			case ODR_COUNTER_SUM:
				if (__builtin_add_overflow(a->value[i], b->value[i], &r.value[i]))
					return odr_fail(err, ODR_ERR_OVERFLOW,
									"counter \"%s\" is out of range after a merge", c->name);
				break;
			case ODR_COUNTER_DISTINCT:
				{
					const uint64_t *x = &odr_tally_buyers_const(p, a)[c->slot];
					const uint64_t *y = &odr_tally_buyers_const(p, b)[c->slot];
					uint64_t   *out = &odr_tally_buyers(p, &r)[c->slot];
					int			nx = (int) a->value[i],
								ny = (int) b->value[i],
								ix = 0,
								iy = 0,
								n = 0;

					while (n < c->k && (ix < nx || iy < ny))
					{
						uint64_t	h;

						if (iy >= ny || (ix < nx && x[ix] < y[iy]))
							h = x[ix++];
						else if (ix >= nx || y[iy] < x[ix])
							h = y[iy++];
						else
						{
							h = x[ix++];
							iy++;
						}
						out[n++] = h;
					}
					for (int j = n; j < c->k; j++)
						out[j] = 0;
					r.value[i] = n;
					break;
				}
			case ODR_COUNTER_FIRST_DAY:
				if (b->value[i] != ODR_ENG_NO_DAY &&
					(a->value[i] == ODR_ENG_NO_DAY || b->value[i] < a->value[i]))
					r.value[i] = b->value[i];
				break;
			case ODR_COUNTER_LAST_DAY:
				if (b->value[i] > a->value[i])
					r.value[i] = b->value[i];
				break;
		}
	}
	tally_store(p, a, &r);
	return ODR_OK;
}

OdrStatus
odr_tally_subtract(const OdrPolicyDef *p, OdrTally *a, const OdrTally *b, OdrError *err)
{
	OdrTally	r;

	tally_load(p, &r, a);

	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];

		if (c->kind != ODR_COUNTER_COUNT && c->kind != ODR_COUNTER_SUM)
			return odr_fail(err, ODR_ERR_INCONSISTENT,
							"counter \"%s\" cannot be subtracted (only COUNT and SUM can)", c->name);
		if (__builtin_sub_overflow(a->value[i], b->value[i], &r.value[i]))
			return odr_fail(err, ODR_ERR_OVERFLOW,
							"counter \"%s\" is out of range after a subtraction", c->name);
		if (c->kind == ODR_COUNTER_COUNT && r.value[i] < 0)
			return odr_fail(err, ODR_ERR_INCONSISTENT,
							"counter \"%s\" would go negative (%lld - %lld)", c->name,
							(long long) a->value[i], (long long) b->value[i]);
	}
	tally_store(p, a, &r);
	return ODR_OK;
}

/* Encoding: see engine_core.h. */
#define TALLY_FORMAT 1

static size_t
varint_size(uint64_t v)
{
	size_t		n = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		n++;
	}
	return n;
}

static size_t
varint_put(unsigned char *out, uint64_t v)
{
	size_t		n = 0;

	while (v >= 0x80)
	{
		out[n++] = (unsigned char) (v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char) v;
	return n;
}

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t) v << 1) ^ (uint64_t) (v >> 63);
}

static int64_t
unzigzag(uint64_t v)
{
	return (int64_t) (v >> 1) ^ -(int64_t) (v & 1);
}

/* The unsigned word a counter's value is written as (DISTINCT: its n). */
static uint64_t
counter_word(const OdrCounterDef *c, int64_t v)
{
	switch (c->kind)
	{
		case ODR_COUNTER_COUNT:
		case ODR_COUNTER_DISTINCT:
			return (uint64_t) v;
		case ODR_COUNTER_SUM:
			return zigzag(v);
		case ODR_COUNTER_FIRST_DAY:
		case ODR_COUNTER_LAST_DAY:
			return v == ODR_ENG_NO_DAY ? 0 : zigzag(v) + 1;
	}
	return 0;
}

size_t
odr_tally_encoded_size(const OdrPolicyDef *p, const OdrTally *t)
{
	size_t		n = 2;

	for (int i = 0; i < p->ncounters; i++)
	{
		n += varint_size(counter_word(&p->counters[i], t->value[i]));
		if (p->counters[i].kind == ODR_COUNTER_DISTINCT)
			n += 8 * (size_t) t->value[i];
	}
	return n;
}

size_t
odr_tally_encode(const OdrPolicyDef *p, const OdrTally *t, unsigned char *out, size_t outlen)
{
	size_t		need = odr_tally_encoded_size(p, t);
	size_t		n = 0;

	if (out == NULL || outlen < need)
		return need;
	out[n++] = TALLY_FORMAT;
	out[n++] = (unsigned char) p->ncounters;
	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];

		n += varint_put(out + n, counter_word(c, t->value[i]));
		if (c->kind == ODR_COUNTER_DISTINCT)
			for (int j = 0; j < (int) t->value[i]; j++)
			{
				uint64_t	h = odr_tally_buyers_const(p, t)[c->slot + j];

				for (int b = 0; b < 8; b++)
					out[n++] = (unsigned char) (h >> (8 * b));
			}
	}
	return n;
}

static bool
varint_get(const unsigned char *in, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t	r = 0;
	int			shift = 0;

	for (;;)
	{
		unsigned char b;

		if (*pos >= len || shift > 63)
			return false;
		b = in[(*pos)++];
		if (shift == 63 && (b & 0x7E) != 0)
			return false;		/* bits past 64 */
		r |= (uint64_t) (b & 0x7F) << shift;
		if (!(b & 0x80))
		{
			if (b == 0 && shift > 0)
				return false;	/* not the shortest form */
			*v = r;
			return true;
		}
		shift += 7;
	}
}

/* Decode into t, a scratch tally the caller initialised (odr_tally_init or,
 * for the prefix only, odr_tally_init_short); on an error t is left half
 * written: the callers copy it out only on success. */
static OdrStatus
tally_decode(const OdrPolicyDef *p, const unsigned char *in, size_t len,
			 OdrTally *t, OdrError *err)
{
	uint64_t   *buyers = odr_tally_buyers(p, t);
	size_t		pos = 2;

	if (in == NULL)
		return odr_fail(err, ODR_ERR_NULL, "tally bytes are NULL");
	if (len < 2)
		return odr_fail(err, ODR_ERR_SYNTAX, "invalid tally: %zu bytes, too short", len);
	if (in[0] != TALLY_FORMAT)
		return odr_fail(err, ODR_ERR_SYNTAX, "invalid tally: unknown format %u", (unsigned) in[0]);
	if (in[1] != p->ncounters)
		return odr_fail(err, ODR_ERR_SYNTAX,
						"invalid tally: %u counters, the policy has %d", (unsigned) in[1], p->ncounters);
	for (int i = 0; i < p->ncounters; i++)
	{
		const OdrCounterDef *c = &p->counters[i];
		uint64_t	w;

		if (!varint_get(in, len, &pos, &w))
			return odr_fail(err, ODR_ERR_SYNTAX,
							"invalid tally: counter \"%s\" is truncated or malformed", c->name);
		switch (c->kind)
		{
			case ODR_COUNTER_COUNT:
				if (w > (uint64_t) INT64_MAX)
					return odr_fail(err, ODR_ERR_SYNTAX,
									"invalid tally: counter \"%s\" is out of range", c->name);
				t->value[i] = (int64_t) w;
				break;
			case ODR_COUNTER_SUM:
				t->value[i] = unzigzag(w);
				break;
			case ODR_COUNTER_FIRST_DAY:
			case ODR_COUNTER_LAST_DAY:
				if (w != 0 && !DAY_OK(unzigzag(w - 1)))
					return odr_fail(err, ODR_ERR_SYNTAX,
									"invalid tally: day of \"%s\" is out of range", c->name);
				t->value[i] = w == 0 ? ODR_ENG_NO_DAY : unzigzag(w - 1);
				break;
			case ODR_COUNTER_DISTINCT:
				if (w > (uint64_t) c->k)
					return odr_fail(err, ODR_ERR_SYNTAX,
									"invalid tally: \"%s\" keeps %llu buyers, at most %d",
									c->name, (unsigned long long) w, c->k);
				if (len - pos < 8 * w)
					return odr_fail(err, ODR_ERR_SYNTAX,
									"invalid tally: the buyers of \"%s\" are truncated", c->name);
				t->value[i] = (int64_t) w;
				for (int j = 0; j < (int) w; j++)
				{
					uint64_t	h = 0;

					for (int b = 0; b < 8; b++)
						h |= (uint64_t) in[pos++] << (8 * b);
					if (h == 0 || (j > 0 && h <= buyers[c->slot + j - 1]))
						return odr_fail(err, ODR_ERR_SYNTAX,
										"invalid tally: the buyers of \"%s\" are not ascending and non-zero",
										c->name);
					buyers[c->slot + j] = h;
				}
				break;
		}
	}
	if (pos != len)
		return odr_fail(err, ODR_ERR_SYNTAX, "invalid tally: %zu bytes after the last counter",
						len - pos);
	return ODR_OK;
}

/* Both decode into an initialised scratch tally and copy it out only on
 * success (all or nothing); the short form initialises and copies only the
 * policy's prefix (a row of odr_assess_at over per-day tallies decodes one
 * tally: the less it moves, the better). */
OdrStatus
odr_tally_decode(const OdrPolicyDef *p, const unsigned char *in, size_t len,
				 OdrTally *t, OdrError *err)
{
	OdrTally	r;
	OdrStatus	st;

	odr_tally_init(p, &r);
	st = tally_decode(p, in, len, &r, err);
	if (st == ODR_OK)
		*t = r;
	return st;
}

OdrStatus
odr_tally_decode_short(const OdrPolicyDef *p, const unsigned char *in, size_t len,
					   OdrTally *t, OdrError *err)
{
	OdrTally	r;
	OdrStatus	st;

	odr_tally_init_short(p, &r);
	st = tally_decode(p, in, len, &r, err);
	if (st == ODR_OK)
		tally_store(p, t, &r);
	return st;
}

/* ------------------------------------------------------------------ */
/* Windows                                                              */
/* ------------------------------------------------------------------ */

/* The first day of the month `back` months before the month of `d`. */
static int64_t
month_first_back(int64_t d, int64_t back)
{
	int64_t		y;
	int			m,
				dd;
	int64_t		idx;

	odr_civil_from_days(d, &y, &m, &dd);
	idx = y * 12 + (m - 1) - back;
	/* floor division for negative years */
	y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
	return odr_days_from_civil(y, (int) (idx - y * 12) + 1, 1);
}

OdrStatus
odr_window_days(const OdrWindowDef *w, int64_t day, int64_t *first, int64_t *last,
				OdrError *err)
{
	int64_t		d,
				f,
				l;

	if (!DAY_OK(day))
		return odr_fail(err, ODR_ERR_RANGE, "day %lld is outside the dates", (long long) day);
	d = day - w->lag;
	if (!DAY_OK(d))
		return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" ends outside the dates", w->name);
	switch (w->kind)
	{
		case ODR_WINDOW_DAYS:
			l = d;
			f = d - w->length + 1;
			break;
		case ODR_WINDOW_MONTHS:
			l = month_first_back(d, 0) - 1;
			if (!DAY_OK(l))
				return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" ends outside the dates", w->name);
			if ((int64_t) w->length > 12 * (int64_t) 5880000)
				return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" starts outside the dates", w->name);
			f = month_first_back(d, w->length);
			break;
		case ODR_WINDOW_WEEKS:
			{
				/* 2000-01-01 (day 0) was a Saturday: Monday is 0 below */
				int64_t		dow = ((d + 5) % 7 + 7) % 7;

				l = d - dow - 1;
				f = l - 7 * (int64_t) w->length + 1;
				break;
			}
		case ODR_WINDOW_QUARTERS:
			{
				int64_t		y;
				int			m,
							dd;

				odr_civil_from_days(d, &y, &m, &dd);
				l = month_first_back(d, (m - 1) % 3) - 1;
				if ((int64_t) w->length > 4 * (int64_t) 5880000)
					return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" starts outside the dates", w->name);
				f = month_first_back(d, (m - 1) % 3 + 3 * (int64_t) w->length);
				break;
			}
		case ODR_WINDOW_MONTH_TO_DATE:
			l = d;
			if ((int64_t) w->length > 12 * (int64_t) 5880000)
				return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" starts outside the dates", w->name);
			f = month_first_back(d, w->length);
			break;
		case ODR_WINDOW_LIFETIME:
			*first = INT64_MIN;
			*last = d;
			return ODR_OK;
		case ODR_WINDOW_BUSINESS_DAYS:
			return odr_fail(err, ODR_ERR_INVALID,
							"window \"%s\" needs its policy's calendar (odr_policy_window_days)", w->name);
		default:
			return odr_fail(err, ODR_ERR_INVALID,
							"window \"%s\" is not a plain window", w->name);
	}
	if (!DAY_OK(f) || !DAY_OK(l))
		return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" on day %lld lies outside the dates",
						w->name, (long long) day);
	*first = f;
	*last = l;
	return ODR_OK;
}

bool
odr_business_day(const OdrPolicyDef *p, const OdrBusinessCalendar *c, int64_t day)
{
	/* 2000-01-01 (day 0) was a Saturday: Monday is 0 below */
	int64_t		dow = ((day + 5) % 7 + 7) % 7;
	int32_t		lo = c->first,
				hi = c->first + c->count;

	if (c->weekend & (1u << dow))
		return false;
	while (lo < hi)
	{
		int32_t		mid = lo + (hi - lo) / 2;

		if (p->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return !(lo < c->first + c->count && p->holidays[lo] == day);
}

OdrStatus
odr_policy_window_days(const OdrPolicyDef *p, int w, int64_t day,
					   int64_t *first, int64_t *last, OdrError *err)
{
	const OdrWindowDef *wd = &p->windows[w];
	int64_t		d,
				f;
	int32_t		n = 0;

	if (wd->kind != ODR_WINDOW_BUSINESS_DAYS)
		return odr_window_days(wd, day, first, last, err);
	if (!DAY_OK(day))
		return odr_fail(err, ODR_ERR_RANGE, "day %lld is outside the dates", (long long) day);
	d = day - wd->lag;
	if (!DAY_OK(d))
		return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" ends outside the dates", wd->name);
	if ((p->business[w].weekend & 0x7F) == 0x7F)
		return odr_fail(err, ODR_ERR_INVALID, "window \"%s\" has a calendar without working days", wd->name);
	/* a week has a working day: at most 7 x (length + holidays) steps */
	for (f = d;; f--)
	{
		if (!DAY_OK(f))
			return odr_fail(err, ODR_ERR_RANGE, "window \"%s\" on day %lld lies outside the dates",
							wd->name, (long long) day);
		if (odr_business_day(p, &p->business[w], f) && ++n >= wd->length)
			break;
	}
	*first = f;
	*last = d;
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                           */
/* ------------------------------------------------------------------ */

static int
chosen_window(const OdrPolicyDef *p, int w, const OdrTally *tallies)
{
	const OdrWindowDef *wd = &p->windows[w];

	if (wd->kind != ODR_WINDOW_BY_VOLUME)
		return w;
	return tallies[wd->primary].value[wd->volume_counter] >= wd->volume_min ?
		wd->primary : wd->fallback;
}

static OdrStatus
metric_value(const OdrPolicyDef *p, int mi, int64_t day, const OdrTally *t,
			 OdrMetricValue *out, OdrError *err)
{
	const OdrMetricDef *m = &p->metrics[mi];
	int64_t		num = t->value[m->numerator];

	out->measured = true;
	out->at_least = false;
	out->value.num = num;
	out->value.den = 1;
	switch (m->kind)
	{
		case ODR_METRIC_RATE:
			out->value.den = t->value[m->denominator];
			out->measured = out->value.den > 0;
			break;
		case ODR_METRIC_AVERAGE:
			if (t->value[m->denominator] <= 0)
				out->measured = false;
			else if (__builtin_mul_overflow(t->value[m->denominator],
											(int64_t) ODR_ENG_VALUE_SCALE, &out->value.den))
				return odr_fail(err, ODR_ERR_OVERFLOW, "metric \"%s\" is out of range", m->name);
			break;
		case ODR_METRIC_COUNT:
			break;
		case ODR_METRIC_SUM:
			out->value.den = ODR_ENG_VALUE_SCALE;
			break;
		case ODR_METRIC_DISTINCT:
			out->at_least = num == p->counters[m->numerator].k;
			break;
		case ODR_METRIC_DAYS_SINCE:
			if (num == ODR_ENG_NO_DAY)
				out->measured = false;
			else
				out->value.num = day - num;
			break;
	}
	if (!out->measured)
	{
		out->value.num = 0;
		out->value.den = 1;
	}
	return ODR_OK;
}

static bool
in_range(const OdrComparisonDef *c, OdrRational v)
{
	if (c->has_applies_min && odr_rational_cmp_decimal(v, c->applies_min) < 0)
		return false;
	if (c->has_applies_max && odr_rational_cmp_decimal(v, c->applies_max) >= 0)
		return false;
	return true;
}

OdrStatus
odr_policy_evaluate(const OdrPolicyDef *p, int64_t day, const OdrTally *tallies,
					OdrEvaluation *out, OdrError *err)
{
	int			chosen = -1;

	if (p == NULL || tallies == NULL || out == NULL)
		return odr_fail(err, ODR_ERR_NULL, "policy, tallies or result is NULL");
	if (!DAY_OK(day))
		return odr_fail(err, ODR_ERR_RANGE, "day %lld is outside the dates", (long long) day);
	memset(out, 0, sizeof(*out));
	for (int w = 0; w < p->nwindows; w++)
		out->window_chosen[w] = chosen_window(p, w, tallies);
	for (int m = 0; m < p->nmetrics; m++)
	{
		OdrStatus	st = metric_value(p, m, day, &tallies[out->window_chosen[p->metrics[m].window]],
									  &out->metrics[m], err);

		if (st != ODR_OK)
			return st;
	}
	for (int i = 0; i < p->ncomparisons; i++)
	{
		const OdrComparisonDef *c = &p->comparisons[i];
		const OdrMetricValue *v = &out->metrics[c->metric];
		OdrComparisonResult *r = &out->comparisons[i];

		r->applies = c->applies_metric < 0 ||
			(out->metrics[c->applies_metric].measured &&
			 in_range(c, out->metrics[c->applies_metric].value));
		if (!r->applies || !v->measured)
			r->state = ODR_NA;
		else
			r->state = comparison_holds(c, v->value) ? ODR_MET : ODR_FAILED;
	}
	for (int s = 0; s < p->nstandards; s++)
	{
		const OdrStandardDef *sd = &p->standards[s];
		int			applicable = 0,
					failed = 0;
		bool		met = false;

		for (int i = sd->first; i < sd->first + sd->n; i++)
		{
			if (!out->comparisons[i].applies)
				continue;
			applicable++;
			if (out->comparisons[i].state == ODR_MET)
				met = true;
			else if (out->comparisons[i].state == ODR_FAILED)
				failed++;
		}
		out->standards[s] = met ? ODR_MET :
			(applicable > 0 && failed == applicable ? ODR_FAILED : ODR_NA);
	}
	out->deciding_standard = -1;
	for (int l = 0; l < p->nlevels && chosen < 0; l++)
	{
		const OdrLevelDef *ld = &p->levels[l];
		bool		applies = ld->mode == ODR_LEVEL_ALL_MET;

		for (int s = 0; s < p->nstandards; s++)
		{
			if (!(ld->standards & (UINT32_C(1) << s)))
				continue;
			if (ld->mode == ODR_LEVEL_ALL_MET && out->standards[s] != ODR_MET)
			{
				applies = false;
				break;
			}
			if (ld->mode == ODR_LEVEL_ANY_FAILED && out->standards[s] == ODR_FAILED)
			{
				applies = true;
				out->deciding_standard = s;
				break;
			}
		}
		if (ld->mode == ODR_LEVEL_OTHERWISE || applies)
			chosen = l;
	}
	out->level = chosen;
	if (p->levels[chosen].mode != ODR_LEVEL_ANY_FAILED)
	{
		/* the next level up: the lowest-ranked ALL_MET level ranked above
		 * the chosen one that did not apply (one that applied but comes
		 * later in priority order is skipped) */
		int			next = -1;

		for (int l = 0; l < p->nlevels; l++)
		{
			const OdrLevelDef *ld = &p->levels[l];
			bool		all_met = true;

			if (ld->mode != ODR_LEVEL_ALL_MET || ld->rank <= p->levels[chosen].rank)
				continue;
			for (int s = 0; s < p->nstandards; s++)
				if ((ld->standards & (UINT32_C(1) << s)) && out->standards[s] != ODR_MET)
					all_met = false;
			if (all_met)
				continue;
			if (next < 0 || ld->rank < p->levels[next].rank)
				next = l;
		}
		if (next >= 0)
			for (int s = 0; s < p->nstandards; s++)
				if ((p->levels[next].standards & (UINT32_C(1) << s)) &&
					out->standards[s] != ODR_MET)
				{
					out->deciding_standard = s;
					break;
				}
	}
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* Advice                                                               */
/* ------------------------------------------------------------------ */

/* What the comparison says of value v(n) for a step count n. */
typedef struct Probe
{
	const OdrComparisonDef *c;
	int			how;			/* 0: num/(den+n), 1: (num+n)/(den+n),
								 * 2: (num-n)/den, 3: (num+n)/den */
	int64_t		num;
	int64_t		den;
} Probe;

static bool
probe_holds(const Probe *pr, int64_t n)
{
	OdrRational v = {pr->num, pr->den};

	switch (pr->how)
	{
		case 0:
			v.den += n;
			break;
		case 1:
			v.num += n;
			v.den += n;
			break;
		case 2:
			v.num -= n;
			break;
		case 3:
			v.num += n;
			break;
	}
	return comparison_holds(pr->c, v);
}

/*
 * The least n in [0, limit] for which the probe holds, the probe being
 * monotone in n (false ... false true ... true); -1 when none.
 */
static int64_t
least_n(const Probe *pr, int64_t limit)
{
	int64_t		lo = 0,			/* holds(lo - 1) is false (or lo = 0) */
				hi,
				step = 1;

	if (probe_holds(pr, 0))
		return 0;
	/* exponential search for a holding hi */
	for (;;)
	{
		hi = step > limit ? limit : step;
		if (probe_holds(pr, hi))
			break;
		if (hi == limit)
			return -1;
		lo = hi + 1;
		step = step > limit / 2 ? limit : step * 2;
	}
	/* holds(hi), not holds(lo - 1): binary search in [lo, hi] */
	while (lo < hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (probe_holds(pr, mid))
			hi = mid;
		else
			lo = mid + 1;
	}
	return hi;
}

static void
set_advice(OdrAdviceKind *kind, int64_t *n, OdrAdviceKind k, int64_t found)
{
	if (found < 0)
	{
		*kind = ODR_ADVICE_UNREACHABLE;
		*n = 0;
	}
	else
	{
		*kind = k;
		*n = found;
	}
}

OdrStatus
odr_comparison_advise(const OdrPolicyDef *p, int comparison, const OdrEvaluation *ev,
					  const OdrTally *tallies, OdrAdvice *out, OdrError *err)
{
	const OdrComparisonDef *c;
	const OdrMetricDef *m;
	const OdrTally *t;
	bool		cap;			/* LT / LE: the value must go down */
	Probe		pr;

	if (p == NULL || ev == NULL || tallies == NULL || out == NULL)
		return odr_fail(err, ODR_ERR_NULL, "policy, evaluation, tallies or result is NULL");
	if (comparison < 0 || comparison >= p->ncomparisons)
		return odr_fail(err, ODR_ERR_INVALID, "comparison %d does not exist", comparison);
	memset(out, 0, sizeof(*out));
	if (!ev->comparisons[comparison].applies ||
		ev->comparisons[comparison].state != ODR_FAILED)
		return ODR_OK;
	c = &p->comparisons[comparison];
	m = &p->metrics[c->metric];
	t = &tallies[ev->window_chosen[m->window]];
	cap = c->op == ODR_CMP_LT || c->op == ODR_CMP_LE;
	pr.c = c;
	pr.num = t->value[m->numerator];
	pr.den = 1;
	switch (m->kind)
	{
		case ODR_METRIC_RATE:
			pr.den = t->value[m->denominator];
			if (cap)
			{
				/* good orders dilute; or fewer defects */
				pr.how = 0;
				set_advice(&out->kind, &out->n, ODR_ADVICE_MORE_ROWS,
						   least_n(&pr, INT64_MAX - pr.den));
				pr.how = 2;
				set_advice(&out->alternative_kind, &out->alternative_n,
						   ODR_ADVICE_FEWER_EVENTS, least_n(&pr, pr.num));
			}
			else
			{
				pr.how = 1;
				set_advice(&out->kind, &out->n, ODR_ADVICE_MORE_GOOD_ROWS,
						   least_n(&pr, INT64_MAX - (pr.den > pr.num ? pr.den : pr.num)));
			}
			break;
		case ODR_METRIC_COUNT:
		case ODR_METRIC_DISTINCT:
			if (m->kind == ODR_METRIC_DISTINCT && ev->metrics[c->metric].at_least)
			{
				out->kind = ODR_ADVICE_UNKNOWN;
				break;
			}
			if (cap)
			{
				pr.how = 2;
				set_advice(&out->kind, &out->n, ODR_ADVICE_FEWER_EVENTS, least_n(&pr, pr.num));
			}
			else
			{
				pr.how = 3;
				set_advice(&out->kind, &out->n, ODR_ADVICE_MORE_GOOD_ROWS,
						   least_n(&pr, INT64_MAX - pr.num));
			}
			break;
		case ODR_METRIC_SUM:
			if (cap)
			{
				out->kind = ODR_ADVICE_UNKNOWN;
				break;
			}
			pr.how = 3;
			pr.den = ODR_ENG_VALUE_SCALE;
			set_advice(&out->kind, &out->n, ODR_ADVICE_MORE_VALUE,
					   pr.num >= 0 ? least_n(&pr, INT64_MAX - pr.num) : least_n(&pr, INT64_MAX));
			break;
		case ODR_METRIC_DAYS_SINCE:
			if (cap)
			{
				out->kind = ODR_ADVICE_UNREACHABLE;
				break;
			}
			pr.num = ev->metrics[c->metric].value.num;
			pr.how = 3;
			set_advice(&out->kind, &out->n, ODR_ADVICE_WAIT_DAYS,
					   least_n(&pr, pr.num >= 0 ? INT64_MAX - pr.num : INT64_MAX));
			break;
		case ODR_METRIC_AVERAGE:
			out->kind = ODR_ADVICE_UNKNOWN;
			break;
	}
	return ODR_OK;
}
