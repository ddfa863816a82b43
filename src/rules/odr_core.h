/*
 * odr_core.h — the rules of odr in plain C (no PostgreSQL headers).
 *
 * Everything that decides a result lives here: how an order is judged
 * (rules A5-A14 of shared/rules.md), the summary arithmetic behind the
 * aggregates (A12, A15, A16), tier evaluation under a policy (A4, A17, A18),
 * and the text forms of the two types.  The PostgreSQL glue in the other
 * files only converts arguments and reports errors, so this file can be
 * unit-tested and fuzzed on its own (test/unit, make unit).
 *
 * Error convention: functions that can fail return an OdrStatus and, when
 * given a non-NULL OdrError, fill it with a message and the argument it
 * concerns.  The glue maps OdrStatus to an SQLSTATE.
 */
#ifndef ODR_CORE_H
#define ODR_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Status and errors                                                    */
/* ------------------------------------------------------------------ */

typedef enum OdrStatus
{
	ODR_OK = 0,
	ODR_ERR_SYNTAX,				/* malformed text: 22P02 / 22P03 */
	ODR_ERR_RANGE,				/* number outside its range: 22003 */
	ODR_ERR_INCONSISTENT,		/* values contradict each other */
	ODR_ERR_UNKNOWN_NAME,		/* unknown metric or tier in a policy: 22023
								 * (an unknown name inside a type's text is
								 * ODR_ERR_SYNTAX) */
	ODR_ERR_OVERFLOW,			/* a count would pass INT64_MAX: 22003 */
	ODR_ERR_INVALID,			/* an argument outside its domain: 22023 */
	ODR_ERR_NULL				/* a required argument is NULL: 22004 */
} OdrStatus;

typedef struct OdrError
{
	char		message[256];	/* lower case, no final period */
	char		detail[512];	/* full sentence, may be empty */
	char		hint[512];		/* full sentence, may be empty */
} OdrError;

/* ------------------------------------------------------------------ */
/* Reasons (A5-A11)                                                     */
/* ------------------------------------------------------------------ */

typedef enum OdrReason
{
	ODR_NEGATIVE_FEEDBACK = 0,	/* A5 */
	ODR_DSR_ITEM,				/* A6 */
	ODR_DSR_COMMUNICATION,		/* A7 */
	ODR_DSR_SHIPPING,			/* A8 */
	ODR_UNSHIPPED,				/* A9 */
	ODR_ARBITRATION,			/* A10 */
	ODR_DISPUTE_TIMEOUT,		/* A11 */
	ODR_NREASONS
} OdrReason;

extern const char *const odr_reason_names[ODR_NREASONS];

/* Reason index for a name, or -1. */
int			odr_reason_from_name(const char *name, size_t len);

/* ------------------------------------------------------------------ */
/* odr_defects: the verdict on one order, packed in 32 bits             */
/* ------------------------------------------------------------------ */
/*
 * bits  0-6   reasons A5-A11 (after the A13 exclusion)
 * bit   7     seller_responsible: an arbitration was ruled against the seller
 * bit   8     under_5_usd: the order's rating is left out of the
 *             positive-feedback rate (A16)
 * bits  9-11  overall rating counted for the store, 0 = none (A13 drops it)
 * bits 12-14  DSR item as described, 0 = none
 * bits 15-17  DSR communication, 0 = none
 * bits 18-20  DSR shipping speed, 0 = none
 * bits 21-31  reserved, always 0 (a value with them set is rejected)
 */
typedef uint32_t OdrDefects;

#define ODR_REASON_MASK			((uint32_t) 0x7F)
#define ODR_F_SELLER_RESP		((uint32_t) 1 << 7)
#define ODR_F_UNDER_5_USD		((uint32_t) 1 << 8)
#define ODR_RATING_SHIFT_FEEDBACK	9
#define ODR_RATING_SHIFT_ITEM		12
#define ODR_RATING_SHIFT_COMM		15
#define ODR_RATING_SHIFT_SHIP		18
#define ODR_DEFECTS_USED_MASK	((uint32_t) 0x1FFFFF)

