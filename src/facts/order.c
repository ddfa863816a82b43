/*
 * order.c — an order's facts for a marketplace (issue 14): the odr_order
 * type (its day on each date basis, its events, its values, a buyer hash),
 * the generic constructor odr_order(marketplace, days, events, values,
 * buyer), the part-by-part builder the marketplaces' C constructors use
 * (src/marketplaces/), and order_row (an order as the engine's row).
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
/* odr_order: one order's facts                                         */
/* ------------------------------------------------------------------ */

#define ORDER_VERSION 1


#define ORDER_SIZE(nb, nv) (offsetof(OrderV, data) + sizeof(int64) * ((nb) + (nv)))

static OrderV *
order_new(int nbases, int nvalues)
{
	OrderV	   *o = palloc0(ORDER_SIZE(nbases, nvalues));

	SET_VARSIZE(o, ORDER_SIZE(nbases, nvalues));
	o->version = ORDER_VERSION;
	o->nbases = nbases;
	o->nvalues = nvalues;
	return o;
}

/* structural checks of a stored / received order */
static void
order_check(const OrderV *o, Size size, bool binary)
{
	const char *why = NULL;

	if (size < offsetof(OrderV, data))
		why = "too short";
	else if (o->version != ORDER_VERSION)
		why = "unknown version";
	else if (o->nbases < 1 || o->nbases > ODR_ENG_MAX_BASES || o->nvalues > ODR_ENG_MAX_VALUES)
		why = "bad number of date bases or values";
	else if (size != ORDER_SIZE(o->nbases, o->nvalues))
		why = "length does not match its counts";
	else if (o->reserved != 0)
		why = "reserved byte set";
	else
		for (int i = 0; i < o->nbases; i++)
		{
			int64		d = o->data[o->nvalues + i];

			if (d != ORDER_NO_DAY && !ORDER_DAY_OK(d))
				why = "a day outside the dates";
		}
	if (why)
		ereport(ERROR,
				(errcode(binary ? ERRCODE_INVALID_BINARY_REPRESENTATION : ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid odr_order: %s", why)));
}

PG_FUNCTION_INFO_V1(odr_order_out);
Datum
odr_order_out(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "v1 shape=%08x events=%llx buyer=%llx values=[", o->shape,
					 (unsigned long long) o->events, (unsigned long long) o->buyer);
	for (int i = 0; i < o->nvalues; i++)
		appendStringInfo(&s, "%s" INT64_FORMAT, i ? "," : "", o->data[i]);
	appendStringInfoString(&s, "] days=[");
	for (int i = 0; i < o->nbases; i++)
	{
		int64		d = o->data[o->nvalues + i];

		if (i)
			appendStringInfoChar(&s, ',');
		if (d == ORDER_NO_DAY)
			appendStringInfoString(&s, "null");
		else
		{
			int			y,
						mo,
						dd;

			j2date((int) d + POSTGRES_EPOCH_JDATE, &y, &mo, &dd);
			appendStringInfo(&s, "%04d-%02d-%02d", y, mo, dd);
		}
	}
	appendStringInfoChar(&s, ']');
	PG_RETURN_CSTRING(s.data);
}

static void
order_syntax(const char *str, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type odr_order: \"%s\"", str),
			 errdetail("%s", why)));
}

/* parse "[a,b,...]" of items; returns the items (NUL-terminated, in place) */
static int
parse_list(char **pp, char **items, int max, const char *str)
{
	char	   *p = *pp;
	int			n = 0;

	if (*p != '[')
		order_syntax(str, "a list must start with [.");
	p++;
	if (*p == ']')
	{
		*pp = p + 1;
		return 0;
	}
	for (;;)
	{
		char	   *start = p;

		while (*p && *p != ',' && *p != ']')
			p++;
		if (*p == '\0')
			order_syntax(str, "a list must end with ].");
		if (n == max)
			order_syntax(str, "a list has too many items.");
		items[n++] = start;
		if (*p == ']')
		{
			*p = '\0';
			*pp = p + 1;
			return n;
		}
		*p++ = '\0';
	}
}

