/*
 * peers_core.h — S2 peer scores of the 1688 service stars, plain C (no
 * PostgreSQL headers): which way each indicator is better, and a seller's
 * score among its peers.
 */
#ifndef PEERS_CORE_H
#define PEERS_CORE_H

#include <stdbool.h>
#include <stddef.h>

/* The five indicators (S3-S7), in the order of the composite (S8). */
typedef enum OdrIndicator
{
	ODR_IND_ON_TIME_RATE = 0,	/* S3, higher is better */
	ODR_IND_RESPONSE_RATE,		/* S4, higher is better */
	ODR_IND_QUALITY_REFUND_RATE,	/* S5, lower is better */
	ODR_IND_REFUND_HOURS,		/* S6, lower is better */
	ODR_IND_DISPUTE_RATE,		/* S7, lower is better */
	ODR_NINDICATORS
} OdrIndicator;

extern const char *const odr_indicator_names[ODR_NINDICATORS];

/* Index of an indicator name, or -1. */
int			odr_indicator_from_name(const char *name);

/* Lower values are better (S5, S6, S7). */
bool		odr_indicator_lower_is_better(OdrIndicator ind);

/* Rates must lie in [0, 1], hours in [0, inf); NaN never. */
bool		odr_indicator_value_ok(OdrIndicator ind, double value);

/* Sort values ascending (for odr_peer_score_of). */
void		odr_peer_sort(double *values, size_t n);

/*
 * S2: the score 0..5 of value among the n values of its peer group (sorted
 * ascending, value itself among them): 5 x (1 - the share of the other
 * n - 1 peers that do strictly better), the workbench's "behind x% of
 * peers" turned round, so peers tied with the seller cost it nothing.
 * Returns false (no score) when the group has no other member.
 */
bool		odr_peer_score_of(OdrIndicator ind, const double *sorted, size_t n,
							  double value, double *score);

#endif
