/*
 * store.c - opening the database, migrations, transactions, and the
 * statement cache.  Tables of one idea live in store-*.c beside it.
 *
 * Every query is a prepared statement with bound parameters; no SQL text is
 * ever built from data.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store-int.h"
#include "xmalloc.h"

#define BUSY_TIMEOUT_MS 10000
/* Short waits first: a write transaction here lasts well under one. */
#define BUSY_WAIT_US	100
#define BUSY_WAIT_MAX_US 5000

static double
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Waiting for another process's write lock ([smtp] connections > 1 has
 * one writer per connection).  sqlite3_busy_timeout sleeps 1, 2, 5, 10
 * ms and longer between tries while the lock is held for a tenth of a
 * millisecond: with four connections that cost more than the sending.
 * Here the wait starts at 0.1 ms and doubles up to 5 ms, with the same
 * overall limit.
 */
static int
busy_wait(void *ctx, int tries)
{
	struct store *st = ctx;
	struct timespec ts = { 0, 0 };
	long us = BUSY_WAIT_US;

	if (tries == 0)
		st->busy_since = monotonic_ms();
	else if (monotonic_ms() - st->busy_since > BUSY_TIMEOUT_MS)
		return 0;
	for (; tries > 0 && us < BUSY_WAIT_MAX_US; tries--)
		us *= 2;
	ts.tv_nsec = (us < BUSY_WAIT_MAX_US ? us : BUSY_WAIT_MAX_US) * 1000;
	nanosleep(&ts, NULL);
	return 1;
}

/*
 * A rebuild of the digests table (migrations 2 and 9), around its state
 * CHECK: digests_new with every column and row, the AUTOINCREMENT counter
 * carried over (ids never come back), taking the old table's name.
 */
#define DIGESTS_NEW_HEAD \
	"CREATE TABLE digests_new (" \
	"  id INTEGER PRIMARY KEY AUTOINCREMENT," \
	"  subscriber_id INTEGER NOT NULL" \
	"    REFERENCES subscribers(id) ON DELETE CASCADE," \
	"  created INTEGER NOT NULL," \
	"  message_id TEXT NOT NULL UNIQUE," \
	"  state TEXT NOT NULL DEFAULT 'queued'"
#define DIGESTS_NEW_TAIL \
	"  attempts INTEGER NOT NULL DEFAULT 0," \
	"  next_attempt INTEGER," \
	"  last_error TEXT," \
	"  sent INTEGER);" \
	"INSERT INTO digests_new (id, subscriber_id, created, message_id," \
	"  state, attempts, next_attempt, last_error, sent)" \
	"  SELECT id, subscriber_id, created, message_id, state, attempts," \
	"  next_attempt, last_error, sent FROM digests;" \
	"DELETE FROM sqlite_sequence WHERE name = 'digests_new';" \
	"UPDATE sqlite_sequence SET name = 'digests_new'" \
	"  WHERE name = 'digests';" \
	"DROP TABLE digests;" \
	"ALTER TABLE digests_new RENAME TO digests;" \
	"CREATE INDEX digests_state ON digests(state, next_attempt);"

/*
 * Numbered migrations: migrations[i] brings user_version i to i + 1.
 * Append only; never edit a migration that has shipped.
 */
