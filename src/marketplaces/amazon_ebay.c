/*
 * amazon_ebay.c — the built-in marketplaces' order constructors in C
 * (issue 14): odr_amazon_order(...) (M1) and odr_ebay_order(...) (M2).
 *
 * Each was a LANGUAGE sql function building
 *   odr_order('amazon' | 'ebay', ARRAY[days], ARRAY[events], values, buyer)
 * with odr_choice(...) validating its text arguments; on every row that cost
 * as much as the aggregate it fed (arrays built and taken apart again, the
 * choices' arrays read, an integer printed to compare it as text).  These
 * compute the same events straight from the arguments and build the order
 * with odr_order_from_parts (src/facts/order.c), the code odr_order(...)
 * runs: the same bytes, the same errors, raised in the same order (the
 * choices first, in argument order, then odr_order's checks).  The
 * regression test marketplace_ctor compares both forms on generated rows.
 */
#include "odr.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "marketplace.h"

/* a text argument, NULL as NULL */
static inline text *
text_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : PG_GETARG_TEXT_PP(argno);
}

/*
 * The index of value among choices; 22023 naming the argument and the value
 * when it is none of them, as odr_choice(value, argument, choices) raises it
 * (the message and hint are odr_choice's).
 */
static int
choice(const char *value, size_t len, const char *argument, const char *const *choices, int n)
{
	StringInfoData s;

	for (int i = 0; i < n; i++)
		if (len > 0 && choices[i][0] == value[0] &&
			strncmp(choices[i], value, len) == 0 && choices[i][len] == '\0')
			return i;
	initStringInfo(&s);
	for (int i = 0; i < n; i++)
		appendStringInfo(&s, "%s%s", i ? ", " : "", choices[i]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s: \"%s\"", argument, pnstrdup(value, len)),
			 errhint("Use one of: %s.", s.data)));
	return -1;
}

/* choice() of a text argument; -1 for NULL */
static int
text_choice(const text *t, const char *argument, const char *const *choices, int n)
{
	if (t == NULL)
		return -1;
	return choice(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), argument, choices, n);
}

/* a boolean argument, NULL as false (COALESCE(arg, false)) */
static inline bool
bool_arg(FunctionCallInfo fcinfo, int argno)
{
	return !PG_ARGISNULL(argno) && PG_GETARG_BOOL(argno);
}

/* a > b for timestamptz arguments; NULL (false) when either is NULL */
static inline bool
later(FunctionCallInfo fcinfo, int a, int b)
{
	return !PG_ARGISNULL(a) && !PG_ARGISNULL(b) &&
		timestamp_cmp_internal(PG_GETARG_TIMESTAMPTZ(a), PG_GETARG_TIMESTAMPTZ(b)) > 0;
}

static const char *const cancelled_by_choices[] = {"seller", "auto", "buyer"};

#define CANCELLED_BY_SELLER 0
#define CANCELLED_BY_AUTO 1

/* ------------------------------------------------------------------ */
/* M1: odr_amazon_order                                                 */
/* ------------------------------------------------------------------ */

/* the arguments, as sql/odr.sql declares them */
enum
{
	AM_ORDER_DATE = 0,
	AM_FULFILMENT,
	AM_FEEDBACK_STARS,
	AM_CLAIM_STATUS,
	AM_CHARGEBACK,
	AM_EXPECTED_SHIP_AT,
	AM_SHIPPED_AT,
	AM_CANCELLED_AT,
	AM_CANCELLED_BY,
	AM_PROMISED_DELIVERY_DATE,
	AM_TRACKING_VALID,
	AM_BUYER,
	AM_NARGS
};

/* the marketplace's events, in its order (odr_marketplace.events) */
enum
{
	AM_EV_MFN = 0,
	AM_EV_AFN,
	AM_EV_NEGATIVE_FEEDBACK,
	AM_EV_CLAIM,
	AM_EV_CHARGEBACK,
	AM_EV_SHIPPED,
	AM_EV_LATE_SHIPMENT,
	AM_EV_CANCELLED_BY_SELLER,
	AM_EV_TRACKING_VALID,
	AM_NEVENTS
};

static const char *const fulfilment_choices[] = {"mfn", "afn"};
static const char *const stars_choices[] = {"1", "2", "3", "4", "5"};
static const char *const claim_choices[] = {"open", "granted", "denied", "withdrawn", "won_on_appeal"};

/*
 * odr_amazon_order(order_date, fulfilment, feedback_stars, claim_status,
 * chargeback, expected_ship_at, shipped_at, cancelled_at, cancelled_by,
 * promised_delivery_date, tracking_valid, buyer) -> odr_order of 'amazon'.
 * A defect (M1.1) is feedback of 1-2 stars, an open or granted A-to-z claim,
 * or a chargeback; late (M1.2) a ship confirmation strictly after
 * expected_ship_at; a pre-fulfilment cancel (M1.3) by the seller or auto,
 * before any ship confirmation; tracking (M1.4) as given.
 */
