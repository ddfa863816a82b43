/*
 * marketplace.h — what src/facts/order.c offers the marketplaces' own C
 * functions (src/marketplaces/): building an odr_order from its parts.
 */
#ifndef ODR_MARKETPLACE_H
#define ODR_MARKETPLACE_H

#include "postgres.h"

#include "fmgr.h"

/*
 * The odr_order of marketplace `name` (looked up as odr_order(name, ...)
 * does, cached in fcinfo's fn_extra, which the caller must leave alone) from
 * its parts, as odr_order(name, days, events, values, buyer) builds it from
 * arrays of these elements, with the same checks, errors and bytes:
 *   days, daynulls       ndays date Datums (NULL: no day on that basis)
 *   events, eventnulls   nevents booleans (NULL: false)
 *   values, valuenulls   nvalues numeric Datums (NULL: 0); nvalues < 0: a
 *                        NULL values array (every value 0)
 *   buyer                NULL: unknown
 */
extern Datum odr_order_from_parts(FunctionCallInfo fcinfo, const char *name,
								  int ndays, const Datum *days, const bool *daynulls,
								  int nevents, const bool *events, const bool *eventnulls,
								  int nvalues, const Datum *values, const bool *valuenulls,
								  const text *buyer);

#endif							/* ODR_MARKETPLACE_H */
