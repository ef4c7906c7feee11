/*
 * store.h - the SQLite store: the only module that includes sqlite3.h.
 *
 * One database file in WAL mode with foreign keys on and a busy timeout;
 * the schema is created and upgraded by numbered migrations (PRAGMA
 * user_version).  Every function hands errors back in *err (caller frees)
 * and never prints.  Rows come out in our own structs or through callbacks;
 * strings passed to callbacks are only valid during the call.
 */
#ifndef GZ_STORE_H
#define GZ_STORE_H

#include <stddef.h>
#include <stdint.h>

struct feed;
struct digest;
struct loaded_sections;
struct store;

/* Return codes besides 0 / -1 for lookups and inserts. */
#define STORE_NOTFOUND	1
#define STORE_EXISTS	2

struct store *store_open(const char *path, char **err);
void	 store_close(struct store *st);
/* The schema version this gazette writes. */
int	 store_schema_version(void);

int	 store_begin(struct store *st, char **err);
int	 store_commit(struct store *st, char **err);
void	 store_rollback(struct store *st);

/* ---------------------------------------------------------------- topics */
struct topic_row {
	int64_t	 id;
	const char *slug;
	const char *name;
	int64_t	 nfeeds;
	int64_t	 nsubscribers;
};
typedef int (*store_topic_fn)(const struct topic_row *t, void *ctx);

/* 0, STORE_EXISTS, or -1. */
int	 store_topic_add(struct store *st, const char *slug, const char *name,
	    char **err);
/* 0 with *id, STORE_NOTFOUND, or -1. */
int	 store_topic_id(struct store *st, const char *slug, int64_t *id,
	    char **err);
int	 store_topic_each(struct store *st, store_topic_fn fn, void *ctx,
	    char **err);
/*
 * Rename slug to new_slug; set the name when name is not NULL (a name that
 * was just the old slug follows the slug).  0, STORE_NOTFOUND, STORE_EXISTS
 * (new_slug is taken), or -1.
 */
int	 store_topic_rename(struct store *st, const char *slug,
	    const char *new_slug, const char *name, char **err);
/* Feeds in the topic and its subscriptions (of any status). */
int	 store_topic_usage(struct store *st, int64_t topic_id, int64_t *nfeeds,
	    int64_t *nsubscriptions, char **err);
/* Remove a topic with its feed links and subscriptions (not the feeds). */
int	 store_topic_remove(struct store *st, int64_t topic_id, char **err);

/* ----------------------------------------------------------------- feeds */
struct feed_row {
	int64_t	 id;
	const char *url;
	const char *title;
	const char *site_link;
	const char *etag;
	const char *last_modified;
	const char *state;		/* active | paused | gone */
	const char *topics;		/* slugs, comma-separated */
	int64_t	 last_fetch;		/* 0 never */
	int	 last_status;		/* HTTP status, 0 none */
	const char *last_error;
	int	 consecutive_errors;
	int64_t	 nitems;
	int64_t	 last_new_item;		/* 0 never */
	int	 title_set;		/* the operator chose the title */
	int64_t	 next_fetch;		/* not before this time; 0 due */
};
typedef int (*store_feed_fn)(const struct feed_row *f, void *ctx);

/* Add url in the given topics.  0, STORE_EXISTS, or -1. */
int	 store_feed_add(struct store *st, const char *url,
	    const int64_t *topic_ids, size_t ntopics, int64_t now, char **err);
/* Every feed, or only active ones. */
int	 store_feed_each(struct store *st, int active_only, store_feed_fn fn,
	    void *ctx, char **err);
/* 0 with *id, STORE_NOTFOUND, or -1. */
int	 store_feed_id(struct store *st, const char *url, int64_t *id,
	    char **err);
/* Call fn for the one feed with this id (not at all when there is none). */
int	 store_feed_get(struct store *st, int64_t id, store_feed_fn fn,
	    void *ctx, char **err);
/* Remove a feed with its topic links and its items. */
int	 store_feed_remove(struct store *st, int64_t id, char **err);
/* active | paused | gone.  0, STORE_EXISTS (it already was), or -1. */
int	 store_feed_set_state(struct store *st, int64_t id, const char *state,
	    char **err);
/* A title collect keeps; NULL hands the title back to the feed. */
int	 store_feed_set_title(struct store *st, int64_t id, const char *title,
	    char **err);
/* The site link (an OPML htmlUrl) until a fetch brings the feed's own. */
int	 store_feed_set_site_link(struct store *st, int64_t id,
	    const char *link, char **err);
/* Add topics to a feed's, keeping the others; *added counts new links. */
int	 store_feed_add_topics(struct store *st, int64_t id,
	    const int64_t *topic_ids, size_t ntopics, int *added, char **err);
