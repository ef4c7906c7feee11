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

/*
 * The zero bytes of w as their high bits.  The lowest bit set is exact:
 * the borrow that can mark a byte that is not zero only runs upward from
 * a zero byte below it.
 */
static inline uint64_t
scan_zero_bits(uint64_t w)
{
	return (w - SCAN_ONES) & ~w & SCAN_HIGH;
}

/* Whether a byte of w is zero. */
static inline int
scan_has_zero(uint64_t w)
{
	return scan_zero_bits(w) != 0;
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
 * Bytes from p (before end) none of which is one of chars, skipped eight
 * at a time.  In the word that holds one, the bytes before it are skipped
 * too where the first byte in memory is the word's lowest (little-endian);
 * the rest, up to eight, are left to the caller.
 */
static inline size_t
scan_none_of(const char *p, const char *end, const char *chars)
{
	const char *q = p, *c;
	uint64_t w, hit;

	for (; end - q >= 8; q += 8) {
		w = scan_word((const unsigned char *)q);
		hit = 0;
		for (c = chars; *c != '\0'; c++)
			hit |= scan_zero_bits(w ^ (unsigned char)*c * SCAN_ONES);
		if (hit == 0)
			continue;
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		q += __builtin_ctzll(hit) / 8;
#endif
		break;
	}
	return (size_t)(q - p);
}

#endif
