/*
 * defects.c — the odr_defects type and the functions that judge an order:
 * odr_classify (A5-A14), odr_dispute_timed_out (A11), odr_unshipped (A9),
 * and the helpers that read a verdict.
 */
#include "odr.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

void
odr_raise(OdrStatus status, const OdrError *err, OdrErrorContext where)
{
	int			code;

	switch (status)
	{
		case ODR_ERR_RANGE:
		case ODR_ERR_OVERFLOW:
			code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		case ODR_ERR_UNKNOWN_NAME:
		case ODR_ERR_INVALID:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		case ODR_ERR_NULL:
			code = ERRCODE_NULL_VALUE_NOT_ALLOWED;
			break;
		case ODR_ERR_SYNTAX:
		case ODR_ERR_INCONSISTENT:
		default:
			code = where == ODR_IN_TEXT_INPUT ? ERRCODE_INVALID_TEXT_REPRESENTATION :
				where == ODR_IN_BINARY_INPUT ? ERRCODE_INVALID_BINARY_REPRESENTATION :
				ERRCODE_INVALID_PARAMETER_VALUE;
			break;
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg("%s", err->message),
			 err->detail[0] ? errdetail("%s", err->detail) : 0,
			 err->hint[0] ? errhint("%s", err->hint) : 0));
	pg_unreachable();
}

void
odr_raise_text_input(OdrStatus status, const OdrError *err,
					 const char *typname, const char *str)
{
	bool		range = (status == ODR_ERR_RANGE || status == ODR_ERR_OVERFLOW);
	char		why[sizeof(err->message)];

	/* the core's message as the first sentence of the detail */
	strlcpy(why, err->message, sizeof(why));
	why[0] = pg_toupper((unsigned char) why[0]);
	ereport(ERROR,
			(errcode(range ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE :
					 ERRCODE_INVALID_TEXT_REPRESENTATION),
			 range ? errmsg("value out of range for type %s: \"%s\"", typname, str) :
			 errmsg("invalid input syntax for type %s: \"%s\"", typname, str),
			 err->detail[0] ? errdetail("%s. %s", why, err->detail) :
			 errdetail("%s.", why)));
	pg_unreachable();
}

OdrReason
odr_reason_arg(text *name, const char *argname)
{
	int			r = odr_reason_from_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));

	if (r < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown %s \"%s\"", argname, text_to_cstring(name)),
				 errdetail("The reasons are negative_feedback, dsr_item, dsr_communication, dsr_shipping, unshipped, arbitration and dispute_timeout.")));
	return (OdrReason) r;
}

/* ------------------------------------------------------------------ */
/* Type I/O                                                             */
/* ------------------------------------------------------------------ */

/* text input: {reason,...} [facts] */
PG_FUNCTION_INFO_V1(odr_defects_in);
Datum
odr_defects_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	OdrDefects	d;
	OdrError	err;
	OdrStatus	st = odr_defects_parse(str, &d, &err);

	if (st != ODR_OK)
		odr_raise_text_input(st, &err, "odr_defects", str);
	PG_RETURN_ODR_DEFECTS(d);
}

/* text output, canonical order */
PG_FUNCTION_INFO_V1(odr_defects_out);
Datum
odr_defects_out(PG_FUNCTION_ARGS)
{
	OdrDefects	d = PG_GETARG_ODR_DEFECTS(0);
	char	   *buf = palloc(ODR_DEFECTS_TEXT_MAX);

	odr_defects_format(d, buf, ODR_DEFECTS_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/* binary input: a 4-byte integer, validated as text input is */
PG_FUNCTION_INFO_V1(odr_defects_recv);
Datum
odr_defects_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	OdrDefects	d;
	OdrError	err;
	OdrStatus	st;

	if (buf->len - buf->cursor != 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("binary odr_defects is %d bytes, expected 4",
						buf->len - buf->cursor)));
	d = (OdrDefects) pq_getmsgint(buf, 4);
	st = odr_defects_validate(d, &err);
	if (st != ODR_OK)
		odr_raise(st, &err, ODR_IN_BINARY_INPUT);
	PG_RETURN_ODR_DEFECTS(d);
}

