/*
 * test-crypto-cert.c - crypto_cert_verify on certificates made here with
 * GnuTLS: a root, an intermediate and a server certificate for
 * "mail.test" and 127.0.0.1, and a second, unrelated root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "crypto.h"
#include "tap.h"

struct cert {
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	gnutls_datum_t der;
};

static int serial = 1;

static void
make(struct cert *c, const char *cn, int ca, const struct cert *issuer)
{
	static const unsigned char ip[4] = { 127, 0, 0, 1 };
	time_t now = time(NULL);
	unsigned char ser = (unsigned char)serial++;

	gnutls_x509_privkey_init(&c->key);
	gnutls_x509_privkey_generate(c->key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	gnutls_x509_crt_init(&c->crt);
	gnutls_x509_crt_set_version(c->crt, 3);
	gnutls_x509_crt_set_serial(c->crt, &ser, 1);
	gnutls_x509_crt_set_activation_time(c->crt, now - 3600);
	gnutls_x509_crt_set_expiration_time(c->crt, now + 86400);
	gnutls_x509_crt_set_dn_by_oid(c->crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    cn, (unsigned int)strlen(cn));
	gnutls_x509_crt_set_key(c->crt, c->key);
	gnutls_x509_crt_set_basic_constraints(c->crt, ca, -1);
	if (ca)
		gnutls_x509_crt_set_key_usage(c->crt,
		    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	else {
		gnutls_x509_crt_set_key_usage(c->crt,
		    GNUTLS_KEY_DIGITAL_SIGNATURE);
		gnutls_x509_crt_set_key_purpose_oid(c->crt,
		    GNUTLS_KP_TLS_WWW_SERVER, 0);
		gnutls_x509_crt_set_subject_alt_name(c->crt,
		    GNUTLS_SAN_DNSNAME, "mail.test", 9, GNUTLS_FSAN_APPEND);
		gnutls_x509_crt_set_subject_alt_name(c->crt,
		    GNUTLS_SAN_IPADDRESS, ip, sizeof ip, GNUTLS_FSAN_APPEND);
	}
	gnutls_x509_crt_sign2(c->crt, issuer ? issuer->crt : c->crt,
	    issuer ? issuer->key : c->key, GNUTLS_DIG_SHA256, 0);
	gnutls_x509_crt_export2(c->crt, GNUTLS_X509_FMT_DER, &c->der);
}

static void
drop(struct cert *c)
{
	gnutls_free(c->der.data);
	gnutls_x509_crt_deinit(c->crt);
	gnutls_x509_privkey_deinit(c->key);
}

/* c as a PEM file in a new temporary file; caller frees the name. */
static char *
pem_file(const struct cert *c)
{
	const char *dir = getenv("TMPDIR");
	gnutls_datum_t pem;
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	sprintf(path, "%s/test-crypto-cert.XXXXXX", dir);
	fd = mkstemp(path);

	gnutls_x509_crt_export2(c->crt, GNUTLS_X509_FMT_PEM, &pem);
	if (fd != -1) {
		if (write(fd, pem.data, pem.size) != (ssize_t)pem.size)
			tap_diag("short write of a PEM file");
		close(fd);
	}
	gnutls_free(pem.data);
	return path;
}

/* verify: 0 or -1, and whether *err holds want (NULL: no check). */
static int
check(const struct cert *const *chain, size_t n, const char *ca,
    const char *name, const char *want, char **why)
{
	struct crypto_der der[4];
	size_t i;
	int rc;

	*why = NULL;
	for (i = 0; i < n; i++) {
		der[i].data = chain[i]->der.data;
		der[i].len = chain[i]->der.size;
	}
	rc = crypto_cert_verify(der, n, ca, name, why);
	if (rc == -1 && want != NULL && (*why == NULL ||
	    strstr(*why, want) == NULL)) {
		fprintf(stderr, "# error was: %s\n", *why ? *why : "(none)");
		return -2;
	}
	return rc;
}

int
main(void)
{
	struct cert root, inter, leaf, direct, other;
	const struct cert *chain[2];
	char *root_pem, *other_pem;
	struct crypto_der junk = { (const unsigned char *)"not DER", 7 };
	char *why;

	make(&root, "test root", 1, NULL);
	make(&inter, "test intermediate", 1, &root);
	make(&leaf, "mail.test", 0, &inter);
	make(&direct, "mail.test", 0, &root);
	make(&other, "another root", 1, NULL);
	root_pem = pem_file(&root);
	other_pem = pem_file(&other);

	chain[0] = &direct;
	is_int(check(chain, 1, root_pem, "mail.test", NULL, &why), 0,
	    "leaf_signed_by_the_ca_file_is_trusted");
	free(why);
	is_int(check(chain, 1, root_pem, "127.0.0.1", NULL, &why), 0,
	    "ip_address_in_the_certificate_matches");
	free(why);
	is_int(check(chain, 1, root_pem, "MAIL.test", NULL, &why), 0,
	    "names_match_regardless_of_case");
	free(why);
	is_int(check(chain, 1, root_pem, "other.test", "name", &why), -1,
	    "another_name_is_refused_saying_the_name_does_not_match");
	free(why);
	is_int(check(chain, 1, root_pem, "127.0.0.2", NULL, &why), -1,
	    "another_address_is_refused");
	free(why);
	is_int(check(chain, 1, other_pem, "mail.test", "issuer", &why), -1,
	    "unrelated_ca_is_refused_saying_the_issuer_is_unknown");
	free(why);
	is_int(check(chain, 1, NULL, "mail.test", NULL, &why), -1,
	    "self_made_ca_is_not_in_the_system_store");
	free(why);

	chain[0] = &leaf;
	chain[1] = &inter;
	is_int(check(chain, 2, root_pem, "mail.test", NULL, &why), 0,
	    "leaf_and_intermediate_chain_to_the_root");
	free(why);
	is_int(check(chain, 1, root_pem, "mail.test", NULL, &why), -1,
	    "leaf_without_its_intermediate_is_refused");
	free(why);

	is_int(check(chain, 0, root_pem, "mail.test", "no certificate",
	    &why), -1, "empty_chain_is_refused");
	free(why);
	why = NULL;
	is_int(crypto_cert_verify(&junk, 1, root_pem, "mail.test", &why), -1,
	    "unreadable_certificate_is_refused");
	ok(why != NULL && strstr(why, "cannot be read") != NULL,
	    "unreadable_certificate_says_so");
	free(why);
	why = NULL;
	is_int(crypto_cert_verify(&junk, 1, "/nonexistent/ca.pem",
	    "mail.test", &why), -1, "missing_ca_file_is_an_error");
	ok(why != NULL && strstr(why, "/nonexistent/ca.pem") != NULL,
	    "missing_ca_file_error_names_the_file");
	free(why);

	unlink(root_pem);
	unlink(other_pem);
	free(root_pem);
	free(other_pem);
	drop(&root);
	drop(&inter);
	drop(&leaf);
	drop(&direct);
	drop(&other);
	return done_testing();
}
