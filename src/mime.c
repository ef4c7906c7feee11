/*
 * mime.c - the digest as an Internet message, built with libetpan.
 *
 * libetpan builds and writes (and folds) the RFC 5322 header fields
 * (mailimf).  This file prepares what goes in: it cleans every header
 * input and turns non-ASCII text into RFC 2047 encoded words.  The MIME
 * fields and the body (quoted-printable or base64 parts) follow, from
 * mime-body.c.
 *
 * It must never pass a control character from a feed or a user into a
 * header, never emit a bare CR or LF, and never print or exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "buf.h"
#include "date.h"
#include "mime.h"
#include "mime-body.h"
#include "xmalloc.h"

/*
 * Longest encoded word we write.  RFC 2047 allows 75; 60 leaves room for
 * "Subject: " or "From: " so libetpan's folder (which breaks at column 72)
 * never has to put the first word alone on a continuation line.
 */
#define EW_MAX		60
#define EW_OVERHEAD	12	/* "=?UTF-8?Q?" and "?=" */
/* ASCII header words longer than this are encoded so they can fold. */
#define WORD_MAX	60
#define ADDR_MAX	254

static const char hexdigits[] = "0123456789ABCDEF";

/*
 * A copy of header text that is safe to use: every control character
 * (C0, DEL, and the C1 range U+0080..U+009F) becomes a space, so a feed
 * title with "\r\nBcc: ..." stays inside the Subject; invalid UTF-8 bytes
 * become '?'; runs of white space collapse to one and the ends are trimmed.
 */
static char *
clean_text(const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	struct buf b;
	size_t n;
	int space = 0;

	buf_init(&b, 0);
	for (; *s != '\0'; s += n ? n : 1) {
		/* Visible ASCII goes in a run at a time. */
		for (n = 0; s[n] > ' ' && s[n] < 0x7f; n++)
			continue;
		if (n > 0) {
			if (space && b.len > 0)
				buf_putc(&b, ' ');
			space = 0;
			buf_append(&b, s, n);
			continue;
		}
		n = mime_utf8_seq(s);
		if (n != 0 && (*s <= ' ' || *s == 0x7f ||
		    (n == 2 && s[0] == 0xc2 && s[1] < 0xa0))) {
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_putc(&b, ' ');
		space = 0;
		if (n == 0)
			buf_putc(&b, '?');
		else
			buf_append(&b, s, n);
	}
	return buf_detach(&b);
}

static int
has_8bit(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* Longest run of non-space characters. */
static size_t
longest_word(const char *s)
{
	size_t n = 0, max = 0;

	for (; *s != '\0'; s++) {
		n = *s == ' ' ? 0 : n + 1;
		if (n > max)
			max = n;
	}
	return max;
}

/*
 * Text that cannot go into a header as it is: non-ASCII, something a
 * reader would decode as an encoded word, or a word too long to fold.
 */
static int
needs_encoding(const char *s)
{
	return has_8bit(s) || strstr(s, "=?") != NULL ||
	    longest_word(s) > WORD_MAX;
}

/*
 * Characters left as they are in a Q encoded word.  This is the set
 * RFC 2047 5(3) allows in a phrase (display names); it is also valid in
 * unstructured text, so one set serves both.
 */
static int
q_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!*+-/", c) != NULL;
}

static size_t
q_cost(const unsigned char *s, size_t n)
{
	size_t i, cost = 0;

	for (i = 0; i < n; i++)
		cost += (q_plain(s[i]) || s[i] == ' ') ? 1 : 3;
	return cost;
}

static size_t
b_cost(size_t n)
{
	return (n + 2) / 3 * 4;
}

/*
 * The encoders write into room reserved for the longest outcome (three
 * octets per octet for Q, four per three for B): a buf_putc per octet
 * was most of the time a Subject took.  Nothing is written when even
 * that room is over the buffer's cap.
 */
static void
q_put(struct buf *b, const unsigned char *s, size_t n)
{
	char *start = buf_reserve(b, 3 * n), *o = start;
	size_t i;

	if (start == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ')
			*o++ = '_';
		else if (q_plain(s[i]))
			*o++ = (char)s[i];
		else {
			*o++ = '=';
			*o++ = hexdigits[s[i] >> 4];
			*o++ = hexdigits[s[i] & 15];
		}
	}
	(void)buf_commit(b, (size_t)(o - start));
}

static void
b_put(struct buf *b, const unsigned char *s, size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *start = buf_reserve(b, b_cost(n)), *o = start;
	uint32_t v;
	size_t i;

	if (start == NULL)
		return;
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		*o++ = alphabet[v >> 18];
		*o++ = alphabet[(v >> 12) & 63];
		*o++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? alphabet[v & 63] : '=';
	}
	(void)buf_commit(b, (size_t)(o - start));
}

