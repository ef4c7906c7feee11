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

/* outcome is "sent", "deferred" or "failed"; error NULL when sent. */
typedef void (*deliver_report_fn)(const struct digest *d, const char *outcome,
	    const char *error, void *ctx);

/*
 * Deliver every due digest.  A digest is marked sent only after the
 * transport accepted it (SMTP: 250 after DATA).  Returns 0 when every due
 * digest was attempted, or -1 with *err when the transport could not be
 * reached; what was not attempted stays queued, untouched.
 */
int	 deliver_outbox(struct store *st, const struct config *cfg, int64_t now,
	    struct deliver_summary *sum, deliver_report_fn report, void *ctx,
	    char **err);

/* The whole message for d as it would be sent (preview --eml, tests). */
int	 deliver_build(const struct config *cfg, const struct digest *d,
	    const struct rendered *r, int64_t now, struct buf *out,
	    char **err);

#endif
