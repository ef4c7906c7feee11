/*
 * bounce.c - read one returned message: RFC 3464 delivery status reports,
 * RFC 5965 (ARF) complaints, RFC 3834 auto-replies, and the prose bounces
 * of servers that send neither (bounce-text.c), then classify each
 * recipient (bounce-reason.c).
 *
 * The message is split by a hand parser (bounce-mime.c, which says why).
 * Never prints, never fails: the worst input gives an empty list.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bounce-int.h"
#include "buf.h"
#include "xmalloc.h"

struct rec *
recs_add(struct recs *rs, const char *rcpt)
{
	struct rec *r;

	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof *rs->v);
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->rcpt = xstrdup(rcpt);
	return r;
}

void
recs_free(struct recs *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].rcpt);
		free(rs->v[i].status);
		free(rs->v[i].reply);
		free(rs->v[i].diag);
		free(rs->v[i].action);
		free(rs->v[i].ftype);
	}
	free(rs->v);
}

static int
is_type(const struct mpart *m, const char *type)
{
	return strcmp(m->type, type) == 0;
}

static const struct mpart *
part_of(const struct mparts *mp, const char *type)
{
	size_t i;

	for (i = 0; i < mp->n; i++)
		if (is_type(&mp->v[i], type))
			return &mp->v[i];
	return NULL;
}

/* The address in a header field of a block, lower-cased, or NULL. */
static char *
hdr_addr(const char *hdr, const char *name)
{
	char *v = hdr_get(hdr, name), *a;

	if (v == NULL)
		return NULL;
	a = addr_find(v);
	free(v);
	return a;
}

/* The human-readable text of the report: its text parts, joined. */
static char *
prose_of(const struct mparts *mp)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < mp->n; i++)
		if (is_type(&mp->v[i], "text/plain") ||
		    (part_of(mp, "text/plain") == NULL &&
		    strncmp(mp->v[i].type, "text/", 5) == 0 &&
		    !is_type(&mp->v[i], "text/rfc822-headers"))) {
			buf_append(&b, mp->v[i].body, mp->v[i].len);
			buf_putc(&b, '\n');
		}
	return buf_detach(&b);
}

/* The headers of the returned message, wherever the bounce put them. */
static const char *
original_headers(const struct mparts *mp)
{
	const struct mpart *m;

	if ((m = part_of(mp, "message/rfc822")) != NULL ||
	    (m = part_of(mp, "text/rfc822-headers")) != NULL)
		return m->body;
	return NULL;
}

/* ------------------------------------------------------------ RFC 5965 */

/* Every Original-Rcpt-To of a feedback report. */
static void
arf_rcpts(const char *report, struct recs *out)
{
	const char *p;
	char *a;

	for (p = report; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p ? p + 1 : p) {
		if (strncasecmp(p, "Original-Rcpt-To:", 17) != 0 &&
		    strncasecmp(p, "Removal-Recipient:", 18) != 0)
			continue;
		a = addr_find(strchr(p, ':') + 1);
		if (a != NULL && strchr(a, '\n') == NULL)
			recs_add(out, a)->reason = "feedback";
		free(a);
	}
}

static void
read_arf(const struct mparts *mp, const char *report, struct recs *out)
{
	const char *orig = original_headers(mp);
	char *ftype = hdr_get(report, "Feedback-Type"), *a = NULL, *t;
	size_t i;

	arf_rcpts(report, out);
	if (out->n == 0) {
		if (orig != NULL)
			a = hdr_addr(orig, "To");
		/* The report names nobody: say so as the Sisimai oracle does. */
		recs_add(out, a ? a : "undisclosed-recipient-in-headers@"
		    "libsisimai.org.invalid")->reason = "feedback";
		free(a);
	}
	if (ftype == NULL)
		ftype = xstrdup("abuse");
	for (t = ftype; *t; t++)
		*t = (char)tolower((unsigned char)*t);
	ftype[strcspn(ftype, " ;\r")] = '\0';
	for (i = 0; i < out->n; i++)
		out->v[i].ftype = xstrdup(ftype);
	free(ftype);
}

