/*
 * response.c — PostgreSQL glue of the 1688 3-minute response rate (S4):
 *
 *   odr_response_rate(buyer text, sent_at timestamptz, sender text,
 *                     is_auto_reply boolean, is_official boolean, zone text) -> float8
 *   odr_response_counted(...same...) -> bigint
 *   odr_response_answered(...same...) -> bigint
 *   odr_in_response_hours(sent_at timestamptz, zone text) -> boolean
 *   odr_message_replies(buyer text, sent_at timestamptz, sender text,
 *                       is_auto_reply boolean, is_official boolean) -> odr_message_reply[]
 *
 * The three aggregates share one transition function (so PostgreSQL shares
 * one state between them in a query): it keeps a 16-byte record per buyer
 * message and per human seller reply (src/rules/response_core.c); the final
 * functions sort the records and apply S4, converting instants to the
 * seller's local day and time with PostgreSQL's time zone code.
 *
 * odr_message_replies (the Walmart seller response, rules.md M3.1) keeps the
 * same records in the same state, with no zone (it pairs by elapsed time),
 * through a transition function of its own (five arguments, stricter about
 * NULLs: every buyer message counts) and the same combine, serialise and
 * deserialise functions; its final function gives every buyer message with
 * its first human answer (odr_resp_pair).
 */
#include "odr.h"

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "response_core.h"

/* The aggregate state: the core's records, and the counts once evaluated. */
typedef struct RespState
{
	OdrResp		r;
	bool		have_counts;	/* counts are those of r as it is */
	OdrRespCounts counts;
} RespState;

/* The core's allocator: the memory context the state was made in. */
static void *
resp_alloc(void *arg, void *ptr, size_t size)
{
	if (size == 0)
	{
		if (ptr != NULL)
			pfree(ptr);
		return NULL;
	}
	if (ptr == NULL)
		return MemoryContextAllocHuge((MemoryContext) arg, size);
	return repalloc_huge(ptr, size);
}

static RespState *
resp_state_new(MemoryContext cxt)
{
	RespState  *st = MemoryContextAllocZero(cxt, sizeof(RespState));

	odr_resp_init(&st->r, resp_alloc, cxt);
	return st;
}

ODR_NORETURN static void
resp_raise(OdrStatus status, const OdrError *err)
{
	ereport(ERROR,
			(errcode(status == ODR_ERR_INVALID ? ERRCODE_INVALID_PARAMETER_VALUE :
					 status == ODR_ERR_RANGE ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
					 ERRCODE_DATA_CORRUPTED),
			 errmsg("%s", err->message),
			 err->detail[0] ? errdetail("%s", err->detail) : 0));
	pg_unreachable();
}

/* A text argument for an error message: at most 64 bytes of it. */
static char *
clipped(text *t)
{
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len > 64)
		len = pg_mbcliplen(VARDATA_ANY(t), len, 64);
	return pnstrdup(VARDATA_ANY(t), len);
}

/* The time zone a zone argument names; 22023 when none. */
static pg_tz *
resp_zone(text *zone)
{
	char		name[TZ_STRLEN_MAX + 1];
	int			len = VARSIZE_ANY_EXHDR(zone);
	pg_tz	   *tz = NULL;

	if (len > 0 && len <= TZ_STRLEN_MAX)
	{
		text_to_cstring_buffer(zone, name, sizeof(name));
		tz = pg_tzset(name);
	}
	if (tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone \"%s\" is not a recognized time zone", clipped(zone)),
				 errdetail("A zone is a time zone name PostgreSQL knows (pg_timezone_names); abbreviations such as CST are not accepted, as they are ambiguous and ignore daylight saving time."),
				 errhint("Pass the seller's time zone by name, such as 'Asia/Shanghai'.")));
	return tz;
}

/* The local day (Julian day) and time of day of an instant in the zone. */
static void
resp_local(void *arg, int64_t t, int32_t *day, int64_t *usec_of_day)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;

	if (timestamp2tm((TimestampTz) t, &tzoff, &tm, &fsec, NULL, (pg_tz *) arg) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	*day = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday);
	*usec_of_day = ((int64) ((tm.tm_hour * MINS_PER_HOUR + tm.tm_min) * SECS_PER_MINUTE + tm.tm_sec))
		* USECS_PER_SEC + fsec;
}