/* Replace the feed's topics. */
int	 store_feed_set_topics(struct store *st, int64_t id,
	    const int64_t *topic_ids, size_t ntopics, char **err);
/*
 * The feeds to fetch: every one, or only active ones, and of those only
 * the ones due at due_at (no next_fetch, or next_fetch <= due_at) unless
 * due_at is -1.  Only id, url, etag, last_modified and consecutive_errors
 * are set; the rest of the row is 0 and NULL.
 */
int	 store_feed_to_fetch(struct store *st, int active_only,
	    int64_t due_at, store_feed_fn fn, void *ctx, char **err);

/* What one fetch of a feed found out. */
struct fetch_outcome {
	int64_t	 when;
	int	 status;		/* HTTP status, 0 none */
	const char *error;		/* NULL on success */
	const char *warning;		/* read, but with a problem worth a look
					 * (ill-formed XML): kept as last_error,
					 * not counted as an error; or NULL */
	const char *etag;		/* new validators (success only) */
	const char *last_modified;
	const char *new_url;		/* after a permanent redirect, or NULL */
	const char *title;		/* feed title and site link, or NULL */
	const char *site_link;
	int64_t	 next_fetch;		/* not before this time; 0 due */
	const char *state;		/* new state ("gone"), or NULL: keep,
					 * but a success revives a gone feed */
};

/*
 * Record a fetch and store the feed's items, in one transaction: an item
 * seen before (same feed and key) is updated in place; a new one gets a new,
 * larger id.  *nnew counts new items.  parsed may be NULL (no items).
 */
int	 store_feed_update(struct store *st, int64_t feed_id,
	    const struct fetch_outcome *o, const struct feed *parsed,
	    int *nnew, char **err);

/*
 * Record that these feeds answered 304 (not modified) at when, all in one
 * statement: a transaction per feed cost more than the request itself.
 */
int	 store_feeds_unchanged(struct store *st, const int64_t *ids,
	    size_t n, int64_t when, char **err);

/* ------------------------------------------------------------ subscribers */
struct subscriber_row {
	int64_t	 id;
	const char *email;
	const char *name;
	const char *status;		/* pending|active|unsubscribed|bounced */
	const char *frequency;
	const char *topics;		/* slugs, comma-separated */
	const char *token;
	int64_t	 created;
	int64_t	 last_digest;
	int64_t	 bounces;		/* hard bounces in a row */
	int64_t	 soft_bounces;		/* soft bounces in a row */
};
typedef int (*store_subscriber_fn)(const struct subscriber_row *s, void *ctx);

/*
 * Add an active subscriber in the given topics.  Each subscription starts
 * at the items of the last period (frequency), not the whole history.
 * 0, STORE_EXISTS (same address, any case), or -1.
 */
int	 store_subscriber_add(struct store *st, const char *email,
	    const char *name, const char *frequency, const int64_t *topic_ids,
	    size_t ntopics, int64_t now, char **err);
/* 0 with *id, STORE_NOTFOUND, or -1. */
int	 store_subscriber_id(struct store *st, const char *email, int64_t *id,
	    char **err);
/* Every subscriber, or only active ones, in address order; their
 * topics are not read (topics is NULL). */
int	 store_subscriber_each(struct store *st, int active_only,
	    store_subscriber_fn fn, void *ctx, char **err);

/* Which subscribers store_subscriber_select returns; zero fields match all. */
struct subscriber_filter {
	const char *status;
	int64_t	 topic_id;		/* subscribed to this topic */
	const char *email;		/* this address, any case */
};
int	 store_subscriber_select(struct store *st,
	    const struct subscriber_filter *f, store_subscriber_fn fn,
	    void *ctx, char **err);
/* Change the fields that are not NULL; an empty name clears it. */
int	 store_subscriber_update(struct store *st, int64_t id, const char *name,
	    const char *frequency, const char *status, char **err);
/* Call fn with the subscriber of this address (any case), through the
 * address index.  0, STORE_NOTFOUND, or -1. */
int	 store_subscriber_by_email(struct store *st, const char *email,
	    store_subscriber_fn fn, void *ctx, char **err);
/* Delete the subscriber with its subscriptions and outbox rows. */
int	 store_subscriber_remove(struct store *st, int64_t id, char **err);

struct subscription_row {
	int64_t	 topic_id;
	const char *slug;
	const char *name;
	int64_t	 mark;			/* the largest item id considered */
	int64_t	 created;
};
typedef int (*store_subscription_fn)(const struct subscription_row *r,
    void *ctx);

/* A subscriber's subscriptions, by topic slug. */
int	 store_subscription_each(struct store *st, int64_t subscriber_id,
	    store_subscription_fn fn, void *ctx, char **err);
/* The same by topic id, without the topics' slugs and names (NULL). */
int	 store_subscription_marks(struct store *st, int64_t subscriber_id,
	    store_subscription_fn fn, void *ctx, char **err);
