/*
 * test-outbox.c - outbox administration (store-admin.c), the bounce
 * count, the retry backoff, and migration 2 on a version-1 database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "compose.h"
#include "deliver.h"
#include "digest.h"
#include "feed.h"
#include "store.h"
#include "tap.h"

static char dir[] = "/tmp/gazette-outbox.XXXXXX";

static int
count_row(const struct outbox_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static int
copy_state(const struct outbox_row *r, void *ctx)
{
	snprintf(ctx, 64, "%s %s %d", r->state, r->subscriber_status,
	    r->bounces);
	return 0;
}

static const char *
state_of(struct store *st, int64_t id)
{
	static char buf[64];
	char *err = NULL;

	strcpy(buf, "missing");
	if (store_outbox_get(st, id, copy_state, buf, &err) == -1)
		free(err);
	return buf;
}

static int
count(struct store *st, const char *state)
{
	char *err = NULL;
	int n = 0;

	if (store_outbox_each(st, state, count_row, &n, &err) == -1)
		free(err);
	return n;
}

/* Queue one digest for sub with a fresh item, as compose would. */
static int64_t
queue_one(struct store *st, int64_t sub, int k)
{
	struct feed_item it = { 0 };
	struct feed f = { 0 };
	struct fetch_outcome o = { 0 };
	struct digest *d;
	char key[32], mid[64], *err = NULL;
	int nnew;
	int64_t id;

	snprintf(key, sizeof key, "item-%d", k);
	snprintf(mid, sizeof mid, "m%d@example.org", k);
	it.id = key;
	it.title = key;
	f.items = &it;
	f.nitems = 1;
	o.when = 1000 + k;
	o.status = 200;
	if (store_feed_update(st, 1, &o, &f, &nnew, &err) == -1 ||
	    (d = compose_pick(st, sub, 10, &err)) == NULL) {
		printf("# %s\n", err);
		free(err);
		return 0;
	}
	d->message_id = strdup(mid);
	if (store_digest_queue(st, d, 2000 + k, &err) == -1) {
		printf("# %s\n", err);
		free(err);
	}
	id = d->id;
	digest_free(d);
	return id;
}

static void
test_backoff(void)
{
	is_int(deliver_retry_delay(1), 15 * 60, "first retry after 15 min");
	is_int(deliver_retry_delay(2), 30 * 60, "second after 30 min");
	is_int(deliver_retry_delay(4), 2 * 3600, "fourth after 2 h");
	is_int(deliver_retry_delay(7), 16 * 3600, "seventh after 16 h");
	is_int(deliver_retry_delay(8), 24 * 3600, "capped at 24 h");
	is_int(deliver_retry_delay(100000), 24 * 3600,
	    "a huge attempt count stays capped");
	is_int(deliver_retry_delay(0), 15 * 60, "no attempts yet: 15 min");
}

static void
test_admin(struct store *st)
{
	int64_t topic, sub, other, a, b, c, *ids = NULL;
	char *err = NULL;
	size_t n = 0;
	int bounced = -1;

	store_topic_add(st, "net", NULL, &err);
	store_topic_id(st, "net", &topic, &err);
	store_feed_add(st, "https://a.example/feed", &topic, 1, 1000, &err);
	store_subscriber_add(st, "ann@example.org", "Ann", "weekly", &topic,
	    1, 1000, &err);
	store_subscriber_add(st, "bo@example.org", NULL, "weekly", &topic,
	    1, 1000, &err);
	store_subscriber_id(st, "ann@example.org", &sub, &err);
	store_subscriber_id(st, "bo@example.org", &other, &err);
	a = queue_one(st, sub, 1);
	b = queue_one(st, sub, 2);
	c = queue_one(st, other, 3);
	ok(a > 0 && b > a && c > b, "three digests queued");
	is_int(count(st, NULL), 3, "list shows every digest");
	is_int(count(st, "queued"), 3, "list by state");

	is_int(store_outbox_retry(st, a, &err), STORE_WRONGSTATE,
	    "a queued digest cannot be retried");
	is_int(store_outbox_drop(st, a, &err), 0, "a queued digest drops");
	is_str(state_of(st, a), "dropped active 0", "and is kept as dropped");
	is_int(store_outbox_drop(st, a, &err), STORE_WRONGSTATE,
	    "dropping twice is refused");
	is_int(store_outbox_drop(st, 999, &err), STORE_NOTFOUND,
	    "an unknown id is not found");
	store_outbox_due(st, 5000, &ids, &n, &err);
	ok(n == 2 && ids[0] == b, "a dropped digest is not due");
	free(ids);
	is_int(store_outbox_retry(st, a, &err), 0, "a dropped digest retries");
	is_str(state_of(st, a), "queued active 0", "and is queued again");

	store_digest_attempt_failed(st, b, "451 later", 9999, &err);
	is_int(store_outbox_retry(st, b, &err), 0, "a deferred digest retries");
	store_outbox_due(st, 5000, &ids, &n, &err);
	is_int((long long)n, 3, "a retried digest is due now");
	free(ids);
	store_digest_sent(st, c, 5000, &err);
	is_int(store_outbox_drop(st, c, &err), STORE_WRONGSTATE,
	    "a sent digest cannot be dropped");
	is_int(store_outbox_retry(st, c, &err), STORE_WRONGSTATE,
	    "a sent digest cannot be retried");

	store_digest_attempt_failed(st, a, "550 no such user", 0, &err);
	ok(store_subscriber_bounce(st, sub, 2, &bounced, &err) == 0 &&
	    bounced == 0, "a first bounce is counted");
	is_str(state_of(st, a), "failed active 1", "the count shows");
	ok(store_subscriber_bounce(st, sub, 2, &bounced, &err) == 0 &&
	    bounced == 1, "the max_bounces-th bounce retires the address");
	is_str(state_of(st, a), "failed bounced 2", "the subscriber is bounced");
	is_str(state_of(st, b), "dropped bounced 2",
	    "their other unsent digest is dropped, not lost");
	is_str(state_of(st, c), "sent active 0", "others are untouched");
	ok(store_subscriber_bounce(st, other, 0, &bounced, &err) == 0 &&
	    bounced == 0, "max_bounces 0 never retires");
}

