/*
 * base64.c - base64 both ways: the decoder shared by the feed parser
 * (base64 content) and the bounce reader (base64 MIME parts), and the
 * encoder the message body uses for text that base64 carries shorter
 * than quoted-printable (mime-body.c, which owns the line breaks).
 */
#include <ctype.h>
#include <stdlib.h>

#include "base64.h"
#include "xmalloc.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
value_of(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

char *
base64_decode(const char *p, size_t len, int lenient, size_t *out)
{
	char *s = xmalloc(len + 1);
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (i = 0; i < len && p[i] != '='; i++) {
		if ((v = value_of((unsigned char)p[i])) < 0) {
			if (lenient || isspace((unsigned char)p[i]))
				continue;
			free(s);
			return NULL;
		}
		/* Only the last 24 bits matter; keep acc from overflowing. */
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			s[o++] = (char)(acc >> bits);
		}
	}
	s[o] = '\0';
	if (out)
		*out = o;
	return s;
}

size_t
base64_encode(const unsigned char *in, size_t n, char *out)
{
	char *o = out;
	unsigned v;

	for (; n >= 3; in += 3, n -= 3, o += 4) {
		v = (unsigned)in[0] << 16 | (unsigned)in[1] << 8 | in[2];
		o[0] = alphabet[v >> 18];
		o[1] = alphabet[(v >> 12) & 63];
		o[2] = alphabet[(v >> 6) & 63];
		o[3] = alphabet[v & 63];
	}
	if (n > 0) {
		v = (unsigned)in[0] << 16 | (n == 2 ? (unsigned)in[1] << 8 : 0);
		o[0] = alphabet[v >> 18];
		o[1] = alphabet[(v >> 12) & 63];
		o[2] = n == 2 ? alphabet[(v >> 6) & 63] : '=';
		o[3] = '=';
		o += 4;
	}
	return (size_t)(o - out);
}
