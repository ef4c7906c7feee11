/*
 * cmd-collect.c - gazette collect: fetch the feeds that are due, store new
 * items, and say how it went (a line, or JSON with --json); on a terminal,
 * a progress bar while it goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "collect.h"
#include "json-out.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_collect(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_collect_entry = {
	NULL, "collect", "[--all] [--feed URL]... [--concurrency N] [--json]",
	"Fetch the active feeds that are due and store the new items.",
	"  -a, --all          fetch every active feed, even those waiting out "
	"a\n"
	"                     Retry-After or a backoff after errors\n"
	"  -f, --feed URL     fetch only this feed, whatever its state "
	"(repeatable)\n"
	"  -c, --concurrency N  fetches at once (1-256; default "
	"[collect] concurrency)\n"
	"  -j, --json         print the summary as JSON on stdout\n",
	GZ_NEEDS_DB, cmd_collect
};

#define CONCURRENCY_MAX 256

#define BAR_MIN		10	/* a narrower bar is left out: counts only */
#define LINE_MAX_COLS	400	/* a wider terminal gets a line this long */

/*
 * The progress bar goes to a terminal only: cron logs, pipes, --json and
 * -q get the summary alone, never a line redrawn with \r.
 */
struct progress {
	int	 on;
	int	 drawn;		/* a bar is on the screen now */
};

/* The terminal's width: its window's, else $COLUMNS, else 80. */
static int
term_columns(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	long n;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env != NULL && (n = strtol(env, &end, 10)) > 0 && *end == '\0')
		return n < LINE_MAX_COLS ? (int)n : LINE_MAX_COLS;
	return 80;
}

/*
 * "[#######.......]  412/1000 feeds  37 new", one column short of the
 * terminal's width so that it never wraps, drawn over the last one.
 */
static void
progress_draw(struct progress *p, const struct collect_summary *s)
{
	char line[LINE_MAX_COLS + 1], counts[80];
	int cols = term_columns() - 1, n, width, fill;

	if (cols > LINE_MAX_COLS)
		cols = LINE_MAX_COLS;
	n = snprintf(counts, sizeof counts, "%zu/%zu feeds  %d new",
	    s->nfeeds, s->total, s->new_items);
	width = cols - n - 4;	/* "[", "]" and two spaces */
	if (width < BAR_MIN)
		snprintf(line, sizeof line, "%.*s", cols > 0 ? cols : 0, counts);
	else {
		fill = (int)((size_t)width * s->nfeeds / s->total);
		line[0] = '[';
		memset(line + 1, '#', (size_t)fill);
		memset(line + 1 + fill, '.', (size_t)(width - fill));
		snprintf(line + 1 + width, sizeof line - 1 - (size_t)width,
		    "]  %s", counts);
	}
	fprintf(stderr, "\r%s\033[K", line);
	p->drawn = 1;
}

static void
progress_clear(struct progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}

static void
report(const struct collect_feed *f, const struct collect_summary *s,
    void *ctx)
{
	struct progress *p = ctx;

	progress_clear(p);
	if (f->error)
		gz_warn("%s: %s", f->url, f->error);
	else if (f->warning)
		gz_warn("%s: %s (%d new item(s) stored)", f->url, f->warning,
		    f->new_items);
	else
		gz_debug("%s: %d new item(s)", f->url, f->new_items);
	if (p->on && s->nfeeds < s->total)
		progress_draw(p, s);
}

/* {fetched, not_modified, failed, warnings, new_items, feeds: [{url, status,
 * error, warning, new_items}]} */
