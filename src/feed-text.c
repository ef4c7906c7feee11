/*
 * feed-text.c - the byte and string chores of the feed parser (feed.c and
 * feed-jsonfeed.c).
 *
 * Charset sniffing and windows-1252 repair before a parser sees the bytes,
 * whitespace folding, new items and their categories, RSS author strings
 * and link clean-up after.  Uses
 * libxml2 only for its table of HTML entity names; never returns invalid
 * UTF-8 from valid input.
 */
#include <ctype.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "base64.h"
#include "buf.h"
#include "date.h"
#include "feed.h"
#include "charset.h"
#include "cp1252.h"
#include "feed-text.h"
#include "utf8.h"
#include "scan.h"
#include "url.h"
#include "xmalloc.h"

#define MAX_ITEMS	20000
#define MAX_CATS	64

size_t
feed_skip_space(const char *data, size_t len)
{
	size_t i = 0;

	/* A BOM stays: libxml2 reads it.  Blank lines before <?xml do not. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		return 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'))
		i++;
	return i;
}

int
feed_sniff_html(const char *data, size_t len)
{
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (len >= 14 && strncasecmp(data, "<!doctype html", 14) == 0)
		return 1;
	return len >= 5 && strncasecmp(data, "<html", 5) == 0 &&
	    (len == 5 || data[5] == '>' || isspace((unsigned char)data[5]));
}

int
feed_sniff_json(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < len && data[i] == '{';
}

static int
utf8_valid(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	return utf8_span(p, p + len, 0) == len;
}

/* The encoding named in the XML declaration, copied into out, or 0. */
static int
decl_encoding(const char *data, size_t len, char *out, size_t outsz)
{
	const char *end, *e, *q;
	char quote;
	size_t n;

	if (len < 6 || memcmp(data, "<?xml", 5) != 0)
		return 0;
	if ((end = memchr(data, '>', len < 512 ? len : 512)) == NULL)
		return 0;
	for (e = data; e + 8 < end; e++) {
		if (memcmp(e, "encoding", 8) == 0)
			break;
	}
	if (e + 8 >= end)
		return 0;
	for (e += 8; e < end && (isspace((unsigned char)*e) || *e == '='); e++)
		;
	if (e >= end || (*e != '"' && *e != '\''))
		return 0;
	quote = *e++;
	if ((q = memchr(e, quote, (size_t)(end - e))) == NULL)
		return 0;
	n = (size_t)(q - e);
	if (n == 0 || n >= outsz)
		return 0;
	memcpy(out, e, n);
	out[n] = '\0';
	return 1;
}

static int
utf8_like(const char *enc)
{
	return strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0 ||
	    strcasecmp(enc, "us-ascii") == 0 || strcasecmp(enc, "ascii") == 0;
}

static int
is_wide(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;

	return len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) ||
	    (u[0] == 0xff && u[1] == 0xfe) || u[0] == 0 || u[1] == 0);
}

