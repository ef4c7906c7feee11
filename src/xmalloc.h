/*
 * xmalloc.h - allocation wrappers that never return NULL.
 *
 * Out of memory is fatal: callers never test the result.  Size arithmetic is
 * overflow-checked here so that no caller has to.
 */
#ifndef GZ_XMALLOC_H
#define GZ_XMALLOC_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup that passes NULL through. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Replace *dst with a fresh copy of src (NULL allowed), freeing the old one. */
void xstrset(char **dst, const char *src);

#endif
