/*
 * feed.c - RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents into struct feed,
 * and the door for every format: JSON Feed goes on to feed-jsonfeed.c.
 *
 * One pass over libxml2's streaming reader.  Like sfeed, elements are looked
 * up by (namespace, local name) in a sorted table that yields a tag, and a
 * second table says which output field a tag feeds (feed-tags.c), so
 * "pubDate", "published" and "issued" land in one field without if-chains;
 * feed-fields.c stores what an element held.  Where
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

#include <libxml/xmlreader.h>

#include "cp1252.h"
#include "date.h"
#include "feed-int.h"
#include "feed-jsonfeed.h"
#include "html.h"
#include "url.h"
#include "xmalloc.h"

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
	if ((xb = feed_attr_ns(p, "base", (const char *)XML_XML_NAMESPACE)) == NULL)
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
	if (t != T_RSS && t != T_RDF && t != T_FEED && t != T_CHANNEL)
		return;
	p->root_seen = 1;
	if (t == T_RSS || t == T_FEED)
		ver = feed_attr(p, "version");
	if (t == T_CHANNEL) {
		p->f->format = xstrdup("cdf");
		p->cdf = 1;
	} else if (t == T_RDF)
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

/*
 * Microsoft's Channel Definition Format (1997) puts a channel's or item's
 * base, link and date in BASE, HREF and LASTMOD attributes.
 */