/*
 * Hotmail's junk-mail reports forward the message with the complaining
 * recipient in X-HmXmrOriginalRecipient, and no report part.
 */
static int
read_forwarded_complaint(const struct mparts *mp, struct recs *out)
{
	const char *orig = original_headers(mp);
	char *a;

	if (orig == NULL || (a = hdr_addr(orig, "X-HmXmrOriginalRecipient"))
	    == NULL)
		return 0;
	recs_add(out, a)->reason = "feedback";
	out->v[out->n - 1].ftype = xstrdup("abuse");
	free(a);
	return 1;
}

/* ------------------------------------------------------------ RFC 3464 */

/* A field's value with its "type;" prefix removed ("rfc822; a@b"). */
static char *
typed_value(const char *group, const char *name)
{
	char *v = hdr_get(group, name), *s;

	if (v == NULL)
		return NULL;
	if ((s = strchr(v, ';')) != NULL) {
		s = xstrdup(s + 1 + strspn(s + 1, " \t"));
		free(v);
		v = s;
	}
	if (*v == '\0') {
		free(v);
		return NULL;
	}
	return v;
}

static void
read_group(const char *group, const char *prose, struct recs *out)
{
	char *fr = typed_value(group, "Final-Recipient"), *a = NULL, *v;
	struct rec *r;

	if (fr == NULL || (a = addr_find(fr)) == NULL) {
		free(fr);
		fr = typed_value(group, "Original-Recipient");
		a = fr ? addr_find(fr) : NULL;
	}
	free(fr);
	if (a == NULL)
		return;
	r = recs_add(out, a);
	r->action = hdr_get(group, "Action");
	if (r->action != NULL)
		for (v = r->action; *v; v++)
			*v = (char)tolower((unsigned char)*v);
	if ((v = hdr_get(group, "Status")) != NULL) {
		r->status = status_find(v);
		free(v);
	}
	r->diag = typed_value(group, "Diagnostic-Code");
	if (r->diag == NULL || *r->diag == '\0') {
		free(r->diag);
		r->diag = text_near(prose, a);
	}
	r->at_data = says_data(prose);
	r->at_rcpt = says_rcpt(prose);
	free(a);
}

/* The start of the line after p's, or the end of the text. */
static const char *
next_line(const char *p)
{
	p += strcspn(p, "\n");
	return *p ? p + 1 : p;
}

static int
blank_line(const char *p)
{
	return *p == '\n' || (*p == '\r' && p[1] == '\n');
}

static void
read_span(const char *start, const char *end, const char *prose,
    struct recs *out)
{
	char *group;

	if (end <= start)
		return;
	group = xstrndup(start, end - start);
	read_group(group, prose, out);
	free(group);
}

/*
 * The per-recipient groups of delivery-status fields in text, read in
 * order.  RFC 3464 separates groups by blank lines, but some reporters
 * (AOL's, for one) run them together: a second Final-Recipient in a group
 * starts the next.  Blocks without a recipient field name nobody and are
 * passed over by read_group, so this serves both a message/delivery-status
 * part and DSN fields pasted into plain text (a report whose MIME
 * structure was lost on the way: forwarded, or its headers stripped).
 */
static void
read_dsn_text(const char *text, const char *prose, struct recs *out)
{
	const char *line = text, *start = text;
	int seen = 0, final;

	for (;;) {
		if (*line == '\0' || blank_line(line)) {
			read_span(start, line, prose, out);
			if (*line == '\0')
				return;
			start = line = next_line(line);
			seen = 0;
			continue;
		}
		final = strncasecmp(line, "Final-Recipient:", 16) == 0;
		if (final && seen) {
			read_span(start, line, prose, out);
			start = line;
		}
		seen |= final;
		line = next_line(line);
	}
}

/* ------------------------------------------------------------ RFC 3834 */

