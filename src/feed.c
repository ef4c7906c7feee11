/*
 * feed.c - RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents into struct feed.
 *
 * One pass over libxml2's streaming reader.  Like sfeed, elements are looked
 * up by (namespace, local name) in a sorted table that yields a tag, and a
 * second table says which output field a tag feeds, so "pubDate",
 * "published" and "issued" all land in one field without if-chains.  Where
 * formats disagree in small ways we follow what feedparser does, because it
 * is the reading most feed authors test against.
 *
 * This file must never let libxml2 expand external entities or fetch
 * anything (no NOENT, no DTD loading, NONET), never lift libxml2's size
 * limits (no HUGE), and never print: errors go back through *err or
 * feed->warning.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlreader.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "feed-text.h"
#include "html.h"
#include "url.h"
#include "xmalloc.h"

#define MAX_DEPTH	256		/* libxml2 refuses deeper documents anyway */
#define MAX_ITEMS	20000
#define MAX_CATS	64
#define FIELD_MAX	((size_t)8 << 20)

enum ns { NS_OTHER, NS_FEED, NS_RDF, NS_DC, NS_DCTERMS, NS_CONTENT,
	  NS_ITUNES, NS_MEDIA, NS_XHTML };

enum tag {
	T_NONE, T_RSS, T_RDF, T_FEED, T_CHANNEL, T_ITEM, T_ENTRY, T_IMAGE,
	T_TEXTINPUT, T_SOURCE, T_AUTHOR, T_TITLE, T_LINK, T_ID, T_SUMMARY,
	T_DESCRIPTION, T_CONTENT, T_ENCODED, T_PUBLISHED, T_UPDATED, T_NAME,
	T_EMAIL, T_CATEGORY, T_KEYWORDS, T_ITUNES_CATEGORY, T_MEDIA_TITLE,
	T_BODY
};

enum field {
	F_NONE, F_TITLE, F_LINK, F_ID, F_SUMMARY, F_CONTENT, F_PUBLISHED,
	F_UPDATED, F_AUTHOR, F_NAME, F_EMAIL, F_CATEGORY, F_KEYWORDS
};

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
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/echo/", NS_FEED },
	{ "http://purl.org/net/rss1.1#", NS_FEED },
	{ "http://purl.org/pie/", NS_FEED },
	{ "http://purl.org/rss/1.0/", NS_FEED },
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
	{ NS_FEED, "author", T_AUTHOR },
	{ NS_FEED, "body", T_BODY },
	{ NS_FEED, "category", T_CATEGORY },
	{ NS_FEED, "channel", T_CHANNEL },
	{ NS_FEED, "content", T_CONTENT },
	{ NS_FEED, "description", T_DESCRIPTION },
	{ NS_FEED, "email", T_EMAIL },
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
	{ NS_MEDIA, "description", T_DESCRIPTION },
	{ NS_MEDIA, "keywords", T_KEYWORDS },
	{ NS_MEDIA, "title", T_MEDIA_TITLE },
	{ NS_XHTML, "body", T_BODY },
};

/* Tag to the field it feeds, and the kind its text has by default. */
static const struct {
	enum field	 field;
	enum kind	 kind;
} fieldmap[] = {
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
	int		 strip_depth;	/* the xhtml wrapper <div>, or -1 */
	int		 base64;
	struct buf	 text;		/* character data only */
	struct buf	 xml;		/* character data and re-serialized markup */
	char		*base;		/* base URI in effect at the element */
};

struct parser {
	xmlTextReaderPtr r;
	struct feed	*f;
	size_t		 itemcap;
	struct feed_item *item;		/* being read, or NULL */
	struct itemstate is;
	int		 atom;
	int		 root_seen;
	int		 author_depth;	/* inside an item's author, else -1 */
	struct capture	 c;
	enum tag	 tags[MAX_DEPTH];
	char		*bases[MAX_DEPTH];
	int		 xmlbase_seen;
	int		 utf8;		/* valid UTF-8 document: undo mojibake */	/* some xml:base attribute was given */
	char		*doc_base;
	char		*first_name;	/* of the first element */
	char		*first_error;
	int		 error_line;
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

static enum tag
tag_of(const char *uri, const char *name)
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

static char *
attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((char *)v);
	xmlFree(v);
	return s;
}

static char *
attr_ns(xmlTextReaderPtr r, const char *name, const char *uri)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)name,
	    (const xmlChar *)uri);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((char *)v);
	xmlFree(v);
	return s;
}

static void
on_error(void *arg, const char *msg, xmlParserSeverities sev,
    xmlTextReaderLocatorPtr loc)
{
	struct parser *p = arg;
	size_t n;

	(void)sev;
	if (p->first_error != NULL)
		return;
	n = strcspn(msg, "\n");
	p->first_error = xstrndup(msg, n);
	p->error_line = xmlTextReaderLocatorLineNumber(loc);
}

