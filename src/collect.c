/*
 * collect.c - the collect stage: the feeds that are due, fetched together,
 * parsed one by one, each stored in its own transaction.
 *
 * A broken feed costs only itself: its error is recorded on its row, it is
 * left alone for a while (Retry-After, or a backoff that grows with its
 * errors in a row), and the run goes on.  A 410 retires a feed for good.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "config.h"
#include "date.h"
#include "feed.h"
#include "fetch.h"
#include "parse-pool.h"
#include "store.h"
#include "xmalloc.h"

#define BACKOFF_STEP	(15 * 60)
#define BACKOFF_MAX	(24 * 60 * 60)
#define RETRY_AFTER_MAX	(7 * 24 * 60 * 60)
#define UNCHANGED_BATCH	512	/* 304s recorded in one transaction */
#define PARSES_PER_THREAD 2	/* bodies waiting for a worker, at most */

struct job {
	int64_t	 feed_id;
	char	*url;
	char	*etag;
	char	*last_modified;
	int	 errors;	/* consecutive errors before this fetch */
};

struct run {
	struct store *st;
	int64_t	 now;
	const struct collect_options *opt;
	struct job *jobs;
	size_t	 njobs;
	struct collect_summary *sum;
	collect_report_fn report;
	void	*ctx;
	char	*fatal;		/* a store failure stops the run */
	struct parse_pool *pool;	/* made at the first body to parse */
	int	 threads;		/* its workers */
	/*
	 * Feeds that answered 304, not yet recorded.  Should the run die
	 * before they are, they are only fetched again next time.
	 */
	int64_t	 unchanged[UNCHANGED_BATCH];
	size_t	 nunchanged;
};

/*
 * What collect keeps of a response until its feed is stored, parsed on
 * another thread meanwhile: the verdict on it, and the validators.
 */
struct arrival {
	const struct job *j;
	int	 status;
	char	*etag;
	char	*last_modified;
	char	*error;
	const char *state;
	char	*new_url;
	int64_t	 next_fetch;
};

int64_t
collect_backoff(int64_t now, int errors)
{
	int64_t delay = BACKOFF_STEP;

	while (errors-- > 0 && delay < BACKOFF_MAX)
		delay *= 2;
	return now + (delay < BACKOFF_MAX ? delay : BACKOFF_MAX);
}

int64_t
collect_retry_after(const char *value, int64_t now)
{
	int64_t when;
	char *end;
	long long n;

	if (value == NULL || *value == '\0')
		return 0;
	if (isdigit((unsigned char)*value)) {
		n = strtoll(value, &end, 10);
		if (*end != '\0' || n < 0)
			return 0;
		when = n > RETRY_AFTER_MAX ? now + RETRY_AFTER_MAX : now + n;
	} else if ((when = date_parse(value)) == DATE_NONE)
		return 0;
	if (when < now)
		return now;
	return when > now + RETRY_AFTER_MAX ? now + RETRY_AFTER_MAX : when;
}

static int
wanted(const struct run *r, const char *url)
{
	size_t i;

	for (i = 0; i < r->opt->nurls; i++)
		if (strcmp(r->opt->urls[i], url) == 0)
			return 1;
	return 0;
}

static int
add_job(const struct feed_row *f, void *ctx)
{
	struct run *r = ctx;
	struct job *j;

	if (r->opt->nurls > 0 && !wanted(r, f->url))
		return 0;
	r->jobs = xreallocarray(r->jobs, r->njobs + 1, sizeof *r->jobs);
	j = &r->jobs[r->njobs++];
	j->feed_id = f->id;
	j->url = xstrdup(f->url);
	j->etag = xstrdup_or_null(f->etag);
	j->last_modified = xstrdup_or_null(f->last_modified);
	j->errors = f->consecutive_errors;
	return 0;
}

static int
select_jobs(struct run *r, char **err)
{
	if (r->opt->nurls > 0)
		return store_feed_to_fetch(r->st, 0, -1, add_job, r, err);
	return store_feed_to_fetch(r->st, 1, r->opt->all ? -1 : r->now,
	    add_job, r, err);
}

/*
 * Judge the HTTP side of a response: NULL error when there is a body to
 * parse or a 304.  Sets when to come back and whether the feed is gone.
 */
static void
judge_http(const struct run *r, const struct fetch_result *res,
    struct arrival *a)
{
	int64_t later;

	if (res->error) {
		a->error = xstrdup(res->error);
	} else if (res->status == 410) {
		a->error = xstrdup("HTTP status 410 (gone): the feed is retired "
		    "and no longer fetched");
		a->state = "gone";
		return;
	} else if (res->status == 429 || res->status == 503) {
		later = collect_retry_after(res->retry_after, r->now);
		a->error = later ? xasprintf("HTTP status %ld; the server asks "
		    "to retry after %s", res->status, res->retry_after)
		    : xasprintf("HTTP status %ld", res->status);
		a->next_fetch = later ? later : collect_backoff(r->now,
		    a->j->errors + 1);
		return;
	} else if (res->status != 200 && res->status != 304 &&
	    res->status != 0)	/* 0: a file:// feed */
		a->error = xasprintf("HTTP status %ld", res->status);
	if (a->error)
		a->next_fetch = collect_backoff(r->now, a->j->errors + 1);
}