static const char *const migrations[] = {
	/* 1: the whole data model of DESIGN.md */
	"CREATE TABLE topics ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  description TEXT,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE feeds ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  site_link TEXT,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  state TEXT NOT NULL DEFAULT 'active'"
	"    CHECK (state IN ('active', 'paused', 'gone')),"
	"  last_fetch INTEGER,"
	"  last_status INTEGER,"
	"  last_error TEXT,"
	"  consecutive_errors INTEGER NOT NULL DEFAULT 0,"
	"  next_fetch INTEGER,"
	"  last_new_item INTEGER,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE feed_topics ("
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (feed_id, topic_id)) WITHOUT ROWID;"
	"CREATE INDEX feed_topics_topic ON feed_topics(topic_id);"
	/* AUTOINCREMENT: ids only grow, even after deletes, so "id > mark"
	 * can never bring back an old entry. */
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  title TEXT,"
	"  link TEXT,"
	"  author TEXT,"
	"  published INTEGER,"
	"  updated INTEGER,"
	"  summary_html TEXT,"
	"  content_html TEXT,"
	"  categories TEXT,"
	"  fetched INTEGER NOT NULL,"
	"  UNIQUE (feed_id, key));"
	"CREATE INDEX items_link ON items(link);"
	"CREATE TABLE subscribers ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  name TEXT,"
	"  status TEXT NOT NULL DEFAULT 'active'"
	"    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),"
	"  token TEXT NOT NULL UNIQUE,"
	"  frequency TEXT NOT NULL DEFAULT 'weekly'"
	"    CHECK (frequency IN ('daily', 'weekly')),"
	"  created INTEGER NOT NULL,"
	"  confirmed INTEGER,"
	"  bounces INTEGER NOT NULL DEFAULT 0,"
	"  last_digest INTEGER);"
	"CREATE TABLE subscriptions ("
	"  subscriber_id INTEGER NOT NULL"
	"    REFERENCES subscribers(id) ON DELETE CASCADE,"
	"  topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,"
	"  mark INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  PRIMARY KEY (subscriber_id, topic_id)) WITHOUT ROWID;"
	"CREATE INDEX subscriptions_topic ON subscriptions(topic_id);"
	"CREATE TABLE digests ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  subscriber_id INTEGER NOT NULL"
	"    REFERENCES subscribers(id) ON DELETE CASCADE,"
	"  created INTEGER NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued', 'sent', 'deferred', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER,"
	"  last_error TEXT,"
	"  sent INTEGER);"
	"CREATE INDEX digests_state ON digests(state, next_attempt);"
	"CREATE TABLE digest_items ("
	"  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,"
	"  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  topic_id INTEGER NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (digest_id, item_id)) WITHOUT ROWID;"
	"CREATE TABLE digest_topics ("
	"  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,"
	"  topic_id INTEGER NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  more INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;",
	/*
	 * 2: the outbox state 'dropped' (gazette outbox drop keeps the row
	 * and says so).  A CHECK cannot be altered, so the table is rebuilt
	 * (SQLite's twelve-step recipe; migrate() turns foreign keys off
	 * around it, so digest_items and digest_topics keep their rows).
	 * The AUTOINCREMENT counter is carried over: ids never come back.
	 */
	DIGESTS_NEW_HEAD
	"    CHECK (state IN ('queued', 'sent', 'deferred', 'failed',"
	"      'dropped')),"
	DIGESTS_NEW_TAIL,
	/* 3: a title the operator set (gazette feed set --title) survives
	 * collect, which otherwise takes the feed's own title */
	"ALTER TABLE feeds ADD COLUMN title_set INTEGER NOT NULL DEFAULT 0;",
	/* 4: the web pages look a token up by its SHA-256 (store-tokens.c
	 * fills it in), so lookup time says nothing about the token */
	"ALTER TABLE subscribers ADD COLUMN token_hash BLOB;"
	"CREATE UNIQUE INDEX subscribers_token_hash"
	"  ON subscribers(token_hash);",
	/* 5: editors' notes (compose --note, --topic-note): stored once per
	 * run, linked to each digest carrying them, topic_id 0 for the
	 * note on top of the digest */
	"CREATE TABLE notes ("
	"  id INTEGER PRIMARY KEY,"
	"  markdown TEXT NOT NULL,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE digest_notes ("
	"  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,"
	"  topic_id INTEGER NOT NULL,"
	"  note_id INTEGER NOT NULL REFERENCES notes(id),"
	"  PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;",
	/* 6: gazette bounces: soft bounces in a row, and the mail it has
	 * handled (by Message-ID, or a digest of the bytes), so a message
	 * read twice is counted once */
	"ALTER TABLE subscribers ADD COLUMN soft_bounces INTEGER NOT NULL"
	"  DEFAULT 0;"
	"CREATE TABLE handled_mail ("
	"  key TEXT PRIMARY KEY,"
	"  handled INTEGER NOT NULL,"
	"  outcome TEXT NOT NULL) WITHOUT ROWID;",
	/* 7: an item's author's e-mail address beside the name (RSS
	 * "jo@example.org (Jo)", Atom <email>, a JSON Feed mailto:).  Kept
	 * for the operator; nothing public (the archive) reads it. */
	"ALTER TABLE items ADD COLUMN author_email TEXT;",
	/*
	 * 8: a digest's entries per section.  Subscribers who got their
	 * last digest in the same run get the same entries, so a topic's
	 * list of entries is stored once (sections, section_items) and each
	 * digest's topic refers to it, instead of a digest_items row per
	 * entry per digest (100,000 subscribers of 20 entries made two
	 * million).  Existing digests, sent or not, get a section each for
	 * each of their topics, with their entries in their places.  A
	 * section goes with the last digest that refers to it.
	 */
	"CREATE TABLE sections ("
	"  id INTEGER PRIMARY KEY,"
	"  topic_id INTEGER NOT NULL);"
	"CREATE TABLE section_items ("
	"  section_id INTEGER NOT NULL"
	"    REFERENCES sections(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (section_id, position)) WITHOUT ROWID;"
	"CREATE INDEX section_items_item ON section_items(item_id);"
	"ALTER TABLE digest_topics ADD COLUMN section_id INTEGER"
	"  REFERENCES sections(id);"
	"CREATE INDEX digest_topics_section ON digest_topics(section_id);"
	"CREATE TEMP TABLE section_of ("
	"  digest_id INTEGER, topic_id INTEGER, id INTEGER,"
	"  PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;"
	"INSERT INTO section_of SELECT digest_id, topic_id,"
	"  row_number() OVER (ORDER BY digest_id, topic_id)"
	"  FROM (SELECT DISTINCT digest_id, topic_id FROM digest_items);"
	"INSERT INTO sections (id, topic_id)"
	"  SELECT id, topic_id FROM section_of;"
	"INSERT INTO section_items (section_id, position, item_id)"
	"  SELECT so.id, di.position, di.item_id FROM digest_items di"
	"  JOIN section_of so USING (digest_id, topic_id);"
	"UPDATE digest_topics SET section_id = (SELECT so.id FROM section_of so"
	"  WHERE so.digest_id = digest_topics.digest_id"
	"  AND so.topic_id = digest_topics.topic_id);"
	"DROP TABLE section_of;"
	"DROP TABLE digest_items;"
	"CREATE TRIGGER section_unused AFTER DELETE ON digest_topics"
	"  WHEN old.section_id IS NOT NULL AND NOT EXISTS (SELECT 1"
	"    FROM digest_topics WHERE section_id = old.section_id)"
	"  BEGIN DELETE FROM sections WHERE id = old.section_id; END;",
	/*
	 * 9: the outbox's state check as comparisons.  For "state IN (...)"
	 * SQLite builds a temporary table at every insert and state change,
	 * and that was a fifth of compose.  Rebuilt as in migration 2.
	 */
	DIGESTS_NEW_HEAD
	"    CHECK (state = 'queued' OR state = 'sent' OR state = 'deferred'"
	"      OR state = 'failed' OR state = 'dropped'),"
	DIGESTS_NEW_TAIL,
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int
store_schema_version(void)
{
	return NMIGRATIONS;
}

