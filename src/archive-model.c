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

/* The sent digests' topics, without entries yet, oldest digest first. */
struct sent_list {
	struct digest **v;
	size_t	 n;
};

static int
add_sent_topic(const struct archive_topic_row *r, void *ctx)
{
	struct sent_list *l = ctx;
	struct digest *d = l->n ? l->v[l->n - 1] : NULL;

	if (d == NULL || d->id != r->digest_id) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		d = l->v[l->n++] = digest_new();
		d->id = r->digest_id;
		d->created = r->digest_created;
	}
	digest_add_topic(d, r->topic_id, r->slug, r->name)->section_id =
	    r->section_id;
	return 0;
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

	if (sent_find(a, path) != NULL) {
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
	struct sent_list l = { NULL, 0 };
	struct loaded_sections *cache = store_loaded_new();
	size_t i;
	int rc = store_archive_sent_topics(st, add_sent_topic, &l, err);

	for (i = 0; i < l.n; i++) {
		if (rc == 0 && (rc = store_sections_load(st, l.v[i], cache,
		    err)) == 0) {
			sent_add(a, l.v[i]);
			continue;
		}
		digest_free(l.v[i]);
	}
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
