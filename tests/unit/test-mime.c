/*
 * test-mime.c - the message bytes mime_build writes.
 *
 * Headers and parts are decoded back (encoded words, quoted-printable,
 * base64) with small decoders written here, and every built message is also judged by the
 * shared mailcheck.py ($GAZETTE_SHARED/tools, else
 * $top_srcdir/../shared/tools) when it and /usr/bin/python3 are present;
 * without them those checks are skipped, never failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "buf.h"
#include "mime.h"
#include "mime-body.h"
#include "piece.h"
#include "xmalloc.h"
#include "tap.h"

static const char *tmpdir;
static char *mailcheck;
static int nfile;

static struct outgoing
sample(void)
{
	struct outgoing m;

	memset(&m, 0, sizeof m);
	m.from_name = "Gazette";
	m.from_addr = "digest@example.org";
	m.to_addr = "reader@example.net";
	m.subject = "Your digest";
	m.message_id = "0123abcd.1764064800@example.org";
	m.date = 1764064800;	/* Tue, 25 Nov 2025 10:00:00 +0000 */
	m.text = "Hello.\n\nUnsubscribe: https://example.org/u?t=tok\n";
	m.html = "<html><body><p>Hello.</p><p><a href=\"https://example.org/"
	    "u?t=tok\">Unsubscribe</a></p></body></html>\n";
	return m;
}

