/*
 * buf.c - capped growable buffers (see buf.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
}

/*
 * Memory for need bytes (the NUL included), doubling.  The contents stay
 * a string: a buffer only reserved into still reads as "".
 */
static void
grow(struct buf *b, size_t need)
{
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	b->data[b->len] = '\0';
}

static int
reserve(struct buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return -1;
	grow(b, b->len + extra + 1);
	return 0;
}

/*
 * Scratch room past the end: only memory, so it may reach past the cap
 * (by at most n); buf_commit is where the cap holds.
 */
char *
buf_reserve(struct buf *b, size_t n)
{
	if (n > b->max)
		return NULL;
	grow(b, b->len + n + 1);
	return b->data + b->len;
}

int
buf_commit(struct buf *b, size_t n)
{
	if (n > b->max || b->len > b->max - n) {
		if (b->data != NULL)
			b->data[b->len] = '\0';
		return -1;
	}
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	/* Most appends fit: the call to grow waits for those that do not. */
	if (n > b->max || b->len > b->max - n)
		return -1;
	if (b->len + n >= b->cap)
		grow(b, b->len + n + 1);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_append(b, &ch, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

char *
buf_detach(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");

	buf_init(b, b->max);
	return s;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}
