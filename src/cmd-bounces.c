/*
 * cmd-bounces.c - gazette bounces: read the bounce mailbox and act on it;
 * gazette bounces parse: what the bounce reader makes of one returned
 * message, for checking it against other bounce analysers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "bounce-json.h"
#include "cmd.h"
#include "config.h"
#include "fileio.h"
#include "secret.h"
#include "hygiene.h"
#include "log.h"
#include "mailbox.h"

#define MAX_MESSAGE	((size_t)64 << 20)
/* Bigger mail in the bounce mailbox is no bounce of ours: left alone. */
#define MAX_BOUNCE	((size_t)10 << 20)

static int	cmd_bounces(struct cmd_ctx *, int, char **);
static int	cmd_bounces_parse(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_bounces_entry = {
	NULL, "bounces", "[--dry-run]",
	"Read the bounce mailbox ([bounces] mailbox) and act on what it says.",
	"  -n, --dry-run      read and report, change nothing, move nothing\n",
	GZ_NEEDS_DB, cmd_bounces
};

const struct cmd_entry cmd_bounces_parse_entry = {
	"bounces", "parse", "FILE.eml [--json]",
	"Read one bounce, complaint or auto-reply and print what it says.",
	"  -j, --json         print one JSON object (the shape of the shared "
	"corpus oracle,\n"
	"                     plus the server's diagnostic text)\n",
	0, cmd_bounces_parse
};

static void
print_text(const struct bounce_list *bl)
{
	const struct bounce *b;
	size_t i;

	for (i = 0; i < bl->n; i++) {
		b = &bl->v[i];
		printf("%s\t%s\t%s\t%s\n", b->recipient,
		    bounce_class_name(b->class), b->status ? b->status : "-",
		    b->reason);
	}
}

static int
cmd_bounces_parse(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct bounce_list *bl;
	char *msg, *err = NULL, *json;
	size_t len;
	int c, as_json = 0;

	(void)ctx;
	while ((c = cmd_getopt(&cmd_bounces_parse_entry, argc, argv, "j",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		as_json = 1;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_bounces_parse_entry, "expected one FILE");
	if ((msg = file_read(argv[optind], MAX_MESSAGE, &len, &err)) == NULL)
		return gz_fail_err(EX_NOINPUT, err);
	bl = bounce_read(msg, len);
	if (as_json) {
		json = bounce_to_json(bl);
		puts(json);
		free(json);
	} else
		print_text(bl);
	bounce_list_free(bl);
	free(msg);
	return EX_OK;
}

/* ------------------------------------------------------- gazette bounces */

struct tally {
	struct cmd_ctx	*ctx;
	int		 dry_run;
	int		 mails, seen, left, unreadable;
	int		 hard, soft, complaints, unsubscribes, ignored, unknown;
	int		 retired;
	char		*err;		/* the first store error: stops the walk */
};

static void
count(struct tally *t, const struct hygiene_act *a, const char *id)
{
	const char *w = a->what;

	t->hard += strcmp(w, "hard bounce") == 0;
	t->soft += strcmp(w, "soft bounce") == 0;
	t->complaints += strcmp(w, "complaint") == 0;
	t->unsubscribes += strcmp(w, "unsubscribe") == 0;
	t->ignored += strcmp(w, "ignored") == 0;
	t->unknown += strcmp(w, "unknown address") == 0 ||
	    strcmp(w, "unknown token") == 0;
	t->retired += a->retired;
	gz_debug("%s: %s %s%s%s%s", id, w, a->addr, a->status ? " " : "",
	    a->status ? a->status : "", a->retired ? " (now bounced)" : "");
}

static enum mailbox_verdict
one_mail(const char *id, const char *msg, size_t len, void *arg)
{
	struct tally *t = arg;
	struct hygiene_result r;
	enum mailbox_verdict verdict;
	size_t i;

	t->mails++;
	if (hygiene_handle(t->ctx->st, t->ctx->cfg, msg, len, t->ctx->now,
	    t->dry_run, &r, &t->err) == -1)
		return MAILBOX_STOP;
	switch (r.kind) {
	case HYGIENE_ACTED:
		for (i = 0; i < r.n; i++)
			count(t, &r.v[i], id);
		break;
	case HYGIENE_SEEN:
		t->seen++;
		gz_debug("%s: handled before", id);
		break;
	case HYGIENE_NOTHING:
		t->left++;
		gz_debug("%s: no bounce, complaint or unsubscribe: left", id);
		break;
	case HYGIENE_UNREADABLE:
		t->unreadable++;
		gz_warn("%s: empty, unreadable or over %zu MB: left in the "
		    "mailbox", id, MAX_BOUNCE >> 20);
		break;
	}
	verdict = r.kind == HYGIENE_NOTHING || r.kind == HYGIENE_UNREADABLE ?
	    MAILBOX_KEEP : MAILBOX_MOVE;
	hygiene_result_free(&r);
	return verdict;
}

static int
bounces_spec(struct cmd_ctx *ctx, struct mailbox_spec *spec, char **password)
{
	const struct config *cfg = ctx->cfg;
	char *err = NULL;

	*password = NULL;
	if (cfg->bounces_mailbox == NULL)
		return gz_fail(EX_CONFIG, "no bounce mailbox: set [bounces] "
		    "mailbox to a Maildir or an imaps:// URL");
	if (mailbox_is_imap(cfg->bounces_mailbox)) {
		if (cfg->bounces_password_file == NULL &&
		    cfg->bounces_password_command == NULL)
			return gz_fail(EX_CONFIG, "[bounces] password_file or "
			    "password_command is needed for %s",
			    cfg->bounces_mailbox);
		if ((*password = secret_read("[bounces]",
		    cfg->bounces_password_file, cfg->bounces_password_command,
		    &err)) == NULL)
			return gz_fail_err(EX_CONFIG, err);
	}
	spec->where = cfg->bounces_mailbox;
	spec->password = *password;
	spec->done = cfg->bounces_done_folder;
	spec->max_size = MAX_BOUNCE;
	spec->starttls = 1;
	spec->tls_verify = cfg->bounces_tls_verify;
	spec->ca_file = cfg->bounces_ca_file;
	return EX_OK;
}

int
cmd_bounces_run(struct cmd_ctx *ctx, int dry_run)
{
	struct mailbox_spec spec = { 0 };
	struct tally t = { 0 };
	char *password, *err = NULL;
	int rc;

	if ((rc = bounces_spec(ctx, &spec, &password)) != EX_OK)
		return rc;
	spec.dry_run = t.dry_run = dry_run;
	t.ctx = ctx;
	rc = mailbox_read(&spec, one_mail, &t, &err);
	free(password);
	if (rc != 0)
		return gz_fail_err(mailbox_is_imap(spec.where) && t.err == NULL ?
		    EX_UNAVAILABLE : EX_IOERR, t.err != NULL ? t.err : err);
	gz_info("bounces: %d mails%s: %d hard, %d soft, %d complaints, "
	    "%d unsubscribes, %d ignored, %d unknown; %d handled before, "
	    "%d left in place; %d subscribers now bounced", t.mails,
	    t.dry_run ? " (dry run: nothing changed)" : "", t.hard, t.soft,
	    t.complaints, t.unsubscribes, t.ignored, t.unknown, t.seen,
	    t.left + t.unreadable, t.retired);
	return EX_OK;
}

static int
cmd_bounces(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c, dry_run = 0;

	while ((c = cmd_getopt(&cmd_bounces_entry, argc, argv, "n", opts)) !=
	    -1) {
		if (c == '?')
			return EX_USAGE;
		dry_run = 1;
	}
	if (argc - optind != 0)
		return cmd_usage(&cmd_bounces_entry, "no arguments expected");
	return cmd_bounces_run(ctx, dry_run);
}
