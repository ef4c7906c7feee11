/*
 * cmd-send.c - gazette send: deliver the outbox.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "deliver.h"
#include "digest.h"
#include "log.h"

static int	cmd_send(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_send_entry = {
	NULL, "send", "",
	"Deliver every queued digest through the configured transport.",
	NULL, GZ_NEEDS_DB, cmd_send
};

static void
report(const struct digest *d, const char *outcome, const char *error,
    void *ctx)
{
	(void)ctx;
	if (error)
		gz_warn("digest %lld to %s %s: %s", (long long)d->id, d->email,
		    outcome, error);
	else
		gz_info("digest %lld to %s %s", (long long)d->id, d->email,
		    outcome);
}

/* Exit status: 0 all sent, 75 some deferred or left queued, 1 failed. */
int
cmd_send_run(struct cmd_ctx *ctx)
{
	struct deliver_summary sum;
	char *err = NULL;
	int rc = EX_OK;

	if (deliver_outbox(ctx->st, ctx->cfg, ctx->now, &sum, report, NULL,
	    &err) == -1)
		rc = gz_fail_err(sum.left ? EX_TEMPFAIL : EX_CONFIG, err);
	gz_info("send: %d sent, %d deferred, %d failed, %d left queued",
	    sum.sent, sum.deferred, sum.failed, sum.left);
	if (rc == EX_OK && sum.deferred)
		rc = EX_TEMPFAIL;
	if (rc == EX_OK && sum.failed)
		rc = EX_FAILURE;
	return rc;
}

static int
cmd_send(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_send_entry, "takes no arguments");
	return cmd_send_run(ctx);
}
