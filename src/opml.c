/*
 * opml.c - OPML subscription lists (1.0, 2.0) read into struct opml and
 * written back out as OPML 2.0.
 *
 * The whole document is small, so it is read as a tree (line numbers for
 * every refusal come from the nodes).  Unlike the feed parser this reader
 * is strict: an import changes the database, so a broken list is refused
 * rather than guessed at.  It must never fetch anything (NONET, no DTD
 * loading), never expand an entity (a DOCTYPE is refused outright, so none
 * can even be declared), never lift libxml2's size limits, and never print.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "date.h"
#include "opml.h"
#include "url.h"
#include "xmalloc.h"

#define MAX_FEEDS	100000
#define MAX_TOPICS	10000
#define SLUG_MAX	64
#define URL_MAX		2048

struct reader {
	struct opml	*o;
	size_t		*folders;	/* topics of the enclosing folders */
	size_t		 nfolders;
	char		*err;
	long		 line;
	int		 doctype;	/* a DOCTYPE was seen: refused */
};

static int
fail(struct reader *r, xmlNodePtr n, char *msg)
{
	if (r->err == NULL) {
		r->err = msg;
		r->line = n ? xmlGetLineNo(n) : 0;
	} else
		free(msg);
	return -1;
}

/* ---------------------------------------------------------------- build */

struct opml *
opml_new(const char *title)
{
	struct opml *o = xcalloc(1, sizeof *o);

	o->title = title ? xstrdup(title) : NULL;
	return o;
}

size_t
opml_topic(struct opml *o, const char *slug, const char *name)
{
	size_t i;

	for (i = 0; i < o->ntopics; i++)
		if (strcmp(o->topics[i].slug, slug) == 0)
			return i;
	o->topics = xreallocarray(o->topics, o->ntopics + 1,
	    sizeof *o->topics);
	o->topics[i].slug = xstrdup(slug);
	o->topics[i].name = xstrdup(name);
	o->ntopics++;
	return i;
}

static size_t
url_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot for url in the open-addressed table: its feed or an empty one. */
static size_t *
url_slot(const struct opml *o, const char *url)
{
	size_t i = url_hash(url) & (o->by_url_cap - 1);

	while (o->by_url[i] != 0 &&
	    strcmp(o->feeds[o->by_url[i] - 1].url, url) != 0)
		i = (i + 1) & (o->by_url_cap - 1);
	return &o->by_url[i];
}

/* Keep the table at most half full, so that lookups stay short. */
static void
url_grow(struct opml *o)
{
	size_t i;

	if (2 * (o->nfeeds + 1) <= o->by_url_cap)
		return;
	free(o->by_url);
	o->by_url_cap = o->by_url_cap ? 2 * o->by_url_cap : 64;
	o->by_url = xcalloc(o->by_url_cap, sizeof *o->by_url);
	for (i = 0; i < o->nfeeds; i++)
		*url_slot(o, o->feeds[i].url) = i + 1;
}

struct opml_feed *
opml_feed(struct opml *o, const char *url, const char *title,
    const char *html_url)
{
	struct opml_feed *f;
	size_t *slot;

	url_grow(o);
	slot = url_slot(o, url);
	if (*slot != 0)
		return &o->feeds[*slot - 1];
	o->feeds = xreallocarray(o->feeds, o->nfeeds + 1, sizeof *o->feeds);
	f = &o->feeds[o->nfeeds++];
	*slot = o->nfeeds;
	memset(f, 0, sizeof *f);
	f->url = xstrdup(url);
	f->title = title ? xstrdup(title) : NULL;
	f->html_url = html_url ? xstrdup(html_url) : NULL;
	return f;
}

void
opml_feed_topic(struct opml_feed *f, size_t topic)
{
	size_t i;

	for (i = 0; i < f->ntopics; i++)
		if (f->topics[i] == topic)
			return;
	f->topics = xreallocarray(f->topics, f->ntopics + 1,
	    sizeof *f->topics);
	f->topics[f->ntopics++] = topic;
}

void
opml_free(struct opml *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->ntopics; i++) {
		free(o->topics[i].slug);
		free(o->topics[i].name);
	}
	for (i = 0; i < o->nfeeds; i++) {
		free(o->feeds[i].url);
		free(o->feeds[i].title);
		free(o->feeds[i].html_url);
		free(o->feeds[i].topics);
	}
	free(o->topics);
	free(o->feeds);
	free(o->by_url);
	free(o->title);
	free(o);
}

