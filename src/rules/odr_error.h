/*
 * odr_error.h — filling an OdrError, for the plain-C rule files
 * (odr_core.c, indicators_core.c, response_core.c): no PostgreSQL here, so
 * the unit tests link each of them alone.
 */
#ifndef ODR_ERROR_H
#define ODR_ERROR_H

#include <stdarg.h>
#include <stdio.h>

#include "odr_core.h"

/* Set err's message (detail and hint emptied) and return status; err may be NULL. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline OdrStatus
odr_fail(OdrError *err, OdrStatus status, const char *fmt,...)
{
	if (err != NULL)
	{
		va_list		ap;

		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		err->detail[0] = '\0';
		err->hint[0] = '\0';
	}
	return status;
}

/* Set err's detail (after odr_fail); err may be NULL. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void
odr_set_detail(OdrError *err, const char *fmt,...)
{
	if (err != NULL)
	{
		va_list		ap;

		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
}

/* Set err's hint (after odr_fail); err may be NULL. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void
odr_set_hint(OdrError *err, const char *fmt,...)
{
	if (err != NULL)
	{
		va_list		ap;

		va_start(ap, fmt);
		vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
		va_end(ap);
	}
}

#endif							/* ODR_ERROR_H */
