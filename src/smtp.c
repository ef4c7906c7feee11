/*
 * smtp.c - the SMTP transport, a client on libetpan's mailsmtp.
 *
 * One connection carries many transactions, with RSET before each but the
 * first.  Every reply is sorted by its first digit (RFC 5321 4.2.1): 2xx
 * delivered, 4xx and any network error or timeout temporary, 5xx
 * permanent.  A message counts as delivered only after the 250 that ends
 * DATA.  After a network error the connection is closed and marked dead;
 * after a refused command it is reset with RSET.
 *
 * STARTTLS, when required, never falls back to plain text; when
 * opportunistic, it does so only without AUTH, since a man in the middle
 * can strip STARTTLS from the EHLO reply to read the password.
 *
 * libetpan 1.9.4's GnuTLS code sets SNI but never checks the server's
 * certificate, so right after every handshake the chain and the name are
 * checked (etpan-tls.c), before anything else is said; an untrusted
 * server is dropped without a word more.
 *
 * It must never print, exit, or let a closed socket's SIGPIPE end the
 * process, and never put a CR or LF from an address into a command.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "etpan-tls.h"
#include "nopipe.h"
#include "smtp.h"
#include "xmalloc.h"

#define DEFAULT_TIMEOUT	60
/* Bytes the stream gathers per write: a whole digest in one or two. */
#define STREAM_BUFFER	(64 * 1024)
/* libetpan formats each command into a 513-byte buffer and cuts the rest. */
#define ADDR_MAX	254

/*
 * libetpan's mailesmtp_ehlo() always sends gethostname().  To greet with
 * the configured name we send EHLO through these three functions, which
 * libetpan 1.9.4 exports but declares only in its private header.
 */
int	 mailsmtp_send_command(mailsmtp *, char *);
int	 mailsmtp_read_response(mailsmtp *);
int	 mailesmtp_parse_ehlo(mailsmtp *);

struct smtp_conn {
	mailsmtp	*s;
	char		*host;
	char		*tls_name;	/* SNI and the certificate's name */
	char		*notice;	/* for smtp_notice() */
	int		 dead;
	int		 pending;	/* a message went; its reply is unread */
	int		 used;		/* a transaction ran since the greeting
					   or the last RSET */
};

/*
 * libetpan writes with send(2) without MSG_NOSIGNAL, so a peer that hung
 * up would raise SIGPIPE: each exchange runs inside nopipe_begin/_end.
 */

/* The server's reply text on one line, for messages. */
static char *
reply_text(const mailsmtp *s)
{
	char *t = xstrdup(s->response ? s->response : ""), *p;
	size_t n;

	for (p = t; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || (unsigned char)*p < 0x20)
			*p = ' ';
	n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		t[--n] = '\0';
	return t;
}

/* Close without QUIT: after a network error nothing more may be sent. */
static void
mark_dead(struct smtp_conn *c)
{
	if (c->s->stream != NULL) {
		mailstream_close(c->s->stream);
		c->s->stream = NULL;
	}
	c->dead = 1;
}

/*
 * Sort the outcome of one command.  libetpan's own error codes lump some
 * 4xx and 5xx replies together (450 and 550 after RCPT are both
 * MAILBOX_UNAVAILABLE), so the reply code decides.
 */
static enum smtp_status
outcome(struct smtp_conn *c, const char *cmd, int r, char **err)
{
	int code = c->s->response_code;
	char *text;

	if (r == MAILSMTP_NO_ERROR && code / 100 < 4)
		return SMTP_OK;
	if (r == MAILSMTP_ERROR_STREAM || code == 0) {
		*err = xasprintf("%s: %s: network error or timeout", cmd,
		    c->host);
		mark_dead(c);
		return SMTP_TEMPFAIL;
	}
	if (code / 100 < 4) {
		/* Refused here, not by the server (e.g. a SASL failure). */
		*err = xasprintf("%s: %s", cmd, mailsmtp_strerror(r));
		return SMTP_TEMPFAIL;
	}
	text = reply_text(c->s);
	*err = xasprintf("%s: %d %s", cmd, code, text);
	free(text);
	return code / 100 == 5 ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
}

