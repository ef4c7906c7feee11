/*
 * collect.c - the collect stage: feeds from the store, fetched together,
 * parsed one by one, each stored in its own transaction.
 *
 * A broken feed costs only itself: its error is recorded on its row and
 * the run goes on.
 */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "config.h"
#include "feed.h"
#include "fetch.h"
#include "store.h"
#include "xmalloc.h"

struct job {
	int64_t	 feed_id;
	char	*url;
	char	*etag;
	char	*last_modified;
};

struct run {
	struct store *st;
	int64_t	 now;
	struct job *jobs;
	size_t	 njobs;
	struct collect_summary *sum;
	collect_report_fn report;
	void	*ctx;
	char	*fatal;		/* a store failure stops the run */
};

static int
add_job(const struct feed_row *f, void *ctx)
{
	struct run *r = ctx;
	struct job *j;

	r->jobs = xreallocarray(r->jobs, r->njobs + 1, sizeof *r->jobs);
	j = &r->jobs[r->njobs++];
	j->feed_id = f->id;
	j->url = xstrdup(f->url);
	j->etag = xstrdup_or_null(f->etag);
	j->last_modified = xstrdup_or_null(f->last_modified);
	return 0;
}

/* The charset parameter of a Content-Type, or NULL (new string). */
static char *
content_charset(const char *type)
{
	const char *p = type ? strcasestr(type, "charset=") : NULL;
	size_t n;

	if (p == NULL)
		return NULL;
	p += strlen("charset=");
	if (*p == '"')
		p++;
	n = strcspn(p, "\"; \t");
	return n ? xstrndup(p, n) : NULL;
}

static char *
http_problem(const struct fetch_result *res)
{
	if (res->error)
		return xstrdup(res->error);
	if (res->status != 200 && res->status != 304 && res->status != 0)
		return xasprintf("HTTP status %ld", res->status);
	return NULL;
}

static void
store_result(struct run *r, const struct job *j, const struct fetch_result *res,
    struct feed *parsed, const char *error)
{
	struct fetch_outcome o = { 0 };
	char *err = NULL;
	int nnew = 0;

	o.when = r->now;
	o.status = (int)res->status;
	o.error = error;
	o.etag = res->etag;
	o.last_modified = res->last_modified;
	o.new_url = res->moved_permanently ? res->effective_url : NULL;
	o.title = parsed ? parsed->title : NULL;
	o.site_link = parsed ? parsed->link : NULL;
	if (store_feed_update(r->st, j->feed_id, &o, parsed, &nnew,
	    &err) == -1) {
		if (r->fatal == NULL)
			r->fatal = err;
		else
			free(err);
		return;
	}
	if (error)
		r->sum->failed++;
	else if (res->status == 304)
		r->sum->not_modified++;
	else
		r->sum->fetched++;
	r->sum->new_items += nnew;
	r->report(j->url, error, nnew, r->ctx);
}

static void
on_done(const struct fetch_request *req, const struct fetch_result *res,
    void *ctx)
{
	struct run *r = ctx;
	const struct job *j = req->user;
	struct feed *parsed = NULL;
	char *error = http_problem(res), *charset;

	if (error == NULL && res->status != 304) {
		charset = content_charset(res->content_type);
		parsed = feed_parse(res->body, res->len, res->effective_url ?
		    res->effective_url : j->url, charset, &error);
		free(charset);
	}
	store_result(r, j, res, parsed, error);
	feed_free(parsed);
	free(error);
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

int
collect_all(struct store *st, const struct config *cfg, int64_t now,
    struct collect_summary *sum, collect_report_fn report, void *ctx,
    char **err)
{
	struct run r = { st, now, NULL, 0, sum, report, ctx, NULL };
	struct fetch_options opt = { cfg->collect_concurrency,
	    cfg->collect_timeout, cfg->collect_max_size,
	    cfg->collect_allow_file };
	struct fetch_request *reqs;
	size_t i;
	int rc = 0;

	memset(sum, 0, sizeof *sum);
	if (store_feed_each(st, 1, add_job, &r, err) == -1)
		return -1;
	reqs = xcalloc(r.njobs, sizeof *reqs);
	for (i = 0; i < r.njobs; i++)
		reqs[i] = (struct fetch_request){ r.jobs[i].url, r.jobs[i].etag,
		    r.jobs[i].last_modified, &r.jobs[i] };
	if (r.njobs > 0 &&
	    fetch_all(reqs, r.njobs, &opt, on_done, &r, err) == -1)
		rc = -1;
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
