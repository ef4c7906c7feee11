/*
 * test-compose.c - the schedule: when a subscriber is due for a digest.
 */
#include <stdint.h>

#include "compose.h"
#include "tap.h"

#define DAY	((int64_t)86400)
#define NOW	((int64_t)1795000000)

int
main(void)
{
	ok(compose_is_due("weekly", 0, NOW),
	    "a subscriber who never had a digest is due");
	ok(compose_is_due("daily", 0, NOW),
	    "a daily subscriber who never had a digest is due");
	ok(!compose_is_due("weekly", NOW - DAY, NOW),
	    "weekly: a digest yesterday means not due");
	ok(compose_is_due("daily", NOW - DAY, NOW),
	    "daily: a digest yesterday means due");
	ok(!compose_is_due("daily", NOW - DAY / 2, NOW),
	    "daily: a digest twelve hours ago means not due");
	ok(!compose_is_due("weekly", NOW - 6 * DAY, NOW),
	    "weekly: six days is not enough");
	ok(compose_is_due("weekly", NOW - 7 * DAY, NOW),
	    "weekly: seven days is due");
	ok(compose_is_due("weekly", NOW - 7 * DAY + 600, NOW),
	    "weekly: a run ten minutes early is still due");
	ok(!compose_is_due("weekly", NOW - 7 * DAY + 2 * 3600, NOW),
	    "weekly: two hours early is not");
	ok(compose_is_due(NULL, NOW - 7 * DAY, NOW),
	    "an unknown frequency counts as weekly (due after seven days)");
	ok(!compose_is_due(NULL, NOW - DAY, NOW),
	    "an unknown frequency counts as weekly (not due after one)");
	return done_testing();
}
