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
int
store_lookup_id(struct store *st, const char *sql, const char *key,
    int64_t *id, const char *what, char **err)
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

	return store_lookup_id(st, sql, slug, id, "finding a topic", err);
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
	return step_end(st, s, rc, "listing topics", err);
}

int
store_topic_rename(struct store *st, const char *slug, const char *new_slug,
    const char *name, char **err)
{
	static const char sql[] = "UPDATE topics SET slug = ?2,"
	    " name = CASE WHEN ?3 IS NOT NULL THEN ?3"
	    "   WHEN name = slug THEN ?2 ELSE name END"
	    " WHERE slug = ?1";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, slug);
	bind_text(s, 2, new_slug);
	bind_text(s, 3, name);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT)
		return STORE_EXISTS;
	if (rc != SQLITE_DONE)
		return store_fail(st, "renaming a topic", err);
	return sqlite3_changes(st->db) ? 0 : STORE_NOTFOUND;
}

int
store_topic_usage(struct store *st, int64_t topic_id, int64_t *nfeeds,
    int64_t *nsubscriptions, char **err)
{
	static const char sql[] = "SELECT"
	    " (SELECT count(*) FROM feed_topics WHERE topic_id = ?1),"
	    " (SELECT count(*) FROM subscriptions WHERE topic_id = ?1)";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, topic_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*nfeeds = sqlite3_column_int64(s, 0);
		*nsubscriptions = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "counting a topic's use",
	    err);
}

/* "DELETE ... WHERE id = ?" and the like: 0, STORE_NOTFOUND, or -1. */
static int
change_by_id(struct store *st, const char *sql, int64_t id, const char *text,
    const char *what, char **err)
{
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int n;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_bind_parameter_count(s) >= 2)
		bind_text(s, 2, text);
	if ((n = step_changes(st, s, what, err)) == -1)
		return -1;
	return n > 0 ? 0 : STORE_NOTFOUND;
}

int
store_topic_remove(struct store *st, int64_t topic_id, char **err)
{
	static const char sql[] = "DELETE FROM topics WHERE id = ?";

	return change_by_id(st, sql, topic_id, NULL, "removing a topic", err);
}

/* ----------------------------------------------------------------- feeds */

static const char feed_link_sql[] = "INSERT OR IGNORE INTO feed_topics "
    "(feed_id, topic_id) VALUES (?, ?)";

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
	if (link_topics(st, feed_link_sql, sqlite3_last_insert_rowid(st->db),
	    topic_ids, ntopics, 0, 0, err) == -1 ||
	    store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* Every feed, the active ones, or the one with id (when id > 0). */
static int
feed_select(struct store *st, int active_only, int64_t id,
    store_feed_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT f.id, f.url, f.title, f.site_link,"
	    " f.etag, f.last_modified, f.state,"
	    " (SELECT group_concat(slug, ',') FROM (SELECT t.slug"
	    "   FROM feed_topics ft JOIN topics t ON t.id = ft.topic_id"
	    "   WHERE ft.feed_id = f.id ORDER BY t.slug)),"
	    " f.last_fetch, f.last_status, f.last_error,"
	    " f.consecutive_errors,"
	    " (SELECT count(*) FROM items WHERE feed_id = f.id),"
	    " f.last_new_item, f.title_set, f.next_fetch"
	    " FROM feeds f WHERE (?1 = 0 OR f.state = 'active')"
	    " AND (?2 = 0 OR f.id = ?2) ORDER BY f.id";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct feed_row r;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, active_only);
	sqlite3_bind_int64(s, 2, id);
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
		r.last_new_item = sqlite3_column_int64(s, 13);
		r.title_set = sqlite3_column_int(s, 14);
		r.next_fetch = sqlite3_column_int64(s, 15);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "listing feeds", err);
}

int
store_feed_each(struct store *st, int active_only, store_feed_fn fn,
    void *ctx, char **err)
{
	return feed_select(st, active_only, 0, fn, ctx, err);
}

/*
 * Only what a fetch needs: the count of items and the topics that
 * feed_select adds cost more than the rest of a run of 304s.
 */
int
store_feed_to_fetch(struct store *st, int active_only, int64_t due_at,
    store_feed_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT id, url, etag, last_modified,"
	    " consecutive_errors FROM feeds"
	    " WHERE (?1 = 0 OR state = 'active')"
	    " AND (?2 < 0 OR coalesce(next_fetch, 0) <= ?2) ORDER BY id";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct feed_row r;
	int rc;

	if (s == NULL)
		return -1;
	memset(&r, 0, sizeof r);
	sqlite3_bind_int(s, 1, active_only);
	sqlite3_bind_int64(s, 2, due_at);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.url = col_text(s, 1);
		r.etag = col_text(s, 2);
		r.last_modified = col_text(s, 3);
		r.consecutive_errors = sqlite3_column_int(s, 4);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "listing feeds to fetch", err);
}

