/*
 * cmd.c - the command table, lookup, usage and help built from it.
 *
 * Names match exactly (scripts and cron call them), never by prefix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

extern const struct cmd_entry cmd_topic_add_entry, cmd_topic_list_entry;
extern const struct cmd_entry cmd_topic_rename_entry, cmd_topic_remove_entry;
extern const struct cmd_entry cmd_feed_add_entry, cmd_feed_list_entry;
extern const struct cmd_entry cmd_feed_show_entry, cmd_feed_set_entry;
extern const struct cmd_entry cmd_feed_pause_entry, cmd_feed_resume_entry;
extern const struct cmd_entry cmd_feed_remove_entry;
extern const struct cmd_entry cmd_feed_import_entry, cmd_feed_export_entry;
extern const struct cmd_entry cmd_subscriber_add_entry;
extern const struct cmd_entry cmd_subscriber_list_entry;
extern const struct cmd_entry cmd_subscriber_show_entry;
extern const struct cmd_entry cmd_subscriber_set_entry;
extern const struct cmd_entry cmd_subscriber_remove_entry;
extern const struct cmd_entry cmd_subscriber_import_entry;
extern const struct cmd_entry cmd_subscriber_export_entry;
extern const struct cmd_entry cmd_subscribe_entry, cmd_unsubscribe_entry;
extern const struct cmd_entry cmd_collect_entry, cmd_compose_entry;
extern const struct cmd_entry cmd_send_entry, cmd_preview_entry;
extern const struct cmd_entry cmd_archive_entry;
extern const struct cmd_entry cmd_run_entry, cmd_parse_entry;
extern const struct cmd_entry cmd_outbox_list_entry, cmd_outbox_show_entry;
extern const struct cmd_entry cmd_outbox_retry_entry, cmd_outbox_drop_entry;
extern const struct cmd_entry cmd_template_check_entry;
extern const struct cmd_entry cmd_bounces_parse_entry;
extern const struct cmd_entry cmd_cgi_entry;
extern const struct cmd_entry cmd_dkim_keygen_entry;
extern const struct cmd_entry cmd_bounces_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_topic_add_entry,
	&cmd_topic_list_entry,
	&cmd_topic_rename_entry,
	&cmd_topic_remove_entry,
	&cmd_feed_add_entry,
	&cmd_feed_list_entry,
	&cmd_feed_show_entry,
	&cmd_feed_set_entry,
	&cmd_feed_pause_entry,
	&cmd_feed_resume_entry,
	&cmd_feed_remove_entry,
	&cmd_feed_import_entry,
	&cmd_feed_export_entry,
	&cmd_subscriber_add_entry,
	&cmd_subscriber_list_entry,
	&cmd_subscriber_show_entry,
	&cmd_subscriber_set_entry,
	&cmd_subscriber_remove_entry,
	&cmd_subscriber_import_entry,
	&cmd_subscriber_export_entry,
	&cmd_subscribe_entry,
	&cmd_unsubscribe_entry,
	&cmd_collect_entry,
	&cmd_compose_entry,
	&cmd_send_entry,
	&cmd_outbox_list_entry,
	&cmd_outbox_show_entry,
	&cmd_outbox_retry_entry,
	&cmd_outbox_drop_entry,
	&cmd_preview_entry,
	&cmd_archive_entry,
	&cmd_template_check_entry,
	&cmd_run_entry,
	&cmd_parse_entry,
	&cmd_bounces_parse_entry,
	&cmd_cgi_entry,
	&cmd_dkim_keygen_entry,
	&cmd_bounces_entry,
	NULL
};

static int
is_family(const char *name)
{
	const struct cmd_entry *const *e;

	for (e = cmd_table; *e; e++)
		if ((*e)->family && strcmp((*e)->family, name) == 0)
			return 1;
	return 0;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *consumed)
{
	const struct cmd_entry *const *e;
	int family = is_family(argv[0]);

	/* "gazette bounces" alone (or with options) is a command of its own
	 * where the family has one by its name. */
	if (family && (argc < 2 || argv[1][0] == '-'))
		family = 0;
	*consumed = family ? 2 : 1;
	for (e = cmd_table; *e; e++) {
		if (family && (*e)->family &&
		    strcmp((*e)->family, argv[0]) == 0 &&
		    strcmp((*e)->name, argv[1]) == 0)
			return *e;
		if (!family && !(*e)->family &&
		    strcmp((*e)->name, argv[0]) == 0)
			return *e;
	}
	return NULL;
}

const char *
cmd_fullname(const struct cmd_entry *e, char *out, size_t len)
{
	if (e->family)
		snprintf(out, len, "gazette %s %s", e->family, e->name);
	else
		snprintf(out, len, "gazette %s", e->name);
	return out;
}

static void
print_usage(FILE *fp, const struct cmd_entry *e)
{
	char name[64];

	fprintf(fp, "usage: %s%s%s\n", cmd_fullname(e, name, sizeof name),
	    *e->args ? " " : "", e->args);
}

void
cmd_help(const struct cmd_entry *e)
{
	print_usage(stdout, e);
	printf("\n%s\n", e->summary);
	if (e->options)
		printf("\nOptions:\n%s", e->options);
}

int
cmd_help_family(const char *family)
{
	const struct cmd_entry *const *e;

	if (!is_family(family))
		return -1;
	printf("usage: gazette %s COMMAND [ARGS]\n\nCommands:\n", family);
	for (e = cmd_table; *e; e++)
		if ((*e)->family && strcmp((*e)->family, family) == 0)
			printf("  %-10s %s\n", (*e)->name, (*e)->summary);
	return 0;
}

void
cmd_help_all(void)
{
	const struct cmd_entry *const *e;
	char name[64];

	for (e = cmd_table; *e; e++) {
		cmd_fullname(*e, name, sizeof name);
		printf("  %-26s %s\n", name + strlen("gazette "), (*e)->summary);
	}
}

int
cmd_usage(const struct cmd_entry *e, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	fprintf(stderr, "%s: ", cmd_fullname(e, name, sizeof name));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage(stderr, e);
	return EX_USAGE;
}

int
cmd_getopt(const struct cmd_entry *e, int argc, char **argv,
    const char *shortopts, const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?') {
		cmd_usage(e, "unknown option, or an option without its "
		    "value: '%s'", argv[optind - 1]);
		return '?';
	}
	return c;
}
