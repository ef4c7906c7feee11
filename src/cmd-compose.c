/*
 * cmd-compose.c - gazette compose: queue a digest for every subscriber
 * who is due and has something new (--now: whoever has something new),
 * with the editor's notes of --note and --topic-note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compose.h"
#include "fileio.h"
#include "log.h"
#include "markdown.h"
#include "xmalloc.h"

#define NOTE_FILE_MAX	((size_t)1 << 20)

static int	cmd_compose(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_compose_entry = {
	NULL, "compose", "[--now] [--note FILE] [--topic-note SLUG=FILE]...",
	"Queue one digest per due subscriber with new entries, advancing "
	"their marks.",
	"  -n, --now                   ignore the schedule: every active "
	"subscriber with new entries\n"
	"  -N, --note FILE             an editor's note in Markdown at the top "
	"of every digest\n"
	"  -T, --topic-note SLUG=FILE  a note in Markdown at the top of the "
	"topic's section\n",
	GZ_NEEDS_DB, cmd_compose
};

/* Read an editor's note; refuse a file that is not UTF-8 (65). */
static int
note_read(const char *path, char **md)
{
	char *err = NULL;
	size_t len, bad;

	if ((*md = file_read(path, NOTE_FILE_MAX, &len, &err)) == NULL)
		return gz_fail_err(EX_NOINPUT, err);
	if (!markdown_utf8_ok(*md, len, &bad)) {
		free(*md);
		*md = NULL;
		return gz_fail(EX_DATAERR, "%s: not valid UTF-8 (byte offset "
		    "%zu); nothing composed", path, bad);
	}
	return EX_OK;
}

int
cmd_notes_option(struct cmd_ctx *ctx, struct compose_notes *n, int c,
    const char *arg)
{
	struct compose_topic_note *tn;
	const char *eq;
	char *md, *slug;
	int64_t id;
	int rc;

	if (c == 'N') {
		if (n->markdown != NULL)
			return gz_fail(EX_USAGE, "--note given twice");
		if ((rc = note_read(arg, &md)) == EX_OK)
			n->markdown = md;
		return rc;
	}
	if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0')
		return gz_fail(EX_USAGE, "--topic-note takes SLUG=FILE, not "
		    "'%s'", arg);
	slug = xstrndup(arg, (size_t)(eq - arg));
	if ((rc = cmd_topic_ids(ctx, &slug, 1, &id)) != EX_OK ||
	    (rc = note_read(eq + 1, &md)) != EX_OK) {
		free(slug);
		return rc;
	}
	n->topics = xreallocarray(n->topics, n->ntopics + 1, sizeof *tn);
	tn = &n->topics[n->ntopics++];
	*tn = (struct compose_topic_note){ slug, md, 0 };
	return EX_OK;
}

void
cmd_notes_free(struct compose_notes *n)
{
	size_t i;

	free((char *)n->markdown);
	for (i = 0; i < n->ntopics; i++) {
		free((char *)n->topics[i].slug);
		free((char *)n->topics[i].markdown);
	}
	free(n->topics);
	memset(n, 0, sizeof *n);
}

/* A note no digest carried is not kept: say so, the editor may wonder. */
static void
notes_unused(const struct compose_notes *n)
{
	size_t i;

	if (n == NULL)
		return;
	if (n->markdown != NULL && n->id == 0)
		gz_warn("compose: no digest was queued, so the note was not "
		    "used");
	for (i = 0; i < n->ntopics; i++)
		if (n->topics[i].id == 0)
			gz_warn("compose: no digest carries topic %s this time, "
			    "so its note was not used", n->topics[i].slug);
}

/* What gazette run composes: only subscribers whose period has passed. */
int
cmd_compose_notes_run(struct cmd_ctx *ctx, struct compose_notes *notes)
{
	char *err = NULL;
	int queued, waiting;

	if (cmd_expire_pending(ctx) != EX_OK)
		return EX_IOERR;
	if (compose_notes_run(ctx->st, ctx->cfg, ctx->now, 1, notes, &queued,
	    &waiting, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("compose: %d digest(s) queued, %d subscriber(s) not due yet",
	    queued, waiting);
	notes_unused(notes);
	return EX_OK;
}

int
cmd_compose_run(struct cmd_ctx *ctx)
{
	return cmd_compose_notes_run(ctx, NULL);
}

static int
compose_now(struct cmd_ctx *ctx, struct compose_notes *notes)
{
	char *err = NULL;
	int queued;

	if (cmd_expire_pending(ctx) != EX_OK)
		return EX_IOERR;
	if (compose_notes_run(ctx->st, ctx->cfg, ctx->now, 0, notes, &queued,
	    NULL, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	gz_info("compose: %d digest(s) queued", queued);
	notes_unused(notes);
	return EX_OK;
}

static int
cmd_compose(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "now", no_argument, NULL, 'n' },
		{ "note", required_argument, NULL, 'N' },
		{ "topic-note", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct compose_notes notes = { 0 };
	int c, now = 0, rc = EX_OK;

	while (rc == EX_OK && (c = cmd_getopt(&cmd_compose_entry, argc, argv,
	    "nN:T:", opts)) != -1) {
		if (c == '?')
			rc = EX_USAGE;
		else if (c == 'n')
			now = 1;
		else
			rc = cmd_notes_option(ctx, &notes, c, optarg);
	}
	if (rc == EX_OK && argc - optind != 0)
		rc = cmd_usage(&cmd_compose_entry, "takes no arguments");
	if (rc == EX_OK)
		rc = now ? compose_now(ctx, &notes) :
		    cmd_compose_notes_run(ctx, &notes);
	cmd_notes_free(&notes);
	return rc;
}
