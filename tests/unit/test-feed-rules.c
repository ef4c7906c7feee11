/*
 * test-feed-rules.c - feed_parse on the reading rules the feedparser corpus
 * taught us: which of several authors wins, misspelt namespaces, category
 * text, CDF, charset detection, entities and content types.  Each document
 * is a few lines written for the rule it covers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feed.h"
#include "tap.h"

static struct feed *
parse_ok(const char *doc)
{
	char *err = NULL;
	struct feed *f = feed_parse(doc, strlen(doc), NULL, NULL, &err);

	if (f == NULL) {
		printf("# unexpected error: %s\n", err);
		free(err);
	}
	return f;
}

/* The one item of doc, or NULL (after a failed check). */
static struct feed_item *
only_item(struct feed *f, const char *name)
{
	if (!ok(f != NULL && f->nitems == 1, name))
		return NULL;
	return &f->items[0];
}

static void
authors(void)
{
	struct feed *f = parse_ok(
	    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
	    " xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
	    "<channel><item><dc:creator>First Author</dc:creator>"
	    "<dc:creator>Second Author</dc:creator>"
	    "<itunes:author>The Show</itunes:author></item></channel></rss>");
	struct feed_item *it = only_item(f, "multiple_creators_parse");

	if (it != NULL)
		is_str(it->author, "First Author", "first_text_author_wins");
	feed_free(f);

	f = parse_ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<author><name>one</name></author>"
	    "<author><name>two</name></author></entry></feed>");
	if ((it = only_item(f, "multiple_atom_authors_parse")) != NULL)
		is_str(it->author, "two", "last_structured_atom_author_wins");
	feed_free(f);
}

static void
namespaces(void)
{
	struct feed *f = parse_ok(
	    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1\""
	    " xmlns:content=\"http://purl.org/rss/1.0/modules/content\">"
	    "<channel><item><dc:creator>Jo</dc:creator>"
	    "<dc:subject>news</dc:subject>"
	    "<content:encoded>&lt;p&gt;body&lt;/p&gt;</content:encoded>"
	    "</item></channel></rss>");
	struct feed_item *it = only_item(f, "namespaces_without_slash_parse");

	if (it != NULL) {
		is_str(it->author, "Jo", "dc_namespace_without_trailing_slash");
		ok(it->content_html != NULL &&
		    strstr(it->content_html, "body") != NULL,
		    "content_namespace_without_trailing_slash");
	}
	feed_free(f);
}

static void
categories(void)
{
	struct feed *f = parse_ok(
	    "<rss version=\"2.0\"><channel><item>"
	    "<tags>tag one, tag two</tags>"
	    "<category>Example category\n <image><url>http://example.org/i.jpg</url>"
	    "<title>Image</title></image>\n</category>"
	    "</item></channel></rss>");
	struct feed_item *it = only_item(f, "category_rules_parse");

	if (it == NULL) {
		feed_free(f);
		return;
	}
	is_int((long long)it->ncategories, 3, "tags_and_category_give_three");
	is_str(it->ncategories > 0 ? it->categories[0] : NULL, "tag one",
	    "tags_element_split_at_commas");
	is_str(it->ncategories > 2 ? it->categories[2] : NULL,
	    "Example category", "category_text_excludes_nested_elements");
	is_str(it->title, NULL, "image_title_inside_category_is_not_item_title");
	feed_free(f);
}

static void
cdf(void)
{
	struct feed *f = parse_ok(
	    "<CHANNEL BASE=\"http://base.example.org/\" HREF=\"http://www.example.org/\">"
	    "<TITLE>channel title</TITLE><ABSTRACT>channel abstract</ABSTRACT>"
	    "<ITEM HREF=\"/item/1\" LASTMOD=\"2004-04-06T23:05:43-05:00\">"
	    "<TITLE>item title</TITLE><ABSTRACT>item abstract</ABSTRACT>"
	    "</ITEM></CHANNEL>");
	struct feed_item *it = only_item(f, "cdf_channel_parses");

	if (it == NULL) {
		feed_free(f);
		return;
	}
	is_str(f->format, "cdf", "cdf_format_named");
	is_str(f->title, "channel title", "cdf_channel_title");
	is_str(f->link, "http://www.example.org/", "cdf_channel_href_is_link");
	is_str(it->title, "item title", "cdf_item_title");
	is_str(it->link, "http://base.example.org/item/1",
	    "cdf_item_href_resolved_against_base");
	is_int(it->updated, 1081310743, "cdf_lastmod_is_updated");
	is_str(it->summary_html, "item abstract", "cdf_abstract_is_summary");
	feed_free(f);
}

