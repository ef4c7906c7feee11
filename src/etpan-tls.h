/*
 * etpan-tls.h - the TLS checks libetpan leaves out, shared by the SMTP
 * sender (smtp.c) and the IMAP reader (imap.c).
 */
#ifndef GZ_ETPAN_TLS_H
#define GZ_ETPAN_TLS_H

struct _mailstream;
struct mailstream_ssl_context;

/* A libetpan TLS callback: set SNI to name (a char *) unless it is an
 * address literal. */
void	 etpan_tls_sni(struct mailstream_ssl_context *ctx, void *name);
/*
 * Check the chain the server presented on s against the system's CAs (or
 * ca_file) and name.  0, or -1 with *why, a new string.
 */
int	 etpan_tls_verify(struct _mailstream *s, const char *ca_file,
	    const char *name, char **why);

#endif
