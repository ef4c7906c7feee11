/*
 * feed-tags.c - element names to tags, tags to fields: the tables that make
 * RSS pubDate, Atom published and Atom 0.3 issued one field, sfeed-style.
 *
 * Pure lookups; nothing here allocates or touches libxml2 state.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed-int.h"

/* Lower-case namespace URIs, sorted for bsearch. */
static const struct nsent {
	const char	*uri;
	enum ns		 ns;
} nstab[] = {
	{ "http://backend.userland.com/rss", NS_FEED },
	{ "http://backend.userland.com/rss2", NS_FEED },
	{ "http://blogs.law.harvard.edu/tech/rss", NS_FEED },
	{ "http://example.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://example.com/necho", NS_FEED },
	{ "http://example.com/newformat#", NS_FEED },
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_FEED },
	{ "http://purl.org/atom/ns#", NS_FEED },
	/* Without the trailing slash too: feeds get it wrong. */
	{ "http://purl.org/dc/elements/1.1", NS_DC },
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms", NS_DCTERMS },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/echo/", NS_FEED },
	{ "http://purl.org/net/rss1.1#", NS_FEED },
	{ "http://purl.org/pie/", NS_FEED },
	{ "http://purl.org/rss/1.0/", NS_FEED },
	{ "http://purl.org/rss/1.0/modules/content", NS_CONTENT },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "http://purl.org/rss/1.0/modules/rss091#", NS_FEED },
	{ "http://search.yahoo.com/mrss", NS_MEDIA },
	{ "http://search.yahoo.com/mrss/", NS_MEDIA },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML },
	{ "http://www.w3.org/2005/atom", NS_FEED },
	{ "uri/of/echo/namespace#", NS_FEED },
};

/*
 * Sorted by (ns, name) for bsearch.  Names compare without case, as
 * feedparser does: <pubdate>, <ENTRY> and <textInput> all occur.
 */
static const struct tagent {
	enum ns		 ns;
	const char	*name;
	enum tag	 tag;
} tagtab[] = {
	{ NS_FEED, "abstract", T_SUMMARY },	/* CDF */
	{ NS_FEED, "author", T_AUTHOR },
	{ NS_FEED, "body", T_BODY },
	{ NS_FEED, "category", T_CATEGORY },
	{ NS_FEED, "channel", T_CHANNEL },
	{ NS_FEED, "content", T_CONTENT },
	{ NS_FEED, "description", T_DESCRIPTION },
	{ NS_FEED, "email", T_EMAIL },
	{ NS_FEED, "enclosure", T_ENCLOSURE },
	{ NS_FEED, "entry", T_ENTRY },
	{ NS_FEED, "feed", T_FEED },
	{ NS_FEED, "fullitem", T_ENCODED },
	{ NS_FEED, "guid", T_ID },
	{ NS_FEED, "id", T_ID },
	{ NS_FEED, "image", T_IMAGE },
	{ NS_FEED, "issued", T_PUBLISHED },
	{ NS_FEED, "item", T_ITEM },
	{ NS_FEED, "link", T_LINK },
	{ NS_FEED, "modified", T_UPDATED },
	{ NS_FEED, "name", T_NAME },
	{ NS_FEED, "pubdate", T_PUBLISHED },
	{ NS_FEED, "published", T_PUBLISHED },
	{ NS_FEED, "rss", T_RSS },
	{ NS_FEED, "source", T_SOURCE },
	{ NS_FEED, "summary", T_SUMMARY },
	{ NS_FEED, "tags", T_KEYWORDS },	/* comma-separated, like keywords */
	{ NS_FEED, "textinput", T_TEXTINPUT },
	{ NS_FEED, "title", T_TITLE },
	{ NS_FEED, "updated", T_UPDATED },
	{ NS_RDF, "RDF", T_RDF },
	{ NS_DC, "author", T_AUTHOR },
	{ NS_DC, "creator", T_AUTHOR },
	{ NS_DC, "date", T_UPDATED },
	{ NS_DC, "description", T_DESCRIPTION },
	{ NS_DC, "subject", T_CATEGORY },
	{ NS_DC, "title", T_TITLE },
	{ NS_DCTERMS, "issued", T_PUBLISHED },
	{ NS_DCTERMS, "modified", T_UPDATED },
	{ NS_CONTENT, "encoded", T_ENCODED },
	{ NS_ITUNES, "author", T_AUTHOR },
	{ NS_ITUNES, "category", T_ITUNES_CATEGORY },
	{ NS_ITUNES, "keywords", T_KEYWORDS },
	{ NS_ITUNES, "summary", T_SUMMARY },
	{ NS_MEDIA, "category", T_CATEGORY },
	{ NS_MEDIA, "content", T_ENCLOSURE },
	{ NS_MEDIA, "description", T_DESCRIPTION },
	{ NS_MEDIA, "keywords", T_KEYWORDS },
	{ NS_MEDIA, "title", T_MEDIA_TITLE },
	{ NS_XHTML, "body", T_BODY },
};

