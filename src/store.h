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
};
typedef int (*store_feed_fn)(const struct feed_row *f, void *ctx);

/* Add url in the given topics.  0, STORE_EXISTS, or -1. */
int	 store_feed_add(struct store *st, const char *url,
	    const int64_t *topic_ids, size_t ntopics, int64_t now, char **err);
/* Every feed, or only active ones. */
int	 store_feed_each(struct store *st, int active_only, store_feed_fn fn,
	    void *ctx, char **err);

/* What one fetch of a feed found out. */
struct fetch_outcome {
	int64_t	 when;
	int	 status;		/* HTTP status, 0 none */
	const char *error;		/* NULL on success */
	const char *etag;		/* new validators (success only) */
	const char *last_modified;
	const char *new_url;		/* after a permanent redirect, or NULL */
	const char *title;		/* feed title and site link, or NULL */
	const char *site_link;
};

/*
 * Record a fetch and store the feed's items, in one transaction: an item
 * seen before (same feed and key) is updated in place; a new one gets a new,
 * larger id.  *nnew counts new items.  parsed may be NULL (no items).
 */
int	 store_feed_update(struct store *st, int64_t feed_id,
	    const struct fetch_outcome *o, const struct feed *parsed,
	    int *nnew, char **err);

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
/* Every subscriber, or only active ones. */
int	 store_subscriber_each(struct store *st, int active_only,
	    store_subscriber_fn fn, void *ctx, char **err);

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
/* Load a queued digest with its entries.  NULL with *err when missing. */
struct digest *store_digest_load(struct store *st, int64_t id, char **err);
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

#endif
