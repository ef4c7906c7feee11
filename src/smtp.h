/*
 * smtp.h - the SMTP transport, a client on libetpan's mailsmtp.
 */
#ifndef GZ_SMTP_H
#define GZ_SMTP_H

#include <stddef.h>

/*
 * STARTTLS is required: a server that does not offer it gets nothing.
 * OPPORTUNISTIC takes STARTTLS when offered (with the same certificate
 * check) and plain text when not; IMPLICIT speaks TLS from the first byte.
 */
enum smtp_tls {
	SMTP_TLS_NONE, SMTP_TLS_STARTTLS, SMTP_TLS_OPPORTUNISTIC,
	SMTP_TLS_IMPLICIT
};

struct smtp_options {
	const char *host;
	int	 port;		/* 0: smtp_default_port(tls) */
	enum smtp_tls tls;
	const char *user;	/* NULL: no AUTH */
	const char *password;
	const char *helo;	/* name for EHLO; NULL: our host name */
	int	 timeout;	/* seconds per command */
	const char *ca_file;	/* PEM anchors; NULL: the system's */
	const char *tls_name;	/* name the certificate must carry;
				   NULL: host */
	int	 tls_insecure;	/* 1: skip the certificate check */
};

/* Outcome of one delivery attempt. */
enum smtp_status {
	SMTP_OK = 0,
	SMTP_TEMPFAIL,		/* 4xx, network error, timeout: retry later */
	SMTP_PERMFAIL,		/* refused for good by our own checks, or
				   while setting the session up */
	SMTP_BADRCPT,		/* the recipient cannot be put in a command */
	SMTP_REFUSED_SENDER,	/* 5xx to MAIL FROM or to DATA */
	SMTP_REFUSED_RCPT,	/* 5xx to RCPT TO */
	SMTP_REFUSED_DATA,	/* 5xx to the message */
	SMTP_PENDING		/* smtp_submit: the message went, its reply
				   waits for smtp_finish */
};

struct smtp_conn;

/* The port a mode connects to when none is set: 465, 587 or 25. */
int	 smtp_default_port(enum smtp_tls tls);
/* Connect, greet, TLS and AUTH as configured.  NULL with *err on failure,
 * and *busy (unless busy is NULL) set when the server answered a 4xx. */
struct smtp_conn *smtp_open(const struct smtp_options *opt, int *busy,
	    char **err);
/*
 * What the caller should warn about on an open connection, or NULL: an
 * opportunistic connection that went on in plain text says so here.
 */
const char *smtp_notice(const struct smtp_conn *c);
/*
 * Send one message (bytes as mime_build made them; dot-stuffing is done
 * here).  On failure *err names the command and the server's reply:
 * after a 5xx it is "COMMAND: REPLY" with the reply on one line, and
 * COMMAND holds no ": ".
 * A connection that failed mid-transaction is reset or marked dead.
 */
enum smtp_status smtp_send(struct smtp_conn *c, const char *from,
	    const char *to, const char *msg, size_t len, char **err);
/*
 * smtp_send in two halves, so that the caller can build the next message
 * while the server takes this one in: smtp_submit returns SMTP_PENDING
 * once the message is written (or an outcome, as smtp_send, when it
 * failed before that), and smtp_finish reads the server's verdict.  No
 * other call on the connection may come between them.
 */
enum smtp_status smtp_submit(struct smtp_conn *c, const char *from,
	    const char *to, const char *msg, size_t len, char **err);
enum smtp_status smtp_finish(struct smtp_conn *c, char **err);
/*
 * What goes on the wire after DATA's 354, through put: msg dot-stuffed
 * (RFC 5321 4.5.2: a line that starts with '.' gets another), a bare LF
 * sent as CRLF, a last line end added if missing, then ".\r\n".  0, or
 * -1 as soon as put fails.
 */
typedef int (*smtp_write_fn)(void *ctx, const char *s, size_t n);
int	 smtp_data_encode(const char *msg, size_t len, smtp_write_fn put,
	    void *ctx);
/* 1 while the connection can carry another message. */
int	 smtp_usable(const struct smtp_conn *c);
void	 smtp_close(struct smtp_conn *c);

#endif
