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
	TRANSPORT_PERMFAIL,	/* refused for good, saying nothing of the
				   recipient (our own check, sendmail's 65) */
	TRANSPORT_DOWN,		/* the transport is gone; nothing was sent */
	TRANSPORT_BADRCPT,	/* the address can never be mailed: it does
				   not fit a command, or sendmail's 67 */
	/* A server's permanent (5xx) refusal, by where it came; *err is
	 * "COMMAND: REPLY" and transport_reply() finds the REPLY. */
	TRANSPORT_REFUSED_SENDER,	/* MAIL FROM or the DATA command */
	TRANSPORT_REFUSED_RCPT,		/* RCPT TO */
	TRANSPORT_REFUSED_DATA,		/* the message */
	TRANSPORT_PENDING	/* transport_submit: sent, the verdict is
				   for transport_finish */
};

/* Prepare the configured transport (SMTP connects now).  NULL with *err;
 * *busy (unless NULL) when the SMTP server answered a 4xx: it asks us to
 * come back, so trying again later in the run makes sense. */
struct transport *transport_open(const struct config *cfg, int *busy,
	    char **err);
enum transport_status transport_send(struct transport *t, const char *from,
	    const char *to, const char *msg, size_t len, char **err);
/*
 * transport_send in two halves: over SMTP, submit returns
 * TRANSPORT_PENDING once the message is written, and finish reads the
 * server's verdict, so the caller can build the next message meanwhile.
 * Maildir and sendmail finish within submit.  Nothing else may use the
 * transport between the two.
 */
enum transport_status transport_submit(struct transport *t,
	    const char *from, const char *to, const char *msg, size_t len,
	    char **err);
enum transport_status transport_finish(struct transport *t, char **err);
/*
 * A warning the caller should give once, as a new string, or NULL: e.g.
 * the SMTP server offered no STARTTLS and tls = opportunistic went on in
 * plain text.
 */
char	*transport_notice(struct transport *t);
/* Before a long wait: let the SMTP connection go, politely (a server
 * drops an idle one anyway); the next send opens a new one. */
void	 transport_pause(struct transport *t);
void	 transport_close(struct transport *t);
/* The server's own reply in a TRANSPORT_REFUSED_* message. */
const char *transport_reply(const char *err);
/* Where messages would go, e.g. "smtp 127.0.0.1:587 (tls starttls)" with
 * the port it would connect to; caller frees.  Opens nothing (send
 * --dry-run). */
char	*transport_describe(const struct config *cfg);

#endif
