/*
 * store-sections.c - what a queued digest shows of each topic, stored once
 * per distinct list of entries.
 *
 * Subscribers of a topic who got their last digest in the same run get
 * the same entries.  A section (one topic's entries, in order) is written
 * once and every digest showing it refers to it from digest_topics: a
 * compose of 100,000 digests writes a few sections, not a row per entry
 * per digest.  A section is never changed once written; the trigger of
 * migration 8 deletes it with the last digest that refers to it.
 *
 * Within one transaction the sections written so far are remembered, so
 * a digest showing the same entries as an earlier one costs a lookup.
 * The memory is dropped when the transaction ends (store.c): afterwards
 * another process may have deleted a section nobody referred to.
 */
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "lru.h"
#include "store-int.h"
#include "xmalloc.h"

/* Sections remembered per transaction; then the oldest give way. */
#define SECTIONS_KEPT	64

struct section {
	int64_t	 id;
	int64_t	 topic_id;
	int64_t	*items;
	size_t	 nitems;
};

struct section_cache {
	struct section v[SECTIONS_KEPT];
	size_t	 n;		/* slots in use */
	size_t	 next;		/* the slot to reuse when all are */
};

void
store_sections_forget(struct store *st)
{
	struct section_cache *c = st->sections;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->v[i].items);
	free(c);
	st->sections = NULL;
}

static int
section_is(const struct section *s, int64_t topic_id, const int64_t *items,
    size_t n)
{
	return s->topic_id == topic_id && s->nitems == n &&
	    memcmp(s->items, items, n * sizeof *items) == 0;
}

static int64_t
section_known(struct store *st, int64_t topic_id, const int64_t *items,
    size_t n)
{
	struct section_cache *c = st->sections;
	size_t i;

	for (i = 0; c != NULL && i < c->n; i++)
		if (section_is(&c->v[i], topic_id, items, n))
			return c->v[i].id;
	return 0;
}

/* Remember a section written in this transaction; takes items. */
static void
section_remember(struct store *st, int64_t id, int64_t topic_id,
    int64_t *items, size_t n)
{
	struct section_cache *c = st->sections;
	struct section *s;

	if (c == NULL)
		c = st->sections = xcalloc(1, sizeof *c);
	if (c->n < SECTIONS_KEPT)
		s = &c->v[c->n++];
	else {
		s = &c->v[c->next];
		c->next = (c->next + 1) % SECTIONS_KEPT;
		free(s->items);
	}
	*s = (struct section){ id, topic_id, items, n };
}

