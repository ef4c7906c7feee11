/*
 * fetch.c - many HTTP(S) GETs at once over libcurl's multi interface.
 *
 * The only file that includes curl.h for HTTP.  Each finished transfer is
 * handed to the caller's callback with a struct fetch_result whose strings
 * this file owns and frees once the callback returns.  Never prints, never
 * follows a redirect to a scheme other than http(s) (file:// URLs only when
 * the caller allows them, and never as a redirect's target: a server must
 * not make us read a local file), never keeps more than max_size bytes of
 * a body.
 */
#ifdef HAVE_CONFIG_H
#include "build.h"
#endif

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "fetch.h"
#include "xmalloc.h"

#ifdef PACKAGE_VERSION
#define FETCH_VERSION PACKAGE_VERSION
#else
#define FETCH_VERSION "0.1.0"
#endif
#define USER_AGENT "gazette/" FETCH_VERSION \
	" (+https://github.com/gazette-digest/gazette)"

#define MAX_REDIRECTS		5L
#define CONNECT_TIMEOUT		10L
#define LOW_SPEED_TIME		30L
#define DEFAULT_CONCURRENCY	16
#define DEFAULT_TIMEOUT		30L
#define DEFAULT_MAX_SIZE	((size_t)10 << 20)

struct transfer {
	struct transfer	*next;		/* in the list of running transfers */
	const struct fetch_request *req;
	CURL		*h;
	struct curl_slist *headers;
	struct buf	 body;
	size_t		 max_size;
	int		 too_big;
	char		*moved_to;	/* the feed's new home, or NULL */
	int		 temporary;	/* a temporary redirect was followed */
	long		 hop_status;	/* status line of the current hop */
	char		*etag;		/* of the current hop */
	char		*last_modified;
	char		*content_type;
	char		*retry_after;
	char		 errbuf[CURL_ERROR_SIZE];
};

/* One fetch_all: its transfers, and handles kept for the next ones. */
struct loop {
	CURLM		*m;
	struct fetch_options opt;
	struct transfer	*list;		/* running */
	int		 running;
	struct transfer	**idle;		/* finished, up to opt.concurrency */
	int		 nidle;
	fetch_done_fn	 done;
	void		*ctx;
};

void
fetch_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;

	if (t->body.len + len > t->max_size ||
	    buf_append(&t->body, data, len) == -1) {
		t->too_big = 1;
		return 0;	/* makes libcurl fail with CURLE_WRITE_ERROR */
	}
	return len;
}

/* A header's value, trimmed, as a new string. */
static char *
header_value(const char *line, size_t len, size_t namelen)
{
	const char *v = line + namelen, *end = line + len;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

static int
header_is(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len > n && strncasecmp(line, name, n) == 0;
}

/*
 * A new hop starts after the one whose status was hop_status.  Only a
 * permanent redirect (301, 308) moves a feed, and only while no temporary
 * one came before it: after a 302 the publisher may point elsewhere
 * tomorrow, so 301 -> 302 -> 200 moves the feed to the 302's URL, not to
 * where it led.  libcurl already fetches the new hop's URL here.
 */
static void
hop_started(struct transfer *t)
{
	char *url = NULL;

	if (t->hop_status == 301 || t->hop_status == 308) {
		if (!t->temporary && curl_easy_getinfo(t->h,
		    CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != NULL)
			xstrset(&t->moved_to, url);
	} else if (t->hop_status >= 300 && t->hop_status < 400)
		t->temporary = 1;
}

/*
 * Called for every header line of every hop.  A status line starts a new
 * hop: the validators of earlier hops (redirects) are forgotten, so what is
 * left at the end belongs to the final response.
 */
static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	char *status;

	if (len > 5 && strncmp(line, "HTTP/", 5) == 0) {
		hop_started(t);
		status = memchr(line, ' ', len);
		t->hop_status = status ? strtol(status + 1, NULL, 10) : 0;
		xstrset(&t->etag, NULL);
		xstrset(&t->last_modified, NULL);
		xstrset(&t->content_type, NULL);
		xstrset(&t->retry_after, NULL);
	} else if (header_is(line, len, "etag:")) {
		free(t->etag);
		t->etag = header_value(line, len, 5);
	} else if (header_is(line, len, "last-modified:")) {
		free(t->last_modified);
		t->last_modified = header_value(line, len, 14);
	} else if (header_is(line, len, "content-type:")) {
		free(t->content_type);
		t->content_type = header_value(line, len, 13);
	} else if (header_is(line, len, "retry-after:")) {
		free(t->retry_after);
		t->retry_after = header_value(line, len, 12);
	}
	return len;
}

static struct curl_slist *
conditional_headers(const struct fetch_request *req)
{
	struct curl_slist *l = NULL;
	char *h;

	if (req->etag != NULL && *req->etag != '\0' &&
	    strpbrk(req->etag, "\r\n") == NULL) {
		h = xasprintf("If-None-Match: %s", req->etag);
		l = curl_slist_append(l, h);
		free(h);
	}
	if (req->last_modified != NULL && *req->last_modified != '\0' &&
	    strpbrk(req->last_modified, "\r\n") == NULL) {
		h = xasprintf("If-Modified-Since: %s", req->last_modified);
		l = curl_slist_append(l, h);
		free(h);
	}
	return l;
}

/*
 * ca_file replaces the system's CAs, whatever libcurl was built with: a
 * folder of CAs (Debian's GnuTLS build has one) would otherwise still be
 * trusted beside it, so the same file would mean more on one machine than
 * on another.
 */
static void
trust(CURL *h, const char *ca_file)
{
	if (ca_file == NULL)
		return;
	curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
}

/* A handle set with the options every request of a loop shares. */
static struct transfer *
transfer_make(const struct fetch_options *opt)
{
	struct transfer *t;
	const char *protos = opt->allow_file ? "http,https,file" : "http,https";
	CURL *h;

	if ((h = curl_easy_init()) == NULL)
		return NULL;
	t = xcalloc(1, sizeof *t);
	t->h = h;
	t->max_size = opt->max_size;
	buf_init(&t->body, opt->max_size + 1);
	curl_easy_setopt(h, CURLOPT_PRIVATE, t);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protos);
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, opt->timeout);
	/* A declared length past the cap is refused before any byte. */
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)opt->max_size);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
	    opt->timeout < LOW_SPEED_TIME ? opt->timeout : LOW_SPEED_TIME);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	trust(h, opt->ca_file);
	return t;
}

