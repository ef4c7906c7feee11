/*
 * bounce-reason.c - why a recipient bounced, and whether that is hard.
 *
 * A reason comes from a precise enhanced status code when there is one,
 * else from the words of the server's diagnostic, else from a vaguer code.
 * Hard means the address itself is gone (unknown user or host, moved, a
 * permanent "accepts no mail"); everything else, 5xx included, is soft.
 * When a message carries no enhanced code, the reason is given a code of
 * its own in the x.0.9xx range used by the Sisimai analyser, so that
 * readings stay comparable with it.  Pure functions; never prints.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bounce-int.h"
#include "xmalloc.h"

struct phrase {
	const char	*reason;
	const char	*words;		/* lower case; '|' separates phrases */
};

/* Checked in order: the first reason with a matching phrase wins. */
static const struct phrase phrases[] = {
	/* A Google Group that refuses a post exists: its words say otherwise. */
	{ "rejected", "groups.google.com/support|google groups" },
	{ "mailboxfull", "mailbox full|mailbox is full|mailbox_full|"
	    "quota exceeded|over quota|overquota|exceeded storage|"
	    "exceeds quota|exceed quota|mailbox size limit|"
	    "insufficient disk space|user is over|disk quota|"
	    "full mailbox|mailfolder is full|not enough storage|"
	    "mailbox has exceeded|mail box full|is over quota|"
	    "quota full|account is full|inbox is full|would exceed|"
	    "too much mail data|mailbox is too full|mailbox exceeds" },
	{ "mesgtoobig", "message too big|message too large|"
	    "message is too large|message size exceeds|size limit|"
	    "exceeds the maximum size|message length exceeds|"
	    "message file too big|too big for|message exceeds maximum|"
	    "maximum message size|larger than the maximum|message is too big|"
	    "exceeded the maximum size|size of the message" },
	{ "exceedlimit", "message too many recipients|"
	    "too many recipients|exceeds the limit|limit exceeded|"
	    "recipient count exceeded" },
	{ "hasmoved", "has moved|address has changed|moved to" },
	{ "suspend", "account disabled|account has been disabled|"
	    "account is disabled|mailbox disabled|mailbox is disabled|"
	    "account has been suspended|account suspended|"
	    "mailbox unavailable or has been disabled|is inactive|"
	    "inactive user|account is inactive|disabled recipient|"
	    "this account has been disabled|mailbox is inactive|"
	    "has been deactivated|account deactivated|"
	    "is not active|recipient suspended|mailbox has been suspended|"
	    "temporarily disabled|account is locked" },
	{ "norelaying", "relay access denied|relaying denied|"
	    "relay not permitted|not permitted to relay|unable to relay|"
	    "we do not relay|relaying not allowed|relay denied|"
	    "not allowed to relay|no relaying|is not a gateway|"
	    "relay prohibited|relaying mail to" },
	{ "hostunknown", "host unknown|unknown host|host not found|"
	    "domain not found|no such domain|domain does not exist|"
	    "name or service not known|unrouteable address|"
	    "unroutable address|no mx|host or domain name not found|"
	    "domain name not found|unknown domain|domain is not|"
	    "recipient domain|nxdomain|no valid mx|domain doesn't exist|"
	    "does not exist in dns|domain could not be found|"
	    "illegal host/domain|not a valid domain|"
	    "the domain is not|unknown mail domain|"
	    "host or domain not found" },
	{ "userunknown", "user unknown|unknown user|no such user|"
	    "user not found|unknown recipient|recipient unknown|"
	    "mailbox not found|no such mailbox|mailbox unavailable|"
	    "invalid recipient|recipient not found|address rejected|"
	    "does not exist|doesn't exist|not exist|no mailbox|"
	    "mailbox does not|addressee unknown|unknown address|"
	    "not a valid mailbox|no such recipient|"
	    "recipient address rejected|invalid mailbox|unknown local part|"
	    "no such address|user doesn't have|"
	    "account that you tried to reach|not listed in|"
	    "is not a known user|no such person|not our customer|"
	    "unknown or illegal alias|user invalid|invalid address|"
	    "recipient is not|recipient rejected|unrouteable|"
	    "name is not recognized|address unknown|mailbox is unavailable|"
	    "no account by that name|user reject|bad destination mailbox|"
	    "delivery to the following recipient failed permanently|"
	    "could not be found|undeliverable address|"
	    "destination address does not|not a valid user|invalid user|"
	    "this user doesn't|user does not|unknown or invalid|"
	    "recipient does not|user account is unavailable|"
	    "no valid recipients|not found|mailbox not available" },
	{ "filtered", "filtered|content filter|message rejected by the "
	    "recipient|refused by recipient|rejected by recipient|"
	    "blacklisted by recipient|sender is on user's blocked|"
	    "rejected for policy reasons|restricted|delivery not authorized" },
	{ "spamdetected", "spam|junk mail|unsolicited|bulk mail|"
	    "message content rejected|uce|classified as|blocked by "
	    "content|looks like spam|suspicious" },
	{ "virusdetected", "virus|malware|infected" },
	{ "toomanyconn", "too many connections|too many concurrent|"
	    "connection limit|connection rate limit|too many sessions|"
	    "rate limit|too many messages|sending too fast|try again later" },
	{ "blocked", "blocked|blacklist|block list|blocklist|"
	    "rbl|spamhaus|spamcop|dnsbl|listed at|listed on|"
	    "your ip|sender ip|client host|access denied|"
	    "reverse dns|rdns|ptr record|not allowed to send|"
	    "poor reputation|bad reputation|connection refused|"
	    "refused|please use the smtp server|banned" },
	{ "expired", "did not accept our requests to connect|"
	    "failed 20 attempts|will be retried|failing for a long time|"
	    "retry timeout exceeded|retry time not reached|"
	    "delivery time expired|has been delayed|giving up|"
	    "message expired|expired|timed out|timeout|"
	    "could not be delivered within|too long|has not yet been delivered|"
	    "could not deliver for|delivery attempts will continue|"
	    "gave up|have been unable to deliver|was not delivered within" },
	{ "policyviolation", "policy|not compliant|violates|violation|"
	    "prohibited|dmarc|not allowed" },
	{ "securityerror", "authentication|spf|dkim|authenticat|"
	    "tls required|encryption required|must use|starttls|"
	    "sender verify failed|access denied" },
	{ "rejected", "sender rejected|sender address rejected|"
	    "domain of sender|sender domain|sender unknown|"
	    "mail from|envelope sender|unknown sender|rejected sender|"
	    "not accepted|invalid sender|sender is not|from address" },
	{ "networkerror", "network|connection reset|lost connection|"
	    "could not connect|connect to|no route to host|dns|mx lookup|loop|"
	    "too many hops|routing|unreachable" },
	{ "notaccept", "does not accept mail|not accepting mail|"
	    "null mx|accepts no mail|no longer accepting" },
	{ "systemfull", "system full|insufficient system storage|"
	    "out of disk|no space" },
	{ "syntaxerror", "syntax error|command unrecognized|malformed address|"
	    "unrecognized command|bad command" },
	{ "contenterror", "content|header|encoding|8bit|invalid character" },
	{ "mailererror", "mailer error|command died|exit code|"
	    "procmail|pipe to|program" },
	{ "systemerror", "system error|internal error|server error|"
	    "local error|temporary failure|service unavailable|"
	    "misconfigur|config error|try again" },
	{ NULL, NULL }
};

