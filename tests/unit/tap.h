/*
 * tap.h - a tiny Test Anything Protocol emitter for the C unit tests.
 *
 * Each test program prints "ok N - name" / "not ok N - name" lines and a
 * plan at the end; automake's tap-driver.sh reads them.
 */
#ifndef GZ_TAP_H
#define GZ_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static int __attribute__((unused))
tap_ok(int cond, const char *name)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, name);
	if (!cond)
		tap_failed++;
	return cond;
}

#define ok(cond, name) tap_ok((cond) != 0, (name))

/* Compare two strings (either may be NULL); show both on failure. */
static int __attribute__((unused))
tap_is_str(const char *got, const char *want, const char *name)
{
	int same = (got == NULL || want == NULL) ? got == want
	    : strcmp(got, want) == 0;

	if (!tap_ok(same, name))
		printf("#   got:  '%s'\n#   want: '%s'\n",
		    got ? got : "(null)", want ? want : "(null)");
	return same;
}

#define is_str(got, want, name) tap_is_str((got), (want), (name))

static int __attribute__((unused))
tap_is_int(long long got, long long want, const char *name)
{
	if (!tap_ok(got == want, name))
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return got == want;
}

#define is_int(got, want, name) tap_is_int((got), (want), (name))

static void __attribute__((unused))
tap_diag(const char *msg)
{
	printf("# %s\n", msg);
}

static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

static void __attribute__((unused))
tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

#endif