/*
 * Subscribe to one more topic, starting at the last period's entries like
 * store_subscriber_add.  0, STORE_EXISTS (already subscribed), or -1.
 */
int	 store_subscription_add(struct store *st, int64_t subscriber_id,
	    const char *frequency, int64_t topic_id, int64_t now, char **err);
/* 0, STORE_NOTFOUND (not subscribed), or -1. */
int	 store_subscription_remove(struct store *st, int64_t subscriber_id,
	    int64_t topic_id, char **err);

/* --------------------------------------------------------------- compose */
/* One unseen entry of one subscription, in topic order, newest first. */
struct unseen_row {
	int64_t	 topic_id;
	const char *topic_slug;
	const char *topic_name;
	int64_t	 item_id;
	const char *title;
	const char *link;
	const char *source;
	const char *summary_html;
	const char *content_html;
	int64_t	 date;
};
typedef int (*store_unseen_fn)(const struct unseen_row *r, void *ctx);

/* The entries of subscriber_id's topics above each subscription's mark. */
int	 store_unseen_each(struct store *st, int64_t subscriber_id,
	    store_unseen_fn fn, void *ctx, char **err);
/* Every entry of topic_id's feeds, newest first (preview --topic). */
int	 store_topic_entries_each(struct store *st, int64_t topic_id,
	    store_unseen_fn fn, void *ctx, char **err);
/* Fill d's email, name and token from the subscriber row. */
int	 store_subscriber_fill(struct store *st, struct digest *d, char **err);

/*
 * Queue d in the outbox and advance each topic's mark to its new_mark, in
 * one transaction (the step that makes a digest exist).  Sets d->id.
 */
int	 store_digest_queue(struct store *st, struct digest *d, int64_t now,
	    char **err);

/* ----------------------------------------------------------------- outbox */
/* Ids of digests to send now (queued, or deferred and due), oldest first. */
int	 store_outbox_due(struct store *st, int64_t now, int64_t **ids,
	    size_t *n, char **err);
/* The database's file, for another process to open (parallel sending). */
const char *store_filename(struct store *st);
/*
 * store-sections.c: the sections a run of loads (a send) has read.  Each
 * section's entries are read once and copied into every digest showing
 * it; an entry changed meanwhile (collect, feed remove) shows as first
 * read until the run ends.  A few dozen are kept, the one used longest
 * ago giving way.
 */
struct loaded_sections *store_loaded_new(void);
void	 store_loaded_free(struct loaded_sections *l);
/* The entries of d's topics' sections (section_id set), from l when it
 * has them (l may be NULL).  0 or -1 with *err. */
int	 store_sections_load(struct store *st, struct digest *d,
	    struct loaded_sections *l, char **err);
/*
 * Load a queued digest with its entries, its sections from l when it has
 * them (l may be NULL: all read now).  NULL with *err when missing.
 */
struct digest *store_digest_load(struct store *st, int64_t id,
	    struct loaded_sections *l, char **err);
/* store-notes.c: editors' notes.  A note stored once per run, *id set. */
int	 store_note_add(struct store *st, const char *markdown, int64_t now,
	    int64_t *id, char **err);
/* Within store_digest_queue: link d and its topics to their notes. */
int	 store_digest_queue_notes(struct store *st, const struct digest *d,
	    char **err);
/* Within store_digest_load: fill the notes d and its topics carry. */
int	 store_digest_load_notes(struct store *st, struct digest *d,
	    char **err);
int	 store_digest_sent(struct store *st, int64_t id, int64_t now,
	    char **err);
/* A failed attempt: deferred until retry_at, or failed for good (0). */
int	 store_digest_attempt_failed(struct store *st, int64_t id,
	    const char *error, int64_t retry_at, char **err);
/* Count digests by state ("queued", "sent", ...). */
int	 store_digest_count(struct store *st, const char *state, int64_t *n,
	    char **err);

/* ------------------------------------ outbox administration (store-admin.c) */
/* Also returned: the row is in a state that does not allow the change. */
#define STORE_WRONGSTATE 3

struct outbox_row {
	int64_t	 id;
	int64_t	 subscriber_id;
	const char *email;
	const char *name;
	const char *subscriber_status;
	int	 bounces;		/* the subscriber's hard bounces */
	int	 soft_bounces;		/* ... and soft ones, in a row */
	const char *state;		/* queued|sent|deferred|failed|dropped */
	const char *message_id;
	int64_t	 created;
	int	 attempts;
	int64_t	 next_attempt;		/* 0 none */
	const char *last_error;
	int64_t	 sent;			/* 0 not sent */
	int64_t	 nitems;
};
typedef int (*store_outbox_fn)(const struct outbox_row *r, void *ctx);

/* Every digest, or those in state (NULL: all), oldest first. */
int	 store_outbox_each(struct store *st, const char *state,
	    store_outbox_fn fn, void *ctx, char **err);
