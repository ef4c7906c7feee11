/*
 * log.c - diagnostics on stderr (see log.h).  Nothing else in gazette
 * writes to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static enum log_level level = LOG_NORMAL;

void
log_set_level(enum log_level l)
{
	level = l;
}

enum log_level
log_get_level(void)
{
	return level;
}

static void
vsay(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "gazette: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
gz_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
	return code;
}

int
gz_fail_err(int code, char *err)
{
	gz_fail(code, "%s", err ? err : "unknown error");
	free(err);
	return code;
}

void
gz_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning: ", fmt, ap);
	va_end(ap);
}

void
gz_info(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void
gz_debug(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}
