/*
 * odr_core.c — the rules of odr in plain C.  See odr_core.h.
 */
#include "odr_core.h"
#include "odr_error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const odr_reason_names[ODR_NREASONS] = {
	"negative_feedback", "dsr_item", "dsr_communication", "dsr_shipping",
	"unshipped", "arbitration", "dispute_timeout"
};

const char *const odr_rating_names[ODR_NRATINGS] = {
	"feedback", "item", "communication", "shipping"
};

const char *const odr_rating_param_names[ODR_NRATINGS] = {
	"feedback_stars", "dsr_item", "dsr_communication", "dsr_shipping"
};

const char *const odr_summary_field_names[ODR_SUMMARY_NCOUNTS] = {
	"orders", "defective",
	"negative_feedback", "dsr_item", "dsr_communication", "dsr_shipping",
	"unshipped", "arbitration", "dispute_timeout",
	"seller_responsible", "rated", "positive",
	"dsr_item_sum", "dsr_communication_sum", "dsr_shipping_sum",
	"dsr_item_ratings", "dsr_communication_ratings", "dsr_shipping_ratings"
};

const char *const odr_metric_names[ODR_NMETRICS] = {
	"odr", "orders", "defective", "seller_responsible_arbitration_rate",
	"positive_feedback_rate", "dsr_item_avg", "dsr_communication_avg",
	"dsr_shipping_avg"
};

const char *const odr_tier_names[ODR_NTIERS] = {
	"unassessed", "fail", "pass", "good", "excellent"
};

static const int rating_shift[ODR_NRATINGS] = {
	ODR_RATING_SHIFT_FEEDBACK, ODR_RATING_SHIFT_ITEM,
	ODR_RATING_SHIFT_COMM, ODR_RATING_SHIFT_SHIP
};

/* The reason each rating dimension raises, and the highest defective star. */
static const OdrReason rating_reason[ODR_NRATINGS] = {
	ODR_NEGATIVE_FEEDBACK, ODR_DSR_ITEM, ODR_DSR_COMMUNICATION, ODR_DSR_SHIPPING
};
static const int rating_defect_max[ODR_NRATINGS] = {
	3,							/* A5: overall rating 3 stars or fewer */
	3,							/* A6 */
	3,							/* A7 */
	1							/* A8: shipping speed exactly 1 star */
};

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static int
name_index(const char *const *names, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
	{
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	}
	return -1;
}

int
odr_reason_from_name(const char *name, size_t len)
{
	return name_index(odr_reason_names, ODR_NREASONS, name, len);
}

int
odr_metric_from_name(const char *name, size_t len)
{
	return name_index(odr_metric_names, ODR_NMETRICS, name, len);
}

int
odr_tier_from_name(const char *name, size_t len)
{
	return name_index(odr_tier_names, ODR_NTIERS, name, len);
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static size_t
ident_len(const char *p)
{
	size_t		n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
		   (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
		n++;
	return n;
}

/* Print at most `width` characters of s for an error message. */
#define SHOW(len) ((int) ((len) > 40 ? 40 : (len)))

/* ------------------------------------------------------------------ */
/* Classification (A5-A14)                                              */
/* ------------------------------------------------------------------ */

OdrStatus
odr_classify_order(const OdrOrderFacts *f, OdrDefects *out, OdrError *err)
{
	OdrDefects	d = 0;

	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		if (f->rating_given[r] && (f->rating[r] < 1 || f->rating[r] > 5))
		{
			odr_fail(err, ODR_ERR_RANGE, "%s %d is out of range",
					 odr_rating_param_names[r], f->rating[r]);
			odr_set_detail(err, "Ratings are whole stars from 1 to 5 (rule A14).");
			return ODR_ERR_RANGE;
		}
	}
	if (f->arbitration_seller_responsible && !f->arbitration)
	{
		odr_fail(err, ODR_ERR_INCONSISTENT,
				 "arbitration_seller_responsible is true but arbitration is false");
		odr_set_detail(err, "A ruling against the seller (rule A16) comes from an arbitration (rule A10).");
		return ODR_ERR_INCONSISTENT;
	}

	/* A13: once a not-received dispute has ended, no rating counts. */
	if (!f->not_received_closed)
	{
		for (int r = 0; r < ODR_NRATINGS; r++)
		{
			if (!f->rating_given[r])
				continue;
			d |= (uint32_t) f->rating[r] << rating_shift[r];
			if (f->rating[r] <= rating_defect_max[r])
				d |= (uint32_t) 1 << rating_reason[r];
		}
	}
	if (f->unshipped)
		d |= (uint32_t) 1 << ODR_UNSHIPPED;
	if (f->arbitration)
		d |= (uint32_t) 1 << ODR_ARBITRATION;
	if (f->dispute_timeout)
		d |= (uint32_t) 1 << ODR_DISPUTE_TIMEOUT;
	if (f->arbitration_seller_responsible)
		d |= ODR_F_SELLER_RESP;
	if (f->under_5_usd)
		d |= ODR_F_UNDER_5_USD;

	*out = d;
	return ODR_OK;
}

OdrStatus
odr_defects_validate(OdrDefects d, OdrError *err)
{
	if (d & ~ODR_DEFECTS_USED_MASK)
		return odr_fail(err, ODR_ERR_SYNTAX,
						"odr_defects value 0x%08x has reserved bits set", d);
	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		int			stars = odr_defects_rating(d, (OdrRating) r);
		bool		reason = odr_defects_has(d, rating_reason[r]);

		if (stars > 5)
			return odr_fail(err, ODR_ERR_RANGE, "%s rating %d is out of range",
							odr_rating_names[r], stars);
		if (stars > 0 && reason != (stars <= rating_defect_max[r]))
		{
			odr_fail(err, ODR_ERR_INCONSISTENT,
					 "%s=%d contradicts the reasons: %s must %sbe present",
					 odr_rating_names[r], stars, odr_reason_names[rating_reason[r]],
					 reason ? "not " : "");
			odr_set_detail(err, "A %s rating of %d star(s) or fewer is the reason %s (rules A5-A8).",
						   odr_rating_names[r], rating_defect_max[r],
						   odr_reason_names[rating_reason[r]]);
			return ODR_ERR_INCONSISTENT;
		}
	}
	if ((d & ODR_F_SELLER_RESP) && !odr_defects_has(d, ODR_ARBITRATION))
		return odr_fail(err, ODR_ERR_INCONSISTENT,
						"seller_responsible needs the reason arbitration");
	return ODR_OK;
}

