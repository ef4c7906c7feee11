/*
 * transport.h - one interface over the three ways a message leaves:
 * SMTP, a sendmail-compatible command, or a local Maildir.
 */
#ifndef GZ_TRANSPORT_H
#define GZ_TRANSPORT_H

#include <stddef.h>

struct config;
struct transport;

enum transport_status {
	TRANSPORT_OK = 0,
	TRANSPORT_TEMPFAIL,	/* keep it and retry later */
	TRANSPORT_PERMFAIL,	/* this recipient will not take it */
	TRANSPORT_DOWN		/* the transport is gone; nothing was sent */
};

/* Prepare the configured transport (SMTP connects now). */
struct transport *transport_open(const struct config *cfg, char **err);
enum transport_status transport_send(struct transport *t, const char *from,
	    const char *to, const char *msg, size_t len, char **err);
void	 transport_close(struct transport *t);

#endif
