/*
 * test-import.c - subscriber import rows without the store: the header's
 * columns, each row's checks, topic lists and duplicate addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "import.h"
#include "tap.h"
#include "xmalloc.h"

static struct csv_record *
record(char **fields, size_t n)
{
	static struct csv_record rec;

	rec.fields = fields;
	rec.nfields = n;
	rec.line = 2;
	rec.problem = NULL;
	return &rec;
}

static void
test_header(void)
{
	char *order[] = { "Topics", "email", "name" };
	char *unknown[] = { "email", "colour" };
	char *twice[] = { "email", "EMAIL" };
	char *noemail[] = { "name" };
	struct import_header h;
	char *err = NULL;

	ok(import_header(record(order, 3), &h, &err) == 0,
	    "a header in any order and case is accepted");
	ok(h.col[IMPORT_EMAIL] == 1 && h.col[IMPORT_TOPICS] == 0 &&
	    h.col[IMPORT_NAME] == 2 && h.col[IMPORT_STATUS] == -1,
	    "columns map to their positions, absent ones to -1");
	ok(import_header(record(unknown, 2), &h, &err) == -1 &&
	    strstr(err, "unknown column 'colour'") != NULL,
	    "an unknown column is refused by name");
	free(err);
	ok(import_header(record(twice, 2), &h, &err) == -1 &&
	    strstr(err, "twice") != NULL, "a repeated column is refused");
	free(err);
	ok(import_header(record(noemail, 1), &h, &err) == -1 &&
	    strstr(err, "no 'email'") != NULL, "the email column is required");
	free(err);
}

/* Parse one row of email,name,topics,status,frequency: NULL or why. */
static char *
parse(const char *email, const char *name, const char *topics,
    const char *status, const char *freq, struct import_row *row)
{
	char *head[] = { "email", "name", "topics", "status", "frequency" };
	char *f[] = { (char *)email, (char *)name, (char *)topics,
	    (char *)status, (char *)freq };
	struct import_header h;
	char *why = NULL;

	if (import_header(record(head, 5), &h, &why) == -1)
		return why;
	if (import_row_parse(&h, record(f, 5), row, &why) == -1)
		return why;
	return NULL;
}

static void
test_rows(void)
{
	struct import_row row;
	char *why, *joined;

	why = parse(" Ann@Example.ORG ", "Ann", "tech; news  news;;sport",
	    "", "daily", &row);
	ok(why == NULL, "a good row parses");
	is_str(row.email, "Ann@example.org", "the address is normalized");
	ok(row.status == NULL, "an empty status means no change");
	is_str(row.frequency, "daily", "the frequency is kept");
	joined = import_topics_join(&row, ',');
	is_str(joined, "news,sport,tech",
	    "topics split on spaces and ';', sorted, without duplicates");
	free(joined);
	import_row_free(&row);

	why = parse("a@x.org", "", "", "", "", &row);
	ok(why == NULL && row.has_topics && row.ntopics == 0,
	    "an empty topics cell means no topics");
	import_row_free(&row);

	why = parse("", "", "", "", "", &row);
	is_str(why, "the email is empty", "an empty address is refused");
	free(why);
	why = parse("a@x.org\r", "", "", "", "", &row);
	is_str(why, "invalid address: contains a control character",
	    "a CR in the address is refused");
	free(why);
	why = parse("no-at-sign", "", "", "", "", &row);
	ok(why && strncmp(why, "invalid address 'no-at-sign'", 28) == 0,
	    "an address without @ is refused with the reason");
	free(why);
	why = parse("a@x.org", "A\nB", "", "", "", &row);
	is_str(why, "the name contains a control character",
	    "a newline in the name is refused");
	free(why);
	why = parse("a@x.org", "", "", "gone", "", &row);
	ok(why && strstr(why, "not 'gone'") != NULL, "a bad status is refused");
	free(why);
	why = parse("a@x.org", "", "", "", "hourly", &row);
	ok(why && strstr(why, "not 'hourly'") != NULL,
	    "a bad frequency is refused");
	free(why);
}

static void
test_seen(void)
{
	struct import_seen *s = import_seen_new();
	char addr[64];
	int i, bad = 0;

	is_int((long long)import_seen_add(s, "Ann@example.org", 2), 0,
	    "a new address is recorded");
	is_int((long long)import_seen_add(s, "ann@EXAMPLE.org", 7), 2,
	    "the same address in another case names the first line");
	for (i = 0; i < 5000; i++) {
		snprintf(addr, sizeof addr, "r%d@example.org", i);
		bad += import_seen_add(s, addr, (unsigned long)i + 10) != 0;
	}
	for (i = 0; i < 5000; i++) {
		snprintf(addr, sizeof addr, "R%d@example.org", i);
		bad += import_seen_add(s, addr, 1) != (unsigned long)i + 10;
	}
	is_int(bad, 0, "thousands of addresses: each found again, no false "
	    "duplicate");
	import_seen_free(s);
}

int
main(void)
{
	test_header();
	test_rows();
	test_seen();
	return done_testing();
}
