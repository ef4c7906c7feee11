/*
 * fileio.c - whole-file reads with a cap and atomic writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "xmalloc.h"

char *
file_read(const char *path, size_t max, size_t *len, char **err)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	struct buf b;
	ssize_t n;

	if (fd == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	buf_append(&b, "", 0);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || buf_append(&b, chunk, (size_t)n) == -1) {
			*err = n == -1 ? xasprintf("%s: %s", path,
			    strerror(errno)) : xasprintf("%s: larger than %zu "
			    "bytes", path, max);
			buf_free(&b);
			if (fd != 0)
				close(fd);
			return NULL;
		}
	}
	if (fd != 0)
		close(fd);
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
file_write_atomic(const char *path, const char *data, size_t len, char **err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd, saved;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		goto fail;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	*err = xasprintf("%s: %s", path, strerror(errno));
	free(tmp);
	return -1;
}
