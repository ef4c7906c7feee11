/*
 * config.c - gazette.conf on inih (see config.h).  Never exits; errors go
 * back to the caller as "FILE:LINE: message".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "config.h"
#include "xmalloc.h"

/* K_WHERE: a URL ("scheme://...") as it is, else a path like K_PATH. */
enum key_type { K_STR, K_PATH, K_WHERE, K_INT, K_SIZE, K_BOOL };

struct key {
	const char *section;
	const char *name;
	enum key_type type;
	size_t	 offset;
	long	 min, max;	/* for K_INT */
};

#define S(f) offsetof(struct config, f)
static const struct key keys[] = {
	{ "general", "database", K_PATH, S(database), 0, 0 },
	{ "general", "title", K_STR, S(title), 0, 0 },
	{ "general", "base_url", K_STR, S(base_url), 0, 0 },
	{ "general", "double_opt_in", K_BOOL, S(double_opt_in), 0, 0 },
	{ "general", "confirm_expiry_days", K_INT, S(confirm_expiry_days), 1,
	    3650 },
	{ "mail", "from", K_STR, S(from), 0, 0 },
	{ "mail", "reply_to", K_STR, S(reply_to), 0, 0 },
	{ "mail", "transport", K_STR, S(transport), 0, 0 },
	{ "mail", "maildir", K_PATH, S(maildir), 0, 0 },
	{ "mail", "sendmail", K_STR, S(sendmail), 0, 0 },
	{ "mail", "max_bounces", K_INT, S(max_bounces), 0, 1000 },
	{ "mail", "unsubscribe_address", K_STR, S(unsubscribe_address), 0, 0 },
	{ "bounces", "mailbox", K_WHERE, S(bounces_mailbox), 0, 0 },
	{ "bounces", "password_file", K_PATH, S(bounces_password_file), 0, 0 },
	{ "bounces", "password_command", K_STR, S(bounces_password_command),
	    0, 0 },
	{ "bounces", "done_folder", K_STR, S(bounces_done_folder), 0, 0 },
	{ "bounces", "soft_limit", K_INT, S(bounces_soft_limit), 0, 1000 },
	{ "bounces", "tls_verify", K_BOOL, S(bounces_tls_verify), 0, 0 },
	{ "bounces", "ca_file", K_PATH, S(bounces_ca_file), 0, 0 },
	{ "smtp", "host", K_STR, S(smtp_host), 0, 0 },
	{ "smtp", "port", K_INT, S(smtp_port), 1, 65535 },
	{ "smtp", "tls", K_STR, S(smtp_tls), 0, 0 },
	{ "smtp", "user", K_STR, S(smtp_user), 0, 0 },
	{ "smtp", "password_file", K_PATH, S(smtp_password_file), 0, 0 },
	{ "smtp", "password_command", K_STR, S(smtp_password_command), 0, 0 },
	{ "smtp", "connections", K_INT, S(smtp_connections), 1, 64 },
	{ "smtp", "rate", K_INT, S(smtp_rate), 0, 100000 },
	{ "smtp", "timeout", K_INT, S(smtp_timeout), 1, 3600 },
	{ "smtp", "retry_delay", K_INT, S(smtp_retry_delay), 1, 86400 },
	{ "smtp", "retry_window", K_INT, S(smtp_retry_window), 0, 86400 },
	{ "smtp", "ca_file", K_PATH, S(smtp_ca_file), 0, 0 },
	{ "smtp", "tls_name", K_STR, S(smtp_tls_name), 0, 0 },
	{ "smtp", "tls_verify", K_BOOL, S(smtp_tls_verify), 0, 0 },
	{ "collect", "concurrency", K_INT, S(collect_concurrency), 1, 256 },
	{ "collect", "timeout", K_INT, S(collect_timeout), 1, 3600 },
	{ "collect", "max_size", K_SIZE, S(collect_max_size), 0, 0 },
	{ "collect", "allow_file", K_BOOL, S(collect_allow_file), 0, 0 },
	{ "collect", "ca_file", K_PATH, S(collect_ca_file), 0, 0 },
	{ "digest", "frequency", K_STR, S(frequency), 0, 0 },
	{ "digest", "max_items_per_topic", K_INT, S(max_items_per_topic), 1, 10000 },
	{ "digest", "excerpt_words", K_INT, S(excerpt_words), 1, 10000 },
	{ "digest", "excerpt_chars", K_INT, S(excerpt_chars), 20, 100000 },
	{ "digest", "template_dir", K_PATH, S(template_dir), 0, 0 },
	{ "dkim", "domain", K_STR, S(dkim_domain), 0, 0 },
	{ "dkim", "selector", K_STR, S(dkim_selector), 0, 0 },
	{ "dkim", "key_file", K_PATH, S(dkim_key_file), 0, 0 },
	{ "dkim", "algorithm", K_STR, S(dkim_algorithm), 0, 0 },
	{ "archive", "dir", K_PATH, S(archive_dir), 0, 0 },
	{ "archive", "page_size", K_INT, S(archive_page_size), 1, 10000 },
	{ "digest", "when_empty", K_STR, S(when_empty), 0, 0 },
};
#undef S

