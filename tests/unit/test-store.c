/*
 * test-store.c - the store: schema, items stored once, marks and outbox
 * moving together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "date.h"
#include "digest.h"
#include "feed.h"
#include "store.h"
#include "tap.h"

static char dir[] = "/tmp/gazette-store.XXXXXX";

static struct feed_item
item(char *id, char *title, char *link)
{
	struct feed_item it = { 0 };

	it.id = id;
	it.title = title;
	it.link = link;
	it.published = DATE_NONE;
	it.updated = DATE_NONE;
	return it;
}

static int
store_items(struct store *st, int64_t feed_id, struct feed_item *items,
    size_t n, int64_t now)
{
	struct feed f = { 0 };
	struct fetch_outcome o = { 0 };
	char *err = NULL;
	int nnew = -1;

	f.items = items;
	f.nitems = n;
	o.when = now;
	o.status = 200;
	if (store_feed_update(st, feed_id, &o, &f, &nnew, &err) == -1) {
		printf("# %s\n", err);
		free(err);
	}
	return nnew;
}

/* A feed row copied out of a callback. */
struct seen {
	int	 n;
	int64_t	 ids[8];
	int	 status;
	int64_t	 last_fetch;
	int64_t	 next_fetch;
	int	 errors;
	char	 etag[32];
	char	 url[64];
	char	 state[16];
	char	 title[32];
	int	 has_error;
};

static int
see(const struct feed_row *f, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->ids[s->n] = f->id;
	s->n++;
	s->status = f->last_status;
	s->last_fetch = f->last_fetch;
	s->next_fetch = f->next_fetch;
	s->errors = f->consecutive_errors;
	snprintf(s->etag, sizeof s->etag, "%s", f->etag ? f->etag : "");
	snprintf(s->url, sizeof s->url, "%s", f->url);
	snprintf(s->state, sizeof s->state, "%s", f->state ? f->state : "");
	snprintf(s->title, sizeof s->title, "%s", f->title ? f->title : "");
	s->has_error = f->last_error != NULL;
	return 0;
}

static struct seen
feed_row(struct store *st, int64_t id)
{
	struct seen s = { 0 };
	char *err = NULL;

	store_feed_get(st, id, see, &s, &err);
	free(err);
	return s;
}

static struct seen
to_fetch(struct store *st, int active_only, int64_t due_at)
{
	struct seen s = { 0 };
	char *err = NULL;

	store_feed_to_fetch(st, active_only, due_at, see, &s, &err);
	free(err);
	return s;
}

static void
record(struct store *st, int64_t id, struct fetch_outcome *o)
{
	char *err = NULL;
	int nnew;

	if (store_feed_update(st, id, o, NULL, &nnew, &err) == -1) {
		printf("# %s\n", err);
		free(err);
	}
}

/*
 * Feeds 5 and 6 go through the same history (a title, validators, then a
 * 410); then one gets its 304 recorded alone, the other in a batch: the
 * rows must read the same.
 */
static void
same_as_one_by_one(struct store *st, int64_t topic)
{
	struct fetch_outcome ok200 = { 0 }, gone = { 0 }, n304 = { 0 };
	struct seen a, b;
	int64_t id = 6;
	char *err = NULL;

	ok200.when = 6100;
	ok200.status = 200;
	ok200.etag = "\"e\"";
	ok200.last_modified = "Tue, 01 Dec 2026 10:00:00 GMT";
	ok200.title = "Feed title";
	gone.when = 6200;
	gone.status = 410;
	gone.error = "HTTP status 410 (gone)";
	gone.state = "gone";
	gone.next_fetch = 99999;
	n304.when = 6300;
	n304.status = 304;
	store_feed_add(st, "https://e.example/feed", &topic, 1, 1000, &err);
	store_feed_add(st, "https://f.example/feed", &topic, 1, 1000, &err);
	record(st, 5, &ok200);
	record(st, 6, &ok200);
	record(st, 5, &gone);
	record(st, 6, &gone);
	record(st, 5, &n304);
	store_feeds_unchanged(st, &id, 1, 6300, &err);
	a = feed_row(st, 5);
	b = feed_row(st, 6);
	ok(a.status == b.status && a.last_fetch == b.last_fetch &&
	    a.next_fetch == b.next_fetch && a.errors == b.errors &&
	    a.has_error == b.has_error && strcmp(a.etag, b.etag) == 0 &&
	    strcmp(a.state, b.state) == 0 && strcmp(a.title, b.title) == 0,
	    "a 304 recorded in a batch leaves the feed as one recorded alone");
	ok(strcmp(b.state, "active") == 0 && strcmp(b.title, "Feed title") == 0
	    && strcmp(b.etag, "\"e\"") == 0 && b.status == 304,
	    "a 304 brings a gone feed back, keeping its title and validators");
	free(err);
}

