/* fuzz-cgi.c - libFuzzer target: the CGI request parser.  The input is
 * METHOD, PATH_INFO, QUERY_STRING, CONTENT_TYPE and CONTENT_LENGTH, one a
 * line, then the body; a served request must carry a well-formed token. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgi.h"

struct body {
	const char *p;
	size_t	 left;
};

static ssize_t
rd(void *ctx, char *buf, size_t len)
{
	struct body *b = ctx;

	if (len > b->left)
		len = b->left;
	memcpy(buf, b->p, len);
	b->p += len;
	b->left -= len;
	return (ssize_t)len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *f[5] = { NULL }, *p = s, *nl;
	struct cgi_env env;
	struct cgi_request req;
	struct body b;
	int i;

	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < 5; i++) {
		f[i] = p;
		if ((nl = strchr(p, '\n')) == NULL) {
			p += strlen(p);
			continue;
		}
		*nl = '\0';
		p = nl + 1;
	}
	env = (struct cgi_env){ f[0], f[1], NULL, f[1], f[2], f[3], f[4] };
	b.p = p;
	b.left = size - (size_t)(p - s);
	cgi_parse(&env, rd, &b, &req);
	if (req.status == 200 && (req.token == NULL ||
	    strlen(req.token) != CGI_TOKEN_LEN))
		abort();
	if (req.status != 200 && req.token != NULL)
		abort();
	cgi_request_free(&req);
	free(s);
	return 0;
}
