/*
 * render.c - fills the templates from a digest.
 *
 * The templates decide the look; this file decides what they can say: the
 * context names documented in templates/README and the man page.  Feed
 * text reaches the HTML template only through the engine's escaping or as
 * HTML that html_sanitize already cleaned.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "buf.h"
#include "config.h"
#include "digest.h"
#include "fileio.h"
#include "html.h"
#include "markdown.h"
#include "piece.h"
#include "render.h"
#include "template.h"
#include "xmalloc.h"

#ifndef GZ_TEMPLATE_DIR
#define GZ_TEMPLATE_DIR "/usr/local/share/gazette/templates"
#endif

#define TEMPLATE_MAX	((size_t)1 << 20)	/* a template file */
#define MESSAGE_MAX	((size_t)16 << 20)	/* a rendered part */
#define SUBJECT_MAX	78			/* RFC 5322 2.1.1 line */
#define WRAP		72

enum { T_HTML, T_TEXT, T_SUBJECT, T_COUNT };
const char *const render_template_files[T_COUNT + 1] = {
	"digest.html", "digest.txt", "subject.txt", NULL
};

/* A partial's source, read from NAME.mustache on first use. */
struct partial {
	char	*name;
	char	*src;		/* NULL: no such file */
};

struct renderer {
	const struct config *cfg;
	struct tmpl *t[T_COUNT];
	size_t	 last[T_COUNT];		/* each one's last output size */
	struct partial *partials;
	size_t	 npartials;
	struct entry_cache *cache;	/* per run; see entry_text_get */
	struct topic_cache *topics;	/* per run; see topic_value_shared */
};

static void	entry_cache_free(struct entry_cache *);
static void	topic_cache_free(struct topic_cache *);

static const char *
template_dir(const struct config *cfg)
{
	const char *env = getenv("GAZETTE_TEMPLATE_DIR");

	if (cfg->template_dir)
		return cfg->template_dir;
	return env && *env ? env : GZ_TEMPLATE_DIR;
}

struct tmpl *
render_template_load(const char *dir, const char *file, char **err)
{
	char *path = xasprintf("%s/%s", dir, file), *src;
	struct tmpl *t = NULL;

	src = file_read(path, TEMPLATE_MAX, NULL, err);
	if (src != NULL)
		t = tmpl_compile(src, path, err);
	free(src);
	free(path);
	return t;
}

struct renderer *
renderer_open(const struct config *cfg, char **err)
{
	struct renderer *r = xcalloc(1, sizeof *r);
	int i;

	r->cfg = cfg;
	for (i = 0; i < T_COUNT; i++) {
		r->t[i] = render_template_load(template_dir(cfg),
		    render_template_files[i], err);
		if (r->t[i] == NULL) {
			renderer_free(r);
			return NULL;
		}
	}
	return r;
}

void
renderer_free(struct renderer *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < T_COUNT; i++)
		tmpl_free(r->t[i]);
	for (i = 0; i < r->npartials; i++) {
		free(r->partials[i].name);
		free(r->partials[i].src);
	}
	free(r->partials);
	entry_cache_free(r->cache);
	topic_cache_free(r->topics);
	free(r);
}

/*
 * {{>name}} reads name.mustache beside the templates.  Names are plain
 * words, so a template cannot reach files outside its folder; an unknown
 * or unreadable partial renders as nothing, as the spec says.
 */
static const char *
partial_source(const char *name, void *ctx)
{
	struct renderer *r = ctx;
	struct partial *p;
	char *path, *err = NULL;
	size_t i;

	if (*name == '\0' || name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] != '\0')
		return NULL;
	for (i = 0; i < r->npartials; i++)
		if (strcmp(r->partials[i].name, name) == 0)
			return r->partials[i].src;
	r->partials = xreallocarray(r->partials, r->npartials + 1,
	    sizeof *r->partials);
	p = &r->partials[r->npartials++];
	p->name = xstrdup(name);
	path = xasprintf("%s/%s.mustache", template_dir(r->cfg), name);
	p->src = file_read(path, TEMPLATE_MAX, NULL, &err);
	free(err);
	free(path);
	return p->src;
}

/* Plain text wrapped at WRAP columns (see text_wrap). */
static char *
wrap_text(const char *text)
{
	return text_wrap(text, WRAP);
}

