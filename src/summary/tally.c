/*
 * tally.c — per-day summaries of a marketplace (issue 14): the aggregate
 * odr_tally(order, marketplace, day) -> odr_tally (the counters of one day,
 * a few dozen bytes, merged exactly in any order) and odr_assess over them.
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
/* Per-day tallies: odr_tally(o, marketplace, day) -> odr_tally, and    */
/* the roll-up odr_assess(t, day, marketplace, as_of)                   */
/* ------------------------------------------------------------------ */

/*
 * The state of odr_tally, one per group.  t is the last member so that a
 * group's state takes tally_state_size(m) bytes, its tally short
 * (odr_tally_size(&m->def) bytes, engine_core.h); one declared as a local
 * variable is full-size.  Copy one by tally_state_size(st->m) bytes.
 */
typedef struct TallyState
{
	const Mkt  *m;
	DateADT		day;
	OdrTally	t;				/* short in an aggregate's state */
} TallyState;

static Size
tally_state_size(const Mkt *m)
{
	return offsetof(TallyState, t) + odr_tally_size(&m->def);
}

/*
 * odr_tally body: version (1), name length (1), reserved (2), fingerprint
 * (4, little-endian), day (4), the name, the tally's binary form.
 */
static bytea *
tally_pack(const TallyState *st)
{
	StringInfoData s;
	unsigned char buf[1024];
	size_t		n;
	int			len = strlen(st->m->name);
	bytea	   *out;

	initStringInfo(&s);
	appendStringInfoChar(&s, 1);
	appendStringInfoChar(&s, (char) len);
	appendStringInfoChar(&s, 0);
	appendStringInfoChar(&s, 0);
	put_le(&s, st->m->fingerprint, 4);
	put_le(&s, (uint32) st->day, 4);
	appendBinaryStringInfo(&s, st->m->name, len);
	n = odr_tally_encode(&st->m->def, &st->t, buf, sizeof(buf));
	if (n > sizeof(buf))
		elog(ERROR, "odr: a tally of %zu bytes", n);
	appendBinaryStringInfo(&s, (const char *) buf, n);
	out = palloc(VARHDRSZ + s.len);
	SET_VARSIZE(out, VARHDRSZ + s.len);
	memcpy(VARDATA(out), s.data, s.len);
	return out;
}

void
tally_check(const unsigned char *p, Size len, int sqlstate)
{
	if (len < 12 || p[0] != 1 || p[1] == 0 || p[1] >= ODR_ENG_NAME_LEN || p[2] != 0 || p[3] != 0 ||
		len < (Size) 12 + p[1] + 2)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_tally: bad header")));
	{
		DateADT		d = (DateADT) get_le(p + 8, 4);

		if (!ORDER_DAY_OK(d))
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid odr_tally: bad day")));
	}
}

/* unpack into st (its marketplace from fcinfo's call site); expect, when
 * not NULL, is the marketplace the caller's group has: a tally naming it
 * (compared in place) takes it without a copy of the name or a lookup, as
 * every row of a roll-up does */
static void
tally_unpack(FunctionCallInfo fcinfo, const unsigned char *p, Size len, TallyState *st, int sqlstate,
			 const Mkt *expect)
{
	OdrError	err;

	tally_check(p, len, sqlstate);
	if (expect != NULL && p[1] == strlen(expect->name) && memcmp(p + 12, expect->name, p[1]) == 0)
		st->m = expect;
	else
		st->m = marketplace_for(fcinfo, pnstrdup((const char *) p + 12, p[1]));
	if (get_le(p + 4, 4) != st->m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the tally was computed under another definition of marketplace \"%s\"", st->m->name),
				 errhint("Tally again: its counters or windows changed since.")));
	st->day = (DateADT) get_le(p + 8, 4);
	if (odr_tally_decode_short(&st->m->def, p + 12 + p[1], len - 12 - p[1], &st->t, &err) != ODR_OK)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid odr_tally: %s", err.message)));
}

