/* fuzz-bounce.c - libFuzzer target: the bounce reader (gazette bounces).
 * Any bytes are one message: every reading must name a recipient with no
 * control character, carry a class, and survive JSON output; the header
 * lookup the mailbox walk uses must hold as well. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "bounce-json.h"

static void
check(const struct bounce *b)
{
	const unsigned char *p;

	if (b->recipient == NULL || *b->recipient == '\0')
		abort();
	for (p = (const unsigned char *)b->recipient; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	if (b->class > BOUNCE_IGNORE || bounce_class_name(b->class) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;
	struct bounce_list *bl = bounce_read(msg, size);
	char *json, *h;
	size_t i;

	for (i = 0; i < bl->n; i++)
		check(&bl->v[i]);
	json = bounce_to_json(bl);
	if (json == NULL)
		abort();
	free(json);
	bounce_list_free(bl);
	h = bounce_header(msg, size, "Message-ID");
	free(h);
	h = bounce_header(msg, size, "Subject");
	free(h);
	return 0;
}
