/*
 * cmd-feed-opml.c - feed import and feed export: the feed list as OPML,
 * to move it from (or to) a feed reader or another gazette.
 *
 * An import is one transaction and checks the whole file before it writes
 * anything: a refused file leaves the database as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "fileio.h"
#include "log.h"
#include "opml.h"
#include "store.h"
#include "xmalloc.h"

#define OPML_MAX	((size_t)16 << 20)

static int	cmd_feed_import(struct cmd_ctx *, int, char **);
static int	cmd_feed_export(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_feed_import_entry = {
	"feed", "import", "FILE [--dry-run]",
	"Add the feeds of an OPML file, its folders and categories as topics.",
	"  FILE               an OPML 1.0 or 2.0 file, or - for standard "
	"input\n"
	"  -n, --dry-run      check the file and report what would change, "
	"change nothing\n",
	GZ_NEEDS_DB, cmd_feed_import
};

const struct cmd_entry cmd_feed_export_entry = {
	"feed", "export", "[--output FILE]",
	"Write every feed as OPML 2.0, one folder per topic.",
	"  -o, --output FILE  write to FILE (replaced whole) instead of "
	"standard output\n"
	"                     (- is standard output too)\n",
	GZ_NEEDS_DB, cmd_feed_export
};

struct import {
	struct cmd_ctx	*ctx;
	const struct opml *o;
	int64_t		*topic_ids;	/* per opml topic */
	int		 topics_created;
	int		 feeds_added;
	int		 feeds_updated;
	char		*err;
};

static int
import_topics(struct import *im)
{
	const struct opml_topic *t;
	size_t i;
	int rc;

	for (i = 0; i < im->o->ntopics; i++) {
		t = &im->o->topics[i];
		rc = store_topic_id(im->ctx->st, t->slug, &im->topic_ids[i],
		    &im->err);
		if (rc == STORE_NOTFOUND) {
			if (store_topic_add(im->ctx->st, t->slug, t->name,
			    &im->err) != 0 || store_topic_id(im->ctx->st,
			    t->slug, &im->topic_ids[i], &im->err) != 0)
				return -1;
			gz_debug("new topic %s (%s)", t->slug, t->name);
			im->topics_created++;
		} else if (rc != 0)
			return -1;
	}
	return 0;
}

static int
import_feed(struct import *im, const struct opml_feed *f)
{
	struct store *st = im->ctx->st;
	int64_t id, *ids = xcalloc(f->ntopics + 1, sizeof *ids);
	size_t i;
	int rc, added;

	for (i = 0; i < f->ntopics; i++)
		ids[i] = im->topic_ids[f->topics[i]];
	rc = store_feed_id(st, f->url, &id, &im->err);
	if (rc == 0) {
		if ((rc = store_feed_add_topics(st, id, ids, f->ntopics, &added,
		    &im->err)) == 0 && added > 0) {
			gz_debug("more topics for feed %s", f->url);
			im->feeds_updated++;
		}
	} else if (rc == STORE_NOTFOUND) {
		if ((rc = store_feed_add(st, f->url, ids, f->ntopics,
		    im->ctx->now, &im->err)) == 0 &&
		    (rc = store_feed_id(st, f->url, &id, &im->err)) == 0 &&
		    (f->title == NULL || (rc = store_feed_set_title(st, id,
		    f->title, &im->err)) == 0) && f->html_url != NULL)
			rc = store_feed_set_site_link(st, id, f->html_url,
			    &im->err);
		if (rc == 0) {
			gz_debug("new feed %s", f->url);
			im->feeds_added++;
		}
	}
	free(ids);
	return rc == 0 ? 0 : -1;
}

static int
import_all(struct import *im)
{
	size_t i;

	if (import_topics(im) == -1)
		return gz_fail_err(EX_IOERR, im->err);
	for (i = 0; i < im->o->nfeeds; i++)
		if (import_feed(im, &im->o->feeds[i]) == -1)
			return im->err ? gz_fail_err(EX_IOERR, im->err)
			    : gz_fail(EX_SOFTWARE, "feed '%s' could not be "
			    "added", im->o->feeds[i].url);
	return EX_OK;
}

