/*
 * imap.c - reading a mailbox over IMAP: libetpan's mailimap, and only here.
 *
 * Messages are fetched with BODY.PEEK (nothing marked seen) and moved to
 * another folder once handled: with MOVE where the server has it, else
 * COPY, \Deleted and EXPUNGE.  Nothing is ever deleted without a copy.
 * Never prints; errors name the server and what it answered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "etpan-tls.h"
#include "imap.h"
#include "url.h"
#include "xmalloc.h"

struct imap {
	mailimap *s;
	char	*host;
	char	*folder;
	int	 deleted;	/* messages flagged \Deleted, to expunge */
	int	 done_made;	/* the done folder exists */
};

/* "HOST: what failed (the server's words)". */
static int
fail(struct imap *m, const char *what, int rc, char **err)
{
	const char *said = m->s != NULL ? m->s->imap_response : NULL;

	*err = xasprintf("%s: %s failed (%s)", m->host, what,
	    said != NULL && *said != '\0' ? said : rc == MAILIMAP_ERROR_STREAM ?
	    "connection lost" : "no answer");
	return -1;
}

/* Over TLS: the certificate, before the password is sent. */
static int
verify(struct imap *m, const struct imap_options *opt, char **err)
{
	char *why = NULL;

	if (!opt->verify ||
	    etpan_tls_verify(m->s->imap_stream, opt->ca_file, m->host, &why) == 0)
		return 0;
	*err = xasprintf("%s: TLS certificate not trusted: %s", m->host, why);
	free(why);
	return -1;
}

static int
connect_tls(struct imap *m, const struct url_parts *u,
    const struct imap_options *opt, char **err)
{
	int imaps = strcmp(u->scheme, "imaps") == 0, rc;
	uint16_t port = u->port ? u->port : imaps ? 993 : 143;

	if (imaps)
		rc = mailimap_ssl_connect_with_callback(m->s, u->host, port,
		    etpan_tls_sni, m->host);
	else
		rc = mailimap_socket_connect(m->s, u->host, port);
	if (rc != MAILIMAP_NO_ERROR_NON_AUTHENTICATED &&
	    rc != MAILIMAP_NO_ERROR_AUTHENTICATED) {
		*err = xasprintf("%s: cannot connect to port %u%s", u->host,
		    (unsigned)port, imaps ? " over TLS" : "");
		return -1;
	}
	/* Required: never fall back to sending the password in clear. */
	if (!imaps && opt->starttls && (rc =
	    mailimap_socket_starttls_with_callback(m->s, etpan_tls_sni,
	    m->host)) != MAILIMAP_NO_ERROR)
		return fail(m, "STARTTLS", rc, err);
	if ((imaps || opt->starttls) && verify(m, opt, err) == -1)
		return -1;
	return 0;
}

struct imap *
imap_open(const char *url, const struct imap_options *opt, char **err)
{
	struct imap *m = xcalloc(1, sizeof *m);
	struct url_parts u;
	int rc;

	if (url_split(url, &u) == -1 || (strcmp(u.scheme, "imap") != 0 &&
	    strcmp(u.scheme, "imaps") != 0) || u.user == NULL) {
		*err = xasprintf("%s: not an IMAP URL "
		    "(imaps://USER@HOST[:PORT]/FOLDER)", url);
		url_parts_free(&u);
		free(m);
		return NULL;
	}
	m->host = xstrdup(u.host);
	m->folder = xstrdup(u.path != NULL && u.path[0] == '/' &&
	    u.path[1] != '\0' ? u.path + 1 : "INBOX");
	m->s = mailimap_new(0, NULL);
	mailimap_set_timeout(m->s, 60);
	if (connect_tls(m, &u, opt, err) == -1 ||
	    ((rc = mailimap_login(m->s, u.user, opt->password)) !=
	    MAILIMAP_NO_ERROR &&
	    fail(m, "login", rc, err) == -1) ||
	    ((rc = mailimap_select(m->s, m->folder)) != MAILIMAP_NO_ERROR &&
	    fail(m, "selecting the folder", rc, err) == -1)) {
		url_parts_free(&u);
		imap_close(m);
		return NULL;
	}
	url_parts_free(&u);
	return m;
}

/* The static attribute of that type in a fetched message, or NULL. */
static struct mailimap_msg_att_static *
static_att(struct mailimap_msg_att *ma, int type)
{
	struct mailimap_msg_att_item *it;
	clistiter *i;

	for (i = clist_begin(ma->att_list); i != NULL; i = clist_next(i)) {
		it = clist_content(i);
		if (it->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
		    it->att_data.att_static->att_type == type)
			return it->att_data.att_static;
	}
	return NULL;
}

