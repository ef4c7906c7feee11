/*
 * test-compose.c - the schedule (when a subscriber is due for a digest)
 * and the pick on a real store: an article reached twice is taken once,
 * a topic left with nothing keeps only its mark, the cap counts what it
 * leaves out, and the marks move past it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "config.h"
#include "digest.h"
#include "feed.h"
#include "store.h"
#include "tap.h"

#define DAY	((int64_t)86400)
#define NOW	((int64_t)1795000000)

static char dir[] = "/tmp/gazette-compose.XXXXXX";

/* Items KEY|TITLE|LINK, ... into feed_id, as a fetch at when would. */
static void
add_items(struct store *st, int64_t feed_id, int64_t when, const char **spec,
    size_t n)
{
	struct feed_item it[8];
	struct feed f = { 0 };
	struct fetch_outcome o = { 0 };
	char *copy[8], *err = NULL;
	size_t i;
	int nnew;

	memset(it, 0, sizeof it);
	for (i = 0; i < n; i++) {
		copy[i] = strdup(spec[i]);
		it[i].id = strtok(copy[i], "|");
		it[i].title = strtok(NULL, "|");
		it[i].link = strtok(NULL, "|");
		it[i].published = when - (int64_t)i;
	}
	f.items = it;
	f.nitems = n;
	o.when = when;
	o.status = 200;
	if (store_feed_update(st, feed_id, &o, &f, &nnew, &err) == -1) {
		tap_diag(err);
		free(err);
	}
	for (i = 0; i < n; i++)
		free(copy[i]);
}

static int64_t
topic(struct store *st, const char *slug)
{
	char *err = NULL;
	int64_t id = 0;

	store_topic_add(st, slug, slug, &err);
	store_topic_id(st, slug, &id, &err);
	free(err);
	return id;
}

/* Feeds are numbered 1, 2, ... in the order added. */
static void
feed(struct store *st, const char *url, int64_t *topics, size_t n)
{
	char *err = NULL;

	store_feed_add(st, url, topics, n, 1000, &err);
	free(err);
}

static int64_t
subscriber(struct store *st, const char *email, int64_t *topics, size_t n)
{
	char *err = NULL;
	int64_t id = 0;

	store_subscriber_add(st, email, NULL, "weekly", topics, n, 1000, &err);
	store_subscriber_id(st, email, &id, &err);
	free(err);
	return id;
}

static const char *
titles(const struct digest_topic *t)
{
	static char buf[256];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < t->nentries; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
		    i ? "," : "", t->entries[i].title);
	return buf;
}

