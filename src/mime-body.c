/*
 * mime-body.c - the message body: the MIME fields, the boundary lines and
 * the two text parts, written straight into the message.  Each part is
 * quoted-printable, or base64 when that is shorter (a digest in Chinese or
 * Russian: quoted-printable spends nine octets on a three-octet character,
 * base64 four).
 *
 * libetpan writes the RFC 5322 header fields (mime.c); the body is
 * written here because libetpan's writer re-scanned every encoded line
 * it was handed, and that was a fifth of a send.  The bytes are the ones
 * libetpan wrote (tests/unit/test-mime.c holds both to mailcheck).
 *
 * Never prints or exits; the only failure is the buffer's cap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "lru.h"
#include "mime.h"
#include "mime-body.h"
#include "piece.h"
#include "scan.h"
#include "xmalloc.h"

/* Quoted-printable lines, "=" of a soft break included (RFC 2045 6.7). */
#define QP_LINE_MAX	76
/* Input taken per reservation; the output of one step is at most 80. */
#define QP_CHUNK	4096
#define QP_ROOM(n)	(6 * ((n) + 80))

/* Base64 lines (RFC 2045 6.8): 76 characters, from 57 octets of text. */
#define B64_LINE_OUT	76
#define B64_LINE_IN	(B64_LINE_OUT / 4 * 3)
/* Lines written per reservation. */
#define B64_LINES	64

static const char hexdigits[] = "0123456789ABCDEF";

