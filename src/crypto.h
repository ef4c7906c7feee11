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

/* --- crypto-hash.c: digests --- */

/* SHA-256 of len bytes of data into out. */
void	 crypto_sha256(const void *data, size_t len, unsigned char out[32]);

/* --- crypto-cert.c: server certificates --- */

/* --- crypto-key.c: key pairs --- */

#endif
