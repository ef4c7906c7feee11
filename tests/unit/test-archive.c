/*
 * test-archive.c - the archive writer: identical pages left alone,
 * stale pages of its own removed, nothing else ever deleted; and the
 * names of the weekly issue pages and of a sent digest's page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "digest.h"
#include "fileio.h"
#include "tap.h"
#include "xmalloc.h"

static char *top, *dir;

static char *
at(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	return path;
}

static int
exists(const char *rel)
{
	struct stat sb;

	return stat(at(rel), &sb) == 0;
}

static void
put(const char *rel, const char *data)
{
	char *err = NULL;

	if (file_write_atomic(at(rel), data, strlen(data), &err) == -1) {
		printf("# %s\n", err);
		free(err);
	}
}

static void
site_of(struct archive_site *s, int npages)
{
	int i;

	memset(s, 0, sizeof *s);
	archive_site_add(s, xstrdup("index.html"), xstrdup("<p>index</p>"));
	for (i = 1; i <= npages; i++)
		archive_site_add(s, i == 1 ? xstrdup("t/index.html") :
		    xasprintf("t/page/%d.html", i), xasprintf("<p>%d</p>", i));
}

static void
test_rewrites_only_changes(void)
{
	struct archive_site s;
	struct archive_stats st;
	struct stat before, after;
	char *err = NULL;

	site_of(&s, 3);
	ok(archive_write(dir, &s, &st, &err) == 0, "first write succeeds");
	is_int((int)st.written, 4, "first write writes every page");
	stat(at("t/page/3.html"), &before);
	sleep(1);
	ok(archive_write(dir, &s, &st, &err) == 0, "second write succeeds");
	is_int((int)st.written, 0, "second write writes nothing");
	is_int((int)st.unchanged, 4, "second write finds every page unchanged");
	stat(at("t/page/3.html"), &after);
	ok(before.st_mtime == after.st_mtime, "an unchanged page keeps its mtime");
	free(s.pages[1].data);
	s.pages[1].data = xstrdup("<p>new</p>");
	s.pages[1].len = strlen(s.pages[1].data);
	archive_write(dir, &s, &st, &err);
	is_int((int)st.written, 1, "a changed page is the only one written");
	archive_site_free(&s);
}

static void
test_removes_only_its_own(void)
{
	struct archive_site s;
	struct archive_stats st;
	char *err = NULL;

	put("t/page/mine.html", "operator's");
	put("keep.txt", "operator's");
	/* A manifest edited to name files outside the archive. */
	put(".gazette-archive", "index.html\nt/index.html\nt/page/2.html\n"
	    "t/page/3.html\n../outside\nkeep.txt/../keep.txt\n");
	put("../outside", "x");
	site_of(&s, 1);
	ok(archive_write(dir, &s, &st, &err) == 0, "shrunk site is written");
	is_int((int)st.removed, 2, "the two stale pages are removed");
	ok(!exists("t/page/2.html") && !exists("t/page/3.html"),
	    "stale pages are gone");
	ok(exists("t/page/mine.html") && exists("keep.txt"),
	    "files gazette did not write stay");
	ok(exists("../outside"),
	    "a manifest path outside the folder is never touched");
	archive_site_free(&s);
}

static void
test_unwritable(void)
{
	struct archive_site s;
	struct archive_stats st;
	char *err = NULL;
	char *file = xasprintf("%s/plain-file", dir);

	put("plain-file", "x");
	site_of(&s, 1);
	ok(archive_write(file, &s, &st, &err) == -1,
	    "a file in place of the folder is an error");
	ok(err && strstr(err, "plain-file") != NULL, "the error names it");
	free(err);
	archive_site_free(&s);
	free(file);
}

static void
test_issue_names(void)
{
	char *p;

	p = archive_issue_path(1796040000);	/* Mon 30 Nov 2026 12:00 UTC */
	is_str(p, "issue-2026-W49.html", "a Monday starts its ISO week");
	free(p);
	p = archive_issue_path(1798891200);	/* Sat 2 Jan 2027 */
	is_str(p, "issue-2026-W53.html", "early January can be last year's week");
	free(p);
}

/* A digest made at t showing topic 7 (items a, b) and topic 9 (none). */
static struct digest *
sample(int64_t t, int64_t a, int64_t b)
{
	struct digest *d = digest_new();
	struct digest_topic *tp = digest_add_topic(d, 7, "net", "Net");

	d->created = t;
	digest_add_entry(tp)->item_id = a;
	digest_add_entry(tp)->item_id = b;
	digest_add_topic(d, 9, "misc", "Misc");
	return d;
}

static void
test_digest_names(void)
{
	struct digest *x = sample(1796040000, 1, 2);
	struct digest *same = sample(1796040000 + 3 * 86400, 1, 2);
	struct digest *order = sample(1796040000, 2, 1);
	struct digest *later = sample(1796040000 + 7 * 86400, 1, 2);
	char *p = archive_digest_path(x), *q;

	ok(strncmp(p, "issue-2026-W49-", 15) == 0 && strlen(p) == 32 &&
	    strcmp(p + 27, ".html") == 0,
	    "a digest page is named by its week and a key");
	q = archive_digest_path(same);
	is_str(q, p, "the same content that week: the same page");
	free(q);
	digest_add_topic(same, 11, "empty", "Empty");
	q = archive_digest_path(same);
	is_str(q, p, "a topic that shows nothing does not change it");
	free(q);
	q = archive_digest_path(order);
	ok(strcmp(q, p) != 0, "entries in another order: another page");
	free(q);
	q = archive_digest_path(later);
	ok(strncmp(q, "issue-2026-W50-", 15) == 0 && strcmp(q + 14, p + 14)
	    == 0, "the same content a week later: that week's page");
	free(q);
	q = archive_digest_url("https://n.example.org", x);
	ok(strncmp(q, "https://n.example.org/", 22) == 0 &&
	    strcmp(q + 22, p) == 0, "the view-in-browser URL is base_url "
	    "and the page");
	free(q);
	free(p);
	digest_free(x);
	digest_free(same);
	digest_free(order);
	digest_free(later);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char *cmd;

	top = xasprintf("%s/gazette-archive.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(top) == NULL)
		return 1;
	dir = xasprintf("%s/site", top);
	test_rewrites_only_changes();
	test_removes_only_its_own();
	test_unwritable();
	test_issue_names();
	test_digest_names();
	cmd = xasprintf("rm -rf '%s'", top);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", top);
	free(cmd);
	free(dir);
	free(top);
	return done_testing();
}
