/*
 * cmd-subscriber-import.c - subscriber import and subscriber export: the
 * subscriber list as a CSV file (email,name,topics,status,frequency).
 *
 * Import streams the file row by row inside one transaction: any bad row
 * and nothing is kept (unless --skip-invalid).  Export streams straight
 * from the store's statement.  Neither holds the whole list in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "csv.h"
#include "import.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_subscriber_import(struct cmd_ctx *, int, char **);
static int	cmd_subscriber_export(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_subscriber_import_entry = {
	"subscriber", "import", "FILE|- [--skip-invalid] [--dry-run]",
	"Add or update subscribers from a CSV file (email,name,topics,"
	"status,frequency).",
	"  -s, --skip-invalid     import the good rows, report and skip "
	"the bad ones\n"
	"                         (default: any bad row imports nothing, "
	"exit 65)\n"
	"  -n, --dry-run          check and count, change nothing\n",
	GZ_NEEDS_DB, cmd_subscriber_import
};

const struct cmd_entry cmd_subscriber_export_entry = {
	"subscriber", "export", "[--output FILE]",
	"Write every subscriber as CSV (the columns subscriber import reads).",
	"  -o, --output FILE      write to FILE (replaced whole) instead of "
	"standard\n                         output; - is standard output\n",
	GZ_NEEDS_DB, cmd_subscriber_export
};

struct topic_map {
	char	**slugs;
	int64_t	*ids;
	size_t	 n;
};

struct import_state {
	struct cmd_ctx *ctx;
	const char *fname;
	struct topic_map topics;
	struct import_seen *seen;
	int	 skip, dry;
	unsigned long added, updated, unchanged, bad;
};

static int
add_topic(const struct topic_row *t, void *ctx)
{
	struct topic_map *m = ctx;

	m->slugs = xreallocarray(m->slugs, m->n + 1, sizeof *m->slugs);
	m->ids = xreallocarray(m->ids, m->n + 1, sizeof *m->ids);
	m->slugs[m->n] = xstrdup(t->slug);
	m->ids[m->n++] = t->id;
	return 0;
}

static int64_t
topic_id(const struct topic_map *m, const char *slug)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->slugs[i], slug) == 0)
			return m->ids[i];
	return 0;
}

static void
topic_map_free(struct topic_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->slugs[i]);
	free(m->slugs);
	free(m->ids);
}

/* The current row of a subscriber already in the store. */
struct existing {
	int	 found;
	int64_t	 id;
	char	*name, *status, *frequency, *topics;
};

static int
copy_existing(const struct subscriber_row *s, void *ctx)
{
	struct existing *e = ctx;

	e->found = 1;
	e->id = s->id;
	e->name = s->name ? xstrdup(s->name) : NULL;
	e->status = xstrdup(s->status);
	e->frequency = xstrdup(s->frequency);
	e->topics = xstrdup(s->topics ? s->topics : "");
	return 0;
}

static void
existing_free(struct existing *e)
{
	free(e->name);
	free(e->status);
	free(e->frequency);
	free(e->topics);
}

static void
report(struct import_state *s, unsigned long line, const char *why)
{
	fprintf(stderr, "%s:%lu: %s\n", s->fname, line, why);
	s->bad++;
}

/* Every topic must exist; the ids in ids[]. */
static int
row_topics(struct import_state *s, const struct import_row *row,
    int64_t *ids, char **why)
{
	size_t i;

	for (i = 0; i < row->ntopics; i++)
		if ((ids[i] = topic_id(&s->topics, row->topics[i])) == 0) {
			*why = xasprintf("unknown topic '%s' (see 'gazette "
			    "topic list')", row->topics[i]);
			return -1;
		}
	return 0;
}

static int
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Add and remove subscriptions until e has exactly row's topics. */
static int
set_topics(struct import_state *s, const struct existing *e,
    const struct import_row *row, const int64_t *ids, char **err)
{
	const char *freq = row->frequency ? row->frequency : e->frequency;
	char *old = xstrdup(e->topics), *tok, *save = NULL;
	size_t i;
	int rc = 0;

	for (tok = strtok_r(old, ",", &save); tok && rc == 0;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < row->ntopics; i++)
			if (strcmp(row->topics[i], tok) == 0)
				break;
		if (i == row->ntopics)
			rc = store_subscription_remove(s->ctx->st, e->id,
			    topic_id(&s->topics, tok), err) == -1 ? -1 : 0;
	}
	for (i = 0; i < row->ntopics && rc == 0; i++)
		rc = store_subscription_add(s->ctx->st, e->id, freq, ids[i],
		    s->ctx->now, err) == -1 ? -1 : 0;
	free(old);
	return rc;
}