static int
greet_custom(mailsmtp *s, const char *verb, const char *name)
{
	char *cmd = xasprintf("%s %s\r\n", verb, name);
	int r, code;

	r = mailsmtp_send_command(s, cmd);
	free(cmd);
	if (r == -1)
		return MAILSMTP_ERROR_STREAM;
	code = mailsmtp_read_response(s);
	if (code == 0)
		return MAILSMTP_ERROR_STREAM;
	if (code != 250)
		return MAILSMTP_ERROR_UNEXPECTED_CODE;
	if (verb[0] == 'E')
		return mailesmtp_parse_ehlo(s);
	s->esmtp = 0;
	return MAILSMTP_NO_ERROR;
}

/* EHLO, or HELO when the server does not know EHLO (RFC 5321 4.1.4). */
static enum smtp_status
greet(struct smtp_conn *c, const char *helo, char **err)
{
	int r;

	r = helo ? greet_custom(c->s, "EHLO", helo) : mailesmtp_ehlo(c->s);
	if (r == MAILSMTP_NO_ERROR)
		return SMTP_OK;
	if (r == MAILSMTP_ERROR_STREAM || c->s->response_code / 100 != 5)
		return outcome(c, "EHLO", r, err);
	r = helo ? greet_custom(c->s, "HELO", helo) : mailsmtp_helo(c->s);
	return outcome(c, "HELO", r, err);
}

/* Names in a command must not carry spaces or line ends. */
static int
command_safe(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if ((unsigned char)s[n] <= ' ' || s[n] == 0x7f ||
		    s[n] == '<' || s[n] == '>')
			return 0;
	return n <= max;
}

/* The chain the server presented, checked against the anchors and name. */
static enum smtp_status
verify_peer(struct smtp_conn *c, const struct smtp_options *opt, char **err)
{
	char *why = NULL;

	if (opt->tls_insecure ||
	    etpan_tls_verify(c->s->stream, opt->ca_file, c->tls_name, &why) == 0)
		return SMTP_OK;
	*err = xasprintf("TLS certificate of %s not trusted: %s", c->tls_name,
	    why);
	free(why);
	mark_dead(c);
	return SMTP_TEMPFAIL;
}

/*
 * libetpan ends each message with a small write of its own; with Nagle's
 * algorithm that write waits for the server's delayed ACK, 40 ms per
 * message on Linux.  Every write here is a whole command or a full
 * buffer, so sending at once costs nothing.
 */
