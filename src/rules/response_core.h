/*
 * response_core.h — the 1688 3-minute response rate (rule S4 of
 * shared/rules.md) in plain C (no PostgreSQL headers).
 *
 * The aggregate odr_response_rate collects one compact record per message of
 * a group (a seller) in an OdrResp state, in any order; combine merges two
 * states; the final step sorts the records by conversation (buyer) and time
 * and applies S4:
 *
 *   - per buyer and per local day (the seller's zone), only the buyer's first
 *     message of the day can count;
 *   - it counts when it arrives at or after 09:00 and before 21:00 local
 *     time; when the first message of a day is outside those hours, no
 *     message of that buyer on that day counts;
 *   - a counted message is answered when a human seller message of the same
 *     conversation follows within 3 minutes: at the same instant or later,
 *     at most 3:00 after it (both ends inclusive).
 *
 * Automatic replies and official messages never reach the state (the glue
 * drops them: they are neither questions nor answers), so a record is a
 * buyer message or a human seller message.
 *
 * Converting an instant to a local day and time of day is the caller's job
 * (a callback, PostgreSQL's time zone code in the glue): the core only
 * compares local days and times, so DST and half-hour zones are whatever the
 * callback says.
 *
 * Memory: the state allocates through a realloc-like callback (the
 * aggregate's memory context in the glue, realloc in the unit tests).  Each
 * kept message costs one 16-byte record; each distinct buyer key is stored
 * once (interned: its bytes, a 12-byte entry and two to four 4-byte hash
 * slots), and records refer to buyers by index, so two buyers never share a
 * conversation whatever their hashes.  Arrays grow by doubling.
 */
#ifndef RESPONSE_CORE_H
#define RESPONSE_CORE_H

#include "odr_core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* S4 rule constants (microseconds, as PostgreSQL timestamps count) */
#define ODR_RESP_USECS_PER_SEC		INT64_C(1000000)
#define ODR_RESP_OPEN_USEC		(INT64_C(9) * 3600 * ODR_RESP_USECS_PER_SEC)	/* 09:00 */
#define ODR_RESP_CLOSE_USEC		(INT64_C(21) * 3600 * ODR_RESP_USECS_PER_SEC)	/* 21:00 */
#define ODR_RESP_WITHIN_USEC		(INT64_C(180) * ODR_RESP_USECS_PER_SEC)	/* 3:00 */

/* Longest zone name kept in a state (PostgreSQL's TZ_STRLEN_MAX). */
#define ODR_RESP_ZONE_MAX		255

/* Who wrote a kept message.  At the same instant a buyer sorts first. */
typedef enum OdrRespKind
{
	ODR_RESP_BUYER = 0,			/* a buyer's (human) message */
	ODR_RESP_SELLER = 1			/* a seller's human reply */
} OdrRespKind;

/* One kept message: 16 bytes. */
typedef struct OdrRespMsg
{
	int64_t		t;				/* the instant (PostgreSQL timestamptz:
								 * microseconds since 2000-01-01 UTC) */
	uint32_t	buyer;			/* index of the interned buyer key */
	uint32_t	kind;			/* OdrRespKind */
} OdrRespMsg;

/* An interned buyer key: where its bytes are in OdrResp.keys. */
typedef struct OdrRespBuyer
{
	uint32_t	off;
	uint32_t	len;
	uint32_t	hash;
} OdrRespBuyer;

/*
 * realloc-like allocator: ptr NULL allocates, otherwise resizes keeping the
 * contents.  Returns NULL on failure (the PostgreSQL one raises an error
 * instead).  Memory is never freed one piece at a time: the aggregate's
 * memory context is reset as a whole.
 */
typedef void *(*OdrRespAllocFn) (void *arg, void *ptr, size_t size);

typedef struct OdrResp
{
	OdrRespAllocFn alloc;
	void	   *alloc_arg;

	/* the zone every row of the group named, as the glue canonicalised it */
	char		zone[ODR_RESP_ZONE_MAX + 1];
	uint32_t	zone_len;

	/* kept messages, in arrival order until sorted */
	OdrRespMsg *msgs;
	size_t		nmsgs;
	size_t		msgs_cap;
	bool		sorted;			/* msgs sorted by (buyer, t, kind) */

	/* interned buyer keys */
	char	   *keys;			/* every key's bytes, back to back */
	size_t		keys_len;
	size_t		keys_cap;
	OdrRespBuyer *buyers;
	uint32_t	nbuyers;
	uint32_t	buyers_cap;
	uint32_t   *slots;			/* open addressing: buyer index + 1, 0 = empty */
	uint32_t	nslots;			/* a power of two, at least 2 x nbuyers */
} OdrResp;

/* The S4 numbers (the defaults above; tests may use others). */
typedef struct OdrRespRules
{
	int64_t		open_usec;		/* first local time of day that counts */
	int64_t		close_usec;		/* first local time of day that no longer
								 * counts */
	int64_t		within_usec;	/* longest time to a reply that is in time */
} OdrRespRules;

extern const OdrRespRules odr_resp_default_rules;

