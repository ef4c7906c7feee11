/*
 * test-dkim.c - DKIM signing (dkim.c) with keys made by crypto-key.c.
 *
 * The header's form is checked here; that it verifies is judged by the
 * shared mailcheck.py --dkim-txt (python3-dkim, no DNS) when it and
 * /usr/bin/python3 are present, and skipped, never failed, without them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "dkim.h"
#include "xmalloc.h"
#include "tap.h"

#define MSG "From: Weekly <digest@news.example.org>\r\n" \
	"To: reader@example.net\r\n" \
	"Subject: Your digest\r\n" \
	"Date: Tue, 25 Nov 2025 10:00:00 +0000\r\n" \
	"Message-ID: <abc.1@news.example.org>\r\n" \
	"MIME-Version: 1.0\r\n" \
	"Content-Type: text/plain; charset=\"utf-8\"\r\n" \
	"List-Id: Weekly <digest.news.example.org>\r\n" \
	"List-Unsubscribe: <https://news.example.org/u?t=x>\r\n" \
	"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" \
	"\r\n" \
	"Hello.\r\nUnsubscribe: https://news.example.org/u?t=x\r\n"

/* Under LeakSanitizer: libopendkim 2.11 does not free the Ed25519 key it
 * loads for each signature (see tests/lsan-opendkim.supp). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:dkim_privkey_load\n";
}

const char *
__lsan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static char tmpdir[] = "/tmp/test-dkim.XXXXXX";
static char *mailcheck;

static char *
find_mailcheck(void)
{
	const char *shared = getenv("GAZETTE_SHARED"), *top;
	char *p;

	if (shared)
		p = xasprintf("%s/tools/mailcheck.py", shared);
	else if ((top = getenv("top_srcdir")) != NULL)
		p = xasprintf("%s/../shared/tools/mailcheck.py", top);
	else
		p = xstrdup("../shared/tools/mailcheck.py");
	if (access(p, R_OK) == 0 && access("/usr/bin/python3", X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static char *
write_tmp(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "w");

	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
	return path;
}

/* Judge msg with mailcheck --dkim-txt, the record being "v=DKIM1; ...". */
static void
verifies(const char *msg, const char *record, int want, const char *name)
{
	char *m, *t, *cmd;
	int rc;

	if (mailcheck == NULL) {
		cmd = xasprintf("%s # SKIP mailcheck.py not found", name);
		ok(1, cmd);
		free(cmd);
		return;
	}
	m = write_tmp("msg.eml", msg);
	t = write_tmp("key.txt", record);
	cmd = xasprintf("/usr/bin/python3 '%s' --basic --quiet --dkim-txt "
	    "'%s' '%s' >/dev/null 2>&1", mailcheck, t, m);
	rc = system(cmd);
	ok((rc == 0) == want, name);
	unlink(m);
	unlink(t);
	free(cmd);
	free(m);
	free(t);
}

static struct config *
config_for(const char *key_file, const char *domain, const char *alg)
{
	struct config *c = config_defaults();

	c->from = xstrdup("Weekly <digest@news.example.org>");
	c->dkim_key_file = xstrdup(key_file);
	xstrset(&c->dkim_selector, "sel");
	if (domain)
		c->dkim_domain = xstrdup(domain);
	if (alg)
		xstrset(&c->dkim_algorithm, alg);
	return c;
}

/* The value of tag t in header h, whitespace removed. */
static char *
tag(const char *h, const char *t)
{
	struct buf b;
	const char *p = h;
	size_t n = strlen(t);

	while ((p = strstr(p, t)) != NULL) {
		if (p[n] == '=' && (p[-1] == ' ' || p[-1] == '\t' ||
		    p[-1] == ';'))
			break;
		p++;
	}
	buf_init(&b, 0);
	for (p = p ? p + n + 1 : ""; *p && *p != ';'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			buf_putc(&b, *p);
	return buf_detach(&b);
}

static int
count_word(const char *list, const char *w)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int n = 0;

	for (tok = strtok_r(copy, ":", &save); tok;
	    tok = strtok_r(NULL, ":", &save))
		n += strcasecmp(tok, w) == 0;
	free(copy);
	return n;
}

static int
crlf_folded(const char *h)
{
	const char *p;

	for (p = h; *p; p++)
		if (*p == '\n' && (p == h || p[-1] != '\r' ||
		    (p[1] != '\0' && p[1] != ' ' && p[1] != '\t')))
			return 0;
	return strlen(h) > 2 && strcmp(h + strlen(h) - 2, "\r\n") == 0;
}

