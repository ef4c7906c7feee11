/*
 * json-out.c - the commands' --json output (jansson).
 *
 * struct json_out is jansson's json_t under our own name, so that jansson
 * stays inside this file (and feed-json.c).  Never prints.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "json-out.h"
#include "xmalloc.h"

#define J(x)	((json_t *)(x))

struct json_out *
json_out_object(void)
{
	return (struct json_out *)json_object();
}

struct json_out *
json_out_array(void)
{
	return (struct json_out *)json_array();
}

static void
store(struct json_out *j, const char *key, json_t *v)
{
	if (v == NULL)
		v = json_null();
	if (key)
		json_object_set_new(J(j), key, v);
	else
		json_array_append_new(J(j), v);
}

/* Text that is not UTF-8 (rare: stored text is checked) loses its high
 * bytes rather than its key. */
static json_t *
text(const char *v)
{
	json_t *s;
	char *copy, *p;

	if (v == NULL)
		return json_null();
	if ((s = json_string(v)) != NULL)
		return s;
	copy = xstrdup(v);
	for (p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	s = json_string(copy);
	free(copy);
	return s;
}

void
json_out_str(struct json_out *j, const char *key, const char *v)
{
	store(j, key, text(v));
}

void
json_out_int(struct json_out *j, const char *key, int64_t v)
{
	store(j, key, json_integer((json_int_t)v));
}

void
json_out_time(struct json_out *j, const char *key, int64_t t)
{
	char out[32];

	store(j, key, t == 0 ? json_null() : text(date_rfc3339(t, out)));
}

void
json_out_csv(struct json_out *j, const char *key, const char *csv)
{
	json_t *a = json_array();
	const char *p = csv, *end;
	char *item;

	while (p && *p) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		item = xstrndup(p, (size_t)(end - p));
		json_array_append_new(a, text(item));
		free(item);
		p = *end ? end + 1 : end;
	}
	store(j, key, a);
}

void
json_out_put(struct json_out *j, const char *key, struct json_out *child)
{
	store(j, key, J(child));
}

char *
json_out_text(struct json_out *j)
{
	char *s = json_dumps(J(j), JSON_INDENT(2) | JSON_PRESERVE_ORDER), *out;

	json_decref(J(j));
	if (s == NULL)
		return xstrdup("null\n");
	out = xasprintf("%s\n", s);
	free(s);
	return out;
}

void
json_out_free(struct json_out *j)
{
	json_decref(J(j));
}
