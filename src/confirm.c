/*
 * confirm.c - the confirmation mail of double opt-in, built with the
 * digest's MIME builder and sent through the configured transport.
 *
 * Kept apart from the digest path: no templates, no outbox row.  The mail
 * carries only the confirm link, and is DKIM-signed like a digest: a
 * receiver that wants signed bulk mail would otherwise junk the very
 * first mail a subscriber gets.  Building and sending are two steps, so
 * the caller can commit the pending subscriber in between and hold no
 * database lock during the SMTP exchange.  It never prints and never
 * touches the store.
 */
#include <stdlib.h>

#include "buf.h"
#include "compose.h"
#include "config.h"
#include "confirm.h"
#include "dkim.h"
#include "html.h"
#include "mime.h"
#include "transport.h"
#include "xmalloc.h"

char *
confirm_url(const struct config *cfg, const char *token)
{
	if (cfg->base_url == NULL || *cfg->base_url == '\0')
		return NULL;
	return xasprintf("%s/confirm?t=%s", cfg->base_url, token);
}

/* The two bodies; url and title are escaped for the HTML one. */
static void
bodies(const char *title, const char *url, char **text, char **html)
{
	char *et = html_escape(title), *eu = html_escape(url);

	*text = xasprintf("Someone, probably you, asked to receive %s at this "
	    "address.\n\nTo confirm, open this link:\n\n  %s\n\nIf it was not "
	    "you, ignore this message: without confirmation nothing will be "
	    "sent, and the request is forgotten.\n", title, url);
	*html = xasprintf("<!DOCTYPE html>\n<html><body>\n<p>Someone, probably "
	    "you, asked to receive <strong>%s</strong> at this address.</p>\n"
	    "<p><a href=\"%s\">Confirm the subscription</a></p>\n<p>If it was "
	    "not you, ignore this message: without confirmation nothing will "
	    "be sent.</p>\n</body></html>\n", et, eu);
	free(et);
	free(eu);
}

int
confirm_build(const struct config *cfg, const char *email, const char *name,
    const char *token, int64_t now, const struct dkim_signer *dkim,
    struct buf *out, char **err)
{
	struct outgoing m = { 0 };
	char *from_name = NULL, *from_addr = NULL, *url, *subject, *mid;
	char *text, *html;
	const char *title = cfg->title ? cfg->title : "the newsletter";
	int rc;

	if ((url = confirm_url(cfg, token)) == NULL) {
		*err = xstrdup("double opt-in needs [general] base_url (the "
		    "address of gazette cgi) for the confirm link");
		return -1;
	}
	if (cfg->from == NULL ||
	    config_split_from(cfg->from, &from_name, &from_addr) == -1) {
		free(url);
		*err = xstrdup("no sender: set [mail] from in the "
		    "configuration");
		return -1;
	}
	bodies(title, url, &text, &html);
	subject = xasprintf("Confirm your subscription to %s", title);
	mid = mime_message_id(compose_domain(cfg));
	m.from_name = from_name ? from_name : cfg->title;
	m.from_addr = from_addr;
	m.to_name = name;
	m.to_addr = email;
	m.reply_to = cfg->reply_to;
	m.subject = subject;
	m.message_id = mid;
	m.date = now;
	m.text = text;
	m.html = html;
	rc = mime_build(&m, out, err);
	if (rc == 0 && dkim != NULL)
		rc = dkim_signer_sign(dkim, out, err);
	free(from_name);
	free(from_addr);
	free(url);
	free(subject);
	free(mid);
	free(text);
	free(html);
	return rc;
}

enum confirm_outcome
confirm_send(const struct config *cfg, const char *email,
    const struct buf *msg, char **err)
{
	enum confirm_outcome rc = CONFIRM_DEFERRED;
	enum transport_status st;
	struct transport *t;
	char *from_name = NULL, *from_addr = NULL;

	/* confirm_build checked [mail] from already. */
	if (config_split_from(cfg->from, &from_name, &from_addr) == -1) {
		*err = xstrdup("no sender: set [mail] from in the "
		    "configuration");
		return CONFIRM_REFUSED;
	}
	if ((t = transport_open(cfg, NULL, err)) != NULL) {
		st = transport_send(t, from_addr, email, msg->data, msg->len,
		    err);
		rc = st == TRANSPORT_OK ? CONFIRM_SENT : st ==
		    TRANSPORT_TEMPFAIL || st == TRANSPORT_DOWN ?
		    CONFIRM_DEFERRED : CONFIRM_REFUSED;
		if (rc != CONFIRM_SENT && *err == NULL)
			*err = xasprintf("the %s transport refused it",
			    cfg->transport);
		transport_close(t);
	}
	free(from_name);
	free(from_addr);
	return rc;
}
