/*
 * crypto.h - the one door to GnuTLS (the TLS library libetpan and libcurl
 * are built with on Debian).
 *
 * Two jobs, one file each: crypto-cert.c checks a server's certificate
 * chain and name (libetpan 1.9 does not), crypto-key.c makes key pairs
 * (gazette dkim keygen).  Nothing here prints or exits; errors come back
 * as a caller-owned *err string.
 */
#ifndef GZ_CRYPTO_H
#define GZ_CRYPTO_H

#include <stddef.h>

/* --- crypto-cert.c: server certificates --- */

/* One certificate as DER bytes. */
struct crypto_der {
	const unsigned char *data;
	size_t	 len;
};

/*
 * Check a server's chain (leaf first, as the server sent it) against the
 * PEM anchors in ca_file, or the system trust store when ca_file is NULL,
 * and the leaf's names against name (a host name or an IP address).
 * 0 when trusted; -1 with *err saying why not.
 */
int	 crypto_cert_verify(const struct crypto_der *chain, size_t n,
	    const char *ca_file, const char *name, char **err);

/* --- crypto-key.c: key pairs --- */

#endif