/* The base in effect at depth, or the document's. */
static const char *
base_at(struct parser *p, int depth)
{
	for (; depth >= 0; depth--) {
		if (depth < MAX_DEPTH && p->bases[depth] != NULL)
			return p->bases[depth];
	}
	return p->doc_base;
}

static void
push_base(struct parser *p, int depth)
{
	char *xb, *abs;

	if (depth >= MAX_DEPTH)
		return;
	free(p->bases[depth]);
	p->bases[depth] = NULL;
	if ((xb = attr_ns(p->r, "base", (const char *)XML_XML_NAMESPACE)) == NULL)
		return;
	p->xmlbase_seen = 1;
	abs = feed_resolve(base_at(p, depth - 1), xb);
	p->bases[depth] = abs ? abs : NULL;
	free(xb);
}

static void
pop_base(struct parser *p, int depth)
{
	if (depth >= 0 && depth < MAX_DEPTH) {
		free(p->bases[depth]);
		p->bases[depth] = NULL;
	}
}

static int
is_atom_ns(const char *uri)
{
	return uri != NULL && (strcasecmp(uri, "http://www.w3.org/2005/Atom") == 0 ||
	    strcasecmp(uri, "http://purl.org/atom/ns#") == 0);
}

/*
 * Decide the format from the feed's root element.  The first element may
 * be something else (an XHTML page wrapping an Atom feed occurs): then the
 * first rss, RDF or feed element met is the root.
 */
static void
root_element(struct parser *p, enum tag t, const char *name)
{
	const char *uri = (const char *)xmlTextReaderConstNamespaceUri(p->r);
	char *ver = NULL;

	if (p->first_name == NULL)
		p->first_name = xstrndup(name, 40);
	if (t != T_RSS && t != T_RDF && t != T_FEED)
		return;
	p->root_seen = 1;
	if (t != T_RDF)
		ver = attr(p->r, "version");
	if (t == T_RDF)
		p->f->format = xstrdup("rss10");
	else if (t == T_RSS && ver != NULL && strncmp(ver, "0.91", 4) == 0)
		p->f->format = xstrdup("rss091");
	else if (t == T_RSS && ver != NULL && strncmp(ver, "0.92", 4) == 0)
		p->f->format = xstrdup("rss092");
	else if (t == T_RSS)
		p->f->format = xstrdup("rss20");
	else if ((uri != NULL && strcasecmp(uri, "http://purl.org/atom/ns#") == 0) ||
	    (ver != NULL && strcmp(ver, "0.3") == 0))
		p->f->format = xstrdup("atom03");
	else
		p->f->format = xstrdup("atom10");
	p->atom = t == T_FEED;
	free(ver);
}

static char *
not_a_feed(struct parser *p)
{
	if (p->first_name != NULL && strcasecmp(p->first_name, "html") == 0)
		return xstrdup("not a feed: the document is an HTML page");
	if (p->first_name != NULL)
		return xasprintf("not a feed: the root element is <%s>",
		    p->first_name);
	if (p->first_error != NULL)
		return xasprintf("not XML: %s", p->first_error);
	return xstrdup("not a feed: empty document");
}

static struct feed_item *
item_begin(struct parser *p, int depth)
{
	struct feed *f = p->f;
	struct feed_item *it;
	char *about;

	if (f->nitems >= MAX_ITEMS)
		return NULL;
	if (f->nitems == p->itemcap) {
		p->itemcap = p->itemcap ? p->itemcap * 2 : 16;
		f->items = xreallocarray(f->items, p->itemcap, sizeof *it);
	}
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof *it);
	it->published = it->updated = DATE_NONE;
	memset(&p->is, 0, sizeof p->is);
	p->is.depth = depth;
	p->is.title_depth = p->is.summary_depth = -1;
	/* RSS 1.0 names an item by its rdf:about. */
	about = attr_ns(p->r, "about",
	    "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
	if (about != NULL) {
		it->id = feed_collapse(about);
		free(about);
	}
	return it;
}

static void
item_end(struct parser *p)
{
	struct feed_item *it = p->item;

	/* A permalink id is the link when there is no other. */
	if (it->link == NULL && p->is.permalink && it->id != NULL &&
	    url_is_http(it->id))
		it->link = xstrdup(it->id);
	free(p->is.author_name);
	free(p->is.author_email);
	free(p->is.cat_label);
	p->item = NULL;
}

static void
add_category(struct feed_item *it, const char *raw)
{
	char *c;
	size_t i;

	if (raw == NULL || (c = feed_collapse(raw)) == NULL)
		return;
	for (i = 0; i < it->ncategories; i++) {
		if (strcmp(it->categories[i], c) == 0) {
			free(c);
			return;
		}
	}
	if (it->ncategories >= MAX_CATS) {
		free(c);
		return;
	}
	it->categories = xreallocarray(it->categories, it->ncategories + 1,
	    sizeof *it->categories);
	it->categories[it->ncategories++] = c;
}

