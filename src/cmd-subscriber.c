/*
 * cmd-subscriber.c - the people who get the digests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "confirm.h"
#include "dkim.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_subscriber_add(struct cmd_ctx *, int, char **);
static int	cmd_subscriber_set(struct cmd_ctx *, int, char **);
struct add_args;
static int	add_active(struct cmd_ctx *, const char *, struct add_args *,
		    int *);

struct pending {
	int64_t	 id;
	char	 token[65];
	char	 status[16];
	int	 again;		/* they were pending already */
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
	snprintf(p->status, sizeof p->status, "%s", s->status);
	return 0;
}

/*
 * A still-pending subscriber asked for again: the earlier confirmation
 * mail was lost or never went.  They get the topics given now as well.
 */
static int
pending_again(struct cmd_ctx *ctx, const struct pending *p,
    struct add_args *a)
{
	int64_t *ids = xcalloc(a->nslugs, sizeof *ids);
	char *err = NULL;
	size_t i;
	int rc;

	if ((rc = cmd_topic_ids(ctx, a->slugs, a->nslugs, ids)) != EX_OK) {
		free(ids);
		return rc;
	}
	for (i = 0; i < a->nslugs && rc == EX_OK; i++)
		if (store_subscription_add(ctx->st, p->id, a->frequency, ids[i],
		    ctx->now, &err) == -1)
			rc = gz_fail_err(EX_IOERR, err);
	free(ids);
	return rc;
}

/* The subscriber added pending, or found still pending; *p gets their
 * token.  In the caller's transaction. */
static int
stage_pending(struct cmd_ctx *ctx, const char *email, struct add_args *a,
    struct pending *p)
{
	struct subscriber_filter f = { NULL, 0, email };
	char *err = NULL;
	int rc = add_active(ctx, email, a, &p->again);

	if (rc != EX_OK)
		return rc;
	if (store_subscriber_select(ctx->st, &f, copy_token, p, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if (p->again) {
		if (strcmp(p->status, "pending") != 0)
			return gz_fail(EX_DATAERR, "subscriber '%s' already "
			    "exists (%s)", email, p->status);
		return pending_again(ctx, p, a);
	}
	if (store_subscriber_set_pending(ctx->st, p->id, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	return EX_OK;
}

/* Mail the built confirmation; the subscriber is already committed. */
static int
mail_confirmation(struct cmd_ctx *ctx, const char *email,
    const struct pending *p, const struct buf *msg)
{
	enum confirm_outcome o;
	char *err = NULL;
	int rc;

	if ((o = confirm_send(ctx->cfg, email, msg, &err)) == CONFIRM_SENT) {
		if (p->again)
			gz_info("subscriber %s is still pending: sent the "
			    "confirmation request again", email);
		else
			gz_info("added subscriber %s (pending): sent a "
			    "confirmation request", email);
		return EX_OK;
	}
	/* 75 says "run it again"; a refusal for good will not change. */
	rc = gz_fail(o == CONFIRM_DEFERRED ? EX_TEMPFAIL : EX_UNAVAILABLE,
	    "subscriber %s is pending, but the confirmation mail was not "
	    "sent: %s%s", email, err, o == CONFIRM_DEFERRED ? "; run the "
	    "same 'subscriber add ... --confirm' again to send it" : "");
	free(err);
	return rc;
}

/*
 * Double opt-in.  The subscriber is committed as pending before the mail
 * goes, so the database is not locked for the length of an SMTP exchange;
 * the message is built (and signed) first, so a missing base_url or key
 * adds nobody.
 */
static int
add_pending(struct cmd_ctx *ctx, const char *email, struct add_args *a)
{
	struct dkim_signer *dkim = NULL;
	struct pending p;
	struct buf msg;
	char *err = NULL;
	int rc;

	memset(&p, 0, sizeof p);
	buf_init(&msg, CONFIRM_MAX_SIZE);
	/* As send does: a configured key that cannot sign stops us first. */
	if ((rc = cmd_dkim_open(ctx, &dkim)) != EX_OK ||
	    (rc = cmd_begin(ctx)) != EX_OK)
		goto out;
	if ((rc = stage_pending(ctx, email, a, &p)) == EX_OK &&
	    confirm_build(ctx->cfg, email, a->name, p.token, ctx->now, dkim,
	    &msg, &err) == -1) {
		rc = gz_fail(EX_UNAVAILABLE, "subscriber %s not added or "
		    "changed: the confirmation mail: %s", email, err);
		free(err);
	}
	if ((rc = cmd_end(ctx, rc)) == EX_OK)
		rc = mail_confirmation(ctx, email, &p, &msg);
out:
	dkim_signer_close(dkim);
	buf_free(&msg);
	return rc;
}

static int
add(struct cmd_ctx *ctx, const char *email, struct add_args *a)
{
	int rc, exists = 0;

	if (a->confirm)
		return add_pending(ctx, email, a);
	if ((rc = add_active(ctx, email, a, &exists)) != EX_OK)
		return rc;
	if (exists)
		return gz_fail(EX_DATAERR, "subscriber '%s' already exists",
		    email);
	if (a->nslugs == 0)
		gz_info("added subscriber %s, with no topic: no digest until "
		    "'gazette subscribe %s SLUG'", email, email);
	else
		gz_info("added subscriber %s", email);
	return EX_OK;
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

/* Insert the subscriber, active; *exists (and EX_OK) when the address
 * is taken, for the caller to judge. */
static int
add_active(struct cmd_ctx *ctx, const char *email, struct add_args *a,
    int *exists)
{
	int64_t *ids = xcalloc(a->nslugs, sizeof *ids);
	char *err = NULL;
	int rc;

	*exists = 0;
	if ((rc = cmd_topic_ids(ctx, a->slugs, a->nslugs, ids)) != EX_OK) {
		free(ids);
		return rc;
	}
	rc = store_subscriber_add(ctx->st, email, a->name, a->frequency, ids,
	    a->nslugs, ctx->now, &err);
	free(ids);
	if (rc == -1)
		return gz_fail_err(EX_IOERR, err);
	*exists = rc == STORE_EXISTS;
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
