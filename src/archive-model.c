/*
 * archive-model.c - reads what the archive shows from the store: every
 * topic with all its entries, one issue per week of sent digests, and one
 * page per distinct content a sent digest had.
 *
 * It never reads who got a digest: an issue is the union of the week's
 * digests, and a digest's page is its topics' sections (shared by every
 * digest that showed the same), so no page tells one subscriber's mail
 * from another's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "archive-int.h"
#include "buf.h"
#include "crypto.h"
#include "digest.h"
#include "store.h"
#include "xmalloc.h"

/* Enough HTML for any excerpt; a 5 MB body is cut before it is read. */
#define HTML_CAP	((size_t)64 << 10)
#define DAY		86400

static void
entry_from_row(struct digest_topic *t, const struct unseen_row *r)
{
	struct digest_entry *e = digest_add_entry(t);

	e->item_id = r->item_id;
	xstrset(&e->title, r->title);
	xstrset(&e->link, r->link && *r->link ? r->link : NULL);
	xstrset(&e->source, r->source);
	xstrset(&e->summary_html, r->summary_html);
	e->date = r->date;
}

static int
add_entry(const struct archive_row *r, void *ctx)
{
	entry_from_row(ctx, &r->e);
	return 0;
}

static int
add_topic(const struct topic_row *t, void *ctx)
{
	digest_add_topic(ctx, t->id, t->slug, t->name);
	return 0;
}

/* "2026-W48": the ISO week of t (UTC). */
static void
week_of(int64_t t, char week[16])
{
	time_t tt = (time_t)t;
	struct tm tm;

	strcpy(week, "0000-W00");
	if (gmtime_r(&tt, &tm))
		strftime(week, 16, "%G-W%V", &tm);
}

char *
archive_issue_path(int64_t t)
{
	char week[16];

	week_of(t, week);
	return xasprintf("issue-%s.html", week);
}

