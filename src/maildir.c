/*
 * maildir.c - delivery into a local Maildir (demo and tests).
 *
 * A message becomes visible in new/ by one rename from tmp/, after its
 * bytes and then the directory entry are on disk, so a reader never sees
 * half a message and a crash never loses a delivered one.  It must never
 * leave a partial file in new/, print or exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "maildir.h"
#include "xmalloc.h"

/* mkdir -p: each missing component is created with mode 0700. */
static int
make_dirs(const char *dir, char **err)
{
	char *path = xstrdup(dir), *p, c;
	int rc = 0;

	for (p = path + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*err = xasprintf("mkdir %s: %s", path, strerror(errno));
			rc = -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(path);
	return rc;
}

int
maildir_make(const char *dir, char **err)
{
	static const char *subs[] = { "tmp", "new", "cur" };
	struct stat st;
	char *path;
	size_t i;
	int rc = 0;

	if (make_dirs(dir, err) == -1)
		return -1;
	for (i = 0; i < 3 && rc == 0; i++) {
		path = xasprintf("%s/%s", dir, subs[i]);
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*err = xasprintf("mkdir %s: %s", path, strerror(errno));
			rc = -1;
		} else if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode)) {
			*err = xasprintf("%s is not a directory", path);
			rc = -1;
		}
		free(path);
	}
	return rc;
}

/* "time.MusecPpid_Rrandom.host", unique per the Maildir convention. */
static char *
unique_name(void)
{
	char host[HOST_NAME_MAX + 1], *p;
	struct timeval tv;
	uint64_t r = 0;

	if (gethostname(host, sizeof host) == -1)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	/* "/" and ":" would break the path or the info suffix. */
	for (p = host; *p != '\0'; p++)
		if (*p == '/' || *p == ':')
			*p = '_';
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r ^= (uint64_t)(uintptr_t)&r;
	gettimeofday(&tv, NULL);
	/* Microseconds padded, so names sort in delivery order. */
	return xasprintf("%lld.M%06ldP%ld_R%016llx.%s", (long long)tv.tv_sec,
	    (long)tv.tv_usec, (long)getpid(), (unsigned long long)r, host);
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_dir(const char *dir, char **err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 || fsync(fd) == -1) {
		*err = xasprintf("fsync %s: %s", dir, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Write and fsync tmp; -1 with *err, and tmp removed, on failure. */
static int
write_tmp(const char *tmp, const char *msg, size_t len, char **err)
{
	int fd, saved;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		*err = xasprintf("create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, msg, len) == -1 || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		*err = xasprintf("write %s: %s", tmp, strerror(saved));
		return -1;
	}
	if (close(fd) == -1) {
		saved = errno;
		unlink(tmp);
		*err = xasprintf("close %s: %s", tmp, strerror(saved));
		return -1;
	}
	return 0;
}

int
maildir_deliver(const char *dir, const char *msg, size_t len, char **err)
{
	char *name, *tmp, *new, *newdir;
	int rc = -1;

	if (dir == NULL || *dir == '\0') {
		*err = xstrdup("no maildir given");
		return -1;
	}
	if (maildir_make(dir, err) == -1)
		return -1;
	name = unique_name();
	tmp = xasprintf("%s/tmp/%s", dir, name);
	new = xasprintf("%s/new/%s", dir, name);
	newdir = xasprintf("%s/new", dir);
	if (write_tmp(tmp, msg, len, err) == -1)
		goto out;
	/* The name holds time, pid and 64 random bits: no file is replaced. */
	if (rename(tmp, new) == -1) {
		*err = xasprintf("rename %s: %s", new, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = sync_dir(newdir, err);
out:
	free(name);
	free(tmp);
	free(new);
	free(newdir);
	return rc;
}