static int
section_write(struct store *st, int64_t topic_id, const int64_t *items,
    size_t n, int64_t *id, char **err)
{
	static const char sec[] = "INSERT INTO sections (topic_id) VALUES (?)";
	static const char item[] = "INSERT INTO section_items (section_id,"
	    " position, item_id) VALUES (?, ?, ?)";
	sqlite3_stmt *s;
	size_t i;

	if ((s = stmt_get(st, sec, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, topic_id);
	if (step_done(st, s, "queueing a digest", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < n; i++) {
		if ((s = stmt_get(st, item, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_int64(s, 2, (int64_t)i);
		sqlite3_bind_int64(s, 3, items[i]);
		if (step_done(st, s, "queueing a digest", err) == -1)
			return -1;
	}
	return 0;
}

static int
listed_before(const struct digest *d, size_t topic, int64_t item_id)
{
	size_t i, j;

	for (i = 0; i < topic; i++)
		for (j = 0; j < d->topics[i].nentries; j++)
			if (d->topics[i].entries[j].item_id == item_id)
				return 1;
	return 0;
}

/*
 * The item ids topic shows, in order.  An entry an earlier topic of the
 * digest lists already is shown there only: an article without a link,
 * which compose cannot tell apart by its link, reached through two topics.
 */
static int64_t *
section_items(const struct digest *d, size_t topic, size_t *n)
{
	const struct digest_topic *t = &d->topics[topic];
	int64_t *items = xreallocarray(NULL, t->nentries + 1, sizeof *items);
	size_t j;

	*n = 0;
	for (j = 0; j < t->nentries; j++)
		if (!listed_before(d, topic, t->entries[j].item_id))
			items[(*n)++] = t->entries[j].item_id;
	return items;
}

int
store_section_for(struct store *st, const struct digest *d, size_t topic,
    int64_t *id, char **err)
{
	int64_t topic_id = d->topics[topic].topic_id, *items;
	size_t n;

	*id = 0;
	items = section_items(d, topic, &n);
	if (n > 0 && (*id = section_known(st, topic_id, items, n)) == 0) {
		if (section_write(st, topic_id, items, n, id, err) == -1) {
			free(items);
			return -1;
		}
		section_remember(st, *id, topic_id, items, n);
		return 0;
	}
	free(items);
	return 0;
}

/* Reading: the sections of a run of loads (store_loaded_new). */

#define LOADED_KEPT	64

struct loaded_sections {
	struct lru_slot slot[LOADED_KEPT];	/* keyed by section id */
	struct digest_topic v[LOADED_KEPT];	/* only entries are used */
	uint64_t clock;
};

struct loaded_sections *
store_loaded_new(void)
{
	return xcalloc(1, sizeof(struct loaded_sections));
}

static void
loaded_clear(struct digest_topic *t)
{
	size_t i;

	for (i = 0; i < t->nentries; i++)
		digest_entry_clear(&t->entries[i]);
	free(t->entries);
	*t = (struct digest_topic){ 0 };
}

void
store_loaded_free(struct loaded_sections *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < LOADED_KEPT; i++)
		loaded_clear(&l->v[i]);
	free(l);
}

/* The entries of section_id, in order, added to t. */
static int
section_read(struct store *st, int64_t section_id, struct digest_topic *t,
    char **err)
{
	static const char sql[] = "SELECT i.id, i.title, i.link,"
	    " coalesce(f.title, f.url), i.summary_html, i.content_html,"
	    " coalesce(i.published, i.updated, i.fetched)"
	    " FROM section_items si JOIN items i ON i.id = si.item_id"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE si.section_id = ? ORDER BY si.position";
	sqlite3_stmt *s = stmt_get(st, sql, err);
	struct digest_entry *e;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, section_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		e = digest_add_entry(t);
		e->item_id = sqlite3_column_int64(s, 0);
		e->title = xstrdup_or_null(col_text(s, 1));
		e->link = xstrdup_or_null(col_text(s, 2));
		e->source = xstrdup_or_null(col_text(s, 3));
		e->summary_html = xstrdup_or_null(col_text(s, 4));
		e->content_html = xstrdup_or_null(col_text(s, 5));
		e->date = sqlite3_column_int64(s, 6);
	}
	return step_end(st, s, rc, "reading a digest", err);
}

/* t's entries, copied from the run's sections, read first if need be. */
static int
section_copy(struct store *st, struct loaded_sections *l,
    struct digest_topic *t, char **err)
{
	struct digest_topic *k;
	size_t i;
	int hit;

	i = lru_take(l->slot, LOADED_KEPT, &l->clock, (uint64_t)t->section_id,
	    &hit);
	k = &l->v[i];

	if (!hit) {
		loaded_clear(k);
		if (section_read(st, t->section_id, k, err) == -1) {
			l->slot[i].key = 0;
			return -1;
		}
	}
	if (t->nentries == 0)
		digest_copy_entries(t, k->entries, k->nentries);
	return 0;
}

int
store_sections_load(struct store *st, struct digest *d,
    struct loaded_sections *l, char **err)
{
	struct digest_topic *t;
	size_t i;

	for (i = 0; i < d->ntopics; i++) {
		t = &d->topics[i];
		if (t->section_id == 0)
			continue;
		if ((l != NULL ? section_copy(st, l, t, err) :
		    section_read(st, t->section_id, t, err)) == -1)
			return -1;
	}
	return 0;
}