size_t
odr_defects_format(OdrDefects d, char *buf, size_t buflen)
{
	size_t		n = 0;
	bool		first = true;

#define PUT(...) \
	do { \
		int w_ = snprintf(n < buflen ? buf + n : NULL, n < buflen ? buflen - n : 0, __VA_ARGS__); \
		if (w_ > 0) n += (size_t) w_; \
	} while (0)

	PUT("{");
	for (int r = 0; r < ODR_NREASONS; r++)
	{
		if (odr_defects_has(d, (OdrReason) r))
		{
			PUT("%s%s", first ? "" : ",", odr_reason_names[r]);
			first = false;
		}
	}
	PUT("}");
	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		int			stars = odr_defects_rating(d, (OdrRating) r);

		if (stars > 0)
			PUT(" %s=%d", odr_rating_names[r], stars);
	}
	if (d & ODR_F_UNDER_5_USD)
		PUT(" under_5_usd");
	if (d & ODR_F_SELLER_RESP)
		PUT(" seller_responsible");
#undef PUT
	return n;
}

OdrStatus
odr_defects_parse(const char *text, OdrDefects *out, OdrError *err)
{
	const char *p = skip_space(text);
	OdrDefects	d = 0;
	uint32_t	seen_facts = 0;
	OdrStatus	st;

	if (*p != '{')
	{
		odr_fail(err, ODR_ERR_SYNTAX, "an odr_defects value must start with \"{\"");
		odr_set_detail(err, "The form is {reason,...} followed by optional facts, for example {negative_feedback,dsr_item} feedback=2 item=3.");
		return ODR_ERR_SYNTAX;
	}
	p = skip_space(p + 1);
	if (*p != '}')
	{
		for (;;)
		{
			size_t		len = ident_len(p);
			int			r;

			if (len == 0)
				return odr_fail(err, ODR_ERR_SYNTAX,
								"expected a reason name at \"%.*s\"", SHOW(strlen(p)), p);
			r = odr_reason_from_name(p, len);
			if (r < 0)
			{
				odr_fail(err, ODR_ERR_SYNTAX, "unknown reason \"%.*s\"", SHOW(len), p);
				odr_set_detail(err, "The reasons are negative_feedback, dsr_item, dsr_communication, dsr_shipping, unshipped, arbitration and dispute_timeout.");
				return ODR_ERR_SYNTAX;
			}
			if (odr_defects_has(d, (OdrReason) r))
				return odr_fail(err, ODR_ERR_SYNTAX, "reason \"%s\" appears twice",
								odr_reason_names[r]);
			d |= (uint32_t) 1 << r;
			p = skip_space(p + len);
			if (*p == ',')
			{
				p = skip_space(p + 1);
				continue;
			}
			if (*p == '}')
				break;
			return odr_fail(err, ODR_ERR_SYNTAX, "expected \",\" or \"}\" at \"%.*s\"",
							SHOW(strlen(p)), p);
		}
	}
	p++;						/* past '}' */

	/* facts */
	for (;;)
	{
		const char *start;
		size_t		len;
		int			r;

		if (*p == '\0')
			break;
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return odr_fail(err, ODR_ERR_SYNTAX, "expected a space before \"%.*s\"",
							SHOW(strlen(p)), p);
		p = skip_space(p);
		if (*p == '\0')
			break;
		start = p;
		len = ident_len(p);
		if (len == 0)
			return odr_fail(err, ODR_ERR_SYNTAX, "unexpected \"%.*s\"", SHOW(strlen(p)), p);
		p += len;
		if (len == strlen("under_5_usd") && memcmp(start, "under_5_usd", len) == 0)
		{
			if (seen_facts & (1u << 8))
				return odr_fail(err, ODR_ERR_SYNTAX, "fact \"under_5_usd\" appears twice");
			seen_facts |= 1u << 8;
			d |= ODR_F_UNDER_5_USD;
			continue;
		}
		if (len == strlen("seller_responsible") &&
			memcmp(start, "seller_responsible", len) == 0)
		{
			if (seen_facts & (1u << 9))
				return odr_fail(err, ODR_ERR_SYNTAX, "fact \"seller_responsible\" appears twice");
			seen_facts |= 1u << 9;
			d |= ODR_F_SELLER_RESP;
			continue;
		}
		r = name_index(odr_rating_names, ODR_NRATINGS, start, len);
		if (r < 0)
		{
			odr_fail(err, ODR_ERR_SYNTAX, "unknown fact \"%.*s\"", SHOW(len), start);
			odr_set_detail(err, "The facts are feedback=N, item=N, communication=N, shipping=N, under_5_usd and seller_responsible.");
			return ODR_ERR_SYNTAX;
		}
		if (seen_facts & (1u << r))
			return odr_fail(err, ODR_ERR_SYNTAX, "fact \"%s\" appears twice",
							odr_rating_names[r]);
		seen_facts |= 1u << r;
		if (*p != '=' || !(p[1] >= '1' && p[1] <= '5') || (p[2] >= '0' && p[2] <= '9'))
		{
			if (*p == '=' && (p[1] == '-' || (p[1] >= '0' && p[1] <= '9')))
			{
				odr_fail(err, ODR_ERR_RANGE, "%s rating \"%.*s\" is out of range",
						 odr_rating_names[r], SHOW(ident_len(p + 2) + 1), p + 1);
				odr_set_detail(err, "Ratings are whole stars from 1 to 5 (rule A14).");
				return ODR_ERR_RANGE;
			}
			return odr_fail(err, ODR_ERR_SYNTAX, "expected %s=<1..5> at \"%.*s\"",
							odr_rating_names[r], SHOW(strlen(start)), start);
		}
		d |= (uint32_t) (p[1] - '0') << rating_shift[r];
		p += 2;
	}

	st = odr_defects_validate(d, err);
	if (st != ODR_OK)
		return st;
	*out = d;
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* Flags from raw timestamps (A9, A11)                                  */
/* ------------------------------------------------------------------ */

OdrStatus
odr_dispute_timed_out(OdrTime opened, OdrTime responded, OdrTime closed,
					  int32_t response_days, bool *out, OdrError *err)
{
	int64_t		deadline;

	if (response_days < 1)
	{
		odr_fail(err, ODR_ERR_INVALID, "response_days %d is not a positive number of days",
				 (int) response_days);
		odr_set_detail(err, "The seller has a number of days to respond to a dispute; AliExpress gives 5 (rule A11).");
		return ODR_ERR_INVALID;
	}
	if (!opened.known)
	{
		if (responded.known || closed.known)
		{
			odr_fail(err, ODR_ERR_NULL, "opened_at is NULL but %s is not",
					 responded.known ? "seller_responded_at" : "closed_at");
			odr_set_detail(err, "A dispute that was responded to or closed must have been opened.");
			return ODR_ERR_NULL;
		}
		*out = false;			/* no dispute */
		return ODR_OK;
	}
	if (responded.known && responded.us < opened.us)
		return odr_fail(err, ODR_ERR_INVALID, "seller_responded_at is before opened_at");
	if (closed.known && closed.us < opened.us)
		return odr_fail(err, ODR_ERR_INVALID, "closed_at is before opened_at");
	if (__builtin_mul_overflow((int64_t) response_days, ODR_US_PER_DAY, &deadline) ||
		__builtin_add_overflow(deadline, opened.us, &deadline))
		return odr_fail(err, ODR_ERR_RANGE, "opened_at plus %d days is out of range",
						(int) response_days);
	*out = closed.known && closed.us >= deadline &&
		(!responded.known || responded.us > deadline);
	return ODR_OK;
}

OdrStatus
odr_unshipped(OdrTime ship_deadline, OdrTime shipped_at, OdrTime as_of,
			  bool *out, OdrError *err)
{
	if (!as_of.known)
	{
		odr_fail(err, ODR_ERR_NULL, "as_of must not be NULL");
		odr_set_detail(err, "Whether an order is overdue depends on the moment it is judged at.");
		return ODR_ERR_NULL;
	}
	if (!ship_deadline.known)
	{
		*out = false;			/* no paid order waiting to ship */
		return ODR_OK;
	}
	*out = as_of.us > ship_deadline.us &&
		(!shipped_at.known || shipped_at.us > ship_deadline.us);
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* Assessment calendar (A1, A2)                                         */
/* ------------------------------------------------------------------ */

/* days from 1970-01-01 to 2000-01-01 */
#define ODR_UNIX_TO_PG_DAYS 10957

/*
 * Gregorian calendar conversions after H. Hinnant's "chrono-compatible
 * low-level date algorithms" (public domain), on days since 2000-01-01.
 */
int64_t
odr_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 - ODR_UNIX_TO_PG_DAYS;
}

void
odr_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t		z = days + ODR_UNIX_TO_PG_DAYS + 719468;
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = yoe + era * 400 + (m <= 2);
}

