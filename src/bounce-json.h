/*
 * bounce-json.h - a bounce reading as JSON, for `gazette bounces parse --json`.
 */
#ifndef GZ_BOUNCE_JSON_H
#define GZ_BOUNCE_JSON_H

struct bounce_list;

/*
 * {"bounces": [{"recipient", "class", "reason", "status", "reply_code",
 * "action", "feedback_type", "diagnostic"}]}: the shape of the shared
 * corpus oracle plus the server's words.  New string.
 */
char	*bounce_to_json(const struct bounce_list *bl);

#endif