static int
is_autoreply(const char *hdr)
{
	static const char *const subjects[] = {
		"auto:", "automatic reply", "auto reply", "autoreply",
		"autorespon", "out of office", "out of the office",
		"vacation", "away from", "away until", "abwesenheit",
		"absence", NULL
	};
	static const char *const flags[] = {
		"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", NULL
	};
	char *v;
	int yes = 0, i;

	if ((v = hdr_get(hdr, "Auto-Submitted")) != NULL)
		yes = ci_find(v, "auto-replied") != NULL;
	free(v);
	for (i = 0; flags[i] != NULL && !yes; i++) {
		yes = (v = hdr_get(hdr, flags[i])) != NULL;
		free(v);
	}
	if (!yes && (v = hdr_get(hdr, "Subject")) != NULL) {
		for (i = 0; subjects[i] != NULL && !yes; i++)
			yes = ci_find(v, subjects[i]) != NULL;
		free(v);
	}
	return yes;
}

/* ------------------------------------------------ mailing-list managers */

/*
 * fml, the Japanese list manager, answers a post it refuses with a notice
 * from the list's admin (X-MLServer: fml) naming the list as "<list@host>"
 * in its first lines: the list itself is the failed recipient.
 */
static const struct {
	const char	*reason;
	const char	*words;
} fml_notices[] = {
	{ "rejected", "not a member" }, { "rejected", "are not member" },
	{ "rejected", "not allowed to post" },
	{ "systemerror", "duplicated message-id" },
	{ "systemerror", "loop alert" },
	{ "mesgtoobig", "too big" }, { "securityerror", "security alert" },
};

static int
is_fml(const char *hdr)
{
	char *ml = hdr_get(hdr, "X-MLServer");
	int yes = ml != NULL && strncasecmp(ml, "fml", 3) == 0;

	free(ml);
	return yes;
}

/* The reason an fml notice gives in its subject or first lines, or NULL. */
static const char *
fml_reason(const char *head, const char *subj)
{
	size_t i;

	for (i = 0; i < sizeof fml_notices / sizeof fml_notices[0]; i++)
		if (ci_find(head, fml_notices[i].words) != NULL ||
		    (subj != NULL && ci_find(subj, fml_notices[i].words)))
			return fml_notices[i].reason;
	return NULL;
}

static int
read_fml_notice(const struct mparts *mp, const char *prose, struct recs *out)
{
	char *head, *subj, *a;
	const char *lt;
	struct rec *r;

	if (!is_fml(mp->hdr))
		return 0;
	head = text_head(prose);
	a = (lt = strchr(head, '<')) != NULL ? addr_find(lt) : NULL;
	if (a != NULL) {
		subj = hdr_get(mp->hdr, "Subject");
		r = recs_add(out, a);
		r->diag = text_near(prose, a);
		r->reason = fml_reason(head, subj);
		free(subj);
		free(a);
	}
	free(head);
	return out->n > 0;
}

/* ------------------------------------------------------- other formats */

static int
looks_bounced(const char *hdr, const char *prose)
{
	static const char *const marks[] = {
		"mailer-daemon", "postmaster", "undeliver", "delivery",
		"failure", "returned", "bounce", "not delivered",
		"could not be delivered", "undelivered", "permanent error",
		"nondeliverable", "rejected", "failed", NULL
	};
	char *from = hdr_get(hdr, "From"), *subj = hdr_get(hdr, "Subject");
	int yes = 0, i;

	for (i = 0; marks[i] != NULL && !yes; i++)
		yes = (from && ci_find(from, marks[i])) ||
		    (subj && ci_find(subj, marks[i]));
	/* Apache James' notices: "Error message below:", "Message details:". */
	yes = yes || ci_find(prose, "mail delivery software") ||
	    ci_find(prose, "error message below:") ||
	    ci_find(prose, "qmail-send program") ||
	    ci_find(prose, "could not be delivered") ||
	    ci_find(prose, "delivery has failed") ||
	    ci_find(prose, "did not reach");
	free(from);
	free(subj);
	return yes;
}

static int
has_rcpt(const struct recs *rs, const char *a)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].rcpt, a) == 0)
			return 1;
	return 0;
}

