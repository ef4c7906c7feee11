/*
 * deliver.c - the send stage.  For each due digest: render, build the
 * message, hand it to the transport, and record the outcome.
 *
 * The order is the guarantee: the sent mark is written only after the
 * transport accepted the message, so a crash between the two re-sends at
 * most that one digest and never loses one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#define RETRY_FIRST	(15 * 60)	/* seconds before the first retry */
#define RETRY_MAX	(24 * 3600)	/* the longest wait between tries */

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

int64_t
deliver_retry_delay(int attempts)
{
	int64_t delay = RETRY_FIRST;

	while (--attempts > 0 && delay < RETRY_MAX)
		delay *= 2;
	return delay < RETRY_MAX ? delay : RETRY_MAX;
}

static int
read_attempts(const struct outbox_row *r, void *ctx)
{
	*(int *)ctx = r->attempts;
	return 0;
}

/* Count the bounce; a failure to count it is reported, the digest stays
 * failed either way. */
static void
bounce(struct sender *s, const struct digest *d, struct deliver_event *ev)
{
	char *err = NULL;

	if (store_subscriber_bounce(s->st, d->subscriber_id,
	    s->cfg->max_bounces, &ev->retired, &err) == -1) {
		struct deliver_event bad = { "unrecorded", err, 0, 0, 0, 0, 0 };

		s->report(d, &bad, s->ctx);
		free(err);
		return;
	}
	ev->bounce = 1;
}

static void
record(struct sender *s, const struct digest *d, enum transport_status st,
    struct deliver_event *ev)
{
	char *err = NULL;
	int rc, attempts = 0;

	if (st == TRANSPORT_OK) {
		rc = store_digest_sent(s->st, d->id, s->now, &err);
		s->sum->sent++;
		ev->outcome = "sent";
		ev->error = NULL;
	} else {
		if (store_outbox_get(s->st, d->id, read_attempts, &attempts,
		    &err) == -1) {
			free(err);
			err = NULL;
		}
		ev->attempts = attempts + 1;
		if (st == TRANSPORT_TEMPFAIL)
			ev->retry_at = s->now +
			    deliver_retry_delay(ev->attempts);
		rc = store_digest_attempt_failed(s->st, d->id, ev->error,
		    ev->retry_at, &err);
		if (st == TRANSPORT_TEMPFAIL)
			s->sum->deferred++;
		else
			s->sum->failed++;
		ev->outcome = st == TRANSPORT_TEMPFAIL ? "deferred" : "failed";
		if (rc == 0 && st == TRANSPORT_BOUNCE)
			bounce(s, d, ev);
	}
	s->report(d, ev, s->ctx);
	if (rc == -1) {
		struct deliver_event bad = { "unrecorded", err, 0, 0, 0, 0, 0 };

		s->report(d, &bad, s->ctx);
		free(err);
	}
}

/* Render and build d's message into msg.  -1 with *err. */
static int
build_one(struct sender *s, const struct digest *d, struct rendered *r,
    struct buf *msg, char **err)
{
	if (render_digest(s->r, d, r, err) == -1)
		return -1;
	return deliver_build(s->cfg, d, r, s->now, msg, err);
}

/* Returns TRANSPORT_DOWN when the run must stop. */
static enum transport_status
send_one(struct sender *s, int64_t id)
{
	struct deliver_event ev = { NULL, NULL, 0, 0, 0, 0, 0 };
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
	if (build_one(s, d, &r, &msg, &err) == 0) {
		ev.size = msg.len;
		st = transport_send(s->t, s->from_addr, d->email, msg.data,
		    msg.len, &err);
	}
	ev.error = err;
	if (st == TRANSPORT_DOWN) {
		ev.outcome = "left queued";
		s->report(d, &ev, s->ctx);
	} else
		record(s, d, st, &ev);
	free(err);
	digest_free(d);
	rendered_free(&r);
	buf_free(&msg);
	return st;
}

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * [smtp] rate: the i-th message of the run leaves no earlier than i/rate
 * seconds after the first, so a slow stretch is not followed by a burst
 * above the rate for longer than it took to catch up.
 */
static void
pace(const struct config *cfg, double start, size_t i)
{
	struct timespec ts;
	double wait;

	if (cfg->smtp_rate <= 0 || strcmp(cfg->transport, "smtp") != 0)
		return;
	wait = start + (double)i / cfg->smtp_rate - monotonic();
	if (wait <= 0)
		return;
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
send_all(struct sender *s, const int64_t *ids, size_t n)
{
	double start = monotonic();
	size_t i;

	for (i = 0; i < n; i++) {
		pace(s->cfg, start, i);
		if (send_one(s, ids[i]) == TRANSPORT_DOWN) {
			s->sum->left = (int)(n - i);
			return -1;
		}
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

static void
plan_one(struct sender *s, int64_t id, deliver_plan_fn fn, void *ctx)
{
	struct rendered r = { 0 };
	struct digest *d;
	struct buf msg;
	char *err = NULL;

	buf_init(&msg, 0);
	if ((d = store_digest_load(s->st, id, &err)) != NULL) {
		if (build_one(s, d, &r, &msg, &err) == 0)
			fn(d, r.subject, msg.len, NULL, ctx);
		else
			fn(d, NULL, 0, err, ctx);
	}
	free(err);
	digest_free(d);
	rendered_free(&r);
	buf_free(&msg);
}

int
deliver_plan(struct store *st, const struct config *cfg, int64_t now,
    deliver_plan_fn fn, void *ctx, char **err)
{
	struct sender s = { st, cfg, NULL, NULL, NULL, NULL, now, NULL,
	    NULL, NULL };
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (sender_of(cfg, &s.from_name, &s.from_addr, err) == -1)
		return -1;
	if (store_outbox_due(st, now, &ids, &n, err) == -1 ||
	    (n > 0 && (s.r = renderer_open(cfg, err)) == NULL))
		goto out;
	for (i = 0; i < n; i++)
		plan_one(&s, ids[i], fn, ctx);
	rc = 0;
out:
	renderer_free(s.r);
	free(s.from_name);
	free(s.from_addr);
	free(ids);
	return rc;
}
