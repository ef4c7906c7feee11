/*
 * url.c - resolving and inspecting URLs with libcurl's URL API.
 *
 * Feeds hand us relative links, protocol-relative links, links with spaces
 * and links in schemes curl does not speak (mailto:, magnet:).  This module
 * turns them into absolute URLs or says it cannot.  It never fetches
 * anything and never decides what is safe to show: html.c does that.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "url.h"
#include "xmalloc.h"

/* Schemes curl does not know are still URLs we may want to pass on. */
#define PARSE_FLAGS (CURLU_NON_SUPPORT_SCHEME)

char *
url_trim(const char *s)
{
	const char *end;
	char *out, *o;

	while (*s != '\0' && (unsigned char)*s <= 0x20)
		s++;
	end = s + strlen(s);
	while (end > s && (unsigned char)end[-1] <= 0x20)
		end--;
	out = o = xmalloc(end - s + 1);
	for (; s < end; s++) {
		if (*s != '\t' && *s != '\n' && *s != '\r')
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* Length of the scheme at the start of s (RFC 3986 3.1), 0 when none. */
static size_t
scheme_len(const char *s)
{
	size_t n;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	for (n = 1; s[n] != '\0'; n++) {
		if (s[n] == ':')
			return n;
		if (!isalnum((unsigned char)s[n]) && s[n] != '+' &&
		    s[n] != '-' && s[n] != '.')
			return 0;
	}
	return 0;
}

char *
url_scheme(const char *url)
{
	char *clean, *scheme = NULL;
	size_t n, i;

	if (url == NULL)
		return NULL;
	clean = url_trim(url);
	if ((n = scheme_len(clean)) != 0) {
		scheme = xstrndup(clean, n);
		for (i = 0; i < n; i++)
			scheme[i] = tolower((unsigned char)scheme[i]);
	}
	free(clean);
	return scheme;
}

/* One part of h (with curl's flags) as our own string; NULL when absent. */
static char *
part_of(CURLU *h, CURLUPart what, unsigned int flags)
{
	char *v = NULL, *out;

	if (curl_url_get(h, what, &v, flags) != CURLUE_OK)
		return NULL;
	out = xstrdup(v);
	curl_free(v);
	return out;
}

/* curl's rendering of h's whole URL as our own string, or NULL. */
static char *
handle_url(CURLU *h)
{
	return part_of(h, CURLUPART_URL, 0);
}

/* Length of the lower-case host name at s (letters, digits, "-", "."). */
static size_t
plain_host_len(const char *s)
{
	size_t n;

	for (n = 0; islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
	    s[n] == '-' || (s[n] == '.' && n > 0 && s[n - 1] != '.'); n++)
		;
	return n > 0 && s[n - 1] != '.' ? n : 0;
}

/* Whether the path and query at s are as curl writes them back. */
static int
plain_path(const char *s)
{
	const char *query = NULL;

	if (*s != '/')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '?') {
			if (query != NULL || s[1] == '\0')
				return 0;
			query = s;
		} else if (!isalnum((unsigned char)*s) &&
		    strchr("-._~/=&+,;:@!$*", *s) == NULL)
			return 0;
		/* No dot segment and no empty one: curl would rewrite them. */
		if (query == NULL && *s == '/' && (s[1] == '.' || s[1] == '/'))
			return 0;
	}
	return 1;
}

/*
 * Whether curl would hand ref back unchanged: http or https in lower case,
 * a plain lower-case host with no port or user, then a path and query of
 * unreserved characters and sub-delimiters, without dot segments, percent
 * escapes or a fragment.  Most links in feeds read so, and curl's parse is
 * the dearest part of sanitizing them.
 */
int
url_is_plain_http(const char *ref)
{
	size_t n;

	if (strncmp(ref, "https://", 8) == 0)
		ref += 8;
	else if (strncmp(ref, "http://", 7) == 0)
		ref += 7;
	else
		return 0;
	return (n = plain_host_len(ref)) != 0 && plain_path(ref + n);
}

/* An absolute ref on its own: normalized by curl, or as written if opaque. */
static char *
absolute(const char *ref, size_t slen)
{
	CURLU *h;
	char *out = NULL;

	if (url_is_plain_http(ref))
		return xstrdup(ref);
	if ((h = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, ref, PARSE_FLAGS) == CURLUE_OK)
		out = handle_url(h);
	else if (strncmp(ref + slen + 1, "//", 2) != 0)
		out = xstrdup(ref);	/* mailto:, magnet:, urn:, tel: */
	curl_url_cleanup(h);
	return out;
}

/*
 * curl 7.88 resolves "" and "#frag" against the base's directory, not the
 * base document (RFC 3986 5.2.2 keeps the path), so those two are done here.
 */
static char *
same_document(CURLU *h, const char *ref)
{
	char *base, *out;

	curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
	if ((base = handle_url(h)) == NULL)
		return NULL;
	out = xasprintf("%s%s", base, ref);
	free(base);
	return out;
}

static char *
relative(const char *base, const char *ref)
{
	CURLU *h;
	char *out = NULL;

	if ((h = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, base, PARSE_FLAGS) != CURLUE_OK)
		goto done;
	if (*ref == '\0' || *ref == '#')
		out = same_document(h, ref);
	else if (curl_url_set(h, CURLUPART_URL, ref, PARSE_FLAGS) == CURLUE_OK)
		out = handle_url(h);
done:
	curl_url_cleanup(h);
	return out;
}

char *
url_resolve(const char *base, const char *ref)
{
	char *clean, *cbase, *out;
	size_t n;

	if (ref == NULL) {
		if (base == NULL)
			return NULL;
		return url_resolve(NULL, base);
	}
	clean = url_trim(ref);
	cbase = base != NULL ? url_trim(base) : NULL;
	if ((n = scheme_len(clean)) != 0)
		out = absolute(clean, n);
	else if (cbase != NULL && scheme_len(cbase) != 0)
		out = relative(cbase, clean);
	else
		out = NULL;
	free(cbase);
	free(clean);
	return out;
}

int
url_is_http(const char *url)
{
	CURLU *h;
	char *scheme, *host = NULL;
	int yes = 0;

	if ((scheme = url_scheme(url)) == NULL)
		return 0;
	if ((strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) &&
	    strncmp(strchr(url, ':') + 1, "//", 2) == 0 &&
	    (h = curl_url()) != NULL) {
		if (curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
		    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK)
			yes = host[0] != '\0';
		curl_free(host);
		curl_url_cleanup(h);
	}
	free(scheme);
	return yes;
}

int
url_split(const char *url, struct url_parts *p)
{
	CURLU *h = curl_url();
	char *port;

	memset(p, 0, sizeof *p);
	if (h == NULL || curl_url_set(h, CURLUPART_URL, url,
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(h);
		return -1;
	}
	p->scheme = part_of(h, CURLUPART_SCHEME, CURLU_URLDECODE);
	p->user = part_of(h, CURLUPART_USER, CURLU_URLDECODE);
	p->host = part_of(h, CURLUPART_HOST, CURLU_URLDECODE);
	p->path = part_of(h, CURLUPART_PATH, CURLU_URLDECODE);
	if ((port = part_of(h, CURLUPART_PORT, 0)) != NULL)
		p->port = atoi(port);
	free(port);
	curl_url_cleanup(h);
	return p->scheme != NULL && p->host != NULL ? 0 : -1;
}

void
url_parts_free(struct url_parts *p)
{
	free(p->scheme);
	free(p->user);
	free(p->host);
	free(p->path);
	memset(p, 0, sizeof *p);
}