static char *
build(const struct outgoing *m, char **err)
{
	struct buf b;

	*err = NULL;
	buf_init(&b, 0);
	if (mime_build(m, &b, err) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* The header section, unfolded: one field per line, "\n" between. */
static char *
unfolded_header(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n"), *p;
	struct buf b;

	buf_init(&b, 0);
	for (p = msg; end != NULL && p < end; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			if (p[2] != ' ' && p[2] != '\t')
				buf_putc(&b, '\n');
			p++;
		} else
			buf_putc(&b, *p);
	}
	buf_putc(&b, '\n');
	return buf_detach(&b);
}

/* Unfolded value of the first field called name, or NULL. */
static char *
header(const char *msg, const char *name)
{
	char *h = unfolded_header(msg), *p, *nl, *v = NULL;
	size_t n = strlen(name);

	for (p = h; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			v = xstrndup(p, (size_t)(nl - p));
			break;
		}
	}
	free(h);
	return v;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
b64val(int c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/", *p = c ? strchr(a, c) : NULL;

	return p ? (int)(p - a) : -1;
}

/* Decode one encoded word's text into b; -1 if it is malformed. */
static int
decode_word(struct buf *b, char enc, const char *s, size_t n)
{
	size_t i;
	unsigned v = 0;
	int bits = 0, d;

	for (i = 0; i < n; i++) {
		if (enc == 'Q' && s[i] == '_')
			buf_putc(b, ' ');
		else if (enc == 'Q' && s[i] == '=') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 ||
			    hexval(s[i + 2]) < 0)
				return -1;
			buf_putc(b, hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (enc == 'Q')
			buf_putc(b, s[i]);
		else if (s[i] != '=') {
			if ((d = b64val(s[i])) < 0)
				return -1;
			v = (v << 6) | (unsigned)d;
			if ((bits += 6) >= 8) {
				bits -= 8;
				buf_putc(b, (int)((v >> bits) & 0xff));
			}
		}
	}
	return 0;
}

/*
 * RFC 2047 decoding of an unfolded value: white space between two encoded
 * words vanishes, other text is kept.  Also reports the longest word.
 */
static char *
ew_decode(const char *v, size_t *longest)
{
	struct buf b;
	const char *p = v, *q, *end;
	int prev_ew = 0;
	size_t sp;

	buf_init(&b, 0);
	*longest = 0;
	while (*p != '\0') {
		for (sp = 0; p[sp] == ' '; sp++)
			;
		q = p + sp;
		if (strncmp(q, "=?UTF-8?", 8) == 0 && (q[8] == 'Q' || q[8] == 'B')
		    && q[9] == '?' && (end = strstr(q + 10, "?=")) != NULL) {
			if (!prev_ew && sp)
				buf_append(&b, p, sp);
			if (decode_word(&b, q[8], q + 10, (size_t)(end - q - 10)))
				buf_puts(&b, "<bad word>");
			if ((size_t)(end + 2 - q) > *longest)
				*longest = (size_t)(end + 2 - q);
			p = end + 2;
			prev_ew = 1;
		} else {
			buf_append(&b, p, sp);
			for (p = q; *p != '\0' && *p != ' '; p++)
				buf_putc(&b, *p);
			prev_ew = 0;
		}
	}
	return buf_detach(&b);
}

/* The text of a quoted-string (RFC 5322 3.2.4). */
static char *
unquote(const char *q)
{
	struct buf b;

	buf_init(&b, 0);
	for (q++; *q != '\0' && *q != '"'; q++) {
		if (*q == '\\' && q[1] != '\0')
			q++;
		buf_putc(&b, *q);
	}
	return buf_detach(&b);
}

/* Decoded display name of an address field (encoded words or quoted). */
static char *
decoded_name(const char *msg, const char *field)
{
	char *v = header(msg, field), *lt, *name;
	size_t longest;

	if (v == NULL || (lt = strrchr(v, '<')) == NULL) {
		free(v);
		return NULL;
	}
	while (lt > v && lt[-1] == ' ')
		lt--;
	*lt = '\0';
	if (*v == '"')
		name = unquote(v);
	else
		name = ew_decode(v, &longest);
	free(v);
	return name;
}

static char *
qp_decode(const char *s, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		if (s[i] == '=' && i + 2 < n && s[i + 1] == '\r' &&
		    s[i + 2] == '\n')
			i += 2;
		else if (s[i] == '=' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			buf_putc(&b, hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			buf_putc(&b, s[i]);
	}
	return buf_detach(&b);
}

/* Raw (still encoded) body of the part whose Content-Type starts with ct. */
static char *
raw_part(const char *msg, const char *ct)
{
	char *want = xasprintf("Content-Type: %s", ct), *bnd = NULL;
	const char *p, *body, *end;
	char *ctype = header(msg, "Content-Type"), *q, *r = NULL;

	if (ctype != NULL && (q = strstr(ctype, "boundary=\"")) != NULL) {
		q += 10;
		bnd = xasprintf("\r\n--%.*s", (int)strcspn(q, "\""), q);
	}
	if ((p = strstr(msg, want)) != NULL &&
	    (body = strstr(p, "\r\n\r\n")) != NULL) {
		body += 4;
		end = bnd ? strstr(body, bnd) : NULL;
		if (end == NULL)
			end = body + strlen(body);
		r = xstrndup(body, (size_t)(end - body));
	}
	free(want);
	free(bnd);
	free(ctype);
	return r;
}

/* Base64 lines back to octets, line ends skipped; NULL if malformed. */
static char *
b64_decode(const char *s, size_t n)
{
	struct buf b, in;
	size_t i;

	buf_init(&in, 0);
	for (i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			buf_putc(&in, s[i]);
	buf_init(&b, 0);
	if (decode_word(&b, 'B', buf_str(&in), in.len) == -1) {
		buf_free(&b);
		buf_free(&in);
		return NULL;
	}
	buf_free(&in);
	return buf_detach(&b);
}

/* The Content-Transfer-Encoding of the part whose type starts with ct. */
static char *
part_cte(const char *msg, const char *ct)
{
	char *want = xasprintf("Content-Type: %s", ct), *v = NULL;
	const char *p, *end, *f;

	if ((p = strstr(msg, want)) != NULL &&
	    (end = strstr(p, "\r\n\r\n")) != NULL &&
	    (f = strstr(p, "\r\nContent-Transfer-Encoding: ")) != NULL &&
	    f < end) {
		f += 29;
		v = xstrndup(f, strcspn(f, "\r"));
	}
	free(want);
	return v;
}

/* The part decoded by its own Content-Transfer-Encoding. */
static char *
decoded_part(const char *msg, const char *ct)
{
	char *raw = raw_part(msg, ct), *cte = part_cte(msg, ct), *d = NULL;

	if (raw != NULL && cte != NULL && strcmp(cte, "base64") == 0)
		d = b64_decode(raw, strlen(raw));
	else if (raw != NULL && cte != NULL &&
	    strcmp(cte, "quoted-printable") == 0)
		d = qp_decode(raw, strlen(raw));
	free(raw);
	free(cte);
	return d;
}

/* LF and lone CR to CRLF, as the wire form of a text. */
static char *
crlf(const char *s)
{
	struct buf b;

	buf_init(&b, 0);
	for (; *s != '\0'; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		if (*s == '\n' || *s == '\r')
			buf_puts(&b, "\r\n");
		else
			buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

/* 1 if every line end is CRLF, the message ends with one, and lines fit. */
static int
wire_clean(const char *msg, size_t head_max, size_t body_max)
{
	const char *p = msg, *eol;
	int in_head = 1;

	for (; *p != '\0'; p = eol + 2) {
		if ((eol = strstr(p, "\r\n")) == NULL)
			return 0;
		if (memchr(p, '\n', (size_t)(eol - p)) ||
		    memchr(p, '\r', (size_t)(eol - p)))
			return 0;
		if ((size_t)(eol - p) > (in_head ? head_max : body_max))
			return 0;
		if (eol == p)
			in_head = 0;
	}
	return 1;
}

static int
has_header_line(const char *msg, const char *prefix)
{
	const char *end = strstr(msg, "\r\n\r\n"), *p = msg;
	size_t n = strlen(prefix);

	while (p != NULL && p < end) {
		if (strncasecmp(p, prefix, n) == 0)
			return 1;
		if ((p = strstr(p, "\r\n")) != NULL)
			p += 2;
	}
	return 0;
}

static char *
find_mailcheck(void)
{
	const char *env;
	char *path;

	if (access("/usr/bin/python3", X_OK) != 0)
		return NULL;
	if ((env = getenv("GAZETTE_SHARED")) != NULL)
		path = xasprintf("%s/tools/mailcheck.py", env);
	else if ((env = getenv("top_srcdir")) != NULL)
		path = xasprintf("%s/../shared/tools/mailcheck.py", env);
	else
		path = xstrdup("../shared/tools/mailcheck.py");
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

/* Run mailcheck.py on msg; its findings become TAP comments. */
static void
judge(const char *msg, const char *opts, const char *name)
{
	char *path, *cmd, line[1024], *what;
	FILE *f, *p;
	int status;

	if (mailcheck == NULL) {
		what = xasprintf("%s # SKIP mailcheck.py not found", name);
		ok(1, what);
		free(what);
		return;
	}
	path = xasprintf("%s/test-mime-%d-%d.eml", tmpdir, (int)getpid(),
	    nfile++);
	f = fopen(path, "wb");
	fwrite(msg, 1, strlen(msg), f);
	fclose(f);
	cmd = xasprintf("/usr/bin/python3 '%s' %s '%s' 2>&1", mailcheck, opts,
	    path);
	p = popen(cmd, "r");
	while (p != NULL && fgets(line, sizeof line, p) != NULL)
		printf("# %s", line);
	status = p ? pclose(p) : -1;
	ok(status == 0, name);
	unlink(path);
	free(cmd);
	free(path);
}

static void
test_ascii_message(void)
{
	struct outgoing m = sample();
	char *err, *msg = build(&m, &err), *v;

	if (!ok(msg != NULL, "ascii message builds")) {
		tap_diag(err);
		free(err);
		return;
	}
	ok(strncmp(msg, "Date: Tue, 25 Nov 2025 10:00:00 +0000\r\n", 39) == 0,
	    "date header is RFC 5322 from m->date");
	ok(has_header_line(msg, "From: Gazette <digest@example.org>\r\n"),
	    "from is name and address");
	ok(has_header_line(msg, "To: reader@example.net\r\n"),
	    "to without a name is the bare address");
	ok(has_header_line(msg, "Message-ID: <0123abcd.1764064800@example.org>"),
	    "message-id is the given id in angle brackets");
	ok(has_header_line(msg, "MIME-Version: 1.0\r\n"), "mime-version is 1.0");
	ok(has_header_line(msg, "Subject: Your digest\r\n"),
	    "plain ascii subject is written as it is");
	ok(!has_header_line(msg, "List-"), "no list headers unless asked");
	v = header(msg, "Content-Type");
	ok(v != NULL && strncmp(v, "multipart/alternative; boundary=", 32) == 0,
	    "top level is multipart/alternative");
	free(v);
	ok(wire_clean(msg, 78, 76), "crlf only, header lines <= 78, body <= 76");
	ok(strstr(msg, "text/plain") != NULL && strstr(msg, "text/html") &&
	    strstr(msg, "text/plain") < strstr(msg, "text/html"),
	    "text/plain comes before text/html");
	ok(strstr(msg, "Content-Type: text/plain; charset=\"utf-8\"\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n") != NULL,
	    "text part is utf-8 quoted-printable");
	judge(msg, "--basic", "mailcheck --basic passes the ascii message");
	free(msg);
}

static void
test_subjects(void)
{
	static const char *subjects[] = {
		"Grüße aus Köln: Straßenbahn fährt wieder",
		"東京の天気予報と今日のニュースまとめ、そして明日の予定について",
		"Party time 🎉🎉🎉 with 🍕 and 🍺 — don't miss it 😀",
		"Mixed: café 日本 🎉 naïve façade Ελληνικά русский текст "
		    "and a long tail of words to force several encoded words "
		    "onto continuation lines in the header, 🎉 again at the end",
		"A link https://example.org/a/very/long/path/that/has/no/spaces/"
		    "whatsoever/and/keeps/going/on",
		"=?UTF-8?Q?looks_encoded?= but is literal text",
	};
	struct outgoing m = sample();
	char *err, *msg, *v, *dec, name[96];
	size_t i, longest;

	for (i = 0; i < sizeof subjects / sizeof *subjects; i++) {
		m.subject = subjects[i];
		msg = build(&m, &err);
		v = msg ? header(msg, "Subject") : NULL;
		dec = v ? ew_decode(v, &longest) : NULL;
		snprintf(name, sizeof name, "subject %zu decodes back", i);
		is_str(dec, subjects[i], name);
		snprintf(name, sizeof name, "subject %zu encoded words <= 75", i);
		ok(v != NULL && longest <= 75 && longest > 0, name);
		snprintf(name, sizeof name, "subject %zu header ascii, lines <= 78",
		    i);
		ok(msg != NULL && wire_clean(msg, 78, 76), name);
		snprintf(name, sizeof name, "mailcheck --basic passes subject %zu",
		    i);
		if (msg != NULL)
			judge(msg, "--basic", name);
		free(dec);
		free(v);
		free(msg);
		free(err);
	}
}

static void
test_long_subject(void)
{
	struct outgoing m = sample();
	struct buf s;
	char *err, *msg, *v, *dec;
	size_t longest;
	int i;

	buf_init(&s, 0);
	for (i = 0; i < 40; i++)
		buf_puts(&s, "Nachrichten über 日本 und die Welt ");
	buf_puts(&s, "Ende");
	m.subject = buf_str(&s);
	msg = build(&m, &err);
	v = msg ? header(msg, "Subject") : NULL;
	dec = v ? ew_decode(v, &longest) : NULL;
	is_str(dec, buf_str(&s), "very long subject decodes back whole");
	ok(msg != NULL && wire_clean(msg, 78, 76) && longest <= 75,
	    "very long subject is folded into short lines");
	if (msg != NULL)
		judge(msg, "--basic", "mailcheck --basic passes a very long subject");
	free(dec);
	free(v);
	free(msg);
	buf_free(&s);
}

static void
test_names(void)
{
	static const char *names[] = {
		"Müller, Jörg", "山田 太郎", "🎉 Party Crew 🎉",
		"A very long display name made only of ASCII words that goes on",
	};
	struct outgoing m = sample();
	char *err, *msg, *dec, label[80];
	size_t i;

	for (i = 0; i < sizeof names / sizeof *names; i++) {
		m.from_name = names[i];
		m.to_name = names[i];
		msg = build(&m, &err);
		dec = msg ? decoded_name(msg, "From") : NULL;
		snprintf(label, sizeof label, "from name %zu decodes back", i);
		is_str(dec, names[i], label);
		free(dec);
		dec = msg ? decoded_name(msg, "To") : NULL;
		snprintf(label, sizeof label, "to name %zu decodes back", i);
		is_str(dec, names[i], label);
		snprintf(label, sizeof label, "mailcheck --basic passes name %zu",
		    i);
		if (msg != NULL)
			judge(msg, "--basic", label);
		free(dec);
		free(msg);
	}
	m.from_name = "Smith, John \"JJ\" Jr.";
	msg = build(&m, &err);
	ok(msg != NULL && has_header_line(msg,
	    "From: \"Smith, John \\\"JJ\\\" Jr.\" <digest@example.org>\r\n"),
	    "ascii name with specials is a quoted string with escapes");
	if (msg != NULL)
		judge(msg, "--basic", "mailcheck --basic passes a quoted name");
	free(msg);
}

static void
test_injection(void)
{
	struct outgoing m = sample();
	char *err, *msg, *v, *dec;
	size_t longest;

	m.subject = "Hi\r\nBcc: victim@example.com\r\n\r\nbody";
	m.from_name = "Evil\nX-Injected: yes";
	m.to_name = "Reader\r\nCc: other@example.com";
	m.list_id = "News\r\nX-Injected: 2 <news.example.org>";
	m.list_unsubscribe = "<https://example.org/u>\r\nX-Injected: 3";
	msg = build(&m, &err);
	if (!ok(msg != NULL, "message with control characters still builds")) {
		free(err);
		return;
	}
	ok(!has_header_line(msg, "Bcc:") && !has_header_line(msg, "Cc:") &&
	    !has_header_line(msg, "X-Injected:"),
	    "cr/lf in subject, names and list headers inject no header line");
	v = header(msg, "Subject");
	dec = v ? ew_decode(v, &longest) : NULL;
	is_str(dec, "Hi Bcc: victim@example.com body",
	    "control characters in the subject became spaces");
	free(v);
	free(dec);
	dec = decoded_name(msg, "From");
	is_str(dec, "Evil X-Injected: yes", "control characters in a name became spaces");
	free(dec);
	judge(msg, "--basic", "mailcheck --basic passes the injection attempt");
	free(msg);

	m = sample();
	m.subject = "=?UTF-8?Q?x=0D=0ABcc:_victim@example.com?=";
	msg = build(&m, &err);
	v = msg ? header(msg, "Subject") : NULL;
	dec = v ? ew_decode(v, &longest) : NULL;
	is_str(dec, m.subject, "an encoded word in the input is kept literal");
	if (msg != NULL)
		judge(msg, "--basic", "mailcheck --basic finds no decoded CR/LF");
	free(v);
	free(dec);
	free(msg);
}

static void
test_bad_input(void)
{
	static const char *bad[] = {
		"two words@example.org", "user@example.org\r\nRCPT TO:<x@y.z>",
		"no-at-sign", "user@", "@example.org", "<user@example.org>",
		"user@exa mple.org", "a..b@example.org", "user@example..org",
		"",
	};
	struct outgoing m = sample();
	char *err, *msg, label[120];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		m = sample();
		m.to_addr = bad[i];
		msg = build(&m, &err);
		snprintf(label, sizeof label, "to address %zu is refused with a reason",
		    i);
		ok(msg == NULL && err != NULL && strstr(err, "To") != NULL, label);
		free(msg);
		free(err);
	}
	m = sample();
	m.from_addr = "from\taddr@example.org";
	msg = build(&m, &err);
	ok(msg == NULL && err != NULL, "from address with a tab is refused");
	free(msg);
	free(err);
	m = sample();
	m.message_id = "not an id";
	msg = build(&m, &err);
	ok(msg == NULL && err != NULL, "malformed message-id is refused");
	free(msg);
	free(err);
}

static void
test_body_round_trip(void)
{
	struct outgoing m = sample();
	struct buf text, html;
	char *err, *msg, *dec, *want;
	int i;

	buf_init(&text, 0);
	buf_puts(&text, "Trailing space \nTrailing tab\t\n.leading dot\n"
	    "From the start\n= equals = signs =\nCRLF line\r\nlone CR\r"
	    "UTF-8: café 日本語 🎉\n\n");
	for (i = 0; i < 300; i++)
		buf_puts(&text, "unbroken");
	buf_puts(&text, "\n");
	/* Enough for a long encoded line, too little for base64 to win. */
	for (i = 0; i < 25; i++)
		buf_puts(&text, "日本語");
	buf_puts(&text, "\nUnsubscribe: https://example.org/u?t=tok\n"
	    "no newline at the end ");
	buf_init(&html, 0);
	buf_puts(&html, "<html><body>\n<p style=\"color: #333\">");
	for (i = 0; i < 200; i++)
		buf_puts(&html, "<b>x</b>");
	buf_puts(&html, "</p>\n<a href=\"https://example.org/u\">unsubscribe"
	    "</a></body></html>\n");
	m.text = buf_str(&text);
	m.html = buf_str(&html);
	msg = build(&m, &err);
	if (!ok(msg != NULL, "message with long lines builds")) {
		free(err);
		goto out;
	}
	ok(wire_clean(msg, 78, 76), "quoted-printable lines are at most 76");
	dec = part_cte(msg, "text/plain");
	is_str(dec, "quoted-printable", "mostly ASCII text is quoted-printable");
	free(dec);
	dec = decoded_part(msg, "text/plain");
	want = crlf(m.text);
	ok(dec != NULL && strcmp(dec, want) == 0,
	    "text body decodes back to the input with crlf line ends");
	free(dec);
	free(want);
	dec = decoded_part(msg, "text/html");
	want = crlf(m.html);
	ok(dec != NULL && strcmp(dec, want) == 0,
	    "html body decodes back to the input with crlf line ends");
	free(dec);
	free(want);
	dec = raw_part(msg, "text/plain");
	ok(dec != NULL && strstr(dec, "\r\n.") == NULL &&
	    strstr(dec, "\r\nFrom ") == NULL,
	    "no encoded line starts with a dot or \"From \"");
	free(dec);
	judge(msg, "--basic", "mailcheck --basic passes long body lines");
	free(msg);
out:
	buf_free(&text);
	buf_free(&html);
}

static void
test_text_only(void)
{
	struct outgoing m = sample();
	char *err, *msg, *v;

	m.html = NULL;
	msg = build(&m, &err);
	v = msg ? header(msg, "Content-Type") : NULL;
	is_str(v, "text/plain; charset=\"utf-8\"",
	    "without html the message is a single text/plain part");
	free(v);
	free(msg);
}

static void
test_list_headers(void)
{
	struct outgoing m = sample();
	char *err, *msg, *v;

	m.list_id = "Tägliche Nachrichten <daily.list.example.org>";
	m.list_unsubscribe = "<https://example.org/u?t=0a1b2c3d4e5f>, "
	    "<mailto:unsubscribe@example.org?subject=0a1b2c3d4e5f>";
	m.one_click = 1;
	m.reply_to = "editor@example.org";
	msg = build(&m, &err);
	if (!ok(msg != NULL, "message with list headers builds")) {
		free(err);
		return;
	}
	ok(has_header_line(msg,
	    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
	    "one_click adds List-Unsubscribe-Post");
	v = header(msg, "List-Unsubscribe");
	is_str(v, m.list_unsubscribe, "list-unsubscribe value kept (unfolded)");
	free(v);
	v = header(msg, "List-Id");
	ok(v != NULL && strstr(v, "=?UTF-8?") == v &&
	    strstr(v, " <daily.list.example.org>") != NULL,
	    "non-ascii list name is encoded, the id kept");
	free(v);
	ok(has_header_line(msg, "Reply-To: editor@example.org\r\n"),
	    "reply-to is written when given");
	/* The only finding left is the missing DKIM signature: a warning. */
	judge(msg, "", "mailcheck with list checks passes");
	free(msg);

	m.list_id = "no angle brackets";
	msg = build(&m, &err);
	ok(msg == NULL && err != NULL, "list-id without <id> is refused");
	free(msg);
	free(err);
}

static void
test_message_id(void)
{
	char *a = mime_message_id("example.org"), *b = mime_message_id("example.org");
	size_t t = strspn(a, "0123456789"), c = strspn(a + t + 1, "0123456789");

	ok(strcmp(a, b) != 0, "two message ids differ");
	ok(strcmp(a, b) < 0, "a later message id sorts later");
	ok(t >= 10 && a[t] == '.' && c >= 6 && a[t + 1 + c] == '.' &&
	    strspn(a + t + c + 2, "0123456789ABCDEF") == 32,
	    "message id is the time, a count and random hex, dot-separated");
	ok(strlen(a) > 12 && strcmp(a + strlen(a) - 12, "@example.org") == 0,
	    "message id ends with @domain");
	free(a);
	free(b);
}

/* What a quoted-printable body must look like, line by line. */
static int
qp_wire_ok(const char *qp, const char **why)
{
	const char *p = qp, *eol;
	size_t n;

	for (; *p != '\0'; p = *eol ? eol + 2 : eol) {
		/* The last line may end the text without a line end. */
		if ((eol = strstr(p, "\r\n")) == NULL)
			eol = p + strlen(p);
		if (memchr(p, '\r', (size_t)(eol - p)) ||
		    memchr(p, '\n', (size_t)(eol - p)))
			return *why = "a bare CR or LF", 0;
		n = (size_t)(eol - p);
		if (n > 76)
			return *why = "a line over 76", 0;
		if (n > 0 && (eol[-1] == ' ' || eol[-1] == '\t'))
			return *why = "white space at a line end", 0;
		if (*p == '.' || *p == 'F')
			return *why = "a line starts with . or F", 0;
		for (; p < eol; p++)
			if (((unsigned char)*p < 32 && *p != '\t') ||
			    (unsigned char)*p > 126 ||
			    (*p == '=' && p + 1 != eol && (hexval(p[1]) < 0 ||
			    hexval(p[2]) < 0)))
				return *why = "a stray octet or =", 0;
	}
	return 1;
}

/* 1 if a soft break falls inside a UTF-8 sequence of the decoded text. */
static int
splits_sequence(const char *qp)
{
	size_t n = strlen(qp), i, k, len = 0, step;
	char *dec = xcalloc(1, n + 1), *mark = xcalloc(1, n + 1);
	int split = 0;

	for (i = 0; i < n; i++) {
		if (strncmp(qp + i, "=\r\n", 3) == 0) {
			mark[len] = 1;
			i += 2;
		} else if (qp[i] == '=' && i + 2 < n) {
			dec[len++] = (char)(hexval(qp[i + 1]) * 16 +
			    hexval(qp[i + 2]));
			i += 2;
		} else
			dec[len++] = qp[i];
	}
	for (i = 0; i < len && !split; i += step) {
		step = mime_utf8_seq((const unsigned char *)dec + i);
		step = step ? step : 1;
		for (k = 1; k < step; k++)
			split |= mark[i + k];
	}
	free(dec);
	free(mark);
	return split;
}

/* pieces random picks from piece[0..n-1], the same every run. */
static void
random_text(struct buf *b, unsigned *seed, size_t pieces,
    const char *const *piece, size_t n)
{
	size_t i;

	for (i = 0; i < pieces; i++) {
		*seed = *seed * 1103515245u + 12345u;
		buf_puts(b, piece[(*seed >> 16) % n]);
	}
}

/* Random text from pieces that stress the encoder. */
static void
stress_text(struct buf *b, unsigned *seed, size_t pieces)
{
	static const char *const piece[] = { "a", "Z", " ", "\t", ".", "F",
	    "=", "\n", "\r", "\r\n", "\xc3\xa9", "\xe6\x97\xa5",
	    "\xf0\x9f\x8e\x89", "\xff", "\xc3", "\x80", "\x01", "\x7f",
	    "From ", "  ", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz" };

	random_text(b, seed, pieces, piece, sizeof piece / sizeof *piece);
}

static void
test_qp_encoder(void)
{
	struct buf in, out;
	unsigned seed = 1;
	const char *why = "";
	char *dec, *want;
	int i, bad = 0;

	for (i = 0; i < 3000 && !bad; i++) {
		buf_init(&in, 0);
		buf_init(&out, 0);
		/* Now and then longer than one 4096-octet chunk. */
		stress_text(&in, &seed, i % 50 == 0 ? 3000 : (size_t)(i % 300));
		if (mime_qp_append(&out, buf_str(&in)) == -1)
			bad = 1, why = "append failed";
		else if (!qp_wire_ok(buf_str(&out), &why))
			bad = 1;
		else if (splits_sequence(buf_str(&out)))
			bad = 1, why = "a soft break splits a UTF-8 sequence";
		dec = qp_decode(buf_str(&out), out.len);
		want = crlf(buf_str(&in));
		if (!bad && strcmp(dec, want) != 0)
			bad = 1, why = "does not decode back";
		free(dec);
		free(want);
		buf_free(&in);
		buf_free(&out);
	}
	if (!ok(!bad, "3000 stress texts: quoted-printable that decodes back, "
	    "lines <= 76, no end white space, no leading . or F, "
	    "no split sequence"))
		tap_diag(why);
	buf_init(&out, 0);
	mime_qp_append(&out, "From here\n.dot\nend \nx");
	is_str(buf_str(&out), "=46rom here\r\n=2Edot\r\nend=20\r\nx",
	    "leading F and dot and a final space are encoded");
	buf_free(&out);
	buf_init(&out, 100);
	buf_puts(&out, "kept");
	ok(mime_qp_append(&out, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7"
	    "\xf6\xf5\xf4\xf3\xf2\xf1\xf0\xef\xee\xed\xec\xeb\xea"
	    "\xe9\xe8\xe7\xe6\xe5\xe4\xe3\xe2\xe1\xe0\xdf\xde") == -1 &&
	    strcmp(buf_str(&out), "kept") == 0,
	    "quoted-printable past the cap fails and adds nothing");
	buf_free(&out);
}

/*
 * The encoder's rules one octet at a time, the slow obvious way, for
 * comparing bytes: a literal octet goes out while the rest of its run
 * fits the line (76 when the run ends the line, 75 before a soft break
 * otherwise); anything else is =XX, a whole UTF-8 sequence on one line.
 */
static int
ref_literal(unsigned char c)
{
	return (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t';
}

static int
ref_eol(unsigned char c)
{
	return c == '\0' || c == '\r' || c == '\n';
}

/* Literal octets from s on, the white space that would end a line not. */
static size_t
ref_run(const unsigned char *s, int *eol)
{
	size_t n = 0;

	while (ref_literal(s[n]))
		n++;
	*eol = ref_eol(s[n]);
	if (*eol && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
		*eol = 0;
		n--;
	}
	return n;
}

static const unsigned char *
ref_unit(struct buf *b, const unsigned char *s, size_t *col)
{
	size_t n = mime_utf8_seq(s), i;

	n = n ? n : 1;
	if (*col + 3 * n > 76 - (ref_eol(s[n]) ? 0 : 1)) {
		buf_puts(b, "=\r\n");
		*col = 0;
	}
	for (i = 0; i < n; i++)
		buf_printf(b, "=%02X", s[i]);
	*col += 3 * n;
	return s + n;
}

static char *
ref_qp(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	struct buf b;
	size_t col = 0, run;
	int eol;

	buf_init(&b, 0);
	while (*s) {
		if (*s == '\r' || *s == '\n') {
			buf_puts(&b, "\r\n");
			s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
			col = 0;
		} else if ((col == 0 && (*s == '.' || *s == 'F')) ||
		    (run = ref_run(s, &eol)) == 0)
			s = ref_unit(&b, s, &col);
		else if ((eol && col + run <= 76) || col < 75) {
			buf_putc(&b, *s++);
			col++;
		} else {
			buf_puts(&b, "=\r\n");
			col = 0;
		}
	}
	return buf_detach(&b);
}

/* Long plain runs (the word-at-a-time path) cut by the stress pieces. */
static void
plain_text(struct buf *b, unsigned *seed, size_t pieces)
{
	static const char *const piece[] = { "Lorem ipsum dolor sit amet, ",
	    "consectetur adipiscing elit", " ", "\n", "=", "\t", "\xc3\xa9",
	    ".", "F", "x", "  \n", "<a href=\"https://example.org/1\">" };

	random_text(b, seed, pieces, piece, sizeof piece / sizeof *piece);
}

static void
test_qp_reference(void)
{
	struct buf in, out;
	unsigned seed = 7;
	char *want;
	int i, bad = -1;

	for (i = 0; i < 4000 && bad < 0; i++) {
		buf_init(&in, 0);
		buf_init(&out, 0);
		if (i % 2)
			plain_text(&in, &seed, (size_t)(i % 200));
		else
			stress_text(&in, &seed, (size_t)(i % 300));
		want = ref_qp(buf_str(&in));
		if (mime_qp_append(&out, buf_str(&in)) == -1 ||
		    strcmp(buf_str(&out), want) != 0)
			bad = i;
		free(want);
		buf_free(&in);
		buf_free(&out);
	}
	if (!ok(bad < 0, "4000 random texts: the encoder writes the bytes "
	    "of the octet-at-a-time reference"))
		tap_diag("a random text differs");
}

/* The message body as mime-body.c writes it, boundary lines included. */
static void
test_body_bytes(void)
{
	struct buf b;

	buf_init(&b, 0);
	mime_body_append(&b, "hi\n", "<p>hi</p>", "=_gzB", NULL);
	is_str(buf_str(&b), "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/alternative; boundary=\"=_gzB\"\r\n\r\n"
	    "--=_gzB\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\nhi\r\n"
	    "\r\n--=_gzB\r\nContent-Type: text/html; charset=\"utf-8\"\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>hi</p>"
	    "\r\n--=_gzB--\r\n", "multipart body, boundary lines and parts");
	buf_free(&b);
	buf_init(&b, 0);
	mime_body_append(&b, "no line end", NULL, "=_gzB", NULL);
	is_str(buf_str(&b), "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "no line end\r\n", "a lone text part gets its last line end");
	buf_free(&b);
}

/* body of text and html, with sh (NULL: nothing shared). */
static char *
body_of(const char *text, const char *html, const struct mime_shared *sh)
{
	struct buf b;

	buf_init(&b, 0);
	if (mime_body_append(&b, text, html, "=_gzB", sh) == -1)
		buf_puts(&b, "ERR");
	return buf_detach(&b);
}

/*
 * A shared piece's encoding is kept and copied into the next message:
 * the bytes are those of encoding each message whole, whatever stands
 * around the piece; a piece that does not start a line is encoded in
 * place.
 */
static void
test_shared_pieces(void)
{
	/* Long lines, "=" and a "." and "F" at the start of a line. */
	static const char sec[] = "== Desk ==\n"
	    "<a href=\"https://example.org/a?b=c\" style=\"color:#111\">A title"
	    " long enough to be cut by a soft line break somewhere</a> \n"
	    ".dot\nFrom here\n";
	struct mime_cache *c = mime_cache_new();
	struct pieces tp = { NULL, 0 }, hp = { NULL, 0 };
	struct mime_shared sh = { &tp, &hp, c };
	const char *head[] = { "Hi ann\n", "Hello, Bob Bobson\r\n", "" };
	char *text, *html, *want, *got;
	int i, same = 0;

	for (i = 0; i < 3; i++) {
		text = xasprintf("%s%s--\nBye %d\n", head[i], sec, i);
		html = xasprintf("<p>%s</p>\n%s<p>end</p>", head[i], sec);
		pieces_add(&tp, strlen(head[i]), strlen(sec), 7);
		pieces_add(&hp, strlen(head[i]) + 8, strlen(sec), 7);
		want = body_of(text, html, NULL);
		got = body_of(text, html, &sh);
		same += strcmp(want, got) == 0;
		pieces_clear(&tp);
		pieces_clear(&hp);
		free(want);
		free(got);
		free(text);
		free(html);
	}
	is_int(same, 3, "a kept piece encodes as the whole message would");
	text = xasprintf("Hi %0100d\n", 0);
	pieces_add(&tp, 3, 101, 8);
	want = body_of(text, NULL, NULL);
	got = body_of(text, NULL, &sh);
	is_str(got, want, "a piece that starts mid-line is encoded in place");
	free(want);
	free(got);
	free(text);
	pieces_clear(&tp);
	mime_cache_free(c);
}

/* RFC 4648 section 10's vectors, and one of every octet decoding back. */
static void
test_base64_encoder(void)
{
	static const char *const vec[][2] = { { "", "" }, { "f", "Zg==" },
	    { "fo", "Zm8=" }, { "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
	    { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
	unsigned char all[256];
	char out[16], big[BASE64_LEN(sizeof all) + 1], *dec;
	size_t i, n;
	int bad = 0;

	for (i = 0; i < sizeof vec / sizeof *vec; i++) {
		n = base64_encode((const unsigned char *)vec[i][0],
		    strlen(vec[i][0]), out);
		bad |= n != strlen(vec[i][1]) || memcmp(out, vec[i][1], n) != 0;
	}
	ok(!bad, "base64 encoder writes the RFC 4648 test vectors");
	for (i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(255 - i);
	n = base64_encode(all, sizeof all, big);
	big[n] = '\0';
	dec = b64_decode(big, n);
	ok(n == BASE64_LEN(sizeof all) && dec != NULL &&
	    memcmp(dec, all, sizeof all - 1) == 0,
	    "every octet value encodes and decodes back");
	free(dec);
}

/*
 * 1 if raw is base64 as RFC 2045 6.8 lays it out here: lines of exactly
 * 76 with CRLF between them, a shorter last one, only the alphabet.
 */
static int
b64_wire_ok(const char *raw, const char **why)
{
	const char *p = raw, *eol;
	size_t n, total = 0;

	for (;;) {
		if ((eol = strstr(p, "\r\n")) == NULL)
			eol = p + strlen(p);
		n = (size_t)(eol - p);
		if (strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/=") < n)
			return *why = "an octet outside the alphabet", 0;
		total += n;
		if (*eol == '\0')
			break;
		if (n != 76)
			return *why = "a line other than the last is not 76", 0;
		p = eol + 2;
	}
	if (n == 0 || n > 76 || total % 4 != 0)
		return *why = "the last line is empty, over 76 or cut", 0;
	return 1;
}

/* What the encoder's rules make of text: qp when a tie, else the shorter. */
static size_t
ref_b64_len(const char *text)
{
	char *c = crlf(text);
	size_t chars = (strlen(c) + 2) / 3 * 4;

	free(c);
	return chars == 0 ? 0 : chars + (chars - 1) / 76 * 2;
}

/*
 * Build a message of text and html, and check a part: its encoding is
 * want ("base64", "quoted-printable"), its lines are right for it, and it
 * decodes to the input with CRLF line ends.  Returns the built message.
 */
static char *
check_part(const char *text, const char *html, const char *ct,
    const char *want, const char *name)
{
	struct outgoing m = sample();
	char *err, *msg, *cte, *raw, *dec, *input, *what;
	const char *why = "";
	int good;

	m.text = text;
	m.html = html;
	if ((msg = build(&m, &err)) == NULL) {
		what = xasprintf("%s: builds", name);
		ok(0, what);
		tap_diag(err);
		free(what);
		free(err);
		return NULL;
	}
	cte = part_cte(msg, ct);
	what = xasprintf("%s: %s is %s", name, ct, want);
	is_str(cte, want, what);
	free(what);
	raw = raw_part(msg, ct);
	/* A lone part runs to the message's end, and its last CRLF. */
	if (raw != NULL && html == NULL && strlen(raw) >= 2)
		raw[strlen(raw) - 2] = '\0';
	good = raw != NULL && (strcmp(want, "base64") == 0 ?
	    b64_wire_ok(raw, &why) : qp_wire_ok(raw, &why));
	what = xasprintf("%s: %s lines are %s lines of at most 76", name, ct,
	    want);
	if (!ok(good, what))
		tap_diag(why);
	free(what);
	input = crlf(strcmp(ct, "text/plain") == 0 ? text : html);
	dec = decoded_part(msg, ct);
	what = xasprintf("%s: %s decodes back to the input", name, ct);
	ok(dec != NULL && strcmp(dec, input) == 0, what);
	free(what);
	free(dec);
	free(input);
	free(raw);
	free(cte);
	return msg;
}

/* A digest in French and German: quoted-printable is kept. */
static void
test_latin_digest(void)
{
	struct buf text, html;
	char *msg;
	int i;

	buf_init(&text, 0);
	buf_init(&html, 0);
	buf_puts(&html, "<html><body>\n");
	for (i = 0; i < 20; i++) {
		buf_printf(&text, "%d. Élections régionales : le débat télévisé "
		    "a réuni trois candidats\n   https://example.org/fr/%d\n"
		    "   Über die Brücke: Straßenbahn fährt wieder\n\n", i, i);
		buf_printf(&html, "<h3><a href=\"https://example.org/fr/%d\">"
		    "Élections régionales : le débat télévisé</a></h3>\n"
		    "<p>Über die Brücke: Straßenbahn fährt wieder.</p>\n", i);
	}
	buf_puts(&text, "Unsubscribe: https://example.org/u?t=tok\n");
	buf_puts(&html, "<p><a href=\"https://example.org/u?t=tok\">"
	    "Unsubscribe</a></p></body></html>\n");
	msg = check_part(buf_str(&text), buf_str(&html), "text/plain",
	    "quoted-printable", "latin digest");
	free(check_part(buf_str(&text), buf_str(&html), "text/html",
	    "quoted-printable", "latin digest"));
	if (msg != NULL)
		judge(msg, "--basic", "latin digest passes mailcheck --basic");
	free(msg);
	buf_free(&text);
	buf_free(&html);
}

/* A digest in Japanese, and one in Russian: base64, half the size. */
static void
test_cjk_digest(void)
{
	struct buf text, html, ru;
	char *msg, *qp;
	size_t b64;
	int i;

	buf_init(&text, 0);
	buf_init(&html, 0);
	buf_init(&ru, 0);
	buf_puts(&html, "<html><body>\n");
	for (i = 0; i < 20; i++) {
		buf_printf(&text, "%d. 東京都、来年度予算案を発表　子育て支援と防災"
		    "対策に重点を置いた過去最大の規模に\n"
		    "   https://example.jp/n/%d\n\n", i, i);
		buf_printf(&html, "<h3><a href=\"https://example.jp/n/%d\">"
		    "東京都、来年度予算案を発表</a></h3>\n<p>子育て支援と防災"
		    "対策に重点を置いた過去最大の規模となる予算案を、"
		    "都は本日発表した。都議会での審議は来月から始まる。</p>\n", i);
		buf_printf(&ru, "%d. Правительство утвердило новый бюджет на "
		    "следующий год\n   https://example.ru/n/%d\n\n", i, i);
	}
	buf_puts(&text, "Отписаться / Unsubscribe: https://example.org/u?t=tok\n");
	buf_puts(&html, "<p><a href=\"https://example.org/u?t=tok\">"
	    "配信停止</a></p></body></html>\n");
	buf_puts(&ru, "Отписаться: https://example.org/u?t=tok\n");
	msg = check_part(buf_str(&text), buf_str(&html), "text/plain",
	    "base64", "japanese digest");
	free(check_part(buf_str(&text), buf_str(&html), "text/html",
	    "base64", "japanese digest"));
	if (msg != NULL)
		judge(msg, "--basic", "japanese digest passes mailcheck --basic");
	free(msg);
	qp = ref_qp(buf_str(&text));
	b64 = ref_b64_len(buf_str(&text));
	ok(b64 < strlen(qp) * 2 / 3,
	    "japanese text: base64 is under two thirds of quoted-printable");
	free(qp);
	free(check_part(buf_str(&ru), NULL, "text/plain", "base64",
	    "russian digest"));
	buf_free(&text);
	buf_free(&html);
	buf_free(&ru);
}

/*
 * Where the two lengths meet: a tie keeps quoted-printable, base64 wins
 * by one octet.  The lengths come from the reference encoder and the
 * line arithmetic here, not from mime-body.c.
 */
static void
test_encoding_boundary(void)
{
	struct buf in;
	char *qp, *msg, *found[2] = { NULL, NULL }, *what;
	size_t i, j, q, b;
	int k;

	for (j = 1; j < 80 && (found[0] == NULL || found[1] == NULL); j++) {
		for (i = 0; i < 200; i++) {
			buf_init(&in, 0);
			for (k = 0; k < (int)j; k++)
				buf_puts(&in, "\xc3\xa9");
			for (k = 0; k < (int)i; k++)
				buf_putc(&in, k % 60 == 59 ? '\n' : 'a');
			qp = ref_qp(buf_str(&in));
			q = strlen(qp);
			b = ref_b64_len(buf_str(&in));
			free(qp);
			k = b == q ? 0 : b + 1 == q ? 1 : -1;
			if (k >= 0 && found[k] == NULL)
				found[k] = buf_detach(&in);
			buf_free(&in);
		}
	}
	for (k = 0; k < 2; k++) {
		what = xasprintf("a text where base64 is %s found",
		    k ? "one octet shorter" : "as long as quoted-printable");
		if (!ok(found[k] != NULL, what)) {
			free(what);
			continue;
		}
		free(what);
		msg = check_part(found[k], "<p>x</p>", "text/plain",
		    k ? "base64" : "quoted-printable",
		    k ? "base64 one octet shorter" : "equal lengths");
		free(msg);
		free(found[k]);
	}
}

/*
 * Random texts of every script and line end: each part decodes back,
 * has the lines of its encoding, and is the shorter one.
 */
static void
test_encoding_choice(void)
{
	/* Mostly other scripts from piece[0], mostly Latin from piece[6]. */
	static const char *const piece[] = { "\xe6\x97\xa5\xe6\x9c\xac",
	    "\xd0\x96", "\xf0\x9f\x8e\x89", "\xff", "\r", "=", "a", " ",
	    "\n", "\r\n", "\xc3\xa9", ".", "F", "Lorem ipsum ",
	    "dolor sit amet, " };
	size_t npiece = sizeof piece / sizeof *piece, from;
	struct buf in, out;
	unsigned seed = 11;
	char *raw, *cte, *dec, *want, *qp;
	const char *why = "";
	size_t len;
	int i, bad = 0, nb64 = 0;

	for (i = 0; i < 2000 && !bad; i++) {
		buf_init(&in, 0);
		buf_init(&out, 0);
		from = i % 2 ? 0 : 6;
		random_text(&in, &seed, (size_t)(i % 400), piece + from,
		    npiece - from);
		mime_body_append(&out, buf_str(&in), "<p>x</p>", "=_gzB",
		    NULL);
		raw = raw_part(buf_str(&out), "text/plain");
		cte = part_cte(buf_str(&out), "text/plain");
		dec = decoded_part(buf_str(&out), "text/plain");
		want = crlf(buf_str(&in));
		qp = ref_qp(buf_str(&in));
		len = ref_b64_len(buf_str(&in));
		len = len < strlen(qp) ? len : strlen(qp);
		if (raw == NULL || cte == NULL || dec == NULL)
			bad = 1, why = "no text/plain part";
		else if (strcmp(dec, want) != 0)
			bad = 1, why = "does not decode back";
		else if (strlen(raw) != len)
			bad = 1, why = "not the shorter encoding";
		else if (strcmp(cte, "base64") == 0 && (nb64++, 1) &&
		    *raw != '\0' && !b64_wire_ok(raw, &why))
			bad = 1;
		free(raw);
		free(cte);
		free(dec);
		free(want);
		free(qp);
		buf_free(&in);
		buf_free(&out);
	}
	if (!ok(!bad, "2000 random texts: the shorter encoding, decoding back"))
		tap_diag(why);
	if (!ok(nb64 > 100 && nb64 < 1900,
	    "the random texts took both encodings"))
		printf("#   %d of %d in base64\n", nb64, i);
}

/* Quoted-printable past the cap is no failure while base64 fits. */
static void
test_base64_under_cap(void)
{
	struct buf text, out;
	int i, rc;

	buf_init(&text, 0);
	for (i = 0; i < 3000; i++)
		buf_puts(&text, "\xe6\x97\xa5");	/* 9000 octets, 27000 as QP */
	buf_init(&out, 20000);
	rc = mime_body_append(&out, buf_str(&text), NULL, "=_gzB", NULL);
	ok(rc == 0 && strstr(buf_str(&out),
	    "Content-Transfer-Encoding: base64\r\n") != NULL,
	    "a text whose quoted-printable passes the cap goes out as base64");
	buf_free(&out);
	buf_init(&out, 8000);
	ok(mime_body_append(&out, buf_str(&text), NULL, "=_gzB", NULL) == -1,
	    "a text over the cap in both encodings fails");
	buf_free(&out);
	buf_free(&text);
}

int
main(void)
{
	if ((tmpdir = getenv("TMPDIR")) == NULL)
		tmpdir = "/tmp";
	mailcheck = find_mailcheck();
	if (mailcheck == NULL)
		tap_diag("mailcheck.py or /usr/bin/python3 absent: "
		    "its checks are skipped");
	test_ascii_message();
	test_subjects();
	test_long_subject();
	test_names();
	test_injection();
	test_bad_input();
	test_body_round_trip();
	test_text_only();
	test_list_headers();
	test_message_id();
	test_qp_encoder();
	test_qp_reference();
	test_body_bytes();
	test_shared_pieces();
	test_base64_encoder();
	test_latin_digest();
	test_cjk_digest();
	test_encoding_boundary();
	test_encoding_choice();
	test_base64_under_cap();
	free(mailcheck);
	return done_testing();
}
