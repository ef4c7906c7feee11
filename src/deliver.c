/*
 * deliver.c - the send stage.  For each due digest: render, build the
 * message, hand it to the transport, and record the outcome.
 *
 * The order is the guarantee: the sent mark is written only after the
 * transport accepted the message, so a crash between the two re-sends at
 * most that one digest and never loses one.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compose.h"
#include "config.h"
#include "deliver.h"
#include "digest.h"
#include "mime.h"
#include "render.h"
#include "store.h"
#include "transport.h"
#include "xmalloc.h"

#define RETRY_DELAY	(15 * 60)	/* seconds before a deferred retry */

struct sender {
	struct store *st;
	const struct config *cfg;
	struct renderer *r;
	struct transport *t;
	char	*from_name;
	char	*from_addr;
	int64_t	 now;
	struct deliver_summary *sum;
	deliver_report_fn report;
	void	*ctx;
};

static int
sender_of(const struct config *cfg, char **name, char **addr, char **err)
{
	if (cfg->from && config_split_from(cfg->from, name, addr) == 0)
		return 0;
	*err = xstrdup("no sender: set [mail] from in the configuration, "
	    "e.g. from = Weekly <digest@example.org>");
	return -1;
}

int
deliver_build(const struct config *cfg, const struct digest *d,
    const struct rendered *r, int64_t now, struct buf *out, char **err)
{
	struct outgoing m = { 0 };
	char *from_name = NULL, *from_addr = NULL, *list_id = NULL;
	char *unsub = NULL;
	int rc;

	if (sender_of(cfg, &from_name, &from_addr, err) == -1)
		return -1;
	list_id = xasprintf("%s <digest.%s>", cfg->title ? cfg->title : "",
	    compose_domain(cfg));
	if (cfg->base_url && d->token)
		unsub = xasprintf("<%s/unsubscribe?t=%s>", cfg->base_url,
		    d->token);
	m.from_name = from_name ? from_name : cfg->title;
	m.from_addr = from_addr;
	m.to_name = d->name;
	m.to_addr = d->email;
	m.reply_to = cfg->reply_to;
	m.subject = r->subject;
	m.message_id = d->message_id;
	m.date = now;
	m.list_id = list_id;
	m.list_unsubscribe = unsub;
	m.one_click = unsub != NULL;
	m.text = r->text;
	m.html = r->html;
	rc = mime_build(&m, out, err);
	free(from_name);
	free(from_addr);
	free(list_id);
	free(unsub);
	return rc;
}

static void
record(struct sender *s, const struct digest *d, enum transport_status st,
    const char *error)
{
	char *err = NULL;
	int rc;

	if (st == TRANSPORT_OK) {
		rc = store_digest_sent(s->st, d->id, s->now, &err);
		s->sum->sent++;
		s->report(d, "sent", NULL, s->ctx);
	} else {
		rc = store_digest_attempt_failed(s->st, d->id, error,
		    st == TRANSPORT_TEMPFAIL ? s->now + RETRY_DELAY : 0, &err);
		if (st == TRANSPORT_TEMPFAIL)
			s->sum->deferred++;
		else
			s->sum->failed++;
		s->report(d, st == TRANSPORT_TEMPFAIL ? "deferred" : "failed",
		    error, s->ctx);
	}
	if (rc == -1) {
		s->report(d, "unrecorded", err, s->ctx);
		free(err);
	}
}

/* Returns TRANSPORT_DOWN when the run must stop. */
static enum transport_status
send_one(struct sender *s, int64_t id)
{
	struct rendered r = { 0 };
	struct digest *d;
	struct buf msg;
	char *err = NULL;
	enum transport_status st = TRANSPORT_PERMFAIL;

	buf_init(&msg, 0);
	if ((d = store_digest_load(s->st, id, &err)) == NULL) {
		free(err);
		return TRANSPORT_DOWN;
	}
	if (render_digest(s->r, d, &r, &err) == 0 &&
	    deliver_build(s->cfg, d, &r, s->now, &msg, &err) == 0) {
		free(err);
		err = NULL;
		st = transport_send(s->t, s->from_addr, d->email, msg.data,
		    msg.len, &err);
	}
	if (st == TRANSPORT_DOWN)
		s->report(d, "left queued", err, s->ctx);
	else
		record(s, d, st, err);
	free(err);
	digest_free(d);
	rendered_free(&r);
	buf_free(&msg);
	return st;
}

static int
send_all(struct sender *s, const int64_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (send_one(s, ids[i]) == TRANSPORT_DOWN) {
			s->sum->left = (int)(n - i);
			return -1;
		}
	return 0;
}

int
deliver_outbox(struct store *st, const struct config *cfg, int64_t now,
    struct deliver_summary *sum, deliver_report_fn report, void *ctx,
    char **err)
{
	struct sender s = { st, cfg, NULL, NULL, NULL, NULL, now, sum,
	    report, ctx };
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = -1;

	memset(sum, 0, sizeof *sum);
	if (sender_of(cfg, &s.from_name, &s.from_addr, err) == -1)
		return -1;
	if (store_outbox_due(st, now, &ids, &n, err) == -1)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if ((s.r = renderer_open(cfg, err)) == NULL ||
	    (s.t = transport_open(cfg, err)) == NULL) {
		sum->left = (int)n;
		goto out;
	}
	if ((rc = send_all(&s, ids, n)) == -1)
		*err = xasprintf("the %s transport failed; %d digest(s) left "
		    "queued for the next run", cfg->transport, sum->left);
out:
	transport_close(s.t);
	renderer_free(s.r);
	free(s.from_name);
	free(s.from_addr);
	free(ids);
	return rc;
}
