/*
 * engine_core.h — the marketplace-neutral policy engine, in plain C (no
 * PostgreSQL headers; unit-tested alone: test/unit/engine_test.c).
 *
 * Issue 14 ("one engine, every marketplace") and the constructs of issue 20.
 * A marketplace is a policy: data, not code.  The layers, bottom up:
 *
 *   order facts   one order row, as the caller has it: a set of named events
 *                 (bits: "negative_feedback", "claim", "mfn", "cancelled_by_
 *                 seller", ...), numeric values (sales, hours, a rating), a
 *                 buyer (a 64-bit hash) and one date per date basis of the
 *                 policy (order date, promised delivery date, ...).  The SQL
 *                 side builds them (odr_events(...)); the engine never sees a
 *                 column.
 *   counters      what a policy counts, per date basis and day: rows whose
 *                 events match an event set (COUNT), the sum of a value over
 *                 them (SUM), their distinct buyers up to k (DISTINCT, exact
 *                 below k: the bottom-k smallest hashes), the first / last
 *                 day one occurred (FIRST_DAY / LAST_DAY).
 *   tally         the counters of a policy for one group (seller, day or
 *                 window): mergeable in any order (serial, parallel workers,
 *                 per-day rows rolled up, shards) with the same result.
 *                 COUNT / SUM also subtract; DISTINCT and FIRST/LAST_DAY do
 *                 not (a window of them is merged from its days).
 *   metrics       a value computed from the tally of one window: a rate
 *                 (COUNT / COUNT), an average (SUM / COUNT), a count, a sum,
 *                 a number of distinct buyers, days since a first day.  A
 *                 rate or an average over an empty denominator is not
 *                 measured (n/a), never 0.
 *   standards     a test a seller meets or fails: one or more comparisons of
 *                 a metric with an exact decimal threshold (optionally
 *                 rounded first, optionally applying only within a volume
 *                 range); met when ANY applicable comparison holds — so
 *                 "rate <= 2% or defects from <= 4 distinct buyers" (eBay),
 *                 "rate <= 2% or at most 2 late items" (a minimum count
 *                 before a rate can fail) and "at most 4 bad reviews under
 *                 40 reviews, otherwise under 10%" (a cap that switches by
 *                 volume) are one standard each.  A standard whose
 *                 applicable comparisons are all unmeasured is n/a.
 *   levels        ordered by priority: the first that applies is the
 *                 seller's.  A level applies when ALL its standards are met
 *                 (Top Rated, a badge), when ANY of them FAILED (Below
 *                 Standard), or OTHERWISE (the last level, always).  Each
 *                 level has a rank for comparisons ("is top_rated better
 *                 than above_standard"): higher is better.
 *   windows       where each metric looks: N days ending on the evaluation
 *                 day (minus a lag), whole calendar months / ISO weeks /
 *                 quarters before it, month to date, lifetime; and a window
 *                 chosen by volume (3 months if 400 transactions, else 12).
 *
 * Numbers: counters are int64 (SUM values are fixed point, 1/10000 of the
 * unit, so sums merge exactly in any order); thresholds are exact decimals;
 * every comparison is exact (128-bit cross products), so "a rate exactly on a
 * cap" is decided the same way everywhere.
 *
 * Errors follow odr_core.h: functions that can fail return an OdrStatus and
 * fill an OdrError.
 */
#ifndef ODR_ENGINE_CORE_H
#define ODR_ENGINE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odr_core.h"

/* Limits (a tally must stay small: the budget is 256 bytes). */
#define ODR_ENG_NAME_LEN		64
#define ODR_ENG_MAX_EVENTS		64	/* event bits of a row */
#define ODR_ENG_MAX_VALUES		8	/* numeric values of a row */
#define ODR_ENG_MAX_BASES		8	/* date bases of a policy */
#define ODR_ENG_MAX_COUNTERS	24
#define ODR_ENG_MAX_DISTINCT_K	8	/* buyers kept per DISTINCT counter */
#define ODR_ENG_MAX_BUYER_SLOTS 24	/* buyers kept by all DISTINCT counters */
#define ODR_ENG_MAX_WINDOWS		8
#define ODR_ENG_MAX_METRICS		32
#define ODR_ENG_MAX_COMPARISONS 64
#define ODR_ENG_MAX_STANDARDS	32
#define ODR_ENG_MAX_LEVELS		16
#define ODR_ENG_MAX_HOLIDAYS	1024	/* holidays of a policy's business calendars */
#define ODR_ENG_MAX_BUSINESS_LENGTH 3660	/* working days of a BUSINESS_DAYS window */
#define ODR_ENG_VALUE_SCALE		10000	/* SUM values: 1/10000 of the unit */
#define ODR_ENG_NO_DAY			INT64_MIN	/* FIRST_DAY / LAST_DAY of nothing */
/* PostgreSQL's dates, as days since 2000-01-01: 4713-11-24 BC .. 5874897-12-31 */
#define ODR_ENG_MIN_DAY			INT64_C(-2451545)
#define ODR_ENG_MAX_DAY			INT64_C(2145031948)

