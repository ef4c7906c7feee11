/*
 * cmd-dkim.c - gazette dkim keygen, and the key check send and run make
 * before they start.
 *
 * keygen makes a key pair (crypto.h), writes the private key 0600 without
 * ever replacing a file, and prints the DNS TXT record to publish; the
 * record also goes to KEYFILE.txt so it can be published later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "dkim.h"
#include "log.h"
#include "xmalloc.h"

#define TXT_CHUNK	255	/* the most one DNS character-string holds */

static int	cmd_dkim_keygen(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_dkim_keygen_entry = {
	"dkim", "keygen",
	"-o KEYFILE [--selector S] [--domain D] [--bits N] "
	"[--algorithm rsa|ed25519]",
	"Make a DKIM signing key in KEYFILE (mode 0600) and print the DNS TXT "
	"record to publish.",
	"  -o, --output FILE     the private key to write (never replaced);\n"
	"                        the TXT record also goes to FILE.txt\n"
	"  -s, --selector S      the selector ([dkim] selector, default\n"
	"                        gazette)\n"
	"  -d, --domain D        the signing domain ([dkim] domain, default\n"
	"                        the domain of [mail] from)\n"
	"  -b, --bits N          RSA key size, 1024 to 4096 (default 2048)\n"
	"  -a, --algorithm A     rsa (default) or ed25519\n",
	0, cmd_dkim_keygen
};

int
cmd_dkim_open(struct cmd_ctx *ctx, struct dkim_signer **out)
{
	enum dkim_fault fault;
	char *err = NULL;

	*out = NULL;
	if (!dkim_enabled(ctx->cfg))
		return EX_OK;
	if ((*out = dkim_signer_open(ctx->cfg, &fault, &err)) == NULL)
		return gz_fail_err(fault == DKIM_FAULT_KEYFILE ? EX_NOINPUT :
		    EX_CONFIG, err);
	return EX_OK;
}

int
cmd_dkim_check(struct cmd_ctx *ctx)
{
	struct dkim_signer *s;
	int rc = cmd_dkim_open(ctx, &s);

	dkim_signer_close(s);
	return rc;
}

struct keygen {
	const char *out;
	const char *selector;
	char	*domain;
	unsigned int bits;
	enum crypto_key_alg alg;
};

/* The zone-file line: the record split into <=255-octet strings. */
static char *
txt_record(const struct keygen *k, const char *pub)
{
	char *rec = xasprintf("v=DKIM1; k=%s; p=%s",
	    k->alg == CRYPTO_KEY_RSA ? "rsa" : "ed25519", pub);
	size_t i, n = strlen(rec);
	struct buf b;

	buf_init(&b, 0);
	buf_printf(&b, "%s._domainkey.%s. IN TXT (", k->selector, k->domain);
	for (i = 0; i < n; i += TXT_CHUNK)
		buf_printf(&b, "%s\"%.*s\"", i ? "\n\t" : " ",
		    (int)(n - i < TXT_CHUNK ? n - i : TXT_CHUNK), rec + i);
	buf_puts(&b, " )\n");
	free(rec);
	return buf_detach(&b);
}

/* Write a new file, never an existing one.  0, or -1 with *err. */
static int
write_new(const char *path, const char *text, mode_t mode, char **err)
{
	size_t len = strlen(text);
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1) {
		*err = xasprintf("%s: %s%s", path, strerror(errno),
		    errno == EEXIST ? " (not replacing an existing key)" : "");
		return -1;
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int
keygen_write(const struct keygen *k)
{
	char *pem = NULL, *pub = NULL, *rec, *err = NULL;
	char *txt = xasprintf("%s.txt", k->out);
	int rc = EX_OK;

	if (access(k->out, F_OK) == 0 || access(txt, F_OK) == 0) {
		rc = gz_fail(EX_CANTCREAT, "%s: exists; not replacing a key",
		    access(k->out, F_OK) == 0 ? k->out : txt);
		free(txt);
		return rc;
	}
	if (crypto_key_generate(k->alg, k->bits, &pem, &pub, &err) == -1) {
		free(txt);
		return gz_fail_err(EX_SOFTWARE, err);
	}
	rec = txt_record(k, pub);
	if (write_new(k->out, pem, 0600, &err) == -1)
		rc = gz_fail_err(EX_CANTCREAT, err);
	else if (write_new(txt, rec, 0644, &err) == -1)
		rc = gz_fail_err(EX_CANTCREAT, err);
	else if (fputs(rec, stdout) == EOF || fflush(stdout) == EOF)
		rc = gz_fail(EX_IOERR, "cannot write the output");
	else
		gz_info("wrote %s (private key, keep it secret) and %s; "
		    "publish the record above, then set [dkim] key_file",
		    k->out, txt);
	explicit_bzero(pem, strlen(pem));
	free(pem);
	free(pub);
	free(rec);
	free(txt);
	return rc;
}

static int
keygen_option(struct keygen *k, int c, const char *arg)
{
	char *end;
	long n;

	switch (c) {
	case 'o': k->out = arg; return 0;
	case 's': k->selector = arg; return 0;
	case 'd': xstrset(&k->domain, arg); return 0;
	case 'b':
		n = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || n < 1024 || n > 4096)
			return cmd_usage(&cmd_dkim_keygen_entry, "--bits must "
			    "be 1024 to 4096, not '%s'", arg);
		k->bits = (unsigned int)n;
		return 0;
	case 'a':
		if (strcmp(arg, "rsa") == 0)
			k->alg = CRYPTO_KEY_RSA;
		else if (strcmp(arg, "ed25519") == 0)
			k->alg = CRYPTO_KEY_ED25519;
		else
			return cmd_usage(&cmd_dkim_keygen_entry,
			    "--algorithm is rsa or ed25519, not '%s'", arg);
		return 0;
	}
	return EX_USAGE;
}

static int
cmd_dkim_keygen(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "selector", required_argument, NULL, 's' },
		{ "domain", required_argument, NULL, 'd' },
		{ "bits", required_argument, NULL, 'b' },
		{ "algorithm", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct keygen k = { NULL, ctx->cfg->dkim_selector, NULL, 2048,
	    CRYPTO_KEY_RSA };
	int c, rc = EX_OK;

	while (rc == EX_OK && (c = cmd_getopt(&cmd_dkim_keygen_entry, argc,
	    argv, "o:s:d:b:a:", opts)) != -1)
		rc = keygen_option(&k, c, optarg);
	if (rc == EX_OK && optind < argc)
		rc = cmd_usage(&cmd_dkim_keygen_entry, "unexpected argument "
		    "'%s'", argv[optind]);
	else if (rc == EX_OK && k.out == NULL)
		rc = cmd_usage(&cmd_dkim_keygen_entry, "give the key file "
		    "with -o KEYFILE");
	if (rc == EX_OK && k.domain == NULL &&
	    (k.domain = ctx->cfg->dkim_domain ?
	    xstrdup(ctx->cfg->dkim_domain) : dkim_from_domain(ctx->cfg)) ==
	    NULL)
		rc = cmd_usage(&cmd_dkim_keygen_entry, "give --domain, or set "
		    "[mail] from in the configuration");
	if (rc == EX_OK && (k.selector == NULL || *k.selector == '\0'))
		rc = cmd_usage(&cmd_dkim_keygen_entry, "give --selector");
	if (rc == EX_OK)
		rc = keygen_write(&k);
	free(k.domain);
	return rc;
}
