/*
 * test-scan.c - the byte scans every feed goes through (scan.h) and the
 * UTF-8 check built on them (utf8.c): each must stop exactly where a
 * byte-by-byte look would, wherever in a block or word that byte falls.
 */
#include <string.h>

#include "buf.h"
#include "html.h"
#include "scan.h"
#include "tap.h"
#include "utf8.h"

#define LONG	70	/* past four sixteen-byte blocks and a tail */

/* A run of n plain letters, then stop, then more letters. */
static void
fill(char *s, size_t n, const char *stop)
{
	memset(s, 'a', LONG);
	s[LONG] = '\0';
	memcpy(s + n, stop, strlen(stop));
}

static void
scans_stop_at_every_offset(void)
{
	char s[LONG + 1];
	size_t n, got, bad_none = 0, bad_ascii = 0, bad_print = 0,
	    bad_ctl = 0;

	for (n = 0; n + 1 < LONG; n++) {
		fill(s, n, "<");
		got = scan_none_of(s, s + LONG, "&<>");
		/* A scan may leave up to eight bytes before the stop. */
		bad_none += got > n || n - got >= 8;
		fill(s, n, "\xc3\xa9");
		got = scan_ascii((const unsigned char *)s,
		    (const unsigned char *)s + LONG, 0);
		bad_ascii += got != n;
		fill(s, n, "\n");
		got = scan_ascii((const unsigned char *)s,
		    (const unsigned char *)s + LONG, 1);
		bad_print += got != n;
		fill(s, n, "\x01");
		got = scan_no_controls((const unsigned char *)s,
		    (const unsigned char *)s + LONG);
		bad_ctl += got != n;
	}
	is_int((long long)bad_none, 0,
	    "scan_none_of never passes a wanted byte nor stops far short");
	is_int((long long)bad_ascii, 0, "scan_ascii stops at the first high byte");
	is_int((long long)bad_print, 0,
	    "scan_ascii with printable stops at the first control");
	is_int((long long)bad_ctl, 0,
	    "scan_no_controls stops at the first control");
	fill(s, 0, "");
	is_int((long long)scan_ascii((const unsigned char *)s,
	    (const unsigned char *)s + LONG, 1), LONG,
	    "a scan over plain bytes runs to the end");
}

static size_t
span(const char *s, int how)
{
	return utf8_span((const unsigned char *)s,
	    (const unsigned char *)s + strlen(s), how);
}

static void
utf8_span_tells_valid_from_invalid(void)
{
	char s[LONG + 8];

	is_int((long long)span("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 ok", 0),
	    17, "two-, three- and four-byte characters are valid");
	is_int((long long)span("ab\xc0\xafz", 0), 2,
	    "an overlong two-byte form stops it");
	is_int((long long)span("ab\xe0\x80\xafz", 0), 2,
	    "an overlong three-byte form stops it");
	is_int((long long)span("ab\xed\xa0\x80z", 0), 2, "a surrogate stops it");
	is_int((long long)span("ab\xf4\x90\x80\x80z", 0), 2,
	    "past U+10FFFF stops it");
	is_int((long long)span("ab\xe2\x80", 0), 2,
	    "a character cut short at the end stops it");
	is_int((long long)span("ab\x80z", 0), 2, "a stray continuation byte stops it");
	is_int((long long)span("a\tb\x01z", 0), 5, "controls are valid UTF-8");
	is_int((long long)span("a\t\n\r\fb\x01z", U8_NO_CONTROLS), 6,
	    "U8_NO_CONTROLS keeps whitespace and stops at other controls");
	fill(s, 40, "\xd1\x81\xd0\xb5\xd1\x82\xd1\x8c\xe6\x97\xa5\xff");
	is_int((long long)span(s, 0), 51,
	    "a run of other scripts is followed to the invalid byte");
}

static void
escape_into_is_whole_or_nothing(void)
{
	struct buf b;

	buf_init(&b, 16);
	buf_puts(&b, "x");
	ok(html_escape_into(&b, "a<b", 3) == 0, "escaping within the cap works");
	is_str(buf_str(&b), "xa&lt;b", "and appends the text escaped");
	ok(html_escape_into(&b, "\"'&<>", 5) == -1,
	    "escaping past the cap fails");
	is_str(buf_str(&b), "xa&lt;b", "and leaves the buffer as it was");
	buf_free(&b);
}

int
main(void)
{
	scans_stop_at_every_offset();
	utf8_span_tells_valid_from_invalid();
	escape_into_is_whole_or_nothing();
	return done_testing();
}