/* ------------------------------------------------------------------ */
/* Exact numbers                                                        */
/* ------------------------------------------------------------------ */

/* A decimal: digits / 10^scale, scale 0..18 (thresholds, volume bounds). */
typedef struct OdrDecimal
{
	int64_t		digits;
	int32_t		scale;
} OdrDecimal;

/* A non-negative rational num / den with den > 0 (metric values). */
typedef struct OdrRational
{
	int64_t		num;
	int64_t		den;
} OdrRational;

/* Parse "0.005", "-3", "+95", ".5", "5."; "1e-3", " 1", "" are refused
 * (ODR_ERR_SYNTAX): plain decimals only.  The scale is the number of digits
 * after the point, trailing zeros included ("0.50" has scale 2); more than
 * 18 of them, or digits beyond int64, are ODR_ERR_RANGE. */
OdrStatus	odr_decimal_parse(const char *text, OdrDecimal *out, OdrError *err);
/* "-0.005", "95", "0.50" (scale digits after the point, none at scale 0);
 * writes at most buflen - 1 characters and a NUL, returns the full length. */
size_t		odr_decimal_format(OdrDecimal d, char *buf, size_t buflen);
/* -1, 0, 1 as a < b, a = b, a > b; exact.  a.den > 0, b.scale 0..18. */
int			odr_rational_cmp_decimal(OdrRational a, OdrDecimal b);
double		odr_rational_to_double(OdrRational a);

/* ------------------------------------------------------------------ */
/* One order row (the facts the SQL side hands over)                    */
/* ------------------------------------------------------------------ */

typedef struct OdrEngRow
{
	uint64_t	events;			/* bit i = event i of the policy */
	int64_t		values[ODR_ENG_MAX_VALUES];	/* fixed point, 1/10000 */
	uint64_t	buyer;			/* hash of the buyer; 0 = unknown (never
								 * counted by a DISTINCT counter) */
	int64_t		days[ODR_ENG_MAX_BASES];	/* day of each date basis
											 * (days since 2000-01-01);
											 * ODR_ENG_NO_DAY = none */
} OdrEngRow;

/* A row matches when it has every event of `all`, at least one of `any`
 * (when any != 0) and none of `none`. */
typedef struct OdrEventSet
{
	uint64_t	all;
	uint64_t	any;
	uint64_t	none;
} OdrEventSet;

static inline bool
odr_event_set_matches(const OdrEventSet *s, uint64_t events)
{
	return (events & s->all) == s->all &&
		(s->any == 0 || (events & s->any) != 0) &&
		(events & s->none) == 0;
}

/* ------------------------------------------------------------------ */
/* The policy                                                           */
/* ------------------------------------------------------------------ */

typedef enum OdrCounterKind
{
	ODR_COUNTER_COUNT = 0,		/* rows matching */
	ODR_COUNTER_SUM,			/* sum of values[value] over rows matching */
	ODR_COUNTER_DISTINCT,		/* distinct buyers of rows matching, exact
								 * below k (then "at least k") */
	ODR_COUNTER_FIRST_DAY,		/* earliest day (of its basis) of a match */
	ODR_COUNTER_LAST_DAY		/* latest day of a match */
} OdrCounterKind;

typedef struct OdrCounterDef
{
	char		name[ODR_ENG_NAME_LEN];
	OdrCounterKind kind;
	OdrEventSet when;
	int			basis;			/* date basis that places the row in a day */
	int			value;			/* SUM: index into OdrEngRow.values */
	int			k;				/* DISTINCT: 1..ODR_ENG_MAX_DISTINCT_K */
	int			slot;			/* DISTINCT: its first buyer slot,
								 * 0-based after the counters (set by
								 * odr_policy_def_prepare; see OdrTally) */
} OdrCounterDef;

