/* fuzz-html.c - libFuzzer target: any fragment through the sanitizer,
 * the text extractor and the excerpt cutter; the sanitized output is then
 * parsed again and must hold no element, attribute or URL that runs code. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "html.h"

static const char *const banned_elements[] = {
	"script", "style", "iframe", "frame", "object", "embed", "form",
	"base", "meta", "link", NULL
};

static const char *const url_attributes[] = {
	"href", "src", "cite", "action", "background", "poster", "longdesc",
	"formaction", "srcset", "data", NULL
};

static int
is_url_attribute(const xmlChar *name)
{
	int i;

	for (i = 0; url_attributes[i]; i++)
		if (!strcasecmp((const char *)name, url_attributes[i]))
			return 1;
	return 0;
}

static int
banned_url(const xmlChar *v)
{
	const char *s = (const char *)v;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return strncasecmp(s, "javascript:", 11) == 0 ||
	    strncasecmp(s, "vbscript:", 9) == 0 ||
	    strncasecmp(s, "data:text", 9) == 0;
}

static int
unsafe_node(xmlNodePtr n)
{
	xmlAttrPtr a;
	xmlChar *v;
	int i, bad;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; banned_elements[i]; i++)
			if (!strcasecmp((const char *)n->name, banned_elements[i]))
				return 1;
		for (a = n->properties; a; a = a->next) {
			if (!strncasecmp((const char *)a->name, "on", 2))
				return 1;
			if (!is_url_attribute(a->name))
				continue;
			v = xmlNodeGetContent((xmlNodePtr)a);
			bad = v && banned_url(v);
			xmlFree(v);
			if (bad)
				return 1;
		}
		if (unsafe_node(n->children))
			return 1;
	}
	return 0;
}

static int
unsafe(const char *html)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	int bad = doc && unsafe_node(xmlDocGetRootElement(doc));

	xmlFreeDoc(doc);
	return bad;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *clean, *text, *ex;

	memcpy(s, data, size);
	s[size] = '\0';
	clean = html_sanitize(s, "https://example.org/a/b.html");
	text = html_to_text(clean);
	ex = text_excerpt(text, 12, 80);
	if (unsafe(clean))
		abort();	/* the sanitizer let code through */
	free(ex);
	free(text);
	free(clean);
	free(s);
	return 0;
}