/* A finite sent_at; 22008 otherwise. */
static TimestampTz
resp_sent_at(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("sent_at must be a finite timestamp, not %s",
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
	return t;
}

/* The role a sender names: 'buyer' or 'seller' in any letter case; 22023 otherwise. */
static OdrRespKind
resp_sender_kind(text *sender)
{
	int			kind = odr_resp_sender_from_name(VARDATA_ANY(sender), VARSIZE_ANY_EXHDR(sender));

	if (kind < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sender \"%s\"", clipped(sender)),
				 errdetail("A sender is 'buyer' or 'seller' (in any letter case)."),
				 errhint("Mark messages of the platform's official accounts with is_official = true: they are ignored whatever their sender.")));
	return (OdrRespKind) kind;
}

/* The first row's zone starts the state; every later row must name the same zone. */
static RespState *
resp_transition_state(FunctionCallInfo fcinfo, text *zone)
{
	MemoryContext aggcxt;
	RespState  *st;
	const char *name;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("odr_response_transfn can only be called as part of an aggregate")));
	if (PG_ARGISNULL(0))
	{
		OdrError	err;
		OdrStatus	status;

		name = pg_get_timezone_name(resp_zone(zone));
		st = resp_state_new(aggcxt);
		status = odr_resp_set_zone(&st->r, name, strlen(name), &err);
		if (status != ODR_OK)
			resp_raise(status, &err);
		return st;
	}
	st = (RespState *) PG_GETARG_POINTER(0);
	/* the usual case: the same text as the first row (the canonical name) */
	if (odr_resp_zone_is(&st->r, VARDATA_ANY(zone), VARSIZE_ANY_EXHDR(zone)))
		return st;
	/* another spelling of the same zone ('asia/shanghai') is the same zone */
	name = pg_get_timezone_name(resp_zone(zone));
	if (!odr_resp_zone_is(&st->r, name, strlen(name)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone must be the same for every row of a group"),
				 errdetail("The group started with zone \"%s\" and a row has zone \"%s\".",
						   st->r.zone, clipped(zone)),
				 errhint("The zone is the seller's: group by seller, or pass one zone per seller.")));
	return st;
}

/* odr_response_rate / _counted / _answered transition: one message row */
PG_FUNCTION_INFO_V1(odr_response_transfn);
Datum
odr_response_transfn(PG_FUNCTION_ARGS)
{
	RespState  *st;
	text	   *sender;
	OdrRespKind kind;
	TimestampTz t;
	text	   *buyer;
	OdrError	err;
	OdrStatus	status;

	if (PG_ARGISNULL(6))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("zone must not be NULL"),
				 errhint("Pass the seller's time zone by name, such as 'Asia/Shanghai'.")));
	st = resp_transition_state(fcinfo, PG_GETARG_TEXT_PP(6));

	/* official messages are ignored entirely, whatever their sender */
	if (!PG_ARGISNULL(5) && PG_GETARG_BOOL(5))
		PG_RETURN_POINTER(st);
	/* a row with no sender is skipped */
	if (PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	sender = PG_GETARG_TEXT_PP(3);
	kind = resp_sender_kind(sender);
	/* a row with no time or no buyer is skipped */
	if (PG_ARGISNULL(2) || PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	t = resp_sent_at(PG_GETARG_TIMESTAMPTZ(2));
	/* an automatic message is neither a question nor an answer */
	if (!PG_ARGISNULL(4) && PG_GETARG_BOOL(4))
		PG_RETURN_POINTER(st);

	buyer = PG_GETARG_TEXT_PP(1);
	status = odr_resp_add(&st->r, VARDATA_ANY(buyer), VARSIZE_ANY_EXHDR(buyer), t,
						  kind, &err);
	if (status != ODR_OK)
		resp_raise(status, &err);
	st->have_counts = false;
	PG_RETURN_POINTER(st);
}

/* combine: append the right state's messages to the left's */
PG_FUNCTION_INFO_V1(odr_response_combinefn);
Datum
odr_response_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RespState  *a,
			   *b;
	OdrError	err;
	OdrStatus	status;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_response_combinefn called outside an aggregate");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	b = (RespState *) PG_GETARG_POINTER(1);
	/* a NULL left: copy the right state into the aggregate's context */
	a = PG_ARGISNULL(0) ? resp_state_new(aggcxt) : (RespState *) PG_GETARG_POINTER(0);
	status = odr_resp_merge(&a->r, &b->r, &err);
	if (status != ODR_OK)
		resp_raise(status, &err);
	a->have_counts = false;
	PG_RETURN_POINTER(a);
}