/* What the enumerated string keys may hold. */
static const struct {
	const char *section, *name, *values[5];
} choices[] = {
	{ "mail", "transport", { "smtp", "sendmail", "maildir", NULL } },
	{ "smtp", "tls", { "starttls", "opportunistic", "tls", "none", NULL } },
	{ "digest", "frequency", { "weekly", "daily", NULL, NULL } },
	{ "dkim", "algorithm", { "rsa-sha256", "ed25519-sha256", NULL, NULL } },
	{ "digest", "when_empty", { "skip", "note", NULL, NULL } },
};

struct parse_state {
	struct config *c;
	char	*dir;		/* folder of the file, for relative paths */
	char	*error;		/* first error, without the file:line prefix */
};

struct config *
config_defaults(void)
{
	struct config *c = xcalloc(1, sizeof *c);

	c->title = xstrdup("Digest");
	c->confirm_expiry_days = 7;
	c->transport = xstrdup("smtp");
	c->maildir = xstrdup("outbox");
	c->sendmail = xstrdup("/usr/sbin/sendmail -oi -t");
	c->max_bounces = 1;
	c->bounces_done_folder = xstrdup("gazette-done");
	c->bounces_soft_limit = 5;
	c->bounces_tls_verify = 1;
	c->smtp_host = xstrdup("127.0.0.1");
	/* Plain text only when asked for; the port follows tls (0). */
	c->smtp_tls = xstrdup("starttls");
	c->smtp_connections = 1;
	c->smtp_timeout = 60;
	c->smtp_retry_delay = 60;
	c->smtp_retry_window = 600;
	c->smtp_tls_verify = 1;
	c->collect_concurrency = 16;
	c->collect_timeout = 30;
	c->collect_max_size = (size_t)10 << 20;
	c->frequency = xstrdup("weekly");
	c->max_items_per_topic = 10;
	c->excerpt_words = 55;
	c->excerpt_chars = 400;
	c->dkim_selector = xstrdup("gazette");
	c->dkim_algorithm = xstrdup("rsa-sha256");
	c->archive_page_size = 20;
	c->when_empty = xstrdup("skip");
	return c;
}

static const struct key *
find_key(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int
known_section(const char *section)
{
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0)
			return 1;
	return 0;
}

#define NVALUES (sizeof choices[0].values / sizeof choices[0].values[0])

/* NULL when value is allowed, else "is not one of: a, b, c" (new). */
static char *
check_choice(const char *section, const char *name, const char *value)
{
	size_t i, j;
	char *why, *more;

	for (i = 0; i < sizeof choices / sizeof choices[0]; i++) {
		if (strcmp(choices[i].section, section) != 0 ||
		    strcmp(choices[i].name, name) != 0)
			continue;
		for (j = 0; j < NVALUES && choices[i].values[j]; j++)
			if (strcmp(choices[i].values[j], value) == 0)
				return NULL;
		why = xasprintf("is not one of: %s", choices[i].values[0]);
		for (j = 1; j < NVALUES && choices[i].values[j]; j++) {
			more = xasprintf("%s, %s", why, choices[i].values[j]);
			free(why);
			why = more;
		}
		return why;
	}
	return NULL;
}

