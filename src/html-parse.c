/*
 * html-parse.c - feed HTML through libxml2's HTML parser as a stream of
 * events, for html.c's sanitizer and text extraction.
 *
 * No tree is built: the SAX callbacks hand each element, end and piece of
 * text straight on, and reproduce what libxml2's tree builder would have
 * kept (prefixes split off names, its depth limit, text outside every
 * element lost).  The parser only ever sees valid UTF-8, no option that
 * loads anything from outside is set, and nothing here prints.  Tidy
 * fragments, most of them, never reach libxml2: html-fast.c reads them
 * and reports the same events (the walker functions here serve both).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "buf.h"
#include "html-parse.h"
#include "utf8.h"

/* How many bytes from p (before end) utf8_clean keeps as they are. */
size_t
html_utf8_kept_span(const unsigned char *p, const unsigned char *end)
{
	return utf8_span(p, end, U8_NO_CONTROLS);
}

/*
 * Input as valid UTF-8: invalid bytes become U+FFFD and control characters
 * other than whitespace go, so the parser never sees either.  What is kept
 * goes in one append per run.
 */
static void
utf8_clean_into(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	size_t n;

	while (p < end) {
		n = html_utf8_kept_span(p, end);
		buf_append(b, p, n);
		if ((p += n) == end)
			break;
		if (*p >= 0x80)
			buf_puts(b, "\xef\xbf\xbd");
		p++;	/* a control character is dropped */
	}
}

char *
html_utf8_clean(const char *s, size_t *lenp)
{
	struct buf b;

	buf_init(&b, 0);
	utf8_clean_into(&b, s);
	*lenp = b.len;
	return buf_detach(&b);
}

/* strcmp, inline: the names compared are short and differ early. */
static int
name_cmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

long
html_name_search(const char *name, const void *table, size_t n,
    size_t size)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = name_cmp(name, *(const char *const *)(const void *)
		    ((const char *)table + mid * size));
		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Start w on a new fragment: nothing open, nothing skipped. */
void
html_walk_reset(struct html_walker *w)
{
	w->depth = w->skip = 0;
}

/*
 * Enter element name (a string that outlives the walk): its content is
 * skipped whole when w->enter refuses it, or when an element around it
 * was refused.
 */
void
html_walk_enter(struct html_walker *w, const char *name, const xmlChar **atts)
{
	w->open[w->depth++] = name;
	if (w->skip == 0 && !w->enter(name, atts, w->arg))
		w->skip = w->depth;
}

/* Leave the innermost element open. */
void
html_walk_leave(struct html_walker *w)
{
	if (w->depth == 0)
		return;
	if (w->skip == 0)
		w->leave(w->open[w->depth - 1], w->arg);
	else if (w->skip == w->depth)
		w->skip = 0;
	w->depth--;
}

/* Text outside every element has no node to hang from: it is lost. */
void
html_walk_text(struct html_walker *w, const char *s, size_t len)
{
	if (w->depth > 0 && w->skip == 0 && len > 0)
		w->text(s, len, w->arg);
}

/*
 * The parser's node stack stops the whole parse at an element opened more
 * than HTML_MAX_DEPTH deep (libxml2's xmlParserMaxDepth without
 * XML_PARSE_HUGE); stopping here too keeps what a tree would have held.
 */
static void
on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct html_walker *w = ctxt->_private;
	const char *local = (const char *)name;
	xmlChar *split = NULL, *prefix = NULL;
	const xmlChar *interned;

	if (w->depth >= HTML_MAX_DEPTH + 1) {
		xmlStopParser(ctxt);
		return;
	}
	/* libxml2's tree keeps "o:p" as a p: the prefix is split off. */
	if (strchr(local, ':') != NULL &&
	    (split = xmlSplitQName(ctxt, name, &prefix)) != NULL &&
	    (interned = xmlDictLookup(ctxt->dict, split, -1)) != NULL)
		local = (const char *)interned;
	xmlFree(split);
	xmlFree(prefix);
	html_walk_enter(w, local, atts);
}

static void
on_end(void *ctx, const xmlChar *name)
{
	(void)name;
	html_walk_leave(((htmlParserCtxtPtr)ctx)->_private);
}

static void
on_text(void *ctx, const xmlChar *s, int len)
{
	if (len > 0)
		html_walk_text(((htmlParserCtxtPtr)ctx)->_private,
		    (const char *)s, (size_t)len);
}

/* Raw text of script and style: always inside a dropped element. */
static void
on_cdata(void *ctx, const xmlChar *s, int len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

/*
 * "<html><body>" and the fragment as valid UTF-8 (copied as it is when
 * the caller knows it clean).  The prefix puts the parser in the body, so
 * leading text is not moved into an implied <p>.
 */
static char *
fragment_document(const char *html, int clean, size_t *lenp)
{
	static const char prefix[] = "<html><body>";
	struct buf b;

	buf_init(&b, 0);
	buf_append(&b, prefix, sizeof prefix - 1);
	if (clean)
		buf_puts(&b, html);
	else
		utf8_clean_into(&b, html);
	*lenp = b.len;
	return buf_detach(&b);
}

/*
 * Parse the fragment doc (after its "<html><body>") with libxml2, feeding
 * its events to w.  The charset hint in the fragment is ignored because
 * we already know it is UTF-8.  No option here loads anything from
 * outside.  Elements still open when the parse stops are closed, so every
 * element entered is also left.
 */
static void
libxml_parse(const char *doc, size_t len, struct html_walker *w)
{
	static const char enc[] = "UTF-8";
	htmlSAXHandler sax;
	htmlParserCtxtPtr ctxt;
	xmlCharEncodingHandlerPtr hdlr;
	int opts = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC |
	    HTML_PARSE_RECOVER;

	html_walk_reset(w);
	if ((ctxt = htmlCreateMemoryParserCtxt(doc, (int)len)) == NULL)
		return;
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_cdata;
	memcpy(ctxt->sax, &sax, sizeof sax);
	ctxt->_private = w;
	htmlCtxtUseOptions(ctxt, opts);
	if ((hdlr = xmlFindCharEncodingHandler(enc)) != NULL) {
		xmlSwitchToEncoding(ctxt, hdlr);
		xmlFree((xmlChar *)ctxt->input->encoding);
		ctxt->input->encoding = xmlStrdup((const xmlChar *)enc);
	}
	htmlParseDocument(ctxt);
	while (w->depth > 0)
		html_walk_leave(w);
	htmlFreeParserCtxt(ctxt);
}

/*
 * Parse a fragment as body content: html-fast.c's way, else libxml2's.
 * A fragment that is clean UTF-8 already goes to html-fast.c as it is.
 * Returns 1 when html-fast.c read it, 0 when libxml2 did.
 */
int
html_parse_fragment(const char *html, struct html_walker *w)
{
	static const size_t skip = sizeof "<html><body>" - 1;
	const unsigned char *p = (const unsigned char *)html;
	size_t len = strlen(html);
	int clean = html_utf8_kept_span(p, p + len) == len, fast = 0;
	char *doc;

	if (clean && html_fast_fragment(html, w))
		return 1;
	doc = fragment_document(html, clean, &len);
	if (!clean)
		fast = html_fast_fragment(doc + skip, w);
	if (!fast)
		libxml_parse(doc, len, w);
	free(doc);
	return fast;
}

/* Parse a fragment as body content with libxml2 alone. */
void
html_libxml_fragment(const char *html, struct html_walker *w)
{
	size_t len;
	char *doc = fragment_document(html, 0, &len);

	libxml_parse(doc, len, w);
	free(doc);
}
