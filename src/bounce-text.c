/*
 * bounce-text.c - read the bounces that are not RFC 3464 reports: the
 * prose that Postfix, Sendmail, Exim, qmail, Exchange, Gmail and many
 * others write, where a failed address stands on a line of its own (or
 * after a short prompt such as "<", "RCPT TO:", "Recipient:") and the
 * server's complaint follows it.
 *
 * Heuristics over ASCII lines; never prints, never allocates more than the
 * text it is given.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bounce-int.h"
#include "buf.h"
#include "xmalloc.h"

#define MAX_PROMPT	40	/* characters allowed before an address */
#define MAX_DIAG_LINES	10
#define MAX_RECIPIENTS	32

/* Where the returned message begins in a bounce's prose. */
static const char *const copy_marks[] = {
	"this is a copy of the message",
	"this is a copy of your message",
	"below this line is a copy",
	"original message follows",
	"original message -----",
	"original message headers",
	"returned message",
	"message headers follow",
	"headers of the original message",
	"text of the original message",
	"original message header",
	"unsent message below",
	"------ original message",
	"content-type: message/rfc822",
	"this is the original message",
	"the header of the original",
	"message text follows",		/* smail */
	NULL
};

/* Prompts that put an address on a line without naming it a failure. */
static const char *const not_rcpt[] = {
	"from:", "message-id", "return-path", "reply-to", "sender",
	"envelope-from", "mail from", "by ", "received", "x-", "for <",
	"smtp.mailfrom", "dkim", "(envelope-from", "(ultimately",
	"(generated", "generated from", NULL
};

/*
 * The end of the prose: the start of the first line that holds a mark of
 * the copy.  Each mark is searched once over the whole text (the earliest
 * hit is on that line), not once per line, which was quadratic.
 */
static size_t
prose_len(const char *text)
{
	const char *first = NULL, *m;
	size_t i;

	for (i = 0; copy_marks[i] != NULL; i++)
		if ((m = ci_find(text, copy_marks[i])) != NULL &&
		    (first == NULL || m < first))
			first = m;
	if (first == NULL)
		return strlen(text);
	while (first > text && first[-1] != '\n')
		first--;
	return (size_t)(first - text);
}

static int
is_robot(const char *addr)
{
	return strncmp(addr, "mailer-daemon@", 14) == 0 ||
	    strncmp(addr, "postmaster@", 11) == 0 ||
	    strncmp(addr, "mail-daemon@", 12) == 0;
}

/* Is the text before the address short and free of header prompts? */
static int
prompt_ok(const char *line, const char *at_addr, int strict)
{
	char pre[MAX_PROMPT + 1];
	size_t n = at_addr - line, i;

	while (n > 0 && isspace((unsigned char)*line)) {
		line++;
		n--;
	}
	if (n > MAX_PROMPT)
		return 0;
	memcpy(pre, line, n);
	pre[n] = '\0';
	for (i = 0; not_rcpt[i] != NULL; i++)
		if (ci_find(pre, not_rcpt[i]) == pre)
			return 0;
	/* "To:" often quotes the returned message; trust it only alone. */
	return !strict || ci_find(pre, "to:") != pre;
}

/*
 * "a@b.example <c@d.example>" is a name-addr (RFC 5322 3.4) whose display
 * name looks like an address: the address is the one in angle brackets.
 */
static void
display_name_addr(char **a, const char *pos)
{
	const char *p = pos + strlen(*a);
	char *b;

	p += strspn(p, " \t");
	if (*p != '<' || (b = addr_find(p + 1)) == NULL)
		return;
	if (strncasecmp(p + 1, b, strlen(b)) == 0 && p[1 + strlen(b)] == '>') {
		free(*a);
		*a = b;
	} else
		free(b);
}

/* The address on a line, if the line presents it as a recipient. */
static char *
line_rcpt(const char *line, size_t len, const char *skip1, const char *skip2,
    int strict)
{
	char *l = xstrndup(line, len), *a;
	const char *pos;

	if ((a = addr_find(l)) == NULL) {
		free(l);
		return NULL;
	}
	pos = ci_find(l, a);
	if (pos != NULL)
		display_name_addr(&a, pos);
	if (pos == NULL || !prompt_ok(l, pos, strict) ||
	    (pos > l && pos[-1] == '<' && pos - 1 > l && pos[-2] == '=') ||
	    is_robot(a) || (skip1 != NULL && strcmp(a, skip1) == 0) ||
	    (skip2 != NULL && strcmp(a, skip2) == 0)) {
		free(a);
		a = NULL;
	}
	free(l);
	return a;
}

