/*
 * collect.h - fetch every active feed, parse it, store what is new.
 */
#ifndef GZ_COLLECT_H
#define GZ_COLLECT_H

#include <stdint.h>

struct config;
struct store;

struct collect_summary {
	int	 fetched;	/* 200 and parsed */
	int	 not_modified;	/* 304 */
	int	 failed;
	int	 new_items;
};

/* Called once per feed: error is NULL on success. */
typedef void (*collect_report_fn)(const char *url, const char *error,
	    int new_items, void *ctx);

/*
 * Collect all active feeds.  A feed's failure is reported through report
 * and counted; it never stops the others.  Returns -1 with *err only when
 * the run itself cannot go on (the store fails).
 */
int	 collect_all(struct store *st, const struct config *cfg, int64_t now,
	    struct collect_summary *sum, collect_report_fn report, void *ctx,
	    char **err);

#endif