typedef enum OdrWindowKind
{
	ODR_WINDOW_DAYS = 0,		/* `length` days ending on day - lag */
	ODR_WINDOW_MONTHS,			/* `length` whole calendar months ending on
								 * the last day of the month before (day -
								 * lag)'s month */
	ODR_WINDOW_WEEKS,			/* `length` whole ISO weeks (Monday-Sunday)
								 * ending before (day - lag)'s week */
	ODR_WINDOW_QUARTERS,		/* `length` whole calendar quarters before */
	ODR_WINDOW_MONTH_TO_DATE,	/* the month of day - lag up to it, plus
								 * `length` whole months before */
	ODR_WINDOW_LIFETIME,		/* every day up to day - lag */
	ODR_WINDOW_BY_VOLUME,		/* window `primary` when counter
								 * `volume_counter` over it reaches
								 * `volume_min`, else window `fallback` */
	ODR_WINDOW_BUSINESS_DAYS	/* from the `length`-th working day back
								 * (day - lag counting when it is one) to
								 * day - lag; its calendar is the policy's
								 * business[w] */
} OdrWindowKind;

typedef struct OdrWindowDef
{
	char		name[ODR_ENG_NAME_LEN];
	OdrWindowKind kind;
	int32_t		length;			/* days, months, weeks, quarters; >= 1
								 * (MONTH_TO_DATE: >= 0) */
	int32_t		lag;			/* days before the evaluation day; >= 0 */
	/* BY_VOLUME */
	int			primary;
	int			fallback;
	int			volume_counter;	/* a COUNT counter */
	int64_t		volume_min;
} OdrWindowDef;

typedef enum OdrMetricKind
{
	ODR_METRIC_RATE = 0,		/* count(numerator) / count(denominator) */
	ODR_METRIC_AVERAGE,			/* sum(numerator) / count(denominator) */
	ODR_METRIC_COUNT,			/* count(numerator) */
	ODR_METRIC_SUM,				/* sum(numerator), in the value's unit */
	ODR_METRIC_DISTINCT,		/* distinct buyers of numerator */
	ODR_METRIC_DAYS_SINCE		/* evaluation day - the day of numerator (a
								 * FIRST_DAY or LAST_DAY counter); not
								 * measured when it has no day */
} OdrMetricKind;

typedef struct OdrMetricDef
{
	char		name[ODR_ENG_NAME_LEN];
	OdrMetricKind kind;
	int			numerator;		/* counter index */
	int			denominator;	/* counter index; RATE, AVERAGE only */
	int			window;			/* window index */
} OdrMetricDef;

typedef enum OdrCmp
{
	ODR_CMP_LT = 0,
	ODR_CMP_LE,
	ODR_CMP_GT,
	ODR_CMP_GE
} OdrCmp;

typedef enum OdrRounding
{
	ODR_ROUND_NONE = 0,
	ODR_ROUND_DOWN,				/* truncate toward 0 to `digits` decimals */
	ODR_ROUND_HALF_UP,			/* to `digits` decimals, halves away from 0
								 * (as SQL round(numeric)) */
	ODR_ROUND_UP				/* toward +infinity */
} OdrRounding;

/* metric op threshold, optionally rounding the metric's value first, and
 * applying only while metric `applies_metric` is in [applies_min,
 * applies_max) (-1: always; a missing bound is open).  While
 * applies_metric is not measured (a rate over nothing) the comparison does
 * not apply: a switch over an unmeasured volume says nothing.  Within one
 * standard, two comparisons with the same applies_metric must apply in
 * disjoint ranges (a switch, not an "or"). */
typedef struct OdrComparisonDef
{
	int			metric;
	OdrCmp		op;
	OdrDecimal	threshold;
	OdrRounding rounding;
	int32_t		digits;			/* decimals of the value (as a fraction: 2
								 * digits of 0.947 is 0.94, whole percent) */
	int			applies_metric;
	bool		has_applies_min;
	OdrDecimal	applies_min;	/* inclusive */
	bool		has_applies_max;
	OdrDecimal	applies_max;	/* exclusive */
} OdrComparisonDef;

