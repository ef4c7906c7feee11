/* fuzz-csv.c - libFuzzer target: any bytes through the subscriber import
 * path without the store: the CSV reader, the header, every row's checks,
 * the duplicate set, and each good row written back and read again. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "import.h"

/* A checked row written by the writer must read back as the same fields. */
static void
round_trip(const struct csv_record *rec)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *out = open_memstream(&text, &len), *in;
	struct csv_reader *r;
	struct csv_record *back;
	char *err = NULL;

	/* The reader drops a BOM at the start of its input, by design. */
	if (rec->nfields > 0 && strncmp(rec->fields[0], "\xef\xbb\xbf", 3) ==
	    0) {
		fclose(out);
		free(text);
		return;
	}
	csv_write_record(out, (const char *const *)rec->fields, rec->nfields,
	    0);
	fclose(out);
	in = fmemopen(text, len, "r");
	r = csv_reader_new(in, 0);
	/* A record of one empty field is written as an empty line. */
	if (csv_reader_next(r, &back, &err) != 1) {
		if (!(rec->nfields == 1 && rec->fields[0][0] == '\0'))
			abort();
	} else if (back->nfields != rec->nfields)
		abort();
	else
		for (i = 0; i < rec->nfields; i++)
			if (strcmp(back->fields[i], rec->fields[i]) != 0)
				abort();
	free(err);
	csv_reader_free(r);
	fclose(in);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp = fmemopen((void *)data, size, "r");
	struct csv_reader *r;
	struct csv_record *rec;
	struct import_header h;
	struct import_row row;
	struct import_seen *seen;
	char *err = NULL, *why = NULL, *joined;
	int header = 0;

	if (fp == NULL)
		return 0;
	r = csv_reader_new(fp, 1);
	seen = import_seen_new();
	while (csv_reader_next(r, &rec, &err) == 1) {
		if (rec->problem == NULL)
			round_trip(rec);
		if (!header) {
			if (import_header(rec, &h, &why) == -1)
				break;
			header = 1;
			continue;
		}
		if (import_row_parse(&h, rec, &row, &why) == -1) {
			free(why);
			why = NULL;
			continue;
		}
		import_seen_add(seen, row.email, rec->line);
		joined = import_topics_join(&row, ';');
		free(joined);
		import_row_free(&row);
	}
	free(why);
	free(err);
	import_seen_free(seen);
	csv_reader_free(r);
	fclose(fp);
	return 0;
}
