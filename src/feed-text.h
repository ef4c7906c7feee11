/*
 * feed-text.h - byte and string chores of the feed parser (feed-text.c).
 *
 * Private to the feed parser (feed.c and its RSS/Atom helpers,
 * feed-jsonfeed.c): charset sniffing and repair, whitespace, items and
 * their categories, author strings, link resolution.
 */
#ifndef GZ_FEED_TEXT_H
#define GZ_FEED_TEXT_H

#include <stddef.h>

struct feed;
struct feed_item;

/* How a text-bearing element's value is to be read. */
enum kind { K_TEXT, K_HTML, K_XHTML, K_GUESS };

/* Leading ASCII whitespace (and a stray UTF-8 BOM's spaces) to skip. */
size_t	 feed_skip_space(const char *data, size_t len);
/* 1 when the bytes start like an HTML page (doctype html, <html). */
int	 feed_sniff_html(const char *data, size_t len);
/* 1 when the bytes start like a JSON object (BOM, spaces, then "{"). */
int	 feed_sniff_json(const char *data, size_t len);
/*
 * Choose the encoding to force on the parser (*enc, NULL to let libxml2
 * decide; the HTTP charset, when given and known, wins over the XML
 * declaration), and *utf8 to 1 for a valid UTF-8 document.  Returns 1 when
 * the document is UTF-8 by charset, declaration or default but holds
 * invalid UTF-8, so it must be repaired first.
 */
int	 feed_needs_repair(const char *data, size_t len, const char *http_charset,
	    const char **enc, int *utf8);
/* Undo UTF-8 that was read as Latin-1 and encoded again, in place. */
void	 feed_unmojibake(char *s);
/*
 * A value's text as every format stores it: mojibake undone (utf8: the
 * document was valid UTF-8), C1 controls mapped.  Takes s, returns the
 * string to use in its place.
 */
char	*feed_fix_text(char *s, int utf8);
/*
 * The bytes without C0 controls XML forbids (libxml2 stops at the first),
 * or NULL when there are none.  Only for ASCII-compatible encodings.
 */
char	*feed_strip_controls(const char *data, size_t len, size_t *outlen);
/*
 * HTML entity names, bare ampersands and "&#X41;" rewritten so libxml2
 * reads on; NULL when nothing changed (see feed-text.c).
 */
char	*feed_fix_references(const char *data, size_t len, size_t *outlen);
/* Invalid UTF-8 bytes re-read as windows-1252; new buffer, *outlen set. */
char	*feed_repair_utf8(const char *data, size_t len, size_t *outlen);

/* Whitespace runs (NBSP too) to one space, trimmed; NULL when empty. */
char	*feed_collapse(const char *s);
/* Trimmed copy, NULL when empty. */
char	*feed_trim(const char *s);
/* Write code point cp as UTF-8 into u (8 bytes), NUL-terminated. */
void	 feed_utf8_put(char *u, unsigned long cp);
/* Base64 to a NUL-terminated string, NULL when not base64 or not text. */
char	*feed_base64(const char *s);

/* The kind a type="" attribute names; *base64 set for binary types. */
enum kind feed_kind_of_type(const char *type, enum kind dflt, int *base64);
/* type is text/html or application/xhtml+xml (or html/xhtml). */
int	 feed_is_html_type(const char *type);

/* An absolute URL for ref, or NULL when it stays relative. */
char	*feed_resolve(const char *base, const char *ref);
/* Resolve *link against b1 then b2 if relative; drop unsafe schemes. */
void	 feed_fix_link(char **link, const char *b1, const char *b2);

/*
 * A new blank item at the end of f->items (no fields, dates DATE_NONE);
 * *cap is the array's allocated length.  NULL past the item cap.
 */
struct feed_item *feed_item_add(struct feed *f, size_t *cap);
/* A category, collapsed; empty ones, repeats and those past the cap dropped. */
void	 feed_add_category(struct feed_item *it, const char *raw);

/* RSS "jo@example.com (Jo Doe)" and friends into author and e-mail. */
void	 feed_author_text(struct feed_item *it, const char *text);

#endif
