/*
 * maildir-read.c - reading a local Maildir and moving handled mail out of
 * it (gazette bounces).  A message is moved by one rename into another
 * Maildir, never copied and deleted, so it is never lost or doubled.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "maildir.h"
#include "xmalloc.h"

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir/sub (no dotfiles), sorted.  NULL-terminated; *n set. */
static char **
list_sub(const char *dir, const char *sub, size_t *n, char **err)
{
	char *path = xasprintf("%s/%s", dir, sub), **v = NULL;
	struct dirent *de;
	DIR *d;

	*n = 0;
	if ((d = opendir(path)) == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		v = xreallocarray(v, *n + 2, sizeof *v);
		v[(*n)++] = xasprintf("%s/%s", sub, de->d_name);
	}
	closedir(d);
	free(path);
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	v[*n] = NULL;
	qsort(v, *n, sizeof *v, by_name);
	return v;
}

static void
free_list(char **v)
{
	char **p;

	for (p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

/* Read one message and hand it to fn; an unreadable file is skipped. */
static int
read_one(const char *dir, const char *name, size_t max_size, maildir_fn fn,
    void *ctx)
{
	char *path = xasprintf("%s/%s", dir, name), *msg, *ferr = NULL;
	size_t len;
	int rc;

	msg = file_read(path, max_size, &len, &ferr);
	free(path);
	if (msg == NULL) {
		/* Too big or gone: the caller hears of it as an empty one. */
		free(ferr);
		return fn(name, "", 0, ctx);
	}
	rc = fn(name, msg, len, ctx);
	free(msg);
	return rc;
}

int
maildir_each(const char *dir, size_t max_size, maildir_fn fn, void *ctx,
    char **err)
{
	static const char *const subs[] = { "new", "cur" };
	char **names;
	size_t i, j, n;
	int rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		if ((names = list_sub(dir, subs[i], &n, err)) == NULL)
			return -1;
		for (j = 0; j < n && rc == 0; j++)
			rc = read_one(dir, names[j], max_size, fn, ctx);
		free_list(names);
	}
	return rc;
}

int
maildir_move(const char *dir, const char *name, const char *done,
    char **err)
{
	const char *base = strrchr(name, '/');
	char *from, *to;
	int rc = 0;

	if (maildir_make(done, err) == -1)
		return -1;
	from = xasprintf("%s/%s", dir, name);
	/* A message from new/ has been seen now: it goes to cur/. */
	to = xasprintf("%s/cur/%s%s", done, base ? base + 1 : name,
	    strchr(base ? base : name, ':') ? "" : ":2,S");
	if (rename(from, to) == -1) {
		*err = xasprintf("moving %s to %s: %s", from, to,
		    strerror(errno));
		rc = -1;
	}
	free(from);
	free(to);
	return rc;
}
