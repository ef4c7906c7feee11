/*
 * test-cgi.c - the CGI request parser: decoding, caps, routes, methods.
 */
#include <stdlib.h>
#include <string.h>

#include "cgi.h"
#include "tap.h"

#define TOK "0123456789abcdef0123456789abcdef"

struct body {
	const char *data;
	size_t	 off;
	size_t	 reads;
};

static ssize_t
read_body(void *ctx, char *buf, size_t len)
{
	struct body *b = ctx;
	size_t left = strlen(b->data) - b->off;

	b->reads++;
	if (len > left)
		len = left;
	if (len > 3)
		len = 3;	/* short reads, as a pipe may give them */
	memcpy(buf, b->data + b->off, len);
	b->off += len;
	return (ssize_t)len;
}

/* Parse a request and return its status; *req kept for more checks. */
static int
parse(const char *method, const char *path, const char *query,
    const char *ctype, const char *body, struct cgi_request *req)
{
	struct cgi_env env = { 0 };
	struct body b = { body ? body : "", 0, 0 };
	char len[32];

	env.method = method;
	env.path_info = path;
	env.query = query;
	env.content_type = ctype;
	if (body) {
		snprintf(len, sizeof len, "%zu", strlen(body));
		env.content_length = len;
	}
	cgi_parse(&env, read_body, &b, req);
	return req->status;
}

static void
test_decode(void)
{
	char *s;

	s = cgi_decode("a+b%20c%2Fd", 11);
	is_str(s, "a b c/d", "+ and %XX decode to space and bytes");
	free(s);
	s = cgi_decode("%e2%82%AC", 9);
	is_str(s, "\xe2\x82\xac", "hex digits of either case decode");
	free(s);
	ok(cgi_decode("abc%2", 5) == NULL, "a truncated %X is malformed");
	ok(cgi_decode("%zz", 3) == NULL, "a % without hex digits is malformed");
	ok(cgi_decode("a%00b", 5) == NULL, "an encoded NUL is refused");
	s = cgi_decode("abcdef", 3);
	is_str(s, "abc", "decoding stops at len, not at the NUL");
	free(s);
}

static void
test_param(void)
{
	char *v = NULL;
	const char *q = "x=1&t=abc&t=second&empty";

	is_int(cgi_param(q, strlen(q), "t", &v), 0, "a present name is found");
	is_str(v, "abc", "the first of repeated names wins");
	free(v);
	is_int(cgi_param(q, strlen(q), "empty", &v), 0, "a bare name is found");
	is_str(v, "", "a bare name has the empty value");
	free(v);
	is_int(cgi_param(q, strlen(q), "nope", &v), 1, "a missing name is 1");
	ok(v == NULL, "and gives no value");
	is_int(cgi_param("t=ok&x=%g0", 10, "t", &v), -1,
	    "a malformed pair anywhere makes the query malformed");
	ok(v == NULL, "and no value leaks out");
	is_int(cgi_param("", 0, "t", &v), 1, "an empty query has no names");
}

static void
test_path(void)
{
	struct cgi_env env = { 0 };
	char *p;

	env.request_uri = "/gazette/confirm?t=x";
	env.script_name = "/gazette";
	p = cgi_path(&env);
	is_str(p, "/confirm", "without PATH_INFO the path is the URI less "
	    "SCRIPT_NAME and query");
	free(p);
	env.path_info = "/unsubscribe";
	p = cgi_path(&env);
	is_str(p, "/unsubscribe", "PATH_INFO wins when set");
	free(p);
}

