/*
 * cp1252.c - windows-1252's 0x80-0x9F for bytes and code points nobody
 * means as C1 controls: a Latin-1 declaration over windows-1252 text, or
 * "&#146;" in HTML (HTML5's numeric reference rules map them the same way).
 */
#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "cp1252.h"
#include "utf8.h"

/* windows-1252 0x80-0x9f; its five holes stay what Latin-1 says. */
static const unsigned short table[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

unsigned
cp1252_code_point(unsigned char b)
{
	return b >= 0x80 && b <= 0x9f ? table[b - 0x80] : b;
}

/* Whether the UTF-8 at p is a C1 control windows-1252 has a letter for. */
static int
mappable(const unsigned char *p)
{
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f &&
	    table[p[1] - 0x80] != p[1];
}

char *
cp1252_map_c1(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *q;
	struct buf b;
	char u[4];
	size_t i;

	/* Every mappable sequence starts 0xc2: strchr finds those fast. */
	for (q = strchr(s, 0xc2); q != NULL &&
	    !mappable((const unsigned char *)q); q = strchr(q + 1, 0xc2))
		;
	if (q == NULL)
		return NULL;
	buf_init(&b, 0);
	for (i = 0; p[i] != '\0'; i++) {
		if (mappable(p + i)) {
			buf_append(&b, u, utf8_put(u, table[p[i + 1] - 0x80]));
			i++;
		} else
			buf_putc(&b, (char)p[i]);
	}
	return buf_detach(&b);
}