static void
add_keywords(struct feed_item *it, const char *s)
{
	const char *comma;
	char *one;

	while (*s != '\0') {
		comma = strchr(s, ',');
		if (comma == NULL)
			comma = s + strlen(s);
		one = xstrndup(s, (size_t)(comma - s));
		add_category(it, one);
		free(one);
		s = *comma ? comma + 1 : comma;
	}
}

/* The kind of an element's text from its type and mode attributes. */
static enum kind
kind_of(struct parser *p, enum tag t, int *base64)
{
	enum kind k = fieldmap[t].kind;
	char *type, *mode;

	*base64 = 0;
	type = attr(p->r, "type");
	mode = attr(p->r, "mode");
	if (type != NULL)
		k = feed_kind_of_type(type, k, base64);
	else if (k == K_GUESS && p->atom)
		k = K_TEXT;
	if (mode != NULL && strcmp(mode, "escaped") == 0)
		k = K_HTML;
	else if (mode != NULL && strcmp(mode, "base64") == 0)
		*base64 = 1;
	else if (mode != NULL && strcmp(mode, "xml") == 0)
		k = K_XHTML;
	free(type);
	free(mode);
	return k;
}

static void
link_element(struct parser *p, int depth, int in_item)
{
	char *href, *rel, *type, *abs;

	if ((href = attr(p->r, "href")) == NULL &&
	    (href = attr(p->r, "url")) == NULL &&
	    (href = attr(p->r, "uri")) == NULL)
		return;
	rel = attr(p->r, "rel");
	type = attr(p->r, "type");
	abs = feed_resolve(base_at(p, depth), href);
	if (abs == NULL)
		abs = feed_trim(href);
	if (rel != NULL && strcmp(rel, "self") == 0) {
		if (!in_item)
			xstrset(&p->f->self_link, abs);
	} else if ((rel == NULL || strcmp(rel, "alternate") == 0) &&
	    (type == NULL || feed_is_html_type(type))) {
		if (in_item)
			xstrset(&p->item->link, abs);
		else
			xstrset(&p->f->link, abs);
	}
	free(abs);
	free(href);
	free(rel);
	free(type);
}

static void
capture_begin(struct parser *p, enum tag t, int depth, int in_item)
{
	struct capture *c = &p->c;
	char *v;

	c->active = 1;
	c->depth = depth;
	c->tag = t;
	c->field = fieldmap[t].field;
	c->in_item = in_item;
	c->elems = 0;
	c->strip_depth = -1;
	c->kind = kind_of(p, t, &c->base64);
	buf_init(&c->text, FIELD_MAX);
	buf_init(&c->xml, FIELD_MAX);
	c->base = xstrdup_or_null(base_at(p, depth));
	if (t == T_ID && in_item) {
		v = attr(p->r, "isPermaLink");
		p->is.permalink = v == NULL || strcmp(v, "true") == 0;
		free(v);
	}
}

/* Attributes that carry a field's value outright (categories). */
static void
attr_fields(struct parser *p, enum tag t)
{
	char *v;

	if (t == T_ITUNES_CATEGORY) {
		v = attr(p->r, "text");
		add_category(p->item, v);
		free(v);
	} else if (t == T_CATEGORY) {
		/* Without a term, the text wins over the label. */
		free(p->is.cat_label);
		p->is.cat_label = NULL;
		if ((v = attr(p->r, "term")) == NULL || *v == '\0') {
			free(v);
			p->is.cat_label = attr(p->r, "label");
			return;
		}
		add_category(p->item, v);
		free(v);
	}
}

static void
serialize_start(struct parser *p, int depth, int empty)
{
	struct capture *c = &p->c;
	const char *name = (const char *)xmlTextReaderConstLocalName(p->r);
	const char *an;
	char *ev;

	c->elems++;
	if (c->kind == K_XHTML && depth == c->depth + 1 && c->elems == 1 &&
	    strcmp(name, "div") == 0 && !empty) {
		c->strip_depth = depth;
		return;
	}
	buf_printf(&c->xml, "<%s", name);
	while (xmlTextReaderMoveToNextAttribute(p->r) == 1) {
		an = (const char *)xmlTextReaderConstLocalName(p->r);
		if (xmlTextReaderIsNamespaceDecl(p->r) == 1)
			continue;
		ev = html_escape((const char *)xmlTextReaderConstValue(p->r));
		buf_printf(&c->xml, " %s=\"%s\"", an, ev);
		free(ev);
	}
	xmlTextReaderMoveToElement(p->r);
	buf_puts(&c->xml, empty ? " />" : ">");
}

