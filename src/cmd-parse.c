/*
 * cmd-parse.c - gazette parse: what the feed parser reads from files or
 * URLs, for comparing with other parsers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "collect.h"
#include "config.h"
#include "feed-json.h"
#include "feed.h"
#include "fetch.h"
#include "fileio.h"
#include "log.h"
#include "url.h"
#include "xmalloc.h"

static int	cmd_parse(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_parse_entry = {
	NULL, "parse", "FILE|URL... [--json]",
	"Parse feeds and print what gazette reads from each.",
	"  -j, --json         print one JSON object a feed (the shape of the "
	"shared\n"
	"                     corpus oracle, plus summary_html and content_html "
	"per\n"
	"                     item), one after another\n",
	0, cmd_parse
};

struct got {
	char	*body;
	size_t	 len;
	char	*url;
	char	*charset;	/* of the HTTP Content-Type, as collect reads it */
};

static int
load(struct cmd_ctx *ctx, const char *src, struct got *g)
{
	struct fetch_options opt;
	char *err = NULL;
	int rc;

	collect_fetch_options(ctx->cfg, &opt);
	opt.allow_file = 0;

	if (!url_is_http(src)) {
		if ((g->body = file_read(src, ctx->cfg->collect_max_size,
		    &g->len, &err)) == NULL)
			return gz_fail_err(EX_NOINPUT, err);
		return EX_OK;
	}
	if ((g->body = fetch_one(src, &opt, &g->len, &g->url, &g->charset,
	    &err)) == NULL) {
		rc = gz_fail(EX_UNAVAILABLE, "%s: %s", src, err);
		free(err);
		return rc;
	}
	return EX_OK;
}

static void
print_text(const struct feed *f)
{
	size_t i;

	printf("%s (%s, %zu items)\n", f->title ? f->title : "(untitled)",
	    f->format ? f->format : "?", f->nitems);
	/* The link a digest would give: the enclosure when there is no other. */
	for (i = 0; i < f->nitems; i++)
		printf("- %s\n  %s\n", f->items[i].title ? f->items[i].title
		    : "(untitled)", f->items[i].link ? f->items[i].link :
		    f->items[i].enclosure ? f->items[i].enclosure : "");
}

/* Parse one feed and print it; an exit status. */
static int
parse_one(struct cmd_ctx *ctx, const char *src, int as_json)
{
	struct got g = { 0 };
	struct feed *f = NULL;
	char *err = NULL, *json;
	int rc;

	if ((rc = load(ctx, src, &g)) == EX_OK &&
	    (f = feed_parse(g.body, g.len, g.url, g.charset, &err)) == NULL)
		rc = gz_fail(EX_DATAERR, "%s: %s", src, err);
	if (f && as_json) {
		json = feed_to_json(f);
		puts(json);
		free(json);
	} else if (f)
		print_text(f);
	if (f && f->warning)
		gz_warn("%s: %s", src, f->warning);
	feed_free(f);
	free(err);
	free(g.body);
	free(g.url);
	free(g.charset);
	return rc;
}

/* Each feed in turn; a bad one is reported and the rest still parsed. */
static int
cmd_parse(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int c, as_json = 0, rc = EX_OK, one;

	while ((c = cmd_getopt(&cmd_parse_entry, argc, argv, "j", opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		as_json = 1;
	}
	if (argc - optind < 1)
		return cmd_usage(&cmd_parse_entry, "expected a FILE or URL");
	for (; optind < argc; optind++)
		if ((one = parse_one(ctx, argv[optind], as_json)) != EX_OK &&
		    rc == EX_OK)
			rc = one;
	return rc;
}
