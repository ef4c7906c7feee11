/*
 * collect.h - fetch the feeds that are due, parse them, store what is new.
 */
#ifndef GZ_COLLECT_H
#define GZ_COLLECT_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct fetch_options;
struct store;

/* Which feeds a run fetches, and how many at once. */
struct collect_options {
	int	 all;		/* every active feed, due or not */
	char *const *urls;	/* only these feeds, whatever their state */
	size_t	 nurls;
	int	 concurrency;	/* 0: [collect] concurrency */
};

/* What one feed's fetch came to. */
struct collect_feed {
	char	*url;		/* the URL it was fetched from */
	int	 status;	/* HTTP status, 0 none */
	char	*error;		/* NULL on success */
	char	*warning;	/* read, but the feed has a problem (ill-formed
				 * XML): its items were stored; or NULL */
	int	 new_items;
};

struct collect_summary {
	int	 fetched;	/* 200 and parsed */
	int	 not_modified;	/* 304 */
	int	 failed;
	int	 warned;	/* fetched, with a warning */
	int	 new_items;
	struct collect_feed *feeds;	/* in completion order */
	size_t	 nfeeds;
	size_t	 total;		/* feeds the run set out to fetch */
};

/* Called once per feed as it finishes; s->nfeeds of s->total are done. */
typedef void (*collect_report_fn)(const struct collect_feed *f,
	    const struct collect_summary *s, void *ctx);

/*
 * Collect the active feeds that are due (next_fetch not in the future), or
 * those opt asks for (opt may be NULL).  A feed's failure is recorded on
 * its row, reported and counted; it never stops the others.  Returns -1
 * with *err only when the run itself cannot go on (the store fails).  The
 * caller frees sum with collect_summary_free, whatever the result.
 */
int	 collect_all(struct store *st, const struct config *cfg, int64_t now,
	    const struct collect_options *opt, struct collect_summary *sum,
	    collect_report_fn report, void *ctx, char **err);
void	 collect_summary_free(struct collect_summary *sum);

/*
 * How [collect] says to fetch: concurrency, timeout, max_size, allow_file
 * and ca_file.  Commands that fetch a feed outside a run (feed add, parse)
 * use the same.
 */
void	 collect_fetch_options(const struct config *cfg,
	    struct fetch_options *fo);

/*
 * When to try a feed again after its n-th failure in a row: now + 2^n
 * quarters of an hour, at most a day later.
 */
int64_t	 collect_backoff(int64_t now, int errors);
/*
 * A Retry-After value (delay in seconds or an HTTP date) as an instant,
 * kept within a week of now; 0 when unreadable.
 */
int64_t	 collect_retry_after(const char *value, int64_t now);

#endif
