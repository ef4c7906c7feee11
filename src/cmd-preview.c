/*
 * cmd-preview.c - gazette preview: the HTML (or the whole message) a
 * subscriber would get now, or a sample digest of one topic, without
 * queueing or marking anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "compose.h"
#include "config.h"
#include "deliver.h"
#include "digest.h"
#include "fileio.h"
#include "log.h"
#include "mime.h"
#include "render.h"
#include "store.h"

static int	cmd_preview(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_preview_entry = {
	NULL, "preview",
	"EMAIL [-o FILE.html] [--eml FILE] | --topic SLUG [-o FILE.html]",
	"Write the digest EMAIL would receive now, or a sample of a topic's "
	"newest entries; changes nothing.",
	"  -o, --output FILE  write the HTML to FILE (default: standard "
	"output)\n"
	"  -e, --eml FILE     write the whole MIME message that would be "
	"sent now\n"
	"  -t, --topic SLUG   preview SLUG's newest entries without a "
	"subscriber\n",
	GZ_NEEDS_DB, cmd_preview
};

struct preview_args {
	const char *out;	/* HTML file, "-" or NULL */
	const char *eml;	/* message file, "-" or NULL */
	const char *topic;
};

static int
write_out(const char *out, const char *data, size_t len, const char *what)
{
	char *err = NULL;

	if (out == NULL || strcmp(out, "-") == 0) {
		fwrite(data, 1, len, stdout);
		return EX_OK;
	}
	if (file_write_atomic(out, data, len, &err) == -1)
		return gz_fail_err(EX_CANTCREAT, err);
	gz_info("%s written to %s", what, out);
	return EX_OK;
}

/* The message as send would build it, with a fresh Message-ID. */
static int
write_eml(struct cmd_ctx *ctx, struct digest *d, const struct rendered *r,
    const char *out)
{
	struct buf msg;
	char *err = NULL;
	int rc;

	buf_init(&msg, 0);
	if (d->message_id == NULL)
		d->message_id = mime_message_id(compose_domain(ctx->cfg));
	if (deliver_build(ctx->cfg, d, r, ctx->now, &msg, &err) == -1)
		rc = gz_fail_err(EX_CONFIG, err);
	else
		rc = write_out(out, msg.data, msg.len, "message");
	buf_free(&msg);
	return rc;
}

static int
write_preview(struct cmd_ctx *ctx, struct digest *d,
    const struct preview_args *a)
{
	struct rendered r = { 0 };
	struct renderer *rn = NULL;
	char *err = NULL;
	int rc = EX_OK;

	if ((rn = renderer_open(ctx->cfg, &err)) == NULL ||
	    render_digest(rn, d, &r, &err) == -1)
		rc = gz_fail_err(EX_CONFIG, err);
	if (rc == EX_OK && (a->out != NULL || a->eml == NULL))
		rc = write_out(a->out, r.html, strlen(r.html), "preview");
	if (rc == EX_OK && a->eml != NULL)
		rc = write_eml(ctx, d, &r, a->eml);
	rendered_free(&r);
	renderer_free(rn);
	return rc;
}

static int
count_topic(const struct subscription_row *r, void *ctx)
{
	(void)r;
	(*(size_t *)ctx)++;
	return 0;
}

/*
 * Why compose would send sub nothing whatever is new, or NULL.  The
 * preview is still written (an editor checking what a pending subscriber
 * will get once they confirm wants to see it), but a warning says that
 * no digest would go, so a preview is never taken for a promise.
 */
static int
why_nothing(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    const char **why)
{
	char *err = NULL;
	size_t ntopics = 0;

	*why = NULL;
	if (strcmp(sub->status, "active") != 0) {
		*why = sub->status;
		return EX_OK;
	}
	if (store_subscription_each(ctx->st, sub->id, count_topic, &ntopics,
	    &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if (ntopics == 0)
		*why = "subscribed to no topic";
	return EX_OK;
}

static int
preview_subscriber(struct cmd_ctx *ctx, const char *email,
    const struct preview_args *a)
{
	struct cmd_subscriber sub = { 0, NULL, "", "" };
	struct digest *d = NULL;
	const char *why;
	char *err = NULL;
	int rc;

	if ((rc = cmd_subscriber_find(ctx, email, &sub)) != EX_OK ||
	    (rc = why_nothing(ctx, &sub, &why)) != EX_OK)
		goto out;
	if (why != NULL && strcmp(sub.status, "active") == 0) {
		gz_warn("%s is %s: compose sends them no digest until "
		    "'gazette subscribe %s SLUG'", sub.email, why, sub.email);
		goto out;
	}
	if (why != NULL)
		gz_warn("%s is %s: compose sends them no digest; this preview "
		    "shows what they would get if active", sub.email, why);
	d = compose_pick(ctx->st, sub.id, ctx->cfg->max_items_per_topic,
	    &err);
	if (d == NULL) {
		rc = gz_fail_err(EX_IOERR, err);
		goto out;
	}
	/* As if composed now, so the view-in-browser link is this week's. */
	d->created = ctx->now;
	if (digest_count(d) == 0)
		gz_info("nothing new for %s: no digest would be sent", d->email);
	else
		rc = write_preview(ctx, d, a);
out:
	digest_free(d);
	free(sub.email);
	return rc;
}

static int
preview_topic(struct cmd_ctx *ctx, const struct preview_args *a)
{
	struct digest *d;
	char *slug = (char *)a->topic, *err = NULL;
	int64_t id;
	int rc;

	if ((rc = cmd_topic_ids(ctx, &slug, 1, &id)) != EX_OK)
		return rc;
	d = compose_topic_preview(ctx->st, id, ctx->cfg->max_items_per_topic,
	    &err);
	if (d == NULL)
		return gz_fail_err(EX_IOERR, err);
	d->created = ctx->now;
	if (digest_count(d) == 0)
		gz_info("topic %s has no entries yet: nothing to preview",
		    a->topic);
	else
		rc = write_preview(ctx, d, a);
	digest_free(d);
	return rc;
}

static int
cmd_preview(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "eml", required_argument, NULL, 'e' },
		{ "topic", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct preview_args a = { NULL, NULL, NULL };
	int c;

	while ((c = cmd_getopt(&cmd_preview_entry, argc, argv, "o:e:t:",
	    opts)) != -1) {
		switch (c) {
		case 'o': a.out = optarg; break;
		case 'e': a.eml = optarg; break;
		case 't': a.topic = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (a.topic != NULL) {
		if (argc - optind != 0)
			return cmd_usage(&cmd_preview_entry, "--topic takes "
			    "no EMAIL");
		if (a.eml != NULL)
			return cmd_usage(&cmd_preview_entry, "--eml needs a "
			    "subscriber, not --topic");
		return preview_topic(ctx, &a);
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_preview_entry, "expected one EMAIL or "
		    "--topic SLUG");
	return preview_subscriber(ctx, argv[optind], &a);
}
