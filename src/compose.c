/*
 * compose.c - the compose stage: unseen entries per subscriber, deduplicated
 * and capped, queued in the outbox with the marks advanced in the same
 * transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "compose.h"
#include "config.h"
#include "digest.h"
#include "mime.h"
#include "store.h"
#include "xmalloc.h"

struct pick {
	struct digest *d;
	int	 max;
	int	 newest_only;	/* stop at the cap: no "more", no marks */
	int	 ids_only;	/* queueing: no entry text needed */
	char   **links;		/* links already taken, for dedup */
	size_t	 nlinks;
};

static int
seen_link(struct pick *p, const char *link)
{
	size_t i;

	if (link == NULL)
		return 0;
	for (i = 0; i < p->nlinks; i++)
		if (strcmp(p->links[i], link) == 0)
			return 1;
	p->links = xreallocarray(p->links, p->nlinks + 1, sizeof *p->links);
	p->links[p->nlinks++] = xstrdup(link);
	return 0;
}

static struct digest_topic *
current_topic(struct pick *p, const struct unseen_row *r)
{
	struct digest *d = p->d;

	if (d->ntopics && d->topics[d->ntopics - 1].topic_id == r->topic_id)
		return &d->topics[d->ntopics - 1];
	return digest_add_topic(d, r->topic_id, r->topic_slug, r->topic_name);
}

static int
take_row(const struct unseen_row *r, void *ctx)
{
	struct pick *p = ctx;
	struct digest_topic *t = current_topic(p, r);
	struct digest_entry *e;

	/* The mark moves past everything considered, shown or not, so
	 * nothing resurfaces later. */
	if (r->item_id > t->new_mark)
		t->new_mark = r->item_id;
	if (seen_link(p, r->link))
		return 0;
	if ((int)t->nentries >= p->max) {
		if (p->newest_only)
			return 1;
		t->more++;
		return 0;
	}
	e = digest_add_entry(t);
	e->item_id = r->item_id;
	if (p->ids_only)
		return 0;
	e->title = xstrdup_or_null(r->title);
	e->link = xstrdup_or_null(r->link);
	e->source = xstrdup_or_null(r->source);
	e->summary_html = xstrdup_or_null(r->summary_html);
	e->content_html = xstrdup_or_null(r->content_html);
	e->date = r->date;
	return 0;
}

static struct digest *
pick_done(struct pick *p, int rc)
{
	size_t i;

	for (i = 0; i < p->nlinks; i++)
		free(p->links[i]);
	free(p->links);
	if (rc == -1) {
		digest_free(p->d);
		return NULL;
	}
	return p->d;
}

static struct digest *
pick(struct store *st, int64_t subscriber_id, int max_per_topic,
    int ids_only, char **err)
{
	struct pick p = { digest_new(), max_per_topic, 0, ids_only, NULL, 0 };
	int rc;

	p.d->subscriber_id = subscriber_id;
	rc = store_subscriber_fill(st, p.d, err);
	if (rc == 0)
		rc = store_unseen_each(st, subscriber_id, take_row, &p, err);
	return pick_done(&p, rc);
}

struct digest *
compose_pick(struct store *st, int64_t subscriber_id, int max_per_topic,
    char **err)
{
	return pick(st, subscriber_id, max_per_topic, 0, err);
}

struct digest *
compose_topic_preview(struct store *st, int64_t topic_id, int max_per_topic,
    char **err)
{
	struct pick p = { digest_new(), max_per_topic, 1, 0, NULL, 0 };

	return pick_done(&p, store_topic_entries_each(st, topic_id, take_row,
	    &p, err));
}

const char *
compose_domain(const struct config *cfg)
{
	char *name = NULL, *addr = NULL;
	static char domain[256];
	const char *d;

	if (cfg->from && config_split_from(cfg->from, &name, &addr) == 0 &&
	    (d = address_domain(addr)) != NULL)
		snprintf(domain, sizeof domain, "%s", d);
	else
		snprintf(domain, sizeof domain, "localhost");
	free(name);
	free(addr);
	return domain;
}

/*
 * Slack on the period, so a weekly cron job that starts a little earlier
 * than last week's (or whose collect stage ran shorter) does not skip a
 * whole week.
 */
#define SCHEDULE_SLACK	(60 * 60)

int
compose_is_due(const char *frequency, int64_t last_digest, int64_t now)
{
	int64_t period = frequency && strcmp(frequency, "daily") == 0 ?
	    86400 : 7 * 86400;

	if (last_digest <= 0)
		return 1;
	return now - last_digest >= period - SCHEDULE_SLACK;
}