int64_t
odr_month_end(int64_t days)
{
	int64_t		y;
	int			m,
				d;

	odr_civil_from_days(days, &y, &m, &d);
	/* the day before the first of the next month */
	return m == 12 ? odr_days_from_civil(y + 1, 1, 1) - 1 :
		odr_days_from_civil(y, m + 1, 1) - 1;
}

int64_t
odr_month_end_on_or_after(int64_t days)
{
	return odr_month_end(days);
}

int64_t
odr_month_end_on_or_before(int64_t days)
{
	int64_t		y;
	int			m,
				d;

	if (odr_month_end(days) == days)
		return days;
	/* the last day of the previous month */
	odr_civil_from_days(days, &y, &m, &d);
	return days - d;
}

void
odr_assessment_segment_of(int64_t day, int32_t days, int64_t *first, int64_t *last)
{
	/* the boundaries before or on day: the first of its month, and the
	 * latest window start (E - days + 1 for the latest month end E it can
	 * still reach) */
	int64_t		month_first = odr_month_end_on_or_before(day - 1) + 1;
	int64_t		window_first = odr_month_end_on_or_before(day + days - 1) - days + 1;

	/* the next boundaries: the first of the next month, and the first day
	 * of the next window that does not contain day yet */
	int64_t		month_last = odr_month_end(day);
	int64_t		window_last = odr_month_end(day + days) - days;

	*first = month_first > window_first ? month_first : window_first;
	*last = month_last < window_last ? month_last : window_last;
}