typedef struct OdrStandardDef
{
	char		name[ODR_ENG_NAME_LEN];
	int			first;			/* its comparisons: first .. first + n - 1;
								 * n >= 1; every comparison belongs to
								 * exactly one standard */
	int			n;
} OdrStandardDef;

typedef enum OdrLevelMode
{
	ODR_LEVEL_ALL_MET = 0,		/* applies when every standard is met */
	ODR_LEVEL_ANY_FAILED,		/* applies when some standard failed */
	ODR_LEVEL_OTHERWISE			/* always applies (the last level) */
} OdrLevelMode;

typedef struct OdrLevelDef
{
	char		name[ODR_ENG_NAME_LEN];
	int32_t		rank;			/* higher is better; unique */
	OdrLevelMode mode;
	uint32_t	standards;		/* bit i = standard i */
} OdrLevelDef;

/* A business calendar: the ISO weekdays that are not working days, and
 * its holidays, holidays[first .. first + count - 1] of the policy (strictly
 * ascending).  At least one weekday is a working day. */
typedef struct OdrBusinessCalendar
{
	uint8_t		weekend;		/* bit i: ISO weekday i + 1 (Monday 1) is off */
	int32_t		first;
	int32_t		count;
} OdrBusinessCalendar;

typedef struct OdrPolicyDef
{
	int			nbases;
	int			nvalues;
	int			nevents;
	int			ncounters;
	OdrCounterDef counters[ODR_ENG_MAX_COUNTERS];
	int			nwindows;
	OdrWindowDef windows[ODR_ENG_MAX_WINDOWS];
	int			nmetrics;
	OdrMetricDef metrics[ODR_ENG_MAX_METRICS];
	int			ncomparisons;
	OdrComparisonDef comparisons[ODR_ENG_MAX_COMPARISONS];
	int			nstandards;
	OdrStandardDef standards[ODR_ENG_MAX_STANDARDS];
	int			nlevels;
	OdrLevelDef levels[ODR_ENG_MAX_LEVELS];	/* in priority order */
	/* BUSINESS_DAYS window w's calendar: business[w] (kept apart from
	 * OdrWindowDef, whose bytes the tallies' fingerprints hash) */
	OdrBusinessCalendar business[ODR_ENG_MAX_WINDOWS];
	int			nholidays;
	int32_t		holidays[ODR_ENG_MAX_HOLIDAYS];	/* days, each calendar's run
												 * ascending */
} OdrPolicyDef;

/*
 * Check that a policy can be evaluated: indexes in range, events below
 * nevents, a DISTINCT counter's k large enough for every threshold compared
 * with it (else "at most 5 distinct buyers" could not be told from 8): the
 * comparison must give the same answer for every value >= k, i.e. k > t for
 * LE / GT and k >= t for LT / GE (and likewise for a volume range over
 * distinct buyers), k 1..ODR_ENG_MAX_DISTINCT_K and all k's together at
 * most ODR_ENG_MAX_BUYER_SLOTS; a SUM counter's value index valid; metric
 * counters of the right kinds (RATE: COUNT / COUNT, AVERAGE: SUM / COUNT,
 * COUNT, SUM, DISTINCT, DAYS_SINCE: FIRST_DAY or LAST_DAY) — a RATE without
 * a denominator is refused; windows' lengths (>= 1, MONTH_TO_DATE >= 0,
 * LIFETIME: ignored) and lags (>= 0); a BY_VOLUME window over plain windows
 * with a COUNT volume counter and volume_min >= 0; decimals' scales 0..18;
 * rounding only on RATE and AVERAGE, digits 0..18; a volume range only with
 * an applies_metric, non-empty, disjoint from the standard's other ranges
 * over the same metric; every comparison in exactly one standard; levels'
 * ranks unique, the last level OTHERWISE (the list covers every case) and
 * no other, ALL_MET / ANY_FAILED levels naming at least one existing
 * standard, OTHERWISE none; every standard used by a level; names unique
 * (per kind of element) and non-empty.  ODR_ERR_INVALID with the element
 * named.
 */
OdrStatus	odr_policy_def_validate(const OdrPolicyDef *p, OdrError *err);
/* Validate, then fill what is derived (the DISTINCT counters' slots). */
OdrStatus	odr_policy_def_prepare(OdrPolicyDef *p, OdrError *err);

/* ------------------------------------------------------------------ */
/* The tally                                                            */
/* ------------------------------------------------------------------ */

