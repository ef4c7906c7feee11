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
	TRANSPORT_PERMFAIL,	/* refused for good, not for the recipient */
	TRANSPORT_DOWN,		/* the transport is gone; nothing was sent */
	TRANSPORT_BOUNCE	/* refused for good: the recipient's address
				   bounced (counts towards max_bounces) */
};

/* Prepare the configured transport (SMTP connects now). */
struct transport *transport_open(const struct config *cfg, char **err);
enum transport_status transport_send(struct transport *t, const char *from,
	    const char *to, const char *msg, size_t len, char **err);
/*
 * A warning the caller should give once, as a new string, or NULL: e.g.
 * the SMTP server offered no STARTTLS and tls = opportunistic went on in
 * plain text.
 */
char	*transport_notice(struct transport *t);
void	 transport_close(struct transport *t);
/* Where messages would go, e.g. "smtp 127.0.0.1:587 (tls starttls)" with
 * the port it would connect to; caller frees.  Opens nothing (send
 * --dry-run). */
char	*transport_describe(const struct config *cfg);

#endif