/* The rating dimensions a verdict can record. */
typedef enum OdrRating
{
	ODR_RATING_FEEDBACK = 0,
	ODR_RATING_ITEM,
	ODR_RATING_COMMUNICATION,
	ODR_RATING_SHIPPING,
	ODR_NRATINGS
} OdrRating;

extern const char *const odr_rating_names[ODR_NRATINGS];

static inline bool
odr_defects_has(OdrDefects d, OdrReason r)
{
	return (d >> r) & 1u;
}

static inline bool
odr_defects_is_defective(OdrDefects d)
{
	return (d & ODR_REASON_MASK) != 0;
}

static inline int
odr_defects_rating(OdrDefects d, OdrRating which)
{
	static const int shift[ODR_NRATINGS] = {
		ODR_RATING_SHIFT_FEEDBACK, ODR_RATING_SHIFT_ITEM,
		ODR_RATING_SHIFT_COMM, ODR_RATING_SHIFT_SHIP
	};

	return (int) ((d >> shift[which]) & 7u);
}

/*
 * What odr_classify() is told about one order.  rating_given[] false means
 * "no rating given"; booleans false mean "no such event".  amount_known
 * says whether amount_usd was given.
 */
typedef struct OdrOrderFacts
{
	int			rating[ODR_NRATINGS];	/* the stars, when given */
	bool		rating_given[ODR_NRATINGS];
	bool		unshipped;
	bool		arbitration;
	bool		dispute_timeout;
	bool		not_received_closed;
	bool		arbitration_seller_responsible;
	bool		under_5_usd;	/* order amount below ODR_SMALL_ORDER_USD */
} OdrOrderFacts;

/* A16: ratings on orders below this many US dollars do not count. */
#define ODR_SMALL_ORDER_USD 5

/* Names of the odr_classify() parameters, for error messages. */
extern const char *const odr_rating_param_names[ODR_NRATINGS];

/* Judge one order (A5-A14).  Fails on a rating outside 1..5 (A14) or a
 * ruling without an arbitration. */
OdrStatus	odr_classify_order(const OdrOrderFacts *facts, OdrDefects *out,
							   OdrError *err);

/* Check a packed value for reserved bits and contradictions. */
OdrStatus	odr_defects_validate(OdrDefects d, OdrError *err);

/* Text form: "{reason,...}" optionally followed by facts, e.g.
 * "{negative_feedback,dsr_item} feedback=2 item=3 seller_responsible".
 * odr_defects_format writes at most ODR_DEFECTS_TEXT_MAX bytes with NUL. */
#define ODR_DEFECTS_TEXT_MAX 256
OdrStatus	odr_defects_parse(const char *text, OdrDefects *out, OdrError *err);
size_t		odr_defects_format(OdrDefects d, char *buf, size_t buflen);

/* ------------------------------------------------------------------ */
/* Flags from raw timestamps (A9, A11)                                  */
/* ------------------------------------------------------------------ */

/* A moment in microseconds (PostgreSQL's timestamptz), or unknown. */
typedef struct OdrTime
{
	bool		known;
	int64_t		us;
} OdrTime;

#define ODR_US_PER_DAY INT64_C(86400000000)

/*
 * A11: the seller did not respond within response_days (24-hour days) of
 * the dispute being opened, and the dispute ended at or after that deadline.
 * No opened_at means no dispute (false).
 */
OdrStatus	odr_dispute_timed_out(OdrTime opened, OdrTime responded,
								  OdrTime closed, int32_t response_days,
								  bool *out, OdrError *err);

/*
 * A9: as of as_of the shipping deadline has passed with no shipment by the
 * deadline (a shipment recorded after it counts as none).  No deadline
 * means no paid order waiting to ship (false).
 */
OdrStatus	odr_unshipped(OdrTime ship_deadline, OdrTime shipped_at,
						  OdrTime as_of, bool *out, OdrError *err);