int
store_busy_failed(const struct store *st)
{
	return st != NULL && st->busy_failed;
}

int
store_fail(struct store *st, const char *what, char **err)
{
	int code = sqlite3_errcode(st->db) & 0xff;

	st->busy_failed |= code == SQLITE_BUSY || code == SQLITE_LOCKED;
	*err = xasprintf("%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
	return -1;
}

sqlite3_stmt *
stmt_get(struct store *st, const char *sql, char **err)
{
	int i;

	for (i = 0; i < STMT_CACHE && st->cache[i].sql; i++)
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	if (i == STMT_CACHE) {
		*err = xstrdup("internal error: statement cache full");
		return NULL;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->cache[i].stmt, NULL) != SQLITE_OK) {
		store_fail(st, "preparing a query", err);
		return NULL;
	}
	st->cache[i].sql = sql;
	return st->cache[i].stmt;
}

int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT)
	    : sqlite3_bind_null(s, i);
}

int
step_done(struct store *st, sqlite3_stmt *s, const char *what, char **err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, what, err);
	return 0;
}

/*
 * After a loop of sqlite3_step over rows: s reset, and 0 when the loop
 * ended on a row (the caller stopped) or at the end, else the error.
 */
int
step_end(struct store *st, sqlite3_stmt *s, int rc, const char *what,
    char **err)
{
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, what, err);
	return 0;
}

int
step_changes(struct store *st, sqlite3_stmt *s, const char *what, char **err)
{
	if (step_done(st, s, what, err) == -1)
		return -1;
	return sqlite3_changes(st->db);
}

const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Run a script of statements, one prepared statement at a time. */
static int
exec_script(struct store *st, const char *sql, char **err)
{
	sqlite3_stmt *s;
	const char *tail = sql;
	int rc;

	while (*tail) {
		if (sqlite3_prepare_v2(st->db, tail, -1, &s, &tail) != SQLITE_OK)
			return store_fail(st, "schema", err);
		if (s == NULL)
			break;
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return store_fail(st, "schema", err);
	}
	return 0;
}