/*
 * The tally functions need a prepared policy (odr_policy_def_prepare).
 * Every function is all or nothing: on an error the tally is unchanged.
 *
 * Layout: one array of 64-bit cells.  An OdrTally is sized for the largest
 * policy (a local variable, an array for odr_policy_evaluate), but a
 * policy's tally is a prefix of it, odr_tally_size(p) bytes:
 *
 *   value[c]                          counter c < p->ncounters: COUNT,
 *                                     SUM, FIRST/LAST_DAY its value;
 *                                     DISTINCT the number n of buyers kept
 *   value[p->ncounters + slot + j]    DISTINCT counter c (slot = c's
 *                                     OdrCounterDef.slot), j < k: its n
 *                                     smallest hashes ascending (the bits of
 *                                     a uint64_t; odr_tally_buyers), then
 *                                     zeros
 *
 * so a caller keeping many tallies (an aggregate's state per group) may
 * allocate only odr_tally_size(p) bytes for each (the amazon policy: 18
 * counters, 144 bytes; eBay: 10 counters and 14 buyer slots, 192 bytes; the
 * full struct: 384).  odr_tally_add_row, _merge, _subtract, _encoded_size
 * and _encode read and write that prefix only, so they take a short tally
 * or a full one alike; odr_tally_init and odr_tally_decode set every cell of
 * a full-size OdrTally (the cells after the prefix zero), their _short
 * variants the prefix only.  Only a full-size tally may be copied by
 * assignment or handed to odr_policy_evaluate / odr_comparison_advise
 * (which index an array of them): widen a short one with odr_tally_init
 * then a memcpy of odr_tally_size(p) bytes.
 *
 * The tally is canonical (unused cells zero), so two tallies of the same
 * rows compare equal with memcmp (over odr_tally_size(p) bytes; over
 * sizeof(OdrTally) when both are full-size) whatever the order they were
 * merged in.
 */
#define ODR_ENG_MAX_CELLS (ODR_ENG_MAX_COUNTERS + ODR_ENG_MAX_BUYER_SLOTS)

typedef struct OdrTally
{
	int64_t		value[ODR_ENG_MAX_CELLS];	/* see above */
} OdrTally;

/* Bytes a tally of p occupies: 8 x (ncounters + the DISTINCT counters' k
 * summed); at most sizeof(OdrTally). */
size_t		odr_tally_size(const OdrPolicyDef *p);

/* The buyer slots of a tally of p: DISTINCT counter c keeps its hashes at
 * odr_tally_buyers(p, t)[c.slot .. c.slot + value[c] - 1]. */
static inline uint64_t *
odr_tally_buyers(const OdrPolicyDef *p, OdrTally *t)
{
	return (uint64_t *) &t->value[p->ncounters];
}

static inline const uint64_t *
odr_tally_buyers_const(const OdrPolicyDef *p, const OdrTally *t)
{
	return (const uint64_t *) &t->value[p->ncounters];
}

/* t full-size: every cell (those after the prefix zero). */
void		odr_tally_init(const OdrPolicyDef *p, OdrTally *t);
/* The same for a short tally: only its odr_tally_size(p) bytes. */
void		odr_tally_init_short(const OdrPolicyDef *p, OdrTally *t);
/* Add one row to each counter whose basis day falls in [first, last]
 * (first = last = day: the row's contribution to one day's tally, the
 * caller calling once per distinct day of the row; a window's days: a
 * window tally built straight from rows).  ODR_ERR_OVERFLOW. */
OdrStatus	odr_tally_add_row(const OdrPolicyDef *p, OdrTally *t,
							  const OdrEngRow *row, int64_t first,
							  int64_t last, OdrError *err);
OdrStatus	odr_tally_merge(const OdrPolicyDef *p, OdrTally *a,
							const OdrTally *b, OdrError *err);
/* a -= b for COUNT and SUM; ODR_ERR_INCONSISTENT when the policy has
 * DISTINCT or FIRST/LAST_DAY counters or a count would go negative. */
OdrStatus	odr_tally_subtract(const OdrPolicyDef *p, OdrTally *a,
							   const OdrTally *b, OdrError *err);
