/*
 * html.c - feed HTML made safe to show, and feed HTML made into text.
 *
 * Fragments go through libxml2's HTML parser (html-parse.c hands on its
 * events as they come; no tree is built), and our own serializer writes
 * them out from an allowlist: whatever the parser reports, only
 * known-harmless tags and attributes leave this file, text is always
 * escaped, and the result is valid UTF-8.  Nothing here fetches, prints or
 * exits, and no parser option that loads external resources is ever set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include "buf.h"
#include "cp1252.h"
#include "html.h"
#include "html-parse.h"
#include "scan.h"
#include "url.h"
#include "xmalloc.h"

/* What the serializer does with an element. */
enum kind {
	K_UNWRAP,	/* not shown itself, children kept (the default) */
	K_KEEP,		/* shown with its allowed attributes */
	K_VOID,		/* shown, has no children or end tag */
	K_DROP		/* dropped with everything inside */
};

#define F_BLOCK	0x1	/* separates words in html_to_text */

struct element {
	const char	*name;
	enum kind	 kind;
	int		 flags;
};

/*
 * Sorted by name (see html_name_search).  Dropped elements hold code or raw text
 * browsers never show, load things, ask for input or describe the page
 * rather than the entry.  Plugin and media elements (object, applet,
 * audio, video, canvas) are unwrapped: their children are the fallback a
 * browser without the plugin shows.  MathML and SVG are unwrapped too:
 * their text ("a+b", an SVG <desc>) is what a reader without them sees,
 * and their script, style and title children are dropped by name.  embed and keygen are void in HTML5
 * but not to libxml2 2.9, which hangs the rest of the fragment under them,
 * so they too are unwrapped rather than dropped.
 */
