/*
 * archive.c - renders the web archive's pages through the templates:
 * the index, each topic's pages, one page per week of sent digests, and
 * one per distinct content a sent digest had (its "view in browser").
 *
 * Pages hold no timestamps of their own making, so the same data renders
 * to the same bytes and a re-run leaves the files alone.  Links between
 * pages are relative, so the folder works from any base URL or file://.
 * Nothing personal (addresses, names, tokens) is ever in a context here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "archive-int.h"
#include "buf.h"
#include "config.h"
#include "digest.h"
#include "fileio.h"
#include "html.h"
#include "render.h"
#include "template.h"
#include "xmalloc.h"

#ifndef GZ_TEMPLATE_DIR
#define GZ_TEMPLATE_DIR "/usr/local/share/gazette/templates"
#endif

#define PAGE_MAX	((size_t)16 << 20)
#define PARTIAL_MAX	((size_t)1 << 20)
#define PAGER_AROUND	2	/* page numbers shown each side of the current */

enum { A_INDEX, A_PAGE, A_ISSUE, A_COUNT };
static const char *const archive_files[A_COUNT] = {
	"archive-index.html", "archive-page.html", "archive-issue.html"
};

struct partial {
	char	*name;
	char	*src;
};

struct builder {
	const struct config *cfg;
	struct tmpl *t[A_COUNT];
	struct partial *partials;
	size_t	 npartials;
	struct archive_site *site;
};

/*
 * The operator's folder first; a file it lacks comes from the installed
 * templates, so a folder made for the digest alone keeps working.
 */
static char *
template_path(const struct config *cfg, const char *file)
{
	const char *env = getenv("GAZETTE_TEMPLATE_DIR");
	const char *dir = cfg->template_dir ? cfg->template_dir :
	    env && *env ? env : GZ_TEMPLATE_DIR;
	char *path = xasprintf("%s/%s", dir, file);

	if (access(path, R_OK) == 0 || strcmp(dir, GZ_TEMPLATE_DIR) == 0)
		return path;
	free(path);
	return xasprintf("%s/%s", GZ_TEMPLATE_DIR, file);
}

static const char *
partial_source(const char *name, void *ctx)
{
	struct builder *b = ctx;
	struct partial *p;
	char *file, *path, *err = NULL;
	size_t i;

	if (*name == '\0' || name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] != '\0')
		return NULL;
	for (i = 0; i < b->npartials; i++)
		if (strcmp(b->partials[i].name, name) == 0)
			return b->partials[i].src;
	b->partials = xreallocarray(b->partials, b->npartials + 1,
	    sizeof *b->partials);
	p = &b->partials[b->npartials++];
	p->name = xstrdup(name);
	file = xasprintf("%s.mustache", name);
	path = template_path(b->cfg, file);
	p->src = file_read(path, PARTIAL_MAX, NULL, &err);
	free(err);
	free(path);
	free(file);
	return p->src;
}

static int
builder_open(struct builder *b, const struct config *cfg,
    struct archive_site *site, char **err)
{
	char *path, *slash;
	int i;

	memset(b, 0, sizeof *b);
	b->cfg = cfg;
	b->site = site;
	for (i = 0; i < A_COUNT; i++) {
		path = template_path(cfg, archive_files[i]);
		slash = strrchr(path, '/');
		*slash = '\0';
		b->t[i] = render_template_load(path, slash + 1, err);
		free(path);
		if (b->t[i] == NULL)
			return -1;
	}
	return 0;
}

static void
builder_close(struct builder *b)
{
	size_t i;

	for (i = 0; i < A_COUNT; i++)
		tmpl_free(b->t[i]);
	for (i = 0; i < b->npartials; i++) {
		free(b->partials[i].name);
		free(b->partials[i].src);
	}
	free(b->partials);
}

/* Render template which with ctx (freed) as the page at path (taken). */
static int
emit(struct builder *b, int which, struct tval *ctx, char *path, char **err)
{
	struct buf out;
	int rc;

	buf_init(&out, PAGE_MAX);
	rc = tmpl_render(b->t[which], ctx, partial_source, b, &out, err);
	tv_free(ctx);
	if (rc == -1) {
		buf_free(&out);
		free(path);
		return -1;
	}
	archive_site_add(b->site, path, out.data ? buf_detach(&out) :
	    xstrdup(""));
	return 0;
}

static void
set_date(struct tval *v, const char *key, const char *iso_key, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32] = "", iso[16] = "";

	if (gmtime_r(&tt, &tm)) {
		strftime(s, sizeof s, "%d %b %Y", &tm);
		strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
	}
	tv_set(v, key, tv_str(s));
	if (iso_key)
		tv_set(v, iso_key, tv_str(iso));
}

