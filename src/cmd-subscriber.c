/*
 * cmd-subscriber.c - the people who get the digests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "cmd.h"
#include "config.h"
#include "confirm.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_subscriber_add(struct cmd_ctx *, int, char **);
static int	cmd_subscriber_set(struct cmd_ctx *, int, char **);
struct add_args;
static int	add_active(struct cmd_ctx *, const char *, struct add_args *);

struct pending {
	int64_t	 id;
	char	 token[65];
};

const struct cmd_entry cmd_subscriber_add_entry = {
	"subscriber", "add", "EMAIL [--name TEXT] [--topic SLUG]... "
	"[--frequency weekly|daily] [--confirm]",
	"Add an active subscriber, to topics or to none yet.",
	"  -n, --name TEXT        the subscriber's name (used in To:)\n"
	"  -t, --topic SLUG       a topic to subscribe to (repeatable; none: "
	"no digest\n                         until 'gazette subscribe')\n"
	"  -f, --frequency FREQ   weekly or daily (default: [digest] "
	"frequency)\n"
	"      --confirm          add them pending and mail them a confirm "
	"link\n                         (always so with [general] "
	"double_opt_in = yes)\n",
	GZ_NEEDS_DB, cmd_subscriber_add
};

const struct cmd_entry cmd_subscriber_set_entry = {
	"subscriber", "set", "EMAIL [--name TEXT] [--frequency weekly|daily] "
	"[--status active|unsubscribed]",
	"Change a subscriber's name, frequency or status.",
	"  -n, --name TEXT        the name (\"\" removes it)\n"
	"  -f, --frequency FREQ   weekly or daily\n"
	"  -s, --status STATUS    active or unsubscribed\n",
	GZ_NEEDS_DB, cmd_subscriber_set
};

#define NAME_MAX_LEN 200

/* Names reach the To: header: no control characters, bounded length. */
static const char *
name_problem(const char *name)
{
	const unsigned char *p;

	if (strlen(name) > NAME_MAX_LEN)
		return "is longer than 200 characters";
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	return NULL;
}

static int
check_frequency(const char *email, const char *frequency)
{
	if (strcmp(frequency, "weekly") && strcmp(frequency, "daily"))
		return gz_fail(EX_DATAERR, "subscriber %s: frequency must be "
		    "weekly or daily, not '%s'", email, frequency);
	return EX_OK;
}

struct add_args {
	const char *name;
	const char *frequency;
	char	**slugs;
	size_t	 nslugs;
	int	 confirm;		/* pending until they confirm */
};

static int
parse_add(int argc, char **argv, struct add_args *a)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "topic", required_argument, NULL, 't' },
		{ "frequency", required_argument, NULL, 'f' },
		{ "confirm", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(&cmd_subscriber_add_entry, argc, argv, "n:t:f:",
	    opts)) != -1) {
		switch (c) {
		case 'C': a->confirm = 1; break;
		case 'n': a->name = optarg; break;
		case 't': a->slugs[a->nslugs++] = optarg; break;
		case 'f': a->frequency = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_add_entry, "expected one EMAIL");
	return EX_OK;
}

static int
copy_token(const struct subscriber_row *s, void *ctx)
{
	struct pending *p = ctx;

	p->id = s->id;
	snprintf(p->token, sizeof p->token, "%s", s->token);
	return 0;
}

/* The just-added subscriber becomes pending and gets the confirm mail;
 * a mail that cannot go fails the command (nothing is kept). */
