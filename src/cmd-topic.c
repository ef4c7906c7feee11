/*
 * cmd-topic.c - topics: the groups of feeds that subscribers choose.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "store.h"

static int	cmd_topic_add(struct cmd_ctx *, int, char **);
static int	cmd_topic_list(struct cmd_ctx *, int, char **);
static int	cmd_topic_rename(struct cmd_ctx *, int, char **);
static int	cmd_topic_remove(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_topic_add_entry = {
	"topic", "add", "SLUG [--name TEXT]",
	"Add a topic.  SLUG is lower-case letters, digits, '-' and '_'.",
	"  -n, --name TEXT    the topic's display name (default: SLUG)\n",
	GZ_NEEDS_DB, cmd_topic_add
};

const struct cmd_entry cmd_topic_list_entry = {
	"topic", "list", "[--json] [--csv]",
	"List topics with their feed and active subscriber counts.",
	"  -j, --json         one JSON array of {slug, name, feeds, "
	"subscribers}\n"
	"      --csv          CSV: a header row, then slug,name,feeds,"
	"subscribers\n",
	GZ_NEEDS_DB, cmd_topic_list
};

const struct cmd_entry cmd_topic_rename_entry = {
	"topic", "rename", "SLUG NEWSLUG [--name TEXT]",
	"Rename a topic; its feeds and subscribers follow it.",
	"  -n, --name TEXT    also set the display name (a name that was "
	"the old\n                     slug becomes NEWSLUG anyway)\n",
	GZ_NEEDS_DB, cmd_topic_rename
};

const struct cmd_entry cmd_topic_remove_entry = {
	"topic", "remove", "SLUG [--force]",
	"Remove a topic (refused while it has feeds or subscribers).",
	"  -f, --force        remove it anyway, with its subscriptions and "
	"feed links\n                     (the feeds themselves stay)\n",
	GZ_NEEDS_DB, cmd_topic_remove
};

#define SLUG_MAX 64

/* Slugs go into URLs, List-Id and file names: keep them plain. */
static const char *
slug_problem(const char *slug)
{
	const char *p;

	if (*slug == '\0')
		return "is empty";
	if (strlen(slug) > SLUG_MAX)
		return "is longer than 64 characters";
	if (!islower((unsigned char)*slug) && !isdigit((unsigned char)*slug))
		return "must start with a lower-case letter or a digit";
	for (p = slug; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-' && *p != '_')
			return "may hold only a-z, 0-9, '-' and '_'";
	return NULL;
}

/* The --name option of add and rename; EX_OK or EX_USAGE. */
static int
parse_name(const struct cmd_entry *e, int argc, char **argv,
    const char **name)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(e, argc, argv, "n:", opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		*name = optarg;
	}
	return EX_OK;
}

static int
check_slug_name(const char *slug, const char *name)
{
	const char *why;

	if ((why = slug_problem(slug)) != NULL)
		return gz_fail(EX_DATAERR, "topic '%s': the slug %s", slug,
		    why);
	if (name && *name == '\0')
		return gz_fail(EX_DATAERR, "topic '%s': the name is empty",
		    slug);
	return EX_OK;
}

static int
cmd_topic_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	char *err = NULL;
	int rc;

	if (parse_name(&cmd_topic_add_entry, argc, argv, &name) != EX_OK)
		return EX_USAGE;
	if (argc - optind != 1)
		return cmd_usage(&cmd_topic_add_entry, "expected one SLUG");
	if ((rc = check_slug_name(argv[optind], name)) != EX_OK)
		return rc;
	rc = store_topic_add(ctx->st, argv[optind], name, &err);
	if (rc == STORE_EXISTS)
		return gz_fail(EX_DATAERR, "topic '%s' already exists",
		    argv[optind]);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("added topic '%s'", argv[optind]);
	return EX_OK;
}

static int
print_topic(const struct topic_row *t, void *ctx)
{
	(void)ctx;
	printf("%-20s %-30s %5lld feeds %6lld subscribers\n", t->slug, t->name,
	    (long long)t->nfeeds, (long long)t->nsubscribers);
	return 0;
}

static const char *const topic_cols[] = { "slug", "name", "feeds",
    "subscribers", NULL };

