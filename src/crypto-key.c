/*
 * crypto-key.c - key pairs with GnuTLS, for gazette dkim keygen.
 *
 * Makes the key and hands back text (PEM, base64); never writes files,
 * prints or exits.  The private key lives in GnuTLS structures only as
 * long as this file needs it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "crypto.h"
#include "xmalloc.h"

static int
fail(int rc, const char *what, char **err)
{
	*err = xasprintf("%s: %s", what, gnutls_strerror(rc));
	return -1;
}

/* A datum as a new NUL-terminated string; frees the datum. */
static char *
datum_str(gnutls_datum_t *d)
{
	char *s = xstrndup((const char *)d->data, d->size);

	gnutls_free(d->data);
	d->data = NULL;
	return s;
}

static int
base64_of(const gnutls_datum_t *raw, char **out, char **err)
{
	gnutls_datum_t b64 = { NULL, 0 };
	int rc;

	if ((rc = gnutls_base64_encode2(raw, &b64)) < 0)
		return fail(rc, "cannot encode the public key", err);
	*out = datum_str(&b64);
	return 0;
}

/* RSA's p= is the DER SubjectPublicKeyInfo. */
static int
rsa_public(gnutls_x509_privkey_t key, char **pub, char **err)
{
	gnutls_pubkey_t pk = NULL;
	gnutls_privkey_t priv = NULL;
	gnutls_datum_t der = { NULL, 0 };
	int rc;

	if ((rc = gnutls_privkey_init(&priv)) < 0 ||
	    (rc = gnutls_privkey_import_x509(priv, key, 0)) < 0 ||
	    (rc = gnutls_pubkey_init(&pk)) < 0 ||
	    (rc = gnutls_pubkey_import_privkey(pk, priv, 0, 0)) < 0 ||
	    (rc = gnutls_pubkey_export2(pk, GNUTLS_X509_FMT_DER, &der)) < 0) {
		fail(rc, "cannot derive the public key", err);
		rc = -1;
	} else {
		rc = base64_of(&der, pub, err);
		gnutls_free(der.data);
	}
	gnutls_pubkey_deinit(pk);
	gnutls_privkey_deinit(priv);
	return rc;
}

/* Ed25519's p= is the bare 32-byte public point (RFC 8463 4). */
static int
ed25519_public(gnutls_x509_privkey_t key, char **pub, char **err)
{
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, k = { NULL, 0 };
	int rc;

	if ((rc = gnutls_x509_privkey_export_ecc_raw(key, &curve, &x, &y,
	    &k)) < 0)
		return fail(rc, "cannot derive the public key", err);
	rc = base64_of(&x, pub, err);
	gnutls_free(x.data);
	gnutls_free(y.data);
	if (k.data) {
		gnutls_memset(k.data, 0, k.size);
		gnutls_free(k.data);
	}
	return rc;
}

int
crypto_key_generate(enum crypto_key_alg alg, unsigned int bits, char **pem,
    char **pub, char **err)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_datum_t out = { NULL, 0 };
	int rc;

	*pem = *pub = NULL;
	if (alg == CRYPTO_KEY_RSA && (bits < 1024 || bits > 4096)) {
		*err = xasprintf("an RSA key must have 1024 to 4096 bits, "
		    "not %u", bits);
		return -1;
	}
	if ((rc = gnutls_x509_privkey_init(&key)) < 0)
		return fail(rc, "cannot make a key", err);
	rc = gnutls_x509_privkey_generate(key, alg == CRYPTO_KEY_RSA ?
	    GNUTLS_PK_RSA : GNUTLS_PK_EDDSA_ED25519,
	    alg == CRYPTO_KEY_RSA ? bits : 0, 0);
	if (rc < 0 || (rc = gnutls_x509_privkey_export2_pkcs8(key,
	    GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out)) < 0) {
		gnutls_x509_privkey_deinit(key);
		return fail(rc, "cannot make a key", err);
	}
	*pem = datum_str(&out);
	rc = alg == CRYPTO_KEY_RSA ? rsa_public(key, pub, err) :
	    ed25519_public(key, pub, err);
	gnutls_x509_privkey_deinit(key);
	if (rc == -1) {
		free(*pem);
		*pem = NULL;
	}
	return rc;
}

int
crypto_key_check(const char *pem, size_t len, enum crypto_key_alg *alg,
    unsigned int *bits, char **err)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_datum_t in = { (unsigned char *)(uintptr_t)pem,
	    (unsigned int)len };
	int rc, pk;

	if ((rc = gnutls_x509_privkey_init(&key)) < 0)
		return fail(rc, "cannot read a key", err);
	if ((rc = gnutls_x509_privkey_import2(key, &in, GNUTLS_X509_FMT_PEM,
	    NULL, GNUTLS_PKCS_PLAIN)) < 0) {
		gnutls_x509_privkey_deinit(key);
		return fail(rc, "not an unencrypted PEM private key", err);
	}
	pk = gnutls_x509_privkey_get_pk_algorithm2(key, bits);
	gnutls_x509_privkey_deinit(key);
	if (pk == GNUTLS_PK_RSA)
		*alg = CRYPTO_KEY_RSA;
	else if (pk == GNUTLS_PK_EDDSA_ED25519)
		*alg = CRYPTO_KEY_ED25519;
	else {
		*err = xasprintf("a %s key; DKIM signs with RSA or Ed25519",
		    pk < 0 ? "unknown" : gnutls_pk_get_name(pk));
		return -1;
	}
	return 0;
}