static struct tval *
entry_value(const struct builder *b, const struct digest_entry *e)
{
	struct tval *v = tv_map();
	char *text = html_to_text(e->summary_html ? e->summary_html : "");

	if (e->title && *e->title)
		tv_set(v, "title", tv_str(e->title));
	else
		tv_set(v, "title", tv_str(e->link ? e->link : "(untitled)"));
	tv_set(v, "link", tv_str(e->link));
	tv_set(v, "source", tv_str(e->source));
	set_date(v, "date", "datetime", e->date);
	tv_set(v, "excerpt", tv_str_own(text_excerpt(text,
	    (size_t)b->cfg->excerpt_words, (size_t)b->cfg->excerpt_chars)));
	free(text);
	return v;
}

static struct tval *
entries_value(const struct builder *b, const struct digest_entry *e,
    size_t n)
{
	struct tval *list = tv_list();
	size_t i;

	for (i = 0; i < n; i++)
		tv_push(list, entry_value(b, &e[i]));
	return list;
}

/* The context every page starts from. */
static struct tval *
page_value(const struct builder *b, const char *root)
{
	struct tval *v = tv_map();

	tv_set(v, "site_title", tv_str(b->cfg->title));
	tv_set(v, "root", tv_str(root));
	return v;
}

/* A topic page's path inside the topic folder. */
static char *
topic_page(size_t n)
{
	return n == 1 ? xstrdup("index.html") : xasprintf("page/%zu.html", n);
}

/* The href from page `from` of a topic to its page `to`. */
static char *
topic_href(size_t from, size_t to)
{
	char *p = topic_page(to), *h;

	h = xasprintf("%s%s", from == 1 ? "" : "../", p);
	free(p);
	return h;
}

/* "1 2 3 … N": the first, the last, and PAGER_AROUND each side. */
static struct tval *
pager_value(size_t cur, size_t npages)
{
	struct tval *list = tv_list(), *v;
	size_t n;
	int gap = 0;

	for (n = 1; n <= npages; n++) {
		if (n != 1 && n != npages && (n + PAGER_AROUND < cur ||
		    n > cur + PAGER_AROUND)) {
			if (!gap)
				tv_set(tv_push(list, tv_map()), "gap",
				    tv_bool(1));
			gap = 1;
			continue;
		}
		gap = 0;
		v = tv_push(list, tv_map());
		tv_set(v, "number", tv_num((double)n));
		tv_set(v, "current", tv_bool(n == cur));
		tv_set(v, "href", tv_str_own(topic_href(cur, n)));
	}
	return list;
}

static int
topic_pages(struct builder *b, const struct digest_topic *t, char **err)
{
	size_t size = (size_t)b->cfg->archive_page_size, n, first, count;
	size_t npages = t->nentries ? (t->nentries + size - 1) / size : 1;
	struct tval *v, *tv;
	char *page, *path;

	for (n = 1; n <= npages; n++) {
		first = (n - 1) * size;
		count = t->nentries - first < size ? t->nentries - first : size;
		v = page_value(b, n == 1 ? "../" : "../../");
		tv = tv_set(v, "topic", tv_map());
		tv_set(tv, "name", tv_str(t->name));
		tv_set(tv, "slug", tv_str(t->slug));
		tv_set(tv, "count", tv_num((double)t->nentries));
		tv_set(tv, "one", tv_bool(t->nentries == 1));
		tv_set(v, "page", tv_num((double)n));
		tv_set(v, "npages", tv_num((double)npages));
		tv_set(v, "paged", tv_bool(npages > 1));
		tv_set(v, "entries", entries_value(b, t->entries + first,
		    count));
		tv_set(v, "pages", pager_value(n, npages));
		if (n > 1)
			tv_set(v, "prev_href", tv_str_own(topic_href(n, n - 1)));
		if (n < npages)
			tv_set(v, "next_href", tv_str_own(topic_href(n, n + 1)));
		page = topic_page(n);
		path = xasprintf("%s/%s", t->slug, page);
		free(page);
		if (emit(b, A_PAGE, v, path, err) == -1)
			return -1;
	}
	return 0;
}

