/*
 * buf.h - growable byte buffers with a hard maximum.
 *
 * Every buffer is created with a cap; an append past it fails and leaves the
 * buffer as it was, so a runaway feed or template cannot build a 2 GB string.
 * The data is always NUL-terminated (the NUL is not counted in len).
 */
#ifndef GZ_BUF_H
#define GZ_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_MAX ((size_t)64 << 20)	/* 64 MiB */

struct buf {
	char	*data;		/* NUL-terminated, NULL until the first append */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* appends that would pass this fail */
};

/* max == 0 means BUF_DEFAULT_MAX. */
void	 buf_init(struct buf *b, size_t max);
/* All appends return 0, or -1 when the cap would be exceeded. */
int	 buf_append(struct buf *b, const void *p, size_t n);
int	 buf_puts(struct buf *b, const char *s);
int	 buf_putc(struct buf *b, int c);
int	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/*
 * Writing in place: buf_reserve returns where n more bytes may be written
 * (NULL if n alone is over the cap); buf_commit then adds the n written,
 * or returns -1 and leaves the buffer as it was when that passes the cap.
 */
char	*buf_reserve(struct buf *b, size_t n);
int	 buf_commit(struct buf *b, size_t n);
/* Always a valid string ("" when empty). */
const char *buf_str(const struct buf *b);
void	 buf_truncate(struct buf *b, size_t len);
/* Hand the string to the caller (never NULL) and reset the buffer. */
char	*buf_detach(struct buf *b);
void	 buf_free(struct buf *b);

#endif