/*
 * Feeds 2 to 4: what collect reads before fetching, the 304s it records
 * together, and a move.
 */
static void
fetching(struct store *st, int64_t topic)
{
	struct fetch_outcome ok200 = { 0 }, failed = { 0 }, moved = { 0 };
	int64_t ids[2] = { 2, 3 };
	struct seen s;
	char *err = NULL;

	store_feed_add(st, "https://b.example/feed", &topic, 1, 1000, &err);
	store_feed_add(st, "https://c.example/feed", &topic, 1, 1000, &err);
	store_feed_add(st, "https://d.example/feed", &topic, 1, 1000, &err);
	store_feed_set_state(st, 4, "paused", &err);
	ok200.when = 6000;
	ok200.status = 200;
	ok200.etag = "\"v1\"";
	record(st, 2, &ok200);
	failed.when = 6000;
	failed.status = 500;
	failed.error = "HTTP status 500";
	failed.next_fetch = 9000;
	record(st, 3, &failed);

	s = to_fetch(st, 1, -1);
	ok(s.n == 3 && s.ids[0] == 1 && s.ids[1] == 2 && s.ids[2] == 3,
	    "to fetch: the active feeds, in order, not the paused one");
	s = to_fetch(st, 1, 7000);
	ok(s.n == 2 && s.ids[1] == 2, "due at 7000: not the feed waiting "
	    "out its backoff until 9000");
	is_int(to_fetch(st, 0, -1).n, 4, "every feed, the paused one too");
	s = to_fetch(st, 1, 9000);
	ok(s.n == 3 && s.errors == 1, "due at 9000: the failed feed too, "
	    "with its error count");

	ok(store_feeds_unchanged(st, ids, 2, 7000, &err) == 0,
	    "two 304s recorded in one go");
	s = feed_row(st, 2);
	ok(s.status == 304 && s.last_fetch == 7000 &&
	    strcmp(s.etag, "\"v1\"") == 0,
	    "a 304 keeps the validators and records status and time");
	s = feed_row(st, 3);
	ok(s.status == 304 && s.errors == 0 && !s.has_error &&
	    s.next_fetch == 0, "a 304 clears the error and its backoff");

	same_as_one_by_one(st, topic);

	moved = ok200;
	moved.when = 8000;
	moved.new_url = "https://b.example/moved";
	record(st, 2, &moved);
	is_str(feed_row(st, 2).url, "https://b.example/moved",
	    "a permanent redirect moves the feed");
	moved.new_url = "https://c.example/feed";
	record(st, 2, &moved);
	is_str(feed_row(st, 2).url, "https://b.example/moved",
	    "but not onto another feed's URL");
	free(err);
}

