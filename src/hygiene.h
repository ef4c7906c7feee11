/*
 * hygiene.h - acting on one mail of the bounce mailbox (gazette bounces).
 */
#ifndef GZ_HYGIENE_H
#define GZ_HYGIENE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct store;
struct bounce_list;

enum hygiene_kind {
	HYGIENE_ACTED,		/* a bounce, complaint, reply or unsubscribe */
	HYGIENE_SEEN,		/* handled by an earlier run */
	HYGIENE_NOTHING,	/* nothing gazette understands: left alone */
	HYGIENE_UNREADABLE	/* empty, unreadable or too big */
};

/* One thing done (or, in a dry run, that would be done). */
struct hygiene_act {
	char		*addr;		/* the address the mail names, or "-" */
	const char	*what;		/* "hard bounce", "complaint", ... */
	const char	*status;	/* enhanced code, or NULL */
	const char	*reason;	/* "userunknown", ..., or NULL */
	int		 retired;	/* this made the subscriber bounced */
	int64_t		 subscriber;	/* unsubscribe: whose token */
};

struct hygiene_result {
	enum hygiene_kind	 kind;
	struct hygiene_act	*v;
	size_t			 n;
	struct bounce_list	*readings;	/* what v points into */
};

/*
 * Read msg and act on what it says, in one transaction with the record
 * that it was handled (a dry run rolls it all back).  0 with *r filled
 * (free it with hygiene_result_free), or -1 with *err and nothing changed.
 */
int	 hygiene_handle(struct store *st, const struct config *cfg,
	    const char *msg, size_t len, int64_t now, int dry_run,
	    struct hygiene_result *r, char **err);
void	 hygiene_result_free(struct hygiene_result *r);

#endif
