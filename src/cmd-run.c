/*
 * cmd-run.c - gazette run: collect, compose and send, for cron and systemd.
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
#include "log.h"
#include "xmalloc.h"

static int	cmd_run(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_run_entry = {
	NULL, "run", "",
	"Collect, compose and send in one go, under a lock (the weekly job).",
	NULL, GZ_NEEDS_DB, cmd_run
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

static int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int fd = -1, rc, collected;

	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_run_entry, "takes no arguments");
	/* A bad signing key must stop the run before collect changes
	 * anything. */
	if ((rc = cmd_dkim_check(ctx)) != EX_OK)
		return rc;
	if ((rc = cmd_take_lock(ctx->db_path, &fd)) != EX_OK) {
		if (fd != -1)
			close(fd);
		return rc;
	}
	/* A failed feed does not stop the weekly mailing. */
	collected = cmd_collect_run(ctx);
	if (collected != EX_OK && collected != EX_FAILURE)
		rc = collected;
	if (rc == EX_OK)
		rc = cmd_compose_run(ctx);
	if (rc == EX_OK)
		rc = cmd_send_run(ctx);
	if (rc == EX_OK)
		rc = collected;
	close(fd);
	return rc;
}
