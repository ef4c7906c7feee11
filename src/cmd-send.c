/*
 * cmd-send.c - gazette send: deliver the outbox, or show what would go.
 *
 * One line per digest on stderr: sent and deferred ones are progress
 * (silenced by -q), failed ones are warnings (always shown); -v adds the
 * size, the attempt and the next retry time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "deliver.h"
#include "digest.h"
#include "log.h"
#include "transport.h"

static int	cmd_send(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_send_entry = {
	NULL, "send", "[--dry-run]",
	"Deliver every queued digest through the configured transport.",
	"  -n, --dry-run   list what would be sent (id, recipient, size,\n"
	"                  transport, subject); send and change nothing\n",
	GZ_NEEDS_DB, cmd_send
};

static void
report_detail(const struct digest *d, const struct deliver_event *ev)
{
	char when[32];

	if (ev->size)
		gz_debug("digest %lld: %zu bytes", (long long)d->id, ev->size);
	if (ev->attempts)
		gz_debug("digest %lld: attempt %d", (long long)d->id,
		    ev->attempts);
	if (ev->retry_at)
		gz_debug("digest %lld: next try %s (in %lld min)",
		    (long long)d->id, cmd_when(ev->retry_at, when, sizeof when),
		    (long long)(deliver_retry_delay(ev->attempts) / 60));
}

static void
report(const struct digest *d, const struct deliver_event *ev, void *ctx)
{
	(void)ctx;
	if (ev->notice != NULL)
		gz_warn("%s", ev->notice);
	if (ev->error == NULL)
		gz_info("digest %lld to %s %s", (long long)d->id, d->email,
		    ev->outcome);
	else if (ev->outcome[0] == 'f' || ev->outcome[0] == 'u')
		gz_warn("digest %lld to %s %s: %s", (long long)d->id, d->email,
		    ev->outcome, ev->error);
	else
		gz_info("digest %lld to %s %s: %s", (long long)d->id, d->email,
		    ev->outcome, ev->error);
	if (ev->bounce != NULL)
		gz_info("subscriber %s: %s bounce counted%s%s%s%s", d->email,
		    ev->bounce, ev->status ? " " : "", ev->status ? ev->status :
		    "", ev->reason ? " " : "", ev->reason ? ev->reason : "");
	if (ev->retired)
		gz_warn("subscriber %s reached %s; marked 'bounced', no more "
		    "digests", d->email, ev->bounce[0] == 'h' ?
		    "[mail] max_bounces" : "[bounces] soft_limit");
	report_detail(d, ev);
}

static void
waiting(int seconds, size_t digests, void *ctx)
{
	(void)ctx;
	gz_info("send: %zu digest(s) deferred; trying again in %d s "
	    "([smtp] retry_delay, retry_window)", digests, seconds);
}

/* Exit status: 0 all sent, 75 some deferred or left queued, 1 failed. */
int
cmd_send_run(struct cmd_ctx *ctx)
{
	static const struct deliver_hooks hooks = { report, waiting, NULL };
	struct deliver_summary sum;
	char *err = NULL;
	int rc = EX_OK;

	if (deliver_outbox(ctx->st, ctx->cfg, ctx->now, &sum, &hooks,
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

struct plan {
	const char *target;
	int	 n;
	int	 bad;
};

static void
print_plan(const struct digest *d, const char *subject, size_t size,
    const char *error, void *ctx)
{
	struct plan *p = ctx;

	if (subject == NULL) {
		gz_warn("digest %lld to %s cannot be rendered: %s",
		    (long long)d->id, d->email, error);
		p->bad++;
		return;
	}
	printf("%lld\t%s\t%zu\t%s\t%s\n", (long long)d->id, d->email, size,
	    p->target, subject);
	p->n++;
}

static int
dry_run(struct cmd_ctx *ctx)
{
	char *target = transport_describe(ctx->cfg), *err = NULL;
	struct plan p = { target, 0, 0 };
	int rc = EX_OK;

	if (deliver_plan(ctx->st, ctx->cfg, ctx->now, print_plan, &p,
	    &err) == -1)
		rc = gz_fail_err(EX_CONFIG, err);
	else
		gz_info("send --dry-run: %d digest(s) would go to %s; nothing "
		    "was sent", p.n, target);
	free(target);
	return rc == EX_OK && p.bad ? EX_FAILURE : rc;
}

static int
cmd_send(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c, dry = 0, fd = -1, rc;

	while ((c = cmd_getopt(&cmd_send_entry, argc, argv, "n", opts)) != -1)
		if (c == 'n')
			dry = 1;
		else
			return EX_USAGE;
	if (optind < argc)
		return cmd_usage(&cmd_send_entry, "takes no arguments");
	if ((rc = cmd_dkim_check(ctx)) != EX_OK)
		return rc;
	if (dry)
		return dry_run(ctx);
	/* Two sends at once would both deliver every queued digest. */
	if ((rc = cmd_take_lock(ctx->db_path, &fd)) == EX_OK)
		rc = cmd_send_run(ctx);
	if (fd != -1)
		close(fd);
	return rc;
}
