/* fuzz-opml.c - libFuzzer target: any bytes through the OPML reader; what
 * it accepts must come back from the writer as OPML it accepts again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "opml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL, *text;
	long line;
	size_t len;
	struct opml *o = opml_parse((const char *)data, size, &line, &err), *again;

	free(err);
	if (o == NULL)
		return 0;
	text = opml_write(o, 0, &len);
	again = opml_parse(text, len, &line, &err);
	if (again == NULL || again->nfeeds != o->nfeeds)
		abort();
	opml_free(again);
	free(text);
	opml_free(o);
	return 0;
}
