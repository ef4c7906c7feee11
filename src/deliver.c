/*
 * deliver.c - the send stage.  For each due digest: render, build the
 * message, hand it to the transport, and record the outcome.
 *
 * The order is the guarantee: the sent mark is written only after the
 * transport accepted the message, so a crash between the two re-sends at
 * most that one digest and never loses one.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "buf.h"
#include "compose.h"
#include "config.h"
#include "deliver.h"
#include "digest.h"
#include "dkim.h"
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
	struct mime_cache *encoded;	/* the sections' encodings */
	struct loaded_sections *loaded;	/* the sections' entries */
	struct transport *t;
	char	*from_name;
	char	*from_addr;
	int64_t	 now;
	struct deliver_summary *sum;
	deliver_report_fn report;
	void	*ctx;
	struct dkim_signer *dkim;	/* NULL: [dkim] is off */
	double	 rate;		/* messages per second; 0: no limit */
	deliver_wait_fn wait;
	int	 retrying;	/* the digests tried are deferred ones */
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

/*
 * List-Unsubscribe: a mailto: that gazette bounces reads (the subject
 * carries the token) and the https: page of gazette cgi.  NULL without a
 * token or anywhere to send it.
 */
static char *
unsubscribe_links(const struct config *cfg, const char *token,
    const char *from_addr)
{
	const char *to = cfg->unsubscribe_address ? cfg->unsubscribe_address :
	    from_addr;
	char *mailto = NULL, *https = NULL, *v;

	if (token == NULL)
		return NULL;
	if (to != NULL)
		mailto = xasprintf("<mailto:%s?subject=unsubscribe%%20%s>", to,
		    token);
	if (cfg->base_url != NULL)
		https = xasprintf("<%s/unsubscribe?t=%s>", cfg->base_url, token);
	if (mailto != NULL && https != NULL)
		v = xasprintf("%s, %s", mailto, https);
	else
		v = xstrdup_or_null(mailto != NULL ? mailto : https);
	free(mailto);
	free(https);
	return v;
}

/* deliver_build, the encodings of shared sections kept in cache. */
static int
build_message(const struct config *cfg, const struct digest *d,
    const struct rendered *r, int64_t now, struct mime_cache *cache,
    struct buf *out, char **err)
{
	struct mime_shared shared = { &r->text_pieces, &r->html_pieces,
	    cache };
	struct outgoing m = { 0 };
	char *from_name = NULL, *from_addr = NULL, *list_id = NULL;
	char *unsub = NULL;
	int rc;

	if (sender_of(cfg, &from_name, &from_addr, err) == -1)
		return -1;
	list_id = xasprintf("%s <digest.%s>", cfg->title ? cfg->title : "",
	    compose_domain(cfg));
	unsub = unsubscribe_links(cfg, d->token, from_addr);
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
	/* RFC 8058: one click needs the https: link. */
	m.one_click = unsub != NULL && cfg->base_url != NULL;
	m.text = r->text;
	m.html = r->html;
	m.shared = &shared;
	rc = mime_build(&m, out, err);
	free(from_name);
	free(from_addr);
	free(list_id);
	free(unsub);
	return rc;
}

