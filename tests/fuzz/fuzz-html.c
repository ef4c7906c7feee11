/* fuzz-html.c - libFuzzer target: any fragment through the sanitizer,
 * the text extractor and the excerpt cutter. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/*
 * The serializer escapes < in text, so every < in the output opens a tag:
 * code can only hide inside one (a script tag, an event handler, a
 * javascript: URL, which the serializer writes as ="javascript:...).  The
 * same words in text, or inside an https URL, are harmless.
 */
static int
unsafe_tag(const char *html)
{
	const char *lt, *gt;
	char *tag;
	int bad;

	for (lt = strchr(html, '<'); lt; lt = strchr(gt, '<')) {
		if ((gt = strchr(lt, '>')) == NULL)
			gt = lt + strlen(lt);
		tag = strndup(lt, (size_t)(gt - lt));
		bad = strncasecmp(tag, "<script", 7) == 0 ||
		    strcasestr(tag, "=\"javascript:") ||
		    strcasestr(tag, "=\"vbscript:") || strcasestr(tag, "=\"data:text") ||
		    strcasestr(tag, " onerror=\"") || strcasestr(tag, " onclick=\"") ||
		    strcasestr(tag, " onload=\"");
		free(tag);
		if (bad)
			return 1;
		if (*gt == '\0')
			break;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *clean, *text, *ex;

	memcpy(s, data, size);
	s[size] = '\0';
	clean = html_sanitize(s, "https://example.org/a/b.html");
	text = html_to_text(clean);
	ex = text_excerpt(text, 12);
	if (unsafe_tag(clean))
		abort();	/* the sanitizer let code through */
	free(ex);
	free(text);
	free(clean);
	free(s);
	return 0;
}