/* binary output */
PG_FUNCTION_INFO_V1(odr_defects_send);
Datum
odr_defects_send(PG_FUNCTION_ARGS)
{
	OdrDefects	d = PG_GETARG_ODR_DEFECTS(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, d);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------------ */
/* Classification                                                       */
/* ------------------------------------------------------------------ */

/* A16: is the order amount below US$5?  Rejects NaN, infinity, negative. */
static bool
amount_under_5_usd(Datum amount)
{
	static Datum zero = (Datum) 0;
	static Datum five = (Datum) 0;
	Numeric		num = DatumGetNumeric(amount);

	if (zero == (Datum) 0)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		zero = NumericGetDatum(int64_to_numeric(0));
		five = NumericGetDatum(int64_to_numeric(ODR_SMALL_ORDER_USD));
		MemoryContextSwitchTo(old);
	}
	if (numeric_is_nan(num) || numeric_is_inf(num) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, amount, zero)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("order_amount_usd %s is out of range",
						DatumGetCString(DirectFunctionCall1(numeric_out, amount))),
				 errdetail("An order amount is a finite number of US dollars, zero or more.")));
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, amount, five)) < 0;
}

/*
 * odr_classify(feedback_stars, dsr_item, dsr_communication, dsr_shipping,
 *              unshipped, arbitration, dispute_timeout, not_received_closed,
 *              arbitration_seller_responsible, order_amount_usd)
 * Every argument may be NULL, meaning "no such rating / event".
 */
PG_FUNCTION_INFO_V1(odr_classify);
Datum
odr_classify(PG_FUNCTION_ARGS)
{
	OdrOrderFacts f;
	OdrDefects	d;
	OdrError	err;
	OdrStatus	st;

	memset(&f, 0, sizeof(f));
	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		f.rating_given[r] = !PG_ARGISNULL(r);
		f.rating[r] = f.rating_given[r] ? PG_GETARG_INT32(r) : 0;
	}
#define FLAG(n) (!PG_ARGISNULL(n) && PG_GETARG_BOOL(n))
	f.unshipped = FLAG(4);
	f.arbitration = FLAG(5);
	f.dispute_timeout = FLAG(6);
	f.not_received_closed = FLAG(7);
	f.arbitration_seller_responsible = FLAG(8);
#undef FLAG
	f.under_5_usd = !PG_ARGISNULL(9) && amount_under_5_usd(PG_GETARG_DATUM(9));

	st = odr_classify_order(&f, &d, &err);
	if (st != ODR_OK)
		odr_raise(st, &err, ODR_IN_ARGUMENT);
	PG_RETURN_ODR_DEFECTS(d);
}

/* odr_is_defective(odr_defects): any reason at all (A12) */
PG_FUNCTION_INFO_V1(odr_defects_is_defective_fn);
Datum
odr_defects_is_defective_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(odr_defects_is_defective(PG_GETARG_ODR_DEFECTS(0)));
}

/* odr_has_reason(odr_defects, reason text) */
PG_FUNCTION_INFO_V1(odr_defects_has_reason);
Datum
odr_defects_has_reason(PG_FUNCTION_ARGS)
{
	OdrDefects	d = PG_GETARG_ODR_DEFECTS(0);
	OdrReason	r = odr_reason_arg(PG_GETARG_TEXT_PP(1), "reason");

	PG_RETURN_BOOL(odr_defects_has(d, r));
}

