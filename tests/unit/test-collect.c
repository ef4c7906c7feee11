/*
 * test-collect.c - when the collector comes back to a feed: the backoff
 * after failures in a row, and the server's Retry-After.
 */
#include <stdint.h>

#include "collect.h"
#include "tap.h"

#define NOW	((int64_t)1795000000)	/* 2026-11-18 */
#define HOUR	3600
#define DAY	(24 * HOUR)

static void
backoff(void)
{
	is_int(collect_backoff(NOW, 1) - NOW, HOUR / 2,
	    "first failure waits 2 quarters of an hour");
	is_int(collect_backoff(NOW, 2) - NOW, HOUR,
	    "second failure waits an hour");
	is_int(collect_backoff(NOW, 5) - NOW, 8 * HOUR,
	    "fifth failure waits 8 hours");
	is_int(collect_backoff(NOW, 7) - NOW, DAY,
	    "seventh failure is capped at a day");
	is_int(collect_backoff(NOW, 1000) - NOW, DAY,
	    "a huge error count neither overflows nor passes a day");
	is_int(collect_backoff(NOW, 0) - NOW, HOUR / 4,
	    "no error count waits a quarter of an hour");
}

static void
retry_after(void)
{
	is_int(collect_retry_after("120", NOW) - NOW, 120,
	    "delay in seconds is added to now");
	is_int(collect_retry_after("0", NOW), NOW, "zero means now");
	/* NOW is 2026-11-18T11:06:40Z; an hour later: */
	is_int(collect_retry_after("Wed, 18 Nov 2026 12:06:40 GMT", NOW) - NOW,
	    HOUR, "HTTP date is read as an instant");
	is_int(collect_retry_after("Wed, 18 Nov 2020 21:26:40 GMT", NOW), NOW,
	    "a date in the past means now");
	is_int(collect_retry_after("99999999", NOW) - NOW, 7 * DAY,
	    "a delay past a week is capped at a week");
	is_int(collect_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", NOW) - NOW,
	    7 * DAY, "a date past a week is capped at a week");
	is_int(collect_retry_after("soon", NOW), 0, "garbage is unreadable");
	is_int(collect_retry_after("12abc", NOW), 0,
	    "digits with trailing garbage are unreadable");
	is_int(collect_retry_after("-5", NOW), 0, "a negative delay is unreadable");
	is_int(collect_retry_after("", NOW), 0, "empty is unreadable");
	is_int(collect_retry_after(NULL, NOW), 0, "absent is unreadable");
}

int
main(void)
{
	backoff();
	retry_after();
	return done_testing();
}