static const struct element elements[] = {
	{ "a", K_KEEP, 0 },
	{ "abbr", K_KEEP, 0 },
	{ "acronym", K_KEEP, 0 },
	{ "address", K_KEEP, F_BLOCK },
	{ "applet", K_UNWRAP, 0 },
	{ "article", K_KEEP, F_BLOCK },
	{ "aside", K_KEEP, F_BLOCK },
	{ "b", K_KEEP, 0 },
	{ "base", K_DROP, 0 },
	{ "basefont", K_DROP, 0 },
	{ "bdi", K_KEEP, 0 },
	{ "bdo", K_KEEP, 0 },
	{ "bgsound", K_DROP, 0 },
	{ "big", K_KEEP, 0 },
	{ "blockquote", K_KEEP, F_BLOCK },
	{ "body", K_UNWRAP, F_BLOCK },
	{ "br", K_VOID, F_BLOCK },
	{ "button", K_DROP, 0 },
	{ "caption", K_KEEP, F_BLOCK },
	{ "center", K_KEEP, F_BLOCK },
	{ "cite", K_KEEP, 0 },
	{ "code", K_KEEP, 0 },
	{ "col", K_VOID, 0 },
	{ "colgroup", K_KEEP, 0 },
	{ "datalist", K_DROP, 0 },
	{ "dd", K_KEEP, F_BLOCK },
	{ "del", K_KEEP, 0 },
	{ "details", K_KEEP, F_BLOCK },
	{ "dfn", K_KEEP, 0 },
	{ "dialog", K_UNWRAP, F_BLOCK },
	{ "dir", K_UNWRAP, F_BLOCK },
	{ "div", K_KEEP, F_BLOCK },
	{ "dl", K_KEEP, F_BLOCK },
	{ "dt", K_KEEP, F_BLOCK },
	{ "em", K_KEEP, 0 },
	{ "embed", K_UNWRAP, 0 },
	{ "fieldset", K_UNWRAP, F_BLOCK },
	{ "figcaption", K_KEEP, F_BLOCK },
	{ "figure", K_KEEP, F_BLOCK },
	{ "font", K_KEEP, 0 },
	{ "footer", K_KEEP, F_BLOCK },
	{ "form", K_DROP, F_BLOCK },
	{ "frame", K_DROP, 0 },
	{ "frameset", K_DROP, 0 },
	{ "h1", K_KEEP, F_BLOCK },
	{ "h2", K_KEEP, F_BLOCK },
	{ "h3", K_KEEP, F_BLOCK },
	{ "h4", K_KEEP, F_BLOCK },
	{ "h5", K_KEEP, F_BLOCK },
	{ "h6", K_KEEP, F_BLOCK },
	{ "head", K_DROP, 0 },
	{ "header", K_KEEP, F_BLOCK },
	{ "hr", K_VOID, F_BLOCK },
	{ "html", K_UNWRAP, F_BLOCK },
	{ "i", K_KEEP, 0 },
	{ "iframe", K_DROP, 0 },
	{ "img", K_VOID, 0 },
	{ "input", K_DROP, 0 },
	{ "ins", K_KEEP, 0 },
	{ "isindex", K_DROP, 0 },
	{ "kbd", K_KEEP, 0 },
	{ "keygen", K_UNWRAP, 0 },
	{ "legend", K_UNWRAP, F_BLOCK },
	{ "li", K_KEEP, F_BLOCK },
	{ "link", K_DROP, 0 },
	{ "listing", K_UNWRAP, F_BLOCK },
	{ "main", K_UNWRAP, F_BLOCK },
	{ "mark", K_KEEP, 0 },
	{ "math", K_UNWRAP, 0 },
	{ "menu", K_UNWRAP, F_BLOCK },
	{ "meta", K_DROP, 0 },
	{ "nav", K_UNWRAP, F_BLOCK },
	{ "noembed", K_DROP, 0 },
	{ "noframes", K_DROP, 0 },
	{ "noscript", K_DROP, 0 },
	{ "object", K_UNWRAP, 0 },
	{ "ol", K_KEEP, F_BLOCK },
	{ "optgroup", K_DROP, 0 },
	{ "option", K_DROP, 0 },
	{ "p", K_KEEP, F_BLOCK },
	{ "param", K_DROP, 0 },
	{ "plaintext", K_UNWRAP, F_BLOCK },
	{ "portal", K_DROP, 0 },
	{ "pre", K_KEEP, F_BLOCK },
	{ "q", K_KEEP, 0 },
	{ "rp", K_KEEP, 0 },
	{ "rt", K_KEEP, 0 },
	{ "ruby", K_KEEP, 0 },
	{ "s", K_KEEP, 0 },
	{ "samp", K_KEEP, 0 },
	{ "script", K_DROP, 0 },
	{ "section", K_KEEP, F_BLOCK },
	{ "select", K_DROP, 0 },
	{ "small", K_KEEP, 0 },
	{ "span", K_KEEP, 0 },
	{ "strike", K_KEEP, 0 },
	{ "strong", K_KEEP, 0 },
	{ "style", K_DROP, 0 },
	{ "sub", K_KEEP, 0 },
	{ "summary", K_KEEP, F_BLOCK },
	{ "sup", K_KEEP, 0 },
	{ "svg", K_UNWRAP, 0 },
	{ "table", K_KEEP, F_BLOCK },
	{ "tbody", K_KEEP, F_BLOCK },
	{ "td", K_KEEP, F_BLOCK },
	{ "template", K_DROP, 0 },
	{ "textarea", K_DROP, 0 },
	{ "tfoot", K_KEEP, F_BLOCK },
	{ "th", K_KEEP, F_BLOCK },
	{ "thead", K_KEEP, F_BLOCK },
	{ "time", K_KEEP, 0 },
	{ "title", K_DROP, 0 },
	{ "tr", K_KEEP, F_BLOCK },
	{ "tt", K_KEEP, 0 },
	{ "u", K_KEEP, 0 },
	{ "ul", K_KEEP, F_BLOCK },
	{ "var", K_KEEP, 0 },
	{ "wbr", K_VOID, 0 },
	{ "xml", K_DROP, 0 },
	{ "xmp", K_UNWRAP, F_BLOCK },
};

#define A_URL	0x1	/* the value is a URL: scheme checked, resolved */

/*
 * Allowed attributes, sorted by name; "on" lists the elements that may carry one (NULL:
 * any allowed element).  No style (we do not parse CSS), no id, name or
 * class (they would clash with our own page), no event handlers.
 */
