/*
 * store-catalog.c - topics, feeds and subscribers: what the operator keeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "store-int.h"
#include "xmalloc.h"

#define WEEK	(7 * 86400)
#define DAY	86400

/* ---------------------------------------------------------------- topics */

int
store_topic_add(struct store *st, const char *slug, const char *name,
    char **err)
{
	static const char sql[] = "INSERT INTO topics (slug, name, created) "
	    "VALUES (?, ?, strftime('%s', 'now'))";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, slug);
	bind_text(s, 2, name ? name : slug);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT)
		return STORE_EXISTS;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "adding a topic", err);
}

/* One id by one text key: 0 with *id, STORE_NOTFOUND, or -1. */
static int
lookup_id(struct store *st, const char *sql, const char *key, int64_t *id,
    const char *what, char **err)
{
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : store_fail(st, what, err);
}

int
store_topic_id(struct store *st, const char *slug, int64_t *id, char **err)
{
	static const char sql[] = "SELECT id FROM topics WHERE slug = ?";

	return lookup_id(st, sql, slug, id, "finding a topic", err);
}

int
store_topic_each(struct store *st, store_topic_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT t.id, t.slug, t.name,"
	    " (SELECT count(*) FROM feed_topics WHERE topic_id = t.id),"
	    " (SELECT count(*) FROM subscriptions su JOIN subscribers s"
	    "   ON s.id = su.subscriber_id"
	    "   WHERE su.topic_id = t.id AND s.status = 'active')"
	    " FROM topics t ORDER BY t.slug";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct topic_row r;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.slug = col_text(s, 1);
		r.name = col_text(s, 2);
		r.nfeeds = sqlite3_column_int64(s, 3);
		r.nsubscribers = sqlite3_column_int64(s, 4);
		if (fn(&r, ctx) != 0)
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	    : store_fail(st, "listing topics", err);
}

/* ----------------------------------------------------------------- feeds */

static int
link_topics(struct store *st, const char *sql, int64_t owner,
    const int64_t *topic_ids, size_t n, int64_t now, int64_t period,
    char **err)
{
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s = stmt_get(st, sql, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, owner);
		sqlite3_bind_int64(s, 2, topic_ids[i]);
		if (sqlite3_bind_parameter_count(s) >= 4) {
			sqlite3_bind_int64(s, 3, now);
			sqlite3_bind_int64(s, 4, period);
		}
		if (step_done(st, s, "linking a topic", err) == -1)
			return -1;
	}
	return 0;
}

int
store_feed_add(struct store *st, const char *url, const int64_t *topic_ids,
    size_t ntopics, int64_t now, char **err)
{
	static const char ins[] =
	    "INSERT INTO feeds (url, created) VALUES (?, ?)";
	static const char link[] = "INSERT OR IGNORE INTO feed_topics "
	    "(feed_id, topic_id) VALUES (?, ?)";
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st, err) == -1)
		return -1;
	if ((s = stmt_get(st, ins, err)) == NULL)
		goto fail;
	bind_text(s, 1, url);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT) {
		store_rollback(st);
		return STORE_EXISTS;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, "adding a feed", err);
		goto fail;
	}
	if (link_topics(st, link, sqlite3_last_insert_rowid(st->db),
	    topic_ids, ntopics, 0, 0, err) == -1 ||
	    store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* Feeds, all or active only, and only those due at due_at when >= 0. */
static int
feed_rows(struct store *st, int active_only, int64_t due_at, store_feed_fn fn,
    void *ctx, char **err)
{
	static const char sql[] = "SELECT f.id, f.url, f.title, f.site_link,"
	    " f.etag, f.last_modified, f.state,"
	    " (SELECT group_concat(slug, ',') FROM (SELECT t.slug"
	    "   FROM feed_topics ft JOIN topics t ON t.id = ft.topic_id"
	    "   WHERE ft.feed_id = f.id ORDER BY t.slug)),"
	    " f.last_fetch, f.last_status, f.last_error,"
	    " f.consecutive_errors,"
	    " (SELECT count(*) FROM items WHERE feed_id = f.id),"
	    " f.next_fetch"
	    " FROM feeds f WHERE (?1 = 0 OR f.state = 'active')"
	    " AND (?2 < 0 OR coalesce(f.next_fetch, 0) <= ?2) ORDER BY f.id";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct feed_row r;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, active_only);
	sqlite3_bind_int64(s, 2, due_at);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.url = col_text(s, 1);
		r.title = col_text(s, 2);
		r.site_link = col_text(s, 3);
		r.etag = col_text(s, 4);
		r.last_modified = col_text(s, 5);
		r.state = col_text(s, 6);
		r.topics = col_text(s, 7);
		r.last_fetch = sqlite3_column_int64(s, 8);
		r.last_status = sqlite3_column_int(s, 9);
		r.last_error = col_text(s, 10);
		r.consecutive_errors = sqlite3_column_int(s, 11);
		r.nitems = sqlite3_column_int64(s, 12);
		r.next_fetch = sqlite3_column_int64(s, 13);
		if (fn(&r, ctx) != 0)
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	    : store_fail(st, "listing feeds", err);
}