static void
cdf_attributes(struct parser *p, int depth, struct feed_item *it)
{
	char *v, *abs;

	if ((v = feed_attr_nocase(p, "base")) != NULL && depth < MAX_DEPTH) {
		free(p->bases[depth]);
		p->bases[depth] = feed_resolve(base_at(p, depth - 1), v);
		p->xmlbase_seen = 1;
	}
	free(v);
	if ((v = feed_attr_nocase(p, "href")) != NULL) {
		abs = feed_resolve(base_at(p, depth), v);
		xstrset(it ? &it->link : &p->f->link, abs ? abs : v);
		free(abs);
	}
	free(v);
	if (it != NULL && (v = feed_attr_nocase(p, "lastmod")) != NULL) {
		it->updated = date_parse(v);
		free(v);
	}
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
	struct feed_item *it;
	char *about;

	if ((it = feed_item_add(p->f, &p->itemcap)) == NULL)
		return NULL;
	memset(&p->is, 0, sizeof p->is);
	p->is.depth = depth;
	p->is.title_depth = p->is.summary_depth = -1;
	/* RSS 1.0 names an item by its rdf:about. */
	about = feed_attr_ns(p, "about",
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

/* The kind of an element's text from its type and mode attributes. */
static enum kind
kind_of(struct parser *p, enum tag t, int *base64)
{
	enum kind k = feed_tag_kind(t);
	char *type, *mode;

	*base64 = 0;
	type = feed_attr(p, "type");
	mode = feed_attr(p, "mode");
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

	if ((href = feed_attr(p, "href")) == NULL &&
	    (href = feed_attr(p, "url")) == NULL &&
	    (href = feed_attr(p, "uri")) == NULL)
		return;
	rel = feed_attr(p, "rel");
	type = feed_attr(p, "type");
	abs = feed_resolve(base_at(p, depth), href);
	if (abs == NULL)
		abs = feed_trim(href);
	if (rel != NULL && strcmp(rel, "self") == 0) {
		if (!in_item)
			xstrset(&p->f->self_link, abs);
	} else if (rel != NULL && strcmp(rel, "enclosure") == 0) {
		if (in_item && p->item->enclosure == NULL)
			p->item->enclosure = xstrdup_or_null(abs);
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

/* RSS <enclosure url>, <media:content url>: the first one is kept. */
static void
enclosure_element(struct parser *p, int depth)
{
	char *url;

	if (p->item->enclosure != NULL || (url = feed_attr(p, "url")) == NULL)
		return;
	/* Relative ones resolve later, against the feed's link. */
	if ((p->item->enclosure = feed_resolve(base_at(p, depth), url)) == NULL)
		p->item->enclosure = feed_trim(url);
	free(url);
}

static void
capture_begin(struct parser *p, enum tag t, int depth, int in_item)
{
	struct capture *c = &p->c;
	char *v;

	c->active = 1;
	c->depth = depth;
	c->tag = t;
	c->field = feed_tag_field(t);
	c->in_item = in_item;
	c->elems = 0;
	c->open = 0;
	c->strip_depth = -1;
	c->kind = kind_of(p, t, &c->base64);
	buf_init(&c->text, FIELD_MAX);
	buf_init(&c->xml, FIELD_MAX);
	c->xml_later = c->kind != K_XHTML;
	c->base = xstrdup_or_null(base_at(p, depth));
	if (t == T_ID && in_item) {
		v = feed_attr(p, "isPermaLink");
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
		v = feed_attr(p, "text");
		feed_add_category(p->item, v);
		free(v);
	} else if (t == T_CATEGORY) {
		/* Without a term, the text wins over the label. */
		free(p->is.cat_label);
		p->is.cat_label = NULL;
		if ((v = feed_attr(p, "term")) == NULL || *v == '\0') {
			free(v);
			p->is.cat_label = feed_attr(p, "label");
			return;
		}
		feed_add_category(p->item, v);
		free(v);
	}
}

/*
 * Only an XHTML value always needs its markup; text and HTML ones need it
 * only once they turn out to hold an element (markup_of in feed-fields.c),
 * and most never do.  Until then xml would be the text (HTML) or the text
 * escaped, so it is left unbuilt and made from the text when the first
 * element comes, or when the text grows past XML_LATER_MAX: then even
 * escaped (six bytes a byte at most) it stays well under the cap, and so
 * comes out as the appends piece by piece would have made it.
 */
#define XML_LATER_MAX	(FIELD_MAX / 8)

static void
xml_now(struct capture *c)
{
	if (!c->xml_later)
		return;
	c->xml_later = 0;
	if (c->kind == K_HTML)
		buf_append(&c->xml, buf_str(&c->text), c->text.len);
	else
		html_escape_into(&c->xml, buf_str(&c->text), c->text.len);
}

/* One attribute ' name="value"', whole or not at all, as one printf was. */
static void
serialize_attribute(struct parser *p, xmlAttrPtr a)
{
	struct buf *x = &p->c.xml;
	size_t was = x->len;
	char *v = feed_attr_value(p, a);

	if (buf_printf(x, " %s=\"", (const char *)a->name) != 0 ||
	    html_escape_into(x, v, strlen(v)) != 0 || buf_putc(x, '"') != 0)
		buf_truncate(x, was);
	free(v);
}

static void
serialize_start(struct parser *p, int depth, int empty)
{
	struct capture *c = &p->c;
	const char *name = (const char *)xmlTextReaderConstLocalName(p->r);
	xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
	xmlAttrPtr a;

	c->elems++;
	c->open++;
	xml_now(c);
	if (c->kind == K_XHTML && depth == c->depth + 1 && c->elems == 1 &&
	    strcmp(name, "div") == 0 && !empty) {
		c->strip_depth = depth;
		return;
	}
	buf_printf(&c->xml, "<%s", name);
	for (a = n ? n->properties : NULL; a != NULL; a = a->next)
		serialize_attribute(p, a);
	buf_puts(&c->xml, empty ? " />" : ">");
}

static void
serialize_end(struct parser *p, int depth)
{
	struct capture *c = &p->c;

	c->open--;
	xml_now(c);
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
	struct capture *c = &p->c;
	size_t n;

	/* A category is its own text: an <image> nested in it is not. */
	if (c->field == F_CATEGORY && c->open > 0)
		return;
	n = strlen(s);
	if (c->xml_later && c->text.len + n > XML_LATER_MAX)
		xml_now(c);
	buf_append(&c->text, s, n);
	if (c->xml_later)
		return;
	/*
	 * In an HTML-typed element the text is HTML source even beside
	 * literal elements (TypePad wraps escaped HTML in an XHTML <div>).
	 */
	if (c->kind == K_HTML)
		buf_append(&c->xml, s, n);
	else
		html_escape_into(&c->xml, s, n);
}

/* An entity reference libxml2 left to us. */
static void
capture_entity(struct parser *p)
{
	const char *t;
	char u[8];

	if ((t = feed_entity_text(p, xmlTextReaderCurrentNode(p->r), u)) != NULL)
		capture_text(p, t);
}

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

	c->active = 0;
	text = feed_fix_text(text, p->utf8);
	/* Left unbuilt, xml is never read (see xml_now): no need to fix it. */
	if (!c->xml_later)
		xml = feed_fix_text(xml, p->utf8);
	feed_store_field(p, text, xml);
	free(text);
	free(xml);
	free(c->base);
	c->base = NULL;
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
	t = feed_tag_of(uri, name);
	/* Atom elements in RSS keep their meaning; RSS names in Atom too. */
	if (depth < MAX_DEPTH)
		p->tags[depth] = t;
	if (!p->root_seen) {
		root_element(p, t, name);
		if (p->cdf)
			cdf_attributes(p, depth, NULL);
		return;
	}
	if ((t == T_ITEM || t == T_ENTRY) && p->item == NULL) {
		p->item = item_begin(p, depth);
		if (p->item != NULL && p->cdf)
			cdf_attributes(p, depth, p->item);
		if (p->item != NULL && empty)
			item_end(p);
		return;
	}
	if (t == T_ENCLOSURE && p->item != NULL &&
	    context_of(p, t, depth, &in_item))
		enclosure_element(p, depth);
	if (t == T_NONE || feed_tag_field(t) == F_NONE ||
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
		feed_author_end(p);
	else if (t == T_CATEGORY && in_item && p->is.cat_label != NULL) {
		feed_add_category(p->item, p->is.cat_label);
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
		feed_author_end(p);
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
	for (i = 0; i < f->nitems; i++) {
		feed_fix_link(&f->items[i].link, f->link, f->self_link);
		feed_fix_link(&f->items[i].enclosure, f->link, f->self_link);
	}
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
parser_init(struct parser *p, int utf8, const char *base_url, size_t len)
{
	memset(p, 0, sizeof *p);
	p->author_depth = -1;
	p->entity_left = feed_entity_budget(len);
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
	/* The parser's open item points into the feed: release it first. */
	parser_free(p);
	feed_free(p->f);
	parser_init(p, utf8, base, len);
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

/* Add msg (taken) to the feed's warnings. */
static void
add_warning(struct feed *f, char *msg)
{
	char *both;

	if (f->warning == NULL) {
		f->warning = msg;
		return;
	}
	both = xasprintf("%s; %s", f->warning, msg);
	free(f->warning);
	free(msg);
	f->warning = both;
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

	parser_init(&p, utf8, base_url, len);
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
	if (p.entity_capped)
		add_warning(f, xasprintf("entity references past %zu bytes of "
		    "expanded text were left out", feed_entity_budget(len)));
	parser_free(&p);
	finish_links(f);
	return f;
fail:
	parser_free(&p);
	feed_free(f);
	return NULL;
}

/*
 * libxml2 sets itself up at its first use, which is not safe when several
 * threads make that first use at once.
 */
void
feed_global_init(void)
{
	xmlInitParser();
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
	if (feed_sniff_json(data, len))
		return feed_jsonfeed_parse(data, len, base_url, err);
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
	if ((ents = feed_fix_references(data, len, &len)) != NULL)
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
		free(it->enclosure);
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
