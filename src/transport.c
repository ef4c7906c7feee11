/*
 * transport.c - SMTP, sendmail and Maildir behind one interface.
 *
 * An SMTP connection that drops is reopened once for the next message; if
 * that fails the transport reports TRANSPORT_DOWN so the caller stops and
 * leaves the rest queued.  A connection's notice (plain text where TLS was
 * hoped for) is handed to the caller once, by transport_notice().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "config.h"
#include "secret.h"
#include "maildir.h"
#include "smtp.h"
#include "nopipe.h"
#include "transport.h"
#include "xmalloc.h"


enum kind { T_SMTP, T_SENDMAIL, T_MAILDIR };

struct transport {
	enum kind kind;
	struct smtp_options opt;
	char	*password;
	struct smtp_conn *conn;
	const char *maildir;
	const char *sendmail;
	int	 noticed;	/* transport_notice() said its piece */
};

static enum smtp_tls
tls_mode(const char *tls)
{
	if (!strcmp(tls, "tls"))
		return SMTP_TLS_IMPLICIT;
	if (!strcmp(tls, "opportunistic"))
		return SMTP_TLS_OPPORTUNISTIC;
	if (!strcmp(tls, "none"))
		return SMTP_TLS_NONE;
	return SMTP_TLS_STARTTLS;
}

/* [smtp] port, or the one its tls mode implies. */
static int
port_of(const struct config *cfg)
{
	return cfg->smtp_port > 0 ? cfg->smtp_port :
	    smtp_default_port(tls_mode(cfg->smtp_tls));
}

static int
smtp_setup(struct transport *t, const struct config *cfg, int *busy,
    char **err)
{
	t->opt.host = cfg->smtp_host;
	t->opt.port = port_of(cfg);
	t->opt.tls = tls_mode(cfg->smtp_tls);
	t->opt.user = cfg->smtp_user;
	t->opt.timeout = cfg->smtp_timeout;
	t->opt.ca_file = cfg->smtp_ca_file;
	t->opt.tls_name = cfg->smtp_tls_name;
	t->opt.tls_insecure = !cfg->smtp_tls_verify;
	if (cfg->smtp_user && (cfg->smtp_password_file ||
	    cfg->smtp_password_command) && (t->password = secret_read("[smtp]",
	    cfg->smtp_password_file, cfg->smtp_password_command, err)) == NULL)
		return -1;
	t->opt.password = t->password;
	if ((t->conn = smtp_open(&t->opt, busy, err)) == NULL) {
		char *why = *err;

		*err = xasprintf("cannot reach the SMTP server %s:%d: %s",
		    cfg->smtp_host, t->opt.port, why);
		free(why);
		return -1;
	}
	return 0;
}

struct transport *
transport_open(const struct config *cfg, int *busy, char **err)
{
	struct transport *t = xcalloc(1, sizeof *t);

	if (busy != NULL)
		*busy = 0;
	if (!strcmp(cfg->transport, "maildir")) {
		t->kind = T_MAILDIR;
		t->maildir = cfg->maildir;
	} else if (!strcmp(cfg->transport, "sendmail")) {
		t->kind = T_SENDMAIL;
		t->sendmail = cfg->sendmail;
	} else if (smtp_setup(t, cfg, busy, err) == -1) {
		transport_close(t);
		return NULL;
	}
	return t;
}

static enum transport_status
of_smtp(enum smtp_status st)
{
	switch (st) {
	case SMTP_PENDING:
		return TRANSPORT_PENDING;
	case SMTP_OK:
		return TRANSPORT_OK;
	case SMTP_PERMFAIL:
		return TRANSPORT_PERMFAIL;
	case SMTP_BADRCPT:
		return TRANSPORT_BADRCPT;
	case SMTP_REFUSED_SENDER:
		return TRANSPORT_REFUSED_SENDER;
	case SMTP_REFUSED_RCPT:
		return TRANSPORT_REFUSED_RCPT;
	case SMTP_REFUSED_DATA:
		return TRANSPORT_REFUSED_DATA;
	default:
		return TRANSPORT_TEMPFAIL;
	}
}

static enum transport_status
via_smtp(struct transport *t, const char *from, const char *to,
    const char *msg, size_t len, char **err)
{
	if (!smtp_usable(t->conn)) {
		smtp_close(t->conn);
		if ((t->conn = smtp_open(&t->opt, NULL, err)) == NULL)
			return TRANSPORT_DOWN;
	}
	return of_smtp(smtp_submit(t->conn, from, to, msg, len, err));
}

/* sendmail -t reads the recipients from the headers; local line ends. */
static enum transport_status
via_sendmail(struct transport *t, const char *msg, size_t len, char **err)
{
	struct nopipe np;
	FILE *fp = popen(t->sendmail, "w");
	size_t i;
	int status;

	if (fp == NULL) {
		*err = xasprintf("cannot run '%s': %s", t->sendmail,
		    strerror(errno));
		return TRANSPORT_DOWN;
	}
	/* A command that is missing or quits early must not end the run. */
	nopipe_begin(&np);
	for (i = 0; i < len; i++)
		if (!(msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n'))
			putc(msg[i], fp);
	status = pclose(fp);
	nopipe_end(&np);
	if (status == 0)
		return TRANSPORT_OK;
	*err = xasprintf("'%s' exited with status %d", t->sendmail,
	    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	/* sysexits: 67 says the address is wrong, 65 the data. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 67)
		return TRANSPORT_BADRCPT;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 65)
		return TRANSPORT_PERMFAIL;
	return TRANSPORT_TEMPFAIL;
}

enum transport_status
transport_send(struct transport *t, const char *from, const char *to,
    const char *msg, size_t len, char **err)
{
	enum transport_status st = transport_submit(t, from, to, msg, len,
	    err);

	return st == TRANSPORT_PENDING ? transport_finish(t, err) : st;
}

enum transport_status
transport_finish(struct transport *t, char **err)
{
	return of_smtp(t->kind == T_SMTP ? smtp_finish(t->conn, err) :
	    SMTP_TEMPFAIL);
}

enum transport_status
transport_submit(struct transport *t, const char *from, const char *to,
    const char *msg, size_t len, char **err)
{
	switch (t->kind) {
	case T_MAILDIR:
		return maildir_deliver(t->maildir, msg, len, err) == 0
		    ? TRANSPORT_OK : TRANSPORT_DOWN;
	case T_SENDMAIL:
		return via_sendmail(t, msg, len, err);
	default:
		return via_smtp(t, from, to, msg, len, err);
	}
}

char *
transport_notice(struct transport *t)
{
	const char *n;

	if (t->kind != T_SMTP || t->noticed ||
	    (n = smtp_notice(t->conn)) == NULL)
		return NULL;
	t->noticed = 1;
	return xstrdup(n);
}

void
transport_pause(struct transport *t)
{
	if (t == NULL || t->kind != T_SMTP)
		return;
	smtp_close(t->conn);
	t->conn = NULL;
}

void
transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	smtp_close(t->conn);
	free(t->password);
	free(t);
}

const char *
transport_reply(const char *err)
{
	const char *p = err != NULL ? strstr(err, ": ") : NULL;

	return p != NULL ? p + 2 : err;
}

char *
transport_describe(const struct config *cfg)
{
	if (!strcmp(cfg->transport, "maildir"))
		return xasprintf("maildir %s", cfg->maildir);
	if (!strcmp(cfg->transport, "sendmail"))
		return xasprintf("sendmail '%s'", cfg->sendmail);
	return xasprintf("smtp %s:%d (tls %s)", cfg->smtp_host, port_of(cfg),
	    cfg->smtp_tls);
}
