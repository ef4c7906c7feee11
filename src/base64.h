/*
 * base64.h - one base64 decoder (RFC 4648 alphabet) for feeds and mail.
 */
#ifndef GZ_BASE64_H
#define GZ_BASE64_H

#include <stddef.h>

/*
 * Decode len bytes of p up to the first '='.  Whitespace is skipped; any
 * other byte outside the alphabet is skipped too when lenient (mail bodies
 * in the wild), or makes the decode fail (NULL) when not.  Returns a new
 * NUL-terminated buffer of *out bytes (out may be NULL).
 */
char	*base64_decode(const char *p, size_t len, int lenient, size_t *out);

#endif
