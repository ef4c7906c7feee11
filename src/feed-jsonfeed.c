/*
 * feed-jsonfeed.c - JSON Feed 1.0 and 1.1 (jsonfeed.org) into struct feed.
 *
 * jansson reads the whole document into a tree, and its fields fill the
 * same struct feed the RSS/Atom reader fills, through the same helpers:
 * titles collapsed, HTML sanitized, dates read by date_parse, links
 * resolved and their schemes checked.  A field of the wrong type is
 * ignored and an item that is no object skipped, the first such problem
 * told in feed->warning; only a document that is not a JSON Feed at all is
 * an error.  Never prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "feed-jsonfeed.h"
#include "feed-text.h"
#include "html.h"
#include "json-int.h"
#include "xmalloc.h"

#define VERSION_PREFIX	"https://jsonfeed.org/version/"
/*
 * jansson's tree costs tens of bytes a value, so ten megabytes of "[0,0,..."
 * would cost hundreds of megabytes: count first.  A feed at the item cap
 * with fifty values an item still fits.
 */
#define MAX_VALUES	1000000

struct jf {
	struct feed	*f;
	size_t		 itemcap;
	const char	*base;		/* the document's URL, or NULL */
	int		 utf8;		/* the bytes were valid UTF-8 */
	size_t		 problems;	/* noted, the first in f->warning */
};

static void __attribute__((format(printf, 2, 3)))
note(struct jf *j, const char *fmt, ...)
{
	va_list ap;

	if (j->problems++ > 0)
		return;
	va_start(ap, fmt);
	j->f->warning = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Commas and openings outside strings: at least the values there are. */
static size_t
count_values(const char *p, size_t len)
{
	size_t n = 0, i;
	int in_str = 0;

	for (i = 0; i < len; i++) {
		if (in_str && p[i] == '\\')
			i++;
		else if (p[i] == '"')
			in_str = !in_str;
		else if (!in_str && (p[i] == ',' || p[i] == '[' || p[i] == '{'))
			n++;
	}
	return n;
}

/* A string member as new text; NULL when absent, null or not a string. */
static char *
str_member(struct jf *j, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		note(j, "JSON Feed: %s: \"%s\" is not a string (ignored)",
		    where, key);
		return NULL;
	}
	return feed_fix_text(xstrdup(json_string_value(v)), j->utf8);
}

/* A string member passed through fn (feed_collapse, feed_trim), or NULL. */
static char *
member_as(struct jf *j, json_t *o, const char *key, const char *where,
    char *(*fn)(const char *))
{
	char *s = str_member(j, o, key, where), *t;

	if (s == NULL)
		return NULL;
	t = fn(s);
	free(s);
	return t;
}

static char *
text_member(struct jf *j, json_t *o, const char *key, const char *where)
{
	return member_as(j, o, key, where, feed_collapse);
}

/* The base a relative URL resolves against: document, feed_url, home page. */
static const char *
base_of(const struct jf *j)
{
	if (j->base != NULL)
		return j->base;
	return j->f->self_link != NULL ? j->f->self_link : j->f->link;
}

/* A URL member made absolute, or NULL (absent, relative to nothing, unsafe). */
static char *
url_member(struct jf *j, json_t *o, const char *key, const char *where)
{
	char *u = member_as(j, o, key, where, feed_trim);

	feed_fix_link(&u, base_of(j), NULL);
	return u;
}

static int64_t
date_member(struct jf *j, json_t *o, const char *key, const char *where)
{
	char *s = member_as(j, o, key, where, feed_trim);
	int64_t d = s != NULL ? date_parse(s) : DATE_NONE;

	free(s);
	return d;
}

/* The id: a string, or a number as its text (1.1 asks readers to coerce). */
static char *
id_of(struct jf *j, json_t *o, const char *where)
{
	json_t *v = json_object_get(o, "id");

	if (json_is_integer(v))
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%.17g", json_real_value(v));
	return member_as(j, o, "id", where, feed_trim);
}

/*
 * Plain text as HTML: escaped, blank lines between paragraphs, line breaks
 * kept, so that content_text reads in a digest as it was written.
 */
