/*
 * deliver.h - the send stage: the outbox, rendered, built and handed to the
 * configured transport (smtp, sendmail or maildir).
 */
#ifndef GZ_DELIVER_H
#define GZ_DELIVER_H

#include <stdint.h>

struct buf;
struct config;
struct digest;
struct rendered;
struct store;

struct deliver_summary {
	int	 sent;
	int	 deferred;
	int	 failed;
	int	 left;		/* still queued: the transport went away */
};

/* What happened to one digest, for the per-digest log line. */
struct deliver_event {
	const char *outcome;	/* sent, deferred, failed, left queued,
				   or unrecorded (the store failed) */
	const char *error;	/* NULL when sent */
	size_t	 size;		/* bytes of the message, 0 if not built */
	int	 attempts;	/* counting this one; 0 when unknown */
	int64_t	 retry_at;	/* deferred: when it is due again */
	const char *bounce;	/* "hard" or "soft" when one was counted */
	const char *reason;	/* ... its reason ("userunknown") and */
	const char *status;	/* enhanced status ("5.1.1"), or NULL */
	int	 retired;	/* ... and it made the subscriber 'bounced'
				   ([mail] max_bounces, [bounces] soft_limit) */
	const char *notice;	/* a warning about the transport, given with
				   the first digest it carried, or NULL */
};
typedef void (*deliver_report_fn)(const struct digest *d,
	    const struct deliver_event *ev, void *ctx);
/* Before the run waits to try its deferred digests again. */
typedef void (*deliver_wait_fn)(int seconds, size_t digests, void *ctx);

struct deliver_hooks {
	deliver_report_fn report;	/* after each attempt */
	deliver_wait_fn	 wait;		/* before each wait; may be NULL */
	void		*ctx;
};

/*
 * Deliver every due digest.  A digest is marked sent only after the
 * transport accepted it (SMTP: 250 after DATA).  Those deferred are tried
 * again within the run, [smtp] retry_delay seconds later and then twice
 * as long each time, as long as the run's waiting stays within [smtp]
 * retry_window.  Returns 0 when every due digest was attempted, or -1
 * with *err when the transport could not be reached; what was not
 * attempted stays queued, untouched.
 */
int	 deliver_outbox(struct store *st, const struct config *cfg, int64_t now,
	    struct deliver_summary *sum, const struct deliver_hooks *hooks,
	    char **err);

/*
 * Seconds a digest still deferred at the end of a run waits after its
 * attempts-th failed try: 15 minutes, doubling with each try, at most a
 * day.
 */
int64_t	 deliver_retry_delay(int attempts);

/* For send --dry-run: one call per due digest.  subject is NULL and error
 * set when it could not be rendered. */
typedef void (*deliver_plan_fn)(const struct digest *d, const char *subject,
	    size_t size, const char *error, void *ctx);
/*
 * Render and build every due digest as deliver_outbox would, and hand each
 * to fn.  Sends nothing, connects nowhere, changes nothing.  0, or -1 with
 * *err when the outbox or the templates cannot be read.
 */
int	 deliver_plan(struct store *st, const struct config *cfg, int64_t now,
	    deliver_plan_fn fn, void *ctx, char **err);

/* The whole message for d as it would be sent (preview --eml, tests). */
int	 deliver_build(const struct config *cfg, const struct digest *d,
	    const struct rendered *r, int64_t now, struct buf *out,
	    char **err);

#endif