/* "Source - date" for the text part, wrapped, the date kept whole. */
static char *
wrap_byline(const char *source, const char *date)
{
	char *src = wrap_text(source ? source : ""), *line;
	const char *last = strrchr(src, '\n');
	const char *tail = last ? last + 1 : src;
	size_t room = text_columns(tail, strlen(tail)) + 3 + strlen(date);

	line = xasprintf("%s%s%s", src, room <= WRAP ? " - " : "\n", date);
	free(src);
	return line;
}

static char *
entry_excerpt(const struct digest_entry *e, const struct config *cfg)
{
	const char *html = e->summary_html ? e->summary_html : e->content_html;
	char *text = html_to_text(html ? html : "");
	char *ex = text_excerpt(text, (size_t)cfg->excerpt_words,
	    (size_t)cfg->excerpt_chars);

	free(text);
	return ex;
}

/*
 * What an entry shows, computed once per run.  A digest's cost is in
 * these (the HTML parse behind each excerpt), and the same entries recur
 * in every digest of a topic: keyed by item id, the cache holds each
 * distinct entry of the run once, bounded by topics x entries, whatever
 * the number of subscribers.
 */
struct entry_text {
	int64_t	 item_id;	/* 0: empty slot */
	char	 date[32];
	char	*byline_wrapped;
	char	*title_wrapped;
	char	*excerpt_wrapped;
	char	*excerpt;
};

struct entry_cache {
	struct entry_text *slots;
	size_t	 size;		/* a power of two */
	size_t	 used;
	struct entry_text scratch;	/* an entry with no id: not kept */
};

static void
entry_text_clear(struct entry_text *x)
{
	free(x->byline_wrapped);
	free(x->title_wrapped);
	free(x->excerpt_wrapped);
	free(x->excerpt);
	memset(x, 0, sizeof *x);
}

static void
entry_text_fill(const struct renderer *r, const struct digest_entry *e,
    struct entry_text *x)
{
	time_t t = (time_t)e->date;
	struct tm tm;

	x->item_id = e->item_id;
	if (gmtime_r(&t, &tm))
		strftime(x->date, sizeof x->date, "%d %b %Y", &tm);
	x->byline_wrapped = wrap_byline(e->source, x->date);
	x->title_wrapped = wrap_text(e->title && *e->title ? e->title
	    : "(untitled)");
	x->excerpt = entry_excerpt(e, r->cfg);
	x->excerpt_wrapped = wrap_text(x->excerpt);
}

static struct entry_text *
entry_slot(struct entry_cache *c, int64_t id)
{
	size_t i = ((uint64_t)id * 0x9e3779b97f4a7c15ULL) & (c->size - 1);

	while (c->slots[i].item_id != 0 && c->slots[i].item_id != id)
		i = (i + 1) & (c->size - 1);
	return &c->slots[i];
}

static void
entry_cache_grow(struct entry_cache *c)
{
	struct entry_text *old = c->slots;
	size_t n = c->size, i;

	c->size = n ? n * 2 : 64;
	c->slots = xcalloc(c->size, sizeof *c->slots);
	for (i = 0; i < n; i++)
		if (old[i].item_id != 0)
			*entry_slot(c, old[i].item_id) = old[i];
	free(old);
}

static const struct entry_text *
entry_text_get(struct renderer *r, const struct digest_entry *e)
{
	struct entry_cache *c;
	struct entry_text *x;

	if (r->cache == NULL)
		r->cache = xcalloc(1, sizeof *r->cache);
	c = r->cache;
	if (e->item_id == 0) {
		entry_text_clear(&c->scratch);
		entry_text_fill(r, e, &c->scratch);
		return &c->scratch;
	}
	if (2 * (c->used + 1) > c->size)
		entry_cache_grow(c);
	x = entry_slot(c, e->item_id);
	if (x->item_id == 0) {
		entry_text_fill(r, e, x);
		c->used++;
	}
	return x;
}

static void
entry_cache_free(struct entry_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->size; i++)
		entry_text_clear(&c->slots[i]);
	entry_text_clear(&c->scratch);
	free(c->slots);
	free(c);
}

/* Each line of text wrapped at WRAP on its own. */
static char *
wrap_lines(const char *text)
{
	struct buf b;
	const char *p = text, *nl;
	char *line, *wrapped;

	buf_init(&b, MESSAGE_MAX);
	for (; p != NULL; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		wrapped = wrap_text(line);
		buf_puts(&b, wrapped);
		if (nl)
			buf_putc(&b, '\n');
		free(wrapped);
		free(line);
	}
	return buf_detach(&b);
}

