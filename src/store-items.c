/*
 * store-items.c - what a fetch brings: the feed's state and its items.
 *
 * An item is keyed per feed by its id, else its link, else a hash of title
 * and date; seeing it again updates the row in place and keeps its id, so
 * it is never stored twice nor sent again as new.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "store-int.h"
#include "xmalloc.h"

/*
 * A moved feed takes its new URL only when no other feed has it already;
 * the caller checks first and reports, the guard keeps UNIQUE from failing.
 * A statement of its own: naming url in record_fetch's SET would rewrite
 * its UNIQUE index entry at every fetch.
 */
static int
move_feed(struct store *st, int64_t feed_id, const char *new_url, char **err)
{
	static const char sql[] = "UPDATE feeds SET url = ?2 WHERE id = ?1"
	    " AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?2)";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, new_url);
	return step_done(st, s, "moving a feed", err);
}

/*
 * Record o for the feeds whose ids the JSON array ids lists: one feed's
 * fetch, or a run's 304s in one statement (a statement per feed cost more
 * than its request).
 */
static int
record_fetch(struct store *st, const char *ids, const struct fetch_outcome *o,
    char **err)
{
	static const char sql[] = "UPDATE feeds SET last_fetch = ?2,"
	    " last_status = ?3, last_error = coalesce(?4, ?11),"
	    " consecutive_errors = CASE WHEN ?4 IS NULL THEN 0"
	    "   ELSE consecutive_errors + 1 END,"
	    " etag = CASE WHEN ?4 IS NULL AND ?3 <> 304 THEN ?5 ELSE etag END,"
	    " last_modified = CASE WHEN ?4 IS NULL AND ?3 <> 304 THEN ?6"
	    "   ELSE last_modified END,"
	    " title = CASE WHEN title_set THEN title"
	    "   ELSE coalesce(?7, title) END,"
	    " site_link = coalesce(?8, site_link),"
	    " next_fetch = ?9,"
	    " state = CASE WHEN ?10 IS NOT NULL THEN ?10"
	    "   WHEN ?4 IS NULL AND state = 'gone' THEN 'active' ELSE state END"
	    " WHERE id IN (SELECT value FROM json_each(?1))";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, ids);
	sqlite3_bind_int64(s, 2, o->when);
	sqlite3_bind_int(s, 3, o->status);
	bind_text(s, 4, o->error);
	bind_text(s, 5, o->etag);
	bind_text(s, 6, o->last_modified);
	bind_text(s, 7, o->title);
	bind_text(s, 8, o->site_link);
	if (o->next_fetch > 0)
		sqlite3_bind_int64(s, 9, o->next_fetch);
	else
		sqlite3_bind_null(s, 9);
	bind_text(s, 10, o->state);
	bind_text(s, 11, o->warning);
	return step_done(st, s, "recording a fetch", err);
}

/* FNV-1a: a stable key for items with neither id nor link. */
static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static char *
item_key(const struct feed_item *it)
{
	const char *k = feed_item_key(it);
	char date[32];
	uint64_t h;

	if (k != NULL)
		return xstrdup(k);
	snprintf(date, sizeof date, "%lld", (long long)it->published);
	h = fnv1a(fnv1a(fnv1a(14695981039346656037ULL, it->title), date),
	    it->title ? NULL : it->summary_html);
	return xasprintf("hash:%016llx", (unsigned long long)h);
}

static void
bind_date(sqlite3_stmt *s, int i, int64_t t)
{
	if (t == DATE_NONE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, t);
}

static char *
join_categories(const struct feed_item *it)
{
	struct buf b;
	size_t i;

	if (it->ncategories == 0)
		return NULL;
	buf_init(&b, 0);
	for (i = 0; i < it->ncategories; i++) {
		if (i)
			buf_putc(&b, '\n');
		buf_puts(&b, it->categories[i]);
	}
	return buf_detach(&b);
}