static const struct attribute {
	const char	*name;
	const char	*on;
	int		 flags;
} attributes[] = {
	{ "abbr", " td th ", 0 },
	{ "align", NULL, 0 },
	{ "alt", " img ", 0 },
	{ "border", " table img ", 0 },
	{ "cellpadding", " table ", 0 },
	{ "cellspacing", " table ", 0 },
	{ "cite", " blockquote q del ins ", A_URL },
	{ "clear", " br ", 0 },
	{ "color", " font ", 0 },
	{ "colspan", " td th ", 0 },
	{ "datetime", " del ins time ", 0 },
	{ "dir", NULL, 0 },
	{ "face", " font ", 0 },
	{ "headers", " td th ", 0 },
	{ "height", " img td th col colgroup table ", 0 },
	{ "href", " a ", A_URL },
	{ "hreflang", " a ", 0 },
	{ "lang", NULL, 0 },
	{ "nowrap", " td th ", 0 },
	{ "open", " details ", 0 },
	{ "reversed", " ol ", 0 },
	{ "rowspan", " td th ", 0 },
	{ "scope", " td th ", 0 },
	{ "size", " font ", 0 },
	{ "span", " col colgroup ", 0 },
	{ "src", " img ", A_URL },
	{ "start", " ol ", 0 },
	{ "summary", " table ", 0 },
	{ "title", NULL, 0 },
	{ "type", " ol ul li ", 0 },
	{ "valign", NULL, 0 },
	{ "value", " li ", 0 },
	{ "width", " img td th col colgroup table hr ", 0 },
};

/* Schemes a link or image may use; anything else could run code. */
static const char *const safe_schemes[] = { "http", "https", "ftp", "mailto" };

static const struct element *
element_find(const xmlChar *name)
{
	long i = html_name_search((const char *)name, elements,
	    sizeof elements / sizeof elements[0], sizeof elements[0]);

	return i < 0 ? NULL : &elements[i];
}

static enum kind
element_kind(const char *name)
{
	const struct element *e = element_find((const xmlChar *)name);

	return e != NULL ? e->kind : K_UNWRAP;
}

static int
is_block(const char *name)
{
	const struct element *e = element_find((const xmlChar *)name);

	return e != NULL && (e->flags & F_BLOCK);
}

#define SEEN_SLOTS	16

/*
 * The serializer's state.  When the capped buffer is full, output stops
 * and is cut back to the end of the last whole tag or text, so a
 * half-written attribute can never swallow what follows.
 */
struct sanitizer {
	struct buf	 out;
	const char	*base;
	int		 full;
	size_t		 good;	/* length after the last complete piece */
	int		 mail;	/* images bounded for an email (see put_mail_img) */
	/*
	 * Of each element entered and not yet left, whether it was written
	 * out (its end tag is due), so leaving needs no second look-up.
	 */
	unsigned char	 kept[HTML_MAX_DEPTH + 1];
	int		 depth;
	/*
	 * Element names looked up, by address: both readers hand the same
	 * few names over and over as strings that stay put for the whole
	 * fragment (html-fast.c's table, libxml2's dictionary), so a name
	 * met before needs no second search.  A slot another name took is
	 * only a search again.
	 */
	const char	*seen[SEEN_SLOTS];
	enum kind	 seen_kind[SEEN_SLOTS];
};

/* The reference that stands for c; quote 1 adds ", quote 2 also '. */
static const char *
entity_for(char c, int quote)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return quote ? "&quot;" : NULL;
	case '\'':
		return quote == 2 ? "&#39;" : NULL;
	}
	return NULL;
}

/*
 * Bytes from s (before end) that need no escaping.  Each set of specials
 * is spelled out, so that each scan is compiled for its own: this runs
 * over all the text of every entry.
 */
static size_t
plain_run(const char *s, const char *end, int quote)
{
	switch (quote) {
	case 0:
		return scan_none_of(s, end, "&<>");
	case 1:
		return scan_none_of(s, end, "&<>\"");
	default:
		return scan_none_of(s, end, "&<>\"'");
	}
}

