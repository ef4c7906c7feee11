/*
 * test-html-fast.c - html-fast.c against libxml2's HTML parser.
 *
 * Wherever the fast reader accepts a fragment, its events must be exactly
 * libxml2's.  Checked on hand-picked fragments (tidy ones it must accept,
 * ones libxml2 reads in its own way that it must decline) and on every
 * piece of text in every feed of the shared corpus, about 2,300 feeds;
 * without the corpus those are skipped, never failed.
 */

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "html-events.h"
#include "tap.h"
#include "xmalloc.h"

/* Tidy fragments the fast reader must take, with libxml2's reading. */
static const char *const tidy[] = {
	"plain text",
	"<p>One <em>two</em> &amp; three&nbsp;&eacute;&#8217;&#x2014;</p>",
	"<p>a <a href=\"https://example.org/1?a=1&amp;b=2\">link</a></p>",
	"<ul>\n<li>one</li>\n<li>two <b>bold</b></li>\n</ul>",
	"<pre><code>if (a &lt; b &amp;&amp; c &gt; d) return 0;</code></pre>",
	"<p><img src=\"https://cdn.example.org/i/1.png\" alt=\"caf\xc3\xa9\"></p>",
	"<p>line<br>break<br/>again<br /></p><hr>",
	"<div><blockquote><p>quoted</p></blockquote></div>",
	"<P CLASS='x' Title=\"T\">upper</P>",
	"<ol reversed start=3><li>x</li></ol>",
	"<dl><dt>term</dt><dd><p>def</p></dd></dl>",
	"<!-- a comment --><p>after</p>",
	"<h2>Heading</h2><p>text</p> trailing",
	"<p>unclosed <em>at the end",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e <i>\xd0\xa0\xd1\x83</i>",
	"<p title=\"\xef\xbc\x81\">fullwidth \xef\xbc\x81</p>",	/* U+FF01 */
};

/* Fragments libxml2 reads in its own way: the fast reader declines. */
static const char *const declined[] = {
	"<p>para<ul><li>list</li></ul>",	/* ul closes the p */
	"<ul><li>one<li>two</ul>",		/* li closes the li */
	"<b><p>block in inline</p></b>",
	"<a href=x>one <a href=y>two</a></a>",
	"<p>a</b></p>",				/* stray end tag */
	"<section>HTML5</section>",
	"<script>alert(1)</script>",
	"<p>AT&T</p>",				/* loose ampersand */
	"<p>&unknown;</p>",
	"<p>1 < 2</p>",
	"<p a=1 a=2>dup</p>",
	"<p title=\"x\"class=\"y\">glued</p>",
	"<pre>\nleading newline</pre>",
	"<!-->odd comment-->",
	"<ul>text in a list</ul>",
	"<img src=x/>",
	"<p>a\xef\xbf\xbf b</p>",		/* U+FFFF: libxml2 drops it */
	"<p title=\"\xef\xbf\xbe\">x</p>",	/* U+FFFE */
	"<!-- \xef\xbf\xbe --><p>x</p>",
};

static int
same_reading(const char *html, int must_accept, int must_decline)
{
	char *fast = events_of(html, 1), *slow = events_of(html, 0);
	int good;

	good = fast == NULL ? !must_accept : !must_decline &&
	    strcmp(fast, slow) == 0;
	if (!good)
		printf("# fragment: %s\n# fast:\n%s\n# libxml2:\n%s\n", html,
		    fast ? fast : "(declined)", slow);
	free(fast);
	free(slow);
	return good;
}

static void
test_hand_picked(void)
{
	size_t i;
	int good = 1;

	for (i = 0; i < sizeof tidy / sizeof tidy[0]; i++)
		good &= same_reading(tidy[i], 1, 0);
	ok(good, "tidy fragments are read as libxml2 reads them");
	good = 1;
	for (i = 0; i < sizeof declined / sizeof declined[0]; i++)
		good &= same_reading(declined[i], 0, 1);
	ok(good, "fragments libxml2 reads its own way are declined");
}

/* The corpus walk's tally. */
static struct {
	long	 fragments, accepted, marked_up, marked_up_accepted, differ;
} tally;

/* Where two readings part, with a little of each from a line before. */
static void
show_difference(const char *html, const char *fast, const char *slow)
{
	size_t at = 0;

	while (fast[at] != '\0' && fast[at] == slow[at])
		at++;
	while (at > 0 && fast[at - 1] != '\n')
		at--;
	printf("# differs: %.300s\n# fast, from where they part:\n%.300s\n"
	    "# libxml2:\n%.300s\n", html, fast + at, slow + at);
}

static void
check_text(const xmlChar *content)
{
	size_t len;
	char *html = html_utf8_clean((const char *)content, &len);
	char *fast = events_of(html, 1), *slow;
	int markup = strchr(html, '<') != NULL;

	tally.fragments++;
	tally.marked_up += markup;
	if (fast != NULL) {
		tally.accepted++;
		tally.marked_up_accepted += markup;
		slow = events_of(html, 0);
		if (strcmp(fast, slow) != 0 && ++tally.differ <= 5)
			show_difference(html, fast, slow);
		free(slow);
	}
	free(fast);
	free(html);
}

/* Every text and CDATA node under n that is not only blanks. */
static void
walk_nodes(xmlNodePtr n)
{
	for (; n != NULL; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		    && n->content != NULL && !xmlIsBlankNode(n))
			check_text(n->content);
		if (n->type == XML_ELEMENT_NODE)
			walk_nodes(n->children);
	}
}

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int
visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	xmlDocPtr doc;

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".xml") != 0)
		return 0;
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_RECOVER);
	if (doc != NULL)
		walk_nodes(xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	return 0;
}

static char *
corpus_dir(void)
{
	const char *env;

	if ((env = getenv("GAZETTE_SHARED")) != NULL)
		return xasprintf("%s/corpus", env);
	if ((env = getenv("top_srcdir")) != NULL)
		return xasprintf("%s/../shared/corpus", env);
	return xstrdup("../shared/corpus");
}

static void
test_corpus(void)
{
	char *dir = corpus_dir(), *real = xasprintf("%s/realworld", dir);
	char *peer = xasprintf("%s/feedparser", dir);

	xmlSetGenericErrorFunc(NULL, silent);

	if (nftw(real, visit, 16, FTW_PHYS) != 0 ||
	    nftw(peer, visit, 16, FTW_PHYS) != 0) {
		printf("ok %d # SKIP no corpus at %s\n", ++tap_n, dir);
		printf("ok %d # SKIP no corpus at %s\n", ++tap_n, dir);
	} else {
		printf("# %ld pieces of text, %ld read fast; %ld with markup, "
		    "%ld of them read fast\n", tally.fragments, tally.accepted,
		    tally.marked_up, tally.marked_up_accepted);
		ok(tally.differ == 0, "the corpus: wherever read fast, read "
		    "as libxml2 reads it");
		/* Most feed HTML is tidy: the fast reader must take most. */
		ok(tally.marked_up_accepted * 2 > tally.marked_up,
		    "the corpus: most text with markup is read fast");
	}
	free(peer);
	free(real);
	free(dir);
}

int
main(void)
{
	test_hand_picked();
	test_corpus();
	xmlCleanupParser();
	return done_testing();
}
