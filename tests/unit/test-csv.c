/*
 * test-csv.c - the CSV reader's edge cases and the writer's quoting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "tap.h"
#include "xmalloc.h"

/* Read all of text; "F1|F2/line;..." records, problems as "!why". */
static char *
read_all(const char *text, size_t len, int same_width)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	struct csv_reader *r = csv_reader_new(fp, same_width);
	struct csv_record *rec;
	char *out = xstrdup(""), *next, *err = NULL;
	size_t i;
	int rc;

	while ((rc = csv_reader_next(r, &rec, &err)) == 1) {
		for (i = 0; i < rec->nfields; i++) {
			next = xasprintf("%s%s%s", out, i ? "|" : "",
			    rec->fields[i]);
			free(out);
			out = next;
		}
		next = xasprintf("%s@%lu%s%s;", out, rec->line,
		    rec->problem ? "!" : "", rec->problem ? rec->problem : "");
		free(out);
		out = next;
	}
	if (rc == -1) {
		next = xasprintf("%sERR %s", out, err);
		free(out);
		free(err);
		out = next;
	}
	csv_reader_free(r);
	fclose(fp);
	return out;
}

static void
check(const char *text, int same_width, const char *want, const char *name)
{
	char *got = read_all(text, strlen(text), same_width);

	is_str(got, want, name);
	free(got);
}

static void
test_reader(void)
{
	char *got;

	check("a,b\n1,2\n", 1, "a|b@1;1|2@2;", "plain records carry their "
	    "line");
	check("a,b\r\n1,2\n3,4\r\n", 1, "a|b@1;1|2@2;3|4@3;",
	    "mixed CRLF and LF line ends");
	check("a,b\r1,2\r", 1, "a|b@1;1|2@2;", "old Mac CR line ends");
	check("\xef\xbb\xbf" "email\nx@y\n", 1, "email@1;x@y@2;",
	    "a UTF-8 BOM is skipped");
	check("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", 1,
	    "a|b@1;x, y|say \"hi\"@2;", "quoted commas and doubled quotes");
	check("a,b\n\"line1\nline2\",z\nq,r\n", 1,
	    "a|b@1;line1\nline2|z@2;q|r@4;",
	    "an embedded newline: the next record's line counts it");
	check("a,b\n\n1,2\n", 1, "a|b@1;1|2@3;", "blank lines are skipped");
	check("a,b\n1,2", 1, "a|b@1;1|2@2;", "no newline at the end");
	check("a,b\n1\n1,2,3\n", 1, "a|b@1;1@2!1 field where the header has 2;"
	    "1|2|3@3!3 fields where the header has 2;",
	    "wrong column counts are reported per record");
	check("a\n\"x\n", 1, "a@1;ERR line 2: a quoted field starts here and "
	    "never ends", "an unbalanced quote at the end names its line");
	check("a\nx\"y\nz\n", 1, "a@1;ERR line 2: a quote inside an unquoted "
	    "field, or text after a closing quote", "a stray quote is an error");
	check("a\n\"x\"y\n", 1, "a@1;ERR line 2: a quote inside an unquoted "
	    "field, or text after a closing quote",
	    "text after a closing quote is an error");
	check("a\n\xff\xfe\nok\n", 1, "a@1;@2!a field is not valid UTF-8;"
	    "ok@3;", "invalid UTF-8 is reported and reading goes on");
	check("a\n\xc0\xaf\n", 1, "a@1;@2!a field is not valid UTF-8;",
	    "an overlong encoding is invalid UTF-8");
	check("a\n\xc3\xa9t\xc3\xa9\n", 1, "a@1;\xc3\xa9t\xc3\xa9@2;",
	    "valid UTF-8 passes");
	got = xmalloc(5000 + 16);
	memcpy(got, "a\n", 2);
	memset(got + 2, 'x', 5000);
	memcpy(got + 5002, "\nok\n", 5);
	{
		char *r = read_all(got, strlen(got), 1);

		is_str(r, "a@1;@2!a field is longer than 4096 bytes;ok@3;",
		    "a field over 4096 bytes is reported");
		free(r);
	}
	free(got);
}

static void
test_huge(void)
{
	size_t n = 3 << 20;
	char *text = xmalloc(n + 4), *r;

	memcpy(text, "a\n", 2);
	memset(text + 2, 'x', n);
	text[n + 2] = '\n';
	text[n + 3] = '\0';
	r = read_all(text, n + 3, 1);
	is_str(r, "a@1;ERR line 2: a field is longer than 1048576 bytes",
	    "a 3 MB field stops the reader without buffering it all");
	free(r);
	free(text);
}

static void
test_chunks(void)
{
	/* Lines straddle the 64 KiB read size: line numbers stay exact. */
	size_t i, n = 20000;
	char *text = xmalloc(n * 12 + 16), *p = text;
	FILE *fp;
	struct csv_reader *rd;
	struct csv_record *rec;
	char *err = NULL;
	int bad = 0;

	p += sprintf(p, "n,v\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%zu,%s\n", i, i % 2 ? "x" : "\"y\r\nz\"");
	fp = fmemopen(text, (size_t)(p - text), "r");
	rd = csv_reader_new(fp, 1);
	i = 0;
	while (csv_reader_next(rd, &rec, &err) == 1) {
		if (i > 0 && rec->line != 2 + (i - 1) + (i - 1 + 1) / 2)
			bad++;
		i++;
	}
	is_int((long long)i, (long long)n + 1, "every record of a long "
	    "input is read");
	is_int(bad, 0, "line numbers count embedded line ends across chunks");
	csv_reader_free(rd);
	fclose(fp);
	free(text);
}

static char *
write_one(const char *const *f, size_t n, int lf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	csv_write_record(fp, f, n, lf);
	fclose(fp);
	return buf;
}

static void
test_writer(void)
{
	const char *plain[] = { "a", "b c", NULL };
	const char *tricky[] = { "x, y", "say \"hi\"", "two\nlines", " pad " };
	char *got, *back;

	got = write_one(plain, 3, 0);
	is_str(got, "a,b c,\r\n", "plain fields unquoted, CRLF, NULL empty");
	free(got);
	got = write_one(tricky, 4, 1);
	is_str(got, "\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad \"\n",
	    "commas, quotes, newlines and edge spaces are quoted");
	back = read_all(got, strlen(got), 0);
	is_str(back, "x, y|say \"hi\"|two\nlines| pad @1;",
	    "what the writer quotes, the reader gives back");
	free(back);
	free(got);
}

int
main(void)
{
	test_reader();
	test_huge();
	test_chunks();
	test_writer();
	return done_testing();
}