static char *
make_key(enum crypto_key_alg alg, const char *file, char **record)
{
	char *pem = NULL, *pub = NULL, *err = NULL, *path;

	if (crypto_key_generate(alg, 2048, &pem, &pub, &err) == -1) {
		tap_diag(err);
		free(err);
		return NULL;
	}
	path = write_tmp(file, pem);
	*record = xasprintf("v=DKIM1; k=%s; p=%s",
	    alg == CRYPTO_KEY_RSA ? "rsa" : "ed25519", pub);
	free(pem);
	free(pub);
	return path;
}

static void
test_rsa(void)
{
	char *record = NULL, *path = make_key(CRYPTO_KEY_RSA, "rsa.pem",
	    &record), *err = NULL, *h, *v;
	struct config *c;
	struct dkim_signer *s;
	struct buf msg;

	if (!ok(path != NULL, "an rsa key is generated"))
		return;
	c = config_for(path, NULL, NULL);
	ok(dkim_enabled(c), "signing is on when key_file is set");
	s = dkim_signer_open(c, NULL, &err);
	if (!ok(s != NULL, "the signer opens with a fresh rsa key")) {
		tap_diag(err);
		free(err);
		goto out;
	}
	h = dkim_signer_header(s, MSG, strlen(MSG), &err);
	ok(h && strncmp(h, "DKIM-Signature: ", 16) == 0,
	    "the header is a DKIM-Signature field");
	ok(h && crlf_folded(h), "the header is folded with CRLF and ends "
	    "with one");
	v = tag(h, "a");
	is_str(v, "rsa-sha256", "a= is rsa-sha256 by default");
	free(v);
	v = tag(h, "c");
	is_str(v, "relaxed/relaxed", "c= is relaxed/relaxed");
	free(v);
	v = tag(h, "d");
	is_str(v, "news.example.org", "d= defaults to the from domain");
	free(v);
	v = tag(h, "s");
	is_str(v, "sel", "s= is the selector");
	free(v);
	v = tag(h, "h");
	is_int(count_word(v, "from"), 2, "from is over-signed");
	is_int(count_word(v, "subject"), 2, "subject is over-signed");
	ok(count_word(v, "list-unsubscribe-post") == 1 &&
	    count_word(v, "list-id") == 1 && count_word(v, "to") == 1 &&
	    count_word(v, "content-type") == 1,
	    "list, to and mime headers are signed once");
	free(v);
	free(h);

	buf_init(&msg, 0);
	buf_puts(&msg, MSG);
	ok(dkim_signer_sign(s, &msg, &err) == 0 &&
	    strncmp(msg.data, "DKIM-Signature: ", 16) == 0 &&
	    strstr(msg.data, "\r\nFrom: Weekly") != NULL &&
	    strcmp(msg.data + msg.len - strlen(MSG), MSG) == 0,
	    "sign puts the header in front of the unchanged message");
	verifies(msg.data, record, 1, "the signed message verifies");
	msg.data[msg.len - 5] ^= 1;
	verifies(msg.data, record, 0, "one changed body byte fails");
	buf_free(&msg);
	dkim_signer_close(s);
out:
	config_free(c);
	unlink(path);
	free(path);
	free(record);
}

static void
expect_refusal(struct config *c, enum dkim_fault want, const char *words,
    const char *name)
{
	enum dkim_fault fault = DKIM_FAULT_NONE;
	char *err = NULL;
	struct dkim_signer *s = dkim_signer_open(c, &fault, &err);

	ok(s == NULL && fault == want && err && strstr(err, words), name);
	if (err && !strstr(err, words))
		tap_diag(err);
	dkim_signer_close(s);
	free(err);
	config_free(c);
}

