/*
 * test-json-out.c - the commands' JSON: keys in the order set, null for
 * missing text and "never", comma lists as arrays, text that is not UTF-8
 * still giving valid JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "json-out.h"
#include "tap.h"

static char *
compact(char *s)
{
	char *r, *w;

	/* Drop the indentation so expectations fit on one line. */
	for (r = w = s; *r; r++)
		if (*r != '\n' && !(*r == ' ' && (r[1] == ' ' || r[-1] == ' ' ||
		    r[-1] == '\n' || r[1] == '\n')))
			*w++ = *r;
	*w = '\0';
	return s;
}

int
main(void)
{
	struct json_out *o, *a;
	char *s;

	o = json_out_object();
	json_out_str(o, "slug", "net");
	json_out_str(o, "name", NULL);
	json_out_int(o, "feeds", 3);
	json_out_time(o, "created", 0);
	json_out_time(o, "when", 1795600800);
	json_out_csv(o, "topics", "a,b");
	json_out_csv(o, "none", NULL);
	s = json_out_text(o);
	ok(s[strlen(s) - 1] == '\n', "text ends with a newline");
	is_str(compact(s), "{\"slug\": \"net\",\"name\": null,\"feeds\": 3,"
	    "\"created\": null,\"when\": \"2026-11-25T10:00:00Z\","
	    "\"topics\": [\"a\",\"b\"],\"none\": []}",
	    "keys keep their order; null text, never and empty lists");
	free(s);

	a = json_out_array();
	s = json_out_text(a);
	is_str(s, "[]\n", "an empty array is []");
	free(s);

	a = json_out_array();
	o = json_out_object();
	json_out_str(o, "t", "caf\xc3\xa9 \"q\"\n");
	json_out_put(a, NULL, o);
	json_out_str(a, NULL, "bad \xff byte");
	json_out_csv(a, NULL, "x,,y");
	s = json_out_text(a);
	is_str(compact(s), "[{\"t\": \"caf\xc3\xa9 \\\"q\\\"\\n\"},"
	    "\"bad ? byte\",[\"x\",\"\",\"y\"]]",
	    "arrays append; text is escaped, invalid UTF-8 replaced");
	free(s);

	o = json_out_object();
	json_out_int(o, "n", 1);
	json_out_free(o);
	ok(1, "freeing an unprinted value");
	return done_testing();
}
