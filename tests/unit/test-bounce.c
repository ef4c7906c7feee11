/*
 * test-bounce.c - what the bounce reader makes of delivery reports,
 * complaints, auto-replies and prose bounces, and that broken, hostile or
 * huge input never crashes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounce.h"
#include "bounce-json.h"
#include "buf.h"
#include "tap.h"
#include "xmalloc.h"

static const char dsn[] =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
    "To: news@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"B0UND\"\n"
    "\n"
    "--B0UND\n"
    "Content-Type: text/plain\n"
    "\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients.\n"
    "\n"
    "--B0UND\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822; Ada@Example.NET\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <ada@example.net>: User unknown\n"
    "\n"
    "Final-Recipient: rfc822; bob@example.net\n"
    "Action: failed\n"
    "Status: 5.2.2\n"
    "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
    "\n"
    "Final-Recipient: rfc822; carol@example.net\n"
    "Action: failed\n"
    "Status: 5.7.1\n"
    "Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; client host\n"
    "    blocked using zen.spamhaus.org\n"
    "\n"
    "--B0UND\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "From: news@example.com\n"
    "To: ada@example.net\n"
    "\n"
    "--B0UND--\n";

static const char arf[] =
    "From: abuse@isp.example\n"
    "To: fbl@example.com\n"
    "Subject: FW: complaint\n"
    "Content-Type: multipart/report; report-type=feedback-report;\n"
    " boundary=\"part\"\n"
    "\n"
    "--part\n"
    "Content-Type: text/plain\n"
    "\n"
    "This is an email abuse report.\n"
    "--part\n"
    "Content-Type: message/feedback-report\n"
    "\n"
    "Feedback-Type: Abuse\n"
    "User-Agent: Example-FBL/1.0\n"
    "Version: 1\n"
    "Original-Rcpt-To: <dan@isp.example>\n"
    "--part\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: news@example.com\n"
    "To: dan@isp.example\n"
    "Subject: This week\n"
    "\n"
    "Hello\n"
    "--part--\n";

static const char vacation[] =
    "From: Eve <Eve@example.org>\n"
    "To: news@example.com\n"
    "Subject: Out of office: This week\n"
    "Auto-Submitted: auto-replied\n"
    "\n"
    "I am away until Monday.\n";

static const char exim[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "To: news@example.com\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "X-Failed-Recipients: frank@example.net\n"
    "Auto-Submitted: auto-replied\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of\n"
    "its recipients. This is a permanent error. The following address(es)\n"
    "failed:\n"
    "\n"
    "  frank@example.net\n"
    "    SMTP error from remote mail server after RCPT TO:"
    "<frank@example.net>:\n"
    "    host mx.example.net [192.0.2.1]: 550 No such user here\n"
    "\n"
    "------ This is a copy of the message, including all the headers.\n"
    "\n"
    "From: news@example.com\n"
    "To: frank@example.net\n";

static const char qmail[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "To: news@example.com\n"
    "Subject: failure notice\n"
    "\n"
    "Hi. This is the qmail-send program at mx.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following "
    "addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<gina@example.net>:\n"
    "192.0.2.2 does not like recipient.\n"
    "Remote host said: 552 sorry, mailbox gina is over quota\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "To: gina@example.net\n";

static const char letter[] =
    "From: Ada <ada@example.net>\n"
    "To: news@example.com\n"
    "Subject: Thanks for the digest\n"
    "\n"
    "I liked the article about routing; write to hal@example.net too.\n";

/* A filter appliance's report: user-unknown words, no code, no command. */
static const char filter_words[] =
    "From: postmaster@gate.example.net\n"
    "To: news@example.com\n"
    "Subject: failure notice\n"
    "\n"
    "Unable to deliver message to the following address.\n"
    "\n"
    "<hal@example.net>: 550 unknown user <hal@example.net>\n";

