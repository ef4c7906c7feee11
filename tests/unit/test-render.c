/*
 * test-render.c - the renderer's per-run caches give what a fresh
 * renderer gives: digests rendered one after another through one renderer
 * (topic sections and entries shared) equal each rendered alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/config.h"
#include "../../src/digest.h"
#include "../../src/render.h"
#include "../../src/xmalloc.h"
#include "tap.h"

static void
add_entries(struct digest_topic *t, int64_t first, int n)
{
	struct digest_entry *e;
	int i;

	for (i = 0; i < n; i++) {
		e = digest_add_entry(t);
		e->item_id = first + i;
		e->title = xasprintf("Entry %lld of %s", (long long)(first + i),
		    t->slug);
		if (i != 1)
			e->link = xasprintf("https://example.org/%lld",
			    (long long)(first + i));
		e->source = xstrdup("Example Feed");
		e->summary_html = xasprintf("<p>Body <b>%d</b> with some "
		    "words &amp; more words to excerpt.</p>", i);
		e->date = 1790000000 + i * 3600;
	}
}

/* Subscriber n: topic "net" (the same entries for all), some "sec". */
static struct digest *
sample(int n, int with_sec)
{
	struct digest *d = digest_new();
	struct digest_topic *t;

	d->subscriber_id = n;
	d->email = xasprintf("user%d@example.net", n);
	d->name = xasprintf("User %d", n);
	d->token = xasprintf("token%d", n);
	t = digest_add_topic(d, 1, "net", "Networking");
	add_entries(t, 100, 4);
	t->more = 2;
	if (with_sec) {
		t = digest_add_topic(d, 2, "sec", "Security");
		add_entries(t, 200, with_sec);
	}
	return d;
}

static int
same(const struct rendered *a, const struct rendered *b)
{
	return strcmp(a->subject, b->subject) == 0 &&
	    strcmp(a->html, b->html) == 0 && strcmp(a->text, b->text) == 0;
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	struct config *cfg = config_defaults();
	struct renderer *shared, *alone;
	struct rendered cached[4], fresh;
	struct digest *d[4];
	char *err = NULL, *a, *b;
	int i, equal = 0;

	cfg->template_dir = xasprintf("%s/templates", top && *top ? top : ".");
	cfg->base_url = xstrdup("https://news.example.org");
	shared = renderer_open(cfg, &err);
	ok(shared != NULL, "the shipped templates load");
	if (shared == NULL) {
		tap_diag(err);
		return done_testing();
	}
	d[0] = sample(1, 0);
	d[1] = sample(2, 0);
	d[2] = sample(3, 3);
	d[3] = sample(4, 2);
	for (i = 0; i < 4; i++)
		render_digest(shared, d[i], &cached[i], &err);
	for (i = 0; i < 4; i++) {
		alone = renderer_open(cfg, &err);
		render_digest(alone, d[i], &fresh, &err);
		equal += same(&cached[i], &fresh);
		rendered_free(&fresh);
		renderer_free(alone);
	}
	is_int(equal, 4, "cached renders equal renders by a fresh renderer");
	ok(strcmp(cached[0].html, cached[1].html) != 0 &&
	    strstr(cached[0].html, "user1@example.net") != NULL &&
	    strstr(cached[1].html, "user2@example.net") != NULL &&
	    strstr(cached[1].text, "t=token2") != NULL,
	    "each digest keeps its own address and unsubscribe token");
	a = strstr(cached[0].html, "Networking");
	b = strstr(cached[1].html, "Networking");
	ok(a && b && strncmp(a, b, strstr(a, "You get this") - a) == 0,
	    "same entries, identical topic sections");
	ok(strstr(cached[2].text, "== Security ==") != NULL &&
	    strstr(cached[3].text, "Entry 202 of sec") == NULL &&
	    strstr(cached[2].text, "Entry 202 of sec") != NULL,
	    "a different item set is its own section");
	ok(strstr(cached[0].text, "Entry 101 of net\n") != NULL &&
	    strstr(cached[0].text, "[0]") == NULL,
	    "an entry without a link has no reference number");
	for (i = 0; i < 4; i++) {
		rendered_free(&cached[i]);
		digest_free(d[i]);
	}
	renderer_free(shared);
	config_free(cfg);
	free(err);
	return done_testing();
}
