/*
 * libFuzzer target: summary arithmetic.  The input is a sequence of
 * operations on two summaries (add an order, remove an order, add, subtract,
 * and counts pushed near INT64_MAX).  Properties: counts never go negative
 * or wrap; every operation either succeeds leaving a valid summary or fails
 * leaving its operand unchanged; add then subtract returns the operand.
 */
#include "odr_core.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static OdrDefects
verdict(const uint8_t *p)
{
	OdrOrderFacts f;
	OdrDefects	d = 0;

	memset(&f, 0, sizeof(f));
	for (int r = 0; r < ODR_NRATINGS; r++)
	{
		f.rating_given[r] = (p[0] >> r) & 1;
		f.rating[r] = 1 + (p[1 + r / 2] >> (4 * (r % 2))) % 5;
	}
	f.unshipped = p[0] & 0x10;
	f.arbitration = p[0] & 0x20;
	f.dispute_timeout = p[0] & 0x40;
	f.not_received_closed = p[0] & 0x80;
	f.arbitration_seller_responsible = f.arbitration && (p[1] & 0x80);
	f.under_5_usd = p[2] & 0x80;
	if (odr_classify_order(&f, &d, NULL) != ODR_OK)
		abort();				/* only valid facts are built */
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	OdrSummary	a,
				b,
				before;
	OdrError	err;

	odr_summary_init(&a);
	odr_summary_init(&b);
	while (size >= 4)
	{
		uint8_t		op = data[0] % 7;
		OdrDefects	d = verdict(data + 1);
		OdrStatus	st;

		before = a;
		switch (op)
		{
			case 0:
				st = odr_summary_add_order(&a, d, &err);
				break;
			case 1:
				st = odr_summary_remove_order(&a, d, &err);
				break;
			case 2:
				st = odr_summary_add_order(&b, d, &err);
				break;
			case 3:
				st = odr_summary_add(&a, &b, &err);
				if (st == ODR_OK)
				{
					OdrSummary	back = a;

					if (odr_summary_subtract(&back, &b, &err) != ODR_OK ||
						memcmp(&back, &before, sizeof(back)) != 0)
						abort();
				}
				break;
			case 4:
				st = odr_summary_subtract(&a, &b, &err);
				break;
			case 5:
				/* scale every count of a towards the limit, keeping it valid */
				{
					int64_t    *c = odr_summary_counts(&a);
					int			shift = data[1] % 62;

					for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
						if (c[i] > (INT64_MAX >> shift))
							shift = 0;
					for (int i = 0; i < ODR_SUMMARY_NCOUNTS && shift; i++)
						c[i] <<= shift;
					st = ODR_OK;
				}
				break;
			default:
				st = odr_summary_add(&b, &a, &err);
				break;
		}
		if (st != ODR_OK && memcmp(&a, &before, sizeof(a)) != 0)
			abort();			/* a failed operation changed its operand */
		if (odr_summary_validate(&a, &err) != ODR_OK || odr_summary_validate(&b, &err) != ODR_OK)
			abort();
		for (int i = 0; i < ODR_SUMMARY_NCOUNTS; i++)
			if (odr_summary_counts(&a)[i] < 0 || odr_summary_counts(&b)[i] < 0)
				abort();
		data += 4;
		size -= 4;
	}
	return 0;
}