/* A delivery status report whose MIME structure was lost on the way. */
static const char inline_dsn[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "To: news@example.com\n"
    "Subject: Delayed Mail (still being retried)\n"
    "\n"
    "Your message could not be delivered for more than 2 hour(s).\n"
    "\n"
    "<ivy@example.net>: connect to mx.example.net[192.0.2.2]:25: No route "
    "to host\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822; ivy@example.net\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.2]:25: "
    "No route to host\n";

/* Office 365 style: the code is in the report's prose, not by the address. */
static const char code_in_prose[] =
    "From: postmaster@outlook.example\n"
    "To: news@example.com\n"
    "Subject: Undeliverable: digest\n"
    "\n"
    "Delivery has failed to these recipients or groups:\n"
    "\n"
    "jan@example.net\n"
    "The email address wasn't found at the destination domain.\n"
    "\n"
    "For more tips, see DSN 5.1.10 Errors in Exchange Online.\n";

static struct bounce_list *
read_str(const char *s)
{
	return bounce_read(s, strlen(s));
}

static void
test_dsn(void)
{
	struct bounce_list *bl = read_str(dsn);

	is_int(bl->n, 3, "DSN: one reading per recipient group");
	if (bl->n != 3) {
		bounce_list_free(bl);
		return;
	}
	is_str(bl->v[0].recipient, "ada@example.net",
	    "DSN: Final-Recipient, lower-cased");
	is_str(bounce_class_name(bl->v[0].class), "hard",
	    "DSN: user unknown (5.1.1) is hard");
	is_str(bl->v[0].status, "5.1.1", "DSN: Status field kept");
	is_str(bl->v[0].reply_code, "550", "DSN: reply code from diagnostic");
	is_str(bl->v[0].action, "failed", "DSN: Action kept");
	is_str(bounce_class_name(bl->v[1].class), "soft",
	    "DSN: a full mailbox is soft");
	is_str(bl->v[1].reason, "mailboxfull", "DSN: 5.2.2 is mailboxfull");
	is_str(bounce_class_name(bl->v[2].class), "soft",
	    "DSN: a 5xx spam block is soft, not hard");
	ok(bl->v[2].diagnostic != NULL &&
	    strstr(bl->v[2].diagnostic, "spamhaus") != NULL,
	    "DSN: folded Diagnostic-Code is unfolded whole");
	bounce_list_free(bl);
}

static void
test_arf(void)
{
	struct bounce_list *bl = read_str(arf);

	is_int(bl->n, 1, "ARF: one complaint");
	if (bl->n == 1) {
		is_str(bl->v[0].recipient, "dan@isp.example",
		    "ARF: Original-Rcpt-To names the complainer");
		is_str(bounce_class_name(bl->v[0].class), "complaint",
		    "ARF: class complaint");
		is_str(bl->v[0].feedback_type, "abuse",
		    "ARF: Feedback-Type, lower-cased");
		ok(bl->v[0].status == NULL, "ARF: no status code invented");
	}
	bounce_list_free(bl);
}

static void
test_prose(void)
{
	struct bounce_list *bl = read_str(vacation);

	ok(bl->n == 1 && bl->v[0].class == BOUNCE_IGNORE &&
	    strcmp(bl->v[0].recipient, "eve@example.org") == 0,
	    "auto-reply: ignored, recipient is its sender");
	bounce_list_free(bl);
	bl = read_str(exim);
	ok(bl->n == 1 && strcmp(bl->v[0].recipient, "frank@example.net") == 0,
	    "Exim: the failed address, not the robot's");
	ok(bl->n == 1 && bl->v[0].class == BOUNCE_HARD,
	    "Exim: 'no such user' is hard");
	ok(bl->n == 1 && bl->v[0].status != NULL &&
	    strcmp(bl->v[0].status, "5.0.911") == 0,
	    "Exim: no enhanced code in the text gives the pseudo code");
	bounce_list_free(bl);
	bl = read_str(qmail);
	ok(bl->n == 1 && strcmp(bl->v[0].recipient, "gina@example.net") == 0 &&
	    bl->v[0].class == BOUNCE_SOFT &&
	    strcmp(bl->v[0].reason, "mailboxfull") == 0,
	    "qmail: <addr>: line, over quota is soft mailboxfull");
	ok(bl->n == 1 && bl->v[0].reply_code != NULL &&
	    strcmp(bl->v[0].reply_code, "552") == 0,
	    "qmail: reply code from 'Remote host said'");
	bounce_list_free(bl);
	bl = read_str(letter);
	is_int(bl->n, 0, "a personal letter naming addresses is no bounce");
	bounce_list_free(bl);
}

static void
test_json(void)
{
	struct bounce_list *bl = read_str(dsn);
	char *j = bounce_to_json(bl);

	ok(strstr(j, "\"recipient\": \"ada@example.net\"") != NULL &&
	    strstr(j, "\"class\": \"hard\"") != NULL &&
	    strstr(j, "\"feedback_type\": null") != NULL,
	    "JSON: the oracle's keys and values");
	free(j);
	bounce_list_free(bl);
	bl = read_str("");
	j = bounce_to_json(bl);
	is_str(j, "{\n  \"bounces\": []\n}", "JSON: empty list for nothing");
	free(j);
	bounce_list_free(bl);
}

/* Every prefix of a report: cut anywhere, it must still be read safely. */
static void
test_truncated(void)
{
	const char *samples[] = { dsn, arf, exim, qmail };
	struct bounce_list *bl;
	size_t i, n, len, bad = 0;
	char *copy;

	for (i = 0; i < 4; i++) {
		len = strlen(samples[i]);
		for (n = 0; n <= len; n++) {
			/* An exact-size copy, so reading past n is caught. */
			copy = xmalloc(n ? n : 1);
			memcpy(copy, samples[i], n);
			bl = bounce_read(copy, n);
			if (bl == NULL)
				bad++;
			bounce_list_free(bl);
			free(copy);
		}
	}
	is_int(bad, 0, "truncated reports: every prefix read without failure");
	n = strstr(dsn, "Status: 5.2.2") - dsn;
	bl = bounce_read(dsn, n);
	ok(bl->n == 2 && bl->v[0].class == BOUNCE_HARD,
	    "a DSN cut in its second group still reads the first");
	bounce_list_free(bl);
}

static void
test_garbage(void)
{
	static const char *const odd[] = {
		"\n\n\n", "Content-Type: multipart/report; boundary=\"\"\n\n--",
		"Content-Type: multipart/mixed; boundary=x\n\n--x\n--x--",
		"@@@@ @ .@. <@> a@b a@b.c\n", "From: <>\nSubject:\n\n@",
		"Content-Type: message/delivery-status\n\nFinal-Recipient: ;\n"
		"Status: 9.9.9999\n\n\n",
		"Content-Transfer-Encoding: base64\n\n====\n",
		"Content-Transfer-Encoding: quoted-printable\n\n=\n=4\n=ZZ",
	};
	unsigned seed = 12345;
	struct bounce_list *bl;
	char junk[4096];
	size_t i, j, bad = 0;

	for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		bl = bounce_read(odd[i], strlen(odd[i]));
		bad += bl == NULL;
		bounce_list_free(bl);
	}
	for (i = 0; i < 200; i++) {
		for (j = 0; j < sizeof junk; j++) {
			seed = seed * 1103515245 + 12345;
			junk[j] = (char)(seed >> 16);
		}
		bl = bounce_read(junk, (seed >> 8) % sizeof junk);
		bad += bl == NULL;
		bounce_list_free(bl);
	}
	is_int(bad, 0, "not-MIME garbage and broken structure are read safely");
	bl = bounce_read("\0\0\0From: x\0", 11);
	is_int(bl->n, 0, "NUL bytes give nothing");
	bounce_list_free(bl);
}

