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
#include "store.h"
#include "xmalloc.h"

#define BACKOFF_STEP	(15 * 60)
#define BACKOFF_MAX	(24 * 60 * 60)
#define RETRY_AFTER_MAX	(7 * 24 * 60 * 60)
#define UNCHANGED_BATCH	512	/* 304s recorded in one transaction */

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
	/*
	 * Feeds that answered 304, not yet recorded.  Should the run die
	 * before they are, they are only fetched again next time.
	 */
	int64_t	 unchanged[UNCHANGED_BATCH];
	size_t	 nunchanged;
};

/* What collect makes of one response before storing it. */
struct verdict {
	char	*error;
	const char *state;
	const char *new_url;
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
		return store_feed_each(r->st, 0, add_job, r, err);
	if (r->opt->all)
		return store_feed_each(r->st, 1, add_job, r, err);
	return store_feed_due(r->st, r->now, add_job, r, err);
}

/*
 * Judge the HTTP side of a response: NULL error when there is a body to
 * parse or a 304.  Sets when to come back and whether the feed is gone.
 */
static void
judge_http(const struct run *r, const struct job *j,
    const struct fetch_result *res, struct verdict *v)
{
	int64_t later;

	if (res->error) {
		v->error = xstrdup(res->error);
	} else if (res->status == 410) {
		v->error = xstrdup("HTTP status 410 (gone): the feed is retired "
		    "and no longer fetched");
		v->state = "gone";
		return;
	} else if (res->status == 429 || res->status == 503) {
		later = collect_retry_after(res->retry_after, r->now);
		v->error = later ? xasprintf("HTTP status %ld; the server asks "
		    "to retry after %s", res->status, res->retry_after)
		    : xasprintf("HTTP status %ld", res->status);
		v->next_fetch = later ? later : collect_backoff(r->now,
		    j->errors + 1);
		return;
	} else if (res->status != 200 && res->status != 304 &&
	    res->status != 0)	/* 0: a file:// feed */
		v->error = xasprintf("HTTP status %ld", res->status);
	if (v->error)
		v->next_fetch = collect_backoff(r->now, j->errors + 1);
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
judge_move(struct run *r, const struct job *j, const struct fetch_result *res,
    struct verdict *v)
{
	int64_t other;
	char *err = NULL;
	int rc;

	if (v->error || res->moved_to == NULL ||
	    strcmp(res->moved_to, j->url) == 0)
		return;
	rc = store_feed_id(r->st, res->moved_to, &other, &err);
	if (rc == -1)
		fail_run(r, err);
	if (rc == 0 && other != j->feed_id) {
		v->error = xasprintf("moved permanently to %s, which is already "
		    "another feed; remove one of them", res->moved_to);
		v->next_fetch = collect_backoff(r->now, j->errors + 1);
	} else
		v->new_url = res->moved_to;
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
store_result(struct run *r, const struct job *j, const struct fetch_result *res,
    struct feed *parsed, const struct verdict *v)
{
	struct fetch_outcome o = { 0 };
	const char *warning = parsed ? parsed->warning : NULL;
	char *err = NULL, *note = NULL;
	int nnew = 0;

	o.when = r->now;
	o.status = (int)res->status;
	o.error = v->error;
	if (warning != NULL)
		o.warning = note = xasprintf("warning: %s", warning);
	o.etag = warning ? NULL : res->etag;
	o.last_modified = warning ? NULL : res->last_modified;
	o.new_url = v->error ? NULL : v->new_url;
	o.title = parsed ? parsed->title : NULL;
	o.site_link = parsed ? parsed->link : NULL;
	o.next_fetch = v->next_fetch;
	o.state = v->state;
	if (store_feed_update(r->st, j->feed_id, &o, parsed, &nnew,
	    &err) == -1) {
		fail_run(r, err);
		free(note);
		return;
	}
	summarize(r, j, o.status, v->error, warning, nnew);
	free(note);
}

static void
on_done(const struct fetch_request *req, const struct fetch_result *res,
    void *ctx)
{
	struct run *r = ctx;
	const struct job *j = req->user;
	struct feed *parsed = NULL;
	struct verdict v = { NULL, NULL, NULL, 0 };

	if (r->fatal)
		return;
	judge_http(r, j, res, &v);
	judge_move(r, j, res, &v);
	if (v.error == NULL && v.new_url == NULL && res->status == 304) {
		r->unchanged[r->nunchanged++] = j->feed_id;
		if (r->nunchanged == UNCHANGED_BATCH)
			record_unchanged(r);
		summarize(r, j, 304, NULL, NULL, 0);
		return;
	}
	if (v.error == NULL && res->status != 304) {
		parsed = feed_parse(res->body, res->len, res->effective_url ?
		    res->effective_url : j->url, res->charset, &v.error);
		if (v.error)
			v.next_fetch = collect_backoff(r->now, j->errors + 1);
	}
	if (r->fatal == NULL)
		store_result(r, j, res, parsed, &v);
	feed_free(parsed);
	free(v.error);
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
	if (r.njobs > 0 &&
	    fetch_all(reqs, r.njobs, &fo, on_done, &r, err) == -1)
		rc = -1;
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
