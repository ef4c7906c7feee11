/*
 * html-parse.h - inside html.c: libxml2's HTML parser as a stream of
 * events, and the UTF-8 cleaning around it.  Private to html*.c.
 */
#ifndef GZ_HTML_PARSE_H
#define GZ_HTML_PARSE_H

#include <stddef.h>

#include <libxml/xmlstring.h>

/* How deep elements may nest; see on_start in html-parse.c. */
#define HTML_MAX_DEPTH	256

/*
 * The parser's events, handed on as they come: no tree is built.  enter
 * returns 1 to take an element's content; the content of an element it
 * refuses is skipped whole, and leave is called only for elements entered.
 * Text arrives in pieces, none of them splitting a character.
 */
struct html_walker {
	int	 (*enter)(const char *, const xmlChar **, void *);
	void	 (*leave)(const char *, void *);
	void	 (*text)(const char *, size_t, void *);
	void	*arg;
	int	 depth;		/* elements open */
	int	 skip;		/* depth of the refused element we are in, or 0 */
	const char *open[HTML_MAX_DEPTH + 1];	/* names of those open */
};

/*
 * Parse a fragment as body content, feeding its events to w: through
 * html-fast.c when it accepts the fragment (then 1: all the text and
 * attribute values reported are valid UTF-8 without control characters),
 * else through libxml2 (0).
 */
int	 html_parse_fragment(const char *html, struct html_walker *w);

/* The same through libxml2 alone (for the tests that compare the two). */
void	 html_libxml_fragment(const char *html, struct html_walker *w);

/*
 * html-fast.c: the events of a tidy fragment (valid UTF-8 without control
 * characters), read without libxml2, as libxml2 would report them: 1, or
 * 0 with nothing reported when it declines the fragment.
 */
int	 html_fast_fragment(const char *html, struct html_walker *w);

/*
 * The index of name in a table of n entries of size bytes, sorted by the
 * name (a const char *) each starts with, or -1.  A binary search without
 * bsearch's calls through a pointer: it runs for every tag of every entry.
 */
long	 html_name_search(const char *name, const void *table, size_t n,
	    size_t size);

/* How a parser hands its events to a walker, keeping depth and skip. */
void	 html_walk_reset(struct html_walker *w);
void	 html_walk_enter(struct html_walker *w, const char *name,
	    const xmlChar **atts);
void	 html_walk_leave(struct html_walker *w);
void	 html_walk_text(struct html_walker *w, const char *s, size_t len);

/* How many bytes from p (before end) html_utf8_clean keeps as they are. */
size_t	 html_utf8_kept_span(const unsigned char *p, const unsigned char *end);

/*
 * s as valid UTF-8: invalid bytes become U+FFFD and control characters
 * other than whitespace go.  A new string; its length in *lenp.
 */
char	*html_utf8_clean(const char *s, size_t *lenp);

#endif
