/*
 * cmd-feed.c - feeds: the sources the collector fetches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd.h"
#include "config.h"
#include "log.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"

static int	cmd_feed_add(struct cmd_ctx *, int, char **);
static int	cmd_feed_list(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_feed_add_entry = {
	"feed", "add", "URL --topic SLUG...",
	"Add a feed (an http or https URL) to one or more topics.",
	"  -t, --topic SLUG   a topic the feed belongs to (repeatable, at "
	"least one)\n",
	GZ_NEEDS_DB, cmd_feed_add
};

const struct cmd_entry cmd_feed_list_entry = {
	"feed", "list", "",
	"List feeds with their topics, last fetch, status and item count.",
	NULL, GZ_NEEDS_DB, cmd_feed_list
};

/* file:// only where the operator allows it ([collect] allow_file). */
static const char *
url_problem(const char *url, const struct config *cfg)
{
	if (url_is_http(url))
		return NULL;
	if (cfg->collect_allow_file && strncasecmp(url, "file:///", 8) == 0)
		return NULL;
	return "is not an http:// or https:// URL";
}

static int
cmd_feed_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	char **slugs = xcalloc((size_t)argc, sizeof *slugs), *err = NULL;
	int64_t *ids = xcalloc((size_t)argc, sizeof *ids);
	const char *url, *why;
	size_t n = 0;
	int c, rc;

	while ((c = cmd_getopt(&cmd_feed_add_entry, argc, argv, "t:",
	    opts)) != -1) {
		if (c == '?') {
			rc = EX_USAGE;
			goto out;
		}
		slugs[n++] = optarg;
	}
	url = argv[optind];
	if (argc - optind != 1)
		rc = cmd_usage(&cmd_feed_add_entry, "expected one URL");
	else if (n == 0)
		rc = cmd_usage(&cmd_feed_add_entry, "give at least one "
		    "--topic");
	else if ((why = url_problem(url, ctx->cfg)) != NULL)
		rc = gz_fail(EX_DATAERR, "feed '%s' %s", url, why);
	else if ((rc = cmd_topic_ids(ctx, slugs, n, ids)) == EX_OK) {
		rc = store_feed_add(ctx->st, url, ids, n, ctx->now, &err);
		if (rc == STORE_EXISTS)
			rc = gz_fail(EX_DATAERR, "feed '%s' is already there",
			    url);
		else if (rc == -1)
			rc = gz_fail_err(EX_IOERR, err);
		else
			gz_info("added feed %s", url);
	}
out:
	free(slugs);
	free(ids);
	return rc;
}

static int
print_feed(const struct feed_row *f, void *ctx)
{
	char when[32] = "never";
	time_t t = (time_t)f->last_fetch;
	struct tm tm;

	(void)ctx;
	if (f->last_fetch && gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	printf("%s\n  title: %s\n  topics: %s\n  state: %s, last fetch: %s,"
	    " status: %d, errors in a row: %d, items: %lld\n", f->url,
	    f->title ? f->title : "-", f->topics ? f->topics : "-", f->state,
	    when, f->last_status, f->consecutive_errors, (long long)f->nitems);
	if (f->last_error)
		printf("  last error: %s\n", f->last_error);
	return 0;
}

static int
cmd_feed_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *err = NULL;

	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_feed_list_entry, "takes no arguments");
	if (store_feed_each(ctx->st, 0, print_feed, NULL, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	return EX_OK;
}
