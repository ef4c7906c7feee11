/*
 * store-tokens.c - subscribers found by their token (the web pages), the
 * double opt-in states, and the expiry of unconfirmed subscribers.
 *
 * A token is looked up through an index on its SHA-256, never on the token
 * itself, and then compared in constant time, so that how long a lookup
 * takes tells nothing about which tokens exist.  Never prints.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "store-int.h"
#include "xmalloc.h"

#define TOKEN_MAX 64

/* SQL function gz_token_hash(token): the SHA-256 blob of the text. */
static void
sql_token_hash(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	const unsigned char *t = sqlite3_value_text(argv[0]);
	unsigned char h[32];

	(void)argc;
	if (t == NULL) {
		sqlite3_result_null(c);
		return;
	}
	crypto_sha256(t, (size_t)sqlite3_value_bytes(argv[0]), h);
	sqlite3_result_blob(c, h, sizeof h, SQLITE_TRANSIENT);
}

/* Subscribers added since the last lookup have no hash yet: fill them in
 * (the same statement whatever token is asked for). */
static int
backfill(struct store *st, char **err)
{
	static const char sql[] = "UPDATE subscribers SET token_hash ="
	    " gz_token_hash(token) WHERE token_hash IS NULL";
	sqlite3_stmt *s;

	if (sqlite3_create_function(st->db, "gz_token_hash", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_token_hash, NULL,
	    NULL) != SQLITE_OK)
		return store_fail(st, "registering the token hash", err);
	if ((s = stmt_get(st, sql, err)) == NULL)
		return -1;
	return step_done(st, s, "indexing subscriber tokens", err);
}

/* Equal strings, in time that depends only on the length of a. */
static int
same_token(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i;
	unsigned char diff = (unsigned char)(na != nb);

	for (i = 0; i < na; i++)
		diff |= (unsigned char)(a[i] ^ (i < nb ? b[i] : 0));
	return diff == 0;
}

int
store_token_find(struct store *st, const char *token,
    struct token_subscriber *out, char **err)
{
	static const char sql[] = "SELECT id, token, status, email"
	    " FROM subscribers WHERE token_hash = ?";
	static const char decoy[] = "00000000000000000000000000000000";
	volatile int sink;
	unsigned char h[32];
	sqlite3_stmt *s;
	int rc, found;

	memset(out, 0, sizeof *out);
	if (strlen(token) > TOKEN_MAX)
		return STORE_NOTFOUND;
	if (backfill(st, err) == -1 || (s = stmt_get(st, sql, err)) == NULL)
		return -1;
	crypto_sha256(token, strlen(token), h);
	sqlite3_bind_blob(s, 1, h, sizeof h, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return store_fail(st, "looking up a token", err);
	}
	if (rc == SQLITE_ROW) {
		found = same_token(token, col_text(s, 1));
		out->id = sqlite3_column_int64(s, 0);
		snprintf(out->status, sizeof out->status, "%s", col_text(s, 2));
		snprintf(out->email, sizeof out->email, "%s", col_text(s, 3));
	} else {
		/* the same comparison, against nothing real */
		sink = same_token(token, decoy);
		found = 0 * sink;
	}
	sqlite3_reset(s);
	if (!found)
		memset(out, 0, sizeof *out);
	return found ? 0 : STORE_NOTFOUND;
}

int
store_subscriber_confirm(struct store *st, int64_t id, int64_t now,
    char **err)
{
	static const char sql[] = "UPDATE subscribers SET status = 'active',"
	    " confirmed = ?2 WHERE id = ?1 AND status = 'pending'";
	sqlite3_stmt *s;

	if ((s = stmt_get(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return step_changes(st, s, "confirming a subscriber", err);
}

/* Run sql with ?1 = v: the rows it changed, or -1 with *err. */
static int
exec_with(struct store *st, const char *sql, int64_t v, const char *what,
    char **err)
{
	sqlite3_stmt *s;

	if ((s = stmt_get(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, v);
	return step_changes(st, s, what, err);
}

int
store_subscriber_set_pending(struct store *st, int64_t id, char **err)
{
	static const char sql[] = "UPDATE subscribers SET status = 'pending',"
	    " confirmed = NULL WHERE id = ?1";

	return exec_with(st, sql, id, "marking a subscriber pending", err) ==
	    -1 ? -1 : 0;
}

int
store_pending_expire(struct store *st, int64_t before, char **err)
{
	static const char sql[] = "DELETE FROM subscribers"
	    " WHERE status = 'pending' AND created < ?1";

	return exec_with(st, sql, before, "removing unconfirmed subscribers",
	    err);
}

int
store_subscriber_unsubscribe(struct store *st, int64_t id, char **err)
{
	static const char sub[] = "UPDATE subscribers SET status ="
	    " 'unsubscribed' WHERE id = ?1";
	static const char rest[] = "UPDATE digests SET state = 'dropped',"
	    " next_attempt = NULL, last_error = coalesce(last_error || '; ', '')"
	    " || 'not sent: unsubscribed'"
	    " WHERE subscriber_id = ?1 AND state IN ('queued', 'deferred')";

	if (store_begin(st, err) == -1)
		return -1;
	if (exec_with(st, sub, id, "unsubscribing", err) == -1 ||
	    exec_with(st, rest, id, "dropping an unsubscribed subscriber's "
	    "digests", err) == -1 || store_commit(st, err) == -1) {
		store_rollback(st);
		return -1;
	}
	return 0;
}