/* A store failure ends the run; its first error is the one reported. */
static void
fail_run(struct run *r, char *err)
{
	if (r->fatal == NULL)
		r->fatal = err;
	else
		free(err);
}

/*
 * A permanent redirect moves the feed, unless another feed already has the
 * new URL: then the move is an error to resolve by hand.
 */
static void
judge_move(struct run *r, const struct fetch_result *res, struct arrival *a)
{
	int64_t other;
	char *err = NULL;
	int rc;

	if (a->error || res->moved_to == NULL ||
	    strcmp(res->moved_to, a->j->url) == 0)
		return;
	rc = store_feed_id(r->st, res->moved_to, &other, &err);
	if (rc == -1)
		fail_run(r, err);
	if (rc == 0 && other != a->j->feed_id) {
		a->error = xasprintf("moved permanently to %s, which is already "
		    "another feed; remove one of them", res->moved_to);
		a->next_fetch = collect_backoff(r->now, a->j->errors + 1);
	} else
		a->new_url = xstrdup(res->moved_to);
}

static struct arrival *
arrival_new(struct run *r, const struct job *j, const struct fetch_result *res)
{
	struct arrival *a = xcalloc(1, sizeof *a);

	a->j = j;
	a->status = (int)res->status;
	judge_http(r, res, a);
	judge_move(r, res, a);
	if (a->error == NULL) {
		a->etag = xstrdup_or_null(res->etag);
		a->last_modified = xstrdup_or_null(res->last_modified);
	}
	return a;
}

static void
arrival_free(struct arrival *a)
{
	free(a->etag);
	free(a->last_modified);
	free(a->error);
	free(a->new_url);
	free(a);
}

static void
record_unchanged(struct run *r)
{
	char *err = NULL;

	if (r->nunchanged > 0 && r->fatal == NULL &&
	    store_feeds_unchanged(r->st, r->unchanged, r->nunchanged, r->now,
	    &err) == -1)
		fail_run(r, err);
	r->nunchanged = 0;
}

static void
summarize(struct run *r, const struct job *j, int status, const char *error,
    const char *warning, int nnew)
{
	struct collect_summary *sum = r->sum;
	struct collect_feed *f;

	if (error)
		sum->failed++;
	else if (status == 304)
		sum->not_modified++;
	else
		sum->fetched++;
	if (error == NULL && warning != NULL)
		sum->warned++;
	sum->new_items += nnew;
	sum->feeds = xreallocarray(sum->feeds, sum->nfeeds + 1,
	    sizeof *sum->feeds);
	f = &sum->feeds[sum->nfeeds++];
	f->url = xstrdup(j->url);
	f->status = status;
	f->error = xstrdup_or_null(error);
	f->warning = error ? NULL : xstrdup_or_null(warning);
	f->new_items = nnew;
	if (r->report)
		r->report(f, sum, r->ctx);
}

/*
 * A feed read with a warning keeps it as its last error, without counting
 * an error or backing off, and its validators are not kept: it is fetched
 * and read in full next time, so the warning stays until the feed is fixed
 * instead of vanishing at the next 304.
 */
static void
store_result(struct run *r, const struct arrival *a, const struct feed *parsed)
{
	struct fetch_outcome o = { 0 };
	const char *warning = parsed ? parsed->warning : NULL;
	char *err = NULL, *note = NULL;
	int nnew = 0;

	if (r->fatal)
		return;
	o.when = r->now;
	o.status = a->status;
	o.error = a->error;
	if (warning != NULL)
		o.warning = note = xasprintf("warning: %s", warning);
	o.etag = warning ? NULL : a->etag;
	o.last_modified = warning ? NULL : a->last_modified;
	o.new_url = a->error ? NULL : a->new_url;
	o.title = parsed ? parsed->title : NULL;
	o.site_link = parsed ? parsed->link : NULL;
	o.next_fetch = a->next_fetch;
	o.state = a->state;
	if (store_feed_update(r->st, a->j->feed_id, &o, parsed, &nnew,
	    &err) == -1)
		fail_run(r, err);
	else
		summarize(r, a->j, o.status, a->error, warning, nnew);
	free(note);
}

/* A parsed body comes back: its feed, or why it is none, is stored. */
static void
store_parsed(struct run *r, struct parse_job *job)
{
	struct arrival *a = job->user;

	if (job->error != NULL) {
		a->error = job->error;
		job->error = NULL;
		a->next_fetch = collect_backoff(r->now, a->j->errors + 1);
	}
	store_result(r, a, job->feed);
	arrival_free(a);
	parse_job_free(job);
}

