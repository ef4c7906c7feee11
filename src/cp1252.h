/*
 * cp1252.h - windows-1252's 0x80-0x9F, the bytes and references that feeds
 * mean when they write C1 control characters.
 *
 * Shared by the feed parser (byte repair) and html.c (character
 * references); pure functions, nothing here prints.
 */
#ifndef GZ_CP1252_H
#define GZ_CP1252_H

/* The code point windows-1252 gives byte b (0x80-0x9f; its holes stay). */
unsigned	 cp1252_code_point(unsigned char b);
/*
 * s with every U+0080-U+009F read as windows-1252 ("&#146;" is a right
 * quote, as HTML5 says): a new string, or NULL when there was nothing to
 * map.
 */
char		*cp1252_map_c1(const char *s);

#endif