/* An editor's note as html_key (sanitized) and text_key (wrapped). */
static void
note_values(const char *md, struct tval *v, const char *html_key,
    const char *text_key)
{
	char *text;

	if (md == NULL || *md == '\0')
		return;
	tv_set(v, html_key, tv_str_own(markdown_to_html(md)));
	text = markdown_to_text(md);
	tv_set(v, text_key, tv_str_own(wrap_lines(text)));
	free(text);
}

/*
 * The run's note, and for a digest with no entries (when_empty = note)
 * "nothing_new": the subscriber's topic names, with no topic sections.
 */
static void
digest_extra_values(const struct digest *d, struct tval *v)
{
	struct buf b;
	size_t i;

	note_values(d->note_md, v, "note_html", "note_text");
	if (digest_count(d) > 0)
		return;
	buf_init(&b, 0);
	for (i = 0; i < d->ntopics; i++) {
		if (i > 0)
			buf_puts(&b, i + 1 == d->ntopics ? " and " : ", ");
		buf_puts(&b, d->topics[i].name);
	}
	tv_set(v, "nothing_new", tv_str_own(buf_detach(&b)));
	tv_set(v, "topics", tv_list());
}

static struct tval *
entry_value(struct renderer *r, const struct digest_entry *e, int ref)
{
	struct tval *v = tv_map();
	const struct entry_text *x = entry_text_get(r, e);

	tv_set(v, "title", tv_str(e->title && *e->title ? e->title
	    : "(untitled)"));
	tv_set(v, "link", tv_str(e->link));
	tv_set(v, "source", tv_str(e->source));
	tv_set(v, "date", tv_str(x->date));
	tv_set(v, "byline_wrapped", tv_str(x->byline_wrapped));
	tv_set(v, "title_wrapped", tv_str(x->title_wrapped));
	tv_set(v, "excerpt_wrapped", tv_str(x->excerpt_wrapped));
	tv_set(v, "excerpt", tv_str(x->excerpt));
	/* No link, no reference: 0 would be truthy in {{#ref}}. */
	tv_set(v, "ref", ref ? tv_num(ref) : tv_null());
	return v;
}

static struct tval *
topic_value(struct renderer *r, const struct digest_topic *t)
{
	struct tval *v = tv_map(), *list = tv_list(), *links = tv_list();
	struct tval *l;
	size_t i;
	int ref = 0;

	for (i = 0; i < t->nentries; i++) {
		if (t->entries[i].link)
			ref++;
		tv_push(list, entry_value(r, &t->entries[i],
		    t->entries[i].link ? ref : 0));
		if (t->entries[i].link) {
			l = tv_push(links, tv_map());
			tv_set(l, "ref", tv_num(ref));
			tv_set(l, "link", tv_str(t->entries[i].link));
		}
	}
	tv_set(v, "name", tv_str(t->name));
	tv_set(v, "slug", tv_str(t->slug));
	tv_set(v, "count", tv_num((double)t->nentries));
	tv_set(v, "more", tv_num((double)t->more));
	tv_set(v, "has_more", tv_bool(t->more > 0));
	/* Every name the section reads is the topic's own, even when empty:
	 * then its rendering depends on the topic alone (see tv_ref). */
	tv_set(v, "archive_url", r->cfg->base_url ? tv_str_own(xasprintf(
	    "%s/%s/", r->cfg->base_url, t->slug)) : tv_null());
	tv_set(v, "topic_note_html", tv_null());
	tv_set(v, "topic_note_text", tv_null());
	note_values(t->note_md, v, "topic_note_html", "topic_note_text");
	tv_set(v, "entries", list);
	tv_set(v, "links", links);
	return v;
}

/*
 * A topic's section is the same in every digest that has the same
 * entries (and the same cap and note): its context is built once per run
 * and shared by reference, and the engine renders each template's section
 * over it once (tv_ref), so each further digest costs a copy.  Bounded:
 * at most TOPIC_CACHE_MAX sections are kept, whatever the number of
 * subscribers; the one used longest ago gives way to a new one, unless
 * every one is in the digest being rendered (then the new one is built
 * for that digest alone).
 */
#define TOPIC_CACHE_MAX	128

struct topic_key {
	int64_t	 topic_id;
	int64_t	 note_id;
	size_t	 more;
	int64_t	*items;
	size_t	 nitems;
};

struct topic_cache {
	struct topic_key keys[TOPIC_CACHE_MAX];
	struct tval *values[TOPIC_CACHE_MAX];
	uint64_t used[TOPIC_CACHE_MAX];	/* the digest that last used it */
	size_t	 n;
	uint64_t digest;		/* digests begun */
};

