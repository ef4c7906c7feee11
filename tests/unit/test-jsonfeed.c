/*
 * test-jsonfeed.c - feed_parse on JSON Feed 1.0 and 1.1: the fixtures in
 * tests/data/jsonfeed-*.json (one per case), plus documents too large or
 * too deep to keep as files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feed.h"
#include "fileio.h"
#include "tap.h"

/* Parse tests/data/NAME; NULL with *err when the parser refused it. */
static struct feed *
parse_file(const char *name, const char *base, char **err)
{
	const char *top = getenv("top_srcdir");
	char path[512], *body;
	size_t len;
	struct feed *f;

	snprintf(path, sizeof path, "%s/tests/data/%s", top ? top : ".", name);
	*err = NULL;
	if ((body = file_read(path, (size_t)1 << 20, &len, err)) == NULL) {
		printf("# cannot read %s: %s\n", path, *err);
		return NULL;
	}
	f = feed_parse(body, len, base, NULL, err);
	free(body);
	return f;
}

static struct feed *
parse_ok(const char *name, const char *base)
{
	char *err;
	struct feed *f = parse_file(name, base, &err);

	if (f == NULL)
		printf("# unexpected error: %s\n", err ? err : "(none)");
	free(err);
	return f;
}

/* The error parsing NAME gives (new string), or NULL when it parsed. */
static char *
error_of(const char *name)
{
	char *err;
	struct feed *f = parse_file(name, NULL, &err);

	feed_free(f);
	return err;
}

static int
has(const char *s, const char *part)
{
	return s != NULL && strstr(s, part) != NULL;
}

static void
version_11_fields(void)
{
	struct feed *f = parse_ok("jsonfeed-11-full.json", NULL);
	struct feed_item *it;

	if (!ok(f != NULL && f->nitems == 2, "json11_parses_with_two_items"))
		goto out;
	is_str(f->format, "json11", "json11_format_named");
	is_str(f->title, "Field Notes", "json_feed_title_collapsed");
	is_str(f->link, "https://notes.example.org/", "home_page_url_is_site_link");
	is_str(f->self_link, "https://notes.example.org/feed.json",
	    "feed_url_is_self_link");
	ok(f->warning == NULL, "valid_json_feed_has_no_warning");
	it = &f->items[0];
	is_str(it->id, "https://notes.example.org/2026/first", "item_id_kept");
	is_str(it->link, "https://notes.example.org/2026/first",
	    "relative_item_url_resolved_against_feed_url");
	is_str(it->title, "First <b>post</b>", "json_title_is_plain_text");
	is_int(it->published, 1772355600, "date_published_rfc3339_with_offset");
	is_int(it->updated, 1772440200, "date_modified_is_updated");
	is_str(it->author, "Jo Doe", "first_named_author_of_authors");
	ok(it->author_email == NULL, "web_author_url_is_no_email");
	ok(it->ncategories == 2 && strcmp(it->categories[0], "travel") == 0 &&
	    strcmp(it->categories[1], "notes") == 0,
	    "tags_are_categories_trimmed_deduplicated_nonempty");
	ok(has(it->content_html,
	    "src=\"https://notes.example.org/2026/img/a.png\"") &&
	    has(it->content_html, "href=\"https://notes.example.org/about\""),
	    "content_html_relative_urls_resolved_against_item_url");
	is_str(it->summary_html, "<p>A short &lt;summary&gt; &amp; more</p>",
	    "summary_is_plain_text_escaped");
	it = &f->items[1];
	is_str(it->link, "https://elsewhere.example.com/story",
	    "external_url_stands_in_for_missing_url");
	is_str(it->author, "Ann", "author_name_with_mailto");
	is_str(it->author_email, "ann@example.org",
	    "mailto_url_gives_email_without_query");
	is_str(it->content_html, "<p>Worth reading.</p>",
	    "content_text_becomes_a_paragraph");
out:
	feed_free(f);
}

static void
version_10_fields(void)
{
	struct feed *f = parse_ok("jsonfeed-10-author-and-text.json", NULL);
	struct feed_item *it;

	if (!ok(f != NULL && f->nitems == 2, "json10_parses_with_two_items"))
		goto out;
	is_str(f->format, "json10", "json10_format_named");
	ok(f->self_link == NULL, "no_feed_url_no_self_link");
	it = &f->items[0];
	is_str(it->id, "42", "integer_id_becomes_string");
	is_str(it->author, "Sam", "json10_author_object_name");
	is_str(it->author_email, "sam@example.org", "json10_author_mailto_email");
	is_str(it->content_html, "<p>HTML wins over text</p>",
	    "content_html_preferred_over_content_text");
	it = &f->items[1];
	is_str(it->id, "4.5", "real_id_becomes_string");
	is_str(it->author, "nobody@example.org", "email_stands_in_for_name");
	is_str(it->content_html,
	    "<p>Only text &amp; &lt;tags&gt;</p><p>after blank lines</p>",
	    "content_text_escaped_and_split_into_paragraphs");
out:
	feed_free(f);
}