struct id_list {
	int64_t	*ids;
	char	*due;		/* per id: due now */
	size_t	 n;
	int	 due_only;
	int64_t	 now;
	int	 waiting;	/* left out: not due yet */
};

static int
collect_id(const struct subscriber_row *s, void *ctx)
{
	struct id_list *list = ctx;
	int due = compose_is_due(s->frequency, s->last_digest, list->now);

	if (list->due_only && !due) {
		list->waiting++;
		return 0;
	}
	list->ids = xreallocarray(list->ids, list->n + 1, sizeof *list->ids);
	list->due = xreallocarray(list->due, list->n + 1, 1);
	list->due[list->n] = (char)due;
	list->ids[list->n++] = s->id;
	return 0;
}

/*
 * What a subscriber gets depends only on their subscriptions and marks:
 * subscribers with the same (topic, mark) list (by topic id) get the
 * same entries.
 * Within a batch (one transaction, so nothing else writes meanwhile) the
 * pick is made once per distinct list and copied for the others; a run's
 * subscribers mostly share a few lists, as they got their last digest in
 * the same run.
 */
#define PICK_CACHE_MAX	64

struct pick_key {
	int64_t	 topic_id;
	int64_t	 mark;
};

struct cached_pick {
	struct pick_key *keys;
	size_t	 nkeys;
	struct digest *d;	/* item ids, caps and marks; no subscriber */
};

struct run {
	struct store *st;
	const struct config *cfg;
	int64_t	 now;
	struct compose_notes *notes;
	int	*queued;
	struct cached_pick cache[PICK_CACHE_MAX];
	size_t	 ncache;
};

static void
pick_cache_clear(struct run *run)
{
	size_t i;

	for (i = 0; i < run->ncache; i++) {
		free(run->cache[i].keys);
		digest_free(run->cache[i].d);
	}
	run->ncache = 0;
}

/* A copy of what queueing needs: topics, item ids, caps and marks. */
static struct digest *
digest_copy_ids(const struct digest *src, int64_t subscriber_id)
{
	struct digest *d = digest_new();
	const struct digest_topic *s;
	struct digest_topic *t;
	size_t i, j;

	d->subscriber_id = subscriber_id;
	for (i = 0; i < src->ntopics; i++) {
		s = &src->topics[i];
		t = digest_add_topic(d, s->topic_id, s->slug, s->name);
		t->new_mark = s->new_mark;
		t->more = s->more;
		for (j = 0; j < s->nentries; j++)
			digest_add_entry(t)->item_id = s->entries[j].item_id;
	}
	return d;
}

struct key_list {
	struct pick_key *keys;
	size_t	 n;
};

static int
add_key(const struct subscription_row *r, void *ctx)
{
	struct key_list *k = ctx;

	k->keys = xreallocarray(k->keys, k->n + 1, sizeof *k->keys);
	k->keys[k->n++] = (struct pick_key){ r->topic_id, r->mark };
	return 0;
}

static struct digest *
pick_cached(struct run *run, int64_t id, char **err)
{
	struct key_list k = { NULL, 0 };
	struct cached_pick *c;
	struct digest *d;
	size_t i;

	if (store_subscription_marks(run->st, id, add_key, &k, err) == -1) {
		free(k.keys);
		return NULL;
	}
	for (i = 0; i < run->ncache; i++) {
		c = &run->cache[i];
		if (c->nkeys == k.n && (k.n == 0 ||
		    memcmp(c->keys, k.keys, k.n * sizeof *k.keys) == 0)) {
			free(k.keys);
			return digest_copy_ids(c->d, id);
		}
	}
	d = pick(run->st, id, run->cfg->max_items_per_topic, 1, err);
	if (d == NULL || run->ncache == PICK_CACHE_MAX) {
		free(k.keys);
		return d;
	}
	c = &run->cache[run->ncache++];
	c->keys = k.keys;
	c->nkeys = k.n;
	c->d = digest_copy_ids(d, 0);
	return d;
}

/* The stored id of a note, storing it on first use. */
static int
note_id(struct run *run, const char *markdown, int64_t *id, char **err)
{
	if (*id == 0 && store_note_add(run->st, markdown, run->now, id,
	    err) == -1)
		return -1;
	return 0;
}

