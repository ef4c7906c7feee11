/*
 * url.h - URL helpers on libcurl's URL API (CURLU).
 */
#ifndef GZ_URL_H
#define GZ_URL_H

/*
 * Resolve ref against base.  Either may be NULL.  Returns a new absolute URL,
 * or NULL when no absolute URL results (ref relative and base NULL, or
 * either malformed).
 */
char	*url_resolve(const char *base, const char *ref);
/* 1 when url is an absolute http:// or https:// URL with a host, else 0. */
int	 url_is_http(const char *url);
/* The lower-cased scheme of url ("http", "javascript", ...) or NULL. */
char	*url_scheme(const char *url);
/*
 * url as a browser reads an attribute value: leading and trailing spaces
 * and control characters gone, tabs and newlines inside removed.  New string.
 */
char	*url_trim(const char *url);
/*
 * 1 when url (trimmed) is an http or https URL that url_resolve would
 * hand back as it is, without a look at curl's parse: most feed links.
 */
int	 url_is_plain_http(const char *url);


/* A URL in parts, user and path URL-decoded; port 0 when not given. */
struct url_parts {
	char	*scheme, *user, *host, *path;
	int	 port;
};
/* Split url (any scheme): 0, or -1 when it is no URL with a host. */
int	 url_split(const char *url, struct url_parts *p);
void	 url_parts_free(struct url_parts *p);

#endif
