/*
 * digest.c - the digest model's constructors and destructor.
 */
#include <stdlib.h>
#include <string.h>

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

static size_t
size_or_0(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

/* s copied to *at, which moves past it; NULL stays NULL. */
static char *
put_string(char **at, const char *s)
{
	size_t n = size_or_0(s);
	char *copy = *at;

	if (n == 0)
		return NULL;
	memcpy(copy, s, n);
	*at += n;
	return copy;
}

void
digest_copy_entries(struct digest_topic *t, const struct digest_entry *from,
    size_t n)
{
	size_t i, size = 0, room = 1;
	char *at;

	for (i = 0; i < n; i++)
		size += size_or_0(from[i].title) + size_or_0(from[i].link) +
		    size_or_0(from[i].source) +
		    size_or_0(from[i].summary_html) +
		    size_or_0(from[i].content_html);
	/* Room as digest_add_entry would have made it: the next power of 2. */
	while (room < n)
		room *= 2;
	t->entries = xreallocarray(NULL, room, sizeof *t->entries);
	t->strings = at = xmalloc(size + 1);
	for (i = 0; i < n; i++) {
		t->entries[i] = from[i];
		t->entries[i].title = put_string(&at, from[i].title);
		t->entries[i].link = put_string(&at, from[i].link);
		t->entries[i].source = put_string(&at, from[i].source);
		t->entries[i].summary_html = put_string(&at,
		    from[i].summary_html);
		t->entries[i].content_html = put_string(&at,
		    from[i].content_html);
	}
	t->nentries = n;
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
		for (j = 0; d->topics[i].strings == NULL &&
		    j < d->topics[i].nentries; j++)
			digest_entry_clear(&d->topics[i].entries[j]);
		free(d->topics[i].strings);
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
