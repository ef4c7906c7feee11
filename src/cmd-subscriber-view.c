/*
 * cmd-subscriber-view.c - subscriber list and subscriber show: who gets
 * the digests, as lines or as JSON.
 *
 * Only reads the store; the commands that change subscribers are in
 * cmd-subscriber.c and cmd-subscribe.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json-out.h"
#include "log.h"
#include "store.h"

static int	cmd_subscriber_list(struct cmd_ctx *, int, char **);
static int	cmd_subscriber_show(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_subscriber_list_entry = {
	"subscriber", "list", "[--topic SLUG] [--status STATUS] "
	"[--json] [--csv]",
	"List subscribers with their status, frequency, topics and name.",
	"  -t, --topic SLUG       only those subscribed to this topic\n"
	"  -s, --status STATUS    only those with this status (pending, "
	"active,\n                         unsubscribed or bounced)\n"
	"  -j, --json             one JSON array of subscribers (keys as "
	"subscriber\n                         show --json, without "
	"subscriptions)\n"
	"      --csv              CSV with a header row: the same columns, "
	"topics\n                         separated by ';'\n",
	GZ_NEEDS_DB, cmd_subscriber_list
};

const struct cmd_entry cmd_subscriber_show_entry = {
	"subscriber", "show", "EMAIL [--json] [--csv]",
	"Show one subscriber, with the mark of each subscription.",
	"  -j, --json             one JSON object: email, name, status, "
	"frequency,\n                         topics, created, last_digest, "
	"bounces,\n                         soft_bounces, subscriptions ({topic, "
	"name,\n                         mark, since})\n"
	"      --csv              CSV: a header row and the subscriber's row "
	"(the\n                         columns of subscriber list --csv)\n",
	GZ_NEEDS_DB, cmd_subscriber_show
};

static const char *const statuses[] = { "pending", "active", "unsubscribed",
    "bounced", NULL };

static int
print_line(const struct subscriber_row *s, void *ctx)
{
	(void)ctx;
	printf("%-36s %-13s %-7s %-24s %s\n", s->email, s->status, s->frequency,
	    s->topics ? s->topics : "-", s->name ? s->name : "");
	return 0;
}

static const char *const subscriber_cols[] = { "email", "name", "status",
    "frequency", "topics", "created", "last_digest", "bounces",
    "soft_bounces", NULL };

/* One subscriber's cells, the row left open for show's subscriptions. */
static void
subscriber_cells(const struct subscriber_row *s, struct cmd_rows *r)
{
	cmd_rows_str(r, s->email);
	cmd_rows_str(r, s->name);
	cmd_rows_str(r, s->status);
	cmd_rows_str(r, s->frequency);
	cmd_rows_list(r, s->topics);
	cmd_rows_time(r, s->created);
	cmd_rows_time(r, s->last_digest);
	cmd_rows_int(r, s->bounces);
	cmd_rows_int(r, s->soft_bounces);
}

static int
add_row(const struct subscriber_row *s, void *ctx)
{
	subscriber_cells(s, ctx);
	cmd_rows_end_row(ctx);
	return 0;
}

struct list_args {
	const char *slug;
	struct subscriber_filter filter;
	enum cmd_format format;
};

static int
parse_list(struct cmd_ctx *ctx, int argc, char **argv, struct list_args *a)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "status", required_argument, NULL, 's' },
		CMD_FORMAT_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *const *st;
	int c;

	while ((c = cmd_getopt(&cmd_subscriber_list_entry, argc, argv,
	    "t:s:j", opts)) != -1) {
		switch (c) {
		case 't': a->slug = optarg; break;
		case 's': a->filter.status = optarg; break;
		case 'j':
		case 'C':
			if (cmd_format_opt(&cmd_subscriber_list_entry, c,
			    &a->format) != EX_OK)
				return EX_USAGE;
			break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind > 0)
		return cmd_usage(&cmd_subscriber_list_entry, "takes no "
		    "arguments");
	for (st = statuses; a->filter.status && *st; st++)
		if (strcmp(*st, a->filter.status) == 0)
			break;
	if (a->filter.status && *st == NULL)
		return gz_fail(EX_DATAERR, "unknown status '%s' (pending, "
		    "active, unsubscribed or bounced)", a->filter.status);
	if (a->slug == NULL)
		return EX_OK;
	return cmd_topic_ids(ctx, (char *const *)&a->slug, 1,
	    &a->filter.topic_id);
}

