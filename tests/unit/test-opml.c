/* test-opml.c - what the OPML reader takes from a subscription list, what
 * it refuses (with the line), and that its writer's output reads back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opml.h"
#include "tap.h"

static struct opml *
parse(const char *text, long *line, char **err)
{
	return opml_parse(text, strlen(text), line, err);
}

static void
slug(const char *name, const char *want)
{
	char *got = opml_slug(name), label[200];

	snprintf(label, sizeof label, "slug of '%s' is '%s'", name, want);
	is_str(got, want, label);
	free(got);
}

/* The topic slugs of feed i, comma-separated, in a static buffer. */
static const char *
topics(const struct opml *o, size_t i)
{
	static char out[256];
	size_t k;

	out[0] = '\0';
	for (k = 0; k < o->feeds[i].ntopics; k++) {
		if (k > 0)
			strcat(out, ",");
		strcat(out, o->topics[o->feeds[i].topics[k]].slug);
	}
	return out;
}

static void
refused(const char *text, long want_line, const char *want, const char *name)
{
	char *err = NULL;
	long line = -1;
	struct opml *o = parse(text, &line, &err);

	ok(o == NULL && err != NULL && strstr(err, want) != NULL, name);
	if (err != NULL && strstr(err, want) == NULL)
		printf("#   error: %s\n", err);
	is_int(line, want_line, "... at the line it names");
	opml_free(o);
	free(err);
}

static void
test_reading(void)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<opml version=\"2.0\"><head><title>Mine</title></head><body>\n"
	    "<outline text=\"Tech\">\n"
	    "  <outline text=\"Linux\" slug=\"gnu\">\n"
	    "    <outline text=\"A\" xmlUrl=\" https://a.example/rss \"/>\n"
	    "  </outline>\n"
	    "</outline>\n"
	    "<outline text=\"News\"><outline text=\"https://a.example/rss\""
	    " xmlUrl=\"https://a.example/rss\" category=\"/x/World/, local\"/>"
	    "</outline>\n"
	    "<outline text=\"https://b.example/\" xmlUrl=\"https://b.example/\""
	    " htmlUrl=\"javascript:x\"/>\n"
	    "<outline text=\"Empty folder\" slug=\"kept\"/>\n"
	    "<outline text=\"a note\"/>\n"
	    "</body></opml>\n";
	char *err = NULL;
	long line;
	struct opml *o = parse(doc, &line, &err);

	ok(o != NULL, "a nested OPML 2.0 list parses");
	if (o == NULL) {
		printf("#   %ld: %s\n", line, err);
		free(err);
		return;
	}
	is_str(o->title, "Mine", "the head title is read");
	is_int((long long)o->nfeeds, 2, "a URL listed twice is one feed");
	is_str(o->feeds[0].url, "https://a.example/rss",
	    "the xmlUrl is trimmed");
	is_str(o->feeds[0].title, "A", "the first outline's text is the title");
	is_int(o->feeds[0].line, 5, "a feed remembers its line");
	is_str(topics(o, 0), "tech,gnu,news,world,local",
	    "enclosing folders, a folder's own slug and categories are topics");
	ok(o->feeds[1].title == NULL, "a text that is just the URL is no title");
	ok(o->feeds[1].html_url == NULL, "a non-http htmlUrl is dropped");
	is_int((long long)o->ntopics, 6, "an empty folder with a slug is a "
	    "topic, a note is not");
	opml_free(o);
}

static void
test_refusals(void)
{
	refused("", 1, "empty", "an empty document is refused");
	refused("not xml\n", 1, "not valid XML", "text that is not XML is "
	    "refused");
	refused("<opml>\n<body>\n<outline xmlUrl=\"https://a.example/\">\n", 4,
	    "not valid XML", "a truncated document is refused");
	refused("<opml>\n<body>\n<outline xmlUrl=\"ftp://a.example/\"/>\n"
	    "</body></opml>", 3, "is not an http:// or https:// URL",
	    "an ftp xmlUrl is refused");
	refused("<opml><body>\n<outline xmlUrl=\"\"/></body></opml>", 2,
	    "empty xmlUrl", "an empty xmlUrl is refused");
	refused("<opml><head/>\n</opml>", 1, "no <body>", "an OPML without "
	    "body is refused");
	refused("<rss/>", 1, "not <opml>", "another root element is refused");
	refused("<?xml version=\"1.0\"?>\n<!DOCTYPE opml SYSTEM "
	    "\"http://127.0.0.1:1/x.dtd\">\n<opml><body/></opml>", 2,
	    "DOCTYPE is not allowed", "an external DTD is refused, not fetched");
	refused("<opml><body>\n<outline>\n<outline xmlUrl=\"https://a.example/\""
	    "/></outline></body></opml>", 2, "folder outline has no text",
	    "a folder without a name is refused");
}

static void
test_writing(void)
{
	struct opml *o = opml_new("Out & about"), *back;
	struct opml_feed *f;
	size_t tech = opml_topic(o, "tech", "Tech & <Science>");
	char *text, *err = NULL;
	long line;
	size_t len;

	f = opml_feed(o, "https://a.example/rss?x=1&y=2", "A \"quoted\" one",
	    "https://a.example/");
	opml_feed_topic(f, tech);
	opml_feed_topic(f, opml_topic(o, "news", "News"));
	opml_feed(o, "https://loose.example/", NULL, NULL);
	text = opml_write(o, 0, &len);
	ok(strstr(text, "<dateCreated>Thu, 01 Jan 1970 00:00:00 +0000"
	    "</dateCreated>") != NULL, "the export has dateCreated");
	ok(strstr(text, "text=\"Tech &amp; &lt;Science&gt;\"") != NULL,
	    "names are escaped");
	back = opml_parse(text, len, &line, &err);
	ok(back != NULL, "the writer's output reads back");
	if (back != NULL) {
		is_int((long long)back->nfeeds, 2, "with both feeds");
		is_str(back->feeds[0].url, "https://a.example/rss?x=1&y=2",
		    "the URL survives");
		is_str(back->feeds[0].title, "A \"quoted\" one",
		    "the title survives");
		is_str(topics(back, 0), "tech,news", "the topics survive");
		is_str(back->topics[0].name, "Tech & <Science>",
		    "the topic name survives");
		ok(back->feeds[1].title == NULL && back->feeds[1].ntopics == 0,
		    "a feed without title or topic stays so");
	}
	free(err);
	opml_free(back);
	free(text);
	opml_free(o);
}

int
main(void)
{
	slug("Tech & Science", "tech-science");
	slug("  --News--  ", "news");
	slug("Bücher", "b-cher");
	slug("日本", "topic");
	slug("ABC_def 9", "abc-def-9");
	test_reading();
	test_refusals();
	test_writing();
	return done_testing();
}