int
deliver_build(const struct config *cfg, const struct digest *d,
    const struct rendered *r, int64_t now, struct buf *out, char **err)
{
	return build_message(cfg, d, r, now, NULL, out, err);
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

static void
unrecorded(struct sender *s, const struct digest *d, char *err)
{
	struct deliver_event bad = { .outcome = "unrecorded", .error = err };

	s->report(d, &bad, s->ctx);
	free(err);
}

/*
 * Count the bounce a refusal means.  A server's 5xx is read by the bounce
 * reader, as the same words in a returned mail would be: only a gone
 * address is hard; a spam block or a policy says something about us, and
 * counts towards [bounces] soft_limit.  A failure to count it is
 * reported; the digest stays failed either way.
 */
static void
bounce(struct sender *s, const struct digest *d, enum transport_status st,
    struct deliver_event *ev, struct bounce *b)
{
	char *err = NULL;
	int rc;

	if (st == TRANSPORT_BADRCPT)
		b->class = BOUNCE_HARD;
	else
		bounce_read_reply(transport_reply(ev->error),
		    st == TRANSPORT_REFUSED_RCPT ? BOUNCE_AT_RCPT :
		    st == TRANSPORT_REFUSED_DATA ? BOUNCE_AT_DATA :
		    BOUNCE_AT_SENDER, b);
	if (b->class == BOUNCE_HARD)
		rc = store_subscriber_bounce(s->st, d->subscriber_id,
		    s->cfg->max_bounces, &ev->retired, &err);
	else
		rc = store_subscriber_soft_bounce(s->st, d->subscriber_id,
		    s->cfg->bounces_soft_limit, &ev->retired, &err);
	if (rc == -1) {
		unrecorded(s, d, err);
		return;
	}
	ev->bounce = b->class == BOUNCE_HARD ? "hard" : "soft";
	ev->reason = b->reason;
	ev->status = b->status;
}

static int
counts_bounce(enum transport_status st)
{
	return st == TRANSPORT_BADRCPT || st == TRANSPORT_REFUSED_SENDER ||
	    st == TRANSPORT_REFUSED_RCPT || st == TRANSPORT_REFUSED_DATA;
}

static void
record(struct sender *s, const struct digest *d, enum transport_status st,
    struct deliver_event *ev)
{
	struct bounce b = { 0 };
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
		if (rc == 0 && counts_bounce(st))
			bounce(s, d, st, ev, &b);
	}
	s->report(d, ev, s->ctx);
	if (rc == -1)
		unrecorded(s, d, err);
	bounce_clear(&b);
}

/*
 * The renderer, and what it keeps of the sections digests share (their
 * entries as loaded, their encodings): one set per run.  -1 with *err
 * when the templates cannot be read.
 */
static int
render_start(struct sender *s, char **err)
{
	s->encoded = mime_cache_new();
	s->loaded = store_loaded_new();
	return (s->r = renderer_open(s->cfg, err)) == NULL ? -1 : 0;
}

static void
render_stop(struct sender *s)
{
	renderer_free(s->r);
	mime_cache_free(s->encoded);
	store_loaded_free(s->loaded);
	s->r = NULL;
	s->encoded = NULL;
	s->loaded = NULL;
}

/* Render and build d's message into msg.  -1 with *err. */
static int
build_one(struct sender *s, const struct digest *d, struct rendered *r,
    struct buf *msg, char **err)
{
	if (render_digest(s->r, d, r, err) == -1 ||
	    build_message(s->cfg, d, r, s->now, s->encoded, msg, err) == -1)
		return -1;
	return s->dkim ? dkim_signer_sign(s->dkim, msg, err) : 0;
}

/*
 * One digest on its way: loaded, built, handed to the transport, and
 * recorded once the transport's verdict is in.
 */
struct job {
	int64_t	 id;
	struct digest *d;
	struct rendered r;
	struct buf msg;
	struct deliver_event ev;
	char	*err, *notice;
	int	 built;
	enum transport_status st;
};

static void
job_free(struct job *j)
{
	free(j->err);
	free(j->notice);
	digest_free(j->d);
	rendered_free(&j->r);
	buf_free(&j->msg);
	memset(j, 0, sizeof *j);
}

/* Load and build id's message: -1 when the store cannot load it. */
static int
job_build(struct sender *s, int64_t id, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->id = id;
	j->st = TRANSPORT_PERMFAIL;
	buf_init(&j->msg, 0);
	if ((j->d = store_digest_load(s->st, id, s->loaded, &j->err)) == NULL)
		return -1;
	j->built = build_one(s, j->d, &j->r, &j->msg, &j->err) == 0;
	return 0;
}

/* Hand a built message over: j->st is TRANSPORT_PENDING while the server
 * has it and its verdict is still to be read. */
static void
job_submit(struct sender *s, struct job *j)
{
	if (!j->built)
		return;
	j->ev.size = j->msg.len;
	j->st = transport_submit(s->t, s->from_addr, j->d->email, j->msg.data,
	    j->msg.len, &j->err);
	j->notice = transport_notice(s->t);
}

/*
 * Read the verdict if it is pending, record it (a deferred digest goes to
 * later) and free the job: its status, TRANSPORT_DOWN when the run must
 * stop.  A digest is marked sent here, after the server's 250, never
 * before.
 */
