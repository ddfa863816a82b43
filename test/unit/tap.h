/*
 * tap.h — a tiny TAP emitter shared by the plain-C unit tests: ok() prints
 * "ok N - ..." or "not ok N - ...", diag() a "# ..." line; the test prints
 * the plan "1..N" itself (printf("1..%d\n", ntests)) and exits 1 when
 * nfailed > 0.  Header-only: each test is one program.
 */
#ifndef ODR_TEST_TAP_H
#define ODR_TEST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int	ntests = 0;
static int	nfailed = 0;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3), unused))
#endif
static bool
ok(bool cond, const char *fmt,...)
{
	va_list		ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%s %d - ", cond ? "ok" : "not ok", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), unused))
#endif
static void
diag(const char *fmt,...)
{
	va_list		ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#endif
