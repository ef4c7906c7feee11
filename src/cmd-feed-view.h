/*
 * cmd-feed-view.h - how feed list and feed show print feeds.
 */
#ifndef GZ_CMD_FEED_VIEW_H
#define GZ_CMD_FEED_VIEW_H

#include <stdint.h>

struct cmd_ctx;

enum feed_view {
	FEED_VIEW_BLOCK,	/* a few labelled lines per feed (scripts, pipes) */
	FEED_VIEW_TABLE,	/* one aligned row per feed (a terminal) */
	FEED_VIEW_JSON,		/* an array, or one object for one feed */
	FEED_VIEW_CSV		/* a header row and one row per feed */
};

/* Print every feed, or only the one with id when id > 0.  An exit code. */
int	 feed_view_print(struct cmd_ctx *ctx, int64_t id, enum feed_view view);

#endif
