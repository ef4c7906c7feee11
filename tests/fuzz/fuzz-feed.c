/* fuzz-feed.c - libFuzzer target: any bytes through the feed parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "feed.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	struct feed *f = feed_parse((const char *)data, size,
	    "https://example.org/feed/", NULL, &err);

	feed_free(f);
	free(err);
	return 0;
}