PG_FUNCTION_INFO_V1(odr_tally_transfn);
Datum
odr_tally_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TallyState *st = PG_ARGISNULL(0) ? NULL : (TallyState *) PG_GETARG_POINTER(0);
	OdrEngRow	row;
	OdrError	err;
	OdrStatus	rc;
	DateADT		day;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_tally_transfn called outside an aggregate");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("day must not be NULL")));
	day = PG_GETARG_DATEADT(3);
	if (st == NULL)
	{
		const Mkt  *m = marketplace_arg(fcinfo, 2, "marketplace");

		if (!ORDER_DAY_OK(day))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("day must be a finite date from 0001-01-01 on")));
		st = state_alloc(aggcxt, tally_state_size(m));
		st->m = m;
		st->day = day;
		odr_tally_init_short(&m->def, &st->t);
	}
	else
	{
		if (!arg_names_marketplace(fcinfo, 2, st->m) || day != st->day)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("odr_tally: marketplace and day must be the same for every row of a group")));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	order_row(PG_GETARG_ORDER_P(1), st->m, &row);
	if ((rc = odr_tally_add_row(&st->m->def, &st->t, &row, day, day, &err)) != ODR_OK)
		engine_fail(rc, &err);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(odr_tally_combinefn);
Datum
odr_tally_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TallyState *a = PG_ARGISNULL(0) ? NULL : (TallyState *) PG_GETARG_POINTER(0);
	TallyState *b = PG_ARGISNULL(1) ? NULL : (TallyState *) PG_GETARG_POINTER(1);
	OdrError	err;
	OdrStatus	rc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_tally_combinefn called outside an aggregate");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = state_alloc(aggcxt, tally_state_size(b->m));
		memcpy(a, b, tally_state_size(b->m));
		PG_RETURN_POINTER(a);
	}
	if (strcmp(a->m->name, b->m->name) != 0 || a->day != b->day || a->m->fingerprint != b->m->fingerprint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("odr_tally: marketplace and day must be the same for every row of a group")));
	if ((rc = odr_tally_merge(&a->m->def, &a->t, &b->t, &err)) != ODR_OK)
		engine_fail(rc, &err);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(odr_tally_serialfn);