/* serialise (parallel query): see odr_resp_serialize */
PG_FUNCTION_INFO_V1(odr_response_serialfn);
Datum
odr_response_serialfn(PG_FUNCTION_ARGS)
{
	RespState  *st = (RespState *) PG_GETARG_POINTER(0);
	size_t		len = odr_resp_serial_size(&st->r);
	bytea	   *out;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "odr_response_serialfn called outside an aggregate");
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("odr_response_rate state of %zu messages is too large to pass between parallel workers",
						st->r.nmsgs),
				 errdetail("A parallel worker's state of one group must fit in 1 GB (about 60 million messages)."),
				 errhint("Group more finely, or run the query without parallel workers (SET max_parallel_workers_per_gather = 0).")));
	out = palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	odr_resp_serialize(&st->r, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* deserialise (parallel query) */
PG_FUNCTION_INFO_V1(odr_response_deserialfn);
Datum
odr_response_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	RespState  *st;
	OdrError	err;
	OdrStatus	status;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "odr_response_deserialfn called outside an aggregate");
	st = resp_state_new(CurrentMemoryContext);
	status = odr_resp_deserialize(&st->r, (const unsigned char *) VARDATA_ANY(in),
								  VARSIZE_ANY_EXHDR(in), &err);
	if (status != ODR_OK)
		resp_raise(status, &err);
	PG_RETURN_POINTER(st);
}

/*
 * The S4 counts of a state (NULL state: no rows, nothing counted).  The
 * records are sorted in place: the state keeps the same messages, so the
 * three final functions can share it and a window aggregate can go on
 * adding rows afterwards.
 */
static OdrRespCounts
resp_counts(FunctionCallInfo fcinfo)
{
	RespState  *st;
	OdrRespCounts none = {0, 0};

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "odr_response final function called outside an aggregate");
	if (PG_ARGISNULL(0))
		return none;
	st = (RespState *) PG_GETARG_POINTER(0);
	if (!st->have_counts)
	{
		pg_tz	   *tz = pg_tzset(st->r.zone);

		if (tz == NULL)
			elog(ERROR, "odr_response: time zone \"%s\" of the state not found", st->r.zone);
		odr_resp_evaluate(&st->r, &odr_resp_default_rules, resp_local, tz, &st->counts);
		st->have_counts = true;
	}
	return st->counts;
}

/* odr_response_rate final: answered / counted, NULL when nothing counts */
PG_FUNCTION_INFO_V1(odr_response_rate_finalfn);
Datum
odr_response_rate_finalfn(PG_FUNCTION_ARGS)
{
	OdrRespCounts c = resp_counts(fcinfo);

	if (c.counted == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c.answered / (double) c.counted);
}

/* odr_response_counted final: buyer-days whose first message counts */
PG_FUNCTION_INFO_V1(odr_response_counted_finalfn);
Datum
odr_response_counted_finalfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(resp_counts(fcinfo).counted);
}

/* odr_response_answered final: of those, answered by a human within 3 minutes */
PG_FUNCTION_INFO_V1(odr_response_answered_finalfn);
Datum
odr_response_answered_finalfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(resp_counts(fcinfo).answered);
}

/* odr_in_response_hours: whether an instant is in S4's counted local hours */
PG_FUNCTION_INFO_V1(odr_in_response_hours);
Datum
odr_in_response_hours(PG_FUNCTION_ARGS)
{
	TimestampTz t = resp_sent_at(PG_GETARG_TIMESTAMPTZ(0));
	pg_tz	   *tz = resp_zone(PG_GETARG_TEXT_PP(1));
	int32_t		day;
	int64_t		usec;

	resp_local(tz, t, &day, &usec);
	PG_RETURN_BOOL(odr_resp_in_hours(&odr_resp_default_rules, usec));
}

/* ------------------------------------------------------------------ */
/* odr_message_replies: each buyer message and its first human answer   */
/* (the Walmart seller response, rules.md M3.1, from the S4 records)    */
/* ------------------------------------------------------------------ */

/* An argument that must not be NULL: 22004 naming it. */
ODR_NORETURN static void
replies_null(const char *arg)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("%s must not be NULL", arg),
			 errdetail("Every buyer message counts (rules.md M3), so odr_message_replies skips no row it cannot place (the S4 aggregates skip rows with a NULL %s).", arg),
			 errhint("Filter such rows out with a WHERE, or mark messages of the platform's official accounts with is_official = true (they are ignored).")));
	pg_unreachable();
}