/*
 * t set for req: libcurl keeps a handle's options from one transfer to
 * the next, so only the URL and the validators change.
 */
static void
transfer_start(struct transfer *t, const struct fetch_request *req)
{
	t->req = req;
	t->headers = conditional_headers(req);
	t->errbuf[0] = '\0';
	curl_easy_setopt(t->h, CURLOPT_URL, req->url);
	curl_easy_setopt(t->h, CURLOPT_HTTPHEADER, t->headers);
}

/* What a request left in t, gone: t is ready for the next one. */
static void
transfer_clear(struct transfer *t)
{
	curl_slist_free_all(t->headers);
	t->headers = NULL;
	buf_free(&t->body);
	xstrset(&t->etag, NULL);
	xstrset(&t->last_modified, NULL);
	xstrset(&t->content_type, NULL);
	xstrset(&t->retry_after, NULL);
	xstrset(&t->moved_to, NULL);
	t->too_big = t->temporary = 0;
	t->hop_status = 0;
	t->req = NULL;
}

static void
transfer_free(struct transfer *t)
{
	transfer_clear(t);
	curl_easy_cleanup(t->h);
	free(t);
}

/* A finished transfer waits for the next request, or goes. */
static void
transfer_done(struct loop *l, struct transfer *t)
{
	if (l->nidle < l->opt.concurrency) {
		transfer_clear(t);
		l->idle[l->nidle++] = t;
	} else
		transfer_free(t);
}

static char *
error_text(struct transfer *t, CURLcode rc)
{
	if (t->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return xasprintf("refused: the body exceeds max_size (%zu bytes"
		    " after decompression)", t->max_size);
	if (t->errbuf[0] != '\0')
		return xstrdup(t->errbuf);
	return xstrdup(curl_easy_strerror(rc));
}

/*
 * The charset parameter of a Content-Type, or NULL (new string).  Servers
 * write it every way: charset=utf-8, charset="utf-8", charset= 'gb2312'.
 */
static char *
type_charset(const char *type)
{
	const char *p = type;
	size_t n;

	while (p != NULL && (p = strchr(p, ';')) != NULL) {
		p += 1 + strspn(p + 1, " \t");
		if (strncasecmp(p, "charset", 7) != 0)
			continue;
		p += 7 + strspn(p + 7, " \t");
		if (*p != '=')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (*p == '"' || *p == '\'')
			p++;
		n = strcspn(p, "\"'; \t");
		return n ? xstrndup(p, n) : NULL;
	}
	return NULL;
}

/* Build the result of a finished transfer, call back, free. */
static void
finish(struct loop *l, struct transfer *t, CURLcode rc)
{
	struct fetch_result res;
	char *url = NULL;

	memset(&res, 0, sizeof res);
	curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &res.status);
	curl_easy_getinfo(t->h, CURLINFO_EFFECTIVE_URL, &url);
	res.effective_url = xstrdup_or_null(url);
	res.moved_to = t->moved_to;
	res.etag = t->etag;
	res.last_modified = t->last_modified;
	res.content_type = t->content_type;
	res.charset = type_charset(t->content_type);
	res.retry_after = t->retry_after;
	if (rc == CURLE_OK) {
		res.len = t->body.len;
		res.body = buf_detach(&t->body);
	} else
		res.error = error_text(t, rc);
	l->done(t->req, &res, l->ctx);
	free(res.body);
	free(res.error);
	free(res.effective_url);
	free(res.charset);
	transfer_done(l, t);
}

static void
unlink_transfer(struct transfer **list, struct transfer *t)
{
	for (; *list != NULL; list = &(*list)->next) {
		if (*list == t) {
			*list = t->next;
			return;
		}
	}
}

