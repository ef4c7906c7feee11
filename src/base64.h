/*
 * base64.h - one base64 module (RFC 4648 alphabet) for feeds and mail:
 * the decoder feeds and bounces read with, the encoder messages use.
 */
#ifndef GZ_BASE64_H
#define GZ_BASE64_H

#include <stddef.h>

/* Characters base64 writes for n octets: four per three, padded. */
#define BASE64_LEN(n)	(((n) + 2) / 3 * 4)

/*
 * Decode len bytes of p up to the first '='.  Whitespace is skipped; any
 * other byte outside the alphabet is skipped too when lenient (mail bodies
 * in the wild), or makes the decode fail (NULL) when not.  Returns a new
 * NUL-terminated buffer of *out bytes (out may be NULL).
 */
char	*base64_decode(const char *p, size_t len, int lenient, size_t *out);

/*
 * Encode the n octets at in as BASE64_LEN(n) characters at out, the last
 * group padded with "=", no line breaks and no NUL.  Returns that length.
 */
size_t	 base64_encode(const unsigned char *in, size_t n, char *out);

#endif
