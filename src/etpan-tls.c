/*
 * etpan-tls.c - Server Name Indication and certificate checks on a
 * libetpan stream.  libetpan 1.9.4's GnuTLS code sets SNI but never checks
 * the server's certificate, so every caller checks right after the
 * handshake, before a word more is said (crypto-cert.c does the checking).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>

#include <libetpan/libetpan.h>

#include "crypto.h"
#include "etpan-tls.h"
#include "xmalloc.h"

/* An address literal is no name to indicate (RFC 6066 3). */
void
etpan_tls_sni(struct mailstream_ssl_context *ctx, void *name)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, name, addr) != 1 &&
	    inet_pton(AF_INET6, name, addr) != 1)
		mailstream_ssl_set_server_name(ctx, name);
}

int
etpan_tls_verify(mailstream *s, const char *ca_file, const char *name,
    char **why)
{
	struct crypto_der *der;
	carray *chain;
	MMAPString *m;
	unsigned int i, n;
	int rc;

	chain = mailstream_get_certificate_chain(s);
	n = chain != NULL ? carray_count(chain) : 0;
	der = xcalloc(n + 1, sizeof *der);
	for (i = 0; i < n; i++) {
		m = carray_get(chain, i);
		der[i].data = (const unsigned char *)m->str;
		der[i].len = m->len;
	}
	rc = crypto_cert_verify(der, n, ca_file, name, why);
	free(der);
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	return rc == 0 ? 0 : -1;
}