/* The len bytes at s escaped; 0, or -1 when the buffer's cap was reached. */
static int
put_escaped_len(struct buf *b, const char *s, size_t len, int quote)
{
	const char *end = s + len, *run = s, *rep;
	int rc = 0;

	for (; s < end; s++) {
		if ((s += plain_run(s, end, quote)) == end)
			break;
		if ((rep = entity_for(*s, quote)) == NULL)
			continue;
		rc |= buf_append(b, run, s - run);
		rc |= buf_puts(b, rep);
		run = s + 1;
	}
	return rc | buf_append(b, run, end - run);
}

static int
put_escaped(struct buf *b, const char *s, int quote)
{
	return put_escaped_len(b, s, strlen(s), quote);
}

static int
scheme_is_safe(const char *scheme)
{
	size_t i;

	for (i = 0; i < sizeof safe_schemes / sizeof safe_schemes[0]; i++)
		if (strcmp(scheme, safe_schemes[i]) == 0)
			return 1;
	return 0;
}

/*
 * The URL to write for value, or NULL to drop the attribute.  The scheme
 * is judged after entity decoding (the parser did that) and after the
 * whitespace and control characters browsers skip, so "java&#9;script:"
 * is caught.  Relative URLs become absolute when there is a base; the
 * result is judged again, since a hostile xml:base could supply a scheme.
 */
static char *
safe_url(const char *raw, const char *base)
{
	char *value, *scheme, *abs;
	int safe;

	value = url_trim(raw);
	if (*value == '\0') {
		free(value);
		return NULL;
	}
	/* Safe as it stands, and url_resolve would only copy it. */
	if (url_is_plain_http(value))
		return value;
	if ((scheme = url_scheme(value)) != NULL) {
		safe = scheme_is_safe(scheme);
		free(scheme);
		abs = safe ? url_resolve(NULL, value) : NULL;
		free(value);
		return abs;
	}
	if (base == NULL || (abs = url_resolve(base, value)) == NULL) {
		/* Kept relative, but only if it reads as a URL at all. */
		if ((abs = url_resolve("http://x.invalid/", value)) == NULL) {
			free(value);
			return NULL;
		}
		free(abs);
		return value;
	}
	free(value);
	scheme = url_scheme(abs);
	safe = scheme != NULL && scheme_is_safe(scheme);
	free(scheme);
	if (!safe) {
		free(abs);
		return NULL;
	}
	return abs;
}

static const struct attribute *
attribute_find(const char *element, const char *name)
{
	const struct attribute *a;
	size_t len = strlen(element);
	const char *hit;
	long i = html_name_search(name, attributes, sizeof attributes /
	    sizeof attributes[0], sizeof attributes[0]);

	if (i < 0)
		return NULL;
	a = &attributes[i];
	if (a->on == NULL)
		return a;
	for (hit = strstr(a->on, element); hit != NULL;
	    hit = strstr(hit + 1, element))
		if (hit[-1] == ' ' && hit[len] == ' ')
			return a;
	return NULL;
}

/*
 * An attribute's value as libxml2's tree would hold it: a bare boolean
 * attribute ("<details open>") reads as its own name, any other bare one
 * as "".
 */
static const char *
value_of(const xmlChar *name, const xmlChar *value)
{
	if (value != NULL)
		return (const char *)value;
	return htmlIsBooleanAttr(name) ? (const char *)name : "";
}

/* The value to write for attribute name of element, or NULL to drop it. */
static char *
attribute_value(const char *element, const xmlChar *name,
    const xmlChar *value, const char *base)
{
	const struct attribute *a;
	const char *raw;

	if ((a = attribute_find(element, (const char *)name)) == NULL)
		return NULL;
	raw = value_of(name, value);
	return (a->flags & A_URL) ? safe_url(raw, base) : xstrdup(raw);
}

static int
put_start_tag(struct sanitizer *s, const char *name, const xmlChar **atts)
{
	char *v;
	int rc;

	rc = buf_putc(&s->out, '<') | buf_puts(&s->out, name);
	for (; atts != NULL && atts[0] != NULL; atts += 2) {
		if ((v = attribute_value(name, atts[0], atts[1], s->base)) == NULL)
			continue;
		rc |= buf_putc(&s->out, ' ');
		rc |= buf_puts(&s->out, (const char *)atts[0]);
		rc |= buf_puts(&s->out, "=\"");
		rc |= put_escaped(&s->out, v, 1);
		rc |= buf_putc(&s->out, '"');
		free(v);
	}
	return rc | buf_putc(&s->out, '>');
}

