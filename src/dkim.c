/*
 * dkim.c - DKIM signing with libopendkim (see dkim.h).
 *
 * relaxed/relaxed canonicalization, rsa-sha256 or ed25519-sha256, the
 * list-mail headers signed and From and Subject over-signed so that a
 * second copy cannot be added in transit.  This file never prints, exits
 * or touches the network (signing needs no DNS).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include <opendkim/dkim.h>

#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "dkim.h"
#include "fileio.h"
#include "xmalloc.h"

#define KEY_MAX		(64 * 1024)	/* a PEM key is a few KB */
#define SIG_PREFIX	"DKIM-Signature: "

struct dkim_signer {
	DKIM_LIB *lib;
	char	*key;		/* the key file's text, as libopendkim takes it */
	char	*domain;
	char	*selector;
	dkim_alg_t alg;
};

/* Signed when present (RFC 6376 5.4; RFC 8058 4 wants the List-* ones). */
static const char *sign_headers[] = {
	"from", "to", "subject", "date", "message-id", "mime-version",
	"content-type", "list-unsubscribe", "list-unsubscribe-post",
	"list-id", NULL
};
/* Listed once more than present, so none can be added later. */
static const char *oversign_headers[] = { "from", "subject", NULL };

int
dkim_enabled(const struct config *cfg)
{
	return cfg->dkim_key_file != NULL && *cfg->dkim_key_file != '\0';
}

static void
set_fault(enum dkim_fault *fault, enum dkim_fault f)
{
	if (fault)
		*fault = f;
}

char *
dkim_from_domain(const struct config *cfg)
{
	char *name = NULL, *addr = NULL, *at, *d = NULL;

	if (cfg->from && config_split_from(cfg->from, &name, &addr) == 0 &&
	    (at = strrchr(addr, '@')) != NULL && at[1] != '\0')
		d = xstrdup(at + 1);
	free(name);
	free(addr);
	return d;
}

/* d= must be the From domain or a parent of it, or receivers (DMARC)
 * see no alignment and the signature buys nothing. */
static int
aligned(const char *d, const char *from)
{
	size_t dl = strlen(d), fl = strlen(from);

	if (strcasecmp(d, from) == 0)
		return 1;
	return fl > dl + 1 && from[fl - dl - 1] == '.' &&
	    strcasecmp(from + fl - dl, d) == 0 && strchr(d, '.') != NULL;
}

static int
check_names(struct dkim_signer *s, const struct config *cfg, char **err)
{
	char *from = dkim_from_domain(cfg);
	int rc = -1;

	if (from == NULL)
		*err = xstrdup("[dkim] needs [mail] from with an address "
		    "to sign for");
	else if (cfg->dkim_selector == NULL || *cfg->dkim_selector == '\0' ||
	    strpbrk(cfg->dkim_selector, " \t;=") != NULL)
		*err = xasprintf("[dkim] selector '%s' is not a DNS label",
		    cfg->dkim_selector ? cfg->dkim_selector : "");
	else if (!aligned(cfg->dkim_domain ? cfg->dkim_domain : from, from))
		*err = xasprintf("[dkim] domain '%s' is neither the From "
		    "domain '%s' nor a parent of it; receivers would not "
		    "align the signature with From (DMARC)",
		    cfg->dkim_domain, from);
	else {
		s->domain = xstrdup(cfg->dkim_domain ? cfg->dkim_domain : from);
		s->selector = xstrdup(cfg->dkim_selector);
		rc = 0;
	}
	free(from);
	return rc;
}

static int
set_lib_options(struct dkim_signer *s, char **err)
{
	if (dkim_options(s->lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS,
	    sign_headers, sizeof(char **)) != DKIM_STAT_OK ||
	    dkim_options(s->lib, DKIM_OP_SETOPT, DKIM_OPTS_OVERSIGNHDRS,
	    oversign_headers, sizeof(char **)) != DKIM_STAT_OK) {
		*err = xstrdup("libopendkim refused the list of headers to "
		    "sign");
		return -1;
	}
	return 0;
}

static int
pick_alg(struct dkim_signer *s, const struct config *cfg, char **err)
{
	const char *a = cfg->dkim_algorithm ? cfg->dkim_algorithm :
	    "rsa-sha256";

	if (strcmp(a, "rsa-sha256") == 0) {
		s->alg = DKIM_SIGN_RSASHA256;
		return 0;
	}
	if (strcmp(a, "ed25519-sha256") == 0) {
		if (!dkim_libfeature(s->lib, DKIM_FEATURE_ED25519)) {
			*err = xstrdup("[dkim] algorithm ed25519-sha256 is not "
			    "supported by this libopendkim build; use "
			    "rsa-sha256");
			return -1;
		}
		s->alg = DKIM_SIGN_ED25519SHA256;
		return 0;
	}
	*err = xasprintf("[dkim] algorithm '%s' is not rsa-sha256 or "
	    "ed25519-sha256", a);
	return -1;
}

/*
 * The key must be what [dkim] algorithm signs with.  Checked with GnuTLS
 * first: libopendkim 2.11 leaks the key it fails to load and names no
 * reason.
 */