/* ------------------------------------------------------------------ */
/* Assessment calendar (A1, A2)                                         */
/* ------------------------------------------------------------------ */
/*
 * Days are counted as PostgreSQL's date does: days since 2000-01-01.
 * The proleptic Gregorian calendar, leap years included.
 */
void		odr_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
int64_t		odr_days_from_civil(int64_t year, int month, int day);

/* A2: the last day of the month of `days`. */
int64_t		odr_month_end(int64_t days);

/* A2: the month end on or after `days` / on or before `days`. */
int64_t		odr_month_end_on_or_after(int64_t days);
int64_t		odr_month_end_on_or_before(int64_t days);

/*
 * A1, A2: the run of days around `day` that lie in exactly the same
 * month-end windows of `days` days (the windows [E - days + 1, E] for every
 * month end E): [*first, *last].  Runs break at the first of every month and
 * at the first day of every window, so rolling the days of a run into one
 * summary loses nothing for month-end assessments.  days >= 1; the caller
 * keeps day +- 2 * days within range.
 */
void		odr_assessment_segment_of(int64_t day, int32_t days, int64_t *first, int64_t *last);

/* ------------------------------------------------------------------ */
/* odr_summary: counts over a set of orders                             */
/* ------------------------------------------------------------------ */

#define ODR_SUMMARY_VERSION 1

/*
 * The on-disk/in-memory layout of odr_summary (fixed size, 8-byte aligned,
 * no padding).  The field order is the text order.
 */
typedef struct OdrSummary
{
	uint32_t	version;		/* ODR_SUMMARY_VERSION */
	uint32_t	flags;			/* reserved, 0 */
	int64_t		orders;			/* assessed orders (A15 denominator) */
	int64_t		defective;		/* orders with at least one reason (A12) */
	int64_t		reason[ODR_NREASONS];	/* per-reason counts */
	int64_t		seller_responsible;		/* A16 arbitration ruled against */
	int64_t		rated;			/* ratings counted for positive rate */
	int64_t		positive;		/* of those, 4 or 5 stars */
	int64_t		dsr_sum[3];		/* item, communication, shipping */
	int64_t		dsr_count[3];
} OdrSummary;

#define ODR_SUMMARY_NCOUNTS 18

/* The counters in text order, as an array view. */
static inline int64_t *
odr_summary_counts(OdrSummary *s)
{
	return &s->orders;
}

static inline const int64_t *
odr_summary_counts_const(const OdrSummary *s)
{
	return &s->orders;
}

extern const char *const odr_summary_field_names[ODR_SUMMARY_NCOUNTS];

void		odr_summary_init(OdrSummary *s);

/* Add one order's verdict (transition) / take it away (inverse). */
OdrStatus	odr_summary_add_order(OdrSummary *s, OdrDefects d, OdrError *err);
OdrStatus	odr_summary_remove_order(OdrSummary *s, OdrDefects d, OdrError *err);

/* a += b / a -= b (rollup, combine and its inverse). */
OdrStatus	odr_summary_add(OdrSummary *a, const OdrSummary *b, OdrError *err);
OdrStatus	odr_summary_subtract(OdrSummary *a, const OdrSummary *b,
								 OdrError *err);

/* Check the invariants every summary of real orders satisfies. */
OdrStatus	odr_summary_validate(const OdrSummary *s, OdrError *err);

/* Text form "(orders=120,defective=5,negative_feedback=2,...)": orders and
 * defective always, the other counts when not zero; input takes any subset
 * of the counts in any order (a missing one is zero). */
#define ODR_SUMMARY_TEXT_MAX 640
OdrStatus	odr_summary_parse(const char *text, OdrSummary *out, OdrError *err);
size_t		odr_summary_format(const OdrSummary *s, char *buf, size_t buflen);
/* JSON object with every count and the derived rates. */
#define ODR_SUMMARY_JSON_MAX 1400
size_t		odr_summary_format_json(const OdrSummary *s, char *buf,
									size_t buflen);