static int
bad_control(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

char *
feed_strip_controls(const char *data, size_t len, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)data;
	char *out;
	size_t i, n = 0;

	if (is_wide(data, len))
		return NULL;
	for (i = 0; i < len && !bad_control(u[i]);)
		i += u[i] >= 0x20 ? scan_no_controls(u + i, u + len) : 1;
	if (i == len)
		return NULL;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (!bad_control(u[i]))
			out[n++] = data[i];
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* Whether iconv, and so libxml2, can decode the charset. */
static int
known_charset(const char *name)
{
	iconv_t cd = iconv_open("UTF-8", name);

	if (cd == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

int
feed_needs_repair(const char *data, size_t len, const char *http_charset,
    const char **enc, int *utf8)
{
	char decl[64];
	int declared = 0;

	*enc = NULL;
	*utf8 = 0;
	/* UTF-16 and UTF-32 announce themselves with a BOM or NUL bytes. */
	if (is_wide(data, len))
		return 0;
	/*
	 * RFC 7303 section 3.2 (and feedparser): the charset of the HTTP
	 * Content-Type wins over the XML declaration.  One iconv does not
	 * know is ignored, as libxml2 would.
	 */
	if (http_charset != NULL && *http_charset != '\0' &&
	    known_charset(http_charset)) {
		declared = 1;
		*enc = utf8_like(http_charset) ? "UTF-8" : http_charset;
		if (*enc == http_charset)
			return 0;
	} else if ((declared = decl_encoding(data, len, decl, sizeof decl))) {
		if (!utf8_like(decl))
			return 0;
	}
	if (utf8_valid(data, len)) {
		*utf8 = 1;
		return 0;
	}
	/*
	 * XML says undeclared bytes are UTF-8, but a document that is not
	 * and says nothing is most often in its author's legacy charset
	 * (Shift_JIS, KOI8-R, ...): guess it, as feedparser does with chardet.
	 */
	if (!declared && (*enc = charset_guess(data, len)) != NULL)
		return 0;
	return 1;
}

void
feed_utf8_put(char *u, unsigned long cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	u[utf8_put(u, (uint32_t)cp)] = '\0';
}

char *
feed_repair_utf8(const char *data, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)data;
	struct buf b;
	size_t i = 0, n;
	char u[8];

	/* At most three bytes out per byte in: the cap cannot be hit. */
	buf_init(&b, len * 3 + 16);
	while (i < len) {
		if ((n = utf8_char_len(p + i, p + len)) != 0) {
			buf_append(&b, p + i, n);
			i += n;
			continue;
		}
		feed_utf8_put(u, cp1252_code_point(p[i]));
		buf_puts(&b, u);
		i++;
	}
	*outlen = b.len;
	return buf_detach(&b);
}

/* Length of the space at s: ASCII whitespace or U+00A0 (NBSP). */
static size_t
space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
	    *s == '\f' || *s == '\v')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

char *
feed_collapse(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	size_t n;
	int pending = 0;

	while (*s != '\0') {
		if ((n = space_at(s)) != 0) {
			pending = o != out;
			s += n;
			continue;
		}
		if (pending)
			*o++ = ' ';
		pending = 0;
		*o++ = *s++;
	}
	*o = '\0';
	if (o == out) {
		free(out);
		return NULL;
	}
	return out;
}

char *
feed_trim(const char *s)
{
	const char *e;

	while (space_at(s))
		s += space_at(s);
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	if (e == s)
		return NULL;
	return xstrndup(s, (size_t)(e - s));
}

char *
feed_base64(const char *s)
{
	size_t n;
	char *out = base64_decode(s, strlen(s), 0, &n);

	/* Only text is content: no NUL inside, valid UTF-8. */
	if (out != NULL && (strlen(out) != n || !utf8_valid(out, n))) {
		free(out);
		out = NULL;
	}
	return out;
}

enum kind
feed_kind_of_type(const char *type, enum kind dflt, int *base64)
{
	size_t n = strlen(type);

	*base64 = 0;
	if (strcasecmp(type, "text") == 0 || strcasecmp(type, "plain") == 0 ||
	    strcasecmp(type, "text/plain") == 0)
		return K_TEXT;
	if (strcasecmp(type, "html") == 0 || strcasecmp(type, "text/html") == 0)
		return K_HTML;
	if (strcasecmp(type, "xhtml") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0)
		return K_XHTML;
	if (strncasecmp(type, "text/", 5) == 0)
		return K_TEXT;
	if ((n > 4 && strcasecmp(type + n - 4, "+xml") == 0) ||
	    (n > 4 && strcasecmp(type + n - 4, "/xml") == 0))
		return K_XHTML;
	*base64 = 1;
	return dflt == K_GUESS ? K_TEXT : dflt;
}

int
feed_is_html_type(const char *type)
{
	return strcasecmp(type, "text/html") == 0 ||
	    strcasecmp(type, "html") == 0 || strcasecmp(type, "xhtml") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0;
}

/* The scheme's length when s starts with "scheme:", else 0. */
static size_t
scheme_len(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' ||
	    s[n] == '.')
		n++;
	return s[n] == ':' ? n : 0;
}