static int
topic_key_is(const struct topic_key *k, const struct digest_topic *t)
{
	size_t i;

	if (k->topic_id != t->topic_id || k->note_id != t->note_id ||
	    k->more != t->more || k->nitems != t->nentries)
		return 0;
	for (i = 0; i < t->nentries; i++)
		if (k->items[i] != t->entries[i].item_id)
			return 0;
	return 1;
}

/* Cacheable: every entry has an id (a digest from the outbox). */
static int
topic_cacheable(const struct digest_topic *t)
{
	size_t i;

	if (t->note_md != NULL && t->note_id == 0)
		return 0;
	for (i = 0; i < t->nentries; i++)
		if (t->entries[i].item_id == 0)
			return 0;
	return 1;
}

/* A slot for a new section: a free one, or the one used longest ago
 * if not by this digest.  TOPIC_CACHE_MAX when there is none. */
static size_t
topic_slot(struct topic_cache *c)
{
	size_t i, old = TOPIC_CACHE_MAX;

	if (c->n < TOPIC_CACHE_MAX)
		return c->n++;
	for (i = 0; i < c->n; i++)
		if (c->used[i] != c->digest &&
		    (old == TOPIC_CACHE_MAX || c->used[i] < c->used[old]))
			old = i;
	if (old != TOPIC_CACHE_MAX) {
		free(c->keys[old].items);
		tv_free(c->values[old]);
	}
	return old;
}

static struct tval *
topic_value_shared(struct renderer *r, const struct digest_topic *t)
{
	struct topic_cache *c = r->topics;
	struct topic_key *k;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (topic_key_is(&c->keys[i], t)) {
			c->used[i] = c->digest;
			return tv_ref(c->values[i]);
		}
	if (!topic_cacheable(t) || (i = topic_slot(c)) == TOPIC_CACHE_MAX)
		return topic_value(r, t);
	k = &c->keys[i];
	*k = (struct topic_key){ t->topic_id, t->note_id, t->more,
	    xreallocarray(NULL, t->nentries + 1, sizeof *k->items),
	    t->nentries };
	for (i = 0; i < t->nentries; i++)
		k->items[i] = t->entries[i].item_id;
	i = (size_t)(k - c->keys);
	c->used[i] = c->digest;
	c->values[i] = topic_value(r, t);
	return tv_ref(c->values[i]);
}

static void
topic_cache_free(struct topic_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->keys[i].items);
		tv_free(c->values[i]);
	}
	free(c);
}

/*
 * The subject is "TITLE: N new posts — HEADLINES" and should stay within
 * one 78-character line however long the newsletter's title: the title
 * gives way first (cut with "…"), keeping HEADLINE_MIN for the headlines.
 */
#define HEADLINE_MIN	20

/* Characters of the subject besides the title and the headlines. */
static size_t
subject_fixed(size_t count)
{
	char n[64];

	/* ": " + "N new posts" + " — " */
	return 2 + (size_t)snprintf(n, sizeof n, "%zu new posts", count) + 3;
}

/* The title for the subject: cfg->title, cut to leave room. */
static char *
subject_title(const struct config *cfg, size_t count)
{
	const char *title = cfg->title ? cfg->title : "";
	size_t fixed = subject_fixed(count), room;

	room = fixed + HEADLINE_MIN + 2 < SUBJECT_MAX ?
	    SUBJECT_MAX - fixed - HEADLINE_MIN : 2;
	/* One character of room for the ellipsis. */
	return text_excerpt(title, SIZE_MAX, room - 1);
}

/*
 * Bytes left for headlines, less the three characters of the ", …"
 * that closes a cut list.  headlines() counts bytes, which are never
 * fewer than characters: the budget holds for any script.
 */
static size_t
headline_room(const char *title, size_t count)
{
	size_t used = text_columns(title, strlen(title)) + subject_fixed(count);

	return (used + HEADLINE_MIN < SUBJECT_MAX ? SUBJECT_MAX - used :
	    HEADLINE_MIN) - 3;
}

/* The first words of s that fit in room bytes, then "…". */
static void
put_cut(struct buf *b, const char *s, size_t room)
{
	size_t n = 0, i;

	for (i = 0; s[i] && i + 3 < room; i++)
		if (s[i] == ' ')
			n = i;
	if (n == 0)
		return;
	buf_append(b, s, n);
	buf_puts(b, " …");
}

