/* fuzz-html.c - libFuzzer target: any fragment through the sanitizer,
 * the text extractor and the excerpt cutter. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *clean, *text, *ex;

	memcpy(s, data, size);
	s[size] = '\0';
	clean = html_sanitize(s, "https://example.org/a/b.html");
	text = html_to_text(clean);
	ex = text_excerpt(text, 12);
	/* Code in the output is a sanitizer bug; the word "javascript:" in
	 * plain text is not. */
	if (strcasestr(clean, "<script") || strcasestr(clean, "=\"javascript:") ||
	    strcasestr(clean, "=\"vbscript:") || strcasestr(clean, " onerror="))
		abort();
	free(ex);
	free(text);
	free(clean);
	free(s);
	return 0;
}
