/*
 * mime-body.h - the message body of mime.c, written without libetpan.
 *
 * Private to the mime module (mime.c and its tests): what comes after
 * the RFC 5322 header fields, in wire form (CRLF, lines of at most 76).
 */
#ifndef GZ_MIME_BODY_H
#define GZ_MIME_BODY_H

#include <stddef.h>

struct buf;
struct mime_shared;

/* Length of the UTF-8 sequence starting at s, or 0 if it is not valid. */
size_t	 mime_utf8_seq(const unsigned char *s);

/*
 * text (UTF-8, LF, CRLF or lone CR line ends) as quoted-printable with
 * CRLF line ends, appended to out.  -1 when out's cap would be passed.
 */
int	 mime_qp_append(struct buf *out, const char *text);

/*
 * MIME-Version, the content fields, a blank line and the body: text/plain
 * alone when html is NULL, else multipart/alternative with text/plain
 * first and text/html last between boundary lines.  Each part is
 * quoted-printable, or base64 (lines of 76) when that is shorter; the
 * quoted-printable of the pieces sh names comes from its cache (sh may
 * be NULL).  -1 over out's cap.
 */
int	 mime_body_append(struct buf *out, const char *text, const char *html,
	    const char *boundary, const struct mime_shared *sh);

#endif