static void
test_refusals(void)
{
	char *record = NULL, *path = make_key(CRYPTO_KEY_RSA, "k.pem",
	    &record), *bad = write_tmp("bad.pem", "not a key\n");
	char *missing = xasprintf("%s/none.pem", tmpdir), *err = NULL;
	struct config *c = config_for(path, "example.org", NULL);
	struct dkim_signer *s = dkim_signer_open(c, NULL, &err);
	char *pem, *pub;

	ok(s != NULL, "a parent of the from domain is accepted");
	dkim_signer_close(s);
	config_free(c);
	expect_refusal(config_for(path, "ample.org", NULL), DKIM_FAULT_CONFIG,
	    "neither the From domain", "a domain that only ends alike is "
	    "refused");
	expect_refusal(config_for(path, "other.example", NULL),
	    DKIM_FAULT_CONFIG, "'news.example.org'",
	    "a foreign domain is refused, naming the from domain");
	expect_refusal(config_for(missing, NULL, NULL), DKIM_FAULT_KEYFILE,
	    "none.pem: No such file", "a missing key file is a key file "
	    "fault naming it");
	expect_refusal(config_for(bad, NULL, NULL), DKIM_FAULT_CONFIG,
	    "bad.pem: not an unencrypted PEM private key", "a key that does "
	    "not parse is "
	    "refused, naming the file");
	ok(crypto_key_generate(CRYPTO_KEY_RSA, 512, &pem, &pub, &err) == -1 &&
	    strstr(err, "1024 to 4096") != NULL, "a 512-bit rsa key is refused");
	free(err);
	unlink(path);
	unlink(bad);
	free(path);
	free(bad);
	free(missing);
	free(record);
}

static void
test_key_check(void)
{
	enum crypto_key_alg alg = CRYPTO_KEY_ED25519;
	unsigned int bits = 0;
	char *pem = NULL, *pub = NULL, *err = NULL;

	if (crypto_key_generate(CRYPTO_KEY_RSA, 1024, &pem, &pub, &err) == 0)
		ok(crypto_key_check(pem, strlen(pem), &alg, &bits, &err) == 0 &&
		    alg == CRYPTO_KEY_RSA && bits == 1024,
		    "key check reads a generated rsa key and its size");
	free(pem);
	free(pub);
	pem = pub = NULL;
	if (crypto_key_generate(CRYPTO_KEY_ED25519, 0, &pem, &pub, &err) == 0)
		ok(crypto_key_check(pem, strlen(pem), &alg, &bits, &err) == 0 &&
		    alg == CRYPTO_KEY_ED25519, "key check reads an ed25519 key");
	free(pem);
	free(pub);
	ok(crypto_key_check("-----BEGIN PRIVATE KEY-----\nAAAA\n"
	    "-----END PRIVATE KEY-----\n", 58, &alg, &bits, &err) == -1 &&
	    strstr(err, "not an unencrypted PEM private key") != NULL,
	    "key check refuses a broken pem");
	free(err);
}

static void
test_ed25519(void)
{
	char *record = NULL, *path = make_key(CRYPTO_KEY_ED25519, "ed.pem",
	    &record), *err = NULL, *h = NULL, *v, *signed_msg;
	struct config *c = config_for(path, NULL, "ed25519-sha256");
	struct dkim_signer *s = dkim_signer_open(c, NULL, &err);

	ok(record && strncmp(record, "v=DKIM1; k=ed25519; p=", 22) == 0 &&
	    strlen(record) == 22 + 44, "ed25519 p= is the raw 32-byte key");
	if (!ok(s != NULL, "the signer opens with an ed25519 key")) {
		tap_diag(err);
		free(err);
	} else
		h = dkim_signer_header(s, MSG, strlen(MSG), &err);
	v = h ? tag(h, "a") : NULL;
	is_str(v, "ed25519-sha256", "a= is ed25519-sha256");
	signed_msg = xasprintf("%s%s", h ? h : "", MSG);
	verifies(signed_msg, record, 1, "the ed25519-signed message verifies");
	free(signed_msg);
	free(v);
	free(h);
	dkim_signer_close(s);
	config_free(c);
	expect_refusal(config_for(path, NULL, "rsa-sha256"), DKIM_FAULT_CONFIG,
	    "an Ed25519 key, but [dkim] algorithm is rsa-sha256",
	    "an ed25519 key with algorithm rsa-sha256 is refused");
	unlink(path);
	free(path);
	free(record);
}

int
main(void)
{
	struct config *c = config_defaults();

	if (mkdtemp(tmpdir) == NULL)
		return 99;
	mailcheck = find_mailcheck();
	ok(!dkim_enabled(c), "signing is off by default");
	config_free(c);
	test_rsa();
	test_refusals();
	test_key_check();
	test_ed25519();
	rmdir(tmpdir);
	free(mailcheck);
	return done_testing();
}
