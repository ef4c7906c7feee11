/*
 * fetch.h - HTTP(S) fetching of many URLs at once.
 *
 * fetch.c is the only file that includes curl.h for HTTP.  It runs a libcurl
 * multi loop and calls back once per request, in completion order.
 */
#ifndef GZ_FETCH_H
#define GZ_FETCH_H

#include <stddef.h>

struct fetch_options {
	int	 concurrency;	/* transfers at once (default 16) */
	long	 timeout;	/* seconds for a whole transfer (default 30) */
	size_t	 max_size;	/* body cap after decompression (default 10 MiB) */
	int	 allow_file;	/* permit file:// URLs (demo and tests) */
	const char *ca_file;	/* the CAs (PEM) https servers must lead to,
				 * instead of the system's; NULL: the system's */
	/*
	 * Called on the loop's thread at each turn, with done's ctx, or
	 * NULL.  Returns a descriptor whose readability should also wake
	 * the loop up for the next turn, or -1.
	 */
	int	(*turn)(void *ctx);
};

struct fetch_request {
	const char *url;
	const char *etag;		/* for If-None-Match, or NULL */
	const char *last_modified;	/* for If-Modified-Since, or NULL */
	void	*user;			/* caller's pointer, handed back */
};

struct fetch_result {
	long	 status;	/* HTTP status; 0 when no response at all */
	char	*body;		/* NUL-terminated body, NULL on error */
	size_t	 len;
	char	*etag;		/* response validators, or NULL */
	char	*last_modified;
	char	*content_type;
	char	*charset;	/* the Content-Type's charset parameter, or NULL */
	char	*retry_after;	/* Retry-After of the final response, or NULL */
	char	*effective_url;	/* after redirects */
	char	*moved_to;	/* where the resource moved for good: the target
				 * of the last 301/308 before any temporary
				 * redirect, or NULL */
	char	*error;		/* transport error text, or NULL */
};

/* done may take res->body, leaving NULL; the rest is freed after it. */
typedef void (*fetch_done_fn)(const struct fetch_request *req,
	    struct fetch_result *res, void *ctx);

/* Global init/cleanup around the whole program's use of fetching. */
void	 fetch_global_init(void);
void	 fetch_global_cleanup(void);

/*
 * Fetch all n requests, calling done for each.  Returns 0, or -1 with *err
 * set when the loop itself could not run.  Per-URL failures are reported
 * through the result, never through the return value.
 */
int	 fetch_all(const struct fetch_request *reqs, size_t n,
	    const struct fetch_options *opt, fetch_done_fn done, void *ctx,
	    char **err);

/*
 * GET one URL and return the body of a 200 response (NUL-terminated, *len
 * set, caller frees) and, when final_url and charset are not NULL, the URL
 * it came from after redirects and the charset its Content-Type names (or
 * NULL).  NULL with *err on any failure, "HTTP status N" included.
 */
char	*fetch_one(const char *url, const struct fetch_options *opt,
	    size_t *len, char **final_url, char **charset, char **err);

#endif
