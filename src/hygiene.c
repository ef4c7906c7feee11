/*
 * hygiene.c - list hygiene: what gazette does about one mail from the
 * bounce mailbox.  Hard bounces count towards 'bounced', soft ones towards
 * a suspension, a complaint unsubscribes the complainer, a mail to the
 * unsubscribe address with a valid token unsubscribes its owner, and an
 * auto-reply changes nothing.  Each mail is acted on once: its key is kept
 * in the same transaction as the actions.  Never prints.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "bounce.h"
#include "config.h"
#include "crypto.h"
#include "hygiene.h"
#include "store.h"
#include "xmalloc.h"

/* Message-ID, or a digest of the bytes for a mail without one. */
static char *
mail_key(const char *msg, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *id = bounce_header(msg, len, "Message-ID"), key[7 + 64 + 1];
	unsigned char h[32];
	size_t i;

	if (id != NULL && *id != '\0')
		return id;
	free(id);
	crypto_sha256(msg, len, h);
	memcpy(key, "sha256:", 7);
	for (i = 0; i < sizeof h; i++) {
		key[7 + 2 * i] = hex[h[i] >> 4];
		key[8 + 2 * i] = hex[h[i] & 15];
	}
	key[sizeof key - 1] = '\0';
	return xstrdup(key);
}

static struct hygiene_act *
act_add(struct hygiene_result *r, const char *addr, const char *what)
{
	struct hygiene_act *a;

	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	a = &r->v[r->n++];
	memset(a, 0, sizeof *a);
	a->addr = xstrdup(addr);
	a->what = what;
	return a;
}

/*
 * The subscriber whose digest the mail returns: the first Message-ID
 * header below the mail's own header (the copy or the headers of the
 * original that bounces and ARF reports carry) that is one of ours.
 * Complaint reports often redact the address; the ID is left intact.
 */
static int
original_recipient(struct store *st, const char *msg, size_t len,
    int64_t *id, char **err)
{
	const char *end = msg + len, *p = msg, *nl, *lt, *gt;
	char *mid;
	int rc, in_body = 0;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (!in_body) {
			in_body = p == nl || (*p == '\r' && p + 1 == nl);
			continue;
		}
		if ((size_t)(nl - p) < 12 || strncasecmp(p, "Message-ID:", 11) != 0 ||
		    (lt = memchr(p, '<', (size_t)(nl - p))) == NULL ||
		    (gt = memchr(lt, '>', (size_t)(nl - lt))) == NULL)
			continue;
		mid = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		rc = store_digest_recipient(st, mid, id, err);
		free(mid);
		if (rc != STORE_NOTFOUND)
			return rc;
	}
	return STORE_NOTFOUND;
}

/* One reading of a bounce: act on the subscriber it names. */
static int
act_on(struct store *st, const struct config *cfg, const struct bounce *b,
    int64_t original, struct hygiene_result *r, char **err)
{
	struct hygiene_act *a;
	int64_t id = original;
	int rc, retired = 0;

	if (b->class == BOUNCE_IGNORE) {
		act_add(r, b->recipient, "ignored");
		return 0;
	}
	if ((rc = store_subscriber_id(st, b->recipient, &id, err)) == -1)
		return -1;
	/* Not found: id still holds the original's recipient, if any. */
	if (rc == STORE_NOTFOUND && original == -1) {
		act_add(r, b->recipient, "unknown address");
		return 0;
	}
	if (b->class == BOUNCE_HARD)
		rc = store_subscriber_bounce(st, id, cfg->max_bounces,
		    &retired, err);
	else if (b->class == BOUNCE_SOFT)
		rc = store_subscriber_soft_bounce(st, id,
		    cfg->bounces_soft_limit, &retired, err);
	else
		rc = store_subscriber_unsubscribe(st, id, err);
	if (rc == -1)
		return -1;
	a = act_add(r, b->recipient, b->class == BOUNCE_HARD ? "hard bounce" :
	    b->class == BOUNCE_SOFT ? "soft bounce" : "complaint");
	a->status = b->status;
	a->reason = b->reason;
	a->retired = retired;
	return 0;
}