PG_FUNCTION_INFO_V1(odr_order_in);
Datum
odr_order_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	char	   *buf = pstrdup(str);
	char	   *p = buf;
	unsigned int shape;
	unsigned long long events,
				buyer;
	int			used = 0;
	char	   *vals[ODR_ENG_MAX_VALUES + 1];
	char	   *days[ODR_ENG_MAX_BASES + 1];
	int			nv,
				nd;
	OrderV	   *o;

	if (sscanf(p, "v1 shape=%8x events=%llx buyer=%llx values=%n", &shape, &events, &buyer, &used) != 3 ||
		used == 0)
		order_syntax(str, "Expected \"v1 shape=H events=H buyer=H values=[...] days=[...]\".");
	p += used;
	nv = parse_list(&p, vals, ODR_ENG_MAX_VALUES + 1, str);
	if (strncmp(p, " days=", 6) != 0)
		order_syntax(str, "Expected \" days=[...]\" after the values.");
	p += 6;
	nd = parse_list(&p, days, ODR_ENG_MAX_BASES + 1, str);
	if (*p != '\0')
		order_syntax(str, "Unexpected text after the days.");
	if (nv > ODR_ENG_MAX_VALUES || nd < 1 || nd > ODR_ENG_MAX_BASES)
		order_syntax(str, "1 to 8 days and at most 8 values.");
	o = order_new(nd, nv);
	o->shape = shape;
	o->events = events;
	o->buyer = buyer;
	for (int i = 0; i < nv; i++)
	{
		char	   *end;

		errno = 0;
		o->data[i] = strtoll(vals[i], &end, 10);
		if (errno || end == vals[i] || *end)
			order_syntax(str, "A value is a whole number (1/10000 of the unit).");
	}
	for (int i = 0; i < nd; i++)
	{
		int			y,
					mo,
					d,
					n = 0;

		if (strcmp(days[i], "null") == 0)
		{
			o->data[nv + i] = ORDER_NO_DAY;
			continue;
		}
		if (sscanf(days[i], "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || days[i][n] != '\0' ||
			mo < 1 || mo > 12 || d < 1 || d > day_tab[isleap(y)][mo - 1] || y < 1)
			order_syntax(str, "A day is YYYY-MM-DD or null.");
		o->data[nv + i] = date2j(y, mo, d) - POSTGRES_EPOCH_JDATE;
	}
	order_check(o, VARSIZE(o), false);
	PG_RETURN_POINTER(o);
}