/* "Week 48, 2026 · 23–29 Nov" from a week's Monday. */
static void
set_week(struct tval *v, int64_t monday)
{
	time_t mon = (time_t)monday, sun = mon + 6 * 86400;
	struct tm a, z;
	char week[32] = "", from[32] = "", to[32] = "";

	if (gmtime_r(&mon, &a) && gmtime_r(&sun, &z)) {
		strftime(week, sizeof week, "Week %V, %G", &a);
		strftime(from, sizeof from, a.tm_year != z.tm_year ?
		    "%d %b %Y" : a.tm_mon != z.tm_mon ? "%d %b" : "%d", &a);
		strftime(to, sizeof to, "%d %b %Y", &z);
	}
	tv_set(v, "week", tv_str(week));
	tv_set(v, "days", tv_str_own(xasprintf("%s–%s", from, to)));
}

/* An issue page's context: the week of monday, d's topics in order. */
static struct tval *
issue_value(const struct builder *b, int64_t monday, const struct digest *d)
{
	struct tval *v = page_value(b, ""), *topics = tv_list(), *tv;
	const struct digest_topic *t;
	size_t i;

	set_week(v, monday);
	tv_set(v, "count", tv_num((double)digest_count(d)));
	tv_set(v, "one", tv_bool(digest_count(d) == 1));
	for (i = 0; i < d->ntopics; i++) {
		t = &d->topics[i];
		if (t->nentries == 0)
			continue;
		tv = tv_push(topics, tv_map());
		tv_set(tv, "name", tv_str(t->name));
		tv_set(tv, "slug", tv_str(t->slug));
		tv_set(tv, "href", tv_str_own(xasprintf("%s/index.html",
		    t->slug)));
		tv_set(tv, "entries", entries_value(b, t->entries,
		    t->nentries));
	}
	tv_set(v, "topics", topics);
	return v;
}

static int
issue_page(struct builder *b, const struct archive_issue *is, char **err)
{
	return emit(b, A_ISSUE, issue_value(b, is->monday, is->d),
	    xstrdup(is->path), err);
}

/* The page a sent digest's "view in browser" link names. */
static int
sent_page(struct builder *b, const struct archive_sent *s, char **err)
{
	struct tval *v = issue_value(b, s->monday, s->d);

	set_date(v, "sent", NULL, s->first);
	return emit(b, A_ISSUE, v, xstrdup(s->path), err);
}

static int
index_page(struct builder *b, const struct archive_data *a, char **err)
{
	struct tval *v = page_value(b, ""), *list = tv_list(), *tv;
	const struct digest_topic *t;
	size_t i;

	for (i = 0; i < a->topics->ntopics; i++) {
		t = &a->topics->topics[i];
		tv = tv_push(list, tv_map());
		tv_set(tv, "name", tv_str(t->name));
		tv_set(tv, "slug", tv_str(t->slug));
		tv_set(tv, "href", tv_str_own(xasprintf("%s/index.html",
		    t->slug)));
		tv_set(tv, "count", tv_num((double)t->nentries));
		tv_set(tv, "one", tv_bool(t->nentries == 1));
		if (t->nentries)
			set_date(tv, "latest", NULL, t->entries[0].date);
	}
	tv_set(v, "topics", list);
	tv_set(v, "has_topics", tv_bool(a->topics->ntopics > 0));
	tv_set(v, "has_issues", tv_bool(a->nissues > 0));
	list = tv_set(v, "issues", tv_list());
	for (i = 0; i < a->nissues; i++) {
		tv = tv_push(list, tv_map());
		set_week(tv, a->issues[i].monday);
		tv_set(tv, "href", tv_str(a->issues[i].path));
		tv_set(tv, "count", tv_num((double)digest_count(
		    a->issues[i].d)));
		tv_set(tv, "one", tv_bool(digest_count(a->issues[i].d) == 1));
	}
	return emit(b, A_INDEX, v, xstrdup("index.html"), err);
}

int
archive_build(struct store *st, const struct config *cfg,
    struct archive_site *site, char **err)
{
	struct archive_data a;
	struct builder b;
	size_t i;
	int rc = -1;

	memset(site, 0, sizeof *site);
	if (builder_open(&b, cfg, site, err) == -1)
		goto out;
	if (archive_load(st, &a, err) == -1) {
		archive_data_free(&a);
		goto out;
	}
	rc = index_page(&b, &a, err);
	for (i = 0; rc == 0 && i < a.topics->ntopics; i++)
		rc = topic_pages(&b, &a.topics->topics[i], err);
	for (i = 0; rc == 0 && i < a.nissues; i++)
		rc = issue_page(&b, &a.issues[i], err);
	for (i = 0; rc == 0 && i < a.nsent; i++)
		rc = sent_page(&b, &a.sent[i], err);
	archive_data_free(&a);
out:
	builder_close(&b);
	if (rc == -1)
		archive_site_free(site);
	return rc;
}
