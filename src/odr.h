/*
 * odr.h — PostgreSQL glue for odr: typed argument macros, version shims and
 * the mapping of core errors to SQLSTATEs.  The rules themselves are in
 * odr_core.h (plain C).
 */
#ifndef ODR_H
#define ODR_H

#include "postgres.h"

#include "fmgr.h"

#include "odr_compat.h"
#include "odr_core.h"

/* odr_defects: 4 bytes, passed by value */
#define DatumGetOdrDefects(X)		((OdrDefects) DatumGetUInt32(X))
#define OdrDefectsGetDatum(X)		UInt32GetDatum(X)
#define PG_GETARG_ODR_DEFECTS(n)	DatumGetOdrDefects(PG_GETARG_DATUM(n))
#define PG_RETURN_ODR_DEFECTS(x)	return OdrDefectsGetDatum(x)

/* odr_summary: fixed size, passed by reference, double aligned */
#define DatumGetOdrSummaryP(X)		((OdrSummary *) DatumGetPointer(X))
#define OdrSummaryPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_ODR_SUMMARY_P(n)	DatumGetOdrSummaryP(PG_GETARG_DATUM(n))
#define PG_RETURN_ODR_SUMMARY_P(x)	return OdrSummaryPGetDatum(x)

StaticAssertDecl(sizeof(OdrSummary) == ODR_SUMMARY_WIRE_SIZE,
				 "odr_summary has no padding");

/* Where an error is raised: it decides the SQLSTATE of syntax errors. */
typedef enum OdrErrorContext
{
	ODR_IN_TEXT_INPUT,			/* type input: 22P02 */
	ODR_IN_BINARY_INPUT,		/* type receive: 22P03 */
	ODR_IN_ARGUMENT				/* a function argument: 22023 */
} OdrErrorContext;

#ifdef pg_noreturn
#define ODR_NORETURN pg_noreturn
#else
#define ODR_NORETURN __attribute__((noreturn))
#endif

/* Raise the error a core function reported (never returns). */
ODR_NORETURN extern void odr_raise(OdrStatus status, const OdrError *err,
							 OdrErrorContext where);

/* Raise a type input error: 22P02, or 22003 for a number out of range. */
ODR_NORETURN extern void odr_raise_text_input(OdrStatus status,
											  const OdrError *err,
											  const char *typname,
											  const char *str);

/* Read a reason name argument; 22023 for an unknown one. */
extern OdrReason odr_reason_arg(text *name, const char *argname);

#endif							/* ODR_H */
