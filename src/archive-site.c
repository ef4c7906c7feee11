/*
 * archive-site.c - writes the archive's pages into a folder: identical
 * files are left alone (their mtimes too), changed ones are replaced
 * atomically, and pages that no longer exist are removed.
 *
 * It must never delete a file it did not write: only paths named in its
 * own manifest, and only plain relative ones, are ever unlinked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "buf.h"
#include "fileio.h"
#include "xmalloc.h"

#define MANIFEST_MAX	((size_t)64 << 20)

void
archive_site_add(struct archive_site *site, char *path, char *data)
{
	struct archive_page *p;

	site->pages = xreallocarray(site->pages, site->npages + 1,
	    sizeof *site->pages);
	p = &site->pages[site->npages++];
	p->path = path;
	p->data = data;
	p->len = strlen(data);
}

void
archive_site_free(struct archive_site *site)
{
	size_t i;

	for (i = 0; i < site->npages; i++) {
		free(site->pages[i].path);
		free(site->pages[i].data);
	}
	free(site->pages);
	memset(site, 0, sizeof *site);
}

/* A path the manifest may name: relative, plain characters, no "..". */
static int
safe_path(const char *p)
{
	if (*p == '\0' || *p == '/' || *p == '.' || strstr(p, "..") ||
	    strstr(p, "//"))
		return 0;
	return p[strspn(p, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./")] == '\0';
}

/* mkdir -p for path's folders (path itself is a file when file is set). */
static int
make_dirs(const char *path, int file, char **err)
{
	char *p = xstrdup(path), *s = p;
	struct stat sb;
	int rc = 0, last;

	do {
		s += strspn(s, "/");
		s += strcspn(s, "/");
		if ((last = *s == '\0') && file)
			break;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			*err = xasprintf("%s: %s", p, strerror(errno));
			rc = -1;
		} else if (stat(p, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
			*err = xasprintf("%s: not a folder", p);
			rc = -1;
		}
		if (!last)
			*s = '/';
	} while (rc == 0 && !last);
	free(p);
	return rc;
}

/* Whether path already holds exactly data. */
static int
same_content(const char *path, const char *data, size_t len)
{
	struct stat sb;
	char *old, *err = NULL;
	size_t olen;
	int same;

	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size != len)
		return 0;
	if ((old = file_read(path, len + 1, &olen, &err)) == NULL) {
		free(err);
		return 0;
	}
	same = olen == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

static int
write_page(const char *dir, const char *rel, const char *data, size_t len,
    struct archive_stats *stats, char **err)
{
	char *path = xasprintf("%s/%s", dir, rel);
	int rc = 0;

	if (same_content(path, data, len))
		stats->unchanged++;
	else if ((rc = make_dirs(path, 1, err)) == 0 &&
	    (rc = file_write_atomic(path, data, len, err)) == 0)
		stats->written++;
	free(path);
	return rc;
}

static int
in_site(const struct archive_site *site, const char *rel)
{
	size_t i;

	for (i = 0; i < site->npages; i++)
		if (strcmp(site->pages[i].path, rel) == 0)
			return 1;
	return 0;
}

/* Remove rel's folders under dir that became empty (rmdir keeps others). */
static void
remove_empty_dirs(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel), *slash;
	size_t base = strlen(dir);

	while ((slash = strrchr(p, '/')) != NULL && (size_t)(slash - p) > base) {
		*slash = '\0';
		if (rmdir(p) == -1)
			break;
	}
	free(p);
}

/* Unlink what the old manifest names and site no longer holds. */
static int
remove_stale(const char *dir, const struct archive_site *site,
    struct archive_stats *stats, char **err)
{
	char *mpath = xasprintf("%s/%s", dir, ARCHIVE_MANIFEST), *list, *line;
	char *next, *path, *e = NULL;
	int rc = 0;

	list = file_read(mpath, MANIFEST_MAX, NULL, &e);
	free(mpath);
	if (list == NULL) {
		free(e);	/* no manifest yet: nothing of ours to remove */
		return 0;
	}
	for (line = list; rc == 0 && line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (!safe_path(line) || in_site(site, line))
			continue;
		path = xasprintf("%s/%s", dir, line);
		if (unlink(path) == 0) {
			stats->removed++;
			remove_empty_dirs(dir, line);
		} else if (errno != ENOENT) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			rc = -1;
		}
		free(path);
	}
	free(list);
	return rc;
}

static int
write_manifest(const char *dir, const struct archive_site *site, char **err)
{
	struct buf b;
	char *path = xasprintf("%s/%s", dir, ARCHIVE_MANIFEST);
	size_t i;
	int rc = 0;

	buf_init(&b, 0);
	for (i = 0; i < site->npages; i++) {
		buf_puts(&b, site->pages[i].path);
		buf_putc(&b, '\n');
	}
	if (!same_content(path, b.data ? b.data : "", b.len))
		rc = file_write_atomic(path, b.data ? b.data : "", b.len, err);
	buf_free(&b);
	free(path);
	return rc;
}

int
archive_write(const char *dir, const struct archive_site *site,
    struct archive_stats *stats, char **err)
{
	size_t i;

	memset(stats, 0, sizeof *stats);
	if (make_dirs(dir, 0, err) == -1)
		return -1;
	if (access(dir, W_OK | X_OK) == -1) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < site->npages; i++)
		if (write_page(dir, site->pages[i].path, site->pages[i].data,
		    site->pages[i].len, stats, err) == -1)
			return -1;
	if (remove_stale(dir, site, stats, err) == -1)
		return -1;
	return write_manifest(dir, site, err);
}
