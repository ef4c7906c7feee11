/*
 * cmd.h - the command table: dispatch, usage and help come from one place.
 *
 * A command is a file (cmd-*.c) holding its entries; adding a command is
 * adding an entry.  Commands report errors through log.h's gz_fail and
 * return a sysexits code; nothing below them prints.
 */
#ifndef GZ_CMD_H
#define GZ_CMD_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct dkim_signer;
struct store;

/* Flags: what the dispatcher sets up before exec. */
#define GZ_NEEDS_DB	0x1	/* open (and migrate) the store */

struct cmd_ctx {
	struct config *cfg;
	struct store *st;	/* set when the entry has GZ_NEEDS_DB */
	const char *db_path;
	int64_t	 now;
};

struct cmd_entry {
	const char *family;	/* "topic", or NULL for a top-level command */
	const char *name;	/* "add" */
	const char *args;	/* "SLUG [--name TEXT]" */
	const char *summary;	/* one line */
	const char *options;	/* option lines for help, or NULL */
	int	 flags;
	int	(*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd_entry *const cmd_table[];

/* Find the entry for argv ("topic add ..." or "collect ..."). */
const struct cmd_entry *cmd_find(int argc, char **argv, int *consumed);
/* "gazette topic add" */
const char *cmd_fullname(const struct cmd_entry *e, char *out, size_t len);
/* Print a command's help on stdout. */
void	 cmd_help(const struct cmd_entry *e);
/* Print help for a whole family ("gazette topic --help"). */
int	 cmd_help_family(const char *family);
/* Print the list of all commands. */
void	 cmd_help_all(void);
/* Report a usage error for e and return EX_USAGE. */
int	 cmd_usage(const struct cmd_entry *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * getopt_long over a command's argv (argv[0] is the command name).  Returns
 * the option character, -1 at the end, or '?' after reporting an unknown
 * option or a missing argument (the caller returns EX_USAGE).
 */
int	 cmd_getopt(const struct cmd_entry *e, int argc, char **argv,
	    const char *shortopts, const struct option *longopts);

/* Look up topic slugs; reports the first unknown one.  Returns EX_OK. */
int	 cmd_topic_ids(struct cmd_ctx *ctx, char *const *slugs, size_t n,
	    int64_t *ids);

/* A subscriber looked up by address (cmd-subscriber.c). */
struct cmd_subscriber {
	int64_t	 id;
	char	*email;			/* as stored */
	char	 status[16];
	char	 frequency[16];
};
/* Normalize and find addr; reports an invalid or unknown address (65). */
int	 cmd_subscriber_find(struct cmd_ctx *ctx, const char *addr,
	    struct cmd_subscriber *out);
/* Remove pending subscribers older than [general] confirm_expiry_days
 * (cmd-subscriber.c; compose and run start with it). */
int	 cmd_expire_pending(struct cmd_ctx *ctx);
/* Look up a feed by its URL; reports an unknown one (65). */
int	 cmd_feed_find(struct cmd_ctx *ctx, const char *url, int64_t *id);

/* cmd-util.c: cmd_when's "2026-11-25 10:00 UTC", or "never" for 0. */
const char *cmd_time(int64_t t, char *out, size_t len);
struct json_out;
/* Parse a command whose only option is --json: 1 with it, 0 without,
 * -1 after a usage error.  optind points at the arguments. */
int	 cmd_json_flag(const struct cmd_entry *e, int argc, char **argv);
/* Parse a command without options: 0, or -1 after a usage error. */
int	 cmd_no_options(const struct cmd_entry *e, int argc, char **argv);
/* Print j (and free it) on stdout: EX_OK or EX_IOERR. */
int	 cmd_print_json(struct json_out *j);
/* One transaction per command: begin, then end with the command's code
 * (commit on EX_OK, roll back otherwise).  Both return an exit code. */
int	 cmd_begin(struct cmd_ctx *ctx);
int	 cmd_end(struct cmd_ctx *ctx, int rc);

/*
 * cmd-rows.c: --json and --csv output of list and show commands.  A
 * command names its columns (NULL-terminated), sets each row's cells in
 * that order and ends the row; CSV streams with a header row, JSON is one
 * array (or one object when one is set).
 */
enum cmd_format { CMD_TEXT, CMD_JSON, CMD_CSV, CMD_TABLE };
/* CMD_TABLE where f is CMD_TEXT and stdout is a terminal: an aligned table
 * with a heading row, printed when the rows are done. */
enum cmd_format cmd_format_for_tty(enum cmd_format f);
/* Long options for a getopt table; 'j' is --json, 'C' is --csv. */
#define CMD_FORMAT_OPTIONS \
	{ "json", no_argument, NULL, 'j' }, { "csv", no_argument, NULL, 'C' }
/* Apply option 'j' or 'C' to *f: EX_OK, or EX_USAGE when both are given. */
int	 cmd_format_opt(const struct cmd_entry *e, int c, enum cmd_format *f);
/* Parse a command whose only options are --json and --csv: the format,
 * or -1 after a usage error.  optind points at the arguments. */
int	 cmd_format_flag(const struct cmd_entry *e, int argc, char **argv);
struct cmd_rows;
struct cmd_rows *cmd_rows_new(enum cmd_format format,
	    const char *const *cols, int one);
void	 cmd_rows_str(struct cmd_rows *r, const char *v);
void	 cmd_rows_int(struct cmd_rows *r, int64_t v);
/* A Unix time: RFC 3339 UTC (a table: "YYYY-MM-DD HH:MM UTC"), empty (CSV),
 * null (JSON) or "-" (a table) for 0. */
void	 cmd_rows_time(struct cmd_rows *r, int64_t t);
/* "a,b": a JSON array, or "a;b" in CSV. */
void	 cmd_rows_list(struct cmd_rows *r, const char *csv);
/* JSON only: store child in the row (CSV drops it). */
void	 cmd_rows_put(struct cmd_rows *r, const char *key,
	    struct json_out *child);
void	 cmd_rows_end_row(struct cmd_rows *r);
/* Print (JSON, a table) or flush (CSV), free r: EX_OK or EX_IOERR. */
int	 cmd_rows_done(struct cmd_rows *r);
void	 cmd_rows_free(struct cmd_rows *r);

/* The stages, shared by their commands and gazette run. */
int	 cmd_collect_run(struct cmd_ctx *ctx);
int	 cmd_compose_run(struct cmd_ctx *ctx);
/* cmd-compose.c: --note (c 'N') and --topic-note ('T'), for run too. */
struct compose_notes;
int	 cmd_notes_option(struct cmd_ctx *ctx, struct compose_notes *n, int c,
	    const char *arg);
void	 cmd_notes_free(struct compose_notes *n);
int	 cmd_compose_notes_run(struct cmd_ctx *ctx, struct compose_notes *n);
int	 cmd_send_run(struct cmd_ctx *ctx);
/* gazette bounces: read the bounce mailbox and act on it. */
int	 cmd_bounces_run(struct cmd_ctx *ctx, int dry_run);
/* Refuse to start when [dkim] is set but its key cannot sign: EX_OK, or
 * reported (66 unreadable key file, 78 bad key or names). */
int	 cmd_dkim_check(struct cmd_ctx *ctx);
/* The same, keeping the signer (NULL when [dkim] is off) for the caller
 * to sign with and close. */
int	 cmd_dkim_open(struct cmd_ctx *ctx, struct dkim_signer **out);

/*
 * The one-run-at-a-time lock on DATABASE.lock (cmd-run.c), taken without
 * waiting: EX_OK with *fd open (close it to release), else reported.
 */
int	 cmd_take_lock(const char *db, int *fd);

/* t as "2026-11-23 10:00 UTC" in out, or "-" for 0 (cmd-outbox.c). */
const char *cmd_when(int64_t t, char *out, size_t len);

#endif