/* Note a piece written (rc 0) or the buffer full; 1 while output goes on. */
static int
piece_done(struct sanitizer *s, int rc)
{
	if (rc != 0)
		s->full = 1;
	else
		s->good = s->out.len;
	return !s->full;
}

/* An image with nothing safe to show is not worth an empty box. */
static int
img_has_src(const xmlChar **atts, const char *base)
{
	char *v;

	for (; atts != NULL && atts[0] != NULL; atts += 2) {
		if (strcmp((const char *)atts[0], "src") != 0)
			continue;
		if ((v = attribute_value("img", atts[0], atts[1], base)) == NULL)
			return 0;
		free(v);
		return 1;
	}
	return 0;
}

/*
 * Images in an email.  A mail column is 600 px: a wider width attribute
 * is brought down to it (the height scaled alike, so Outlook, which reads
 * only the attributes, keeps the proportions), and the style lets a
 * browser shrink the image to its column, keeping its shape, whatever
 * its pixels.  A reader without images sees the alt text; an image
 * given none gets its title or "image", so a blank alt stays the
 * author's way of saying "decoration".
 */
#define MAIL_IMG_MAX	600

/* A pixel length ("640" or "640px"), or 0 when it is not one. */
static long
pixels(const char *v)
{
	char *end;
	long n;

	if (v == NULL || *v < '0' || *v > '9')
		return 0;
	n = strtol(v, &end, 10);
	if (strcmp(end, "") != 0 && strcmp(end, "px") != 0)
		return 0;
	return n > 0 && n < 100000 ? n : 0;
}

static const char *
att_get(const xmlChar **atts, const char *name)
{
	for (; atts != NULL && atts[0] != NULL; atts += 2)
		if (strcmp((const char *)atts[0], name) == 0)
			return value_of(atts[0], atts[1]);
	return NULL;
}

static int
put_att(struct buf *b, const char *name, const char *value)
{
	return buf_putc(b, ' ') | buf_puts(b, name) | buf_puts(b, "=\"") |
	    put_escaped(b, value, 1) | buf_putc(b, '"');
}

static int
put_mail_img(struct sanitizer *s, const xmlChar **atts)
{
	const char *alt = att_get(atts, "alt"), *title = att_get(atts, "title");
	long w = pixels(att_get(atts, "width")), h = pixels(att_get(atts,
	    "height"));
	char *v, num[24];
	int rc = buf_puts(&s->out, "<img");

	for (; atts != NULL && atts[0] != NULL; atts += 2) {
		if (strcmp((const char *)atts[0], "alt") == 0 ||
		    strcmp((const char *)atts[0], "width") == 0 ||
		    strcmp((const char *)atts[0], "height") == 0 ||
		    (v = attribute_value("img", atts[0], atts[1], s->base)) ==
		    NULL)
			continue;
		rc |= put_att(&s->out, (const char *)atts[0], v);
		free(v);
	}
	rc |= put_att(&s->out, "alt", alt ? alt : title && *title ? title :
	    "image");
	if (w > MAIL_IMG_MAX) {
		h = h * MAIL_IMG_MAX / w;
		w = MAIL_IMG_MAX;
	}
	if (w > 0) {
		snprintf(num, sizeof num, "%ld", w);
		rc |= put_att(&s->out, "width", num);
		if (h > 0) {
			snprintf(num, sizeof num, "%ld", h);
			rc |= put_att(&s->out, "height", num);
		}
	}
	return rc | put_att(&s->out, "style", "max-width:100%;height:auto") |
	    buf_putc(&s->out, '>');
}

