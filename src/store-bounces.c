/*
 * store-bounces.c - what gazette bounces keeps: the mail it has handled,
 * so a message read twice is acted on once.
 */
#include <string.h>

#include "store-int.h"

int
store_mail_seen(struct store *st, const char *key, int *seen, char **err)
{
	static const char sql[] = "SELECT 1 FROM handled_mail WHERE key = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	*seen = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "looking up handled mail", err);
	return 0;
}

int
store_mail_handled(struct store *st, const char *key, const char *outcome,
    int64_t now, char **err)
{
	static const char sql[] = "INSERT OR IGNORE INTO handled_mail"
	    " (key, handled, outcome) VALUES (?, ?, ?)";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now);
	bind_text(s, 3, outcome);
	return step_done(st, s, "remembering handled mail", err);
}
