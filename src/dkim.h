/*
 * dkim.h - the one door to libopendkim: DKIM signatures (RFC 6376) on the
 * messages gazette sends.
 *
 * A signer is opened once per run (the key read and checked once, one
 * DKIM_LIB) and signs each message just before it goes to the transport.
 * Signing changes nothing in the signer: each message gets its own
 * libopendkim handle.  Nothing here prints or exits.
 */
#ifndef GZ_DKIM_H
#define GZ_DKIM_H

#include <stddef.h>

struct buf;
struct config;
struct dkim_signer;

/* Why dkim_signer_open failed: the caller picks the exit code from this. */
enum dkim_fault {
	DKIM_FAULT_NONE = 0,
	DKIM_FAULT_KEYFILE,	/* key_file missing or unreadable */
	DKIM_FAULT_CONFIG	/* bad key, algorithm, domain or selector */
};

/* 1 when the configuration asks for signing ([dkim] key_file is set). */
int	 dkim_enabled(const struct config *cfg);
/* The domain of [mail] from's address (new string), or NULL. */
char	*dkim_from_domain(const struct config *cfg);

/*
 * Read the key, check it against [dkim] and [mail] from, and prove it by
 * signing a small test message.  NULL with *err (naming the file and the
 * reason) and *fault (may be NULL) on failure.
 */
struct dkim_signer *dkim_signer_open(const struct config *cfg,
	    enum dkim_fault *fault, char **err);
void	 dkim_signer_close(struct dkim_signer *s);

/*
 * The DKIM-Signature header field for the complete message msg (CRLF wire
 * text, headers and body): "DKIM-Signature: ...\r\n", folded with CRLF,
 * ready to go in front of the message.  NULL with *err.
 */
char	*dkim_signer_header(const struct dkim_signer *s, const char *msg,
	    size_t len, char **err);

/* Sign msg and put the header in front of it.  0, or -1 with *err and msg
 * unchanged. */
int	 dkim_signer_sign(const struct dkim_signer *s, struct buf *msg,
	    char **err);

#endif
