/*
 * test-render.c - the renderer's per-run caches give what a fresh
 * renderer gives: digests rendered one after another through one renderer
 * (topic sections and entries shared) equal each rendered alone; the
 * subject counts every new entry and fits one line; a topic with no
 * entries shows no section.
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

/* Free entries from..to-1 of t (the count was already lowered). */
static void
entry_free_tail(struct digest_topic *t, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		free(t->entries[i].title);
		free(t->entries[i].link);
		free(t->entries[i].source);
		free(t->entries[i].summary_html);
		free(t->entries[i].content_html);
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

/* Characters (code points) in s. */
static size_t
nchars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Two shown, three more left out by the cap: five new. */
static void
test_subject(struct config *cfg)
{
	struct renderer *r;
	struct rendered out;
	struct digest *d = sample(9, 0);
	char *err = NULL;

	d->topics[0].nentries = 2;	/* entries 102, 103 stay allocated */
	entry_free_tail(&d->topics[0], 2, 4);
	d->topics[0].more = 3;
	r = renderer_open(cfg, &err);
	render_digest(r, d, &out, &err);
	ok(strncmp(out.subject, "Test Title: 5 new posts \xe2\x80\x94 ",
	    28) == 0, "the subject counts entries shown and left out");
	tap_diag(out.subject);
	ok(strstr(out.text, "5 new posts for you") != NULL &&
	    strstr(out.html, "5 new posts") != NULL &&
	    strstr(out.text, "and 3 more") != NULL,
	    "the body counts them too, and says how many are left out");
	rendered_free(&out);
	renderer_free(r);

	free(cfg->title);
	cfg->title = xstrdup("The Extraordinarily Long Weekly Newsletter of "
	    "the Society for Verbose Titles and Unnecessary Words");
	r = renderer_open(cfg, &err);
	render_digest(r, d, &out, &err);
	tap_diag(out.subject);
	ok(nchars(out.subject) <= 78, "a long title keeps the subject within "
	    "78 characters");
	ok(strstr(out.subject, "The Extraordinarily Long") == out.subject &&
	    strstr(out.subject, "\xe2\x80\xa6: 5 new posts \xe2\x80\x94 "
	    "Entry 100") != NULL,
	    "the title is cut with an ellipsis, the count and a headline kept");
	rendered_free(&out);
	renderer_free(r);
	free(cfg->title);
	cfg->title = xstrdup("Test Title");
	digest_free(d);
	free(err);
}

/* Topic "sec" had only entries already shown under "net". */
static void
test_empty_topic(struct config *cfg)
{
	struct renderer *r = renderer_open(cfg, NULL);
	struct digest *d = sample(10, 0);
	struct rendered out;
	char *err = NULL;

	digest_add_topic(d, 2, "sec", "Security")->new_mark = 300;
	render_digest(r, d, &out, &err);
	ok(strstr(out.html, "Security") == NULL &&
	    strstr(out.text, "Security") == NULL &&
	    strstr(out.text, "== Networking ==") != NULL,
	    "a topic with no entries has no heading in either part");
	rendered_free(&out);
	renderer_free(r);
	digest_free(d);
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
	free(cfg->title);
	cfg->title = xstrdup("Test Title");
	test_subject(cfg);
	test_empty_topic(cfg);
	config_free(cfg);
	free(err);
	return done_testing();
}
