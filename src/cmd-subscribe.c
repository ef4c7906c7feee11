/*
 * cmd-subscribe.c - subscribe, unsubscribe and subscriber remove: what
 * changes a person's subscriptions, one transaction per command so that an
 * unknown topic leaves everything as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_subscribe(struct cmd_ctx *, int, char **);
static int	cmd_unsubscribe(struct cmd_ctx *, int, char **);
static int	cmd_subscriber_remove(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_subscribe_entry = {
	NULL, "subscribe", "EMAIL SLUG...",
	"Subscribe an existing subscriber to more topics.",
	NULL, GZ_NEEDS_DB, cmd_subscribe
};

const struct cmd_entry cmd_unsubscribe_entry = {
	NULL, "unsubscribe", "EMAIL [SLUG...]",
	"Remove subscriptions; without SLUG, mark the subscriber "
	"unsubscribed.",
	NULL, GZ_NEEDS_DB, cmd_unsubscribe
};

const struct cmd_entry cmd_subscriber_remove_entry = {
	"subscriber", "remove", "[--purge] EMAIL",
	"Mark a subscriber unsubscribed (the row and history stay).",
	"  -p, --purge            delete the subscriber instead, with its "
	"subscriptions\n                         and its digests\n",
	GZ_NEEDS_DB, cmd_subscriber_remove
};

/* Mark unsubscribed; saying so when it already was. */
static int
mark_unsubscribed(struct cmd_ctx *ctx, const struct cmd_subscriber *sub)
{
	char *err = NULL;

	if (strcmp(sub->status, "unsubscribed") == 0) {
		gz_info("%s was already unsubscribed", sub->email);
		return EX_OK;
	}
	if (store_subscriber_update(ctx->st, sub->id, NULL, NULL,
	    "unsubscribed", &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("unsubscribed %s", sub->email);
	return EX_OK;
}

typedef int (*topic_fn)(struct cmd_ctx *, const struct cmd_subscriber *,
    int64_t, const char *);

/* Check every slug first, then change one topic at a time until an error. */
static int
each_topic(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    char *const *slugs, size_t n, topic_fn fn)
{
	int64_t *ids = xcalloc(n, sizeof *ids);
	size_t i;
	int rc;

	rc = cmd_topic_ids(ctx, slugs, n, ids);
	for (i = 0; i < n && rc == EX_OK; i++)
		rc = fn(ctx, sub, ids[i], slugs[i]);
	free(ids);
	return rc;
}

static int
add_topic(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    int64_t topic_id, const char *slug)
{
	char *err = NULL;

	switch (store_subscription_add(ctx->st, sub->id, sub->frequency,
	    topic_id, ctx->now, &err)) {
	case STORE_EXISTS:
		gz_info("%s is already subscribed to '%s'", sub->email, slug);
		return EX_OK;
	case 0:
		gz_info("subscribed %s to '%s'", sub->email, slug);
		return EX_OK;
	default:
		return gz_fail_err(EX_IOERR, err);
	}
}

static int
add_topics(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    char *const *slugs, size_t n)
{
	int rc = each_topic(ctx, sub, slugs, n, add_topic);

	if (rc == EX_OK && strcmp(sub->status, "active") != 0)
		gz_warn("%s is %s and gets no digest until 'gazette subscriber "
		    "set %s --status active'", sub->email, sub->status,
		    sub->email);
	return rc;
}

static int
remove_topic(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    int64_t topic_id, const char *slug)
{
	char *err = NULL;

	switch (store_subscription_remove(ctx->st, sub->id, topic_id, &err)) {
	case STORE_NOTFOUND:
		return gz_fail(EX_DATAERR, "%s is not subscribed to '%s'",
		    sub->email, slug);
	case 0:
		gz_info("unsubscribed %s from '%s'", sub->email, slug);
		return EX_OK;
	default:
		return gz_fail_err(EX_IOERR, err);
	}
}

typedef int (*change_fn)(struct cmd_ctx *, const struct cmd_subscriber *,
    char *const *, size_t);

/* Find EMAIL, then change it in one transaction. */
static int
change(struct cmd_ctx *ctx, const char *addr, change_fn fn,
    char *const *slugs, size_t n)
{
	struct cmd_subscriber sub = { 0, NULL, "", "" };
	int rc;

	if ((rc = cmd_begin(ctx)) != EX_OK)
		return rc;
	if ((rc = cmd_subscriber_find(ctx, addr, &sub)) == EX_OK)
		rc = fn(ctx, &sub, slugs, n);
	free(sub.email);
	return cmd_end(ctx, rc);
}

static int
cmd_subscribe(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (cmd_no_options(&cmd_subscribe_entry, argc, argv) == -1)
		return EX_USAGE;
	if (argc - optind < 2)
		return cmd_usage(&cmd_subscribe_entry, "expected EMAIL and at "
		    "least one SLUG");
	return change(ctx, argv[optind], add_topics, argv + optind + 1,
	    (size_t)(argc - optind - 1));
}

static int
unsubscribe(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    char *const *slugs, size_t n)
{
	return n ? each_topic(ctx, sub, slugs, n, remove_topic)
	    : mark_unsubscribed(ctx, sub);
}

static int
cmd_unsubscribe(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (cmd_no_options(&cmd_unsubscribe_entry, argc, argv) == -1)
		return EX_USAGE;
	if (argc - optind < 1)
		return cmd_usage(&cmd_unsubscribe_entry, "expected EMAIL");
	return change(ctx, argv[optind], unsubscribe, argv + optind + 1,
	    (size_t)(argc - optind - 1));
}

static int
purge(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    char *const *slugs, size_t n)
{
	char *err = NULL;

	(void)slugs;
	(void)n;
	if (store_subscriber_remove(ctx->st, sub->id, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("deleted subscriber %s with its subscriptions and digests",
	    sub->email);
	return EX_OK;
}

static int
cmd_subscriber_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "purge", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int c, purging = 0;

	while ((c = cmd_getopt(&cmd_subscriber_remove_entry, argc, argv, "p",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		purging = 1;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_remove_entry, "expected one "
		    "EMAIL");
	return change(ctx, argv[optind], purging ? purge : unsubscribe, NULL,
	    0);
}
