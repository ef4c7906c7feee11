/*
 * bounce.h - what a bounce, complaint or auto-reply says about its
 * recipients: bytes of one message in, a list of readings out.
 *
 * Never touches the store, the network or the terminal: deciding what to do
 * with a subscriber is the caller's business.
 */
#ifndef GZ_BOUNCE_H
#define GZ_BOUNCE_H

#include <stddef.h>

enum bounce_class {
	BOUNCE_HARD,		/* the address itself is gone: stop mailing it */
	BOUNCE_SOFT,		/* any other failure, 5xx included */
	BOUNCE_COMPLAINT,	/* an ARF (RFC 5965) feedback report */
	BOUNCE_IGNORE		/* auto-reply, delivery or relay notice */
};

struct bounce {
	char			*recipient;	/* lower-cased address */
	enum bounce_class	 class;
	char			*reason;	/* "userunknown", "mailboxfull", ... */
	char			*status;	/* enhanced code "5.1.1", or NULL */
	char			*reply_code;	/* SMTP reply "550", or NULL */
	char			*action;	/* DSN Action: "failed", ..., or NULL */
	char			*feedback_type;	/* ARF Feedback-Type, or NULL */
	char			*diagnostic;	/* the server's own words, or NULL */
};

struct bounce_list {
	struct bounce	*v;
	size_t		 n;
};

/*
 * Read one message (any bytes: truncated, not MIME, huge) and return what it
 * says; never NULL.  A message that is neither a bounce, a complaint nor an
 * auto-reply gives an empty list.
 */
struct bounce_list	*bounce_read(const char *msg, size_t len);
void			 bounce_list_free(struct bounce_list *);

/* Where a server refused a message gazette sent it, in the SMTP dialogue. */
enum bounce_step {
	BOUNCE_AT_SENDER,	/* MAIL FROM or the DATA command: the recipient
				   was not named yet, or was accepted */
	BOUNCE_AT_RCPT,		/* RCPT TO: the recipient itself */
	BOUNCE_AT_DATA		/* the reply to the message */
};

/*
 * Read a permanent refusal gazette met while sending ("550 5.1.1 user
 * unknown") as bounce_read reads a report's diagnostic, so a refusal in
 * the SMTP dialogue and the same words in a returned mail are classed
 * alike.  A refusal at BOUNCE_AT_SENDER is never hard: it says nothing of
 * the recipient's address.  Fills *b (recipient NULL); free with
 * bounce_clear.
 */
void			 bounce_read_reply(const char *reply,
			    enum bounce_step step, struct bounce *b);
void			 bounce_clear(struct bounce *b);

/* The unfolded value of a header of the message, or NULL.  New string. */
char			*bounce_header(const char *msg, size_t len,
			    const char *name);

/* "hard", "soft", "complaint", "ignore". */
const char		*bounce_class_name(enum bounce_class);

#endif
