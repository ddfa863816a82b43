/*
 * libFuzzer target: the text parsers of odr_defects and odr_summary.
 * Properties: a parse never crashes; whatever parses prints back to a
 * canonical text that parses to the same value and prints identically
 * (parse . print = identity on values, print . parse = identity on
 * canonical text); every parsed value passes validation.
 */
#include "odr_core.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	OdrError	err;
	OdrDefects	d,
				d2;
	OdrSummary	s,
				s2;
	char		buf[ODR_SUMMARY_TEXT_MAX],
				buf2[ODR_SUMMARY_TEXT_MAX];

	memcpy(text, data, size);
	text[size] = '\0';

	if (odr_defects_parse(text, &d, &err) == ODR_OK)
	{
		if (odr_defects_validate(d, &err) != ODR_OK)
			abort();
		odr_defects_format(d, buf, sizeof(buf));
		if (odr_defects_parse(buf, &d2, &err) != ODR_OK || d2 != d)
			abort();
		odr_defects_format(d2, buf2, sizeof(buf2));
		if (strcmp(buf, buf2) != 0)
			abort();
	}
	if (odr_summary_parse(text, &s, &err) == ODR_OK)
	{
		if (odr_summary_validate(&s, &err) != ODR_OK)
			abort();
		odr_summary_format(&s, buf, sizeof(buf));
		if (odr_summary_parse(buf, &s2, &err) != ODR_OK || memcmp(&s, &s2, sizeof(s)) != 0)
			abort();
		odr_summary_format(&s2, buf2, sizeof(buf2));
		if (strcmp(buf, buf2) != 0)
			abort();
	}
	free(text);
	return 0;
}
