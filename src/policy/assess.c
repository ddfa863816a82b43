/*
 * assess.c — the assessment (issue 14): the aggregate odr_assess(order,
 * marketplace, as_of) and its state (one policy-sized tally per window),
 * combined across parallel workers, written out as an odr_standing: the
 * marketplace, the as-of date, a fingerprint and one tally per window.
 */
#include "odr.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "engine_core.h"
#include "marketplace.h"
#include "marketplace_internal.h"


/* ------------------------------------------------------------------ */
/* The assessment: odr_assess(o, marketplace, as_of) -> odr_standing    */
/* ------------------------------------------------------------------ */



bool
plain(const OdrWindowDef *w)
{
	return w->kind != ODR_WINDOW_BY_VOLUME;
}

/*
 * Aggregate states packed in blocks.  An AllocSet rounds each chunk up to a
 * power of 2 and adds its header: a 728-byte AssessState (the built-in
 * policies) took 1040 bytes, a 160-byte TallyState 272.  A group's state
 * lives as long as the aggregate's memory context and is never freed on its
 * own (internal is passed by value: nodeAgg and nodeWindowAgg neither copy
 * nor pfree it), so states are carved one after another from blocks of
 * that context (1 kB, doubling to 8 kB: a sorted aggregate, whose context
 * is reset for every group, takes no more than it did).  One arena per
 * context, unlinked by a reset callback when the context is reset or
 * deleted (an error included).  Never pfree such a state.
 */
typedef struct StateArena
{
	MemoryContext cxt;
	char	   *next;
	Size		left;
	Size		block;			/* the next block's size */
	MemoryContextCallback cb;
	struct StateArena *link;
} StateArena;

#define STATE_ARENA_MAX_BLOCK 8192

static StateArena *state_arenas;

static void
state_arena_forget(void *arg)
{
	for (StateArena **pp = &state_arenas; *pp != NULL; pp = &(*pp)->link)
		if (*pp == (StateArena *) arg)
		{
			*pp = ((StateArena *) arg)->link;
			break;
		}
}

/* size zeroed bytes in cxt, for an aggregate's state of one group */
void *
state_alloc(MemoryContext cxt, Size size)
{
	StateArena *a;
	void	   *p;

	size = MAXALIGN(size);
	if (size > STATE_ARENA_MAX_BLOCK / 4)
		return MemoryContextAllocZero(cxt, size);
	for (a = state_arenas; a != NULL; a = a->link)
		if (a->cxt == cxt)
			break;
	if (a == NULL)
	{
		a = MemoryContextAllocZero(cxt, sizeof(StateArena));
		a->cxt = cxt;
		a->block = 1024;
		a->cb.func = state_arena_forget;
		a->cb.arg = a;
		MemoryContextRegisterResetCallback(cxt, &a->cb);
		a->link = state_arenas;
		state_arenas = a;
	}
	if (a->left < size)
	{
		while (a->block < size)
			a->block *= 2;
		a->next = MemoryContextAlloc(cxt, a->block);
		a->left = a->block;
		if (a->block < STATE_ARENA_MAX_BLOCK)
			a->block *= 2;
	}
	p = a->next;
	a->next += size;
	a->left -= size;
	memset(p, 0, size);
	return p;
}

/* bytes of an AssessState of m */
static Size
assess_size(const Mkt *m)
{
	int			n = 0;

	for (int w = 0; w < m->def.nwindows; w++)
		n += plain(&m->def.windows[w]);
	return offsetof(AssessState, tallies) + (Size) n * odr_tally_size(&m->def);
}

/* Window w's tally (w plain); src/policy/assess_at.c fills a standing's windows
 * through it, not through the state's layout. */
OdrTally *
assess_tally(const AssessState *st, int w)
{
	Assert(st->tally_of[w] >= 0 && st->tally_of[w] < st->ntallies);
	return (OdrTally *) ((char *) st->tallies + (Size) st->tally_of[w] * st->tally_size);
}

/* A state of m in cxt, its tallies empty, no as_of yet; packed (state_alloc:
 * never pfree'd) for an aggregate's state. */
