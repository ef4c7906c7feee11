/*
 * cmd-feed.c - feeds: the sources the collector fetches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-feed-view.h"
#include "collect.h"
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
static int	cmd_feed_show(struct cmd_ctx *, int, char **);
static int	cmd_feed_remove(struct cmd_ctx *, int, char **);
static int	cmd_feed_pause(struct cmd_ctx *, int, char **);
static int	cmd_feed_resume(struct cmd_ctx *, int, char **);
static int	cmd_feed_set(struct cmd_ctx *, int, char **);

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
	"feed", "list", "[--json] [--csv]",
	"List feeds: a table on a terminal, labelled blocks otherwise.",
	"  -j, --json         one JSON array of feeds (keys as feed show "
	"--json)\n"
	"      --csv          CSV with a header row (the same columns)\n",
	GZ_NEEDS_DB, cmd_feed_list
};

const struct cmd_entry cmd_feed_show_entry = {
	"feed", "show", "URL [--json] [--csv]",
	"Show one feed: title, topics, state, last fetch and error, items.",
	"  -j, --json         one JSON object: url, title, site_link, topics, "
	"state,\n                     last_fetch, last_status, last_error, "
	"errors_in_a_row,\n                     items, last_new_item, "
	"next_fetch\n"
	"      --csv          CSV: a header row and the feed's row\n",
	GZ_NEEDS_DB, cmd_feed_show
};

const struct cmd_entry cmd_feed_remove_entry = {
	"feed", "remove", "URL",
	"Remove a feed with its items (they leave digests not yet sent).",
	NULL, GZ_NEEDS_DB, cmd_feed_remove
};

const struct cmd_entry cmd_feed_pause_entry = {
	"feed", "pause", "URL",
	"Stop collecting a feed; its items stay.",
	NULL, GZ_NEEDS_DB, cmd_feed_pause
};

const struct cmd_entry cmd_feed_resume_entry = {
	"feed", "resume", "URL",
	"Collect a paused (or gone) feed again, from the next collect on.",
	NULL, GZ_NEEDS_DB, cmd_feed_resume
};

const struct cmd_entry cmd_feed_set_entry = {
	"feed", "set", "URL [--topic SLUG...] [--title TEXT]",
	"Change a feed's topics (the given ones replace them) or its title.",
	"  -t, --topic SLUG   a topic the feed belongs to (repeatable)\n"
	"  -T, --title TEXT   the source name in digests, kept by collect "
	"(\"\" gives\n                     the title back to the feed)\n",
	GZ_NEEDS_DB, cmd_feed_set
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
	struct fetch_options opt;
	struct feed *f;
	char *body, *final = NULL, *charset = NULL, *err = NULL;
	size_t len;
	int rc = EX_OK;

	collect_fetch_options(ctx->cfg, &opt);
	opt.allow_file = 0;

	if ((body = fetch_one(url, &opt, &len, &final, &charset, &err)) == NULL) {
		rc = gz_fail(EX_UNAVAILABLE, "cannot fetch '%s': %s (--no-check "
		    "adds it without fetching)", url, err);
		free(err);
		return rc;
	}
	if ((f = feed_parse(body, len, final, charset, &err)) != NULL)
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
	free(charset);
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

int
cmd_feed_find(struct cmd_ctx *ctx, const char *url, int64_t *id)
{
	char *err = NULL;
	int rc = store_feed_id(ctx->st, url, id, &err);

	if (rc == STORE_NOTFOUND)
		return gz_fail(EX_DATAERR, "unknown feed '%s' (see 'gazette "
		    "feed list')", url);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	return EX_OK;
}

static int
cmd_feed_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	int json;

	if ((json = cmd_format_flag(&cmd_feed_list_entry, argc, argv)) == -1)
		return EX_USAGE;
	if (argc - optind > 0)
		return cmd_usage(&cmd_feed_list_entry, "takes no arguments");
	return feed_view_print(ctx, 0, json == CMD_CSV ? FEED_VIEW_CSV
	    : json ? FEED_VIEW_JSON : isatty(STDOUT_FILENO) ? FEED_VIEW_TABLE : FEED_VIEW_BLOCK);
}

/* The URL argument of show, remove, pause and resume. */
static int
one_url(const struct cmd_entry *e, struct cmd_ctx *ctx, int argc, char **argv,
    int64_t *id)
{
	if (argc - optind != 1)
		return cmd_usage(e, "expected one URL");
	return cmd_feed_find(ctx, argv[optind], id);
}

