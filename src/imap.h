/*
 * imap.h - a mailbox folder over IMAP (libetpan), for gazette bounces.
 */
#ifndef GZ_IMAP_H
#define GZ_IMAP_H

#include <stddef.h>
#include <stdint.h>

struct imap;

struct imap_options {
	const char	*password;
	int		 starttls;	/* imap://: STARTTLS, required */
	int		 verify;	/* check the server's certificate */
	const char	*ca_file;	/* trusted CAs (PEM); NULL: the system's */
};

/*
 * Connect to url (imap://USER@HOST[:PORT]/FOLDER, or imaps:// for TLS from
 * the start), log in and select FOLDER (INBOX when the URL names none).
 * Over TLS the server's certificate must chain to a trusted CA and carry
 * HOST, unless verify is 0.  NULL with *err on any failure.
 */
struct imap	*imap_open(const char *url, const struct imap_options *opt,
		    char **err);
/*
 * Call fn for each message of the folder, read without marking it seen;
 * a message over max_size is not fetched: fn gets it empty.  fn returns 0
 * to go on, -1 to stop: imap_each then returns -1 and leaves *err as fn
 * left it.  0, or -1 with *err.
 */
typedef int (*imap_fn)(uint32_t uid, const char *msg, size_t len, void *ctx);
int		 imap_each(struct imap *m, size_t max_size, imap_fn fn, void *ctx,
		    char **err);
/* Move one message to folder (created when missing).  0 or -1 + *err. */
int		 imap_move(struct imap *m, uint32_t uid, const char *folder,
		    char **err);
/* Expunge what was copied away, log out, free.  NULL is fine. */
void		 imap_close(struct imap *m);

#endif