static char *
summary_json(const struct collect_summary *s)
{
	struct json_out *o = json_out_object(), *feeds = json_out_array(), *f;
	size_t i;

	json_out_int(o, "fetched", s->fetched);
	json_out_int(o, "not_modified", s->not_modified);
	json_out_int(o, "failed", s->failed);
	json_out_int(o, "warnings", s->warned);
	json_out_int(o, "new_items", s->new_items);
	for (i = 0; i < s->nfeeds; i++) {
		f = json_out_object();
		json_out_str(f, "url", s->feeds[i].url);
		json_out_int(f, "status", s->feeds[i].status);
		json_out_str(f, "error", s->feeds[i].error);
		json_out_str(f, "warning", s->feeds[i].warning);
		json_out_int(f, "new_items", s->feeds[i].new_items);
		json_out_put(feeds, NULL, f);
	}
	json_out_put(o, "feeds", feeds);
	return json_out_text(o);
}

static int
collect_with(struct cmd_ctx *ctx, const struct collect_options *opt,
    int as_json)
{
	struct collect_summary sum;
	struct progress p = { isatty(STDERR_FILENO) && isatty(STDOUT_FILENO)
	    && !as_json && log_get_level() != LOG_QUIET, 0 };
	char *err = NULL, *json, warned[48] = "";
	int rc;

	rc = collect_all(ctx->st, ctx->cfg, ctx->now, opt, &sum, report, &p,
	    &err);
	progress_clear(&p);
	if (rc == -1) {
		collect_summary_free(&sum);
		return gz_fail_err(EX_IOERR, err);
	}
	if (as_json) {
		json = summary_json(&sum);
		fputs(json, stdout);
		free(json);
	}
	if (sum.warned)
		snprintf(warned, sizeof warned, " (%d with a warning)",
		    sum.warned);
	gz_info("collect: %d fetched%s, %d not modified, %d failed, %d new "
	    "item(s)", sum.fetched, warned, sum.not_modified, sum.failed,
	    sum.new_items);
	rc = sum.failed ? EX_FAILURE : EX_OK;
	collect_summary_free(&sum);
	return rc;
}

/* Shared with gazette run.  Returns EX_OK, or EX_FAILURE when a feed
 * failed (the others are still stored). */
int
cmd_collect_run(struct cmd_ctx *ctx)
{
	return collect_with(ctx, NULL, 0);
}

/* Every --feed must name a known feed: a typo is not an empty run. */
static int
check_urls(struct cmd_ctx *ctx, char *const *urls, size_t n)
{
	int64_t id;
	char *err = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = store_feed_id(ctx->st, urls[i], &id, &err);
		if (rc == -1)
			return gz_fail_err(EX_IOERR, err);
		if (rc == STORE_NOTFOUND)
			return gz_fail(EX_DATAERR, "no feed '%s' (see gazette "
			    "feed list)", urls[i]);
	}
	return EX_OK;
}

static int
parse_concurrency(const char *s, int *out)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 1 || n > CONCURRENCY_MAX)
		return cmd_usage(&cmd_collect_entry, "--concurrency wants a "
		    "number from 1 to %d, not '%s'", CONCURRENCY_MAX, s);
	*out = (int)n;
	return EX_OK;
}

static int
cmd_collect(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "feed", required_argument, NULL, 'f' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct collect_options opt = { 0, NULL, 0, 0 };
	char **urls = xcalloc((size_t)argc, sizeof *urls);
	int c, as_json = 0, rc = EX_OK;

	while (rc == EX_OK && (c = cmd_getopt(&cmd_collect_entry, argc, argv,
	    "af:c:j", opts)) != -1) {
		switch (c) {
		case 'a': opt.all = 1; break;
		case 'f': urls[opt.nurls++] = optarg; break;
		case 'c': rc = parse_concurrency(optarg, &opt.concurrency); break;
		case 'j': as_json = 1; break;
		default: rc = EX_USAGE; break;
		}
	}
	opt.urls = urls;
	if (rc == EX_OK && argc > optind)
		rc = cmd_usage(&cmd_collect_entry, "takes no arguments");
	if (rc == EX_OK)
		rc = check_urls(ctx, urls, opt.nurls);
	if (rc == EX_OK)
		rc = collect_with(ctx, &opt, as_json);
	free(urls);
	return rc;
}
