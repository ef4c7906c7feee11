/*
 * markdown.h - editors' notes: Markdown through libcmark, made safe.
 *
 * The only module that includes cmark.h.  Nothing here prints or exits.
 */
#ifndef GZ_MARKDOWN_H
#define GZ_MARKDOWN_H

#include <stddef.h>

/*
 * Whether s[0..len) is valid UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF) with no NUL byte.  Returns 1, or 0 with
 * *bad_offset set to the offset of the first byte that is wrong.
 */
int	 markdown_utf8_ok(const char *s, size_t len, size_t *bad_offset);

/*
 * The HTML of a note: CommonMark rendered with raw HTML and unsafe URLs
 * left out, then through html_sanitize_mail (a note goes into digests:
 * its images get alt text and a width that fits the mail column).  New
 * string ("" for "").
 */
char	*markdown_to_html(const char *md);

/*
 * The plain text of a note: one line per paragraph, heading or list item
 * (items start with "- "), blocks separated by an empty line, markup and
 * raw HTML gone.  Not wrapped.  New string.
 */
char	*markdown_to_text(const char *md);

#endif