/*
 * Tag to the field it feeds, and the kind its text has by default.  Sized
 * by the tag count: a tag left out (T_ENCLOSURE, read from attributes)
 * feeds F_NONE.
 */
static const struct {
	enum field	 field;
	enum kind	 kind;
} fieldmap[T_NTAGS] = {
	[T_AUTHOR] = { F_AUTHOR, K_TEXT },
	[T_TITLE] = { F_TITLE, K_GUESS },
	[T_LINK] = { F_LINK, K_TEXT },
	[T_ID] = { F_ID, K_TEXT },
	[T_SUMMARY] = { F_SUMMARY, K_TEXT },
	[T_DESCRIPTION] = { F_SUMMARY, K_HTML },
	[T_CONTENT] = { F_CONTENT, K_TEXT },
	[T_ENCODED] = { F_CONTENT, K_HTML },
	[T_PUBLISHED] = { F_PUBLISHED, K_TEXT },
	[T_UPDATED] = { F_UPDATED, K_TEXT },
	[T_NAME] = { F_NAME, K_TEXT },
	[T_EMAIL] = { F_EMAIL, K_TEXT },
	[T_CATEGORY] = { F_CATEGORY, K_TEXT },
	[T_KEYWORDS] = { F_KEYWORDS, K_TEXT },
	[T_ITUNES_CATEGORY] = { F_CATEGORY, K_TEXT },
	[T_MEDIA_TITLE] = { F_TITLE, K_GUESS },
	[T_BODY] = { F_CONTENT, K_XHTML },
};

static int
nscmp(const void *key, const void *ent)
{
	return strcasecmp(key, ((const struct nsent *)ent)->uri);
}

static enum ns
ns_of(const char *uri)
{
	const struct nsent *e;

	if (uri == NULL || *uri == '\0')
		return NS_FEED;
	e = bsearch(uri, nstab, sizeof nstab / sizeof nstab[0],
	    sizeof nstab[0], nscmp);
	return e ? e->ns : NS_OTHER;
}

static int
tagcmp(const void *key, const void *ent)
{
	const struct tagent *k = key, *e = ent;

	if (k->ns != e->ns)
		return k->ns < e->ns ? -1 : 1;
	return strcasecmp(k->name, e->name);
}

enum tag
feed_tag_of(const char *uri, const char *name)
{
	struct tagent key, *e;

	key.ns = ns_of(uri);
	key.name = name;
	if (key.ns == NS_OTHER)
		return T_NONE;
	e = bsearch(&key, tagtab, sizeof tagtab / sizeof tagtab[0],
	    sizeof tagtab[0], tagcmp);
	return e ? e->tag : T_NONE;
}

enum field
feed_tag_field(enum tag t)
{
	return fieldmap[t].field;
}

enum kind
feed_tag_kind(enum tag t)
{
	return fieldmap[t].kind;
}
