/*
 * log.h - the one place that writes diagnostics, and the exit codes.
 *
 * Lower layers hand back error strings; commands report them here.  Exit
 * codes follow sysexits(3) so that cron and systemd can tell a temporary
 * failure from bad input.
 */
#ifndef GZ_LOG_H
#define GZ_LOG_H

#define EX_OK		0
#define EX_FAILURE	1	/* some work failed (a feed, a digest) */
#define EX_USAGE	64	/* bad command line */
#define EX_DATAERR	65	/* bad input data (address, topic, URL) */
#define EX_NOINPUT	66	/* an input file is missing or unreadable */
#define EX_UNAVAILABLE	69	/* a service is unavailable */
#define EX_SOFTWARE	70	/* internal error */
#define EX_CANTCREAT	73	/* an output file cannot be created */
#define EX_IOERR	74	/* I/O error */
#define EX_TEMPFAIL	75	/* temporary failure, try again later */
#define EX_CONFIG	78	/* bad configuration */

enum log_level { LOG_QUIET = 0, LOG_NORMAL = 1, LOG_VERBOSE = 2 };

void	 log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* "gazette: MESSAGE" on stderr; returns code so a command can return it. */
int	 gz_fail(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* gz_fail with a caller-owned error string, which it frees. */
int	 gz_fail_err(int code, char *err);
/* A warning on stderr, always shown. */
void	 gz_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress lines on stderr: shown unless --quiet. */
void	 gz_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Detail on stderr: shown with -v only. */
void	 gz_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
