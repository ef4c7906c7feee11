/*
 * mailbox.h - the bounce mailbox, a local Maildir or an IMAP folder,
 * behind one interface: read each mail, move the handled ones away.
 */
#ifndef GZ_MAILBOX_H
#define GZ_MAILBOX_H

#include <stddef.h>

/* What to do with a mail once read. */
enum mailbox_verdict { MAILBOX_KEEP, MAILBOX_MOVE, MAILBOX_STOP };

/* id names the mail in messages ("new/1234.host" or "UID 17"). */
typedef enum mailbox_verdict (*mailbox_fn)(const char *id, const char *msg,
    size_t len, void *ctx);

struct mailbox_spec {
	const char	*where;		/* a Maildir path or imap[s]:// URL */
	const char	*password;	/* IMAP only */
	const char	*done;		/* the folder handled mail goes to */
	size_t		 max_size;	/* bigger mail is handed over empty */
	int		 starttls;	/* imap://: STARTTLS */
	int		 tls_verify;	/* check the IMAP server's certificate */
	const char	*ca_file;	/* trusted CAs; NULL: the system's */
	int		 dry_run;	/* read only: move nothing */
};

/* Is where an IMAP URL (else a Maildir path)? */
int	 mailbox_is_imap(const char *where);
/*
 * Call fn for every mail and move those it says MOVE to the done folder
 * (for a Maildir: the Maildir++ subfolder WHERE/.DONE).  MAILBOX_STOP ends
 * the walk: mailbox_read then returns 1.  0 when every mail was seen, -1
 * with *err when the mailbox could not be read or a move failed.
 */
int	 mailbox_read(const struct mailbox_spec *spec, mailbox_fn fn,
	    void *ctx, char **err);

#endif
