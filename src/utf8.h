/*
 * utf8.h - a code point written as UTF-8, for the readers that decode
 * references (feed entities, HTML entities, windows-1252 letters).
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

#endif
