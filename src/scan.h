/*
 * scan.h - how far the bytes ahead stay plain, eight at a time.
 *
 * Feeds are mostly ASCII text, and several passes (UTF-8 checks, control
 * stripping, the C1 mapping) look at every byte of them.  These find the
 * length of the run they may skip, reading a word at a time; the caller
 * then looks at the byte that ended it.  The quoted-printable encoder
 * (mime-body.c) builds its own word test on the same pieces.
 */
#ifndef GZ_SCAN_H
#define GZ_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SCAN_ONES	0x0101010101010101ULL
#define SCAN_HIGH	0x8080808080808080ULL

/* The word at p, whatever its alignment. */
static inline uint64_t
scan_word(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

/* Whether a byte of w is zero (exact for "any", not for which). */
static inline int
scan_has_zero(uint64_t w)
{
	return ((w - SCAN_ONES) & ~w & SCAN_HIGH) != 0;
}

/*
 * Bytes from p (before end) that are all ASCII, and with printable 1 also
 * none below 0x20.  A word qualifies when no byte has its high bit set and,
 * for printable, no byte minus 0x20 borrows into it.
 */
static inline size_t
scan_ascii(const unsigned char *p, const unsigned char *end, int printable)
{
	const unsigned char *q = p;
	uint64_t w;

	while (end - q >= 8) {
		w = scan_word(q);
		if ((w & SCAN_HIGH) != 0 ||
		    (printable && ((w - 0x20 * SCAN_ONES) & ~w & SCAN_HIGH) != 0))
			break;
		q += 8;
	}
	while (q < end && *q < 0x80 && (!printable || *q >= 0x20))
		q++;
	return (size_t)(q - p);
}

/*
 * Bytes from p (before end) none of which is below 0x20: those are the
 * bytes whose top three bits are clear, found by the zero-byte test.
 */
static inline size_t
scan_no_controls(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;
	uint64_t t;

	while (end - q >= 8) {
		t = scan_word(q) & 0xe0 * SCAN_ONES;
		if (scan_has_zero(t))
			break;
		q += 8;
	}
	while (q < end && *q >= 0x20)
		q++;
	return (size_t)(q - p);
}

/*
 * Bytes from p (before end) skipped eight at a time while no byte of the
 * word is one of chars; the rest, up to eight, are left to the caller.
 */
static inline size_t
scan_none_of(const char *p, const char *end, const char *chars)
{
	const char *q = p, *c;
	uint64_t w;

	for (; end - q >= 8; q += 8) {
		w = scan_word((const unsigned char *)q);
		for (c = chars; *c != '\0'; c++)
			if (scan_has_zero(w ^ (unsigned char)*c * SCAN_ONES))
				return (size_t)(q - p);
	}
	return (size_t)(q - p);
}

#endif
