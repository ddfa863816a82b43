/*
 * marketplace_internal.h — what src/marketplace.c shares with the other
 * marketplace files (src/assess_at.c): the compiled marketplace and the
 * helpers of the assessment.  Internal to the module: hidden from other
 * shared objects, so no symbol of the server can stand in for one of them.
 */
#ifndef ODR_MARKETPLACE_INTERNAL_H
#define ODR_MARKETPLACE_INTERNAL_H

#include "odr.h"

#include "lib/stringinfo.h"
#include "utils/date.h"

#include "engine/engine_core.h"

#if defined(__GNUC__) || defined(__clang__)
#define ODR_INTERNAL __attribute__((visibility("hidden")))
#else
#define ODR_INTERNAL
#endif

/* ------------------------------------------------------------------ */
/* A compiled marketplace (src/marketplace.c reads it from the tables)  */
/* ------------------------------------------------------------------ */

typedef enum MktEvaluated
{
	MKT_DAILY = 0,
	MKT_MONTH_END,
	MKT_DAY_OF_MONTH
} MktEvaluated;

typedef enum MktEffective
{
	MKT_SAME_DAY = 0,
	MKT_NEXT_DAY,
	MKT_NEXT_MONTH_FIRST
} MktEffective;

typedef struct Mkt
{
	char		name[ODR_ENG_NAME_LEN];
	uint32		shape;			/* hash of the date bases, events, values */
	uint32		fingerprint;	/* hash of what a tally's layout depends on */
	char		bases[ODR_ENG_MAX_BASES][ODR_ENG_NAME_LEN];
	char		events[ODR_ENG_MAX_EVENTS][ODR_ENG_NAME_LEN];
	char		values[ODR_ENG_MAX_VALUES][ODR_ENG_NAME_LEN];
	MktEvaluated evaluated;
	int			evaluation_day;
	MktEffective effective;
	char		level_desc[ODR_ENG_MAX_LEVELS][128];
	uint64		generation;		/* which load of the backend (0: none):
								 * copies of one load are alike */
	OdrPolicyDef def;
} Mkt;

/* An assessment's state: the tallies of one as-of day's windows (its
 * layout is private to src/marketplace.c). */
typedef struct AssessState AssessState;

/* An odr_order value (detoasted); its layout is private too. */
typedef struct OrderV OrderV;

/* the marketplace named by argument argno (22004 when NULL, 22023 when
 * unknown), or by name; compiled once per call site and query */
ODR_INTERNAL extern const Mkt *marketplace_arg(FunctionCallInfo fcinfo, int argno, const char *argname);
ODR_INTERNAL extern const Mkt *marketplace_for(FunctionCallInfo fcinfo, const char *name);
/* whether argument argno names marketplace m (compared in place) */
ODR_INTERNAL extern bool arg_names_marketplace(FunctionCallInfo fcinfo, int argno, const Mkt *m);

/* an order's facts as an engine row (22023 when built for another
 * marketplace) */
ODR_INTERNAL extern void order_row(const OrderV *o, const Mkt *m, OdrEngRow *row);

/* whether a window is plain (its days do not depend on the tallies) */
ODR_INTERNAL extern bool plain(const OdrWindowDef *w);

/* a new state for as_of: empty tallies, each plain window's days (22023
 * for an infinite as_of or a window outside the dates) */
ODR_INTERNAL extern AssessState *assess_new(MemoryContext cxt, const Mkt *m, DateADT as_of);
/* the tally of window w of a state */
ODR_INTERNAL extern OdrTally *assess_tally(const AssessState *st, int w);
/* the body of an odr_standing (and of a serialised state) */
ODR_INTERNAL extern void put_body(StringInfo s, const AssessState *st);

/* raise what the engine reported */
ODR_NORETURN ODR_INTERNAL extern void engine_fail(OdrStatus st, const OdrError *err);

/* an odr_tally body: header checks; little-endian reads */
ODR_INTERNAL extern void tally_check(const unsigned char *p, Size len, int sqlstate);
ODR_INTERNAL extern uint32 get_le(const unsigned char *p, int bytes);

#endif							/* ODR_MARKETPLACE_INTERNAL_H */
