/*
 * cmd-template.c - gazette template check: compile a template folder and
 * report every syntax error, so an edited template is caught before the
 * weekly run, not during it.
 *
 * Findings are the command's output: one "FILE:LINE:COL: message" (or
 * "FILE: reason") line each on stdout, the form editors and CI annotators
 * parse; the summary goes through the error sink.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "log.h"
#include "render.h"
#include "template.h"
#include "xmalloc.h"

static int	cmd_template_check(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_template_check_entry = {
	"template", "check", "DIR",
	"Compile the templates and partials in DIR; report errors as "
	"FILE:LINE:COL.",
	NULL, 0, cmd_template_check
};

struct check {
	const char *dir;
	int	 nfiles;
	int	 errors;
	int	 missing;
};

static void
check_file(struct check *c, const char *file, int required)
{
	char *path = xasprintf("%s/%s", c->dir, file), *err = NULL;
	struct stat sb;
	struct tmpl *t;

	if (required && stat(path, &sb) == -1 && errno == ENOENT) {
		printf("%s: missing (every template folder needs it)\n",
		    path);
		c->missing++;
		free(path);
		return;
	}
	free(path);
	c->nfiles++;
	if ((t = render_template_load(c->dir, file, &err)) == NULL) {
		printf("%s\n", err);
		free(err);
		c->errors++;
	}
	tmpl_free(t);
}

static int
is_partial(const char *name)
{
	size_t n = strlen(name), ext = strlen(".mustache");

	return n > ext && strcmp(name + n - ext, ".mustache") == 0;
}

/* Partials in name order, so the report reads the same on every run. */
static int
check_partials(struct check *c)
{
	struct dirent **names;
	int n, i;

	if ((n = scandir(c->dir, &names, NULL, alphasort)) == -1)
		return gz_fail(EX_NOINPUT, "%s: %s", c->dir, strerror(errno));
	for (i = 0; i < n; i++) {
		if (is_partial(names[i]->d_name))
			check_file(c, names[i]->d_name, 0);
		free(names[i]);
	}
	free(names);
	return EX_OK;
}

static int
cmd_template_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct check c = { NULL, 0, 0, 0 };
	int i, rc;

	(void)ctx;
	if (argc != 2)
		return cmd_usage(&cmd_template_check_entry,
		    "expected one DIR");
	c.dir = argv[1];
	for (i = 0; render_template_files[i] != NULL; i++)
		check_file(&c, render_template_files[i], 1);
	if ((rc = check_partials(&c)) != EX_OK)
		return rc;
	fflush(stdout);
	if (c.missing)
		return gz_fail(EX_NOINPUT, "%s: %d template(s) missing, %d "
		    "with errors", c.dir, c.missing, c.errors);
	if (c.errors)
		return gz_fail(EX_DATAERR, "%s: %d template(s) with errors",
		    c.dir, c.errors);
	gz_info("%s: %d template(s) compile", c.dir, c.nfiles);
	return EX_OK;
}
