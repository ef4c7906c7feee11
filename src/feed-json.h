/*
 * feed-json.h - gazette's JSON output: a parsed feed for `gazette parse
 * --json`, a collect summary for `gazette collect --json`.
 */
#ifndef GZ_FEED_JSON_H
#define GZ_FEED_JSON_H

struct collect_summary;
struct feed;

/*
 * {"feed": {"title", "link", "self_link", "format", "warning"}, "items": [{"id",
 * "title", "link", "published", "updated", "author", "author_email",
 * "categories", "summary_text", "summary_html", "content_html"}]}: the shape
 * of the shared corpus oracle plus the HTML fields.  New string.
 */
char	*feed_to_json(const struct feed *f);
/*
 * {"fetched", "not_modified", "failed", "new_items", "feeds": [{"url",
 * "status", "error", "new_items"}]}.  New string.
 */
char	*collect_summary_to_json(const struct collect_summary *s);

#endif
