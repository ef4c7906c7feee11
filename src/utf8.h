/*
 * utf8.h - a code point written as UTF-8, for the readers that decode
 * references (feed entities, HTML entities, windows-1252 letters), and
 * the checks that text is valid UTF-8 before a parser or a reader sees it.
 */
#ifndef GZ_UTF8_H
#define GZ_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * cp (a valid code point: not a surrogate, at most U+10FFFF) as UTF-8 in
 * out, not NUL-ended; its length, 1 to 4.
 */
size_t	 utf8_put(char out[4], uint32_t cp);

/*
 * The length of the valid UTF-8 sequence at p (1 to 4 bytes, none past
 * end), or 0: a stray or missing continuation byte, an overlong form, a
 * surrogate, past U+10FFFF.
 */
size_t	 utf8_char_len(const unsigned char *p, const unsigned char *end);

/*
 * How many bytes from p (before end) are valid UTF-8, with U8_NO_CONTROLS
 * also stopping at an ASCII control character other than tab, newline,
 * CR and form feed.  One pass, eight ASCII bytes at a time: the documents
 * and fragments of every feed go through it.
 */
#define U8_NO_CONTROLS	0x1
size_t	 utf8_span(const unsigned char *p, const unsigned char *end, int how);

#endif
