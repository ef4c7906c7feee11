/*
 * feed-int.h - what the files of the feed parser share: tags, fields and
 * the parser state (feed.c reads, feed-attr.c reads attributes and
 * entities, feed-fields.c stores, feed-tags.c maps element names).  Private
 * to the feed module.
 */
#ifndef GZ_FEED_INT_H
#define GZ_FEED_INT_H

#include <libxml/xmlreader.h>

#include "buf.h"
#include "feed.h"
#include "feed-text.h"

#define MAX_DEPTH	256		/* libxml2 refuses deeper documents anyway */
#define FIELD_MAX	((size_t)8 << 20)

enum ns { NS_OTHER, NS_FEED, NS_RDF, NS_DC, NS_DCTERMS, NS_CONTENT,
	  NS_ITUNES, NS_MEDIA, NS_XHTML };

enum tag {
	T_NONE, T_RSS, T_RDF, T_FEED, T_CHANNEL, T_ITEM, T_ENTRY, T_IMAGE,
	T_TEXTINPUT, T_SOURCE, T_AUTHOR, T_TITLE, T_LINK, T_ID, T_SUMMARY,
	T_DESCRIPTION, T_CONTENT, T_ENCODED, T_PUBLISHED, T_UPDATED, T_NAME,
	T_EMAIL, T_CATEGORY, T_KEYWORDS, T_ITUNES_CATEGORY, T_MEDIA_TITLE,
	T_BODY, T_ENCLOSURE,
	T_NTAGS				/* the count, not a tag */
};

enum field {
	F_NONE, F_TITLE, F_LINK, F_ID, F_SUMMARY, F_CONTENT, F_PUBLISHED,
	F_UPDATED, F_AUTHOR, F_NAME, F_EMAIL, F_CATEGORY, F_KEYWORDS
};

/* The item being read, with what we need to pick among repeated fields. */
struct itemstate {
	int	 depth;			/* of the item element */
	int	 title_depth;		/* shallowest title so far, or -1 */
	int	 summary_depth;
	int	 permalink;		/* the id may stand in for a link */
	char	*author_name;		/* from <name>/<email> children */
	char	*author_email;
	char	*cat_label;		/* label of a category without term */
};

struct capture {
	int		 active;
	int		 depth;		/* of the captured element */
	enum tag	 tag;
	enum field	 field;
	enum kind	 kind;
	int		 in_item;	/* item field, else feed field */
	int		 elems;		/* child elements seen */
	int		 open;		/* child elements open now */
	int		 strip_depth;	/* the xhtml wrapper <div>, or -1 */
	int		 base64;
	struct buf	 text;		/* character data only */
	struct buf	 xml;		/* character data and re-serialized markup */
	int		 xml_later;	/* xml not built yet (see capture_text) */
	char		*base;		/* base URI in effect at the element */
};

struct parser {
	xmlTextReaderPtr r;
	struct feed	*f;
	size_t		 itemcap;
	struct feed_item *item;		/* being read, or NULL */
	struct itemstate is;
	int		 atom;
	int		 cdf;		/* a CDF document: links in attributes */
	int		 root_seen;
	int		 author_depth;	/* inside an item's author, else -1 */
	struct capture	 c;
	enum tag	 tags[MAX_DEPTH];
	char		*bases[MAX_DEPTH];
	int		 xmlbase_seen;	/* some xml:base attribute was given */
	int		 utf8;		/* valid UTF-8 document: undo mojibake */
	char		*doc_base;
	char		*first_name;	/* of the first element */
	char		*first_error;
	int		 error_line;
	size_t		 entity_left;	/* entity text still to expand, bytes */
	int		 entity_capped;	/* a reference went past that */
};

/* feed-attr.c: attribute values and entity text, within the budget */
size_t	 feed_entity_budget(size_t len);
const char *feed_entity_text(struct parser *p, xmlNodePtr n, char *u);
char	*feed_attr_value(struct parser *p, xmlAttrPtr a);
char	*feed_attr_ns(struct parser *p, const char *name, const char *uri);
char	*feed_attr(struct parser *p, const char *name);
char	*feed_attr_nocase(struct parser *p, const char *name);

/* feed-tags.c */
enum tag	 feed_tag_of(const char *uri, const char *name);
enum field	 feed_tag_field(enum tag t);
enum kind	 feed_tag_kind(enum tag t);

/* feed-fields.c */
void	 feed_store_field(struct parser *p, char *text, char *xml);
void	 feed_author_end(struct parser *p);

#endif