/* Codes that name their reason whatever the text says. */
static const struct phrase precise[] = {
	{ "userunknown", "1.1|1.3|1.4|1.10|1.351" },
	{ "hostunknown", "1.2|4.4" },
	{ "hasmoved", "1.6" },
	{ "rejected", "1.7|1.8" },
	{ "mailboxfull", "2.2" },
	{ "exceedlimit", "2.3" },
	{ "systemfull", "3.1" },
	{ "mesgtoobig", "3.4" },
	{ "systemerror", "3.5" },
	{ "networkerror", "4.6|4.2|4.312" },
	{ "expired", "4.7" },
	{ "securityerror", "7.6|7.7|7.515" },
	{ "suspend", "7.13" },
	{ "blocked", "7.25|7.606" },
	{ "notaccept", "7.27" },
	{ "policyviolation", "7.509" },
	{ NULL, NULL }
};

/* What a vague code suggests when the words say nothing. */
static const struct phrase vague[] = {
	{ "systemerror", "3.0|3.2|3.3|4.3" },
	{ "networkerror", "4.0|4.1|4.5" },
	{ "contenterror", "6.0|6.1|6.2|6.3|6.4|6.5" },
	{ "syntaxerror", "5.0|5.1|5.2|5.3|5.4|5.5" },
	{ "suspend", "2.1" },
	{ "mailboxfull", "2.0" },
	{ "securityerror", "7.0|7.1|7.9|7.26" },
	{ "rejected", "1.0" },
	{ NULL, NULL }
};