/* A database as gazette's first schema left it, reduced to what
 * migrations 2 and later touch. */
static const char v1[] =
    "CREATE TABLE feeds (id INTEGER PRIMARY KEY, title TEXT);"
    "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " feed_id INTEGER);"
    "CREATE TABLE subscribers (id INTEGER PRIMARY KEY, email TEXT);"
    "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT);"
    "CREATE TABLE digests (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " subscriber_id INTEGER NOT NULL REFERENCES subscribers(id)"
    " ON DELETE CASCADE, created INTEGER NOT NULL,"
    " message_id TEXT NOT NULL UNIQUE, state TEXT NOT NULL DEFAULT 'queued'"
    " CHECK (state IN ('queued', 'sent', 'deferred', 'failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER,"
    " last_error TEXT, sent INTEGER);"
    "CREATE TABLE digest_items (digest_id INTEGER NOT NULL"
    " REFERENCES digests(id) ON DELETE CASCADE, item_id INTEGER NOT NULL"
    " REFERENCES items(id) ON DELETE CASCADE, topic_id INTEGER NOT NULL,"
    " position INTEGER NOT NULL,"
    " PRIMARY KEY (digest_id, item_id)) WITHOUT ROWID;"
    "CREATE TABLE digest_topics (digest_id INTEGER NOT NULL"
    " REFERENCES digests(id) ON DELETE CASCADE, topic_id INTEGER NOT NULL,"
    " position INTEGER NOT NULL, more INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;"
    "INSERT INTO items (id, feed_id) VALUES (100, 1), (101, 1);"
    "INSERT INTO subscribers VALUES (1, 'a@example.org');"
    "INSERT INTO digests (id, subscriber_id, created, message_id, state,"
    " attempts, last_error) VALUES (7, 1, 1, 'm7', 'failed', 2, '550 x');"
    "INSERT INTO digests (id, subscriber_id, created, message_id)"
    " VALUES (9, 1, 1, 'm9');"
    "DELETE FROM digests WHERE id = 9;"
    "INSERT INTO digest_topics VALUES (7, 3, 0, 0);"
    "INSERT INTO digest_items VALUES (7, 100, 3, 0), (7, 101, 3, 1);"
    "PRAGMA user_version = 1;";

static long long
query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void
test_migration(const char *path)
{
	struct store *st;
	sqlite3 *db;
	char *err = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, v1, NULL, NULL, NULL) != SQLITE_OK) {
		tap_diag(sqlite3_errmsg(db));
		sqlite3_close(db);
		return;
	}
	sqlite3_close(db);
	st = store_open(path, &err);
	ok(st != NULL, "a version-1 database migrates");
	if (st == NULL) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	store_close(st);
	sqlite3_open(path, &db);
	is_int(query(db, "PRAGMA user_version"), store_schema_version(),
	    "to the current version");
	is_int(query(db, "SELECT count(*) FROM digest_topics dt"
	    " JOIN section_items si ON si.section_id = dt.section_id"
	    " WHERE dt.digest_id = 7"), 2,
	    "the digests' entries survive the rebuild, as a section");
	is_int(query(db, "SELECT attempts FROM digests WHERE id = 7"), 2,
	    "rows keep their values");
	is_int(query(db, "SELECT seq FROM sqlite_sequence"
	    " WHERE name = 'digests'"), 9, "deleted ids are never reused");
	is_int(sqlite3_exec(db, "UPDATE digests SET state = 'dropped'",
	    NULL, NULL, NULL), SQLITE_OK, "'dropped' is a valid state");
	is_int(sqlite3_exec(db, "UPDATE digests SET state = 'lost'",
	    NULL, NULL, NULL), SQLITE_CONSTRAINT, "an unknown state is not");
	sqlite3_exec(db, "PRAGMA foreign_keys = ON; DELETE FROM digests",
	    NULL, NULL, NULL);
	is_int(query(db, "SELECT count(*) FROM section_items"), 0,
	    "the cascade to the entries still holds after the rebuild");
	sqlite3_close(db);
}

int
main(void)
{
	char path[300], *err = NULL;
	struct store *st;

	test_backoff();
	if (mkdtemp(dir) == NULL)
		tap_skip_all("no temporary folder");
	snprintf(path, sizeof path, "%s/t.db", dir);
	if ((st = store_open(path, &err)) == NULL) {
		printf("# %s\n", err);
		free(err);
		return done_testing();
	}
	test_admin(st);
	store_close(st);
	snprintf(path, sizeof path, "%s/v1.db", dir);
	test_migration(path);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		tap_diag("could not remove the temporary folder");
	return done_testing();
}