static char *
text_to_html(const char *s)
{
	char *e = html_escape(s), *p;
	struct buf b;

	buf_init(&b, 0);
	buf_puts(&b, "<p>");
	for (p = e; *p != '\0'; p++) {
		if (p[0] == '\r')
			continue;
		if (p[0] == '\n' && p[1] == '\n') {
			while (p[1] == '\n' || p[1] == '\r')
				p++;
			buf_puts(&b, "</p><p>");
		} else if (p[0] == '\n')
			buf_puts(&b, "<br>");
		else
			buf_putc(&b, *p);
	}
	buf_puts(&b, "</p>");
	free(e);
	return buf_detach(&b);
}

/* Sanitized HTML from HTML (is_html) or plain text; NULL when blank. */
static char *
html_of(char *s, int is_html, const char *base)
{
	char *t, *html;

	if (s == NULL || (t = feed_trim(s)) == NULL) {
		free(s);
		return NULL;
	}
	free(t);
	html = is_html ? s : text_to_html(s);
	t = html_sanitize(html, base);
	if (html != s)
		free(html);
	free(s);
	return t;
}

/* "mailto:jo@example.org?subject=x" gives "jo@example.org". */
static char *
mailto_address(const char *url)
{
	if (url == NULL || strncasecmp(url, "mailto:", 7) != 0)
		return NULL;
	url += 7;
	if (*url == '\0' || *url == '?')
		return NULL;
	return xstrndup(url, strcspn(url, "?"));
}

/* One author object into the item; 0 when it named nobody. */
static int
author_of(struct jf *j, struct feed_item *it, json_t *a, const char *where)
{
	char *name, *url, *email;

	if (!json_is_object(a))
		return 0;
	name = text_member(j, a, "name", where);
	url = str_member(j, a, "url", where);
	email = mailto_address(url);
	free(url);
	if (name == NULL && email == NULL)
		return 0;
	it->author = name != NULL ? name : xstrdup(email);
	it->author_email = email;
	return 1;
}

/*
 * The first author who is named: 1.1's authors, else 1.0's author, which
 * 1.1 readers are asked to keep reading.  One author, as for RSS and Atom.
 */
static void
authors_of(struct jf *j, struct feed_item *it, json_t *o, const char *where)
{
	json_t *list = json_object_get(o, "authors"), *a;
	size_t i;

	if (list != NULL && !json_is_array(list) && !json_is_null(list))
		note(j, "JSON Feed: %s: \"authors\" is not an array (ignored)",
		    where);
	json_array_foreach(list, i, a) {
		if (author_of(j, it, a, where))
			return;
	}
	author_of(j, it, json_object_get(o, "author"), where);
}

static void
tags_of(struct feed_item *it, json_t *o)
{
	json_t *tag;
	size_t i;

	json_array_foreach(json_object_get(o, "tags"), i, tag) {
		if (json_is_string(tag))
			feed_add_category(it, json_string_value(tag));
	}
}

/*
 * content_html is the item page's own HTML, so its relative references
 * mean what they mean there: resolve them against the item's URL.
 */
static void
content_of(struct jf *j, struct feed_item *it, json_t *o, const char *where)
{
	const char *base = it->link != NULL ? it->link : base_of(j);
	char *s;

	if ((s = str_member(j, o, "content_html", where)) != NULL)
		it->content_html = html_of(s, 1, base);
	if (it->content_html == NULL &&
	    (s = str_member(j, o, "content_text", where)) != NULL)
		it->content_html = html_of(s, 0, base);
	/* JSON Feed summaries are plain text, like an Atom type="text". */
	it->summary_html = html_of(str_member(j, o, "summary", where), 0, base);
}

/* The first attachment's URL (a podcast episode's audio), or NULL. */
static char *
attachment_of(struct jf *j, json_t *o, const char *where)
{
	json_t *a = json_object_get(o, "attachments");

	if (!json_is_array(a) || !json_is_object(json_array_get(a, 0)))
		return NULL;
	return url_member(j, json_array_get(a, 0), "url", where);
}

