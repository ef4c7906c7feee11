/*
 * confirm.c - the confirmation mail of double opt-in, built with the
 * digest's MIME builder and sent through the configured transport.
 *
 * Kept apart from the digest path: no templates, no outbox row.  The mail
 * carries only the confirm link; it never prints and never touches the
 * store.
 */
#include <stdlib.h>

#include "buf.h"
#include "compose.h"
#include "config.h"
#include "confirm.h"
#include "html.h"
#include "mime.h"
#include "transport.h"
#include "xmalloc.h"

#define CONFIRM_MAX_SIZE ((size_t)64 << 10)

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
    const char *token, int64_t now, struct buf *out, char **err)
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
	free(from_name);
	free(from_addr);
	free(url);
	free(subject);
	free(mid);
	free(text);
	free(html);
	return rc;
}

int
confirm_send(const struct config *cfg, const char *email, const char *name,
    const char *token, int64_t now, char **err)
{
	struct transport *t;
	struct buf msg;
	char *from_name = NULL, *from_addr = NULL;
	int rc = -1;

	buf_init(&msg, CONFIRM_MAX_SIZE);
	if (confirm_build(cfg, email, name, token, now, &msg, err) == -1)
		goto out;
	config_split_from(cfg->from, &from_name, &from_addr);
	if ((t = transport_open(cfg, err)) == NULL)
		goto out;
	if (transport_send(t, from_addr, email, msg.data, msg.len, err) ==
	    TRANSPORT_OK)
		rc = 0;
	else if (*err == NULL)
		*err = xasprintf("the %s transport refused the confirmation "
		    "mail to %s", cfg->transport, email);
	transport_close(t);
out:
	free(from_name);
	free(from_addr);
	buf_free(&msg);
	return rc;
}