/* The token of "unsubscribe TOKEN" (our List-Unsubscribe mailto:). */
static char *
subject_token(const char *msg, size_t len)
{
	char *subj = bounce_header(msg, len, "Subject"), *t = NULL;
	const char *p;
	size_t n;

	if (subj != NULL && strncasecmp(subj, "unsubscribe ", 12) == 0) {
		for (p = subj + 12; *p == ' '; p++)
			;
		for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '-' ||
		    p[n] == '_'; n++)
			;
		if (n > 0 && p[n] == '\0')
			t = xstrndup(p, n);
	}
	free(subj);
	return t;
}

static int
read_unsubscribe(struct store *st, const char *msg, size_t len,
    struct hygiene_result *r, char **err)
{
	char *token = subject_token(msg, len);
	struct token_subscriber who;
	int rc;

	if (token == NULL)
		return 0;
	rc = store_token_find(st, token, &who, err);
	free(token);
	if (rc == -1)
		return -1;
	if (rc == STORE_NOTFOUND) {
		act_add(r, "-", "unknown token");
		return 0;
	}
	if (store_subscriber_unsubscribe(st, who.id, err) == -1)
		return -1;
	act_add(r, who.email, "unsubscribe")->subscriber = who.id;
	return 0;
}

static int
act_all(struct store *st, const struct config *cfg, const char *msg,
    size_t len, struct hygiene_result *r, char **err)
{
	struct bounce_list *bl = bounce_read(msg, len);
	int64_t original = -1;
	size_t i;
	int rc = 0;

	/* A digest has one recipient: the returned digest names whom a lone
	 * reading is about when its address is rewritten or redacted. */
	if (bl->n == 1 && (rc = original_recipient(st, msg, len, &original,
	    err)) == -1) {
		r->readings = bl;
		return -1;
	}
	rc = 0;
	for (i = 0; i < bl->n && rc == 0; i++)
		rc = act_on(st, cfg, &bl->v[i], original, r, err);
	if (rc == 0 && bl->n == 0)
		rc = read_unsubscribe(st, msg, len, r, err);
	/* The actions keep pointers into the readings: the result owns them. */
	r->readings = bl;
	return rc;
}

int
hygiene_handle(struct store *st, const struct config *cfg, const char *msg,
    size_t len, int64_t now, int dry_run, struct hygiene_result *r,
    char **err)
{
	char *key;
	int seen;

	memset(r, 0, sizeof *r);
	if (len == 0) {
		r->kind = HYGIENE_UNREADABLE;
		return 0;
	}
	key = mail_key(msg, len);
	if (store_begin(st, err) == -1)
		goto fail;
	if (store_mail_seen(st, key, &seen, err) == -1)
		goto rollback;
	if (seen) {
		r->kind = HYGIENE_SEEN;
		store_rollback(st);
		free(key);
		return 0;
	}
	if (act_all(st, cfg, msg, len, r, err) == -1)
		goto rollback;
	r->kind = r->n > 0 ? HYGIENE_ACTED : HYGIENE_NOTHING;
	if (r->kind == HYGIENE_ACTED && store_mail_handled(st, key,
	    r->v[0].what, now, err) == -1)
		goto rollback;
	/* A dry run does all the work, then takes it back. */
	if (dry_run)
		store_rollback(st);
	else if (store_commit(st, err) == -1)
		goto rollback;
	free(key);
	return 0;
rollback:
	store_rollback(st);
fail:
	free(key);
	hygiene_result_free(r);
	return -1;
}

void
hygiene_result_free(struct hygiene_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].addr);
	free(r->v);
	bounce_list_free(r->readings);
	memset(r, 0, sizeof *r);
}