/* The body of one fetched message, or NULL. */
static const struct mailimap_msg_att_body_section *
body_of(clist *fetched)
{
	struct mailimap_msg_att_static *a;

	if (fetched == NULL || clist_begin(fetched) == NULL)
		return NULL;
	a = static_att(clist_content(clist_begin(fetched)),
	    MAILIMAP_MSG_ATT_BODY_SECTION);
	return a != NULL ? a->att_data.att_body_section : NULL;
}

static int
fetch_one(struct imap *m, uint32_t uid, imap_fn fn, void *ctx, char **err)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	const struct mailimap_msg_att_body_section *b;
	clist *fetched = NULL;
	int rc;

	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section(mailimap_section_new(NULL)));
	rc = mailimap_uid_fetch(m->s, set, ft, &fetched);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(m, "fetching a message", rc, err);
	/* A message expunged meanwhile comes back empty: nothing to read. */
	b = body_of(fetched);
	rc = b == NULL ? 0 : fn(uid, b->sec_body_part != NULL ?
	    b->sec_body_part : "", b->sec_length, ctx);
	mailimap_fetch_list_free(fetched);
	return rc;
}

/* UID and size of one fetched message; 0 when it has no UID. */
static uint32_t
uid_size(struct mailimap_msg_att *ma, uint32_t *size)
{
	struct mailimap_msg_att_static *uid, *sz;

	uid = static_att(ma, MAILIMAP_MSG_ATT_UID);
	sz = static_att(ma, MAILIMAP_MSG_ATT_RFC822_SIZE);
	*size = sz != NULL ? sz->att_data.att_rfc822_size : 0;
	return uid != NULL ? uid->att_data.att_uid : 0;
}

/* Every message's UID and size, in one UID FETCH 1:* (UID RFC822.SIZE). */
static int
list_sizes(struct imap *m, clist **fetched, char **err)
{
	struct mailimap_set *all = mailimap_set_new_interval(1, 0);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	int rc;

	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	*fetched = NULL;
	rc = mailimap_uid_fetch(m->s, all, ft, fetched);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(all);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(m, "listing the folder", rc, err);
	return 0;
}

int
imap_each(struct imap *m, size_t max_size, imap_fn fn, void *ctx, char **err)
{
	clist *fetched;
	clistiter *i;
	uint32_t uid, size;
	int rc = 0;

	if (list_sizes(m, &fetched, err) == -1)
		return -1;
	for (i = clist_begin(fetched); i != NULL && rc == 0; i = clist_next(i)) {
		if ((uid = uid_size(clist_content(i), &size)) == 0)
			continue;
		/* Too big to be a bounce of ours: judged without the bytes. */
		if (size > max_size)
			rc = fn(uid, "", 0, ctx);
		else if ((rc = fetch_one(m, uid, fn, ctx, err)) > 0)
			rc = 0;
	}
	mailimap_fetch_list_free(fetched);
	return rc;
}

/* Flag a copied message \Deleted; it goes at the EXPUNGE of imap_close. */
static int
flag_deleted(struct imap *m, struct mailimap_set *set, char **err)
{
	struct mailimap_flag_list *fl = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *sf;
	int rc;

	mailimap_flag_list_add(fl, mailimap_flag_new_deleted());
	sf = mailimap_store_att_flags_new_add_flags_silent(fl);
	rc = mailimap_uid_store(m->s, set, sf);
	mailimap_store_att_flags_free(sf);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(m, "flagging a moved message", rc, err);
	m->deleted++;
	return 0;
}

int
imap_move(struct imap *m, uint32_t uid, const char *folder, char **err)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	int rc;

	/* CREATE fails when the folder exists: that is fine. */
	if (!m->done_made) {
		mailimap_create(m->s, folder);
		m->done_made = 1;
	}
	if (mailimap_has_extension(m->s, "MOVE"))
		rc = mailimap_uid_move(m->s, set, folder);
	else if ((rc = mailimap_uid_copy(m->s, set, folder)) ==
	    MAILIMAP_NO_ERROR)
		rc = flag_deleted(m, set, err) == -1 ? -1 : MAILIMAP_NO_ERROR;
	mailimap_set_free(set);
	if (rc == -1)
		return -1;
	if (rc != MAILIMAP_NO_ERROR)
		return fail(m, "moving a message", rc, err);
	return 0;
}

void
imap_close(struct imap *m)
{
	if (m == NULL)
		return;
	/* A session that never connected has no stream to log out of. */
	if (m->s != NULL && m->s->imap_stream != NULL) {
		if (m->deleted > 0)
			mailimap_expunge(m->s);
		mailimap_logout(m->s);
	}
	if (m->s != NULL)
		mailimap_free(m->s);
	free(m->host);
	free(m->folder);
	free(m);
}