/* Compact binary form (what a summary column stores): only the policy's
 * counters, DISTINCT as its kept hashes.  Layout: a format byte (1), the
 * number of counters (one byte), then per counter an unsigned LEB128
 * varint (little-endian groups of 7 bits, shortest form): COUNT its value;
 * SUM its zigzag encoding; FIRST/LAST_DAY 0 for no day, else zigzag(day) +
 * 1; DISTINCT the number n of hashes kept, then n hashes of 8 bytes
 * little-endian, ascending.  A built-in policy's tally stays under 256
 * bytes even with full sketches and counts near INT64_MAX.
 * odr_tally_encode returns the bytes needed and writes nothing when outlen
 * is smaller; odr_tally_decode refuses (ODR_ERR_SYNTAX, with a message)
 * another format, another number of counters, a truncated or overlong
 * varint, a COUNT above INT64_MAX, a day outside the dates, more than k
 * hashes, hashes zero or not strictly ascending, trailing bytes. */
size_t		odr_tally_encoded_size(const OdrPolicyDef *p, const OdrTally *t);
size_t		odr_tally_encode(const OdrPolicyDef *p, const OdrTally *t,
							 unsigned char *out, size_t outlen);
OdrStatus	odr_tally_decode(const OdrPolicyDef *p, const unsigned char *in,
							 size_t len, OdrTally *t, OdrError *err);
/* odr_tally_decode into a short tally: writes only its odr_tally_size(p)
 * bytes (t full-size: the cells after them are left as they are). */
OdrStatus	odr_tally_decode_short(const OdrPolicyDef *p, const unsigned char *in,
								   size_t len, OdrTally *t, OdrError *err);

/* ------------------------------------------------------------------ */
/* Windows                                                              */
/* ------------------------------------------------------------------ */

/* The days [*first, *last] of a plain window (not BY_VOLUME) evaluated on
 * `day`; LIFETIME's first is INT64_MIN.  ODR_ERR_RANGE when `day` or the
 * window lies outside ODR_ENG_MIN_DAY .. ODR_ENG_MAX_DAY.  With d = day -
 * lag: DAYS [d - length + 1, d]; MONTHS from the 1st of the month `length`
 * months before d's to the last day of the month before d's (eBay M2.2:
 * 2014-08-20, 3 months: 2014-05-01 .. 2014-07-31); WEEKS the `length` whole
 * Monday-Sunday weeks before d's week; QUARTERS likewise with calendar
 * quarters (Jan-Mar, ...); MONTH_TO_DATE from the 1st of the month `length`
 * months before d's to d; LIFETIME up to d.  A BY_VOLUME window is
 * ODR_ERR_INVALID here (its days depend on the tallies). */
OdrStatus	odr_window_days(const OdrWindowDef *w, int64_t day,
							int64_t *first, int64_t *last, OdrError *err);
/* The days of plain window w of p on `day`: odr_window_days, and for a
 * BUSINESS_DAYS window (d = day - lag) last = d and first the `length`-th
 * working day of p->business[w] counting back from d (d itself counts when
 * it is a working day): the days off inside the window belong to it, those
 * before its first working day do not.  ODR_ERR_RANGE as above. */
OdrStatus	odr_policy_window_days(const OdrPolicyDef *p, int w, int64_t day,
								   int64_t *first, int64_t *last, OdrError *err);
/* Whether `day` is a working day of calendar c of p. */
bool		odr_business_day(const OdrPolicyDef *p, const OdrBusinessCalendar *c,
							 int64_t day);

/* ------------------------------------------------------------------ */
/* Evaluation                                                           */
/* ------------------------------------------------------------------ */

typedef enum OdrTri
{
	ODR_NA = 0,					/* not measured: neither met nor failed */
	ODR_MET,
	ODR_FAILED
} OdrTri;

typedef struct OdrMetricValue
{
	bool		measured;
	bool		at_least;		/* DISTINCT at its k: the value is a lower
								 * bound */
	OdrRational value;
} OdrMetricValue;

typedef struct OdrComparisonResult
{
	bool		applies;
	OdrTri		state;			/* NA when the metric is not measured */
} OdrComparisonResult;

