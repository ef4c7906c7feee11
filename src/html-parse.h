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

/* Parse a fragment as body content, feeding its events to w. */
void	 html_parse_fragment(const char *html, struct html_walker *w);

/* How many bytes from p (before end) html_utf8_clean keeps as they are. */
size_t	 html_utf8_kept_span(const unsigned char *p, const unsigned char *end);

/*
 * s as valid UTF-8: invalid bytes become U+FFFD and control characters
 * other than whitespace go.  A new string; its length in *lenp.
 */
char	*html_utf8_clean(const char *s, size_t *lenp);

#endif
