/*
 * summary.c — the odr_summary type, the odr_agg and odr_rollup aggregates
 * (transition, combine, inverse), summary arithmetic and the accessors that
 * return plain numbers (A12, A15, A16).
 */
#include "odr.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "common/hashfn.h"
#include "utils/jsonb.h"

static OdrSummary *
summary_palloc(void)
{
	return (OdrSummary *) palloc(sizeof(OdrSummary));
}

static OdrSummary *
summary_copy(const OdrSummary *s)
{
	OdrSummary *copy = summary_palloc();

	memcpy(copy, s, sizeof(OdrSummary));
	return copy;
}

static inline void
raise_if_failed(OdrStatus status, const OdrError *err)
{
	if (status != ODR_OK)
		odr_raise(status, err, ODR_IN_ARGUMENT);
}

/*
 * The state an aggregate support function may change: the aggregate's own
 * state in place when called as an aggregate, otherwise a copy (a function
 * must not scribble on its arguments).
 */
static OdrSummary *
state_arg(FunctionCallInfo fcinfo)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);

	return AggCheckCallContext(fcinfo, NULL) ? s : summary_copy(s);
}

static void
require_aggregate(FunctionCallInfo fcinfo, const char *fname)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of an aggregate", fname)));
}

/* ------------------------------------------------------------------ */
/* Type I/O                                                             */
/* ------------------------------------------------------------------ */

/* text input: (orders=N,defective=N,...) */
PG_FUNCTION_INFO_V1(odr_summary_in);
Datum
odr_summary_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	OdrSummary *s = summary_palloc();
	OdrError	err;
	OdrStatus	st = odr_summary_parse(str, s, &err);

	if (st != ODR_OK)
		odr_raise_text_input(st, &err, "odr_summary", str);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* text output: every count, in a fixed order */
PG_FUNCTION_INFO_V1(odr_summary_out);
Datum
odr_summary_out(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	char	   *buf = palloc(ODR_SUMMARY_TEXT_MAX);

	odr_summary_format(s, buf, ODR_SUMMARY_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/* binary input: version, flags, 18 int64; validated as text input is */
PG_FUNCTION_INFO_V1(odr_summary_recv);
Datum
odr_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	OdrSummary *s = summary_palloc();
	int			len = buf->len - buf->cursor;
	OdrError	err;
	OdrStatus	st;

	st = odr_summary_decode((const unsigned char *) pq_getmsgbytes(buf, len),
							(size_t) len, s, &err);
	if (st != ODR_OK)
		odr_raise(st, &err, ODR_IN_BINARY_INPUT);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* binary output */
PG_FUNCTION_INFO_V1(odr_summary_send);
Datum
odr_summary_send(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	unsigned char wire[ODR_SUMMARY_WIRE_SIZE];
	StringInfoData buf;

	odr_summary_encode(s, wire);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) wire, ODR_SUMMARY_WIRE_SIZE);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* cast to jsonb: every count and the derived rates */
PG_FUNCTION_INFO_V1(odr_summary_jsonb);
Datum
odr_summary_jsonb(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	char	   *buf = palloc(ODR_SUMMARY_JSON_MAX);

	odr_summary_format_json(s, buf, ODR_SUMMARY_JSON_MAX);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf));
}

/*
 * Comparison: count by count in text order.  Equal means the same counts;
 * the order itself only serves sorting, DISTINCT and btree indexes.
 */
static int
summary_cmp(const OdrSummary *a, const OdrSummary *b)
{
	const int64 *ac = odr_summary_counts_const(a);
	const int64 *bc = odr_summary_counts_const(b);

	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		if (ac[i] != bc[i])
			return ac[i] < bc[i] ? -1 : 1;
	}
	return 0;
}

PG_FUNCTION_INFO_V1(odr_summary_cmp);
Datum
odr_summary_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(summary_cmp(PG_GETARG_ODR_SUMMARY_P(0), PG_GETARG_ODR_SUMMARY_P(1)));
}

#define CMP_FN(fname, op) \
PG_FUNCTION_INFO_V1(fname); \
Datum \
fname(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(summary_cmp(PG_GETARG_ODR_SUMMARY_P(0), \
							   PG_GETARG_ODR_SUMMARY_P(1)) op 0); \
}

CMP_FN(odr_summary_eq, ==)
CMP_FN(odr_summary_ne, !=)
CMP_FN(odr_summary_lt, <)
CMP_FN(odr_summary_le, <=)
CMP_FN(odr_summary_gt, >)
CMP_FN(odr_summary_ge, >=)

PG_FUNCTION_INFO_V1(odr_summary_hash);
Datum
odr_summary_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) PG_GETARG_ODR_SUMMARY_P(0),
					sizeof(OdrSummary));
}

/* ------------------------------------------------------------------ */
/* Aggregates                                                           */
/* ------------------------------------------------------------------ */