PG_FUNCTION_INFO_V1(odr_order_send);
Datum
odr_order_send(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, o->version);
	pq_sendbyte(&buf, o->nbases);
	pq_sendbyte(&buf, o->nvalues);
	pq_sendbyte(&buf, o->reserved);
	pq_sendint32(&buf, o->shape);
	pq_sendint64(&buf, o->events);
	pq_sendint64(&buf, o->buyer);
	for (int i = 0; i < o->nbases + o->nvalues; i++)
		pq_sendint64(&buf, o->data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(odr_order_recv);
Datum
odr_order_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	OrderV		head;
	OrderV	   *o;
	int			n;

	if (buf->len - buf->cursor < 24)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid odr_order: too short")));
	head.version = pq_getmsgbyte(buf);
	head.nbases = pq_getmsgbyte(buf);
	head.nvalues = pq_getmsgbyte(buf);
	head.reserved = pq_getmsgbyte(buf);
	if (head.nbases > ODR_ENG_MAX_BASES || head.nvalues > ODR_ENG_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid odr_order: bad number of date bases or values")));
	n = head.nbases + head.nvalues;
	if (buf->len - buf->cursor != 20 + 8 * n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid odr_order: length does not match its counts")));
	o = order_new(head.nbases, head.nvalues);
	o->version = head.version;
	o->reserved = head.reserved;
	o->shape = pq_getmsgint(buf, 4);
	o->events = pq_getmsgint64(buf);
	o->buyer = pq_getmsgint64(buf);
	for (int i = 0; i < n; i++)
		o->data[i] = pq_getmsgint64(buf);
	order_check(o, VARSIZE(o), true);
	PG_RETURN_POINTER(o);
}

/* numeric -> fixed point 1/10000, rounded half away from zero */
static int64
fixed_point(Datum num, const char *argname, int i)
{
	Datum		scaled = DirectFunctionCall2(numeric_mul, num,
											 DirectFunctionCall1(int4_numeric, Int32GetDatum(ODR_ENG_VALUE_SCALE)));
	Datum		rounded;

	if (numeric_is_nan(DatumGetNumeric(num)) || numeric_is_inf(DatumGetNumeric(num)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s[%d] must be a finite number", argname, i + 1)));
	rounded = DirectFunctionCall2(numeric_round, scaled, Int32GetDatum(0));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, rounded));
}

/* 22023 when an array argument of odr_order has not the marketplace's
 * number of elements, listing what it expects */
static void
count_check(const char *argname, int n, int expected, const char (*names)[ODR_ENG_NAME_LEN])
{
	if (n != expected)
	{
		StringInfoData s;

		initStringInfo(&s);
		for (int i = 0; i < expected; i++)
			appendStringInfo(&s, "%s%s", i ? ", " : "", names[i]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has %d elements, the marketplace expects %d", argname, n, expected),
				 errdetail("In order: %s.", expected ? s.data : "(none)")));
	}
}

static void
array_arg(FunctionCallInfo fcinfo, int argno, const char *argname, Oid elemtype,
		  Datum **elems, bool **nulls, int *n)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	int16		len;
	bool		byval;
	char		align;

	if (ARR_NDIM(a) > 1 || (ARR_NDIM(a) == 1 && ARR_LBOUND(a)[0] != 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array starting at 1", argname)));
	get_typlenbyvalalign(elemtype, &len, &byval, &align);
	deconstruct_array(a, elemtype, len, byval, align, elems, nulls, n);
}

/*
 * Filling an order, part by part, in one place for odr_order(...) and the
 * marketplaces' C constructors (src/marketplaces/): both give the same bytes
 * and raise the same errors.  Days are date Datums following the
 * marketplace's date bases; events its events (a NULL event: false); values
 * numeric Datums following its values (NULL: 0).
 */
static void
order_put_days(const Mkt *m, OrderV *o, int n, const Datum *days, const bool *nulls)
{
	const OdrPolicyDef *p = &m->def;

	count_check("days", n, p->nbases, m->bases);
	for (int i = 0; i < p->nbases; i++)
	{
		DateADT		d = nulls[i] ? 0 : DatumGetDateADT(days[i]);

		if (!nulls[i] && (DATE_NOT_FINITE(d) || !ORDER_DAY_OK(d)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("days[%d] (%s) must be a finite date from 0001-01-01 on", i + 1, m->bases[i])));
		o->data[p->nvalues + i] = nulls[i] ? ORDER_NO_DAY : d;
	}
}

static void
order_put_events(const Mkt *m, OrderV *o, int n, const bool *events, const bool *nulls)
{
	count_check("events", n, m->def.nevents, m->events);
	for (int i = 0; i < m->def.nevents; i++)
		if (!nulls[i] && events[i])
			o->events |= UINT64_C(1) << i;
}

static void
order_put_values(const Mkt *m, OrderV *o, int n, const Datum *values, const bool *nulls)
{
	count_check("values", n, m->def.nvalues, m->values);
	for (int i = 0; i < m->def.nvalues; i++)
		o->data[i] = nulls[i] ? 0 : fixed_point(values[i], "values", i);
}

static void
order_put_buyer(OrderV *o, const text *buyer)
{
	uint64		h = DatumGetUInt64(hash_any_extended((const unsigned char *) VARDATA_ANY(buyer),
													 VARSIZE_ANY_EXHDR(buyer), 0x6f6472));

	o->buyer = h == 0 ? 1 : h;
}

/*
 * An order of marketplace `name` from its parts (src/marketplace.h): as
 * odr_order(name, days, events, values, buyer) with arrays of those
 * elements; nvalues < 0: a NULL values array; buyer NULL: unknown.
 */
Datum
odr_order_from_parts(FunctionCallInfo fcinfo, const char *name,
					 int ndays, const Datum *days, const bool *daynulls,
					 int nevents, const bool *events, const bool *eventnulls,
					 int nvalues, const Datum *values, const bool *valuenulls,
					 const text *buyer)
{
	const Mkt  *m = marketplace_for(fcinfo, name);
	OrderV	   *o = order_new(m->def.nbases, m->def.nvalues);

	o->shape = m->shape;
	order_put_days(m, o, ndays, days, daynulls);
	order_put_events(m, o, nevents, events, eventnulls);
	if (nvalues >= 0)
		order_put_values(m, o, nvalues, values, valuenulls);
	if (buyer != NULL)
		order_put_buyer(o, buyer);
	return PointerGetDatum(o);
}

/*
 * odr_order(marketplace, days date[], events boolean[], values numeric[],
 * buyer text): the arrays follow the marketplace's date_bases, events and
 * values.  A NULL day: the order has no day on that basis (counted by no
 * counter of it); a NULL event: false; NULL values: 0; a NULL buyer: unknown
 * (counted by no DISTINCT counter).
 */
PG_FUNCTION_INFO_V1(odr_order_make);
Datum
odr_order_make(PG_FUNCTION_ARGS)
{
	const Mkt  *m = marketplace_arg(fcinfo, 0, "marketplace");
	const OdrPolicyDef *p = &m->def;
	OrderV	   *o = order_new(p->nbases, p->nvalues);
	Datum	   *el;
	bool	   *nu;
	int			n;

	o->shape = m->shape;
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("days must not be NULL")));
	array_arg(fcinfo, 1, "days", DATEOID, &el, &nu, &n);
	order_put_days(m, o, n, el, nu);
	if (!PG_ARGISNULL(2))
	{
		bool	   *ev;

		array_arg(fcinfo, 2, "events", BOOLOID, &el, &nu, &n);
		ev = palloc(sizeof(bool) * Max(n, 1));
		for (int i = 0; i < n; i++)
			ev[i] = !nu[i] && DatumGetBool(el[i]);
		order_put_events(m, o, n, ev, nu);
	}
	else if (p->nevents > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("events must not be NULL")));
	if (!PG_ARGISNULL(3))
	{
		array_arg(fcinfo, 3, "values", NUMERICOID, &el, &nu, &n);
		order_put_values(m, o, n, el, nu);
	}
	if (!PG_ARGISNULL(4))
		order_put_buyer(o, PG_GETARG_TEXT_PP(4));
	PG_RETURN_POINTER(o);
}