static int
pragma_int(struct store *st, const char *sql, int *out, char **err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, sql, err);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, sql, err);
	return 0;
}

static int
set_version(struct store *st, int v, char **err)
{
	/* PRAGMA takes no parameters; v is our own integer, not data. */
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	return exec_script(st, sql, err);
}

/* After a rebuild with foreign keys off: refuse to commit a dangling row. */
static int
keys_intact(struct store *st, char **err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s,
	    NULL) != SQLITE_OK)
		return store_fail(st, "schema", err);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW)
		*err = xasprintf("%s: a migration left a row whose reference "
		    "is missing; nothing was changed", st->path);
	else
		store_fail(st, "schema", err);
	return -1;
}

static int
migrate_from(struct store *st, int v, char **err)
{
	for (; v < NMIGRATIONS; v++) {
		if (store_begin(st, err) == -1)
			return -1;
		if (exec_script(st, migrations[v], err) == -1 ||
		    keys_intact(st, err) == -1 ||
		    set_version(st, v + 1, err) == -1 ||
		    store_commit(st, err) == -1) {
			store_rollback(st);
			return -1;
		}
	}
	return 0;
}

static int
migrate(struct store *st, char **err)
{
	char *again = NULL;
	int v, rc;

	if (pragma_int(st, "PRAGMA user_version", &v, err) == -1)
		return -1;
	if (v > NMIGRATIONS) {
		*err = xasprintf("%s: the database has schema version %d, made "
		    "by a newer gazette (this one knows up to %d); upgrade "
		    "gazette to use it", st->path, v, NMIGRATIONS);
		return -1;
	}
	if (v == NMIGRATIONS)
		return 0;
	/* Off so a rebuilt table's DROP does not cascade; outside any
	 * transaction, where SQLite honours it. */
	if (exec_script(st, "PRAGMA foreign_keys = OFF", err) == -1)
		return -1;
	rc = migrate_from(st, v, err);
	if (exec_script(st, "PRAGMA foreign_keys = ON", &again) == -1) {
		if (rc == 0) {
			*err = again;
			return -1;
		}
		free(again);
	}
	return rc;
}

static int
configure(struct store *st, char **err)
{
	int v;

	sqlite3_busy_handler(st->db, busy_wait, st);
	if (exec_script(st, "PRAGMA foreign_keys = ON;"
	    "PRAGMA synchronous = NORMAL;", err) == -1)
		return -1;
	/* journal_mode answers with a row; read it to see WAL took. */
	return pragma_int(st, "PRAGMA journal_mode = WAL", &v, err);
}

/*
 * No memory statistics: we never read them, and keeping them took a
 * global mutex around every one of SQLite's allocations (3 % of compose).
 * Only possible before SQLite initializes, hence once, before the first
 * open.
 */
static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *
store_open(const char *path, char **err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct store *st = xcalloc(1, sizeof *st);

	pthread_once(&once, sqlite_setup);
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		*err = xasprintf("%s: cannot open the database: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return NULL;
	}
	if (configure(st, err) == -1 || migrate(st, err) == -1) {
		store_close(st);
		return NULL;
	}
	return st;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < STMT_CACHE && st->cache[i].sql; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	store_sections_forget(st);
	free(st->path);
	free(st);
}

/*
 * Transactions nest by counting: only the outermost begin/commit touch the
 * database.  BEGIN IMMEDIATE takes the write lock up front, so a busy
 * database waits at the start instead of failing half-way.
 */
int
store_begin(struct store *st, char **err)
{
	static const char sql[] = "BEGIN IMMEDIATE";
	sqlite3_stmt *s;

	if (st->depth++ > 0)
		return 0;
	/* Prepared once: a run may open a transaction for each of 1000 feeds. */
	if ((s = stmt_get(st, sql, err)) == NULL ||
	    step_done(st, s, "starting a transaction", err) == -1) {
		st->depth = 0;
		return -1;
	}
	return 0;
}

int
store_commit(struct store *st, char **err)
{
	static const char sql[] = "COMMIT";
	sqlite3_stmt *s;

	if (st->depth == 0 || --st->depth > 0)
		return 0;
	store_sections_forget(st);
	if ((s = stmt_get(st, sql, err)) == NULL)
		return -1;
	return step_done(st, s, "committing", err);
}

void
store_rollback(struct store *st)
{
	char *err = NULL;

	if (st->depth == 0)
		return;
	st->depth = 0;
	store_sections_forget(st);
	if (exec_script(st, "ROLLBACK", &err) == -1)
		free(err);
}
