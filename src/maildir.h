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

/* Create dir with its tmp, new and cur as needed.  0 or -1 with *err. */
int	 maildir_make(const char *dir, char **err);

/*
 * Reading (gazette bounces): call fn for each message in dir/new and
 * dir/cur, in name order; fn returns 0 to go on, -1 to stop (maildir_each
 * then returns -1, *err as fn left it).  name is "new/..." or "cur/...".
 */
typedef int (*maildir_fn)(const char *name, const char *msg, size_t len,
    void *ctx);
int	 maildir_each(const char *dir, size_t max_size, maildir_fn fn,
	    void *ctx, char **err);
/* Move dir/name into the Maildir done/cur, keeping its name.  0 or -1. */
int	 maildir_move(const char *dir, const char *name, const char *done,
	    char **err);

#endif
