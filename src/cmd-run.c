/*
 * cmd-run.c - gazette run: bounces (when a mailbox is set), collect,
 * compose and send, for cron and systemd.
 *
 * One run at a time: an exclusive lock on DATABASE.lock, taken without
 * waiting, so a second run started while one is going exits at once and
 * sends nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cmd.h"
#include "compose.h"
#include "config.h"
#include "log.h"
#include "xmalloc.h"

static int	cmd_run(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_run_entry = {
	NULL, "run", "[--note FILE] [--topic-note SLUG=FILE]...",
	"Collect, compose and send in one go, under a lock (the weekly job).",
	"  -N, --note FILE             an editor's note in Markdown at the top "
	"of every digest\n"
	"  -T, --topic-note SLUG=FILE  a note in Markdown at the top of the "
	"topic's section\n",
	GZ_NEEDS_DB, cmd_run
};

int
cmd_take_lock(const char *db, int *fd)
{
	char *path = xasprintf("%s.lock", db);
	int rc = EX_OK;

	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd == -1)
		rc = gz_fail(EX_CANTCREAT, "%s: %s", path, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB) == -1)
		rc = gz_fail(EX_TEMPFAIL, "another gazette run holds %s; "
		    "not starting a second one", path);
	free(path);
	return rc;
}

/* The notes are read before anything runs: a bad one stops the run. */
static int
run_options(struct cmd_ctx *ctx, int argc, char **argv,
    struct compose_notes *notes)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'N' },
		{ "topic-note", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc = EX_OK;

	while (rc == EX_OK && (c = cmd_getopt(&cmd_run_entry, argc, argv,
	    "N:T:", opts)) != -1)
		rc = c == '?' ? EX_USAGE : cmd_notes_option(ctx, notes, c,
		    optarg);
	if (rc == EX_OK && argc - optind != 0)
		rc = cmd_usage(&cmd_run_entry, "takes no arguments");
	return rc;
}

static int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct compose_notes notes = { 0 };
	int fd = -1, rc, collected;

	/* A bad signing key or note must stop the run before collect
	 * changes anything. */
	if ((rc = run_options(ctx, argc, argv, &notes)) != EX_OK ||
	    (rc = cmd_dkim_check(ctx)) != EX_OK ||
	    (rc = cmd_take_lock(ctx->db_path, &fd)) != EX_OK) {
		if (fd != -1)
			close(fd);
		cmd_notes_free(&notes);
		return rc;
	}
	/* Bounces first, so this run mails nobody whose address is gone;
	 * a mailbox that cannot be read does not stop the weekly mailing. */
	if (ctx->cfg->bounces_mailbox != NULL &&
	    cmd_bounces_run(ctx, 0) != EX_OK)
		gz_warn("run: the bounce mailbox was not read; going on");
	/* A failed feed does not stop the weekly mailing. */
	collected = cmd_collect_run(ctx);
	if (collected != EX_OK && collected != EX_FAILURE)
		rc = collected;
	if (rc == EX_OK)
		rc = cmd_compose_notes_run(ctx, &notes);
	if (rc == EX_OK)
		rc = cmd_send_run(ctx);
	if (rc == EX_OK)
		rc = collected;
	close(fd);
	cmd_notes_free(&notes);
	return rc;
}