static int
cmd_feed_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t id;
	int json, rc;

	if ((json = cmd_format_flag(&cmd_feed_show_entry, argc, argv)) == -1)
		return EX_USAGE;
	if ((rc = one_url(&cmd_feed_show_entry, ctx, argc, argv, &id)) != EX_OK)
		return rc;
	return feed_view_print(ctx, id, json == CMD_CSV ? FEED_VIEW_CSV
	    : json ? FEED_VIEW_JSON : FEED_VIEW_BLOCK);
}

static int
cmd_feed_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *err = NULL;
	int64_t id;
	int rc;

	if (cmd_no_options(&cmd_feed_remove_entry, argc, argv) == -1)
		return EX_USAGE;
	if ((rc = one_url(&cmd_feed_remove_entry, ctx, argc, argv, &id)) !=
	    EX_OK)
		return rc;
	if (store_feed_remove(ctx->st, id, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("removed feed %s", argv[optind]);
	return EX_OK;
}

static int
set_state(const struct cmd_entry *e, struct cmd_ctx *ctx, int argc,
    char **argv, const char *state)
{
	char *err = NULL;
	int64_t id;
	int rc;

	if (cmd_no_options(e, argc, argv) == -1)
		return EX_USAGE;
	if ((rc = one_url(e, ctx, argc, argv, &id)) != EX_OK)
		return rc;
	rc = store_feed_set_state(ctx->st, id, state, &err);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info(rc == STORE_EXISTS ? "feed %s was already %s" : "feed %s is "
	    "now %s", argv[optind], state);
	return EX_OK;
}

static int
cmd_feed_pause(struct cmd_ctx *ctx, int argc, char **argv)
{
	return set_state(&cmd_feed_pause_entry, ctx, argc, argv, "paused");
}

static int
cmd_feed_resume(struct cmd_ctx *ctx, int argc, char **argv)
{
	return set_state(&cmd_feed_resume_entry, ctx, argc, argv, "active");
}

struct set_args {
	char	**slugs;
	size_t	 nslugs;
	const char *title;
	int	 has_title;
};

static int
parse_set(int argc, char **argv, struct set_args *a)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "title", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(&cmd_feed_set_entry, argc, argv, "t:T:",
	    opts)) != -1) {
		switch (c) {
		case 't': a->slugs[a->nslugs++] = optarg; break;
		case 'T': a->title = optarg; a->has_title = 1; break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_feed_set_entry, "expected one URL");
	if (a->nslugs == 0 && !a->has_title)
		return cmd_usage(&cmd_feed_set_entry, "give --topic or "
		    "--title");
	return EX_OK;
}

/* Every topic is checked before anything changes. */
static int
set_feed(struct cmd_ctx *ctx, const char *url, const struct set_args *a)
{
	int64_t id, *ids = xcalloc(a->nslugs + 1, sizeof *ids);
	char *err = NULL;
	int rc;

	if ((rc = cmd_feed_find(ctx, url, &id)) != EX_OK ||
	    (rc = cmd_topic_ids(ctx, a->slugs, a->nslugs, ids)) != EX_OK)
		goto out;
	if ((a->nslugs && store_feed_set_topics(ctx->st, id, ids, a->nslugs,
	    &err) == -1) || (a->has_title && store_feed_set_title(ctx->st, id,
	    *a->title ? a->title : NULL, &err) == -1))
		rc = gz_fail_err(EX_IOERR, err);
	else
		gz_info("changed feed %s", url);
out:
	free(ids);
	return rc;
}

static int
cmd_feed_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct set_args a = { xcalloc((size_t)argc, sizeof(char *)), 0, NULL,
	    0 };
	int rc;

	if ((rc = parse_set(argc, argv, &a)) == EX_OK &&
	    (rc = cmd_begin(ctx)) == EX_OK)
		rc = cmd_end(ctx, set_feed(ctx, argv[optind], &a));
	free(a.slugs);
	return rc;
}
