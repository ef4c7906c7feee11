/*
 * parse-pool.h - feeds parsed on worker threads while the caller goes on.
 *
 * collect fetches and stores on its own thread; parsing, most of a first
 * fetch's work, runs on the others.  A job belongs to the pool from
 * parse_pool_submit until parse_pool_take hands it back, parsed.
 */
#ifndef GZ_PARSE_POOL_H
#define GZ_PARSE_POOL_H

#include <stddef.h>

struct feed;

struct parse_job {
	struct parse_job *next;	/* the pool's */
	void	*user;		/* the caller's, handed back */
	char	*body;		/* the feed document, NUL-ended (owned) */
	size_t	 len;
	char	*url;		/* base URL (owned), or NULL */
	char	*charset;	/* the HTTP charset (owned), or NULL */
	struct feed *feed;	/* the result: the feed, or NULL and error */
	char	*error;
};

struct parse_pool;

/* A job for body (taken) fetched from url with charset (both copied). */
struct parse_job *parse_job_new(char *body, size_t len, const char *url,
	    const char *charset, void *user);
/* Frees the job and what it owns; job->feed too, unless taken (NULL). */
void	 parse_job_free(struct parse_job *job);

/*
 * The worker threads this machine warrants: one per CPU, at most 8; none
 * on a single CPU, where a job is parsed at once in parse_pool_submit.
 */
int	 parse_pool_threads(void);

/* A pool of nthreads workers (0: parse in the caller's thread). */
struct parse_pool *parse_pool_new(int nthreads);
/*
 * Stops the workers: jobs none has started are dropped unparsed, those
 * under way finish, and every job not taken back is freed.
 */
void	 parse_pool_free(struct parse_pool *p);

void	 parse_pool_submit(struct parse_pool *p, struct parse_job *job);
/*
 * A parsed job, in the order they finish; NULL when none is ready (wait
 * 0) or none is left at all (wait 1: blocks until one is ready).
 */
struct parse_job *parse_pool_take(struct parse_pool *p, int wait);
/* Jobs submitted and not yet taken back. */
size_t	 parse_pool_pending(const struct parse_pool *p);
/*
 * A descriptor that turns readable when a job is ready, for poll(2); -1
 * without threads.  parse_pool_take empties it.
 */
int	 parse_pool_fd(const struct parse_pool *p);

#endif
