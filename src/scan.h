/*
 * scan.h - how far the bytes ahead stay plain, eight or sixteen at a time.
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

/*
 * Where SSE2 is there (every x86-64), sixteen bytes are looked at in one
 * step first, and a mask of the bytes that stop a scan says where.
 */
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define SCAN_SSE2	1
#endif

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
 * How many bytes of a word come before the first one marked in bits (its
 * high bit set, the lowest one exact), where the first byte in memory is
 * the word's lowest (little-endian); elsewhere 0, and the caller looks at
 * the bytes one by one.  The scans stop at most words of non-ASCII text,
 * so they had better not step through the rest of the word again.
 */
static inline size_t
scan_skip(uint64_t bits)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(bits) / 8;
#else
	(void)bits;
	return 0;
#endif
}

#ifdef SCAN_SSE2
/* The sixteen bytes at p, whatever their alignment. */
static inline __m128i
scan_block(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Bytes of a block before the first one marked in mask (not 0). */
static inline size_t
scan_block_skip(int mask)
{
	return (size_t)__builtin_ctz((unsigned)mask);
}
#endif

/*
 * Bytes from p (before end) that are all ASCII, and with printable 1 also
 * none below 0x20.  A word qualifies when no byte has its high bit set and,
 * for printable, no byte minus 0x20 borrows into it (a borrow starts only
 * at such a byte, so the lowest one marked is exact).
 */
static inline size_t
scan_ascii(const unsigned char *p, const unsigned char *end, int printable)
{
	const unsigned char *q = p;
	uint64_t w, stop;
#ifdef SCAN_SSE2
	__m128i v;
	int mask;

	/* As signed bytes, those from 0x80 up are below 0x20 too. */
	while (end - q >= 16) {
		v = scan_block(q);
		mask = printable ? _mm_movemask_epi8(_mm_cmplt_epi8(v,
		    _mm_set1_epi8(0x20))) : _mm_movemask_epi8(v);
		if (mask != 0)
			return (size_t)(q - p) + scan_block_skip(mask);
		q += 16;
	}
#endif

	while (end - q >= 8) {
		w = scan_word(q);
		stop = w & SCAN_HIGH;
		if (printable)
			stop |= (w - 0x20 * SCAN_ONES) & ~w & SCAN_HIGH;
		if (stop != 0) {
			q += scan_skip(stop);
			break;
		}
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
#ifdef SCAN_SSE2
	__m128i top;
	int mask;

	while (end - q >= 16) {
		top = _mm_and_si128(scan_block(q), _mm_set1_epi8((char)0xe0));
		mask = _mm_movemask_epi8(_mm_cmpeq_epi8(top,
		    _mm_setzero_si128()));
		if (mask != 0)
			return (size_t)(q - p) + scan_block_skip(mask);
		q += 16;
	}
#endif

	while (end - q >= 8) {
		t = scan_zero_bits(scan_word(q) & 0xe0 * SCAN_ONES);
		if (t != 0) {
			q += scan_skip(t);
			break;
		}
		q += 8;
	}
	while (q < end && *q >= 0x20)
		q++;
	return (size_t)(q - p);
}

/*
 * Bytes from p (before end) none of which is one of chars, skipped eight
 * at a time, and in the word that holds one as scan_skip can; the rest,
 * up to eight, are left to the caller.
 */
static inline size_t
scan_none_of(const char *p, const char *end, const char *chars)
{
	const char *q = p;
	/* Counted, so that for a literal chars the compiler unrolls the
	 * loops below and sets up each compare once, outside the scan. */
	size_t n = strlen(chars), i;
	uint64_t w, hit;
#ifdef SCAN_SSE2
	__m128i v, any;
	int mask;

	for (; end - q >= 16; q += 16) {
		v = scan_block((const unsigned char *)q);
		any = _mm_setzero_si128();
		for (i = 0; i < n; i++)
			any = _mm_or_si128(any, _mm_cmpeq_epi8(v,
			    _mm_set1_epi8(chars[i])));
		if ((mask = _mm_movemask_epi8(any)) != 0)
			return (size_t)(q - p) + scan_block_skip(mask);
	}
#endif

	for (; end - q >= 8; q += 8) {
		w = scan_word((const unsigned char *)q);
		hit = 0;
		for (i = 0; i < n; i++)
			hit |= scan_zero_bits(w ^ (unsigned char)chars[i] *
			    SCAN_ONES);
		if (hit != 0)
			return (size_t)(q - p) + scan_skip(hit);
	}
	return (size_t)(q - p);
}

#endif