static void
test_routes(void)
{
	struct cgi_request r;

	is_int(parse("GET", "/unsubscribe", "t=" TOK, NULL, NULL, &r), 200,
	    "GET /unsubscribe with a token is served");
	ok(r.route == CGI_ROUTE_UNSUBSCRIBE && !r.post, "as the unsubscribe "
	    "page, not a POST");
	is_str(r.token, TOK, "the token is handed on");
	cgi_request_free(&r);
	is_int(parse("GET", "/confirm", "t=" TOK, NULL, NULL, &r), 200,
	    "GET /confirm is served");
	ok(r.route == CGI_ROUTE_CONFIRM, "as the confirm page");
	cgi_request_free(&r);
	is_int(parse("GET", "/admin", "t=" TOK, NULL, NULL, &r), 404,
	    "another path is 404");
	cgi_request_free(&r);
	is_int(parse("GET", "/unsubscribe/", "t=" TOK, NULL, NULL, &r), 404,
	    "a trailing slash is another path");
	cgi_request_free(&r);
	is_int(parse("DELETE", "/unsubscribe", "t=" TOK, NULL, NULL, &r), 405,
	    "DELETE is 405");
	is_str(r.allow, "GET, POST", "with Allow naming GET and POST");
	cgi_request_free(&r);
	is_int(parse("POST", "/confirm", "t=" TOK, NULL, "", &r), 405,
	    "POST /confirm is 405");
	is_str(r.allow, "GET", "with Allow: GET");
	cgi_request_free(&r);
	is_int(parse("GET", "/unsubscribe", "t=DEADBEEF", NULL, NULL, &r), 404,
	    "a token that is not 32 lowercase hex is 404");
	ok(r.token == NULL, "and is not handed on");
	cgi_request_free(&r);
	is_int(parse("GET", "/unsubscribe", NULL, NULL, NULL, &r), 404,
	    "no token is 404");
	cgi_request_free(&r);
	is_int(parse("GET", "/unsubscribe", "t=%4", NULL, NULL, &r), 400,
	    "malformed percent-encoding is 400");
	cgi_request_free(&r);
}

static void
test_post(void)
{
	static const char form[] = "application/x-www-form-urlencoded";
	struct cgi_request r;
	char *big;

	is_int(parse("POST", "/unsubscribe", "t=" TOK, form,
	    "List-Unsubscribe=One-Click", &r), 200,
	    "an RFC 8058 one-click POST is served");
	ok(r.post && r.one_click, "as a one-click POST");
	is_str(r.token, TOK, "with the token from the query");
	cgi_request_free(&r);
	is_int(parse("POST", "/unsubscribe", NULL, form, "t=" TOK, &r), 200,
	    "a token in a form body is taken");
	ok(r.post && !r.one_click, "as a plain POST");
	cgi_request_free(&r);
	is_int(parse("POST", "/unsubscribe", "t=" TOK, form, "a=%q1", &r), 400,
	    "a malformed body is 400");
	cgi_request_free(&r);
	big = malloc(CGI_MAX_BODY + 2);
	memset(big, 'a', CGI_MAX_BODY + 1);
	big[CGI_MAX_BODY + 1] = '\0';
	is_int(parse("POST", "/unsubscribe", "t=" TOK, form, big, &r), 413,
	    "a body over the cap is 413");
	cgi_request_free(&r);
	is_int(parse("GET", "/unsubscribe", big, NULL, NULL, &r), 413,
	    "a query over the cap is 413");
	cgi_request_free(&r);
	free(big);
	{
		struct cgi_env env = { "POST", "/unsubscribe", NULL, NULL,
		    "t=" TOK, form, "12x" };
		cgi_parse(&env, read_body, NULL, &r);
		is_int(r.status, 400, "a malformed Content-Length is 400");
		cgi_request_free(&r);
	}
	{
		struct body b = { "List", 0, 0 };
		struct cgi_env env = { "POST", "/unsubscribe", NULL, NULL,
		    "t=" TOK, form, "26" };
		cgi_parse(&env, read_body, &b, &r);
		is_int(r.status, 400, "a body shorter than its length is 400");
		cgi_request_free(&r);
	}
}

int
main(void)
{
	test_decode();
	test_param();
	test_path();
	test_routes();
	test_post();
	return done_testing();
}