static int
make_pending(struct cmd_ctx *ctx, const char *email, const char *name)
{
	struct subscriber_filter f = { NULL, 0, email };
	struct pending p = { 0, "" };
	char *err = NULL;
	int rc;

	if (store_subscriber_select(ctx->st, &f, copy_token, &p, &err) == -1 ||
	    store_subscriber_set_pending(ctx->st, p.id, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if (confirm_send(ctx->cfg, email, name, p.token, ctx->now, &err) ==
	    -1) {
		rc = gz_fail(EX_UNAVAILABLE, "subscriber %s not added: the "
		    "confirmation mail: %s", email, err ? err : "failed");
		free(err);
		return rc;
	}
	gz_info("added subscriber %s (pending): sent a confirmation request",
	    email);
	return EX_OK;
}

static int
add(struct cmd_ctx *ctx, const char *email, struct add_args *a)
{
	int rc;

	if (!a->confirm)
		return add_active(ctx, email, a);
	if ((rc = cmd_begin(ctx)) != EX_OK)
		return rc;
	if ((rc = add_active(ctx, email, a)) == EX_OK)
		rc = make_pending(ctx, email, a->name);
	return cmd_end(ctx, rc);
}

int
cmd_expire_pending(struct cmd_ctx *ctx)
{
	int64_t before = ctx->now - (int64_t)ctx->cfg->confirm_expiry_days *
	    86400;
	char *err = NULL;
	int n;

	if ((n = store_pending_expire(ctx->st, before, &err)) == -1)
		return gz_fail_err(EX_IOERR, err);
	if (n > 0)
		gz_info("removed %d subscriber(s) who did not confirm within "
		    "%d days", n, ctx->cfg->confirm_expiry_days);
	return EX_OK;
}

static int
add_active(struct cmd_ctx *ctx, const char *email, struct add_args *a)
{
	int64_t *ids = xcalloc(a->nslugs, sizeof *ids);
	char *err = NULL;
	int rc;

	if ((rc = cmd_topic_ids(ctx, a->slugs, a->nslugs, ids)) != EX_OK) {
		free(ids);
		return rc;
	}
	rc = store_subscriber_add(ctx->st, email, a->name, a->frequency, ids,
	    a->nslugs, ctx->now, &err);
	free(ids);
	if (rc == STORE_EXISTS)
		return gz_fail(EX_DATAERR, "subscriber '%s' already exists",
		    email);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	if (!a->confirm && a->nslugs == 0)
		gz_info("added subscriber %s, with no topic: no digest until "
		    "'gazette subscribe %s SLUG'", email, email);
	else if (!a->confirm)
		gz_info("added subscriber %s", email);
	return EX_OK;
}

static int
cmd_subscriber_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct add_args a = { NULL, ctx->cfg->frequency,
	    xcalloc((size_t)argc, sizeof(char *)), 0,
	    ctx->cfg->double_opt_in };
	const char *why;
	char *email = NULL;
	int rc;

	if ((rc = parse_add(argc, argv, &a)) != EX_OK)
		goto out;
	if ((email = address_normalize(argv[optind], &why)) == NULL)
		rc = gz_fail(EX_DATAERR, "invalid address '%s': %s",
		    argv[optind], why);
	else if (a.name && (why = name_problem(a.name)) != NULL)
		rc = gz_fail(EX_DATAERR, "subscriber %s: the name %s", email,
		    why);
	else if ((rc = check_frequency(email, a.frequency)) == EX_OK)
		rc = add(ctx, email, &a);
out:
	free(email);
	free(a.slugs);
	return rc;
}


struct found {
	struct cmd_subscriber *out;
	int	 seen;
};

static int
copy_found(const struct subscriber_row *s, void *ctx)
{
	struct found *f = ctx;

	f->seen = 1;
	f->out->id = s->id;
	f->out->email = xstrdup(s->email);
	snprintf(f->out->status, sizeof f->out->status, "%s", s->status);
	snprintf(f->out->frequency, sizeof f->out->frequency, "%s",
	    s->frequency);
	return 1;
}

int
cmd_subscriber_find(struct cmd_ctx *ctx, const char *addr,
    struct cmd_subscriber *out)
{
	struct subscriber_filter filter = { NULL, 0, NULL };
	struct found f = { out, 0 };
	const char *why;
	char *email, *err = NULL;
	int rc;

	if ((email = address_normalize(addr, &why)) == NULL)
		return gz_fail(EX_DATAERR, "invalid address '%s': %s", addr,
		    why);
	filter.email = email;
	rc = store_subscriber_select(ctx->st, &filter, copy_found, &f, &err);
	free(email);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	if (!f.seen)
		return gz_fail(EX_DATAERR, "no subscriber '%s' (see 'gazette "
		    "subscriber list')", addr);
	return EX_OK;
}

struct set_args {
	const char *name;
	const char *frequency;
	const char *status;
};

static int
parse_set(int argc, char **argv, struct set_args *a)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "frequency", required_argument, NULL, 'f' },
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(&cmd_subscriber_set_entry, argc, argv,
	    "n:f:s:", opts)) != -1) {
		switch (c) {
		case 'n': a->name = optarg; break;
		case 'f': a->frequency = optarg; break;
		case 's': a->status = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_set_entry, "expected one EMAIL");
	if (!a->name && !a->frequency && !a->status)
		return cmd_usage(&cmd_subscriber_set_entry, "give --name, "
		    "--frequency or --status");
	return EX_OK;
}

static int
check_set(const char *email, const struct set_args *a)
{
	const char *why;
	int rc;

	if (a->name && (why = name_problem(a->name)) != NULL)
		return gz_fail(EX_DATAERR, "subscriber %s: the name %s", email,
		    why);
	if (a->frequency && (rc = check_frequency(email, a->frequency)) != 0)
		return rc;
	if (a->status && strcmp(a->status, "active") &&
	    strcmp(a->status, "unsubscribed"))
		return gz_fail(EX_DATAERR, "subscriber %s: status must be "
		    "active or unsubscribed, not '%s'", email, a->status);
	return EX_OK;
}

static int
cmd_subscriber_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct set_args a = { NULL, NULL, NULL };
	struct cmd_subscriber sub = { 0, NULL, "", "" };
	char *err = NULL;
	int rc;

	if ((rc = parse_set(argc, argv, &a)) != EX_OK ||
	    (rc = cmd_subscriber_find(ctx, argv[optind], &sub)) != EX_OK ||
	    (rc = check_set(sub.email, &a)) != EX_OK)
		goto out;
	if (store_subscriber_update(ctx->st, sub.id, a.name, a.frequency,
	    a.status, &err) == -1)
		rc = gz_fail_err(EX_IOERR, err);
	else
		gz_info("changed subscriber %s", sub.email);
out:
	free(sub.email);
	return rc;
}