/* A DSN that returns a 5 MB message: read completely, quickly. */
static void
test_huge(void)
{
	struct bounce_list *bl;
	struct buf b;
	clock_t t0;
	size_t i;

	buf_init(&b, 0);
	buf_append(&b, dsn, strstr(dsn, "--B0UND--") - dsn);
	buf_puts(&b, "--B0UND\nContent-Type: message/rfc822\n\n"
	    "From: news@example.com\nTo: ada@example.net\n\n");
	for (i = 0; b.len < ((size_t)5 << 20); i++)
		buf_puts(&b, "A long line of a long newsletter, with an address"
		    " ada@example.net and a 550 5.1.1 code in it.\n");
	buf_puts(&b, "--B0UND--\n");
	t0 = clock();
	bl = bounce_read(b.data, b.len);
	ok(bl->n == 3 && strcmp(bl->v[0].recipient, "ada@example.net") == 0,
	    "5 MB message: the report is still read");
	ok((clock() - t0) / CLOCKS_PER_SEC < 10, "5 MB message: in seconds");
	bounce_list_free(bl);
	buf_free(&b);
}

static void
test_rules(void)
{
	struct bounce_list *bl = read_str(filter_words);

	ok(bl->n == 1 && bl->v[0].class == BOUNCE_SOFT &&
	    strcmp(bl->v[0].reason, "filtered") == 0,
	    "unknown-user words with no code and no RCPT: a filter, soft");
	bounce_list_free(bl);

	bl = read_str(exim);
	ok(bl->n == 1 && bl->v[0].class == BOUNCE_HARD,
	    "the same words said after RCPT TO: the address is gone, hard");
	bounce_list_free(bl);

	bl = read_str(inline_dsn);
	ok(bl->n == 1 && strcmp(bl->v[0].recipient, "ivy@example.net") == 0,
	    "DSN fields in plain text: the recipient is read");
	ok(bl->n == 1 && bl->v[0].status != NULL &&
	    strcmp(bl->v[0].status, "4.4.1") == 0,
	    "DSN fields in plain text: the status is read");
	ok(bl->n == 1 && bl->v[0].class == BOUNCE_SOFT &&
	    strcmp(bl->v[0].reason, "networkerror") == 0,
	    "no route to host, to be retried: a network error, soft");
	bounce_list_free(bl);

	bl = read_str("From: MAILER-DAEMON@mx.example.org\n"
	    "To: news@example.com\n\n"
	    "<\"kim..lee\"@example.net>: host mx.example.net said: 550 5.1.1 "
	    "User unknown (in reply to RCPT TO command)\n");
	ok(bl->n == 1 && strcmp(bl->v[0].recipient,
	    "\"kim..lee\"@example.net") == 0,
	    "a quoted local part keeps its quotes");
	bounce_list_free(bl);

	bl = read_str(code_in_prose);
	ok(bl->n == 1 && bl->v[0].status != NULL &&
	    strcmp(bl->v[0].status, "5.1.10") == 0 &&
	    bl->v[0].class == BOUNCE_HARD,
	    "a lone recipient's code elsewhere in the report is used");
	bounce_list_free(bl);
}

