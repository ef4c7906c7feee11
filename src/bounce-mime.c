/*
 * bounce-mime.c - split a returned message into its leaf parts, for the
 * bounce reader.
 *
 * A careful hand parser of RFC 5322 / RFC 2045-2046 structure rather than
 * libetpan's mailmime_parse: bounces are often truncated, cut inside a
 * boundary, mislabelled or not MIME at all, and the reader wants each
 * report part's text verbatim (a message/delivery-status block, the
 * headers of the returned message) rather than a tree of parsed fields.
 * This walker never fails: whatever it cannot split it keeps as text.
 * It never decodes charsets (the tables match ASCII words), never prints.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bounce-int.h"
#include "buf.h"
#include "base64.h"
#include "xmalloc.h"

#define MAX_DEPTH	8
#define MAX_PARTS	64

/* Where the header block ends and the body begins. */
static size_t
header_end(const char *p, size_t len, size_t *body)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < len && p[i + 1] == '\n') {
			*body = i + 2;
			return i + 1;
		}
		if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n') {
			*body = i + 3;
			return i + 1;
		}
	}
	*body = len;
	return len;
}

/* Does the block start like header fields ("Name: value")? */
static int
looks_like_header(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 80; i++) {
		if (p[i] == ':')
			return i > 0;
		if (!isgraph((unsigned char)p[i]))
			return 0;
	}
	return 0;
}

/*
 * Does the line continue the field above it: folded whitespace, or a bare
 * MIME parameter ("boundary=...") that some mailers (Apache James among
 * them) put on a line of its own without the leading space?
 */
static int
continues(const char *line)
{
	size_t n;

	if (*line == ' ' || *line == '\t')
		return 1;
	n = strspn(line, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_*");
	return n > 0 && line[n] == '=';
}

char *
hdr_get(const char *hdr, const char *name)
{
	size_t n = strlen(name);
	const char *p = hdr, *e;
	struct buf b;

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		buf_init(&b, 0);
		for (p += n + 1;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			e = p + strcspn(p, "\r\n");
			buf_append(&b, p, e - p);
			p = e + (*e == '\r');
			if (*p != '\n' || !continues(p + 1))
				break;
			buf_putc(&b, ' ');
			p++;
		}
		return buf_detach(&b);
	}
	return NULL;
}

