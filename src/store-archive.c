/*
 * store-archive.c - what the web archive publishes: every entry of a
 * topic, and the entries of the digests that were sent.
 *
 * Only public data leaves here: entries, feeds, topics and the time a
 * digest was made.  Never a subscriber's address, name or token.
 */
#include "store-int.h"

/* Entry rows, then the digest's time, to fn until it returns non-zero. */
static int
archive_rows(struct store *st, sqlite3_stmt *s, store_archive_fn fn,
    void *ctx, char **err)
{
	struct archive_row r;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		entry_row_read(s, &r.e);
		r.digest_created = sqlite3_column_int64(s, 10);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "reading the archive", err);
}

/*
 * The columns of an entry row.  The body is cut in SQL: a 5 MB post never
 * reaches the excerpt code.
 */
#define ARCHIVE_COLUMNS "SELECT t.id, t.slug, t.name, i.id, i.title," \
	" i.link, coalesce(f.title, f.url)," \
	" substr(coalesce(nullif(i.summary_html, ''), i.content_html), 1, ?1)," \
	" NULL, coalesce(i.published, i.updated, i.fetched) AS d"

int
store_archive_entries(struct store *st, int64_t topic_id, size_t cap,
    store_archive_fn fn, void *ctx, char **err)
{
	static const char sql[] = ARCHIVE_COLUMNS ", 0"
	    " FROM topics t JOIN feed_topics ft ON ft.topic_id = t.id"
	    " JOIN items i ON i.feed_id = ft.feed_id"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE t.id = ?2 ORDER BY d DESC, i.id DESC";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)cap);
	sqlite3_bind_int64(s, 2, topic_id);
	return archive_rows(st, s, fn, ctx, err);
}

int
store_archive_sent(struct store *st, size_t cap, store_archive_fn fn,
    void *ctx, char **err)
{
	static const char sql[] = ARCHIVE_COLUMNS ", g.created"
	    " FROM digests g JOIN digest_topics dt ON dt.digest_id = g.id"
	    " JOIN section_items si ON si.section_id = dt.section_id"
	    " JOIN topics t ON t.id = dt.topic_id"
	    " JOIN items i ON i.id = si.item_id"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE g.state = 'sent'"
	    " ORDER BY g.created, t.slug, d DESC, i.id DESC";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)cap);
	return archive_rows(st, s, fn, ctx, err);
}

int
store_archive_sent_topics(struct store *st, store_archive_topic_fn fn,
    void *ctx, char **err)
{
	static const char sql[] = "SELECT g.id, g.created, dt.topic_id,"
	    " dt.section_id"
	    " FROM digests g JOIN digest_topics dt ON dt.digest_id = g.id"
	    " WHERE g.state = 'sent' AND dt.section_id IS NOT NULL"
	    " ORDER BY g.id, dt.position";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct archive_topic_row r;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.digest_id = sqlite3_column_int64(s, 0);
		r.digest_created = sqlite3_column_int64(s, 1);
		r.topic_id = sqlite3_column_int64(s, 2);
		r.section_id = sqlite3_column_int64(s, 3);
		if (fn(&r, ctx) != 0)
			break;
	}
	return step_end(st, s, rc, "reading the archive", err);
}
