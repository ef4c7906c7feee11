/*
 * maildir.h - delivery into a local Maildir (demo and tests).
 */
#ifndef GZ_MAILDIR_H
#define GZ_MAILDIR_H

#include <stddef.h>

/*
 * Write msg into dir/new through dir/tmp (write, fsync, rename), creating
 * dir, tmp, new and cur as needed.  Returns 0, or -1 with *err set.
 */
int	 maildir_deliver(const char *dir, const char *msg, size_t len,
	    char **err);

#endif
