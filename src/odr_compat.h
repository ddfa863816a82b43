/*
 * odr_compat.h — every difference between PostgreSQL majors that odr's C
 * code meets, in one place, by PG_VERSION_NUM.  odr builds on 14 and newer
 * and is tested on 15, 17 and 18 (README: Compatibility); the rest of the
 * code uses only the names defined here, never PG_VERSION_NUM itself.
 * Included by odr.h, after postgres.h.
 */
#ifndef ODR_COMPAT_H
#define ODR_COMPAT_H

#if PG_VERSION_NUM < 140000
#error "odr needs PostgreSQL 14 or newer"
#endif

/* 16 moved the varlena macros (VARSIZE, SET_VARSIZE, ...) to varatt.h */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 17 moved a backend's local transaction id into MyProc->vxid.
 * (Needs storage/proc.h where it is used.)
 */
#if PG_VERSION_NUM >= 170000
#define ODR_MY_LXID (MyProc->vxid.lxid)
#else
#define ODR_MY_LXID (MyProc->lxid)
#endif

/*
 * 16 gave make_range a soft-error context; odr's ranges are always valid,
 * so it passes none.  (Needs utils/rangetypes.h where it is used.)
 */
#if PG_VERSION_NUM >= 160000
#define odr_make_range(typcache, lower, upper, empty) \
	make_range((typcache), (lower), (upper), (empty), NULL)
#else
#define odr_make_range(typcache, lower, upper, empty) \
	make_range((typcache), (lower), (upper), (empty))
#endif

/*
 * 15 reserves a custom-setting prefix (an unknown odr.* setting is then an
 * error); 14 can only warn about the ones already set.  (Needs utils/guc.h.)
 */
#if PG_VERSION_NUM >= 150000
#define odr_reserve_setting_prefix(prefix) MarkGUCPrefixReserved(prefix)
#else
#define odr_reserve_setting_prefix(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

#endif							/* ODR_COMPAT_H */