/* ------------------------------------------------------------------ */
/* Summary arithmetic (A12, A15, A16)                                   */
/* ------------------------------------------------------------------ */

void
odr_summary_init(OdrSummary *s)
{
	memset(s, 0, sizeof(*s));
	s->version = ODR_SUMMARY_VERSION;
}

/* The counts one order contributes. */
static void
order_delta(OdrDefects d, OdrSummary *delta)
{
	int			fb;

	odr_summary_init(delta);
	delta->orders = 1;
	delta->defective = odr_defects_is_defective(d) ? 1 : 0;
	for (int r = 0; r < ODR_NREASONS; r++)
		delta->reason[r] = (d >> r) & 1u;
	delta->seller_responsible = (d & ODR_F_SELLER_RESP) ? 1 : 0;
	fb = odr_defects_rating(d, ODR_RATING_FEEDBACK);
	if (fb > 0 && !(d & ODR_F_UNDER_5_USD))
	{
		delta->rated = 1;
		delta->positive = fb >= 4 ? 1 : 0;
	}
	for (int k = 0; k < 3; k++)
	{
		int			v = odr_defects_rating(d, (OdrRating) (ODR_RATING_ITEM + k));

		if (v > 0)
		{
			delta->dsr_sum[k] = v;
			delta->dsr_count[k] = 1;
		}
	}
}

OdrStatus
odr_summary_add_order(OdrSummary *s, OdrDefects d, OdrError *err)
{
	OdrSummary	delta;

	/*
	 * Fast path: every count of a valid summary is at most 5 * orders, so
	 * while orders is far from the limit one order cannot overflow anything.
	 */
	if (s->orders < INT64_MAX / 8 && s->orders >= 0)
	{
		int			fb;

		s->orders++;
		if (d & ODR_REASON_MASK)
		{
			s->defective++;
			for (int r = 0; r < ODR_NREASONS; r++)
				s->reason[r] += (d >> r) & 1u;
			s->seller_responsible += (d & ODR_F_SELLER_RESP) ? 1 : 0;
		}
		if ((d >> ODR_RATING_SHIFT_FEEDBACK) == 0)
			return ODR_OK;		/* no rating recorded at all */
		fb = odr_defects_rating(d, ODR_RATING_FEEDBACK);
		if (fb > 0 && !(d & ODR_F_UNDER_5_USD))
		{
			s->rated++;
			s->positive += fb >= 4 ? 1 : 0;
		}
		for (int k = 0; k < 3; k++)
		{
			int			v = odr_defects_rating(d, (OdrRating) (ODR_RATING_ITEM + k));

			s->dsr_sum[k] += v;
			s->dsr_count[k] += v > 0 ? 1 : 0;
		}
		return ODR_OK;
	}
	order_delta(d, &delta);
	return odr_summary_add(s, &delta, err);
}

OdrStatus
odr_summary_remove_order(OdrSummary *s, OdrDefects d, OdrError *err)
{
	OdrSummary	delta;

	order_delta(d, &delta);
	return odr_summary_subtract(s, &delta, err);
}

OdrStatus
odr_summary_add(OdrSummary *a, const OdrSummary *b, OdrError *err)
{
	int64_t    *ac = odr_summary_counts(a);
	const int64_t *bc = odr_summary_counts_const(b);
	int64_t		res[ODR_SUMMARY_NCOUNTS];

	/*
	 * Fast path: every count of a valid summary is at most 5 * orders (DSR
	 * sums) and at least 0, so while both order counts are below
	 * INT64_MAX / 16 no sum can overflow.  This is the hot loop of
	 * odr_rollup, the combine functions and odr_rollup_at.
	 */
	if (a->orders >= 0 && b->orders >= 0 &&
		a->orders < INT64_MAX / 16 && b->orders < INT64_MAX / 16)
	{
		/* b copied first (a and b may be the same summary), then added in
		 * one pass the compiler can vectorise */
		int64_t		bcopy[ODR_SUMMARY_NCOUNTS];

		memcpy(bcopy, bc, sizeof(bcopy));
		for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
			ac[i] += bcopy[i];
		return ODR_OK;
	}

	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		if (__builtin_add_overflow(ac[i], bc[i], &res[i]))
		{
			odr_fail(err, ODR_ERR_OVERFLOW, "odr_summary count %s is out of range",
					 odr_summary_field_names[i]);
			odr_set_detail(err, "Adding %lld to %lld passes the largest bigint.",
						   (long long) bc[i], (long long) ac[i]);
			return ODR_ERR_OVERFLOW;
		}
	}
	memcpy(ac, res, sizeof(res));
	return ODR_OK;
}

