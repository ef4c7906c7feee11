/*
 * confirm.h - the double opt-in mail: "click here to confirm".
 */
#ifndef GZ_CONFIRM_H
#define GZ_CONFIRM_H

#include <stdint.h>

#define CONFIRM_MAX_SIZE ((size_t)64 << 10)

struct buf;
struct config;
struct dkim_signer;

/* What became of a confirmation mail handed to the transport. */
enum confirm_outcome {
	CONFIRM_SENT = 0,
	CONFIRM_DEFERRED,	/* unreachable, 4xx, timeout: try again later */
	CONFIRM_REFUSED		/* refused for good (5xx, a bad address) */
};

/* The confirm page's URL for token (new string), or NULL without base_url. */
char	*confirm_url(const struct config *cfg, const char *token);
/*
 * Build the confirmation message for email (name may be NULL) into out
 * (buf_init'ed by the caller, CONFIRM_MAX_SIZE is enough), signed by dkim
 * as digests are when it is not NULL.  0, or -1 with *err.
 */
int	 confirm_build(const struct config *cfg, const char *email,
	    const char *name, const char *token, int64_t now,
	    const struct dkim_signer *dkim, struct buf *out, char **err);
/* Hand a built message to the configured transport; *err says why when it
 * was not sent. */
enum confirm_outcome confirm_send(const struct config *cfg,
	    const char *email, const struct buf *msg, char **err);

#endif
