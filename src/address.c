/*
 * address.c - syntax checks for subscriber addresses (RFC 5321 4.1.2 and
 * 4.5.3.1, RFC 5322 3.4.1).  Must never accept anything that could break
 * a header or an SMTP command: no controls, no CR/LF, no unquoted spaces.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
			return "the part before @ has non-ASCII characters";
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

/* One DNS label: LDH, or UTF-8 (an internationalized label). */
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

		if (!isalnum(c) && c != '-' && c < 0x80)
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

char *
address_normalize(const char *addr, const char **why)
{
	const char *start = addr, *at = NULL;
	size_t n, local;
	char *out, *p;

	while (*start == ' ' || *start == '\t')
		start++;
	n = strlen(start);
	while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
		n--;
	out = xstrndup(start, n);
	*why = check_utf8(out);
	if (*why == NULL && n == 0)
		*why = "the address is empty";
	if (*why == NULL && n > PATH_MAX_LEN)
		*why = "the address is longer than 254 characters";
	if (*why == NULL && (at = strrchr(out, '@')) == NULL)
		*why = "the address has no @";
	if (*why == NULL) {
		local = (size_t)(at - out);
		if (local > LOCAL_MAX)
			*why = "the part before @ is longer than 64 characters";
		else if (out[0] == '"')
			*why = check_quoted(out, local);
		else
			*why = check_dot_atom(out, local);
		if (*why == NULL)
			*why = check_domain(at + 1, strlen(at + 1));
	}
	if (*why != NULL) {
		free(out);
		return NULL;
	}
	for (p = strrchr(out, '@') + 1; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

const char *
address_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at && at[1] ? at + 1 : NULL;
}