static struct rec *
find_rec(struct recs *out, const char *rcpt)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (strcmp(out->v[i].rcpt, rcpt) == 0)
			return &out->v[i];
	return NULL;
}

/*
 * Does a diagnostic explain anything yet: a code, or known words past the
 * first lines (which often only announce a delay or a retry)?
 */
static int
says_why(const char *s, int lines)
{
	char *code = status_find(s), *reply = reply_find(s);
	int yes = code != NULL || reply != NULL ||
	    (lines > 2 && reason_from_text(s) != NULL);

	free(code);
	free(reply);
	return yes;
}

/*
 * The line holding the address and those after it, up to end (the next
 * address line) or a blank line once they explain something.
 */
static char *
diag_after(const char *p, const char *end)
{
	struct buf b;
	const char *e;
	int lines = 0;

	buf_init(&b, 0);
	for (; p < end && lines < MAX_DIAG_LINES; p = e + 1) {
		e = memchr(p, '\n', end - p);
		if (e == NULL)
			e = end;
		if (strspn(p, " \t\r") >= (size_t)(e - p)) {
			if (lines >= 2 && says_why(buf_str(&b), lines))
				break;
		} else {
			if (b.len > 0)
				buf_putc(&b, ' ');
			buf_append(&b, p, e - p);
			lines++;
		}
		if (e == end)
			break;
	}
	return buf_detach(&b);
}

static void
scan(const char *text, const char *skip1, const char *skip2, int strict,
    struct recs *out)
{
	const char *p, *e, *end = text + prose_len(text), *from = NULL;
	struct rec *r, *last = NULL;
	char *a;

	for (p = text; p < end; p = e + 1) {
		e = memchr(p, '\n', end - p);
		if (e == NULL)
			e = end;
		if ((a = line_rcpt(p, e - p, skip1, skip2, strict)) != NULL &&
		    (last == NULL || strcmp(last->rcpt, a) != 0)) {
			if (last != NULL && last->diag == NULL)
				last->diag = diag_after(from, p);
			if ((r = find_rec(out, a)) == NULL &&
			    out->n < MAX_RECIPIENTS)
				r = recs_add(out, a);
			last = r;
			from = p;
		}
		free(a);
		if (e == end)
			break;
	}
	if (last != NULL && last->diag == NULL)
		last->diag = diag_after(from, end);
}

void
text_scan(const char *text, const char *skip1, const char *skip2,
    struct recs *out)
{
	size_t n0 = out->n;

	scan(text, skip1, skip2, 1, out);
	if (out->n == n0)
		scan(text, skip1, skip2, 0, out);
}

/* Is the line the address alone: "addr", "<addr>", "addr:" or "<addr>:"? */
static int
line_is_addr(const char *p, const char *e, const char *addr)
{
	size_t n = strlen(addr);

	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	if (e > p && e[-1] == ':')
		e--;
	if (e - p >= 2 && *p == '<' && e[-1] == '>') {
		p++;
		e--;
	}
	return (size_t)(e - p) == n && strncasecmp(p, addr, n) == 0;
}

void
text_scan_self(const char *text, const char *self, struct recs *out)
{
	const char *p, *e, *end = text + prose_len(text);

	for (p = text; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', end - p)) == NULL)
			e = end;
		if (line_is_addr(p, e, self)) {
			recs_add(out, self)->diag = diag_after(p, end);
			return;
		}
		if (e == end)
			return;
	}
}

char *
text_head(const char *text)
{
	return xstrndup(text, prose_len(text));
}

char *
text_near(const char *text, const char *rcpt)
{
	const char *end = text + prose_len(text), *p;

	if ((p = ci_find(text, rcpt)) != NULL && p < end) {
		while (p > text && p[-1] != '\n')
			p--;
		return diag_after(p, end);
	}
	return xstrndup(text, end - text);
}
