/*
 * store-outbox.c - unseen entries, the outbox, and its state changes.
 *
 * store_digest_queue is the one atomic step that makes a digest exist: the
 * outbox row and the advanced marks commit together, so a crash before it
 * loses nothing and a crash after it sends the digest on the next run.
 */
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "store-int.h"
#include "xmalloc.h"

void
entry_row_read(sqlite3_stmt *s, struct unseen_row *r)
{
	r->topic_id = sqlite3_column_int64(s, 0);
	r->topic_slug = col_text(s, 1);
	r->topic_name = col_text(s, 2);
	r->item_id = sqlite3_column_int64(s, 3);
	r->title = col_text(s, 4);
	r->link = col_text(s, 5);
	r->source = col_text(s, 6);
	r->summary_html = col_text(s, 7);
	r->content_html = col_text(s, 8);
	r->date = sqlite3_column_int64(s, 9);
}

/* Rows in unseen_row's column order, to fn until it returns non-zero. */
static int
unseen_rows(struct store *st, sqlite3_stmt *s, store_unseen_fn fn, void *ctx,
    char **err)
{
	struct unseen_row r;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		entry_row_read(s, &r);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "reading entries", err);
}

#define ENTRY_COLUMNS "SELECT t.id, t.slug, t.name, i.id, i.title," \
	" i.link, coalesce(f.title, f.url), i.summary_html, i.content_html," \
	" coalesce(i.published, i.updated, i.fetched) AS d"

int
store_unseen_each(struct store *st, int64_t subscriber_id, store_unseen_fn fn,
    void *ctx, char **err)
{
	static const char sql[] = ENTRY_COLUMNS
	    " FROM subscriptions su JOIN topics t ON t.id = su.topic_id"
	    " JOIN feed_topics ft ON ft.topic_id = t.id"
	    " JOIN items i ON i.feed_id = ft.feed_id AND i.id > su.mark"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE su.subscriber_id = ?"
	    " ORDER BY t.slug, d DESC, i.id DESC";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, subscriber_id);
	return unseen_rows(st, s, fn, ctx, err);
}

int
store_topic_entries_each(struct store *st, int64_t topic_id,
    store_unseen_fn fn, void *ctx, char **err)
{
	static const char sql[] = ENTRY_COLUMNS
	    " FROM topics t JOIN feed_topics ft ON ft.topic_id = t.id"
	    " JOIN items i ON i.feed_id = ft.feed_id"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE t.id = ? ORDER BY d DESC, i.id DESC";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, topic_id);
	return unseen_rows(st, s, fn, ctx, err);
}

int
store_subscriber_fill(struct store *st, struct digest *d, char **err)
{
	static const char sql[] =
	    "SELECT email, name, token FROM subscribers WHERE id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, d->subscriber_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		xstrset(&d->email, col_text(s, 0));
		xstrset(&d->name, col_text(s, 1));
		xstrset(&d->token, col_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE) {
		*err = xasprintf("subscriber %lld does not exist",
		    (long long)d->subscriber_id);
		return -1;
	}
	return store_fail(st, "reading a subscriber", err);
}

