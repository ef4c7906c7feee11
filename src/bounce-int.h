/*
 * bounce-int.h - the pieces of the bounce reader shared between its files:
 * the message split into parts (bounce-mime.c), the reading of one
 * recipient before it is classified, the reason tables (bounce-reason.c)
 * and the readers of non-standard bounce text (bounce-text.c).
 */
#ifndef GZ_BOUNCE_INT_H
#define GZ_BOUNCE_INT_H

#include <stddef.h>

#include "bounce.h"

/* One leaf of the MIME tree, its transfer encoding undone. */
struct mpart {
	char	*type;		/* lower-cased "text/plain" */
	char	*hdr;		/* the part's own header block */
	char	*body;		/* NUL-terminated */
	size_t	 len;
};

struct mparts {
	char		*hdr;	/* the message's header block */
	char		*body;	/* the message's whole body, undecoded */
	struct mpart	*v;
	size_t		 n;
};

void	 mparts_split(const char *msg, size_t len, struct mparts *out);
void	 mparts_free(struct mparts *);
/* The unfolded value of the first field called name, or NULL.  New string. */
char	*hdr_get(const char *hdr, const char *name);
/* A parameter of a structured value (boundary, report-type), or NULL. */
char	*hdr_param(const char *value, const char *param);
/* The first addr-spec in s, lower-cased, or NULL.  New string. */
char	*addr_find(const char *s);

/* What was read about one recipient, before classification. */
struct rec {
	char		*rcpt;
	char		*status;	/* as reported, may be generic x.0.0 */
	char		*reply;
	char		*diag;		/* the text that explains it */
	char		*action;
	char		*ftype;
	const char	*reason;	/* fixed by the format (feedback...) */
	int		 at_data;	/* refused after DATA, not at RCPT */
	int		 at_rcpt;	/* refused in reply to RCPT TO */
};

struct recs {
	struct rec	*v;
	size_t		 n;
};

struct rec	*recs_add(struct recs *, const char *rcpt);
void		 recs_free(struct recs *);

/* Non-standard bounce text: the lines that name failed addresses. */
void	 text_scan(const char *text, const char *skip1, const char *skip2,
	    struct recs *out);
/*
 * The sender's own address standing alone on a line, as the failed one
 * of a list does: mail sent to oneself comes back to that address.
 */
void	 text_scan_self(const char *text, const char *self, struct recs *out);
/* The human part of a report, before the returned message.  New string. */
char	*text_head(const char *text);
/* An explanation for recipients a DSN left without one. */
char	*text_near(const char *text, const char *rcpt);

/* Amazon SES notifications (JSON, in bounce-json.c); 1 when one was read. */
int	 ses_read(const char *text, struct recs *out);

/* Does the text say the server refused the message at DATA? */
int	 says_data(const char *text);
/* Does it say the server refused the recipient at RCPT TO? */
int	 says_rcpt(const char *text);
/* The reason the words of a diagnostic suggest, or NULL. */
const char *reason_from_text(const char *text);

/*
 * Reason, status, reply code and class of a reading; context is the
 * report's human text, read when the reading's own words say nothing.
 */
void	 reason_decide(const struct rec *, const char *context,
	    struct bounce *);
/* The first enhanced status code in text (the most specific), or NULL. */
char	*status_find(const char *text);
/* The first SMTP reply code in text, or NULL. */
char	*reply_find(const char *text);
/* Case-insensitive substring search. */
const char *ci_find(const char *hay, const char *needle);

#endif