/* A fixture under tests/data/bounce/, read whole; NULL when absent. */
static struct bounce_list *
read_fixture(const char *name)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/tests/data/bounce/%s", top ? top : ".",
	    name);
	struct bounce_list *bl = NULL;
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) != NULL) {
		buf_init(&b, 0);
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_append(&b, chunk, n);
		fclose(fp);
		bl = bounce_read(b.data ? b.data : "", b.len);
		buf_free(&b);
	}
	free(path);
	return bl;
}

/* What one fixture must give: its count, and one reading in it. */
static const struct {
	const char	*file;
	size_t		 n, i;
	const char	*rcpt, *class, *status, *reason, *why;
} formats[] = {
	{ "dsn-groups-run-together-crlf.eml", 2, 1, "omar@example.net",
	    "hard", "5.1.1", "userunknown",
	    "DSN groups run together, CRLF lines: a second Final-Recipient "
	    "starts the next group" },
	{ "dsn-fields-in-quoted-printable.eml", 1, 0, "pia@example.net",
	    "soft", "5.2.2", "mailboxfull",
	    "DSN fields pasted into quoted-printable text are read decoded, "
	    "not the address inside the diagnostic" },
	{ "ses-bounce-in-sns-envelope.eml", 1, 0, "quinn@example.net",
	    "hard", "5.1.1", "userunknown",
	    "an SES bounce inside an SNS envelope's Message string" },
	{ "smail-failed-addresses.eml", 1, 0, "rosa@nowhere.example.net",
	    "hard", "5.0.912", "hostunknown",
	    "smail: the failed address, not those of the returned message" },
	{ "exim-bounce-to-failed-sender.eml", 1, 0, "tom@example.net",
	    "soft", "5.2.2", "mailboxfull",
	    "mail sent to oneself: the sender's address alone on a line is "
	    "the failed one" },
	{ "exim-malformed-name-addr.eml", 1, 0, "vic@example.net",
	    "soft", "5.0.902", "syntaxerror",
	    "Exim malformed address: the angle-bracketed address of a "
	    "name-addr, a syntax error" },
	{ "james-notice-bare-boundary.eml", 1, 0, "5550100@sms.example.net",
	    "soft", "5.0.910", "filtered",
	    "Apache James: boundary on a bare line, envelope listing is not "
	    "the RCPT step" },
	{ "fml-not-member.eml", 1, 0, "cats@lists.example.org",
	    "soft", "5.0.918", "rejected",
	    "fml: a list refusing a non-member's post is the failed "
	    "recipient, rejected" },
	{ "fml-loop-alert.eml", 1, 0, "dogs@lists.example.org",
	    "soft", "5.0.930", "systemerror",
	    "fml: a loop alert on a duplicated Message-ID, a system error" },
	{ "mbox-two-reports.mbox", 2, 1, "xia@example.net",
	    "soft", "4.2.2", "mailboxfull",
	    "an mbox holding two reports: both are read" },
};

