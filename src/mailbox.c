/*
 * mailbox.c - one walk over a Maildir or an IMAP folder (see mailbox.h).
 * The walk is the same for both; imap.c and maildir-read.c do the I/O.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap.h"
#include "mailbox.h"
#include "maildir.h"
#include "xmalloc.h"

struct walk {
	const struct mailbox_spec *spec;
	mailbox_fn	 fn;
	void		*ctx;
	struct imap	*imap;
	char		*done;		/* Maildir: the done folder's path */
	char		**err;
	int		 stopped;
};

/* Hand one mail to fn (the readers hand a mail over max_size over
 * empty, unread); MAILBOX_STOP ends the walk. */
static int
judge(struct walk *w, const char *id, const char *msg, size_t len,
    enum mailbox_verdict *v)
{
	*v = w->fn(id, msg, len, w->ctx);
	if (*v == MAILBOX_STOP) {
		w->stopped = 1;
		return -1;
	}
	return 0;
}

static int
from_maildir(const char *name, const char *msg, size_t len, void *ctx)
{
	struct walk *w = ctx;
	enum mailbox_verdict v;

	if (judge(w, name, msg, len, &v) == -1)
		return -1;
	if (v != MAILBOX_MOVE || w->spec->dry_run)
		return 0;
	return maildir_move(w->spec->where, name, w->done, w->err);
}

static int
from_imap(uint32_t uid, const char *msg, size_t len, void *ctx)
{
	struct walk *w = ctx;
	enum mailbox_verdict v;
	char id[32];

	snprintf(id, sizeof id, "UID %u", (unsigned)uid);
	if (judge(w, id, msg, len, &v) == -1)
		return -1;
	if (v != MAILBOX_MOVE || w->spec->dry_run)
		return 0;
	return imap_move(w->imap, uid, w->spec->done, w->err);
}

int
mailbox_is_imap(const char *where)
{
	return strncmp(where, "imap://", 7) == 0 ||
	    strncmp(where, "imaps://", 8) == 0;
}

int
mailbox_read(const struct mailbox_spec *spec, mailbox_fn fn, void *ctx,
    char **err)
{
	struct walk w = { spec, fn, ctx, NULL, NULL, err, 0 };
	struct imap_options io = { spec->password, spec->starttls,
	    spec->tls_verify, spec->ca_file };
	int rc;

	*err = NULL;
	if (mailbox_is_imap(spec->where)) {
		w.imap = imap_open(spec->where, &io, err);
		if (w.imap == NULL)
			return -1;
		rc = imap_each(w.imap, spec->max_size, from_imap, &w, err);
		imap_close(w.imap);
	} else {
		w.done = xasprintf("%s/.%s", spec->where, spec->done);
		rc = maildir_each(spec->where, spec->max_size, from_maildir,
		    &w, err);
		free(w.done);
	}
	if (rc == -1 && w.stopped && *err == NULL)
		return 1;
	return rc;
}
