/*
 * csv.c - CSV records in and out through libcsv, with line numbers.
 *
 * The input is fed to libcsv one line at a time (a chunk read with fread,
 * cut after each CR or LF) so that every record knows the line it starts
 * on; nothing holds more than one chunk plus the record being built.
 * Limits are enforced while parsing, never after loading.  Never prints.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv-lib.h>

#include "csv.h"
#include "xmalloc.h"

#define CHUNK		65536
#define WHY_LEN		96

struct queued {
	char	**fields;
	size_t	 nfields;
	unsigned long line;
	char	 why[WHY_LEN];	/* "" when the record is fine */
};

struct csv_reader {
	FILE	*fp;
	struct csv_parser p;
	int	 same_width;
	size_t	 width;		/* fields in the first record, 0 before it */
	char	*chunk;
	size_t	 len, pos;
	int	 eof, started, finished;
	unsigned long line;	/* the line being fed */
	int	 prev;		/* last byte fed, for CRLF */
	int	 need_start;	/* the next non-empty line starts a record */
	struct queued cur;	/* the record being built */
	size_t	 bytes;		/* in cur */
	size_t	 fcap;
	struct queued *q;	/* completed records, q[qhead..qn) */
	size_t	 qn, qhead, qcap;
	struct csv_record out;	/* the record handed back last */
	char	 outwhy[WHY_LEN];
	char	*fatal;		/* set by a callback: stop */
};

/* libcsv grows its field buffer through this: refuse runaway fields. */
static void *
capped_realloc(void *p, size_t n)
{
	if (n > CSV_RECORD_MAX + 256)
		return NULL;
	return realloc(p, n);
}

int
csv_valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	uint32_t cp;
	int n, i;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf) {
			n = 1;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 3;
			cp = *p & 0x07;
		} else
			return 0;
		if (end - p <= n)
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

static void
set_why(struct queued *q, const char *why)
{
	if (q->why[0] == '\0')
		snprintf(q->why, sizeof q->why, "%s", why);
}

static void
on_field(void *field, size_t len, void *data)
{
	struct csv_reader *r = data;
	struct queued *c = &r->cur;
	const char *f = field ? field : "";

	if (r->fatal)
		return;
	if ((r->bytes += len) > CSV_RECORD_MAX) {
		r->fatal = xasprintf("line %lu: the record is longer than "
		    "%d bytes", c->line, CSV_RECORD_MAX);
		return;
	}
	if (len > CSV_FIELD_MAX)
		set_why(c, "a field is longer than 4096 bytes");
	else if (memchr(f, '\0', len) != NULL)
		set_why(c, "a field contains a NUL byte");
	else if (!csv_valid_utf8(f, len))
		set_why(c, "a field is not valid UTF-8");
	if (c->nfields == r->fcap) {
		r->fcap = r->fcap ? 2 * r->fcap : 8;
		c->fields = xreallocarray(c->fields, r->fcap, sizeof *c->fields);
	}
	/* A bad field is kept empty: its text is never used. */
	c->fields[c->nfields++] = c->why[0] ? xstrdup("") : xstrndup(f, len);
}

static void
on_record(int term, void *data)
{
	struct csv_reader *r = data;
	struct queued *c = &r->cur;
	char why[WHY_LEN];

	(void)term;
	if (r->fatal)
		return;
	if (r->same_width && r->width == 0)
		r->width = c->nfields;
	else if (r->same_width && c->nfields != r->width) {
		snprintf(why, sizeof why, "%zu field%s where the header has %zu",
		    c->nfields, c->nfields == 1 ? "" : "s", r->width);
		set_why(c, why);
	}
	if (r->qn == r->qcap) {
		r->qcap = r->qcap ? 2 * r->qcap : 4;
		r->q = xreallocarray(r->q, r->qcap, sizeof *r->q);
	}
	r->q[r->qn++] = *c;
	memset(c, 0, sizeof *c);
	r->fcap = 0;
	r->bytes = 0;
	r->need_start = 1;
}

struct csv_reader *
csv_reader_new(FILE *fp, int same_width)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);

	r->fp = fp;
	r->same_width = same_width;
	r->chunk = xmalloc(CHUNK);
	r->line = 1;
	r->need_start = 1;
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_realloc_func(&r->p, capped_realloc);
	return r;
}

static void
free_fields(char **fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(fields[i]);
	free(fields);
}

static int
fail(struct csv_reader *r, char **err)
{
	*err = r->fatal;
	r->fatal = NULL;
	r->finished = 1;
	return -1;
}

static int
parse_error(struct csv_reader *r, unsigned long line, char **err)
{
	if (csv_error(&r->p) == CSV_EPARSE)
		r->fatal = xasprintf("line %lu: a quote inside an unquoted "
		    "field, or text after a closing quote", line);
	else
		r->fatal = xasprintf("line %lu: a field is longer than %d "
		    "bytes", line, CSV_RECORD_MAX);
	return fail(r, err);
}