/* Pseudo codes for readings without an enhanced status. */
static const struct {
	const char	*reason;
	int		 code;
} pseudo[] = {
	{ "undefined", 900 }, { "onhold", 901 }, { "syntaxerror", 902 },
	{ "norelaying", 909 }, { "filtered", 910 }, { "userunknown", 911 },
	{ "hostunknown", 912 }, { "hasmoved", 916 }, { "rejected", 918 },
	{ "suspend", 921 }, { "mailboxfull", 922 }, { "exceedlimit", 923 },
	{ "systemerror", 930 }, { "systemfull", 931 }, { "notaccept", 932 },
	{ "mesgtoobig", 934 }, { "mailererror", 939 },
	{ "networkerror", 944 }, { "toomanyconn", 945 }, { "expired", 947 },
	{ "contenterror", 960 }, { "securityerror", 970 },
	{ "blocked", 971 }, { "policyviolation", 972 },
	{ "spamdetected", 980 }, { "virusdetected", 980 }
};

/* The first character is matched by hand before the call: the phrase
 * tables search whole message bodies, and a call at every byte made a
 * 12 KB message take a quarter of a second. */
const char *
ci_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	int lo, up;

	if (n == 0)
		return hay;
	lo = tolower((unsigned char)needle[0]);
	up = toupper((unsigned char)needle[0]);
	for (; *hay != '\0'; hay++)
		if ((*hay == lo || *hay == up) &&
		    strncasecmp(hay + 1, needle + 1, n - 1) == 0)
			return hay;
	return NULL;
}

/* A lower-cased copy of s (ASCII only: the phrases are ASCII). */
static char *
lowered(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* Does one of the '|'-separated phrases occur in low, a lowered text? */
static int
any_phrase_in(const char *low, const char *words)
{
	char one[128];
	const char *p = words;
	size_t n, i;

	for (; *p != '\0'; p += n + (p[n] == '|')) {
		n = strcspn(p, "|");
		if (n >= sizeof one)
			continue;
		for (i = 0; i < n; i++)
			one[i] = (char)tolower((unsigned char)p[i]);
		one[n] = '\0';
		if (strstr(low, one) != NULL)
			return 1;
	}
	return 0;
}

/*
 * The same over text as it is.  The text is lowered once and searched
 * with strstr, not scanned byte by byte per phrase: the tables hold
 * hundreds of phrases and a body can be large.
 */
static int
any_phrase(const char *text, const char *words)
{
	char *low = lowered(text);
	int found = any_phrase_in(low, words);

	free(low);
	return found;
}

const char *
reason_from_text(const char *text)
{
	const char *reason = NULL;
	char *low;
	size_t i;

	if (text == NULL || *text == '\0')
		return NULL;
	/* Lowered once for every table, not once per table. */
	low = lowered(text);
	for (i = 0; phrases[i].reason != NULL && reason == NULL; i++)
		if (any_phrase_in(low, phrases[i].words))
			reason = phrases[i].reason;
	free(low);
	return reason;
}

/* Look "subject.detail" of a status up in a code table. */
static const char *
code_lookup(const struct phrase *t, const char *status)
{
	const char *sd = strchr(status, '.'), *p;
	size_t n, i;

	if (sd == NULL)
		return NULL;
	sd++;
	for (i = 0; t[i].reason != NULL; i++)
		for (p = t[i].words; *p != '\0'; p += n + (p[n] == '|')) {
			n = strcspn(p, "|");
			if (strlen(sd) == n && strncmp(sd, p, n) == 0)
				return t[i].reason;
		}
	return NULL;
}

static int
is_code(const char *p)
{
	int d, i;

	if ((*p != '2' && *p != '4' && *p != '5') || p[1] != '.')
		return 0;
	p += 2;
	for (i = 0; i < 2; i++) {
		for (d = 0; isdigit((unsigned char)*p) && d < 4; d++)
			p++;
		if (d == 0 || d > 3 || (i == 0 && *p++ != '.'))
			return 0;
	}
	return !isdigit((unsigned char)*p) && *p != '.';
}

static int
word_start(const char *text, const char *p)
{
	return p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '.');
}