OdrStatus
odr_summary_subtract(OdrSummary *a, const OdrSummary *b, OdrError *err)
{
	int64_t    *ac = odr_summary_counts(a);
	const int64_t *bc = odr_summary_counts_const(b);
	OdrSummary	res;
	int64_t    *rc;
	OdrStatus	st;

	odr_summary_init(&res);
	rc = odr_summary_counts(&res);
	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		if (bc[i] > ac[i])
		{
			odr_fail(err, ODR_ERR_RANGE,
					 "odr_summary subtraction would leave %s negative",
					 odr_summary_field_names[i]);
			odr_set_detail(err, "Only orders that were added can be taken away: %lld - %lld.",
						   (long long) ac[i], (long long) bc[i]);
			return ODR_ERR_RANGE;
		}
		rc[i] = ac[i] - bc[i];
	}
	st = odr_summary_validate(&res, err);
	if (st != ODR_OK)
	{
		char		why[256];

		if (err != NULL)
		{
			memcpy(why, err->message, sizeof(why));
			odr_fail(err, ODR_ERR_INCONSISTENT,
					 "odr_summary subtraction leaves an inconsistent summary");
			odr_set_detail(err, "The result would have %s; the right operand must be part of the left.", why);
		}
		return ODR_ERR_INCONSISTENT;
	}
	memcpy(ac, rc, sizeof(int64_t) * ODR_SUMMARY_NCOUNTS);
	return ODR_OK;
}

OdrStatus
odr_summary_validate(const OdrSummary *s, OdrError *err)
{
	const int64_t *c = odr_summary_counts_const(s);
	int64_t		reason_total = 0;

	if (s->version != ODR_SUMMARY_VERSION)
		return odr_fail(err, ODR_ERR_SYNTAX, "unsupported odr_summary version %u",
						s->version);
	if (s->flags != 0)
		return odr_fail(err, ODR_ERR_SYNTAX, "odr_summary flags 0x%x are reserved",
						s->flags);
	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		if (c[i] < 0)
			return odr_fail(err, ODR_ERR_RANGE, "%s %lld is negative",
							odr_summary_field_names[i], (long long) c[i]);
	}
	if (s->defective > s->orders)
		return odr_fail(err, ODR_ERR_INCONSISTENT,
						"defective %lld is more than orders %lld",
						(long long) s->defective, (long long) s->orders);
	for (int r = 0; r < ODR_NREASONS; r++)
	{
		if (s->reason[r] > s->defective)
			return odr_fail(err, ODR_ERR_INCONSISTENT,
							"%s %lld is more than defective %lld",
							odr_reason_names[r], (long long) s->reason[r],
							(long long) s->defective);
		/* saturating at `defective`, so it cannot overflow (found by fuzzing) */
		if (s->reason[r] >= s->defective - reason_total)
			reason_total = s->defective;
		else
			reason_total += s->reason[r];
	}
	if (reason_total < s->defective)
		return odr_fail(err, ODR_ERR_INCONSISTENT,
						"defective %lld is more than the reason counts allow (%lld)",
						(long long) s->defective, (long long) reason_total);
	if (s->seller_responsible > s->reason[ODR_ARBITRATION])
		return odr_fail(err, ODR_ERR_INCONSISTENT,
						"seller_responsible %lld is more than arbitration %lld",
						(long long) s->seller_responsible,
						(long long) s->reason[ODR_ARBITRATION]);
	if (s->rated > s->orders)
		return odr_fail(err, ODR_ERR_INCONSISTENT, "rated %lld is more than orders %lld",
						(long long) s->rated, (long long) s->orders);
	if (s->positive > s->rated)
		return odr_fail(err, ODR_ERR_INCONSISTENT, "positive %lld is more than rated %lld",
						(long long) s->positive, (long long) s->rated);
	for (int k = 0; k < 3; k++)
	{
		int64_t		n = s->dsr_count[k];
		int64_t		sum = s->dsr_sum[k];

		if (n > s->orders)
			return odr_fail(err, ODR_ERR_INCONSISTENT, "%s %lld is more than orders %lld",
							odr_summary_field_names[15 + k], (long long) n,
							(long long) s->orders);
		if (sum < n || sum / 5 + (sum % 5 != 0) > n)
			return odr_fail(err, ODR_ERR_INCONSISTENT,
							"%s %lld does not fit %lld ratings of 1 to 5 stars",
							odr_summary_field_names[12 + k], (long long) sum,
							(long long) n);
	}
	return ODR_OK;
}

size_t
odr_summary_format(const OdrSummary *s, char *buf, size_t buflen)
{
	const int64_t *c = odr_summary_counts_const(s);
	size_t		n = 0;

	/* orders and defective always; every other count when it is not zero */
	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		int			w;

		if (i >= 2 && c[i] == 0)
			continue;
		w = snprintf(n < buflen ? buf + n : NULL, n < buflen ? buflen - n : 0, "%s%s=%lld",
					 i == 0 ? "(" : ",", odr_summary_field_names[i], (long long) c[i]);
		if (w > 0)
			n += (size_t) w;
	}
	if (n + 1 < buflen)
	{
		buf[n] = ')';
		buf[n + 1] = '\0';
	}
	return n + 1;
}