static int
cmd_subscriber_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct list_args a = { NULL, { NULL, 0, NULL }, CMD_TEXT };
	struct cmd_rows *r = NULL;
	char *err = NULL;
	int rc;

	if ((rc = parse_list(ctx, argc, argv, &a)) != EX_OK)
		return rc;
	if ((a.format = cmd_format_for_tty(a.format)) != CMD_TEXT)
		r = cmd_rows_new(a.format, subscriber_cols, 0);
	if (store_subscriber_select(ctx->st, &a.filter, r ? add_row
	    : print_line, r, &err) == -1) {
		cmd_rows_free(r);
		return gz_fail_err(EX_IOERR, err);
	}
	return r ? cmd_rows_done(r) : EX_OK;
}

static int
print_one(const struct subscriber_row *s, void *ctx)
{
	char created[32], last[32];

	(void)ctx;
	printf("%s\n  name: %s\n  status: %s, frequency: %s, bounces: %lld "
	    "hard, %lld soft\n"
	    "  created: %s, last digest: %s\n  topics:%s\n", s->email,
	    s->name ? s->name : "-", s->status, s->frequency,
	    (long long)s->bounces, (long long)s->soft_bounces, cmd_time(s->created, created, sizeof created),
	    cmd_time(s->last_digest, last, sizeof last),
	    s->topics ? "" : " -");
	return 0;
}

static int
print_subscription(const struct subscription_row *r, void *ctx)
{
	char since[32];

	(void)ctx;
	printf("    %-20s mark %-8lld since %s\n", r->slug, (long long)r->mark,
	    cmd_time(r->created, since, sizeof since));
	return 0;
}

static int
one_row(const struct subscriber_row *s, void *ctx)
{
	subscriber_cells(s, ctx);
	return 0;
}

static int
subscription_json(const struct subscription_row *r, void *ctx)
{
	struct json_out *o = json_out_object();

	json_out_str(o, "topic", r->slug);
	json_out_str(o, "name", r->name);
	json_out_int(o, "mark", r->mark);
	json_out_time(o, "since", r->created);
	json_out_put(ctx, NULL, o);
	return 0;
}

static int
show(struct cmd_ctx *ctx, const struct cmd_subscriber *sub,
    enum cmd_format format)
{
	struct subscriber_filter f = { NULL, 0, sub->email };
	struct cmd_rows *r = NULL;
	struct json_out *subs = NULL;
	char *err = NULL;

	if (format != CMD_TEXT)
		r = cmd_rows_new(format, subscriber_cols, 1);
	if (store_subscriber_select(ctx->st, &f, r ? one_row : print_one,
	    r, &err) == -1)
		goto fail;
	if (format == CMD_JSON)
		subs = json_out_array();
	if (format != CMD_CSV && store_subscription_each(ctx->st, sub->id,
	    subs ? subscription_json : print_subscription, subs, &err) == -1)
		goto fail;
	if (r == NULL)
		return EX_OK;
	cmd_rows_put(r, "subscriptions", subs);
	cmd_rows_end_row(r);
	return cmd_rows_done(r);
fail:
	json_out_free(subs);
	cmd_rows_free(r);
	return gz_fail_err(EX_IOERR, err);
}

static int
cmd_subscriber_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_subscriber sub = { 0, NULL, "", "" };
	int format, rc;

	if ((format = cmd_format_flag(&cmd_subscriber_show_entry, argc,
	    argv)) == -1)
		return EX_USAGE;
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_show_entry, "expected one "
		    "EMAIL");
	if ((rc = cmd_subscriber_find(ctx, argv[optind], &sub)) == EX_OK)
		rc = show(ctx, &sub, (enum cmd_format)format);
	free(sub.email);
	return rc;
}
