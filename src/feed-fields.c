/*
 * feed-fields.c - captured element text into struct feed_item fields.
 *
 * Decides what a value means (text, HTML or XHTML; which of several
 * titles or summaries wins) and sanitizes every HTML value before it is
 * stored.  Never keeps markup that html_sanitize has not seen.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "date.h"
#include "feed-int.h"
#include "html.h"
#include "xmalloc.h"

/* feedparser's elements an RSS title may hold and still count as HTML. */
static const char *const html_names[] = {
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
		feed_add_category(it, one);
		free(one);
		s = *comma ? comma + 1 : comma;
	}
}

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
markup_of(struct capture *c, char *text, char *xml)
{
	char *s, *t;

	if (c->base64 && (s = feed_base64(text)) != NULL) {
		/* Decoded HTML is markup like any other (sanitized with it);
		 * other decoded bytes are shown as they are. */
		if (c->kind == K_HTML || c->kind == K_XHTML)
			return s;
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

void
feed_store_field(struct parser *p, char *text, char *xml)
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
		/* The first non-empty summary wins (description, summary,
		 * itunes:summary all claim the field); nested ones never. */
		if (p->is.summary_depth != -1 && c->depth >= p->is.summary_depth)
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
		/*
		 * The first author named in text is the item's: a dc:creator
		 * followed by an itunes:author repeating the show's name is
		 * common.  A structured Atom <author> still overrides it
		 * (feed_author_end), and of several the last one wins.
		 */
		if (it->author == NULL)
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
			feed_add_category(it, p->is.cat_label);
		else
			feed_add_category(it, v);
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

/* Atom's <author><name/><email/></author> overrides any author text. */
void
feed_author_end(struct parser *p)
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
