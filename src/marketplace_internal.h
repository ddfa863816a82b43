/*
 * marketplace_internal.h — what the layers of the engine's SQL side share
 * (src/facts/order.c, src/summary/tally.c, src/policy/marketplace.c,
 * assess.c, standing.c, assess_at.c, src/calendar/evaluations.c): the
 * compiled marketplace, an order's and a state's layout, and the
 * helpers of the assessment.  Internal to the module: hidden from other
 * shared objects, so no symbol of the server can stand in for one of them.
 */
#ifndef ODR_MARKETPLACE_INTERNAL_H
#define ODR_MARKETPLACE_INTERNAL_H

#include "odr.h"

#include "lib/stringinfo.h"
#include "utils/date.h"

#include "engine_core.h"

#if defined(__GNUC__) || defined(__clang__)
#define ODR_INTERNAL __attribute__((visibility("hidden")))
#else
#define ODR_INTERNAL
#endif

/* ------------------------------------------------------------------ */
/* A compiled marketplace (src/policy/marketplace.c reads the tables)   */
/* ------------------------------------------------------------------ */

typedef enum MktEvaluated
{
	MKT_DAILY = 0,
	MKT_MONTH_END,
	MKT_DAY_OF_MONTH,
	MKT_WEEKLY,					/* evaluation_day: ISO weekday, Monday 1 */
	MKT_QUARTER_END				/* 31 Mar, 30 Jun, 30 Sep, 31 Dec */
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
 * layout is below). */
typedef struct AssessState AssessState;

/* An odr_order value (detoasted; its layout is below). */
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

/* ------------------------------------------------------------------ */
/* Shared by the layers of the engine's SQL side                        */
/* ------------------------------------------------------------------ */

/* src/policy/marketplace.c: the names of metric kinds and comparison
 * operators, as the tables spell them (NULL-terminated) */
ODR_INTERNAL extern const char *const metric_kinds[];
ODR_INTERNAL extern const char *const cmp_ops[];

/* src/facts/order.c: an odr_order value: a version, its number of date
 * bases and of values, the marketplace's shape (a hash of its date bases,
 * events and values), its events, its buyer's hash, then its values (fixed
 * point) and its days */
struct OrderV
{
	int32		vl_len_;
	uint8		version;
	uint8		nbases;
	uint8		nvalues;
	uint8		reserved;
	uint32		shape;
	uint64		events;
	uint64		buyer;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* values, then days (int64) */
};

/* an order's day on a basis it does not have; the days
 * an order may have: 0001-01-01 .. the end of the dates (the text form
 * writes years of four or more digits, no BC) */
#define ORDER_NO_DAY PG_INT32_MIN
#define ORDER_DAY_OK(d) ((d) >= -730119 && IS_VALID_DATE(d))
#define PG_GETARG_ORDER_P(n) ((OrderV *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* src/policy/assess.c */
/*
 * The state of odr_assess, one per group, sized to the marketplace's policy
 * (issue 14: a group's memory is what its policy needs, not the engine's
 * maximum): a tally of odr_tally_size(&m->def) bytes for each plain window
 * only (a by_volume window reads its primary's and fallback's), packed
 * after the header in tallies[].  Get one from assess_new / assess_alloc
 * (never declare one: it would have no room for its tallies; an
 * aggregate's is packed by state_alloc: never pfree it); reach window w's
 * tally with assess_tally(st, w); copy it by assess_size(st->m) bytes.
 * The tallies are short (engine_core.h, OdrTally): hand them to the tally
 * functions only; assess_expand widens them for odr_policy_evaluate.
 */
struct AssessState
{
	const Mkt  *m;
	DateADT		as_of;
	uint16		tally_size;		/* odr_tally_size(&m->def): a tally's bytes */
	uint8		ntallies;		/* the plain windows */
	int8		tally_of[ODR_ENG_MAX_WINDOWS];	/* window -> its tally in
												 * tallies[], -1: by_volume */
	int64		first[ODR_ENG_MAX_WINDOWS];
	int64		last[ODR_ENG_MAX_WINDOWS];
	int64		tallies[FLEXIBLE_ARRAY_MEMBER];	/* ntallies x tally_size
												 * bytes */
};

/* A standing read back whole: full-size tallies, one per window (a
 * by_volume window's empty), as odr_policy_evaluate and
 * odr_comparison_advise index them. */
typedef struct AssessFull
{
	const Mkt  *m;
	DateADT		as_of;
	int64		first[ODR_ENG_MAX_WINDOWS];
	int64		last[ODR_ENG_MAX_WINDOWS];
	OdrTally	t[ODR_ENG_MAX_WINDOWS];
} AssessFull;

/* size zeroed bytes in cxt for an aggregate state of one group, packed with
 * the others of cxt (never pfree'd) */
ODR_INTERNAL extern void *state_alloc(MemoryContext cxt, Size size);
/* a state of m in cxt, its tallies empty (packed: for an aggregate) */
ODR_INTERNAL extern AssessState *assess_alloc(MemoryContext cxt, const Mkt *m, bool packed);
/* st widened into out, full-size tallies (for evaluation) */
ODR_INTERNAL extern void assess_expand(const AssessState *st, AssessFull *out);
/* the state of a transition of odr_assess (over orders or tallies): new
 * on a group's first row, else the group's (22023 when a row brings
 * another marketplace or as_of; 22004 for a NULL as_of) */
ODR_INTERNAL extern AssessState *assess_transition_state(FunctionCallInfo fcinfo, const char *fname);
/* little-endian writes */
ODR_INTERNAL extern void put_le(StringInfo s, uint32 v, int bytes);
/* a standing's body: the marketplace it names; read into st; header checks */
ODR_INTERNAL extern char *body_name(const unsigned char *p, Size len, int sqlstate);
ODR_INTERNAL extern void get_body(const unsigned char *p, Size len, AssessState *st, int sqlstate);
ODR_INTERNAL extern void standing_check(const unsigned char *p, Size len, int sqlstate);
/* the hex text forms of odr_standing and odr_tally */
ODR_INTERNAL extern char *hex_text_out(const bytea *b);
ODR_INTERNAL extern bytea *hex_text_in(const char *str, const char *type_name);

/* src/policy/standing.c */
typedef struct Reading
{
	AssessFull	st;
	OdrEvaluation ev;
} Reading;
/* the standing of argument argno, evaluated (read only, until the caller
 * returns) */
ODR_INTERNAL extern const Reading *read_standing(FunctionCallInfo fcinfo, int argno);
/* an exact decimal as numeric */
ODR_INTERNAL extern Datum decimal_numeric(OdrDecimal d);

#endif							/* ODR_MARKETPLACE_INTERNAL_H */
