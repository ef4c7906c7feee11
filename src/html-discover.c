/*
 * html-discover.c - the feed a web page announces, for `gazette feed add`
 * given a page instead of a feed.
 *
 * Part of the html module (libxml2's HTML parser stays behind html*.c).
 * Reads <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">
 * (the last is JSON Feed's) the way browsers and feed readers do.  Never
 * fetches (HTML_PARSE_NONET, no DTD), prints or exits.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html.h"
#include "url.h"
#include "xmalloc.h"

/* 1 when the space-separated list holds word, in any case. */
static int
has_token(const char *list, const char *word)
{
	size_t n = strlen(word), len;
	const char *p = list;

	while (p && *p) {
		p += strspn(p, " \t\r\n\f");
		len = strcspn(p, " \t\r\n\f");
		if (len == n && strncasecmp(p, word, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* An RSS, Atom or JSON Feed media type, parameters allowed. */
static int
is_feed_type(const char *type)
{
	static const char *const types[] = { "application/rss+xml",
	    "application/atom+xml", "application/feed+json" };
	size_t i, n;

	type += strspn(type, " \t");
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		n = strlen(types[i]);
		if (strncasecmp(type, types[i], n) == 0 &&
		    strchr("; \t", type[n]) != NULL)
			return 1;
	}
	return 0;
}

static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

struct found {
	char	*base;	/* <base href>, else NULL */
	char	*href;	/* the first feed link, else NULL */
};

static void
visit(xmlNodePtr n, struct found *f)
{
	char *rel, *type;

	for (; n != NULL && f->href == NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcasecmp((const char *)n->name, "base") == 0 &&
		    f->base == NULL)
			f->base = prop(n, "href");
		else if (strcasecmp((const char *)n->name, "link") == 0) {
			rel = prop(n, "rel");
			type = prop(n, "type");
			if (rel && type && has_token(rel, "alternate") &&
			    is_feed_type(type))
				f->href = prop(n, "href");
			free(rel);
			free(type);
		}
		visit(n->children, f);
	}
}

char *
html_feed_link(const char *page, size_t len, const char *page_url)
{
	int opts = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_RECOVER;
	struct found f = { NULL, NULL };
	char *base = NULL, *url = NULL, *trimmed;
	htmlDocPtr d;

	if (len > (size_t)0x7fffffff)
		return NULL;
	if ((d = htmlReadMemory(page, (int)len, page_url, NULL, opts)) == NULL)
		return NULL;
	visit(xmlDocGetRootElement(d), &f);
	xmlFreeDoc(d);
	if (f.href != NULL) {
		base = f.base ? url_resolve(page_url, f.base) : NULL;
		trimmed = url_trim(f.href);
		url = url_resolve(base ? base : page_url, trimmed);
		free(trimmed);
	}
	if (url != NULL && !url_is_http(url)) {
		free(url);
		url = NULL;
	}
	free(base);
	free(f.base);
	free(f.href);
	return url;
}