/* odr_message_replies transition: one message row (no zone: elapsed time) */
PG_FUNCTION_INFO_V1(odr_message_replies_transfn);
Datum
odr_message_replies_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RespState  *st;
	OdrRespKind kind;
	TimestampTz t;
	text	   *buyer;
	OdrError	err;
	OdrStatus	status;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("odr_message_replies_transfn can only be called as part of an aggregate")));
	st = PG_ARGISNULL(0) ? resp_state_new(aggcxt) : (RespState *) PG_GETARG_POINTER(0);

	/* official messages are ignored entirely, whatever else they hold (as S4) */
	if (!PG_ARGISNULL(5) && PG_GETARG_BOOL(5))
		PG_RETURN_POINTER(st);
	if (PG_ARGISNULL(3))
		replies_null("sender");
	kind = resp_sender_kind(PG_GETARG_TEXT_PP(3));
	if (PG_ARGISNULL(1))
		replies_null("buyer");
	if (PG_ARGISNULL(2))
		replies_null("sent_at");
	t = resp_sent_at(PG_GETARG_TIMESTAMPTZ(2));
	/* an automatic message is neither a question nor an answer (as S4) */
	if (!PG_ARGISNULL(4) && PG_GETARG_BOOL(4))
		PG_RETURN_POINTER(st);

	buyer = PG_GETARG_TEXT_PP(1);
	status = odr_resp_add(&st->r, VARDATA_ANY(buyer), VARSIZE_ANY_EXHDR(buyer), t, kind, &err);
	if (status != ODR_OK)
		resp_raise(status, &err);
	st->have_counts = false;
	PG_RETURN_POINTER(st);
}

/* The replies being built: one composite datum per buyer message. */
typedef struct RepliesOut
{
	const OdrResp *r;
	TupleDesc	tupdesc;
	Datum	   *elems;
	int			n;
	int			cap;
} RepliesOut;

static void
replies_add(void *arg, uint32_t buyer, int64_t received_t, bool answered, int64_t answered_t)
{
	RepliesOut *out = arg;
	Datum		values[3];
	bool		nulls[3] = {false, false, !answered};
	size_t		len;
	const char *key = odr_resp_buyer_key(out->r, buyer, &len);

	if (out->n == out->cap)
	{
		if (out->cap >= (int) MaxArraySize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("odr_message_replies: more than %d buyer messages in one group", (int) MaxArraySize),
					 errhint("Group more finely, e.g. by seller and month.")));
		out->cap = out->cap == 0 ? 64 : Min(out->cap * 2, (int) MaxArraySize);
		out->elems = out->elems == NULL ? palloc(sizeof(Datum) * out->cap)
			: repalloc_huge(out->elems, sizeof(Datum) * out->cap);
	}
	values[0] = PointerGetDatum(cstring_to_text_with_len(key, (int) len));
	values[1] = TimestampTzGetDatum((TimestampTz) received_t);
	values[2] = answered ? TimestampTzGetDatum((TimestampTz) answered_t) : (Datum) 0;
	out->elems[out->n++] = HeapTupleGetDatum(heap_form_tuple(out->tupdesc, values, nulls));
}

/*
 * odr_message_replies final: every buyer message with its first human
 * answer, ordered by buyer (key bytes) and time; an empty array when none.
 */
PG_FUNCTION_INFO_V1(odr_message_replies_finalfn);
Datum
odr_message_replies_finalfn(PG_FUNCTION_ARGS)
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	RepliesOut	out;
	OdrError	err;
	OdrStatus	status;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "odr_message_replies_finalfn called outside an aggregate");
	/* the element type: odr_message_reply of this installation (its schema) */
	elemtype = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
	if (!OidIsValid(elemtype) || !type_is_rowtype(elemtype))
		elog(ERROR, "odr_message_replies_finalfn must return an array of odr_message_reply");
	memset(&out, 0, sizeof(out));
	out.tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	if (out.tupdesc->natts != 3 ||
		TupleDescAttr(out.tupdesc, 0)->atttypid != TEXTOID ||
		TupleDescAttr(out.tupdesc, 1)->atttypid != TIMESTAMPTZOID ||
		TupleDescAttr(out.tupdesc, 2)->atttypid != TIMESTAMPTZOID)
		elog(ERROR, "odr_message_reply must be (buyer text, received_at timestamptz, answered_at timestamptz)");
	BlessTupleDesc(out.tupdesc);
	if (!PG_ARGISNULL(0))
	{
		RespState  *st = (RespState *) PG_GETARG_POINTER(0);

		out.r = &st->r;
		status = odr_resp_pair(&st->r, replies_add, &out, &err);
		if (status != ODR_OK)
			resp_raise(status, &err);
	}
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(out.elems, out.n, elemtype, typlen, typbyval, typalign));
}