char *
status_find(const char *text)
{
	const char *p, *first = NULL;

	if (text == NULL)
		return NULL;
	for (p = text; *p != '\0'; p++) {
		if (!word_start(text, p) || !is_code(p))
			continue;
		if (first == NULL)
			first = p;
		if (strncmp(p + 1, ".0.0", 4) != 0 || isdigit((unsigned char)
		    p[5])) {
			first = p;
			break;
		}
	}
	if (first == NULL)
		return NULL;
	return xstrndup(first, strspn(first, "0123456789."));
}

char *
reply_find(const char *text)
{
	const char *p;

	if (text == NULL)
		return NULL;
	for (p = text; *p != '\0'; p++) {
		if ((*p != '4' && *p != '5') || !isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]) ||
		    (p > text && (isalnum((unsigned char)p[-1]) ||
		    strchr(".:#-/[", p[-1]) != NULL)))
			continue;
		if (p[1] <= '5' && (p[3] == ' ' || p[3] == '-' ||
		    p[3] == '\0' || p[3] == '\n'))
			return xstrndup(p, 3);
	}
	return NULL;
}

int
says_data(const char *text)
{
	return text != NULL && (ci_find(text, ">>> DATA") != NULL ||
	    ci_find(text, "end of DATA") != NULL ||
	    ci_find(text, "after DATA") != NULL ||
	    ci_find(text, "reply to DATA") != NULL ||
	    ci_find(text, "after end of data") != NULL);
}

/*
 * Words some servers use only for a recipient they refused at RCPT, though
 * their reports do not say when they refused.
 */
static const char rcpt_words[] = "recipient name is not recognized|"
    "not listed in|unknown user:|user unknown (|: user unknown|"
    "recipientnotfound";

/*
 * "RCPT TO" naming the SMTP step: "after RCPT TO:<a@b>", "in reply to RCPT
 * TO command".  "RCPT TO: a@b" without the brackets only lists the
 * envelope (Apache James' "Message details"), saying nothing of when.
 */
static int
names_rcpt_step(const char *text)
{
	const char *p, *v;

	for (p = ci_find(text, "RCPT TO"); p != NULL;
	    p = ci_find(p + 7, "RCPT TO")) {
		if (p[7] != ':')
			return 1;
		v = p + 8 + strspn(p + 8, " \t");
		if (*v == '<' || *v == '\0' || *v == '\r' || *v == '\n')
			return 1;
	}
	return 0;
}

int
says_rcpt(const char *text)
{
	return text != NULL && (names_rcpt_step(text) ||
	    ci_find(text, "RCPT command") != NULL ||
	    ci_find(text, "SMTP:RCPT") != NULL ||
	    ci_find(text, "after RCPT") != NULL);
}

