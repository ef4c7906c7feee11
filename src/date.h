/*
 * date.h - every date format feeds use, and the two formats we write.
 *
 * Times are seconds since the epoch, UTC.  DATE_NONE marks "absent or
 * unreadable"; it is never a real instant.
 */
#ifndef GZ_DATE_H
#define GZ_DATE_H

#include <stdint.h>

#define DATE_NONE INT64_MIN

/*
 * RFC 822/1123/2822 and their real-world variants (no day name, one-digit
 * fields, no seconds, zone names EST/PDT/GMT/UT/Z and military letters,
 * two-digit years), RFC 3339 / W3CDTF / ISO 8601 (fractions, offsets,
 * date-only, no zone = UTC).  Returns DATE_NONE when unreadable.
 */
int64_t	 date_parse(const char *s);

/* "2026-11-25T10:00:00Z" into out (at least 32 bytes); returns out. */
char	*date_rfc3339(int64_t t, char *out);
/* "Wed, 25 Nov 2026 10:00:00 +0000" into out (at least 40 bytes); returns out. */
char	*date_rfc5322(int64_t t, char *out);

#endif