static enum transport_status
job_end(struct sender *s, struct job *j, int64_t *later, size_t *nlater)
{
	enum transport_status st;

	if (j->st == TRANSPORT_PENDING)
		j->st = transport_finish(s->t, &j->err);
	j->ev.error = j->err;
	j->ev.notice = j->notice;
	if (j->st == TRANSPORT_DOWN) {
		j->ev.outcome = s->retrying ? "left deferred" : "left queued";
		s->report(j->d, &j->ev, s->ctx);
	} else
		record(s, j->d, j->st, &j->ev);
	if (j->st == TRANSPORT_TEMPFAIL)
		later[(*nlater)++] = j->id;
	st = j->st;
	job_free(j);
	return st;
}

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
doze(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * [smtp] rate: the i-th message of the run leaves no earlier than i/rate
 * seconds after the first, so a slow stretch is not followed by a burst
 * above the rate for longer than it took to catch up.
 */
static void
pace(double rate, double start, size_t i)
{
	if (rate > 0)
		doze(start + (double)i / rate - monotonic());
}

/*
 * Try each of ids once; the deferred ones go to later.  -1 when the
 * transport went away, with *tried the ones attempted before it did.
 * Over SMTP the next message is built while the server takes in the one
 * before: one message per connection is in flight, as before, and each
 * is recorded as soon as its verdict is read.
 */
static int
send_pass(struct sender *s, const int64_t *ids, size_t n, int64_t *later,
    size_t *nlater, size_t *tried)
{
	double start = monotonic();
	struct job job[2], *cur, *prev = NULL;
	int built;
	size_t i;

	*nlater = 0;
	for (i = 0; i < n; i++) {
		cur = &job[i % 2];
		pace(s->rate, start, i);
		built = job_build(s, ids[i], cur);
		if (prev != NULL && job_end(s, prev, later, nlater) ==
		    TRANSPORT_DOWN)
			built = -1;
		prev = NULL;
		if (built == -1) {
			job_free(cur);
			*tried = i;
			return -1;
		}
		job_submit(s, cur);
		if (cur->st == TRANSPORT_PENDING)
			prev = cur;
		else if (job_end(s, cur, later, nlater) == TRANSPORT_DOWN) {
			*tried = i;
			return -1;
		}
	}
	*tried = n;
	if (prev != NULL && job_end(s, prev, later, nlater) == TRANSPORT_DOWN)
		return -1;
	return 0;
}

static int
read_deferred(const struct outbox_row *r, void *ctx)
{
	*(int *)ctx = strcmp(r->state, "deferred") == 0;
	return 0;
}

/* Keep those of ids still deferred: while the run waited, their reader
 * may have unsubscribed (their digests are then dropped). */
static size_t
still_deferred(struct sender *s, int64_t *ids, size_t n)
{
	size_t i, k = 0;
	char *err = NULL;
	int yes;

	for (i = 0; i < n; i++) {
		yes = 0;
		if (store_outbox_get(s->st, ids[i], read_deferred, &yes,
		    &err) == -1) {
			free(err);
			err = NULL;
		}
		if (yes)
			ids[k++] = ids[i];
	}
	return k;
}

/*
 * Deferred digests again, in this run: a greylisting server or one that
 * restarted takes them minutes later, not at the next weekly run.  The
 * waits double from [smtp] retry_delay while their sum stays within
 * [smtp] retry_window; what is deferred after that keeps its next_attempt
 * for a later run.  The connection is let go while waiting.
 */
static void
retry_deferred(struct sender *s, int64_t *ids, size_t n)
{
	int64_t *later = xcalloc(n, sizeof *later);
	int64_t wait = s->cfg->smtp_retry_delay, waited = 0;
	size_t nlater, tried;

	s->retrying = 1;
	while (n > 0 && waited + wait <= s->cfg->smtp_retry_window) {
		if (s->wait != NULL)
			s->wait((int)wait, n, s->ctx);
		transport_pause(s->t);
		doze((double)wait);
		waited += wait;
		s->now += wait;
		wait *= 2;
		s->sum->deferred -= (int)n;
		n = still_deferred(s, ids, n);
		if (send_pass(s, ids, n, later, &nlater, &tried) == -1) {
			/* Gone again: the rest stay deferred for a later run. */
			s->sum->deferred += (int)(n - tried);
			break;
		}
		memcpy(ids, later, nlater * sizeof *ids);
		n = nlater;
	}
	s->retrying = 0;
	free(later);
}

/*
 * The transport, waiting for a server that answers 4xx before any message
 * (421 to the greeting, 454 to STARTTLS or AUTH) as for a deferred
 * digest: [smtp] retry_delay, doubling, within retry_window.  A server
 * that cannot be reached or a certificate that is not trusted is not
 * waited for: that is the next run's to try.
 */
static struct transport *
open_patiently(struct sender *s, size_t n, char **err)
{
	int64_t wait = s->cfg->smtp_retry_delay, waited = 0;
	struct transport *t;
	int busy = 0;

	while ((t = transport_open(s->cfg, &busy, err)) == NULL && busy &&
	    waited + wait <= s->cfg->smtp_retry_window) {
		if (s->wait != NULL)
			s->wait((int)wait, n, s->ctx);
		free(*err);
		*err = NULL;
		doze((double)wait);
		waited += wait;
		s->now += wait;
		wait *= 2;
	}
	return t;
}

static int
send_all(struct sender *s, const int64_t *ids, size_t n)
{
	int64_t *later = xcalloc(n, sizeof *later);
	size_t nlater, tried;
	int rc;

	if ((rc = send_pass(s, ids, n, later, &nlater, &tried)) == -1)
		s->sum->left = (int)(n - tried);
	else if (nlater > 0)
		retry_deferred(s, later, nlater);
	free(later);
	return rc;
}

/* What a sending process hands back to the parent. */
struct child_result {
	struct deliver_summary sum;
	int	 rc;
	char	 err[256];
};

/* The child's part: its own database handle, renderer and transport, and
 * every workers-th digest from the k-th. */
static void
child_send(struct sender *s, const char *db, const int64_t *ids, size_t n,
    size_t k, size_t workers, struct child_result *res)
{
	struct deliver_summary sum = { 0, 0, 0, 0 };
	int64_t *mine = xcalloc(n / workers + 1, sizeof *mine);
	size_t m = 0, i;
	char *err = NULL;

	for (i = k; i < n; i += workers)
		mine[m++] = ids[i];
	s->sum = &sum;
	s->rate /= (double)workers;	/* the rate is for all of them */
	res->rc = -1;
	if ((s->st = store_open(db, &err)) == NULL ||
	    render_start(s, &err) == -1 ||
	    (s->t = open_patiently(s, m, &err)) == NULL)
		sum.left = (int)m;
	else
		res->rc = send_all(s, mine, m);
	if (err != NULL)
		snprintf(res->err, sizeof res->err, "%s", err);
	res->sum = sum;
	transport_close(s->t);
	render_stop(s);
	store_close(s->st);
	free(err);
	free(mine);
}

static pid_t
spawn(struct sender *s, const char *db, const int64_t *ids, size_t n,
    size_t k, size_t workers, int *fd)
{
	struct child_result res;
	int p[2];
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		close(p[0]);
		memset(&res, 0, sizeof res);
		child_send(s, db, ids, n, k, workers, &res);
		/* The parent's database handle is not ours to close: leave
		 * without running exit handlers. */
		_exit(write(p[1], &res, sizeof res) == sizeof res ? 0 : 1);
	}
	close(p[1]);
	if (pid == -1) {
		close(p[0]);
		return -1;
	}
	*fd = p[0];
	return pid;
}

