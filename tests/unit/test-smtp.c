/* test-smtp.c - what goes on the wire after DATA: dot-stuffing, line ends,
 * the closing dot, and a writer that fails part way. */
#include <string.h>

#include "buf.h"
#include "smtp.h"
#include "tap.h"

/* The writer: appends to a buffer, or fails once budget calls are used. */
struct sink {
	struct buf out;
	int	 calls, budget;
};

static int
put(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	if (k->budget >= 0 && k->calls++ >= k->budget)
		return -1;
	return buf_append(&k->out, s, n);
}

/* The wire form of msg, as a new string in k (freed by the caller). */
static const char *
wire(struct sink *k, const char *msg)
{
	buf_init(&k->out, 0);
	k->calls = 0;
	k->budget = -1;
	if (smtp_data_encode(msg, strlen(msg), put, k) == -1)
		return "(failed)";
	return buf_str(&k->out);
}

int
main(void)
{
	struct sink k;
	int rc;

	is_str(wire(&k, "a\r\nb\r\n"), "a\r\nb\r\n.\r\n",
	    "CRLF text goes as it is, then the closing dot");
	buf_free(&k.out);
	is_str(wire(&k, ".a\r\n..b\r\nc.\r\n.\r\n"),
	    "..a\r\n...b\r\nc.\r\n..\r\n.\r\n",
	    "every line that starts with a dot gets another, the first too");
	buf_free(&k.out);
	is_str(wire(&k, "a\nb\r\n.c\n"), "a\r\nb\r\n..c\r\n.\r\n",
	    "a bare LF goes as CRLF, a dot after it is stuffed");
	buf_free(&k.out);
	is_str(wire(&k, "\n.\n"), "\r\n..\r\n.\r\n",
	    "a message that starts with a bare LF");
	buf_free(&k.out);
	is_str(wire(&k, "no end"), "no end\r\n.\r\n",
	    "a last line without its end gets CRLF before the dot");
	buf_free(&k.out);
	is_str(wire(&k, ""), ".\r\n", "an empty message is the closing dot");
	buf_free(&k.out);

	buf_init(&k.out, 0);
	k.calls = 0;
	k.budget = 1;
	rc = smtp_data_encode(".x\r\n.y\r\n", 8, put, &k);
	ok(rc == -1, "a writer that fails part way fails the whole");
	buf_free(&k.out);
	return done_testing();
}
