/*
 * feed-jsonfeed.h - JSON Feed documents into struct feed (feed-jsonfeed.c).
 *
 * Private to the feed module: feed_parse hands a document here when it
 * starts like a JSON object, so callers never choose a reader.
 */
#ifndef GZ_FEED_JSONFEED_H
#define GZ_FEED_JSONFEED_H

#include <stddef.h>

struct feed;

/*
 * Parse a JSON Feed 1.0 or 1.1 document; base_url as for feed_parse.
 * Returns NULL and sets *err (caller frees) when the bytes are not JSON or
 * not a JSON Feed; problems with single items or fields are skipped and
 * the first is described in feed->warning.
 */
struct feed *feed_jsonfeed_parse(const char *data, size_t len,
	    const char *base_url, char **err);

#endif
