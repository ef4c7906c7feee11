/*
 * cmd-rows.c - the rows that list and show commands print for --json and
 * --csv, filled once per row, cell by cell, in the order of the columns.
 *
 * One way to get every table out: a command names its columns and sets
 * each row's cells; this file turns them into a JSON array (or object)
 * or into CSV with a header row, streamed as the rows come, or, for a
 * terminal, into a table whose columns are as wide as their widest cell
 * (kept until the last row, so only for a person's screen).  Prints only
 * on the command's behalf, on stdout.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "date.h"
#include "html.h"
#include "json-out.h"
#include "log.h"
#include "xmalloc.h"

struct cmd_rows {
	enum cmd_format format;
	const char *const *cols;
	size_t	 ncols;
	size_t	 i;		/* the next cell */
	char	**cells;	/* CSV: this row's text */
	struct json_out *all;	/* JSON: the array, NULL for one object */
	struct json_out *row;	/* JSON: this row's object */
	int	 one, failed;
	char	**table;	/* a table: every row's cells, row by row */
	size_t	 nrows, cap;	/* rows kept, and room for as many */
	size_t	*width;		/* a table: each column's widest cell */
	unsigned char *number;	/* a table: the column holds numbers */
};

enum cmd_format
cmd_format_for_tty(enum cmd_format f)
{
	return f == CMD_TEXT && isatty(STDOUT_FILENO) ? CMD_TABLE : f;
}

/* Columns on screen: html.c's count, wide (CJK) characters two. */
static size_t
text_width(const char *s)
{
	return text_columns(s, strlen(s));
}

struct cmd_rows *
cmd_rows_new(enum cmd_format format, const char *const *cols, int one)
{
	struct cmd_rows *r = xcalloc(1, sizeof *r);

	r->format = format;
	r->cols = cols;
	while (cols[r->ncols])
		r->ncols++;
	r->one = one;
	r->cells = xcalloc(r->ncols, sizeof *r->cells);
	if (format == CMD_TABLE) {
		r->width = xcalloc(r->ncols, sizeof *r->width);
		r->number = xcalloc(r->ncols, 1);
		while (r->i < r->ncols) {
			r->width[r->i] = text_width(cols[r->i]);
			r->i++;
		}
		r->i = 0;
	} else if (format == CMD_CSV)
		r->failed = csv_write_record(stdout, cols, r->ncols, 0) == -1;
	else if (!one)
		r->all = json_out_array();
	return r;
}

static const char *
next_key(struct cmd_rows *r)
{
	if (r->format == CMD_JSON && r->row == NULL)
		r->row = json_out_object();
	if (r->i >= r->ncols)
		abort();	/* more cells than columns: a bug */
	return r->cols[r->i];
}

static void
set_cell(struct cmd_rows *r, char *text)
{
	free(r->cells[r->i]);
	r->cells[r->i++] = text;
}

void
cmd_rows_str(struct cmd_rows *r, const char *v)
{
	const char *key = next_key(r);

	if (r->format == CMD_JSON) {
		json_out_str(r->row, key, v);
		r->i++;
	} else
		set_cell(r, v ? xstrdup(v) : NULL);
}

void
cmd_rows_int(struct cmd_rows *r, int64_t v)
{
	const char *key = next_key(r);

	if (r->format == CMD_JSON) {
		json_out_int(r->row, key, v);
		r->i++;
		return;
	}
	if (r->format == CMD_TABLE)
		r->number[r->i] = 1;
	set_cell(r, xasprintf("%lld", (long long)v));
}

void
cmd_rows_time(struct cmd_rows *r, int64_t t)
{
	const char *key = next_key(r);
	char out[32];

	if (r->format == CMD_JSON) {
		json_out_time(r->row, key, t);
		r->i++;
		return;
	}
	if (t == 0) {
		set_cell(r, NULL);
		return;
	}
	date_rfc3339(t, out);
	if (r->format == CMD_TABLE) {
		/* 2026-12-04T17:46:00Z -> 2026-12-04 17:46 UTC */
		out[10] = ' ';
		memcpy(out + 16, " UTC", 5);
	}
	set_cell(r, xstrdup(out));
}

void
cmd_rows_list(struct cmd_rows *r, const char *csv)
{
	const char *key = next_key(r);
	char *s, *p;

	if (r->format == CMD_JSON) {
		json_out_csv(r->row, key, csv);
		r->i++;
		return;
	}
	/* ';' as subscriber import reads topics, and no quoting needed. */
	s = xstrdup(csv ? csv : "");
	for (p = s; *p; p++)
		if (*p == ',')
			*p = ';';
	set_cell(r, s);
}