size_t
mime_utf8_seq(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * Octets that may stand for themselves (RFC 2045 6.7 rules 2 and 3):
 * printable ASCII but "=", and space and tab, which are literal except
 * at the end of a line (the encoder checks that).  NUL, CR and LF are
 * not, so a run stops at the end of the text and of each line.
 */
static unsigned char literal[256];

static void
literal_init(void)
{
	int c;

	if (literal['a'])
		return;
	for (c = 33; c < 127; c++)
		literal[c] = c != '=';
	literal[' '] = literal['\t'] = 1;
}

struct qp {
	char	*o;		/* the next output byte */
	size_t	 col;		/* octets on the current output line */
	const unsigned char *end;	/* the input's NUL */
	size_t	 lone;		/* LFs and CRs that were not a CRLF */
};

static int
at_eol(unsigned char c)
{
	return c == '\0' || c == '\r' || c == '\n';
}

/*
 * The octets of w that need a look, as their high bits: below 0x20,
 * above 0x7e, or "=" (tab too, which the table then lets through).  A
 * borrow or carry only runs upward from an octet that is flagged itself,
 * so the lowest flag is exact, and none means all eight are literal.
 */
static uint64_t
word_flags(uint64_t w)
{
	return ((w - SCAN_ONES * 0x20) | (w + SCAN_ONES) | w |
	    ((w ^ (SCAN_ONES * '=')) - SCAN_ONES)) & SCAN_HIGH;
}

/* Literal octets from s, at most max; words only before the NUL. */
static size_t
literal_run(const unsigned char *s, const unsigned char *end, size_t max)
{
	size_t n = 0, lim = (size_t)(end - s);
	uint64_t flags;

	if (lim > max)
		lim = max;
	for (; n + 8 <= lim; n += 8) {
		if ((flags = word_flags(scan_word(s + n))) != 0) {
			n += scan_skip(flags);
			break;
		}
	}
	while (n < max && literal[s[n]])
		n++;
	return n;
}

static void
soft_break(struct qp *q)
{
	memcpy(q->o, "=\r\n", 3);
	q->o += 3;
	q->col = 0;
}

/* LF, CRLF and a lone CR all end a line; CRLF goes out. */
static const unsigned char *
hard_break(struct qp *q, const unsigned char *s)
{
	memcpy(q->o, "\r\n", 2);
	q->o += 2;
	q->col = 0;
	if (s[0] == '\r' && s[1] == '\n')
		return s + 2;
	q->lone++;
	return s + 1;
}

/*
 * One octet, or a whole UTF-8 sequence (never split by a soft break),
 * as =XX.  A unit with more of the line after it leaves room for "=".
 */
static const unsigned char *
put_unit(struct qp *q, const unsigned char *s)
{
	size_t n = mime_utf8_seq(s), i;

	if (n == 0)
		n = 1;
	if (q->col + 3 * n > QP_LINE_MAX - (at_eol(s[n]) ? 0 : 1))
		soft_break(q);
	for (i = 0; i < n; i++) {
		q->o[0] = '=';
		q->o[1] = hexdigits[s[i] >> 4];
		q->o[2] = hexdigits[s[i] & 15];
		q->o += 3;
	}
	q->col += 3 * n;
	return s + n;
}

/*
 * A run of literal octets, as much as fits: up to column 75 with more of
 * the line after it, or 76 when the run ends the line.  White space at
 * the very end is left to put_unit (RFC 2045 6.7 rule 3).
 */
static const unsigned char *
put_literal(struct qp *q, const unsigned char *s, size_t run)
{
	int eol = at_eol(s[run]);
	size_t room;

	if (eol && (s[run - 1] == ' ' || s[run - 1] == '\t')) {
		if (--run == 0)
			return put_unit(q, s);
		eol = 0;
	}
	room = eol && q->col + run <= QP_LINE_MAX ? run :
	    QP_LINE_MAX - 1 - q->col;
	if (room == 0) {
		soft_break(q);
		return s;
	}
	if (run > room)
		run = room;
	memcpy(q->o, s, run);
	q->o += run;
	q->col += run;
	return s + run;
}

/*
 * One step of the encoder.  A "." or "F" starting a line is encoded too,
 * so relays that dot-stuff badly or mbox ">From " escaping cannot alter
 * the text.
 */
static const unsigned char *
qp_step(struct qp *q, const unsigned char *s)
{
	size_t run;

	if (*s == '\r' || *s == '\n')
		return hard_break(q, s);
	if (q->col == 0 && (*s == '.' || *s == 'F'))
		return put_unit(q, s);
	/* One more than fits tells a run that ends the line from a longer one. */
	run = literal_run(s, q->end, QP_LINE_MAX + 1 - q->col);
	return run > 0 ? put_literal(q, s, run) : put_unit(q, s);
}

/*
 * Quoted-printable of text..end into out, which must end the text or a
 * line (its last octet an LF): then nothing after it is looked at, and
 * the encoding is the same as that stretch's within the whole text.
 * *lone counts the line ends that were not a CRLF.
 */
static int
qp_range(struct buf *out, const char *text, const char *end, size_t *lone)
{
	const unsigned char *s = (const unsigned char *)text, *chunk;
	struct qp q = { NULL, 0, (const unsigned char *)end, 0 };
	size_t rest;
	char *start;

	literal_init();
	while (s < q.end) {
		/* Room for this chunk only: reserving a whole chunk's for a
		 * short end made most messages' buffers twice their size. */
		rest = (size_t)(q.end - s);
		if ((start = buf_reserve(out, QP_ROOM(rest < QP_CHUNK ? rest :
		    QP_CHUNK))) == NULL)
			return -1;
		q.o = start;
		for (chunk = s; s < q.end && (size_t)(s - chunk) < QP_CHUNK;)
			s = qp_step(&q, s);
		if (buf_commit(out, (size_t)(q.o - start)) == -1)
			return -1;
	}
	*lone += q.lone;
	return 0;
}

/*
 * Encodings of shared pieces (piece.h), by id.  A piece that starts a
 * line and ends with a line end encodes the same wherever it stands:
 * the encoder is at column 0 when it starts, looks at nothing past its
 * last LF, and is at column 0 again after it.  Kept for a run; the one
 * used longest ago gives way.
 */
#define PIECES_KEPT	128

struct kept {
	char	*qp;
	size_t	 len;
	size_t	 lone;		/* qp_range's count */
};

struct mime_cache {
	struct lru_slot slot[PIECES_KEPT];	/* keyed by piece id */
	struct kept v[PIECES_KEPT];
	uint64_t clock;
};

struct mime_cache *
mime_cache_new(void)
{
	return xcalloc(1, sizeof(struct mime_cache));
}

void
mime_cache_free(struct mime_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < PIECES_KEPT; i++)
		free(c->v[i].qp);
	free(c);
}

