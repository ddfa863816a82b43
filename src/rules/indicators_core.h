/*
 * indicators_core.h — the order-based 1688 service-star indicators in plain
 * C (no PostgreSQL headers): S3 on-time shipping, S5 quality refunds, S6
 * refund hours and S7 disputes (shared/rules.md section S).
 *
 * Each indicator is a (weighted) ratio of two counts, so the four aggregates
 * share one fixed-size state, OdrIndState: orders counted and "hits" (orders
 * shipped on time, quality refunds, counted disputes, or microseconds of
 * refund time), kept apart for business buyers (levels 3..6, weighted) and
 * everyone else (weight 1).  The counts are integers, so combining partial
 * states is exact and a parallel plan gives the serial result bit for bit;
 * the weight enters only in the final division.
 *
 * Errors follow odr_core.h: an OdrStatus, and an OdrError with a message
 * naming the argument and its value.
 */
#ifndef ODR_INDICATORS_CORE_H
#define ODR_INDICATORS_CORE_H

#include "odr_core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* S3, S6: default weight of an order from a business buyer (levels 3..6) */
#define ODR_BUSINESS_WEIGHT_DEFAULT 2.0
/* Buyer levels L1..L6; levels from ODR_BUSINESS_LEVEL_MIN up are business */
#define ODR_BUYER_LEVEL_MIN 1
#define ODR_BUYER_LEVEL_MAX 6
#define ODR_BUSINESS_LEVEL_MIN 3
/* S3: an order with no promised time is on time if shipped within this */
#define ODR_NO_PROMISE_HOURS 48
#define ODR_US_PER_HOUR INT64_C(3600000000)

/* ------------------------------------------------------------------ */
/* The shared aggregate state                                           */
/* ------------------------------------------------------------------ */

typedef struct OdrIndState
{
	int64_t		n_plain;		/* orders counted, weight 1 */
	int64_t		hit_plain;		/* their hits (S6: microseconds) */
	int64_t		n_business;		/* orders of business buyers */
	int64_t		hit_business;	/* their hits */
	double		weight;			/* business weight; 0 = none seen yet */
} OdrIndState;

void		odr_ind_init(OdrIndState *st);

/*
 * Record the business weight of a row: finite and > 0 (ODR_ERR_INVALID),
 * and the same for every row of a state (ODR_ERR_INVALID).
 */
OdrStatus	odr_ind_weight(OdrIndState *st, double weight, OdrError *err);

/*
 * Whether a buyer level is a business buyer (S3, S6): levels 3..6 are, 1..2
 * and no level (known = false) are not; anything else is ODR_ERR_INVALID.
 */
OdrStatus	odr_buyer_is_business(bool known, int32_t level, bool *business,
								  OdrError *err);

/* Count one order with hits added (ODR_ERR_OVERFLOW past INT64_MAX). */
OdrStatus	odr_ind_add(OdrIndState *st, bool business, int64_t hits,
						OdrError *err);

/* a += b; both must have the same weight when both saw rows. */
OdrStatus	odr_ind_combine(OdrIndState *a, const OdrIndState *b, OdrError *err);

/*
 * (hit_plain + w hit_business) / (n_plain + w n_business); false (no value)
 * when no order was counted.
 */
bool		odr_ind_ratio(const OdrIndState *st, double *out);

/* S6: odr_ind_ratio in hours (the hits are microseconds). */
bool		odr_ind_hours(const OdrIndState *st, double *out);

/* ------------------------------------------------------------------ */
/* Per-order rules                                                      */
/* ------------------------------------------------------------------ */

/* How a timestamp is printed in messages (NULL: microseconds). */
typedef void (*OdrTimeFormat) (int64_t us, char *buf, size_t len);

typedef enum OdrVerdict
{
	ODR_NOT_COUNTED = -1,		/* the order does not count (yet) */
	ODR_NO = 0,
	ODR_YES = 1
} OdrVerdict;

/*
 * S3: was the order shipped on time, judged as of as_of?
 *
 * The deadline is promised_ship_by, or paid_at + 48 hours when there is no
 * promise; a shipment at the deadline is on time.  Nothing after as_of is
 * known: an order paid after as_of does not count; an order not shipped by
 * as_of is late once as_of is past its deadline and does not count yet
 * before that.  An order with no paid_at does not count.  shipped_at or
 * promised_ship_by before paid_at is ODR_ERR_INVALID; as_of unknown is
 * ODR_ERR_NULL.  as_of may be INT64_MAX (+infinity: every unshipped order
 * is late).
 */
OdrStatus	odr_shipped_on_time(OdrTime paid, OdrTime promised, OdrTime shipped,
								OdrTime as_of, OdrVerdict *out,
								OdrTimeFormat fmt, OdrError *err);

/*
 * S6: the time from a refund request to its completion.  No request and no
 * completion: no refund; a request with no completion: not completed yet;
 * both: *counted and *us set.  A completion with no request is
 * ODR_ERR_NULL, one before the request ODR_ERR_INVALID.
 */
OdrStatus	odr_refund_time(OdrTime requested, OdrTime completed, bool *counted,
							int64_t *us, OdrTimeFormat fmt, OdrError *err);

/*
 * S7: does a dispute ruling count?  "seller" and "both" do; "buyer",
 * "none" and "pending" do not (ASCII case is ignored).  Anything else is
 * ODR_ERR_UNKNOWN_NAME.
 */
OdrStatus	odr_dispute_ruling_counts(const char *ruling, size_t len, bool *counts,
									  OdrError *err);

extern const char *const odr_dispute_rulings[];	/* NULL-terminated */

/* ------------------------------------------------------------------ */
/* S5: quality refund reasons                                           */
/* ------------------------------------------------------------------ */

typedef struct OdrName
{
	const char *s;
	size_t		len;
} OdrName;

/* The default quality reasons (S5), in documentation order. */
extern const OdrName odr_default_quality_reasons[];
extern const int odr_default_quality_reasons_count;

/* ASCII case-insensitive equality of two byte strings. */
bool		odr_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Check a list of quality reasons: not empty, no empty reason, no reason
 * twice (ASCII case ignored).  ODR_ERR_INVALID otherwise.
 */
OdrStatus	odr_quality_reasons_check(const OdrName *reasons, int n, OdrError *err);

/*
 * S5: is a first refund reason a quality reason of the list (ASCII case
 * ignored)?  An empty reason is ODR_ERR_INVALID (NULL, not '', means no
 * refund).
 */
OdrStatus	odr_is_quality_reason(const char *reason, size_t len,
								  const OdrName *reasons, int n, bool *out,
								  OdrError *err);

#endif							/* ODR_INDICATORS_CORE_H */
