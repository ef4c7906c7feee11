/*
 * utf8.c - a code point written as UTF-8, and valid UTF-8 told from
 * invalid (see utf8.h).
 */
#include "scan.h"
#include "utf8.h"

size_t
utf8_put(char out[4], uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int
is_trail(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Its lead byte says how long a sequence is; the second byte alone then
 * tells the overlong forms (E0 80..9F, F0 80..8F), the surrogates
 * (ED A0..BF) and what passes U+10FFFF (F4 90..BF) apart.
 */
static inline size_t
char_len(const unsigned char *p, const unsigned char *end)
{
	size_t left = (size_t)(end - p);
	unsigned char c = p[0];

	if (c < 0x80)
		return left > 0;
	if (c >= 0xc2 && c <= 0xdf)
		return left >= 2 && is_trail(p[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || !is_trail(p[1]) || !is_trail(p[2]) ||
		    (c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || !is_trail(p[1]) || !is_trail(p[2]) ||
		    !is_trail(p[3]) || (c == 0xf0 && p[1] < 0x90) ||
		    (c == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

size_t
utf8_char_len(const unsigned char *p, const unsigned char *end)
{
	return char_len(p, end);
}

/* The ASCII controls U8_NO_CONTROLS keeps: whitespace. */
static int
kept_control(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t
utf8_span(const unsigned char *p, const unsigned char *end, int how)
{
	const unsigned char *q = p;
	int printable = (how & U8_NO_CONTROLS) != 0;
	size_t n;

	while (q < end) {
		q += scan_ascii(q, end, printable);
		if (q == end)
			break;
		if (*q < 0x80) {
			/* Only a control character stops the ASCII scan. */
			if (!kept_control(*q))
				break;
			q++;
			continue;
		}
		/* Letters of other scripts come in runs: stay in them. */
		do {
			if ((n = char_len(q, end)) == 0)
				return (size_t)(q - p);
			q += n;
		} while (q < end && *q >= 0x80);
	}
	return (size_t)(q - p);
}