/* What d shows, as text: "topic:item,item;" for each topic with entries. */
static char *
content_text(const struct digest *d)
{
	const struct digest_topic *t;
	struct buf b;
	size_t i, j;

	buf_init(&b, 0);
	for (i = 0; i < d->ntopics; i++) {
		t = &d->topics[i];
		if (t->nentries == 0)
			continue;
		buf_printf(&b, "%lld:", (long long)t->topic_id);
		for (j = 0; j < t->nentries; j++)
			buf_printf(&b, "%s%lld", j ? "," : "",
			    (long long)t->entries[j].item_id);
		buf_putc(&b, ';');
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

char *
archive_digest_path(const struct digest *d)
{
	char week[16], *text = content_text(d);
	unsigned char h[32];

	week_of(d->created, week);
	crypto_sha256(text, strlen(text), h);
	free(text);
	return xasprintf("issue-%s-%02x%02x%02x%02x%02x%02x.html", week,
	    h[0], h[1], h[2], h[3], h[4], h[5]);
}

char *
archive_digest_url(const char *base_url, const struct digest *d)
{
	char *path = archive_digest_path(d), *url;

	url = xasprintf("%s/%s", base_url, path);
	free(path);
	return url;
}

static int64_t
monday_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	int64_t day = t - (t % DAY + DAY) % DAY;

	if (gmtime_r(&tt, &tm) == NULL)
		return day;
	return day - (int64_t)((tm.tm_wday + 6) % 7) * DAY;
}

static struct archive_issue *
issue_for(struct archive_data *a, int64_t created)
{
	char *path = archive_issue_path(created);
	struct archive_issue *is;
	size_t i;

	for (i = 0; i < a->nissues; i++)
		if (strcmp(a->issues[i].path, path) == 0) {
			free(path);
			return &a->issues[i];
		}
	a->issues = xreallocarray(a->issues, a->nissues + 1, sizeof *is);
	is = &a->issues[a->nissues++];
	is->path = path;
	is->monday = monday_of(created);
	is->d = digest_new();
	return is;
}

static int
add_sent(const struct archive_row *r, void *ctx)
{
	struct archive_issue *is = issue_for(ctx, r->digest_created);
	const struct unseen_row *e = &r->e;
	struct digest_topic *t = NULL;
	size_t i;

	for (i = 0; i < is->d->ntopics; i++)
		if (is->d->topics[i].topic_id == e->topic_id)
			t = &is->d->topics[i];
	if (t == NULL)
		t = digest_add_topic(is->d, e->topic_id, e->topic_slug,
		    e->topic_name);
	for (i = 0; i < t->nentries; i++)
		if (t->entries[i].item_id == e->item_id)
			return 0;	/* in an earlier digest of the week */
	entry_from_row(t, e);
	return 0;
}

static int
by_slug(const void *a, const void *b)
{
	return strcmp(((const struct digest_topic *)a)->slug,
	    ((const struct digest_topic *)b)->slug);
}

static int
newest_first(const void *a, const void *b)
{
	const struct digest_entry *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? 1 : -1;
	return x->item_id < y->item_id ? 1 : x->item_id > y->item_id ? -1 : 0;
}

/* qsort, which may not be handed the NULL of an empty array. */
static void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int
newest_issue_first(const void *a, const void *b)
{
	const struct archive_issue *x = a, *y = b;

	return x->monday < y->monday ? 1 : x->monday > y->monday ? -1 : 0;
}

static void
sort_issues(struct archive_data *a)
{
	struct digest *d;
	size_t i, j;

	sort(a->issues, a->nissues, sizeof *a->issues, newest_issue_first);
	for (i = 0; i < a->nissues; i++) {
		d = a->issues[i].d;
		sort(d->topics, d->ntopics, sizeof *d->topics, by_slug);
		for (j = 0; j < d->ntopics; j++)
			sort(d->topics[j].entries, d->topics[j].nentries,
			    sizeof *d->topics[j].entries, newest_first);
	}
}

/*
 * A sent digest as its sections: "2026-W48|topic:section;...", in its
 * order.  Digests with the same sections showed the same, so entries are
 * read once per distinct list, not once per digest (a run of 100,000
 * digests may have a handful).
 */
struct sent_key {
	char	*key;
	int64_t	 digest_id;
	int64_t	 created;
};

struct sent_keys {
	struct sent_key *v;
	size_t	 n;
};

static int
add_sent_topic(const struct archive_topic_row *r, void *ctx)
{
	struct sent_keys *l = ctx;
	struct sent_key *k = l->n ? &l->v[l->n - 1] : NULL;
	char week[16], *old;

	if (k == NULL || k->digest_id != r->digest_id) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		k = &l->v[l->n++];
		week_of(r->digest_created, week);
		k->key = xasprintf("%s|", week);
		k->digest_id = r->digest_id;
		k->created = r->digest_created;
	}
	old = k->key;
	k->key = xasprintf("%s%lld:%lld;", old, (long long)r->topic_id,
	    (long long)r->section_id);
	free(old);
	return 0;
}

static int
by_key(const void *a, const void *b)
{
	const struct sent_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->created < y->created ? -1 : x->created > y->created;
}

static const struct digest_topic *
topic_by_id(const struct digest *all, int64_t id)
{
	size_t i;

	for (i = 0; i < all->ntopics; i++)
		if (all->topics[i].topic_id == id)
			return &all->topics[i];
	return NULL;
}

/* A digest made at created showing key's sections, entries not read. */
static struct digest *
key_digest(const struct archive_data *a, const char *key, int64_t created)
{
	struct digest *d = digest_new();
	const struct digest_topic *t;
	const char *p = strchr(key, '|') + 1;
	long long tid, sid;
	int n;

	d->created = created;
	for (; sscanf(p, "%lld:%lld;%n", &tid, &sid, &n) == 2; p += n)
		if ((t = topic_by_id(a->topics, tid)) != NULL)
			digest_add_topic(d, tid, t->slug, t->name)->section_id =
			    sid;
	return d;
}

