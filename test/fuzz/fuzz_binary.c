/*
 * libFuzzer target: the binary decoders.  A decoded odr_summary is valid
 * and encodes back to the same bytes; an odr_defects word is accepted
 * exactly when it validates, and then round-trips through text.
 */
#include "odr_core.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	OdrError	err;
	OdrSummary	s;
	unsigned char wire[ODR_SUMMARY_WIRE_SIZE];

	if (odr_summary_decode(data, size, &s, &err) == ODR_OK)
	{
		if (size != ODR_SUMMARY_WIRE_SIZE || odr_summary_validate(&s, &err) != ODR_OK)
			abort();
		odr_summary_encode(&s, wire);
		if (memcmp(wire, data, ODR_SUMMARY_WIRE_SIZE) != 0)
			abort();
	}
	if (size >= 4)
	{
		OdrDefects	d = ((uint32_t) data[0] << 24) | ((uint32_t) data[1] << 16) |
			((uint32_t) data[2] << 8) | data[3];
		OdrDefects	d2;
		char		buf[ODR_DEFECTS_TEXT_MAX];

		if (odr_defects_validate(d, &err) == ODR_OK)
		{
			odr_defects_format(d, buf, sizeof(buf));
			if (odr_defects_parse(buf, &d2, &err) != ODR_OK || d2 != d)
				abort();
		}
	}
	return 0;
}