static int
update(struct import_state *s, const struct existing *e,
    const struct import_row *row, const int64_t *ids, char **err)
{
	char *topics = import_topics_join(row, ',');
	int name = row->name && !same_text(row->name, e->name);
	int status = row->status && strcmp(row->status, e->status);
	int freq = row->frequency && strcmp(row->frequency, e->frequency);
	int tp = row->has_topics && strcmp(topics, e->topics);
	int rc = 0;

	free(topics);
	if (!name && !status && !freq && !tp) {
		s->unchanged++;
		return 0;
	}
	s->updated++;
	if ((name || status || freq) && store_subscriber_update(s->ctx->st,
	    e->id, name ? row->name : NULL, freq ? row->frequency : NULL,
	    status ? row->status : NULL, err) == -1)
		rc = -1;
	if (rc == 0 && tp)
		rc = set_topics(s, e, row, ids, err);
	return rc;
}

static int
add(struct import_state *s, const struct import_row *row, const int64_t *ids,
    char **err)
{
	const char *name = row->name && *row->name ? row->name : NULL;
	struct existing e = { 0, 0, NULL, NULL, NULL, NULL };
	int rc;

	s->added++;
	rc = store_subscriber_add(s->ctx->st, row->email, name, row->frequency
	    ? row->frequency : s->ctx->cfg->frequency, ids, row->ntopics,
	    s->ctx->now, err);
	if (rc != 0 || row->status == NULL || strcmp(row->status, "active") == 0)
		return rc == 0 ? 0 : -1;
	if (store_subscriber_by_email(s->ctx->st, row->email, copy_existing, &e,
	    err) != 0)
		return -1;
	rc = store_subscriber_update(s->ctx->st, e.id, NULL, NULL, row->status,
	    err);
	existing_free(&e);
	return rc;
}

/* Add or update one checked row.  0, 1 after reporting it, or -1. */
static int
apply(struct import_state *s, const struct import_row *row,
    unsigned long line, char **err)
{
	struct existing e = { 0, 0, NULL, NULL, NULL, NULL };
	int64_t *ids = xcalloc(row->ntopics + 1, sizeof *ids);
	unsigned long first;
	char *why = NULL;
	int rc = 0;

	if ((first = import_seen_add(s->seen, row->email, line)) != 0)
		why = xasprintf("%s is already on line %lu", row->email, first);
	else
		row_topics(s, row, ids, &why);
	if (why) {
		report(s, line, why);
		free(why);
		rc = 1;
	} else if (store_subscriber_by_email(s->ctx->st, row->email,
	    copy_existing, &e, err) == -1)
		rc = -1;
	else if (s->bad && !s->skip)
		;	/* nothing will be kept: only check the rest */
	else if (e.found)
		rc = update(s, &e, row, ids, err);
	else
		rc = add(s, row, ids, err);
	existing_free(&e);
	free(ids);
	return rc;
}

static int
each_row(struct import_state *s, struct csv_reader *r, char **err)
{
	struct import_header h;
	struct import_row row;
	struct csv_record *rec;
	char *why = NULL;
	int rc;

	if ((rc = csv_reader_next(r, &rec, err)) != 1) {
		if (rc == 0)
			*err = xstrdup("line 1: the file is empty (expected "
			    "a header: email,name,topics,status,frequency)");
		return -1;
	}
	if (import_header(rec, &h, &why) == -1) {
		*err = xasprintf("line %lu: %s", rec->line, why);
		free(why);
		return -1;
	}
	while ((rc = csv_reader_next(r, &rec, err)) == 1) {
		if (import_row_parse(&h, rec, &row, &why) == -1) {
			report(s, rec->line, why);
			free(why);
			continue;
		}
		rc = apply(s, &row, rec->line, err);
		import_row_free(&row);
		if (rc == -1)
			return -2;
	}
	return rc;
}

static void
summary(const struct import_state *s)
{
	printf("%s%lu added, %lu updated, %lu unchanged, %lu skipped\n",
	    s->dry ? "dry run, nothing written: " : "", s->added, s->updated,
	    s->unchanged, s->bad);
}