static void
test_pick(struct store *st)
{
	static const char *both[] = { "b1|B1|https://b.example/1",
	    "b2|B2|https://b.example/2" };
	static const char *one[] = { "o1|O1|https://dup.example/story" };
	static const char *two[] = { "t1|T1|https://dup.example/story" };
	static const char *many[] = { "m5|M5|https://m.example/5",
	    "m4|M4|https://m.example/4", "m3|M3|https://m.example/3",
	    "m2|M2|https://m.example/2", "m1|M1|https://m.example/1" };
	static const char *six[] = { "m6|M6|https://m.example/6" };
	int64_t alpha = topic(st, "alpha"), beta = topic(st, "beta");
	int64_t mirror = topic(st, "mirror"), lots = topic(st, "lots");
	int64_t ab[2] = { alpha, beta }, ada, bob, cy;
	struct config *cfg = config_defaults();
	struct digest *d;
	char *err = NULL;
	int queued = 0;

	feed(st, "https://b.example/feed", ab, 2);		/* 1 */
	feed(st, "https://one.example/feed", &mirror, 1);	/* 2 */
	feed(st, "https://two.example/feed", &mirror, 1);	/* 3 */
	feed(st, "https://m.example/feed", &lots, 1);		/* 4 */
	ada = subscriber(st, "ada@example.org", ab, 2);
	bob = subscriber(st, "bob@example.org", &mirror, 1);
	cy = subscriber(st, "cy@example.org", &lots, 1);
	add_items(st, 1, 5000, both, 2);
	add_items(st, 2, 5000, one, 1);
	add_items(st, 3, 5000, two, 1);
	add_items(st, 4, 5000, many, 5);

	d = compose_pick(st, ada, 2, &err);
	ok(d != NULL && d->ntopics == 2, "one feed in two topics: both topics "
	    "are in the pick");
	if (d != NULL && d->ntopics == 2) {
		is_str(titles(&d->topics[0]), "B1,B2",
		    "the first topic has each article");
		ok(d->topics[1].nentries == 0 && d->topics[1].more == 0 &&
		    d->topics[1].new_mark == d->topics[0].new_mark,
		    "the second has none, no \"more\", and its mark advanced");
	}
	digest_free(d);
	d = compose_pick(st, bob, 2, &err);
	ok(d != NULL && d->ntopics == 1 && d->topics[0].nentries == 1,
	    "the same link in two feeds is one entry");
	digest_free(d);
	d = compose_pick(st, cy, 2, &err);
	ok(d != NULL && d->ntopics == 1 && d->topics[0].more == 3,
	    "a cap of 2 over 5 new entries leaves 3 more");
	if (d != NULL && d->ntopics == 1)
		is_str(titles(&d->topics[0]), "M5,M4", "the newest are shown");
	digest_free(d);

	cfg->max_items_per_topic = 2;
	ok(compose_all(st, cfg, 6000, &queued, &err) == 0 && queued == 3,
	    "compose queues a digest for each subscriber");
	ok(compose_all(st, cfg, 6001, &queued, &err) == 0 && queued == 0,
	    "composing again with nothing new queues none: the marks moved "
	    "past what the cap hid");
	add_items(st, 4, 7000, six, 1);
	d = compose_pick(st, cy, 2, &err);
	ok(d != NULL && d->ntopics == 1 && d->topics[0].more == 0,
	    "one new entry: nothing more");
	if (d != NULL && d->ntopics == 1)
		is_str(titles(&d->topics[0]), "M6", "only the new entry");
	digest_free(d);
	config_free(cfg);
	free(err);
}

static void
test_store(void)
{
	char path[300], *err = NULL;
	struct store *st;

	if (mkdtemp(dir) == NULL) {
		tap_diag("no temporary folder");
		return;
	}
	snprintf(path, sizeof path, "%s/t.db", dir);
	if ((st = store_open(path, &err)) == NULL) {
		tap_diag(err);
		free(err);
		return;
	}
	test_pick(st);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		tap_diag("could not remove the temporary folder");
}

int
main(void)
{
	ok(compose_is_due("weekly", 0, NOW),
	    "a subscriber who never had a digest is due");
	ok(compose_is_due("daily", 0, NOW),
	    "a daily subscriber who never had a digest is due");
	ok(!compose_is_due("weekly", NOW - DAY, NOW),
	    "weekly: a digest yesterday means not due");
	ok(compose_is_due("daily", NOW - DAY, NOW),
	    "daily: a digest yesterday means due");
	ok(!compose_is_due("daily", NOW - DAY / 2, NOW),
	    "daily: a digest twelve hours ago means not due");
	ok(!compose_is_due("weekly", NOW - 6 * DAY, NOW),
	    "weekly: six days is not enough");
	ok(compose_is_due("weekly", NOW - 7 * DAY, NOW),
	    "weekly: seven days is due");
	ok(compose_is_due("weekly", NOW - 7 * DAY + 600, NOW),
	    "weekly: a run ten minutes early is still due");
	ok(!compose_is_due("weekly", NOW - 7 * DAY + 2 * 3600, NOW),
	    "weekly: two hours early is not");
	ok(compose_is_due(NULL, NOW - 7 * DAY, NOW),
	    "an unknown frequency counts as weekly (due after seven days)");
	ok(!compose_is_due(NULL, NOW - DAY, NOW),
	    "an unknown frequency counts as weekly (not due after one)");
	test_store();
	return done_testing();
}
