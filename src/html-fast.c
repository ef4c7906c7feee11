/*
 * html-fast.c - the tidy HTML most feeds carry, read without libxml2.
 *
 * Most entry bodies are well formed: known elements, properly nested and
 * closed, quoted attributes, the usual entities.  For such a fragment the
 * events libxml2's HTML parser would report are plain to see, and reading
 * them here costs a fraction of a full parse.  Whatever this reader cannot
 * be sure libxml2 would report the same way makes it decline, and the
 * fragment goes to libxml2 as before: an element it does not know, one
 * libxml2 would close or open by itself, a loose "&" or "<", a comment
 * libxml2 might read otherwise.  tests/unit/test-html-fast.c (over every
 * fragment of the feed corpus) and the fuzz target fuzz-htmlfast hold it
 * to that: wherever it accepts, the events match libxml2's.
 *
 * The events are written down as the fragment is read and reported only
 * once it has been read to its end, so a fragment declined halfway has
 * reported nothing at all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "buf.h"
#include "html-parse.h"
#include "utf8.h"
#include "xmalloc.h"

#define FAST_MAX_DEPTH	64
#define FAST_MAX_ATTS	16
#define FAST_NAME_MAX	16

/*
 * Where an element may stand, and what it may hold.  Blocks may stand
 * only in a container; a leaf block holds phrase content only.
 */
enum role {
	R_PHRASE,	/* inline, holds phrase content */
	R_VOID,		/* inline, empty: br img */
	R_RULE,		/* a block, empty: hr */
	R_LEAF,		/* a block holding phrase content: p h1-h6 pre dt */
	R_BOX,		/* a block holding blocks or phrase: div blockquote */
	R_LIST,		/* ul ol: li only */
	R_ITEM,		/* li: in a list, holds what a box holds */
	R_DEFS,		/* dl: dt and dd only */
	R_TERM,		/* dt: in a dl, holds phrase content */
	R_DEF		/* dd: in a dl, holds what a box holds */
};

struct fast_elem {
	const char	*name;
	enum role	 role;
};

/*
 * Sorted by name.  Only HTML 4 elements, which libxml2 2.9 knows and
 * treats as HTML does; newer ones (section, figure, wbr) go to libxml2.
 */
static const struct fast_elem fast_elems[] = {
	{ "a", R_PHRASE }, { "abbr", R_PHRASE }, { "acronym", R_PHRASE },
	{ "b", R_PHRASE }, { "big", R_PHRASE }, { "blockquote", R_BOX },
	{ "br", R_VOID }, { "cite", R_PHRASE }, { "code", R_PHRASE },
	{ "dd", R_DEF }, { "del", R_PHRASE }, { "dfn", R_PHRASE },
	{ "div", R_BOX }, { "dl", R_DEFS }, { "dt", R_TERM },
	{ "em", R_PHRASE }, { "h1", R_LEAF }, { "h2", R_LEAF },
	{ "h3", R_LEAF }, { "h4", R_LEAF }, { "h5", R_LEAF },
	{ "h6", R_LEAF }, { "hr", R_RULE }, { "i", R_PHRASE },
	{ "img", R_VOID }, { "ins", R_PHRASE }, { "kbd", R_PHRASE },
	{ "li", R_ITEM }, { "ol", R_LIST }, { "p", R_LEAF },
	{ "pre", R_LEAF }, { "q", R_PHRASE }, { "s", R_PHRASE },
	{ "samp", R_PHRASE }, { "small", R_PHRASE }, { "span", R_PHRASE },
	{ "strike", R_PHRASE }, { "strong", R_PHRASE }, { "sub", R_PHRASE },
	{ "sup", R_PHRASE }, { "tt", R_PHRASE }, { "u", R_PHRASE },
	{ "ul", R_LIST }, { "var", R_PHRASE },
};

/* An event read, to be reported once the whole fragment is read. */
struct event {
	const struct fast_elem *elem;	/* entered; NULL: text or a leave */
	size_t		 from;		/* text: its start in text; enter: its
					   first offset in offs */
	size_t		 len;		/* text: its length; enter: attributes */
	int		 is_text;
};