static int
qp_piece(struct buf *out, const char *text, const struct piece *p,
    struct mime_cache *c, size_t *lone)
{
	size_t mark = out->len, n = 0;
	struct kept *k;
	int hit;

	k = &c->v[lru_take(c->slot, PIECES_KEPT, &c->clock, p->id, &hit)];
	if (hit) {
		*lone += k->lone;
		return buf_append(out, k->qp, k->len);
	}
	free(k->qp);
	*k = (struct kept){ NULL, 0, 0 };
	if (qp_range(out, text + p->off, text + p->off + p->len, &n) == -1) {
		c->slot[k - c->v].key = 0;
		return -1;
	}
	k->len = out->len - mark;
	k->qp = xmalloc(k->len + 1);
	memcpy(k->qp, out->data + mark, k->len);
	k->lone = n;
	*lone += n;
	return 0;
}

/* A piece at least from, within len, from a line start to a line end. */
static int
standalone(const char *text, size_t len, size_t from, const struct piece *p)
{
	return p->id != 0 && p->len > 0 && p->off >= from &&
	    p->len <= len - p->off &&
	    (p->off == 0 || text[p->off - 1] == '\n') &&
	    text[p->off + p->len - 1] == '\n';
}

/*
 * Quoted-printable into out, the shared pieces from c when it has them;
 * *canon is then the length of text in canonical form (CRLF line ends),
 * which is what base64 would carry.
 */
static int
qp_write(struct buf *out, const char *text, const struct pieces *pcs,
    struct mime_cache *c, size_t *canon)
{
	size_t len = strlen(text), from = 0, lone = 0, i;
	const struct piece *p;

	for (i = 0; c != NULL && pcs != NULL && i < pcs->n; i++) {
		p = &pcs->v[i];
		if (!standalone(text, len, from, p))
			continue;
		if (qp_range(out, text + from, text + p->off, &lone) == -1 ||
		    qp_piece(out, text, p, c, &lone) == -1)
			return -1;
		from = p->off + p->len;
	}
	if (qp_range(out, text + from, text + len, &lone) == -1)
		return -1;
	*canon = len + lone;
	return 0;
}

int
mime_qp_append(struct buf *out, const char *text)
{
	size_t canon;

	return qp_write(out, text, NULL, NULL, &canon);
}

/*
 * The text in canonical form, up to max octets at a time: RFC 2045 6.8
 * has base64 carry a text with CRLF line ends, as quoted-printable's hard
 * breaks are.  An LF owed from a CRLF cut at the end of a take starts the
 * next one.
 */
struct canon {
	const unsigned char *s;
	int	 lf;
};

static size_t
canon_take(struct canon *c, unsigned char *to, size_t max)
{
	size_t n = 0;

	while (n < max) {
		if (c->lf) {
			to[n++] = '\n';
			c->lf = 0;
		} else if (*c->s == '\0')
			break;
		else if (*c->s == '\r' || *c->s == '\n') {
			c->s += c->s[0] == '\r' && c->s[1] == '\n' ? 2 : 1;
			to[n++] = '\r';
			c->lf = 1;
		} else
			to[n++] = *c->s++;
	}
	return n;
}

/* What b64_write writes for canon octets: lines of 76, CRLF between. */
static size_t
b64_length(size_t canon)
{
	size_t chars = BASE64_LEN(canon);

	return chars == 0 ? 0 : chars + (chars - 1) / B64_LINE_OUT * 2;
}

/*
 * text as base64 lines of 76 with CRLF between them; the last line's end
 * is the boundary's, as a quoted-printable part's last line end is.
 */