OdrStatus
odr_summary_parse(const char *text, OdrSummary *out, OdrError *err)
{
	const char *p = skip_space(text);
	OdrSummary	s;
	int64_t    *c;
	uint32_t	seen = 0;
	OdrStatus	st;

	odr_summary_init(&s);
	c = odr_summary_counts(&s);
	if (*p != '(')
	{
		odr_fail(err, ODR_ERR_SYNTAX, "an odr_summary must start with \"(\"");
		odr_set_detail(err, "The form is (orders=N,defective=N,...), as odr_agg prints it.");
		return ODR_ERR_SYNTAX;
	}
	p = skip_space(p + 1);
	if (*p != ')')
	{
		for (;;)
		{
			size_t		len = ident_len(p);
			int			i;
			bool		negative = false;
			uint64_t	v = 0;
			const char *digits;

			if (len == 0)
				return odr_fail(err, ODR_ERR_SYNTAX, "expected a count name at \"%.*s\"",
								SHOW(strlen(p)), p);
			i = name_index(odr_summary_field_names, ODR_SUMMARY_NCOUNTS, p, len);
			if (i < 0)
			{
				odr_fail(err, ODR_ERR_SYNTAX, "unknown odr_summary count \"%.*s\"",
						 SHOW(len), p);
				odr_set_detail(err, "The counts are orders, defective, the seven reasons, seller_responsible, rated, positive, and dsr_<dimension>_sum and _ratings.");
				return ODR_ERR_SYNTAX;
			}
			if (seen & (1u << i))
				return odr_fail(err, ODR_ERR_SYNTAX, "count \"%s\" appears twice",
								odr_summary_field_names[i]);
			seen |= 1u << i;
			p = skip_space(p + len);
			if (*p != '=')
				return odr_fail(err, ODR_ERR_SYNTAX, "expected \"=\" after \"%s\"",
								odr_summary_field_names[i]);
			p = skip_space(p + 1);
			if (*p == '-' || *p == '+')
			{
				negative = (*p == '-');
				p++;
			}
			digits = p;
			while (*p >= '0' && *p <= '9')
			{
				if (v > (UINT64_MAX - 9) / 10)
				{
					while (*p >= '0' && *p <= '9')
						p++;
					return odr_fail(err, ODR_ERR_RANGE,
									"value \"%.*s\" for %s is out of range for type bigint",
									SHOW(p - digits), digits, odr_summary_field_names[i]);
				}
				v = v * 10 + (uint64_t) (*p - '0');
				p++;
			}
			if (p == digits)
				return odr_fail(err, ODR_ERR_SYNTAX, "expected a whole number for %s at \"%.*s\"",
								odr_summary_field_names[i], SHOW(strlen(p)), p);
			if (negative && v != 0)
				return odr_fail(err, ODR_ERR_RANGE, "%s -%llu is negative",
								odr_summary_field_names[i], (unsigned long long) v);
			if (v > (uint64_t) INT64_MAX)
				return odr_fail(err, ODR_ERR_RANGE,
								"value \"%.*s\" for %s is out of range for type bigint",
								SHOW(p - digits), digits, odr_summary_field_names[i]);
			c[i] = (int64_t) v;
			p = skip_space(p);
			if (*p == ',')
			{
				p = skip_space(p + 1);
				continue;
			}
			if (*p == ')')
				break;
			return odr_fail(err, ODR_ERR_SYNTAX, "expected \",\" or \")\" at \"%.*s\"",
						SHOW(strlen(p)), p);
		}
	}
	p = skip_space(p + 1);
	if (*p != '\0')
		return odr_fail(err, ODR_ERR_SYNTAX, "unexpected \"%.*s\" after \")\"",
					SHOW(strlen(p)), p);
	st = odr_summary_validate(&s, err);
	if (st != ODR_OK)
		return st;
	*out = s;
	return ODR_OK;
}

/* Shortest %g form that reads back to the same double. */
static int
format_double(char *buf, size_t buflen, double v)
{
	for (int prec = 15; prec <= 17; prec++)
	{
		int			w = snprintf(buf, buflen, "%.*g", prec, v);

		if (strtod(buf, NULL) == v)
			return w;
	}
	return snprintf(buf, buflen, "%.17g", v);
}