static int
topic_cells(const struct topic_row *t, void *ctx)
{
	struct cmd_rows *r = ctx;

	cmd_rows_str(r, t->slug);
	cmd_rows_str(r, t->name);
	cmd_rows_int(r, t->nfeeds);
	cmd_rows_int(r, t->nsubscribers);
	cmd_rows_end_row(r);
	return 0;
}

static int
cmd_topic_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_rows *r = NULL;
	char *err = NULL;
	int f;

	if ((f = cmd_format_flag(&cmd_topic_list_entry, argc, argv)) == -1)
		return EX_USAGE;
	if (argc - optind > 0)
		return cmd_usage(&cmd_topic_list_entry, "takes no arguments");
	if ((f = (int)cmd_format_for_tty((enum cmd_format)f)) != CMD_TEXT)
		r = cmd_rows_new((enum cmd_format)f, topic_cols, 0);
	if (store_topic_each(ctx->st, r ? topic_cells : print_topic, r,
	    &err) == -1) {
		cmd_rows_free(r);
		return gz_fail_err(EX_IOERR, err);
	}
	return r ? cmd_rows_done(r) : EX_OK;
}

static int
rename_topic(struct cmd_ctx *ctx, const char *slug, const char *new_slug,
    const char *name)
{
	char *err = NULL;
	int rc;

	if ((rc = check_slug_name(new_slug, name)) != EX_OK)
		return rc;
	rc = store_topic_rename(ctx->st, slug, new_slug, name, &err);
	if (rc == STORE_NOTFOUND)
		return gz_fail(EX_DATAERR, "unknown topic '%s' (see 'gazette "
		    "topic list')", slug);
	if (rc == STORE_EXISTS)
		return gz_fail(EX_DATAERR, "topic '%s' already exists",
		    new_slug);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("renamed topic '%s' to '%s'", slug, new_slug);
	return EX_OK;
}

static int
cmd_topic_rename(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;

	if (parse_name(&cmd_topic_rename_entry, argc, argv, &name) != EX_OK)
		return EX_USAGE;
	if (argc - optind != 2)
		return cmd_usage(&cmd_topic_rename_entry, "expected SLUG and "
		    "NEWSLUG");
	return rename_topic(ctx, argv[optind], argv[optind + 1], name);
}

static int
remove_topic(struct cmd_ctx *ctx, const char *slug, int force)
{
	int64_t id, nfeeds, nsubs;
	char *err = NULL;
	int rc;

	if ((rc = cmd_topic_ids(ctx, (char *const *)&slug, 1, &id)) != EX_OK)
		return rc;
	if (store_topic_usage(ctx->st, id, &nfeeds, &nsubs, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if ((nfeeds || nsubs) && !force)
		return gz_fail(EX_DATAERR, "topic '%s' has %lld subscriber%s "
		    "and %lld feed%s; add --force to remove it with its "
		    "subscriptions", slug, (long long)nsubs,
		    nsubs == 1 ? "" : "s", (long long)nfeeds,
		    nfeeds == 1 ? "" : "s");
	if (store_topic_remove(ctx->st, id, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("removed topic '%s' (%lld subscriptions, %lld feed links)",
	    slug, (long long)nsubs, (long long)nfeeds);
	return EX_OK;
}

static int
cmd_topic_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int c, force = 0, rc;

	while ((c = cmd_getopt(&cmd_topic_remove_entry, argc, argv, "f",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		force = 1;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_topic_remove_entry, "expected one SLUG");
	if ((rc = cmd_begin(ctx)) != EX_OK)
		return rc;
	return cmd_end(ctx, remove_topic(ctx, argv[optind], force));
}

int
cmd_topic_ids(struct cmd_ctx *ctx, char *const *slugs, size_t n,
    int64_t *ids)
{
	char *err = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = store_topic_id(ctx->st, slugs[i], &ids[i], &err);
		if (rc == STORE_NOTFOUND)
			return gz_fail(EX_DATAERR, "unknown topic '%s' (see "
			    "'gazette topic list')", slugs[i]);
		if (rc == -1)
			return gz_fail_err(EX_IOERR, err);
	}
	return EX_OK;
}