char *
opml_slug(const char *name)
{
	char *s = xmalloc(SLUG_MAX + 1);
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p && n < SLUG_MAX; p++) {
		if (*p < 0x80 && isalnum(*p))
			s[n++] = (char)tolower(*p);
		else if (n > 0 && s[n - 1] != '-')
			s[n++] = '-';
	}
	while (n > 0 && s[n - 1] == '-')
		n--;
	if (n == 0) {
		free(s);
		return xstrdup("topic");
	}
	s[n] = '\0';
	return s;
}

/* A slug as given in an export (plain enough for topic add), or 0. */
static int
slug_is_plain(const char *s)
{
	const char *p;

	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return 0;
	for (p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-' && *p != '_')
			return 0;
	return p - s <= SLUG_MAX;
}

/* --------------------------------------------------------------- reading */

static int
is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* An attribute, space-trimmed, or NULL when absent or blank. */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s, *e, *out;

	if (v == NULL)
		return NULL;
	for (s = (char *)v; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	out = e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
	xmlFree(v);
	return out;
}

static int
add_topic(struct reader *r, xmlNodePtr n, const char *slug, const char *name,
    size_t *idx)
{
	if (r->o->ntopics >= MAX_TOPICS)
		return fail(r, n, xasprintf("more than %d topics", MAX_TOPICS));
	*idx = opml_topic(r->o, slug, name);
	return 0;
}

/* Each category ("/News/Tech, linux") names a topic: a path's last part. */
static int
add_categories(struct reader *r, xmlNodePtr n, struct opml_feed *f)
{
	char *cats = attr(n, "category"), *tok, *save = NULL, *name, *slash;
	size_t idx;
	int rc = 0;

	if (cats == NULL)
		return 0;
	for (tok = strtok_r(cats, ",", &save); tok && rc == 0;
	    tok = strtok_r(NULL, ",", &save)) {
		while ((slash = strrchr(tok, '/')) != NULL && slash[1] == '\0')
			*slash = '\0';
		name = (slash = strrchr(tok, '/')) ? slash + 1 : tok;
		while (isspace((unsigned char)*name))
			name++;
		slash = name + strlen(name);
		while (slash > name && isspace((unsigned char)slash[-1]))
			*--slash = '\0';
		if (*name == '\0')
			continue;
		slash = opml_slug(name);
		if ((rc = add_topic(r, n, slash, name, &idx)) == 0)
			opml_feed_topic(f, idx);
		free(slash);
	}
	free(cats);
	return rc;
}

static const char *
url_problem(const char *url)
{
	const char *p;

	if (strlen(url) > URL_MAX)
		return "is longer than 2048 bytes";
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return "has a space or a control character";
	if (!url_is_http(url))
		return "is not an http:// or https:// URL";
	return NULL;
}

static int
read_feed(struct reader *r, xmlNodePtr n, const char *url)
{
	char *title = attr(n, "title"), *html = attr(n, "htmlUrl");
	struct opml_feed *f;
	const char *why;
	size_t i;

	if (title == NULL)
		title = attr(n, "text");
	if (title != NULL && strcmp(title, url) == 0) {
		free(title);
		title = NULL;
	}
	if (html != NULL && url_problem(html) != NULL) {
		free(html);
		html = NULL;
	}
	if ((why = url_problem(url)) != NULL || r->o->nfeeds >= MAX_FEEDS) {
		free(title);
		free(html);
		return fail(r, n, why ? xasprintf("xmlUrl '%.200s' %s", url, why)
		    : xasprintf("more than %d feeds", MAX_FEEDS));
	}
	f = opml_feed(r->o, url, title, html);
	if (f->line == 0)
		f->line = xmlGetLineNo(n);
	free(title);
	free(html);
	for (i = 0; i < r->nfolders; i++)
		opml_feed_topic(f, r->folders[i]);
	return add_categories(r, n, f);
}

static int read_outlines(struct reader *, xmlNodePtr);

static int
has_outlines(xmlNodePtr n)
{
	for (n = n->children; n != NULL; n = n->next)
		if (is_elem(n, "outline"))
			return 1;
	return 0;
}

/* An outline without xmlUrl: a folder (its feeds get its topic), or a
 * note, skipped.  An empty folder counts when it carries its slug. */
static int
read_folder(struct reader *r, xmlNodePtr n)
{
	char *name = attr(n, "text"), *slug = attr(n, "slug"), *derived;
	size_t idx;
	int rc;

	if (name == NULL)
		name = attr(n, "title");
	if (!has_outlines(n) && slug == NULL) {
		free(name);
		return 0;
	}
	if (name == NULL)
		name = slug ? xstrdup(slug) : NULL;
	if (name == NULL) {
		free(slug);
		return fail(r, n, xstrdup("a folder outline has no text"));
	}
	derived = slug && slug_is_plain(slug) ? xstrdup(slug) : opml_slug(name);
	rc = add_topic(r, n, derived, name, &idx);
	free(derived);
	free(slug);
	free(name);
	if (rc == -1)
		return -1;
	r->folders = xreallocarray(r->folders, r->nfolders + 1,
	    sizeof *r->folders);
	r->folders[r->nfolders++] = idx;
	rc = read_outlines(r, n);
	r->nfolders--;
	return rc;
}

static int
read_outline(struct reader *r, xmlNodePtr n)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)"xmlUrl");
	char *url;
	int rc;

	if (raw == NULL)
		return read_folder(r, n);
	xmlFree(raw);
	if ((url = attr(n, "xmlUrl")) == NULL)
		return fail(r, n, xstrdup("an outline has an empty xmlUrl"));
	rc = read_feed(r, n, url);
	free(url);
	return rc == 0 ? read_outlines(r, n) : rc;
}