/* Parse, check and apply the file inside the open transaction. */
static int
run(struct import_state *s, FILE *fp)
{
	struct csv_reader *r = csv_reader_new(fp, 1);
	char *err = NULL;
	int rc;

	rc = each_row(s, r, &err);
	csv_reader_free(r);
	if (rc == -2)
		return gz_fail_err(EX_IOERR, err);
	if (rc == -1) {
		fprintf(stderr, "%s:%s\n", s->fname, err + strlen("line "));
		free(err);
		return gz_fail(EX_DATAERR, "%s: nothing imported", s->fname);
	}
	if (s->bad && !s->skip)
		return gz_fail(EX_DATAERR, "%s: %lu invalid row%s, nothing "
		    "imported (--skip-invalid imports the others)", s->fname,
		    s->bad, s->bad == 1 ? "" : "s");
	summary(s);
	return EX_OK;
}

static int
parse_import(int argc, char **argv, struct import_state *s)
{
	static const struct option opts[] = {
		{ "skip-invalid", no_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = cmd_getopt(&cmd_subscriber_import_entry, argc, argv, "sn",
	    opts)) != -1) {
		switch (c) {
		case 's': s->skip = 1; break;
		case 'n': s->dry = 1; break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_subscriber_import_entry, "expected one "
		    "FILE (or - for standard input)");
	return EX_OK;
}

static int
import_from(struct import_state *s, FILE *fp)
{
	char *err = NULL;
	int rc;

	if (store_topic_each(s->ctx->st, add_topic, &s->topics, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if ((rc = cmd_begin(s->ctx)) != EX_OK)
		return rc;
	s->seen = import_seen_new();
	rc = run(s, fp);
	import_seen_free(s->seen);
	/* A dry run ends like a failed import: rolled back. */
	if (s->dry && rc == EX_OK) {
		cmd_end(s->ctx, EX_DATAERR);
		return EX_OK;
	}
	return cmd_end(s->ctx, rc);
}

static int
cmd_subscriber_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct import_state s;
	const char *path;
	FILE *fp;
	int rc;

	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	if ((rc = parse_import(argc, argv, &s)) != EX_OK)
		return rc;
	path = argv[optind];
	s.fname = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL)
		return gz_fail(EX_NOINPUT, "cannot open %s: %m", path);
	rc = import_from(&s, fp);
	if (fp != stdin)
		fclose(fp);
	topic_map_free(&s.topics);
	return rc;
}

/* ------------------------------------------------------------- export */

struct export_out {
	FILE	*fp;
	int	 failed;
};

static int
export_row(const struct subscriber_row *r, void *ctx)
{
	struct export_out *o = ctx;
	char *topics = xstrdup(r->topics ? r->topics : ""), *p;
	const char *f[IMPORT_NCOLS];

	for (p = topics; *p; p++)
		if (*p == ',')
			*p = ';';
	f[IMPORT_EMAIL] = r->email;
	f[IMPORT_NAME] = r->name;
	f[IMPORT_TOPICS] = topics;
	f[IMPORT_STATUS] = r->status;
	f[IMPORT_FREQUENCY] = r->frequency;
	o->failed = csv_write_record(o->fp, f, IMPORT_NCOLS, 0) == -1;
	free(topics);
	return o->failed;
}

static int
export_to(struct cmd_ctx *ctx, FILE *fp)
{
	struct subscriber_filter all = { NULL, 0, NULL };
	struct export_out o = { fp, 0 };
	char *err = NULL;

	if (csv_write_record(fp, import_columns, IMPORT_NCOLS, 0) == -1)
		return gz_fail(EX_IOERR, "cannot write the output: %m");
	if (store_subscriber_select(ctx->st, &all, export_row, &o, &err) == -1)
		return gz_fail_err(EX_IOERR, err);
	if (o.failed || fflush(fp) == EOF || ferror(fp))
		return gz_fail(EX_IOERR, "cannot write the output: %m");
	return EX_OK;
}

static int
cmd_subscriber_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = "-";
	FILE *fp = stdout;
	int c, rc;

	while ((c = cmd_getopt(&cmd_subscriber_export_entry, argc, argv, "o:",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		path = optarg;
	}
	if (optind < argc)
		return cmd_usage(&cmd_subscriber_export_entry, "takes no "
		    "arguments");
	if (strcmp(path, "-") != 0 && (fp = fopen(path, "w")) == NULL)
		return gz_fail(EX_CANTCREAT, "cannot create %s: %m", path);
	rc = export_to(ctx, fp);
	if (fp != stdout && fclose(fp) == EOF && rc == EX_OK)
		rc = gz_fail(EX_IOERR, "cannot write %s: %m", path);
	return rc;
}
