/*
 * digest.c - the digest model's constructors and destructor.
 */
#include <stdlib.h>

#include "digest.h"
#include "xmalloc.h"

struct digest *
digest_new(void)
{
	return xcalloc(1, sizeof(struct digest));
}

struct digest_topic *
digest_add_topic(struct digest *d, int64_t id, const char *slug,
    const char *name)
{
	struct digest_topic *t;

	d->topics = xreallocarray(d->topics, d->ntopics + 1, sizeof *t);
	t = &d->topics[d->ntopics++];
	*t = (struct digest_topic){ .topic_id = id, .slug = xstrdup(slug),
	    .name = xstrdup(name) };
	return t;
}

struct digest_entry *
digest_add_entry(struct digest_topic *t)
{
	struct digest_entry *e;

	/* Room doubles at each power of two: the count implies it. */
	if ((t->nentries & (t->nentries - 1)) == 0)
		t->entries = xreallocarray(t->entries, t->nentries ?
		    2 * t->nentries : 1, sizeof *e);
	e = &t->entries[t->nentries++];
	*e = (struct digest_entry){ 0 };
	return e;
}

size_t
digest_count(const struct digest *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->ntopics; i++)
		n += d->topics[i].nentries;
	return n;
}

void
digest_entry_copy(struct digest_entry *to, const struct digest_entry *from)
{
	to->item_id = from->item_id;
	to->title = xstrdup_or_null(from->title);
	to->link = xstrdup_or_null(from->link);
	to->source = xstrdup_or_null(from->source);
	to->summary_html = xstrdup_or_null(from->summary_html);
	to->content_html = xstrdup_or_null(from->content_html);
	to->date = from->date;
}

void
digest_entry_clear(struct digest_entry *e)
{
	free(e->title);
	free(e->link);
	free(e->source);
	free(e->summary_html);
	free(e->content_html);
	*e = (struct digest_entry){ 0 };
}

void
digest_free(struct digest *d)
{
	size_t i, j;

	if (d == NULL)
		return;
	for (i = 0; i < d->ntopics; i++) {
		for (j = 0; j < d->topics[i].nentries; j++)
			digest_entry_clear(&d->topics[i].entries[j]);
		free(d->topics[i].entries);
		free(d->topics[i].slug);
		free(d->topics[i].name);
		free(d->topics[i].note_md);
	}
	free(d->topics);
	free(d->email);
	free(d->name);
	free(d->token);
	free(d->message_id);
	free(d->note_md);
	free(d);
}