char *
feed_resolve(const char *base, const char *ref)
{
	char *r, *abs;

	if (ref == NULL || (r = feed_trim(ref)) == NULL)
		return NULL;
	if (scheme_len(r) != 0)
		return r;
	abs = base != NULL && scheme_len(base) != 0 ? url_resolve(base, r) : NULL;
	free(r);
	return abs;
}

static int
safe_scheme(const char *url)
{
	static const char *const ok[] = { "http", "https", "ftp", "mailto", "magnet" };
	size_t n = scheme_len(url), i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (strlen(ok[i]) == n && strncasecmp(url, ok[i], n) == 0)
			return 1;
	}
	return 0;
}

void
feed_fix_link(char **link, const char *b1, const char *b2)
{
	char *abs;

	if (*link == NULL)
		return;
	if (scheme_len(*link) == 0) {
		abs = feed_resolve(b1, *link);
		if (abs == NULL)
			abs = feed_resolve(b2, *link);
		free(*link);
		*link = abs;
	}
	if (*link != NULL && !safe_scheme(*link)) {
		free(*link);
		*link = NULL;
	}
}

/* Where an e-mail address starts and ends inside s, feedparser's way. */
static int
find_email(const char *s, size_t *start, size_t *end)
{
	const char *at, *b, *e, *dot;

	for (at = strchr(s, '@'); at != NULL; at = strchr(at + 1, '@')) {
		for (b = at; b > s && (isalnum((unsigned char)b[-1]) ||
		    strchr("_-.+", b[-1]) != NULL); b--)
			;
		for (e = at + 1; isalnum((unsigned char)*e) || *e == '-' ||
		    *e == '.'; e++)
			;
		while (e > at + 1 && e[-1] == '.')
			e--;
		dot = memchr(at + 1, '.', (size_t)(e - at - 1));
		if (b == at || dot == NULL)
			continue;
		*start = (size_t)(b - s);
		*end = (size_t)(e - s);
		return 1;
	}
	return 0;
}

static void
remove_all(char *s, const char *what)
{
	char *p;
	size_t n = strlen(what);

	while ((p = strstr(s, what)) != NULL)
		memmove(p, p + n, strlen(p + n) + 1);
}

void
feed_author_text(struct feed_item *it, const char *text)
{
	char *s, *name;
	size_t a, b, n;

	if ((s = feed_collapse(text)) == NULL)
		return;
	if (find_email(s, &a, &b)) {
		xstrset(&it->author_email, NULL);
		it->author_email = xstrndup(s + a, b - a);
		memmove(s + a, s + b, strlen(s + b) + 1);
		remove_all(s, "mailto:");
		remove_all(s, "()");
		remove_all(s, "<>");
	}
	name = feed_trim(s);
	free(s);
	if (name != NULL) {
		n = strlen(name);
		if (name[0] == '(')
			memmove(name, name + 1, n--);
		if (n > 0 && name[n - 1] == ')')
			name[--n] = '\0';
		s = feed_collapse(name);
		free(name);
		name = s;
	}
	if (name != NULL) {
		free(it->author);
		it->author = name;
	} else if (it->author_email != NULL) {
		xstrset(&it->author, it->author_email);
	}
}

/*
 * Text that was UTF-8, read as Latin-1 and encoded to UTF-8 again ("Ã©"
 * for "é") is common in feeds declared UTF-8.  When every character is
 * below U+0100 and their bytes form valid UTF-8 with something non-ASCII,
 * undo it, in place.
 */
void
feed_unmojibake(char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char *o;
	size_t len = strlen(s), i, n = 0;
	int high = 0;

	/* Every field's text comes through here: skip ASCII by the word. */
	for (i = 0; i < len; i++) {
		if ((i += scan_ascii(p + i, p + len, 0)) == len)
			break;
		if (p[i] != 0xc2 && p[i] != 0xc3)
			return;
		high = 1;
		i++;
	}
	if (!high)
		return;
	o = xmalloc(len + 1);
	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] < 0x80)
			o[n++] = p[i];
		else {
			o[n++] = (unsigned char)(((p[i] & 0x03) << 6) | (p[i + 1] & 0x3f));
			i++;
		}
	}
	o[n] = '\0';
	if (utf8_valid((char *)o, n))
		memcpy(s, o, n + 1);
	free(o);
}