int
store_feed_each(struct store *st, int active_only, store_feed_fn fn,
    void *ctx, char **err)
{
	return feed_rows(st, active_only, -1, fn, ctx, err);
}

int
store_feed_due(struct store *st, int64_t now, store_feed_fn fn, void *ctx,
    char **err)
{
	return feed_rows(st, 1, now, fn, ctx, err);
}

int
store_feed_id(struct store *st, const char *url, int64_t *id, char **err)
{
	static const char sql[] = "SELECT id FROM feeds WHERE url = ?";

	return lookup_id(st, sql, url, id, "finding a feed", err);
}

/* ------------------------------------------------------------ subscribers */

/* 128 random bits as hex: the unsubscribe token. */
static void
new_token(char out[33])
{
	unsigned char raw[16];
	size_t got = 0, i;
	ssize_t n;

	while (got < sizeof raw) {
		n = getrandom(raw + got, sizeof raw - got, 0);
		if (n > 0)
			got += (size_t)n;
	}
	for (i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

int
store_subscriber_add(struct store *st, const char *email, const char *name,
    const char *frequency, const int64_t *topic_ids, size_t ntopics,
    int64_t now, char **err)
{
	static const char ins[] = "INSERT INTO subscribers (email, name, "
	    "token, frequency, created, confirmed) VALUES (?, ?, ?, ?, ?, ?)";
	/* The first digest holds the last period's entries, not the whole
	 * history: start the mark at the newest entry seen before then. */
	static const char sub[] = "INSERT OR IGNORE INTO subscriptions "
	    "(subscriber_id, topic_id, created, mark) SELECT ?1, ?2, ?3 + 0, "
	    " coalesce((SELECT max(i.id) FROM items i JOIN feed_topics ft"
	    "  ON ft.feed_id = i.feed_id WHERE ft.topic_id = ?2"
	    "  AND i.fetched < ?3 - ?4), 0)";
	sqlite3_stmt *s;
	char token[33];
	int rc;
	int64_t id, period = frequency && !strcmp(frequency, "daily")
	    ? DAY : WEEK;

	new_token(token);
	if (store_begin(st, err) == -1 || (s = stmt_get(st, ins, err)) == NULL)
		goto fail;
	bind_text(s, 1, email);
	bind_text(s, 2, name);
	bind_text(s, 3, token);
	bind_text(s, 4, frequency ? frequency : "weekly");
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT) {
		store_rollback(st);
		return STORE_EXISTS;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, "adding a subscriber", err);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(st->db);
	if (link_topics(st, sub, id, topic_ids, ntopics, now, period,
	    err) == -1 ||
	    store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
store_subscriber_id(struct store *st, const char *email, int64_t *id,
    char **err)
{
	static const char sql[] = "SELECT id FROM subscribers WHERE email = ?";

	return lookup_id(st, sql, email, id, "finding a subscriber", err);
}

int
store_subscriber_each(struct store *st, int active_only,
    store_subscriber_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT s.id, s.email, s.name, s.status,"
	    " s.frequency,"
	    " (SELECT group_concat(slug, ',') FROM (SELECT t.slug"
	    "   FROM subscriptions su JOIN topics t ON t.id = su.topic_id"
	    "   WHERE su.subscriber_id = s.id ORDER BY t.slug)),"
	    " s.token, s.created, s.last_digest"
	    " FROM subscribers s WHERE (? = 0 OR s.status = 'active')"
	    " ORDER BY s.email";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct subscriber_row r;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, active_only);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.email = col_text(s, 1);
		r.name = col_text(s, 2);
		r.status = col_text(s, 3);
		r.frequency = col_text(s, 4);
		r.topics = col_text(s, 5);
		r.token = col_text(s, 6);
		r.created = sqlite3_column_int64(s, 7);
		r.last_digest = sqlite3_column_int64(s, 8);
		if (fn(&r, ctx) != 0)
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	    : store_fail(st, "listing subscribers", err);
}