/* One digest through fn: 0, STORE_NOTFOUND, or -1. */
int	 store_outbox_get(struct store *st, int64_t id, store_outbox_fn fn,
	    void *ctx, char **err);
/* A failed, deferred or dropped digest back to queued, due now.
 * 0, STORE_NOTFOUND, STORE_WRONGSTATE (queued or sent), or -1. */
int	 store_outbox_retry(struct store *st, int64_t id, char **err);
/* A queued, deferred or failed digest to 'dropped' (kept, never sent).
 * 0, STORE_NOTFOUND, STORE_WRONGSTATE (sent or dropped), or -1. */
int	 store_outbox_drop(struct store *st, int64_t id, char **err);
/*
 * Count a hard bounce for subscriber_id.  At max_bounces (0: never) the
 * subscriber becomes 'bounced' and their other unsent digests 'dropped',
 * in the same transaction; *now_bounced tells whether this call did it.
 */
int	 store_subscriber_bounce(struct store *st, int64_t subscriber_id,
	    int max_bounces, int *now_bounced, char **err);

/* ------------------------------- tokens, double opt-in (store-tokens.c) */
struct token_subscriber {
	int64_t	 id;
	char	 status[16];
	char	 email[320];
};
/*
 * The subscriber whose token is token, found through an index on a hash
 * of it and compared in constant time.  0 with *out, STORE_NOTFOUND, -1.
 */
int	 store_token_find(struct store *st, const char *token,
	    struct token_subscriber *out, char **err);
/* A pending subscriber becomes active: rows changed (0 or 1), or -1. */
int	 store_subscriber_confirm(struct store *st, int64_t id, int64_t now,
	    char **err);
/* Mark a subscriber pending (added, not yet confirmed).  0 or -1. */
int	 store_subscriber_set_pending(struct store *st, int64_t id,
	    char **err);
/* Unsubscribe at once: the status, and their unsent digests dropped,
 * in one transaction.  0 or -1. */
int	 store_subscriber_unsubscribe(struct store *st, int64_t id,
	    char **err);
/* Delete pending subscribers created before before: how many, or -1. */
int	 store_pending_expire(struct store *st, int64_t before, char **err);
/* ---------------------------------------------- web archive (store-archive.c) */
/*
 * An entry as the archive shows it; nothing about any subscriber.
 * e.summary_html is the summary, else the content, cut to cap bytes;
 * e.content_html is NULL.
 */
struct archive_row {
	struct unseen_row e;
	int64_t	 digest_created;	/* store_archive_sent: when made */
};
typedef int (*store_archive_fn)(const struct archive_row *r, void *ctx);

/* Every entry of topic_id's feeds, newest first. */
int	 store_archive_entries(struct store *st, int64_t topic_id, size_t cap,
	    store_archive_fn fn, void *ctx, char **err);
/* The entries of every sent digest, oldest digest first, by topic slug. */
int	 store_archive_sent(struct store *st, size_t cap, store_archive_fn fn,
	    void *ctx, char **err);
/*
 * A sent digest's topic that shows entries: which section it shows.  The
 * digest's id and time only, never who got it.
 */
struct archive_topic_row {
	int64_t	 digest_id;
	int64_t	 digest_created;
	int64_t	 topic_id;
	int64_t	 section_id;
};
typedef int (*store_archive_topic_fn)(const struct archive_topic_row *r,
	    void *ctx);
/* Every sent digest's topics with a section: oldest digest first, each
 * digest's topics in its order. */
int	 store_archive_sent_topics(struct store *st, store_archive_topic_fn fn,
	    void *ctx, char **err);
/* Did a call fail because another process held the database past the busy
 * timeout?  Then the command may simply be run again (EX_TEMPFAIL). */
int	 store_busy_failed(const struct store *st);
/* ------------------------------------------------ mail read by bounces */
/* Was the message with this key handled before?  0 with *seen, or -1. */
int	 store_mail_seen(struct store *st, const char *key, int *seen,
	    char **err);
/* Remember the message as handled, with what was done. */
int	 store_mail_handled(struct store *st, const char *key,
	    const char *outcome, int64_t now, char **err);
/* Whose digest had this Message-ID (without <>)?  0 with *subscriber_id,
 * STORE_NOTFOUND, or -1. */
int	 store_digest_recipient(struct store *st, const char *message_id,
	    int64_t *subscriber_id, char **err);
/*
 * Count a soft bounce in a row for subscriber_id; at soft_limit (0: never)
 * an active subscriber is suspended (marked 'bounced', unsent digests
 * dropped).  *suspended tells whether this call did it.
 */
int	 store_subscriber_soft_bounce(struct store *st, int64_t subscriber_id,
	    int soft_limit, int *suspended, char **err);

#endif
