/* test-address.c - what subscriber addresses gazette accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void
why_is(const char *in, const char *want, const char *name)
{
	const char *why = NULL;
	char *got = address_normalize(in, &why);

	is_str(why, want, name);
	free(got);
}

/* A reason that is not one of address.c's own (they all start "the"). */
static int
why_has(const char *in)
{
	const char *why = NULL;
	char *got = address_normalize(in, &why);
	int r = got == NULL && why != NULL && strncmp(why, "the ", 4) != 0;

	free(got);
	return r;
}

int
main(void)
{
	good("alice@example.org", "alice@example.org");
	good("  Alice@Example.ORG ", "Alice@example.org");
	good("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk");
	good("\"odd person\"@example.org", "\"odd person\"@example.org");
	good("user@bücher.example", "user@xn--bcher-kva.example");
	good("USER@Bücher.Example", "USER@xn--bcher-kva.example");
	good("user@XN--BCHER-KVA.example", "user@xn--bcher-kva.example");
	good("a@B\xc3\xbc\x63her.example", "a@xn--bcher-kva.example");
	good("a@bu\xcc\x88" "cher.example", "a@xn--bcher-kva.example");
	good("a@faß.de", "a@xn--fa-hia.de");
	good("a@例え.テスト", "a@xn--r8jz45g.xn--zckzah");
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
	bad("a@-bad-.com", "a label starting and ending with a hyphen");
	bad("a@xn--zz.example", "an A-label that decodes to nothing valid");
	bad("a@bü_cher.example", "an internationalized domain with an underscore");
	bad("a@\xe2\x80\x8b.example", "a domain of a zero-width space");
	why_is("ü@example.org", "the part before @ has non-ASCII characters "
	    "(that needs SMTPUTF8, not supported)",
	    "a non-ASCII local part is refused as needing SMTPUTF8");
	ok(why_has("a@xn--zz.example"), "an invalid A-label is refused with "
	    "libidn2's reason");
	is_str(address_domain("a@example.org"), "example.org", "domain of an address");
	return done_testing();
}
