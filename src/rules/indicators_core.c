/*
 * indicators_core.c — the order-based 1688 indicators S3, S5, S6, S7 in
 * plain C (see indicators_core.h; rules in shared/rules.md section S).
 */
#include "indicators_core.h"
#include "odr_error.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

/* A number as a person would write it: NaN, Infinity, or the shortest of %.15g / %.17g that reads back. */
static void
format_double(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "NaN");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "Infinity" : "-Infinity");
	else
	{
		snprintf(buf, len, "%.15g", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, len, "%.17g", v);
	}
}

static void
format_time(OdrTimeFormat fmt, int64_t us, char *buf, size_t len)
{
	if (fmt != NULL)
		fmt(us, buf, len);
	else
		snprintf(buf, len, "%lld", (long long) us);
}

/* At most max bytes of a UTF-8 string, not cutting a character. */
static int
clip_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return (int) len;
	while (max > 0 && ((unsigned char) s[max] & 0xC0) == 0x80)
		max--;
	return (int) max;
}

/* ------------------------------------------------------------------ */
/* The shared state                                                     */
/* ------------------------------------------------------------------ */

void
odr_ind_init(OdrIndState *st)
{
	memset(st, 0, sizeof(*st));
}

OdrStatus
odr_ind_weight(OdrIndState *st, double weight, OdrError *err)
{
	char		a[64],
				b[64];

	if (!isfinite(weight) || weight <= 0)
	{
		format_double(weight, a, sizeof(a));
		odr_fail(err, ODR_ERR_INVALID, "business_weight %s is not a positive finite number", a);
		odr_set_detail(err, "An order of a business buyer (levels 3 to 6) weighs business_weight, any other order 1; the default is 2 (rules S3, S6).");
		return ODR_ERR_INVALID;
	}
	if (st->weight == 0)
		st->weight = weight;
	else if (st->weight != weight)
	{
		format_double(weight, a, sizeof(a));
		format_double(st->weight, b, sizeof(b));
		odr_fail(err, ODR_ERR_INVALID, "business_weight %s differs from business_weight %s of an earlier row", a, b);
		odr_set_detail(err, "The business weight must be the same for every row of a group.");
		return ODR_ERR_INVALID;
	}
	return ODR_OK;
}

OdrStatus
odr_buyer_is_business(bool known, int32_t level, bool *business, OdrError *err)
{
	if (!known)
	{
		*business = false;
		return ODR_OK;
	}
	if (level < ODR_BUYER_LEVEL_MIN || level > ODR_BUYER_LEVEL_MAX)
	{
		odr_fail(err, ODR_ERR_INVALID, "buyer_level %d is out of range", (int) level);
		odr_set_detail(err, "Buyer levels are 1 to 6 (L1 to L6); levels 3 to 6 are business buyers (rules S3, S6). Pass NULL for a buyer with no level.");
		return ODR_ERR_INVALID;
	}
	*business = level >= ODR_BUSINESS_LEVEL_MIN;
	return ODR_OK;
}

static OdrStatus
overflow(OdrError *err)
{
	odr_fail(err, ODR_ERR_OVERFLOW, "indicator total is out of range");
	odr_set_detail(err, "A count of orders or a sum of refund microseconds would pass the largest bigint.");
	return ODR_ERR_OVERFLOW;
}

OdrStatus
odr_ind_add(OdrIndState *st, bool business, int64_t hits, OdrError *err)
{
	int64_t    *n = business ? &st->n_business : &st->n_plain;
	int64_t    *h = business ? &st->hit_business : &st->hit_plain;
	int64_t		n2,
				h2;

	if (__builtin_add_overflow(*n, 1, &n2) || __builtin_add_overflow(*h, hits, &h2))
		return overflow(err);
	*n = n2;
	*h = h2;
	return ODR_OK;
}

OdrStatus
odr_ind_combine(OdrIndState *a, const OdrIndState *b, OdrError *err)
{
	OdrIndState r = *a;

	if (b->weight != 0)
	{
		OdrStatus	st = odr_ind_weight(&r, b->weight, err);

		if (st != ODR_OK)
			return st;
	}
	if (__builtin_add_overflow(a->n_plain, b->n_plain, &r.n_plain) ||
		__builtin_add_overflow(a->hit_plain, b->hit_plain, &r.hit_plain) ||
		__builtin_add_overflow(a->n_business, b->n_business, &r.n_business) ||
		__builtin_add_overflow(a->hit_business, b->hit_business, &r.hit_business))
		return overflow(err);
	*a = r;
	return ODR_OK;
}

