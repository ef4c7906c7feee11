/*
 * html-events.h - a walker that writes down every event a fragment's
 * parse reports, one line each, so two parsers' readings can be compared
 * as strings.  Shared by tests/unit/test-html-fast.c and the fuzz target
 * tests/fuzz/fuzz-htmlfast.c.
 *
 * Adjacent text is joined (parsers split text where they please), and an
 * attribute given without a value is written as "name" alone.
 */
#ifndef GZ_HTML_EVENTS_H
#define GZ_HTML_EVENTS_H

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html-parse.h"

struct events {
	struct buf	 log;
	int		 in_text;	/* the last line written is text */
};

static int
events_enter(const char *name, const xmlChar **atts, void *arg)
{
	struct events *e = arg;

	buf_printf(&e->log, "%s<%s", e->in_text ? "\n" : "", name);
	for (; atts != NULL && atts[0] != NULL; atts += 2)
		if (atts[1] != NULL)
			buf_printf(&e->log, " %s=[%s]", atts[0], atts[1]);
		else
			buf_printf(&e->log, " %s", atts[0]);
	buf_puts(&e->log, ">\n");
	e->in_text = 0;
	return 1;
}

static void
events_leave(const char *name, void *arg)
{
	struct events *e = arg;

	buf_printf(&e->log, "%s</%s>\n", e->in_text ? "\n" : "", name);
	e->in_text = 0;
}

static void
events_text(const char *s, size_t len, void *arg)
{
	struct events *e = arg;

	if (!e->in_text)
		buf_puts(&e->log, "T:");
	buf_append(&e->log, s, len);
	e->in_text = 1;
}

/*
 * The events of html (valid UTF-8) as read by html-fast.c (fast 1) or by
 * libxml2 (fast 0): a new string, or NULL when html-fast.c declined.
 */
static char *
events_of(const char *html, int fast)
{
	struct events e;
	struct html_walker w = { events_enter, events_leave, events_text, &e,
	    0, 0, { NULL } };

	buf_init(&e.log, 0);
	e.in_text = 0;
	if (fast) {
		if (!html_fast_fragment(html, &w)) {
			buf_free(&e.log);
			return NULL;
		}
	} else
		html_libxml_fragment(html, &w);
	return buf_detach(&e.log);
}

#endif