/*
 * Exim and Gmail name the failed addresses in X-Failed-Recipients: trust
 * that list over addresses found in the prose.
 */
static void
keep_failed(const char *list, const char *prose, struct recs *out)
{
	struct recs kept = { NULL, 0 };
	struct rec *r;
	const char *p;
	char *a;
	size_t i, match;

	for (p = list; p != NULL && (a = addr_find(p)) != NULL;
	    p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		r = recs_add(&kept, a);
		for (i = 0; i < out->n; i++)
			if (strcmp(out->v[i].rcpt, a) == 0) {
				r->diag = out->v[i].diag;
				out->v[i].diag = NULL;
			}
		if (r->diag == NULL)
			r->diag = text_near(prose, a);
		free(a);
	}
	for (i = 0, match = 0; i < out->n; i++)
		match += has_rcpt(&kept, out->v[i].rcpt);
	if (kept.n == 0 || (out->n > 0 && match == 0)) {
		recs_free(&kept);
		return;
	}
	recs_free(out);
	*out = kept;
}

static void
read_prose(const struct mparts *mp, const char *prose, struct recs *out)
{
	char *me = hdr_addr(mp->hdr, "To"), *robot = hdr_addr(mp->hdr, "From");
	char *failed, *a;
	const char *orig;
	struct rec *r;
	size_t i;

	text_scan(prose, me, robot, out);
	if (out->n == 0 && me != NULL)
		text_scan_self(prose, me, out);
	for (i = 0; i < out->n; i++) {
		out->v[i].at_data = says_data(prose);
		out->v[i].at_rcpt = says_rcpt(prose);
	}
	if ((failed = hdr_get(mp->hdr, "X-Failed-Recipients")) != NULL) {
		keep_failed(failed, prose, out);
		free(failed);
	}
	if (out->n == 0 && (orig = original_headers(mp)) != NULL &&
	    (a = hdr_addr(orig, "To")) != NULL) {
		r = recs_add(out, a);
		r->diag = text_near(prose, a);
		free(a);
	}
	free(me);
	free(robot);
}

/* ------------------------------------------------------------- results */

/* Does the report name one recipient only (perhaps more than once)? */
static int
lone_rcpt(const struct recs *rs)
{
	size_t i;

	for (i = 1; i < rs->n; i++)
		if (strcmp(rs->v[i].rcpt, rs->v[0].rcpt) != 0)
			return 0;
	return rs->n > 0;
}

static void
finish(const struct recs *rs, const char *prose, struct bounce_list *bl)
{
	char *head = text_head(prose);
	struct bounce *b;
	size_t i;

	bl->v = xreallocarray(bl->v, bl->n + rs->n + 1, sizeof *bl->v);
	memset(bl->v + bl->n, 0, (rs->n + 1) * sizeof *bl->v);
	for (i = 0; i < rs->n; i++) {
		b = &bl->v[bl->n++];
		b->recipient = xstrdup(rs->v[i].rcpt);
		b->action = xstrdup_or_null(rs->v[i].action);
		b->feedback_type = xstrdup_or_null(rs->v[i].ftype);
		b->diagnostic = xstrdup_or_null(rs->v[i].diag);
		/* A report about several recipients may give each its own
		 * reason: its text as a whole explains only a lone one. */
		reason_decide(&rs->v[i], lone_rcpt(rs) ? head : NULL, b);
	}
	free(head);
}