AssessState *
assess_alloc(MemoryContext cxt, const Mkt *m, bool packed)
{
	AssessState *st = packed ? state_alloc(cxt, assess_size(m)) :
		MemoryContextAllocZero(cxt, assess_size(m));

	st->m = m;
	st->tally_size = (uint16) odr_tally_size(&m->def);
	for (int w = 0; w < ODR_ENG_MAX_WINDOWS; w++)
		st->tally_of[w] = -1;
	for (int w = 0; w < m->def.nwindows; w++)
		if (plain(&m->def.windows[w]))
		{
			st->tally_of[w] = (int8) st->ntallies++;
			odr_tally_init_short(&m->def, assess_tally(st, w));
		}
	return st;
}

/* st widened into out (for evaluation) */
void
assess_expand(const AssessState *st, AssessFull *out)
{
	const OdrPolicyDef *p = &st->m->def;

	out->m = st->m;
	out->as_of = st->as_of;
	memcpy(out->first, st->first, sizeof(out->first));
	memcpy(out->last, st->last, sizeof(out->last));
	for (int w = 0; w < ODR_ENG_MAX_WINDOWS; w++)
	{
		if (w < p->nwindows)
			odr_tally_init(p, &out->t[w]);
		else
			memset(&out->t[w], 0, sizeof(OdrTally));
		if (w < p->nwindows && plain(&p->windows[w]))
			memcpy(&out->t[w], assess_tally(st, w), st->tally_size);
	}
}

AssessState *
assess_new(MemoryContext cxt, const Mkt *m, DateADT as_of)
{
	AssessState *st = assess_alloc(cxt, m, true);
	OdrError	err;

	st->as_of = as_of;
	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite date")));
	for (int w = 0; w < m->def.nwindows; w++)
	{
		if (plain(&m->def.windows[w]) &&
			odr_policy_window_days(&m->def, w, as_of, &st->first[w], &st->last[w], &err) != ODR_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of %s: %s", DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of))),
							err.message)));
	}
	return st;
}

void
engine_fail(OdrStatus st, const OdrError *err)
{
	odr_raise(st, err, ODR_IN_ARGUMENT);
}

/* Whether argument argno is the name of marketplace m: compared as it
 * comes, with no copy (a transition function checks it on every row). */
bool
arg_names_marketplace(FunctionCallInfo fcinfo, int argno, const Mkt *m)
{
	text	   *t;

	if (PG_ARGISNULL(argno))
		return false;
	t = PG_GETARG_TEXT_PP(argno);
	return VARSIZE_ANY_EXHDR(t) == strlen(m->name) &&
		memcmp(VARDATA_ANY(t), m->name, VARSIZE_ANY_EXHDR(t)) == 0;
}

/*
 * Whether any of the row's days falls in [first, last].  A row with none
 * adds nothing to a window's tally (each counter skips a row whose day on
 * its basis is outside the window), so the transition function does not
 * hand it to the engine: of the Amazon windows (60, 30, 10 and 7 days), a
 * row of the last 60 days reaches about two.
 */
static inline bool
row_in_window(const OdrEngRow *row, int nbases, int64 first, int64 last)
{
	for (int b = 0; b < nbases; b++)
		if (row->days[b] != ODR_ENG_NO_DAY && row->days[b] >= first && row->days[b] <= last)
			return true;
	return false;
}

/*
 * The state of a transition of odr_assess(x, marketplace, as_of), over
 * orders or per-day tallies: a new one on the group's first row, else the
 * group's, whose marketplace and as_of every row must repeat.
 */
AssessState *
assess_transition_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;
	AssessState *st = PG_ARGISNULL(0) ? NULL : (AssessState *) PG_GETARG_POINTER(0);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called outside an aggregate", fname);
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	if (st == NULL)
		return assess_new(aggcxt, marketplace_arg(fcinfo, 2, "marketplace"), PG_GETARG_DATEADT(3));
	if (!arg_names_marketplace(fcinfo, 2, st->m) || PG_GETARG_DATEADT(3) != st->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("odr_assess: marketplace and as_of must be the same for every row of a group")));
	return st;
}