char *
feed_fix_text(char *s, int utf8)
{
	char *fixed;

	if (utf8)
		feed_unmojibake(s);
	if ((fixed = cp1252_map_c1(s)) == NULL)
		return s;
	free(s);
	return fixed;
}

struct feed_item *
feed_item_add(struct feed *f, size_t *cap)
{
	struct feed_item *it;

	if (f->nitems >= MAX_ITEMS)
		return NULL;
	if (f->nitems == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		f->items = xreallocarray(f->items, *cap, sizeof *it);
	}
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof *it);
	it->published = it->updated = DATE_NONE;
	return it;
}

void
feed_add_category(struct feed_item *it, const char *raw)
{
	char *c;
	size_t i;

	if (raw == NULL || (c = feed_collapse(raw)) == NULL)
		return;
	for (i = 0; i < it->ncategories; i++) {
		if (strcmp(it->categories[i], c) == 0) {
			free(c);
			return;
		}
	}
	if (it->ncategories >= MAX_CATS) {
		free(c);
		return;
	}
	it->categories = xreallocarray(it->categories, it->ncategories + 1,
	    sizeof *it->categories);
	it->categories[it->ncategories++] = c;
}

/* The first of chars in [p, end), or NULL. */
static const char *
strpbrk_n(const char *p, const char *end, const char *chars)
{
	const char *c;

	/* No strchr() a byte: this runs over every byte of every feed. */
	p += scan_none_of(p, end, chars);
	for (; p < end; p++) {
		for (c = chars; *c != '\0'; c++)
			if (*p == *c)
				return p;
	}
	return NULL;
}