static int
read_outlines(struct reader *r, xmlNodePtr parent)
{
	xmlNodePtr n;

	for (n = parent->children; n != NULL; n = n->next)
		if (is_elem(n, "outline") && read_outline(r, n) == -1)
			return -1;
	return 0;
}

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (n = n->children; n != NULL; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

static int
read_doc(struct reader *r, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), head, body, t;
	xmlChar *title;

	if (root == NULL || !is_elem(root, "opml"))
		return fail(r, root, xasprintf("the root element is <%s>, not "
		    "<opml>", root ? (const char *)root->name : "nothing"));
	if ((body = child(root, "body")) == NULL)
		return fail(r, root, xstrdup("<opml> has no <body>"));
	if ((head = child(root, "head")) != NULL &&
	    (t = child(head, "title")) != NULL &&
	    (title = xmlNodeGetContent(t)) != NULL) {
		r->o->title = xstrdup((const char *)title);
		xmlFree(title);
	}
	return read_outlines(r, body);
}

/* A DOCTYPE could declare entities (a billion laughs) or name an external
 * DTD: OPML needs neither, so the parser stops right there. */
static void
refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	xmlParserCtxtPtr c = ctx;
	struct reader *r = c->_private;

	(void)name;
	(void)ext;
	(void)sys;
	if (!r->doctype) {
		r->doctype = 1;
		r->line = c->input ? c->input->line : 0;
	}
	xmlStopParser(c);
}

/* The first XML error, with its line; libxml2 ends messages with \n. */
static void
on_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr c = ctx;
	struct reader *r = c->_private;
	char *msg;
	size_t n;

	if (r->err != NULL || r->doctype || e == NULL || e->level < XML_ERR_ERROR)
		return;
	msg = xstrdup(e->message ? e->message : "not well-formed XML");
	n = strlen(msg);
	while (n > 0 && isspace((unsigned char)msg[n - 1]))
		msg[--n] = '\0';
	r->err = xasprintf("not valid XML: %s", msg);
	r->line = e->line;
	free(msg);
}

/* libxml2 reports encoding errors through its global handler, which
 * would print; feed.c silences it the same way. */
