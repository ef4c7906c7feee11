/*
 * cmd-preview.c - gazette preview: the HTML a subscriber would get now,
 * without queueing or marking anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "cmd.h"
#include "compose.h"
#include "config.h"
#include "digest.h"
#include "fileio.h"
#include "log.h"
#include "render.h"
#include "store.h"

static int	cmd_preview(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_preview_entry = {
	NULL, "preview", "EMAIL [-o FILE.html]",
	"Write the HTML digest EMAIL would receive now; changes nothing.",
	"  -o, --output FILE  write the HTML to FILE (default: standard "
	"output)\n",
	GZ_NEEDS_DB, cmd_preview
};

static int
find_subscriber(struct cmd_ctx *ctx, const char *arg, int64_t *id)
{
	const char *why;
	char *email = address_normalize(arg, &why), *err = NULL;
	int rc;

	if (email == NULL)
		return gz_fail(EX_DATAERR, "invalid address '%s': %s", arg, why);
	rc = store_subscriber_id(ctx->st, email, id, &err);
	if (rc == STORE_NOTFOUND)
		rc = gz_fail(EX_DATAERR, "no subscriber '%s'", email);
	else if (rc == -1)
		rc = gz_fail_err(EX_IOERR, err);
	free(email);
	return rc;
}

static int
write_html(const char *out, const char *html)
{
	char *err = NULL;

	if (out == NULL || strcmp(out, "-") == 0) {
		fputs(html, stdout);
		return EX_OK;
	}
	if (file_write_atomic(out, html, strlen(html), &err) == -1)
		return gz_fail_err(EX_CANTCREAT, err);
	gz_info("preview written to %s", out);
	return EX_OK;
}

static int
preview(struct cmd_ctx *ctx, int64_t id, const char *out)
{
	struct rendered r = { 0 };
	struct renderer *rn = NULL;
	struct digest *d;
	char *err = NULL;
	int rc;

	d = compose_pick(ctx->st, id, ctx->cfg->max_items_per_topic, &err);
	if (d == NULL)
		return gz_fail_err(EX_IOERR, err);
	if (digest_count(d) == 0) {
		gz_info("nothing new for %s: no digest would be sent", d->email);
		digest_free(d);
		return EX_OK;
	}
	if ((rn = renderer_open(ctx->cfg, &err)) == NULL ||
	    render_digest(rn, d, &r, &err) == -1)
		rc = gz_fail_err(EX_CONFIG, err);
	else
		rc = write_html(out, r.html);
	rendered_free(&r);
	renderer_free(rn);
	digest_free(d);
	return rc;
}

static int
cmd_preview(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL;
	int64_t id;
	int c, rc;

	while ((c = cmd_getopt(&cmd_preview_entry, argc, argv, "o:",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		out = optarg;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_preview_entry, "expected one EMAIL");
	if ((rc = find_subscriber(ctx, argv[optind], &id)) != EX_OK)
		return rc;
	return preview(ctx, id, out);
}