static int
attach_notes(struct run *run, struct digest *d, char **err)
{
	struct compose_notes *n = run->notes;
	size_t i, j;

	if (n == NULL)
		return 0;
	if (n->markdown) {
		if (note_id(run, n->markdown, &n->id, err) == -1)
			return -1;
		d->note_id = n->id;
		d->note_md = xstrdup(n->markdown);
	}
	for (i = 0; i < d->ntopics; i++)
		for (j = 0; j < n->ntopics; j++) {
			struct compose_topic_note *tn = &n->topics[j];

			if (strcmp(tn->slug, d->topics[i].slug) != 0)
				continue;
			if (note_id(run, tn->markdown, &tn->id, err) == -1)
				return -1;
			d->topics[i].note_id = tn->id;
			xstrset(&d->topics[i].note_md, tn->markdown);
		}
	return 0;
}

static int
add_subscribed(const struct subscription_row *r, void *ctx)
{
	struct digest *d = ctx;

	digest_add_topic(d, r->topic_id, r->slug, r->name);
	return 0;
}

/*
 * when_empty = note: the subscriber's topics, none with entries, keeping
 * the marks the pick found (entries all seen through another topic).
 */
static int
fill_empty(struct run *run, struct digest *d, char **err)
{
	struct digest *e = digest_new();
	struct digest_topic *old = d->topics;
	size_t i, j, nold = d->ntopics;
	int rc;

	rc = store_subscription_each(run->st, d->subscriber_id,
	    add_subscribed, e, err);
	for (i = 0; rc == 0 && i < e->ntopics; i++)
		for (j = 0; j < nold; j++)
			if (old[j].topic_id == e->topics[i].topic_id)
				e->topics[i].new_mark = old[j].new_mark;
	/* Swap: e takes the old topics away with it. */
	d->topics = e->topics;
	d->ntopics = e->ntopics;
	e->topics = old;
	e->ntopics = nold;
	digest_free(e);
	return rc;
}

static int
compose_one(struct run *run, int64_t id, int due, char **err)
{
	const struct config *cfg = run->cfg;
	/* The outbox keeps item ids; the text is read again at send. */
	struct digest *d = pick_cached(run, id, err);
	int rc = 0, queue;

	if (d == NULL)
		return -1;
	queue = digest_count(d) > 0;
	/* Once a period at most: due means no digest since it began. */
	if (!queue && due && strcmp(cfg->when_empty, "note") == 0) {
		rc = fill_empty(run, d, err);
		queue = rc == 0 && d->ntopics > 0;
	}
	if (queue) {
		d->message_id = mime_message_id(compose_domain(cfg));
		if ((rc = attach_notes(run, d, err)) == 0 &&
		    (rc = store_digest_queue(run->st, d, run->now, err)) == 0)
			(*run->queued)++;
	}
	digest_free(d);
	return rc;
}

/*
 * Subscribers composed per transaction.  Each digest still commits with
 * its marks (store_digest_queue nests in the batch's transaction); a
 * commit per digest was most of the time compose took for many
 * subscribers.  A failure rolls the whole batch back: nothing is lost,
 * the next run composes it again.
 */
#define COMPOSE_BATCH	512

static int
compose_batch(struct run *run, const struct id_list *list, size_t from,
    char **err)
{
	size_t i;
	int rc, queued = *run->queued;

	if (store_begin(run->st, err) == -1)
		return -1;
	for (i = from, rc = 0; rc == 0 && i < list->n &&
	    i < from + COMPOSE_BATCH; i++)
		rc = compose_one(run, list->ids[i], list->due[i], err);
	pick_cache_clear(run);
	if (rc == 0 && store_commit(run->st, err) == 0)
		return 0;
	store_rollback(run->st);
	*run->queued = queued;
	return -1;
}

int
compose_notes_run(struct store *st, const struct config *cfg, int64_t now,
    int due_only, struct compose_notes *notes, int *queued, int *waiting,
    char **err)
{
	struct id_list list = { NULL, NULL, 0, due_only, now, 0 };
	struct run run = { .st = st, .cfg = cfg, .now = now, .notes = notes,
	    .queued = queued };
	size_t i;
	int rc;

	*queued = 0;
	/* Ids first: the loop below writes to the tables it would read. */
	rc = store_subscriber_each(st, 1, collect_id, &list, err);
	for (i = 0; rc == 0 && i < list.n; i += COMPOSE_BATCH)
		rc = compose_batch(&run, &list, i, err);
	free(list.ids);
	free(list.due);
	if (waiting != NULL)
		*waiting = list.waiting;
	return rc;
}

int
compose_all(struct store *st, const struct config *cfg, int64_t now,
    int *queued, char **err)
{
	return compose_notes_run(st, cfg, now, 0, NULL, queued, NULL, err);
}

int
compose_due(struct store *st, const struct config *cfg, int64_t now,
    int *queued, int *waiting, char **err)
{
	return compose_notes_run(st, cfg, now, 1, NULL, queued, waiting, err);
}