bool
odr_ind_ratio(const OdrIndState *st, double *out)
{
	double		w = st->weight;
	double		num,
				den;

	if (st->n_plain == 0 && st->n_business == 0)
		return false;
	/* one weight class: the weight cancels out */
	if (st->n_business == 0)
	{
		*out = (double) st->hit_plain / (double) st->n_plain;
		return true;
	}
	if (st->n_plain == 0)
	{
		*out = (double) st->hit_business / (double) st->n_business;
		return true;
	}
	if (!isfinite(w) || !(w > 0))
		return false;			/* cannot happen: odr_ind_weight checked it */
	num = (double) st->hit_plain + w * (double) st->hit_business;
	den = (double) st->n_plain + w * (double) st->n_business;
	if (!isfinite(num) || !isfinite(den))
	{
		/*
		 * A weight so large (above about 1e289) that the weighted sums pass
		 * the largest double: the same ratio with both sums divided by the
		 * weight, which is finite for every finite weight (the plain counts
		 * become negligible, not infinite or NaN).
		 */
		num = (double) st->hit_plain / w + (double) st->hit_business;
		den = (double) st->n_plain / w + (double) st->n_business;
	}
	*out = num / den;
	return true;
}

bool
odr_ind_hours(const OdrIndState *st, double *out)
{
	double		r;

	if (!odr_ind_ratio(st, &r))
		return false;
	*out = r / (double) ODR_US_PER_HOUR;
	return true;
}

/* ------------------------------------------------------------------ */
/* S3 on-time shipping                                                  */
/* ------------------------------------------------------------------ */

static OdrStatus
before(const char *later_name, int64_t later, const char *earlier_name,
	   int64_t earlier, OdrTimeFormat fmt, OdrError *err)
{
	char		a[128],
				b[128];

	format_time(fmt, later, a, sizeof(a));
	format_time(fmt, earlier, b, sizeof(b));
	return odr_fail(err, ODR_ERR_INVALID, "%s %s is before %s %s", later_name, a,
					earlier_name, b);
}

/*
 * The time from `from` to `to` for a message: "48 hours after", "2.5 hours
 * before" (a whole number of 36-second steps), else in hours, minutes and
 * seconds: "47 hours, 59 minutes and 59.75 seconds after".
 */
static void
format_hours(int64_t from, int64_t to, char *buf, size_t len)
{
	int64_t		d;
	uint64_t	a;
	const char *dir;

	if (__builtin_sub_overflow(to, from, &d))
	{
		snprintf(buf, len, "more than a million years %s", to < from ? "before" : "after");
		return;
	}
	dir = d < 0 ? "before" : "after";
	a = d < 0 ? (uint64_t) 0 - (uint64_t) d : (uint64_t) d;
	if (a % UINT64_C(36000000) == 0)
	{
		char		h[64];
		double		hours = (double) a / (double) ODR_US_PER_HOUR;

		format_double(hours, h, sizeof(h));
		snprintf(buf, len, "%s hour%s %s", h, hours == 1 ? "" : "s", dir);
	}
	else
	{
		unsigned long long hours = (unsigned long long) (a / UINT64_C(3600000000));
		unsigned	minutes = (unsigned) (a / UINT64_C(60000000) % 60);
		unsigned	us = (unsigned) (a % UINT64_C(60000000));
		char		parts[3][48],
					sec[24];
		int			n = 0;

		if (hours > 0)
			snprintf(parts[n++], sizeof(parts[0]), "%llu hour%s", hours, hours == 1 ? "" : "s");
		if (minutes > 0)
			snprintf(parts[n++], sizeof(parts[0]), "%u minute%s", minutes, minutes == 1 ? "" : "s");
		if (us > 0)
		{
			/* seconds to the microsecond, without trailing zeros */
			size_t		l;

			snprintf(sec, sizeof(sec), "%u.%06u", us / 1000000, us % 1000000);
			l = strlen(sec);
			while (sec[l - 1] == '0')
				sec[--l] = '\0';
			if (sec[l - 1] == '.')
				sec[--l] = '\0';
			snprintf(parts[n++], sizeof(parts[0]), "%s second%s", sec, us == 1000000 ? "" : "s");
		}
		if (n == 1)
			snprintf(buf, len, "%s %s", parts[0], dir);
		else if (n == 2)
			snprintf(buf, len, "%s and %s %s", parts[0], parts[1], dir);
		else
			snprintf(buf, len, "%s, %s and %s %s", parts[0], parts[1], parts[2], dir);
	}
}

/*
 * S3: shipped_at (or promised_ship_by) before paid_at.  One such row fails
 * the whole aggregate, so the error carries what finds it: every timestamp
 * of the order (and the promised hours) in the detail, and the WHERE
 * clauses that find this row and every such row in the hint.
 */