/*
 * Words of an unknown user alone do not make the address gone: a filter
 * that refuses a message after DATA says them too.  They count when the
 * server said them to RCPT TO, and a report with neither a status code
 * nor a DSN that does not say when it refused is read as a filter's.
 */
static int
refused_at_data(const struct rec *r, const char *status, const char *context)
{
	const char *own = r->diag != NULL && *r->diag != '\0' ? r->diag : context;

	if (says_data(own))
		return 1;
	if (own != NULL && (says_rcpt(own) || any_phrase(own, rcpt_words)))
		return 0;
	if (r->at_data)
		return 1;
	return status == NULL && r->action == NULL && !r->at_rcpt;
}

static int
is_generic(const char *status)
{
	return status != NULL && strcmp(status + 1, ".0.0") == 0;
}

static const char *
pick_reason(const struct rec *r, const char *status, const char *context)
{
	const char *why;

	if (r->reason != NULL)
		return r->reason;
	if (status != NULL && status[0] == '2')
		return "delivered";
	if (status != NULL && (why = code_lookup(precise, status)) != NULL)
		return why;
	if ((why = reason_from_text(r->diag)) != NULL)
		return why;
	if ((why = reason_from_text(context)) != NULL)
		return why;
	if (status != NULL && (why = code_lookup(vague, status)) != NULL)
		return why;
	return status != NULL || r->diag != NULL ? "onhold" : "undefined";
}

static int
is_temporary(const struct rec *r, const char *status, const char *reply)
{
	if (status != NULL)
		return status[0] == '4';
	if (reply != NULL)
		return reply[0] == '4';
	return r->action != NULL && strcasecmp(r->action, "delayed") == 0;
}

static char *
pseudo_status(const char *reason, int temporary)
{
	size_t i;

	for (i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
		if (strcmp(pseudo[i].reason, reason) == 0)
			return xasprintf("%c.0.%d", temporary ? '4' : '5',
			    pseudo[i].code);
	return NULL;
}

static enum bounce_class
class_of(const char *reason, int temporary)
{
	if (strcmp(reason, "feedback") == 0)
		return BOUNCE_COMPLAINT;
	if (strcmp(reason, "vacation") == 0 || strcmp(reason, "delivered") == 0)
		return BOUNCE_IGNORE;
	/* A server that will try again has not given the address up. */
	if (!temporary && (strcmp(reason, "userunknown") == 0 ||
	    strcmp(reason, "hostunknown") == 0 ||
	    strcmp(reason, "hasmoved") == 0 ||
	    strcmp(reason, "notaccept") == 0))
		return BOUNCE_HARD;
	return BOUNCE_SOFT;
}

void
reason_decide(const struct rec *r, const char *context, struct bounce *b)
{
	char *status = xstrdup_or_null(r->status), *found;
	char *reply = xstrdup_or_null(r->reply);
	const char *why;
	int temporary;

	if ((status == NULL || is_generic(status)) &&
	    (found = status_find(r->diag)) != NULL) {
		if (status == NULL || !is_generic(found))
			xstrset(&status, found);
		free(found);
	}
	/* A lone recipient's code may stand elsewhere in the report. */
	if (status == NULL && (found = status_find(context)) != NULL) {
		if (reason_from_text(r->diag) == NULL ||
		    code_lookup(precise, found) != NULL)
			status = found;
		else
			free(found);
	}
	if (reply == NULL)
		reply = reply_find(r->diag);
	why = pick_reason(r, status, context);
	if (strcmp(why, "userunknown") == 0 && (status == NULL ||
	    code_lookup(precise, status) == NULL) &&
	    refused_at_data(r, status, context))
		why = "filtered";
	temporary = is_temporary(r, status, reply);
	b->reason = xstrdup(why);
	b->class = class_of(why, temporary);
	if (status == NULL && b->class != BOUNCE_COMPLAINT &&
	    b->class != BOUNCE_IGNORE)
		status = pseudo_status(why, temporary);
	b->status = status;
	b->reply_code = reply;
}
