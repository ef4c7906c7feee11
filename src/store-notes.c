/*
 * store-notes.c - editors' notes: stored once, carried by digests.
 *
 * A note is written once per run and referenced by every digest (or
 * digest topic) that carries it, so a later send or preview shows what
 * compose saw.  Runs inside store_digest_queue's transaction; never
 * prints.
 */
#include <stdlib.h>

#include "digest.h"
#include "store-int.h"
#include "xmalloc.h"

int
store_note_add(struct store *st, const char *markdown, int64_t now,
    int64_t *id, char **err)
{
	static const char sql[] =
	    "INSERT INTO notes (markdown, created) VALUES (?, ?)";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, markdown);
	sqlite3_bind_int64(s, 2, now);
	if (step_done(st, s, "storing a note", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int
link_note(struct store *st, int64_t digest_id, int64_t topic_id,
    int64_t note_id, char **err)
{
	static const char sql[] = "INSERT INTO digest_notes (digest_id,"
	    " topic_id, note_id) VALUES (?, ?, ?)";
	sqlite3_stmt *s = stmt_get(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, digest_id);
	sqlite3_bind_int64(s, 2, topic_id);
	sqlite3_bind_int64(s, 3, note_id);
	return step_done(st, s, "queueing a note", err);
}

int
store_digest_queue_notes(struct store *st, const struct digest *d,
    char **err)
{
	size_t i;

	if (d->note_id && link_note(st, d->id, 0, d->note_id, err) == -1)
		return -1;
	for (i = 0; i < d->ntopics; i++)
		if (d->topics[i].note_id && link_note(st, d->id,
		    d->topics[i].topic_id, d->topics[i].note_id, err) == -1)
			return -1;
	return 0;
}

int
store_digest_load_notes(struct store *st, struct digest *d, char **err)
{
	static const char sql[] = "SELECT dn.topic_id, n.id, n.markdown"
	    " FROM digest_notes dn JOIN notes n ON n.id = dn.note_id"
	    " WHERE dn.digest_id = ?";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	int64_t topic;
	size_t i;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, d->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		topic = sqlite3_column_int64(s, 0);
		if (topic == 0) {
			d->note_id = sqlite3_column_int64(s, 1);
			xstrset(&d->note_md, col_text(s, 2));
		}
		for (i = 0; topic && i < d->ntopics; i++)
			if (d->topics[i].topic_id == topic) {
				d->topics[i].note_id =
				    sqlite3_column_int64(s, 1);
				xstrset(&d->topics[i].note_md, col_text(s, 2));
			}
	}
	return step_end(st, s, rc, "reading notes", err);
}