/*
 * The fetch loop's turn: store what the workers have parsed.  Returns the
 * descriptor that wakes the loop when more is.
 */
static int
on_turn(void *ctx)
{
	struct run *r = ctx;
	struct parse_job *job;

	if (r->pool == NULL)
		return -1;
	while ((job = parse_pool_take(r->pool, 0)) != NULL)
		store_parsed(r, job);
	return parse_pool_fd(r->pool);
}

/*
 * Hand the body (taken from res) to the workers.  While too many wait for
 * one, the fetch loop waits too, storing what comes back: memory stays
 * bounded however far the network runs ahead of the parsing.
 */
static void
parse_later(struct run *r, struct fetch_result *res, struct arrival *a)
{
	size_t most;

	if (r->pool == NULL) {
		r->threads = parse_pool_threads();
		r->pool = parse_pool_new(r->threads);
	}
	parse_pool_submit(r->pool, parse_job_new(res->body, res->len,
	    res->effective_url ? res->effective_url : a->j->url, res->charset,
	    a));
	res->body = NULL;
	most = PARSES_PER_THREAD * (size_t)r->threads;
	while (parse_pool_pending(r->pool) > most)
		store_parsed(r, parse_pool_take(r->pool, 1));
}

static void
on_done(const struct fetch_request *req, struct fetch_result *res, void *ctx)
{
	struct run *r = ctx;
	const struct job *j = req->user;
	struct arrival *a;

	if (r->fatal)
		return;
	a = arrival_new(r, j, res);
	if (a->error == NULL && a->new_url == NULL && a->status == 304) {
		r->unchanged[r->nunchanged++] = j->feed_id;
		if (r->nunchanged == UNCHANGED_BATCH)
			record_unchanged(r);
		summarize(r, j, 304, NULL, NULL, 0);
		arrival_free(a);
	} else if (a->error == NULL && a->status != 304)
		parse_later(r, res, a);
	else {
		store_result(r, a, NULL);
		arrival_free(a);
	}
}

/* The bodies still parsing when the last transfer ended. */
static void
store_the_rest(struct run *r)
{
	struct parse_job *job;

	if (r->pool == NULL)
		return;
	while ((job = parse_pool_take(r->pool, 1)) != NULL)
		store_parsed(r, job);
	parse_pool_free(r->pool);
	r->pool = NULL;
}

static void
free_jobs(struct run *r)
{
	size_t i;

	for (i = 0; i < r->njobs; i++) {
		free(r->jobs[i].url);
		free(r->jobs[i].etag);
		free(r->jobs[i].last_modified);
	}
	free(r->jobs);
}

void
collect_summary_free(struct collect_summary *sum)
{
	size_t i;

	if (sum == NULL)
		return;
	for (i = 0; i < sum->nfeeds; i++) {
		free(sum->feeds[i].url);
		free(sum->feeds[i].error);
		free(sum->feeds[i].warning);
	}
	free(sum->feeds);
	memset(sum, 0, sizeof *sum);
}

void
collect_fetch_options(const struct config *cfg, struct fetch_options *fo)
{
	memset(fo, 0, sizeof *fo);
	fo->concurrency = cfg->collect_concurrency;
	fo->timeout = cfg->collect_timeout;
	fo->max_size = cfg->collect_max_size;
	fo->allow_file = cfg->collect_allow_file;
	fo->ca_file = cfg->collect_ca_file;
}

int
collect_all(struct store *st, const struct config *cfg, int64_t now,
    const struct collect_options *opt, struct collect_summary *sum,
    collect_report_fn report, void *ctx, char **err)
{
	static const struct collect_options defaults = { 0, NULL, 0, 0 };
	struct run r = { .st = st, .now = now, .opt = opt ? opt : &defaults,
	    .sum = sum, .report = report, .ctx = ctx };
	struct fetch_options fo;
	struct fetch_request *reqs;
	size_t i;
	int rc = 0;

	memset(sum, 0, sizeof *sum);
	collect_fetch_options(cfg, &fo);
	if (r.opt->concurrency > 0)
		fo.concurrency = r.opt->concurrency;
	if (select_jobs(&r, err) == -1) {
		free_jobs(&r);
		return -1;
	}
	sum->total = r.njobs;
	reqs = xcalloc(r.njobs ? r.njobs : 1, sizeof *reqs);
	for (i = 0; i < r.njobs; i++)
		reqs[i] = (struct fetch_request){ r.jobs[i].url, r.jobs[i].etag,
		    r.jobs[i].last_modified, &r.jobs[i] };
	fo.turn = on_turn;
	if (r.njobs > 0 &&
	    fetch_all(reqs, r.njobs, &fo, on_done, &r, err) == -1)
		rc = -1;
	store_the_rest(&r);
	record_unchanged(&r);
	if (rc == 0 && r.fatal) {
		*err = r.fatal;
		r.fatal = NULL;
		rc = -1;
	}
	free(r.fatal);
	free(reqs);
	free_jobs(&r);
	return rc;
}
