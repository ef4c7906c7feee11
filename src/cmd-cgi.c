/*
 * cmd-cgi.c - gazette cgi: the unsubscribe and confirm pages, run by a web
 * server through CGI (one request per process, no daemon).
 *
 * The request is parsed by cgi.c; this file looks the token up and writes
 * the response on stdout.  It always answers with a complete HTTP response
 * and exits 0, so the server never shows its own error page; problems go
 * to stderr (the server's error log).  A page never shows a whole address
 * and a wrong token gets the same 404 as a missing page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi.h"
#include "cmd.h"
#include "config.h"
#include "html.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static int	cmd_cgi(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_cgi_entry = {
	NULL, "cgi", "",
	"Answer one web request for the unsubscribe and confirm links (CGI).",
	"  Run by a web server (lighttpd mod_cgi, fcgiwrap): reads "
	"REQUEST_METHOD,\n  PATH_INFO, QUERY_STRING and the body; pages are "
	"/unsubscribe?t=TOKEN\n  (GET, POST) and /confirm?t=TOKEN (GET).\n",
	0, cmd_cgi
};

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* One whole response: headers, then a small self-contained page. */
static void
respond(int status, const char *allow, const char *title, const char *body)
{
	printf("Status: %d %s\r\n", status, reason(status));
	if (allow)
		printf("Allow: %s\r\n", allow);
	printf("Content-Type: text/html; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "Content-Security-Policy: default-src 'none'; "
	    "style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
	    "frame-ancestors 'none'\r\n\r\n");
	printf("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>%s</title><style>body{font-family:sans-serif;"
	    "max-width:34em;margin:3em auto;padding:0 1em;line-height:1.5}"
	    "</style></head>\n<body>\n<h1>%s</h1>\n%s</body></html>\n",
	    title, title, body);
	fflush(stdout);
}

static void
respond_error(int status, const char *allow)
{
	const char *what = status == 404 ?
	    "<p>This link is not valid (any more).</p>\n" :
	    "<p>The request could not be handled.</p>\n";

	respond(status, allow, reason(status), what);
}

/* j***@example.org: enough for the owner to recognize, no more. */
static char *
masked(const char *email)
{
	const char *at = strrchr(email, '@');

	if (at == NULL || at == email)
		return xstrdup("***");
	return xasprintf("%c***%s", email[0], at);
}

static ssize_t
read_stdin(void *ctx, char *buf, size_t len)
{
	(void)ctx;
	return read(STDIN_FILENO, buf, len);
}

static const char *
list_title(const struct cmd_ctx *ctx)
{
	return ctx->cfg->title ? ctx->cfg->title : "the newsletter";
}

static void
unsubscribe_form(struct cmd_ctx *ctx, const struct cgi_request *req,
    const struct token_subscriber *sub)
{
	char *title = html_escape(list_title(ctx));
	char *who = masked(sub->email), *ewho = html_escape(who), *body;

	body = xasprintf("<p>Stop sending <strong>%s</strong> to %s?</p>\n"
	    "<form method=\"post\" action=\"?t=%s\">\n<input type=\"hidden\" "
	    "name=\"List-Unsubscribe\" value=\"One-Click\">\n"
	    "<button type=\"submit\">Unsubscribe</button>\n</form>\n",
	    title, ewho, req->token);
	respond(200, NULL, "Unsubscribe", body);
	free(body);
	free(title);
	free(who);
	free(ewho);
}

/* A done page: before, the newsletter's name in bold, after. */
static void
done_page(struct cmd_ctx *ctx, const char *heading, const char *before,
    const char *after)
{
	char *title = html_escape(list_title(ctx)), *body;

	body = xasprintf("<p>%s<strong>%s</strong>%s</p>\n", before, title,
	    after);
	respond(200, NULL, heading, body);
	free(body);
	free(title);
}

/* POST: unsubscribed at once; again is still 200. */
static int
unsubscribe(struct cmd_ctx *ctx, const struct token_subscriber *sub)
{
	char *err = NULL;

	if (strcmp(sub->status, "unsubscribed") != 0 &&
	    store_subscriber_unsubscribe(ctx->st, sub->id, &err) == -1) {
		gz_warn("cgi: %s", err);
		free(err);
		return 503;
	}
	if (strcmp(sub->status, "unsubscribed") != 0)
		gz_info("cgi: subscriber %lld unsubscribed", (long long)sub->id);
	done_page(ctx, "Unsubscribed", "You are unsubscribed from ",
	    ". No more digests will be sent to you.");
	return 200;
}

/* Pending becomes active; active stays so.  Anyone else: the 404. */
static int
confirm(struct cmd_ctx *ctx, const struct token_subscriber *sub)
{
	char *err = NULL;

	if (strcmp(sub->status, "pending") && strcmp(sub->status, "active"))
		return 404;
	if (store_subscriber_confirm(ctx->st, sub->id, ctx->now, &err) == -1) {
		gz_warn("cgi: %s", err);
		free(err);
		return 503;
	}
	done_page(ctx, "Subscription confirmed", "Your subscription to ",
	    " is confirmed. Thank you.");
	return 200;
}

/* Look the token up and do what the route says: the status sent, or the
 * error status for the caller to send. */
static int
serve(struct cmd_ctx *ctx, const struct cgi_request *req)
{
	struct token_subscriber sub;
	char *err = NULL;
	int rc;

	if ((ctx->st = store_open(ctx->db_path, &err)) == NULL) {
		gz_warn("cgi: %s", err);
		free(err);
		return 503;
	}
	rc = store_token_find(ctx->st, req->token, &sub, &err);
	if (rc == -1) {
		gz_warn("cgi: %s", err);
		free(err);
		rc = 503;
	} else if (rc == STORE_NOTFOUND)
		rc = 404;
	else if (req->route == CGI_ROUTE_CONFIRM)
		rc = confirm(ctx, &sub);
	else if (req->post)
		rc = unsubscribe(ctx, &sub);
	else {
		unsubscribe_form(ctx, req, &sub);
		rc = 200;
	}
	store_close(ctx->st);
	ctx->st = NULL;
	return rc;
}

static int
cmd_cgi(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cgi_env env;
	struct cgi_request req;
	int status;

	if (cmd_no_options(&cmd_cgi_entry, argc, argv) == -1)
		return EX_USAGE;
	if (optind < argc)
		return cmd_usage(&cmd_cgi_entry, "takes no arguments");
	if (getenv("REQUEST_METHOD") == NULL)
		return gz_fail(EX_USAGE, "gazette cgi is run by a web server "
		    "(REQUEST_METHOD is not set)");
	env.method = getenv("REQUEST_METHOD");
	env.path_info = getenv("PATH_INFO");
	env.script_name = getenv("SCRIPT_NAME");
	env.request_uri = getenv("REQUEST_URI");
	env.query = getenv("QUERY_STRING");
	env.content_type = getenv("CONTENT_TYPE");
	env.content_length = getenv("CONTENT_LENGTH");
	cgi_parse(&env, read_stdin, NULL, &req);
	status = req.status;
	if (status == 200)
		status = serve(ctx, &req);
	if (status != 200)
		respond_error(status, status == 405 ? req.allow : NULL);
	cgi_request_free(&req);
	return EX_OK;
}