static void
on_time_order_error(const char *which, int64_t which_us, OdrTime paid, OdrTime promised,
					OdrTime shipped, OdrTimeFormat fmt, OdrError *err)
{
	char		p[128],
				w[128],
				s[128],
				pr[128],
				hours[96],
				promise[320];

	format_time(fmt, paid.us, p, sizeof(p));
	format_time(fmt, which_us, w, sizeof(w));
	before(which, which_us, "paid_at", paid.us, fmt, err);
	if (promised.known)
	{
		format_time(fmt, promised.us, pr, sizeof(pr));
		format_hours(paid.us, promised.us, hours, sizeof(hours));
		snprintf(promise, sizeof(promise), "promised to ship by %s (%s paid_at)", pr, hours);
	}
	else
		snprintf(promise, sizeof(promise), "with no promised_ship_by");
	if (shipped.known)
		format_time(fmt, shipped.us, s, sizeof(s));
	odr_set_detail(err, "The order was paid at %s, %s, and %s%s. %s",
				   p, promise, shipped.known ? "shipped at " : "not shipped", shipped.known ? s : "",
				   strcmp(which, "shipped_at") == 0 ?
				   "An order cannot ship before it is paid (rule S3); for a pay-later order, pass the time the order was placed as paid_at." :
				   "The promised shipping time runs from the payment and cannot be negative (rule S3).");
	odr_set_hint(err, "Find this row with WHERE paid_at = '%s' AND %s = '%s', and every such row with WHERE shipped_at < paid_at OR promised_ship_by < paid_at (each name standing for your column or expression).",
				 p, which, w);
}