PG_FUNCTION_INFO_V1(odr_amazon_order);
Datum
odr_amazon_order(PG_FUNCTION_ARGS)
{
	Datum		days[2];
	bool		daynulls[2];
	bool		ev[AM_NEVENTS];
	bool		evnulls[AM_NEVENTS] = {0};
	text	   *fulfilment = text_arg(fcinfo, AM_FULFILMENT);
	int			f,
				stars = -1,
				claim,
				cancel;

	Assert(PG_NARGS() == AM_NARGS);

	/* the choices, in argument order: a NULL fulfilment is invalid too */
	f = fulfilment == NULL ? choice("(NULL)", 6, "fulfilment", fulfilment_choices, 2)
		: text_choice(fulfilment, "fulfilment", fulfilment_choices, 2);
	if (!PG_ARGISNULL(AM_FEEDBACK_STARS))
	{
		int32		s = PG_GETARG_INT32(AM_FEEDBACK_STARS);

		if (s >= 1 && s <= 5)
			stars = s;
		else
		{
			/* as odr_choice(feedback_stars::text, ...) reports it */
			char		buf[16];

			snprintf(buf, sizeof(buf), "%d", s);
			(void) choice(buf, strlen(buf), "feedback_stars", stars_choices, 5);
		}
	}
	claim = text_choice(text_arg(fcinfo, AM_CLAIM_STATUS), "claim_status", claim_choices, 5);
	cancel = text_choice(text_arg(fcinfo, AM_CANCELLED_BY), "cancelled_by", cancelled_by_choices, 3);

	days[0] = PG_GETARG_DATUM(AM_ORDER_DATE);
	daynulls[0] = PG_ARGISNULL(AM_ORDER_DATE);
	days[1] = PG_GETARG_DATUM(AM_PROMISED_DELIVERY_DATE);
	daynulls[1] = PG_ARGISNULL(AM_PROMISED_DELIVERY_DATE);

	ev[AM_EV_MFN] = f == 0;
	ev[AM_EV_AFN] = f == 1;
	ev[AM_EV_NEGATIVE_FEEDBACK] = stars == 1 || stars == 2;
	ev[AM_EV_CLAIM] = claim == 0 || claim == 1;	/* open, granted */
	ev[AM_EV_CHARGEBACK] = bool_arg(fcinfo, AM_CHARGEBACK);
	ev[AM_EV_SHIPPED] = !PG_ARGISNULL(AM_SHIPPED_AT);
	ev[AM_EV_LATE_SHIPMENT] = later(fcinfo, AM_SHIPPED_AT, AM_EXPECTED_SHIP_AT);
	/* by the seller or auto, and not after a ship confirmation */
	ev[AM_EV_CANCELLED_BY_SELLER] = (cancel == CANCELLED_BY_SELLER || cancel == CANCELLED_BY_AUTO) &&
		(PG_ARGISNULL(AM_SHIPPED_AT) || later(fcinfo, AM_SHIPPED_AT, AM_CANCELLED_AT));
	ev[AM_EV_TRACKING_VALID] = bool_arg(fcinfo, AM_TRACKING_VALID);

	return odr_order_from_parts(fcinfo, "amazon", 2, days, daynulls, AM_NEVENTS, ev, evnulls,
								-1, NULL, NULL, text_arg(fcinfo, AM_BUYER));
}

/* ------------------------------------------------------------------ */
/* M2: odr_ebay_order                                                   */
/* ------------------------------------------------------------------ */

enum
{
	EB_TRANSACTION_DATE = 0,
	EB_BUYER,
	EB_AMOUNT_USD,
	EB_CANCELLED_BY,
	EB_CASE_CLOSED,
	EB_EXPECTED_SHIP_AT,
	EB_SHIPPED_AT,
	EB_NARGS
};

enum
{
	EB_EV_CANCELLED_BY_SELLER = 0,
	EB_EV_CANCELLED,
	EB_EV_CASE_CLOSED,
	EB_EV_LATE_SHIPMENT,
	EB_NEVENTS
};

/*
 * odr_ebay_order(transaction_date, buyer, amount_usd, cancelled_by,
 * case_closed_without_seller_resolution, expected_ship_at, shipped_at) ->
 * odr_order of 'ebay'.  A defect (M2.1) is a cancel by the seller (not auto,
 * not buyer-requested) or a case closed without seller resolution; late
 * shipment is M1's test; sales exclude cancelled transactions.
 */
PG_FUNCTION_INFO_V1(odr_ebay_order);
Datum
odr_ebay_order(PG_FUNCTION_ARGS)
{
	Datum		days[1];
	bool		daynulls[1];
	bool		ev[EB_NEVENTS];
	bool		evnulls[EB_NEVENTS] = {0};
	Datum		values[1];
	bool		valuenulls[1];
	int			cancel;

	Assert(PG_NARGS() == EB_NARGS);

	cancel = text_choice(text_arg(fcinfo, EB_CANCELLED_BY), "cancelled_by", cancelled_by_choices, 3);

	days[0] = PG_GETARG_DATUM(EB_TRANSACTION_DATE);
	daynulls[0] = PG_ARGISNULL(EB_TRANSACTION_DATE);

	ev[EB_EV_CANCELLED_BY_SELLER] = cancel == CANCELLED_BY_SELLER;
	ev[EB_EV_CANCELLED] = cancel >= 0;
	ev[EB_EV_CASE_CLOSED] = bool_arg(fcinfo, EB_CASE_CLOSED);
	ev[EB_EV_LATE_SHIPMENT] = later(fcinfo, EB_SHIPPED_AT, EB_EXPECTED_SHIP_AT);

	values[0] = PG_GETARG_DATUM(EB_AMOUNT_USD);
	valuenulls[0] = PG_ARGISNULL(EB_AMOUNT_USD);

	return odr_order_from_parts(fcinfo, "ebay", 1, days, daynulls, EB_NEVENTS, ev, evnulls,
								1, values, valuenulls, text_arg(fcinfo, EB_BUYER));
}
