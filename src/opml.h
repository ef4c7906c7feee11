/*
 * opml.h - OPML subscription lists in and out, as our own structs.
 *
 * opml.c is the only reader and writer of OPML; callers never see a
 * libxml2 type.  Topics are what OPML calls folders (outlines holding
 * outlines) and categories; a feed refers to its topics by index.
 */
#ifndef GZ_OPML_H
#define GZ_OPML_H

#include <stddef.h>
#include <stdint.h>

struct opml_topic {
	char	*slug;		/* a-z, 0-9, '-', never empty */
	char	*name;		/* as the folder or category said it */
};

struct opml_feed {
	char	*url;		/* http:// or https:// */
	char	*title;		/* NULL when the outline gave none */
	char	*html_url;	/* site link, or NULL */
	size_t	*topics;	/* indexes into opml.topics, no repeats */
	size_t	 ntopics;
	long	 line;		/* of its first outline (0 when built) */
};

struct opml {
	char	*title;		/* head/title, or NULL */
	struct opml_topic *topics;
	size_t	 ntopics;
	struct opml_feed *feeds;	/* one per URL */
	size_t	 nfeeds;
	size_t	*by_url;	/* private: feed index + 1 by URL hash */
	size_t	 by_url_cap;
};

/*
 * Parse an OPML 1.0/2.0 document.  Never fetches anything and refuses a
 * DOCTYPE (so no entity is ever declared, let alone expanded).  NULL with
 * *err (caller frees) and *line (1-based, 0 when unknown) on failure.
 */
struct opml *opml_parse(const char *data, size_t len, long *line,
	    char **err);
void	 opml_free(struct opml *o);

/* Building one (for export): new empty list, topics, feeds. */
struct opml *opml_new(const char *title);
/* The index of the topic with this slug, added when new. */
size_t	 opml_topic(struct opml *o, const char *slug, const char *name);
/* The feed with this URL, added when new (title and html_url may be NULL). */
struct opml_feed *opml_feed(struct opml *o, const char *url,
	    const char *title, const char *html_url);
void	 opml_feed_topic(struct opml_feed *f, size_t topic);

/*
 * OPML 2.0 text: one folder per topic (with its slug in a slug attribute,
 * so that an import gives the same topics back), feeds without a topic at
 * the top.  now is dateCreated.  NUL-terminated, length in *len.
 */
char	*opml_write(const struct opml *o, int64_t now, size_t *len);

/* A topic slug for a folder or category name ("Tech & Science" ->
 * "tech-science"); "topic" when the name holds no ASCII letter or digit. */
char	*opml_slug(const char *name);

#endif