size_t
odr_summary_format_json(const OdrSummary *s, char *buf, size_t buflen)
{
	size_t		n = 0;
	char		num[40];
	static const char *const dims[3] = {"item", "communication", "shipping"};

#define PUT(...) \
	do { \
		int w_ = snprintf(n < buflen ? buf + n : NULL, n < buflen ? buflen - n : 0, __VA_ARGS__); \
		if (w_ > 0) n += (size_t) w_; \
	} while (0)
#define PUT_METRIC(m) \
	do { \
		double v_; \
		if (odr_summary_metric(s, (m), &v_)) { \
			format_double(num, sizeof(num), v_); \
			PUT("%s", num); \
		} else \
			PUT("null"); \
	} while (0)

	PUT("{\"orders\": %lld, \"defective\": %lld, \"odr\": ",
		(long long) s->orders, (long long) s->defective);
	PUT_METRIC(ODR_METRIC_ODR);
	PUT(", \"reasons\": {");
	for (int r = 0; r < ODR_NREASONS; r++)
		PUT("%s\"%s\": %lld", r ? ", " : "", odr_reason_names[r],
			(long long) s->reason[r]);
	PUT("}, \"seller_responsible\": %lld, \"seller_responsible_arbitration_rate\": ",
		(long long) s->seller_responsible);
	PUT_METRIC(ODR_METRIC_SELLER_RESP_RATE);
	PUT(", \"rated\": %lld, \"positive\": %lld, \"positive_feedback_rate\": ",
		(long long) s->rated, (long long) s->positive);
	PUT_METRIC(ODR_METRIC_POSITIVE_RATE);
	PUT(", \"dsr\": {");
	for (int k = 0; k < 3; k++)
	{
		PUT("%s\"%s\": {\"sum\": %lld, \"ratings\": %lld, \"average\": ",
			k ? ", " : "", dims[k], (long long) s->dsr_sum[k],
			(long long) s->dsr_count[k]);
		PUT_METRIC((OdrMetric) (ODR_METRIC_DSR_ITEM + k));
		PUT("}");
	}
	PUT("}}");
#undef PUT_METRIC
#undef PUT
	return n;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

static uint32_t
get_be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

void
odr_summary_encode(const OdrSummary *s, unsigned char out[ODR_SUMMARY_WIRE_SIZE])
{
	const int64_t *c = odr_summary_counts_const(s);

	put_be32(out, s->version);
	put_be32(out + 4, s->flags);
	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		uint64_t	v = (uint64_t) c[i];

		put_be32(out + 8 + 8 * i, (uint32_t) (v >> 32));
		put_be32(out + 12 + 8 * i, (uint32_t) v);
	}
}

