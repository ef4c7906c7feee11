/*
 * cmd-archive.c - gazette archive: the static web archive of the topics
 * and of the sent digests, written into a folder; a re-run rewrites only
 * the pages that changed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "archive.h"
#include "cmd.h"
#include "config.h"
#include "log.h"

static int	cmd_archive(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_archive_entry = {
	NULL, "archive", "[-o DIR]",
	"Write the static web archive: an index, each topic's pages of "
	"entries, one page per week of sent digests, and the page each sent "
	"digest's \"View in browser\" link names.",
	"  -o, --output DIR  the archive folder (default: [archive] dir)\n",
	GZ_NEEDS_DB, cmd_archive
};

static int
write_archive(struct cmd_ctx *ctx, const char *dir)
{
	struct archive_site site;
	struct archive_stats stats;
	char *err = NULL;
	int rc;

	if ((rc = cmd_begin(ctx)) != EX_OK)
		return rc;
	if (archive_build(ctx->st, ctx->cfg, &site, &err) == -1)
		return cmd_end(ctx, gz_fail_err(EX_CONFIG, err));
	if ((rc = cmd_end(ctx, EX_OK)) != EX_OK) {
		archive_site_free(&site);
		return rc;
	}
	if (archive_write(dir, &site, &stats, &err) == -1)
		rc = gz_fail_err(EX_CANTCREAT, err);
	else if (stats.removed)
		gz_info("archive %s: %zu pages written, %zu unchanged, %zu "
		    "removed", dir, stats.written, stats.unchanged,
		    stats.removed);
	else
		gz_info("archive %s: %zu pages written, %zu unchanged", dir,
		    stats.written, stats.unchanged);
	archive_site_free(&site);
	return rc;
}

static int
cmd_archive(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = ctx->cfg->archive_dir;
	int c;

	while ((c = cmd_getopt(&cmd_archive_entry, argc, argv, "o:",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		dir = optarg;
	}
	if (argc - optind != 0)
		return cmd_usage(&cmd_archive_entry, "takes no arguments");
	if (dir == NULL || *dir == '\0')
		return cmd_usage(&cmd_archive_entry, "needs -o DIR (or "
		    "[archive] dir in the configuration)");
	return write_archive(ctx, dir);
}