OdrStatus
odr_shipped_on_time(OdrTime paid, OdrTime promised, OdrTime shipped,
					OdrTime as_of, OdrVerdict *out, OdrTimeFormat fmt,
					OdrError *err)
{
	int64_t		deadline;

	if (!as_of.known)
	{
		odr_fail(err, ODR_ERR_NULL, "as_of must not be NULL");
		odr_set_detail(err, "Whether an order not shipped yet is late depends on the moment it is judged at (rule S3).");
		return ODR_ERR_NULL;
	}
	if (paid.known && shipped.known && shipped.us < paid.us)
	{
		on_time_order_error("shipped_at", shipped.us, paid, promised, shipped, fmt, err);
		return ODR_ERR_INVALID;
	}
	if (paid.known && promised.known && promised.us < paid.us)
	{
		on_time_order_error("promised_ship_by", promised.us, paid, promised, shipped, fmt, err);
		return ODR_ERR_INVALID;
	}
	if (!paid.known || paid.us > as_of.us)
	{
		*out = ODR_NOT_COUNTED;	/* not paid (as of as_of): nothing to ship */
		return ODR_OK;
	}
	if (promised.known)
		deadline = promised.us;
	else if (__builtin_add_overflow(paid.us, ODR_NO_PROMISE_HOURS * ODR_US_PER_HOUR, &deadline))
		deadline = INT64_MAX;
	if (shipped.known && shipped.us <= as_of.us)
		*out = shipped.us <= deadline ? ODR_YES : ODR_NO;
	else
		*out = as_of.us > deadline ? ODR_NO : ODR_NOT_COUNTED;
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* S6 refund time                                                       */
/* ------------------------------------------------------------------ */

OdrStatus
odr_refund_time(OdrTime requested, OdrTime completed, bool *counted,
				int64_t *us, OdrTimeFormat fmt, OdrError *err)
{
	*counted = false;
	*us = 0;
	if (!requested.known)
	{
		if (completed.known)
		{
			char		c[128];

			format_time(fmt, completed.us, c, sizeof(c));
			odr_fail(err, ODR_ERR_NULL, "requested_at is NULL but completed_at is not");
			odr_set_detail(err, "The refund was completed at %s with no requested_at. A completed refund must have been requested (rule S6); pass NULL for both when the order has no refund.", c);
			odr_set_hint(err, "Find this row with WHERE requested_at IS NULL AND completed_at = '%s', and every such row with WHERE requested_at IS NULL AND completed_at IS NOT NULL (each name standing for your column or expression).", c);
			return ODR_ERR_NULL;
		}
		return ODR_OK;			/* no refund */
	}
	if (!completed.known)
		return ODR_OK;			/* not completed yet: left out */
	if (completed.us < requested.us)
	{
		char		r[128],
					c[128],
					hours[96];

		format_time(fmt, requested.us, r, sizeof(r));
		format_time(fmt, completed.us, c, sizeof(c));
		format_hours(requested.us, completed.us, hours, sizeof(hours));
		before("completed_at", completed.us, "requested_at", requested.us, fmt, err);
		odr_set_detail(err, "The refund was requested at %s and completed at %s, %s the request. A refund cannot be completed before it is requested (rule S6).",
					   r, c, hours);
		odr_set_hint(err, "Find this row with WHERE requested_at = '%s' AND completed_at = '%s', and every such row with WHERE completed_at < requested_at (each name standing for your column or expression).",
					 r, c);
		return ODR_ERR_INVALID;
	}
	if (__builtin_sub_overflow(completed.us, requested.us, us))
		return overflow(err);
	*counted = true;
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* S7 disputes                                                          */
/* ------------------------------------------------------------------ */

const char *const odr_dispute_rulings[] = {
	"seller", "both", "buyer", "none", "pending", NULL
};

/* how many of odr_dispute_rulings count (the first ones) */
#define ODR_COUNTED_RULINGS 2

OdrStatus
odr_dispute_ruling_counts(const char *ruling, size_t len, bool *counts,
						  OdrError *err)
{
	for (int i = 0; odr_dispute_rulings[i] != NULL; i++)
	{
		if (odr_ascii_ieq(ruling, len, odr_dispute_rulings[i], strlen(odr_dispute_rulings[i])))
		{
			*counts = i < ODR_COUNTED_RULINGS;
			return ODR_OK;
		}
	}
	odr_fail(err, ODR_ERR_UNKNOWN_NAME, "unknown ruling \"%.*s%s\"",
			 clip_utf8(ruling, len, 64), ruling, len > 64 ? "..." : "");
	odr_set_detail(err, "The rulings are seller and both (the seller's or both parties' responsibility: counted, rule S7), buyer, none and pending (not counted). Pass NULL for an order with no dispute.");
	return ODR_ERR_UNKNOWN_NAME;
}

/* ------------------------------------------------------------------ */
/* S5 quality refunds                                                   */
/* ------------------------------------------------------------------ */

#define NAME(s) {s, sizeof(s) - 1}
const OdrName odr_default_quality_reasons[] = {
	NAME("quality_problem"),	/* 质量问题 */
	NAME("not_as_described"),	/* 与描述不符: size, colour, material ... */
	NAME("damaged"),			/* 收到商品破损 */
	NAME("counterfeit"),		/* 假冒品牌 */
	NAME("poor_workmanship"),	/* 做工粗糙 / 有瑕疵 */
};
#undef NAME
const int	odr_default_quality_reasons_count =
	(int) (sizeof(odr_default_quality_reasons) / sizeof(odr_default_quality_reasons[0]));

static inline unsigned char
ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

bool
odr_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
	{
		if (ascii_lower((unsigned char) a[i]) != ascii_lower((unsigned char) b[i]))
			return false;
	}
	return true;
}

OdrStatus
odr_quality_reasons_check(const OdrName *reasons, int n, OdrError *err)
{
	if (n <= 0)
	{
		odr_fail(err, ODR_ERR_INVALID, "quality_reasons is empty");
		odr_set_detail(err, "With no quality reason every rate would be 0 (rule S5); odr_quality_reasons() gives the default list.");
		return ODR_ERR_INVALID;
	}
	for (int i = 0; i < n; i++)
	{
		if (reasons[i].len == 0)
		{
			odr_fail(err, ODR_ERR_INVALID, "quality_reasons element %d is empty", i + 1);
			odr_set_detail(err, "A quality reason is a non-empty text such as quality_problem (rule S5).");
			return ODR_ERR_INVALID;
		}
		for (int j = 0; j < i; j++)
		{
			if (odr_ascii_ieq(reasons[i].s, reasons[i].len, reasons[j].s, reasons[j].len))
			{
				odr_fail(err, ODR_ERR_INVALID, "quality_reasons lists \"%.*s%s\" twice (elements %d and %d)",
						 clip_utf8(reasons[i].s, reasons[i].len, 64), reasons[i].s,
						 reasons[i].len > 64 ? "..." : "", j + 1, i + 1);
				odr_set_detail(err, "Reasons are compared ignoring the case of ASCII letters (rule S5).");
				return ODR_ERR_INVALID;
			}
		}
	}
	return ODR_OK;
}

OdrStatus
odr_is_quality_reason(const char *reason, size_t len, const OdrName *reasons,
					  int n, bool *out, OdrError *err)
{
	if (len == 0)
	{
		odr_fail(err, ODR_ERR_INVALID, "first_refund_reason is empty");
		odr_set_detail(err, "Pass NULL for an order with no refund (rule S5), for example NULLIF(reason, '').");
		return ODR_ERR_INVALID;
	}
	*out = false;
	for (int i = 0; i < n; i++)
	{
		if (odr_ascii_ieq(reason, len, reasons[i].s, reasons[i].len))
		{
			*out = true;
			break;
		}
	}
	return ODR_OK;
}
