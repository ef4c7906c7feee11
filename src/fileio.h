/*
 * fileio.h - reading whole files with a cap, writing them atomically.
 */
#ifndef GZ_FILEIO_H
#define GZ_FILEIO_H

#include <stddef.h>

/*
 * Read path (or stdin for "-") into a new NUL-terminated string of at most
 * max bytes.  NULL with *err ("PATH: reason") on failure.
 */
char	*file_read(const char *path, size_t max, size_t *len, char **err);
/*
 * Write data to path through a temporary file beside it, fsync, rename:
 * readers see the old file or the new one, never half of it.
 */
int	 file_write_atomic(const char *path, const char *data, size_t len,
	    char **err);

#endif
