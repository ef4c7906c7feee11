/*
 * feed-attr.c - attribute values and entity references for the feed
 * parser (feed.c), with a budget on expansion.
 *
 * libxml2 expands every entity reference in an attribute when asked for
 * its value, and its amplification limits do not see expansions we do
 * ourselves: so values are built here from the nodes, and all the entity
 * text of one document stays within one budget.  Never expands a nested
 * reference or markup, never reads anything outside the document.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlreader.h>

#include "feed-int.h"
#include "xmalloc.h"

/*
 * Entity text a document may have expanded, all references together: its
 * own size, but at least ENTITY_MIN and at most ENTITY_MAX.  One 10 KB
 * entity used 5,000 times would otherwise make 50 MB out of 40 KB, and
 * libxml2's amplification limits do not see expansions done here.
 */
#define ENTITY_MIN	((size_t)64 << 10)
#define ENTITY_MAX	((size_t)4 << 20)

size_t
feed_entity_budget(size_t len)
{
	return len < ENTITY_MIN ? ENTITY_MIN : len > ENTITY_MAX ? ENTITY_MAX : len;
}

/*
 * The text of the entity reference node n into u (8 bytes) or as a
 * pointer into the document, or NULL.  A plain-text entity the document
 * declares itself is used as is, within the budget; nested references
 * and markup are never expanded, so no entity bomb can grow.  Any other
 * name may be one of HTML's (&nbsp;).
 */
const char *
feed_entity_text(struct parser *p, xmlNodePtr n, char *u)
{
	xmlEntityPtr ent = n ? (xmlEntityPtr)n->children : NULL;
	const htmlEntityDesc *e;
	size_t len;

	if (ent != NULL && ent->type == XML_ENTITY_DECL &&
	    ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content != NULL &&
	    strpbrk((const char *)ent->content, "&<") == NULL) {
		len = strlen((const char *)ent->content);
		if (len > p->entity_left) {
			p->entity_capped = 1;
			return NULL;
		}
		p->entity_left -= len;
		return (const char *)ent->content;
	}
	if (n == NULL || (e = htmlEntityLookup(n->name)) == NULL)
		return NULL;
	feed_utf8_put(u, e->value);
	return u;
}

/*
 * An attribute's value.  Not libxml2's reading of it, which would expand
 * every entity reference in it without limit.
 */
char *
feed_attr_value(struct parser *p, xmlAttrPtr a)
{
	xmlNodePtr c;
	struct buf b;
	const char *t;
	char u[8];

	if (a->type == XML_ATTRIBUTE_DECL)	/* a default from the DTD */
		return xstrdup_or_null(
		    (const char *)((xmlAttributePtr)a)->defaultValue);
	buf_init(&b, FIELD_MAX);
	for (c = a->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content != NULL)
			buf_puts(&b, (const char *)c->content);
		else if (c->type == XML_ENTITY_REF_NODE &&
		    (t = feed_entity_text(p, c, u)) != NULL)
			buf_puts(&b, t);
	}
	return buf_detach(&b);
}

/* The current element's attribute name in namespace uri (NULL: none). */
char *
feed_attr_ns(struct parser *p, const char *name, const char *uri)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
	xmlAttrPtr a;

	if (n == NULL || n->type != XML_ELEMENT_NODE ||
	    (a = xmlHasNsProp(n, (const xmlChar *)name,
	    (const xmlChar *)uri)) == NULL)
		return NULL;
	return feed_attr_value(p, a);
}

char *
feed_attr(struct parser *p, const char *name)
{
	return feed_attr_ns(p, name, NULL);
}

/* An attribute by name whatever its case (CDF writes them upper-case). */
char *
feed_attr_nocase(struct parser *p, const char *name)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
	xmlAttrPtr a;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = n->properties; a != NULL; a = a->next) {
		if (strcasecmp((const char *)a->name, name) == 0)
			return feed_attr_value(p, a);
	}
	return NULL;
}
