/*
 * store-import.c - what subscriber import needs from the store: one
 * subscriber found by address through the address index.
 *
 * store_subscriber_select's optional filters keep SQLite from using the
 * index, and an import looks up every row.  Never prints.
 */
#include "store-int.h"

int
store_subscriber_by_email(struct store *st, const char *email,
    store_subscriber_fn fn, void *ctx, char **err)
{
	static const char sql[] = "SELECT s.id, s.email, s.name, s.status,"
	    " s.frequency,"
	    " (SELECT group_concat(slug, ',') FROM (SELECT t.slug"
	    "   FROM subscriptions su JOIN topics t ON t.id = su.topic_id"
	    "   WHERE su.subscriber_id = s.id ORDER BY t.slug)),"
	    " s.token, s.created, s.last_digest, s.bounces"
	    " FROM subscribers s WHERE s.email = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct subscriber_row r;
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, email);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.email = col_text(s, 1);
		r.name = col_text(s, 2);
		r.status = col_text(s, 3);
		r.frequency = col_text(s, 4);
		r.topics = col_text(s, 5);
		r.token = col_text(s, 6);
		r.created = sqlite3_column_int64(s, 7);
		r.last_digest = sqlite3_column_int64(s, 8);
		r.bounces = sqlite3_column_int64(s, 9);
		fn(&r, ctx);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "finding a subscriber",
	    err);
}
