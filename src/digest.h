/*
 * digest.h - one subscriber's digest: topics, each with its entries.
 *
 * The composer builds it from the store; the renderer turns it into a
 * message.  Every string is owned by the struct; digest_free releases all.
 */
#ifndef GZ_DIGEST_H
#define GZ_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct digest_entry {
	int64_t	 item_id;
	char	*title;
	char	*link;
	char	*source;	/* the feed's title */
	char	*summary_html;
	char	*content_html;
	int64_t	 date;		/* published, else updated, else first seen */
};

/*
 * A topic may have no entries and no "more": every entry it had was shown
 * under an earlier topic of the digest.  It is kept for its advanced mark
 * and renders as no section.
 */
struct digest_topic {
	int64_t	 topic_id;
	char	*slug;
	char	*name;
	int64_t	 new_mark;	/* largest item id considered */
	size_t	 more;		/* entries left out by the per-topic cap */
	struct digest_entry *entries;
	size_t	 nentries;
	int64_t	 note_id;	/* the topic's editor's note, 0: none */
	char	*note_md;	/* its Markdown */
	int64_t	 section_id;	/* queued: its stored entries, 0: none */
	char	*strings;	/* NULL, or the block all its entries'
				   strings are in (digest_copy_entries) */
};

struct digest {
	int64_t	 id;		/* outbox row, 0 while not queued */
	int64_t	 subscriber_id;
	char	*email;
	char	*name;		/* may be NULL */
	char	*token;		/* the subscriber's unsubscribe token */
	char	*message_id;	/* set when queued */
	int64_t	 created;
	struct digest_topic *topics;
	size_t	 ntopics;
	int64_t	 note_id;	/* the run's editor's note, 0: none */
	char	*note_md;	/* its Markdown */
};

struct digest *digest_new(void);
struct digest_topic *digest_add_topic(struct digest *d, int64_t id,
	    const char *slug, const char *name);
struct digest_entry *digest_add_entry(struct digest_topic *t);
/*
 * t, which has no entries, gets a copy of the n entries at from, their
 * strings in one block (a digest loaded for a send copies each of its
 * sections whole).  No entry is added to t afterwards.
 */
void	 digest_copy_entries(struct digest_topic *t,
	    const struct digest_entry *from, size_t n);
/* Free e's strings; e is left empty. */
void	 digest_entry_clear(struct digest_entry *e);
/* Entries over all topics. */
size_t	 digest_count(const struct digest *d);
void	 digest_free(struct digest *d);

#endif
