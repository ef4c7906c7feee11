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

enum crypto_key_alg {
	CRYPTO_KEY_RSA,
	CRYPTO_KEY_ED25519
};

/*
 * Generate a private key (bits is for RSA only; 1024 to 4096).  *pem gets
 * it as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"); *pub gets the public
 * half as DKIM's p= value (RFC 6376 3.6.1, RFC 8463 4): base64 of the
 * SubjectPublicKeyInfo for RSA, of the raw 32 bytes for Ed25519.  Both are
 * new strings.  0, or -1 with *err.
 */
int	 crypto_key_generate(enum crypto_key_alg alg, unsigned int bits,
	    char **pem, char **pub, char **err);

/*
 * Parse a PEM private key (PKCS#8, or PKCS#1 for RSA; not encrypted) and
 * say which kind it is.  0 with *alg and *bits, or -1 with *err saying why
 * it is no usable signing key (not PEM, encrypted, another algorithm).
 */
int	 crypto_key_check(const char *pem, size_t len,
	    enum crypto_key_alg *alg, unsigned int *bits, char **err);

#endif