static void
detection(void)
{
	struct feed *f = parse_ok("jsonfeed-bom-and-whitespace.json", NULL);
	char *err;

	ok(f != NULL && f->nitems == 0 && f->format != NULL &&
	    strcmp(f->format, "json11") == 0,
	    "bom_and_whitespace_before_the_object_detected");
	feed_free(f);
	f = parse_ok("jsonfeed-cp1252-bytes.json", NULL);
	ok(f != NULL && f->nitems == 1, "invalid_utf8_feed_still_parses");
	if (f != NULL && f->nitems == 1) {
		is_str(f->title, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d",
		    "invalid_utf8_bytes_read_as_cp1252");
		is_str(f->items[0].title, "Cr\xc3\xa8me",
		    "invalid_utf8_item_title_repaired");
	}
	feed_free(f);
	err = error_of("jsonfeed-no-version.json");
	ok(has(err, "not a feed") && has(err, "JSON Feed version"),
	    "json_without_feed_version_is_not_a_feed");
	free(err);
	err = error_of("jsonfeed-invalid-syntax.json");
	ok(has(err, "not JSON: line 4, column 25"),
	    "invalid_json_error_gives_line_and_column");
	free(err);
	err = error_of("jsonfeed-items-not-array.json");
	ok(has(err, "\"items\" is not an array"),
	    "items_not_an_array_is_an_error");
	free(err);
}

static void
bad_items(void)
{
	struct feed *f = parse_ok("jsonfeed-bad-items.json", NULL);
	struct feed_item *it;

	if (!ok(f != NULL && f->nitems == 5,
	    "non_object_items_skipped_others_kept"))
		goto out;
	ok(f->title == NULL, "non_string_feed_title_ignored");
	ok(has(f->warning, "\"title\" is not a string") &&
	    has(f->warning, "and 9 more"), "problems_counted_in_the_warning");
	it = &f->items[0];
	ok(it->id == NULL, "missing_id_left_null");
	is_str(feed_item_key(it), "https://bad.example.org/no-id",
	    "missing_id_key_falls_back_to_link");
	ok(feed_item_key(&f->items[1]) == NULL,
	    "no_id_no_url_leaves_the_hash_to_the_store");
	it = &f->items[2];
	ok(it->id == NULL && it->title == NULL && it->link == NULL &&
	    it->published == DATE_NONE && it->ncategories == 0 &&
	    it->author == NULL && it->content_html == NULL,
	    "fields_of_wrong_type_ignored");
	is_str(it->summary_html, "<p>kept</p>", "right_fields_beside_wrong_kept");
	it = &f->items[3];
	ok(it->id == NULL, "empty_id_is_no_id");
	ok(it->link == NULL, "javascript_url_dropped");
	is_int(it->published, DATE_NONE, "unreadable_date_is_none");
	is_str(f->items[4].link, "https://bad.example.org/relative/last",
	    "relative_url_resolved_against_feed_url");
out:
	feed_free(f);
}

static void
hostile(void)
{
	struct feed *f = parse_ok("jsonfeed-hostile-html.json",
	    "https://hostile.example.org/feed.json");
	const char *c;

	if (!ok(f != NULL && f->nitems == 1, "hostile_feed_parses"))
		goto out;
	c = f->items[0].content_html;
	ok(c != NULL && !has(c, "script") && !has(c, "onclick") &&
	    !has(c, "javascript") && !has(c, "iframe") && !has(c, "style") &&
	    has(c, "Hi"), "content_html_sanitized_like_rss");
	is_str(f->items[0].summary_html,
	    "<p>&lt;script&gt;alert(3)&lt;/script&gt;</p>",
	    "summary_markup_stays_text");
out:
	feed_free(f);
}

/* Documents built here: too many values, nesting too deep. */
static void
huge(void)
{
	static const char head[] =
	    "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[";
	size_t n = 1100000, len = strlen(head) + 2 * n + 3, i;
	char *doc = malloc(len + 1), *err = NULL;
	struct feed *f;

	memcpy(doc, head, strlen(head));
	for (i = 0; i < n; i++)
		memcpy(doc + strlen(head) + 2 * i, "0,", 2);
	memcpy(doc + len - 3, "0]}", 4);
	f = feed_parse(doc, len, NULL, NULL, &err);
	ok(f == NULL && has(err, "too many values"),
	    "document_with_too_many_values_refused");
	feed_free(f);
	free(err);
	free(doc);

	n = 100000;
	doc = malloc(n + 64);
	len = (size_t)sprintf(doc, "{\"version\":\"https://jsonfeed.org/"
	    "version/1\",\"items\":");
	memset(doc + len, '[', n);
	len += n;
	f = feed_parse(doc, len, NULL, NULL, &err);
	ok(f == NULL && has(err, "not JSON"), "deep_nesting_is_an_error");
	feed_free(f);
	free(err);
	free(doc);
}

/* An XML feed is still read by the XML reader. */
static void
rss_unchanged(void)
{
	static const char rss[] = "<rss version=\"2.0\"><channel><title>T"
	    "</title><item><guid>g</guid></item></channel></rss>";
	char *err = NULL;
	struct feed *f = feed_parse(rss, strlen(rss), NULL, NULL, &err);

	ok(f != NULL && strcmp(f->format, "rss20") == 0 && f->nitems == 1,
	    "rss_still_goes_to_the_xml_reader");
	feed_free(f);
	free(err);
}

int
main(void)
{
	version_11_fields();
	version_10_fields();
	detection();
	bad_items();
	hostile();
	huge();
	rss_unchanged();
	return done_testing();
}
