/*
 * cgi.h - one CGI request, read from the values of its environment.
 *
 * Pure: the caller hands in the environment values and a body reader, so
 * the parser can be unit-tested and fuzzed.  It never touches the store,
 * never prints and never reads more than CGI_MAX_BODY bytes of body.
 */
#ifndef GZ_CGI_H
#define GZ_CGI_H

#include <stddef.h>
#include <sys/types.h>

#define CGI_MAX_QUERY	4096	/* bytes of QUERY_STRING */
#define CGI_MAX_BODY	4096	/* bytes of request body */
#define CGI_TOKEN_LEN	32	/* a subscriber token: 32 lowercase hex */

enum cgi_route {
	CGI_ROUTE_NONE = 0,		/* no such page: 404 */
	CGI_ROUTE_UNSUBSCRIBE,		/* /unsubscribe: GET, POST */
	CGI_ROUTE_CONFIRM		/* /confirm: GET */
};

/* The CGI meta-variables the parser reads; NULL when unset. */
struct cgi_env {
	const char *method;		/* REQUEST_METHOD */
	const char *path_info;		/* PATH_INFO */
	const char *script_name;	/* SCRIPT_NAME */
	const char *request_uri;	/* REQUEST_URI (non-standard, common) */
	const char *query;		/* QUERY_STRING */
	const char *content_type;	/* CONTENT_TYPE */
	const char *content_length;	/* CONTENT_LENGTH */
};

/* Read up to len bytes of body: bytes read, 0 at the end, -1 on error. */
typedef ssize_t (*cgi_read_fn)(void *ctx, char *buf, size_t len);

struct cgi_request {
	int	 status;		/* 200 to go on, else 400 404 405 413 */
	const char *allow;		/* for 405: the Allow header value */
	enum cgi_route route;
	int	 post;			/* POST rather than GET */
	int	 one_click;		/* body List-Unsubscribe=One-Click */
	char	*token;			/* well-formed token, or NULL (404) */
};

/*
 * Parse the request into req (which the caller frees with
 * cgi_request_free).  The status says what to answer when it is not 200.
 */
void	 cgi_parse(const struct cgi_env *env, cgi_read_fn rd, void *rd_ctx,
	    struct cgi_request *req);
void	 cgi_request_free(struct cgi_request *req);

/*
 * Decode len bytes of application/x-www-form-urlencoded text ('+' is a
 * space, %XX a byte).  A new string, or NULL when a % is not followed by
 * two hex digits or the result holds a NUL byte.
 */
char	*cgi_decode(const char *s, size_t len);

/*
 * The value of the first name=value pair called name in an urlencoded
 * string: 0 with *value (caller frees), 1 when absent, -1 when malformed.
 * Every pair is decoded, so a malformed one anywhere is -1.
 */
int	 cgi_param(const char *s, size_t len, const char *name, char **value);

/* The page path: PATH_INFO, else REQUEST_URI less SCRIPT_NAME and query. */
char	*cgi_path(const struct cgi_env *env);

#endif
