/*
 * html.h - feed HTML made safe to store and show, and turned into text.
 *
 * Built on libxml2's HTML parser; the only module besides feed.c that
 * includes libxml2.  Nothing here prints or exits.
 */
#ifndef GZ_HTML_H
#define GZ_HTML_H

#include <stddef.h>

#include "buf.h"

/*
 * Sanitize an HTML fragment with an allowlist of tags and attributes:
 * script, style, iframe, object, embed, form (and their contents where they
 * hold code) are dropped, as are event-handler attributes and javascript:,
 * vbscript: and data: URLs.  Relative URLs in href/src are made absolute
 * against base_url (may be NULL).  Returns a new string (never NULL; "" for
 * empty input).
 */
char	*html_sanitize(const char *html, const char *base_url);

/*
 * html_sanitize for HTML going into an email: every image also has alt
 * text (its own, even empty; else its title, else "image"), a width of at
 * most 600 px (the height scaled with it) and style
 * "max-width:100%;height:auto", so none is wider than the mail column.
 */
char	*html_sanitize_mail(const char *html, const char *base_url);

/*
 * The plain text of an HTML fragment: tags removed, character references
 * decoded, block elements separate words, script/style contents dropped,
 * whitespace runs (NBSP included) collapsed to one space, trimmed.
 * Returns a new string (never NULL).
 */
char	*html_to_text(const char *html);

/*
 * Plain text cut to at most max_words words and max_chars characters
 * (code points), never inside a UTF-8 sequence, then "…" when something
 * was cut.  The cut falls at a word boundary, unless the last one before
 * max_chars is further back than a third of it (a long run with no
 * space): then at max_chars.  CJK characters count as words.  SIZE_MAX
 * means no limit.  Returns a new string.
 */
char	*text_excerpt(const char *text, size_t max_words, size_t max_chars);

/*
 * Text word-wrapped at width terminal columns: lines break at spaces and
 * between CJK characters (which take two columns each); a word wider than
 * a line is cut where the line is full, unless it is a URL, which stays
 * whole.  Newlines in text are not treated specially.  New string.
 */
char	*text_wrap(const char *text, size_t width);

/* Terminal columns of s[0..n) (stopping at a NUL), wide characters 2. */
size_t	 text_columns(const char *s, size_t n);

/* Escape &, <, >, " and ' for HTML text or attribute values.  New string. */
char	*html_escape(const char *s);

/*
 * The same for the len bytes at s, appended to b: no string of its own
 * for each piece of a feed's text.  0, or -1 with b as it was when the
 * whole would pass b's cap.
 */
int	 html_escape_into(struct buf *b, const char *s, size_t len);

/* html-discover.c */
/*
 * The feed a web page announces with <link rel="alternate"
 * type="application/rss+xml|atom+xml|feed+json" href>, made absolute
 * against the page's <base> or page_url: a new http(s) URL, or NULL.
 */
char	*html_feed_link(const char *page, size_t len, const char *page_url);

#endif
