/*
 * mime.h - the digest as an Internet message, built with libetpan.
 *
 * The only module besides smtp.c that includes libetpan.  Output is the
 * exact bytes for SMTP DATA before dot-stuffing: CRLF line ends, no line
 * over 998 octets, ASCII headers (RFC 2047 encoded words for non-ASCII),
 * multipart/alternative with text/plain first and text/html last, both
 * UTF-8, each quoted-printable or, where that is shorter, base64.
 */
#ifndef GZ_MIME_H
#define GZ_MIME_H

#include <stdint.h>

struct buf;
struct mime_cache;
struct pieces;

/*
 * The stretches of a message's parts that other messages share (piece.h),
 * and where their encodings are kept between messages.
 */
struct mime_shared {
	const struct pieces *text;	/* of text, or NULL */
	const struct pieces *html;	/* of html, or NULL */
	struct mime_cache *cache;	/* NULL: nothing kept */
};

struct outgoing {
	const char *from_name;		/* display name, may be NULL */
	const char *from_addr;		/* addr-spec */
	const char *to_name;		/* may be NULL */
	const char *to_addr;
	const char *reply_to;		/* addr-spec or NULL */
	const char *subject;		/* UTF-8 */
	const char *message_id;		/* without <>, e.g. "abc@example.org" */
	int64_t	 date;			/* seconds since epoch */
	const char *list_id;		/* full value "Name <id.example.org>" or NULL */
	const char *list_unsubscribe;	/* full value "<https://…>, <mailto:…>" or NULL */
	int	 one_click;		/* add List-Unsubscribe-Post: One-Click */
	const char *text;		/* text/plain body, UTF-8, LF or CRLF */
	const char *html;		/* text/html body, UTF-8 */
	const struct mime_shared *shared;	/* NULL: none */
};

/*
 * Build the message into out.  Control characters (CR, LF, ...) in any
 * header input are replaced by spaces, never passed through.  Returns 0, or
 * -1 with *err set.
 */
int	 mime_build(const struct outgoing *m, struct buf *out, char **err);

/*
 * Encodings of shared pieces kept across messages: a few hundred at most,
 * the one used longest ago giving way.
 */
struct mime_cache *mime_cache_new(void);
void	 mime_cache_free(struct mime_cache *c);

/* A fresh Message-ID "time.count.random@domain" (new string, no <>). */
char	*mime_message_id(const char *domain);

#endif
