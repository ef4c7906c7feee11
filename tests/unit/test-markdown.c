/*
 * test-markdown.c - editors' notes: UTF-8 check, safe HTML, plain text.
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/markdown.h"
#include "tap.h"

static void
test_utf8(void)
{
	size_t bad = 99;

	ok(markdown_utf8_ok("plain", 5, &bad), "ASCII is valid UTF-8");
	ok(markdown_utf8_ok("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb0", 14,
	    &bad), "two-, three- and four-byte sequences are valid");
	ok(!markdown_utf8_ok("ab\xe9" "cd", 5, &bad) && bad == 2,
	    "a Latin-1 byte is refused at its offset");
	ok(!markdown_utf8_ok("\xc0\xaf", 2, &bad) && bad == 0,
	    "an overlong encoding is refused");
	ok(!markdown_utf8_ok("x\xed\xa0\x80", 4, &bad) && bad == 1,
	    "a UTF-16 surrogate is refused");
	ok(!markdown_utf8_ok("abc\xe2\x82", 5, &bad) && bad == 3,
	    "a sequence cut at the end is refused");
	ok(!markdown_utf8_ok("a\0b", 3, &bad) && bad == 1,
	    "a NUL byte is refused");
}

static void
test_html(void)
{
	char *h;

	h = markdown_to_html("# Hello\n\nSome *emphasis* and a "
	    "[link](https://example.org/).\n");
	ok(strstr(h, "<h1>Hello</h1>") != NULL, "a heading renders");
	ok(strstr(h, "<em>emphasis</em>") != NULL, "emphasis renders");
	ok(strstr(h, "href=\"https://example.org/\"") != NULL,
	    "a link keeps its URL");
	free(h);
	h = markdown_to_html("Hi <script>alert(1)</script>\n\n"
	    "<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))\n");
	ok(strstr(h, "<script") == NULL && strstr(h, "<img") == NULL,
	    "raw HTML tags do not survive (their text stays, inert)");
	ok(strstr(h, "onerror") == NULL, "event handlers do not survive");
	ok(strstr(h, "javascript:") == NULL, "javascript: links do not "
	    "survive");
	free(h);
	h = markdown_to_html("![A wide chart](https://x.example/wide.png)\n\n"
	    "![](https://x.example/rule.png)\n");
	ok(strstr(h, "<img src=\"https://x.example/wide.png\" alt=\"A wide "
	    "chart\" style=\"max-width:100%;height:auto\">") != NULL,
	    "an image keeps its alt text and shrinks to the mail column");
	ok(strstr(h, "rule.png\" alt=\"\" style=") != NULL,
	    "an image given an empty alt keeps it empty");
	free(h);
	h = markdown_to_html("");
	is_str(h, "", "an empty note renders as nothing");
	free(h);
}

static void
test_text(void)
{
	char *t;

	t = markdown_to_text("# Title\n\nOne *two*\nthree.\n\n- a\n- b "
	    "<b>bold</b>\n\nEnd & more\n");
	is_str(t, "Title\n\nOne two three.\n\n- a\n- b bold\n\nEnd & more",
	    "blocks become lines, list items keep a dash, markup goes");
	free(t);
}

int
main(void)
{
	test_utf8();
	test_html();
	test_text();
	return done_testing();
}
