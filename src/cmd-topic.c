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

const struct cmd_entry cmd_topic_add_entry = {
	"topic", "add", "SLUG [--name TEXT]",
	"Add a topic.  SLUG is lower-case letters, digits, '-' and '_'.",
	"  -n, --name TEXT    the topic's display name (default: SLUG)\n",
	GZ_NEEDS_DB, cmd_topic_add
};

const struct cmd_entry cmd_topic_list_entry = {
	"topic", "list", "",
	"List topics with their feed and subscriber counts.",
	NULL, GZ_NEEDS_DB, cmd_topic_list
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

static int
cmd_topic_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *name = NULL, *why;
	char *err = NULL;
	int c, rc;

	while ((c = cmd_getopt(&cmd_topic_add_entry, argc, argv, "n:",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		name = optarg;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_topic_add_entry, "expected one SLUG");
	if ((why = slug_problem(argv[optind])) != NULL)
		return gz_fail(EX_DATAERR, "topic '%s': the slug %s",
		    argv[optind], why);
	if (name && *name == '\0')
		return gz_fail(EX_DATAERR, "topic '%s': the name is empty",
		    argv[optind]);
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

static int
cmd_topic_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *err = NULL;

	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_topic_list_entry, "takes no arguments");
	if (store_topic_each(ctx->st, print_topic, NULL, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	return EX_OK;
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
