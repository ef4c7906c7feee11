/*
 * store-admin.c - the outbox as the operator sees it (list, show, retry,
 * drop) and the bounce count that retires an address.
 *
 * Nothing here deletes a digest: a dropped one keeps its row and its
 * entries, so what was not sent stays visible.  State changes are single
 * guarded UPDATEs, so a concurrent send can never see half of one.
 */
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "xmalloc.h"

#define OUTBOX_SELECT "SELECT d.id, d.subscriber_id, s.email, s.name," \
	" s.status, s.bounces, d.state, d.message_id, d.created, d.attempts," \
	" d.next_attempt, d.last_error, d.sent," \
	" (SELECT count(*) FROM digest_topics dt JOIN section_items si" \
	" ON si.section_id = dt.section_id WHERE dt.digest_id = d.id)," \
	" s.soft_bounces" \
	" FROM digests d JOIN subscribers s ON s.id = d.subscriber_id"

static void
read_row(sqlite3_stmt *s, struct outbox_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->subscriber_id = sqlite3_column_int64(s, 1);
	r->email = col_text(s, 2);
	r->name = col_text(s, 3);
	r->subscriber_status = col_text(s, 4);
	r->bounces = sqlite3_column_int(s, 5);
	r->state = col_text(s, 6);
	r->message_id = col_text(s, 7);
	r->created = sqlite3_column_int64(s, 8);
	r->attempts = sqlite3_column_int(s, 9);
	r->next_attempt = sqlite3_column_int64(s, 10);
	r->last_error = col_text(s, 11);
	r->sent = sqlite3_column_int64(s, 12);
	r->nitems = sqlite3_column_int64(s, 13);
	r->soft_bounces = sqlite3_column_int(s, 14);
}

/* Step s to the end, handing each row to fn; *seen counts rows. */
static int
each_row(struct store *st, sqlite3_stmt *s, store_outbox_fn fn, void *ctx,
    int *seen, char **err)
{
	struct outbox_row r;
	int rc;

	*seen = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		(*seen)++;
		read_row(s, &r);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "reading the outbox", err);
}

int
store_outbox_each(struct store *st, const char *state, store_outbox_fn fn,
    void *ctx, char **err)
{
	static const char sql[] = OUTBOX_SELECT
	    " WHERE ?1 IS NULL OR d.state = ?1 ORDER BY d.id";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int seen;

	if (s == NULL)
		return -1;
	bind_text(s, 1, state);
	return each_row(st, s, fn, ctx, &seen, err);
}

int
store_outbox_get(struct store *st, int64_t id, store_outbox_fn fn, void *ctx,
    char **err)
{
	static const char sql[] = OUTBOX_SELECT " WHERE d.id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int seen;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (each_row(st, s, fn, ctx, &seen, err) == -1)
		return -1;
	return seen ? 0 : STORE_NOTFOUND;
}

/* After a guarded UPDATE changed nothing: is the row missing, or in the
 * wrong state? */
static int
why_unchanged(struct store *st, int64_t id, char **err)
{
	static const char sql[] = "SELECT 1 FROM digests WHERE id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return STORE_WRONGSTATE;
	return rc == SQLITE_DONE ? STORE_NOTFOUND
	    : store_fail(st, "reading the outbox", err);
}

static int
guarded_update(struct store *st, const char *sql, int64_t id,
    const char *what, char **err)
{
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (step_done(st, s, what, err) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1 ? 0 : why_unchanged(st, id, err);
}

int
store_outbox_retry(struct store *st, int64_t id, char **err)
{
	/* attempts and last_error stay: they are the digest's history, and
	 * the next deferral backs off from there. */
	static const char sql[] = "UPDATE digests SET state = 'queued',"
	    " next_attempt = NULL WHERE id = ?"
	    " AND state IN ('failed', 'deferred', 'dropped')";

	return guarded_update(st, sql, id, "retrying a digest", err);
}

int
store_outbox_drop(struct store *st, int64_t id, char **err)
{
	static const char sql[] = "UPDATE digests SET state = 'dropped',"
	    " next_attempt = NULL WHERE id = ?"
	    " AND state IN ('queued', 'deferred', 'failed')";

	return guarded_update(st, sql, id, "dropping a digest", err);
}

/*
 * Run inc, an UPDATE of one subscriber's counter RETURNING (count, status),
 * and hand back the new count: -1 when the subscriber is not active (an
 * unsubscribed one stays unsubscribed, nothing to retire).
 */
static int
bounce_count(struct store *st, const char *inc, int64_t subscriber_id,
    int *bounces, char **err)
{
	sqlite3_stmt *s = stmt_get(st, inc, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, subscriber_id);
	rc = sqlite3_step(s);
	*bounces = -1;
	if (rc == SQLITE_ROW && strcmp(col_text(s, 1), "active") == 0)
		*bounces = sqlite3_column_int(s, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "counting a bounce", err);
}

int
store_retire(struct store *st, int64_t subscriber_id, char **err)
{
	static const char sub[] = "UPDATE subscribers SET status = 'bounced'"
	    " WHERE id = ?";
	static const char rest[] = "UPDATE digests SET state = 'dropped',"
	    " next_attempt = NULL, last_error = coalesce(last_error || '; ', '')"
	    " || 'not sent: the address bounced'"
	    " WHERE subscriber_id = ? AND state IN ('queued', 'deferred')";
	sqlite3_stmt *s;

	if ((s = stmt_get(st, sub, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, subscriber_id);
	if (step_done(st, s, "marking a subscriber bounced", err) == -1 ||
	    (s = stmt_get(st, rest, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, subscriber_id);
	return step_done(st, s, "dropping a bounced subscriber's digests",
	    err);
}

/* Count one bounce with inc; at limit (0: never) retire the subscriber. */
static int
bounce_and_retire(struct store *st, const char *inc, int64_t subscriber_id,
    int limit, int *retired, char **err)
{
	int bounces;

	*retired = 0;
	if (store_begin(st, err) == -1)
		return -1;
	if (bounce_count(st, inc, subscriber_id, &bounces, err) == -1)
		goto fail;
	if (limit > 0 && bounces >= limit) {
		if (store_retire(st, subscriber_id, err) == -1)
			goto fail;
		*retired = 1;
	}
	if (store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	*retired = 0;
	return -1;
}

int
store_subscriber_bounce(struct store *st, int64_t subscriber_id,
    int max_bounces, int *now_bounced, char **err)
{
	static const char inc[] = "UPDATE subscribers SET bounces = bounces + 1"
	    " WHERE id = ? RETURNING bounces, status";

	return bounce_and_retire(st, inc, subscriber_id, max_bounces,
	    now_bounced, err);
}

int
store_subscriber_soft_bounce(struct store *st, int64_t subscriber_id,
    int soft_limit, int *suspended, char **err)
{
	static const char inc[] = "UPDATE subscribers"
	    " SET soft_bounces = soft_bounces + 1"
	    " WHERE id = ? RETURNING soft_bounces, status";

	return bounce_and_retire(st, inc, subscriber_id, soft_limit,
	    suspended, err);
}