void
cmd_rows_put(struct cmd_rows *r, const char *key, struct json_out *child)
{
	if (r->format == CMD_JSON && r->row)
		json_out_put(r->row, key, child);
	else
		json_out_free(child);
}

/* A table keeps the row's cells ("-" for none) and widens its columns. */
static void
table_keep_row(struct cmd_rows *r)
{
	size_t i, w;
	char *c;

	if (r->nrows == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->table = xreallocarray(r->table, r->cap * r->ncols,
		    sizeof *r->table);
	}
	for (i = 0; i < r->ncols; i++) {
		c = r->cells[i] && *r->cells[i] ? r->cells[i] : xstrdup("-");
		if (c != r->cells[i])
			free(r->cells[i]);
		r->cells[i] = NULL;
		if ((w = text_width(c)) > r->width[i])
			r->width[i] = w;
		r->table[r->nrows * r->ncols + i] = c;
	}
	r->nrows++;
}

/* Pad s to width w, on the left for numbers; no trailing blanks. */
static void
table_cell(const struct cmd_rows *r, size_t col, const char *s)
{
	size_t pad = r->width[col] - text_width(s);
	int last = col + 1 == r->ncols;

	if (r->number[col])
		printf("%*s%s", (int)pad, "", s);
	else
		printf("%s%*s", s, last ? 0 : (int)pad, "");
	fputs(last ? "\n" : "  ", stdout);
}

/* The heading row (column names in capitals, '_' as a space), then the
 * rows kept. */
static void
table_print(const struct cmd_rows *r)
{
	size_t i, j;
	char *h;

	for (i = 0; i < r->ncols; i++) {
		h = xstrdup(r->cols[i]);
		for (j = 0; h[j]; j++)
			h[j] = h[j] == '_' ? ' ' : (char)toupper((unsigned char)h[j]);
		table_cell(r, i, h);
		free(h);
	}
	for (j = 0; j < r->nrows; j++)
		for (i = 0; i < r->ncols; i++)
			table_cell(r, i, r->table[j * r->ncols + i]);
}

void
cmd_rows_end_row(struct cmd_rows *r)
{
	size_t i;

	if (r->format == CMD_TABLE)
		table_keep_row(r);
	if (r->format == CMD_CSV && !r->failed)
		r->failed = csv_write_record(stdout, (const char *const *)
		    r->cells, r->ncols, 0) == -1;
	for (i = 0; i < r->ncols; i++) {
		free(r->cells[i]);
		r->cells[i] = NULL;
	}
	r->i = 0;
	if (r->format == CMD_JSON && r->all) {
		json_out_put(r->all, NULL, r->row);
		r->row = NULL;
	}
}

int
cmd_rows_done(struct cmd_rows *r)
{
	struct json_out *j = r->one ? r->row : r->all;
	int rc = EX_OK;

	if (r->format == CMD_JSON && j)
		rc = cmd_print_json(j);
	else if (r->format == CMD_JSON)
		json_out_free(r->all);
	if (r->format == CMD_TABLE)
		table_print(r);
	if (r->format != CMD_JSON && (r->failed || fflush(stdout) == EOF))
		rc = gz_fail(EX_IOERR, "cannot write the output");
	cmd_rows_free(r);
	return rc;
}

void
cmd_rows_free(struct cmd_rows *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncols; i++)
		free(r->cells[i]);
	for (i = 0; i < r->nrows * r->ncols; i++)
		free(r->table[i]);
	free(r->table);
	free(r->width);
	free(r->number);
	free(r->cells);
	free(r);
}

int
cmd_format_opt(const struct cmd_entry *e, int c, enum cmd_format *f)
{
	enum cmd_format want = c == 'j' ? CMD_JSON : CMD_CSV;

	if (*f != CMD_TEXT && *f != want)
		return cmd_usage(e, "--json and --csv exclude each other");
	*f = want;
	return EX_OK;
}

int
cmd_format_flag(const struct cmd_entry *e, int argc, char **argv)
{
	static const struct option opts[] = {
		CMD_FORMAT_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	enum cmd_format f = CMD_TEXT;
	int c;

	while ((c = cmd_getopt(e, argc, argv, "j", opts)) != -1)
		if (c == '?' || cmd_format_opt(e, c, &f) != EX_OK)
			return -1;
	return (int)f;
}