/*
 * Clean text as a sequence of encoded words separated by spaces (where
 * libetpan may fold).  Each word holds whole UTF-8 characters, so no
 * sequence is ever split between two words (RFC 2047 5).  Q is used when
 * it is no longer than B, which keeps mostly-Latin text readable.
 */
static void
encode_words(struct buf *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i = 0, start, n, cost;
	int q = q_cost(s, len) <= b_cost(len);

	while (i < len) {
		start = i;
		for (cost = 0; i < len; i += n) {
			n = mime_utf8_seq(s + i);
			/* Q's cost grows character by character; B's is of the whole. */
			cost = q ? cost + q_cost(s + i, n) : b_cost(i + n - start);
			if (cost > EW_MAX - EW_OVERHEAD && i > start)
				break;
		}
		if (start > 0)
			buf_putc(b, ' ');
		buf_puts(b, q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
		if (q)
			q_put(b, s + start, i - start);
		else
			b_put(b, s + start, i - start);
		buf_puts(b, "?=");
	}
}

/* Clean header text, encoded when needed; NULL when nothing is left. */
static char *
header_text(const char *in)
{
	char *s = clean_text(in);
	struct buf b;

	if (*s == '\0') {
		free(s);
		return NULL;
	}
	if (!needs_encoding(s))
		return s;
	buf_init(&b, 0);
	encode_words(&b, s);
	free(s);
	return buf_detach(&b);
}

/* A display name; a long ASCII one is encoded too, as quoted strings do not fold. */
static char *
display_name(const char *in)
{
	char *s = clean_text(in);
	struct buf b;

	if (*s == '\0') {
		free(s);
		return NULL;
	}
	if (!needs_encoding(s) && strlen(s) <= WORD_MAX)
		return s;
	buf_init(&b, 0);
	encode_words(&b, s);
	free(s);
	return buf_detach(&b);
}

static int
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* s[0..n) is a dot-atom: atoms of atext joined by single dots. */
static int
dot_atom(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* local@domain with a dot-atom on each side (no quoted locals, no literals). */
static int
addr_ok(const char *a)
{
	const char *at;

	if (a == NULL || strlen(a) > ADDR_MAX)
		return 0;
	at = strrchr(a, '@');
	if (at == NULL)
		return 0;
	return dot_atom(a, (size_t)(at - a)) && dot_atom(at + 1, strlen(at + 1));
}

static int
check_addr(const char *what, const char *a, char **err)
{
	if (addr_ok(a))
		return 0;
	*err = xasprintf("%s address is not local@domain: \"%s\"", what,
	    a ? a : "(none)");
	return -1;
}

/* List-Id "phrase <id>": the phrase may need encoding, the id must be ASCII. */
static char *
list_id_value(const char *in, char **err)
{
	char *s = clean_text(in), *lt, *phrase, *out;

	lt = strrchr(s, '<');
	if (lt == NULL || strchr(lt, '>') == NULL || has_8bit(lt)) {
		*err = xasprintf("List-Id is not \"name <id.domain>\": \"%s\"", s);
		free(s);
		return NULL;
	}
	*lt = '\0';
	phrase = header_text(s);
	*lt = '<';
	out = phrase ? xasprintf("%s %s", phrase, lt) : xstrdup(lt);
	free(phrase);
	free(s);
	return out;
}

static struct mailimf_address_list *
one_address(const char *name, const char *addr)
{
	struct mailimf_address_list *list = mailimf_address_list_new_empty();

	mailimf_address_list_add_mb(list, display_name(name), xstrdup(addr));
	return list;
}

static struct mailimf_mailbox_list *
one_mailbox(const char *name, const char *addr)
{
	struct mailimf_mailbox_list *list = mailimf_mailbox_list_new_empty();

	mailimf_mailbox_list_add_mb(list, display_name(name), xstrdup(addr));
	return list;
}

static void
add_custom(struct mailimf_fields *f, const char *name, char *value)
{
	mailimf_fields_add(f, mailimf_field_new_custom(xstrdup(name), value));
}

/* The list header fields (RFC 2369, 2919, 8058), after the others. */
static int
add_list_fields(struct mailimf_fields *f, const struct outgoing *m,
    char **err)
{
	char *v;

	if (m->list_id != NULL) {
		if ((v = list_id_value(m->list_id, err)) == NULL)
			return -1;
		add_custom(f, "List-Id", v);
	}
	if (m->list_unsubscribe != NULL) {
		v = clean_text(m->list_unsubscribe);
		if (has_8bit(v) || *v == '\0') {
			*err = xasprintf("List-Unsubscribe must be ASCII URLs: "
			    "\"%s\"", v);
			free(v);
			return -1;
		}
		add_custom(f, "List-Unsubscribe", v);
	}
	if (m->one_click)
		add_custom(f, "List-Unsubscribe-Post",
		    xstrdup("List-Unsubscribe=One-Click"));
	return 0;
}

/*
 * The message header.  Date goes in as a ready-made field because its text
 * comes from date_rfc5322(), our one writer of RFC 5322 dates.
 */
static struct mailimf_fields *
imf_fields(const struct outgoing *m, char **err)
{
	struct mailimf_fields *f = mailimf_fields_new_empty();
	char date[40], *subject;
	int64_t t = m->date == DATE_NONE ? (int64_t)time(NULL) : m->date;

	add_custom(f, "Date", xstrdup(date_rfc5322(t, date)));
	subject = header_text(m->subject);
	mailimf_fields_add_data(f, NULL,
	    one_mailbox(m->from_name, m->from_addr), NULL,
	    m->reply_to ? one_address(NULL, m->reply_to) : NULL,
	    one_address(m->to_name, m->to_addr), NULL, NULL,
	    xstrdup(m->message_id), NULL, NULL,
	    subject ? subject : xstrdup(""));
	if (add_list_fields(f, m, err) == -1) {
		mailimf_fields_free(f);
		return NULL;
	}
	return f;
}

static void
random_bytes(unsigned char *p, size_t n)
{
	ssize_t r;
	size_t got = 0;
	int fd;

	while (got < n) {
		r = getrandom(p + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		while (got < n && (r = read(fd, p + got, n - got)) > 0)
			got += (size_t)r;
		close(fd);
	}
	/* No entropy source at all: still vary by time, pid and address. */
	for (; got < n; got++)
		p[got] = (unsigned char)(((uintptr_t)p ^ (uintptr_t)time(NULL) ^
		    (uintptr_t)getpid() ^ (uintptr_t)random()) >> (got % 8));
}

static void
random_hex(char *out, size_t nbytes)
{
	unsigned char raw[32];
	size_t i;

	random_bytes(raw, nbytes);
	for (i = 0; i < nbytes; i++) {
		out[2 * i] = hexdigits[raw[i] >> 4];
		out[2 * i + 1] = hexdigits[raw[i] & 15];
	}
	out[2 * nbytes] = '\0';
}

/* What SMTP and mailcheck demand of the bytes, checked once more. */
static int
wire_ok(const char *p, size_t n)
{
	const char *end = p + n, *cr;

	if (n < 2 || p[n - 2] != '\r' || p[n - 1] != '\n')
		return 0;
	/* Line by line with memchr: byte by byte was a tenth of a send. */
	for (; p < end; p = cr + 2) {
		cr = memchr(p, '\r', (size_t)(end - p));
		if (cr == NULL || cr + 1 == end || cr[1] != '\n' ||
		    cr - p > 998 || memchr(p, '\n', (size_t)(cr - p)) ||
		    memchr(p, '\0', (size_t)(cr - p)))
			return 0;
	}
	return 1;
}

static int
check_inputs(const struct outgoing *m, char **err)
{
	if (check_addr("From", m->from_addr, err) == -1 ||
	    check_addr("To", m->to_addr, err) == -1)
		return -1;
	if (m->reply_to != NULL && check_addr("Reply-To", m->reply_to, err) == -1)
		return -1;
	if (m->message_id == NULL || !addr_ok(m->message_id)) {
		*err = xasprintf("Message-ID is not id@domain: \"%s\"",
		    m->message_id ? m->message_id : "(none)");
		return -1;
	}
	if (m->text == NULL) {
		*err = xstrdup("message has no text/plain body");
		return -1;
	}
	return 0;
}

/*
 * The header fields, written by libetpan (it folds them), then checked
 * once more for what SMTP and mailcheck demand.
 */
static int
write_header(struct mailimf_fields *f, struct buf *out, char **err)
{
	MMAPString *s = mmap_string_new("");
	int col = 0, r, rc = -1;

	r = mailimf_fields_write_mem(s, &col, f);
	if (r != MAILIMF_NO_ERROR)
		*err = xasprintf("libetpan could not write the header (%d)", r);
	else if (!wire_ok(s->str, s->len))
		*err = xstrdup("built header breaks RFC 5322 line rules");
	else if (buf_append(out, s->str, s->len) == 0)
		rc = 0;
	mmap_string_free(s);
	return rc;
}

/*
 * Our own boundary: libetpan's is built from time, random() and the pid,
 * which a feed could guess; "=_" can never occur in quoted-printable
 * or base64 text, and the rest is 96 random bits.
 */
static void
new_boundary(char out[29])
{
	memcpy(out, "=_gz", 4);
	random_hex(out + 4, 12);
}

/*
 * Room up front for about what the message will take (quoted-printable
 * adds an eighth or so to Latin parts), instead of doubling the buffer a
 * dozen times on the way.  Only memory: the cap still holds.
 */
static void
reserve_message(struct buf *out, const struct outgoing *m)
{
	size_t n = strlen(m->text) + (m->html ? strlen(m->html) : 0);

	(void)buf_reserve(out, n + n / 4 + 4096);
}

int
mime_build(const struct outgoing *m, struct buf *out, char **err)
{
	struct mailimf_fields *fields;
	char boundary[29];
	size_t start = out->len;
	int rc;

	if (check_inputs(m, err) == -1)
		return -1;
	if ((fields = imf_fields(m, err)) == NULL)
		return -1;
	new_boundary(boundary);
	*err = NULL;
	reserve_message(out, m);
	rc = write_header(fields, out, err);
	mailimf_fields_free(fields);
	if (rc == 0 && mime_body_append(out, m->text, m->html, boundary,
	    m->shared) == 0)
		return 0;
	if (*err == NULL)
		*err = xasprintf("message of over %zu bytes is over the size "
		    "limit", out->max);
	buf_truncate(out, start);
	return -1;
}

/*
 * Time and a count first, then 128 random bits: ids made later sort
 * later, so the outbox's unique index on them grows at its end.  Random
 * first, each of a compose run's 100,000 digests landed on a page of
 * its own, and writing those pages back was a third of the run.
 */
char *
mime_message_id(const char *domain)
{
	static unsigned long seq;	/* one thread composes */
	char hex[33];

	random_hex(hex, 16);
	return xasprintf("%lld.%06lu.%s@%s", (long long)time(NULL), ++seq,
	    hex, domain != NULL && *domain != '\0' ? domain : "localhost");
}
