/*
 * cmd-feed-view.c - feeds as feed list and feed show print them: labelled
 * blocks, an aligned table for a terminal, or JSON.
 *
 * Only reads the store; the commands that change feeds are in cmd-feed.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-feed-view.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define URL_COLUMN	40	/* widest URL in the table */
#define URL_HEAD	20	/* of which the start (the host, mostly) */

enum { C_URL, C_TOPICS, C_STATE, C_FETCH, C_STATUS, C_ERRORS, C_ITEMS,
    C_NEW, NCOLUMNS };

static const char *const headings[NCOLUMNS] = { "URL", "TOPICS", "STATE",
    "LAST FETCH", "STATUS", "ERRORS", "ITEMS", "LAST NEW ITEM" };

struct table {
	char	*(*cells)[NCOLUMNS];
	size_t	 n, cap;
	int	 width[NCOLUMNS];
};

static int
print_block(const struct feed_row *f, void *ctx)
{
	char when[32], fresh[32], next[32];
	int detail = ctx != NULL;

	printf("%s\n  title: %s%s\n  topics: %s\n  state: %s, last fetch: %s,"
	    " status: %d, errors in a row: %d, items: %lld\n", f->url,
	    f->title ? f->title : "-", f->title_set ? " (set by hand)" : "",
	    f->topics ? f->topics : "-", f->state,
	    cmd_time(f->last_fetch, when, sizeof when), f->last_status,
	    f->consecutive_errors, (long long)f->nitems);
	if (f->last_error)
		printf("  last error: %s\n", f->last_error);
	if (f->next_fetch)
		printf("  next fetch: not before %s\n",
		    cmd_time(f->next_fetch, next, sizeof next));
	if (detail)
		printf("  site: %s\n  last new item: %s\n",
		    f->site_link ? f->site_link : "-",
		    cmd_time(f->last_new_item, fresh, sizeof fresh));
	return 0;
}

static const char *const feed_cols[] = { "url", "title", "site_link",
    "topics", "state", "last_fetch", "last_status", "last_error",
    "errors_in_a_row", "items", "last_new_item", "next_fetch", NULL };

static int
feed_cells(const struct feed_row *f, void *ctx)
{
	struct cmd_rows *r = ctx;

	cmd_rows_str(r, f->url);
	cmd_rows_str(r, f->title);
	cmd_rows_str(r, f->site_link);
	cmd_rows_list(r, f->topics);
	cmd_rows_str(r, f->state);
	cmd_rows_time(r, f->last_fetch);
	cmd_rows_int(r, f->last_status);
	cmd_rows_str(r, f->last_error);
	cmd_rows_int(r, f->consecutive_errors);
	cmd_rows_int(r, f->nitems);
	cmd_rows_time(r, f->last_new_item);
	cmd_rows_time(r, f->next_fetch);
	cmd_rows_end_row(r);
	return 0;
}

/* A URL that fits the column: no scheme, the middle elided. */
static char *
short_url(const char *url)
{
	const char *p = strstr(url, "://");
	size_t len;

	if (p)
		url = p + 3;
	if ((len = strlen(url)) <= URL_COLUMN)
		return xstrdup(url);
	return xasprintf("%.*s...%s", URL_HEAD, url,
	    url + len - (URL_COLUMN - URL_HEAD - 3));
}

static int
add_row(const struct feed_row *f, void *ctx)
{
	struct table *t = ctx;
	char **c, buf[32];
	int i;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = xreallocarray(t->cells, t->cap, sizeof *t->cells);
	}
	c = t->cells[t->n++];
	c[C_URL] = short_url(f->url);
	c[C_TOPICS] = xstrdup(f->topics ? f->topics : "-");
	c[C_STATE] = xstrdup(f->state);
	c[C_FETCH] = xstrdup(cmd_time(f->last_fetch, buf, sizeof buf));
	c[C_STATUS] = f->last_status ? xasprintf("%d", f->last_status)
	    : xstrdup("-");
	c[C_ERRORS] = xasprintf("%d", f->consecutive_errors);
	c[C_ITEMS] = xasprintf("%lld", (long long)f->nitems);
	c[C_NEW] = xstrdup(cmd_time(f->last_new_item, buf, sizeof buf));
	for (i = 0; i < NCOLUMNS; i++)
		if ((int)strlen(c[i]) > t->width[i])
			t->width[i] = (int)strlen(c[i]);
	return 0;
}

/* Numbers align right, words left; the last column is not padded. */
static void
print_row(const struct table *t, char *const *c)
{
	int i;

	for (i = 0; i < NCOLUMNS; i++) {
		if (i == C_STATUS || i == C_ERRORS || i == C_ITEMS)
			printf("%*s  ", t->width[i], c[i]);
		else if (i < NCOLUMNS - 1)
			printf("%-*s  ", t->width[i], c[i]);
		else
			printf("%s\n", c[i]);
	}
}

static void
table_free(struct table *t)
{
	size_t r;
	int i;

	for (r = 0; r < t->n; r++)
		for (i = 0; i < NCOLUMNS; i++)
			free(t->cells[r][i]);
	free(t->cells);
}

static int
table(struct cmd_ctx *ctx, int64_t id)
{
	struct table t = { NULL, 0, 0, { 0 } };
	char *err = NULL;
	size_t r;
	int i, rc;

	for (i = 0; i < NCOLUMNS; i++)
		t.width[i] = (int)strlen(headings[i]);
	rc = id ? store_feed_get(ctx->st, id, add_row, &t, &err)
	    : store_feed_each(ctx->st, 0, add_row, &t, &err);
	if (rc == 0) {
		print_row(&t, (char *const *)headings);
		for (r = 0; r < t.n; r++)
			print_row(&t, t.cells[r]);
	}
	table_free(&t);
	return rc == -1 ? gz_fail_err(EX_IOERR, err) : EX_OK;
}

int
feed_view_print(struct cmd_ctx *ctx, int64_t id, enum feed_view view)
{
	struct cmd_rows *r = NULL;
	char *err = NULL;
	int rc;

	if (view == FEED_VIEW_TABLE)
		return table(ctx, id);
	if (view != FEED_VIEW_BLOCK)
		r = cmd_rows_new(view == FEED_VIEW_JSON ? CMD_JSON : CMD_CSV,
		    feed_cols, id != 0);
	if (id)
		rc = store_feed_get(ctx->st, id, r ? feed_cells : print_block,
		    r ? (void *)r : ctx, &err);
	else
		rc = store_feed_each(ctx->st, 0, r ? feed_cells : print_block,
		    r, &err);
	if (rc == -1) {
		cmd_rows_free(r);
		return gz_fail_err(EX_IOERR, err);
	}
	return r ? cmd_rows_done(r) : EX_OK;
}
