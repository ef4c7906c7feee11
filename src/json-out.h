/*
 * json-out.h - the commands' --json output, built value by value.
 *
 * A tiny door to jansson so that command files never include jansson.h.
 * Keys keep the order they were set in; every function accepts NULL text
 * (written as null).  Never prints: json_out_text hands back the text.
 */
#ifndef GZ_JSON_OUT_H
#define GZ_JSON_OUT_H

#include <stdint.h>

struct json_out;

struct json_out *json_out_object(void);
struct json_out *json_out_array(void);

/*
 * Each setter stores under key in an object, or appends to an array when
 * key is NULL.
 */
void	 json_out_str(struct json_out *j, const char *key, const char *v);
void	 json_out_int(struct json_out *j, const char *key, int64_t v);
/* A Unix time as RFC 3339 UTC text; 0 ("never") is null. */
void	 json_out_time(struct json_out *j, const char *key, int64_t t);
/* "a,b,c" as ["a","b","c"]; NULL or "" as []. */
void	 json_out_csv(struct json_out *j, const char *key, const char *csv);
/* Store child (which j now owns). */
void	 json_out_put(struct json_out *j, const char *key,
	    struct json_out *child);

/* The value as indented text with a final newline (new string); frees j. */
char	*json_out_text(struct json_out *j);
void	 json_out_free(struct json_out *j);

#endif