struct fast {
	const unsigned char *p;		/* the next byte to read */
	const struct fast_elem *open[FAST_MAX_DEPTH];
	int		 depth;
	int		 links;		/* <a> elements open */
	struct buf	 text;		/* all the text read, decoded */
	size_t		 text_from;	/* where text not yet an event starts */
	struct buf	 atts;		/* attribute names and values, each
					   ending in a NUL */
	size_t		*offs;		/* where each name and value starts in
					   atts; SIZE_MAX for no value */
	size_t		 noffs, offs_cap;
	struct event	*ev;
	size_t		 nev, ev_cap;
};

static const struct fast_elem *
elem_find(const char *name)
{
	long i = html_name_search(name, fast_elems, sizeof fast_elems /
	    sizeof fast_elems[0], sizeof fast_elems[0]);

	return i < 0 ? NULL : &fast_elems[i];
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* The blanks libxml2 skips inside tags; CR and FF are declined. */
static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static const unsigned char *
skip_blanks(const unsigned char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

#define N_DASH	0x1	/* '-' may follow the first letter */
#define N_CASE	0x2	/* kept as written (entity names), not lowercased */

/*
 * A name of letters and digits into out, lowercased as libxml2 does for
 * tags and attributes; its length, or 0 when there is none or it is too
 * long.
 */
static size_t
read_name(const unsigned char *p, char out[FAST_NAME_MAX], int how)
{
	size_t n = 0;

	if (!is_alpha(*p))
		return 0;
	while (is_alnum(p[n]) || ((how & N_DASH) && p[n] == '-')) {
		if (n + 1 >= FAST_NAME_MAX)
			return 0;
		out[n] = (char)(p[n] >= 'A' && p[n] <= 'Z' && !(how & N_CASE) ?
		    p[n] + 32 : p[n]);
		n++;
	}
	out[n] = '\0';
	return n;
}

/*
 * The value of "&#NNN;" or "&#xHH;" at p (just past the '#'), its length
 * through the ';' in *len; 0 to decline.  Accepted are the characters
 * libxml2 passes on unchanged, less control characters and CR.
 */
static uint32_t
char_ref(const unsigned char *p, size_t *len)
{
	const unsigned char *q = p;
	uint32_t v = 0;
	int hex = (*q == 'x' || *q == 'X'), d, n = 0;

	q += hex;
	for (;; q++, n++) {
		if (*q >= '0' && *q <= '9')
			d = *q - '0';
		else if (hex && ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'f'))
			d = (*q | 0x20) - 'a' + 10;
		else
			break;
		if (n == 7)
			return 0;
		v = v * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (n == 0 || *q != ';')
		return 0;
	*len = (size_t)(q + 1 - p);
	if ((v < 0x20 && v != '\t' && v != '\n') || (v >= 0x7f && v < 0xa0) ||
	    (v >= 0xd800 && v <= 0xdfff) || v == 0xfffe || v == 0xffff ||
	    v > 0x10ffff)
		return 0;
	return v;
}

/*
 * The code point of entity name: the commonest by hand, the rest from
 * libxml2's table (a linear search); 0 when it has none.
 */
static uint32_t
entity_value(const char *name)
{
	static const struct {
		const char	*name;
		uint32_t	 value;
	} common[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
		{ "nbsp", 0xa0 },
	};
	const htmlEntityDesc *ent;
	size_t i;

	for (i = 0; i < sizeof common / sizeof common[0]; i++)
		if (strcmp(name, common[i].name) == 0)
			return common[i].value;
	ent = htmlEntityLookup((const xmlChar *)name);
	return ent != NULL && ent->value <= 0x10ffff ? ent->value : 0;
}

/*
 * The reference at p (on its '&') decoded into out; its length in the
 * input, or 0 to decline: a loose '&', an unknown name, a missing ';'.
 */
static size_t
read_ref(const unsigned char *p, char out[4], size_t *outlen)
{
	char name[FAST_NAME_MAX];
	uint32_t c;
	size_t n;

	if (p[1] == '#') {
		if ((c = char_ref(p + 2, &n)) == 0)
			return 0;
		*outlen = utf8_put(out, c);
		return n + 2;
	}
	if ((n = read_name(p + 1, name, N_CASE)) == 0 || p[1 + n] != ';' ||
	    (c = entity_value(name)) == 0)
		return 0;
	*outlen = utf8_put(out, c);
	return n + 2;
}

/*
 * Whether p starts U+FFFE or U+FFFF: no XML characters, which libxml2
 * drops.  Their lead byte, 0xef, is one the readers stop at.
 */
static int
is_nonchar(const unsigned char *p)
{
	return p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf);
}

/* Whether the n bytes at p hold U+FFFE or U+FFFF. */
static int
has_nonchar(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;

	while ((p = memchr(p, 0xef, (size_t)(end - p))) != NULL) {
		if (is_nonchar(p))
			return 1;
		p++;
	}
	return 0;
}

/* Whether the text run p..p+n is all blanks. */
static int
all_blank(const unsigned char *p, size_t n)
{
	while (n > 0 && is_blank(*p)) {
		p++;
		n--;
	}
	return n == 0;
}

static const struct fast_elem *
top(const struct fast *f)
{
	return f->depth > 0 ? f->open[f->depth - 1] : NULL;
}

/* Whether text may stand where we are: lists hold blanks only. */
static int
text_fits(const struct fast *f, const unsigned char *p, size_t n)
{
	const struct fast_elem *t = top(f);

	if (t != NULL && (t->role == R_LIST || t->role == R_DEFS))
		return all_blank(p, n);
	return 1;
}

static struct event *
add_event(struct fast *f)
{
	if (f->nev == f->ev_cap) {
		f->ev_cap = f->ev_cap ? 2 * f->ev_cap : 64;
		f->ev = xreallocarray(f->ev, f->ev_cap, sizeof *f->ev);
	}
	memset(&f->ev[f->nev], 0, sizeof f->ev[0]);
	return &f->ev[f->nev++];
}

/* The text read since the last tag, if any, as one event. */
static void
flush_text(struct fast *f)
{
	struct event *ev;

	if (f->text.len == f->text_from)
		return;
	ev = add_event(f);
	ev->is_text = 1;
	ev->from = f->text_from;
	ev->len = f->text.len - f->text_from;
	f->text_from = f->text.len;
}

/* Text up to the next tag: 1 read (f->p moved on), 0 to decline. */
static int
read_text(struct fast *f)
{
	const unsigned char *p = f->p;
	char ch[4];
	size_t n, len;

	while (*p != '\0' && *p != '<') {
		n = strcspn((const char *)p, "<&\r\f\xef");
		if (n == 0 && *p == 0xef && !is_nonchar(p))
			n = 1;
		if (n > 0) {
			if (!text_fits(f, p, n))
				return 0;
			buf_append(&f->text, p, n);
			p += n;
			continue;
		}
		if (*p != '&' || (n = read_ref(p, ch, &len)) == 0 ||
		    !text_fits(f, (const unsigned char *)ch, len))
			return 0;
		buf_append(&f->text, ch, len);
		p += n;
	}
	f->p = p;
	return 1;
}

/* Whether an element of role r may open where we are. */
static int
fits(const struct fast *f, const struct fast_elem *e)
{
	const struct fast_elem *t = top(f);
	enum role in = t != NULL ? t->role : R_BOX;

	switch (e->role) {
	case R_PHRASE:
	case R_VOID:
		if (strcmp(e->name, "a") == 0 && f->links > 0)
			return 0;
		return in != R_LIST && in != R_DEFS;
	case R_ITEM:
		return in == R_LIST;
	case R_TERM:
	case R_DEF:
		return in == R_DEFS;
	default:
		return in == R_BOX || in == R_ITEM || in == R_DEF;
	}
}

/*
 * One attribute value at p (after '='), decoded onto f->atts; the input
 * past it, or NULL to decline.  Quoted values may hold what text may;
 * unquoted ones only letters, digits, '.', '_' and '-'.
 */
static const unsigned char *
read_value(struct fast *f, const unsigned char *p)
{
	unsigned char quote = *p;
	char ch[4];
	size_t n, len;

	if (quote != '"' && quote != '\'') {
		for (n = 0; is_alnum(p[n]) || p[n] == '.' || p[n] == '_' ||
		    p[n] == '-'; n++)
			;
		if (n == 0 || (!is_blank(p[n]) && p[n] != '>'))
			return NULL;
		buf_append(&f->atts, p, n);
		return p + n;
	}
	for (p++; *p != quote; p += n) {
		if (*p == '\0' || *p == '<' || *p == '\r' || *p == '\f' ||
		    is_nonchar(p))
			return NULL;
		if (*p == '&') {
			if ((n = read_ref(p, ch, &len)) == 0)
				return NULL;
			buf_append(&f->atts, ch, len);
			continue;
		}
		/* *p is plain; run to the next byte that may not be. */
		for (n = 1; p[n] != quote && p[n] != '\0' && p[n] != '<' &&
		    p[n] != '\r' && p[n] != '\f' && p[n] != '&' && p[n] != 0xef;
		    n++)
			;
		buf_append(&f->atts, p, n);
	}
	p++;
	return is_blank(*p) || *p == '>' || *p == '/' ? p : NULL;
}

/* Room in f->offs for one more name and value. */
static void
offs_grow(struct fast *f)
{
	if (f->noffs + 2 > f->offs_cap) {
		f->offs_cap = f->offs_cap ? 2 * f->offs_cap : 32;
		f->offs = xreallocarray(f->offs, f->offs_cap, sizeof *f->offs);
	}
}

/* Whether name is among the attributes of this tag, from offs[first]. */
static int
seen_attribute(const struct fast *f, size_t first, const char *name)
{
	size_t i;

	for (i = first; i < f->noffs; i += 2)
		if (strcmp(buf_str(&f->atts) + f->offs[i], name) == 0)
			return 1;
	return 0;
}

/*
 * The attributes of a start tag at *pp onto f->atts and f->offs; how
 * many, or -1 to decline.  *pp is left on the '>' or "/>".
 */
static int
read_attributes(struct fast *f, const unsigned char **pp)
{
	const unsigned char *p = *pp, *q;
	char name[FAST_NAME_MAX];
	size_t n, first = f->noffs;
	int count = 0, apart;

	for (;;) {
		apart = is_blank(*p);
		p = skip_blanks(p);
		if (*p == '>' || *p == '/')
			break;
		if (!apart || count == FAST_MAX_ATTS ||
		    (n = read_name(p, name, N_DASH)) == 0 ||
		    seen_attribute(f, first, name))
			return -1;
		offs_grow(f);
		f->offs[f->noffs++] = f->atts.len;
		buf_append(&f->atts, name, n + 1);
		f->offs[f->noffs++] = SIZE_MAX;
		p += n;
		if (*(q = skip_blanks(p)) == '=') {
			f->offs[f->noffs - 1] = f->atts.len;
			if ((p = read_value(f, skip_blanks(q + 1))) == NULL)
				return -1;
			buf_putc(&f->atts, '\0');
		}
		count++;
	}
	*pp = p;
	return count;
}

/* Report entering an element as libxml2 hands it, attributes and all. */
static void
report_enter(const struct fast *f, const struct event *ev,
    struct html_walker *w)
{
	const xmlChar *atts[2 * FAST_MAX_ATTS + 1];
	const size_t *offs = f->offs + ev->from;
	size_t i;

	for (i = 0; i < 2 * ev->len; i++)
		atts[i] = offs[i] == SIZE_MAX ? NULL :
		    (const xmlChar *)buf_str(&f->atts) + offs[i];
	atts[2 * ev->len] = NULL;
	html_walk_enter(w, ev->elem->name, ev->len > 0 ? atts : NULL);
}

static void
push(struct fast *f, const struct fast_elem *e)
{
	f->open[f->depth++] = e;
	f->links += strcmp(e->name, "a") == 0;
}

static void
pop(struct fast *f)
{
	const struct fast_elem *e = f->open[--f->depth];

	f->links -= strcmp(e->name, "a") == 0;
	add_event(f);
}

/* A start tag at f->p (on the letter after '<'): 1 read, 0 to decline. */
static int
read_start_tag(struct fast *f)
{
	const struct fast_elem *e;
	const unsigned char *p = f->p;
	char name[FAST_NAME_MAX];
	struct event *ev;
	size_t n, first = f->noffs;
	int count = 0, empty;

	if ((n = read_name(p, name, 0)) == 0 || (e = elem_find(name)) == NULL ||
	    !fits(f, e) || f->depth == FAST_MAX_DEPTH)
		return 0;
	p += n;
	if (*p != '>' && *p != '/' && (count = read_attributes(f, &p)) < 0)
		return 0;
	empty = e->role == R_VOID || e->role == R_RULE;
	if (*p == '/' && (!empty || *++p != '>'))
		return 0;
	/* libxml2 drops a newline just after <pre>; leave that to it. */
	if (strcmp(name, "pre") == 0 && (p[1] == '\n' || p[1] == '\r'))
		return 0;
	flush_text(f);
	ev = add_event(f);
	ev->elem = e;
	ev->from = first;
	ev->len = (size_t)count;
	push(f, e);
	if (empty)
		pop(f);
	f->p = p + 1;
	return 1;
}

/* An end tag at f->p (on the '/'): it must close the element open. */
static int
read_end_tag(struct fast *f)
{
	const struct fast_elem *t = top(f);
	const unsigned char *p = f->p + 1;
	char name[FAST_NAME_MAX];
	size_t n;

	if ((n = read_name(p, name, 0)) == 0 || t == NULL ||
	    strcmp(name, t->name) != 0)
		return 0;
	p = skip_blanks(p + n);
	if (*p != '>')
		return 0;
	flush_text(f);
	pop(f);
	f->p = p + 1;
	return 1;
}

/*
 * A comment at f->p (on the '!'): "<!--", text without "--", "-->".
 * Its text may not start with '>' or "->", which libxml2 reads apart.
 */
static int
read_comment(struct fast *f)
{
	const char *p = (const char *)f->p, *end;

	if (strncmp(p, "!--", 3) != 0 || p[3] == '>' ||
	    (p[3] == '-' && p[4] == '>'))
		return 0;
	if ((end = strstr(p + 3, "--")) == NULL || end[2] != '>' ||
	    strcspn(p, "\r\f") < (size_t)(end - p) ||
	    has_nonchar((const unsigned char *)p, (size_t)(end - p)))
		return 0;
	f->p = (const unsigned char *)end + 3;
	return 1;
}

/* The whole fragment: 1 when it was read to its end, 0 to decline. */
static int
read_all(struct fast *f)
{
	int ok = 1;

	while (ok && *f->p != '\0') {
		if (*f->p != '<') {
			ok = read_text(f);
			continue;
		}
		f->p++;
		if (is_alpha(*f->p))
			ok = read_start_tag(f);
		else if (*f->p == '/')
			ok = read_end_tag(f);
		else if (*f->p == '!')
			ok = read_comment(f);
		else
			ok = 0;
	}
	flush_text(f);
	while (ok && f->depth > 0)
		pop(f);
	return ok;
}

/* Report the events written down, between the wrapping html and body. */
static void
report(const struct fast *f, struct html_walker *w)
{
	static const char *const wrap[] = { "html", "body" };
	const struct event *ev;

	html_walk_reset(w);
	html_walk_enter(w, wrap[0], NULL);
	html_walk_enter(w, wrap[1], NULL);
	for (ev = f->ev; ev < f->ev + f->nev; ev++) {
		if (ev->is_text)
			html_walk_text(w, buf_str(&f->text) + ev->from, ev->len);
		else if (ev->elem != NULL)
			report_enter(f, ev, w);
		else
			html_walk_leave(w);
	}
	html_walk_leave(w);
	html_walk_leave(w);
}

int
html_fast_fragment(const char *html, struct html_walker *w)
{
	struct fast f;
	int ok;

	memset(&f, 0, sizeof f);
	f.p = (const unsigned char *)html;
	buf_init(&f.text, 0);
	buf_reserve(&f.text, strlen(html));	/* text is most of it */
	buf_init(&f.atts, 0);
	if ((ok = read_all(&f)) != 0)
		report(&f, w);
	buf_free(&f.text);
	buf_free(&f.atts);
	free(f.offs);
	free(f.ev);
	return ok;
}
