/*
 * markdown.c - the libcmark door: editors' notes to safe HTML and to text.
 *
 * CMARK_OPT_SAFE drops raw HTML and javascript: links, but the note still
 * goes through html_sanitize: one allowlist decides what any HTML in a
 * digest may hold, whoever wrote it.  Never prints or exits.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "buf.h"
#include "html.h"
#include "markdown.h"
#include "xmalloc.h"

#define NOTE_MAX	((size_t)4 << 20)

/* Length of the UTF-8 sequence at s (at most left bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return s[0] != 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
markdown_utf8_ok(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_seq(u + i, len - i)) == 0) {
			*bad_offset = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

char *
markdown_to_html(const char *md)
{
	char *raw = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_SAFE);
	char *safe = html_sanitize_mail(raw, NULL);

	free(raw);
	return safe;
}

/* The text of one block node, through the same HTML path as the note. */
static void
put_block(struct buf *b, cmark_node *n, const char *prefix)
{
	char *raw = cmark_render_html(n, CMARK_OPT_SAFE);
	char *safe = html_sanitize(raw, NULL);
	char *text = html_to_text(safe);

	if (*text) {
		if (b->len)
			buf_puts(b, prefix == NULL ? "\n\n" : "\n");
		buf_puts(b, prefix ? prefix : "");
		buf_puts(b, text);
	}
	free(text);
	free(safe);
	free(raw);
}

char *
markdown_to_text(const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_SAFE);
	cmark_node *n, *item;
	struct buf b;
	size_t before;

	buf_init(&b, NOTE_MAX);
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_LIST) {
			put_block(&b, n, NULL);
			continue;
		}
		/* A list: its items one per line, after a blank line. */
		before = b.len;
		for (item = cmark_node_first_child(n); item;
		    item = cmark_node_next(item)) {
			if (b.len == before && b.len)
				buf_puts(&b, "\n");
			put_block(&b, item, "- ");
		}
	}
	cmark_node_free(doc);
	return buf_detach(&b);
}
