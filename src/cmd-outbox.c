/*
 * cmd-outbox.c - gazette outbox: look at the digests and steer them
 * (list, show, retry, drop).
 *
 * Drop never deletes: the row stays, in state 'dropped', and retry brings
 * it back, so no digest disappears without a trace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "log.h"
#include "store.h"

static int	cmd_outbox_list(struct cmd_ctx *, int, char **);
static int	cmd_outbox_show(struct cmd_ctx *, int, char **);
static int	cmd_outbox_retry(struct cmd_ctx *, int, char **);
static int	cmd_outbox_drop(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_outbox_list_entry = {
	"outbox", "list", "[--state STATE] [--json] [--csv]",
	"List the digests in the outbox with their state and attempts.",
	"  -s, --state STATE   only queued, sent, deferred, failed or "
	"dropped\n"
	"  -j, --json          one JSON array of digests (keys as outbox "
	"show --json)\n"
	"      --csv           CSV with a header row (the same columns)\n",
	GZ_NEEDS_DB, cmd_outbox_list
};

const struct cmd_entry cmd_outbox_show_entry = {
	"outbox", "show", "ID [--json] [--csv]",
	"Show one digest: recipient, state, attempts, times, last error.",
	"  -j, --json          one JSON object: id, email, name, "
	"subscriber_status,\n                      bounces, state, entries, "
	"message_id, created,\n                      attempts, next_attempt, "
	"sent, last_error\n"
	"      --csv           CSV: a header row and the digest's row\n",
	GZ_NEEDS_DB, cmd_outbox_show
};

const struct cmd_entry cmd_outbox_retry_entry = {
	"outbox", "retry", "ID",
	"Queue a failed, deferred or dropped digest again, due now.",
	NULL, GZ_NEEDS_DB, cmd_outbox_retry
};

const struct cmd_entry cmd_outbox_drop_entry = {
	"outbox", "drop", "ID",
	"Never send a queued, deferred or failed digest (it is kept as "
	"'dropped').",
	NULL, GZ_NEEDS_DB, cmd_outbox_drop
};

static const char *const states[] = {
	"queued", "sent", "deferred", "failed", "dropped", NULL
};

const char *
cmd_when(int64_t t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(out, len, "-");
	else
		strftime(out, len, "%Y-%m-%d %H:%M UTC", &tm);
	return out;
}

static int
print_row(const struct outbox_row *r, void *ctx)
{
	char when[32];

	(void)ctx;
	printf("%-6lld %-9s %-36s %3d  %s\n", (long long)r->id, r->state,
	    r->email, r->attempts, cmd_when(r->state[0] == 's' ? r->sent
	    : r->next_attempt ? r->next_attempt : r->created, when,
	    sizeof when));
	return 0;
}

/* On a terminal: the columns of the plain lines, under headings. */
static const char *const outbox_table_cols[] = { "id", "state", "email",
    "attempts", "when", "last_error", NULL };

static int
outbox_table_cells(const struct outbox_row *o, void *ctx)
{
	struct cmd_rows *r = ctx;

	cmd_rows_int(r, o->id);
	cmd_rows_str(r, o->state);
	cmd_rows_str(r, o->email);
	cmd_rows_int(r, o->attempts);
	cmd_rows_time(r, o->state[0] == 's' ? o->sent : o->next_attempt ?
	    o->next_attempt : o->created);
	cmd_rows_str(r, o->last_error);
	cmd_rows_end_row(r);
	return 0;
}

static const char *const outbox_cols[] = { "id", "email", "name",
    "subscriber_status", "bounces", "state", "entries", "message_id",
    "created", "attempts", "next_attempt", "sent", "last_error", NULL };

static int
outbox_cells(const struct outbox_row *o, void *ctx)
{
	struct cmd_rows *r = ctx;

	cmd_rows_int(r, o->id);
	cmd_rows_str(r, o->email);
	cmd_rows_str(r, o->name);
	cmd_rows_str(r, o->subscriber_status);
	cmd_rows_int(r, o->bounces);
	cmd_rows_str(r, o->state);
	cmd_rows_int(r, o->nitems);
	cmd_rows_str(r, o->message_id);
	cmd_rows_time(r, o->created);
	cmd_rows_int(r, o->attempts);
	cmd_rows_time(r, o->next_attempt);
	cmd_rows_time(r, o->sent);
	cmd_rows_str(r, o->last_error);
	cmd_rows_end_row(r);
	return 0;
}

static int
valid_state(const char *s)
{
	int i;

	for (i = 0; states[i]; i++)
		if (strcmp(states[i], s) == 0)
			return 1;
	return 0;
}

static int
parse_list(int argc, char **argv, const char **state, enum cmd_format *f)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		CMD_FORMAT_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(&cmd_outbox_list_entry, argc, argv, "s:j",
	    opts)) != -1)
		if (c == 's')
			*state = optarg;
		else if (c == '?' || cmd_format_opt(&cmd_outbox_list_entry, c,
		    f) != EX_OK)
			return EX_USAGE;
	if (optind < argc)
		return cmd_usage(&cmd_outbox_list_entry, "takes no arguments");
	if (*state && !valid_state(*state))
		return cmd_usage(&cmd_outbox_list_entry, "unknown state '%s' "
		    "(queued, sent, deferred, failed or dropped)", *state);
	return EX_OK;
}

