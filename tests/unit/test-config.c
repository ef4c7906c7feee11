/* test-config.c - gazette.conf: values, relative paths, errors with lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

static char dir[] = "/tmp/gazette-config.XXXXXX";

static char *
write_conf(const char *name, const char *text)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
expect_error(const char *text, const char *want, const char *name)
{
	char *err = NULL;
	struct config *c = config_load(write_conf("bad.conf", text), &err);

	ok(c == NULL && err && strstr(err, want), name);
	if (err && !strstr(err, want))
		printf("#   got: %s\n#   want it to contain: %s\n", err, want);
	config_free(c);
	free(err);
}

int
main(void)
{
	char *err = NULL, *path, *name, *addr, want[300];
	struct config *c;

	if (mkdtemp(dir) == NULL)
		tap_skip_all("no temporary folder");
	path = write_conf("gazette.conf",
	    "[general]\ndatabase = data/g.db ; inline comment\n"
	    "title = Networking Weekly\n\n[mail]\n"
	    "from = Networking Weekly <digest@news.example.org>\n"
	    "transport = maildir\nmaildir = /var/mail/out\n"
	    "[smtp]\nport = 2525\n[collect]\nmax_size = 2M\nallow_file = yes\n"
	    "ca_file = feeds-ca.pem\n"
	    "[digest]\nmax_items_per_topic = 5\n");
	c = config_load(path, &err);
	ok(c != NULL, "a valid file loads");
	if (c == NULL) {
		printf("# %s\n", err);
		return done_testing();
	}
	snprintf(want, sizeof want, "%s/data/g.db", dir);
	is_str(c->database, want, "a relative path is taken from the file's folder");
	is_str(c->maildir, "/var/mail/out", "an absolute path stays as it is");
	is_str(c->title, "Networking Weekly", "an inline comment is not part of the value");
	is_int(c->smtp_port, 2525, "numbers are read");
	is_int((long long)c->collect_max_size, 2 << 20, "sizes take a unit");
	is_int(c->collect_allow_file, 1, "booleans are read");
	snprintf(want, sizeof want, "%s/feeds-ca.pem", dir);
	is_str(c->collect_ca_file, want, "collect's ca_file is a path");
	is_int(c->max_items_per_topic, 5, "digest settings are read");
	is_int(c->collect_concurrency, 16, "unset keys keep their defaults");
	is_str(c->smtp_tls, "starttls",
	    "smtp tls defaults to starttls: no plain text unless configured");
	is_int(c->max_bounces, 1, "one hard bounce (a gone address) retires it");
	ok(c->smtp_retry_delay == 60 && c->smtp_retry_window == 600,
	    "deferred digests are retried in the run: 60 s on, for 10 min");
	ok(config_split_from(c->from, &name, &addr) == 0, "from splits");
	is_str(name, "Networking Weekly", "from's display name");
	is_str(addr, "digest@news.example.org", "from's address");
	free(name);
	free(addr);
	config_free(c);

	expect_error("[general]\ntitle = x\ncolour = blue\n",
	    "bad.conf:3: unknown key 'colour' in [general]",
	    "an unknown key names file, line and key");
	expect_error("[nope]\nx = 1\n", "bad.conf:2: unknown section [nope]",
	    "an unknown section is an error");
	expect_error("[general]\njust words\n", "bad.conf:2: malformed line",
	    "a line without = is malformed");
	expect_error("[smtp]\nport = 99999\n", "bad.conf:2: [smtp] port must be",
	    "an out-of-range number is refused");
	expect_error("[smtp]\nretry_window = -1\n",
	    "bad.conf:2: [smtp] retry_window must be",
	    "a negative retry_window is refused");
	expect_error("[smtp]\nretry_delay = 0\n",
	    "bad.conf:2: [smtp] retry_delay must be",
	    "a retry_delay of 0 is refused");
	expect_error("[mail]\ntransport = pigeon\n",
	    "bad.conf:2: [mail] transport = 'pigeon' is not one of",
	    "an unknown transport is refused");
	expect_error("title = x\n", "bad.conf:1: 'title' is outside any [section]",
	    "a key before any section is refused");
	expect_error("[smtp]\ntls = maybe\n", "bad.conf:2: [smtp] tls = 'maybe' "
	    "is not one of: starttls, opportunistic, tls, none",
	    "an unknown tls mode is refused, naming the modes");
	c = config_load(write_conf("tls.conf", "[smtp]\ntls = opportunistic\n"),
	    &err);
	ok(c != NULL && !strcmp(c->smtp_tls, "opportunistic") &&
	    c->smtp_port == 0, "tls = opportunistic is read; port left unset");
	config_free(c);
	unlink(write_conf("tls.conf", ""));
	c = config_load("/nonexistent/gazette.conf", &err);
	ok(c == NULL && strstr(err, "No such file"), "a missing file is an error");
	free(err);
	unlink(write_conf("bad.conf", ""));
	unlink(write_conf("gazette.conf", ""));
	rmdir(dir);
	return done_testing();
}