static void
serialize_end(struct parser *p, int depth)
{
	struct capture *c = &p->c;

	if (depth == c->strip_depth) {
		c->strip_depth = -2;	/* only the first wrapper goes */
		return;
	}
	buf_printf(&c->xml, "</%s>",
	    (const char *)xmlTextReaderConstLocalName(p->r));
}

static void
capture_text(struct parser *p, const char *s)
{
	char *e;

	buf_puts(&p->c.text, s);
	e = html_escape(s);
	buf_puts(&p->c.xml, e);
	free(e);
}

/* An entity reference libxml2 could not resolve: HTML names are common. */
static void
capture_entity(struct parser *p)
{
	const char *name = (const char *)xmlTextReaderConstName(p->r);
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
	xmlEntityPtr ent = n ? (xmlEntityPtr)n->children : NULL;
	char u[8];

	/*
	 * A plain-text entity the document declares itself is used as is;
	 * nested references are not expanded, so no entity bomb can grow.
	 */
	if (ent != NULL && ent->type == XML_ENTITY_DECL &&
	    ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content != NULL &&
	    strpbrk((const char *)ent->content, "&<") == NULL) {
		capture_text(p, (const char *)ent->content);
		return;
	}
	if (e == NULL)
		return;
	feed_utf8_put(u, e->value);
	capture_text(p, u);
}

static void store_field(struct parser *, char *, char *);

/* An Atom author: its children carry the name, not its text. */
static void
capture_drop(struct parser *p)
{
	buf_free(&p->c.text);
	buf_free(&p->c.xml);
	free(p->c.base);
	p->c.base = NULL;
	p->c.active = 0;
}

static void
capture_end(struct parser *p)
{
	struct capture *c = &p->c;
	char *text = buf_detach(&c->text);
	char *xml = buf_detach(&c->xml);
	char *fixed;

	c->active = 0;
	if (p->utf8) {
		feed_unmojibake(text);
		feed_unmojibake(xml);
	}
	if ((fixed = feed_map_c1(text)) != NULL) {
		free(text);
		text = fixed;
	}
	if ((fixed = feed_map_c1(xml)) != NULL) {
		free(xml);
		xml = fixed;
	}
	store_field(p, text, xml);
	free(text);
	free(xml);
	free(c->base);
	c->base = NULL;
}

static char *
markup_of(struct capture *c, char *text, char *xml)
{
	char *s, *t;

	if (c->base64 && (s = feed_base64(text)) != NULL) {
		/* Decoded bytes are shown as they are, markup included. */
		t = html_escape(s);
		free(s);
		return t;
	}
	switch (c->kind) {
	case K_TEXT:
		if (c->elems == 0)
			return html_escape(text);
		return xstrdup(xml);
	case K_XHTML:
		return xstrdup(xml);
	default:
		return xstrdup(c->elems ? xml : text);
	}
}

/* feedparser's elements an RSS title may hold and still count as HTML. */
static const char *html_names[] = {
	"a", "abbr", "acronym", "address", "area", "article", "aside", "audio",
	"b", "big", "blockquote", "br", "button", "canvas", "caption", "center",
	"cite", "code", "col", "colgroup", "command", "datagrid", "datalist",
	"dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
	"event-source", "fieldset", "figcaption", "figure", "font", "footer",
	"form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
	"input", "ins", "kbd", "keygen", "label", "legend", "li", "m", "map",
	"menu", "meter", "multicol", "nav", "nextid", "noscript", "ol",
	"optgroup", "option", "output", "p", "pre", "progress", "q", "s",
	"samp", "section", "select", "small", "sound", "source", "spacer",
	"span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
	"textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
	"var", "video",
};

static int
strpcmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

