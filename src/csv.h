/*
 * csv.h - the one door to libcsv: a streaming CSV reader that hands back
 * one record at a time with the line it starts on, and an RFC 4180 writer.
 *
 * The reader never holds more than one chunk of input and the records that
 * chunk completed; it never prints.  Problems come back as text the caller
 * reports with the line number.
 */
#ifndef GZ_CSV_H
#define GZ_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_FIELD_MAX	4096		/* bytes in one field */
#define CSV_RECORD_MAX	(1 << 20)	/* bytes in one record */

struct csv_reader;

struct csv_record {
	char	**fields;	/* NUL-terminated, valid UTF-8 when ok */
	size_t	 nfields;
	unsigned long line;	/* the line the record starts on (1-based) */
	/*
	 * NULL, or why this record is unusable (wrong number of fields,
	 * invalid UTF-8, a field longer than CSV_FIELD_MAX).  Reading can
	 * go on with the next record.
	 */
	const char *problem;
};

/*
 * A reader over fp (not closed by csv_reader_free).  A leading UTF-8 BOM
 * is skipped; CRLF, LF and CR line ends may be mixed.  With same_width,
 * every record must have as many fields as the first (the header).
 */
struct csv_reader *csv_reader_new(FILE *fp, int same_width);
/*
 * The next record in *rec (owned by the reader, valid until the next
 * call): 1, 0 at the end, or -1 when the input cannot be read further
 * (an unbalanced quote, a record over CSV_RECORD_MAX, a read error) with
 * *err a new "line N: reason" string.
 */
int	 csv_reader_next(struct csv_reader *r, struct csv_record **rec,
	    char **err);
void	 csv_reader_free(struct csv_reader *r);

/*
 * Write one record to fp with RFC 4180 quoting (fields holding a comma,
 * quote, CR, LF or leading/trailing space are quoted, quotes doubled),
 * ending in CRLF, or LF when lf_only.  NULL fields are written empty.
 * 0, or -1 on a write error.
 */
int	 csv_write_record(FILE *fp, const char *const *fields, size_t n,
	    int lf_only);

/* Whether s (len bytes) is valid UTF-8 (no overlongs, no surrogates). */
int	 csv_valid_utf8(const char *s, size_t len);

#endif
