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
	int64_t one;
	int rc = store_lookup_id(st, sql, key, &one, "looking up handled mail",
	    err);

	*seen = rc == 0;
	return rc == -1 ? -1 : 0;
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

int
store_digest_recipient(struct store *st, const char *message_id,
    int64_t *subscriber_id, char **err)
{
	static const char sql[] = "SELECT subscriber_id FROM digests"
	    " WHERE message_id = ?";

	return store_lookup_id(st, sql, message_id, subscriber_id,
	    "looking up a digest by Message-ID", err);
}