/* The counts S4 divides. */
typedef struct OdrRespCounts
{
	int64_t		counted;		/* buyer-days whose first message counts */
	int64_t		answered;		/* of those, answered in time */
} OdrRespCounts;

/*
 * Local calendar of an instant: the local day (any day number that increases
 * by one per local calendar day, e.g. a Julian day) and the microseconds
 * since local midnight.
 */
typedef void (*OdrRespLocalFn) (void *arg, int64_t t, int32_t *day,
								int64_t *usec_of_day);

/* An empty state (no zone, no messages). */
void		odr_resp_init(OdrResp *r, OdrRespAllocFn alloc, void *alloc_arg);

/* Set the group's zone name (ODR_ERR_RANGE when longer than ODR_RESP_ZONE_MAX). */
OdrStatus	odr_resp_set_zone(OdrResp *r, const char *zone, size_t len,
							  OdrError *err);

/* Whether the state's zone is exactly these bytes. */
bool		odr_resp_zone_is(const OdrResp *r, const char *zone, size_t len);

/*
 * The role named by a sender value: 'buyer' or 'seller' in any letter case
 * (ASCII), nothing else (no trimming).  Returns ODR_RESP_BUYER,
 * ODR_RESP_SELLER, or -1 for anything else.
 */
int			odr_resp_sender_from_name(const char *name, size_t len);

/*
 * Keep one message: a buyer message or a human seller reply, in the
 * conversation with the buyer whose key is buyer[0..len).
 */
OdrStatus	odr_resp_add(OdrResp *r, const char *buyer, size_t len,
						 int64_t t, OdrRespKind kind, OdrError *err);

/*
 * Append every message of src to dst (buyer keys re-interned in dst).  The
 * zones must be equal (ODR_ERR_INVALID otherwise); an empty dst zone takes
 * src's.
 */
OdrStatus	odr_resp_merge(OdrResp *dst, const OdrResp *src, OdrError *err);

/* Sort the messages by (buyer, t, kind); a no-op when already sorted. */
void		odr_resp_sort(OdrResp *r);

/*
 * Apply S4 to the messages (sorting them first; through odr_resp_walk).  Sorting in place leaves
 * the set of messages unchanged, so adding and evaluating again is fine.
 */
void		odr_resp_evaluate(OdrResp *r, const OdrRespRules *rules,
							  OdrRespLocalFn local, void *local_arg,
							  OdrRespCounts *out);

/*
 * The shared walk: one call per buyer message, in (buyer index, t) order,
 * with the first human seller message of the same conversation sent at the
 * same instant or later, if any (answered false, answered_t 0 when none).
 * Two buyer messages before one reply both get that reply; a seller message
 * before a buyer message is no answer to it; buyers never answer each
 * other.  S4 (odr_resp_evaluate) and the reply pairing (odr_resp_pair, the
 * Walmart seller response of M3.1) both read the records through it.
 */
typedef void (*OdrRespPairFn) (void *arg, uint32_t buyer, int64_t received_t,
							   bool answered, int64_t answered_t);

void		odr_resp_walk(OdrResp *r, OdrRespPairFn fn, void *arg);

/*
 * Renumber the interned buyers so that index order is the byte order of
 * their keys (memcmp; a key before every longer key it begins); the
 * messages follow.  The state keeps the same buyers and messages, so this is
 * idempotent and a serial and a parallel run (which intern in different
 * orders) then walk in the same order.  ODR_ERR_RANGE when out of memory.
 */
OdrStatus	odr_resp_order_buyers(OdrResp *r, OdrError *err);

/*
 * Every buyer message with its answer (odr_resp_walk) in (buyer key bytes,
 * t) order: odr_resp_order_buyers, then the walk.
 */
OdrStatus	odr_resp_pair(OdrResp *r, OdrRespPairFn fn, void *arg, OdrError *err);

/* The key bytes of interned buyer b (b < nbuyers). */
static inline const char *
odr_resp_buyer_key(const OdrResp *r, uint32_t b, size_t *len)
{
	*len = r->buyers[b].len;
	return r->keys != NULL ? r->keys + r->buyers[b].off : "";
}

/* Whether a local time of day is within the counted hours of S4. */
static inline bool
odr_resp_in_hours(const OdrRespRules *rules, int64_t usec_of_day)
{
	return usec_of_day >= rules->open_usec && usec_of_day < rules->close_usec;
}

/*
 * Serialised form (between the processes of one server, so native byte
 * order): "ORS1", zone length and bytes, buyer count, each key's length and
 * bytes, message count, messages.
 */
size_t		odr_resp_serial_size(const OdrResp *r);
void		odr_resp_serialize(const OdrResp *r, unsigned char *buf);

/* Read a serialised state into r (initialised, empty).  ODR_ERR_SYNTAX when malformed. */
OdrStatus	odr_resp_deserialize(OdrResp *r, const unsigned char *buf,
								 size_t len, OdrError *err);

/* Bytes the state holds (its arrays' capacities), for the docs and tests. */
size_t		odr_resp_memory(const OdrResp *r);

#endif							/* RESPONSE_CORE_H */
