/* fuzz-template.c - libFuzzer target: any template compiled and rendered
 * against a small context, with itself as every partial. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"

static const char *
self_partial(const char *name, void *ctx)
{
	(void)name;
	return ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1), *err = NULL;
	struct tval *ctx = tv_map(), *list = tv_list();
	struct tmpl *t;
	struct buf out;

	memcpy(src, data, size);
	src[size] = '\0';
	tv_set(ctx, "title", tv_str("<b>T</b>"));
	tv_push(list, tv_str("a"));
	tv_push(list, tv_num(2));
	tv_set(ctx, "items", list);
	tv_set(ctx, "yes", tv_bool(1));
	buf_init(&out, 1 << 20);
	if ((t = tmpl_compile(src, "fuzz", &err)) != NULL)
		tmpl_render(t, ctx, self_partial, src, &out, &err);
	tmpl_free(t);
	buf_free(&out);
	tv_free(ctx);
	free(err);
	free(src);
	return 0;
}