int
main(void)
{
	char path[300], *err = NULL;
	struct store *st;
	int64_t topic, other, sub, *ids = NULL, count;
	struct feed_item a[3];
	struct digest *d;
	size_t n = 0;

	if (mkdtemp(dir) == NULL)
		tap_skip_all("no temporary folder");
	snprintf(path, sizeof path, "%s/t.db", dir);
	st = store_open(path, &err);
	ok(st != NULL, "a new database opens and migrates");
	if (st == NULL) {
		printf("# %s\n", err);
		return done_testing();
	}
	ok(store_topic_add(st, "net", "Networking", &err) == 0, "topic added");
	is_int(store_topic_add(st, "net", NULL, &err), STORE_EXISTS,
	    "the same slug twice is refused");
	store_topic_add(st, "sec", NULL, &err);
	store_topic_id(st, "net", &topic, &err);
	store_topic_id(st, "sec", &other, &err);
	is_int(store_topic_id(st, "nope", &other, &err), STORE_NOTFOUND,
	    "an unknown slug is not found");
	store_topic_id(st, "sec", &other, &err);
	ok(store_feed_add(st, "https://a.example/feed", &topic, 1, 1000,
	    &err) == 0, "feed added");
	is_int(store_feed_add(st, "https://a.example/feed", &topic, 1, 1000,
	    &err), STORE_EXISTS, "the same feed URL twice is refused");
	ok(store_subscriber_add(st, "Ann@example.org", "Ann", "weekly", &topic,
	    1, 1000, &err) == 0, "subscriber added");
	is_int(store_subscriber_add(st, "ann@EXAMPLE.org", NULL, "weekly",
	    &topic, 1, 1000, &err), STORE_EXISTS,
	    "addresses are unique regardless of case");
	store_subscriber_id(st, "ann@example.org", &sub, &err);

	a[0] = item("id-1", "One", "https://a.example/1");
	a[1] = item(NULL, "Two", "https://a.example/2");
	a[2] = item(NULL, "Three", NULL);
	is_int(store_items(st, 1, a, 3, 2000), 3, "three new items are new");
	a[0].title = "One, edited";
	is_int(store_items(st, 1, a, 3, 3000), 0,
	    "the same items again are updates, not new");

	d = compose_pick(st, sub, 10, &err);
	is_int((long long)digest_count(d), 3, "the subscriber sees three unseen items");
	ok(d->ntopics == 1 && d->topics[0].entries[0].title != NULL,
	    "entries carry their titles");
	ok(d->topics[0].new_mark >= 3, "the new mark covers what was considered");
	d->message_id = strdup("m1@example.org");
	ok(store_digest_queue(st, d, 4000, &err) == 0 && d->id > 0,
	    "the digest is queued");
	digest_free(d);
	d = compose_pick(st, sub, 10, &err);
	is_int((long long)digest_count(d), 0, "after queueing nothing is unseen");
	digest_free(d);

	store_outbox_due(st, 4000, &ids, &n, &err);
	is_int((long long)n, 1, "one digest is due");
	d = n ? store_digest_load(st, ids[0], NULL, &err) : NULL;
	ok(d && digest_count(d) == 3 && !strcmp(d->email, "Ann@example.org"),
	    "the queued digest loads with its entries and address");
	ok(d && !strcmp(d->topics[0].entries[0].title, "One, edited") +
	    !strcmp(d->topics[0].entries[1].title, "One, edited") +
	    !strcmp(d->topics[0].entries[2].title, "One, edited") == 1,
	    "an updated item shows its new title");
	digest_free(d);
	store_digest_attempt_failed(st, ids[0], "451 try later", 5000, &err);
	free(ids);
	store_outbox_due(st, 4500, &ids, &n, &err);
	is_int((long long)n, 0, "a deferred digest waits for its retry time");
	free(ids);
	store_outbox_due(st, 5000, &ids, &n, &err);
	is_int((long long)n, 1, "and is due again then");
	store_digest_sent(st, ids[0], 5001, &err);
	free(ids);
	store_digest_count(st, "sent", &count, &err);
	is_int(count, 1, "a sent digest is counted as sent");

	a[0] = item("id-4", "Four", "https://a.example/4");
	is_int(store_items(st, 1, a, 1, 6000), 1, "a later item is new");
	d = compose_pick(st, sub, 10, &err);
	ok(digest_count(d) == 1 &&
	    !strcmp(d->topics[0].entries[0].title, "Four"),
	    "only the later item is unseen");
	digest_free(d);

	fetching(st, topic);

	store_close(st);
	st = store_open(path, &err);
	ok(st != NULL, "an existing database opens again");
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		tap_diag("could not remove the temporary folder");
	return done_testing();
}