static void
no_delay(struct smtp_conn *c)
{
	int fd = mailstream_low_get_fd(mailstream_get_low(c->s->stream)), on = 1;

	if (fd >= 0)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/*
 * libetpan's streams buffer 8 KB, and each write to the socket costs it a
 * select and two fcntl calls, about twenty system calls per digest.  Both
 * buffers are plain malloc'd arrays of buffer_max_size bytes in the public
 * struct, so they are grown in place; on failure the stream keeps its own.
 */
static void
grow_buffers(mailstream *m)
{
	char *r, *w;

	if (m->buffer_max_size >= STREAM_BUFFER)
		return;
	if ((r = realloc(m->read_buffer, STREAM_BUFFER)) != NULL)
		m->read_buffer = r;
	if (r != NULL && (w = realloc(m->write_buffer, STREAM_BUFFER)) != NULL) {
		m->write_buffer = w;
		m->buffer_max_size = STREAM_BUFFER;
	}
}

/* RFC 8314 3.3 (465), RFC 6409 (587, submission), RFC 5321 (25). */
int
smtp_default_port(enum smtp_tls tls)
{
	switch (tls) {
	case SMTP_TLS_IMPLICIT:
		return 465;
	case SMTP_TLS_STARTTLS:
	case SMTP_TLS_OPPORTUNISTIC:
		return 587;
	default:
		return 25;
	}
}

static enum smtp_status
connect_server(struct smtp_conn *c, const struct smtp_options *opt,
    char **err)
{
	int port = opt->port > 0 ? opt->port : smtp_default_port(opt->tls), r;
	char *text;

	if (opt->tls == SMTP_TLS_IMPLICIT)
		r = mailsmtp_ssl_connect_with_callback(c->s, opt->host,
		    (uint16_t)port, etpan_tls_sni, c->tls_name);
	else
		r = mailsmtp_socket_connect(c->s, opt->host, (uint16_t)port);
	if (r == MAILSMTP_NO_ERROR)
		return SMTP_OK;
	if (c->s->response_code / 100 == 4 || c->s->response_code / 100 == 5) {
		text = reply_text(c->s);
		*err = xasprintf("connect %s:%d: %d %s", opt->host, port,
		    c->s->response_code, text);
		free(text);
		return c->s->response_code / 100 == 5 ? SMTP_PERMFAIL :
		    SMTP_TEMPFAIL;
	}
	*err = xasprintf("connect %s:%d: %s", opt->host, port,
	    mailsmtp_strerror(r));
	return SMTP_TEMPFAIL;
}

static enum smtp_status
starttls(struct smtp_conn *c, const struct smtp_options *opt, char **err)
{
	enum smtp_status st;
	int r;

	if (!(c->s->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
		if (opt->tls == SMTP_TLS_OPPORTUNISTIC && opt->user == NULL) {
			c->notice = xasprintf("%s does not offer STARTTLS; "
			    "sending in plain text (tls = opportunistic)",
			    c->host);
			return SMTP_OK;
		}
		if (opt->tls == SMTP_TLS_OPPORTUNISTIC)
			*err = xasprintf("STARTTLS: %s does not offer it, "
			    "and the password is never sent in plain text",
			    c->host);
		else
			*err = xasprintf("STARTTLS: %s does not offer it, "
			    "and tls = starttls never sends in plain text "
			    "(tls = opportunistic or none would)", c->host);
		return SMTP_PERMFAIL;
	}
	r = mailsmtp_socket_starttls_with_callback(c->s, etpan_tls_sni,
	    c->tls_name);
	if (r == MAILSMTP_ERROR_SSL) {
		*err = xasprintf("STARTTLS: TLS handshake with %s failed",
		    c->host);
		mark_dead(c);
		return SMTP_TEMPFAIL;
	}
	if (r != MAILSMTP_NO_ERROR)
		return outcome(c, "STARTTLS", r, err);
	if ((st = verify_peer(c, opt, err)) != SMTP_OK)
		return st;
	/* The session starts over after STARTTLS (RFC 3207 4.2). */
	return greet(c, opt->helo, err);
}

static enum smtp_status
authenticate(struct smtp_conn *c, const struct smtp_options *opt,
    char **err)
{
	int r;

	if (c->s->auth & MAILSMTP_AUTH_PLAIN)
		r = mailsmtp_auth_type(c->s, opt->user,
		    opt->password ? opt->password : "", MAILSMTP_AUTH_PLAIN);
	else if (c->s->auth & MAILSMTP_AUTH_LOGIN)
		r = mailsmtp_auth_type(c->s, opt->user,
		    opt->password ? opt->password : "", MAILSMTP_AUTH_LOGIN);
	else {
		*err = xasprintf("AUTH: %s offers neither PLAIN nor LOGIN",
		    c->host);
		return SMTP_PERMFAIL;
	}
	return outcome(c, "AUTH", r, err);
}

static enum smtp_status
open_session(struct smtp_conn *c, const struct smtp_options *opt,
    char **err)
{
	enum smtp_status st;

	if ((st = connect_server(c, opt, err)) != SMTP_OK)
		return st;
	if (opt->tls == SMTP_TLS_IMPLICIT &&
	    (st = verify_peer(c, opt, err)) != SMTP_OK)
		return st;
	/* Also bounds each read and write of the session (the plain
	 * socket stream takes its timeout from here, not from the session). */
	mailstream_low_set_timeout(mailstream_get_low(c->s->stream),
	    mailsmtp_get_timeout(c->s));
	no_delay(c);
	grow_buffers(c->s->stream);
	if ((st = greet(c, opt->helo, err)) != SMTP_OK)
		return st;
	if ((opt->tls == SMTP_TLS_STARTTLS ||
	    opt->tls == SMTP_TLS_OPPORTUNISTIC) &&
	    (st = starttls(c, opt, err)) != SMTP_OK)
		return st;
	if (opt->user != NULL && (st = authenticate(c, opt, err)) != SMTP_OK)
		return st;
	return SMTP_OK;
}

struct smtp_conn *
smtp_open(const struct smtp_options *opt, int *busy, char **err)
{
	struct smtp_conn *c;
	struct nopipe np;
	time_t timeout = opt->timeout > 0 ? opt->timeout : DEFAULT_TIMEOUT;
	enum smtp_status st;

	if (opt->host == NULL || *opt->host == '\0') {
		*err = xstrdup("no SMTP host configured");
		return NULL;
	}
	if (opt->helo != NULL && !command_safe(opt->helo, 255)) {
		*err = xasprintf("EHLO name is not a host name: \"%s\"",
		    opt->helo);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->host = xstrdup(opt->host);
	c->tls_name = xstrdup(opt->tls_name != NULL && *opt->tls_name != '\0'
	    ? opt->tls_name : opt->host);
	if ((c->s = mailsmtp_new(0, NULL)) == NULL) {
		*err = xstrdup("out of memory for the SMTP session");
		free(c->host);
		free(c->tls_name);
		free(c);
		return NULL;
	}
	/*
	 * libetpan reads the greeting before we can set a per-stream timeout,
	 * so its process-wide default (300 s) is set too; nothing else in
	 * gazette uses libetpan's streams.
	 */
	mailsmtp_set_timeout(c->s, timeout);
	mailstream_network_delay.tv_sec = timeout;
	mailstream_network_delay.tv_usec = 0;
	nopipe_begin(&np);
	st = open_session(c, opt, err);
	nopipe_end(&np);
	if (st != SMTP_OK) {
		/* A 4xx to the greeting, EHLO, STARTTLS or AUTH: the server
		 * is there and asks us to come back. */
		if (busy != NULL)
			*busy = st == SMTP_TEMPFAIL &&
			    c->s->response_code / 100 == 4;
		smtp_close(c);
		return NULL;
	}
	return c;
}

/*
 * outcome()'s SMTP_PERMFAIL is always a server's 5xx: tag it with where
 * it came, so the caller can tell what it says about the recipient.
 */
static enum smtp_status
refused(enum smtp_status st, enum smtp_status where)
{
	return st == SMTP_PERMFAIL ? where : st;
}

/* The library code for one reply of a pipelined group. */
static int
reply_result(int code, int want)
{
	if (code == 0)
		return MAILSMTP_ERROR_STREAM;
	return (want ? code == want : code / 100 == 2) ? MAILSMTP_NO_ERROR :
	    MAILSMTP_ERROR_UNEXPECTED_CODE;
}

/*
 * A refused RSET says nothing about the message: it waits, and the
 * connection, whose state is now unknown, is dropped for a new one.
 */
static enum smtp_status
reset_refused(struct smtp_conn *c)
{
	if (!c->dead)
		mark_dead(c);
	return SMTP_TEMPFAIL;
}

/*
 * PIPELINING (RFC 2920): RSET (after a connection's first message), MAIL,
 * RCPT and DATA in one write, then their replies in order, saving a round
 * trip per command.  libetpan has no pipelined commands, so the group is
 * sent as one raw command.  The first refusal decides; the later replies
 * are read all the same to keep the session in step.  A server that still
 * answers DATA with 354 after a refusal gets hung up on rather than an
 * empty message.
 */
static enum smtp_status
envelope_pipelined(struct smtp_conn *c, const char *from, const char *to,
    size_t len, int rset, char **err)
{
	static const char *const cmd[] = { "RSET", "MAIL FROM", "RCPT TO",
	    "DATA" };
	static const int want[] = { 0, 0, 0, 354 };
	enum smtp_status st = SMTP_OK;
	char *group, size[32] = "";
	int i, code, r, rset_failed = 0;

	if (c->s->esmtp & MAILSMTP_ESMTP_SIZE)
		snprintf(size, sizeof size, " SIZE=%zu", len);
	group = xasprintf("%sMAIL FROM:<%s>%s\r\nRCPT TO:<%s>\r\nDATA\r\n",
	    rset ? "RSET\r\n" : "", from, size, to);
	r = mailsmtp_send_command(c->s, group);
	free(group);
	if (r == -1)
		return outcome(c, cmd[rset ? 0 : 1], MAILSMTP_ERROR_STREAM, err);
	for (i = rset ? 0 : 1; i < 4 && !c->dead; i++) {
		code = mailsmtp_read_response(c->s);
		r = reply_result(code, want[i]);
		if (st == SMTP_OK) {
			st = outcome(c, cmd[i], r, err);
			if (i == 0 && st != SMTP_OK)
				rset_failed = 1;
			else
				st = refused(st, i == 2 ? SMTP_REFUSED_RCPT :
				    SMTP_REFUSED_SENDER);
		} else if (code == 0 || code == 354)
			mark_dead(c);
	}
	return rset_failed ? reset_refused(c) : st;
}

static enum smtp_status
envelope(struct smtp_conn *c, const char *from, const char *to, size_t len,
    char **err)
{
	enum smtp_status st;
	int r, rset = c->used;

	/*
	 * Each message after a connection's first starts with RSET, so that
	 * nothing the last transaction left on the server (a 5xx after the
	 * message, a server that kept its state) leaks into this one.
	 */
	c->used = 1;
	if (c->s->esmtp & MAILSMTP_ESMTP_PIPELINING)
		return envelope_pipelined(c, from, to, len, rset, err);

	if (rset && outcome(c, "RSET", mailsmtp_reset(c->s), err) != SMTP_OK)
		return reset_refused(c);

	if (c->s->esmtp)
		r = mailesmtp_mail_size(c->s, from, 0, NULL, len);
	else
		r = mailsmtp_mail(c->s, from);
	if ((st = outcome(c, "MAIL FROM", r, err)) != SMTP_OK)
		return refused(st, SMTP_REFUSED_SENDER);
	if (c->s->esmtp)
		r = mailesmtp_rcpt(c->s, to, 0, NULL);
	else
		r = mailsmtp_rcpt(c->s, to);
	if ((st = outcome(c, "RCPT TO", r, err)) != SMTP_OK)
		return refused(st, SMTP_REFUSED_RCPT);
	return refused(outcome(c, "DATA", mailsmtp_data(c->s), err),
	    SMTP_REFUSED_SENDER);
}

int
smtp_data_encode(const char *msg, size_t len, smtp_write_fn put, void *ctx)
{
	const char *p = msg, *end = msg + len, *nl = msg;

	if (len > 0 && *p == '.' && put(ctx, ".", 1) == -1)
		return -1;
	while ((nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL) {
		if (nl == msg || nl[-1] != '\r') {
			if (put(ctx, p, (size_t)(nl - p)) == -1 ||
			    put(ctx, "\r", 1) == -1)
				return -1;
			p = nl;
		}
		if (++nl < end && *nl == '.') {
			if (put(ctx, p, (size_t)(nl + 1 - p)) == -1 ||
			    put(ctx, ".", 1) == -1)
				return -1;
			p = ++nl;
		}
		if (nl >= end)
			break;
	}
	if (put(ctx, p, (size_t)(end - p)) == -1 ||
	    (len > 0 && end[-1] != '\n' && put(ctx, "\r\n", 2) == -1))
		return -1;
	return put(ctx, ".\r\n", 3);
}

static int
stream_put(void *ctx, const char *s, size_t n)
{
	return n == 0 || mailstream_write(ctx, s, n) == (ssize_t)n ? 0 : -1;
}

/*
 * The message after DATA's 354, written in runs between line ends rather
 * than through libetpan's mailsmtp_data_message(), which looks at every
 * byte on its own and took a third of a send's instructions.  *pending:
 * the server's reply is still to be read.
 */
static int
data(struct smtp_conn *c, const char *msg, size_t len, int *pending)
{
	*pending = 0;
	if (smtp_data_encode(msg, len, stream_put, c->s->stream) == -1 ||
	    mailstream_flush(c->s->stream) == -1)
		return MAILSMTP_ERROR_STREAM;
	*pending = 1;
	return MAILSMTP_NO_ERROR;
}

static enum smtp_status
transaction(struct smtp_conn *c, const char *from, const char *to,
    const char *msg, size_t len, char **err)
{
	enum smtp_status st;
	int r;

	if ((st = envelope(c, from, to, len, err)) != SMTP_OK) {
		/* Leave the session clean for the next message. */
		if (!c->dead && mailsmtp_reset(c->s) != MAILSMTP_NO_ERROR)
			mark_dead(c);
		c->used = 0;
		return st;
	}
	r = data(c, msg, len, &c->pending);
	if (c->pending)
		return SMTP_PENDING;
	return refused(outcome(c, "end of DATA", r, err), SMTP_REFUSED_DATA);
}

enum smtp_status
smtp_submit(struct smtp_conn *c, const char *from, const char *to,
    const char *msg, size_t len, char **err)
{
	struct nopipe np;
	enum smtp_status st;

	if (c != NULL && c->pending) {
		*err = xstrdup("SMTP: the last message's reply was not read");
		return SMTP_TEMPFAIL;
	}
	if (c == NULL || c->dead) {
		*err = xstrdup("SMTP connection is closed");
		return SMTP_TEMPFAIL;
	}
	if (from == NULL || !command_safe(from, ADDR_MAX)) {
		*err = xstrdup("MAIL FROM: sender address has spaces, "
		    "control characters or brackets");
		return SMTP_PERMFAIL;
	}
	if (to == NULL || *to == '\0' || !command_safe(to, ADDR_MAX)) {
		*err = xstrdup("RCPT TO: recipient address is empty or has "
		    "spaces, control characters or brackets");
		return SMTP_BADRCPT;
	}
	nopipe_begin(&np);
	st = transaction(c, from, to, msg, len, err);
	nopipe_end(&np);
	return st;
}

enum smtp_status
smtp_finish(struct smtp_conn *c, char **err)
{
	int r;

	if (c == NULL || !c->pending) {
		*err = xstrdup("SMTP: no message waits for its reply");
		return SMTP_TEMPFAIL;
	}
	c->pending = 0;
	r = reply_result(mailsmtp_read_response(c->s), 0);
	return refused(outcome(c, "end of DATA", r, err), SMTP_REFUSED_DATA);
}

enum smtp_status
smtp_send(struct smtp_conn *c, const char *from, const char *to,
    const char *msg, size_t len, char **err)
{
	enum smtp_status st = smtp_submit(c, from, to, msg, len, err);

	return st == SMTP_PENDING ? smtp_finish(c, err) : st;
}

const char *
smtp_notice(const struct smtp_conn *c)
{
	return c != NULL ? c->notice : NULL;
}

int
smtp_usable(const struct smtp_conn *c)
{
	return c != NULL && !c->dead && c->s->stream != NULL;
}

void
smtp_close(struct smtp_conn *c)
{
	struct nopipe np;

	if (c == NULL)
		return;
	nopipe_begin(&np);
	/* mailsmtp_free() sends QUIT when the stream is still open. */
	mailsmtp_free(c->s);
	nopipe_end(&np);
	free(c->host);
	free(c->tls_name);
	free(c->notice);
	free(c);
}
