/*
 * cmd-bounces.c - gazette bounces parse: what the bounce reader makes of
 * one returned message, for checking it against other bounce analysers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bounce.h"
#include "bounce-json.h"
#include "cmd.h"
#include "fileio.h"
#include "log.h"

#define MAX_MESSAGE	((size_t)64 << 20)

static int	cmd_bounces_parse(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_bounces_parse_entry = {
	"bounces", "parse", "FILE.eml [--json]",
	"Read one bounce, complaint or auto-reply and print what it says.",
	"  -j, --json         print one JSON object (the shape of the shared "
	"corpus oracle,\n"
	"                     plus the server's diagnostic text)\n",
	0, cmd_bounces_parse
};

static void
print_text(const struct bounce_list *bl)
{
	const struct bounce *b;
	size_t i;

	for (i = 0; i < bl->n; i++) {
		b = &bl->v[i];
		printf("%s\t%s\t%s\t%s\n", b->recipient,
		    bounce_class_name(b->class), b->status ? b->status : "-",
		    b->reason);
	}
}

static int
cmd_bounces_parse(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct bounce_list *bl;
	char *msg, *err = NULL, *json;
	size_t len;
	int c, as_json = 0;

	(void)ctx;
	while ((c = cmd_getopt(&cmd_bounces_parse_entry, argc, argv, "j",
	    opts)) != -1) {
		if (c == '?')
			return EX_USAGE;
		as_json = 1;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_bounces_parse_entry, "expected one FILE");
	if ((msg = file_read(argv[optind], MAX_MESSAGE, &len, &err)) == NULL)
		return gz_fail_err(EX_NOINPUT, err);
	bl = bounce_read(msg, len);
	if (as_json) {
		json = bounce_to_json(bl);
		puts(json);
		free(json);
	} else
		print_text(bl);
	bounce_list_free(bl);
	free(msg);
	return EX_OK;
}
