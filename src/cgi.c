/*
 * cgi.c - parse one CGI request for the unsubscribe and confirm pages.
 *
 * Everything arrives as parameters (see cgi.h), so this file never reads
 * the environment, stdin or the store, and never prints.  Sizes are capped
 * before anything is copied: a request larger than the caps is refused
 * with 413, not truncated.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cgi.h"
#include "xmalloc.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
cgi_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			out[n++] = ' ';
		else if (s[i] != '%')
			out[n++] = s[i];
		else {
			if (len - i < 3)
				goto bad;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			out[n++] = (char)(hi * 16 + lo);
			i += 2;
		}
		if (out[n - 1] == '\0')
			goto bad;
	}
	out[n] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

int
cgi_param(const char *s, size_t len, const char *name, char **value)
{
	const char *p = s, *end = s + len, *amp, *eq;
	char *key, *val;
	int found = 1;

	*value = NULL;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		key = cgi_decode(p, (size_t)(eq - p));
		val = eq < amp ? cgi_decode(eq + 1, (size_t)(amp - eq - 1))
		    : xstrdup("");
		if (key == NULL || val == NULL) {
			free(key);
			free(val);
			free(*value);
			*value = NULL;
			return -1;
		}
		if (found == 1 && strcmp(key, name) == 0) {
			*value = val;
			found = 0;
		} else
			free(val);
		free(key);
		p = amp + 1;
	}
	return found;
}

char *
cgi_path(const struct cgi_env *env)
{
	const char *uri = env->request_uri, *q;
	size_t skip = 0;

	if (env->path_info && *env->path_info)
		return xstrdup(env->path_info);
	if (uri == NULL)
		return xstrdup("");
	if ((q = strchr(uri, '?')) == NULL)
		q = uri + strlen(uri);
	if (env->script_name && *env->script_name) {
		skip = strlen(env->script_name);
		if (skip > (size_t)(q - uri) ||
		    strncmp(uri, env->script_name, skip) != 0)
			skip = 0;
	}
	return xstrndup(uri + skip, (size_t)(q - uri) - skip);
}

static enum cgi_route
route_of(const char *path)
{
	if (strcmp(path, "/unsubscribe") == 0)
		return CGI_ROUTE_UNSUBSCRIBE;
	if (strcmp(path, "/confirm") == 0)
		return CGI_ROUTE_CONFIRM;
	return CGI_ROUTE_NONE;
}

/* 32 lowercase hex digits, as store_subscriber_add makes them. */
static int
token_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i]; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' &&
		    t[i] <= 'f')))
			return 0;
	return i == CGI_TOKEN_LEN;
}

/* The method against the route: 0 fine, else 405 with its Allow. */
static int
method_check(const char *method, struct cgi_request *req)
{
	req->allow = req->route == CGI_ROUTE_UNSUBSCRIBE ? "GET, POST" : "GET";
	if (method && strcmp(method, "GET") == 0)
		return 0;
	if (method && strcmp(method, "POST") == 0 &&
	    req->route == CGI_ROUTE_UNSUBSCRIBE) {
		req->post = 1;
		return 0;
	}
	req->status = 405;
	return -1;
}

/* CONTENT_LENGTH: -1 malformed, -2 too large, else the length. */
static long
body_length(const char *v)
{
	long n = 0;

	if (v == NULL || *v == '\0')
		return 0;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		n = n * 10 + (*v - '0');
		if (n > CGI_MAX_BODY)
			return -2;
	}
	return n;
}

/* Read exactly len bytes into a new string, or NULL on a short body. */
static char *
read_body(cgi_read_fn rd, void *ctx, size_t len)
{
	char *b = xmalloc(len + 1);
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		if (rd == NULL || (n = rd(ctx, b + got, len - got)) <= 0) {
			free(b);
			return NULL;
		}
		got += (size_t)n;
	}
	b[len] = '\0';
	return b;
}

static int
is_form(const char *ct)
{
	static const char form[] = "application/x-www-form-urlencoded";
	size_t n = sizeof form - 1;

	return ct && strncasecmp(ct, form, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The POST body: the one-click mark, and a token if the query had none. */
static int
parse_body(const struct cgi_env *env, cgi_read_fn rd, void *ctx,
    struct cgi_request *req, char **token)
{
	long len = body_length(env->content_length);
	char *body, *v = NULL;
	int rc = 0;

	if (len == -2)
		return req->status = 413;
	if (len == -1 || (body = read_body(rd, ctx, (size_t)len)) == NULL)
		return req->status = 400;
	if (is_form(env->content_type)) {
		if ((rc = cgi_param(body, (size_t)len, "List-Unsubscribe",
		    &v)) == 0)
			req->one_click = strcmp(v, "One-Click") == 0;
		free(v);
		if (rc != -1 && *token == NULL &&
		    cgi_param(body, (size_t)len, "t", token) == -1)
			rc = -1;
	}
	free(body);
	return rc == -1 ? (req->status = 400) : 0;
}

void
cgi_parse(const struct cgi_env *env, cgi_read_fn rd, void *rd_ctx,
    struct cgi_request *req)
{
	const char *q = env->query ? env->query : "";
	size_t qlen = strlen(q);
	char *path, *token = NULL;

	memset(req, 0, sizeof *req);
	req->status = 200;
	path = cgi_path(env);
	req->route = route_of(path);
	free(path);
	if (req->route == CGI_ROUTE_NONE) {
		req->status = 404;
		return;
	}
	if (method_check(env->method, req) == -1)
		return;
	if (qlen > CGI_MAX_QUERY) {
		req->status = 413;
		return;
	}
	if (cgi_param(q, qlen, "t", &token) == -1) {
		req->status = 400;
		return;
	}
	if (req->post && parse_body(env, rd, rd_ctx, req, &token) != 0) {
		free(token);
		return;
	}
	if (token && token_ok(token))
		req->token = token;
	else {
		free(token);
		req->status = 404;
	}
}

void
cgi_request_free(struct cgi_request *req)
{
	free(req->token);
	req->token = NULL;
}