static void
read_parts(const struct mparts *mp, const char *prose, struct recs *rs)
{
	const struct mpart *fb;
	struct rec *r;
	char *from;
	size_t i;

	if ((fb = part_of(mp, "message/feedback-report")) != NULL) {
		read_arf(mp, fb->body, rs);
		return;
	}
	if (read_forwarded_complaint(mp, rs) || ses_read(prose, rs))
		return;
	for (i = 0; i < mp->n; i++)
		if (is_type(&mp->v[i], "message/delivery-status") ||
		    is_type(&mp->v[i], "message/global-delivery-status"))
			read_dsn_text(mp->v[i].body, prose, rs);
	/* Pasted fields: decoded text first, then the raw body. */
	if (rs->n == 0)
		read_dsn_text(prose, prose, rs);
	if (rs->n == 0)
		read_dsn_text(mp->body, prose, rs);
	if (rs->n > 0)
		return;
	if (read_fml_notice(mp, prose, rs))
		return;
	if (looks_bounced(mp->hdr, prose))
		read_prose(mp, prose, rs);
	if (rs->n == 0 && is_autoreply(mp->hdr) &&
	    (from = hdr_addr(mp->hdr, "From")) != NULL) {
		/* A mail robot's message is a failed bounce, not a vacation. */
		if (strncmp(from, "mailer-daemon@", 14) == 0 ||
		    strncmp(from, "postmaster@", 11) == 0) {
			free(from);
			return;
		}
		r = recs_add(rs, from);
		r->reason = "vacation";
		free(from);
	}
}

static void
read_message(const char *msg, size_t len, struct bounce_list *bl)
{
	struct mparts mp;
	struct recs rs = { NULL, 0 };
	char *prose;

	mparts_split(msg, len, &mp);
	prose = prose_of(&mp);
	read_parts(&mp, prose, &rs);
	finish(&rs, prose, bl);
	recs_free(&rs);
	free(prose);
	mparts_free(&mp);
}

/*
 * Where the next message of an mbox starts: a "From " line after a blank
 * line (mboxrd quotes such lines in bodies as ">From ").  A file saved
 * from a mailbox may hold several bounces; one not in mbox form is one.
 */
static size_t
mbox_next(const char *msg, size_t len)
{
	size_t i;

	if (len < 5 || strncmp(msg, "From ", 5) != 0)
		return len;
	for (i = 5; i + 6 < len; i++)
		if (msg[i] == '\n' && (msg[i - 1] == '\n' || (msg[i - 1] ==
		    '\r' && msg[i - 2] == '\n')) && memcmp(msg + i + 1,
		    "From ", 5) == 0)
			return i + 1;
	return len;
}

struct bounce_list *
bounce_read(const char *msg, size_t len)
{
	struct bounce_list *bl = xcalloc(1, sizeof *bl);
	size_t n;

	do {
		n = mbox_next(msg, len);
		read_message(msg, n, bl);
		msg += n;
		len -= n;
	} while (len > 0);
	return bl;
}

char *
bounce_header(const char *msg, size_t len, const char *name)
{
	struct mparts mp;
	char *v;

	mparts_split(msg, len, &mp);
	v = hdr_get(mp.hdr, name);
	mparts_free(&mp);
	return v;
}

void
bounce_read_reply(const char *reply, enum bounce_step step, struct bounce *b)
{
	struct rec r;

	memset(&r, 0, sizeof r);
	memset(b, 0, sizeof *b);
	r.diag = xstrdup(reply != NULL ? reply : "");
	/* The reader's own rule then applies: words of an unknown user
	 * after the message are a filter's, not a gone address. */
	r.at_rcpt = step == BOUNCE_AT_RCPT;
	r.at_data = step == BOUNCE_AT_DATA;
	reason_decide(&r, NULL, b);
	if (step == BOUNCE_AT_SENDER && b->class == BOUNCE_HARD)
		b->class = BOUNCE_SOFT;
	b->diagnostic = r.diag;
}

void
bounce_clear(struct bounce *b)
{
	if (b == NULL)
		return;
	free(b->recipient);
	free(b->reason);
	free(b->status);
	free(b->reply_code);
	free(b->action);
	free(b->feedback_type);
	free(b->diagnostic);
	memset(b, 0, sizeof *b);
}

void
bounce_list_free(struct bounce_list *bl)
{
	size_t i;

	if (bl == NULL)
		return;
	for (i = 0; i < bl->n; i++)
		bounce_clear(&bl->v[i]);
	free(bl->v);
	free(bl);
}

const char *
bounce_class_name(enum bounce_class c)
{
	static const char *const names[] = { "hard", "soft", "complaint",
	    "ignore" };

	return names[c];
}