/* Binary form: 4-byte version, 4-byte flags, 18 big-endian int64. */
#define ODR_SUMMARY_WIRE_SIZE (8 + 8 * ODR_SUMMARY_NCOUNTS)
void		odr_summary_encode(const OdrSummary *s,
							   unsigned char out[ODR_SUMMARY_WIRE_SIZE]);
OdrStatus	odr_summary_decode(const unsigned char *in, size_t len,
							   OdrSummary *out, OdrError *err);

/* ------------------------------------------------------------------ */
/* Metrics                                                              */
/* ------------------------------------------------------------------ */

typedef enum OdrMetric
{
	ODR_METRIC_ODR = 0,			/* defective / orders (A15) */
	ODR_METRIC_ORDERS,
	ODR_METRIC_DEFECTIVE,
	ODR_METRIC_SELLER_RESP_RATE,	/* A16 */
	ODR_METRIC_POSITIVE_RATE,	/* A16 */
	ODR_METRIC_DSR_ITEM,		/* A16 averages */
	ODR_METRIC_DSR_COMMUNICATION,
	ODR_METRIC_DSR_SHIPPING,
	ODR_NMETRICS
} OdrMetric;

extern const char *const odr_metric_names[ODR_NMETRICS];
int			odr_metric_from_name(const char *name, size_t len);

/* The metric's value; false when it is undefined (no orders, no ratings). */
bool		odr_summary_metric(const OdrSummary *s, OdrMetric m, double *value);

/* ------------------------------------------------------------------ */
/* Tiers and policies (A4, A17, A18)                                    */
/* ------------------------------------------------------------------ */

typedef enum OdrTier
{
	ODR_TIER_UNASSESSED = 0,
	ODR_TIER_FAIL,
	ODR_TIER_PASS,
	ODR_TIER_GOOD,
	ODR_TIER_EXCELLENT,
	ODR_NTIERS
} OdrTier;

extern const char *const odr_tier_names[ODR_NTIERS];
int			odr_tier_from_name(const char *name, size_t len);

typedef enum OdrBound
{
	ODR_BOUND_MAX = 0,			/* metric <= value */
	ODR_BOUND_MIN				/* metric >= value */
} OdrBound;

/* A condition a seller must meet to reach `tier` (and any tier above). */
typedef struct OdrCondition
{
	OdrTier		tier;
	OdrMetric	metric;
	OdrBound	bound;
	double		value;
} OdrCondition;

#define ODR_MAX_CONDITIONS 64

typedef struct OdrPolicy
{
	int64_t		min_orders;		/* A4: fewer assessed orders = unassessed */
	/* A17: ODR strictly below the cut-off reaches the tier */
	double		below[ODR_NTIERS];	/* used for PASS, GOOD, EXCELLENT */
	int			ncond;
	OdrCondition cond[ODR_MAX_CONDITIONS];
} OdrPolicy;

/* The shipped default policy: 90 orders; 3% / 6% / 12%. */
void		odr_policy_default(OdrPolicy *p);
OdrStatus	odr_policy_validate(const OdrPolicy *p, OdrError *err);

/*
 * The tier of a summary.  The rate compared with the cut-offs is the double
 * defective / orders, the value odr_rate() returns, so a tier never
 * disagrees with "odr_rate(s) < cut-off"; below about 10^15 orders no
 * rounding can carry a rate across a cut-off.
 */
OdrTier		odr_policy_tier(const OdrPolicy *p, const OdrSummary *s);

/*
 * A18: the next tier above the seller's and the distance to it.
 * Returns false at the top tier.  more_orders: the fewest defect-free
 * orders to add; fewer_defects: the fewest defective orders that would have
 * had to be defect-free (arbitrations ruled against the seller first, as
 * they also lower that rate).  Each is -1 when no such number lifts the
 * seller.
 */
typedef struct OdrDistance
{
	OdrTier		current;
	OdrTier		next;
	int64_t		more_orders;
	int64_t		fewer_defects;
} OdrDistance;

bool		odr_policy_to_next(const OdrPolicy *p, const OdrSummary *s,
							   OdrDistance *out);

#endif							/* ODR_CORE_H */
