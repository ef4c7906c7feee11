/*
 * address.c - syntax checks for subscriber addresses (RFC 5321 4.1.2 and
 * 4.5.3.1, RFC 5322 3.4.1).  Must never accept anything that could break
 * a header or an SMTP command: no controls, no CR/LF, no unquoted spaces.
 *
 * An internationalized domain is stored as its A-label (xn--) form, made
 * by libidn2 (IDNA2008 with the UTS #46 mapping): every SMTP server can
 * deliver to it, and the same domain typed either way is one address.  A
 * non-ASCII local part would need SMTPUTF8 end to end, which gazette does
 * not speak, so it is refused.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "address.h"
#include "xmalloc.h"

#define LOCAL_MAX	64	/* RFC 5321 4.5.3.1.1 */
#define DOMAIN_MAX	255	/* RFC 5321 4.5.3.1.2 */
#define PATH_MAX_LEN	254	/* forward-path 256 minus the angle brackets */
#define LABEL_MAX	63

static int
is_atext(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static const char *
check_dot_atom(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return "the part before @ is empty";
	if (s[0] == '.' || s[n - 1] == '.')
		return "the part before @ starts or ends with a dot";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && s[i + 1] == '.')
			return "the part before @ has two dots in a row";
		if (c >= 0x80)
			return "the part before @ has non-ASCII characters (that needs SMTPUTF8, not supported)";
		if (c != '.' && !is_atext(c))
			return "the part before @ has a character that needs quoting";
	}
	return NULL;
}

static const char *
check_quoted(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[n - 1] != '"')
		return "unbalanced quotes before @";
	for (i = 1; i < n - 1; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\') {
			if (++i >= n - 1)
				return "a backslash ends the quoted part";
			c = (unsigned char)s[i];
		} else if (c == '"')
			return "a quote inside the quoted part";
		if (c < 0x20 || c >= 0x7f)
			return "the quoted part has a control or non-ASCII character";
	}
	return NULL;
}

/* One DNS label: LDH (an internationalized one is an A-label by now). */
static const char *
check_label(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return "the domain has an empty label";
	if (n > LABEL_MAX)
		return "a domain label is longer than 63 characters";
	if (s[0] == '-' || s[n - 1] == '-')
		return "a domain label starts or ends with a hyphen";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((!isalnum(c) && c != '-') || c >= 0x80)
			return "the domain has a character that is not allowed";
	}
	return NULL;
}

static const char *
check_domain(const char *s, size_t n)
{
	const char *dot, *why;
	size_t len;

	if (n == 0)
		return "the domain is empty";
	if (n > DOMAIN_MAX)
		return "the domain is longer than 255 characters";
	if (s[0] == '[')
		return s[n - 1] == ']' && n > 2 ? NULL
		    : "the address literal is not closed";
	if (memchr(s, '.', n) == NULL)
		return "the domain has no dot";
	while (n > 0) {
		dot = memchr(s, '.', n);
		len = dot ? (size_t)(dot - s) : n;
		if ((why = check_label(s, len)) != NULL)
			return why;
		if (dot == NULL)
			break;
		s += len + 1;
		n -= len + 1;
		if (n == 0)
			return "the domain ends with a dot";
	}
	return NULL;
}

static const char *
check_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int extra = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1
		    : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;

		if (*p < 0x20 || *p == 0x7f)
			return "the address contains a control character";
		if (extra < 0)
			return "the address is not valid UTF-8";
		for (p++; extra > 0; extra--, p++)
			if ((*p & 0xc0) != 0x80)
				return "the address is not valid UTF-8";
	}
	return NULL;
}

/* Whether libidn2 must see the domain: UTF-8, or an A-label to check. */
static int
needs_idna(const char *d)
{
	const char *p;

	if (*d == '[')
		return 0;
	for (p = d; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return 1;
	for (p = d; p != NULL; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (strncasecmp(p, "xn--", 4) == 0)
			return 1;
	}
	return 0;
}

/*
 * The address with its domain lower-cased and, when internationalized, in
 * A-label form: a new string, or NULL with *why from libidn2.
 */
static char *
ascii_domain(const char *addr, const char *at, const char **why)
{
	char *ascii = NULL, *out, *p;
	int rc;

	if (!needs_idna(at + 1))
		out = xstrdup(addr);
	else if ((rc = idn2_to_ascii_8z(at + 1, &ascii, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL)) != IDN2_OK) {
		*why = idn2_strerror(rc);
		return NULL;
	} else {
		out = xasprintf("%.*s@%s", (int)(at - addr), addr, ascii);
		idn2_free(ascii);
	}
	for (p = strrchr(out, '@') + 1; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static const char *
check_local(const char *s, size_t n)
{
	if (n > LOCAL_MAX)
		return "the part before @ is longer than 64 characters";
	if (s[0] == '"')
		return check_quoted(s, n);
	return check_dot_atom(s, n);
}

/* The whole address once its domain is ASCII. */
static const char *
check_ascii(const char *addr)
{
	const char *at = strrchr(addr, '@');

	if (strlen(addr) > PATH_MAX_LEN)
		return "the address is longer than 254 characters";
	return check_domain(at + 1, strlen(at + 1));
}

char *
address_normalize(const char *addr, const char **why)
{
	const char *start = addr, *at = NULL;
	size_t n;
	char *in, *out = NULL;

	while (*start == ' ' || *start == '\t')
		start++;
	n = strlen(start);
	while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
		n--;
	in = xstrndup(start, n);
	*why = check_utf8(in);
	if (*why == NULL && n == 0)
		*why = "the address is empty";
	if (*why == NULL && n > 4 * PATH_MAX_LEN)
		*why = "the address is longer than 254 characters";
	if (*why == NULL && (at = strrchr(in, '@')) == NULL)
		*why = "the address has no @";
	if (*why == NULL)
		*why = check_local(in, (size_t)(at - in));
	if (*why == NULL && at[1] == '\0')
		*why = "the domain is empty";
	if (*why == NULL && (out = ascii_domain(in, at, why)) != NULL &&
	    (*why = check_ascii(out)) != NULL) {
		free(out);
		out = NULL;
	}
	free(in);
	return out;
}

const char *
address_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at && at[1] ? at + 1 : NULL;
}
