/*
 * config.h - gazette.conf: one struct that owns every parsed value.
 *
 * The file is INI (parsed by inih).  Section and key names are the contract
 * of DESIGN.md's sample; an unknown key or a malformed line is an error that
 * names the file and line.  Relative paths in the file are taken relative to
 * the file's own folder.
 */
#ifndef GZ_CONFIG_H
#define GZ_CONFIG_H

#include <stddef.h>

struct config {
	char	*path;		/* the file read, or NULL for defaults */

	/* [general] */
	char	*database;
	char	*title;
	char	*base_url;
	int	 double_opt_in;	/* new subscribers confirm by mail first */
	int	 confirm_expiry_days;	/* unconfirmed ones go after this */

	/* [mail] */
	char	*from;		/* "Name <addr>" */
	char	*reply_to;
	char	*transport;	/* smtp | sendmail | maildir */
	char	*maildir;
	char	*sendmail;
	int	 max_bounces;	/* hard bounces before 'bounced'; 0 never */
	char	*unsubscribe_address;	/* the List-Unsubscribe mailto: */

	/* [bounces] */
	char	*bounces_mailbox;	/* a Maildir, or imap[s]://user@host/box */
	char	*bounces_password_file;
	char	*bounces_password_command;	/* prints the password */
	char	*bounces_done_folder;	/* where handled mail is moved */
	int	 bounces_soft_limit;	/* soft bounces in a row; 0 never */
	int	 bounces_tls_verify;
	char	*bounces_ca_file;	/* trusted CAs for the IMAP server */

	/* [smtp] */
	char	*smtp_host;
	int	 smtp_port;	/* 0: by tls, 465, 587 or 25 */
	char	*smtp_tls;	/* starttls | opportunistic | tls | none */
	char	*smtp_user;
	char	*smtp_password_file;
	char	*smtp_password_command;	/* prints the password */
	int	 smtp_connections;
	int	 smtp_rate;
	int	 smtp_timeout;
	int	 smtp_retry_delay;	/* seconds before the first retry in a
					   run, doubling */
	int	 smtp_retry_window;	/* seconds a run may wait for them;
					   0: no retry within the run */
	char	*smtp_ca_file;	/* PEM anchors; NULL: the system's */
	char	*smtp_tls_name;	/* name to verify; NULL: host */
	int	 smtp_tls_verify;

	/* [collect] */
	int	 collect_concurrency;
	int	 collect_timeout;
	size_t	 collect_max_size;
	int	 collect_allow_file;
	char	*collect_ca_file;	/* CAs for https feeds; NULL: the system's */

	/* [digest] */
	char	*frequency;
	int	 max_items_per_topic;
	int	 excerpt_words;
	int	 excerpt_chars;	/* also a cap, for text with few spaces */
	char	*template_dir;

	/* [dkim]: signing is on when key_file is set */
	char	*dkim_domain;	/* d=; default: the From address's domain */
	char	*dkim_selector;	/* s= */
	char	*dkim_key_file;
	char	*dkim_algorithm; /* rsa-sha256 | ed25519-sha256 */
	/* [archive] */
	char	*archive_dir;	/* default for gazette archive -o */
	int	 archive_page_size;
	char	*when_empty;	/* skip|note: a due subscriber with nothing new */
};

/* A config holding the defaults. */
struct config *config_defaults(void);
/*
 * Read path over the defaults.  Returns NULL with *err ("FILE:LINE: what")
 * on any error.
 */
struct config *config_load(const char *path, char **err);
void	 config_free(struct config *c);

/*
 * Split "Name <addr>" (or a bare addr) into new strings; *name may come
 * back NULL.  Returns -1 when there is no address.
 */
int	 config_split_from(const char *from, char **name, char **addr);

#endif
