/*
 * feed.h - feed documents in, our own structs out.
 *
 * feed.c parses RSS and Atom with libxml2's streaming reader, and
 * feed-jsonfeed.c JSON Feed with jansson; callers never see a library's
 * type.  Every string in these structs is valid UTF-8 and owned
 * by the struct; HTML fields are already sanitized (html_sanitize).
 */
#ifndef GZ_FEED_H
#define GZ_FEED_H

#include <stddef.h>
#include <stdint.h>

struct feed_item {
	char	*title;		/* plain text, NULL if absent */
	char	*link;		/* absolute alternate link, NULL if absent */
	char	*enclosure;	/* first enclosure or media:content URL, absolute,
				   NULL if absent (the store keeps it as the link
				   of an item that has no link) */
	char	*id;		/* guid / atom:id, NULL if absent */
	char	*author;	/* name, else email, NULL if absent */
	char	*author_email;
	char   **categories;	/* ncategories strings */
	size_t	 ncategories;
	char	*summary_html;	/* sanitized, NULL if absent */
	char	*content_html;	/* sanitized, NULL if absent */
	int64_t	 published;	/* DATE_NONE if absent */
	int64_t	 updated;	/* DATE_NONE if absent */
};

struct feed {
	char	*format;	/* "rss20", "rss10", "rss091", "atom10", "atom03",
				   "json10", "json11", "cdf" */
	char	*title;
	char	*link;		/* site link */
	char	*self_link;
	struct feed_item *items;
	size_t	 nitems;
	char	*warning;	/* recoverable problem (ill-formed XML), or NULL */
};

/*
 * Parse a feed document.  base_url is the URL it was fetched from (relative
 * links resolve against it; may be NULL); http_charset is the charset of the
 * HTTP Content-Type, or NULL.  Returns NULL and sets *err (caller frees) when
 * the bytes are not a feed at all (HTML page, empty body, not XML, JSON
 * that is no JSON Feed).
 */
struct feed *feed_parse(const char *data, size_t len, const char *base_url,
	    const char *http_charset, char **err);
void	 feed_free(struct feed *f);
/* Before feed_parse runs on more than one thread; may be called again. */
void	 feed_global_init(void);

/* The stable key of an item: id, else link, else NULL. */
const char *feed_item_key(const struct feed_item *it);

#endif