Datum
odr_tally_serialfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(tally_pack((TallyState *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(odr_tally_deserialfn);
Datum
odr_tally_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	TallyState	ts;				/* full-size: the marketplace comes with it */
	TallyState *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_tally_deserialfn called outside an aggregate");
	tally_unpack(fcinfo, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &ts,
				 ERRCODE_INVALID_BINARY_REPRESENTATION, NULL);
	st = state_alloc(aggcxt, tally_state_size(ts.m));
	memcpy(st, &ts, tally_state_size(ts.m));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(odr_tally_finalfn);
Datum
odr_tally_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(tally_pack((TallyState *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(odr_tally_out);
Datum
odr_tally_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(hex_text_out(PG_GETARG_BYTEA_PP(0)));
}

PG_FUNCTION_INFO_V1(odr_tally_in);
Datum
odr_tally_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	bytea	   *out = hex_text_in(str, "odr_tally");

	tally_check((unsigned char *) VARDATA(out), VARSIZE(out) - VARHDRSZ, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(odr_tally_send);
Datum
odr_tally_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(PG_GETARG_BYTEA_P_COPY(0));
}

PG_FUNCTION_INFO_V1(odr_tally_recv);
Datum
odr_tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + n);

	SET_VARSIZE(out, VARHDRSZ + n);
	pq_copymsgbytes(buf, VARDATA(out), n);
	tally_check((unsigned char *) VARDATA(out), n, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(out);
}

/* odr_tally_day(t) -> date */
PG_FUNCTION_INFO_V1(odr_tally_day);
Datum
odr_tally_day(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	tally_check((unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ERRCODE_INVALID_PARAMETER_VALUE);
	PG_RETURN_DATEADT((DateADT) get_le((unsigned char *) VARDATA_ANY(b) + 8, 4));
}

/* odr_tally_size(t) -> integer: bytes of its binary form (the tally) */
PG_FUNCTION_INFO_V1(odr_tally_bytes);
Datum
odr_tally_bytes(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	PG_RETURN_INT32((int32) VARSIZE_ANY(b));
}

/* the tally ts into every window of st holding its day */
static void
assess_add_tally(AssessState *st, const TallyState *ts)
{
	OdrError	err;
	OdrStatus	rc;

	if (ts->m->fingerprint != st->m->fingerprint || strcmp(ts->m->name, st->m->name) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the tally is of marketplace \"%s\", not \"%s\"", ts->m->name, st->m->name)));
	for (int w = 0; w < st->m->def.nwindows; w++)
		if (plain(&st->m->def.windows[w]) && ts->day >= st->first[w] && ts->day <= st->last[w] &&
			(rc = odr_tally_merge(&st->m->def, assess_tally(st, w), &ts->t, &err)) != ODR_OK)
			engine_fail(rc, &err);
}

/* odr_assess(t odr_tally, marketplace, as_of): the roll-up transition;
 * the tally's own day places it in the windows */
PG_FUNCTION_INFO_V1(odr_assess_tally_transfn);
Datum
odr_assess_tally_transfn(PG_FUNCTION_ARGS)
{
	AssessState *st = assess_transition_state(fcinfo, "odr_assess_tally_transfn");
	bytea	   *b;
	TallyState	ts;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	b = PG_GETARG_BYTEA_PP(1);
	tally_unpack(fcinfo, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &ts,
				 ERRCODE_INVALID_PARAMETER_VALUE, st->m);
	assess_add_tally(st, &ts);
	PG_RETURN_POINTER(st);
}

/*
 * odr_assess(t odr_tally, as_of): under the marketplace the tallies were
 * counted for (each names it).  With no marketplace argument the call has
 * no collatable input, so postgres_fdw may ship it to a shard (README:
 * shards).  A group of NULL tallies only has no standing (NULL).
 */
PG_FUNCTION_INFO_V1(odr_assess_own_tally_transfn);
Datum
odr_assess_own_tally_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AssessState *st = PG_ARGISNULL(0) ? NULL : (AssessState *) PG_GETARG_POINTER(0);
	bytea	   *b;
	TallyState	ts;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "odr_assess_own_tally_transfn called outside an aggregate");
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	if (st != NULL && PG_GETARG_DATEADT(2) != st->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("odr_assess: as_of must be the same for every row of a group")));
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	b = PG_GETARG_BYTEA_PP(1);
	tally_unpack(fcinfo, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &ts,
				 ERRCODE_INVALID_PARAMETER_VALUE, st != NULL ? st->m : NULL);
	if (st == NULL)
		st = assess_new(aggcxt, ts.m, PG_GETARG_DATEADT(2));
	assess_add_tally(st, &ts);
	PG_RETURN_POINTER(st);
}

/* odr_order_tally_days(o) -> SETOF date: its distinct days (each order's
 * contribution to per-day tallies: once per distinct day) */
PG_FUNCTION_INFO_V1(odr_order_tally_days);
Datum
odr_order_tally_days(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OrderV	   *o = PG_GETARG_ORDER_P(0);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = 0; i < o->nbases; i++)
	{
		int64		d = o->data[o->nvalues + i];
		bool		seen = (d == ORDER_NO_DAY);
		Datum		v;
		bool		n = false;

		for (int j = 0; j < i && !seen; j++)
			seen = (o->data[o->nvalues + j] == d);
		if (seen)
			continue;
		v = DateADTGetDatum((DateADT) d);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &v, &n);
	}
	return (Datum) 0;
}
