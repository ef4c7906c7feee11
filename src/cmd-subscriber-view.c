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
	"subscriber", "list", "[--topic SLUG] [--status STATUS] [--json]",
	"List subscribers with their status, frequency, topics and name.",
	"  -t, --topic SLUG       only those subscribed to this topic\n"
	"  -s, --status STATUS    only those with this status (pending, "
	"active,\n                         unsubscribed or bounced)\n"
	"  -j, --json             one JSON array of subscribers (keys as "
	"subscriber\n                         show --json, without "
	"subscriptions)\n",
	GZ_NEEDS_DB, cmd_subscriber_list
};

const struct cmd_entry cmd_subscriber_show_entry = {
	"subscriber", "show", "EMAIL [--json]",
	"Show one subscriber, with the mark of each subscription.",
	"  -j, --json             one JSON object: email, name, status, "
	"frequency,\n                         topics, created, last_digest, "
	"bounces, subscriptions\n                         ({topic, name, "
	"mark, since})\n",
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

static struct json_out *
subscriber_json(const struct subscriber_row *s)
{
	struct json_out *o = json_out_object();

	json_out_str(o, "email", s->email);
	json_out_str(o, "name", s->name);
	json_out_str(o, "status", s->status);
	json_out_str(o, "frequency", s->frequency);
	json_out_csv(o, "topics", s->topics);
	json_out_time(o, "created", s->created);
	json_out_time(o, "last_digest", s->last_digest);
	json_out_int(o, "bounces", s->bounces);
	return o;
}

static int
add_json(const struct subscriber_row *s, void *ctx)
{
	json_out_put(ctx, NULL, subscriber_json(s));
	return 0;
}

struct list_args {
	const char *slug;
	struct subscriber_filter filter;
	int	 json;
};

static int
parse_list(struct cmd_ctx *ctx, int argc, char **argv, struct list_args *a)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "status", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	const char *const *st;
	int c;

	while ((c = cmd_getopt(&cmd_subscriber_list_entry, argc, argv,
	    "t:s:j", opts)) != -1) {
		switch (c) {
		case 't': a->slug = optarg; break;
		case 's': a->filter.status = optarg; break;
		case 'j': a->json = 1; break;
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
	struct list_args a = { NULL, { NULL, 0, NULL }, 0 };
	struct json_out *j = NULL;
	char *err = NULL;
	int rc;

	if ((rc = parse_list(ctx, argc, argv, &a)) != EX_OK)
		return rc;
	if (a.json)
		j = json_out_array();
	if (store_subscriber_select(ctx->st, &a.filter, a.json ? add_json
	    : print_line, j, &err) == -1) {
		json_out_free(j);
		return gz_fail_err(EX_IOERR, err);
	}
	return a.json ? cmd_print_json(j) : EX_OK;
}

static int
print_one(const struct subscriber_row *s, void *ctx)
{
	char created[32], last[32];

	(void)ctx;
	printf("%s\n  name: %s\n  status: %s, frequency: %s, bounces: %lld\n"
	    "  created: %s, last digest: %s\n  topics:%s\n", s->email,
	    s->name ? s->name : "-", s->status, s->frequency,
	    (long long)s->bounces, cmd_time(s->created, created, sizeof created),
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
one_json(const struct subscriber_row *s, void *ctx)
{
	*(struct json_out **)ctx = subscriber_json(s);
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
show(struct cmd_ctx *ctx, const struct cmd_subscriber *sub, int json)
{
	struct subscriber_filter f = { NULL, 0, sub->email };
	struct json_out *o = NULL, *subs = NULL;
	char *err = NULL;

	if (store_subscriber_select(ctx->st, &f, json ? one_json : print_one,
	    &o, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if (json)
		subs = json_out_array();
	if (store_subscription_each(ctx->st, sub->id, json ? subscription_json
	    : print_subscription, subs, &err) == -1) {
		json_out_free(subs);
		json_out_free(o);
		return gz_fail_err(EX_IOERR, err);
	}
	if (!json)
		return EX_OK;
	json_out_put(o, "subscriptions", subs);
	return cmd_print_json(o);
}

static int
cmd_subscriber_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_subscriber sub = { 0, NULL, "", "" };
	int json, rc;

	if ((json = cmd_json_flag(&cmd_subscriber_show_entry, argc, argv)) ==
	    -1)
		return EX_USAGE;
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_show_entry, "expected one "
		    "EMAIL");
	if ((rc = cmd_subscriber_find(ctx, argv[optind], &sub)) == EX_OK)
		rc = show(ctx, &sub, json);
	free(sub.email);
	return rc;
}
