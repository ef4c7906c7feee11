/* fuzz-date.c - libFuzzer target: any string through the date parser and
 * back out through both formatters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[64];
	int64_t t;

	memcpy(s, data, size);
	s[size] = '\0';
	t = date_parse(s);
	if (t != DATE_NONE) {
		date_rfc3339(t, out);
		date_rfc5322(t, out);
	}
	free(s);
	return 0;
}
