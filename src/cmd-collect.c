/*
 * cmd-collect.c - gazette collect: fetch every feed, store new items.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "collect.h"
#include "log.h"

static int	cmd_collect(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_collect_entry = {
	NULL, "collect", "",
	"Fetch every active feed and store the new items.",
	NULL, GZ_NEEDS_DB, cmd_collect
};

static void
report(const char *url, const char *error, int new_items, void *ctx)
{
	(void)ctx;
	if (error)
		gz_warn("%s: %s", url, error);
	else
		gz_debug("%s: %d new item(s)", url, new_items);
}

/* Shared with gazette run.  Returns EX_OK, or EX_FAILURE when a feed
 * failed (the others are still stored). */
int
cmd_collect_run(struct cmd_ctx *ctx)
{
	struct collect_summary sum;
	char *err = NULL;

	if (collect_all(ctx->st, ctx->cfg, ctx->now, &sum, report, NULL,
	    &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("collect: %d fetched, %d not modified, %d failed, %d new "
	    "item(s)", sum.fetched, sum.not_modified, sum.failed,
	    sum.new_items);
	return sum.failed ? EX_FAILURE : EX_OK;
}

static int
cmd_collect(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_collect_entry, "takes no arguments");
	return cmd_collect_run(ctx);
}
