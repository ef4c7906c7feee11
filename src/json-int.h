/*
 * json-int.h - what the jansson modules (json-out.c, feed-json.c,
 * bounce-json.c, feed-jsonfeed.c) share.  Only those files include this
 * header.
 */
#ifndef GZ_JSON_INT_H
#define GZ_JSON_INT_H

#include <jansson.h>

/* A JSON string, or null for NULL (or text jansson refuses: not UTF-8). */
static inline json_t *
json_str_or_null(const char *s)
{
	json_t *j;

	if (s == NULL || (j = json_string(s)) == NULL)
		return json_null();
	return j;
}

#endif