static void
item_of(struct jf *j, struct feed_item *it, json_t *o, const char *where)
{
	it->id = id_of(j, o, where);
	it->title = text_member(j, o, "title", where);
	/* A link post's url may be missing: the page it links to stands in. */
	if ((it->link = url_member(j, o, "url", where)) == NULL)
		it->link = url_member(j, o, "external_url", where);
	it->enclosure = attachment_of(j, o, where);
	it->published = date_member(j, o, "date_published", where);
	it->updated = date_member(j, o, "date_modified", where);
	authors_of(j, it, o, where);
	tags_of(it, o);
	content_of(j, it, o, where);
}

static void
items_of(struct jf *j, json_t *items)
{
	struct feed_item *it;
	json_t *o;
	size_t i;
	char where[40];

	json_array_foreach(items, i, o) {
		snprintf(where, sizeof where, "item %zu", i + 1);
		if (!json_is_object(o)) {
			note(j, "JSON Feed: %s is not an object (skipped)", where);
			continue;
		}
		if ((it = feed_item_add(j->f, &j->itemcap)) == NULL) {
			note(j, "JSON Feed: items after %zu skipped (too many)", i);
			return;
		}
		item_of(j, it, o, where);
	}
}

/* "json10" for version 1, "json11" for 1.1, likewise for later ones. */
static char *
format_of(const char *version)
{
	unsigned major, minor = 0;

	if (sscanf(version + strlen(VERSION_PREFIX), "%u.%u", &major,
	    &minor) < 1 || major > 9 || minor > 9)
		return xstrdup("json");
	return xasprintf("json%u%u", major, minor);
}

static const char *
version_of(json_t *root)
{
	const char *v = json_string_value(json_object_get(root, "version"));

	if (v == NULL || strncmp(v, VERSION_PREFIX, strlen(VERSION_PREFIX)) != 0)
		return NULL;
	return v;
}

/* The feed from a parsed document, or NULL with *err. */
static struct feed *
feed_of(json_t *root, const char *base_url, int utf8, char **err)
{
	struct jf j = { NULL, 0, base_url, utf8, 0 };
	char *w;
	const char *version = version_of(root);
	json_t *items = json_object_get(root, "items");

	if (!json_is_object(root) || version == NULL) {
		*err = xstrdup("not a feed: a JSON document without a JSON Feed "
		    "version");
		return NULL;
	}
	if (items != NULL && !json_is_array(items)) {
		*err = xstrdup("not a feed: the JSON Feed's \"items\" is not an "
		    "array");
		return NULL;
	}
	j.f = xcalloc(1, sizeof *j.f);
	j.f->format = format_of(version);
	j.f->title = text_member(&j, root, "title", "feed");
	j.f->self_link = url_member(&j, root, "feed_url", "feed");
	j.f->link = url_member(&j, root, "home_page_url", "feed");
	if (items == NULL)
		note(&j, "JSON Feed: no \"items\"");
	items_of(&j, items);
	if (j.problems > 1) {
		w = xasprintf("%s, and %zu more", j.f->warning, j.problems - 1);
		free(j.f->warning);
		j.f->warning = w;
	}
	return j.f;
}

static json_t *
load(const char *data, size_t len, json_error_t *e)
{
	/* A NUL escape in one string should not cost the whole feed. */
	return json_loadb(data, len, JSON_ALLOW_NUL, e);
}

struct feed *
feed_jsonfeed_parse(const char *data, size_t len, const char *base_url,
    char **err)
{
	json_error_t e;
	json_t *root;
	struct feed *f;
	char *fixed = NULL;
	int utf8 = 1;

	*err = NULL;
	/* jansson refuses a BOM, which RFC 8259 lets a reader ignore. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (count_values(data, len) > MAX_VALUES) {
		*err = xstrdup("not a feed: the JSON document holds too many "
		    "values");
		return NULL;
	}
	root = load(data, len, &e);
	/* Like an RSS feed's, bytes that are not UTF-8 are read as cp1252. */
	if (root == NULL && json_error_code(&e) == json_error_invalid_utf8) {
		fixed = feed_repair_utf8(data, len, &len);
		utf8 = 0;
		root = load(fixed, len, &e);
	}
	free(fixed);
	if (root == NULL) {
		*err = xasprintf("not JSON: line %d, column %d: %s", e.line,
		    e.column, e.text);
		return NULL;
	}
	f = feed_of(root, base_url, utf8, err);
	json_decref(root);
	return f;
}
