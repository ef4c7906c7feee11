/*
 * secret.c - passwords for the SMTP server and the bounce mailbox.  A
 * command (a keyring, pass, a vault client) is run through /bin/sh with
 * its output read through a pipe and its exit status checked, so a
 * failing helper stops the run instead of logging in with nothing.
 * Errors name the setting, never the secret.
 */
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "secret.h"
#include "xmalloc.h"

#define SECRET_MAX	4096

static char *
from_command(const char *section, const char *command, char **err)
{
	char *s = xmalloc(SECRET_MAX + 1);
	size_t n = 0, r;
	FILE *p;
	int st;

	fflush(NULL);
	if ((p = popen(command, "r")) == NULL) {
		*err = xasprintf("%s password_command: %s", section,
		    strerror(errno));
		free(s);
		return NULL;
	}
	while (n < SECRET_MAX && (r = fread(s + n, 1, SECRET_MAX - n, p)) > 0)
		n += r;
	/* Read what is left, so the command never dies of SIGPIPE. */
	while (fgetc(p) != EOF)
		;
	s[n] = '\0';
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		*err = xasprintf("%s password_command failed (%s %d)", section,
		    st != -1 && WIFSIGNALED(st) ? "signal" : "exit status",
		    st == -1 ? -1 : WIFSIGNALED(st) ? WTERMSIG(st) :
		    WEXITSTATUS(st));
		free(s);
		return NULL;
	}
	return s;
}

char *
secret_read(const char *section, const char *file, const char *command,
    char **err)
{
	char *s, *why = NULL;

	if (command != NULL)
		s = from_command(section, command, err);
	else if ((s = file_read(file, SECRET_MAX, NULL, &why)) == NULL) {
		*err = xasprintf("%s password_file: %s", section, why);
		free(why);
	}
	if (s == NULL)
		return NULL;
	s[strcspn(s, "\r\n")] = '\0';
	if (*s == '\0') {
		*err = xasprintf("%s password_%s gave an empty password",
		    section, command != NULL ? "command" : "file");
		free(s);
		return NULL;
	}
	return s;
}