static size_t
word_len(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

/*
 * RSS titles are nominally plain text but often hold markup or entity
 * references: call it HTML when it has a close tag or a reference and every
 * tag and named reference is an ordinary HTML one.
 */
static int
looks_like_html(const char *s)
{
	const char *q;
	char name[32];
	size_t n;
	int marked = 0;

	for (q = s; (q = strpbrk(q, "<&")) != NULL; q++) {
		if (*q == '<') {
			n = word_len(q + 1 + (q[1] == '/'));
			if (n == 0)
				continue;
			if (n >= sizeof name)
				return 0;
			memcpy(name, q + 1 + (q[1] == '/'), n);
			name[n] = '\0';
			for (size_t i = 0; i < n; i++)
				name[i] = (char)tolower((unsigned char)name[i]);
			if (bsearch(name, html_names, sizeof html_names /
			    sizeof html_names[0], sizeof html_names[0],
			    strpcmp) == NULL)
				return 0;
			if (q[1] == '/' && q[2 + n] == '>')
				marked = 1;
		} else {
			n = word_len(q + 1 + (q[1] == '#'));
			if (n == 0 || q[1 + (q[1] == '#') + n] != ';')
				continue;
			marked = 1;
			if (q[1] == '#' || n >= sizeof name)
				continue;
			memcpy(name, q + 1, n);
			name[n] = '\0';
			if (htmlEntityLookup((const xmlChar *)name) == NULL)
				return 0;
		}
	}
	return marked;
}

static char *
title_of(struct capture *c, char *text, char *xml)
{
	char *html, *t;

	if (c->kind == K_TEXT && c->elems == 0 && !c->base64)
		return feed_collapse(text);
	if (c->kind == K_GUESS && !c->base64 && c->elems == 0 && !looks_like_html(text))
		return feed_collapse(text);
	html = markup_of(c, text, xml);
	t = html_to_text(html);
	free(html);
	if (*t == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

static void
store_feed_field(struct parser *p, char *text, char *xml)
{
	struct capture *c = &p->c;
	char *v;

	if (c->field == F_TITLE && p->f->title == NULL) {
		p->f->title = title_of(c, text, xml);
	} else if (c->field == F_LINK && c->tag == T_LINK) {
		if ((v = feed_resolve(c->base, text)) == NULL)
			v = feed_trim(text);
		if (v != NULL)
			xstrset(&p->f->link, v);
		free(v);
	}
}

static void
store_html(char **dst, struct capture *c, char *text, char *xml)
{
	char *html = markup_of(c, text, xml);

	free(*dst);
	*dst = html_sanitize(html, c->base);
	free(html);
}

static void
store_field(struct parser *p, char *text, char *xml)
{
	struct capture *c = &p->c;
	struct feed_item *it = p->item;
	char *v;

	if (!c->in_item) {
		store_feed_field(p, text, xml);
		return;
	}
	switch (c->field) {
	case F_TITLE:
		/* media:title only stands in when there is no title. */
		if (c->tag == T_MEDIA_TITLE) {
			if (it->title == NULL)
				it->title = title_of(c, text, xml);
			break;
		}
		if (p->is.title_depth != -1 && p->is.title_depth <= c->depth)
			break;
		if ((v = title_of(c, text, xml)) != NULL) {
			free(it->title);
			it->title = v;
			p->is.title_depth = c->depth;
		}
		break;
	case F_LINK:
		if ((v = feed_resolve(c->base, text)) == NULL)
			v = feed_trim(text);
		if (v != NULL) {
			free(it->link);
			it->link = v;
		}
		break;
	case F_ID:
		if ((v = feed_trim(text)) == NULL)
			break;
		free(it->id);
		/* feedparser resolves a relative permalink against xml:base. */
		it->id = v;
		if (p->xmlbase_seen && p->is.permalink && c->base != NULL &&
		    (v = feed_resolve(c->base, it->id)) != NULL) {
			free(it->id);
			it->id = v;
		}
		break;
	case F_SUMMARY:
		if (p->is.summary_depth != -1 && c->depth > p->is.summary_depth)
			break;
		if ((v = feed_trim(text)) == NULL && c->elems == 0)
			break;
		free(v);
		p->is.summary_depth = c->depth;
		store_html(&it->summary_html, c, text, xml);
		break;
	case F_CONTENT:
		if (it->content_html == NULL)
			store_html(&it->content_html, c, text, xml);
		break;
	case F_PUBLISHED:
		if ((v = feed_trim(text)) != NULL)
			it->published = date_parse(v);
		free(v);
		break;
	case F_UPDATED:
		if ((v = feed_trim(text)) != NULL)
			it->updated = date_parse(v);
		free(v);
		break;
	case F_AUTHOR:
		feed_author_text(it, text);
		break;
	case F_NAME:
		if ((v = feed_collapse(text)) != NULL)
			xstrset(&p->is.author_name, v);
		free(v);
		break;
	case F_EMAIL:
		if ((v = feed_collapse(text)) != NULL)
			xstrset(&p->is.author_email, v);
		free(v);
		break;
	case F_CATEGORY:
		if ((v = feed_collapse(text)) == NULL)
			add_category(it, p->is.cat_label);
		else
			add_category(it, v);
		free(v);
		free(p->is.cat_label);
		p->is.cat_label = NULL;
		break;
	case F_KEYWORDS:
		add_keywords(it, text);
		break;
	default:
		break;
	}
}

/* Atom's <author><name/><email/></author> overrides the author's text. */
static void
author_end(struct parser *p)
{
	struct feed_item *it = p->item;

	if (p->is.author_name != NULL || p->is.author_email != NULL) {
		xstrset(&it->author, p->is.author_name ? p->is.author_name :
		    p->is.author_email);
		if (p->is.author_email != NULL)
			xstrset(&it->author_email, p->is.author_email);
	}
	free(p->is.author_name);
	free(p->is.author_email);
	p->is.author_name = p->is.author_email = NULL;
	p->author_depth = -1;
}

/* Whether an element at depth belongs to the item or to the feed. */
static int
context_of(struct parser *p, enum tag t, int depth, int *in_item)
{
	int i;

	*in_item = p->item != NULL;
	for (i = depth - 1; i >= 0 && i < MAX_DEPTH; i--) {
		if (p->tags[i] == T_SOURCE || p->tags[i] == T_IMAGE ||
		    p->tags[i] == T_TEXTINPUT)
			return 0;
		if (p->tags[i] == T_ITEM || p->tags[i] == T_ENTRY)
			break;
	}
	if (t == T_NAME || t == T_EMAIL)
		return *in_item && p->author_depth >= 0;
	if (*in_item)
		return 1;
	/* Feed fields: direct children of channel or of the Atom root. */
	return depth >= 1 && depth - 1 < MAX_DEPTH &&
	    (p->tags[depth - 1] == T_CHANNEL || p->tags[depth - 1] == T_FEED) &&
	    (t == T_TITLE || t == T_LINK);
}

static void
start_element(struct parser *p, int depth, int empty)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(p->r);
	const char *uri = (const char *)xmlTextReaderConstNamespaceUri(p->r);
	enum tag t;
	int in_item;

	push_base(p, depth);
	if (p->c.active && p->c.field == F_AUTHOR)
		capture_drop(p);
	if (p->c.active) {
		serialize_start(p, depth, empty);
		return;
	}
	t = tag_of(uri, name);
	/* Atom elements in RSS keep their meaning; RSS names in Atom too. */
	if (depth < MAX_DEPTH)
		p->tags[depth] = t;
	if (!p->root_seen) {
		root_element(p, t, name);
		return;
	}
	if ((t == T_ITEM || t == T_ENTRY) && p->item == NULL) {
		p->item = item_begin(p, depth);
		if (p->item != NULL && empty)
			item_end(p);
		return;
	}
	if (t == T_NONE || fieldmap[t].field == F_NONE ||
	    !context_of(p, t, depth, &in_item))
		return;
	if (t == T_LINK && (is_atom_ns(uri) || xmlTextReaderHasAttributes(p->r) == 1)) {
		link_element(p, depth, in_item);
		if (empty)
			return;
	}
	if (in_item)
		attr_fields(p, t);
	if (t == T_ITUNES_CATEGORY)
		return;
	if (t == T_AUTHOR && in_item && p->author_depth < 0)
		p->author_depth = depth;
	if (!empty)
		capture_begin(p, t, depth, in_item);
	else if (t == T_AUTHOR && in_item)
		author_end(p);
	else if (t == T_CATEGORY && in_item && p->is.cat_label != NULL) {
		add_category(p->item, p->is.cat_label);
		free(p->is.cat_label);
		p->is.cat_label = NULL;
	}
}

static void
end_element(struct parser *p, int depth)
{
	if (p->c.active && depth > p->c.depth)
		serialize_end(p, depth);
	else if (p->c.active && depth == p->c.depth)
		capture_end(p);
	if (p->author_depth == depth && p->item != NULL)
		author_end(p);
	if (p->item != NULL && depth == p->is.depth)
		item_end(p);
	pop_base(p, depth);
}

/*
 * Feed every node to the handlers.  Returns 0 at the end of the document,
 * -1 when the reader gave up (the streaming reader stops at the first
 * well-formedness error even in recovery mode).
 */
static int
read_all(struct parser *p)
{
	int depth, type, empty, rc;
	void *empty_node = NULL;

	while ((rc = xmlTextReaderRead(p->r)) == 1) {
		type = xmlTextReaderNodeType(p->r);
		depth = xmlTextReaderDepth(p->r);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			empty = xmlTextReaderIsEmptyElement(p->r) == 1;
			start_element(p, depth, empty);
			if (empty)
				end_element(p, depth);
			empty_node = empty ? xmlTextReaderCurrentNode(p->r) : NULL;
			continue;
		case XML_READER_TYPE_END_ELEMENT:
			/* A walker over a tree ends childless elements twice. */
			if (empty_node == NULL ||
			    empty_node != xmlTextReaderCurrentNode(p->r))
				end_element(p, depth);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (p->c.active)
				capture_text(p,
				    (const char *)xmlTextReaderConstValue(p->r));
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
			if (p->c.active)
				capture_entity(p);
			break;
		default:
			break;
		}
		empty_node = NULL;
	}
	return rc == 0 ? 0 : -1;
}

/*
 * Relative links still unresolved (no document URL, no xml:base) resolve
 * against the feed's own link, then its self link, and only a few schemes
 * survive: a javascript: or data: link must never reach a digest.
 */
static void
finish_links(struct feed *f)
{
	size_t i;

	feed_fix_link(&f->self_link, NULL, NULL);
	feed_fix_link(&f->link, f->self_link, NULL);
	for (i = 0; i < f->nitems; i++)
		feed_fix_link(&f->items[i].link, f->link, f->self_link);
}

static void
parser_free_reader(struct parser *p)
{
	if (p->r != NULL)
		xmlFreeTextReader(p->r);
	p->r = NULL;
}

static void
parser_free(struct parser *p)
{
	int i;

	if (p->c.active) {
		buf_free(&p->c.text);
		buf_free(&p->c.xml);
		free(p->c.base);
	}
	if (p->item != NULL)
		item_end(p);
	for (i = 0; i < MAX_DEPTH; i++)
		free(p->bases[i]);
	free(p->first_error);
	free(p->first_name);
	free(p->doc_base);
	parser_free_reader(p);
}

static void
parser_init(struct parser *p, int utf8, const char *base_url)
{
	memset(p, 0, sizeof *p);
	p->author_depth = -1;
	p->utf8 = utf8;
	p->doc_base = xstrdup_or_null(base_url);
	p->f = xcalloc(1, sizeof *p->f);
}

/* libxml2 reports some encoding errors through its global handler. */
static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * The document again as a tree, which libxml2's recovery mode reads past
 * errors the streaming reader stops at, walked with the same reader API.
 * The tree costs memory, so only broken documents take this path.
 */
static void
reparse_as_tree(struct parser *p, const char *data, size_t len,
    const char *encoding, int opts)
{
	char *first = p->first_error;
	int line = p->error_line, utf8 = p->utf8;
	char *base = xstrdup_or_null(p->doc_base);
	xmlDocPtr doc;

	p->first_error = NULL;
	feed_free(p->f);
	parser_free(p);
	parser_init(p, utf8, base);
	free(base);
	p->first_error = first;
	p->error_line = line;
	if ((doc = xmlReadMemory(data, (int)len, NULL, encoding, opts)) == NULL)
		return;
	if ((p->r = xmlReaderWalker(doc)) != NULL)
		read_all(p);
	parser_free_reader(p);
	xmlFreeDoc(doc);
}

static struct feed *
parse_doc(const char *data, size_t len, const char *encoding, int utf8,
    const char *base_url, char **err)
{
	struct parser p;
	struct feed *f;
	int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING;
	xmlGenericErrorFunc old = xmlGenericError;
	void *oldctx = xmlGenericErrorContext;

	parser_init(&p, utf8, base_url);
	xmlSetGenericErrorFunc(NULL, silent);
	p.r = xmlReaderForMemory(data, (int)len, NULL, encoding, opts);
	if (p.r != NULL) {
		xmlTextReaderSetErrorHandler(p.r, on_error, &p);
		if (read_all(&p) == -1 && p.first_error != NULL)
			reparse_as_tree(&p, data, len, encoding, opts);
	}
	xmlSetGenericErrorFunc(oldctx, old);
	f = p.f;
	if (!p.root_seen) {
		*err = not_a_feed(&p);
		goto fail;
	}
	if (p.first_error != NULL)
		f->warning = xasprintf("XML error at line %d: %s",
		    p.error_line, p.first_error);
	parser_free(&p);
	finish_links(f);
	return f;
fail:
	parser_free(&p);
	feed_free(f);
	return NULL;
}

/* The first of chars in [p, end), or NULL. */
static const char *
strpbrk_n(const char *p, const char *end, const char *chars)
{
	for (; p < end; p++) {
		if (strchr(chars, *p) != NULL && *p != '\0')
			return p;
	}
	return NULL;
}

/* Where needle starts in [p, end), or NULL. */
static const char *
find_n(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; (size_t)(end - p) >= n; p++) {
		if (*p == *needle && memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

static int
xml_predefined(const char *name, size_t n)
{
	static const char *names[] = { "amp", "lt", "gt", "quot", "apos" };
	size_t i;

	for (i = 0; i < 5; i++) {
		if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
			return 1;
	}
	return 0;
}

/* Length of a well-formed character reference at p ("&#38;", "&#x26;"). */
static size_t
char_ref_len(const char *p, const char *end)
{
	const char *q = p + 2;

	if (end - p < 4 || p[1] != '#')
		return 0;
	if (*q == 'x' || *q == 'X') {
		for (q++; q < end && isxdigit((unsigned char)*q); q++)
			;
		if (q == p + 3)
			return 0;
	} else {
		for (; q < end && isdigit((unsigned char)*q); q++)
			;
		if (q == p + 2)
			return 0;
	}
	return q < end && *q == ';' ? (size_t)(q - p + 1) : 0;
}

/* One "&..." at amp into b; returns the bytes consumed. */
static size_t
fix_reference(struct buf *b, const char *amp, const char *end, int *changed)
{
	const htmlEntityDesc *e;
	const char *q;
	char name[32];
	size_t n;

	if ((n = char_ref_len(amp, end)) != 0) {
		buf_append(b, amp, n);
		if (amp[2] == 'X') {	/* XML wants a lower-case x */
			b->data[b->len - n + 2] = 'x';
			*changed = 1;
		}
		return n;
	}
	for (q = amp + 1; q < end && isalnum((unsigned char)*q); q++)
		;
	n = (size_t)(q - amp - 1);
	if (q < end && *q == ';' && n > 0 && n < sizeof name) {
		memcpy(name, amp + 1, n);
		name[n] = '\0';
		if (xml_predefined(name, n)) {
			buf_append(b, amp, n + 2);
			return n + 2;
		}
		if ((e = htmlEntityLookup((const xmlChar *)name)) != NULL) {
			buf_printf(b, "&#%u;", e->value);
			*changed = 1;
			return n + 2;
		}
	}
	/* A bare ampersand or an unknown name: the author meant the text. */
	buf_puts(b, "&amp;");
	*changed = 1;
	return 1;
}

/*
 * HTML named references (&nbsp;, &copy;), bare ampersands ("Q&A") and
 * "&#X41;" are errors in XML, and one error makes libxml2's reader give up
 * on the rest of the document.  Feeds are full of them, so rewrite them
 * first: names as numeric references, the rest as "&amp;".  CDATA sections
 * are copied untouched, and documents that declare entities of their own
 * are left alone.  Returns NULL when nothing changed.
 */
static char *
fix_references(const char *data, size_t len, size_t *outlen)
{
	const char *p = data, *end = data + len, *q, *cdend;
	struct buf b;
	int changed = 0;

	for (q = data; (q = memchr(q, '<', (size_t)(end - q))) != NULL; q++) {
		if ((size_t)(end - q) >= 8 && memcmp(q, "<!ENTITY", 8) == 0)
			return NULL;
	}
	buf_init(&b, len * 2 + 16);
	while ((q = strpbrk_n(p, end, "&<")) != NULL) {
		buf_append(&b, p, (size_t)(q - p));
		if (*q == '&') {
			p = q + fix_reference(&b, q, end, &changed);
			continue;
		}
		cdend = NULL;
		if ((size_t)(end - q) >= 9 && memcmp(q, "<![CDATA[", 9) == 0)
			cdend = find_n(q, end, "]]>");
		else if ((size_t)(end - q) >= 4 && memcmp(q, "<!--", 4) == 0)
			cdend = find_n(q, end, "-->");
		if (cdend == NULL) {
			buf_putc(&b, '<');
			p = q + 1;
			continue;
		}
		buf_append(&b, q, (size_t)(cdend + 3 - q));
		p = cdend + 3;
	}
	if (!changed) {
		buf_free(&b);
		return NULL;
	}
	buf_append(&b, p, (size_t)(end - p));
	*outlen = b.len;
	return buf_detach(&b);
}

struct feed *
feed_parse(const char *data, size_t len, const char *base_url,
    const char *http_charset, char **err)
{
	struct feed *f;
	const char *enc = NULL;
	char *clean, *fixed = NULL, *ents;
	size_t skip;
	int utf8;

	*err = NULL;
	skip = feed_skip_space(data, len);
	data += skip;
	len -= skip;
	if (len == 0) {
		*err = xstrdup("not a feed: empty document");
		return NULL;
	}
	if (len > (size_t)0x7fffffff) {
		*err = xstrdup("not a feed: document too large");
		return NULL;
	}
	if (feed_sniff_html(data, len)) {
		*err = xstrdup("not a feed: the document is an HTML page");
		return NULL;
	}
	if ((clean = feed_strip_controls(data, len, &len)) != NULL)
		data = clean;
	if (feed_needs_repair(data, len, http_charset, &enc, &utf8)) {
		fixed = feed_repair_utf8(data, len, &len);
		data = fixed;
		enc = "UTF-8";
	}
	if ((ents = fix_references(data, len, &len)) != NULL)
		data = ents;
	f = parse_doc(data, len, enc, utf8, base_url, err);
	free(clean);
	free(fixed);
	free(ents);
	return f;
}

void
feed_free(struct feed *f)
{
	size_t i, j;
	struct feed_item *it;

	if (f == NULL)
		return;
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		free(it->title);
		free(it->link);
		free(it->id);
		free(it->author);
		free(it->author_email);
		for (j = 0; j < it->ncategories; j++)
			free(it->categories[j]);
		free(it->categories);
		free(it->summary_html);
		free(it->content_html);
	}
	free(f->items);
	free(f->format);
	free(f->title);
	free(f->link);
	free(f->self_link);
	free(f->warning);
	free(f);
}

const char *
feed_item_key(const struct feed_item *it)
{
	if (it->id != NULL && *it->id != '\0')
		return it->id;
	if (it->link != NULL && *it->link != '\0')
		return it->link;
	return NULL;
}