static int
cmd_outbox_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format f = CMD_TEXT;
	const char *state = NULL;
	struct cmd_rows *r = NULL;
	char *err = NULL;
	int rc;

	if ((rc = parse_list(argc, argv, &state, &f)) != EX_OK)
		return rc;
	f = cmd_format_for_tty(f);
	if (f != CMD_TEXT)
		r = cmd_rows_new(f, f == CMD_TABLE ? outbox_table_cols
		    : outbox_cols, 0);
	if (store_outbox_each(ctx->st, state, f == CMD_TABLE ?
	    outbox_table_cells : r ? outbox_cells : print_row, r, &err) == -1) {
		cmd_rows_free(r);
		return gz_fail_err(EX_IOERR, err);
	}
	return r ? cmd_rows_done(r) : EX_OK;
}

/* The one ID argument of show, retry and drop. */
static int
parse_id(const struct cmd_entry *e, int argc, char **argv, int64_t *id)
{
	char *end;
	long long n;

	if (argc != 2)
		return cmd_usage(e, "expected one digest ID");
	errno = 0;
	n = strtoll(argv[1], &end, 10);
	if (errno || end == argv[1] || *end != '\0' || n <= 0)
		return gz_fail(EX_DATAERR, "'%s' is not a digest ID (see "
		    "'gazette outbox list')", argv[1]);
	*id = n;
	return EX_OK;
}

static int
print_detail(const struct outbox_row *r, void *ctx)
{
	char when[32];

	(void)ctx;
	printf("digest:      %lld\n", (long long)r->id);
	printf("to:          %s%s%s%s\n", r->name ? r->name : "",
	    r->name ? " <" : "", r->email, r->name ? ">" : "");
	printf("subscriber:  %s, %d hard bounce(s), %d soft\n",
	    r->subscriber_status, r->bounces, r->soft_bounces);
	printf("state:       %s\n", r->state);
	printf("entries:     %lld\n", (long long)r->nitems);
	printf("message-id:  <%s>\n", r->message_id);
	printf("created:     %s\n", cmd_when(r->created, when, sizeof when));
	printf("attempts:    %d\n", r->attempts);
	printf("next try:    %s\n", cmd_when(r->next_attempt, when,
	    sizeof when));
	printf("sent:        %s\n", cmd_when(r->sent, when, sizeof when));
	printf("last error:  %s\n", r->last_error ? r->last_error : "-");
	return 0;
}

static int
cmd_outbox_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_rows *r = NULL;
	char *err = NULL;
	int64_t id;
	int f, rc;

	if ((f = cmd_format_flag(&cmd_outbox_show_entry, argc, argv)) == -1)
		return EX_USAGE;
	if ((rc = parse_id(&cmd_outbox_show_entry, argc - optind + 1,
	    argv + optind - 1, &id)) != EX_OK)
		return rc;
	if (f != CMD_TEXT)
		r = cmd_rows_new((enum cmd_format)f, outbox_cols, 1);
	rc = store_outbox_get(ctx->st, id, r ? outbox_cells : print_detail, r,
	    &err);
	if (rc == 0)
		return r ? cmd_rows_done(r) : EX_OK;
	cmd_rows_free(r);
	if (rc == STORE_NOTFOUND)
		return gz_fail(EX_DATAERR, "no digest %lld in the outbox",
		    (long long)id);
	return gz_fail_err(EX_IOERR, err);
}

/* retry and drop: the change, then what to say about it. */
static int
change(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc, char **argv,
    int (*fn)(struct store *, int64_t, char **), const char *done,
    const char *refused)
{
	char *err = NULL;
	int64_t id;
	int rc;

	if ((rc = parse_id(e, argc, argv, &id)) != EX_OK)
		return rc;
	switch (fn(ctx->st, id, &err)) {
	case 0:
		gz_info("digest %lld %s", (long long)id, done);
		return EX_OK;
	case STORE_NOTFOUND:
		return gz_fail(EX_DATAERR, "no digest %lld in the outbox",
		    (long long)id);
	case STORE_WRONGSTATE:
		return gz_fail(EX_DATAERR, "digest %lld %s (see 'gazette "
		    "outbox show %lld')", (long long)id, refused,
		    (long long)id);
	default:
		return gz_fail_err(EX_IOERR, err);
	}
}

static int
cmd_outbox_retry(struct cmd_ctx *ctx, int argc, char **argv)
{
	return change(ctx, &cmd_outbox_retry_entry, argc, argv,
	    store_outbox_retry, "queued again; the next send delivers it",
	    "is queued or sent; only failed, deferred or dropped digests "
	    "can be retried");
}

static int
cmd_outbox_drop(struct cmd_ctx *ctx, int argc, char **argv)
{
	return change(ctx, &cmd_outbox_drop_entry, argc, argv,
	    store_outbox_drop, "dropped; it will not be sent ('outbox retry' "
	    "brings it back)", "is sent or already dropped");
}
