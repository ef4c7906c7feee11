/*
 * archive-model.c - reads what the archive shows from the store: every
 * topic with all its entries, and one issue per week of sent digests.
 *
 * It never reads who got a digest: issues are the union of the week's
 * digests, so no page can tell one subscriber's mail from another's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "archive-int.h"
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

char *
archive_issue_path(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char week[16] = "0000-W00";

	if (gmtime_r(&tt, &tm))
		strftime(week, sizeof week, "%G-W%V", &tm);
	return xasprintf("issue-%s.html", week);
}

char *
archive_issue_url(const char *base_url, int64_t t)
{
	char *path = archive_issue_path(t), *url;

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
	return 0;
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
	memset(a, 0, sizeof *a);
}