/* Whether to take the element's content; writes its start tag if kept. */
static int
enter_kind(struct sanitizer *s, enum kind k, const char *name,
    const xmlChar **atts)
{
	if (s->full || k == K_DROP)
		return 0;
	if (k == K_UNWRAP)
		return 1;
	if (strcmp(name, "img") == 0 && !img_has_src(atts, s->base))
		return 0;
	if (s->mail && strcmp(name, "img") == 0)
		return piece_done(s, put_mail_img(s, atts));
	/* Descend even into void ones: libxml2 may hang content there. */
	return piece_done(s, put_start_tag(s, name, atts));
}

/* element_kind, remembered for the name's address. */
static enum kind
seen_kind(struct sanitizer *s, const char *name)
{
	size_t slot = ((uintptr_t)name >> 3) % SEEN_SLOTS;

	if (s->seen[slot] != name) {
		s->seen[slot] = name;
		s->seen_kind[slot] = element_kind(name);
	}
	return s->seen_kind[slot];
}

static int
sanitize_enter(const char *name, const xmlChar **atts, void *arg)
{
	struct sanitizer *s = arg;
	enum kind k = seen_kind(s, name);

	if (!enter_kind(s, k, name, atts))
		return 0;
	/* The walker nests no deeper than the stack (html-parse.h). */
	s->kept[s->depth++] = k == K_KEEP;
	return 1;
}

static void
sanitize_leave(const char *name, void *arg)
{
	struct sanitizer *s = arg;
	size_t n;
	char tag[32];

	/* Kept elements have short names: the end tag goes in one append. */
	if (!s->kept[--s->depth] || s->full || (n = strlen(name)) + 3 >
	    sizeof tag)
		return;
	tag[0] = '<';
	tag[1] = '/';
	memcpy(tag + 2, name, n);
	tag[n + 2] = '>';
	piece_done(s, buf_append(&s->out, tag, n + 3));
}

static void
sanitize_text(const char *text, size_t len, void *arg)
{
	struct sanitizer *s = arg;

	if (!s->full)
		piece_done(s, put_escaped_len(&s->out, text, len, 0));
}

/* s, freed, with "&#146;"-style C1 controls as windows-1252 letters. */
static char *
without_c1(char *s)
{
	char *mapped = cp1252_map_c1(s);

	if (mapped == NULL)
		return s;
	free(s);
	return mapped;
}

static char *
sanitize(const char *html, const char *base_url, int mail)
{
	struct sanitizer s;
	struct html_walker w = { sanitize_enter, sanitize_leave, sanitize_text, &s,
	    0, 0, { NULL } };
	char *out;
	size_t len;
	int fast;

	if (html == NULL || *html == '\0')
		return xstrdup("");
	buf_init(&s.out, 0);
	buf_reserve(&s.out, strlen(html) + 64);	/* about what comes out */
	s.base = base_url;
	s.full = 0;
	s.good = 0;
	s.mail = mail;
	s.depth = 0;
	memset(s.seen, 0, sizeof s.seen);
	fast = html_parse_fragment(html, &w);
	buf_truncate(&s.out, s.good);
	/*
	 * Belt and braces: the output must be UTF-8 whatever libxml2 did.
	 * What html-fast.c reports is known to be.
	 */
	if (fast || html_utf8_kept_span((const unsigned char *)buf_str(&s.out),
	    (const unsigned char *)buf_str(&s.out) + s.out.len) == s.out.len)
		return without_c1(buf_detach(&s.out));
	out = html_utf8_clean(buf_str(&s.out), &len);
	buf_free(&s.out);
	return without_c1(out);
}

char *
html_sanitize(const char *html, const char *base_url)
{
	return sanitize(html, base_url, 0);
}

char *
html_sanitize_mail(const char *html, const char *base_url)
{
	return sanitize(html, base_url, 1);
}

/* The state of html_to_text: words go out with single spaces between. */
struct texter {
	struct buf	 out;
	struct buf	 piece;		/* the text piece being read */
	int		 space;		/* a separator is due before the next word */
};

/* Length of the whitespace character at p (NBSP and wide spaces count). */
static int
space_len(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\f' || *p == '\v')
		return 1;
	if (p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8a || p[2] == 0xaf))
		return 3;	/* U+2000..U+200A, U+202F */
	if ((p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) ||
	    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80))
		return 3;	/* U+205F, U+3000 */
	return 0;
}

