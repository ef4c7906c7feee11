/*
 * cmd-util.c - what several command families share: times as people read
 * them, --json output, and one transaction per command.
 *
 * These print only on behalf of a command (stdout for its output, gz_fail
 * for its errors); nothing below the commands calls them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "json-out.h"
#include "log.h"
#include "store.h"

const char *
cmd_time(int64_t t, char *out, size_t len)
{
	if (t == 0) {
		snprintf(out, len, "never");
		return out;
	}
	return cmd_when(t, out, len);
}

int
cmd_print_json(struct json_out *j)
{
	char *text = json_out_text(j);
	int bad;

	bad = fputs(text, stdout) == EOF || fflush(stdout) == EOF;
	free(text);
	return bad ? gz_fail(EX_IOERR, "cannot write the output") : EX_OK;
}

int
cmd_begin(struct cmd_ctx *ctx)
{
	char *err = NULL;

	if (store_begin(ctx->st, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	return EX_OK;
}

int
cmd_end(struct cmd_ctx *ctx, int rc)
{
	char *err = NULL;

	if (rc != EX_OK) {
		store_rollback(ctx->st);
		return rc;
	}
	if (store_commit(ctx->st, &err) == -1) {
		store_rollback(ctx->st);
		return gz_fail_err(EX_IOERR, err);
	}
	return EX_OK;
}

int
cmd_json_flag(const struct cmd_entry *e, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int c, json = 0;

	while ((c = cmd_getopt(e, argc, argv, "j", opts)) != -1) {
		if (c == '?')
			return -1;
		json = 1;
	}
	return json;
}

int
cmd_no_options(const struct cmd_entry *e, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };

	return cmd_getopt(e, argc, argv, "", none) == -1 ? 0 : -1;
}