static int
check_key(const struct dkim_signer *s, const char *path, char **err)
{
	enum crypto_key_alg kind;
	unsigned int bits = 0;
	char *why = NULL;
	int want_rsa = s->alg == DKIM_SIGN_RSASHA256;

	if (crypto_key_check(s->key, strlen(s->key), &kind, &bits,
	    &why) == -1) {
		*err = xasprintf("%s: %s", path, why);
		free(why);
		return -1;
	}
	if (want_rsa != (kind == CRYPTO_KEY_RSA)) {
		*err = xasprintf("%s: an %s key, but [dkim] algorithm is %s",
		    path, kind == CRYPTO_KEY_RSA ? "RSA" : "Ed25519",
		    want_rsa ? "rsa-sha256" : "ed25519-sha256");
		return -1;
	}
	if (want_rsa && bits < 1024) {
		*err = xasprintf("%s: a %u-bit RSA key; receivers ignore "
		    "signatures by keys under 1024 bits (RFC 8301)", path,
		    bits);
		return -1;
	}
	return 0;
}

/* Sign a tiny message: libopendkim only parses the key when it signs, and
 * a bad key must stop the run before anything is sent. */
static int
prove_key(struct dkim_signer *s, const char *path, char **err)
{
	char *msg, *hdr, *why = NULL;

	msg = xasprintf("From: <check@%s>\r\nSubject: key check\r\n\r\n"
	    "check\r\n", s->domain);
	hdr = dkim_signer_header(s, msg, strlen(msg), &why);
	free(msg);
	if (hdr == NULL) {
		*err = xasprintf("%s: the key cannot sign (%s); is it a "
		    "PEM private key for %s?", path, why,
		    s->alg == DKIM_SIGN_RSASHA256 ? "rsa-sha256" : "ed25519-sha256");
		free(why);
		return -1;
	}
	free(hdr);
	return 0;
}

struct dkim_signer *
dkim_signer_open(const struct config *cfg, enum dkim_fault *fault, char **err)
{
	struct dkim_signer *s = xcalloc(1, sizeof *s);

	set_fault(fault, DKIM_FAULT_CONFIG);
	if ((s->key = file_read(cfg->dkim_key_file, KEY_MAX, NULL,
	    err)) == NULL) {
		char *why = *err;

		*err = xasprintf("[dkim] key_file %s", why);
		free(why);
		set_fault(fault, DKIM_FAULT_KEYFILE);
		goto fail;
	}
	if (check_names(s, cfg, err) == -1)
		goto fail;
	if ((s->lib = dkim_init(NULL, NULL)) == NULL) {
		*err = xstrdup("libopendkim cannot start");
		goto fail;
	}
	if (set_lib_options(s, err) == -1 || pick_alg(s, cfg, err) == -1 ||
	    check_key(s, cfg->dkim_key_file, err) == -1 ||
	    prove_key(s, cfg->dkim_key_file, err) == -1)
		goto fail;
	set_fault(fault, DKIM_FAULT_NONE);
	return s;
fail:
	dkim_signer_close(s);
	return NULL;
}

void
dkim_signer_close(struct dkim_signer *s)
{
	if (s == NULL)
		return;
	if (s->lib)
		dkim_close(s->lib);
	if (s->key) {
		explicit_bzero(s->key, strlen(s->key));
		free(s->key);
	}
	free(s->domain);
	free(s->selector);
	free(s);
}

/* libopendkim folds with bare LF; the wire wants CRLF. */
static char *
crlf_header(const unsigned char *value, size_t len)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_puts(&b, SIG_PREFIX);
	for (i = 0; i < len; i++) {
		if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
			buf_putc(&b, '\r');
		buf_putc(&b, value[i]);
	}
	buf_puts(&b, "\r\n");
	return buf_detach(&b);
}

static char *
sign_fail(DKIM *d, DKIM_STAT st, const char *what, char **err)
{
	const char *why = d ? dkim_geterror(d) : NULL;

	*err = xasprintf("DKIM %s failed: %s", what,
	    why && *why ? why : dkim_getresultstr(st));
	if (d)
		dkim_free(d);
	return NULL;
}

char *
dkim_signer_header(const struct dkim_signer *s, const char *msg,
    size_t len, char **err)
{
	static const unsigned char id[] = "gazette";	/* for its logs */
	unsigned char *value = NULL;
	size_t vlen = 0;
	DKIM_STAT st;
	DKIM *d;
	char *hdr;

	d = dkim_sign(s->lib, id, NULL, (dkim_sigkey_t)s->key,
	    (unsigned char *)s->selector, (unsigned char *)s->domain,
	    DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, s->alg, -1, &st);
	if (d == NULL)
		return sign_fail(NULL, st, "setup", err);
	if ((st = dkim_chunk(d, (unsigned char *)(uintptr_t)msg,
	    len)) != DKIM_STAT_OK ||
	    (st = dkim_chunk(d, NULL, 0)) != DKIM_STAT_OK)
		return sign_fail(d, st, "reading the message", err);
	if ((st = dkim_eom(d, NULL)) != DKIM_STAT_OK ||
	    (st = dkim_getsighdr_d(d, strlen(SIG_PREFIX), &value,
	    &vlen)) != DKIM_STAT_OK)
		return sign_fail(d, st, "signing", err);
	hdr = crlf_header(value, vlen);
	dkim_free(d);
	return hdr;
}

int
dkim_signer_sign(const struct dkim_signer *s, struct buf *msg, char **err)
{
	struct buf out;
	char *hdr;

	if ((hdr = dkim_signer_header(s, buf_str(msg), msg->len, err)) == NULL)
		return -1;
	buf_init(&out, msg->max);
	if (buf_puts(&out, hdr) == -1 ||
	    buf_append(&out, buf_str(msg), msg->len) == -1) {
		*err = xstrdup("the signed message is over the size limit");
		buf_free(&out);
		free(hdr);
		return -1;
	}
	free(hdr);
	buf_free(msg);
	*msg = out;
	return 0;
}