OdrStatus
odr_summary_decode(const unsigned char *in, size_t len, OdrSummary *out,
				   OdrError *err)
{
	OdrSummary	s;
	int64_t    *c;
	OdrStatus	st;

	if (len < 4)
		return odr_fail(err, ODR_ERR_SYNTAX,
						"binary odr_summary is %zu bytes, too short for its version",
						len);
	s.version = get_be32(in);
	if (s.version != ODR_SUMMARY_VERSION)
	{
		odr_fail(err, ODR_ERR_SYNTAX, "unsupported binary odr_summary version %u",
				 s.version);
		odr_set_detail(err, "This build of odr reads version %d.", ODR_SUMMARY_VERSION);
		return ODR_ERR_SYNTAX;
	}
	if (len != ODR_SUMMARY_WIRE_SIZE)
		return odr_fail(err, ODR_ERR_SYNTAX,
						"binary odr_summary is %zu bytes, expected %d", len,
						ODR_SUMMARY_WIRE_SIZE);
	s.flags = get_be32(in + 4);
	c = odr_summary_counts(&s);
	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
		c[i] = (int64_t) (((uint64_t) get_be32(in + 8 + 8 * i) << 32) |
						  get_be32(in + 12 + 8 * i));
	st = odr_summary_validate(&s, err);
	if (st != ODR_OK)
		return st;
	*out = s;
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* Metrics                                                              */
/* ------------------------------------------------------------------ */

bool
odr_summary_metric(const OdrSummary *s, OdrMetric m, double *value)
{
	switch (m)
	{
		case ODR_METRIC_ODR:
			if (s->orders <= 0)
				return false;
			*value = (double) s->defective / (double) s->orders;
			return true;
		case ODR_METRIC_ORDERS:
			*value = (double) s->orders;
			return true;
		case ODR_METRIC_DEFECTIVE:
			*value = (double) s->defective;
			return true;
		case ODR_METRIC_SELLER_RESP_RATE:
			if (s->orders <= 0)
				return false;
			*value = (double) s->seller_responsible / (double) s->orders;
			return true;
		case ODR_METRIC_POSITIVE_RATE:
			if (s->rated <= 0)
				return false;
			*value = (double) s->positive / (double) s->rated;
			return true;
		case ODR_METRIC_DSR_ITEM:
		case ODR_METRIC_DSR_COMMUNICATION:
		case ODR_METRIC_DSR_SHIPPING:
			{
				int			k = (int) m - (int) ODR_METRIC_DSR_ITEM;

				if (s->dsr_count[k] <= 0)
					return false;
				*value = (double) s->dsr_sum[k] / (double) s->dsr_count[k];
				return true;
			}
		case ODR_NMETRICS:
			break;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Policies and tiers (A4, A17, A18)                                    */
/* ------------------------------------------------------------------ */

void
odr_policy_default(OdrPolicy *p)
{
	memset(p, 0, sizeof(*p));
	p->min_orders = 90;			/* A4 */
	p->below[ODR_TIER_EXCELLENT] = 0.03;	/* A17 defaults */
	p->below[ODR_TIER_GOOD] = 0.06;
	p->below[ODR_TIER_PASS] = 0.12;
	p->ncond = 0;
}

OdrStatus
odr_policy_validate(const OdrPolicy *p, OdrError *err)
{
	double		e = p->below[ODR_TIER_EXCELLENT],
				g = p->below[ODR_TIER_GOOD],
				s = p->below[ODR_TIER_PASS];

	if (p->min_orders < 0)
		return odr_fail(err, ODR_ERR_RANGE, "min_orders %lld is negative",
						(long long) p->min_orders);
	if (!(e >= 0.0 && e <= g && g <= s && s <= 1.0))
	{
		odr_fail(err, ODR_ERR_INCONSISTENT,
				 "cut-offs %g / %g / %g are not ordered", e, g, s);
		odr_set_detail(err, "A policy needs 0 <= excellent_below <= good_below <= pass_below <= 1.");
		return ODR_ERR_INCONSISTENT;
	}
	if (p->ncond < 0 || p->ncond > ODR_MAX_CONDITIONS)
		return odr_fail(err, ODR_ERR_RANGE, "a policy has at most %d conditions, not %d",
						ODR_MAX_CONDITIONS, p->ncond);
	for (int i = 0; i < p->ncond; i++)
	{
		const OdrCondition *c = &p->cond[i];

		if (c->tier < ODR_TIER_PASS || c->tier > ODR_TIER_EXCELLENT)
			return odr_fail(err, ODR_ERR_INCONSISTENT,
							"a condition can only guard pass, good or excellent");
		if ((int) c->metric < 0 || c->metric >= ODR_NMETRICS)
			return odr_fail(err, ODR_ERR_UNKNOWN_NAME, "unknown metric in a condition");
		if (c->bound != ODR_BOUND_MAX && c->bound != ODR_BOUND_MIN)
			return odr_fail(err, ODR_ERR_INCONSISTENT, "a condition bound is max or min");
		if (!isfinite(c->value))
			return odr_fail(err, ODR_ERR_RANGE, "condition value %g is not finite",
							c->value);
	}
	return ODR_OK;
}

/* Does the summary meet every condition that guards tier t? */
static bool
conditions_met(const OdrPolicy *p, const OdrSummary *s, OdrTier t)
{
	for (int i = 0; i < p->ncond; i++)
	{
		const OdrCondition *c = &p->cond[i];
		double		v;

		if (c->tier > t)
			continue;
		/* an undefined metric (no ratings, say) is no evidence against */
		if (!odr_summary_metric(s, c->metric, &v))
			continue;
		if (c->bound == ODR_BOUND_MAX ? !(v <= c->value) : !(v >= c->value))
			return false;
	}
	return true;
}

OdrTier
odr_policy_tier(const OdrPolicy *p, const OdrSummary *s)
{
	double		rate;

	if (s->orders <= 0 || s->orders < p->min_orders)
		return ODR_TIER_UNASSESSED;
	rate = (double) s->defective / (double) s->orders;
	for (int t = ODR_TIER_EXCELLENT; t >= ODR_TIER_PASS; t--)
	{
		/* A17: a rate exactly on the cut-off falls in the worse tier */
		if (rate < p->below[t] && conditions_met(p, s, (OdrTier) t))
			return (OdrTier) t;
	}
	return ODR_TIER_FAIL;
}

static bool
reaches_with_more_orders(const OdrPolicy *p, const OdrSummary *s, int64_t k,
						 OdrTier target)
{
	OdrSummary	t = *s;

	t.orders += k;
	return odr_policy_tier(p, &t) >= target;
}

static bool
reaches_with_fewer_defects(const OdrPolicy *p, const OdrSummary *s, int64_t j,
						   OdrTier target)
{
	OdrSummary	t = *s;
	int64_t		ruled = j < s->seller_responsible ? j : s->seller_responsible;

	/*
	 * The defects taken away first are arbitrations ruled against the
	 * seller: they also lower the seller-responsibility rate (A16), which
	 * a policy condition may cap.
	 */
	t.defective -= j;
	t.seller_responsible -= ruled;
	t.reason[ODR_ARBITRATION] -= ruled;
	return odr_policy_tier(p, &t) >= target;
}

bool
odr_policy_to_next(const OdrPolicy *p, const OdrSummary *s, OdrDistance *out)
{
	OdrTier		cur = odr_policy_tier(p, s);
	OdrTier		next;
	int64_t		lo,
				hi;
	int64_t		limit = INT64_MAX / 8 - s->orders;

	out->current = cur;
	if (cur == ODR_TIER_EXCELLENT)
		return false;
	next = (OdrTier) (cur + 1);
	out->next = next;

	/* more defect-free orders: grow an upper bound, then bisect */
	out->more_orders = -1;
	hi = s->orders > 0 ? s->orders : 1;
	while (hi <= limit && !reaches_with_more_orders(p, s, hi, next))
		hi = hi > limit / 2 ? limit + 1 : hi * 2;
	if (hi <= limit)
	{
		lo = 0;					/* known not to reach */
		while (hi - lo > 1)
		{
			int64_t		mid = lo + (hi - lo) / 2;

			if (reaches_with_more_orders(p, s, mid, next))
				hi = mid;
			else
				lo = mid;
		}
		out->more_orders = hi;
	}

	/* fewer defects among the same orders */
	out->fewer_defects = -1;
	if (s->defective > 0 && reaches_with_fewer_defects(p, s, s->defective, next))
	{
		lo = 0;
		hi = s->defective;
		while (hi - lo > 1)
		{
			int64_t		mid = lo + (hi - lo) / 2;

			if (reaches_with_fewer_defects(p, s, mid, next))
				hi = mid;
			else
				lo = mid;
		}
		out->fewer_defects = hi;
	}
	return true;
}
