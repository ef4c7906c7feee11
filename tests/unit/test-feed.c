/*
 * test-feed.c - feed_parse on small literal documents: every format, the
 * field mappings, relative links, encodings, broken and hostile input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feed.h"
#include "tap.h"

static struct feed *
parse(const char *doc, const char *base, char **err)
{
	*err = NULL;
	return feed_parse(doc, strlen(doc), base, NULL, err);
}

static struct feed *
parse_ok(const char *doc, const char *base)
{
	char *err;
	struct feed *f = parse(doc, base, &err);

	if (f == NULL) {
		printf("# unexpected error: %s\n", err);
		free(err);
	}
	return f;
}

static void
rss20_basic(void)
{
	struct feed *f = parse_ok(
	    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	    "<title>Example  site</title><link>http://example.org/</link>"
	    "<item><title>First</title><link>http://example.org/1</link>"
	    "<guid isPermaLink=\"false\">id-1</guid>"
	    "<pubDate>Wed, 02 Oct 2002 13:00:00 GMT</pubDate>"
	    "<description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description>"
	    "</item><item><title>Second</title></item></channel></rss>", NULL);

	if (!ok(f != NULL, "rss20_parses"))
		return;
	is_str(f->format, "rss20", "rss20_format_named");
	is_str(f->title, "Example site", "rss20_feed_title_whitespace_collapsed");
	is_str(f->link, "http://example.org/", "rss20_feed_link");
	is_int((long long)f->nitems, 2, "rss20_two_items");
	is_str(f->items[0].title, "First", "rss20_item_title");
	is_str(f->items[0].link, "http://example.org/1", "rss20_item_link");
	is_str(f->items[0].id, "id-1", "rss20_guid_is_id");
	is_int(f->items[0].published, 1033563600, "rss20_pubdate_is_published");
	is_int(f->items[0].updated, DATE_NONE, "rss20_no_updated_fallback");
	ok(f->items[0].summary_html != NULL &&
	    strstr(f->items[0].summary_html, "<b>world</b>") != NULL,
	    "rss20_escaped_description_is_html");
	ok(f->warning == NULL, "rss20_wellformed_has_no_warning");
	is_str(feed_item_key(&f->items[0]), "id-1", "item_key_prefers_id");
	ok(feed_item_key(&f->items[1]) == NULL, "item_key_null_without_id_or_link");
	feed_free(f);
}

static void
atom10_basic(void)
{
	struct feed *f = parse_ok(
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<title type=\"html\">A &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; feed</title>"
	    "<link rel=\"self\" href=\"http://example.org/feed.atom\"/>"
	    "<link href=\"http://example.org/\"/>"
	    "<entry><id>urn:uuid:1</id><title type=\"text\">x &lt; y</title>"
	    "<link rel=\"enclosure\" href=\"http://example.org/a.mp3\"/>"
	    "<link rel=\"alternate\" type=\"text/html\" href=\"http://example.org/e1\"/>"
	    "<published>2003-12-13T08:29:29-04:00</published>"
	    "<updated>2003-12-13T18:30:02Z</updated>"
	    "<author><name>Jo Doe</name><email>jo@example.org</email><uri>http://jo/</uri></author>"
	    "<category term=\"a\"/><category term=\"b\" label=\"B\"/><category term=\"a\"/>"
	    "<summary type=\"text\">1 &lt; 2</summary>"
	    "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi <em>there</em></p></div></content>"
	    "<source><title>Other</title><id>urn:other</id></source>"
	    "</entry></feed>", NULL);

	if (!ok(f != NULL, "atom10_parses"))
		return;
	is_str(f->format, "atom10", "atom10_format_named");
	is_str(f->title, "A <b>bold</b> feed", "atom_html_title_becomes_text");
	is_str(f->self_link, "http://example.org/feed.atom", "atom_self_link");
	is_str(f->link, "http://example.org/", "atom_link_without_rel_is_alternate");
	is_str(f->items[0].id, "urn:uuid:1", "atom_id");
	is_str(f->items[0].title, "x < y", "atom_text_title_kept_literal");
	is_str(f->items[0].link, "http://example.org/e1", "atom_alternate_link_not_enclosure");
	is_int(f->items[0].published, 1071318569, "atom_published_with_offset");
	is_int(f->items[0].updated, 1071340202, "atom_updated");
	is_str(f->items[0].author, "Jo Doe", "atom_author_name_not_uri");
	is_str(f->items[0].author_email, "jo@example.org", "atom_author_email");
	is_int((long long)f->items[0].ncategories, 2, "atom_categories_deduplicated");
	is_str(f->items[0].ncategories > 1 ? f->items[0].categories[1] : NULL,
	    "b", "atom_category_term_before_label");
	ok(f->items[0].summary_html != NULL &&
	    strstr(f->items[0].summary_html, "1 &lt; 2") != NULL,
	    "atom_text_summary_escaped_as_html");
	ok(f->items[0].content_html != NULL &&
	    strstr(f->items[0].content_html, "<em>there</em>") != NULL &&
	    strncmp(f->items[0].content_html, "<div", 4) != 0,
	    "atom_xhtml_content_serialized_without_wrapper_div");
	feed_free(f);
}

static void
atom03_and_rdf(void)
{
	struct feed *f = parse_ok(
	    "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
	    "<title>Old</title><entry><title>E</title>"
	    "<issued>2004-01-01T00:00:00Z</issued>"
	    "<modified>2004-01-02T00:00:00Z</modified>"
	    "<content type=\"text/html\" mode=\"escaped\">&lt;i&gt;x&lt;/i&gt;</content>"
	    "</entry></feed>", NULL);

	if (ok(f != NULL, "atom03_parses")) {
		is_str(f->format, "atom03", "atom03_format_named");
		is_int(f->items[0].published, 1072915200, "atom03_issued_is_published");
		is_int(f->items[0].updated, 1073001600, "atom03_modified_is_updated");
		ok(f->items[0].content_html != NULL &&
		    strstr(f->items[0].content_html, "<i>x</i>") != NULL,
		    "atom03_escaped_content_is_html");
	}
	feed_free(f);

	f = parse_ok(
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
	    " xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	    "<channel rdf:about=\"http://example.org/\"><title>RDF site</title>"
	    "<link>http://example.org/</link></channel>"
	    "<item rdf:about=\"http://example.org/i1\"><title>One</title>"
	    "<link>http://example.org/i1</link><dc:date>2002-10-02T10:00:00-05:00</dc:date>"
	    "<dc:creator>Ann</dc:creator><dc:subject>news</dc:subject></item>"
	    "<item rdf:about=\"http://example.org/i2\"><title>Two</title></item>"
	    "</rdf:RDF>", NULL);
	if (ok(f != NULL, "rdf_parses")) {
		is_str(f->format, "rss10", "rdf_format_named");
		is_str(f->title, "RDF site", "rdf_channel_title");
		is_int((long long)f->nitems, 2, "rdf_items_outside_channel");
		is_str(f->items[0].id, "http://example.org/i1", "rdf_about_is_id");
		is_int(f->items[0].updated, 1033570800, "dc_date_is_updated");
		is_int(f->items[0].published, DATE_NONE, "dc_date_not_published");
		is_str(f->items[0].author, "Ann", "dc_creator_is_author");
		is_str(f->items[0].ncategories ? f->items[0].categories[0] : NULL,
		    "news", "dc_subject_is_category");
	}
	feed_free(f);
}

static void
relative_links(void)
{
	struct feed *f = parse_ok(
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://example.org/blog/\">"
	    "<link href=\"./\"/>"
	    "<entry xml:base=\"posts/\"><link href=\"one.html\"/>"
	    "<content type=\"html\">&lt;a href=\"two.html\"&gt;x&lt;/a&gt;</content></entry>"
	    "<entry><link href=\"javascript:alert(1)\"/></entry>"
	    "</feed>", "http://ignored.example/feed");

	if (ok(f != NULL, "xml_base_parses")) {
		is_str(f->link, "http://example.org/blog/", "feed_link_resolved_against_xml_base");
		is_str(f->items[0].link, "http://example.org/blog/posts/one.html",
		    "nested_xml_base_resolves_item_link");
		is_str(f->items[1].link, NULL, "javascript_link_dropped");
	}
	feed_free(f);

	f = parse_ok("<rss version=\"2.0\"><channel><link>/</link>"
	    "<item><link>/a</link></item></channel></rss>",
	    "https://example.net/feed.xml");
	if (ok(f != NULL, "document_url_parses")) {
		is_str(f->link, "https://example.net/", "feed_link_resolved_against_document_url");
		is_str(f->items[0].link, "https://example.net/a",
		    "item_link_resolved_against_document_url");
	}
	feed_free(f);

	f = parse_ok("<rss version=\"2.0\"><channel><link>http://site.example/</link>"
	    "<item><link>p/1</link></item>"
	    "<item><guid>http://site.example/g</guid></item>"
	    "<item><guid>not-a-url</guid></item></channel></rss>", NULL);
	if (ok(f != NULL, "feed_link_base_parses")) {
		is_str(f->items[0].link, "http://site.example/p/1",
		    "item_link_falls_back_to_feed_link_base");
		is_str(f->items[1].link, "http://site.example/g",
		    "permalink_guid_becomes_link");
		is_str(f->items[2].link, NULL, "non_url_guid_is_no_link");
	}
	feed_free(f);
}

static void
text_forms(void)
{
	struct feed *f = parse_ok(
	    "<rss version=\"2.0\"><channel><title>T</title>"
	    "<item><title>AT&amp;amp;T &amp;mdash; &lt;b&gt;now&lt;/b&gt;</title>"
	    "<author>jo@example.com (Jo Doe)</author>"
	    "<category>x</category><category> x </category><category>y</category></item>"
	    "<item><title><![CDATA[Q&A <i>time</i>]]></title>"
	    "<author>solo@example.com</author>"
	    "<description><![CDATA[<p>cdata body</p>]]></description></item>"
	    "<item><title>1 &lt; 2 &amp; 3</title><title>ignored second</title></item>"
	    "<item><title>caf&eacute;&nbsp;ol&#233;</title></item>"
	    "</channel></rss>", NULL);

	if (!ok(f != NULL, "text_forms_parse"))
		return;
	is_str(f->items[0].title, "AT&T \xe2\x80\x94 now", "rss_title_with_entities_decoded_to_text");
	is_str(f->items[0].author, "Jo Doe", "rss_author_email_paren_name");
	is_str(f->items[0].author_email, "jo@example.com", "rss_author_email_extracted");
	is_int((long long)f->items[0].ncategories, 2, "rss_categories_deduplicated");
	is_str(f->items[1].title, "Q&A time", "cdata_title_with_markup_to_text");
	is_str(f->items[1].author, "solo@example.com", "rss_author_email_only");
	ok(f->items[1].summary_html != NULL &&
	    strstr(f->items[1].summary_html, "cdata body") != NULL,
	    "cdata_description_kept");
	is_str(f->items[2].title, "1 < 2 & 3", "plain_title_not_treated_as_html");
	is_str(f->items[3].title, "caf\xc3\xa9 ol\xc3\xa9",
	    "html_named_entities_in_xml_decoded");
	feed_free(f);
}

/* RFC 7303 3.2: the Content-Type's charset over the XML declaration. */
static void
http_charset_wins(void)
{
	/* Greek in ISO-8859-7 under a declaration a template got wrong. */
	const char greek[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<rss version=\"2.0\"><channel><title>\xe1\xe2\xe3</title>"
	    "</channel></rss>";
	const char utf8[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
	    "<rss version=\"2.0\"><channel><title>\xce\xb1\xce\xb2</title>"
	    "</channel></rss>";
	char *err = NULL;
	struct feed *f;

	f = feed_parse(greek, strlen(greek), NULL, "iso-8859-7", &err);
	if (ok(f != NULL, "http_charset_over_utf8_declaration_parses"))
		is_str(f->title, "\xce\xb1\xce\xb2\xce\xb3",
		    "http_charset_wins_over_utf8_declaration");
	feed_free(f);
	f = feed_parse(utf8, strlen(utf8), NULL, "utf-8", &err);
	if (ok(f != NULL, "http_utf8_over_latin1_declaration_parses"))
		is_str(f->title, "\xce\xb1\xce\xb2",
		    "http_utf8_wins_over_latin1_declaration");
	feed_free(f);
	f = feed_parse(utf8, strlen(utf8), NULL, "no-such-charset", &err);
	if (ok(f != NULL, "unknown_http_charset_parses"))
		is_str(f->title, "\xc3\x8e\xc2\xb1\xc3\x8e\xc2\xb2",
		    "unknown_http_charset_leaves_the_declaration");
	feed_free(f);
	free(err);
}

static void
encodings(void)
{
	/* "caf\xe9" and "\x93quoted\x94" are windows-1252 bytes. */
	const char doc[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<rss version=\"2.0\"><channel><title>caf\xe9</title>"
	    "<item><title>\x93quoted\x94 \xc3\xa9t\xc3\xa9</title></item></channel></rss>";
	const char latin1[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
	    "<rss version=\"2.0\"><channel><title>na\xefve</title></channel></rss>";
	const char nodecl[] = "<rss version=\"2.0\"><channel><title>\xe0 la</title>"
	    "</channel></rss>";
	char *err = NULL;
	struct feed *f = parse_ok(doc, NULL);

	if (ok(f != NULL, "cp1252_bytes_in_utf8_feed_parse")) {
		is_str(f->title, "caf\xc3\xa9", "invalid_utf8_bytes_read_as_cp1252");
		is_str(f->nitems ? f->items[0].title : NULL,
		    "\xe2\x80\x9cquoted\xe2\x80\x9d \xc3\xa9t\xc3\xa9",
		    "cp1252_quotes_mapped_valid_utf8_kept");
	}
	feed_free(f);
	f = parse_ok(latin1, NULL);
	if (ok(f != NULL, "declared_latin1_parses"))
		is_str(f->title, "na\xc3\xafve", "declared_latin1_converted_to_utf8");
	feed_free(f);
	f = feed_parse(nodecl, strlen(nodecl), NULL, "iso-8859-1", &err);
	if (ok(f != NULL, "http_charset_used_without_declaration"))
		is_str(f->title, "\xc3\xa0 la", "http_charset_decodes_document");
	feed_free(f);
	free(err);
	http_charset_wins();
}

static void
not_feeds(void)
{
	char *err = NULL;
	struct feed *f;

	f = parse("<!DOCTYPE html><html><head><title>x</title></head></html>", NULL, &err);
	ok(f == NULL && err != NULL && strstr(err, "HTML page") != NULL,
	    "html_page_is_not_a_feed");
	free(err);
	f = parse("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
	    NULL, &err);
	ok(f == NULL && err != NULL && strstr(err, "HTML page") != NULL,
	    "xhtml_page_is_not_a_feed");
	free(err);
	f = feed_parse("", 0, NULL, NULL, &err);
	ok(f == NULL && err != NULL && strstr(err, "empty") != NULL,
	    "empty_body_is_an_error");
	free(err);
	f = parse("  \n\t ", NULL, &err);
	ok(f == NULL && err != NULL && strstr(err, "empty") != NULL,
	    "whitespace_body_is_an_error");
	free(err);
	f = parse("<?xml version=\"1.0\"?><opml><body/></opml>", NULL, &err);
	ok(f == NULL && err != NULL && strstr(err, "opml") != NULL,
	    "other_root_element_named_in_error");
	free(err);
	f = parse("just some text", NULL, &err);
	ok(f == NULL && err != NULL && strncmp(err, "not XML", 7) == 0,
	    "plain_text_is_not_xml");
	free(err);
}

static void
malformed(void)
{
	struct feed *f = parse_ok(
	    "\n\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title>\n"
	    "<item><title>one</title></item>\n"
	    "<item><title>two</i></title><description>x</description></item>\n"
	    "<item><title>three</title></item>\n", NULL);

	if (ok(f != NULL, "malformed_feed_still_parses")) {
		ok(f->warning != NULL && strncmp(f->warning, "XML error at line", 17) == 0,
		    "malformed_feed_sets_warning");
		ok(f->nitems >= 2, "malformed_feed_keeps_items_read");
		is_str(f->nitems ? f->items[0].title : NULL, "one",
		    "malformed_feed_first_item_intact");
	}
	feed_free(f);
}

/* Every text and link of f, in bytes. */
static size_t
feed_size(const struct feed *f)
{
	size_t i, n = 0;

	for (i = 0; f != NULL && i < f->nitems; i++) {
		n += f->items[i].title ? strlen(f->items[i].title) : 0;
		n += f->items[i].link ? strlen(f->items[i].link) : 0;
		n += f->items[i].summary_html ?
		    strlen(f->items[i].summary_html) : 0;
		n += f->items[i].content_html ?
		    strlen(f->items[i].content_html) : 0;
	}
	return n;
}

/*
 * One 10 KB entity used 5,000 times, in text and in attributes: 50 MB
 * each if every reference were expanded.  No nesting, so only a budget
 * on expanded text stops it.
 */
static void
quadratic_blowup(void)
{
	const char *spots[] = { "<description>%s</description>",
	    "<link href=\"http://example.org/%s\"/>",
	    "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "<a title=\"%s\">x</a></div></content>" };
	char *refs, *body, *doc, *err = NULL;
	struct feed *f;
	size_t i, k, n;

	refs = malloc(5000 * 3 + 1);
	for (i = 0; i < 5000; i++)
		memcpy(refs + 3 * i, "&e;", 3);
	refs[5000 * 3] = '\0';
	for (k = 0; k < sizeof spots / sizeof spots[0]; k++) {
		body = malloc(strlen(spots[k]) + strlen(refs));
		sprintf(body, spots[k], refs);
		n = 10000 + strlen(body) + 400;
		doc = malloc(n);
		snprintf(doc, n, "<?xml version=\"1.0\"?><!DOCTYPE feed ["
		    "<!ENTITY e \"%0*d\">]><feed xmlns=\"http://www.w3.org/"
		    "2005/Atom\"><entry><id>q</id>%s</entry></feed>", 10000, 0,
		    body);
		f = feed_parse(doc, strlen(doc), NULL, NULL, &err);
		ok(f != NULL && f->nitems == 1, k == 0 ?
		    "quadratic_blowup_in_text_parses" : k == 1 ?
		    "quadratic_blowup_in_attribute_parses" :
		    "quadratic_blowup_in_xhtml_attribute_parses");
		ok(feed_size(f) < 200000, k == 0 ?
		    "quadratic_blowup_in_text_is_bounded" : k == 1 ?
		    "quadratic_blowup_in_attribute_is_bounded" :
		    "quadratic_blowup_in_xhtml_attribute_is_bounded");
		ok(f != NULL && f->warning != NULL &&
		    strstr(f->warning, "entity") != NULL, k == 0 ?
		    "quadratic_blowup_in_text_warns" : k == 1 ?
		    "quadratic_blowup_in_attribute_warns" :
		    "quadratic_blowup_in_xhtml_attribute_warns");
		feed_free(f);
		free(err);
		err = NULL;
		free(body);
		free(doc);
	}
	free(refs);

	/* A few uses of a small entity are still expanded, with no warning. */
	f = parse_ok("<?xml version=\"1.0\"?><!DOCTYPE rss ["
	    "<!ENTITY site \"Example\">]><rss version=\"2.0\"><channel>"
	    "<title>&site; news</title><item><title>&site; &site;</title>"
	    "<link>http://example.org/?s=&site;</link></item></channel></rss>",
	    NULL);
	if (ok(f != NULL && f->nitems == 1, "small_entities_parse")) {
		is_str(f->title, "Example news", "small_entity_expanded_in_text");
		is_str(f->items[0].title, "Example Example",
		    "small_entity_expanded_twice");
		ok(f->warning == NULL, "small_entities_give_no_warning");
	}
	feed_free(f);
}

static void
hostile(void)
{
	char *err = NULL;
	struct feed *f;
	size_t i, total = 0;

	f = parse("<?xml version=\"1.0\"?>"
	    "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
	    "<rss version=\"2.0\"><channel><title>a&xxe;b</title>"
	    "<item><title>&xxe;</title></item></channel></rss>", NULL, &err);
	if (ok(f != NULL, "external_entity_feed_parses")) {
		ok(f->title != NULL && strstr(f->title, "root:") == NULL,
		    "external_entity_not_read");
		ok(f->nitems == 1 && (f->items[0].title == NULL ||
		    strstr(f->items[0].title, "root:") == NULL),
		    "external_entity_not_read_in_item");
	}
	feed_free(f);
	free(err);

	err = NULL;
	f = parse("<?xml version=\"1.0\"?><!DOCTYPE rss ["
	    "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
	    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
	    "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"
	    "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>"
	    "<rss version=\"2.0\"><channel><title>&i;</title>"
	    "<item><title>&i;&i;&i;</title><description>&i;</description></item>"
	    "</channel></rss>", NULL, &err);
	if (f != NULL) {
		total += f->title ? strlen(f->title) : 0;
		for (i = 0; i < f->nitems; i++) {
			total += f->items[i].title ? strlen(f->items[i].title) : 0;
			total += f->items[i].summary_html ?
			    strlen(f->items[i].summary_html) : 0;
		}
	}
	ok(total < 100000, "billion_laughs_not_expanded");
	feed_free(f);
	free(err);

	f = parse_ok("<rss version=\"2.0\"><channel><title>T</title>"
	    "<item><title>x\x01y</title></item></channel></rss>", NULL);
	ok(f != NULL && f->nitems == 1, "control_characters_do_not_stop_parsing");
	feed_free(f);
	quadratic_blowup();
}

int
main(void)
{
	rss20_basic();
	atom10_basic();
	atom03_and_rdf();
	relative_links();
	text_forms();
	encodings();
	not_feeds();
	malformed();
	hostile();
	return done_testing();
}
