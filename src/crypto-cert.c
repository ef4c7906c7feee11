/*
 * crypto-cert.c - is this server's certificate chain trusted, and is it
 * made out to the name we connected to?  GnuTLS does the checking; the
 * chain comes from the caller (libetpan hands it over after the
 * handshake, but never checks it itself).
 *
 * It must never print, never exit, and never answer "trusted" for a chain
 * it could not read in full.
 */
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "crypto.h"
#include "xmalloc.h"

#define CHAIN_MAX 16

/* Anchors: ca_file when given (PEM, one or more), else the system's. */
static int
load_anchors(gnutls_x509_trust_list_t tl, const char *ca_file, char **err)
{
	int n;

	if (ca_file != NULL)
		n = gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
	else
		n = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (n > 0)
		return 0;
	if (ca_file != NULL)
		*err = xasprintf("no CA certificate could be read from %s%s%s",
		    ca_file, n < 0 ? ": " : "", n < 0 ? gnutls_strerror(n) : "");
	else
		*err = xstrdup("the system trust store holds no certificates");
	return -1;
}

static int
import_chain(const struct crypto_der *chain, size_t n,
    gnutls_x509_crt_t *crts, size_t *ncrts, char **err)
{
	gnutls_datum_t d;
	size_t i;
	int r;

	*ncrts = 0;
	for (i = 0; i < n && i < CHAIN_MAX; i++) {
		if (gnutls_x509_crt_init(&crts[i]) < 0) {
			*err = xstrdup("out of memory for a certificate");
			return -1;
		}
		*ncrts = i + 1;
		d.data = (unsigned char *)chain[i].data;
		d.size = (unsigned int)chain[i].len;
		if ((r = gnutls_x509_crt_import(crts[i], &d,
		    GNUTLS_X509_FMT_DER)) < 0) {
			*err = xasprintf("certificate %zu of the chain cannot "
			    "be read: %s", i, gnutls_strerror(r));
			return -1;
		}
	}
	return 0;
}

/* GnuTLS's own words for status, without its "not trusted" preamble. */
static char *
status_text(unsigned int status)
{
	static const char lead[] = "The certificate is NOT trusted. ";
	gnutls_datum_t out = { NULL, 0 };
	size_t n;
	char *s;

	if (gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &out, 0) < 0)
		return xasprintf("verification status 0x%x", status);
	s = xstrdup(strncmp((char *)out.data, lead, sizeof lead - 1) == 0 ?
	    (char *)out.data + sizeof lead - 1 : (char *)out.data);
	gnutls_free(out.data);
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static int
verify(gnutls_x509_trust_list_t tl, gnutls_x509_crt_t *crts, size_t n,
    const char *name, char **err)
{
	gnutls_typed_vdata_st data[2];
	unsigned int status = 0;
	int r;

	memset(data, 0, sizeof data);
	data[0].type = GNUTLS_DT_DNS_HOSTNAME;
	data[0].data = (unsigned char *)name;
	data[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	data[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	r = gnutls_x509_trust_list_verify_crt2(tl, crts, (unsigned int)n,
	    data, 2, 0, &status, NULL);
	if (r < 0) {
		*err = xasprintf("verification failed: %s", gnutls_strerror(r));
		return -1;
	}
	if (status == 0)
		return 0;
	*err = status_text(status);
	return -1;
}

int
crypto_cert_verify(const struct crypto_der *chain, size_t n,
    const char *ca_file, const char *name, char **err)
{
	gnutls_x509_trust_list_t tl;
	gnutls_x509_crt_t crts[CHAIN_MAX];
	size_t ncrts = 0, i;
	int rc = -1;

	if (n == 0) {
		*err = xstrdup("the server sent no certificate");
		return -1;
	}
	if (name == NULL || *name == '\0') {
		*err = xstrdup("no name to check the certificate against");
		return -1;
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		*err = xstrdup("out of memory for the trust list");
		return -1;
	}
	if (load_anchors(tl, ca_file, err) == 0 &&
	    import_chain(chain, n, crts, &ncrts, err) == 0)
		rc = verify(tl, crts, ncrts, name, err);
	for (i = 0; i < ncrts; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_x509_trust_list_deinit(tl, 1);
	return rc;
}
