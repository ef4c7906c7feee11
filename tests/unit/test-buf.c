/* test-buf.c - capped buffers: growth, the cap, detach. */
#include <string.h>

#include "buf.h"
#include "tap.h"

int
main(void)
{
	struct buf b;
	char *s;
	int i, rc = 0;

	buf_init(&b, 16);
	is_str(buf_str(&b), "", "an empty buffer reads as the empty string");
	ok(buf_puts(&b, "hello, ") == 0, "append within the cap succeeds");
	ok(buf_printf(&b, "%s%d", "w", 42) == 0, "printf appends");
	is_str(buf_str(&b), "hello, w42", "appends accumulate in order");
	ok(buf_puts(&b, "1234567") == -1, "append past the cap fails");
	is_str(buf_str(&b), "hello, w42", "a failed append leaves the buffer as it was");
	ok(buf_puts(&b, "123456") == 0, "append up to exactly the cap succeeds");
	is_int((long long)b.len, 16, "length counts the bytes");
	buf_truncate(&b, 5);
	is_str(buf_str(&b), "hello", "truncate shortens");
	s = buf_detach(&b);
	is_str(s, "hello", "detach hands over the string");
	is_str(buf_str(&b), "", "detach resets the buffer");
	free(s);

	buf_init(&b, 0);
	for (i = 0; i < 100000 && rc == 0; i++)
		rc = buf_putc(&b, 'x');
	ok(rc == 0 && b.len == 100000, "a default buffer grows to 100000 bytes");
	ok(buf_append(&b, "", (size_t)-1) == -1, "a huge append fails without overflow");
	buf_free(&b);
	return done_testing();
}