/* "10M", "512K", "1G" or plain bytes. */
static int
parse_size(const char *v, size_t *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *v == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	}
	if (*end != '\0' || n == 0 || n > ((unsigned long long)1 << 40))
		return -1;
	*out = (size_t)n;
	return 0;
}

static int
parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
	    !strcmp(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static char *
resolve_path(const char *dir, const char *v)
{
	if (v[0] == '/' || dir == NULL)
		return xstrdup(v);
	return xasprintf("%s/%s", dir, v);
}

static int
set_value(struct parse_state *ps, const struct key *k, const char *value)
{
	char *p = (char *)ps->c + k->offset, *end;
	long n;

	switch (k->type) {
	case K_STR:
	case K_PATH:
	case K_WHERE:
		xstrset((char **)(void *)p, NULL);
		*(char **)(void *)p = k->type == K_PATH || (k->type == K_WHERE &&
		    strstr(value, "://") == NULL) ? resolve_path(ps->dir, value) :
		    xstrdup(value);
		return 0;
	case K_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno || end == value || *end || n < k->min || n > k->max) {
			ps->error = xasprintf("[%s] %s must be a whole number "
			    "from %ld to %ld, not '%s'", k->section, k->name,
			    k->min, k->max, value);
			return -1;
		}
		*(int *)(void *)p = (int)n;
		return 0;
	case K_SIZE:
		if (parse_size(value, (size_t *)(void *)p) == 0)
			return 0;
		ps->error = xasprintf("[%s] %s must be a size like 10M, not '%s'",
		    k->section, k->name, value);
		return -1;
	case K_BOOL:
		if (parse_bool(value, (int *)(void *)p) == 0)
			return 0;
		ps->error = xasprintf("[%s] %s must be yes or no, not '%s'",
		    k->section, k->name, value);
		return -1;
	}
	return -1;
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *ps = user;
	const struct key *k;
	char *why;

	if (ps->error)
		return 1;	/* keep the first error only */
	if (*section == '\0')
		ps->error = xasprintf("'%s' is outside any [section]", name);
	else if (!known_section(section))
		ps->error = xasprintf("unknown section [%s]", section);
	else if ((k = find_key(section, name)) == NULL)
		ps->error = xasprintf("unknown key '%s' in [%s]", name, section);
	else if ((why = check_choice(section, name, value)) != NULL) {
		ps->error = xasprintf("[%s] %s = '%s' %s", section, name, value,
		    why);
		free(why);
	} else
		return set_value(ps, k, value) == 0;
	return 0;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return NULL;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

struct config *
config_load(const char *path, char **err)
{
	struct parse_state ps = { config_defaults(), dir_of(path), NULL };
	FILE *fp;
	int line;

	if ((fp = fopen(path, "r")) == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	line = ini_parse_file(fp, on_entry, &ps);
	fclose(fp);
	if (line != 0) {
		*err = xasprintf("%s:%d: %s", path, line,
		    ps.error ? ps.error : "malformed line (expected "
		    "[section] or key = value)");
		goto fail;
	}
	ps.c->path = xstrdup(path);
	free(ps.dir);
	return ps.c;
fail:
	free(ps.error);
	free(ps.dir);
	config_free(ps.c);
	return NULL;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].type == K_STR || keys[i].type == K_PATH ||
		    keys[i].type == K_WHERE)
			free(*(char **)(void *)((char *)c + keys[i].offset));
	free(c->path);
	free(c);
}

int
config_split_from(const char *from, char **name, char **addr)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	*name = NULL;
	*addr = NULL;
	if (lt == NULL) {
		while (*from == ' ')
			from++;
		if (*from == '\0')
			return -1;
		*addr = xstrdup(from);
		return 0;
	}
	if ((gt = strchr(lt, '>')) == NULL || gt == lt + 1)
		return -1;
	*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	for (n = (size_t)(lt - from); n > 0 && from[n - 1] == ' '; n--)
		;
	while (n > 0 && *from == ' ')
		from++, n--;
	if (n >= 2 && from[0] == '"' && from[n - 1] == '"')
		from++, n -= 2;
	if (n > 0)
		*name = xstrndup(from, n);
	return 0;
}