/* Read the next chunk; skip a BOM at the very start.  0, or -1. */
static int
refill(struct csv_reader *r, char **err)
{
	r->len = fread(r->chunk, 1, CHUNK, r->fp);
	r->pos = 0;
	if (r->len < CHUNK) {
		if (ferror(r->fp)) {
			r->fatal = xasprintf("line %lu: read error", r->line);
			return fail(r, err);
		}
		r->eof = 1;
	}
	if (!r->started && r->len >= 3 && memcmp(r->chunk, "\xef\xbb\xbf",
	    3) == 0)
		r->pos = 3;
	r->started = 1;
	return 0;
}

/* Feed one line (or the rest of the chunk) to libcsv.  0, or -1. */
static int
feed_line(struct csv_reader *r, char **err)
{
	const char *s = r->chunk + r->pos;
	size_t n = 0, avail = r->len - r->pos;
	unsigned long line = r->line;
	int last;

	while (n < avail && s[n] != '\n' && s[n] != '\r')
		n++;
	if (n < avail)
		n++;
	last = (unsigned char)s[n - 1];
	if (r->need_start && !(n == 1 && (last == '\n' || last == '\r'))) {
		r->cur.line = line;
		r->need_start = 0;
	}
	if (csv_parse(&r->p, s, n, on_field, on_record, r) != n)
		return parse_error(r, line, err);
	r->pos += n;
	if (last == '\r' || (last == '\n' && (n > 1 ? s[n - 2] : r->prev) !=
	    '\r'))
		r->line++;
	r->prev = last;
	return r->fatal ? fail(r, err) : 0;
}

static int
finish(struct csv_reader *r, char **err)
{
	r->finished = 1;
	if (csv_fini(&r->p, on_field, on_record, r) != 0) {
		r->fatal = xasprintf("line %lu: a quoted field starts here "
		    "and never ends", r->cur.line);
		return fail(r, err);
	}
	return r->fatal ? fail(r, err) : 0;
}

static void
pop(struct csv_reader *r, struct csv_record **rec)
{
	struct queued *q = &r->q[r->qhead++];

	r->out.fields = q->fields;
	r->out.nfields = q->nfields;
	r->out.line = q->line;
	memcpy(r->outwhy, q->why, sizeof r->outwhy);
	r->out.problem = r->outwhy[0] ? r->outwhy : NULL;
	if (r->qhead == r->qn)
		r->qhead = r->qn = 0;
	*rec = &r->out;
}

int
csv_reader_next(struct csv_reader *r, struct csv_record **rec, char **err)
{
	free_fields(r->out.fields, r->out.nfields);
	memset(&r->out, 0, sizeof r->out);
	while (r->qhead == r->qn) {
		if (r->finished)
			return 0;
		if (r->pos == r->len && !r->eof && refill(r, err) == -1)
			return -1;
		if (r->pos < r->len) {
			if (feed_line(r, err) == -1)
				return -1;
		} else if (r->eof && finish(r, err) == -1)
			return -1;
	}
	pop(r, rec);
	return 1;
}

void
csv_reader_free(struct csv_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	free_fields(r->out.fields, r->out.nfields);
	for (i = r->qhead; i < r->qn; i++)
		free_fields(r->q[i].fields, r->q[i].nfields);
	free_fields(r->cur.fields, r->cur.nfields);
	free(r->q);
	free(r->chunk);
	free(r->fatal);
	csv_free(&r->p);
	free(r);
}

/* Quote what libcsv would otherwise split, unescape or trim. */
static int
needs_quotes(const char *f)
{
	size_t n = strlen(f);

	if (n == 0)
		return 0;
	return strpbrk(f, ",\"\r\n") != NULL || f[0] == ' ' ||
	    f[0] == '\t' || f[n - 1] == ' ' || f[n - 1] == '\t';
}

static int
write_field(FILE *fp, const char *f)
{
	const char *p;

	if (!needs_quotes(f))
		return fputs(f, fp) == EOF ? -1 : 0;
	if (putc('"', fp) == EOF)
		return -1;
	for (p = f; *p; p++)
		if ((*p == '"' && putc('"', fp) == EOF) || putc(*p, fp) == EOF)
			return -1;
	return putc('"', fp) == EOF ? -1 : 0;
}

int
csv_write_record(FILE *fp, const char *const *fields, size_t n, int lf_only)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((i > 0 && putc(',', fp) == EOF) ||
		    write_field(fp, fields[i] ? fields[i] : "") == -1)
			return -1;
	return fputs(lf_only ? "\n" : "\r\n", fp) == EOF ? -1 : 0;
}