/* Add transfers until the limit; returns the next request index. */
static size_t
start_more(struct loop *l, const struct fetch_request *reqs, size_t next,
    size_t n)
{
	struct transfer *t;
	struct fetch_result res;

	while (next < n && l->running < l->opt.concurrency) {
		t = l->nidle > 0 ? l->idle[--l->nidle] : transfer_make(&l->opt);
		if (t != NULL)
			transfer_start(t, &reqs[next]);
		if (t == NULL || curl_multi_add_handle(l->m, t->h) != CURLM_OK) {
			memset(&res, 0, sizeof res);
			res.error = "could not start the transfer";
			l->done(&reqs[next], &res, l->ctx);
			if (t != NULL)
				transfer_free(t);
		} else {
			t->next = l->list;
			l->list = t;
			l->running++;
		}
		next++;
	}
	return next;
}

static void
reap(struct loop *l)
{
	struct transfer *t;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(l->m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		curl_multi_remove_handle(l->m, msg->easy_handle);
		unlink_transfer(&l->list, t);
		l->running--;
		finish(l, t, msg->data.result);
	}
}

/* The loop failed: every transfer still running ends with an error. */
static void
abort_all(struct loop *l)
{
	struct transfer *t;

	while ((t = l->list) != NULL) {
		l->list = t->next;
		curl_multi_remove_handle(l->m, t->h);
		finish(l, t, CURLE_ABORTED_BY_CALLBACK);
	}
}

static void
options_fill(struct fetch_options *o, const struct fetch_options *opt)
{
	if (opt != NULL)
		*o = *opt;
	else
		memset(o, 0, sizeof *o);
	if (o->concurrency <= 0)
		o->concurrency = DEFAULT_CONCURRENCY;
	if (o->timeout <= 0)
		o->timeout = DEFAULT_TIMEOUT;
	if (o->max_size == 0)
		o->max_size = DEFAULT_MAX_SIZE;
}

/* Give the caller its turn, then wait for the network or for it. */
static CURLMcode
wait_turn(struct loop *l)
{
	struct curl_waitfd extra = { 0, CURL_WAIT_POLLIN, 0 };

	extra.fd = l->opt.turn ? l->opt.turn(l->ctx) : -1;
	return curl_multi_poll(l->m, &extra, extra.fd == -1 ? 0 : 1, 1000,
	    NULL);
}

static void
loop_end(struct loop *l)
{
	abort_all(l);
	while (l->nidle > 0)
		transfer_free(l->idle[--l->nidle]);
	free(l->idle);
	curl_multi_cleanup(l->m);
}

int
fetch_all(const struct fetch_request *reqs, size_t n,
    const struct fetch_options *opt, fetch_done_fn done, void *ctx,
    char **err)
{
	struct loop l = { .done = done, .ctx = ctx };
	CURLMcode mc = CURLM_OK;
	size_t next = 0;
	int still = 0;

	options_fill(&l.opt, opt);
	if ((l.m = curl_multi_init()) == NULL) {
		*err = xstrdup("cannot start libcurl's multi interface");
		return -1;
	}
	l.idle = xcalloc((size_t)l.opt.concurrency, sizeof *l.idle);
	curl_multi_setopt(l.m, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
	curl_multi_setopt(l.m, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	next = start_more(&l, reqs, next, n);
	while (l.running > 0) {
		if ((mc = curl_multi_perform(l.m, &still)) != CURLM_OK)
			break;
		reap(&l);
		next = start_more(&l, reqs, next, n);
		if (l.running == 0)
			break;
		if ((mc = wait_turn(&l)) != CURLM_OK)
			break;
	}
	loop_end(&l);
	if (mc != CURLM_OK) {
		*err = xasprintf("libcurl: %s", curl_multi_strerror(mc));
		return -1;
	}
	return 0;
}

struct one {
	char	*body;
	size_t	 len;
	char	*url;
	char	*charset;
	char	*error;
};

static void
on_one(const struct fetch_request *req, struct fetch_result *res, void *ctx)
{
	struct one *o = ctx;

	(void)req;
	if (res->error)
		o->error = xstrdup(res->error);
	else if (res->status != 200)
		o->error = xasprintf("HTTP status %ld", res->status);
	else {
		o->body = res->body;
		res->body = NULL;
		o->len = res->len;
		o->url = xstrdup_or_null(res->effective_url);
		o->charset = xstrdup_or_null(res->charset);
	}
}

char *
fetch_one(const char *url, const struct fetch_options *opt, size_t *len,
    char **final_url, char **charset, char **err)
{
	struct fetch_request req = { url, NULL, NULL, NULL };
	struct one o = { NULL, 0, NULL, NULL, NULL };

	if (fetch_all(&req, 1, opt, on_one, &o, err) == -1)
		return NULL;
	if (o.error) {
		*err = o.error;
		return NULL;
	}
	*len = o.len;
	if (final_url != NULL)
		*final_url = o.url;
	else
		free(o.url);
	if (charset != NULL)
		*charset = o.charset;
	else
		free(o.charset);
	return o.body;
}