char *
hdr_param(const char *value, const char *param)
{
	size_t n = strlen(param);
	const char *p, *e;

	for (p = strchr(value, ';'); p != NULL; p = strchr(p + 1, ';')) {
		e = p + 1;
		while (*e == ' ' || *e == '\t')
			e++;
		if (strncasecmp(e, param, n) != 0)
			continue;
		e += n;
		while (*e == ' ')
			e++;
		if (*e++ != '=')
			continue;
		while (*e == ' ')
			e++;
		if (*e == '"')
			return xstrndup(e + 1, strcspn(e + 1, "\""));
		return xstrndup(e, strcspn(e, "; \t"));
	}
	return NULL;
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *
decode_qp(const char *p, size_t len, size_t *out)
{
	char *s = xmalloc(len + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (p[i] != '=') {
			s[o++] = p[i];
			continue;
		}
		if (i + 1 < len && p[i + 1] == '\n') {
			i++;
			continue;
		}
		if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n') {
			i += 2;
			continue;
		}
		if (i + 2 < len && (hi = unhex(p[i + 1])) >= 0 &&
		    (lo = unhex(p[i + 2])) >= 0) {
			s[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			s[o++] = '=';
	}
	s[o] = '\0';
	*out = o;
	return s;
}

static void
add_leaf(struct mparts *out, char *type, const char *hdr, size_t hlen,
    const char *body, size_t blen)
{
	struct mpart *m;
	char *cte = NULL, *h = xstrndup(hdr, hlen);

	if (out->n == MAX_PARTS) {
		free(type);
		free(h);
		return;
	}
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	m = &out->v[out->n++];
	m->type = type;
	m->hdr = h;
	if ((cte = hdr_get(h, "Content-Transfer-Encoding")) != NULL &&
	    strncasecmp(cte, "base64", 6) == 0)
		m->body = base64_decode(body, blen, 1, &m->len);
	else if (cte != NULL && strncasecmp(cte, "quoted-printable", 16) == 0)
		m->body = decode_qp(body, blen, &m->len);
	else {
		m->body = xstrndup(body, blen);
		m->len = strlen(m->body);
	}
	free(cte);
}

/* The next line at or after p that is "--boundary", or NULL. */
static const char *
next_delim(const char *p, const char *end, const char *bd, size_t bl)
{
	for (; p != NULL && p + bl + 2 <= end;
	    p = memchr(p, '\n', end - p), p = p ? p + 1 : NULL)
		if (p[0] == '-' && p[1] == '-' && memcmp(p + 2, bd, bl) == 0)
			return p;
	return NULL;
}

static void walk(const char *, size_t, int, struct mparts *);

static void
walk_multipart(const char *body, size_t blen, const char *bd, int depth,
    struct mparts *out)
{
	const char *end = body + blen, *d, *next, *s;
	size_t bl = strlen(bd);

	if ((d = next_delim(body, end, bd, bl)) == NULL) {
		add_leaf(out, xstrdup("text/plain"), "", 0, body, blen);
		return;
	}
	if (d > body)
		add_leaf(out, xstrdup("text/plain"), "", 0, body, d - body);
	while (d != NULL && !(d + bl + 3 < end && d[bl + 2] == '-' &&
	    d[bl + 3] == '-')) {
		if ((s = memchr(d, '\n', end - d)) == NULL)
			break;
		s++;
		next = next_delim(s, end, bd, bl);
		walk(s, (next ? next : end) - s, depth + 1, out);
		d = next;
	}
}

static void
walk(const char *p, size_t len, int depth, struct mparts *out)
{
	size_t hlen, boff;
	char *hdr, *ct, *type, *bd = NULL;

	if (!looks_like_header(p, len)) {
		add_leaf(out, xstrdup("text/plain"), "", 0, p, len);
		return;
	}
	hlen = header_end(p, len, &boff);
	hdr = xstrndup(p, hlen);
	ct = hdr_get(hdr, "Content-Type");
	type = xstrndup(ct ? ct : "text/plain", ct ? strcspn(ct, "; \t") : 10);
	for (char *t = type; *t; t++)
		*t = (char)tolower((unsigned char)*t);
	if (strncmp(type, "multipart/", 10) == 0 && ct != NULL &&
	    (bd = hdr_param(ct, "boundary")) != NULL && *bd != '\0' &&
	    depth < MAX_DEPTH) {
		walk_multipart(p + boff, len - boff, bd, depth, out);
		free(type);
	} else
		add_leaf(out, type, p, hlen, p + boff, len - boff);
	free(bd);
	free(ct);
	free(hdr);
}

void
mparts_split(const char *msg, size_t len, struct mparts *out)
{
	const char *nl;
	size_t hlen, boff;

	memset(out, 0, sizeof *out);
	if (len > 5 && strncmp(msg, "From ", 5) == 0 &&
	    (nl = memchr(msg, '\n', len)) != NULL) {
		len -= nl + 1 - msg;
		msg = nl + 1;
	}
	if (!looks_like_header(msg, len)) {
		out->hdr = xstrdup("");
		out->body = xstrndup(msg, len);
		add_leaf(out, xstrdup("text/plain"), "", 0, msg, len);
		return;
	}
	hlen = header_end(msg, len, &boff);
	out->hdr = xstrndup(msg, hlen);
	out->body = xstrndup(msg + boff, len - boff);
	walk(msg, len, 0, out);
}

void
mparts_free(struct mparts *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].type);
		free(m->v[i].hdr);
		free(m->v[i].body);
	}
	free(m->v);
	free(m->hdr);
	free(m->body);
}

static int
addr_char(int c)
{
	return isalnum(c) || (c != '\0' && strchr("._%+-=!#$&'*/?^`{|}~",
	    c) != NULL) || c >= 0x80;
}

/* The start of a quoted local part ("a..b"@host) ending at at, or at. */
static const char *
quoted_local(const char *s, const char *at)
{
	const char *q;

	if (at - s < 3 || at[-1] != '"')
		return at;
	for (q = at - 2; q > s && *q != '"' && *q != '\n' && *q != '<'; q--)
		;
	return *q == '"' && q < at - 2 ? q : at;
}

char *
addr_find(const char *s)
{
	const char *at, *a, *e;
	char *r, *t;

	for (at = strchr(s, '@'); at != NULL; at = strchr(at + 1, '@')) {
		if ((a = quoted_local(s, at)) == at)
			while (a > s && addr_char((unsigned char)a[-1]))
				a--;
		for (e = at + 1; isalnum((unsigned char)*e) || *e == '-' ||
		    *e == '.' || *e == '_'; e++)
			;
		while (e > at + 1 && (e[-1] == '.' || e[-1] == '-'))
			e--;
		while (a < at && (*a == '.' || *a == '\'' || *a == '='))
			a++;
		if (a == at || e == at + 1 || memchr(at + 1, '.', e - at - 1)
		    == NULL)
			continue;
		r = xstrndup(a, e - a);
		for (t = r; *t; t++)
			*t = (char)tolower((unsigned char)*t);
		return r;
	}
	return NULL;
}
