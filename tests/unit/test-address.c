/* test-address.c - what subscriber addresses gazette accepts. */
#include <stdlib.h>

#include "address.h"
#include "tap.h"

static void
good(const char *in, const char *want)
{
	const char *why = NULL;
	char *got = address_normalize(in, &why);
	char name[200];

	snprintf(name, sizeof name, "accepts '%s'", in);
	is_str(got, want, name);
	free(got);
}

static void
bad(const char *in, const char *label)
{
	const char *why = NULL;
	char *got = address_normalize(in, &why);
	char name[200];

	snprintf(name, sizeof name, "refuses %s, with a reason", label);
	ok(got == NULL && why != NULL, name);
	free(got);
}

int
main(void)
{
	good("alice@example.org", "alice@example.org");
	good("  Alice@Example.ORG ", "Alice@example.org");
	good("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk");
	good("\"odd person\"@example.org", "\"odd person\"@example.org");
	good("user@bücher.example", "user@bücher.example");
	good("x@[192.0.2.1]", "x@[192.0.2.1]");
	bad("", "an empty address");
	bad("no-at-sign", "an address without @");
	bad("a@b", "a domain without a dot");
	bad(".a@example.org", "a leading dot");
	bad("a..b@example.org", "two dots in a row");
	bad("a b@example.org", "an unquoted space");
	bad("a@example.org\r\nBcc: x@y.z", "CR LF (header injection)");
	bad("a@-example.org", "a label starting with a hyphen");
	bad("a@example..org", "an empty label");
	bad("a@example.org.", "a trailing dot");
	bad("\"unclosed@example.org", "unbalanced quotes");
	bad("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org",
	    "a 65-character local part");
	bad("a@\xff\xfe.org", "invalid UTF-8");
	bad("ü@example.org", "a non-ASCII local part");
	is_str(address_domain("a@example.org"), "example.org", "domain of an address");
	return done_testing();
}