PG_FUNCTION_INFO_V1(odr_assess_transfn);
Datum
odr_assess_transfn(PG_FUNCTION_ARGS)
{
	AssessState *st = assess_transition_state(fcinfo, "odr_assess_transfn");
	OrderV	   *o;
	OdrEngRow	row;
	OdrError	err;
	OdrStatus	rc;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	o = PG_GETARG_ORDER_P(1);
	order_row(o, st->m, &row);
	for (int w = 0; w < st->m->def.nwindows; w++)
		if (plain(&st->m->def.windows[w]) &&
			row_in_window(&row, st->m->def.nbases, st->first[w], st->last[w]) &&
			(rc = odr_tally_add_row(&st->m->def, assess_tally(st, w), &row, st->first[w], st->last[w], &err)) != ODR_OK)
			engine_fail(rc, &err);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(odr_assess_combinefn);
Datum
odr_assess_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AssessState *a = PG_ARGISNULL(0) ? NULL : (AssessState *) PG_GETARG_POINTER(0);
	AssessState *b = PG_ARGISNULL(1) ? NULL : (AssessState *) PG_GETARG_POINTER(1);
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_combinefn called outside an aggregate");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = state_alloc(aggcxt, assess_size(b->m));
		memcpy(a, b, assess_size(b->m));
		PG_RETURN_POINTER(a);
	}
	if (strcmp(a->m->name, b->m->name) != 0 || a->as_of != b->as_of ||
		a->m->fingerprint != b->m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("odr_assess: marketplace and as_of must be the same for every row of a group")));
	for (int w = 0; w < a->m->def.nwindows; w++)
		if (plain(&a->m->def.windows[w]) &&
			(rc = odr_tally_merge(&a->m->def, assess_tally(a, w), assess_tally(b, w), &err)) != ODR_OK)
			engine_fail(rc, &err);
	PG_RETURN_POINTER(a);
}

/*
 * The serial form of a state and the body of an odr_standing: version (1),
 * number of windows (1), name length (1), reserved (1), fingerprint (4),
 * as_of (4), the name, then per window a length (2) and the tally's binary
 * form (odr_tally_encode; empty for a by_volume window).
 */
void
put_le(StringInfo s, uint32 v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		appendStringInfoChar(s, (char) ((v >> (8 * i)) & 0xff));
}

uint32
get_le(const unsigned char *p, int bytes)
{
	uint32		v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint32) p[i] << (8 * i);
	return v;
}

void
put_body(StringInfo s, const AssessState *st)
{
	const Mkt  *m = st->m;
	int			len = strlen(m->name);

	appendStringInfoChar(s, 1);
	appendStringInfoChar(s, (char) m->def.nwindows);
	appendStringInfoChar(s, (char) len);
	appendStringInfoChar(s, 0);
	put_le(s, m->fingerprint, 4);
	put_le(s, (uint32) st->as_of, 4);
	appendBinaryStringInfo(s, m->name, len);
	for (int w = 0; w < m->def.nwindows; w++)
	{
		uint16		n = 0;
		unsigned char buf[1024];

		if (plain(&m->def.windows[w]))
			n = (uint16) odr_tally_encode(&m->def, assess_tally(st, w), buf, sizeof(buf));
		if (n > sizeof(buf))
			elog(ERROR, "odr: a tally of %u bytes", n);
		put_le(s, n, 2);
		appendBinaryStringInfo(s, (const char *) buf, n);
	}
}

/* the name a body names, or raise */
char *
body_name(const unsigned char *p, Size len, int sqlstate)
{
	if (len < 12 || p[0] != 1 || p[2] == 0 || p[2] >= ODR_ENG_NAME_LEN || len < (Size) 12 + p[2])
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_standing: bad header")));
	return pnstrdup((const char *) p + 12, p[2]);
}