static int
parse_import(int argc, char **argv, int *dry_run)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*dry_run = 0;
	while ((c = cmd_getopt(&cmd_feed_import_entry, argc, argv, "n",
	    opts)) != -1) {
		if (c != 'n')
			return EX_USAGE;
		*dry_run = 1;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_feed_import_entry, "expected one FILE "
		    "(- for standard input)");
	return EX_OK;
}

/* The file, parsed; refusals name FILE:LINE like a compiler would. */
static int
load(const char *path, struct opml **o)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	char *data, *err = NULL;
	size_t len;
	long line;
	int rc;

	if ((data = file_read(path, OPML_MAX, &len, &err)) == NULL)
		return gz_fail_err(EX_NOINPUT, err);
	*o = opml_parse(data, len, &line, &err);
	free(data);
	if (*o != NULL)
		return EX_OK;
	rc = gz_fail(EX_DATAERR, "%s:%ld: %s", name, line, err);
	free(err);
	return rc;
}

static int
cmd_feed_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct import im;
	struct opml *o = NULL;
	int rc, dry_run;

	if ((rc = parse_import(argc, argv, &dry_run)) != EX_OK ||
	    (rc = load(argv[optind], &o)) != EX_OK)
		return rc;
	memset(&im, 0, sizeof im);
	im.ctx = ctx;
	im.o = o;
	im.topic_ids = xcalloc(o->ntopics + 1, sizeof *im.topic_ids);
	if ((rc = cmd_begin(ctx)) == EX_OK) {
		rc = import_all(&im);
		if (dry_run)
			store_rollback(ctx->st);
		else
			rc = cmd_end(ctx, rc);
	}
	if (rc == EX_OK)
		gz_info("%s%d feeds added, %d updated, %d unchanged; %d topics "
		    "created", dry_run ? "dry run, nothing changed: " : "",
		    im.feeds_added, im.feeds_updated, (int)o->nfeeds -
		    im.feeds_added - im.feeds_updated, im.topics_created);
	free(im.topic_ids);
	opml_free(o);
	return rc;
}

/* ------------------------------------------------------------------ export */

static int
export_topic(const struct topic_row *t, void *arg)
{
	opml_topic(arg, t->slug, t->name ? t->name : t->slug);
	return 0;
}

static int
export_feed(const struct feed_row *r, void *arg)
{
	struct opml *o = arg;
	struct opml_feed *f = opml_feed(o, r->url, r->title, r->site_link);
	char *slugs = xstrdup(r->topics ? r->topics : ""), *slug, *save = NULL;

	for (slug = strtok_r(slugs, ",", &save); slug != NULL;
	    slug = strtok_r(NULL, ",", &save))
		opml_feed_topic(f, opml_topic(o, slug, slug));
	free(slugs);
	return 0;
}

static int
write_out(const char *path, const char *data, size_t len)
{
	char *err = NULL;

	if (path != NULL && strcmp(path, "-") != 0) {
		if (file_write_atomic(path, data, len, &err) == -1)
			return gz_fail_err(EX_CANTCREAT, err);
		return EX_OK;
	}
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return gz_fail(EX_IOERR, "cannot write the OPML to standard "
		    "output");
	return EX_OK;
}

static int
cmd_feed_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct opml *o;
	const char *path = NULL;
	char *text, *err = NULL;
	size_t len;
	int c, rc;

	while ((c = cmd_getopt(&cmd_feed_export_entry, argc, argv, "o:",
	    opts)) != -1) {
		if (c != 'o')
			return EX_USAGE;
		path = optarg;
	}
	if (argc - optind > 0)
		return cmd_usage(&cmd_feed_export_entry, "takes no arguments");
	o = opml_new(ctx->cfg->title);
	if (store_topic_each(ctx->st, export_topic, o, &err) == -1 ||
	    store_feed_each(ctx->st, 0, export_feed, o, &err) == -1) {
		opml_free(o);
		return gz_fail_err(EX_IOERR, err);
	}
	text = opml_write(o, ctx->now, &len);
	rc = write_out(path, text, len);
	free(text);
	opml_free(o);
	return rc;
}