static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDocPtr
parse_xml(struct reader *r, const char *data, size_t len)
{
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES;
	xmlGenericErrorFunc old = xmlGenericError;
	void *oldctx = xmlGenericErrorContext;
	xmlParserCtxtPtr c = xmlNewParserCtxt();
	xmlDocPtr doc;

	if (c == NULL) {
		r->err = xstrdup("out of memory");
		return NULL;
	}
	c->_private = r;
	c->sax->internalSubset = refuse_doctype;
	c->sax->serror = on_error;
	xmlSetGenericErrorFunc(NULL, silent);
	doc = xmlCtxtReadMemory(c, data, (int)len, NULL, NULL, opts);
	xmlSetGenericErrorFunc(oldctx, old);
	if (doc != NULL && (r->doctype || r->err != NULL || !c->wellFormed)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (r->doctype) {
		free(r->err);
		r->err = xstrdup("a DOCTYPE is not allowed in OPML (it could "
		    "declare entities or load a DTD)");
	} else if (doc == NULL && r->err == NULL)
		r->err = xstrdup("not valid XML");
	xmlFreeParserCtxt(c);
	return doc;
}

struct opml *
opml_parse(const char *data, size_t len, long *line, char **err)
{
	struct reader r;
	xmlDocPtr doc;

	memset(&r, 0, sizeof r);
	*err = NULL;
	*line = 0;
	if (len == 0)
		*line = 1;
	if (len == 0 || len > (size_t)0x7fffffff) {
		*err = xstrdup(len ? "the document is too large"
		    : "the document is empty");
		return NULL;
	}
	r.o = opml_new(NULL);
	if ((doc = parse_xml(&r, data, len)) != NULL) {
		read_doc(&r, doc);
		xmlFreeDoc(doc);
	}
	free(r.folders);
	if (r.err != NULL) {
		*err = r.err;
		*line = r.line;
		opml_free(r.o);
		return NULL;
	}
	return r.o;
}

/* --------------------------------------------------------------- writing */

static void
write_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value != NULL && *value != '\0')
		xmlTextWriterWriteAttribute(w, (const xmlChar *)name,
		    (const xmlChar *)value);
}

/* text is required in OPML 2.0: the title, else the URL (an import takes
 * a text equal to the URL as no title). */
static void
write_feed(xmlTextWriterPtr w, const struct opml_feed *f)
{
	xmlTextWriterStartElement(w, (const xmlChar *)"outline");
	write_attr(w, "type", "rss");
	write_attr(w, "text", f->title ? f->title : f->url);
	write_attr(w, "title", f->title);
	write_attr(w, "xmlUrl", f->url);
	write_attr(w, "htmlUrl", f->html_url);
	xmlTextWriterEndElement(w);
}

static int
in_topic(const struct opml_feed *f, size_t topic)
{
	size_t i;

	for (i = 0; i < f->ntopics; i++)
		if (f->topics[i] == topic)
			return 1;
	return 0;
}

static void
write_body(xmlTextWriterPtr w, const struct opml *o)
{
	size_t i, j;

	xmlTextWriterStartElement(w, (const xmlChar *)"body");
	for (i = 0; i < o->ntopics; i++) {
		xmlTextWriterStartElement(w, (const xmlChar *)"outline");
		write_attr(w, "text", o->topics[i].name);
		write_attr(w, "title", o->topics[i].name);
		write_attr(w, "slug", o->topics[i].slug);
		for (j = 0; j < o->nfeeds; j++)
			if (in_topic(&o->feeds[j], i))
				write_feed(w, &o->feeds[j]);
		xmlTextWriterFullEndElement(w);
	}
	for (j = 0; j < o->nfeeds; j++)
		if (o->feeds[j].ntopics == 0)
			write_feed(w, &o->feeds[j]);
	xmlTextWriterEndElement(w);
}

char *
opml_write(const struct opml *o, int64_t now, size_t *len)
{
	xmlBufferPtr b = xmlBufferCreate();
	xmlTextWriterPtr w = b ? xmlNewTextWriterMemory(b, 0) : NULL;
	char date[64], *out;

	/* libxml2 fails here only when out of memory, like xmalloc. */
	if (w == NULL)
		abort();
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, (const xmlChar *)"opml");
	write_attr(w, "version", "2.0");
	xmlTextWriterStartElement(w, (const xmlChar *)"head");
	xmlTextWriterWriteElement(w, (const xmlChar *)"title",
	    (const xmlChar *)(o->title ? o->title : "gazette feeds"));
	xmlTextWriterWriteElement(w, (const xmlChar *)"dateCreated",
	    (const xmlChar *)date_rfc5322(now, date));
	xmlTextWriterEndElement(w);
	write_body(w, o);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	/* The writer leaves the last line open. */
	out = xasprintf("%s\n", (const char *)xmlBufferContent(b));
	*len = strlen(out);
	xmlBufferFree(b);
	return out;
}