/* Where needle starts in [p, end), or NULL. */
static const char *
find_n(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; (size_t)(end - p) >= n; p++) {
		if (*p == *needle && memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

/* Whether name (n bytes, not NUL-ended) is one of XML's five entities. */
static int
xml_predefined(const char *name, size_t n)
{
	switch (n) {
	case 2:
		return (name[0] == 'l' || name[0] == 'g') && name[1] == 't';
	case 3:
		return memcmp(name, "amp", 3) == 0;
	case 4:
		return memcmp(name, "quot", 4) == 0 ||
		    memcmp(name, "apos", 4) == 0;
	default:
		return 0;
	}
}

/* Length of a well-formed character reference at p ("&#38;", "&#x26;"). */
static size_t
char_ref_len(const char *p, const char *end)
{
	const char *q = p + 2;

	if (end - p < 4 || p[1] != '#')
		return 0;
	if (*q == 'x' || *q == 'X') {
		for (q++; q < end && isxdigit((unsigned char)*q); q++)
			;
		if (q == p + 3)
			return 0;
	} else {
		for (; q < end && isdigit((unsigned char)*q); q++)
			;
		if (q == p + 2)
			return 0;
	}
	return q < end && *q == ';' ? (size_t)(q - p + 1) : 0;
}

/* Append to b, unless there is no b (only looking for changes). */
static void
put(struct buf *b, const char *p, size_t n)
{
	if (b != NULL)
		buf_append(b, p, n);
}

/*
 * One "&..." at amp into b (NULL: nowhere); returns the bytes consumed,
 * and sets *changed when it was not copied as it stands.
 */
static size_t
fix_reference(struct buf *b, const char *amp, const char *end, int *changed)
{
	const htmlEntityDesc *e;
	const char *q;
	char name[32];
	size_t n;

	/* Escaped markup is mostly these three: no need to look further. */
	if (end - amp >= 5 && (memcmp(amp, "&lt;", 4) == 0 ||
	    memcmp(amp, "&gt;", 4) == 0 || memcmp(amp, "&amp;", 5) == 0)) {
		n = amp[1] == 'a' ? 5 : 4;
		put(b, amp, n);
		return n;
	}
	if ((n = char_ref_len(amp, end)) != 0) {
		put(b, amp, n);
		if (amp[2] == 'X') {	/* XML wants a lower-case x */
			if (b != NULL)
				b->data[b->len - n + 2] = 'x';
			*changed = 1;
		}
		return n;
	}
	for (q = amp + 1; q < end && isalnum((unsigned char)*q); q++)
		;
	n = (size_t)(q - amp - 1);
	if (q < end && *q == ';' && xml_predefined(amp + 1, n)) {
		put(b, amp, n + 2);
		return n + 2;
	}
	if (q < end && *q == ';' && n > 0 && n < sizeof name) {
		memcpy(name, amp + 1, n);
		name[n] = '\0';
		if ((e = htmlEntityLookup((const xmlChar *)name)) != NULL) {
			if (b != NULL)
				buf_printf(b, "&#%u;", e->value);
			*changed = 1;
			return n + 2;
		}
	}
	/* A bare ampersand or an unknown name: the author meant the text. */
	put(b, "&amp;", 5);
	*changed = 1;
	return 1;
}

/*
 * The document rewritten onto b (NULL: only looking); whether anything
 * changed.  CDATA sections and comments are copied untouched.
 */
static int
fix_all(struct buf *b, const char *data, const char *end)
{
	const char *p = data, *q, *cdend;
	int changed = 0;

	while ((q = strpbrk_n(p, end, "&<")) != NULL) {
		put(b, p, (size_t)(q - p));
		if (*q == '&') {
			p = q + fix_reference(b, q, end, &changed);
			continue;
		}
		cdend = NULL;
		if (end - q < 4 || q[1] != '!')
			;	/* a tag: most of them */
		else if ((size_t)(end - q) >= 9 && memcmp(q, "<![CDATA[", 9) == 0)
			cdend = find_n(q, end, "]]>");
		else if ((size_t)(end - q) >= 4 && memcmp(q, "<!--", 4) == 0)
			cdend = find_n(q, end, "-->");
		if (cdend == NULL) {
			put(b, "<", 1);
			p = q + 1;
			continue;
		}
		put(b, q, (size_t)(cdend + 3 - q));
		p = cdend + 3;
	}
	put(b, p, (size_t)(end - p));
	return changed;
}

/*
 * HTML named references (&nbsp;, &copy;), bare ampersands ("Q&A") and
 * "&#X41;" are errors in XML, and one error makes libxml2's reader give up
 * on the rest of the document.  Feeds are full of them, so rewrite them
 * first: names as numeric references, the rest as "&amp;".  CDATA sections
 * are copied untouched, and documents that declare entities of their own
 * are left alone.  Returns NULL when nothing changed; most feeds need no
 * change, so they are only looked through, not copied.
 */
/*
 * Whether some "&" in [data, end) is one fix_reference would rewrite.
 * Only a reference can need a change, so when none does the document
 * needs none, and finding that out takes a look at each "&" alone; a
 * rewrite found here may still sit in a CDATA section, which fix_all
 * tells.
 */
static int
some_reference_to_fix(const char *data, const char *end)
{
	const char *q = data;
	int changed = 0;

	while (!changed && (q = memchr(q, '&', (size_t)(end - q))) != NULL)
		q += fix_reference(NULL, q, end, &changed);
	return changed;
}

char *
feed_fix_references(const char *data, size_t len, size_t *outlen)
{
	const char *end = data + len, *q;
	struct buf b;

	if (!some_reference_to_fix(data, end))
		return NULL;
	for (q = data; (q = memchr(q, '<', (size_t)(end - q))) != NULL; q++) {
		if ((size_t)(end - q) >= 8 && memcmp(q, "<!ENTITY", 8) == 0)
			return NULL;
	}
	if (!fix_all(NULL, data, end))
		return NULL;
	buf_init(&b, len * 2 + 16);
	fix_all(&b, data, end);
	*outlen = b.len;
	return buf_detach(&b);
}