/* odr_order_days(o) -> date[]: its day on each date basis (NULL: none) */
PG_FUNCTION_INFO_V1(odr_order_days);
Datum
odr_order_days(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	Datum		d[ODR_ENG_MAX_BASES];
	bool		n[ODR_ENG_MAX_BASES];
	int			dims[1] = {o->nbases};
	int			lbs[1] = {1};

	for (int i = 0; i < o->nbases; i++)
	{
		int64		v = o->data[o->nvalues + i];

		n[i] = (v == ORDER_NO_DAY);
		d[i] = DateADTGetDatum(n[i] ? 0 : (DateADT) v);
	}
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, n, 1, dims, lbs, DATEOID, 4, true, TYPALIGN_INT));
}

/* odr_order_events(o, marketplace) -> text[]: the names of its events */
PG_FUNCTION_INFO_V1(odr_order_events);
Datum
odr_order_events(PG_FUNCTION_ARGS)
{
	OrderV	   *o = PG_GETARG_ORDER_P(0);
	const Mkt  *m = marketplace_arg(fcinfo, 1, "marketplace");
	Datum		d[ODR_ENG_MAX_EVENTS];
	int			n = 0;

	if (o->shape != m->shape)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the order was not built for marketplace \"%s\"", m->name),
				 errdetail("Its date bases, events or values differ from the marketplace's.")));
	for (int i = 0; i < m->def.nevents; i++)
		if (o->events & (UINT64_C(1) << i))
			d[n++] = CStringGetTextDatum(m->events[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

void
order_row(const OrderV *o, const Mkt *m, OdrEngRow *row)
{
	if (o->shape != m->shape || o->nbases != m->def.nbases || o->nvalues != m->def.nvalues)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the order was not built for marketplace \"%s\"", m->name),
				 errdetail("Its date bases, events or values differ from the marketplace's."),
				 errhint("Build it with odr_order('%s', ...) or the marketplace's constructor.", m->name)));
	memset(row, 0, sizeof(*row));
	row->events = o->events;
	row->buyer = o->buyer;
	for (int i = 0; i < o->nvalues; i++)
		row->values[i] = o->data[i];
	for (int i = 0; i < o->nbases; i++)
	{
		int64		d = o->data[o->nvalues + i];

		row->days[i] = d == ORDER_NO_DAY ? ODR_ENG_NO_DAY : d;
	}
}

/* odr_choice(value, argument, choices): value when it is one of choices
 * (or NULL), else 22023 naming the argument and the value */
PG_FUNCTION_INFO_V1(odr_choice);
Datum
odr_choice(PG_FUNCTION_ARGS)
{
	char	   *value;
	Datum	   *el;
	bool	   *nu;
	int			n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument and choices must not be NULL")));
	value = text_to_cstring(PG_GETARG_TEXT_PP(0));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT, &el, &nu, &n);
	for (int i = 0; i < n; i++)
		if (!nu[i] && strcmp(TextDatumGetCString(el[i]), value) == 0)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	{
		StringInfoData s;

		initStringInfo(&s);
		for (int i = 0; i < n; i++)
			if (!nu[i])
				appendStringInfo(&s, "%s%s", s.len ? ", " : "", TextDatumGetCString(el[i]));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s: \"%s\"", text_to_cstring(PG_GETARG_TEXT_PP(1)), value),
				 errhint("Use one of: %s.", s.data)));
	}
	PG_RETURN_NULL();
}
