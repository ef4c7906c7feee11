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
#include "feed.h"
#include "fetch.h"
#include "html.h"
#include "log.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"

static int	cmd_feed_add(struct cmd_ctx *, int, char **);
static int	cmd_feed_list(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_feed_add_entry = {
	"feed", "add", "URL --topic SLUG... [--no-check]",
	"Add a feed (or a web page linking to one) to one or more topics.",
	"  URL                an http or https feed; it is fetched first, and "
	"a web page\n"
	"                     is replaced by the feed its <link "
	"rel=\"alternate\"> names\n"
	"  -t, --topic SLUG   a topic the feed belongs to (repeatable, at "
	"least one)\n"
	"  -n, --no-check     add the URL as it is, without fetching it "
	"first\n",
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

/*
 * Fetch url: a feed is added as given, a web page by the feed it announces
 * (*feed_url, new string).  Anything else is refused.
 */
static int
discover(struct cmd_ctx *ctx, const char *url, char **feed_url)
{
	struct fetch_options opt = { 1, ctx->cfg->collect_timeout,
	    ctx->cfg->collect_max_size, 0 };
	struct feed *f;
	char *body, *final = NULL, *err = NULL;
	size_t len;
	int rc = EX_OK;

	if ((body = fetch_one(url, &opt, &len, &final, &err)) == NULL) {
		rc = gz_fail(EX_UNAVAILABLE, "cannot fetch '%s': %s (--no-check "
		    "adds it without fetching)", url, err);
		free(err);
		return rc;
	}
	if ((f = feed_parse(body, len, final, NULL, &err)) != NULL)
		*feed_url = xstrdup(url);
	else if ((*feed_url = html_feed_link(body, len, final ? final : url))
	    != NULL)
		gz_info("%s is a web page; adding the feed it links to, %s", url,
		    *feed_url);
	else
		rc = gz_fail(EX_DATAERR, "'%s' is not a feed (%s), nor a web "
		    "page that links to one", url, err);
	feed_free(f);
	free(err);
	free(body);
	free(final);
	return rc;
}

static int
add_feed(struct cmd_ctx *ctx, const char *url, int64_t *ids, size_t n,
    int check)
{
	char *feed_url = NULL, *err = NULL;
	const char *why;
	int rc;

	if ((why = url_problem(url, ctx->cfg)) != NULL)
		return gz_fail(EX_DATAERR, "feed '%s' %s", url, why);
	if (check && url_is_http(url) &&
	    (rc = discover(ctx, url, &feed_url)) != EX_OK)
		return rc;
	if (feed_url != NULL)
		url = feed_url;
	rc = store_feed_add(ctx->st, url, ids, n, ctx->now, &err);
	if (rc == STORE_EXISTS)
		rc = gz_fail(EX_DATAERR, "feed '%s' is already there", url);
	else if (rc == -1)
		rc = gz_fail_err(EX_IOERR, err);
	else
		gz_info("added feed %s", url);
	free(feed_url);
	return rc;
}

static int
cmd_feed_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "no-check", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	char **slugs = xcalloc((size_t)argc, sizeof *slugs);
	int64_t *ids = xcalloc((size_t)argc, sizeof *ids);
	size_t n = 0;
	int c, rc = EX_OK, check = 1;

	while (rc == EX_OK && (c = cmd_getopt(&cmd_feed_add_entry, argc, argv,
	    "t:n", opts)) != -1) {
		switch (c) {
		case 't': slugs[n++] = optarg; break;
		case 'n': check = 0; break;
		default: rc = EX_USAGE; break;
		}
	}
	if (rc != EX_OK)
		goto out;
	if (argc - optind != 1)
		rc = cmd_usage(&cmd_feed_add_entry, "expected one URL");
	else if (n == 0)
		rc = cmd_usage(&cmd_feed_add_entry, "give at least one "
		    "--topic");
	else if ((rc = cmd_topic_ids(ctx, slugs, n, ids)) == EX_OK)
		rc = add_feed(ctx, argv[optind], ids, n, check);
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
	t = (time_t)f->next_fetch;
	if (f->next_fetch && gmtime_r(&t, &tm) &&
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm))
		printf("  next fetch: not before %s\n", when);
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
