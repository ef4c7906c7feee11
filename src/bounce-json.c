/*
 * bounce-json.c - struct bounce_list as JSON (jansson), in the shape the
 * shared corpus oracle uses so the reader can be compared with Sisimai.
 *
 * Reads the list only; never prints.
 */
#include <stdlib.h>

#include <jansson.h>

#include "bounce.h"
#include "bounce-json.h"
#include "xmalloc.h"

static json_t *
str_or_null(const char *s)
{
	json_t *j;

	if (s == NULL || (j = json_string(s)) == NULL)
		return json_null();
	return j;
}

static json_t *
bounce_json(const struct bounce *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "recipient", str_or_null(b->recipient));
	json_object_set_new(o, "class",
	    json_string(bounce_class_name(b->class)));
	json_object_set_new(o, "reason", str_or_null(b->reason));
	json_object_set_new(o, "status", str_or_null(b->status));
	json_object_set_new(o, "reply_code", str_or_null(b->reply_code));
	json_object_set_new(o, "action", str_or_null(b->action));
	json_object_set_new(o, "feedback_type", str_or_null(b->feedback_type));
	json_object_set_new(o, "diagnostic", str_or_null(b->diagnostic));
	return o;
}

char *
bounce_to_json(const struct bounce_list *bl)
{
	json_t *root = json_object(), *arr = json_array();
	char *s, *out;
	size_t i;

	for (i = 0; i < bl->n; i++)
		json_array_append_new(arr, bounce_json(&bl->v[i]));
	json_object_set_new(root, "bounces", arr);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	out = xstrdup(s ? s : "{\"bounces\": []}");
	free(s);
	return out;
}