static int
reap(pid_t pid, int fd, struct deliver_summary *sum, char **err)
{
	struct child_result res;
	ssize_t r;
	int status;

	while ((r = read(fd, &res, sizeof res)) == -1 && errno == EINTR)
		;
	close(fd);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (r != (ssize_t)sizeof res) {
		if (*err == NULL)
			*err = xstrdup("a sending process died; its digests "
			    "are as the outbox shows");
		return -1;
	}
	sum->sent += res.sum.sent;
	sum->deferred += res.sum.deferred;
	sum->failed += res.sum.failed;
	sum->left += res.sum.left;
	if (res.rc == 0)
		return 0;
	if (*err == NULL && res.err[0] != '\0')
		*err = xstrdup(res.err);
	return -1;
}

/*
 * [smtp] connections > 1: as many processes, each with its own database
 * handle and SMTP connection and its own slice of the due digests.  A
 * digest is in exactly one slice, and each process records what it sent
 * itself, in the same order as send_all, so exactly-once holds as with one.
 */
static int
send_parallel(struct sender *s, const int64_t *ids, size_t n, size_t workers,
    char **err)
{
	pid_t pids[64];
	int fds[64], rc = 0;
	size_t k, started = 0;
	char *db = xstrdup(store_filename(s->st));

	fflush(NULL);
	for (k = 0; k < workers && k < 64; k++, started++)
		if ((pids[k] = spawn(s, db, ids, n, k, workers, &fds[k])) == -1)
			break;
	for (k = 0; k < started; k++)
		if (reap(pids[k], fds[k], s->sum, err) == -1)
			rc = -1;
	if (started < workers) {
		/* Slices with no process stay queued for the next run. */
		for (k = started; k < workers; k++)
			s->sum->left += (int)((n - k + workers - 1) / workers);
		rc = -1;
	}
	if (rc == -1 && *err == NULL)
		*err = xasprintf("the %s transport failed; %d digest(s) left "
		    "queued for the next run", s->cfg->transport, s->sum->left);
	free(db);
	return rc;
}