/* odr_reasons(odr_defects) -> text[] in canonical order */
PG_FUNCTION_INFO_V1(odr_defects_reasons);
Datum
odr_defects_reasons(PG_FUNCTION_ARGS)
{
	OdrDefects	d = PG_GETARG_ODR_DEFECTS(0);
	Datum		elems[ODR_NREASONS];
	int			n = 0;

	for (int r = 0; r < ODR_NREASONS; r++)
	{
		if (odr_defects_has(d, (OdrReason) r))
			elems[n++] = CStringGetTextDatum(odr_reason_names[r]);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

/* odr_reason_names() -> text[]: every reason, in canonical order */
PG_FUNCTION_INFO_V1(odr_reason_names_fn);
Datum
odr_reason_names_fn(PG_FUNCTION_ARGS)
{
	Datum		elems[ODR_NREASONS];

	for (int r = 0; r < ODR_NREASONS; r++)
		elems[r] = CStringGetTextDatum(odr_reason_names[r]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, ODR_NREASONS, TEXTOID, -1,
										  false, TYPALIGN_INT));
}

/* odr_rating(odr_defects, dimension text) -> int: the counted stars or NULL */
PG_FUNCTION_INFO_V1(odr_defects_rating_fn);
Datum
odr_defects_rating_fn(PG_FUNCTION_ARGS)
{
	OdrDefects	d = PG_GETARG_ODR_DEFECTS(0);
	text	   *name = PG_GETARG_TEXT_PP(1);
	const char *s = VARDATA_ANY(name);
	int			len = VARSIZE_ANY_EXHDR(name);
	int			stars;

	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		if ((int) strlen(odr_rating_names[r]) == len &&
			memcmp(odr_rating_names[r], s, len) == 0)
		{
			stars = odr_defects_rating(d, (OdrRating) r);
			if (stars == 0)
				PG_RETURN_NULL();
			PG_RETURN_INT32(stars);
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown dimension \"%s\"", text_to_cstring(name)),
			 errdetail("The ratings are feedback, item, communication and shipping.")));
	PG_RETURN_NULL();
}

/* ------------------------------------------------------------------ */
/* Flags from raw timestamps                                            */
/* ------------------------------------------------------------------ */

static OdrTime
time_arg(FunctionCallInfo fcinfo, int n, const char *argname)
{
	OdrTime		t = {false, 0};

	if (!PG_ARGISNULL(n))
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(n);

		if (TIMESTAMP_NOT_FINITE(ts))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s must be a finite timestamp, not %s", argname,
							TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity")));
		t.known = true;
		t.us = ts;
	}
	return t;
}

static const char *
time_text(OdrTime t)
{
	/* timestamptz_to_str() reuses one static buffer: copy */
	return t.known ? pstrdup(timestamptz_to_str(t.us)) : "NULL";
}

/* odr_dispute_timed_out(opened_at, seller_responded_at, closed_at, response_days) */
PG_FUNCTION_INFO_V1(odr_dispute_timed_out_fn);
Datum
odr_dispute_timed_out_fn(PG_FUNCTION_ARGS)
{
	OdrTime		opened = time_arg(fcinfo, 0, "opened_at");
	OdrTime		responded = time_arg(fcinfo, 1, "seller_responded_at");
	OdrTime		closed = time_arg(fcinfo, 2, "closed_at");
	bool		result;
	OdrError	err;
	OdrStatus	st;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("response_days must not be NULL"),
				 errdetail("AliExpress gives the seller 5 days to respond (rule A11).")));
	st = odr_dispute_timed_out(opened, responded, closed, PG_GETARG_INT32(3),
							   &result, &err);
	if (st == ODR_ERR_INVALID && err.detail[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", err.message),
				 errdetail("opened_at is %s, seller_responded_at is %s, closed_at is %s.",
						   time_text(opened), time_text(responded), time_text(closed))));
	if (st != ODR_OK)
		odr_raise(st, &err, ODR_IN_ARGUMENT);
	PG_RETURN_BOOL(result);
}

/* odr_unshipped(ship_deadline, shipped_at, as_of) */
PG_FUNCTION_INFO_V1(odr_unshipped_fn);
Datum
odr_unshipped_fn(PG_FUNCTION_ARGS)
{
	OdrTime		deadline = time_arg(fcinfo, 0, "ship_deadline");
	OdrTime		shipped = time_arg(fcinfo, 1, "shipped_at");
	OdrTime		as_of = time_arg(fcinfo, 2, "as_of");
	bool		result;
	OdrError	err;
	OdrStatus	st = odr_unshipped(deadline, shipped, as_of, &result, &err);

	if (st != ODR_OK)
		odr_raise(st, &err, ODR_IN_ARGUMENT);
	PG_RETURN_BOOL(result);
}
