/*
 * secret.h - a password from a file or from a command's output, never
 * from the command line or the configuration itself.
 */
#ifndef GZ_SECRET_H
#define GZ_SECRET_H

/*
 * The first line of the file, or of what command (run by /bin/sh) prints;
 * command wins when both are set.  section names the setting in errors
 * ("[smtp]").  A new string, or NULL with *err (never holding the secret).
 */
char	*secret_read(const char *section, const char *file,
	    const char *command, char **err);

#endif
