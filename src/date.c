/*
 * date.c - read the dates feeds publish, write the two formats we emit.
 *
 * Two readers: one for ISO 8601 shapes (RFC 3339, W3CDTF, compact forms) and
 * one, token based, for RFC 822/2822 and the many ways feeds bend it.  All
 * arithmetic is our own proleptic-Gregorian day count, so nothing here
 * depends on the locale, the TZ variable, time_t's width or timegm().
 * This file must never call mktime/strptime or touch global state.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"

/* A broken-down time as read; offset is minutes east of UTC. */
struct when {
	int	 year, mon, day;
	int	 hour, min, sec;
	int	 offset;
};

static const char *month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};
static const char *day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};
static const char *short_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *short_days[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

/*
 * Zone names.  RFC 822 gives the North American ones; a few European and
 * Asian abbreviations that are unambiguous in feeds we have seen are added.
 * Ambiguous ones (IST, CST-as-China) are left out on purpose.
 */
static const struct {
	const char	*name;
	int		 minutes;
} zones[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
	{ "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
	{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
	{ "akst", -540 }, { "akdt", -480 }, { "hst", -600 },
	{ "wet", 0 }, { "west", 60 }, { "bst", 60 }, { "cet", 60 },
	{ "cest", 120 }, { "met", 60 }, { "mest", 120 }, { "eet", 120 },
	{ "eest", 180 }, { "msk", 180 }, { "jst", 540 }, { "kst", 540 },
	{ "aest", 600 }, { "aedt", 660 }, { "nzst", 720 }, { "nzdt", 780 },
};

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Floor division: C's / truncates toward zero, dates before 1970 need floor. */
static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/*
 * Days since 1970-01-01 of a civil date.  Counting years from March makes
 * the leap day the last day of the year, so a 400-year era is regular.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floordiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Range checks shared by both readers; 24:00:00 is midnight at day's end. */
static int64_t
when_to_time(const struct when *w)
{
	if (w->year < 0 || w->year > 9999 || w->mon < 1 || w->mon > 12 ||
	    w->day < 1 || w->day > month_days(w->year, w->mon))
		return DATE_NONE;
	if (w->hour < 0 || w->hour > 24 || w->min < 0 || w->min > 59 ||
	    w->sec < 0 || w->sec > 60)
		return DATE_NONE;
	if (w->hour == 24 && (w->min != 0 || w->sec != 0))
		return DATE_NONE;
	if (w->offset < -24 * 60 || w->offset > 24 * 60)
		return DATE_NONE;
	return days_from_civil(w->year, w->mon, w->day) * 86400 +
	    w->hour * 3600 + w->min * 60 + w->sec - (int64_t)w->offset * 60;
}

/* Read exactly n digits (n > 0) into *v; returns the end or NULL. */
static const char *
digits(const char *p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return NULL;
		*v = *v * 10 + (p[i] - '0');
	}
	return p + n;
}

/* Read 1..max digits; returns the end or NULL. */
static const char *
some_digits(const char *p, int max, int *v, int *count)
{
	int n = 0;

	*v = 0;
	while (n < max && isdigit((unsigned char)*p)) {
		*v = *v * 10 + (*p++ - '0');
		n++;
	}
	if (count != NULL)
		*count = n;
	if (n == 0 || isdigit((unsigned char)*p))
		return NULL;
	return p;
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* "+hh:mm", "+hhmm", "+hh"; returns the end or NULL. */
static const char *
numeric_offset(const char *p, int *minutes)
{
	int sign, h, m = 0, n;

	if (*p != '+' && *p != '-')
		return NULL;
	sign = *p++ == '-' ? -1 : 1;
	if ((p = some_digits(p, 4, &h, &n)) == NULL)
		return NULL;
	if (n == 4) {
		m = h % 100;
		h /= 100;
	} else if (n == 3) {
		m = h % 100;
		h /= 100;
	} else if (*p == ':') {
		if ((p = digits(p + 1, 2, &m)) == NULL)
			return NULL;
	}
	if (h > 23 || m > 59)
		return NULL;
	*minutes = sign * (h * 60 + m);
	return p;
}

/* A zone name of len bytes at p; 1 when known. */
static int
zone_name(const char *p, size_t len, int *minutes)
{
	size_t i;
	int c;

	if (len == 1) {
		/*
		 * RFC 2822 4.3: RFC 822 got the signs of the military zones
		 * backwards, so they carry no trustworthy offset; read as UTC.
		 */
		c = tolower((unsigned char)*p);
		if (c >= 'a' && c <= 'z' && c != 'j') {
			*minutes = 0;
			return 1;
		}
		return 0;
	}
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (strlen(zones[i].name) == len &&
		    strncasecmp(zones[i].name, p, len) == 0) {
			*minutes = zones[i].minutes;
			return 1;
		}
	}
	/*
	 * An abbreviation we do not know ("IST", "SGT") still ends a readable
	 * date; hours off beats no date.  Only upper-case 2-5 letters count.
	 */
	if (len < 2 || len > 5)
		return 0;
	for (i = 0; i < len; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return 0;
	*minutes = 0;
	return 1;
}

/*
 * A zone at p: a name, a numeric offset, or "GMT+01:00"-style both.
 * Returns the end, or NULL when nothing zone-like is there.
 */
static const char *
zone(const char *p, int *minutes)
{
	const char *q = p, *r;
	int extra;

	while (isalpha((unsigned char)*q))
		q++;
	if (q == p)
		return numeric_offset(p, minutes);
	if (!zone_name(p, q - p, minutes))
		return NULL;
	if (*minutes == 0 && (*q == '+' || *q == '-') &&
	    (r = numeric_offset(q, &extra)) != NULL) {
		*minutes = extra;
		q = r;
	}
	return q;
}

/* hh[:mm[:ss[.frac]]] with a 1- or 2-digit hour, or compact hhmm[ss]. */
static const char *
iso_time(const char *p, struct when *w)
{
	int n;
	const char *q;

	if ((q = digits(p, 4, &n)) != NULL) {
		w->hour = n / 100;
		w->min = n % 100;
		if ((p = digits(q, 2, &w->sec)) == NULL)
			p = q;
	} else {
		if ((p = some_digits(p, 2, &w->hour, NULL)) == NULL)
			return NULL;
		if (*p != ':')
			return p;
		if ((p = digits(p + 1, 2, &w->min)) == NULL)
			return NULL;
		if (*p == ':' && (p = digits(p + 1, 2, &w->sec)) == NULL)
			return NULL;
	}
	if (*p == '.' || *p == ',') {
		if (!isdigit((unsigned char)p[1]))
			return NULL;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	return p;
}

/* The date part: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-DDD, YYYYMMDD. */
static const char *
iso_date(const char *p, struct when *w)
{
	const char *q;
	char sep;
	int n, count;

	if ((q = digits(p, 8, &n)) != NULL && !isdigit((unsigned char)*q)) {
		w->year = n / 10000;
		w->mon = n / 100 % 100;
		w->day = n % 100;
		return q;
	}
	if ((p = digits(p, 4, &w->year)) == NULL || isdigit((unsigned char)*p))
		return NULL;
	if (*p != '-' && *p != '/')
		return p;
	sep = *p;
	if ((q = some_digits(p + 1, 3, &n, &count)) == NULL)
		return NULL;
	if (count == 3) {
		/* Ordinal date: day of year. */
		if (n < 1 || n > 365 + is_leap(w->year))
			return NULL;
		w->day = n;
		for (w->mon = 1; w->day > month_days(w->year, w->mon); w->mon++)
			w->day -= month_days(w->year, w->mon);
		return q;
	}
	w->mon = n;
	if (*q != sep)
		return q;
	return some_digits(q + 1, 2, &w->day, NULL);
}

static int64_t
parse_iso(const char *p)
{
	struct when w = { 0, 1, 1, 0, 0, 0, 0 };
	const char *q;

	if ((p = iso_date(p, &w)) == NULL)
		return DATE_NONE;
	if ((*p == 'T' || *p == 't' || *p == ' ') &&
	    isdigit((unsigned char)p[1])) {
		if ((p = iso_time(p + 1, &w)) == NULL)
			return DATE_NONE;
		q = skip_space(p);
		if (*q != '\0' && (p = zone(q, &w.offset)) == NULL)
			return DATE_NONE;
	} else if (*p == 'Z' || *p == 'z')
		p++;
	if (*skip_space(p) != '\0')
		return DATE_NONE;
	return when_to_time(&w);
}

/* Index of the name that word (len bytes) spells in full or as 3+ letters. */
static int
name_index(const char *word, size_t len, const char **names, int n)
{
	int i;

	if (len < 3)
		return -1;
	for (i = 0; i < n; i++) {
		if (len <= strlen(names[i]) &&
		    strncasecmp(names[i], word, len) == 0)
			return i;
	}
	return -1;
}

/* What the RFC 822 reader has collected so far. */
struct rfc822 {
	struct when	 w;
	int		 have_day, have_year, have_time, have_zone, ampm;
};

static int
take_word(struct rfc822 *r, const char *p, size_t len)
{
	int i;

	if ((i = name_index(p, len, month_names, 12)) != -1) {
		if (r->w.mon != 0)
			return -1;
		r->w.mon = i + 1;
		return 0;
	}
	if (name_index(p, len, day_names, 7) != -1)
		return 0;	/* often wrong in feeds; never trusted */
	if (len == 2 && (strncasecmp(p, "am", 2) == 0 ||
	    strncasecmp(p, "pm", 2) == 0)) {
		if (!r->have_time || r->ampm)
			return -1;
		r->ampm = tolower((unsigned char)*p);
		return 0;
	}
	return -1;
}

/* 2822 4.3: two-digit years below 50 are 20xx, three-digit add 1900. */
static int
full_year(int y, int ndigits)
{
	if (ndigits == 2)
		return y < 50 ? 2000 + y : 1900 + y;
	if (ndigits == 3)
		return 1900 + y;
	return y;
}

static int
take_number(struct rfc822 *r, int v, int n)
{
	if (n <= 2 && !r->have_day) {
		r->w.day = v;
		r->have_day = 1;
	} else if (n >= 2 && n <= 4 && r->have_day && !r->have_year) {
		r->w.year = full_year(v, n);
		r->have_year = 1;
	} else
		return -1;
	return 0;
}

/* h:m[:s], each of one or two digits ("7 Sep 2002 9:5:3 EST" occurs). */
static const char *
take_time(struct rfc822 *r, const char *p)
{
	if (r->have_time)
		return NULL;
	if ((p = some_digits(p, 2, &r->w.hour, NULL)) == NULL || *p != ':')
		return NULL;
	if ((p = some_digits(p + 1, 2, &r->w.min, NULL)) == NULL)
		return NULL;
	if (*p == ':' && (p = some_digits(p + 1, 2, &r->w.sec, NULL)) == NULL)
		return NULL;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p); p++)
			;
	r->have_time = 1;
	return p;
}

/* One token of an RFC 822-ish date; returns the end or NULL to reject. */
static const char *
rfc822_token(struct rfc822 *r, const char *p)
{
	const char *q;
	int v, n;

	if (*p == '(') {	/* RFC 2822 comment, e.g. "-0800 (PST)" */
		q = strchr(p, ')');
		return q != NULL ? q + 1 : NULL;
	}
	if (*p == ',' || *p == '-' || *p == '.') {
		if (*p == '-' && r->have_time && !r->have_zone)
			goto zone;
		return p + 1;
	}
	if (isdigit((unsigned char)*p)) {
		for (q = p; isdigit((unsigned char)*q); q++)
			;
		if (*q == ':')
			return take_time(r, p);
		if ((q = some_digits(p, 4, &v, &n)) == NULL)
			return NULL;
		return take_number(r, v, n) == 0 ? q : NULL;
	}
	if (isalpha((unsigned char)*p)) {
		for (q = p; isalpha((unsigned char)*q); q++)
			;
		if (take_word(r, p, q - p) == 0)
			return q;
		if (!r->have_time)
			return NULL;
		/* "-0800 PST": the name repeats the offset already read. */
		if (r->have_zone)
			return zone_name(p, q - p, &v) ? q : NULL;
	}
	if (*p != '+' && !isalpha((unsigned char)*p))
		return NULL;
zone:
	if ((q = zone(p, &r->w.offset)) == NULL)
		return NULL;
	r->have_zone = 1;
	return q;
}

/*
 * RFC 822 and relatives, read as tokens in any order so that
 * "Sun Aug 17 16:51:14 UTC 2008" and "Sat, Dec 16 2023 02:02 PM" work too.
 * A missing zone is read as UTC: better than throwing the date away.
 */
static int64_t
parse_rfc822(const char *p)
{
	struct rfc822 r;

	memset(&r, 0, sizeof r);
	for (p = skip_space(p); *p != '\0'; p = skip_space(p)) {
		if ((p = rfc822_token(&r, p)) == NULL)
			return DATE_NONE;
	}
	if (r.w.mon == 0 || !r.have_day || !r.have_year)
		return DATE_NONE;
	if (r.ampm) {
		if (r.w.hour < 1 || r.w.hour > 12)
			return DATE_NONE;
		r.w.hour = r.w.hour % 12 + (r.ampm == 'p' ? 12 : 0);
	}
	return when_to_time(&r.w);
}

int64_t
date_parse(const char *s)
{
	const char *p;
	size_t i;

	if (s == NULL)
		return DATE_NONE;
	p = skip_space(s);
	for (i = 0; i < 4 && isdigit((unsigned char)p[i]); i++)
		;
	if (i == 4)
		return parse_iso(p);
	return parse_rfc822(p);
}

/* Split t into a civil date and time of day, any int64 accepted. */
static void
split(int64_t t, int64_t *y, int *mo, int *d, int *h, int *mi, int *s,
    int *wday)
{
	int64_t days = floordiv(t, 86400), rem = t % 86400;

	if (rem < 0)
		rem += 86400;
	civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem / 60 % 60);
	*s = (int)(rem % 60);
	/* 1970-01-01 was a Thursday (4). */
	*wday = (int)(days - floordiv(days + 4, 7) * 7 + 4);
}

char *
date_rfc3339(int64_t t, char *out)
{
	int64_t y;
	int mo, d, h, mi, s, wd;

	if (t == DATE_NONE) {
		*out = '\0';
		return out;
	}
	split(t, &y, &mo, &d, &h, &mi, &s, &wd);
	snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, mo,
	    d, h, mi, s);
	return out;
}

char *
date_rfc5322(int64_t t, char *out)
{
	int64_t y;
	int mo, d, h, mi, s, wd;

	if (t == DATE_NONE) {
		*out = '\0';
		return out;
	}
	split(t, &y, &mo, &d, &h, &mi, &s, &wd);
	snprintf(out, 40, "%s, %02d %s %04lld %02d:%02d:%02d +0000",
	    short_days[wd], d, short_months[mo - 1], (long long)y, h, mi, s);
	return out;
}