typedef struct OdrEvaluation
{
	int			window_chosen[ODR_ENG_MAX_WINDOWS];	/* BY_VOLUME: the plain
													 * window used */
	OdrMetricValue metrics[ODR_ENG_MAX_METRICS];
	OdrComparisonResult comparisons[ODR_ENG_MAX_COMPARISONS];
	OdrTri		standards[ODR_ENG_MAX_STANDARDS];
	int			level;			/* index into levels */
	/* the standard that decided: for an ANY_FAILED level, the first (by
	 * index) that failed; otherwise the first standard not met of the next
	 * level up — the lowest-ranked ALL_MET level ranked above the chosen one
	 * that did not apply (Walmart: what holds a seller below the next
	 * badge; AliExpress `fail`: the cap of `pass`); -1 when there is none
	 * (the best level) */
	int			deciding_standard;
} OdrEvaluation;

/*
 * Evaluate on `day` given one tally per window (tallies[w] for plain
 * windows; a BY_VOLUME window reads its primary's and fallback's, its own
 * entry is not read).  The policy must be prepared.
 *   metric      measured unless a RATE / AVERAGE has an empty denominator
 *               or a DAYS_SINCE counter has no day; COUNT, SUM, DISTINCT
 *               are always measured (0 is a value).
 *   comparison  applies as documented at OdrComparisonDef; its state is NA
 *               when it does not apply or its metric is not measured, else
 *               MET or FAILED (after its rounding).
 *   standard    MET when an applicable comparison is MET, FAILED when every
 *               applicable comparison FAILED (and one applies), else NA
 *               (none applies, or some is unmeasured and none is met).
 *   level       the first in order that applies: ALL_MET when each of its
 *               standards is MET (NA does not count as met), ANY_FAILED
 *               when one is FAILED, OTHERWISE always.
 * ODR_ERR_RANGE for a day outside the dates, ODR_ERR_OVERFLOW when an
 * average's denominator passes int64 (count x ODR_ENG_VALUE_SCALE).
 */
OdrStatus	odr_policy_evaluate(const OdrPolicyDef *p, int64_t day,
								const OdrTally *tallies, OdrEvaluation *out,
								OdrError *err);

/*
 * What would meet a failed comparison, all else equal (the other counters,
 * the window chosen): the least n, found by searching n with the
 * comparison itself (rounding included), so it is exact.
 *   RATE cap (LT/LE)    MORE_ROWS, alternative FEWER_EVENTS
 *   RATE floor (GT/GE)  MORE_GOOD_ROWS
 *   COUNT, DISTINCT     cap: FEWER_EVENTS; floor: MORE_GOOD_ROWS (n more
 *                       rows, or distinct buyers, counted); DISTINCT at
 *                       its k: UNKNOWN
 *   SUM                 floor: MORE_VALUE; cap: UNKNOWN
 *   DAYS_SINCE          floor: WAIT_DAYS; cap: UNREACHABLE
 *   AVERAGE             UNKNOWN
 * A kind with no n that works is UNREACHABLE.  NONE when the comparison
 * does not apply, holds, or its metric is not measured.
 */
typedef enum OdrAdviceKind
{
	ODR_ADVICE_NONE = 0,		/* already holds, or does not apply */
	ODR_ADVICE_MORE_ROWS,		/* n more denominator rows without the
								 * numerator's events (good orders) */
	ODR_ADVICE_MORE_GOOD_ROWS,	/* n more rows counted by the numerator
								 * (and the denominator, for a rate: GE on
								 * a rate: tracked packages, answered
								 * messages; a COUNT / DISTINCT floor) */
	ODR_ADVICE_FEWER_EVENTS,	/* n fewer numerator rows (or distinct
								 * buyers) */
	ODR_ADVICE_MORE_VALUE,		/* SUM: n more (fixed point, 1/10000) */
	ODR_ADVICE_WAIT_DAYS,		/* DAYS_SINCE: n more days */
	ODR_ADVICE_UNREACHABLE,		/* no such n (a cap of 0 by orders) */
	ODR_ADVICE_UNKNOWN			/* not computed (AVERAGE: depends on the
								 * values to come; DISTINCT at its k) */
} OdrAdviceKind;

typedef struct OdrAdvice
{
	OdrAdviceKind kind;
	int64_t		n;
	OdrAdviceKind alternative_kind;	/* a second way, when there is one */
	int64_t		alternative_n;
} OdrAdvice;

OdrStatus	odr_comparison_advise(const OdrPolicyDef *p, int comparison,
								  const OdrEvaluation *ev,
								  const OdrTally *tallies, OdrAdvice *out,
								  OdrError *err);

#endif							/* ODR_ENGINE_CORE_H */
