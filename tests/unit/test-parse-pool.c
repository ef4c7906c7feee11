/*
 * test-parse-pool.c - feeds parsed on worker threads come back whole, each
 * once, with the caller's pointer, and read exactly as feed_parse reads
 * them on the caller's thread; the pool's descriptor wakes a poll(2).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "parse-pool.h"
#include "tap.h"
#include "xmalloc.h"

#define NFEEDS	60

/* Feed n: RSS with n % 7 + 1 items; every ninth one is no feed at all. */
static char *
document(int n, size_t *len)
{
	char *doc, *items = xstrdup(""), *more;
	int i;

	if (n % 9 == 4) {
		doc = xasprintf("<html><body>page %d</body></html>", n);
		*len = strlen(doc);
		free(items);
		return doc;
	}
	for (i = 0; i <= n % 7; i++) {
		more = xasprintf("%s<item><title>item %d.%d &amp; more</title>"
		    "<link>/%d/%d</link><description>&lt;p&gt;body "
		    "&lt;script&gt;x()&lt;/script&gt;%d&lt;/p&gt;"
		    "</description></item>", items, n, i, n, i, i);
		free(items);
		items = more;
	}
	doc = xasprintf("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	    "<title>feed %d</title><link>https://example.org/%d</link>%s"
	    "</channel></rss>", n, n, items);
	free(items);
	*len = strlen(doc);
	return doc;
}

/* Does got read as feed_parse reads the same bytes here? */
static int
same_as_inline(int n, const struct parse_job *got)
{
	size_t len, i;
	char *doc = document(n, &len), *err = NULL;
	struct feed *want = feed_parse(doc, len, "https://example.org/f",
	    NULL, &err);
	int same;

	if (want == NULL) {
		same = got->feed == NULL && got->error != NULL &&
		    strcmp(got->error, err) == 0;
	} else {
		same = got->feed != NULL && got->error == NULL &&
		    strcmp(got->feed->title, want->title) == 0 &&
		    got->feed->nitems == want->nitems;
		for (i = 0; same && i < want->nitems; i++)
			same = strcmp(got->feed->items[i].title,
			    want->items[i].title) == 0 &&
			    strcmp(got->feed->items[i].link,
			    want->items[i].link) == 0 &&
			    strcmp(got->feed->items[i].summary_html,
			    want->items[i].summary_html) == 0;
	}
	feed_free(want);
	free(err);
	free(doc);
	return same;
}

static void
submit(struct parse_pool *p, int n, int *tags)
{
	size_t len;
	char *doc = document(n, &len);

	tags[n] = n;
	parse_pool_submit(p, parse_job_new(doc, len, "https://example.org/f",
	    NULL, &tags[n]));
}

/* Submit every feed, take them all back, check each. */
static void
round_trip(int nthreads)
{
	struct parse_pool *p = parse_pool_new(nthreads);
	struct parse_job *job;
	int tags[NFEEDS], seen[NFEEDS] = { 0 }, n, taken = 0, wrong = 0;
	char name[80];

	for (n = 0; n < NFEEDS; n++)
		submit(p, n, tags);
	is_int((long long)parse_pool_pending(p), NFEEDS,
	    "every job submitted is pending");
	while ((job = parse_pool_take(p, 1)) != NULL) {
		n = *(int *)job->user;
		seen[n]++;
		taken++;
		if (job->body != NULL || !same_as_inline(n, job))
			wrong++;
		parse_job_free(job);
	}
	for (n = 0; n < NFEEDS; n++)
		if (seen[n] != 1)
			wrong++;
	snprintf(name, sizeof name, "%d threads: %d jobs back, each once, "
	    "read as on the caller's thread", nthreads, NFEEDS);
	ok(taken == NFEEDS && wrong == 0, name);
	is_int((long long)parse_pool_pending(p), 0, "nothing is pending after");
	ok(parse_pool_take(p, 0) == NULL && parse_pool_take(p, 1) == NULL,
	    "an empty pool gives nothing, and does not block");
	parse_pool_free(p);
}

/* A worker's finished job makes the descriptor readable. */
static void
wakes_poll(void)
{
	struct parse_pool *p = parse_pool_new(2);
	struct parse_job *job = NULL;
	struct pollfd pfd;
	int tags[NFEEDS], rounds = 0;

	ok(parse_pool_fd(p) >= 0, "with threads there is a descriptor to poll");
	submit(p, 3, tags);
	pfd.fd = parse_pool_fd(p);
	pfd.events = POLLIN;
	while (job == NULL && rounds++ < 100 && poll(&pfd, 1, 10000) == 1)
		job = parse_pool_take(p, 0);
	ok(job != NULL && job->feed != NULL && job->user == &tags[3],
	    "poll wakes when the job is parsed, and take hands it back");
	parse_job_free(job);
	pfd.revents = 0;
	is_int(poll(&pfd, 1, 0), 0, "taking it empties the descriptor");
	parse_pool_free(p);
}

/*
 * Jobs left in the pool are freed with it: nothing to assert here, but
 * the sanitizer run of this test fails on a leak.
 */
static void
free_with_jobs_left(void)
{
	struct parse_pool *p = parse_pool_new(2);
	int tags[NFEEDS], n;

	for (n = 0; n < 20; n++)
		submit(p, n, tags);
	parse_pool_free(p);
}

int
main(void)
{
	struct parse_pool *p = parse_pool_new(0);

	ok(parse_pool_fd(p) == -1, "without threads there is no descriptor");
	parse_pool_free(p);
	ok(parse_pool_threads() >= 0 && parse_pool_threads() <= 8,
	    "the machine's thread count is between none and 8");
	round_trip(0);
	round_trip(1);
	round_trip(2);
	round_trip(4);
	wakes_poll();
	free_with_jobs_left();
	return done_testing();
}
