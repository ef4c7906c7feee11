/*
 * cmd-subscriber.c - the people who get the digests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "cmd.h"
#include "config.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_subscriber_add(struct cmd_ctx *, int, char **);
static int	cmd_subscriber_list(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_subscriber_add_entry = {
	"subscriber", "add", "EMAIL [--name TEXT] --topic SLUG...",
	"Add an active subscriber to one or more topics.",
	"  -n, --name TEXT        the subscriber's name (used in To:)\n"
	"  -t, --topic SLUG       a topic to subscribe to (repeatable, at "
	"least one)\n"
	"  -f, --frequency FREQ   weekly or daily (default: [digest] "
	"frequency)\n",
	GZ_NEEDS_DB, cmd_subscriber_add
};

const struct cmd_entry cmd_subscriber_list_entry = {
	"subscriber", "list", "",
	"List subscribers with their status and topics.",
	NULL, GZ_NEEDS_DB, cmd_subscriber_list
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

struct add_args {
	const char *name;
	const char *frequency;
	char	**slugs;
	size_t	 nslugs;
};

static int
parse_add(int argc, char **argv, struct add_args *a)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "topic", required_argument, NULL, 't' },
		{ "frequency", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(&cmd_subscriber_add_entry, argc, argv, "n:t:f:",
	    opts)) != -1) {
		switch (c) {
		case 'n': a->name = optarg; break;
		case 't': a->slugs[a->nslugs++] = optarg; break;
		case 'f': a->frequency = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_add_entry, "expected one EMAIL");
	if (a->nslugs == 0)
		return cmd_usage(&cmd_subscriber_add_entry,
		    "give at least one --topic");
	return EX_OK;
}

static int
add(struct cmd_ctx *ctx, const char *email, struct add_args *a)
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
	gz_info("added subscriber %s", email);
	return EX_OK;
}

static int
cmd_subscriber_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct add_args a = { NULL, ctx->cfg->frequency,
	    xcalloc((size_t)argc, sizeof(char *)), 0 };
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
	else if (strcmp(a.frequency, "weekly") && strcmp(a.frequency, "daily"))
		rc = gz_fail(EX_DATAERR, "subscriber %s: frequency must be "
		    "weekly or daily, not '%s'", email, a.frequency);
	else
		rc = add(ctx, email, &a);
out:
	free(email);
	free(a.slugs);
	return rc;
}

static int
print_subscriber(const struct subscriber_row *s, void *ctx)
{
	(void)ctx;
	printf("%-36s %-13s %-7s %-24s %s\n", s->email, s->status, s->frequency,
	    s->topics ? s->topics : "-", s->name ? s->name : "");
	return 0;
}

static int
cmd_subscriber_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *err = NULL;

	(void)argv;
	if (argc > 1)
		return cmd_usage(&cmd_subscriber_list_entry,
		    "takes no arguments");
	if (store_subscriber_each(ctx->st, 0, print_subscriber, NULL,
	    &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	return EX_OK;
}