static void
charsets(void)
{
	/* KOI8-R and Shift_JIS with no declaration, as feedparser's chardet
	 * tests have them. */
	const char koi8[] = "<rss><channel><item><title>\xeb\xc1\xcb \xd0\xc5\xd2\xc5\xd6\xc9\xd4\xd8 \xce\xcf\xd7\xcf\xc7\xcf\xc4\xce\xc0\xc0 \xce\xcf\xde\xd8</title>"
	    "<description>\xeb\xc1\xcb \xd0\xc5\xd2\xc5\xd6\xc9\xd4\xd8 \xce\xcf\xd7\xcf\xc7\xcf\xc4\xce\xc0\xc0 \xce\xcf\xde\xd8: \xce\xc1\xd7\xc5\xd2\xce\xcf\xc5, \xc5\xc4\xc9\xce\xd3\xd4\xd7\xc5\xce\xce\xcf\xc5, \xd7\xcf \xde\xd4\xcf \xd3\xc5\xc7\xcf\xc4\xce\xd1 \xcd\xcf\xd6\xce\xcf \xd7\xc5\xd2\xc9\xd4\xd8 \xc2\xc5\xda\xcf\xc7\xcf\xd7\xcf\xd2\xcf\xde\xce\xcf</description></item></channel></rss>";
	const char sjis[] = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<title>\x83Q\x81[\x83\x80\x8eO\x96\x86\x82\xc8\x90\xb3\x8c\x8e</title><summary>\x83Q\x81[\x83\x80\x8eO\x96\x86\x82\xc8\x90\xb3\x8c\x8e\x82\xf0\x82\xb8\x82\xc1\x82\xc6\x83v\x83\x8c\x83" "C\x82\xb5\x82\xc4\x82\xa2\x82\xe9\x81" "B\x82\xd9\x82\xda\x82\xe2\x82\xe8\x90s\x82\xad\x82\xb5\x82\xc4\x82\xb5\x82\xdc\x82\xc1\x82\xbd\x81" "B</summary></entry></feed>";
	const char latin[] = "<rss><channel><item><title>caf\xe9 cr\xe8me "
	    "br\xfbl\xe9" "e</title></item></channel></rss>";
	struct feed *f = parse_ok(koi8);
	struct feed_item *it = only_item(f, "undeclared_koi8r_parses");

	if (it != NULL)
		is_str(it->title, "\xd0\x9a\xd0\xb0\xd0\xba \xd0\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb6\xd0\xb8\xd1\x82\xd1\x8c \xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbe\xd0\xb3\xd0\xbe\xd0\xb4\xd0\xbd\xd1\x8e\xd1\x8e \xd0\xbd\xd0\xbe\xd1\x87\xd1\x8c", "undeclared_koi8r_detected");
	feed_free(f);
	f = parse_ok(sjis);
	if ((it = only_item(f, "undeclared_shift_jis_parses")) != NULL)
		is_str(it->title, "\xe3\x82\xb2\xe3\x83\xbc\xe3\x83\xa0\xe4\xb8\x89\xe6\x98\xa7\xe3\x81\xaa\xe6\xad\xa3\xe6\x9c\x88", "undeclared_shift_jis_detected");
	feed_free(f);
	f = parse_ok(latin);
	if ((it = only_item(f, "undeclared_latin1_parses")) != NULL)
		is_str(it->title, "caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e",
		    "undeclared_western_bytes_read_as_cp1252");
	feed_free(f);
}

static void
contents(void)
{
	struct feed *f = parse_ok(
	    "<rss version=\"2.0\"><channel>"
	    "<item><description>Example description</description>"
	    "<summary>Example summary</summary></item>"
	    "<item><summary>Example summary</summary>"
	    "<description>Example description</description></item>"
	    "</channel></rss>");

	if (ok(f != NULL && f->nitems == 2, "summary_order_parses")) {
		is_str(f->items[0].summary_html, "Example description",
		    "first_summary_wins_description_first");
		is_str(f->items[1].summary_html, "Example summary",
		    "first_summary_wins_summary_first");
	}
	feed_free(f);
	f = parse_ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<content type=\"html\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "Example &lt;b&gt;Atom&lt;/b&gt;</div></content>"
	    "<summary type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>a</mi><mo>+</mo>"
	    "<mi>b</mi></math></div></summary></entry></feed>");
	if (ok(f != NULL && f->nitems == 1, "html_content_in_div_parses")) {
		ok(f->items[0].content_html != NULL &&
		    strstr(f->items[0].content_html, "<b>Atom</b>") != NULL,
		    "escaped_html_beside_literal_div_is_markup");
		is_str(f->items[0].summary_html, "a+b", "mathml_text_kept");
	}
	feed_free(f);
}

/*
 * A podcast episode's audio is its enclosure: kept beside the link (the
 * store falls back to it), never mixed into the alternate link, which
 * feedparser leaves empty.
 */
static void
enclosures(void)
{
	struct feed *f = parse_ok(
	    "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\">"
	    "<channel><link>https://pod.example.org/</link>"
	    "<item><guid isPermaLink=\"false\">e1</guid>"
	    "<enclosure url=\"https://cdn.example.org/e1.mp3\" type=\"audio/mpeg\""
	    " length=\"1\"/></item>"
	    "<item><link>https://pod.example.org/e2</link>"
	    "<enclosure url=\"https://cdn.example.org/e2.mp3\"/></item>"
	    "<item><media:content url=\"https://cdn.example.org/e3.mp4\"/>"
	    "<enclosure url=\"https://cdn.example.org/e3.mp3\"/></item>"
	    "<item><enclosure url=\"e4.mp3\"/></item>"
	    "<item><enclosure url=\"javascript:alert(1)\"/></item>"
	    "<item><guid>https://pod.example.org/e6</guid>"
	    "<enclosure url=\"https://cdn.example.org/e6.mp3\"/></item>"
	    "</channel></rss>");

	if (ok(f != NULL && f->nitems == 6, "enclosure_items_parse")) {
		is_str(f->items[0].enclosure, "https://cdn.example.org/e1.mp3",
		    "rss_enclosure_url_is_read");
		ok(f->items[0].link == NULL, "enclosure_is_not_the_alternate_link");
		is_str(f->items[1].link, "https://pod.example.org/e2",
		    "item_link_kept_beside_enclosure");
		is_str(f->items[1].enclosure, "https://cdn.example.org/e2.mp3",
		    "enclosure_kept_beside_item_link");
		is_str(f->items[2].enclosure, "https://cdn.example.org/e3.mp4",
		    "first_of_media_content_and_enclosure_is_kept");
		is_str(f->items[3].enclosure, "https://pod.example.org/e4.mp3",
		    "relative_enclosure_resolves_against_the_feed_link");
		ok(f->items[4].enclosure == NULL,
		    "javascript_enclosure_is_dropped");
		is_str(f->items[5].link, "https://pod.example.org/e6",
		    "permalink_guid_is_still_the_link");
	}
	feed_free(f);

	f = parse_ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<id>urn:x:1</id><link rel=\"enclosure\" type=\"audio/mpeg\""
	    " href=\"https://cdn.example.org/a.mp3\"/></entry></feed>");
	if (ok(f != NULL && f->nitems == 1, "atom_enclosure_parses"))
		is_str(f->items[0].enclosure, "https://cdn.example.org/a.mp3",
		    "atom_link_rel_enclosure_is_read");
	feed_free(f);

	f = parse_ok("{\"version\": \"https://jsonfeed.org/version/1.1\","
	    " \"items\": [{\"id\": \"1\", \"attachments\": [{\"url\":"
	    " \"https://cdn.example.org/j.mp3\", \"mime_type\":"
	    " \"audio/mpeg\"}]}]}");
	if (ok(f != NULL && f->nitems == 1, "json_feed_attachment_parses"))
		is_str(f->items[0].enclosure, "https://cdn.example.org/j.mp3",
		    "json_feed_first_attachment_is_the_enclosure");
	feed_free(f);
}

int
main(void)
{
	authors();
	namespaces();
	categories();
	cdf();
	charsets();
	contents();
	enclosures();
	return done_testing();
}
