/* fuzz-htmlfast.c - libFuzzer target: wherever html-fast.c accepts a
 * fragment, its events must be exactly those of libxml2's HTML parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/html-events.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *html, *fast, *slow;
	size_t len;

	memcpy(s, data, size);
	s[size] = '\0';
	html = html_utf8_clean(s, &len);
	if ((fast = events_of(html, 1)) != NULL) {
		slow = events_of(html, 0);
		if (strcmp(fast, slow) != 0) {
			fprintf(stderr, "fast:\n%s\nlibxml2:\n%s\n", fast, slow);
			abort();	/* the fast reader read it otherwise */
		}
		free(slow);
	}
	free(fast);
	free(html);
	free(s);
	return 0;
}