static int
queue_topic(struct store *st, const struct digest *d, size_t i, char **err)
{
	static const char top[] = "INSERT INTO digest_topics (digest_id,"
	    " topic_id, position, more, section_id) VALUES (?, ?, ?, ?, ?)";
	static const char mark[] = "UPDATE subscriptions SET mark = max(mark, ?)"
	    " WHERE subscriber_id = ? AND topic_id = ?";
	const struct digest_topic *t = &d->topics[i];
	sqlite3_stmt *s;
	int64_t section;

	if (store_section_for(st, d, i, &section, err) == -1 ||
	    (s = stmt_get(st, top, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, d->id);
	sqlite3_bind_int64(s, 2, t->topic_id);
	sqlite3_bind_int(s, 3, (int)i);
	sqlite3_bind_int64(s, 4, (int64_t)t->more);
	if (section != 0)
		sqlite3_bind_int64(s, 5, section);
	if (step_done(st, s, "queueing a digest", err) == -1 ||
	    (s = stmt_get(st, mark, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, t->new_mark);
	sqlite3_bind_int64(s, 2, d->subscriber_id);
	sqlite3_bind_int64(s, 3, t->topic_id);
	return step_done(st, s, "advancing a mark", err);
}

int
store_digest_queue(struct store *st, struct digest *d, int64_t now,
    char **err)
{
	static const char ins[] = "INSERT INTO digests (subscriber_id, created,"
	    " message_id) VALUES (?, ?, ?)";
	static const char last[] =
	    "UPDATE subscribers SET last_digest = ? WHERE id = ?";
	sqlite3_stmt *s;
	size_t i;

	if (store_begin(st, err) == -1 || (s = stmt_get(st, ins, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, d->subscriber_id);
	sqlite3_bind_int64(s, 2, now);
	bind_text(s, 3, d->message_id);
	if (step_done(st, s, "queueing a digest", err) == -1)
		goto fail;
	d->id = sqlite3_last_insert_rowid(st->db);
	d->created = now;
	for (i = 0; i < d->ntopics; i++)
		if (queue_topic(st, d, i, err) == -1)
			goto fail;
	if (store_digest_queue_notes(st, d, err) == -1)
		goto fail;
	if ((s = stmt_get(st, last, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, d->subscriber_id);
	if (step_done(st, s, "queueing a digest", err) == -1 ||
	    store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	d->id = 0;
	return -1;
}

int
store_outbox_due(struct store *st, int64_t now, int64_t **ids, size_t *n,
    char **err)
{
	static const char sql[] = "SELECT id FROM digests WHERE state = 'queued'"
	    " OR (state = 'deferred' AND next_attempt <= ?) ORDER BY id";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	*ids = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return store_fail(st, "reading the outbox", err);
}

const char *
store_filename(struct store *st)
{
	return sqlite3_db_filename(st->db, "main");
}

static int
load_header(struct store *st, struct digest *d, char **err)
{
	static const char sql[] = "SELECT subscriber_id, message_id, created"
	    " FROM digests WHERE id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, d->id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		d->subscriber_id = sqlite3_column_int64(s, 0);
		xstrset(&d->message_id, col_text(s, 1));
		d->created = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		*err = xasprintf("digest %lld is not in the outbox",
		    (long long)d->id);
	else if (rc != SQLITE_ROW)
		store_fail(st, "reading a digest", err);
	return rc == SQLITE_ROW ? store_subscriber_fill(st, d, err) : -1;
}

static int
load_topics(struct store *st, struct digest *d, char **err)
{
	static const char sql[] = "SELECT t.id, t.slug, t.name, dt.more,"
	    " dt.section_id FROM digest_topics dt"
	    " JOIN topics t ON t.id = dt.topic_id"
	    " WHERE dt.digest_id = ? ORDER BY dt.position";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct digest_topic *t;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, d->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t = digest_add_topic(d, sqlite3_column_int64(s, 0),
		    col_text(s, 1), col_text(s, 2));
		t->more = (size_t)sqlite3_column_int64(s, 3);
		t->section_id = sqlite3_column_int64(s, 4);
	}
	return step_end(st, s, rc, "reading a digest", err);
}

struct digest *
store_digest_load(struct store *st, int64_t id, struct loaded_sections *l,
    char **err)
{
	struct digest *d = digest_new();

	d->id = id;
	if (load_header(st, d, err) == -1 || load_topics(st, d, err) == -1 ||
	    store_sections_load(st, d, l, err) == -1 ||
	    store_digest_load_notes(st, d, err) == -1) {
		digest_free(d);
		return NULL;
	}
	return d;
}

/*
 * A delivery also clears the subscriber's runs of hard and soft bounces:
 * max_bounces and soft_limit count consecutive ones, so an address that
 * works again starts over.
 */
int
store_digest_sent(struct store *st, int64_t id, int64_t now, char **err)
{
	static const char sql[] = "UPDATE digests SET state = 'sent', sent = ?,"
	    " attempts = attempts + 1, last_error = NULL, next_attempt = NULL"
	    " WHERE id = ?";
	static const char reset[] = "UPDATE subscribers SET bounces = 0,"
	    " soft_bounces = 0 WHERE (bounces > 0 OR soft_bounces > 0) AND id ="
	    " (SELECT subscriber_id FROM digests WHERE id = ?)";
	sqlite3_stmt *s;

	if (store_begin(st, err) == -1 || (s = stmt_get(st, sql, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, id);
	if (step_done(st, s, "marking a digest sent", err) == -1 ||
	    (s = stmt_get(st, reset, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	if (step_done(st, s, "clearing a subscriber's bounces", err) == -1 ||
	    store_commit(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
store_digest_attempt_failed(struct store *st, int64_t id, const char *error,
    int64_t retry_at, char **err)
{
	static const char sql[] = "UPDATE digests SET"
	    " state = CASE WHEN ?3 > 0 THEN 'deferred' ELSE 'failed' END,"
	    " attempts = attempts + 1, last_error = ?2,"
	    " next_attempt = CASE WHEN ?3 > 0 THEN ?3 END WHERE id = ?1";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, error);
	sqlite3_bind_int64(s, 3, retry_at);
	return step_done(st, s, "recording a failed attempt", err);
}

int
store_digest_count(struct store *st, const char *state, int64_t *n,
    char **err)
{
	static const char sql[] = "SELECT count(*) FROM digests WHERE state = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, state);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "counting digests", err);
}