static void
bind_item(sqlite3_stmt *s, int64_t feed_id, const char *key,
    const struct feed_item *it, const char *cats)
{
	sqlite3_bind_int64(s, 1, feed_id);
	bind_text(s, 2, key);
	bind_text(s, 3, it->title);
	/*
	 * A podcast episode with nothing but its audio file: the digest
	 * still needs somewhere to send the reader.  The key stays what it
	 * was (an id, else the alternate link, else a hash).
	 */
	bind_text(s, 4, it->link ? it->link : it->enclosure);
	bind_text(s, 5, it->author);
	bind_date(s, 6, it->published);
	bind_date(s, 7, it->updated);
	bind_text(s, 8, it->summary_html);
	bind_text(s, 9, it->content_html);
	bind_text(s, 10, cats);
	bind_text(s, 11, it->author_email);
}

/*
 * Insert the item, or update it in place when (feed, key) is known.
 * Returns 1 when it is new, 0 when it was updated, -1 on error.
 */
static int
upsert_item(struct store *st, int64_t feed_id, const struct feed_item *it,
    int64_t now, char **err)
{
	static const char ins[] = "INSERT OR IGNORE INTO items (feed_id, key,"
	    " title, link, author, published, updated, summary_html,"
	    " content_html, categories, author_email, fetched) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	static const char upd[] = "UPDATE items SET title = ?3, link = ?4,"
	    " author = ?5, published = ?6, updated = ?7, summary_html = ?8,"
	    " content_html = ?9, categories = ?10, author_email = ?11"
	    " WHERE feed_id = ?1 AND key = ?2";
	char *key = item_key(it), *cats = join_categories(it);
	sqlite3_stmt *s;
	int rc = -1;

	if ((s = stmt_get(st, ins, err)) == NULL)
		goto out;
	bind_item(s, feed_id, key, it, cats);
	sqlite3_bind_int64(s, 12, now);
	if (step_done(st, s, "storing an item", err) == -1)
		goto out;
	if (sqlite3_changes(st->db) == 1) {
		rc = 1;
		goto out;
	}
	if ((s = stmt_get(st, upd, err)) == NULL)
		goto out;
	bind_item(s, feed_id, key, it, cats);
	rc = step_done(st, s, "updating an item", err) == -1 ? -1 : 0;
out:
	free(key);
	free(cats);
	return rc;
}

int
store_feed_update(struct store *st, int64_t feed_id,
    const struct fetch_outcome *o, const struct feed *parsed, int *nnew,
    char **err)
{
	static const char touch[] =
	    "UPDATE feeds SET last_new_item = ? WHERE id = ?";
	sqlite3_stmt *s;
	char one[32];
	size_t i;
	int rc;

	*nnew = 0;
	snprintf(one, sizeof one, "[%lld]", (long long)feed_id);
	if (store_begin(st, err) == -1)
		return -1;
	if (record_fetch(st, one, o, err) == -1 || (o->new_url != NULL &&
	    move_feed(st, feed_id, o->new_url, err) == -1))
		goto fail;
	for (i = 0; parsed && i < parsed->nitems; i++) {
		if ((rc = upsert_item(st, feed_id, &parsed->items[i], o->when,
		    err)) == -1)
			goto fail;
		*nnew += rc;
	}
	if (*nnew > 0) {
		if ((s = stmt_get(st, touch, err)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, o->when);
		sqlite3_bind_int64(s, 2, feed_id);
		if (step_done(st, s, "recording a fetch", err) == -1)
			goto fail;
	}
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

/* The ids as a JSON array, for json_each. */
static char *
id_array(const int64_t *ids, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_putc(&b, '[');
	for (i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", (long long)ids[i]);
	buf_putc(&b, ']');
	return buf_detach(&b);
}

int
store_feeds_unchanged(struct store *st, const int64_t *ids, size_t n,
    int64_t when, char **err)
{
	struct fetch_outcome o = { 0 };
	char *list;
	int rc;

	if (n == 0)
		return 0;
	o.when = when;
	o.status = 304;
	list = id_array(ids, n);
	rc = record_fetch(st, list, &o, err);
	free(list);
	return rc;
}