static void
text_append(struct texter *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	int n;

	while (*p != '\0') {
		if ((n = space_len(p)) != 0) {
			t->space = 1;
			p += n;
			continue;
		}
		if (t->space && t->out.len > 0)
			buf_putc(&t->out, ' ');
		t->space = 0;
		for (run = p; *p != '\0' && space_len(p) == 0; p++)
			;
		buf_append(&t->out, run, p - run);
	}
}

/* A piece of text, made a string so space_len may look ahead in it. */
static void
text_piece(const char *text, size_t len, void *arg)
{
	struct texter *t = arg;

	t->piece.len = 0;
	buf_append(&t->piece, text, len);
	text_append(t, buf_str(&t->piece));
}

static int
text_enter(const char *name, const xmlChar **atts, void *arg)
{
	struct texter *t = arg;

	(void)atts;
	if (element_kind(name) == K_DROP)
		return 0;
	if (is_block(name))
		t->space = 1;
	return 1;
}

static void
text_leave(const char *name, void *arg)
{
	struct texter *t = arg;

	if (is_block(name))
		t->space = 1;
}

char *
html_to_text(const char *html)
{
	struct texter t;
	struct html_walker w = { text_enter, text_leave, text_piece, &t,
	    0, 0, { NULL } };

	if (html == NULL || *html == '\0')
		return xstrdup("");
	buf_init(&t.out, 0);
	buf_init(&t.piece, 0);
	t.space = 0;
	html_parse_fragment(html, &w);
	buf_free(&t.piece);
	return without_c1(buf_detach(&t.out));
}

/*
 * CJK scripts put no spaces between words, so each ideograph, kana or
 * hangul syllable counts as a word of its own; otherwise a Chinese summary
 * would be one endless word.  Returns the sequence length, 0 if not CJK.
 */
static int
cjk_len(const unsigned char *p)
{
	uint32_t cp;

	if (p[0] < 0xe2 || p[0] > 0xef || (p[1] & 0xc0) != 0x80 ||
	    (p[2] & 0xc0) != 0x80)
		return 0;
	cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
	    (p[2] & 0x3f);
	if ((cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xffef))
		return 3;
	return 0;
}

