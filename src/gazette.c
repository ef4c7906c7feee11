/*
 * gazette.c - main: global options, configuration and store, then the
 * command from the table.
 */
#ifdef HAVE_CONFIG_H
#include "build.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "fetch.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: gazette [--config FILE] [--db FILE] [-q|-v] "
	    "COMMAND [ARGS]\n");
}

static int
help(void)
{
	usage(stdout);
	printf("\nBuild newsletter digests from RSS/Atom feeds and send them "
	    "by email.\n\nGlobal options:\n"
	    "  -c, --config FILE  configuration file (default: $GAZETTE_CONF,"
	    " else ./gazette.conf if present)\n"
	    "  -d, --db FILE      database file (default: $GAZETTE_DB, else "
	    "[general] database, else ./gazette.db)\n"
	    "  -q, --quiet        only errors and warnings\n"
	    "  -v, --verbose      more detail\n"
	    "  -h, --help         this help\n"
	    "  -V, --version      the version\n\nCommands:\n");
	cmd_help_all();
	printf("\nRun 'gazette COMMAND --help' for a command's options; "
	    "man gazette(1) has it all.\n");
	return EX_OK;
}

static struct config *
load_config(const char *path, int *rc)
{
	struct config *cfg;
	char *err = NULL;

	if (path == NULL)
		path = getenv("GAZETTE_CONF");
	if (path == NULL || *path == '\0') {
		if (access("gazette.conf", F_OK) != 0)
			return config_defaults();
		path = "gazette.conf";
	}
	if ((cfg = config_load(path, &err)) == NULL) {
		*rc = gz_fail(EX_CONFIG, "%s", err);
		free(err);
	}
	return cfg;
}

static const char *
db_path(const char *opt, const struct config *cfg)
{
	const char *env = getenv("GAZETTE_DB");

	if (opt)
		return opt;
	if (env && *env)
		return env;
	return cfg->database ? cfg->database : "gazette.db";
}

/*
 * $GAZETTE_NOW, seconds since the epoch, stands in for the clock so tests
 * can play out a schedule (a digest "yesterday", a run "next week").
 */
static int
clock_now(int64_t *now)
{
	const char *env = getenv("GAZETTE_NOW");
	char *end;
	long long v;

	*now = (int64_t)time(NULL);
	if (env == NULL || *env == '\0')
		return EX_OK;
	errno = 0;
	v = strtoll(env, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return gz_fail(EX_CONFIG, "GAZETTE_NOW must be seconds since "
		    "the epoch, not '%s'", env);
	*now = (int64_t)v;
	return EX_OK;
}

static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

static int
dispatch(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e;
	char *err = NULL;
	int used, rc;

	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1)
			return help();
		if ((e = cmd_find(argc - 1, argv + 1, &used)) != NULL) {
			cmd_help(e);
			return EX_OK;
		}
		if (cmd_help_family(argv[1]) == 0)
			return EX_OK;
		return gz_fail(EX_USAGE, "no such command: '%s'", argv[1]);
	}
	if ((e = cmd_find(argc, argv, &used)) == NULL) {
		if (argc == 1 && cmd_help_family(argv[0]) == 0)
			return EX_USAGE;
		if (argc >= 2 && !strcmp(argv[1], "--help") &&
		    cmd_help_family(argv[0]) == 0)
			return EX_OK;
		rc = gz_fail(EX_USAGE, "unknown command '%s%s%s' (see "
		    "'gazette --help')", argv[0], argc > 1 ? " " : "",
		    argc > 1 ? argv[1] : "");
		return rc;
	}
	argc -= used - 1;
	argv += used - 1;
	if (wants_help(argc, argv)) {
		cmd_help(e);
		return EX_OK;
	}
	if (e->flags & GZ_NEEDS_DB) {
		if ((ctx->st = store_open(ctx->db_path, &err)) == NULL) {
			rc = gz_fail(EX_UNAVAILABLE, "%s", err);
			free(err);
			return rc;
		}
	}
	optind = 0;
	rc = e->exec(ctx, argc, argv);
	/* A database another process kept locked is a temporary failure:
	 * cron and systemd should read it as "try again", not as bad data. */
	if (rc == EX_IOERR && store_busy_failed(ctx->st))
		rc = EX_TEMPFAIL;
	store_close(ctx->st);
	ctx->st = NULL;
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_ctx ctx = { 0 };
	const char *config_path = NULL, *db = NULL;
	int c, rc = EX_OK;

	while ((c = getopt_long(argc, argv, "+c:d:qvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'q': log_set_level(LOG_QUIET); break;
		case 'v': log_set_level(LOG_VERBOSE); break;
		case 'h': return help();
		case 'V':
			printf("gazette %s\n", PACKAGE_VERSION);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		fprintf(stderr, "Run 'gazette --help' for the commands.\n");
		return EX_USAGE;
	}
	if ((ctx.cfg = load_config(config_path, &rc)) == NULL)
		return rc;
	ctx.db_path = db_path(db, ctx.cfg);
	if ((rc = clock_now(&ctx.now)) != EX_OK) {
		config_free(ctx.cfg);
		return rc;
	}
	fetch_global_init();
	rc = dispatch(&ctx, argc - optind, argv + optind);
	fetch_global_cleanup();
	config_free(ctx.cfg);
	return rc;
}
