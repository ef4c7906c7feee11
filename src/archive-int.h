/*
 * archive-int.h - what archive.c and archive-model.c share: the archive's
 * content, read from the store, before any template sees it.
 */
#ifndef GZ_ARCHIVE_INT_H
#define GZ_ARCHIVE_INT_H

#include <stddef.h>
#include <stdint.h>

struct digest;
struct store;

/* One week's issue: the union of the digests sent that week. */
struct archive_issue {
	char	*path;		/* archive_issue_path() */
	int64_t	 monday;	/* 00:00 UTC on the Monday of that week */
	struct digest *d;	/* topics by slug, entries newest first */
};

/* One content sent: what every digest with that path showed. */
struct archive_sent {
	char	*path;		/* archive_digest_path() */
	int64_t	 monday;	/* of the week it was made in */
	int64_t	 first;		/* when its first digest was made */
	struct digest *d;	/* topics and entries in the digest's order */
};

struct archive_data {
	struct digest *topics;	/* every topic, each with all its entries */
	struct archive_issue *issues;	/* newest week first */
	size_t	 nissues;
	struct archive_sent *sent;	/* oldest first */
	size_t	 nsent;
};

/* Read every topic's entries and every sent digest.  0 or -1 with *err. */
int	 archive_load(struct store *st, struct archive_data *a, char **err);
void	 archive_data_free(struct archive_data *a);

#endif
