/*
 * store-people.c - subscribers as the operator manages them: finding,
 * changing and removing them, and their subscriptions one topic at a time.
 *
 * Adding subscribers (and their first subscriptions) is in store-catalog.c.
 * Like every store file it never prints; errors go back in *err.
 */
#include <stdlib.h>

#include "store-int.h"

/* The columns read_subscriber reads, in its order; topics is the
 * subscriber's topic slugs, or NULL. */
#define SUBSCRIBER_SELECT(topics) "SELECT s.id, s.email, s.name, s.status," \
	" s.frequency, " topics "," \
	" s.token, s.created, s.last_digest, s.bounces, s.soft_bounces" \
	" FROM subscribers s"
#define SUBSCRIBER_COLUMNS SUBSCRIBER_SELECT( \
	"(SELECT group_concat(slug, ',') FROM (SELECT t.slug" \
	"   FROM subscriptions su JOIN topics t ON t.id = su.topic_id" \
	"   WHERE su.subscriber_id = s.id ORDER BY t.slug))")

static void
read_subscriber(sqlite3_stmt *s, struct subscriber_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->email = col_text(s, 1);
	r->name = col_text(s, 2);
	r->status = col_text(s, 3);
	r->frequency = col_text(s, 4);
	r->topics = col_text(s, 5);
	r->token = col_text(s, 6);
	r->created = sqlite3_column_int64(s, 7);
	r->last_digest = sqlite3_column_int64(s, 8);
	r->bounces = sqlite3_column_int64(s, 9);
	r->soft_bounces = sqlite3_column_int64(s, 10);
}

/* s's rows to fn until it returns non-zero. */
static int
subscriber_rows(struct store *st, sqlite3_stmt *s, store_subscriber_fn fn,
    void *ctx, char **err)
{
	struct subscriber_row r;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_subscriber(s, &r);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "listing subscribers", err);
}

int
store_subscriber_select(struct store *st, const struct subscriber_filter *f,
    store_subscriber_fn fn, void *ctx, char **err)
{
	static const char sql[] = SUBSCRIBER_COLUMNS
	    " WHERE (?1 IS NULL OR s.status = ?1)"
	    " AND (?2 = 0 OR EXISTS (SELECT 1 FROM subscriptions"
	    "   WHERE subscriber_id = s.id AND topic_id = ?2))"
	    " AND (?3 IS NULL OR s.email = ?3)"
	    " ORDER BY s.email";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, f->status);
	sqlite3_bind_int64(s, 2, f->topic_id);
	bind_text(s, 3, f->email);
	return subscriber_rows(st, s, fn, ctx, err);
}

/*
 * Without the topics: compose lists every subscriber, and the topics'
 * subquery (a sort per subscriber) was a tenth of its time.
 */
int
store_subscriber_each(struct store *st, int active_only,
    store_subscriber_fn fn, void *ctx, char **err)
{
	static const char sql[] = SUBSCRIBER_SELECT("NULL")
	    " WHERE (?1 IS NULL OR s.status = ?1) ORDER BY s.email";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, active_only ? "active" : NULL);
	return subscriber_rows(st, s, fn, ctx, err);
}

/*
 * store_subscriber_select's optional filters keep SQLite from using the
 * address index, and subscriber import looks up every row: this one does.
 */
int
store_subscriber_by_email(struct store *st, const char *email,
    store_subscriber_fn fn, void *ctx, char **err)
{
	static const char sql[] = SUBSCRIBER_COLUMNS " WHERE s.email = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct subscriber_row r;
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, email);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_subscriber(s, &r);
		fn(&r, ctx);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "finding a subscriber",
	    err);
}

int
store_subscriber_update(struct store *st, int64_t id, const char *name,
    const char *frequency, const char *status, char **err)
{
	static const char sql[] = "UPDATE subscribers SET"
	    " name = CASE WHEN ?2 IS NULL THEN name ELSE nullif(?2, '') END,"
	    " frequency = coalesce(?3, frequency),"
	    " status = coalesce(?4, status) WHERE id = ?1";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, name);
	bind_text(s, 3, frequency);
	bind_text(s, 4, status);
	return step_done(st, s, "changing a subscriber", err);
}

int
store_subscriber_remove(struct store *st, int64_t id, char **err)
{
	/* Subscriptions and digests (with their entries) cascade. */
	static const char sql[] = "DELETE FROM subscribers WHERE id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return step_done(st, s, "removing a subscriber", err);
}

/* s's rows (subscription_row's columns) to fn until it returns non-zero. */
static int
subscription_rows(struct store *st, sqlite3_stmt *s, int64_t subscriber_id,
    store_subscription_fn fn, void *ctx, char **err)
{
	struct subscription_row r;
	int rc;

	sqlite3_bind_int64(s, 1, subscriber_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.topic_id = sqlite3_column_int64(s, 0);
		r.slug = col_text(s, 1);
		r.name = col_text(s, 2);
		r.mark = sqlite3_column_int64(s, 3);
		r.created = sqlite3_column_int64(s, 4);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "listing subscriptions", err);
}

int
store_subscription_each(struct store *st, int64_t subscriber_id,
    store_subscription_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT t.id, t.slug, t.name, su.mark,"
	    " su.created FROM subscriptions su JOIN topics t"
	    " ON t.id = su.topic_id WHERE su.subscriber_id = ? ORDER BY t.slug";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	return s == NULL ? -1 :
	    subscription_rows(st, s, subscriber_id, fn, ctx, err);
}

/* In the primary key's order: no join, no sort (compose asks for every
 * subscriber's). */
int
store_subscription_marks(struct store *st, int64_t subscriber_id,
    store_subscription_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT topic_id, NULL, NULL, mark, created"
	    " FROM subscriptions WHERE subscriber_id = ? ORDER BY topic_id";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	return s == NULL ? -1 :
	    subscription_rows(st, s, subscriber_id, fn, ctx, err);
}

int
store_subscription_remove(struct store *st, int64_t subscriber_id,
    int64_t topic_id, char **err)
{
	static const char sql[] = "DELETE FROM subscriptions"
	    " WHERE subscriber_id = ? AND topic_id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int n;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, subscriber_id);
	sqlite3_bind_int64(s, 2, topic_id);
	if ((n = step_changes(st, s, "removing a subscription", err)) == -1)
		return -1;
	return n > 0 ? 0 : STORE_NOTFOUND;
}
