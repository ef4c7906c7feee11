/*
 * feed-json.c - struct feed as JSON (jansson), in the shape the shared
 * corpus oracle uses so the parser can be compared with feedparser.
 *
 * Reads the struct only; never prints.
 */
#include <stdlib.h>
#include <string.h>


#include "date.h"
#include "feed.h"
#include "feed-json.h"
#include "html.h"
#include "json-int.h"
#include "xmalloc.h"

#define SUMMARY_CHARS 200

static json_t *
date_or_null(int64_t t)
{
	char out[32];

	if (t == DATE_NONE)
		return json_null();
	return json_string(date_rfc3339(t, out));
}

/* The first n characters (not bytes) of a UTF-8 string, in place. */
static void
cut_chars(char *s, size_t n)
{
	size_t chars = 0;
	char *p;

	for (p = s; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && chars++ == n) {
			*p = '\0';
			return;
		}
	}
}

/* Plain text of the summary, else of the content, like the oracle. */
static json_t *
summary_text(const struct feed_item *it)
{
	const char *srcs[2] = { it->summary_html, it->content_html };
	json_t *j;
	char *t;
	int i;

	for (i = 0; i < 2; i++) {
		if (srcs[i] == NULL)
			continue;
		t = html_to_text(srcs[i]);
		if (*t != '\0') {
			cut_chars(t, SUMMARY_CHARS);
			j = json_str_or_null(t);
			free(t);
			return j;
		}
		free(t);
	}
	return json_null();
}

static json_t *
item_json(const struct feed_item *it)
{
	json_t *o = json_object(), *cats = json_array();
	size_t i;

	for (i = 0; i < it->ncategories; i++)
		json_array_append_new(cats, json_str_or_null(it->categories[i]));
	json_object_set_new(o, "id", json_str_or_null(it->id));
	json_object_set_new(o, "title", json_str_or_null(it->title));
	json_object_set_new(o, "link", json_str_or_null(it->link));
	json_object_set_new(o, "enclosure", json_str_or_null(it->enclosure));
	json_object_set_new(o, "published", date_or_null(it->published));
	json_object_set_new(o, "updated", date_or_null(it->updated));
	json_object_set_new(o, "author", json_str_or_null(it->author));
	json_object_set_new(o, "author_email", json_str_or_null(it->author_email));
	json_object_set_new(o, "categories", cats);
	json_object_set_new(o, "summary_text", summary_text(it));
	json_object_set_new(o, "summary_html", json_str_or_null(it->summary_html));
	json_object_set_new(o, "content_html", json_str_or_null(it->content_html));
	return o;
}

char *
feed_to_json(const struct feed *f)
{
	json_t *root = json_object(), *feed = json_object(), *items = json_array();
	char *dump, *out;
	size_t i;

	json_object_set_new(feed, "title", json_str_or_null(f->title));
	json_object_set_new(feed, "link", json_str_or_null(f->link));
	json_object_set_new(feed, "self_link", json_str_or_null(f->self_link));
	json_object_set_new(feed, "format", json_str_or_null(f->format));
	json_object_set_new(feed, "warning", json_str_or_null(f->warning));
	for (i = 0; i < f->nitems; i++)
		json_array_append_new(items, item_json(&f->items[i]));
	json_object_set_new(root, "feed", feed);
	json_object_set_new(root, "items", items);
	dump = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	out = xstrdup(dump ? dump : "{}");
	free(dump);
	return out;
}
