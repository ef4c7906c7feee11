/*
 * charset.h - guess the character set of undeclared bytes.
 *
 * The only module that includes uchardet.  Nothing here prints.
 */
#ifndef GZ_CHARSET_H
#define GZ_CHARSET_H

#include <stddef.h>

/*
 * The legacy charset the bytes are most likely in, when it is one that
 * needs decoding as a whole (Shift_JIS, EUC-KR, KOI8-R, TIS-620, ...):
 * a static iconv name, or NULL when the guess is UTF-8, ASCII, a Western
 * single-byte set (which byte-wise windows-1252 repair reads as well) or
 * nothing at all.
 */
const char *charset_guess(const char *data, size_t len);

#endif
