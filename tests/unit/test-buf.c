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

	buf_init(&b, 8);
	buf_puts(&b, "ab");
	s = buf_reserve(&b, 7);
	ok(s != NULL, "reserving room past the cap is allowed");
	memcpy(s, "cdefghi", 7);
	ok(buf_commit(&b, 7) == -1, "committing past the cap fails");
	is_str(buf_str(&b), "ab", "a failed commit leaves the buffer as it was");
	s = buf_reserve(&b, 6);
	memcpy(s, "cdefgh", 6);
	ok(buf_commit(&b, 6) == 0, "committing up to the cap succeeds");
	is_str(buf_str(&b), "abcdefgh", "committed bytes read back, terminated");
	ok(buf_reserve(&b, 9) == NULL, "reserving more than the cap fails");
	buf_free(&b);

	/* Room reserved in advance, nothing written: still an empty string. */
	buf_init(&b, 0);
	buf_reserve(&b, 4096);
	memset(b.data, 'x', 4096);	/* leave the memory dirty for reuse */
	buf_free(&b);
	buf_init(&b, 0);
	ok(buf_reserve(&b, 4096) != NULL, "room reserved in an empty buffer");
	s = buf_detach(&b);
	is_str(s, "", "a buffer only reserved into detaches as \"\"");
	free(s);

	buf_init(&b, 0);
	for (i = 0; i < 100000 && rc == 0; i++)
		rc = buf_putc(&b, 'x');
	ok(rc == 0 && b.len == 100000, "a default buffer grows to 100000 bytes");
	ok(buf_append(&b, "", (size_t)-1) == -1, "a huge append fails without overflow");
	buf_free(&b);
	return done_testing();
}