/* "Title A, Title B, …" cut to fit in room characters. */
static char *
headlines(const struct digest *d, size_t room)
{
	struct buf b;
	size_t i, j, before;

	buf_init(&b, 4096);
	for (i = 0; i < d->ntopics; i++)
		for (j = 0; j < d->topics[i].nentries; j++) {
			const char *t = d->topics[i].entries[j].title;

			if (t == NULL || *t == '\0')
				continue;
			before = b.len;
			if (before)
				buf_puts(&b, ", ");
			if (buf_puts(&b, t) == -1 || b.len > room) {
				buf_truncate(&b, before);
				if (before)
					buf_puts(&b, ", …");
				else
					put_cut(&b, t, room);
				return buf_detach(&b);
			}
		}
	return buf_detach(&b);
}

static struct tval *
digest_value(struct renderer *r, const struct digest *d)
{
	const struct config *cfg = r->cfg;
	struct tval *v = tv_map(), *topics = tv_list(), *sub = tv_map();
	size_t i, shown = digest_count(d), n = shown;
	char *stitle;

	/* New posts: those shown and those the per-topic cap left out. */
	for (i = 0; i < d->ntopics; i++)
		n += d->topics[i].more;
	if (r->topics == NULL)
		r->topics = xcalloc(1, sizeof *r->topics);
	r->topics->digest++;
	/*
	 * A topic whose entries were all shown under an earlier topic is in
	 * the digest only for its mark: it gets no section, not an empty
	 * heading.  (Its "more" is 0 then: the cap is reached only by
	 * entries shown.)
	 */
	for (i = 0; i < d->ntopics; i++)
		if (d->topics[i].nentries > 0)
			tv_push(topics, topic_value_shared(r, &d->topics[i]));
	tv_set(v, "title", tv_str(cfg->title));
	tv_set(v, "count", tv_num((double)n));
	tv_set(v, "one", tv_bool(n == 1));
	tv_set(v, "shown", tv_num((double)shown));
	stitle = subject_title(cfg, n);
	tv_set(v, "headlines", tv_str_own(headlines(d,
	    headline_room(stitle, n))));
	tv_set(v, "subject_title", tv_str_own(stitle));
	tv_set(sub, "email", tv_str(d->email));
	tv_set(sub, "name", tv_str(d->name));
	tv_set(v, "subscriber", sub);
	if (cfg->base_url && d->token)
		tv_set(v, "unsubscribe_url", tv_str_own(xasprintf(
		    "%s/unsubscribe?t=%s", cfg->base_url, d->token)));
	if (cfg->base_url && d->created != 0)	/* its content's public page */
		tv_set(v, "view_url", tv_str_own(archive_digest_url(
		    cfg->base_url, d)));
	tv_set(v, "topics", topics);
	digest_extra_values(d, v);
	return v;
}

/* Subjects are one line: collapse whitespace and trim. */
static char *
one_line(const char *s)
{
	struct buf b;
	int space = 0;

	buf_init(&b, 0);
	for (; *s; s++) {
		if ((unsigned char)*s <= ' ') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

/*
 * Room for as much as the template wrote last time, so a run of similar
 * digests does not grow each output from nothing by doubling.
 */
static char *
render_one(struct renderer *r, int which, const struct tval *ctx,
    struct pieces *pieces, char **err)
{
	struct buf b;

	buf_init(&b, MESSAGE_MAX);
	if (r->last[which] > 0)
		(void)buf_reserve(&b, r->last[which] + r->last[which] / 8);
	if (tmpl_render_pieces(r->t[which], ctx, partial_source, r, &b,
	    pieces, err) == -1) {
		buf_free(&b);
		return NULL;
	}
	r->last[which] = b.len;
	return buf_detach(&b);
}

int
render_digest(struct renderer *r, const struct digest *d,
    struct rendered *out, char **err)
{
	struct tval *ctx = digest_value(r, d);
	char *subject;

	memset(out, 0, sizeof *out);
	out->html = render_one(r, T_HTML, ctx, &out->html_pieces, err);
	if (out->html)
		out->text = render_one(r, T_TEXT, ctx, &out->text_pieces, err);
	if (out->text && (subject = render_one(r, T_SUBJECT, ctx, NULL,
	    err)) != NULL) {
		out->subject = one_line(subject);
		free(subject);
	}
	tv_free(ctx);
	if (out->subject == NULL) {
		rendered_free(out);
		return -1;
	}
	return 0;
}

void
rendered_free(struct rendered *out)
{
	free(out->subject);
	free(out->html);
	free(out->text);
	pieces_clear(&out->html_pieces);
	pieces_clear(&out->text_pieces);
	memset(out, 0, sizeof *out);
}
