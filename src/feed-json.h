/*
 * feed-json.h - a parsed feed as JSON, for `gazette parse --json`.
 */
#ifndef GZ_FEED_JSON_H
#define GZ_FEED_JSON_H

struct feed;

/*
 * {"feed": {"title", "link", "self_link", "format", "warning"}, "items": [{"id",
 * "title", "link", "published", "updated", "author", "author_email",
 * "categories", "summary_text", "summary_html", "content_html"}]}: the shape
 * of the shared corpus oracle plus the HTML fields.  New string.
 */
char	*feed_to_json(const struct feed *f);

#endif
