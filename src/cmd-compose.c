/*
 * cmd-compose.c - gazette compose: queue a digest for every subscriber
 * with something new.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "compose.h"
#include "log.h"

static int	cmd_compose(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_compose_entry = {
	NULL, "compose", "",
	"Queue one digest per active subscriber with new entries, advancing "
	"their marks.",
	NULL, GZ_NEEDS_DB, cmd_compose
};

int
cmd_compose_run(struct cmd_ctx *ctx)
{
	char *err = NULL;
	int queued;

	if (compose_all(ctx->st, ctx->cfg, ctx->now, &queued, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("compose: %d digest(s) queued", queued);
	return EX_OK;
}

static int
cmd_compose(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_compose_entry, "takes no arguments");
	return cmd_compose_run(ctx);
}
