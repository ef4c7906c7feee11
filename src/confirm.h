/*
 * confirm.h - the double opt-in mail: "click here to confirm".
 */
#ifndef GZ_CONFIRM_H
#define GZ_CONFIRM_H

#include <stdint.h>

struct buf;
struct config;

/* The confirm page's URL for token (new string), or NULL without base_url. */
char	*confirm_url(const struct config *cfg, const char *token);
/* Build the confirmation message for email (name may be NULL) into out.
 * 0, or -1 with *err. */
int	 confirm_build(const struct config *cfg, const char *email,
	    const char *name, const char *token, int64_t now, struct buf *out,
	    char **err);
/* Build it and hand it to the configured transport.  0, or -1 with *err. */
int	 confirm_send(const struct config *cfg, const char *email,
	    const char *name, const char *token, int64_t now, char **err);

#endif