static void
test_formats(void)
{
	struct bounce_list *bl;
	const struct bounce *b;
	size_t i;
	int good;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		bl = read_fixture(formats[i].file);
		b = bl != NULL && bl->n == formats[i].n ?
		    &bl->v[formats[i].i] : NULL;
		good = b != NULL && strcmp(b->recipient, formats[i].rcpt) ==
		    0 && strcmp(bounce_class_name(b->class),
		    formats[i].class) == 0 && b->status != NULL &&
		    strcmp(b->status, formats[i].status) == 0 &&
		    strcmp(b->reason, formats[i].reason) == 0;
		if (!ok(good, formats[i].why) && b != NULL)
			printf("#   got: %s %s %s %s\n", b->recipient,
			    bounce_class_name(b->class), b->status ?
			    b->status : "-", b->reason);
		bounce_list_free(bl);
	}
}

/* A refusal in the SMTP dialogue, read as a report's diagnostic is. */
static void
test_replies(void)
{
	static const struct {
		const char	*reply;
		enum bounce_step step;
		const char	*class, *status, *reason, *why;
	} r[] = {
		{ "550 5.1.1 <zoe@example.org>: user unknown", BOUNCE_AT_RCPT,
		    "hard", "5.1.1", "userunknown",
		    "reply: 5.1.1 at RCPT is a gone address" },
		{ "550 5.1.2 host unknown", BOUNCE_AT_RCPT, "hard", "5.1.2",
		    "hostunknown", "reply: 5.1.2 is an unknown host" },
		{ "551 5.1.6 mailbox has moved", BOUNCE_AT_RCPT, "hard",
		    "5.1.6", "hasmoved", "reply: 5.1.6 is a moved mailbox" },
		{ "550 5.1.10 null MX", BOUNCE_AT_RCPT, "hard", "5.1.10",
		    "userunknown", "reply: 5.1.10 is a gone address" },
		{ "550 No such user here", BOUNCE_AT_RCPT, "hard", "5.0.911",
		    "userunknown", "reply: no code, unknown user at RCPT" },
		{ "550 mailbox not found", BOUNCE_AT_DATA, "soft", "5.0.910",
		    "filtered",
		    "reply: unknown-user words after the message are a filter's" },
		{ "550 5.7.1 policy / spam", BOUNCE_AT_RCPT, "soft", "5.7.1",
		    "spamdetected", "reply: 5.7.1 spam is soft" },
		{ "554 5.7.1 rejected for policy reasons", BOUNCE_AT_DATA,
		    "soft", "5.7.1", "filtered", "reply: policy after DATA" },
		{ "552 5.2.2 mailbox full", BOUNCE_AT_RCPT, "soft", "5.2.2",
		    "mailboxfull", "reply: a full mailbox is soft" },
		{ "552 5.3.4 message too big", BOUNCE_AT_DATA, "soft",
		    "5.3.4", "mesgtoobig", "reply: size is soft" },
		{ "500 5.3.0 Error: command failed", BOUNCE_AT_RCPT, "soft",
		    "5.3.0", "systemerror", "reply: a vague one is soft" },
		{ "550 5.1.1 sender unknown", BOUNCE_AT_SENDER, "soft",
		    "5.1.1", "userunknown",
		    "reply: MAIL FROM's refusal is never hard" },
	};
	struct bounce b;
	size_t i;
	int good;

	for (i = 0; i < sizeof r / sizeof r[0]; i++) {
		bounce_read_reply(r[i].reply, r[i].step, &b);
		good = strcmp(bounce_class_name(b.class), r[i].class) == 0 &&
		    b.status != NULL && strcmp(b.status, r[i].status) == 0 &&
		    strcmp(b.reason, r[i].reason) == 0 && b.diagnostic != NULL &&
		    strcmp(b.diagnostic, r[i].reply) == 0;
		if (!ok(good, r[i].why))
			printf("#   got: %s %s %s\n", bounce_class_name(b.class),
			    b.status ? b.status : "-", b.reason);
		bounce_clear(&b);
	}
}

int
main(void)
{
	test_dsn();
	test_arf();
	test_prose();
	test_json();
	test_truncated();
	test_garbage();
	test_huge();
	test_rules();
	test_formats();
	test_replies();
	return done_testing();
}