void
get_body(const unsigned char *p, Size len, AssessState *st, int sqlstate)
{
	const Mkt  *m = st->m;
	Size		pos;
	uint32		fp;
	OdrError	err;

	/* its tallies must have room (an AssessState from assess_alloc) */
	if (st->tally_size != odr_tally_size(&m->def))
		elog(ERROR, "odr: get_body into a state not sized for marketplace \"%s\"", m->name);
	fp = get_le(p + 4, 4);
	st->as_of = (DateADT) get_le(p + 8, 4);
	if (fp != m->fingerprint || p[1] != m->def.nwindows)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the standing was computed under another definition of marketplace \"%s\"", m->name),
				 errhint("Assess again: its counters or windows changed since.")));
	if (DATE_NOT_FINITE(st->as_of))
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_standing: bad as_of")));
	pos = 12 + p[2];
	for (int w = 0; w < m->def.nwindows; w++)
	{
		uint16		n;

		if (pos + 2 > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
		n = (uint16) get_le(p + pos, 2);
		pos += 2;
		if (pos + n > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
		if (plain(&m->def.windows[w]))
		{
			if (odr_tally_decode_short(&m->def, p + pos, n, assess_tally(st, w), &err) != ODR_OK)
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid odr_standing: %s", err.message)));
		}
		else
		{
			if (n != 0)
				ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: a by_volume window holds a tally")));
		}
		pos += n;
	}
	if (pos != len)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: trailing bytes")));
	for (int w = 0; w < m->def.nwindows; w++)
		if (plain(&m->def.windows[w]))
			odr_policy_window_days(&m->def, w, st->as_of, &st->first[w], &st->last[w], &err);
}

PG_FUNCTION_INFO_V1(odr_assess_serialfn);
Datum
odr_assess_serialfn(PG_FUNCTION_ARGS)
{
	AssessState *st = (AssessState *) PG_GETARG_POINTER(0);
	StringInfoData s;
	bytea	   *out;

	initStringInfo(&s);
	put_body(&s, st);
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(odr_assess_deserialfn);
Datum
odr_assess_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	Size		len = VARSIZE_ANY_EXHDR(b);
	MemoryContext aggcxt;
	AssessState *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_deserialfn called outside an aggregate");
	st = assess_alloc(aggcxt, marketplace_for(fcinfo, body_name(p, len, ERRCODE_INVALID_BINARY_REPRESENTATION)),
					  true);
	get_body(p, len, st, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

/* odr_standing: a varlena holding the body above */
PG_FUNCTION_INFO_V1(odr_assess_finalfn);
Datum
odr_assess_finalfn(PG_FUNCTION_ARGS)
{
	AssessState *st;
	StringInfoData s;
	bytea	   *out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (AssessState *) PG_GETARG_POINTER(0);
	initStringInfo(&s);
	put_body(&s, st);
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	PG_RETURN_POINTER(out);
}

/* the header checks of a standing's body (no marketplace needed) */
void
standing_check(const unsigned char *p, Size len, int sqlstate)
{
	Size		pos;

	(void) body_name(p, len, sqlstate);
	if (p[3] != 0 || p[1] > ODR_ENG_MAX_WINDOWS)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: bad header")));
	pos = 12 + p[2];
	for (int w = 0; w < p[1]; w++)
	{
		uint16		n;

		if (pos + 2 > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
		n = (uint16) get_le(p + pos, 2);
		pos += 2 + n;
		if (pos > len)
			ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: truncated")));
	}
	if (pos != len)
		ereport(ERROR, (errcode(sqlstate), errmsg("invalid odr_standing: trailing bytes")));
}

/* The text form of odr_standing and odr_tally: "v1:" and the binary body in
 * hexadecimal (the caller checks the body against its marketplace). */
char *
hex_text_out(const bytea *b)
{
	Size		len = VARSIZE_ANY_EXHDR(b);
	char	   *out = palloc(3 + 2 * len + 1);

	memcpy(out, "v1:", 3);
	hex_encode(VARDATA_ANY(b), len, out + 3);
	out[3 + 2 * len] = '\0';
	return out;
}

bytea *
hex_text_in(const char *str, const char *type_name)
{
	Size		slen = strlen(str);
	bytea	   *out;

	if (slen < 3 || strncmp(str, "v1:", 3) != 0 || (slen - 3) % 2 != 0 ||
		strspn(str + 3, "0123456789abcdefABCDEF") != slen - 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, str),
				 errdetail("Expected v1: and hexadecimal digits.")));
	out = palloc(VARHDRSZ + (slen - 3) / 2);
	SET_VARSIZE(out, VARHDRSZ + (slen - 3) / 2);
	hex_decode(str + 3, slen - 3, VARDATA(out));
	return out;
}

/* text form: the body in hex after "v1:" (the tallies are checked against
 * the marketplace when the standing is read) */
PG_FUNCTION_INFO_V1(odr_standing_out);
Datum
odr_standing_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(hex_text_out(PG_GETARG_BYTEA_PP(0)));
}

PG_FUNCTION_INFO_V1(odr_standing_in);
Datum
odr_standing_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	bytea	   *out = hex_text_in(str, "odr_standing");

	standing_check((unsigned char *) VARDATA(out), VARSIZE(out) - VARHDRSZ, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(odr_standing_send);
Datum
odr_standing_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_P_COPY(0);

	PG_RETURN_BYTEA_P(b);
}

PG_FUNCTION_INFO_V1(odr_standing_recv);
Datum
odr_standing_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + n);

	SET_VARSIZE(out, VARHDRSZ + n);
	pq_copymsgbytes(buf, VARDATA(out), n);
	standing_check((unsigned char *) VARDATA(out), n, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(out);
}