/*
 * What the excerpt is made from: the summary, else the content, cut to
 * HTML_CAP bytes at a character boundary (as store_archive_entries does).
 */
static void
excerpt_source(struct digest_entry *e)
{
	size_t n;

	if (e->summary_html == NULL || *e->summary_html == '\0') {
		free(e->summary_html);
		e->summary_html = e->content_html;
		e->content_html = NULL;
	}
	if (e->summary_html == NULL || (n = strlen(e->summary_html)) <=
	    HTML_CAP)
		return;
	n = HTML_CAP;
	while (n > 0 && ((unsigned char)e->summary_html[n] & 0xc0) == 0x80)
		n--;
	e->summary_html[n] = '\0';
}

static struct archive_sent *
sent_find(struct archive_data *a, const char *path)
{
	size_t i;

	for (i = 0; i < a->nsent; i++)
		if (strcmp(a->sent[i].path, path) == 0)
			return &a->sent[i];
	return NULL;
}

/* d (taken) as the page of its content, unless an earlier digest's. */
static void
sent_add(struct archive_data *a, struct digest *d)
{
	char *path = archive_digest_path(d);
	struct archive_sent *s;
	size_t i, j;

	if ((s = sent_find(a, path)) != NULL) {	/* a section stored twice */
		if (d->created < s->first)
			s->first = d->created;
		free(path);
		digest_free(d);
		return;
	}
	for (i = 0; i < d->ntopics; i++)
		for (j = 0; j < d->topics[i].nentries; j++)
			excerpt_source(&d->topics[i].entries[j]);
	a->sent = xreallocarray(a->sent, a->nsent + 1, sizeof *a->sent);
	s = &a->sent[a->nsent++];
	s->path = path;
	s->monday = monday_of(d->created);
	s->first = d->created;
	s->d = d;
}

/* One page per distinct content among the sent digests. */
static int
load_sent(struct store *st, struct archive_data *a, char **err)
{
	struct sent_keys l = { NULL, 0 };
	struct loaded_sections *cache = store_loaded_new();
	struct digest *d;
	size_t i;
	int rc = store_archive_sent_topics(st, add_sent_topic, &l, err);

	sort(l.v, l.n, sizeof *l.v, by_key);
	for (i = 0; rc == 0 && i < l.n; i++) {
		if (i > 0 && strcmp(l.v[i].key, l.v[i - 1].key) == 0)
			continue;	/* the same sections, made later */
		d = key_digest(a, l.v[i].key, l.v[i].created);
		if ((rc = store_sections_load(st, d, cache, err)) == 0)
			sent_add(a, d);
		else
			digest_free(d);
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i].key);
	free(l.v);
	store_loaded_free(cache);
	return rc;
}

int
archive_load(struct store *st, struct archive_data *a, char **err)
{
	size_t i;

	memset(a, 0, sizeof *a);
	a->topics = digest_new();
	if (store_topic_each(st, add_topic, a->topics, err) == -1)
		return -1;
	sort(a->topics->topics, a->topics->ntopics,
	    sizeof *a->topics->topics, by_slug);
	for (i = 0; i < a->topics->ntopics; i++)
		if (store_archive_entries(st, a->topics->topics[i].topic_id,
		    HTML_CAP, add_entry, &a->topics->topics[i], err) == -1)
			return -1;
	if (store_archive_sent(st, HTML_CAP, add_sent, a, err) == -1)
		return -1;
	sort_issues(a);
	return load_sent(st, a, err);
}

void
archive_data_free(struct archive_data *a)
{
	size_t i;

	digest_free(a->topics);
	for (i = 0; i < a->nissues; i++) {
		free(a->issues[i].path);
		digest_free(a->issues[i].d);
	}
	free(a->issues);
	for (i = 0; i < a->nsent; i++) {
		free(a->sent[i].path);
		digest_free(a->sent[i].d);
	}
	free(a->sent);
	memset(a, 0, sizeof *a);
}