/* Processes to send with: more than one only for SMTP and enough mail. */
static size_t
workers_for(const struct config *cfg, size_t n)
{
	size_t w = cfg->smtp_connections > 1 ? (size_t)cfg->smtp_connections : 1;

	if (strcmp(cfg->transport, "smtp") != 0)
		return 1;
	return w < n ? w : n;
}

int
deliver_outbox(struct store *st, const struct config *cfg, int64_t now,
    struct deliver_summary *sum, const struct deliver_hooks *hooks,
    char **err)
{
	struct sender s = { .st = st, .cfg = cfg, .now = now, .sum = sum,
	    .report = hooks->report, .wait = hooks->wait, .ctx = hooks->ctx };
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = -1;

	memset(sum, 0, sizeof *sum);
	if (!strcmp(cfg->transport, "smtp"))
		s.rate = cfg->smtp_rate;
	if (sender_of(cfg, &s.from_name, &s.from_addr, err) == -1)
		return -1;
	if (dkim_enabled(cfg) &&
	    (s.dkim = dkim_signer_open(cfg, NULL, err)) == NULL)
		goto out;
	if (store_outbox_due(st, now, &ids, &n, err) == -1)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (workers_for(cfg, n) > 1) {
		rc = send_parallel(&s, ids, n, workers_for(cfg, n), err);
		goto out;
	}
	if (render_start(&s, err) == -1 ||
	    (s.t = open_patiently(&s, n, err)) == NULL) {
		sum->left = (int)n;
		goto out;
	}
	if ((rc = send_all(&s, ids, n)) == -1)
		*err = xasprintf("the %s transport failed; %d digest(s) left "
		    "queued for the next run", cfg->transport, sum->left);
out:
	dkim_signer_close(s.dkim);
	transport_close(s.t);
	render_stop(&s);
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
	if ((d = store_digest_load(s->st, id, s->loaded, &err)) != NULL) {
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
	struct sender s = { .st = st, .cfg = cfg, .now = now };
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (sender_of(cfg, &s.from_name, &s.from_addr, err) == -1)
		return -1;
	if (dkim_enabled(cfg) &&
	    (s.dkim = dkim_signer_open(cfg, NULL, err)) == NULL)
		goto out;
	if (store_outbox_due(st, now, &ids, &n, err) == -1 ||
	    (n > 0 && render_start(&s, err) == -1))
		goto out;
	for (i = 0; i < n; i++)
		plan_one(&s, ids[i], fn, ctx);
	rc = 0;
out:
	dkim_signer_close(s.dkim);
	render_stop(&s);
	free(s.from_name);
	free(s.from_addr);
	free(ids);
	return rc;
}