static int
b64_write(struct buf *out, const char *text)
{
	struct canon c = { (const unsigned char *)text, 0 };
	unsigned char line[B64_LINE_IN];
	char *start, *o;
	size_t n = B64_LINE_IN, i;
	int first = 1;

	while (n == B64_LINE_IN) {
		if ((start = buf_reserve(out,
		    B64_LINES * (B64_LINE_OUT + 2))) == NULL)
			return -1;
		o = start;
		for (i = 0; i < B64_LINES && n == B64_LINE_IN; i++) {
			if ((n = canon_take(&c, line, sizeof line)) == 0)
				break;
			if (!first) {
				memcpy(o, "\r\n", 2);
				o += 2;
			}
			first = 0;
			o += base64_encode(line, n, o);
		}
		if (buf_commit(out, (size_t)(o - start)) == -1)
			return -1;
	}
	return 0;
}

static int
put_fields(struct buf *out, const char *type, const char *cte)
{
	if (buf_puts(out, "Content-Type: ") == -1 ||
	    buf_puts(out, type) == -1 ||
	    buf_puts(out, "; charset=\"utf-8\"\r\n"
	    "Content-Transfer-Encoding: ") == -1 ||
	    buf_puts(out, cte) == -1)
		return -1;
	return buf_puts(out, "\r\n\r\n");
}

/*
 * Quoted-printable goes into the message first, as it is nearly always
 * the one kept: Latin text then costs no second pass, only the count of
 * its line ends.  When base64 comes out shorter (a tie keeps the readable
 * one), or quoted-printable alone passes the cap, the part is written
 * again in base64.
 */
static int
put_part(struct buf *out, const char *type, const char *text,
    const struct pieces *pcs, struct mime_cache *c)
{
	size_t mark = out->len, body, canon = 0;

	if (put_fields(out, type, "quoted-printable") == -1)
		return -1;
	body = out->len;
	if (qp_write(out, text, pcs, c, &canon) == 0 &&
	    b64_length(canon) >= out->len - body)
		return 0;
	buf_truncate(out, mark);
	if (put_fields(out, type, "base64") == -1)
		return -1;
	return b64_write(out, text);
}

static int
put_boundary(struct buf *out, const char *boundary, const char *end)
{
	/* Piece by piece: a printf per boundary line was 2 % of a send. */
	if (buf_puts(out, "\r\n--") == -1 || buf_puts(out, boundary) == -1 ||
	    buf_puts(out, end) == -1)
		return -1;
	return buf_puts(out, "\r\n");
}

/* A lone text part must still end with a line end. */
static int
end_line(struct buf *out)
{
	if (out->len >= 2 && memcmp(out->data + out->len - 2, "\r\n", 2) == 0)
		return 0;
	return buf_puts(out, "\r\n");
}

/*
 * RFC 2046 5.1.1: the CRLF before each "--boundary" belongs to it, so a
 * part's last line end is the part's own; no preamble, no epilogue.
 */
int
mime_body_append(struct buf *out, const char *text, const char *html,
    const char *boundary, const struct mime_shared *sh)
{
	static const struct mime_shared none = { NULL, NULL, NULL };

	if (sh == NULL)
		sh = &none;
	if (buf_puts(out, "MIME-Version: 1.0\r\n") == -1)
		return -1;
	if (html == NULL)
		return put_part(out, "text/plain", text, sh->text,
		    sh->cache) == -1 ? -1 : end_line(out);
	if (buf_printf(out, "Content-Type: multipart/alternative; "
	    "boundary=\"%s\"\r\n\r\n--%s\r\n", boundary, boundary) == -1 ||
	    put_part(out, "text/plain", text, sh->text, sh->cache) == -1 ||
	    put_boundary(out, boundary, "") == -1 ||
	    put_part(out, "text/html", html, sh->html, sh->cache) == -1)
		return -1;
	return put_boundary(out, boundary, "--");
}