/* odr_agg transition: count one order's verdict */
PG_FUNCTION_INFO_V1(odr_agg_transfn);
Datum
odr_agg_transfn(PG_FUNCTION_ARGS)
{
	OdrSummary *s = state_arg(fcinfo);
	OdrError	err;

	raise_if_failed(odr_summary_add_order(s, PG_GETARG_ODR_DEFECTS(1), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* odr_agg inverse transition: an order leaves a moving window */
PG_FUNCTION_INFO_V1(odr_agg_invfn);
Datum
odr_agg_invfn(PG_FUNCTION_ARGS)
{
	OdrSummary *s;
	OdrError	err;

	require_aggregate(fcinfo, "odr_agg_invfn");
	s = state_arg(fcinfo);
	raise_if_failed(odr_summary_remove_order(s, PG_GETARG_ODR_DEFECTS(1), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* odr_rollup transition and the combine function of both aggregates */
PG_FUNCTION_INFO_V1(odr_rollup_transfn);
Datum
odr_rollup_transfn(PG_FUNCTION_ARGS)
{
	OdrSummary *s = state_arg(fcinfo);
	OdrError	err;

	raise_if_failed(odr_summary_add(s, PG_GETARG_ODR_SUMMARY_P(1), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* odr_rollup inverse transition */
PG_FUNCTION_INFO_V1(odr_rollup_invfn);
Datum
odr_rollup_invfn(PG_FUNCTION_ARGS)
{
	OdrSummary *s;
	OdrError	err;

	require_aggregate(fcinfo, "odr_rollup_invfn");
	s = state_arg(fcinfo);
	raise_if_failed(odr_summary_subtract(s, PG_GETARG_ODR_SUMMARY_P(1), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/*
 * Final function: hand out a copy, so that a result already returned is
 * never changed by the in-place updates of a moving window.
 */
PG_FUNCTION_INFO_V1(odr_summary_finalfn);
Datum
odr_summary_finalfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_ODR_SUMMARY_P(summary_copy(PG_GETARG_ODR_SUMMARY_P(0)));
}

/* a + b */
PG_FUNCTION_INFO_V1(odr_summary_plus);
Datum
odr_summary_plus(PG_FUNCTION_ARGS)
{
	OdrSummary *s = summary_copy(PG_GETARG_ODR_SUMMARY_P(0));
	OdrError	err;

	raise_if_failed(odr_summary_add(s, PG_GETARG_ODR_SUMMARY_P(1), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* a - b: the orders of a that are not in b */
PG_FUNCTION_INFO_V1(odr_summary_minus);
Datum
odr_summary_minus(PG_FUNCTION_ARGS)
{
	OdrSummary *s = summary_copy(PG_GETARG_ODR_SUMMARY_P(0));
	OdrError	err;

	raise_if_failed(odr_summary_subtract(s, PG_GETARG_ODR_SUMMARY_P(1), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* odr_summary_of(odr_defects): the summary of one order */
PG_FUNCTION_INFO_V1(odr_summary_from_defects);
Datum
odr_summary_from_defects(PG_FUNCTION_ARGS)
{
	OdrSummary *s = summary_palloc();
	OdrError	err;

	odr_summary_init(s);
	raise_if_failed(odr_summary_add_order(s, PG_GETARG_ODR_DEFECTS(0), &err), &err);
	PG_RETURN_ODR_SUMMARY_P(s);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                            */
/* ------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(odr_summary_orders);
Datum
odr_summary_orders(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ODR_SUMMARY_P(0)->orders);
}

PG_FUNCTION_INFO_V1(odr_summary_defective);
Datum
odr_summary_defective(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ODR_SUMMARY_P(0)->defective);
}

/* odr_reason_count(s, reason) */
PG_FUNCTION_INFO_V1(odr_summary_reason_count);
Datum
odr_summary_reason_count(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	OdrReason	r = odr_reason_arg(PG_GETARG_TEXT_PP(1), "reason");

	PG_RETURN_INT64(s->reason[r]);
}

/* odr_count(s, name): any count of the summary by its text-form name */
PG_FUNCTION_INFO_V1(odr_summary_count);
Datum
odr_summary_count(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	text	   *name = PG_GETARG_TEXT_PP(1);
	const char *str = VARDATA_ANY(name);
	size_t		len = VARSIZE_ANY_EXHDR(name);

	for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
	{
		if (strlen(odr_summary_field_names[i]) == len &&
			memcmp(odr_summary_field_names[i], str, len) == 0)
			PG_RETURN_INT64(odr_summary_counts_const(s)[i]);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown count \"%s\"", text_to_cstring(name)),
			 errdetail("The counts are the names in the text form of odr_summary, for example orders, defective, unshipped, rated, dsr_item_sum.")));
	PG_RETURN_NULL();
}

/* odr_metric(s, metric): any metric by name, NULL when undefined */
PG_FUNCTION_INFO_V1(odr_summary_metric_fn);
Datum
odr_summary_metric_fn(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	text	   *name = PG_GETARG_TEXT_PP(1);
	int			m = odr_metric_from_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	double		v;

	if (m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown metric \"%s\"", text_to_cstring(name)),
				 errdetail("The metrics are odr, orders, defective, seller_responsible_arbitration_rate, positive_feedback_rate, dsr_item_avg, dsr_communication_avg and dsr_shipping_avg.")));
	if (!odr_summary_metric(s, (OdrMetric) m, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

/* the companion metrics of A16, one function each */
#define METRIC_FN(fname, metric) \
PG_FUNCTION_INFO_V1(fname); \
Datum \
fname(PG_FUNCTION_ARGS) \
{ \
	double		v; \
	if (!odr_summary_metric(PG_GETARG_ODR_SUMMARY_P(0), (metric), &v)) \
		PG_RETURN_NULL(); \
	PG_RETURN_FLOAT8(v); \
}

/* odr_rate: defective / orders, NULL with no orders (A15) */
METRIC_FN(odr_summary_rate, ODR_METRIC_ODR)
METRIC_FN(odr_summary_seller_resp_rate, ODR_METRIC_SELLER_RESP_RATE)
METRIC_FN(odr_summary_positive_rate, ODR_METRIC_POSITIVE_RATE)
METRIC_FN(odr_summary_dsr_item_avg, ODR_METRIC_DSR_ITEM)
METRIC_FN(odr_summary_dsr_communication_avg, ODR_METRIC_DSR_COMMUNICATION)
METRIC_FN(odr_summary_dsr_shipping_avg, ODR_METRIC_DSR_SHIPPING)