/* One word from p: a CJK character or a run up to a space or CJK. */
static const unsigned char *
word_end(const unsigned char *p)
{
	int n;

	if ((n = cjk_len(p)) != 0)
		return p + n;
	while (*p != '\0' && space_len(p) == 0 && cjk_len(p) == 0) {
		/* Step over whole sequences so a cut never splits one. */
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	return p;
}

/* Characters (code points) in s[0..n). */
static size_t
chars_in(const unsigned char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += (s[i] & 0xc0) != 0x80;
	return c;
}

/* Past n characters of p, or its end. */
static const unsigned char *
skip_chars(const unsigned char *p, size_t n)
{
	while (*p != '\0' && n-- > 0) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	return p;
}

/* A combining mark (U+0300..U+036F) belongs with the letter before it. */
static int
is_combining(const unsigned char *p)
{
	return p[0] == 0xcc || (p[0] == 0xcd && p[1] <= 0xaf);
}

/* Past max characters of s, moved back so a letter keeps its accents. */
static const unsigned char *
cut_at(const unsigned char *s, size_t max)
{
	const unsigned char *p = skip_chars(s, max);

	while (p > s && is_combining(p)) {
		while ((*--p & 0xc0) == 0x80)
			;
	}
	return p;
}

/*
 * A cut at the last word boundary is kept when it falls in the last third
 * before the character cap; further back, the text runs on with no space
 * (a long URL, base64, a 300 KB line of one word), and is cut inside at
 * the cap instead, on a character boundary.
 */
#define NEAR_CAP(max)	((max) - (max) / 3)

char *
text_excerpt(const char *text, size_t max_words, size_t max_chars)
{
	static const char ellipsis[] = "\xe2\x80\xa6";	/* U+2026 */
	const unsigned char *start = (const unsigned char *)text, *p, *end, *w;
	size_t words = 0, chars = 0, len;
	char *out;
	int n;

	if (text == NULL)
		return xstrdup("");
	p = end = start;
	for (;;) {
		while ((n = space_len(p)) != 0) {
			p += n;
			chars++;
		}
		if (*p == '\0')
			return xstrdup(text);
		if (words == max_words)
			break;
		w = word_end(p);
		if (chars + chars_in(p, (size_t)(w - p)) > max_chars) {
			if (chars_in(start, (size_t)(end - start)) <
			    NEAR_CAP(max_chars))
				end = cut_at(start, max_chars);
			break;
		}
		chars += chars_in(p, (size_t)(w - p));
		end = p = w;
		words++;
	}
	len = end - start;
	out = xmalloc(len + sizeof ellipsis);
	memcpy(out, text, len);
	memcpy(out + len, ellipsis, sizeof ellipsis);
	return out;
}

/*
 * Columns a character takes on a terminal: 2 for the East Asian wide and
 * fullwidth ranges (CJK, kana, hangul, fullwidth forms, the common
 * emoji), else 1.  *len is its length in bytes.
 */
static size_t
char_columns(const unsigned char *p, size_t *len)
{
	uint32_t cp;

	if (p[0] < 0xc0) {
		*len = 1;
		return 1;
	}
	*len = (size_t)(skip_chars(p, 1) - p);
	if (*len == 3)
		cp = (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	else if (*len == 4)
		cp = (uint32_t)(p[0] & 0x07) << 18 |
		    (uint32_t)(p[1] & 0x3f) << 12 |
		    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	else
		return 1;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf &&
	    cp != 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

size_t
text_columns(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t cols = 0, len;

	while (p < end && *p != '\0') {
		cols += char_columns(p, &len);
		p += len;
	}
	return cols;
}

/* A link is never broken: a reader must be able to copy it whole. */
static int
is_url(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++)
		if (memcmp(p + i, "://", 3) == 0)
			return 1;
	return n > 4 && memcmp(p, "www.", 4) == 0;
}

struct wrapper {
	struct buf b;
	size_t	 width;
	size_t	 col;
};

static void
wrap_newline(struct wrapper *w)
{
	buf_putc(&w->b, '\n');
	w->col = 0;
}

/* A piece too wide for any line, cut where the line is full. */
static void
wrap_hard(struct wrapper *w, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	size_t cols, len;

	for (; p < end; p += len) {
		cols = char_columns(p, &len);
		if (w->col > 0 && w->col + cols > w->width)
			wrap_newline(w);
		buf_append(&w->b, p, len);
		w->col += cols;
	}
}

char *
text_wrap(const char *text, size_t width)
{
	struct wrapper w = { .width = width };
	const unsigned char *p = (const unsigned char *)text, *u;
	size_t cols, n;
	int space = 0;

	buf_init(&w.b, 0);
	while (*p != '\0') {
		if (*p == ' ') {
			space = w.col > 0;
			p++;
			continue;
		}
		/* A unit: one CJK character (a line may break on either side
		 * of it) or a run up to a space or CJK. */
		u = p;
		if ((n = (size_t)cjk_len(p)) != 0)
			p += n;
		else
			while (*p != '\0' && *p != ' ' && cjk_len(p) == 0)
				p = skip_chars(p, 1);
		n = (size_t)(p - u);
		cols = text_columns((const char *)u, n);
		if (w.col > 0 && w.col + space + cols > width)
			wrap_newline(&w);
		else if (space) {
			buf_putc(&w.b, ' ');
			w.col++;
		}
		space = 0;
		if (cols > width && !is_url(u, n))
			wrap_hard(&w, u, n);
		else {
			buf_append(&w.b, u, n);
			w.col += cols;
		}
	}
	return buf_detach(&w.b);
}

char *
html_escape(const char *s)
{
	struct buf b;

	if (s == NULL)
		return xstrdup("");
	buf_init(&b, 0);
	put_escaped(&b, s, 2);
	return buf_detach(&b);
}

int
html_escape_into(struct buf *b, const char *s, size_t len)
{
	size_t was = b->len;

	if (put_escaped_len(b, s, len, 2) == 0)
		return 0;
	buf_truncate(b, was);
	return -1;
}