int
store_feed_get(struct store *st, int64_t id, store_feed_fn fn, void *ctx,
    char **err)
{
	return feed_select(st, 0, id, fn, ctx, err);
}

int
store_feed_id(struct store *st, const char *url, int64_t *id, char **err)
{
	static const char sql[] = "SELECT id FROM feeds WHERE url = ?";

	return store_lookup_id(st, sql, url, id, "finding a feed", err);
}

int
store_feed_remove(struct store *st, int64_t id, char **err)
{
	static const char sql[] = "DELETE FROM feeds WHERE id = ?";

	return change_by_id(st, sql, id, NULL, "removing a feed", err);
}

int
store_feed_set_state(struct store *st, int64_t id, const char *state,
    char **err)
{
	/* Back to active: fetch it at the next collect, errors forgotten. */
	static const char sql[] = "UPDATE feeds SET state = ?2,"
	    " next_fetch = NULL, consecutive_errors = CASE WHEN ?2 = 'active'"
	    "   THEN 0 ELSE consecutive_errors END"
	    " WHERE id = ?1 AND state <> ?2";
	int rc = change_by_id(st, sql, id, state, "changing a feed", err);

	return rc == STORE_NOTFOUND ? STORE_EXISTS : rc;
}

int
store_feed_set_title(struct store *st, int64_t id, const char *title,
    char **err)
{
	static const char sql[] = "UPDATE feeds SET title = coalesce(?2, title),"
	    " title_set = ?2 IS NOT NULL WHERE id = ?1";
	int rc = change_by_id(st, sql, id, title, "changing a feed", err);

	return rc == STORE_NOTFOUND ? 0 : rc;
}

int
store_feed_set_site_link(struct store *st, int64_t id, const char *link,
    char **err)
{
	static const char sql[] = "UPDATE feeds SET site_link = ?2 WHERE id = ?1";
	int rc = change_by_id(st, sql, id, link, "changing a feed", err);

	return rc == STORE_NOTFOUND ? 0 : rc;
}

int
store_feed_add_topics(struct store *st, int64_t id, const int64_t *topic_ids,
    size_t ntopics, int *added, char **err)
{
	int before = sqlite3_total_changes(st->db);

	if (link_topics(st, feed_link_sql, id, topic_ids, ntopics, 0, 0,
	    err) == -1)
		return -1;
	*added = sqlite3_total_changes(st->db) - before;
	return 0;
}

int
store_feed_set_topics(struct store *st, int64_t id, const int64_t *topic_ids,
    size_t ntopics, char **err)
{
	static const char clear[] = "DELETE FROM feed_topics WHERE feed_id = ?";
	int rc;

	if (store_begin(st, err) == -1)
		return -1;
	rc = change_by_id(st, clear, id, NULL, "changing a feed's topics", err);
	if (rc == -1 || link_topics(st, feed_link_sql, id, topic_ids, ntopics,
	    0, 0, err) == -1 || store_commit(st, err) == -1) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ subscribers */

/* The first digest holds the last period's entries, not the whole history:
 * start the mark at the newest entry seen before then. */
static const char subscription_sql[] = "INSERT OR IGNORE INTO subscriptions "
    "(subscriber_id, topic_id, created, mark) SELECT ?1, ?2, ?3 + 0, "
    " coalesce((SELECT max(i.id) FROM items i JOIN feed_topics ft"
    "  ON ft.feed_id = i.feed_id WHERE ft.topic_id = ?2"
    "  AND i.fetched < ?3 - ?4), 0)";

static int64_t
period_of(const char *frequency)
{
	return frequency && !strcmp(frequency, "daily") ? DAY : WEEK;
}

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
	sqlite3_stmt *s;
	char token[33];
	int rc;
	int64_t id, period = period_of(frequency);

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
	if (link_topics(st, subscription_sql, id, topic_ids, ntopics, now, period,
	    err) == -1 ||
	    store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
store_subscription_add(struct store *st, int64_t subscriber_id,
    const char *frequency, int64_t topic_id, int64_t now, char **err)
{
	if (link_topics(st, subscription_sql, subscriber_id, &topic_id, 1, now,
	    period_of(frequency), err) == -1)
		return -1;
	return sqlite3_changes(st->db) ? 0 : STORE_EXISTS;
}

int
store_subscriber_id(struct store *st, const char *email, int64_t *id,
    char **err)
{
	static const char sql[] = "SELECT id FROM subscribers WHERE email = ?";

	return store_lookup_id(st, sql, email, id, "finding a subscriber", err);
}
