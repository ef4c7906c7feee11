/*
 * cmd-compose.c - gazette compose: queue a digest for every subscriber
 * who is due and has something new (--now: whoever has something new).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "compose.h"
#include "log.h"

static int	cmd_compose(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_compose_entry = {
	NULL, "compose", "[--now]",
	"Queue one digest per due subscriber with new entries, advancing "
	"their marks.",
	"  -n, --now  ignore the schedule: every active subscriber with new "
	"entries\n",
	GZ_NEEDS_DB, cmd_compose
};

/* What gazette run composes: only subscribers whose period has passed. */
int
cmd_compose_run(struct cmd_ctx *ctx)
{
	char *err = NULL;
	int queued, waiting;

	if (cmd_expire_pending(ctx) != EX_OK)
		return EX_IOERR;
	if (compose_due(ctx->st, ctx->cfg, ctx->now, &queued, &waiting,
	    &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("compose: %d digest(s) queued, %d subscriber(s) not due yet",
	    queued, waiting);
	return EX_OK;
}

static int
compose_now(struct cmd_ctx *ctx)
{
	char *err = NULL;
	int queued;

	if (cmd_expire_pending(ctx) != EX_OK)
		return EX_IOERR;
	if (compose_all(ctx->st, ctx->cfg, ctx->now, &queued, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("compose: %d digest(s) queued", queued);
	return EX_OK;
}

static int
cmd_compose(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "now", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c, now = 0;

	while ((c = cmd_getopt(&cmd_compose_entry, argc, argv, "n",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		now = 1;
	}
	if (argc - optind != 0)
		return cmd_usage(&cmd_compose_entry, "takes no arguments");
	return now ? compose_now(ctx) : cmd_compose_run(ctx);
}
